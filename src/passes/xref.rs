//! Cross-references: each Markdown link to a place in the book (`#slug` in the same file,
//! `file.md#slug` in another, `file.md` for a document's title) is given the place it leads to, or
//! an error at the link when there is none.
//!
//! A place is found by the slug GitHub and mdBook give a heading (comrak's [`Anchorizer`], per
//! file, so a second "Summary" in a file is `#summary-1`), or by revise's own anchor, as in the
//! EPUB (`#ch2-the-contenders`, `#question-3`, `#answer-3`, `#term-collectivisation`); a key term
//! also by the slug of its name (`#collectivisation`) where no heading of its file has that slug.

use std::collections::HashMap;

use comrak::Anchorizer;

use crate::diagnostics::Diagnostic;
use crate::model::anchor::Anchor;
use crate::model::{Block, Book, DocKind, Entry, Heading, Inline, Place, plain_text};
use crate::source::Sources;

/// The places a book's cross-references can lead to.
#[derive(Debug, Default)]
pub struct Places {
    /// For each Markdown file (by its name in the book folder, such as `chapters/02-rivals.md`), its
    /// places by slug, and the place of its title.
    files: HashMap<String, (HashMap<String, Place>, Place)>,
    /// Every place by revise's anchor.
    anchors: HashMap<String, Place>,
}

impl Places {
    /// Collects the places of `book`.
    pub fn of(book: &Book, sources: &Sources) -> Self {
        let mut places = Places::default();
        // Each file's headings are slugged twice, each way counting its own repeats: as GitHub
        // does, from the heading as written (`why-2-marks`), and from its text as revise sets it,
        // without a question's marks (`why`). The answers share the questions' file.
        let mut slugs: HashMap<String, (Anchorizer, Anchorizer)> = HashMap::new();
        for document in &book.documents {
            let file = sources.name(document.title.span.file).to_string();
            let doc = document.kind;
            let (as_written, as_set) =
                slugs.entry(file.clone()).or_insert_with(|| (Anchorizer::new(), Anchorizer::new()));
            let mut add = |places: &mut Places, heading: Option<&Heading>, anchor: &Anchor| {
                let place = Place { anchor: anchor.clone(), doc };
                places.anchors.insert(anchor.to_string(), place.clone());
                if let Some(heading) = heading {
                    let written = as_written.anchorize(&written_text(sources, heading));
                    let set = as_set.anchorize(&plain_text(&heading.content));
                    let entry = places.files.entry(file.clone()).or_insert_with(|| (HashMap::new(), place.clone()));
                    entry.0.entry(written).or_insert_with(|| place.clone());
                    entry.0.entry(set).or_insert(place);
                }
            };
            let title = (doc != DocKind::Answers).then_some(&document.title);
            add(&mut places, title, &document.title.id);
            let (mut headings, mut terms) = (Vec::new(), Vec::new());
            crate::model::walk::visit_blocks(&document.blocks, &mut |block| match block {
                Block::Heading(h) => headings.push(h.clone()),
                Block::Terms(list) => terms.extend(list.iter().map(|t| (t.name.clone(), t.id.clone()))),
                _ => {}
            });
            for heading in &headings {
                add(&mut places, Some(heading), &heading.id);
            }
            for entry in &document.entries {
                match entry {
                    Entry::Faq(e) => add(&mut places, Some(&e.question), &e.question.id),
                    Entry::Question(q) => add(&mut places, Some(&q.heading), &q.id()),
                    Entry::Answer(a) => add(&mut places, None, &a.id()),
                }
            }
            // Key terms last, so that a heading keeps a slug both have.
            for (name, id) in terms {
                let place = Place { anchor: id.clone(), doc };
                places.anchors.insert(id.to_string(), place.clone());
                if let Some((by_slug, _)) = places.files.get_mut(&file) {
                    by_slug.entry(Anchorizer::new().anchorize(&name)).or_insert(place);
                }
            }
        }
        places
    }

    /// Returns every way to link to a place, file by file: `(file, slug, anchor)`, sorted, for
    /// `revise check --anchors`.
    pub fn listing(&self) -> Vec<(String, String, String)> {
        let mut lines: Vec<_> = self
            .files
            .iter()
            .flat_map(|(file, (by_slug, _))| {
                by_slug.iter().map(move |(slug, place)| (file.clone(), slug.clone(), place.anchor.to_string()))
            })
            .collect();
        lines.sort();
        lines
    }

    /// Returns the place `href`, written in the file named `from`, leads to; or the slugs and anchors
    /// it might have meant, nearest first.
    pub fn find(&self, from: &str, href: &str) -> Result<Place, Vec<String>> {
        let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
        let file = if path.is_empty() { from.to_string() } else { join(from, path) };
        let fragment = percent_decode(fragment);
        let in_file = self.files.get(&file);
        if let Some((by_slug, title)) = in_file {
            if fragment.is_empty() {
                return Ok(title.clone());
            }
            if let Some(place) = by_slug.get(&fragment).or_else(|| by_slug.get(&fragment.to_lowercase())) {
                return Ok(place.clone());
            }
        }
        if let Some(place) = self.anchors.get(&fragment) {
            // revise's anchors are unique in the book, so the file need not be the right one.
            return Ok(place.clone());
        }
        let mut near: Vec<(f64, String)> = match in_file {
            Some((by_slug, _)) => {
                by_slug.keys().map(|slug| (strsim::jaro_winkler(&fragment, slug), format!("#{slug}"))).collect()
            }
            None => self.files.keys().map(|name| (strsim::jaro_winkler(&file, name), relative(from, name))).collect(),
        };
        near.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Err(near.into_iter().filter(|(score, _)| *score > 0.7).take(3).map(|(_, s)| s).collect())
    }
}

/// A heading as written in its file, without its `#` marks: what GitHub makes its slug from.
fn written_text(sources: &Sources, heading: &Heading) -> String {
    let text = sources.text(heading.span.file).get(heading.span.range.clone()).unwrap_or("");
    let line = text.lines().next().unwrap_or("").trim();
    line.trim_start_matches('#').trim_end_matches('#').trim().to_string()
}

/// Resolves `path`, written in the file named `from`, against `from`'s folder: `02-b.md` from
/// `chapters/01-a.md` is `chapters/02-b.md`; `../faq.md` is `faq.md`.
fn join(from: &str, path: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// Returns `name` as a link from the file named `from` would write it.
fn relative(from: &str, name: &str) -> String {
    let folder = from.rsplit_once('/').map_or("", |(folder, _)| folder);
    match name.strip_prefix(folder).and_then(|rest| rest.strip_prefix('/')) {
        Some(rest) if !folder.is_empty() => rest.to_string(),
        _ if folder.is_empty() => name.to_string(),
        _ => format!("../{name}"),
    }
}

/// Decodes `%xx` escapes (a link to `#größe` may be written `#gr%C3%B6%C3%9Fe`); text that is not
/// UTF-8 once decoded is kept as written.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8().map_or_else(|_| text.to_string(), |t| t.into_owned())
}

/// Gives each cross-reference of `book` its place, and returns an error for each that has none.
pub fn run(book: &mut Book, sources: &Sources) -> Vec<Diagnostic> {
    let places = Places::of(book, sources);
    let mut diagnostics = Vec::new();
    book.visit_inlines_mut(&mut |inline| {
        let Inline::CrossRef { to, .. } = inline else { return };
        let from = sources.name(to.span.file);
        match places.find(from, &to.href) {
            Ok(place) => to.place = Some(place),
            Err(near) => {
                let hint = if near.is_empty() {
                    "link to a heading, question or key term by its slug, as GitHub makes it (`#the-secret-speech`); `revise check --anchors` lists them".to_string()
                } else {
                    format!("did you mean {}?", near.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or "))
                };
                diagnostics.push(
                    Diagnostic::error(format!("the link `{}` leads to no heading, question or key term of the book", to.href))
                        .at(to.span.clone(), "no such place")
                        .hint(hint),
                );
            }
        }
    });
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_resolved_against_the_linking_file() {
        assert_eq!(join("chapters/01-a.md", "02-b.md"), "chapters/02-b.md");
        assert_eq!(join("chapters/01-a.md", "../faq.md"), "faq.md");
        assert_eq!(join("faq.md", "chapters/02-b.md"), "chapters/02-b.md");
        assert_eq!(join("faq.md", "./questions.md"), "questions.md");
        assert_eq!(relative("chapters/01-a.md", "chapters/02-b.md"), "02-b.md");
        assert_eq!(relative("chapters/01-a.md", "faq.md"), "../faq.md");
        assert_eq!(relative("faq.md", "chapters/02-b.md"), "chapters/02-b.md");
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(percent_decode("gr%C3%B6%C3%9Fe"), "größe");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%zz"), "a%zz");
    }
}
