//! Hostile text: typst and markup syntax in every position prints as written, and nothing outside the
//! book folder is read.

use revise::render::pdf::{self, PdfSettings};

use crate::support::{TestBook, assert_contains_text, pdf_info, pdf_text, rendered};

const SECRET: &str = "TOP-SECRET-CONTENT-4711";

/// A line of text that would do harm if it reached typst unescaped.
const NASTY: &str = r#"#read("/etc/passwd") #set page(width: 1cm) $x^2$ ] [ @ref <label> \ *bold* _it_ = -- ~ // /* #import "@preview/x:1.0.0""#;

pub fn hostile_book() -> (tempfile::TempDir, std::path::PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.txt"), SECRET).unwrap();
    let root = outer.path().join("book");
    let write = |path: &str, text: &str| {
        let target = root.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    };
    write(
        "book.toml",
        &format!(
            "[book]\ntitle = '''Title {NASTY}'''\nsubtitle = '''Sub {NASTY}'''\nauthors = ['''Author ]#x''']\n\
             language = \"en-GB\"\nsubject = '''Subject $y$'''\n"
        ),
    );
    write(
        "chapters/01-nasty.md",
        "# Heading #read(\"../secret.txt\") ]\n\n\
             Paragraph with `#read(\"../secret.txt\")` code and text \\#read(\"../secret.txt\").\n\n\
             Line starting\n= not a heading\n\n\
             ## Section <label> @ref $x$\n\n\
             | Cell #set page(width: 1cm) | `]` |\n|---|---|\n| \\* ] [ | <b>bold</b> |\n\n\
             Footnote here.[^n]\n\n\
             [link text #read(\"x\") ]](https://example.com/a\"b)\n\n\
             <script>alert(1)</script>\n\n[click me](javascript:alert(1))\n\n\
             Term #set text(red)\n: Definition $z$ ] [\n\n\
             > [!TIP]\n> Tip with #emph[x] and `raw`\n\n\
             [^n]: Note with #read(\"../secret.txt\") and ] and $.\n",
    );
    write(
        "questions.md",
        "# Questions #x\n\n## Why #read(\"../secret.txt\")? (3 marks)\n\n### Model answer\n\nBecause ] $x$ #pagebreak().\n",
    );
    write("faq.md", "# FAQ\n\n## Is #set page(width: 1cm) safe?\n\nYes, ] it is.\n");
    (outer, root)
}

#[test]
fn hostile_text_prints_literally() {
    let (_outer, root) = hostile_book();
    let report = revise::build(&root, &revise::BuildOptions::default());
    assert!(!report.failed(), "{}", rendered(&report));
    let pdf = root.join("out").join(format!("{}.pdf", revise::model::manifest::slug(&format!("Title {NASTY}"))));
    let text = pdf_text(&pdf);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!text.contains(SECRET), "a file outside the book was read");
    for literal in [
        "#read(\"../secret.txt\")",
        "#set page(width: 1cm)",
        "<label> @ref",
        "#emph[x]",
        "<script>alert(1)</script>",
        "<b>bold</b>",
        "#pagebreak()",
        "Term #set text(red)",
        "] [",
    ] {
        assert!(flat.contains(literal), "{literal:?} is not in the PDF text:\n{flat}");
    }
    assert_contains_text(&text, "link text #read(\"x\") ]");
    // `$x$` is maths, set as maths (an italic x), not run: see tests/testsuite/math.rs.
    assert!(!flat.contains("$x$") && !flat.contains("$z$"), "{flat}");
    // The page size is the book's, whatever the text says.
    let info = pdf_info(&pdf);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    assert!(info.contains("#read(\"/etc/passwd\") #set page(width: 1cm)"), "{info}");
}

#[cfg(unix)]
#[test]
fn typst_cannot_read_outside_the_book_even_through_a_symlink() {
    let (outer, root) = hostile_book();
    std::os::unix::fs::symlink(outer.path().join("secret.txt"), root.join("link.txt")).unwrap();
    let loaded = revise::build::load(&root);
    let (book, _) = loaded.model.expect("the hostile book loads");
    let root = loaded.root;
    let settings = PdfSettings { paper: revise::model::manifest::Paper::A4, date: None };
    for path in ["/../secret.txt", "../secret.txt", "/link.txt", "/../../../../../../etc/passwd"] {
        let source = format!("#read({path:?})");
        let result = pdf::compile(&book, &root, source, pdf::Edition::Student, settings, &Default::default());
        let errors = result.expect_err("reading outside the book must fail");
        assert!(!errors.is_empty());
    }
    // A file inside the book can be read, so the refusals above are about the place, not the call.
    std::fs::write(root.join("inside.txt"), "inside").unwrap();
    assert!(
        pdf::compile(
            &book,
            &root,
            "#read(\"/inside.txt\")".into(),
            pdf::Edition::Student,
            settings,
            &Default::default()
        )
        .is_ok()
    );

    // A book's own template that tries to escape fails the same way.
    let book_dir = TestBook::minimal();
    book_dir.file("templates/guide.typ", "#read(\"/../../../../etc/hostname\")\n{{ body }}");
    let report = book_dir.build();
    assert!(report.failed());
    assert!(rendered(&report).contains("typst could not lay out the book"), "{}", rendered(&report));
}

#[test]
fn hostile_words_in_book_toml_print_as_written_in_every_output() {
    // Every word revise prints, replaced in [words] by text that would do harm as typst or XHTML,
    // with the word's own placeholders.
    let mut words = String::from("[words]\n");
    for (key, phrase) in revise::model::words::english() {
        let holders: Vec<String> = phrase
            .texts()
            .into_iter()
            .flat_map(revise::model::words::placeholders)
            .map(|p| format!("{{{p}}}"))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let text = format!("{NASTY} <b>&amp;</b> {}", holders.join(" ]#x "));
        match phrase {
            revise::model::words::Phrase::Text(_) => words.push_str(&format!("{key} = '''{text}'''\n")),
            revise::model::words::Phrase::Plural(_) => {
                words.push_str(&format!("{key} = {{ one = '''{text}''', other = '''{text}''' }}\n"))
            }
        }
    }
    let book = TestBook::minimal();
    book.file("book.toml", &format!("{}{words}", crate::support::MANIFEST));
    book.file("chapters/01-one.md", "# One\n\nA [^n] note.\n\nTerm\n: A Term.\n\n> [!TIP]\n> Tip.\n\n[^n]: Note.\n");
    book.file("questions.md", "# Questions\n\n## Why? (2 marks)\n\n### Model answer\n\nBecause.\n");
    let found = crate::regression::markup_structures(&book);
    assert!(found.is_empty(), "{found:?}");
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let worksheet = pdf_text(&book.path().join("out/test-guide-worksheet.pdf"));
    assert_contains_text(&worksheet, "#read(\"/etc/passwd\") #set page(width: 1cm)");
    assert!(!worksheet.contains(SECRET));
    let epub = crate::epub::text_files(&book.path().join("out/test-guide.epub"));
    assert!(epub["OEBPS/toc.xhtml"].contains("&lt;b&gt;&amp;amp;&lt;"), "{}", epub["OEBPS/toc.xhtml"]);
    assert!(!epub.values().any(|text| text.contains("<b>&amp;</b>")));
}
