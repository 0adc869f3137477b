//! The differential text test: a book the project writes, with every construct holding text that
//! starts with digits, punctuation or markup characters, is built into every output, and the
//! visible text of each (pdftotext for the PDFs, the XHTML's text for the EPUB, the TSV as it is)
//! holds each piece of source text exactly, modulo typography: smart quotes, spaces and line breaks.
//! A character dropped, added or turned into structure inside a piece is a failure.

use std::collections::BTreeMap;
use std::io::Read;

use revise::BuildOptions;

use crate::support::{TestBook, pdf_text, rendered};

/// How the text of each piece begins: what Markdown, typst or XML could take for structure.
const STARTS: &[&str] = &[
    "1. ",
    "007. ",
    "1990. ",
    "6) ",
    "- ",
    "+ ",
    "* ",
    "= ",
    "== ",
    "/ ",
    "# ",
    "#read ",
    "$x$ ",
    "<b> ",
    "<label> ",
    "@ref ",
    "[x] ",
    "] ",
    "\\ ",
    "~ ",
    "... ",
    "-- ",
    "_u_ ",
    "> ",
    ": ",
    "' ",
    "\" ",
    "` ",
    "// ",
    "/* ",
    "{ ",
    "&amp; ",
    "| ",
    "<!-- not a comment ",
    "https://x.org ",
    "3.14 ",
    "Ω ",
];

/// Where in the guide a piece of text stands, which decides the outputs that show it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    /// Book title: on every output.
    Title,
    /// Chapters and the FAQ: the guides and the EPUB.
    Body,
    /// Question headings and prompts: also the worksheet and the answer key (headings) or the
    /// worksheet (prompts).
    QuestionHeading,
    QuestionPrompt,
    /// Model answers: the guides, the answer key and the EPUB.
    Answer,
    /// Key terms and definitions: also the flashcards and their TSV.
    Term,
}

/// The corpus: phrases with their parts, and the Markdown that holds them.
struct Corpus {
    phrases: Vec<(String, Part)>,
}

impl Corpus {
    /// Makes the next phrase, with a start from [`STARTS`] and a unique tag, and records its part.
    fn phrase(&mut self, part: Part) -> String {
        let n = self.phrases.len();
        let phrase = format!("{}word q{n:03}", STARTS[n % STARTS.len()]);
        self.phrases.push((phrase.clone(), part));
        phrase
    }

    /// The phrase as Markdown source: every ASCII punctuation character backslash-escaped, which
    /// CommonMark reads back as the character itself.
    fn md(&mut self, part: Part) -> String {
        let phrase = self.phrase(part);
        let mut out = String::new();
        for c in phrase.chars() {
            if c.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }
}

/// Writes the corpus book: a chapter, an FAQ entry and a question for each start, every construct
/// in each with its own phrase. A chapter holds a number of phrases prime to the number of starts,
/// so that over the chapters every construct meets every start.
fn corpus_book() -> (TestBook, Vec<(String, Part)>) {
    let book = TestBook::empty();
    let mut c = Corpus { phrases: Vec::new() };
    book.bytes("images/dot.png", crate::pdf_features::PNG);
    let title = c.phrase(Part::Title);
    book.file(
        "book.toml",
        &format!(
            "[book]\ntitle = {}\nauthors = [\"A. Tester\"]\nlanguage = \"en-GB\"\n[build]\nname = \"corpus\"\n",
            toml_string(&title)
        ),
    );
    let mut faq = format!("# {}\n\n", c.md(Part::Body));
    let mut questions = format!("# Questions\n\n{}\n\n", c.md(Part::QuestionPrompt));
    let mut glossary = String::from("# Glossary\n\n");
    for i in 0..STARTS.len() {
        let b = Part::Body;
        let mut ch = String::new();
        ch += &format!("# {}\n\n", c.md(b));
        ch += &format!("{}\n\n", c.md(b));
        ch += &format!("## {}\n\n", c.md(b));
        ch += &format!("### {}\n\n", c.md(b));
        ch += &format!("*{}* and **{}** and ~~{}~~.\n\n", c.md(b), c.md(b), c.md(b));
        ch += &format!("[{}](https://example.com/) then.\n\n", c.md(b));
        ch += &format!("- {}\n- {}\n\n", c.md(b), c.md(b));
        ch += &format!("1. {}\n2. {}\n\n", c.md(b), c.md(b));
        ch += &format!("- [ ] {}\n- [x] {}\n\n", c.md(b), c.md(b));
        ch += &format!("> {}\n\n", c.md(b));
        ch += &format!("> [!NOTE]\n> {}\n\n", c.md(b));
        ch += &format!("| {} | {} |\n|---|---|\n| {} | {} |\n\n", c.md(b), c.md(b), c.md(b), c.md(b));
        ch += &format!("![{}](../images/dot.png)\n\n", c.md(b));
        ch += &format!("A note.[^a]\n\n[^a]: {}\n\n", c.md(b));
        ch += &format!("- ## {}\n\n> ### {}\n\n", c.md(b), c.md(b));
        ch += &format!("Alpha{i}\n: {}\n\n", c.md(Part::Term));
        let t = Part::Term;
        ch += &format!("Beta{i}\n: {}\n\n  {}\n\n  - {}\n  - {}\n\n", c.md(t), c.md(t), c.md(t), c.md(t));
        ch += &format!("Alpha{i} and Beta{i}.\n");
        book.file(&format!("chapters/{i:02}.md"), &ch);
        faq += &format!("## {}\n\n{}\n\n- {}\n\n", c.md(b), c.md(b), c.md(b));
        questions += &format!(
            "## {} (2 marks)\n\n{}\n\n- {}\n\n",
            c.md(Part::QuestionHeading),
            c.md(Part::QuestionPrompt),
            c.md(Part::QuestionPrompt)
        );
        questions += &format!("### Model answer\n\n{}\n\n- {}\n\n", c.md(Part::Answer), c.md(Part::Answer));
        glossary += &format!("Gamma{i}\n: {}\n\n", c.md(Part::Term));
    }
    book.file("faq.md", &faq);
    book.file("questions.md", &questions);
    book.file("glossary.md", &glossary);
    (book, c.phrases)
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Text modulo typography: typographic quotes as straight ones, every run of white space as one
/// space, soft hyphens dropped.
fn normalise(text: &str) -> String {
    let mapped: String = text
        .chars()
        .filter(|&c| c != '\u{ad}')
        .map(|c| match c {
            '‘' | '’' | '‚' | '‛' => '\'',
            '“' | '”' | '„' | '‟' => '"',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    mapped.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The text of every XHTML document of an EPUB, in archive order.
fn epub_text(epub: &std::path::Path) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut out = String::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        if !entry.name().ends_with(".xhtml") {
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).unwrap();
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event().unwrap() {
                quick_xml::events::Event::Text(text) => out.push_str(&text.xml_content().unwrap()),
                quick_xml::events::Event::GeneralRef(r) => {
                    let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                    let resolved = match name.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => {
                            // A character reference, such as `&#x2f;` from the templates' escaping.
                            let code = match other.strip_prefix("#x") {
                                Some(hex) => u32::from_str_radix(hex, 16),
                                None => other.trim_start_matches('#').parse(),
                            };
                            let c = code.ok().and_then(char::from_u32);
                            out.push(c.unwrap_or_else(|| panic!("an unexpected entity &{other};")));
                            continue;
                        }
                    };
                    out.push_str(resolved);
                }
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(_) | quick_xml::events::Event::End(_) => out.push(' '),
                _ => {}
            }
        }
    }
    out
}

#[test]
fn every_piece_of_text_prints_as_written_in_every_output() {
    let (book, phrases) = corpus_book();
    let report = revise::build(book.path(), &BuildOptions::default());
    assert!(!report.failed(), "{}", rendered(&report));
    let out = book.path().join("out");
    let mut outputs: BTreeMap<&str, String> = BTreeMap::new();
    for (file, _) in SHOWS {
        let path = out.join(file);
        let text = match *file {
            "corpus.epub" => epub_text(&path),
            "corpus-flashcards.tsv" => std::fs::read_to_string(&path).unwrap(),
            _ => pdf_text(&path),
        };
        outputs.insert(file, normalise(&text));
    }
    let mut missing = Vec::new();
    let mut question = 0;
    let expected: Vec<(String, Part)> = phrases
        .iter()
        .map(|(phrase, part)| {
            if *part != Part::QuestionHeading {
                return (phrase.clone(), *part);
            }
            // A question heading that starts with its own number (`6) ` on question 6) shows
            // revise's number for it instead, as list markers do.
            question += 1;
            let own = [format!("{question}. "), format!("{question}) ")];
            match own.iter().find(|prefix| phrase.starts_with(prefix.as_str())) {
                Some(prefix) => (format!("{question}. {}", &phrase[prefix.len()..]), *part),
                None => (phrase.clone(), *part),
            }
        })
        .collect();
    for (file, parts) in SHOWS {
        for (phrase, part) in &expected {
            if parts.contains(part) && !outputs[file].contains(&normalise(phrase)) {
                missing.push(format!("{file}: {phrase:?} ({part:?})"));
            }
        }
    }
    assert!(missing.is_empty(), "text not printed as written:\n{}", missing.join("\n"));
    // Each chapter's number of phrases is prime to the number of starts, so every construct met
    // every start.
    let per_chapter = (phrases.len() - 3) / STARTS.len();
    assert!(gcd(per_chapter, STARTS.len()) == 1, "{per_chapter} phrases a chapter, {} starts", STARTS.len());
}

/// Each output and the parts of the guide it shows.
const SHOWS: &[(&str, &[Part])] = &[
    ("corpus.pdf", &[Part::Title, Part::Body, Part::QuestionHeading, Part::QuestionPrompt, Part::Answer, Part::Term]),
    (
        "corpus-teacher.pdf",
        &[Part::Title, Part::Body, Part::QuestionHeading, Part::QuestionPrompt, Part::Answer, Part::Term],
    ),
    ("corpus-worksheet.pdf", &[Part::Title, Part::QuestionHeading, Part::QuestionPrompt]),
    ("corpus-answers.pdf", &[Part::Title, Part::QuestionHeading, Part::Answer]),
    ("corpus-flashcards.pdf", &[Part::Term]),
    ("corpus-flashcards.tsv", &[Part::Term]),
    ("corpus.epub", &[Part::Title, Part::Body, Part::QuestionHeading, Part::QuestionPrompt, Part::Answer, Part::Term]),
];

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}
