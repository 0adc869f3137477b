//! Source files: the book's text as read from disk, with names relative to the book folder.

use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::files::SimpleFiles;

/// Identifies a file in [`Sources`].
pub type SourceId = usize;

/// A place in a source file, as a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range is in.
    pub file: SourceId,
    /// The byte range within the file's text.
    pub range: Range<usize>,
}

impl Span {
    /// Creates a span over `range` in `file`.
    pub fn new(file: SourceId, range: Range<usize>) -> Self {
        Self { file, range }
    }
}

/// Why a source file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be read at all.
    Io {
        /// The file's name, relative to the book folder.
        name: String,
        /// What the system said.
        message: String,
    },
    /// The file is not UTF-8; it is kept (with replacement characters) so the place can be shown.
    NotUtf8 {
        /// The first bad byte.
        span: Span,
        /// Its line, from 1.
        line: usize,
        /// Its column in characters, from 1.
        column: usize,
    },
}

/// Every source file read in a run, so diagnostics can show their lines.
#[derive(Debug, Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    paths: Vec<PathBuf>,
}

impl Sources {
    /// Creates an empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file's text under its book-relative name and returns its id.
    pub fn add(&mut self, name: String, path: PathBuf, text: String) -> SourceId {
        self.paths.push(path);
        self.files.add(name, text)
    }

    /// Returns the ids of every file, in the order they were read.
    pub fn ids(&self) -> impl Iterator<Item = SourceId> + use<> {
        0..self.paths.len()
    }

    /// Returns the book-relative name of a file, with forward slashes.
    pub fn name(&self, id: SourceId) -> &str {
        self.files.get(id).map(|f| f.name().as_str()).unwrap_or("<unknown>")
    }

    /// Returns the text of a file.
    pub fn text(&self, id: SourceId) -> &str {
        self.files.get(id).map(|f| f.source().as_str()).unwrap_or("")
    }

    /// Returns the path a file was read from.
    pub fn path(&self, id: SourceId) -> &Path {
        &self.paths[id]
    }

    /// Returns the files in the form codespan-reporting reads.
    pub fn files(&self) -> &SimpleFiles<String, String> {
        &self.files
    }

    /// Returns the 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, id: SourceId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        (line, column)
    }

    /// Reads a UTF-8 text file of the book; a file that is not UTF-8 is an error naming its line.
    pub fn read(&mut self, root: &Path, path: &Path) -> Result<SourceId, ReadError> {
        let name = relative_name(root, path);
        let bytes =
            std::fs::read(path).map_err(|err| ReadError::Io { name: name.clone(), message: err.to_string() })?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(self.add(name, path.to_path_buf(), text)),
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                let id = self.add(name, path.to_path_buf(), text);
                let (line, column) = self.line_column(id, valid);
                Err(ReadError::NotUtf8 { span: Span::new(id, valid..valid + 1), line, column })
            }
        }
    }
}

/// Returns `path` relative to `root` with forward slashes, or the path itself if it is outside.
pub fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Why a path the book names cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// Nothing is there, or it is not a file.
    Missing,
    /// It resolves, through `..` or a symbolic link, outside the book folder.
    Outside,
}

/// Resolves a path the book names, following symbolic links, and requires a file inside `root`.
///
/// `root` must be canonical.
pub fn resolve_inside(root: &Path, path: &Path) -> Result<PathBuf, PathProblem> {
    let resolved = std::fs::canonicalize(path).map_err(|_| PathProblem::Missing)?;
    if !resolved.starts_with(root) {
        return Err(PathProblem::Outside);
    }
    if !resolved.is_file() {
        return Err(PathProblem::Missing);
    }
    Ok(resolved)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
