//! revise builds revision guides: a folder of Markdown becomes a typeset PDF (and, in time, an EPUB),
//! with key terms, callouts, an FAQ and practice questions linked to their model answers.
//!
//! The pipeline runs one way: [`load`] reads the manifest and parses every Markdown file once into the
//! owned [`model`]; [`passes`] derive data from it; the back ends ([`pdf`]) only read.

pub mod date;
pub mod diagnostics;
pub mod epub;
pub mod init;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod model;
pub mod output;
pub mod passes;
pub mod pdf;
pub mod source;
pub mod templates;

use std::path::{Path, PathBuf};

use crate::date::BuildDate;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Loaded;
use crate::manifest::Paper;
use crate::pdf::PdfSettings;
use crate::source::Sources;
use crate::templates::Templates;

/// The name of the default output folder inside a book.
pub const DEFAULT_OUT_DIR: &str = "out";

/// The outputs revise can build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The typeset PDF.
    Pdf,
    /// The EPUB 3.
    Epub,
}

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The output folder; `BOOK/out` when absent.
    pub out_dir: Option<PathBuf>,
    /// The formats to build; every format when empty.
    pub formats: Vec<Format>,
    /// The paper size, overriding `[pdf] paper`.
    pub paper: Option<Paper>,
}

/// The result of a run: what was read, what was found, and what was written.
#[derive(Debug)]
pub struct Report {
    /// Every source file read, for printing diagnostics.
    pub sources: Sources,
    /// Errors, warnings and notes.
    pub diagnostics: Diagnostics,
    /// The files written.
    pub outputs: Vec<PathBuf>,
}

impl Report {
    /// Returns true if the run found errors.
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// Loads and checks the book in `root`, writing nothing.
pub fn check(root: &Path) -> Report {
    let loaded = load::load(root);
    Report { sources: loaded.sources, diagnostics: loaded.diagnostics, outputs: Vec::new() }
}

/// Builds the book in `root`.
pub fn build(root: &Path, options: &BuildOptions) -> Report {
    let Loaded { root, sources, book, derived, mut diagnostics } = load::load(root);
    let mut outputs = Vec::new();
    if let (Some(book), Some(derived)) = (book, derived) {
        match build_outputs(&root, &book, &derived, options) {
            Ok(written) => outputs = written,
            Err(errors) => diagnostics.extend(errors),
        }
    }
    Report { sources, diagnostics, outputs }
}

fn build_outputs(
    root: &Path,
    book: &model::Book,
    derived: &passes::Derived,
    options: &BuildOptions,
) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let formats = if options.formats.is_empty() { vec![Format::Pdf, Format::Epub] } else { options.formats.clone() };
    let templates = Templates::load(root)?;
    let out_dir = options.out_dir.clone().unwrap_or_else(|| root.join(DEFAULT_OUT_DIR));
    let name = book.manifest.output_name();
    let date = BuildDate::from_env();

    // Every output is made in memory first, so nothing is written unless all of them succeed.
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if formats.contains(&Format::Pdf) {
        let settings = PdfSettings { paper: options.paper.unwrap_or(book.manifest.pdf.paper), date };
        let source = pdf::source(book, derived, &templates, settings.paper).map_err(|d| vec![d])?;
        files.push((format!("{name}.pdf"), pdf::compile(book, root, source, settings)?));
    }
    if formats.contains(&Format::Epub) {
        let settings = epub::EpubSettings { date: date.unwrap_or(epub::DEFAULT_DATE) };
        files.push((format!("{name}.epub"), epub::build(book, derived, root, &templates, settings)?));
    }
    output::prepare_dir(&out_dir).map_err(|d| vec![d])?;
    files.iter().map(|(file, bytes)| output::write_atomic(&out_dir, file, bytes).map_err(|d| vec![d])).collect()
}
