//! The integration tests: whole books built through the library and the `revise` binary.

mod bad_input;
mod cli;
mod hostile;
mod init;
mod sample;
mod support;
