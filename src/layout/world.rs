//! The typst `World` of a book: the generated main source served from memory, the book's fonts
//! (built-in and its own, never the system's), and file access confined to the book folder.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::BookFonts;

/// The standard library, built once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The world one book is compiled in.
pub struct BookWorld {
    root: PathBuf,
    main: Source,
    today: Option<Datetime>,
    fonts: Arc<BookFonts>,
}

impl BookWorld {
    /// Creates a world for the book in the canonical folder `root`, whose main source is `text`.
    pub fn new(root: &Path, text: String, today: Option<Datetime>) -> Self {
        let id = RootedPath::new(VirtualRoot::Project, main_path()).intern();
        Self { root: root.to_path_buf(), main: Source::new(id, text), today, fonts: BookFonts::of(root) }
    }

    /// Returns the book folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns the main source.
    pub fn main_source(&self) -> &Source {
        &self.main
    }

    /// Replaces the main source's text and the date. The source is edited in place, so the parts
    /// that did not change keep their spans and typst's memoised work on them is reused.
    pub fn update(&mut self, text: &str, today: Option<Datetime>) {
        if self.main.text() != text {
            self.main.replace(text);
        }
        self.today = today;
        self.fonts = BookFonts::of(&self.root);
    }

    /// Reads a file of the book, refusing any path that resolves outside the book folder.
    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
        let rooted = id.get();
        if let VirtualRoot::Package(spec) = rooted.root() {
            return Err(FileError::Package(PackageError::NotFound(spec.clone())));
        }
        let path = rooted.vpath().realize(&self.root).map_err(FileError::Realize)?;
        let resolved = std::fs::canonicalize(&path).map_err(|err| FileError::from_io(err, &path))?;
        if !resolved.starts_with(&self.root) {
            return Err(FileError::AccessDenied);
        }
        if resolved.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&resolved).map_err(|err| FileError::from_io(err, &path))
    }
}

fn main_path() -> VirtualPath {
    VirtualPath::new("/__revise_main__.typ").expect("a valid virtual path")
}

impl World for BookWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let bytes = self.read(id)?;
        let text = String::from_utf8(bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.read(id).map(Bytes::new)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
