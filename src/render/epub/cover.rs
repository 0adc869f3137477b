//! The generated cover: the template `cover.typ` laid out by typst and rendered to a PNG.

use std::path::Path;

use typst::utils::Scalar;
use typst_render::RenderOptions;

use crate::diagnostics::Diagnostic;
use crate::layout::{self, world::BookWorld};
use crate::model::Book;
use crate::render::templates::{BookContext, Templates, context};

/// The width of the generated cover in pixels; the template sets the page's proportions.
const COVER_WIDTH_PX: f64 = 1600.0;

/// Lays out the cover with typst and returns it as PNG bytes.
pub fn generate(book: &Book, root: &Path, templates: &Templates) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let source = templates.render("cover.typ", context(&BookContext::new(&book.manifest))).map_err(|d| vec![d])?;
    let world = BookWorld::new(root, source, None);
    let document = layout::compile(&world, "cover.typ")?;
    let page = document
        .pages()
        .first()
        .ok_or_else(|| vec![Diagnostic::error("the cover template made no page").in_file("templates/cover.typ")])?;
    let width_pt = page.frame.width().to_pt();
    let options = RenderOptions { pixel_per_pt: Scalar::new(COVER_WIDTH_PX / width_pt), ..RenderOptions::default() };
    let pixmap = typst_render::render(page, &options);
    encode_opaque_png(pixmap.width(), pixmap.height(), pixmap.data()).map_err(|err| {
        vec![Diagnostic::error(format!("could not encode the cover as PNG: {err}")).in_file("templates/cover.typ")]
    })
}

/// Encodes premultiplied RGBA pixels as an RGB PNG, set on white, row by row.
///
/// A cover is opaque, so its alpha channel is dropped (a quarter of the data), no straight-alpha
/// copy of the image is made, and png's fast compression, made for images like this one of flat
/// colour and text, is used.
fn encode_opaque_png(width: u32, height: u32, premultiplied: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    let mut stream = writer.stream_writer()?;
    let mut row = Vec::with_capacity(width as usize * 3);
    for pixels in premultiplied.chunks_exact(width as usize * 4) {
        row.clear();
        for pixel in pixels.chunks_exact(4) {
            // Over white: a premultiplied channel plus the part of white that shows through.
            let show = 255 - pixel[3];
            row.extend_from_slice(&[pixel[0] + show, pixel[1] + show, pixel[2] + show]);
        }
        std::io::Write::write_all(&mut stream, &row)?;
    }
    stream.finish()?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_premultiplied_pixels_on_white() {
        // Opaque red, transparent, and half-transparent black (premultiplied: 0, 0, 0, 128).
        let pixels = [255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 128];
        let png = encode_opaque_png(3, 1, &pixels).unwrap();
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
        let mut buffer = vec![0; decoder.output_buffer_size().unwrap()];
        let info = decoder.next_frame(&mut buffer).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(&buffer[..info.buffer_size()], &[255, 0, 0, 255, 255, 255, 127, 127, 127]);
    }
}
