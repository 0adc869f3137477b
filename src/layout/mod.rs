//! The layout stage: typst source laid out into pages, in the world a book is compiled in (the
//! book's fonts, file access confined to the book folder), with the escaping of author text for
//! typst, typst's diagnostics as revise's, the policy for typst's caches, and what is read from a
//! laid-out guide (its printed pages, [`pages`]).
//!
//! A build lays the student edition out here once ([`lay_out`]) and gives the result to the
//! renderers that need it: the student PDF exports it, the EPUB places its page list. The other
//! PDF editions lay out their own typst through the same function; the EPUB's generated cover is
//! compiled alone ([`compile`]).

pub mod escape;
pub mod fonts;
pub mod math;
pub mod math_images;
pub mod pages;
pub mod world;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use typst::foundations::Datetime;

use typst::WorldExt;
use typst::diag::SourceDiagnostic;
use typst_layout::PagedDocument;

use crate::diagnostics::Diagnostic;
use world::BookWorld;

/// A typst source laid out, with the world it was laid out in, where typst's later diagnostics
/// (those of the PDF export) point.
pub struct Laid {
    /// The pages.
    pub document: PagedDocument,
    /// The world, with the source.
    pub world: BookWorld,
    /// The template the source was made from, named in diagnostics.
    pub template: &'static str,
    key: &'static str,
}

impl Laid {
    /// Reports a typst error of this layout's source.
    pub fn error(&self, error: &SourceDiagnostic) -> Diagnostic {
        typst_error(&self.world, error, self.template)
    }

    /// Gives the world back to `worlds` for the next build, dropping the pages.
    pub fn finish(self, worlds: &Worlds) {
        worlds.keep(self.key, self.world);
    }
}

/// Lays out `source`, made from `template`, in the world `worlds` keeps under `key` (one for each
/// edition), so that a rebuild reuses typst's work on whatever the source shares with the last.
pub fn lay_out(
    worlds: &Worlds,
    key: &'static str,
    root: &Path,
    source: String,
    template: &'static str,
    today: Option<Datetime>,
) -> Result<Laid, Vec<Diagnostic>> {
    let world = worlds.take(key, root, source, today);
    match compile(&world, template) {
        Ok(document) => Ok(Laid { document, world, template, key }),
        Err(errors) => {
            worlds.keep(key, world);
            Err(errors)
        }
    }
}

/// The typst worlds of one book, one for each edition, kept from build to build so that typst's
/// incremental compilation reuses whatever a rebuild shares with the build before it.
#[derive(Default)]
pub struct Worlds {
    worlds: Mutex<HashMap<&'static str, BookWorld>>,
}

impl Worlds {
    /// Takes the world kept under `key` with its main source set to `text`, or a new one.
    fn take(&self, key: &'static str, root: &Path, text: String, today: Option<Datetime>) -> BookWorld {
        let kept = self.worlds.lock().unwrap_or_else(PoisonError::into_inner).remove(key);
        match kept {
            Some(mut world) if world.root() == root => {
                world.update(&text, today);
                world
            }
            _ => BookWorld::new(root, text, today),
        }
    }

    /// Keeps a world for the next build.
    fn keep(&self, key: &'static str, world: BookWorld) {
        self.worlds.lock().unwrap_or_else(PoisonError::into_inner).insert(key, world);
    }
}

/// Lays out the world's main source, which the template `template` made.
///
/// With `REVISE_TYPST_TIMING=PREFIX` in the environment, typst's own timing of the layout (its
/// passes and what each spent its time on) is written to `PREFIX-TEMPLATE.json`, a trace for
/// Chrome's or Perfetto's trace viewer: how the profile of the contents and running heads was made.
pub fn compile(world: &BookWorld, template: &str) -> Result<PagedDocument, Vec<Diagnostic>> {
    let timing = std::env::var_os("REVISE_TYPST_TIMING");
    if timing.is_some() {
        typst_timing::enable();
    }
    let document = typst::compile::<PagedDocument>(world)
        .output
        .map_err(|errors| errors.iter().map(|error| typst_error(world, error, template)).collect());
    if let Some(prefix) = timing {
        let path = format!("{}-{template}.json", prefix.to_string_lossy());
        let written = std::fs::File::create(&path)
            .map_err(|e| e.to_string())
            .and_then(|file| typst_timing::export_json(std::io::BufWriter::new(file), |_| (String::new(), 0)));
        if let Err(error) = written {
            eprintln!("warning: typst's timing could not be written to {path}: {error}");
        }
    }
    document
}

/// Empties typst's memoised results, keeping those used in the last `keep` compilations: 0 after a
/// one-off compilation, so that a book's PDFs never hold the memory of two at once; a few in a
/// watching session, so that a rebuild reuses the layout of what did not change.
pub fn empty_caches(keep: usize) {
    comemo::evict(keep);
}

/// Reports a typst error. The generated source is ours, so an error in it is a bug in revise or in an
/// overriding template, never in the author's text.
pub fn typst_error(world: &BookWorld, error: &SourceDiagnostic, template: &str) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(format!("typst could not lay out the book: {}", error.message))
        .in_file(format!("templates/{template}"));
    if let Some(range) = world.range(error.span) {
        let text = world.main_source().text();
        let line = text[..range.start.min(text.len())].matches('\n').count() + 1;
        let snippet: String = text.lines().nth(line - 1).unwrap_or("").chars().take(160).collect();
        diagnostic = diagnostic.hint(format!("in line {line} of the generated typst source: {snippet}"));
    }
    for hint in &error.hints {
        diagnostic = diagnostic.hint(hint.v.to_string());
    }
    diagnostic.hint(format!("this is a bug in revise or in a book's own templates/{template}; please report it"))
}
