//! The renderers: every output a build can make is a [`Renderer`] over one [`RenderContext`] (in the
//! manner of mdBook's `Renderer` and `RenderContext`), listed once in [`RENDERERS`]. The command
//! line's `--format`, `[build] outputs`, the files each output writes and the notes on what a book
//! has nothing for all come from that list, so adding an output is one new folder and two lines
//! here (its `pub mod` and its place in the list).
//!
//! Renderers only read: the book, what the passes derived, the templates, the book's images
//! ([`assets`]) and, for those that ask, the student edition as typst laid it out
//! ([`crate::layout`]). No renderer imports another; what several share lives beside them: the
//! body writers' trait ([`body`]), the HTML of the model with each user's link and asset policy
//! ([`html`]), the images ([`assets`]), the equations drawn as images ([`equations`]), reproducible zips ([`zip`]), the card formats ([`tsv`],
//! [`cloze`]) and the templates ([`templates`]).

pub mod anki;
pub mod assets;
pub mod body;
pub mod cloze;
pub mod epub;
pub mod equations;
pub mod html;
pub mod moodle;
pub mod pdf;
pub mod templates;
pub mod tsv;
pub mod zip;

use std::fmt;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Span};
use crate::layout::pages::PageList;
use crate::layout::{Laid, Worlds};
use crate::model::Book;
use crate::model::date::BuildDate;
use crate::model::manifest::{Manifest, Paper};
use crate::passes::Derived;
use assets::Assets;
use equations::EquationImages;
use templates::Templates;

/// Every renderer, in the order a build makes and reports their files.
pub static RENDERERS: &[&dyn Renderer] = &[
    &pdf::STUDENT,
    &epub::EPUB,
    &epub::KINDLE,
    &epub::KOBO,
    &pdf::TEACHER,
    &pdf::WORKSHEET,
    &pdf::ANSWERS,
    &pdf::FLASHCARDS,
    &moodle::Moodle,
    &anki::Anki,
];

/// When a renderer runs, and what it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// It exports the student edition that the layout stage laid out ([`RenderContext::laid`]);
    /// a build lays the student edition out once, before the renderers of the other stages that
    /// lay out typst or read its pages, when one of these is made.
    Laid,
    /// It lays out typst of its own: such renderers run one after another in one thread, since
    /// typst already spreads one layout over every core and two at once would need the memory of
    /// both.
    Typeset,
    /// It reads the student edition's page list ([`RenderContext::pages`]) when the build lays
    /// the student edition out, and runs in a thread of its own once that list is known.
    Paged,
    /// It needs nothing laid out, and runs in a thread of its own from the start.
    Free,
}

/// One output of a build: a PDF edition, the EPUB, a question bank, a deck.
pub trait Renderer: Sync {
    /// The output's name, as `--format` and `[build] outputs` give it.
    fn name(&self) -> &'static str;

    /// What the output is, in a few words, for the command line's help.
    fn about(&self) -> &'static str;

    /// Returns the files the output makes for the book, named from the book's output name `name`,
    /// or a note that says why the book has nothing for it.
    fn files(&self, book: &Book, derived: &Derived, name: &str) -> Result<Vec<String>, Diagnostic>;

    /// Returns when the renderer runs, and so what it is given.
    fn stage(&self) -> Stage {
        Stage::Free
    }

    /// Makes the output's files, each of those [`Renderer::files`] names, into `out`.
    fn render(&self, ctx: &RenderContext, out: &mut dyn Sink) -> Result<(), Vec<Diagnostic>>;
}

/// Where a renderer puts what it makes: files (one, or many), and warnings about them.
pub trait Sink {
    /// Takes one complete file.
    fn file(&mut self, name: String, bytes: Vec<u8>);

    /// Takes a warning about the output, such as a standard a PDF cannot claim.
    fn warn(&mut self, warning: Diagnostic);
}

/// What every renderer is given. Renderers only read it.
pub struct RenderContext<'a> {
    /// The canonical book folder, the only one typst may read.
    pub root: &'a Path,
    /// The book.
    pub book: &'a Book,
    /// What the passes derived from it.
    pub derived: &'a Derived,
    /// The templates, built-in or the book's own.
    pub templates: &'a Templates,
    /// The book's images, each read once.
    pub assets: &'a Assets,
    /// The book's equations as images, drawn once for the outputs that show no MathML.
    pub equations: &'a EquationImages,
    /// The base name of the output files.
    pub name: &'a str,
    /// The build date: `SOURCE_DATE_EPOCH`, else `[build] date`; without one the PDF has no date and
    /// the EPUB 1980-01-01.
    pub date: Option<BuildDate>,
    /// The paper size of the PDFs.
    pub paper: Paper,
    /// The typst worlds, kept between builds in a watching session.
    pub worlds: &'a Worlds,
    /// Whether typst's caches are kept after a layout, for the next build, or emptied.
    pub keep_caches: bool,
    /// The student edition as typst laid it out, for the renderers of [`Stage::Laid`] only.
    pub laid: Option<&'a Laid>,
    /// The student edition's printed pages, for the renderers of [`Stage::Paged`], when the build
    /// lays the student edition out and its template marks its pages.
    pub pages: Option<&'a PageList>,
}

/// An output a build can make: a renderer of [`RENDERERS`], known by its name.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Format(usize);

impl Format {
    /// Returns the output of this name, if there is one.
    pub fn named(name: &str) -> Option<Format> {
        RENDERERS.iter().position(|r| r.name() == name).map(Format)
    }

    /// Returns every output, in the order a build makes them.
    pub fn all() -> Vec<Format> {
        (0..RENDERERS.len()).map(Format).collect()
    }

    /// Returns the output's name.
    pub fn name(self) -> &'static str {
        self.renderer().name()
    }

    /// Returns the renderer that makes the output.
    pub fn renderer(self) -> &'static dyn Renderer {
        RENDERERS[self.0]
    }

    /// Returns every output's name, for messages: `` `pdf`, `epub`, … ``.
    pub fn names() -> String {
        RENDERERS.iter().map(|r| format!("`{}`", r.name())).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::named(name).ok_or_else(|| format!("unknown output `{name}`, expected one of {}", Format::names()))
    }
}

/// Returns the outputs `[build] outputs` names, every one when it is absent; a name no renderer has
/// is an error at its place in book.toml.
pub fn manifest_formats(manifest: &Manifest) -> Result<Vec<Format>, Vec<Diagnostic>> {
    let Some(names) = &manifest.build.outputs else { return Ok(Format::all()) };
    let mut formats = Vec::new();
    let mut errors = Vec::new();
    for name in names {
        match Format::named(name.get_ref()) {
            Some(format) => formats.push(format),
            None => errors.push(
                Diagnostic::error(format!(
                    "book.toml: unknown variant `{}`, expected one of {}",
                    name.get_ref(),
                    Format::names()
                ))
                .at(Span::new(manifest.source, name.span()), "not an output"),
            ),
        }
    }
    if errors.is_empty() { Ok(formats) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_output_has_one_name_that_finds_it() {
        let all = Format::all();
        assert_eq!(all.len(), RENDERERS.len());
        for format in all {
            assert_eq!(Format::named(format.name()), Some(format), "two outputs are named `{}`", format.name());
            assert_eq!(format.name().parse::<Format>(), Ok(format));
            assert!(!format.renderer().about().is_empty());
        }
        assert_eq!(Format::named("pdfs"), None);
        assert!("pdfs".parse::<Format>().unwrap_err().contains("`pdf`, `epub`"));
    }
}
