//! Bad input: each mistake gives an error naming the file, line and column, and nothing is lost.

use revise::diagnostics::Severity;

use crate::support::{MANIFEST, TestBook, rendered};

/// Checks the book and returns its printed diagnostics, asserting that it failed.
#[track_caller]
fn errors_of(book: &TestBook) -> String {
    let report = book.check();
    assert!(report.failed(), "expected errors, got none");
    rendered(&report)
}

#[test]
fn toml_that_does_not_parse_names_line_and_column() {
    let book = TestBook::minimal();
    book.file("book.toml", "[book]\ntitle = \"Guide\nlanguage = \"en\"\n");
    let text = errors_of(&book);
    assert!(text.contains("book.toml:2:"), "{text}");
}

#[test]
fn unknown_key_is_named_with_its_line() {
    let book = TestBook::minimal();
    book.file("book.toml", &format!("{MANIFEST}colour = \"red\"\n"));
    let text = errors_of(&book);
    assert!(text.contains("unknown field `colour`"), "{text}");
    assert!(text.contains("book.toml:5:1"), "{text}");
}

#[test]
fn unknown_section_key_is_named() {
    let book = TestBook::minimal();
    book.file("book.toml", &format!("{MANIFEST}\n[pdf]\npapper = \"a4\"\n"));
    let text = errors_of(&book);
    assert!(text.contains("unknown field `papper`"), "{text}");
    assert!(text.contains("book.toml:7:1"), "{text}");
}

#[test]
fn missing_title_and_language_are_both_reported() {
    let book = TestBook::minimal();
    book.file("book.toml", "[book]\nauthors = [\"A\"]\n");
    let report = book.check();
    assert!(report.failed());
    let text = rendered(&report);
    assert!(text.contains("[book] has no `title`"), "{text}");
    assert!(text.contains("[book] has no `language`"), "{text}");
    assert!(text.contains("book.toml:1:1"), "{text}");
}

#[test]
fn a_book_without_chapters_is_an_error() {
    let book = TestBook::empty();
    book.file("book.toml", MANIFEST);
    let text = errors_of(&book);
    assert!(text.contains("chapters/: the book has no chapters"), "{text}");
}

#[test]
fn a_file_that_is_not_utf8_names_file_and_line() {
    let book = TestBook::minimal();
    book.bytes("chapters/02-latin1.md", b"# Two\n\nCaf\xe9 society\n");
    let text = errors_of(&book);
    assert!(text.contains("not valid UTF-8 (first bad byte at line 3, column 4)"), "{text}");
    assert!(text.contains("chapters/02-latin1.md:3:4"), "{text}");
}

#[test]
fn an_empty_chapter_is_an_error() {
    let book = TestBook::minimal();
    book.file("chapters/02-empty.md", "\n  \n");
    let text = errors_of(&book);
    assert!(text.contains("the chapter is empty"), "{text}");
    assert!(text.contains("chapters/02-empty.md"), "{text}");
}

#[test]
fn a_chapter_without_a_title_is_an_error() {
    let book = TestBook::minimal();
    book.file("chapters/02-untitled.md", "Some text first.\n\n# Late title\n");
    let text = errors_of(&book);
    assert!(text.contains("does not start with a `# ` title"), "{text}");
    assert!(text.contains("chapters/02-untitled.md:1:1"), "{text}");
}

#[test]
fn a_missing_image_is_an_error() {
    let book = TestBook::minimal();
    book.file("chapters/02-pic.md", "# Two\n\nText.\n\n![A map](missing.png)\n");
    let text = errors_of(&book);
    assert!(text.contains("the image `missing.png` does not exist"), "{text}");
    assert!(text.contains("chapters/02-pic.md:5:1"), "{text}");
}

#[test]
fn an_image_outside_the_book_is_an_error() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.png"), b"not really a png").unwrap();
    let book_dir = outer.path().join("book");
    std::fs::create_dir_all(book_dir.join("chapters")).unwrap();
    std::fs::write(book_dir.join("book.toml"), MANIFEST).unwrap();
    std::fs::write(book_dir.join("chapters/01.md"), "# One\n\n![Secret](../../secret.png)\n").unwrap();
    let report = revise::check(&book_dir, false);
    assert!(report.failed());
    let text = rendered(&report);
    assert!(text.contains("is outside the book folder"), "{text}");
    assert!(text.contains("chapters/01.md:3:1"), "{text}");
}

#[cfg(unix)]
#[test]
fn an_image_symlinked_outside_the_book_is_an_error() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.png"), b"not really a png").unwrap();
    let book_dir = outer.path().join("book");
    std::fs::create_dir_all(book_dir.join("chapters")).unwrap();
    std::fs::write(book_dir.join("book.toml"), MANIFEST).unwrap();
    std::os::unix::fs::symlink(outer.path().join("secret.png"), book_dir.join("chapters/map.png")).unwrap();
    std::fs::write(book_dir.join("chapters/01.md"), "# One\n\n![Map](map.png)\n").unwrap();
    let report = revise::check(&book_dir, false);
    assert!(report.failed());
    let text = rendered(&report);
    assert!(text.contains("the image `map.png` is outside the book folder"), "{text}");
}

#[test]
fn an_image_without_alt_text_is_a_warning() {
    let book = TestBook::minimal();
    book.bytes("chapters/dot.png", crate::pdf_features::PNG);
    book.file("chapters/02-pic.md", "# Two\n\n![](dot.png)\n");
    let report = book.check();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = rendered(&report);
    assert!(text.contains("warning: the image `dot.png` has no alt text"), "{text}");
    assert!(text.contains("chapters/02-pic.md:3:1"), "{text}");
}

#[test]
fn a_key_term_defined_twice_names_both_places() {
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\nPurge\n: A removal of opponents.\n");
    book.file("chapters/02-two.md", "# Two\n\nIntro.\n\npurge\n: Defined again.\n");
    let text = errors_of(&book);
    assert!(text.contains("the key term `purge` is defined twice"), "{text}");
    assert!(text.contains("chapters/02-two.md:5:1"), "{text}");
    assert!(text.contains("chapters/01-one.md:3:1"), "{text}");
    assert!(text.contains("first defined here"), "{text}");
}

#[test]
fn a_question_without_a_model_answer_is_a_warning() {
    let book = TestBook::minimal();
    book.file("questions.md", "# Questions\n\n## Why? (2 marks)\n\nThink.\n");
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let warnings: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == Severity::Warning).collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].message, "this question has no model answer");
    assert!(rendered(&report).contains("questions.md:3:1"));
    assert!(book.pdf("test-guide").is_file());
}

#[test]
fn an_unclosed_html_comment_is_a_warning_at_its_opening() {
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\nKept.\n\n<!-- a note never closed\n\nHidden.\n");
    let report = book.check();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = rendered(&report);
    assert!(text.contains("this HTML comment is never closed"), "{text}");
    assert!(text.contains("01-one.md:5:1"), "{text}");
}

#[test]
fn a_question_numbered_by_hand_out_of_place_is_a_warning() {
    let book = TestBook::minimal();
    book.file(
        "questions.md",
        "# Questions\n\n## 1. Why? (2 marks)\n\n### Model answer\n\nA.\n\n## 3. How? (2 marks)\n\n### Model answer\n\nB.\n",
    );
    let report = book.check();
    let warnings: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == Severity::Warning).collect();
    assert_eq!(warnings.len(), 1, "{}", rendered(&report));
    assert_eq!(warnings[0].message, "this heading numbers the question 3, but it is question 2");
    assert!(rendered(&report).contains("questions.md:9:1"), "{}", rendered(&report));
}

#[test]
fn every_error_of_a_run_is_reported_together() {
    let book = TestBook::minimal();
    book.file("book.toml", "[book]\ntitle = \"T\"\n");
    book.file("chapters/02-empty.md", "");
    book.file("chapters/03-pic.md", "# Three\n\n![x](nowhere.png)\n");
    let report = book.check();
    let errors = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    assert_eq!(errors, 3, "{}", rendered(&report));
}

#[test]
fn a_failed_build_keeps_the_last_good_outputs_and_leaves_no_temporary_files() {
    let book = TestBook::minimal();
    let first = book.build();
    assert!(!first.failed(), "{}", rendered(&first));
    let out = book.path().join("out");
    let snapshot = || {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let good = snapshot();
    assert!(good.iter().any(|(name, _)| name == "test-guide.pdf"));
    assert!(good.iter().any(|(name, _)| name == "test-guide.epub"));

    book.file("chapters/02-broken.md", "no title here\n");
    let second = book.build();
    assert!(second.failed());
    assert!(second.outputs.is_empty());
    assert!(snapshot() == good, "a failed build changed the outputs or left files behind");
}

#[test]
fn a_question_heading_that_is_not_the_model_answer_warns_where_it_is() {
    // Whatever its language, a `###` heading under a question that is not the model answer's
    // is the question's, printed on the worksheet: the author is told, at its line.
    let book = TestBook::minimal();
    book.file(
        "questions.md",
        "# Questions\n\n## Warum? (2 marks)\n\nErkläre.\n\n### Musterlösung\n\nDie Antwort.\n\n## Why? (1 mark)\n\n### Model answer\n\nBecause.\n",
    );
    let report = book.check();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = rendered(&report);
    assert!(text.contains("questions.md:7:1"), "{text}");
    assert!(
        text.contains("`Musterlösung` is not the model-answer heading, so everything under it is shown to students"),
        "{text}"
    );
    // The English heading is read as the model answer, so only one such warning.
    assert_eq!(text.matches("is not the model-answer heading").count(), 1, "{text}");
}
