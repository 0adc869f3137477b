//! Anchors: the ids of places in a book, shared by the PDF (typst labels) and the EPUB (`id`
//! attributes, link fragments). Every anchor is made here, so their forms are defined once and those
//! made from text are unique in the book.

use std::collections::HashSet;
use std::fmt;

/// A book-wide id of a place: ASCII letters, digits and hyphens. The default is empty, and names
/// no place: a placeholder until there is one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Anchor(String);

impl Anchor {
    /// The anchor of practice question `number`.
    pub fn question(number: usize) -> Self {
        Self(format!("question-{number}"))
    }

    /// The anchor of the model answer to question `number`.
    pub fn answer(number: usize) -> Self {
        Self(format!("answer-{number}"))
    }

    /// The anchor of the title of the model answers' document. Anchors made from text start with a
    /// document's prefix and a hyphen, so it is never one of theirs.
    pub fn answers() -> Self {
        Self("answers".into())
    }

    /// The anchor of the `n`th occurrence of an index entry in the book.
    pub fn index_mark(n: usize) -> Self {
        Self(format!("ix-{n}"))
    }

    /// The anchor of a key term's glossary entry, from the anchor where the term is defined.
    pub fn glossary_entry(term: &Anchor) -> Self {
        Self(format!("gloss-{}", term.0.strip_prefix(TERM).unwrap_or(&term.0)))
    }

    /// Returns the anchor as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What starts the anchor of a key term.
const TERM: &str = "term-";

/// The anchors made from text so far, so that each new one is unique in the book.
#[derive(Debug, Default)]
pub struct Anchors {
    used: HashSet<String>,
}

impl Anchors {
    /// Makes the anchor of a heading in a document whose anchors start with `document` (`ch1`).
    pub fn heading(&mut self, document: &str, text: &str) -> Anchor {
        self.unique(&format!("{document}-"), text)
    }

    /// Makes the anchor of a key term where it is defined.
    pub fn term(&mut self, name: &str) -> Anchor {
        self.unique(TERM, name)
    }

    /// Makes the anchor of a footnote named `name` in a document whose anchors start with `document`.
    pub fn footnote(&mut self, document: &str, name: &str) -> Anchor {
        self.unique("fn-", &format!("{document}-{name}"))
    }

    /// Reserves a unique anchor made from `prefix` and `text`, numbering it when taken.
    fn unique(&mut self, prefix: &str, text: &str) -> Anchor {
        let base = slug(prefix, text);
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        Anchor(id)
    }
}

/// Makes an anchor of ASCII letters, digits and hyphens from a prefix and some text.
fn slug(prefix: &str, text: &str) -> String {
    let mut out = prefix.to_string();
    let mut dash = !out.is_empty() && !out.ends_with('-');
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '’' {
            dash = true;
        }
        if out.len() > 48 {
            break;
        }
    }
    // Text with no ASCII letters or digits (another script, say) gets a placeholder.
    if out.len() == prefix.len() {
        out.push('x');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_join_prefix_and_text_with_one_hyphen() {
        assert_eq!(slug("ch1-", "Political structure"), "ch1-political-structure");
        assert_eq!(slug("term-", "Five-Year Plans"), "term-five-year-plans");
        assert_eq!(slug("", "Khrushchev’s rise"), "khrushchevs-rise");
        assert_eq!(slug("fn-", "Жуков"), "fn-x");
        assert_eq!(slug("", "日本"), "x");
    }

    #[test]
    fn anchors_made_from_text_are_unique() {
        let mut anchors = Anchors::default();
        assert_eq!(anchors.heading("ch1", "Rise").as_str(), "ch1-rise");
        assert_eq!(anchors.heading("ch1", "Rise").as_str(), "ch1-rise-2");
        let term = anchors.term("Purge");
        assert_eq!(Anchor::glossary_entry(&term).as_str(), "gloss-purge");
        assert_eq!(anchors.footnote("ch1", "a").as_str(), "fn-ch1-a");
    }
}
