//! The sample guide in `book/`: it builds, and its PDF carries every part of the source.

use std::path::{Path, PathBuf};

use revise::model::{Block, DocKind, Entry, plain_text};
use revise::{BuildOptions, Format};

use crate::support::{assert_contains_text, pdf_info, pdf_text, rendered, tool};

fn sample_book() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book")
}

/// Returns the first and last `n` words of a text.
fn ends(text: &str, n: usize) -> (String, String) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let first = words.iter().take(n).copied().collect::<Vec<_>>().join(" ");
    let last = words[words.len().saturating_sub(n)..].join(" ");
    (first, last)
}

#[test]
fn sample_guide_builds_a_pdf_with_every_part() {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        out_dir: Some(out.path().to_path_buf()),
        formats: vec![Format::named("pdf").unwrap()],
        ..BuildOptions::default()
    };
    let report = revise::build(&sample_book(), &options);
    assert!(!report.failed(), "{}", rendered(&report));
    assert!(!report.diagnostics.has_warnings(), "{}", rendered(&report));
    let pdf = out.path().join("the-ussr-after-stalin.pdf");
    assert_eq!(report.outputs, vec![pdf.clone()]);
    let text = pdf_text(&pdf);

    // The chapters as the author wrote them.
    for title in
        ["The State of the USSR in 1953", "The Power Vacuum and the Contenders", "Khrushchev’s Rise and Consolidation"]
    {
        assert_contains_text(&text, title);
    }

    let loaded = revise::build::load(&sample_book());
    let (book, _) = loaded.model.expect("the sample guide loads");
    assert_eq!(book.chapters().count(), 3);
    for chapter in book.chapters() {
        assert_contains_text(&text, &plain_text(&chapter.title.content));
    }

    // Every FAQ question.
    let faq = book.document(DocKind::Faq).expect("the sample guide has an FAQ");
    assert_eq!(faq.entries.len(), 5);
    for entry in &faq.entries {
        let Entry::Faq(entry) = entry else { panic!("an FAQ holds FAQ entries only") };
        assert_contains_text(&text, &plain_text(&entry.question.content));
    }

    // The practice questions (two written, two multiple choice, one gap fill) with their marks,
    // the total, and the model answers.
    assert_eq!(book.questions().count(), 5);
    let words = revise::model::words::Words::default();
    for question in book.questions() {
        let marks = question.marks.expect("each sample question has marks, written or counted");
        assert_contains_text(&text, &format!("{}. {}", question.number, plain_text(&question.heading.content)));
        assert!(text.contains(&format!("[{}]", words.marks(marks))), "no marks shown for question {}", question.number);
        let answer = book.answer(question.number).expect("each sample question has an answer");
        for block in &answer.blocks {
            if let Block::Paragraph(inlines) = block {
                let (first, last) = ends(&plain_text(inlines), 8);
                assert_contains_text(&text, &first);
                assert_contains_text(&text, &last);
            }
        }
    }
    assert!(text.contains(&format!("Total: {} marks", book.total_marks())));

    // Metadata, paper, fonts and structure.
    let info = pdf_info(&pdf);
    assert!(info.contains("Title:           The USSR after Stalin"), "{info}");
    assert!(info.contains("Author:          Eleanor Whitfield"), "{info}");
    assert!(info.contains("Keywords:        History"), "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let (ok, fonts) = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(ok, "{fonts}");
    let rows: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!rows.is_empty(), "no fonts listed: {fonts}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID: "emb" is the fourth column from the right but two.
        let emb = columns[columns.len() - 5];
        assert_eq!(emb, "yes", "a font is not embedded: {row}");
    }
    let (ok, check) = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(ok, "qpdf --check failed: {check}");
}

#[test]
fn us_letter_paper_comes_from_the_manifest() {
    let book = crate::support::TestBook::minimal();
    book.file("book.toml", &format!("{}\n[pdf]\npaper = \"us-letter\"\n", crate::support::MANIFEST));
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let info = pdf_info(&book.pdf("test-guide"));
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
}
