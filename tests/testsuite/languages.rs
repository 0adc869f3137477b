//! Books in other languages and scripts, from `examples/languages/`: every word revise adds is in
//! the book's language, marks and model answers written in it are read, a heading that is not the
//! model answer's is warned of, the fonts a book brings are used, and right-to-left books read right
//! to left.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};

use revise::model::words::{self, Words};
use revise::{BuildOptions, Report};

use crate::epub::text_files;
use crate::support::{NOTO_ARABIC, NOTO_CJK, TestBook, pdf_info, pdf_text, rendered, tool};

fn noto(name: &str) -> String {
    Path::new(NOTO_ARABIC).with_file_name(name).to_string_lossy().into_owned()
}

/// Returns the font files a language's example book needs from Debian's Noto packages.
fn fonts_of(folder: &str) -> Vec<String> {
    match folder {
        "zh" | "ja" => vec![NOTO_CJK.to_string()],
        "ar" => vec![noto("NotoNaskhArabic-Regular.ttf"), noto("NotoNaskhArabic-Bold.ttf")],
        "he" => vec![noto("NotoSerifHebrew-Regular.ttf"), noto("NotoSerifHebrew-Bold.ttf")],
        "hi" => vec![noto("NotoSerifDevanagari-Regular.ttf"), noto("NotoSerifDevanagari-Bold.ttf")],
        _ => Vec::new(),
    }
}

/// The question each test adds to the example's: marks in the book's words, a `###` heading that is
/// not the model answer's, and a model answer under the book's heading holding a word to look for.
const SECRET: &str = "QX4711";

/// Copies an example book into a temporary folder, with its fonts, and adds the test's question.
fn language_book(folder: &str, with_fonts: bool) -> (TestBook, Words) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/languages").join(folder);
    let book = TestBook::empty();
    copy_dir(&source, book.path());
    if with_fonts {
        crate::support::ensure_tools();
        for font in fonts_of(folder) {
            let path = PathBuf::from(&font);
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|err| panic!("{font} is needed ({err}); .ci/install-test-tools installs it"));
            book.bytes(&format!("fonts/{}", path.file_name().unwrap().to_string_lossy()), &bytes);
        }
    }
    let manifest = std::fs::read_to_string(book.path().join("book.toml")).unwrap();
    let tag = manifest.lines().find_map(|l| l.strip_prefix("language = ")).unwrap().trim_matches('"').to_string();
    let words = Words::new(&tag, &words::Table::new());
    let questions = std::fs::read_to_string(book.path().join("questions.md")).unwrap();
    let added = format!(
        "{questions}\n## QZ ({})\n\n### QZ-{}\n\nQY0815\n\n### {}\n\n{SECRET}\n",
        words.marks(3),
        words.get("note"),
        words.get("model_answer")
    );
    book.file("questions.md", &added);
    (book, words)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "out" || entry.file_name() == "fonts" {
                continue;
            }
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The outputs of a build, by what they are.
pub struct Built {
    /// The book, whose folder holds the outputs while it lives.
    book: TestBook,
    /// The words of the book's language.
    words: Words,
    report: Report,
    pdfs: Vec<PathBuf>,
    epub: PathBuf,
    /// The Kindle and the Kobo edition.
    pub kindle: PathBuf,
    pub kobo: PathBuf,
    tsv: PathBuf,
}

impl Built {
    fn pdf(&self, suffix: &str) -> &Path {
        self.pdfs
            .iter()
            .find(|p| {
                let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
                if suffix.is_empty() {
                    !["-teacher", "-worksheet", "-answers", "-flashcards"].iter().any(|s| stem.ends_with(s))
                } else {
                    stem.ends_with(suffix)
                }
            })
            .unwrap_or_else(|| panic!("no {suffix} PDF"))
    }
}

fn build(book: TestBook, words: Words) -> Built {
    let report = revise::build(book.path(), &BuildOptions::default());
    assert!(!report.failed(), "{}", rendered(&report));
    let outputs = report.outputs.clone();
    let pick = |ext: &'static str| -> Vec<PathBuf> {
        outputs.iter().filter(|p| p.extension().is_some_and(|e| e == ext)).cloned().collect()
    };
    let pdfs = pick("pdf");
    assert_eq!(pdfs.len(), 5, "{outputs:?}");
    let epubs = pick("epub");
    assert_eq!(epubs.len(), 3, "the EPUB, the Kindle and the Kobo edition: {outputs:?}");
    let edition = |suffix: &str| epubs.iter().find(|p| p.to_string_lossy().ends_with(suffix)).cloned().expect(suffix);
    let (kindle, kobo) = (edition("-kindle.epub"), edition(".kepub.epub"));
    let epub = epubs.iter().find(|&p| *p != kindle && *p != kobo).cloned().expect("an EPUB");
    let tsv = pick("tsv").pop().expect("a TSV");
    Built { book, words, report, pdfs, epub, kindle, kobo, tsv }
}

/// A language's example book with its fonts and the test's question, every output, built once for
/// all the tests that read it.
pub fn built(folder: &str) -> &'static Built {
    static BUILT: LazyLock<BTreeMap<&str, OnceLock<Built>>> =
        LazyLock::new(|| ALL.iter().map(|&folder| (folder, OnceLock::new())).collect());
    BUILT[folder].get_or_init(|| {
        let (book, words) = language_book(folder, true);
        build(book, words)
    })
}

/// Returns every text a reader meets in the outputs: each PDF's text and title, and the EPUB's
/// text, its alternative texts and labels, and the package's title and accessibility summary.
fn reader_text(built: &Built) -> String {
    let mut text = String::new();
    for pdf in &built.pdfs {
        text.push_str(&pdf_text(pdf));
        text.push_str(&pdf_info(pdf).lines().filter(|l| l.starts_with("Title:")).collect::<Vec<_>>().join("\n"));
    }
    for (name, xml) in text_files(&built.epub) {
        if name.ends_with(".xhtml") || name.ends_with(".ncx") {
            text.push_str(&visible(&xml));
        } else if name.ends_with(".opf") {
            for (open, close) in [
                ("<dc:title", "</dc:title>"),
                ("<dc:description", "</dc:description>"),
                ("property=\"schema:accessibilitySummary\"", "</meta>"),
            ] {
                for part in xml.split(open).skip(1) {
                    text.push_str(&part[part.find('>').unwrap() + 1..part.find(close).unwrap()]);
                    text.push('\n');
                }
            }
        }
    }
    text.push_str(&std::fs::read_to_string(&built.tsv).unwrap());
    text
}

/// The text of an XHTML document as a reader meets it: its text, and its `alt`, `title` and
/// `aria-label` attributes.
fn visible(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let tag = &rest[open..close];
        for attribute in ["alt=\"", "title=\"", "aria-label=\""] {
            if let Some(start) = tag.find(attribute) {
                let value = &tag[start + attribute.len()..];
                out.push_str(&value[..value.find('"').unwrap_or(0)]);
                out.push(' ');
            }
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
}

/// Returns the English words revise could print in place of a language's: each piece of each
/// English word between placeholders, of three letters or more, that the language's own words do
/// not use too (German writes `Name:` as English does).
fn english_words(words: &Words) -> BTreeSet<String> {
    let own: Vec<String> = words::tables()[&words.chain[0]]
        .values()
        .flat_map(|phrase| phrase.texts().into_iter().map(str::to_lowercase).collect::<Vec<_>>())
        .collect();
    let mut found = BTreeSet::new();
    for phrase in words::english().values() {
        for text in phrase.texts() {
            let (pieces, last) = words::pieces(text);
            for piece in pieces.iter().map(|(before, _)| *before).chain([last]) {
                let piece = piece.trim().trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
                if piece.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !own.iter().any(|o| o.contains(&piece)) {
                    found.insert(piece);
                }
            }
        }
    }
    found
}

/// Returns the English words of `english` that stand as words in `text`.
fn english_in(text: &str, english: &BTreeSet<String>) -> Vec<String> {
    let text = text.to_lowercase();
    english
        .iter()
        .filter(|word| {
            text.match_indices(word.as_str()).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + word.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .cloned()
        .collect()
}

/// Builds a language's example book with its fonts and checks what every language must show.
fn check_language(folder: &str) -> &'static Built {
    let built = built(folder);
    let book = &built.book;
    let words = &built.words;

    // The one warning: the added question's `###` heading, which is not the model answer's.
    let text = rendered(&built.report);
    let warnings: Vec<&str> = text.lines().filter(|l| l.starts_with("warning")).collect();
    assert_eq!(warnings.len(), 1, "{folder}: {text}");
    assert!(warnings[0].contains("is not the model-answer heading"), "{folder}: {text}");
    let line = std::fs::read_to_string(book.path().join("questions.md"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("### QZ-"))
        .unwrap()
        + 1;
    assert!(text.contains(&format!("questions.md:{line}:1")), "{folder}: {text}");

    // Marks written in the book's words are counted: 4, 1 and the added 3.
    let loaded = revise::build::load(book.path());
    let (model, _) = loaded.model.expect("the book loads");
    let marks: Vec<Option<u32>> = model.questions().map(|q| q.marks).collect();
    assert_eq!(marks, [Some(4), Some(1), Some(3)], "{folder}");
    assert_eq!(model.total_marks(), 8, "{folder}");
    assert_eq!(model.questions().filter(|q| model.answer(q.number).is_some()).count(), 3, "{folder}");

    // The model answer under the book's heading is in the answer key, the guides and the EPUB's
    // answers, and never on the worksheet; the text under the other heading is on the worksheet.
    let worksheet = pdf_text(built.pdf("-worksheet"));
    assert!(!worksheet.contains(SECRET), "{folder}: a model answer reached the worksheet");
    assert!(worksheet.contains("QY0815"), "{folder}: the question's own text is missing from the worksheet");
    for suffix in ["-answers", "-teacher", ""] {
        assert!(pdf_text(built.pdf(suffix)).contains(SECRET), "{folder}: no model answer in the {suffix} PDF");
    }
    let epub = text_files(&built.epub);
    assert!(epub["OEBPS/answers.xhtml"].contains(SECRET), "{folder}");
    assert!(!epub["OEBPS/questions.xhtml"].contains(SECRET), "{folder}");

    // None of revise's English words, anywhere a reader looks.
    let english = english_words(words);
    assert!(english.contains("model answer") || words.get("model_answer") == "Model answer");
    let found = english_in(&reader_text(built), &english);
    assert!(found.is_empty(), "{folder}: English in the outputs: {found:?}");
    built
}

#[test]
fn a_german_book_speaks_german() {
    let built = check_language("de");
    // German's plural: 1 Punkt, 4 Punkte; the total in German.
    let worksheet = pdf_text(built.pdf("-worksheet"));
    assert!(worksheet.contains("1 Punkt]") && worksheet.contains("4 Punkte]"), "{worksheet}");
    assert!(worksheet.contains("Gesamt") || worksheet.contains("Insgesamt"), "{worksheet}");
}

#[test]
fn a_french_book_speaks_french() {
    check_language("fr");
}

#[test]
fn a_chinese_book_speaks_chinese_in_the_font_it_brings() {
    let built = check_language("zh");
    // The book's Noto Sans CJK is embedded in every PDF, and the text is extracted as written.
    for pdf in &built.pdfs {
        let (ok, fonts) = tool("pdffonts", &[pdf.to_str().unwrap()]);
        assert!(ok && fonts.contains("NotoSansCJK"), "{}: {fonts}", pdf.display());
    }
    let student = pdf_text(built.pdf(""));
    assert!(student.contains("太阳的热量使水蒸发"), "{student}");
    assert!(student.contains("参考答案"), "{student}");
    // Every character is in a font, so the PDFs claim PDF/UA-1.
    assert!(!rendered(&built.report).contains("claims no"), "{}", rendered(&built.report));
}

#[test]
fn without_a_font_for_its_script_a_book_is_warned_at_the_first_character() {
    let (book, _) = language_book("zh", false);
    let report = book.check();
    let text = rendered(&report);
    assert!(text.contains("Han text such as `水` (U+6C34) is in no font"), "{text}");
    assert!(text.contains("book.toml:2:10"), "{text}");
    assert!(text.contains("Noto Sans CJK SC"), "{text}");
    assert!(text.contains("no font of the family `Noto Sans CJK SC`"), "{text}");
    // Once for the script, not once for each character.
    assert_eq!(text.matches("Han text").count(), 1, "{text}");
}

#[test]
fn a_japanese_book_speaks_japanese() {
    let built = check_language("ja");
    assert!(pdf_text(built.pdf("")).contains("模範解答"));
}

#[test]
fn an_arabic_book_speaks_arabic_right_to_left() {
    let built = check_language("ar");
    let epub = text_files(&built.epub);
    assert!(epub["OEBPS/content.opf"].contains("page-progression-direction=\"rtl\""));
    assert!(epub["OEBPS/chapter-1.xhtml"].contains("dir=\"rtl\""));
}

#[test]
fn a_hebrew_book_speaks_hebrew_right_to_left() {
    let built = check_language("he");
    let epub = text_files(&built.epub);
    assert!(epub["OEBPS/content.opf"].contains("page-progression-direction=\"rtl\""));
    assert!(epub["OEBPS/questions.xhtml"].contains("dir=\"rtl\""));
}

#[test]
fn a_hindi_book_speaks_hindi() {
    let built = check_language("hi");
    // The Devanagari font the book brings forms the conjuncts: the text comes back as written.
    let student = pdf_text(built.pdf(""));
    assert!(student.contains("वाष्पीकरण"), "{student}");
}

/// Every example language book.
pub const ALL: [&str; 7] = ["de", "fr", "zh", "ja", "ar", "he", "hi"];

/// The EPUBs of example language books, for the EPUBCheck and Ace batches: those of the shared
/// builds, with their fonts and with a page list.
pub fn language_epubs(folders: &[&str]) -> Vec<PathBuf> {
    folders.iter().map(|folder| built(folder).epub.clone()).collect()
}

#[test]
fn a_book_overrides_words_and_an_unknown_one_is_an_error_at_its_place() {
    let book = TestBook::minimal();
    book.file(
        "book.toml",
        &format!(
            "{}\n[words]\nmodel_answer = \"Suggested answer\"\nmarks = {{ one = \"{{n}} point\", other = \"{{n}} points\" }}\n",
            crate::support::MANIFEST
        ),
    );
    book.file(
        "questions.md",
        "# Questions\n\n## Why? (2 points)\n\n### Suggested answer\n\nBecause.\n\n## How? (1 mark)\n\n### Model answer\n\nSo.\n",
    );
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    assert!(!rendered(&report).contains("warning"), "{}", rendered(&report));
    let key = pdf_text(&book.path().join("out/test-guide-answers.pdf"));
    assert!(key.contains("[2 points]") && key.contains("[1 point]") && key.contains("3 points"), "{key}");
    assert!(key.to_uppercase().contains("SUGGESTED ANSWER"), "{key}");

    book.file(
        "book.toml",
        &format!(
            "{}\n[words]\nmodelanswer = \"x\"\nchapter = \"Kapitel {{page}}\"\nmarks = \"{{n}} Punkte\"\n",
            crate::support::MANIFEST
        ),
    );
    let report = book.check();
    assert!(report.failed());
    let text = rendered(&report);
    assert!(text.contains("[words] `modelanswer` is not a word revise prints"), "{text}");
    assert!(text.contains("did you mean `model_answer`?"), "{text}");
    assert!(text.contains("book.toml:7:15"), "{text}");
    assert!(text.contains("[words] `{page}` is not a placeholder of `chapter`"), "{text}");
    assert!(text.contains("[words] `marks` needs a form for each plural category"), "{text}");
}

#[test]
fn fonts_a_book_names_and_brings_are_checked() {
    let book = TestBook::minimal();
    book.file(
        "book.toml",
        &format!(
            "{}\n[pdf]\nbody-font = \"Nowhere Serif\"\nfallback-fonts = [\"Open Sans\"]\n",
            crate::support::MANIFEST
        ),
    );
    book.file("fonts/readme.ttf", "not a font");
    let report = book.check();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = rendered(&report);
    assert!(text.contains("no font of the family `Nowhere Serif`, so the PDFs use others"), "{text}");
    assert!(text.contains("book.toml:7:13"), "{text}");
    assert!(!text.contains("`Open Sans`"), "{text}");
    assert!(text.contains("fonts/readme.ttf") && text.contains("not a font file typst can read"), "{text}");
}
