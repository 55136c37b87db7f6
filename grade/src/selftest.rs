//! `cargo grade selftest`: attack submissions graded in the sandbox.
use crate::Cli;
use std::process::ExitCode;

pub fn run(_cli: &Cli) -> Result<ExitCode, String> {
    Err("todo".into())
}
