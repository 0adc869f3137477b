//! The flashcards as tab-separated text, one line a term, for importing into Anki or Quizlet, and
//! the gap-fill questions as cloze cards for Anki. The flashcards output writes them beside its PDF.

use super::cloze::clozed;
use crate::model::{Book, MathForm, blocks_plain_text_as, map_inlines, plain_text_as};
use crate::passes::Derived;

/// Returns true when the book has key terms, which make the flashcards' TSV.
pub fn has_terms(derived: &Derived) -> bool {
    !derived.glossary.entries.is_empty()
}

/// Returns true when the book has gap-fill questions, which make the cloze TSV.
pub fn has_gaps(book: &Book) -> bool {
    book.questions().any(|q| !q.gaps().is_empty())
}

/// Returns the file name of the key terms' TSV.
pub fn terms_file(name: &str) -> String {
    format!("{name}-flashcards.tsv")
}

/// Returns the file name of the gap-fill questions' TSV.
pub fn cloze_file(name: &str) -> String {
    format!("{name}-cloze.tsv")
}

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

/// Returns one line per gap-fill question, for Anki's Cloze note type: the question's text with
/// each gap as a cloze deletion (`{{c1::quarantine}}`, one card a gap), a tab, and the model answer,
/// if any, as the card's extra text.
pub fn cloze_tsv(book: &Book) -> String {
    let clean = |text: String| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    for q in book.questions().filter(|q| !q.gaps().is_empty()) {
        let mut text = plain_text_as(&clozed(&q.heading.content), MathForm::MathJax);
        let prompt = map_inlines(q.prompt.clone(), &mut |inlines| clozed(&inlines));
        text.push(' ');
        text.push_str(&blocks_plain_text_as(&prompt, MathForm::MathJax));
        out.push_str(&clean(text));
        out.push('\t');
        if let Some(answer) = book.answer(q.number) {
            out.push_str(&clean(blocks_plain_text_as(&answer.blocks, MathForm::MathJax)));
        }
        out.push('\n');
    }
    out
}
