//! Equations as SVG images, for readers that show no MathML (Kindle's and Kobo's): typst lays each
//! equation out as the PDFs set it, in their maths font with the book's body fonts for its text,
//! on a page of its own that fits it; typst-svg draws the page, its glyphs as outlines, so that the
//! image needs no font on the reader. Each image's size and depth below the baseline are given in
//! ems, so that it follows the reader's font size and sits on the line as the equation would.

use std::path::Path;

use typst::layout::{Abs, Frame, FrameItem, Point};
use typst_svg::SvgOptions;

use super::world::BookWorld;
use super::{escape, math};
use crate::diagnostics::Diagnostic;
use crate::math::Math;

/// The text size the equations are laid out at; one em of the images is this size.
const SIZE_PT: f64 = 10.0;

/// An equation drawn as an SVG image.
#[derive(Debug, Clone, PartialEq)]
pub struct EquationImage {
    /// The SVG document.
    pub svg: String,
    /// The width, in ems.
    pub width: f64,
    /// The height, in ems.
    pub height: f64,
    /// How far the image reaches below the baseline, in ems (0 for display maths, which stands on
    /// a line of its own).
    pub depth: f64,
}

/// Draws each equation as an SVG image, in the order given, in one layout. `fonts` are the body
/// text's families, first choice first; `root` is the book folder, the only one typst may read.
pub fn draw(root: &Path, fonts: &[String], equations: &[&Math]) -> Result<Vec<EquationImage>, Vec<Diagnostic>> {
    if equations.is_empty() {
        return Ok(Vec::new());
    }
    let families: Vec<String> = fonts.iter().map(|f| escape::string(f)).collect();
    let mut source = format!(
        "#set page(width: auto, height: auto, margin: 0pt, fill: none)\n\
         #set text(font: ({},), size: {SIZE_PT}pt, top-edge: \"bounds\", bottom-edge: \"bounds\")\n\
         #set par(spacing: 0pt, leading: 0pt)\n",
        families.join(", ")
    );
    for (i, equation) in equations.iter().enumerate() {
        if i > 0 {
            source.push_str("#pagebreak()\n");
        }
        source.push_str(&format!("#std.box({})\n", math::equation_call(equation)));
    }
    let world = BookWorld::new(root, source, None);
    let document = super::compile(&world, "equation images")?;
    if document.pages().len() != equations.len() {
        return Err(vec![Diagnostic::error(format!(
            "internal error: {} equations were laid out on {} pages",
            equations.len(),
            document.pages().len()
        ))]);
    }
    let options = SvgOptions::default();
    let em = Abs::pt(SIZE_PT);
    Ok(document
        .pages()
        .iter()
        .zip(equations)
        .map(|(page, equation)| {
            let size = page.frame.size();
            // The equation's box: where its baseline is on the page.
            let baseline = equation_box(&page.frame).map_or(size.y, |(at, frame)| at.y + frame.baseline()).min(size.y);
            let depth = if equation.display { Abs::zero() } else { size.y - baseline };
            EquationImage {
                svg: readable_on_any_page(&typst_svg::svg(page, &options)),
                width: size.x / em,
                height: size.y / em,
                depth: depth / em,
            }
        })
        .collect())
}

/// Returns the box an equation was laid out in, the first group on its page, with its position.
fn equation_box(frame: &Frame) -> Option<(Point, &Frame)> {
    frame.items().find_map(|(at, item)| match item {
        FrameItem::Group(group) => Some((*at, &group.frame)),
        _ => None,
    })
}

/// Makes an equation's SVG readable on any page: typst draws it black on nothing, which a dark
/// page would hide. Each glyph (`<use>`) and each line (a stroked `<path>`: fraction bars, roots)
/// gets a copy of itself beneath it, a little wider, as a halo in the page's colour: white under
/// black. Where the reader says its page is dark (`prefers-color-scheme`, as Apple Books and
/// Chromium-based readers do) the glyphs turn light and the halo dark. So a reader whose page and
/// preference disagree still shows the maths, outlined; a reader that ignores the stylesheet
/// shows the copies as the same black, unchanged.
fn readable_on_any_page(svg: &str) -> String {
    const STYLE: &str = "<style>\
        .halo { fill: #ffffff; stroke: #ffffff; stroke-width: 0.5px; stroke-linejoin: round; } \
        path.halo { fill: none; } \
        @media (prefers-color-scheme: dark) { \
        use:not(.halo) { fill: #eeeeee; } path[stroke]:not(.halo) { stroke: #eeeeee; } \
        .halo { fill: #000000; stroke: #000000; } path.halo { fill: none; } }\
        </style>";
    let mut out = String::with_capacity(svg.len() * 2);
    let mut rest = svg;
    // The stylesheet goes first inside the root element.
    if let Some(end) = rest.find("<svg").and_then(|start| rest[start..].find('>').map(|end| start + end)) {
        out.push_str(&rest[..=end]);
        out.push_str(STYLE);
        rest = &rest[end + 1..];
    }
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find('>') else { break };
        let element = &tail[..=end];
        let stroked_line = element.starts_with("<path ") && element.contains(" stroke=\"");
        if element.ends_with("/>") && (element.starts_with("<use ") || stroked_line) {
            let name_end = element.find(' ').expect("the element has attributes");
            let mut halo = format!("{} class=\"halo\"{}", &element[..name_end], &element[name_end..]);
            if stroked_line {
                halo = widened(&halo);
            }
            out.push_str(&halo);
        }
        out.push_str(element);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Returns a stroked path with its `stroke-width` 0.5 wider, for its halo.
fn widened(path: &str) -> String {
    const WIDTH: &str = " stroke-width=\"";
    let Some(at) = path.find(WIDTH) else { return path.to_string() };
    let start = at + WIDTH.len();
    let Some(len) = path[start..].find('"') else { return path.to_string() };
    match path[start..start + len].parse::<f64>() {
        Ok(width) => format!("{}{:.3}{}", &path[..start], width + 0.5, &path[start + len..]),
        Err(_) => path.to_string(),
    }
}
