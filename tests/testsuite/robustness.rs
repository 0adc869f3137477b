//! Robustness for CI: the same bytes from any folder, safe output folders, and concurrent builds.

use std::path::Path;

use revise::BuildOptions;

use crate::support::{TestBook, rendered, tool};

/// Copies a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "out" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn two_folders_give_byte_identical_outputs() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (book_a, book_b) = (a.path().join("guide"), b.path().join("somewhere/else/entirely"));
    copy_tree(&sample, &book_a);
    copy_tree(&sample, &book_b);
    std::fs::write(book_b.join("chapters/figure.png"), crate::pdf_features::PNG).unwrap();
    std::fs::write(book_a.join("chapters/figure.png"), crate::pdf_features::PNG).unwrap();
    for book in [&book_a, &book_b] {
        let path = book.join("chapters/01-the-ussr-in-1953.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\n![A test figure](figure.png)\n")).unwrap();
    }
    let first = revise::build(&book_a, &BuildOptions::default());
    let second = revise::build(&book_b, &BuildOptions::default());
    assert!(!first.failed(), "{}", rendered(&first));
    assert!(!second.failed(), "{}", rendered(&second));
    assert_eq!(first.outputs.len(), 12);
    for (x, y) in first.outputs.iter().zip(&second.outputs) {
        assert_eq!(x.file_name(), y.file_name());
        assert!(std::fs::read(x).unwrap() == std::fs::read(y).unwrap(), "{} differs", x.display());
    }
}

#[test]
fn build_date_sets_the_dates_when_source_date_epoch_is_unset() {
    let book = TestBook::minimal();
    book.file("book.toml", &format!("{}\n[build]\ndate = 2025-09-01\n", crate::support::MANIFEST));
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let (ok, info) = tool("pdfinfo", &[book.pdf("test-guide").to_str().unwrap()]);
    assert!(ok && info.contains("CreationDate:    Mon Sep  1 00:00:00 2025"), "{info}");
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(book.path().join("out/test-guide.epub")).unwrap()).unwrap();
    let mut opf = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("OEBPS/content.opf").unwrap(), &mut opf).unwrap();
    assert!(opf.contains(">2025-09-01T00:00:00Z</meta>"), "{opf}");
    assert!(opf.contains("<dc:date>2025-09-01</dc:date>"), "{opf}");
}

#[test]
fn the_output_folder_may_not_be_a_source_folder() {
    let book = TestBook::minimal();
    for dir in ["chapters", "chapters/out", "templates", "."] {
        let options = BuildOptions { out_dir: Some(book.path().join(dir)), ..BuildOptions::default() };
        let report = revise::build(book.path(), &options);
        assert!(report.failed(), "building into {dir} must fail");
        assert!(rendered(&report).contains("the output folder is a source folder of the book"));
    }
    assert_eq!(std::fs::read_dir(book.path().join("chapters")).unwrap().count(), 1, "nothing was written");
}

#[test]
fn an_output_folder_that_cannot_be_made_is_named() {
    let book = TestBook::minimal();
    let blocker = book.path().join("not-a-folder");
    std::fs::write(&blocker, "a file").unwrap();
    let options = BuildOptions { out_dir: Some(blocker.join("out")), ..BuildOptions::default() };
    let report = revise::build(book.path(), &options);
    assert!(report.failed());
    let text = rendered(&report);
    assert!(text.contains("cannot create the output folder"), "{text}");
    assert!(text.contains("not-a-folder"), "{text}");
}

#[test]
fn two_builds_into_one_folder_at_once_leave_complete_files() {
    let book = TestBook::minimal();
    let path = book.path().to_path_buf();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || revise::build(&path, &BuildOptions::default()))
        })
        .collect();
    for handle in handles {
        let report = handle.join().unwrap();
        assert!(!report.failed(), "{}", rendered(&report));
    }
    let out = book.path().join("out");
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "temporary files were left: {names:?}");
    let (ok, text) = tool("qpdf", &["--check", out.join("test-guide.pdf").to_str().unwrap()]);
    assert!(ok, "{text}");
    let epub = std::fs::File::open(out.join("test-guide.epub")).unwrap();
    assert!(zip::ZipArchive::new(epub).is_ok());
}

/// Builds a one-chapter book of `markdown` as a PDF and an EPUB, and returns the report.
fn build_chapter(markdown: &str) -> revise::Report {
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", markdown);
    let options = BuildOptions {
        formats: vec![revise::Format::named("pdf").unwrap(), revise::Format::named("epub").unwrap()],
        ..BuildOptions::default()
    };
    revise::build(book.path(), &options)
}

#[test]
fn a_chapter_of_a_million_words_builds() {
    let words = ["Stalin", "the", "party", "of", "power", "and", "plan", "committee", "soviet", "a"];
    let mut text = String::from("# Words\n\n");
    for p in 0..10_000 {
        for w in 0..100 {
            text.push_str(words[(p * 7 + w * 3) % words.len()]);
            text.push(' ');
        }
        text.push_str(".\n\n");
    }
    let report = build_chapter(&text);
    assert!(!report.failed(), "{}", rendered(&report));
}

#[test]
fn five_thousand_headings_build() {
    let mut text = String::from("# Headings\n\n");
    for i in 0..5_000 {
        text.push_str(&format!("## Heading {i}\n\nText {i}.\n\n"));
    }
    let report = build_chapter(&text);
    assert!(!report.failed(), "{}", rendered(&report));
}

#[test]
fn a_table_of_ten_thousand_rows_builds() {
    let mut text = String::from("# Table\n\n| a | b |\n|---|---|\n");
    for i in 0..10_000 {
        text.push_str(&format!("| row {i} | {} |\n", i * i));
    }
    let report = build_chapter(&text);
    assert!(!report.failed(), "{}", rendered(&report));
}

#[test]
fn nesting_four_hundred_deep_is_a_clear_error_not_a_crash() {
    let mut text = String::from("# Deep\n\n");
    for i in 1..=400 {
        text.push_str(&format!("{}level {i}\n", "> ".repeat(i)));
    }
    text.push('\n');
    for i in 0..400 {
        text.push_str(&format!("{}- item {i}\n", "  ".repeat(i)));
    }
    let report = build_chapter(&text);
    assert!(report.failed());
    let text = rendered(&report);
    assert!(text.contains("content is nested more than 64 levels deep"), "{text}");
    assert!(text.contains("chapters/01-one.md:"), "{text}");
}
