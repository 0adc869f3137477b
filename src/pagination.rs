//! The print edition's pages as the EPUB gives them: where each printed page of the student guide
//! begins, found in typst's layout of the same model, so that "turn to page 12" means the same place
//! in print and on an e-reader. The PDF back end finds them and the EPUB back end places them; this
//! module is what the two share, so neither imports the other.

/// The first marked place on a printed page.
///
/// Both back ends number the same places in the book's documents, in reading order from 0: each
/// block of a document's own (its blocks and its entries' blocks, not those nested in others) marks
/// its start if it is a paragraph, each item if it is a list, each term if it is a list of key
/// terms, each body row if it is a table, and the start of its first paragraph if it is a quote or
/// a box. The student PDF carries a page mark at each place; the EPUB a page break marker at the
/// first place on each printed page.
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
