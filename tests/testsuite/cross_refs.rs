//! Cross-references: Markdown links to a heading, question or key term of the same book.

use crate::epub::text_files;
use crate::fixtures::sample;
use crate::support::{TestBook, pdf_pages, rendered};

/// The printed page (counted from the contents, as the footer prints it) of the first page whose
/// text has `line` as a line of its own, after the contents.
fn printed_page_of(pages: &[String], line: &str) -> usize {
    // The title page is the first (index 0), then the contents, printed 1: the index is the number.
    let found = pages.iter().enumerate().skip(2).find(|(_, p)| p.lines().any(|l| l.trim() == line));
    found.unwrap_or_else(|| panic!("no page has the line {line:?}")).0
}

/// The sample's cross-references, where a teacher would put them: in the PDF a link followed by the
/// page its place is printed on, in the EPUB a link into the right document, in the decks the words.
#[test]
fn the_samples_cross_references_lead_to_their_places() {
    let sample = sample();
    let pages = pdf_pages(sample.output("stalin.pdf"));
    let text = pages.join("\n");
    for (words, heading) in [
        ("see Lavrentiy Beria (page", "2.2.1 Lavrentiy Beria"),
        ("parts of the cult (page", "1.4 The cult of personality"),
        ("Start from the struggle for succession (page", "2.1 The struggle for succession"),
    ] {
        let page = printed_page_of(&pages, heading);
        let squashed = crate::support::squash(&text);
        let expected = crate::support::squash(&format!("{words} {page})"));
        assert!(squashed.contains(&expected), "{expected:?} is not in the student guide");
    }

    let files = text_files(sample.output("stalin.epub"));
    let chapter = &files["OEBPS/chapter-3.xhtml"];
    assert!(chapter.contains("<a href=\"chapter-2.xhtml#ch2-lavrentiy-beria\">"), "{chapter}");
    let faq = &files["OEBPS/faq.xhtml"];
    assert!(faq.contains("<a href=\"chapter-1.xhtml#ch1-the-cult-of-personality\">"), "{faq}");

    // Outside the book, a place is nowhere to go: the Moodle bank has the words without a link.
    let moodle = std::fs::read_to_string(sample.output("moodle.xml")).unwrap();
    assert!(moodle.contains("Start from the struggle for succession."), "{moodle}");
    assert!(!moodle.contains("chapter-2.xhtml"), "{moodle}");
}

/// Every form of link finds its place: `#slug` in the same file (GitHub's slug, a second "Summary"
/// being `#summary-1`, whose anchor is revise's `ch1-summary-2`), `file.md#slug` in another, `../file.md` alone for a document's title,
/// revise's own anchors and a key term's slug; in the teacher edition, a model answer's place is
/// not in the book, and the words stand alone.
#[test]
fn every_form_of_cross_reference_finds_its_place() {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\n## Summary\n\nFirst.\n\n## Summary\n\nSee [the first](#summary), [the second](#summary-1), \
         [chapter two](02-two.md), [its term](02-two.md#osmosis) and [question 1](../questions.md#why-1-mark).\n",
    );
    book.file(
        "chapters/02-two.md",
        "# Two\n\nBack to [One](01-one.md#one) and [the answer](../questions.md#answer-1).\n\n\
         ## Key terms\n\nOsmosis\n: Water moving across a membrane.\n",
    );
    book.file(
        "questions.md",
        "# Q\n\n## Why? (1 mark)\n\n### Model answer\n\nSo [see](chapters/01-one.md#ch1-summary).\n",
    );
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let files = text_files(&book.path().join("out/test-guide.epub"));
    let one = &files["OEBPS/chapter-1.xhtml"];
    for href in [
        "#ch1-summary\"",
        "chapter-1.xhtml#ch1-summary-2\"",
        "chapter-2.xhtml#ch2-two\"",
        "chapter-2.xhtml#term-osmosis\"",
        "questions.xhtml#question-1\"",
    ] {
        assert!(one.contains(href), "{href} is not in {one}");
    }
    let two = &files["OEBPS/chapter-2.xhtml"];
    assert!(two.contains("chapter-1.xhtml#ch1-one\"") && two.contains("answers.xhtml#answer-1\""), "{two}");

    let squashed = |name: &str| crate::support::squash(&pdf_pages(&book.pdf(name)).join("\n"));
    let student = squashed("test-guide");
    assert!(student.contains("andtheanswerpage"), "{student}");
    // The teacher edition sets each answer after its question: there is no answer's place to give.
    let teacher = squashed("test-guide-teacher");
    assert!(teacher.contains("andtheanswer") && !teacher.contains("andtheanswerpage"), "{teacher}");
    assert!(teacher.contains("seethefirstpage"), "{teacher}");
}

/// A link to no place is an error at the link, with the slugs it might have meant.
#[test]
fn a_cross_reference_to_no_place_is_an_error_with_a_suggestion() {
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\n## The Secret Speech\n\nText.\n\nSee [it](#the-secret-speach).\n");
    book.file("chapters/02-two.md", "# Two\n\nSee [one](01-onw.md).\n");
    let report = book.check();
    assert!(report.failed());
    let text = rendered(&report);
    assert!(text.contains("the link `#the-secret-speach` leads to no heading, question or key term"), "{text}");
    assert!(text.contains("chapters/01-one.md:7:5"), "{text}");
    assert!(text.contains("did you mean `#the-secret-speech`?"), "{text}");
    assert!(text.contains("the link `01-onw.md` leads to no heading"), "{text}");
    assert!(text.contains("did you mean `01-one.md`"), "{text}");
}

/// Slugs keep letters of every script, as GitHub's do, written as they are or percent-encoded.
#[test]
fn cross_references_find_slugs_in_any_script() {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\n## Größe der Zellen\n\nText.\n\nSee [above](#größe-der-zellen), [encoded](#gr%C3%B6%C3%9Fe-der-zellen) \
         and [water](02-two.md#水の循環).\n",
    );
    book.file("chapters/02-two.md", "# Two\n\n## 水の循環\n\nText.\n");
    let options = revise::BuildOptions { formats: vec![revise::Format::named("epub").unwrap()], ..Default::default() };
    let report = revise::build(book.path(), &options);
    assert!(!report.failed(), "{}", rendered(&report));
    let files = text_files(&book.path().join("out/test-guide.epub"));
    let one = &files["OEBPS/chapter-1.xhtml"];
    assert_eq!(one.matches("href=\"chapter-1.xhtml#ch1-größe-der-zellen\"").count(), 2, "{one}");
    assert!(one.contains("href=\"chapter-2.xhtml#ch2-水の循環\""), "{one}");
}
