//! The glossary pass: every key term of the book, with the checks on their definitions.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::{Block, Book, TermDef};

/// Returns every key term in reading order: the chapters' definition lists, then `glossary.md`.
pub fn terms(book: &Book) -> Vec<&TermDef> {
    let mut out = Vec::new();
    for chapter in &book.chapters {
        collect(&chapter.blocks, &mut out);
    }
    out.extend(book.glossary.iter());
    out
}

fn collect<'a>(blocks: &'a [Block], out: &mut Vec<&'a TermDef>) {
    for block in blocks {
        match block {
            Block::Terms(defs) => out.extend(defs.iter()),
            Block::Quote(inner) | Block::Callout { blocks: inner, .. } => collect(inner, out),
            Block::List { items, .. } => items.iter().for_each(|item| collect(&item.blocks, out)),
            _ => {}
        }
    }
}

/// Normalises a term for comparison: case-folded, with runs of white space as one space.
pub fn term_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Checks the key terms: a term defined twice is an error that names both places.
pub fn check(book: &Book) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, &TermDef> = HashMap::new();
    let mut diagnostics = Vec::new();
    for term in terms(book) {
        let key = term_key(&term.name);
        match seen.get(&key) {
            Some(first) => diagnostics.push(
                Diagnostic::error(format!("the key term `{}` is defined twice", term.name))
                    .at(term.span.clone(), "defined again here")
                    .also(first.span.clone(), "first defined here")
                    .hint("keep one definition and remove the other"),
            ),
            None => {
                seen.insert(key, term);
            }
        }
    }
    diagnostics
}
