//! The Markdown front end: parses a file once with comrak and converts the tree into the owned model.
//!
//! comrak's arena and lifetimes stay inside this module; everything it returns is owned and carries
//! source spans.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use comrak::nodes::{AlertType, ListType, NodeValue, Sourcepos, TableAlignment};
use comrak::{Arena, Options};

use crate::diagnostics::{Diagnostic, Span};
use crate::math;
use crate::model::anchor::Anchors;
use crate::model::{
    Align, Block, CalloutKind, CrossTarget, Footnote, Heading, Image, ImageFormat, Inline, ListItem, TermDef,
    plain_text,
};
use crate::source::{PathProblem, SourceId, Sources, relative_name, resolve_inside};

/// How deeply blocks and inlines may nest before the rest is refused with a diagnostic.
pub const MAX_DEPTH: usize = 64;

/// State shared by the parses of one book: anchors in use, footnotes and diagnostics.
#[derive(Debug)]
pub struct Context {
    root: PathBuf,
    /// The anchors made so far.
    pub anchors: Anchors,
    /// The footnotes of every file parsed so far.
    pub footnotes: Vec<Footnote>,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// The converter of equations; `None` when `[book] math = false`.
    pub math: Option<math::Converter>,
}

impl Context {
    /// Creates a context for the book whose canonical folder is `root`; `math` converts its
    /// equations, or is `None` if `$` is only ever text.
    pub fn new(root: &Path, math: Option<math::Converter>) -> Self {
        Self {
            root: root.to_path_buf(),
            anchors: Anchors::default(),
            footnotes: Vec::new(),
            diagnostics: Vec::new(),
            math,
        }
    }
}

/// Returns the comrak options of the source format; `math` reads `$…$`, `$$…$$` and `math` blocks.
fn options(math: bool) -> Options<'static> {
    let mut options = Options::default();
    let ext = &mut options.extension;
    ext.math_dollars = math;
    ext.strikethrough = true;
    ext.table = true;
    ext.autolink = true;
    ext.tasklist = true;
    ext.footnotes = true;
    ext.description_lists = true;
    ext.alerts = true;
    options
}

/// Parses one Markdown file into blocks; headings stay in the block list for the caller to structure.
pub fn parse(source: SourceId, sources: &Sources, ctx: &mut Context, id_prefix: &str) -> Vec<Block> {
    let text = sources.text(source);
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, text, &options(ctx.math.is_some()));
    let dir = sources.path(source).parent().map(Path::to_path_buf).unwrap_or_default();
    let mut converter = Converter {
        source,
        text,
        line_starts: line_starts(text),
        dir,
        ctx,
        footnote_names: HashMap::new(),
        id_prefix: id_prefix.to_string(),
    };

    // Footnote definitions come first, so references anywhere can find them.
    for node in root.children() {
        let value = node.data().value.clone();
        if let NodeValue::FootnoteDefinition(def) = value {
            let blocks = converter.blocks(node, 1);
            let id = converter.ctx.anchors.footnote(&converter.id_prefix, &def.name);
            let index = converter.ctx.footnotes.len();
            converter.ctx.footnotes.push(Footnote { id, blocks });
            converter.footnote_names.insert(def.name.to_lowercase(), index);
        }
    }
    converter.blocks(root, 0)
}

struct Converter<'t, 'c> {
    source: SourceId,
    text: &'t str,
    line_starts: Vec<usize>,
    dir: PathBuf,
    ctx: &'c mut Context,
    footnote_names: HashMap<String, usize>,
    id_prefix: String,
}

type Node<'a> = comrak::nodes::Node<'a>;

impl Converter<'_, '_> {
    fn span(&self, pos: Sourcepos) -> Span {
        let offset = |line: usize, column: usize| -> usize {
            let start = self.line_starts.get(line.saturating_sub(1)).copied().unwrap_or(self.text.len());
            ceil_boundary(self.text, (start + column.saturating_sub(1)).min(self.text.len()))
        };
        let start = offset(pos.start.line, pos.start.column);
        let end = offset(pos.end.line, pos.end.column + 1).max(start);
        Span::new(self.source, start..end)
    }

    fn too_deep(&mut self, node: Node<'_>) {
        let span = self.span(node.data().sourcepos);
        self.ctx.diagnostics.push(
            Diagnostic::error(format!("content is nested more than {MAX_DEPTH} levels deep"))
                .at(span, "nested too deeply")
                .hint("flatten the nested lists or block quotes"),
        );
    }

    fn unclosed_comment(&mut self, pos: Sourcepos) {
        let span = self.span(pos);
        let start = span.range.start + self.text[span.range.clone()].find("<!--").unwrap_or(0);
        self.ctx.diagnostics.push(
            Diagnostic::warning("this HTML comment is never closed, so everything after it is hidden")
                .at(Span::new(self.source, start..start + 4), "comment opened here")
                .hint("close the comment with `-->` where the note to yourself ends"),
        );
    }

    fn blocks<'a>(&mut self, parent: Node<'a>, depth: usize) -> Vec<Block> {
        if depth > MAX_DEPTH {
            self.too_deep(parent);
            return Vec::new();
        }
        let mut out = Vec::new();
        for node in parent.children() {
            self.block(node, depth, &mut out);
        }
        out
    }

    fn block<'a>(&mut self, node: Node<'a>, depth: usize, out: &mut Vec<Block>) {
        let (value, pos) = {
            let data = node.data();
            (data.value.clone(), data.sourcepos)
        };
        match value {
            NodeValue::Paragraph => {
                let inlines = self.inlines(node, depth + 1);
                // An image alone in its paragraph is a figure with a caption.
                if let [Inline::Image(image)] = inlines.as_slice() {
                    out.push(Block::Figure(image.clone()));
                } else if !inlines.is_empty() {
                    out.push(Block::Paragraph(inlines));
                }
            }
            NodeValue::Heading(_) if depth > 0 => {
                let content = self.inlines(node, depth + 1);
                out.push(Block::NestedHeading(content));
            }
            NodeValue::Heading(h) => {
                let content = self.inlines(node, depth + 1);
                let text = plain_text(&content);
                let id = self.ctx.anchors.heading(&self.id_prefix, &text);
                out.push(Block::Heading(Heading { level: h.level, content, id, number: None, span: self.span(pos) }));
            }
            NodeValue::List(list) => {
                let start = match list.list_type {
                    ListType::Bullet => None,
                    ListType::Ordered => Some(list.start as u64),
                };
                let mut items = Vec::new();
                for item in node.children() {
                    let task = match &item.data().value {
                        NodeValue::TaskItem(t) => Some(t.symbol.is_some()),
                        _ => None,
                    };
                    items.push(ListItem { task, blocks: self.blocks(item, depth + 1) });
                }
                out.push(Block::List { start, tight: list.tight, items });
            }
            NodeValue::Item(_) | NodeValue::TaskItem(_) => {
                out.extend(self.blocks(node, depth + 1));
            }
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => {
                out.push(Block::Quote(self.blocks(node, depth + 1)));
            }
            NodeValue::Alert(alert) => {
                let kind = match alert.alert_type {
                    AlertType::Note => CalloutKind::Note,
                    AlertType::Tip => CalloutKind::Tip,
                    AlertType::Important => CalloutKind::Important,
                    AlertType::Warning => CalloutKind::Warning,
                    AlertType::Caution => CalloutKind::Caution,
                };
                let title = alert.title.filter(|t| !t.trim().is_empty());
                out.push(Block::Callout { kind, title, blocks: self.blocks(node, depth + 1) });
            }
            NodeValue::DescriptionList => {
                let mut terms = Vec::new();
                for item in node.children() {
                    if let Some(term) = self.term(item, depth + 1) {
                        terms.push(term);
                    }
                }
                if !terms.is_empty() {
                    out.push(Block::Terms(terms));
                }
            }
            NodeValue::CodeBlock(code)
                if self.ctx.math.is_some() && code.info.split_whitespace().next() == Some("math") =>
            {
                // The maths starts on the line after the opening fence.
                let span = self.span(pos);
                let fence_end =
                    self.text[span.range.clone()].find('\n').map_or(span.range.start, |i| span.range.start + i + 1);
                if let Some(math) = self.math(&code.literal, true, fence_end) {
                    out.push(Block::Paragraph(vec![math]));
                }
            }
            NodeValue::CodeBlock(code) => {
                let lang = code.info.split_whitespace().next().map(str::to_string);
                out.push(Block::Code { lang, text: code.literal.clone() });
            }
            NodeValue::HtmlBlock(html) => {
                // Comments are the author's notes to self; the rest of raw HTML is shown as written.
                let (text, unclosed) = strip_html_comments(&html.literal);
                if unclosed {
                    self.unclosed_comment(pos);
                }
                let text = text.trim_matches('\n');
                if !text.trim().is_empty() {
                    out.push(Block::Literal(text.to_string()));
                }
            }
            NodeValue::Table(table) => {
                let align = table
                    .alignments
                    .iter()
                    .map(|a| match a {
                        TableAlignment::None => Align::None,
                        TableAlignment::Left => Align::Left,
                        TableAlignment::Center => Align::Center,
                        TableAlignment::Right => Align::Right,
                    })
                    .collect();
                let mut header = Vec::new();
                let mut rows = Vec::new();
                for row in node.children() {
                    let is_header = matches!(row.data().value, NodeValue::TableRow(true));
                    let cells: Vec<Vec<Inline>> = row.children().map(|cell| self.inlines(cell, depth + 1)).collect();
                    if is_header {
                        header = cells;
                    } else {
                        rows.push(cells);
                    }
                }
                out.push(Block::Table { align, header, rows });
            }
            NodeValue::ThematicBreak => out.push(Block::Rule),
            NodeValue::FootnoteDefinition(_) | NodeValue::FrontMatter(_) => {}
            _ => {
                // Anything else block-level is kept as its text.
                let text = self.text[self.span(pos).range].to_string();
                if !text.trim().is_empty() {
                    out.push(Block::Literal(text));
                }
            }
        }
    }

    fn term<'a>(&mut self, item: Node<'a>, depth: usize) -> Option<TermDef> {
        let span = self.span(item.data().sourcepos);
        let mut term = Vec::new();
        let mut term_span = span.clone();
        let mut definition = Vec::new();
        for part in item.children() {
            let (value, pos) = {
                let data = part.data();
                (data.value.clone(), data.sourcepos)
            };
            match value {
                NodeValue::DescriptionTerm => {
                    term_span = self.span(pos);
                    for child in part.children() {
                        if matches!(child.data().value, NodeValue::Paragraph) {
                            term.extend(self.inlines(child, depth + 1));
                        } else {
                            term.extend(self.inline_one(child, depth + 1));
                        }
                    }
                }
                NodeValue::DescriptionDetails => definition.extend(self.blocks(part, depth + 1)),
                _ => {}
            }
        }
        let name = plain_text(&term).trim().to_string();
        if name.is_empty() {
            return None;
        }
        // The term's span is its own line only, not the definition below it.
        let line_end =
            self.text[term_span.range.start..].find('\n').map_or(self.text.len(), |i| term_span.range.start + i);
        term_span.range.end = line_end.max(term_span.range.start);
        let id = self.ctx.anchors.term(&name);
        Some(TermDef { term, name, definition, id, span: term_span })
    }

    fn inlines<'a>(&mut self, parent: Node<'a>, depth: usize) -> Vec<Inline> {
        if depth > MAX_DEPTH {
            self.too_deep(parent);
            return Vec::new();
        }
        let mut out = Vec::new();
        for node in parent.children() {
            out.extend(self.inline_one(node, depth));
        }
        // Merge neighbouring text runs, which comrak splits at special characters.
        let mut merged: Vec<Inline> = Vec::with_capacity(out.len());
        for inline in out {
            match (merged.last_mut(), inline) {
                (Some(Inline::Text(prev)), Inline::Text(next)) => prev.push_str(&next),
                (_, inline) => merged.push(inline),
            }
        }
        merged
    }

    fn inline_one<'a>(&mut self, node: Node<'a>, depth: usize) -> Option<Inline> {
        let (value, pos) = {
            let data = node.data();
            (data.value.clone(), data.sourcepos)
        };
        Some(match value {
            NodeValue::Text(text) => Inline::Text(text.into_owned()),
            NodeValue::Code(code) => Inline::Code(code.literal),
            NodeValue::HtmlInline(html) if html.starts_with("<!--") => return None,
            NodeValue::HtmlInline(html) => Inline::Text(html),
            NodeValue::SoftBreak => Inline::SoftBreak,
            NodeValue::LineBreak => Inline::LineBreak,
            NodeValue::Math(m) => {
                let span = self.span(pos);
                // The maths starts after its opening dollars (comrak gives the literal with line
                // breaks made spaces, which keeps every offset but one of `\r\n`).
                let within = &self.text[span.range.clone()];
                let delimiter = if m.display_math { "$$" } else { "$" };
                let start = span.range.start
                    + if within.starts_with(delimiter) {
                        delimiter.len()
                    } else {
                        within.find(m.literal.as_str()).unwrap_or(0)
                    };
                return self.math(&m.literal, m.display_math, start);
            }
            NodeValue::Emph => Inline::Emph(self.inlines(node, depth + 1)),
            NodeValue::Strong => Inline::Strong(self.inlines(node, depth + 1)),
            NodeValue::Strikethrough => Inline::Strike(self.inlines(node, depth + 1)),
            NodeValue::Link(link) => {
                let content = self.inlines(node, depth + 1);
                if let Some(scheme) = unsafe_scheme(&link.url) {
                    self.ctx.diagnostics.push(
                        Diagnostic::warning(format!("a `{scheme}:` link is not allowed; it is shown as plain text"))
                            .at(self.span(pos), "unsafe link")
                            .hint("link to an `https:` address instead"),
                    );
                    return Some(Inline::Text(plain_text(&content)));
                }
                if is_cross_ref(&link.url) {
                    let to = Box::new(CrossTarget { href: link.url.clone(), span: self.span(pos), place: None });
                    return Some(Inline::CrossRef { to, content });
                }
                if !has_scheme(&link.url) {
                    self.ctx.diagnostics.push(
                        Diagnostic::warning("a link without an address such as `https:` is shown as plain text")
                            .at(self.span(pos), "no web address")
                            .hint("link to a full address, such as `https://example.com/page`"),
                    );
                    return Some(Inline::Text(plain_text(&content)));
                }
                if !valid_host(&link.url) {
                    self.ctx.diagnostics.push(
                        Diagnostic::warning("a link whose address has no valid host name is shown as plain text")
                            .at(self.span(pos), "not a host name")
                            .hint("write the host in full, such as `https://example.com/page`"),
                    );
                    return Some(Inline::Text(plain_text(&content)));
                }
                Inline::Link { url: link.url.clone(), content }
            }
            NodeValue::Image(link) => {
                let alt = plain_text(&self.inlines(node, depth + 1));
                let span = self.span(pos);
                return self.image(&link.url, alt, span).map(Inline::Image);
            }
            NodeValue::FootnoteReference(reference) => match self.footnote_names.get(&reference.name.to_lowercase()) {
                Some(&index) => Inline::FootnoteRef(index),
                None => Inline::Text(format!("[^{}]", reference.name)),
            },
            _ => {
                let children = self.inlines(node, depth + 1);
                // An inline the model has no kind for keeps its text.
                if children.is_empty() {
                    Inline::Text(self.text[self.span(pos).range].to_string())
                } else {
                    Inline::Text(plain_text(&children))
                }
            }
        })
    }

    /// Converts an equation whose LaTeX starts at byte `start` of the file; an error in it is
    /// reported at its place and the equation left out.
    fn math(&mut self, latex: &str, display: bool, start: usize) -> Option<Inline> {
        let converter = self.ctx.math.as_mut()?;
        let span = Span::new(self.source, start..start + latex.len());
        match converter.convert(latex, display, span) {
            Ok(math) => Some(Inline::Math(Box::new(math))),
            Err(error) => {
                let range = start + error.range.start..start + error.range.end;
                self.ctx.diagnostics.push(
                    Diagnostic::error(error.message).at(Span::new(self.source, range), error.label).hint(error.hint),
                );
                None
            }
        }
    }

    fn image(&mut self, url: &str, alt: String, span: Span) -> Option<Image> {
        if url.contains("://") || url.starts_with("data:") {
            self.ctx.diagnostics.push(
                Diagnostic::error(format!("the image `{url}` is not a file in the book"))
                    .at(span, "remote image")
                    .hint("download the image into the book folder and name it by a relative path"),
            );
            return None;
        }
        let resolved = match resolve_inside(&self.ctx.root, &self.dir.join(url)) {
            Ok(resolved) => resolved,
            Err(PathProblem::Missing) => {
                self.ctx.diagnostics.push(
                    Diagnostic::error(format!("the image `{url}` does not exist"))
                        .at(span, "image not found")
                        .hint("image paths are relative to the Markdown file"),
                );
                return None;
            }
            Err(PathProblem::Outside) => {
                self.ctx.diagnostics.push(
                    Diagnostic::error(format!("the image `{url}` is outside the book folder"))
                        .at(span, "outside the book folder")
                        .hint("copy the image into the book folder"),
                );
                return None;
            }
        };
        let Some(format) = ImageFormat::of(&resolved.to_string_lossy()) else {
            self.ctx.diagnostics.push(
                Diagnostic::error(format!("the image `{url}` is not a {} file", ImageFormat::NAMES))
                    .at(span, "unsupported image format"),
            );
            return None;
        };
        if alt.trim().is_empty() {
            self.ctx.diagnostics.push(
                Diagnostic::warning(format!(
                    "the image `{url}` has no alt text, so no PDF claims PDF/UA-1 and the EPUB claims no WCAG conformance"
                ))
                .at(span.clone(), "no alt text")
                .hint("describe the image between the brackets: `![A map of the USSR](map.png)`"),
            );
        }
        Some(Image { path: relative_name(&self.ctx.root, &resolved), alt, span, format })
    }
}

/// Removes the `<!-- … -->` comments from raw HTML; also returns whether the last one is unclosed,
/// in which case it runs to the end, as it does in a browser.
fn strip_html_comments(html: &str) -> (String, bool) {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => rest = &rest[start + 4 + end + 3..],
            None => return (out, true),
        }
    }
    out.push_str(rest);
    (out, false)
}

/// Returns the scheme of a link that must not be followed from a book, if `url` has one.
pub fn unsafe_scheme(url: &str) -> Option<String> {
    let trimmed: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let scheme = trimmed.split(':').next()?.to_ascii_lowercase();
    if trimmed.contains(':') && ["javascript", "data", "file", "vbscript"].contains(&scheme.as_str()) {
        Some(scheme)
    } else {
        None
    }
}

/// Returns true if `url` leads to a place in the book: `#slug`, or a Markdown file with or without
/// `#slug` (`02-contenders.md#the-contenders`, `../faq.md`).
fn is_cross_ref(url: &str) -> bool {
    let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
    (path.is_empty() && !fragment.is_empty()) || (!has_scheme(path) && !path.contains('?') && path.ends_with(".md"))
}

/// Returns true if `url` starts with a scheme such as `https:` or `mailto:`.
fn has_scheme(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Returns true when an address with a host (`scheme://host/…`) names a host EPUB readers and
/// validators accept: an IP address in brackets, or dot-separated names of letters, digits and
/// hyphens, none empty (`https://../` has none) and none starting or ending with a hyphen (a final
/// dot is allowed). An address without `//` has no host to check.
fn valid_host(url: &str) -> bool {
    let Some((_, rest)) = url.split_once(':') else { return true };
    let Some(authority) = rest.strip_prefix("//") else { return true };
    let authority = authority.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if let Some(literal) = host.strip_prefix('[') {
        return literal.split_once(']').is_some_and(|(ip, _)| ip.parse::<std::net::Ipv6Addr>().is_ok());
    }
    let host = host.split_once(':').map_or(host, |(name, _)| name);
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

fn ceil_boundary(text: &str, mut offset: usize) -> usize {
    while offset < text.len() && !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::valid_host;

    #[test]
    fn a_host_must_be_a_host_name() {
        for good in [
            "https://example.com/a",
            "https://a.b.c.",
            "http://user@x.org:8080/p",
            "https://[::1]/",
            "https://пример.рф",
            "mailto:a@b.c",
        ] {
            assert!(valid_host(good), "{good}");
        }
        for bad in
            ["https://../", "https://a..b/", "https:///x", "https://-a.com/", "https://a b.com/", "https://[zz]/"]
        {
            assert!(!valid_host(bad), "{bad}");
        }
    }
}
