//! Semantic style slots → ratatui `Style`s, as data: shipped themes (`themes/*.toml`, embedded)
//! and a user's `theme.toml` are parsed by the same code, inherit from each other and are merged
//! per slot. `NO_COLOR` keeps only modifiers, with per-slot emphasis so selection and highlights
//! stay visible.

pub mod color;
mod layer;
pub mod load;
pub mod slot;

pub use load::{check_theme_file, no_color_from_env, Theme, PRESETS, USER_THEME_FILE};
pub use slot::Slot;
