//! The book's images, each read from the book folder once per build, when the first renderer that
//! carries them asks (the EPUB, the Anki deck, the Moodle bank), and shared by all of them. typst
//! reads the PDFs' images through its own world.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diagnostics::Diagnostic;
use crate::model::{Book, ImageFormat};

/// An image of the book: its format and bytes.
#[derive(Debug)]
pub struct Asset {
    /// The image's format.
    pub format: ImageFormat,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Every image the book shows, by its path relative to the book folder, in path order, read when
/// first asked for.
#[derive(Debug)]
pub struct Assets {
    paths: Vec<(String, ImageFormat)>,
    root: PathBuf,
    images: OnceLock<Result<BTreeMap<String, Asset>, Vec<Diagnostic>>>,
}

impl Assets {
    /// Notes the images of the book in `root`, reading none yet.
    pub fn new(book: &Book, root: &Path) -> Self {
        let paths = book.images().into_iter().map(|image| (image.path, image.format)).collect();
        Self { paths, root: root.to_path_buf(), images: OnceLock::new() }
    }

    /// Returns the images, by path, in path order, reading them the first time.
    pub fn get(&self) -> Result<impl Iterator<Item = (&str, &Asset)>, Vec<Diagnostic>> {
        let images = self.images.get_or_init(|| read(&self.paths, &self.root)).as_ref().map_err(Clone::clone)?;
        Ok(images.iter().map(|(path, asset)| (path.as_str(), asset)))
    }
}

/// Reads each image once.
fn read(paths: &[(String, ImageFormat)], root: &Path) -> Result<BTreeMap<String, Asset>, Vec<Diagnostic>> {
    let mut images = BTreeMap::new();
    let mut errors = Vec::new();
    for (path, format) in paths {
        if images.contains_key(path) {
            continue;
        }
        match std::fs::read(root.join(path)) {
            Ok(bytes) => {
                images.insert(path.clone(), Asset { format: *format, bytes });
            }
            Err(err) => errors.push(Diagnostic::error(format!("cannot read the image: {err}")).in_file(path.clone())),
        }
    }
    if errors.is_empty() { Ok(images) } else { Err(errors) }
}

/// Returns the flat file name an image has where files cannot be in folders (Anki's media, Moodle's
/// files): its path with `_` for `/`.
pub fn flat_name(path: &str) -> String {
    path.replace('/', "_")
}
