//! The flashcards as tab-separated text, one line a term, for importing into Anki or Quizlet, and
//! the gap-fill questions as cloze cards for Anki.

use crate::model::{Book, Inline, MathForm, blocks_plain_text_as, map_inline_leaves, map_inlines, plain_text_as};
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

/// Returns inline content with each gap as Anki's cloze deletion of its first answer.
pub fn clozed(inlines: &[Inline]) -> Vec<Inline> {
    map_inline_leaves(inlines.to_vec(), &mut |leaf| match leaf {
        Inline::Gap(gap) => vec![Inline::Text(format!("{{{{c{}::{}}}}}", gap.number, gap.answers[0]))],
        other => vec![other],
    })
}
