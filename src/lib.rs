//! revise builds revision guides: a folder of Markdown becomes a typeset PDF in several editions, an
//! EPUB 3 and flashcards, with key terms, callouts, a glossary, an index, an FAQ and practice
//! questions linked to their model answers.
//!
//! The pipeline runs one way: [`load`] reads the manifest and parses every Markdown file once into the
//! owned [`model`]; [`passes`] derive data from it; the back ends ([`pdf`], [`epub`], [`flashcards`])
//! only read. What both typst-based parts share (the world, escaping, compiling, diagnostics, caches)
//! is the typst layer, [`typeset`].

pub mod anchor;
pub mod anki;
pub mod date;
pub mod diagnostics;
pub mod epub;
pub mod flashcards;
pub mod init;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod math;
pub mod model;
pub mod moodle;
pub mod output;
pub mod pagination;
pub mod passes;
pub mod pdf;
pub mod practice;
pub mod progress;
pub mod render;
pub mod source;
pub mod templates;
pub mod typeset;
pub mod watch;
pub mod words;
pub mod writer;

use std::path::{Path, PathBuf};

use crate::date::BuildDate;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Loaded;
pub use crate::manifest::Format;
use crate::manifest::Paper;
use crate::pdf::{Edition, Worlds};
use crate::progress::{Progress, Quiet};
use crate::render::{Output, RenderContext};
use crate::source::Sources;
use crate::templates::Templates;

/// The name of the default output folder inside a book.
pub const DEFAULT_OUT_DIR: &str = "out";

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The output folder; `BOOK/out` when absent.
    pub out_dir: Option<PathBuf>,
    /// The formats to build; every format when empty.
    pub formats: Vec<Format>,
    /// The paper size, overriding `[pdf] paper`.
    pub paper: Option<Paper>,
    /// Whether any warning fails the build, before anything is written.
    pub deny_warnings: bool,
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

/// Loads and checks the book in `root`, writing nothing. With `deny_warnings`, a warning is an error.
pub fn check(root: &Path, deny_warnings: bool) -> Report {
    let mut loaded = load::load(root);
    loaded.diagnostics.extend(deny(loaded.diagnostics.iter(), deny_warnings));
    Report { sources: loaded.sources, diagnostics: loaded.diagnostics, outputs: Vec::new() }
}

/// Returns the error that fails a check or build when warnings are denied and there are any.
fn deny<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, deny_warnings: bool) -> Option<Diagnostic> {
    let warnings = diagnostics.into_iter().filter(|d| d.severity == diagnostics::Severity::Warning).count();
    (deny_warnings && warnings > 0).then(|| {
        Diagnostic::error(format!("{warnings} warning{} and warnings are denied", if warnings == 1 { "" } else { "s" }))
            .hint("fix the warnings above, or build without --deny-warnings")
    })
}

/// Builds the book in `root`.
pub fn build(root: &Path, options: &BuildOptions) -> Report {
    Session::default().build(root, options, &Quiet)
}

/// Builds books. A session made by [`Session::watching`] keeps typst's state from one build to the
/// next, so that a rebuild after a small edit reuses the layout of everything the edit did not
/// touch; `revise watch` builds through one. A default session is for one build: it empties typst's
/// caches after each PDF, so a book's PDFs never hold the memory of two compilations at once.
#[derive(Default)]
pub struct Session {
    worlds: Worlds,
    keep_caches: bool,
}

impl Session {
    /// Creates a session for repeated builds of one book, keeping typst's caches between them.
    pub fn watching() -> Self {
        Self { worlds: Worlds::default(), keep_caches: true }
    }

    /// Builds the book in `root`, reporting progress as each output is made.
    pub fn build(&self, root: &Path, options: &BuildOptions, progress: &dyn Progress) -> Report {
        let Loaded { root, sources, model, mut diagnostics } = load::load(root);
        let mut outputs = Vec::new();
        if let Some(denied) = deny(diagnostics.iter(), options.deny_warnings) {
            diagnostics.push(denied);
            return Report { sources, diagnostics, outputs };
        }
        if let Some((book, derived)) = model {
            match build_outputs(&root, &book, &derived, options, self, progress) {
                Ok((written, notes)) => {
                    outputs = written;
                    diagnostics.extend(notes);
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        progress.finished();
        Report { sources, diagnostics, outputs }
    }
}

/// An output made in memory: its file name, bytes and warnings, or what went wrong.
type Made = Result<(String, Vec<u8>, Vec<Diagnostic>), Vec<Diagnostic>>;

fn build_outputs(
    root: &Path,
    book: &model::Book,
    derived: &passes::Derived,
    options: &BuildOptions,
    session: &Session,
    progress: &dyn Progress,
) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut formats = if !options.formats.is_empty() {
        options.formats.clone()
    } else {
        book.manifest.build.outputs.clone().unwrap_or_else(|| Format::ALL.to_vec())
    };
    formats.sort();
    formats.dedup();
    let templates = Templates::load(root)?;
    let out_dir = options.out_dir.clone().unwrap_or_else(|| root.join(DEFAULT_OUT_DIR));
    output::check_dir(root, &out_dir).map_err(|d| vec![d])?;
    let name = book.manifest.output_name();
    let ctx = RenderContext {
        root,
        book,
        derived,
        templates: &templates,
        date: BuildDate::from_env().or_else(|| book.manifest.build.build_date()),
        paper: options.paper.unwrap_or(book.manifest.pdf.paper),
        worlds: &session.worlds,
        keep_caches: session.keep_caches,
        page_list: Default::default(),
    };

    // Which outputs to make; a format the book has nothing for is noted, not an error.
    let mut notes = Vec::new();
    let mut outputs: Vec<Output> = Vec::new();
    for format in formats {
        match render::missing(format, book, derived) {
            Some(note) => notes.push(note),
            None => outputs.extend(render::outputs(format, book, derived)),
        }
    }
    progress.started(&outputs.iter().map(|o| o.file_name(&name)).collect::<Vec<_>>());

    // The outputs are made in memory, nothing is written unless all succeed. The PDFs are made one
    // after another in one thread, since typst already lays out a book's chapters on every core
    // and two compilations at once would need the memory of both; the EPUB (unless it waits for the
    // student PDF's pages) and the TSV are made beside them, each in a thread of its own.
    let make = |output: Output| -> Made {
        let (bytes, warnings) = output.make(&ctx)?;
        let file = output.file_name(&name);
        progress.made(&file);
        Ok((file, bytes, warnings))
    };
    // The EPUB gives the student PDF's page numbers when both are made, so it is made after it.
    let paginated = outputs.contains(&Output::Pdf(Edition::Student));
    let (typeset, others): (Vec<Output>, Vec<Output>) =
        outputs.into_iter().partition(|o| o.is_typeset() || (paginated && *o == Output::Epub));
    let results: Vec<Made> = std::thread::scope(|scope| {
        let make = &make;
        let mut handles = vec![scope.spawn(move || typeset.into_iter().map(make).collect::<Vec<_>>())];
        handles.extend(others.into_iter().map(|output| scope.spawn(move || vec![make(output)])));
        handles
            .into_iter()
            .flat_map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    vec![Err(vec![Diagnostic::error("internal error: an output could not be made")])]
                })
            })
            .collect()
    });
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok((file, bytes, warnings)) => {
                files.push((file, bytes));
                notes.extend(warnings);
            }
            Err(found) => errors.extend(found),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Warnings found while making the outputs (a standard a PDF cannot claim) are denied as the
    // book's are, before anything is written.
    if let Some(denied) = deny(&notes, options.deny_warnings) {
        notes.push(denied);
        return Err(notes);
    }
    output::prepare_dir(&out_dir).map_err(|d| vec![d])?;
    let written = files
        .iter()
        .map(|(file, bytes)| output::write_atomic(&out_dir, file, bytes).map_err(|d| vec![d]))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((written, notes))
}
