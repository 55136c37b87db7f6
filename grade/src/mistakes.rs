//! The mistake catalogue.
use crate::run::Options;
use std::path::Path;
use std::process::ExitCode;

pub fn run(_root: &Path, _names: &[String], _opts: &Options) -> Result<ExitCode, String> {
    Err("todo".into())
}
