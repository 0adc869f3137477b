//! Passes over the model: each reads the [`Book`], and may add anchors and links to its text, and
//! derives data for the back ends, which only read.

pub mod glossary;
pub mod index;
pub mod sort;

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::Book;

/// What the passes derive from a book.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// The glossary, sorted.
    pub glossary: glossary::Glossary,
    /// The index, sorted, with every occurrence.
    pub index: index::Index,
    /// Section numbers such as "1.2", by heading anchor.
    pub numbers: HashMap<crate::anchor::Anchor, String>,
}

/// Runs every pass over the book, in order, and returns what they derived and found.
pub fn run(book: &mut Book) -> (Derived, Vec<Diagnostic>) {
    let mut diagnostics = glossary::check(book);
    let glossary = glossary::Glossary::build(book);
    let (index, numbers, found) = index::run(book, &glossary);
    diagnostics.extend(found);
    (Derived { glossary, index, numbers }, diagnostics)
}
