//! Accessibility as the checkers schools and publishers use judge it: DAISY Ace on the EPUBs, and
//! axe's contrast rules on the EPUB's documents in a reader's light and night themes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::epub::{build_epub, build_sample_epub, rich_book};
use crate::support::{TestBook, ensure_tools};

/// EPUBs, with the folders that hold them, removed when this is dropped.
struct Built {
    _out: tempfile::TempDir,
    _books: Vec<TestBook>,
    epubs: Vec<PathBuf>,
}

/// The EPUBs of the sample guide, the book with every construct and the EPUB tests' rich book.
fn epubs() -> Built {
    let out = tempfile::tempdir().unwrap();
    let mut epubs = vec![build_sample_epub(out.path())];
    let every = crate::snapshots::every_construct_book();
    epubs.push(build_epub(&every));
    let rich = rich_book();
    epubs.push(build_epub(&rich));
    Built { _out: out, _books: vec![every, rich], epubs }
}

/// Runs DAISY Ace on an EPUB and returns its JSON report.
fn ace(epub: &Path) -> serde_json::Value {
    ensure_tools();
    let out = tempfile::tempdir().unwrap();
    let output = Command::new("ace-puppeteer")
        .env("PUPPETEER_EXECUTABLE_PATH", chromium())
        .arg("--silent")
        .arg("--force")
        .arg("--outdir")
        .arg(out.path())
        .arg(epub)
        .output()
        .unwrap_or_else(|err| {
            panic!("DAISY Ace (`ace-puppeteer`) is needed by this test ({err}); .ci/install-test-tools installs it")
        });
    let report = out.path().join("report.json");
    let text = std::fs::read_to_string(&report).unwrap_or_else(|err| {
        panic!(
            "Ace wrote no report ({err}):\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    serde_json::from_str(&text).expect("Ace's report is JSON")
}

/// Returns the path of Chromium, which Ace and the contrast check drive.
fn chromium() -> &'static str {
    "/usr/bin/chromium"
}

#[test]
fn ace_finds_no_violation_in_any_book() {
    let built = epubs();
    // One Ace run per EPUB, side by side: each starts a browser, which takes seconds.
    let handles: Vec<_> =
        built.epubs.iter().cloned().map(|epub| std::thread::spawn(move || (ace(&epub), epub))).collect();
    for handle in handles {
        let (report, epub) = handle.join().unwrap();
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
