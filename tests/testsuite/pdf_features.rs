//! What the PDF shows: figures, callouts, language-aware quotes, running headers, bookmarks, and
//! question links that point at the right pages.

use std::path::Path;

use crate::support::{TestBook, pdf_pages, pdf_text, rendered, tool};

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 31, 21, 196,
    137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2, 135, 1, 128, 235, 71, 186, 146, 0, 0,
    0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// Returns the titles of the PDF's bookmarks, depth first, indented two spaces a level.
pub fn bookmarks(pdf: &Path) -> Vec<String> {
    let (ok, json) = tool("qpdf", &["--json", "--json-key=outlines", pdf.to_str().unwrap()]);
    assert!(ok, "{json}");
    // The titles are the only "title" keys in the outline JSON.
    json.lines()
        .filter_map(|line| line.trim().strip_prefix("\"title\": \""))
        .map(|rest| rest.trim_end_matches(',').trim_end_matches('"').to_string())
        .collect()
}

#[test]
fn figures_callouts_and_tasks_are_shown() {
    let book = TestBook::minimal();
    book.bytes("images/dot.png", PNG);
    book.file(
        "chapters/01-one.md",
        "# One\n\nText.\n\n![A map of the Soviet Union](../images/dot.png)\n\n\
         > [!TIP]\n> Plan first.\n\n> [!WARNING] Mind the dates\n> 1953, not 1956.\n\n\
         - [x] Done item\n- [ ] Open item\n\n~~struck~~ and <b>raw</b>\n",
    );
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = pdf_text(&book.pdf("test-guide"));
    assert!(text.contains("Figure 1: A map of the Soviet Union"), "{text}");
    assert!(text.contains("EXAM TIP"), "{text}");
    assert!(text.contains("MIND THE DATES"), "{text}");
    assert!(text.contains("Done item") && text.contains("Open item"), "{text}");
    assert!(text.contains("<b>raw</b>"), "{text}");
}

#[test]
fn quotation_marks_follow_the_language() {
    let book = TestBook::minimal();
    book.file("book.toml", "[book]\ntitle = \"Leitfaden\"\nlanguage = \"de-DE\"\n");
    book.file("chapters/01-one.md", "# Eins\n\nEr sagte \"Hallo\" und ging.\n");
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = pdf_text(&book.pdf("leitfaden"));
    assert!(text.contains("„Hallo“"), "{text}");

    book.file("book.toml", "[book]\ntitle = \"Guide\"\nlanguage = \"en-GB\"\n");
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    assert!(pdf_text(&book.pdf("guide")).contains("“Hallo”"));
}

#[test]
fn headers_bookmarks_and_answer_links_point_at_the_right_pages() {
    let book = TestBook::minimal();
    let long = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(60);
    book.file("chapters/01-one.md", &format!("# First Chapter\n\n{long}\n\n## Part A\n\n{long}\n"));
    book.file("chapters/02-two.md", &format!("# Second Chapter\n\n{long}\n"));
    book.file(
        "questions.md",
        &format!(
            "# Questions\n\n## Why? (3 marks)\n\n### Model answer\n\nBecause {long}\n\n\
             ## How? (1 mark)\n\n### Model answer\n\nLike this.\n"
        ),
    );
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let pdf = book.pdf("test-guide");
    let pages = pdf_pages(&pdf);

    // Page numbers start at 1 on the contents page, the second page of the file; `find` looks after it.
    let page = |number: usize| &pages[number];
    let find = |needle: &str| -> usize {
        (2..pages.len()).find(|&n| pages[n].contains(needle)).unwrap_or_else(|| panic!("{needle:?} not found"))
    };

    // A chapter's later pages carry its title in the header; its first page does not.
    let first = find("CHAPTER 1");
    assert!(page(first).contains("First Chapter"));
    assert!(!page(first).starts_with("Chapter 1"), "{}", page(first));
    assert!(page(first + 1).starts_with("Chapter 1 First Chapter"), "{}", page(first + 1));

    // Each question names the page of its answer, and that page has the answer; and back.
    for (question, answer_text) in [("1. Why?", "Because Lorem"), ("2. How?", "Like this.")] {
        let q_page = find(question);
        let line = page(q_page)
            .lines()
            .skip_while(|l| !l.contains(question))
            .find(|l| l.contains("Model answer on page"))
            .unwrap_or_else(|| panic!("no answer link after {question:?}"));
        let target: usize = line.rsplit("page ").next().unwrap().trim_end_matches(" →").trim().parse().unwrap();
        assert!(page(target).contains(answer_text), "page {target} lacks {answer_text:?}");
        assert!(page(target).contains(&format!("Back to the question on page {q_page}")));
    }
    assert!(pages.iter().any(|p| p.contains("[1 mark]")));
    assert!(pages.iter().any(|p| p.contains("Total: 4 marks")));

    let marks = bookmarks(&pdf);
    for title in ["1 First Chapter", "1.1 Part A", "2 Second Chapter", "Questions", "Answers"] {
        assert!(marks.iter().any(|m| m == title), "no bookmark {title:?} in {marks:?}");
    }
}
