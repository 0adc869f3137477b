//! The flashcards as tab-separated text, one line a term, for importing into Anki or Quizlet.

use crate::model::{MathForm, blocks_plain_text_as, plain_text_as};
use crate::passes::Derived;

/// Returns one line per glossary term: the term, a tab, the definition, as plain text with
/// equations in MathJax's delimiters, which Anki renders.
pub fn tsv(derived: &Derived) -> String {
    let clean = |text: String| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    for entry in &derived.glossary.entries {
        out.push_str(&clean(plain_text_as(&entry.term, MathForm::MathJax)));
        out.push('\t');
        out.push_str(&clean(blocks_plain_text_as(&entry.definition, MathForm::MathJax)));
        out.push('\n');
    }
    out
}
