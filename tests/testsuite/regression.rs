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
    let loaded = revise::build::load(book.path());
    let (model, derived) = loaded.model.unwrap();
    let templates = revise::render::templates::Templates::load(&loaded.root).unwrap();
    let edition = revise::render::pdf::Edition::Flashcards;
    let source =
        revise::render::pdf::source(&model, &derived, &templates, edition, revise::model::manifest::Paper::A4).unwrap();
    let settings = revise::render::pdf::PdfSettings { paper: revise::model::manifest::Paper::A4, date: None };
    let result = revise::render::pdf::compile(&model, &loaded.root, source, edition, settings, &Default::default());
    assert!(result.is_ok(), "{:?}", result.err());
}

/// Parses each PDF edition's generated typst source and returns the markup structures it holds that
/// the writers never emit: author text read as typst markup.
pub fn markup_structures(book: &TestBook) -> Vec<String> {
    let loaded = revise::build::load(book.path());
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics.render_plain(&loaded.sources));
    let (model, derived) = loaded.model.unwrap();
    let templates = revise::render::templates::Templates::load(&loaded.root).unwrap();
    let mut found = Vec::new();
    for edition in revise::render::pdf::Edition::ALL {
        let source =
            revise::render::pdf::source(&model, &derived, &templates, edition, revise::model::manifest::Paper::A4)
                .unwrap();
        found.extend(
            revise::render::pdf::structure::markup_structures(&source).into_iter().map(|s| format!("{edition:?}: {s}")),
        );
    }
    found
}

/// Builds every output of a book, failing on any error.
fn build_all(book: &TestBook) -> revise::Report {
    let report = revise::build(book.path(), &BuildOptions::default());
    assert!(!report.failed(), "{}", rendered(&report));
    report
}

fn out(book: &TestBook, file: &str) -> std::path::PathBuf {
    book.path().join("out").join(file)
}

/// Text that began with a number and a full stop became a typst numbered list: a heading printed as
/// "1.1" over an indented "1. Introduction", a table cell that began `6. ` vanished, a definition
/// that began `1990. ` disappeared, and emphasis or a link beginning `1. ` stopped the build.
#[test]
fn text_that_starts_with_a_number_and_a_full_stop_is_never_a_list() {
    let book = TestBook::minimal();
    book.bytes("images/dot.png", crate::pdf_features::PNG);
    book.file(
        "book.toml",
        "[book]\ntitle = \"1. Revision\"\nsubtitle = \"2. Subtitle\"\nauthors = [\"3. Author\"]\nlanguage = \"en-GB\"\n",
    );
    book.file(
        "chapters/01-one.md",
        // At the start of a block, `3. ` is a Markdown numbered list; `3\\. ` is the text "3. ".
        "# 1953. The year\n\n## 1. Introduction\n\n> 3\\. quoted words\n\n> [!NOTE]\n> 4\\. note body\n\n\
         ![5. caption words](../images/dot.png)\n\n**6. bold words** and more.\n\n[7. link words](https://example.com) then.\n\n\
         *10. emphasised words* then.\n\nA note.[^a]\n\n| Year | Event |\n|---|---|\n| 1953 | 9. cell words |\n| 6. first cell | x |\n\n\
         Purge\n: 1990\\. definition words\n\nTerror\n: 1937. listed definition\n\nA purge and terror.\n\n[^a]: 8\\. footnote words\n",
    );
    book.file("faq.md", "# FAQ\n\n## 2. Why ask?\n\nBecause.\n");
    book.file(
        "questions.md",
        "# Questions\n\n## 1. Explain the purge. (4 marks)\n\n### Model answer\n\n11\\. answer words\n",
    );
    assert_eq!(markup_structures(&book), Vec::<String>::new());
    build_all(&book);
    let student = pdf_text(&out(&book, "1-revision.pdf"));
    for phrase in [
        "1. Revision",
        "1953. The year",
        "1.1 1. Introduction",
        "3. quoted words",
        "4. note body",
        "5. caption words",
        "6. bold words",
        "7. link words",
        "10. emphasised words",
        "9. cell words",
        "6. first cell",
        "1990. definition words",
        "8. footnote words",
        "2. Why ask?",
        "1. Explain the purge.",
        "11. answer words",
    ] {
        assert!(student.contains(phrase), "the student PDF lacks {phrase:?}:\n{student}");
    }
    // The question's own number is not printed twice.
    let worksheet = pdf_text(&out(&book, "1-revision-worksheet.pdf"));
    assert!(worksheet.contains("1. Explain the purge.") && !worksheet.contains("1. 1."), "{worksheet}");
    let flashcards = pdf_text(&out(&book, "1-revision-flashcards.pdf"));
    assert!(flashcards.contains("1990. definition words"), "{flashcards}");
    // A definition that is a numbered list keeps its number and its text, in the key-terms box and
    // the glossary, and on its card.
    assert_eq!(student.matches("1937.").count(), 2, "{student}");
    assert_eq!(student.matches("listed definition").count(), 2, "{student}");
    assert!(flashcards.contains("1937.") && flashcards.contains("listed definition"), "{flashcards}");
}

/// A definition that held a list, a code block or a second paragraph lost them in the key-terms box,
/// the glossary and the flashcards.
#[test]
fn a_definition_keeps_all_its_blocks_everywhere_it_is_shown() {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\nPurge\n: First paragraph words.\n\n  Second paragraph words.\n\n  - listed item words\n  - other item words\n\n  ```\n  code block words\n  ```\n\nA purge.\n",
    );
    build_all(&book);
    let student = pdf_text(&book.pdf("test-guide"));
    let flashcards = pdf_text(&out(&book, "test-guide-flashcards.pdf"));
    let tsv = std::fs::read_to_string(out(&book, "test-guide-flashcards.tsv")).unwrap();
    for words in
        ["First paragraph words", "Second paragraph words", "listed item words", "other item words", "code block words"]
    {
        // Once in the key-terms box and once in the glossary.
        assert_eq!(student.matches(words).count(), 2, "{words:?} in the student PDF:\n{student}");
        assert!(flashcards.contains(words), "{words:?} in the flashcards:\n{flashcards}");
        assert!(tsv.contains(words), "{words:?} in the TSV:\n{tsv}");
    }
    assert!(tsv.contains("• listed item words • other item words"), "{tsv}");
}

/// A definition with an inline image, raw HTML or a task list, and a question whose options are a
/// task list, stopped every edition but the student PDF with an error in generated typst.
#[test]
fn every_edition_sets_images_html_and_task_lists() {
    let book = TestBook::minimal();
    book.bytes("images/dot.png", crate::pdf_features::PNG);
    book.file(
        "chapters/01-one.md",
        "# One\n\nPurge\n: A removal ![dot](../images/dot.png) with <b>bold</b>.\n\n  - [ ] open task\n  - [x] done task\n\nA purge.\n",
    );
    book.file(
        "questions.md",
        "# Questions\n\n## In which year was the Wall built? (1 mark)\n\n- [ ] 1958\n- [x] 1961\n\n<b>raw</b> ![dot](images/dot.png)\n\n\
         > [!TIP]\n> Think.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\n---\n\n### Model answer\n\n- [x] 1961\n",
    );
    let report = build_all(&book);
    assert_eq!(report.outputs.len(), 11, "{:?}", report.outputs);
    let worksheet = pdf_text(&out(&book, "test-guide-worksheet.pdf"));
    assert!(worksheet.contains("1958") && worksheet.contains("1961"), "{worksheet}");
    // A ticked option would give the answer away on the worksheet; the answer key shows it.
    assert!(!worksheet.contains('✓'), "{worksheet}");
    let answers = pdf_text(&out(&book, "test-guide-answers.pdf"));
    assert!(answers.contains('✓'), "{answers}");
    let flashcards = pdf_text(&out(&book, "test-guide-flashcards.pdf"));
    assert!(flashcards.contains("open task") && flashcards.contains("<b>bold</b>"), "{flashcards}");
}

/// Headings nested in lists or quotes were numbered as sections and listed in the EPUB's navigation
/// but not in the PDF, so every later section number differed between the two.
#[test]
fn nested_headings_are_numbered_alike_in_the_pdf_and_the_epub() {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\n## First section\n\n> # Quoted heading\n\n- ## Listed heading\n\n> [!NOTE]\n> ### Callout heading\n\n## Second section\n\nText.\n",
    );
    let report = revise::build(
        book.path(),
        &BuildOptions {
            formats: vec![revise::Format::named("pdf").unwrap(), revise::Format::named("epub").unwrap()],
            ..BuildOptions::default()
        },
    );
    assert!(!report.failed(), "{}", rendered(&report));
    let pdf = pdf_text(&book.pdf("test-guide"));
    assert!(pdf.contains("1.2 Second section"), "{pdf}");
    // The PDF's bookmarks, like the EPUB's navigation, hold the sections and no nested heading.
    let bookmarks = crate::pdf_features::bookmarks(&book.pdf("test-guide")).join("\n");
    assert!(bookmarks.contains("Second section") && !bookmarks.contains("heading"), "{bookmarks}");
    for nested in ["Quoted heading", "Listed heading", "Callout heading"] {
        assert!(pdf.contains(nested), "{pdf}");
    }
    let epub = &report.outputs[1];
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let chapter = read("OEBPS/chapter-1.xhtml");
    let nav = read("OEBPS/nav.xhtml");
    assert!(chapter.contains("<span class=\"secno\">1.2</span> Second section"), "{chapter}");
    for nested in ["Quoted heading", "Listed heading", "Callout heading"] {
        assert!(chapter.contains(&format!("<strong>{nested}</strong>")), "{chapter}");
        assert!(!nav.contains(nested), "{nav}");
    }
    assert!(nav.contains("1.2 Second section"), "{nav}");
}

/// An address holding `[` or `]` failed EPUBCheck (RSC-020); it is percent-encoded in the EPUB and
/// kept as written in the PDF's link.
#[test]
fn addresses_with_square_brackets_are_encoded_in_the_epub() {
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\nSee [the filter](https://example.com/?filter[year]=1953).\n");
    let report = revise::build(
        book.path(),
        &BuildOptions {
            formats: vec![revise::Format::named("pdf").unwrap(), revise::Format::named("epub").unwrap()],
            ..BuildOptions::default()
        },
    );
    assert!(!report.failed(), "{}", rendered(&report));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&report.outputs[1]).unwrap()).unwrap();
    let mut chapter = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("OEBPS/chapter-1.xhtml").unwrap(), &mut chapter).unwrap();
    assert!(chapter.contains("href=\"https://example.com/?filter%5Byear%5D=1953\""), "{chapter}");
    let (ok, json) =
        crate::support::tool("qpdf", &["--qdf", "--object-streams=disable", report.outputs[0].to_str().unwrap(), "-"]);
    assert!(ok);
    assert!(json.contains("https://example.com/?filter[year]=1953"), "the PDF's link is not the address as written");
}

/// HTML comments, an author's notes to self, were printed in students' copies.
#[test]
fn html_comments_appear_in_no_output() {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\n<!-- NOTEALPHA check -->\n\nStalin died in 1953 <!-- NOTEBETA --> in March.\n\n<div>kept <!-- NOTEGAMMA --> raw</div>\n\n\
         Purge\n: A removal <!-- NOTEDELTA -->of rivals.\n\nA purge.\n",
    );
    book.file(
        "questions.md",
        "# Questions\n\n## Why? <!-- NOTEEPSILON --> (2 marks)\n\n<!-- NOTEZETA -->\n\n### Model answer\n\nBecause. <!-- NOTEETA -->\n",
    );
    build_all(&book);
    let mut texts = Vec::new();
    for file in [
        "test-guide.pdf",
        "test-guide-teacher.pdf",
        "test-guide-worksheet.pdf",
        "test-guide-answers.pdf",
        "test-guide-flashcards.pdf",
    ] {
        texts.push((file.to_string(), pdf_text(&out(&book, file))));
    }
    texts.push(("tsv".into(), std::fs::read_to_string(out(&book, "test-guide-flashcards.tsv")).unwrap()));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(out(&book, "test-guide.epub")).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut text = String::new();
        if std::io::Read::read_to_string(&mut entry, &mut text).is_ok() {
            texts.push((entry.name().to_string(), text));
        }
    }
    for (file, text) in &texts {
        for note in ["NOTEALPHA", "NOTEBETA", "NOTEGAMMA", "NOTEDELTA", "NOTEEPSILON", "NOTEZETA", "NOTEETA"] {
            assert!(!text.contains(note), "{file} shows the comment {note:?}");
        }
    }
    let student = &texts[0].1;
    assert!(student.contains("Stalin died in 1953 in March."), "{student}");
    assert!(crate::support::squash(student).contains("divkeptrawdiv"), "{student}");
    // The question's marks are still read after the comment.
    assert!(texts[2].1.contains("[2 marks]"), "{}", texts[2].1);
}

/// A second level-1 heading written by underlining with `===` was reported as "a second `# `
/// heading", and the rule read as a fact.
#[test]
fn a_second_setext_title_is_reported_as_written() {
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\nText.\n\nAnother title\n=============\n\nMore.\n");
    let text = rendered(&book.check());
    assert!(text.contains("a chapter may have only one title"), "{text}");
    assert!(text.contains("a line underlined with `===` is a level-1 heading"), "{text}");
    assert!(text.contains("01-one.md:5:1"), "{text}");
}

/// A control character between a number and its full stop (`11<NUL>. Intro`) is dropped, and hid the
/// digit from the escaper, so typst read a numbered list item (found by fuzzing markdown_to_typst).
#[test]
fn a_dropped_control_character_does_not_hide_a_numbered_item() {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\n## 11\u{0}. Intro\n\n| 6\u{1b}. a | b |\n|---|---|\n| 7\u{7f}. c | d |\n",
    );
    assert_eq!(markup_structures(&book), Vec::<String>::new());
    build_all(&book);
    let text = pdf_text(&book.pdf("test-guide"));
    for phrase in ["11. Intro", "6. a", "7. c"] {
        assert!(text.contains(phrase), "{phrase:?}:\n{text}");
    }
}

#[test]
fn a_multiple_choice_option_is_indexed_like_the_rest_of_its_question() {
    // The sample's "Lazar Kaganovich" option on the questions page once had no index entry.
    let book = TestBook::minimal();
    book.file(
        "book.toml",
        &format!(
            "{}[index]\n\"Kaganovich, Lazar\" = [\"Lazar Kaganovich\", \"Kaganovich\"]\n",
            crate::support::MANIFEST
        ),
    );
    book.file(
        "questions.md",
        "# Questions\n\n## Who joined the Anti-Party Group? (1 mark)\n\n- [ ] Georgy Zhukov\n- [x] Lazar Kaganovich\n\n### Model answer\n\nHe did.\n",
    );
    let (_, derived) = revise::build::load(book.path()).model.unwrap();
    let entry = derived.index.entries.iter().find(|e| e.name.starts_with("Kaganovich")).expect("the entry");
    assert!(!entry.occurrences.is_empty(), "the option's mention is not indexed");
}

#[test]
fn a_link_whose_host_is_no_host_name_is_plain_text() {
    // `https://../` (from CommonMark's spec) made an EPUB that EPUBCheck rejects: "Invalid host".
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\nSee [the dots](https://../) and [the site](https://example.com/a).\n");
    let report = revise::build(
        book.path(),
        &BuildOptions { formats: vec![revise::Format::named("epub").unwrap()], ..BuildOptions::default() },
    );
    assert!(!report.failed(), "{}", rendered(&report));
    assert!(rendered(&report).contains("no valid host name"), "{}", rendered(&report));
    let files = crate::epub::text_files(&out(&book, "test-guide.epub"));
    let chapter = &files["OEBPS/chapter-1.xhtml"];
    assert!(!chapter.contains("https://.."), "{chapter}");
    assert!(chapter.contains("the dots") && chapter.contains("href=\"https://example.com/a\""), "{chapter}");
}
