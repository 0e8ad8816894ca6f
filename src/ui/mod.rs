//! Rendering: one file per view, plus the status bar, help overlay and text sanitizer.

pub mod sanitize;
pub mod text;
