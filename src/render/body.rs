//! What the two body writers share, the typst of the PDFs ([`super::pdf::markup`]) and the HTML
//! of the EPUB and the other renderers ([`super::html`]): each writes every construct of the model in one
//! function, one for blocks ([`BodyWriter::block`]) and one for inline content
//! ([`BodyWriter::inline`]), and walks sequences of them the same way. Both functions match on every
//! variant, so a construct added to the model does not compile until both back ends write it.

use crate::model::{Block, Inline};

/// A writer of body markup: typst for the PDFs, XHTML for the EPUB and the other HTML users.
pub trait BodyWriter {
    /// Writes one block, and the blocks nested in it.
    fn block(&mut self, block: &Block);

    /// Writes one piece of inline content, and the content nested in it, to `out`.
    fn inline(&mut self, inline: &Inline, out: &mut String);

    /// Writes blocks in order.
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    /// Writes inline content in order to `out`.
    fn inlines(&mut self, inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            self.inline(inline, out);
        }
    }

    /// Returns the flag that says whether the block being written is a document's own, whose places
    /// are marked for the page list (see [`crate::layout::pages`]).
    fn marking(&mut self) -> &mut bool;

    /// Writes a document's own blocks (not those nested in others), with their places marked. The
    /// writer of a block that has places takes the flag ([`BodyWriter::take_marking`]), so the blocks
    /// nested in it are not marked, and both back ends number the same places.
    fn top_blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            *self.marking() = true;
            self.block(block);
            *self.marking() = false;
        }
    }

    /// Takes the marking flag, for the writer of a block whose places are marked.
    fn take_marking(&mut self) -> bool {
        std::mem::take(self.marking())
    }

    /// Returns the markup of inline content.
    fn inlines_to_string(&mut self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        self.inlines(inlines, &mut out);
        out
    }
}
