//! The one walk over nested content that every pass and writer uses: which blocks hold blocks
//! ([`visit_blocks`], [`map_inlines`]) and which inline content holds inline content
//! ([`Inline::content`]), so that a container added to the model is walked everywhere at once.

use super::{Block, Book, Entry, Image, Inline, ListItem};

impl Book {
    /// Calls `f` on every block of the book, nested ones included, in reading order: each document's
    /// title, blocks and entries (a question's options included), then glossary definitions, then footnotes.
    pub fn visit_blocks(&self, f: &mut dyn FnMut(&Block)) {
        for document in &self.documents {
            f(&Block::Heading(document.title.clone()));
            visit_blocks(&document.blocks, f);
            for entry in &document.entries {
                match entry {
                    Entry::Faq(e) => {
                        f(&Block::Heading(e.question.clone()));
                        visit_blocks(&e.answer, f);
                    }
                    Entry::Question(q) => {
                        f(&Block::Heading(q.heading.clone()));
                        visit_blocks(&q.prompt, f);
                        for option in q.choices.iter().flat_map(|c| &c.options) {
                            visit_blocks(&option.blocks, f);
                        }
                    }
                    // The answer's heading is its question's, visited with the question.
                    Entry::Answer(a) => visit_blocks(&a.blocks, f),
                }
            }
        }
        for term in &self.glossary {
            visit_blocks(&term.definition, f);
        }
        for note in &self.footnotes {
            visit_blocks(&note.blocks, f);
        }
    }

    /// Returns true when every image of the book has alt text, which PDF/UA-1 and WCAG require.
    pub fn every_image_has_alt(&self) -> bool {
        self.images().iter().all(|image| !image.alt.trim().is_empty())
    }

    /// Returns every image of the book, figures and inline images alike, in reading order.
    pub fn images(&self) -> Vec<Image> {
        let mut images = Vec::new();
        self.visit_blocks(&mut |block| {
            if let Block::Figure(image) = block {
                images.push(image.clone());
            }
            visit_inlines(block, &mut |inline| {
                if let Inline::Image(image) = inline {
                    images.push(image.clone());
                }
            });
        });
        images
    }
}

impl Book {
    /// Calls `f` on every piece of inline content of the book, nested ones included, where a pass
    /// may change it in place: the documents' titles, blocks and entries, then the glossary's terms
    /// and definitions, then the footnotes.
    pub fn visit_inlines_mut(&mut self, f: &mut dyn FnMut(&mut Inline)) {
        for document in &mut self.documents {
            visit_inline_tree_mut(&mut document.title.content, f);
            visit_blocks_inlines_mut(&mut document.blocks, f);
            for entry in &mut document.entries {
                match entry {
                    Entry::Faq(e) => {
                        visit_inline_tree_mut(&mut e.question.content, f);
                        visit_blocks_inlines_mut(&mut e.answer, f);
                    }
                    Entry::Question(q) => {
                        visit_inline_tree_mut(&mut q.heading.content, f);
                        visit_blocks_inlines_mut(&mut q.prompt, f);
                        for option in q.choices.iter_mut().flat_map(|c| &mut c.options) {
                            visit_blocks_inlines_mut(&mut option.blocks, f);
                        }
                    }
                    Entry::Answer(a) => {
                        visit_inline_tree_mut(&mut a.heading.content, f);
                        visit_blocks_inlines_mut(&mut a.blocks, f);
                    }
                }
            }
        }
        for term in &mut self.glossary {
            visit_inline_tree_mut(&mut term.term, f);
            visit_blocks_inlines_mut(&mut term.definition, f);
        }
        for note in &mut self.footnotes {
            visit_blocks_inlines_mut(&mut note.blocks, f);
        }
    }
}

/// Calls `f` on each piece of inline content of `blocks`, nested blocks and inlines included.
fn visit_blocks_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    for block in blocks {
        match block {
            Block::Heading(h) => visit_inline_tree_mut(&mut h.content, f),
            Block::Paragraph(inlines) | Block::NestedHeading(inlines) => visit_inline_tree_mut(inlines, f),
            Block::Quote(inner) | Block::Callout { blocks: inner, .. } => visit_blocks_inlines_mut(inner, f),
            Block::List { items, .. } => {
                items.iter_mut().for_each(|item| visit_blocks_inlines_mut(&mut item.blocks, f))
            }
            Block::Terms(terms) => terms.iter_mut().for_each(|term| {
                visit_inline_tree_mut(&mut term.term, f);
                visit_blocks_inlines_mut(&mut term.definition, f);
            }),
            Block::Table { header, rows, .. } => {
                header.iter_mut().chain(rows.iter_mut().flatten()).for_each(|cell| visit_inline_tree_mut(cell, f));
            }
            _ => {}
        }
    }
}

/// Calls `f` on each piece of inline content, and on the content nested in it.
fn visit_inline_tree_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
    for inline in inlines {
        f(inline);
        if let Some(content) = inline.content_mut() {
            visit_inline_tree_mut(content, f);
        }
    }
}

/// Calls `f` on each block and, depth first, on the blocks nested in it.
pub fn visit_blocks(blocks: &[Block], f: &mut dyn FnMut(&Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::Quote(inner) | Block::Callout { blocks: inner, .. } => visit_blocks(inner, f),
            Block::List { items, .. } => items.iter().for_each(|item| visit_blocks(&item.blocks, f)),
            Block::Terms(terms) => terms.iter().for_each(|term| visit_blocks(&term.definition, f)),
            _ => {}
        }
    }
}

/// Returns blocks with `f` applied to the inline content of each paragraph, heading, list item,
/// quote, callout and table cell, nested ones included.
pub fn map_inlines(blocks: Vec<Block>, f: &mut dyn FnMut(Vec<Inline>) -> Vec<Inline>) -> Vec<Block> {
    blocks
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(inlines) => Block::Paragraph(f(inlines)),
            Block::NestedHeading(inlines) => Block::NestedHeading(f(inlines)),
            Block::List { start, tight, items } => Block::List {
                start,
                tight,
                items: items
                    .into_iter()
                    .map(|item| ListItem { task: item.task, blocks: map_inlines(item.blocks, f) })
                    .collect(),
            },
            Block::Quote(inner) => Block::Quote(map_inlines(inner, f)),
            Block::Callout { kind, title, blocks } => Block::Callout { kind, title, blocks: map_inlines(blocks, f) },
            Block::Table { align, header, rows } => Block::Table {
                align,
                header: header.into_iter().map(&mut *f).collect(),
                rows: rows.into_iter().map(|row| row.into_iter().map(&mut *f).collect()).collect(),
            },
            other => other,
        })
        .collect()
}

/// Calls `f` on the inline content that belongs to `block` itself (not to blocks nested in it),
/// nested inlines included.
pub fn visit_inlines(block: &Block, f: &mut dyn FnMut(&Inline)) {
    match block {
        Block::Heading(h) => visit_inline_tree(&h.content, f),
        Block::Paragraph(inlines) | Block::NestedHeading(inlines) => visit_inline_tree(inlines, f),
        Block::Terms(terms) => terms.iter().for_each(|t| visit_inline_tree(&t.term, f)),
        Block::Table { header, rows, .. } => {
            header.iter().chain(rows.iter().flatten()).for_each(|cell| visit_inline_tree(cell, f));
        }
        _ => {}
    }
}

/// Calls `f` on each piece of inline content, and on the content nested in it.
pub fn visit_inline_tree(inlines: &[Inline], f: &mut dyn FnMut(&Inline)) {
    for inline in inlines {
        f(inline);
        if let Some(content) = inline.content() {
            visit_inline_tree(content, f);
        }
    }
}

/// Returns inline content with `f` applied to each piece that holds no other (text, a gap, code…),
/// those nested in others included; `f` may make one piece several, or none.
pub fn map_inline_leaves(inlines: Vec<Inline>, f: &mut dyn FnMut(Inline) -> Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(inlines.len());
    for mut inline in inlines {
        match inline.content_mut() {
            Some(content) => {
                *content = map_inline_leaves(std::mem::take(content), f);
                out.push(inline);
            }
            None => out.extend(f(inline)),
        }
    }
    out
}

/// Matches the pieces of inline content that hold inline content, naming every variant, so that a
/// variant added to the model is placed here, once, before it compiles.
macro_rules! nested {
    ($inline:expr) => {
        match $inline {
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Link { content: c, .. }
            | Inline::CrossRef { content: c, .. }
            | Inline::GlossaryRef { content: c, .. } => Some(c),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Image(_)
            | Inline::FootnoteRef(_)
            | Inline::IndexMark { .. }
            | Inline::Math(_)
            | Inline::Gap(_)
            | Inline::SoftBreak
            | Inline::LineBreak => None,
        }
    };
}

impl Inline {
    /// Returns the inline content this piece holds: that of emphasis, strong emphasis, struck-out
    /// text, a link and a glossary reference; none for any other.
    pub fn content(&self) -> Option<&Vec<Inline>> {
        nested!(self)
    }

    /// Returns the inline content this piece holds, to change, as [`Inline::content`] finds it.
    pub fn content_mut(&mut self) -> Option<&mut Vec<Inline>> {
        nested!(self)
    }
}
