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
        let end = ["</p>", "</li>", "</dt>", "</td>", ", <a epub:type=\"index-locator\""]
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
        let text = squash(&strip_tags(&visible));
        let start: String = text.chars().take(12).collect();
        assert!(!start.is_empty(), "no text follows page {label}'s marker in {file}");
        let page = printed.get(label).unwrap_or_else(|| panic!("the PDF has no page numbered {label}"));
        assert!(
            page.contains(&start),
            "page {label}: the text after the marker, {start:?}, is not on that printed page"
        );
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
