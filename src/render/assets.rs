//! The book's images, each read from the book folder once per build and shared by every renderer
//! that carries them (the EPUB, the Anki deck, the Moodle bank). typst reads the PDFs' images
//! through its own world.

use std::collections::BTreeMap;
use std::path::Path;

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

/// Every image the book shows, by its path relative to the book folder, in path order.
#[derive(Debug, Default)]
pub struct Assets {
    images: BTreeMap<String, Asset>,
}

impl Assets {
    /// Reads every image the book shows, each once.
    pub fn read(book: &Book, root: &Path) -> Result<Self, Vec<Diagnostic>> {
        let mut images = BTreeMap::new();
        let mut errors = Vec::new();
        for image in book.images() {
            if images.contains_key(&image.path) {
                continue;
            }
            match std::fs::read(root.join(&image.path)) {
                Ok(bytes) => {
                    images.insert(image.path.clone(), Asset { format: image.format, bytes });
                }
                Err(err) => {
                    errors.push(Diagnostic::error(format!("cannot read the image: {err}")).in_file(image.path.clone()))
                }
            }
        }
        if errors.is_empty() { Ok(Self { images }) } else { Err(errors) }
    }

    /// Returns the images, by path, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Asset)> {
        self.images.iter().map(|(path, asset)| (path.as_str(), asset))
    }
}

/// Returns the flat file name an image has where files cannot be in folders (Anki's media, Moodle's
/// files): its path with `_` for `/`.
pub fn flat_name(path: &str) -> String {
    path.replace('/', "_")
}
