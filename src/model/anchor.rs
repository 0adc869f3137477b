//! Anchors: the ids of places in a book, shared by the PDF (typst labels) and the EPUB (`id`
//! attributes, link fragments). Every anchor is made here, so their forms are defined once and those
//! made from text are unique in the book.

use std::collections::HashSet;
use std::fmt;

/// A book-wide id of a place: an ASCII prefix, then letters, digits (of any script) and hyphens.
/// The default is empty, and names
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

    /// The anchor of the glossary's title.
    pub fn glossary() -> Self {
        Self("glossary".into())
    }

    /// The anchor of the index's title.
    pub fn index() -> Self {
        Self("index".into())
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

/// Makes an anchor from a prefix and some text: its letters and digits in lowercase, of any script,
/// each with its marks (the virama and vowel signs of Devanagari, accents), joined by hyphens. The
/// text is normalised (NFKC: `H₂O` gives `h2o`) and every character kept continues an identifier in
/// Unicode's sense, which typst's labels and XML's ids both take after the ASCII prefix.
fn slug(prefix: &str, text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_segmentation::UnicodeSegmentation;
    const MAX_CHARS: usize = 48;
    let text: String = text.nfkc().collect();
    let mut out = prefix.to_string();
    let mut dash = !out.is_empty() && !out.ends_with('-');
    for grapheme in text.graphemes(true) {
        if grapheme.chars().next().is_some_and(char::is_alphanumeric) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(grapheme.chars().flat_map(char::to_lowercase).filter(|&c| unicode_ident::is_xid_continue(c)));
        } else if grapheme != "'" && grapheme != "’" {
            dash = true;
        }
        if out.chars().count() > MAX_CHARS {
            break;
        }
    }
    // Text with no letters or digits gets a placeholder.
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
        assert_eq!(slug("fn-", "Жуков"), "fn-жуков");
        assert_eq!(slug("", "日本"), "日本");
        assert_eq!(slug("ch1-", "蒸发与凝结"), "ch1-蒸发与凝结");
        assert_eq!(slug("ch1-", "जल चक्र"), "ch1-जल-चक्र");
        assert_eq!(slug("ch1-", "پاسخ\u{200c}ها"), "ch1-پاسخ\u{200c}ها");
        assert_eq!(slug("ch1-", "H₂SO₄ and —"), "ch1-h2so4-and");
        assert_eq!(slug("term-", "…"), "term-x");
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
