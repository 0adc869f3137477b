//! The print edition's pages as the EPUB gives them: where each printed page of the student guide
//! begins, read from typst's layout of the same model, so that "turn to page 12" means the same
//! place in print and on an e-reader. The layout stage reads them once; the EPUB places them.

use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// The first marked place on a printed page: a place that begins on it, or, on a page where none
/// begins, the place that continues onto it from the page before.
///
/// Both back ends number the same places in the book's documents, in reading order from 0: each
/// heading (a document's title, a section's, a question's, an answer's) and each block of a document's own (its blocks and its entries' blocks, not those nested in others) marks
/// its start if it is a paragraph, each item if it is a list, each term if it is a list of key
/// terms, each body row if it is a table, and the start of its first paragraph if it is a quote or
/// a box. The student PDF carries a page mark at each place; the EPUB a page break marker at the
/// first place on each printed page. Two pages may share a place (a paragraph that fills a page and
/// runs onto the next), and then both markers stand before it, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStart {
    /// The place's number.
    pub place: usize,
    /// The page number as printed.
    pub page: String,
}

/// The pages of the print edition: the file they are printed in, and where each begins, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageList {
    /// The print edition's file name, named as the EPUB's page break source.
    pub source: String,
    /// The pages, each with the place it begins with.
    pub starts: Vec<PageStart>,
    /// How many places the print edition marked; the EPUB must have numbered as many.
    pub places: usize,
}

/// Reads the page marks of a laid-out guide: for each page, in order, the first marked place on it
/// and the page's printed number, counted from the page labelled `<page-one>` as the guide's footer
/// and index count. Without that label (in a book's own template, say), or without marks, the
/// printed numbers are not known, and there is no list. `source` is the print edition's file name.
pub fn read(document: &PagedDocument, source: String) -> Option<PageList> {
    let introspector = document.introspector();
    let label = |name: &str| Label::new(PicoStr::intern(name)).expect("the label is not empty");
    let page_of = |content: &typst::foundations::Content| {
        content.location().and_then(|location| introspector.position(location)).map(|p| p.page.get())
    };
    let page_one = introspector.query_label(label("page-one")).ok().and_then(page_of)?;
    let marks = introspector.query(&Selector::Label(label("page-mark")));
    let mut starts: Vec<PageStart> = Vec::new();
    // The page and place of the last mark read.
    let mut last: Option<(usize, usize)> = None;
    for mark in marks.iter() {
        let (Some(physical), Some(metadata)) = (page_of(mark), mark.to_packed::<MetadataElem>()) else { continue };
        let Value::Int(place) = &metadata.value else { continue };
        let Ok(place) = usize::try_from(*place) else { continue };
        // Marks come in document order: the first on each page is the one that page begins with.
        if last.is_none_or(|(page, _)| page != physical) {
            // A page on which no place begins (a long paragraph, table or figure fills it) begins
            // within the last place of the page before, and is given that place too.
            if let Some((page, continued)) = last {
                for between in page + 1..physical {
                    if let Some(printed) = (between + 1).checked_sub(page_one).filter(|&p| p > 0) {
                        starts.push(PageStart { place: continued, page: printed.to_string() });
                    }
                }
            }
            if let Some(printed) = (physical + 1).checked_sub(page_one).filter(|&p| p > 0) {
                starts.push(PageStart { place, page: printed.to_string() });
            }
        }
        last = Some((physical, place));
    }
    (!starts.is_empty()).then(|| PageList { source, starts, places: marks.len() })
}
