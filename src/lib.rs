//! strata: investigate AWS Bedrock abuse from CloudTrail, model-invocation logs and endpoint telemetry.
//!
//! Data flows one way: files → [`ingest`] → [`model::Event`] → [`model::EventStore`] → [`detect`] →
//! alerts → [`app`] state → [`ui`].

pub mod analysis;
pub mod app;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod detect;
pub mod export;
pub mod ingest;
pub mod keymap;
pub mod model;
pub mod output_guard;
pub mod safe_json;
pub mod theme;
pub mod tui;
pub mod ui;
