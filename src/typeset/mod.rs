//! The typst layer: the world a book is compiled in, the escaping of author text for typst,
//! compilation into laid-out pages, typst's diagnostics as revise's, and the policy for typst's
//! caches. The PDF back end and the EPUB's generated cover both go through it, so neither back end
//! imports the other.

pub mod escape;
pub mod fonts;
pub mod world;

use typst::WorldExt;
use typst::diag::SourceDiagnostic;
use typst_layout::PagedDocument;

use crate::diagnostics::Diagnostic;
use world::BookWorld;

/// Lays out the world's main source, which the template `template` made.
pub fn compile(world: &BookWorld, template: &str) -> Result<PagedDocument, Vec<Diagnostic>> {
    typst::compile::<PagedDocument>(world)
        .output
        .map_err(|errors| errors.iter().map(|error| typst_error(world, error, template)).collect())
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
