//! Snapshots of what the writers generate: each PDF edition's typst body, each EPUB document's
//! XHTML, the package document and the navigation, for the sample guide and for a book with every
//! construct. A change to any output shows as a diff to review (`cargo insta review`, or set
//! `INSTA_UPDATE=always` and read `git diff`); CI fails on any snapshot that does not match.

use std::io::Read;
use std::path::Path;

use revise::render::pdf::{self, Edition};

use crate::support::TestBook;

/// A small book that holds every construct the model has, in every part of a guide.
pub fn every_construct_book() -> TestBook {
    let book = TestBook::minimal();
    book.bytes("images/dot.png", crate::pdf_features::PNG);
    book.file(
        "book.toml",
        "[book]\ntitle = \"Every Construct\"\nsubtitle = \"A test\"\nauthors = [\"A. Tester\"]\nlanguage = \"en-GB\"\n\
         subject = \"History\"\n[index]\n\"Beria, Lavrentiy\" = [\"Beria\"]\n",
    );
    book.file(
        "chapters/01-one.md",
        "# One\n\nIntro *emph* **strong** ~~strike~~ `code` [link](https://example.com/?f[y]=1) and a note.[^a]\n\n\
         ## 1. Section\n\n### Sub\n\n- item\n- [x] task\n\n1. one\n2. two\n\n> quote\n>\n> ## Nested\n\n\
         > [!TIP]\n> A tip.\n\n| A | B |\n|:-:|--:|\n| 6. a | b |\n\n![A dot](../images/dot.png)\n\n\
         Inline ![dot](../images/dot.png) image.\n\n```rust\nfn main() {}\n```\n\n<div>raw</div>\n\n<!-- comment -->\n\n\
         ---\n\nPurge\n: A removal.\n\n  - with a list\n\nBeria and a purge.\\\nAfter a line break.\n\n[^a]: The note.\n",
    );
    book.file("chapters/02-two.md", "# Two\n\nBeria again.\n");
    book.file("faq.md", "# FAQ\n\nAn introduction.\n\n## Why?\n\nBecause.\n");
    book.file(
        "questions.md",
        "# Questions\n\nAnswer all.\n\n## 1. Why? (2 marks)\n\n- [ ] a\n- [x] b\n\n### Model answer\n\nBecause.\n\n\
         ## How?\n\nThink.\n\n### Model answer\n\nSo.\n",
    );
    book.file("glossary.md", "Zhukov\n: A marshal.\n");
    book
}

/// Snapshots everything the writers generate for the book in `root`, named after `name`.
fn snapshot_book(name: &str, root: &Path) {
    let loaded = revise::build::load(root);
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics.render_plain(&loaded.sources));
    let (book, derived) = loaded.model.unwrap();
    for edition in Edition::ALL {
        let body = pdf::body(&book, &derived, edition);
        // The guide's contents are written with its headings; the other editions have none.
        let contents =
            if body.contents == "()" { String::new() } else { format!("// contents: {}\n\n", body.contents) };
        insta::assert_snapshot!(format!("{name}-{}-body.typ", edition.name()), format!("{contents}{}", body.text));
    }
    for doc in revise::render::html::documents(&book, &derived, &revise::render::epub::EPUB_LINKS, None) {
        insta::assert_snapshot!(format!("{name}-{}", doc.file), doc.body);
    }
    // The EPUB alone, as a build makes it, which has no page list.
    let out = tempfile::tempdir().unwrap();
    let options = revise::BuildOptions {
        out_dir: Some(out.path().to_path_buf()),
        formats: vec![revise::Format::named("epub").unwrap()],
        ..Default::default()
    };
    let report = revise::build(root, &options);
    assert!(!report.failed(), "{}", crate::support::rendered(&report));
    let bytes = std::fs::read(&report.outputs[0]).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for file in ["content.opf", "nav.xhtml"] {
        let mut text = String::new();
        archive.by_name(&format!("OEBPS/{file}")).unwrap().read_to_string(&mut text).unwrap();
        insta::assert_snapshot!(format!("{name}-{file}"), text);
    }
}

#[test]
fn the_sample_guide_generates_what_it_did() {
    snapshot_book("sample", &Path::new(env!("CARGO_MANIFEST_DIR")).join("book"));
}

#[test]
fn a_book_with_every_construct_generates_what_it_did() {
    let book = every_construct_book();
    snapshot_book("every-construct", book.path());
}
