//! One test for each bug found and fixed, named for what broke.

use revise::BuildOptions;

use crate::support::{TestBook, pdf_text, rendered};

/// A task list whose items are not all tasks made typst read a plain item as a task.
#[test]
fn a_task_list_mixed_with_plain_items_compiles() {
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\n- plain item\n- [ ] a task\n- [x] done\n");
    let report = revise::build(book.path(), &BuildOptions::default());
    assert!(!report.failed(), "{}", rendered(&report));
    let text = pdf_text(&book.pdf("test-guide"));
    assert!(text.contains("plain item") && text.contains("a task"));
}

/// A heading inside a list, quote or callout became a typst heading in a container, where a chapter
/// heading's page break is not allowed.
#[test]
fn a_heading_inside_a_list_or_quote_compiles() {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\n- # In a list\n- ## Also\n\n> # In a quote\n\n> [!NOTE]\n> ### In a callout\n",
    );
    let report = revise::build(book.path(), &BuildOptions::default());
    assert!(!report.failed(), "{}", rendered(&report));
    let text = pdf_text(&book.pdf("test-guide"));
    assert!(text.contains("In a list") && text.contains("In a quote") && text.contains("In a callout"));
}

/// Flashcards of a book without key terms were written as `#flashcards((,))`, which typst cannot
/// parse. A build makes no flashcards then, but the edition's source must still be valid (found by
/// fuzzing `fuzz/markdown_to_typst` with an empty chapter).
#[test]
fn flashcards_of_a_book_without_terms_are_valid_typst() {
    let book = TestBook::minimal();
    let loaded = revise::load::load(book.path());
    let (model, derived) = (loaded.book.unwrap(), loaded.derived.unwrap());
    let templates = revise::templates::Templates::load(&loaded.root).unwrap();
    let edition = revise::pdf::Edition::Flashcards;
    let source = revise::pdf::source(&model, &derived, &templates, edition, revise::manifest::Paper::A4).unwrap();
    let settings = revise::pdf::PdfSettings { paper: revise::manifest::Paper::A4, date: None };
    let result = revise::pdf::compile(&model, &loaded.root, source, edition, settings, &Default::default());
    assert!(result.is_ok(), "{:?}", result.err());
}
