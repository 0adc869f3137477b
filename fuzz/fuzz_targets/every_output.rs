//! Fuzzes whole builds: any text, put in every place a guide holds text, gives either diagnostics
//! that name a file, or every output the book has anything for (five PDF editions laid out by
//! typst, the EPUB with well-formed documents, the TSVs, the Moodle bank and the Anki deck), and
//! never a typst error in generated code or a panic.

#![no_main]

#[path = "../support/book.rs"]
mod book;

use libfuzzer_sys::fuzz_target;
use revise::{BuildOptions, Format};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    book::write(root, &text);
    let options = BuildOptions { formats: Format::all(), ..BuildOptions::default() };
    let report = revise::build(root, &options);
    let rendered = report.diagnostics.render_plain(&report.sources);
    assert!(!rendered.contains("typst could not lay out"), "a typst error in generated code:\n{rendered}");
    if report.failed() {
        for d in report.diagnostics.iter() {
            assert!(d.file_name(&report.sources).is_some(), "a diagnostic names no file: {d:?}");
        }
        return;
    }
    // Every output the book has anything for: the handouts and the Moodle bank need questions; the
    // flashcards terms or gaps; the terms' TSV terms, the cloze TSV gaps; the deck terms, options
    // or gaps.
    let loaded = revise::build::load(root);
    let (book, derived) = loaded.model.unwrap();
    let questions = book.questions().next().is_some();
    let terms = !derived.glossary.entries.is_empty();
    let gaps = book.questions().any(|q| !q.gaps().is_empty());
    let deck = revise::render::anki::has_notes(&book, &derived);
    let expected = 3
        + 3 * usize::from(questions)
        + usize::from(terms || gaps)
        + usize::from(terms)
        + usize::from(gaps)
        + usize::from(deck);
    assert_eq!(report.outputs.len(), expected, "{:?}", report.outputs);
    let epub = report.outputs.iter().find(|p| p.extension().is_some_and(|e| e == "epub")).unwrap();
    book::assert_well_formed(epub);
});
