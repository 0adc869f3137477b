//! Images: where an image of the book is and what it shows, and the formats every output can show,
//! with their media types.

use crate::diagnostics::Span;

/// An image, resolved inside the book folder.
#[derive(Debug, Clone)]
pub struct Image {
    /// The path relative to the book folder, with forward slashes.
    pub path: String,
    /// The alt text.
    pub alt: String,
    /// Where the image is named.
    pub span: Span,
    /// The image's format.
    pub format: ImageFormat,
}

/// The image formats every output can show, known by their file extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF.
    Gif,
    /// SVG.
    Svg,
    /// WebP.
    Webp,
}

impl ImageFormat {
    /// The formats' names, for messages.
    pub const NAMES: &str = "PNG, JPEG, GIF, SVG or WebP";

    /// Returns the format of a file by its extension, in any case; `None` for any other file.
    pub fn of(path: &str) -> Option<Self> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match extension.as_str() {
            "png" => ImageFormat::Png,
            "jpg" | "jpeg" => ImageFormat::Jpeg,
            "gif" => ImageFormat::Gif,
            "svg" => ImageFormat::Svg,
            "webp" => ImageFormat::Webp,
            _ => return None,
        })
    }

    /// Returns the format's media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Svg => "image/svg+xml",
            ImageFormat::Webp => "image/webp",
        }
    }

    /// Returns the extension a file of the format is given, without its dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Gif => "gif",
            ImageFormat::Svg => "svg",
            ImageFormat::Webp => "webp",
        }
    }

    /// Returns true for the formats an EPUB cover may be: PNG and JPEG.
    pub fn can_be_cover(self) -> bool {
        matches!(self, ImageFormat::Png | ImageFormat::Jpeg)
    }
}
