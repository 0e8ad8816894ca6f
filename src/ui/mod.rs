//! placeholder

pub mod config_file;
pub mod sanitize;
