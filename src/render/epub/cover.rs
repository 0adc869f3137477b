//! The generated cover: the template `cover.typ` laid out by typst and rendered to a PNG.

use std::path::Path;

use typst::layout::{Abs, Frame, Point, Size};
use typst::utils::Scalar;
use typst_layout::Page;
use typst_render::RenderOptions;

use crate::diagnostics::Diagnostic;
use crate::layout::{self, world::BookWorld};
use crate::model::Book;
use crate::render::templates::{BookContext, Templates, context};

/// The width of the generated cover in pixels; the template sets the page's proportions.
const COVER_WIDTH_PX: f64 = 1600.0;

/// How many rows of the cover are drawn at a time: a strip of 256 rows of 1,600 pixels takes 1.6 MB,
/// where the whole cover would take 15 MB while the guide is being laid out beside it.
const STRIP_ROWS: u32 = 256;

/// Lays out the cover with typst and returns it as PNG bytes.
pub fn generate(book: &Book, root: &Path, templates: &Templates) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let source = templates.render("cover.typ", context(&BookContext::new(&book.manifest))).map_err(|d| vec![d])?;
    let world = BookWorld::new(root, source, None);
    let document = layout::compile(&world, "cover.typ")?;
    let page = document
        .pages()
        .first()
        .ok_or_else(|| vec![Diagnostic::error("the cover template made no page").in_file("templates/cover.typ")])?;
    encode_opaque_png(page, COVER_WIDTH_PX / page.frame.width().to_pt()).map_err(|err| {
        vec![Diagnostic::error(format!("could not encode the cover as PNG: {err}")).in_file("templates/cover.typ")]
    })
}

/// Draws `page` at `pixel_per_pt` and encodes it as an RGB PNG, set on white, a strip of rows at a
/// time: each strip is the page moved up by the rows above it, drawn by typst-render into a
/// pixmap of its own height.
///
/// A cover is opaque, so its alpha channel is dropped (a quarter of the data), no straight-alpha
/// copy of the image is made, and png's fast compression, made for images like this one of flat
/// colour and text, is used.
fn encode_opaque_png(page: &Page, pixel_per_pt: f64) -> Result<Vec<u8>, png::EncodingError> {
    let size = page.frame.size();
    let width = (pixel_per_pt * size.x.to_pt()).round().max(1.0) as u32;
    let height = (pixel_per_pt * size.y.to_pt()).round().max(1.0) as u32;
    let options = RenderOptions { pixel_per_pt: Scalar::new(pixel_per_pt), ..RenderOptions::default() };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    let mut stream = writer.stream_writer()?;
    let mut row = Vec::with_capacity(width as usize * 3);
    for top in (0..height).step_by(STRIP_ROWS as usize) {
        let rows = STRIP_ROWS.min(height - top);
        let mut frame = Frame::hard(Size::new(size.x, Abs::pt(f64::from(rows) / pixel_per_pt)));
        frame.push_frame(Point::with_y(Abs::pt(-f64::from(top) / pixel_per_pt)), page.frame.clone());
        let strip = typst_render::render(&Page { frame, ..page.clone() }, &options);
        for pixels in strip.data().chunks_exact(strip.width() as usize * 4).take(rows as usize) {
            row.clear();
            row.extend(pixels.chunks_exact(4).take(width as usize).flat_map(over_white));
            std::io::Write::write_all(&mut stream, &row)?;
        }
    }
    stream.finish()?;
    writer.finish()?;
    Ok(out)
}

/// A premultiplied RGBA pixel set on white: each channel plus the part of white that shows through.
fn over_white(pixel: &[u8]) -> [u8; 3] {
    let show = 255 - pixel[3];
    [pixel[0] + show, pixel[1] + show, pixel[2] + show]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_premultiplied_pixels_on_white() {
        // Opaque red, transparent, and half-transparent black (premultiplied: 0, 0, 0, 128).
        assert_eq!(over_white(&[255, 0, 0, 255]), [255, 0, 0]);
        assert_eq!(over_white(&[0, 0, 0, 0]), [255, 255, 255]);
        assert_eq!(over_white(&[0, 0, 0, 128]), [127, 127, 127]);
    }
}
