//! Keys → actions, per context, as data: shipped keymaps (`keymaps/*.toml`, embedded) and a
//! user's `keymap.toml` are parsed by the same code and layered per key. Help and status-bar hints
//! are built from the resolved map so they cannot drift from what a key really does.

pub mod action;
pub mod key;
pub mod map;

pub use action::{Action, Context};
pub use key::KeyBinding;
pub use map::{check_keymap_file, Keymap, PRESETS, USER_KEYMAP_FILE};
