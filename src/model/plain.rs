//! The plain text of the model: for the TSVs, titles, the outline and sort keys.

use super::{Block, Heading, Inline};

/// Returns roughly how many characters of text some blocks hold, to judge how much room they take.
pub fn text_len(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|block| match block {
            Block::Heading(h) => plain_text(&h.content).len(),
            Block::Paragraph(inlines) | Block::NestedHeading(inlines) => plain_text(inlines).len(),
            Block::List { items, .. } => items.iter().map(|i| text_len(&i.blocks) + 40).sum(),
            Block::Quote(inner) | Block::Callout { blocks: inner, .. } => text_len(inner),
            Block::Terms(terms) => terms.iter().map(|t| t.name.len() + text_len(&t.definition)).sum(),
            Block::Code { text, .. } | Block::Literal(text) => text.len(),
            Block::Table { header, rows, .. } => {
                rows.iter().chain(std::iter::once(header)).flatten().map(|c| plain_text(c).len() + 20).sum()
            }
            Block::Figure(_) => 1000,
            Block::Rule => 0,
        })
        .sum()
}

/// Returns the plain text of blocks, for one line of plain text (the flashcards' TSV): blocks joined
/// by spaces, list items with their markers (`•`, `1.`, `☐`, `☑`), a callout with its title, a key
/// term with its definition, table rows with ` | ` between cells, code as written, images by their
/// alt text. Nothing of the text is left out.
pub fn blocks_plain_text(blocks: &[Block]) -> String {
    blocks_plain_text_as(blocks, MathForm::Text)
}

/// How plain text shows an equation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathForm {
    /// Its plain-text form, such as `v = s/t`.
    Text,
    /// Its LaTeX between MathJax's delimiters, `\(…\)` or `\[…\]`, as Anki renders it.
    MathJax,
}

/// Returns the plain text of blocks, with equations in the given form.
pub fn blocks_plain_text_as(blocks: &[Block], math: MathForm) -> String {
    let plain_text = |inlines: &[Inline]| plain_text_as(inlines, math);
    let blocks_plain_text = |blocks: &[Block]| blocks_plain_text_as(blocks, math);
    let mut parts = Vec::new();
    for block in blocks {
        let text = match block {
            Block::Heading(Heading { content, .. }) | Block::Paragraph(content) | Block::NestedHeading(content) => {
                plain_text(content)
            }
            Block::List { start, items, .. } => (start.unwrap_or(1)..)
                .zip(items)
                .map(|(number, item)| {
                    let marker = match (item.task, start) {
                        (Some(true), _) => "☑".to_string(),
                        (Some(false), _) => "☐".to_string(),
                        (None, Some(_)) => format!("{number}."),
                        (None, None) => "•".to_string(),
                    };
                    format!("{marker} {}", blocks_plain_text(&item.blocks))
                })
                .collect::<Vec<_>>()
                .join(" "),
            Block::Quote(inner) => blocks_plain_text(inner),
            Block::Callout { kind, title, blocks } => {
                format!("{}: {}", title.as_deref().unwrap_or(kind.default_title()), blocks_plain_text(blocks))
            }
            Block::Terms(terms) => terms
                .iter()
                .map(|t| format!("{}: {}", t.name, blocks_plain_text(&t.definition)))
                .collect::<Vec<_>>()
                .join(" "),
            Block::Code { text, .. } | Block::Literal(text) => text.clone(),
            Block::Table { header, rows, .. } => std::iter::once(header)
                .chain(rows)
                .map(|row| row.iter().map(|cell| plain_text(cell)).collect::<Vec<_>>().join(" | "))
                .collect::<Vec<_>>()
                .join(" "),
            Block::Figure(image) => image.alt.clone(),
            Block::Rule => String::new(),
        };
        if !text.trim().is_empty() {
            parts.push(text);
        }
    }
    parts.join(" ")
}

/// Returns the plain text of inline content.
pub fn plain_text(inlines: &[Inline]) -> String {
    plain_text_as(inlines, MathForm::Text)
}

/// Returns the plain text of inline content, with equations in the given form.
pub fn plain_text_as(inlines: &[Inline], math: MathForm) -> String {
    let mut out = String::new();
    push_plain(inlines, math, &mut out);
    out
}

fn push_plain(inlines: &[Inline], form: MathForm, out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Link { content: c, .. }
            | Inline::CrossRef { content: c, .. }
            | Inline::GlossaryRef { content: c, .. } => push_plain(c, form, out),
            Inline::Image(image) => out.push_str(&image.alt),
            Inline::Math(math) => match (form, math.display) {
                (MathForm::Text, _) => out.push_str(&math.text),
                (MathForm::MathJax, false) => out.push_str(&format!("\\({}\\)", math.latex.trim())),
                (MathForm::MathJax, true) => out.push_str(&format!("\\[{}\\]", math.latex.trim())),
            },
            Inline::FootnoteRef(_) | Inline::IndexMark { .. } => {}
            // A gap is a blank wherever plain text shows it: a title never gives its answer away.
            Inline::Gap(_) => out.push_str("_____"),
            Inline::SoftBreak | Inline::LineBreak => out.push(' '),
        }
    }
}
