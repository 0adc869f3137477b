//! Property tests: books made of arbitrary Markdown constructs and awkward characters always give
//! every output (all five PDF editions, the EPUB and the TSV) or diagnostics that name a source
//! file, never a panic, never a typst error in generated code, and never malformed XHTML.

use std::io::Read;

use proptest::prelude::*;
use revise::{BuildOptions, Format};

use crate::support::{TestBook, rendered};

/// Characters that mean something to typst, XML or Markdown, control and layout characters, and
/// letters of several scripts.
fn awkward_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "#",
        "$",
        "*",
        "_",
        "`",
        "<",
        ">",
        "@",
        "[",
        "]",
        "=",
        "-",
        "+",
        "/",
        "~",
        "\\",
        "\"",
        "'",
        "&",
        ";",
        "{",
        "}",
        "(",
        ")",
        ":",
        ".",
        "...",
        "--",
        "//",
        "/*",
        "<!--",
        "]]>",
        "&amp;",
        "#read(\"/etc/passwd\")",
        "#set page(width: 1cm)",
        "<script>",
        "\u{0}",
        "\u{1}",
        "\u{7}",
        "\u{b}",
        "\u{c}",
        "\u{1b}",
        "\u{7f}",
        "\u{85}",
        "\u{200b}",
        "\u{200d}",
        "\u{202e}",
        "\u{2066}",
        "\u{feff}",
        "\u{fffe}",
        "\u{ffff}",
        "Ω",
        "Жуков",
        "Берия",
        "日本語",
        "한국어",
        "עברית",
        "العربية",
        "हिन्दी",
        "🙂",
        "e\u{301}",
        " ",
        "\t",
        "word",
        "Beria",
        "Purge",
        "purges",
        "1953",
        "1. ",
        "007. ",
        "1990.",
        "6) ",
        "<!-- note -->",
        "$x^2$",
        "$\\frac{a}{b}$",
        "$$\\sqrt{x}$$",
        "$\\ce{H2O -> 2H+ + O^2-}$",
        "$\\text{#read(\"/etc/passwd\")}$",
        "$\\left(",
        "\\right)$",
        "\\begin{cases}",
        "$\\foo$",
        "<b>",
        "[year]",
        "\u{2028}",
        "\u{2029}",
    ]);
    prop::collection::vec(pieces, 0..12).prop_map(|parts| parts.concat())
}

/// One block of Markdown built around some awkward text.
fn block() -> impl Strategy<Value = String> {
    (0..25usize, awkward_text(), awkward_text()).prop_map(|(kind, a, b)| match kind {
        0 => format!("{a} {b}\n"),
        1 => format!("## {a}\n"),
        2 => format!("### {a}\n"),
        3 => format!("- {a}\n- [ ] {b}\n  - {a}\n"),
        4 => format!("1. {a}\n2. {b}\n"),
        5 => format!("> {a}\n> > {b}\n"),
        6 => format!("> [!TIP]\n> {a}\n"),
        7 => format!("> [!WARNING] {a}\n> {b}\n"),
        8 => format!("| {a} | {b} |\n|---|:-:|\n| {b} | {a} |\n| x |\n"),
        9 => format!("```{a}\n{b}\n```\n"),
        10 => format!("Term {a}x\n: {b}\n"),
        11 => format!("Note{}.[^n{}]\n\n[^n{}]: {b}\n", a, a.len(), a.len()),
        12 => format!("[{a}](https://example.com/{b}) and `{a}` and *{b}* and **{a}** and ~~{b}~~\n"),
        13 => format!("<div>{a}</div>\n\n<b>{b}</b>\n"),
        14 => format!("[{a}](javascript:{b}) <{a}> {b}\\\n{a}\n"),
        15 => format!("Term {a}y\n: {a}\n\n  {b}\n\n  - {a}\n  - [x] {b}\n\n  ```\n  {b}\n  ```\n"),
        16 => format!("Term {b}z\n: {a} ![{b}](../images/dot.png) <b>{a}</b>\n"),
        17 => format!("- # {a}\n\n> ## {b}\n\n> [!NOTE]\n> ### {a}\n"),
        18 => format!("<!-- {a} -->\n\n{b} <!-- {a} --> {b}\n"),
        19 => format!("[{a}](https://example.com/?f[{b}]=1)\n"),
        20 => format!("1. {a}\n\n| 6. {b} | {a} |\n|---|---|\n| 1990. {a} | x |\n"),
        21 => format!("Title {a}\n===\n"),
        22 => format!("**1. {a}** *2. {b}* [3. {a}](https://example.com)\n"),
        23 => format!("```math\n{a}\n```\n\nText $x{b}$ and $$y{a}$$\n"),
        _ => format!("---\n\n{a}\n"),
    })
}

fn chapter() -> impl Strategy<Value = String> {
    (awkward_text(), prop::collection::vec(block(), 0..8))
        .prop_map(|(title, blocks)| format!("# Title {title}\n\n{}", blocks.join("\n")))
}

/// Checks that every XHTML document of an EPUB parses as XML.
fn assert_well_formed(epub: &std::path::Path) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_string();
        if !(name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx")) {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let mut reader = quick_xml::Reader::from_str(&text);
        reader.config_mut().check_end_names = true;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(err) => panic!("{name} is not well-formed at {}: {err}\n{text}", reader.buffer_position()),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_book_gives_outputs_or_diagnostics_naming_a_file(
        title in awkward_text(),
        chapters in prop::collection::vec(chapter(), 1..3),
        faq in prop::option::of(awkward_text()),
        question in prop::option::of((awkward_text(), awkward_text(), block())),
        // The book's language, which chooses the words revise prints, their plurals, the direction
        // and how the index finds words.
        language in prop::sample::select(vec!["en", "de-AT", "pl", "zh-TW", "ja", "ar", "he", "hi", "th"]),
    ) {
        let book = TestBook::empty();
        book.file("book.toml", &format!("[book]\ntitle = {:?}\nlanguage = {language:?}\n", format!("T{title}")));
        for (i, text) in chapters.iter().enumerate() {
            book.file(&format!("chapters/{i:02}.md"), text);
        }
        if let Some(q) = &faq {
            book.file("faq.md", &format!("# FAQ\n\n## {q}?\n\n{q}\n"));
        }
        if let Some((q, a, prompt)) = &question {
            book.file(
                "questions.md",
                &format!(
                    "# Q\n\n## {q} (3 marks)\n\n{prompt}\n### Model answer\n\n{a}\n\n## 1. {a}\n\n- [ ] {q}\n- [x] {a}\n\n\
                     ## Gap [[{q}]]\n\nFill [[{a}|{q}]] in.\n"
                ),
            );
        }
        book.bytes("images/dot.png", crate::pdf_features::PNG);
        let options = BuildOptions { formats: Format::all(), ..BuildOptions::default() };
        let report = revise::build(book.path(), &options);
        let text = rendered(&report);
        prop_assert!(!text.contains("typst could not lay out"), "a typst error in generated code:\n{}", text);
        if report.failed() {
            for d in report.diagnostics.iter() {
                prop_assert!(d.file_name(&report.sources).is_some(), "a diagnostic names no file: {:?}", d);
            }
        } else {
            // Every edition the book has anything for: the student and teacher PDFs, the EPUB and
            // its Kindle and Kobo editions always; the worksheet, answer key and Moodle bank with questions; the flashcards PDF
            // with key terms or gaps, the terms' TSV with key terms, the cloze TSV with gaps.
            let names: Vec<String> =
                report.outputs.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
            let (model, derived) = revise::build::load(book.path()).model.unwrap();
            let terms = !derived.glossary.entries.is_empty();
            let gaps = model.questions().any(|q| !q.gaps().is_empty());
            let deck = revise::render::anki::has_notes(&model, &derived);
            // The student and teacher PDFs, the EPUB and its Kindle and Kobo editions always.
            let expected = 5
                + if question.is_some() { 3 } else { 0 }
                + usize::from(terms || gaps)
                + usize::from(terms)
                + usize::from(gaps)
                + usize::from(deck);
            prop_assert_eq!(names.len(), expected, "{:?}", names);
            for epub in report.outputs.iter().filter(|p| p.extension().is_some_and(|e| e == "epub")) {
                assert_well_formed(epub);
            }
        }
    }
}
