//! The EPUB's page list: built with the student PDF, each printed page's marker stands before text
//! that begins on that page in print.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use revise::{BuildOptions, Format};

use crate::support::{pdf_pages, rendered, squash};

#[path = "../../benches/support/generate.rs"]
#[allow(dead_code)]
mod generate;

/// Builds a book's student PDF and EPUB into `out` and returns their paths.
fn build(root: &Path, out: &Path) -> (PathBuf, PathBuf) {
    let options = BuildOptions {
        out_dir: Some(out.to_path_buf()),
        formats: vec![Format::named("pdf").unwrap(), Format::named("epub").unwrap()],
        ..BuildOptions::default()
    };
    let report = revise::build(root, &options);
    assert!(!report.failed(), "{}", rendered(&report));
    let find = |ext: &str| report.outputs.iter().find(|p| p.extension().is_some_and(|e| e == ext)).unwrap().clone();
    (find("pdf"), find("epub"))
}

/// The EPUB's XHTML files by name.
fn xhtml_files(epub: &Path) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().trim_start_matches("OEBPS/").to_string();
        if name.ends_with(".xhtml") {
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            files.insert(name, text);
        }
    }
    files
}

/// Removes the tags from XHTML, keeping the text.
fn strip_tags(xhtml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xhtml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Checks every entry of the EPUB's page list against the PDF, and that the list runs without a gap
/// to the last printed page; returns the first page listed (the contents before it have no marks).
fn check_page_list(pdf: &Path, epub: &Path) -> usize {
    let files = xhtml_files(epub);
    let nav = &files["nav.xhtml"];
    let list = nav.split("epub:type=\"page-list\"").nth(1).expect("the navigation has a page list");
    let list = &list[..list.find("</nav>").unwrap()];
    // The PDF's pages by their printed number, the last line of each (the footer).
    let pages = pdf_pages(pdf);
    let mut printed: BTreeMap<String, String> = BTreeMap::new();
    for page in &pages {
        if let Some(number) = page.lines().rev().map(str::trim).find(|l| !l.is_empty())
            && number.chars().all(|c| c.is_ascii_digit())
        {
            printed.insert(number.to_string(), squash(page));
        }
    }
    let mut listed = Vec::new();
    // The previous marker: its page and the text after it, for a page that shares its place.
    let mut previous: Option<(String, String)> = None;
    for item in list.split("<li><a href=\"").skip(1) {
        let (href, rest) = item.split_once('"').unwrap();
        let label = &rest[1..rest.find("</a>").unwrap()];
        let (file, id) = href.split_once('#').unwrap();
        let number: usize = label.parse().expect("a printed page number");
        listed.push(number);
        // The text from the marker to the end of its paragraph.
        let xhtml = &files[file];
        let at = xhtml.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{file} has no {id}"));
        let after = &xhtml[at..];
        let after = &after[after.find("</span>").unwrap() + "</span>".len()..];
        // The text of the marked element: a paragraph, item, term or cell; an index entry's name
        // without its locators, which the EPUB gives as sections and the PDF as pages.
        // A page that begins inside the place before it (a paragraph runs onto it) shares that
        // place: its marker stands right after the previous page's.
        let span_start = xhtml[..at].rfind("<span").unwrap();
        let before = &xhtml[..span_start];
        let shared = before.ends_with("</span>")
            && before[..before.len() - "</span>".len()]
                .rfind("<span")
                .is_some_and(|i| before[i..].starts_with("<span epub:type=\"pagebreak\""));
        let after = if after.starts_with("<span epub:type=\"pagebreak\"") {
            let mut rest = after;
            while rest.starts_with("<span epub:type=\"pagebreak\"") {
                rest = &rest[rest.find("</span>").unwrap() + "</span>".len()..];
            }
            rest
        } else {
            after
        };
        let end = [
            "</p>",
            "</li>",
            "</dt>",
            "</td>",
            "</h1>",
            "</h2>",
            "</h3>",
            "</h4>",
            "</h5>",
            "</h6>",
            ", <a epub:type=\"index-locator\"",
        ]
        .iter()
        .filter_map(|close| after.find(close))
        .min()
        .unwrap_or(after.len());
        // A gap's label is for screen readers; the page shows a blank line.
        let mut parts = after[..end].split("<span class=\"gap-label\">");
        let mut visible = parts.next().unwrap_or_default().to_string();
        for part in parts {
            visible.push_str(part.split_once("</span>").map_or(part, |(_, rest)| rest));
        }
        // A note's number differs (the PDF counts notes through the book, the EPUB per document).
        while let Some(at) = visible.find("<a class=\"noteref\"") {
            let end = visible[at..].find("</a>").map_or(visible.len(), |e| at + e + "</a>".len());
            visible.replace_range(at..end, "");
        }
        let text = squash(&strip_tags(&visible));
        let start: String = text.chars().take(12).collect();
        assert!(!start.is_empty(), "no text follows page {label}'s marker in {file}");
        let page = printed.get(label).unwrap_or_else(|| panic!("the PDF has no page numbered {label}"));
        if page.contains(&start) {
            previous = Some((label.to_string(), start));
        } else {
            // A page on which no place begins: its marker shares the place of the page before,
            // standing right after that page's marker, and that place begins on that page.
            let began_before = previous.as_ref().is_some_and(|(before, start_before)| {
                printed.get(before).is_some_and(|p| p.contains(start_before.as_str()))
            });
            assert!(
                shared && began_before,
                "page {label}: the text after the marker, {start:?}, is not on that printed page"
            );
        }
    }
    // Every page from the first listed to the last printed, in order, each once.
    let last: usize = printed.keys().filter_map(|k| k.parse().ok()).max().expect("numbered pages");
    let first = *listed.first().expect("the page list has pages");
    assert_eq!(listed, (first..=last).collect::<Vec<_>>(), "the page list has gaps or runs out of order");
    first
}

#[test]
fn each_page_of_the_sample_begins_where_its_marker_stands() {
    // The shared build of the sample makes every output, the student PDF and the EPUB among them.
    let sample = crate::fixtures::sample();
    let (pdf, epub) = (sample.output("stalin.pdf"), sample.output(".epub"));
    // Page 1 is the contents.
    assert_eq!(check_page_list(pdf, epub), 2);
}

#[test]
fn each_page_of_a_fifty_chapter_guide_begins_where_its_marker_stands() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("guide");
    generate::generate(&Path::new(env!("CARGO_MANIFEST_DIR")).join("book"), &root, 50).unwrap();
    let (pdf, epub) = build(&root, &dir.path().join("out"));
    // The contents run to some pages; every page after them is listed.
    let first = check_page_list(&pdf, &epub);
    assert!(first < 30, "the page list starts at page {first}");
}

#[test]
fn an_epub_built_alone_has_no_page_list_and_claims_none() {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        out_dir: Some(out.path().to_path_buf()),
        formats: vec![Format::named("epub").unwrap()],
        ..BuildOptions::default()
    };
    let report = revise::build(&Path::new(env!("CARGO_MANIFEST_DIR")).join("book"), &options);
    assert!(!report.failed(), "{}", rendered(&report));
    let files = xhtml_files(&report.outputs[0]);
    assert!(!files["nav.xhtml"].contains("page-list"));
    assert!(files.values().all(|x| !x.contains("pagebreak")));
    let mut opf = String::new();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&report.outputs[0]).unwrap()).unwrap();
    archive.by_name("OEBPS/content.opf").unwrap().read_to_string(&mut opf).unwrap();
    assert!(!opf.contains("pageBreak") && !opf.contains("pageNavigation"), "{opf}");
}

#[test]
fn notes_on_headings_and_headings_in_boxes_do_not_shift_the_pages() {
    // A note's text is set where it is first referenced in print and at the end of its document in
    // the EPUB; on a heading, or on a heading in a box, it once took a place in print only, and
    // every page after it pointed one place too late.
    let book = crate::support::TestBook::minimal();
    let paragraph = "The Presidium met in the Kremlin to settle who would lead, and the talks went on for \
                     many hours while the ministers argued over the security police and the harvest. ";
    let mut chapter = String::from("# One\n\n## Causes[^a]\n\n");
    for n in 0..40 {
        chapter.push_str(&format!("Paragraph {n}. {}\n\n", paragraph.repeat(2)));
        if n % 10 == 5 {
            chapter.push_str(&format!(
                "> [!NOTE]\n> ### Remember {n}[^n{n}]\n> - one\n> - two\n\n## Section {n}[^s{n}]\n\n\
                 | A | B |\n|---|---|\n| row {n} | b |\n\n[^n{n}]: A note in a box.\n\n[^s{n}]: A note on a heading.\n\n"
            ));
        }
    }
    chapter.push_str("[^a]: A note on the first heading.\n");
    book.file("chapters/01-one.md", &chapter);
    let out = tempfile::tempdir().unwrap();
    let (pdf, epub) = build(book.path(), out.path());
    let first = check_page_list(&pdf, &epub);
    assert!(first <= 2, "the page list starts at page {first}");
}

#[test]
fn every_printed_page_has_one_entry_whatever_it_begins_with() {
    // Pages that begin with a heading and nothing marked under it (questions with no text below
    // their headings, on a page of their own), a chapter whose headings start with numbers and whose
    // first block is a table, and a paragraph long enough to fill a page and run onto the next.
    let book = crate::support::TestBook::minimal();
    let long = "The reforms of the Khrushchev years reached every part of Soviet life. ".repeat(90);
    book.file(
        "chapters/01-one.md",
        &format!("# 1. Introduction\n\n## 1.1 Dates\n\n| Year | Event |\n|---|---|\n| 1953 | Stalin dies |\n| 1956 | Secret Speech |\n\n{long}\n\nAfter the long paragraph.\n"),
    );
    let questions: String = (1..=40)
        .map(|n| format!("## Explain cause {n} of the thaw. (4 marks)\n\n### Model answer\n\nCause {n}.\n\n"))
        .collect();
    book.file("questions.md", &format!("# Practice questions\n\n{questions}"));
    let out = tempfile::tempdir().unwrap();
    let (pdf, epub) = build(book.path(), out.path());
    let first = check_page_list(&pdf, &epub);
    // The list starts on the chapter's first page, after the contents.
    let opening =
        pdf_pages(&pdf).into_iter().find(|page| page.contains("CHAPTER 1")).expect("the chapter's first page");
    let number = opening.lines().rev().map(str::trim).find(|l| !l.is_empty()).unwrap().to_string();
    assert_eq!(first.to_string(), number, "the page list starts at page {first}");
    // The chapter's first page is marked before its heading, not further down in the table.
    let chapter = &xhtml_files(&epub)["chapter-1.xhtml"];
    let marker = chapter.find("epub:type=\"pagebreak\"").expect("a page marker in the chapter");
    assert!(marker < chapter.find("<h1").unwrap(), "the chapter's first marker is after its heading");
    // The long paragraph's second page shares its place: two markers side by side.
    assert!(chapter.contains("</span><span epub:type=\"pagebreak\""), "no page begins inside the long paragraph");
}
