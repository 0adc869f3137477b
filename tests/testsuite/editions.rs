//! Editions and handouts: one build makes every release artefact, and each holds what it should.

use std::path::{Path, PathBuf};
use std::process::Command;

use revise::model::{Block, plain_text};

use crate::support::{TestBook, pdf_info, pdf_pages, pdf_text, rendered, squash};

/// The first and last few words of each paragraph of each model answer of a book.
fn answer_snippets(root: &Path) -> Vec<(usize, Vec<String>)> {
    let loaded = revise::build::load(root);
    let (book, _) = loaded.model.expect("the book loads");
    assert!(book.questions().next().is_some(), "the book has questions");
    book.questions()
        .map(|q| {
            let mut snippets = Vec::new();
            for block in book.answer(q.number).map_or(&[][..], |a| &a.blocks) {
                if let Block::Paragraph(inlines) = block {
                    let words: Vec<String> = plain_text(inlines).split_whitespace().map(str::to_string).collect();
                    snippets.push(words.iter().take(6).cloned().collect::<Vec<_>>().join(" "));
                    snippets.push(words[words.len().saturating_sub(6)..].join(" "));
                }
            }
            (q.number, snippets)
        })
        .collect()
}

fn question_texts(root: &Path) -> Vec<String> {
    let (book, _) = revise::build::load(root).model.unwrap();
    book.questions().map(|q| plain_text(&q.heading.content)).collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book")
}

/// A small book with questions, one without marks, and key terms.
pub fn handout_book() -> TestBook {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\nPurge\n: A removal of opponents.\n\nShow trial\n: A staged trial.\n\nA purge and a show trial.\n",
    );
    book.file(
        "questions.md",
        "# Questions\n\n## Why did purges happen? (4 marks)\n\n### Model answer\n\nALPHA-ANSWER because of fear.\n\n\
         ## Name one show trial.\n\n### Model answer\n\nBETA-ANSWER the Moscow trials.\n",
    );
    book
}

#[test]
fn one_build_makes_every_file_for_the_sample_and_a_test_book() {
    // The shared build of the sample, with the default options into a folder of its own.
    let sample = crate::fixtures::sample();
    assert!(!sample.report.failed(), "{}", rendered(&sample.report));
    let expected = [
        "the-ussr-after-stalin-answers.pdf",
        "the-ussr-after-stalin-cloze.tsv",
        "the-ussr-after-stalin-flashcards.pdf",
        "the-ussr-after-stalin-flashcards.tsv",
        "the-ussr-after-stalin-kindle.epub",
        "the-ussr-after-stalin-moodle.xml",
        "the-ussr-after-stalin-teacher.pdf",
        "the-ussr-after-stalin-worksheet.pdf",
        "the-ussr-after-stalin.apkg",
        "the-ussr-after-stalin.epub",
        "the-ussr-after-stalin.kepub.epub",
        "the-ussr-after-stalin.pdf",
    ];
    assert_eq!(names(&sample.out), expected);

    // The shared build of the handout book, with the default options into its `out` folder.
    let handout = crate::fixtures::handout();
    assert!(!handout.report.failed(), "{}", rendered(&handout.report));
    assert_eq!(names(&handout.out).len(), 11, "{:?}", names(&handout.out));
}

#[test]
fn the_worksheet_has_every_question_and_no_answer() {
    // The worksheets of the shared builds of every output.
    for built in [crate::fixtures::sample(), crate::fixtures::handout()] {
        let root = &built.root;
        assert!(!built.report.failed(), "{}", rendered(&built.report));
        let worksheet = built.output("-worksheet.pdf");
        let text = squash(&pdf_text(worksheet));
        for question in question_texts(root) {
            assert!(text.contains(&squash(&question)), "the worksheet lacks {question:?}");
        }
        for (number, snippets) in answer_snippets(root) {
            for snippet in snippets {
                assert!(!text.contains(&squash(&snippet)), "the worksheet shows answer {number}: {snippet:?}");
            }
        }
        assert!(text.contains(&squash("Name")) && text.contains(&squash("Class")) && text.contains(&squash("Date")));
        assert!(text.contains("total"), "the worksheet shows the total marks");
        assert!(text.contains("page1of"), "handout pages are numbered N of M");
        // The raw file holds no answer text either, compressed or not (titles, outline, metadata).
        let raw = String::from_utf8_lossy(&std::fs::read(worksheet).unwrap()).into_owned();
        assert!(!raw.contains("ANSWER because") && !raw.contains("BETA-ANSWER"));
    }
}

#[test]
fn the_answer_key_and_teacher_edition_have_every_answer_next_to_its_question() {
    // The answer keys and teacher editions of the shared builds of every output.
    for built in [crate::fixtures::sample(), crate::fixtures::handout()] {
        let root = &built.root;
        assert!(!built.report.failed(), "{}", rendered(&built.report));
        let key = built.output("-answers.pdf");
        let teacher = built.output("-teacher.pdf");
        let key_text = squash(&pdf_text(key));
        let teacher_pages: Vec<String> = pdf_pages(teacher).iter().map(|p| squash(p)).collect();
        let questions = question_texts(root);
        for (number, snippets) in answer_snippets(root) {
            let question = squash(&questions[number - 1]);
            // The question's own page: the last page that shows it, past the contents.
            let q_page = teacher_pages.iter().rposition(|p| p.contains(&question)).expect("the question is shown");
            for (i, snippet) in snippets.iter().enumerate() {
                let snippet = squash(snippet);
                assert!(key_text.contains(&snippet), "the answer key lacks answer {number}: {snippet}");
                let a_page =
                    teacher_pages.iter().position(|p| p.contains(&snippet)).expect("the teacher edition has it");
                assert!(a_page >= q_page, "answer {number} comes before its question");
                if i == 0 {
                    // The answer starts on the question's page or the next.
                    assert!(a_page <= q_page + 1, "answer {number} starts on page {a_page}, its question on {q_page}");
                }
            }
        }
    }
}

#[test]
fn the_flashcards_tsv_has_one_line_per_term() {
    let handout = crate::fixtures::handout();
    assert!(!handout.report.failed(), "{}", rendered(&handout.report));
    let tsv = std::fs::read_to_string(handout.out.join("test-guide-flashcards.tsv")).unwrap();
    assert_eq!(tsv, "Purge\tA removal of opponents.\nShow trial\tA staged trial.\n");
    let text = pdf_text(&handout.out.join("test-guide-flashcards.pdf"));
    assert!(text.contains("Purge") && text.contains("A removal of opponents."));

    let loaded = revise::build::load(&sample());
    let terms = loaded.model.unwrap().1.glossary.entries.len();
    let shared = crate::fixtures::sample();
    assert!(!shared.report.failed());
    let tsv = std::fs::read_to_string(shared.out.join("the-ussr-after-stalin-flashcards.tsv")).unwrap();
    assert_eq!(tsv.lines().count(), terms);
    assert!(tsv.lines().all(|l| l.split('\t').count() == 2 && !l.contains('\r')));
}

#[test]
fn us_letter_applies_to_every_pdf() {
    let book = handout_book();
    let output = Command::new(env!("CARGO_BIN_EXE_revise"))
        .args(["build", book.path().to_str().unwrap(), "--paper", "us-letter"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let pdfs: Vec<PathBuf> = std::fs::read_dir(book.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 5);
    for pdf in pdfs {
        let (ok, info) = crate::support::tool("pdfinfo", &["-l", "100", pdf.to_str().unwrap()]);
        assert!(ok);
        let sizes: Vec<&str> = info.lines().filter(|l| l.starts_with("Page") && l.contains("size:")).collect();
        assert!(!sizes.is_empty());
        assert!(sizes.iter().all(|l| l.contains("612 x 792 pts")), "{}: {sizes:?}", pdf.display());
    }
}

#[test]
fn outputs_are_chosen_by_the_manifest_and_missing_parts_are_noted() {
    let book = TestBook::minimal();
    book.file(
        "book.toml",
        &format!("{}\n[build]\noutputs = [\"pdf\", \"worksheet\", \"flashcards\"]\n", crate::support::MANIFEST),
    );
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    assert!(!report.diagnostics.has_warnings(), "{}", rendered(&report));
    assert_eq!(names(&book.path().join("out")), vec!["test-guide.pdf"]);
    let text = rendered(&report);
    assert!(text.contains("note: questions.md: the book has no practice questions, so no worksheet is made"), "{text}");
    assert!(text.contains("no key terms and no gap-fill questions, so no flashcards are made"), "{text}");

    book.file("book.toml", &format!("{}\n[build]\noutputs = [\"pdfs\"]\n", crate::support::MANIFEST));
    let text = rendered(&book.check());
    assert!(text.contains("unknown variant `pdfs`"), "{text}");
    assert!(text.contains("book.toml:7:"), "{text}");
}

#[test]
fn a_binding_margin_widens_the_inner_margin() {
    let book = handout_book();
    book.file("book.toml", &format!("{}\n[pdf]\nbinding-margin = \"15mm\"\n", crate::support::MANIFEST));
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    assert!(pdf_info(&book.pdf("test-guide")).contains("A4"));
    book.file(
        "book.toml",
        &format!("{}\n[pdf]\nbinding-margin = \"15mm); #read(\\\"x\\\")\"\n", crate::support::MANIFEST),
    );
    let text = rendered(&book.check());
    assert!(text.contains("is not a margin length"), "{text}");
}
