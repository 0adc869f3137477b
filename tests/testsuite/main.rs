//! The integration tests: whole books built through the library and the `revise` binary.

mod accessibility;
mod bad_input;
mod chemistry;
mod cli;
mod cross_refs;
mod editions;
mod epub;
mod ereader;
mod fixtures;
mod glossary_index;
mod hostile;
mod init;
mod languages;
mod math;
mod page_list;
mod pdf_features;
mod properties;
mod rebuild;
mod regression;
mod retrieval;
mod robustness;
mod sample;
mod snapshots;
mod support;
mod text_fidelity;
