//! The flashcards as tab-separated text, one line a term, for importing into Anki or Quizlet.

use crate::model::{blocks_plain_text, plain_text};
use crate::passes::Derived;

/// Returns one line per glossary term: the term, a tab, the definition, as plain text.
pub fn tsv(derived: &Derived) -> String {
    let clean = |text: String| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    for entry in &derived.glossary.entries {
        out.push_str(&clean(plain_text(&entry.term)));
        out.push('\t');
        out.push_str(&clean(blocks_plain_text(&entry.definition)));
        out.push('\n');
    }
    out
}
