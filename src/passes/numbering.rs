//! The numbering pass: numbers each chapter (1, 2, …) and the sections in it (1.1, 1.1.1, …) once,
//! in the model, for both back ends to print. Only a chapter's own headings are sections: a heading
//! inside a list, quote or box is a [`Block::NestedHeading`] and has no number, and the back matter
//! (FAQ, questions, answers) is not numbered.

use crate::model::{Block, Book, DocKind};

/// Writes the number of every chapter title and section heading into the book.
pub fn run(book: &mut Book) {
    for document in &mut book.documents {
        let DocKind::Chapter(number) = document.kind else { continue };
        document.title.number = Some(number.to_string());
        let mut counters = vec![number];
        for block in &mut document.blocks {
            let Block::Heading(heading) = block else { continue };
            // A `##` is 1.1 and a `###` 1.1.1; a level skipped counts as 0 (1.0.1), as typst counts.
            let depth = usize::from(heading.level.max(2)) - 1;
            counters.resize(depth + 1, 0);
            counters[depth] += 1;
            heading.number = Some(counters.iter().map(usize::to_string).collect::<Vec<_>>().join("."));
        }
    }
}
