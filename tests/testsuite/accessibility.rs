//! Accessibility as the checkers schools and publishers use judge it: DAISY Ace on the EPUBs, axe's
//! contrast rules on the EPUB's documents in a reader's light and night themes, and the PDFs' claims
//! (PDF/UA-1, PDF/A-2a), title display, tags and outlines read back with qpdf.

use std::path::{Path, PathBuf};
use std::process::Command;

use revise::{BuildOptions, Format};

use crate::epub::{build_epub, sample_epub};
use crate::support::{TestBook, ensure_tools, rendered, tool};

/// EPUBs, with the folders that hold them.
struct Built {
    _books: Vec<TestBook>,
    epubs: Vec<PathBuf>,
    /// The Kindle and Kobo editions, which Ace reads too.
    editions: Vec<PathBuf>,
}

/// The EPUBs of the sample guide, the book with every construct and the EPUB tests' rich book,
/// gathered once for Ace and the contrast check.
fn epubs() -> &'static Built {
    static BUILT: std::sync::LazyLock<Built> = std::sync::LazyLock::new(gather);
    &BUILT
}

fn gather() -> Built {
    // The books are built side by side: Ace and the contrast check both wait for all of them.
    let (every, every_epub, sample, physics, languages, quiz) = std::thread::scope(|scope| {
        let every = scope.spawn(|| {
            let every = crate::snapshots::every_construct_book();
            let epub = build_epub(&every);
            (every, epub)
        });
        let sample = scope.spawn(sample_epub);
        let physics = scope.spawn(|| {
            let physics = crate::fixtures::physics();
            [".epub", "-kindle.epub", ".kepub.epub"].map(|suffix| physics.output(suffix).to_path_buf())
        });
        // Right to left and Chinese, with their navigation and summaries in their languages.
        let languages = ["ar", "zh"].map(|folder| scope.spawn(move || crate::languages::language_epubs(&[folder])));
        let quiz = crate::fixtures::quiz().output(".epub").to_path_buf();
        let (every, every_epub) = every.join().unwrap();
        (
            every,
            every_epub,
            sample.join().unwrap(),
            physics.join().unwrap(),
            languages.map(|l| l.join().unwrap()).concat(),
            quiz,
        )
    });
    let mut epubs = vec![sample, every_epub, crate::fixtures::rich_epub().to_path_buf()];
    // The physics example: MathML with spoken alternative text.
    epubs.push(physics[0].clone());
    epubs.extend(languages);
    epubs.push(quiz);
    // The Kindle and Kobo editions, with maths as images: of the sample, the physics example and
    // the Arabic book. They share the EPUB's stylesheet, so the contrast check reads only the EPUB.
    let arabic = crate::languages::built("ar");
    let sample = crate::fixtures::sample();
    let editions = vec![
        sample.output("-kindle.epub").to_path_buf(),
        sample.output(".kepub.epub").to_path_buf(),
        physics[1].clone(),
        physics[2].clone(),
        arabic.kindle.clone(),
        arabic.kobo.clone(),
    ];
    Built { _books: vec![every], epubs, editions }
}

/// Runs DAISY Ace on the EPUBs and returns its JSON report for each, in their order. Ace's pages
/// of one browser share one renderer process, so the EPUBs are split between two batches, each one
/// Node process and one browser (`tests/support/ace-all.js`), that run side by side.
fn ace(epubs: &[PathBuf]) -> Vec<serde_json::Value> {
    ensure_tools();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/ace-all.js");
    let out = tempfile::tempdir().unwrap();
    let half = epubs.len().div_ceil(2);
    let batches: Vec<_> = epubs
        .chunks(half.max(1))
        .enumerate()
        .map(|(n, batch)| {
            let dir = out.path().join(n.to_string());
            let child = Command::new("node")
                .env("PUPPETEER_EXECUTABLE_PATH", chromium())
                .arg(&script)
                .arg(&dir)
                .args(batch)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap_or_else(|err| {
                    panic!("Node.js is needed by this test ({err}); .ci/install-test-tools installs it")
                });
            (child, dir, batch.len())
        })
        .collect();
    let mut reports = Vec::new();
    for (child, dir, count) in batches {
        let output = child.wait_with_output().unwrap();
        for n in 0..count {
            let report = dir.join(n.to_string()).join("report.json");
            let text = std::fs::read_to_string(&report).unwrap_or_else(|err| {
                panic!(
                    "Ace wrote no report for {} ({err}):\n{}{}",
                    epubs[reports.len()].display(),
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                )
            });
            reports.push(serde_json::from_str(&text).expect("Ace's report is JSON"));
        }
        assert!(output.status.success(), "Ace failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    reports
}

/// Returns the path of Chromium, which Ace and the contrast check drive: the `chromium` on the PATH.
fn chromium() -> PathBuf {
    ensure_tools();
    let output = Command::new("sh").args(["-c", "command -v chromium"]).output().expect("sh runs");
    let path = String::from_utf8_lossy(&output.stdout).trim().to_string();
    assert!(!path.is_empty(), "Chromium is needed by this test; .ci/install-test-tools installs it");
    PathBuf::from(path)
}

#[test]
fn ace_finds_no_violation_in_any_book() {
    let built = epubs();
    let all: Vec<PathBuf> = built.epubs.iter().chain(&built.editions).cloned().collect();
    let reports = ace(&all);
    assert_eq!(reports.len(), all.len());
    for (report, epub) in reports.iter().zip(&all) {
        let subject = report["earl:testSubject"]["url"].as_str().expect("Ace names the EPUB it checked");
        assert!(
            subject.ends_with(&*epub.file_name().unwrap().to_string_lossy()),
            "{subject} is not {}",
            epub.display()
        );
        let mut violations = Vec::new();
        for subject in report["assertions"].as_array().expect("Ace's report lists its assertions") {
            for assertion in subject["assertions"].as_array().into_iter().flatten() {
                if assertion["earl:result"]["earl:outcome"] == "fail" {
                    violations.push(format!(
                        "{}: {} ({})",
                        subject["earl:testSubject"]["url"],
                        assertion["earl:test"]["dct:title"],
                        assertion["earl:test"]["earl:impact"]
                    ));
                }
            }
        }
        assert!(violations.is_empty(), "Ace on {}:\n{}", epub.display(), violations.join("\n"));
        assert_eq!(report["earl:result"]["earl:outcome"], "pass", "Ace's verdict on {}", epub.display());
    }
}

#[test]
fn links_and_text_are_readable_in_light_and_night_themes() {
    ensure_tools();
    let built = epubs();
    let unpacked = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (n, epub) in built.epubs.iter().enumerate() {
        let dir = unpacked.path().join(n.to_string());
        let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
        archive.extract(&dir).unwrap();
        for entry in std::fs::read_dir(dir.join("OEBPS")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "xhtml") {
                files.push(path);
            }
        }
    }
    files.sort();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/contrast.js");
    let output = Command::new("node")
        .env("PUPPETEER_EXECUTABLE_PATH", chromium())
        .arg(&script)
        .args(&files)
        .output()
        .unwrap_or_else(|err| panic!("Node.js is needed by this test ({err}); .ci/install-test-tools installs it"));
    assert!(output.status.success(), "the contrast check failed: {}", String::from_utf8_lossy(&output.stderr));
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the check prints JSON");
    let results = results.as_array().unwrap();
    // Every document, in both themes.
    assert_eq!(results.len(), files.len() * 2);
    for result in results {
        assert!(result["checked"].as_u64().unwrap() > 0, "an empty page was checked: {result}");
        assert!(
            result["violations"].as_array().unwrap().is_empty(),
            "{} in the {} theme: {}",
            result["file"],
            result["theme"],
            result["violations"]
        );
    }
}

/// The objects of a PDF as qpdf's JSON gives them, by key (`obj:N G R`, and `trailer`).
struct PdfObjects(serde_json::Map<String, serde_json::Value>);

impl PdfObjects {
    fn read(pdf: &Path) -> Self {
        let (ok, json) = tool("qpdf", &["--json", "--json-key=qpdf", pdf.to_str().unwrap()]);
        assert!(ok, "qpdf could not read {}: {json}", pdf.display());
        let json: serde_json::Value = serde_json::from_str(&json).expect("qpdf prints JSON");
        Self(json["qpdf"][1].as_object().expect("qpdf's objects").clone())
    }

    /// Follows a reference (`"5 0 R"`) to its object's value; other values are returned as they are.
    fn resolve<'a>(&'a self, value: &'a serde_json::Value) -> &'a serde_json::Value {
        match value.as_str().filter(|s| s.ends_with(" R")) {
            Some(reference) => &self.0[&format!("obj:{reference}")]["value"],
            None => value,
        }
    }

    fn catalog(&self) -> &serde_json::Value {
        self.resolve(&self.0["trailer"]["value"]["/Root"])
    }

    /// Returns the structure types of the tagged PDF's elements (`/H1`, `/P`, …), in object order.
    fn structure_types(&self) -> Vec<String> {
        self.0
            .values()
            .filter_map(|object| {
                let value = object.get("value")?;
                // A structure element has a type and a parent.
                value.get("/P")?;
                Some(value.get("/S")?.as_str()?.to_string())
            })
            .collect()
    }
}

/// Returns the titles of a PDF's outline (its bookmarks), depth first.
fn outline_titles(pdf: &Path) -> Vec<String> {
    fn walk(items: &serde_json::Value, out: &mut Vec<String>) {
        for item in items.as_array().into_iter().flatten() {
            out.push(item["title"].as_str().unwrap_or_default().to_string());
            walk(&item["kids"], out);
        }
    }
    let (ok, json) = tool("qpdf", &["--json", "--json-key=outlines", pdf.to_str().unwrap()]);
    assert!(ok, "qpdf could not read {}: {json}", pdf.display());
    let json: serde_json::Value = serde_json::from_str(&json).expect("qpdf prints JSON");
    let mut titles = Vec::new();
    walk(&json["outlines"], &mut titles);
    titles
}

/// The XMP metadata of a PDF: typst writes it as an uncompressed stream, as PDF/A asks.
fn xmp(pdf: &Path) -> String {
    let bytes = std::fs::read(pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let start = text.find("<x:xmpmeta").unwrap_or_else(|| panic!("{} has no XMP metadata", pdf.display()));
    let end = text[start..].find("</x:xmpmeta>").expect("the XMP metadata ends") + start;
    text[start..end].to_string()
}

fn count(types: &[String], wanted: &str) -> usize {
    types.iter().filter(|t| *t == wanted).count()
}

#[test]
fn every_pdf_claims_pdf_ua_1_shows_its_title_and_has_headings_to_move_between() {
    let sample = crate::fixtures::sample();
    let report = &sample.report;
    assert!(!report.failed(), "{}", rendered(report));
    let pdfs: Vec<&PathBuf> = report.outputs.iter().filter(|p| p.extension().is_some_and(|e| e == "pdf")).collect();
    assert_eq!(pdfs.len(), 5, "{:?}", report.outputs);
    for pdf in &pdfs {
        let xmp = xmp(pdf);
        assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{} claims no PDF/UA-1:\n{xmp}", pdf.display());
        // Without a build date there is no PDF/A claim, which needs one.
        assert!(!xmp.contains("pdfaid:part"), "{}:\n{xmp}", pdf.display());
        let objects = PdfObjects::read(pdf);
        let preferences = objects.resolve(&objects.catalog()["/ViewerPreferences"]);
        assert_eq!(preferences["/DisplayDocTitle"], true, "{}: {preferences}", pdf.display());
    }

    let (book, derived) = revise::build::load(&sample.root).model.unwrap();
    let questions: Vec<String> = book.questions().map(|q| q.title_text()).collect();
    let pdf = |suffix: &str| sample.out.join(format!("the-ussr-after-stalin{suffix}.pdf"));
    // The worksheet and the answer key: the title a heading, each question a heading below it, and
    // an outline of them, each question with its marks.
    for suffix in ["-worksheet", "-answers"] {
        let types = PdfObjects::read(&pdf(suffix)).structure_types();
        assert_eq!(count(&types, "/H1"), 1, "{suffix}: {types:?}");
        assert_eq!(count(&types, "/H2"), questions.len(), "{suffix}: {types:?}");
        let outline = outline_titles(&pdf(suffix));
        assert_eq!(outline.len(), questions.len() + 1, "{suffix}: {outline:?}");
        assert_eq!(outline[0], "The USSR after Stalin");
        for (entry, question) in outline[1..].iter().zip(book.questions()) {
            let marks = question.marks.unwrap();
            let words = revise::model::words::Words::default();
            assert_eq!(*entry, format!("{} [{}]", question.title_text(), words.marks(marks)), "{suffix}");
        }
    }
    // The flashcards: each term a heading on the fronts, then each gap-fill question's title.
    let types = PdfObjects::read(&pdf("-flashcards")).structure_types();
    let mut fronts: Vec<String> = derived.glossary.entries.iter().map(|e| e.name.clone()).collect();
    fronts.extend(
        book.questions().filter(|q| !q.gaps().is_empty()).map(|q| revise::model::plain_text(&q.heading.content)),
    );
    assert_eq!(count(&types, "/H1"), fronts.len(), "{types:?}");
    assert_eq!(outline_titles(&pdf("-flashcards")), fronts);
}

#[test]
fn a_dated_build_also_claims_pdf_a_2a() {
    let book = TestBook::minimal();
    book.file("book.toml", &format!("{}\n[build]\ndate = 2025-09-01\n", crate::support::MANIFEST));
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let xmp = xmp(&book.pdf("test-guide"));
    for claim in
        ["<pdfuaid:part>1</pdfuaid:part>", "<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>A</pdfaid:conformance>"]
    {
        assert!(xmp.contains(claim), "no {claim}:\n{xmp}");
    }
}

#[test]
fn an_image_without_alt_text_stops_the_claims_and_says_where() {
    let book = TestBook::minimal();
    book.bytes("images/dot.png", crate::pdf_features::PNG);
    book.file("chapters/01-one.md", "# One\n\nSome text.\n\n![](../images/dot.png)\n");
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = rendered(&report);
    assert!(text.contains("no PDF claims PDF/UA-1 and the EPUB claims no WCAG conformance"), "{text}");
    assert!(text.contains("chapters/01-one.md:5:1"), "the warning names the image's place: {text}");
    for pdf in report.outputs.iter().filter(|p| p.extension().is_some_and(|e| e == "pdf")) {
        assert!(!xmp(pdf).contains("pdfuaid"), "{} claims PDF/UA-1", pdf.display());
    }
    let epub = report.outputs.iter().find(|p| p.extension().is_some_and(|e| e == "epub")).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut opf = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("OEBPS/content.opf").unwrap(), &mut opf).unwrap();
    assert!(!opf.contains("dcterms:conformsTo"), "{opf}");
}

#[test]
fn text_no_font_can_show_stops_the_claim_with_a_warning_not_the_build() {
    // No font revise has holds Chinese yet: the PDF is made, without the claim, and says why.
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\nThe water cycle: 太阳的热量使水蒸发。\n");
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = rendered(&report);
    assert!(text.contains("the student edition's PDF claims no PDF/UA-1: its text does not meet it"), "{text}");
    assert!(text.contains("could not be displayed"), "{text}");
    assert!(!xmp(&book.pdf("test-guide")).contains("pdfuaid"));
}

#[test]
fn a_byte_order_mark_inside_the_text_leaves_the_claims_whole() {
    // U+FEFF shows nothing; mapped to a glyph it would break PDF/UA-1, so the PDF leaves it out.
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\nA zero\u{feff}width no-break space, and `code\u{feff}too`.\n");
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    assert!(!rendered(&report).contains("claims no"), "{}", rendered(&report));
    assert!(xmp(&book.pdf("test-guide")).contains("<pdfuaid:part>1</pdfuaid:part>"));
}

#[test]
fn a_claim_a_pdf_cannot_make_fails_a_build_that_denies_warnings_and_nothing_is_written() {
    // Text in no font stops PDF/UA-1; the build says so before it lays anything out.
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\n太阳的热量使水蒸发。\n");
    let options =
        BuildOptions { deny_warnings: true, formats: vec![Format::named("pdf").unwrap()], ..BuildOptions::default() };
    let report = revise::build(book.path(), &options);
    assert!(report.failed(), "{}", rendered(&report));
    let text = rendered(&report);
    assert!(text.contains("is in no font") && text.contains("warnings are denied"), "{text}");
    assert!(!book.pdf("test-guide").exists(), "a denied build wrote its PDF");
}
