//! The glossary pass: every key term of the book, with the checks on their definitions.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::anchor::Anchor;
use crate::model::{Block, Book, TermDef};

/// Returns every key term in reading order: the chapters' definition lists, then `glossary.md`.
pub fn terms(book: &Book) -> Vec<&TermDef> {
    let mut out = Vec::new();
    for chapter in book.chapters() {
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

/// The glossary: every key term, sorted for people.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    /// The entries in display order.
    pub entries: Vec<GlossaryEntry>,
    /// The position of each entry, by [`term_key`].
    positions: std::collections::HashMap<String, usize>,
}

/// A glossary entry.
#[derive(Debug, Clone)]
pub struct GlossaryEntry {
    /// The term as plain text.
    pub name: String,
    /// The term as written.
    pub term: Vec<crate::model::Inline>,
    /// The definition.
    pub definition: Vec<Block>,
    /// The anchor of the glossary entry.
    pub id: Anchor,
    /// The anchor of the definition in a chapter, or `None` for a term of `glossary.md`.
    pub defined_at: Option<Anchor>,
    /// Where the term is defined in the source.
    pub span: crate::diagnostics::Span,
    /// The letter heading it is listed under.
    pub letter: String,
    /// The key it sorts by.
    pub sort_key: String,
}

impl Glossary {
    /// Collects the terms of `book`, each once (the first definition wins), and sorts them.
    pub fn build(book: &Book) -> Self {
        // `terms` lists the chapters' terms first, then those of glossary.md.
        let all = terms(book);
        let in_chapters = all.len() - book.glossary.len();
        let mut seen = std::collections::HashSet::new();
        let mut entries = Vec::new();
        let all = all.into_iter().enumerate().map(|(i, term)| (term, i < in_chapters));
        for (term, in_chapter) in all {
            if !seen.insert(term_key(&term.name)) {
                continue;
            }
            let sort_key = super::sort::sort_key(&term.name);
            entries.push(GlossaryEntry {
                name: term.name.clone(),
                term: term.term.clone(),
                definition: term.definition.clone(),
                id: Anchor::glossary_entry(&term.id),
                defined_at: in_chapter.then(|| term.id.clone()),
                span: term.span.clone(),
                letter: super::sort::letter(&sort_key),
                sort_key,
            });
        }
        entries.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then_with(|| a.name.cmp(&b.name)));
        let positions = entries.iter().enumerate().map(|(i, e)| (term_key(&e.name), i)).collect();
        Self { entries, positions }
    }

    /// Returns the entry of a term, by its name in any case.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.positions.get(&term_key(name)).copied()
    }
}
