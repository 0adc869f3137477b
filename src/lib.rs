//! revise builds revision guides: a folder of Markdown becomes a typeset PDF in several editions, an
//! EPUB 3, flashcards, an Anki deck and a Moodle question bank, with key terms, callouts, a
//! glossary, an index, an FAQ and practice questions linked to their model answers.
//!
//! The pipeline runs one way, a folder a stage: [`read`] reads the manifest and parses every
//! Markdown file once into the owned [`model`]; [`passes`] derive data from it (numbers, the
//! glossary, the index); [`layout`] lays typst source out into pages (the student edition once a
//! build); [`render`] holds the renderers, each an output over one context, which only read;
//! [`build`] runs a build, writes its files and watches a book. [`math`] reads equations, and
//! [`diagnostics`] and [`source`] report what was found wrong, and where.

pub mod build;
pub mod diagnostics;
pub mod layout;
pub mod math;
pub mod model;
pub mod passes;
pub mod read;
pub mod render;
pub mod source;

pub use build::{BuildOptions, DEFAULT_OUT_DIR, Report, Session, build, check};
pub use render::Format;
