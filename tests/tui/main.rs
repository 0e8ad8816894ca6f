//! TUI tests without a terminal (snapshots, update, hostile input) and with the real binary in
//! tmux (end-to-end). One test binary, so the crate is linked once.

mod common;
mod e2e;
mod hostile;
mod latency;
mod lists;
mod snapshots;
mod update;
