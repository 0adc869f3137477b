//! Passes over the model: each reads the [`Book`], and may add anchors and links to its text, and
//! derives data for the back ends, which only read.

pub mod glossary;
pub mod index;
pub mod numbering;
pub mod sort;
pub mod xref;

use crate::diagnostics::Diagnostic;
use crate::model::Book;
use crate::source::Sources;

/// What the passes derive from a book.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// The glossary, sorted.
    pub glossary: glossary::Glossary,
    /// The index, sorted, with every occurrence.
    pub index: index::Index,
}

/// Runs every pass over the book, in order, and returns what they derived and found. `sources`
/// names the files cross-references are written in.
pub fn run(book: &mut Book, sources: &Sources) -> (Derived, Vec<Diagnostic>) {
    let mut diagnostics = glossary::check(book);
    diagnostics.extend(xref::run(book, sources));
    let glossary = glossary::Glossary::build(book);
    numbering::run(book);
    let (index, found) = index::run(book, &glossary);
    diagnostics.extend(found);
    (Derived { glossary, index }, diagnostics)
}
