//! placeholder

pub mod invocation_body;
