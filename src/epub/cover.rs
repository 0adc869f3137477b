//! The generated cover: the template `cover.typ` laid out by typst and rendered to a PNG.

use std::path::Path;

use typst::utils::Scalar;
use typst_layout::PagedDocument;
use typst_render::RenderOptions;

use crate::diagnostics::Diagnostic;
use crate::model::Book;
use crate::pdf::world::BookWorld;
use crate::templates::{BookContext, Templates, context};

/// The width of the generated cover in pixels; the template sets the page's proportions.
const COVER_WIDTH_PX: f64 = 1600.0;

/// Lays out the cover with typst and returns it as PNG bytes.
pub fn generate(book: &Book, root: &Path, templates: &Templates) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let source = templates.render("cover.typ", context(&BookContext::new(&book.manifest.book))).map_err(|d| vec![d])?;
    let world = BookWorld::new(root, source, None);
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| errors.iter().map(|e| crate::pdf::typst_error(&world, e, "cover.typ")).collect::<Vec<_>>())?;
    let page = document
        .pages()
        .first()
        .ok_or_else(|| vec![Diagnostic::error("the cover template made no page").in_file("templates/cover.typ")])?;
    let width_pt = page.frame.width().to_pt();
    let options = RenderOptions { pixel_per_pt: Scalar::new(COVER_WIDTH_PX / width_pt), ..RenderOptions::default() };
    let pixmap = typst_render::render(page, &options);
    pixmap.encode_png().map_err(|err| {
        vec![Diagnostic::error(format!("could not encode the cover as PNG: {err}")).in_file("templates/cover.typ")]
    })
}
