//! Anki's cloze deletions, `{{c1::quarantine}}`, which the Anki deck and the cloze TSV both write.

use crate::model::{Inline, map_inline_leaves};

/// Returns inline content with each gap as Anki's cloze deletion of its first answer.
pub fn clozed(inlines: &[Inline]) -> Vec<Inline> {
    map_inline_leaves(inlines.to_vec(), &mut |leaf| match leaf {
        Inline::Gap(gap) => vec![Inline::Text(format!("{{{{c{}::{}}}}}", gap.number, gap.answers[0]))],
        other => vec![other],
    })
}
