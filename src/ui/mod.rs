//! Rendering: one file per view, plus text helpers.

pub mod layout;
pub mod text;
