//! Builds that several tests read: each book is built once, on first use, and its outputs are
//! shared for the rest of the run. Tests that read a shared build never write into its folders;
//! tests that edit a book or rebuild it build their own.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use revise::{BuildOptions, Format, Report};

use crate::support::{TestBook, rendered};

/// A book built once, with every output its options asked for.
pub struct Shared {
    /// The folders of the book and its outputs, kept while the run lasts.
    _out: Option<tempfile::TempDir>,
    _book: Option<TestBook>,
    /// The book's folder.
    pub root: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    pub report: Report,
}

impl Shared {
    /// Builds the book in `root` with `options`, into a fresh temporary folder, and fails on errors.
    fn build_into_temp(root: &Path, options: BuildOptions) -> Self {
        let out = tempfile::tempdir().expect("a temporary folder");
        let options = BuildOptions { out_dir: Some(out.path().to_path_buf()), ..options };
        let report = revise::build(root, &options);
        assert!(!report.failed(), "{}", rendered(&report));
        Self { root: root.to_path_buf(), out: out.path().to_path_buf(), report, _out: Some(out), _book: None }
    }

    /// Builds a test book into its own `out` folder with `options`, and fails on errors.
    fn build_book(book: TestBook, options: &BuildOptions) -> Self {
        let report = revise::build(book.path(), options);
        assert!(!report.failed(), "{}", rendered(&report));
        Self { root: book.path().to_path_buf(), out: book.path().join("out"), report, _out: None, _book: Some(book) }
    }

    /// The output whose file name ends with `suffix`.
    pub fn output(&self, suffix: &str) -> &Path {
        self.report
            .outputs
            .iter()
            .find(|p| crate::support::output_is(p, suffix))
            .unwrap_or_else(|| panic!("no output ending {suffix} in {:?}", self.report.outputs))
    }

    /// Every output whose extension is `ext`.
    pub fn with_extension(&self, ext: &str) -> Vec<PathBuf> {
        self.report.outputs.iter().filter(|p| p.extension().is_some_and(|e| e == ext)).cloned().collect()
    }
}

/// The sample guide in `book/`.
pub fn sample_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book")
}

/// The sample guide, every output, built into a temporary folder with the default options.
pub fn sample() -> &'static Shared {
    static BUILT: LazyLock<Shared> = LazyLock::new(|| Shared::build_into_temp(&sample_root(), BuildOptions::default()));
    &BUILT
}

/// The physics example, every output, built into a temporary folder; it builds without a diagnostic.
pub fn physics() -> &'static Shared {
    static BUILT: LazyLock<Shared> = LazyLock::new(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/physics");
        let built = Shared::build_into_temp(&root, BuildOptions::default());
        assert!(built.report.diagnostics.iter().next().is_none(), "the example warns:\n{}", rendered(&built.report));
        built
    });
    &BUILT
}

/// The retrieval tests' book with every question type, every format, built without a warning.
pub fn quiz() -> &'static Shared {
    static BUILT: LazyLock<Shared> = LazyLock::new(|| {
        let options = BuildOptions { formats: Format::all(), ..BuildOptions::default() };
        let built = Shared::build_book(crate::retrieval::quiz_book(), &options);
        assert!(!rendered(&built.report).contains("warning"), "{}", rendered(&built.report));
        built
    });
    &BUILT
}

/// The EPUB tests' book with every construct, its EPUB alone.
pub fn rich_epub() -> &'static Path {
    static BUILT: LazyLock<Shared> = LazyLock::new(|| {
        let built = Shared::build_book(
            crate::epub::rich_book(),
            &BuildOptions { formats: vec![Format::named("epub").unwrap()], ..BuildOptions::default() },
        );
        assert_eq!(built.report.outputs.len(), 1);
        built
    });
    &BUILT.report.outputs[0]
}

/// The editions tests' small book with questions and key terms, every output, built into its `out`
/// folder with the default options.
pub fn handout() -> &'static Shared {
    static BUILT: LazyLock<Shared> =
        LazyLock::new(|| Shared::build_book(crate::editions::handout_book(), &BuildOptions::default()));
    &BUILT
}

/// The chemistry tests' book with every example of mhchem's manual, every output.
pub fn chemistry() -> &'static Shared {
    static BUILT: LazyLock<Shared> =
        LazyLock::new(|| Shared::build_book(crate::chemistry::manual_book(), &BuildOptions::default()));
    &BUILT
}
