//! What a build makes: the files each format the author asks for writes, whether the book has
//! anything for it, and how each file is made from the one context every back end is given (in the
//! manner of mdBook's `RenderContext`).

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use crate::date::BuildDate;
use crate::diagnostics::Diagnostic;
use crate::manifest::{Format, Paper};
use crate::model::Book;
use crate::pagination::PageList;
use crate::passes::Derived;
use crate::pdf::{Edition, PdfSettings, Worlds};
use crate::templates::Templates;
use crate::{anki, epub, flashcards, load, moodle, pdf, typeset};

/// Returns the files a format makes for a book.
pub fn outputs(format: Format, book: &Book, derived: &Derived) -> Vec<Output> {
    match format {
        Format::Pdf => vec![Output::Pdf(Edition::Student)],
        Format::Epub => vec![Output::Epub],
        Format::Teacher => vec![Output::Pdf(Edition::Teacher)],
        Format::Worksheet => vec![Output::Pdf(Edition::Worksheet)],
        Format::Answers => vec![Output::Pdf(Edition::Answers)],
        Format::Flashcards => {
            // Key terms make cards of a term and its definition, gap-fill questions cloze cards.
            let mut files = vec![Output::Pdf(Edition::Flashcards)];
            if !derived.glossary.entries.is_empty() {
                files.push(Output::FlashcardsTsv);
            }
            if book.questions().any(|q| !q.gaps().is_empty()) {
                files.push(Output::ClozeTsv);
            }
            files
        }
        Format::Moodle => vec![Output::Moodle],
        Format::Anki => vec![Output::Anki],
    }
}

/// Returns a note saying why a format is not made, when the book has nothing for it: a handout of
/// questions needs questions, flashcards need key terms.
pub fn missing(format: Format, book: &Book, derived: &Derived) -> Option<Diagnostic> {
    let has_questions = book.questions().next().is_some();
    let no_questions = |what: &str| {
        Diagnostic::info(format!("the book has no practice questions, so no {what} is made"))
            .in_file(load::QUESTIONS_FILE)
    };
    match format {
        Format::Worksheet if !has_questions => Some(no_questions("worksheet")),
        Format::Answers if !has_questions => Some(no_questions("answer key")),
        Format::Moodle if !has_questions => Some(no_questions("Moodle question bank")),
        Format::Anki if !anki::has_notes(book, derived) => Some(
            Diagnostic::info(
                "the book has no key terms and no multiple-choice or gap-fill questions, so no Anki deck is made",
            )
            .in_file(load::CHAPTERS_DIR),
        ),
        Format::Flashcards
            if derived.glossary.entries.is_empty() && !book.questions().any(|q| !q.gaps().is_empty()) =>
        {
            Some(
                Diagnostic::info("the book has no key terms and no gap-fill questions, so no flashcards are made")
                    .in_file(load::CHAPTERS_DIR),
            )
        }
        _ => None,
    }
}

/// One file a build makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A PDF edition, laid out by typst.
    Pdf(Edition),
    /// The EPUB.
    Epub,
    /// The flashcards as tab-separated text.
    FlashcardsTsv,
    /// The gap-fill questions as cloze cards, tab-separated, for Anki's Cloze note type.
    ClozeTsv,
    /// The practice questions as a Moodle XML question bank.
    Moodle,
    /// The Anki deck.
    Anki,
}

impl Output {
    /// Returns the file's name, from the book's output name.
    pub fn file_name(self, name: &str) -> String {
        match self {
            Output::Pdf(edition) => format!("{name}{}.pdf", edition.file_suffix()),
            Output::Epub => format!("{name}.epub"),
            Output::FlashcardsTsv => format!("{name}-flashcards.tsv"),
            Output::ClozeTsv => format!("{name}-cloze.tsv"),
            Output::Moodle => format!("{name}-moodle.xml"),
            Output::Anki => format!("{name}.apkg"),
        }
    }

    /// Returns true for the outputs typst lays out, which a build makes one after another.
    pub fn is_typeset(self) -> bool {
        matches!(self, Output::Pdf(_))
    }

    /// Makes the file's bytes, with any warnings about them.
    pub fn make(self, ctx: &RenderContext) -> Result<(Vec<u8>, Vec<Diagnostic>), Vec<Diagnostic>> {
        match self {
            Output::Pdf(edition) => {
                let source =
                    pdf::source(ctx.book, ctx.derived, ctx.templates, edition, ctx.paper).map_err(|d| vec![d])?;
                let settings = PdfSettings { paper: ctx.paper, date: ctx.date };
                let compiled = pdf::compile(ctx.book, ctx.root, source, edition, settings, ctx.worlds);
                if !ctx.keep_caches {
                    typeset::empty_caches(0);
                }
                let compiled = compiled?;
                // Without marks (a book's own guide.typ may lack `<page-one>`) there is no page list.
                if edition == Edition::Student && !compiled.page_starts.is_empty() {
                    let source = self.file_name(&ctx.book.manifest.output_name());
                    let pages = PageList { source, starts: compiled.page_starts, places: compiled.places };
                    *ctx.page_list.lock().unwrap_or_else(PoisonError::into_inner) = Some(pages);
                }
                Ok((compiled.bytes, compiled.warnings))
            }
            Output::Epub => {
                let page_list = ctx.page_list.lock().unwrap_or_else(PoisonError::into_inner).clone();
                let settings = epub::EpubSettings { date: ctx.date, page_list: page_list.as_ref() };
                epub::build(ctx.book, ctx.derived, ctx.root, ctx.templates, settings).map(|bytes| (bytes, Vec::new()))
            }
            Output::FlashcardsTsv => Ok((flashcards::tsv(ctx.derived).into_bytes(), Vec::new())),
            Output::ClozeTsv => Ok((flashcards::cloze_tsv(ctx.book).into_bytes(), Vec::new())),
            Output::Moodle => {
                moodle::xml(ctx.book, ctx.derived, ctx.root).map(|bytes| (bytes, Vec::new())).map_err(|d| vec![d])
            }
            Output::Anki => anki::apkg(ctx.book, ctx.derived, ctx.root, ctx.date)
                .map(|bytes| (bytes, Vec::new()))
                .map_err(|d| vec![d]),
        }
    }
}

/// What every back end is given: the book, what the passes derived, the templates and the build's
/// settings. Back ends only read it.
pub struct RenderContext<'a> {
    /// The canonical book folder, the only one typst may read.
    pub root: &'a Path,
    /// The book.
    pub book: &'a Book,
    /// What the passes derived from it.
    pub derived: &'a Derived,
    /// The templates, built-in or the book's own.
    pub templates: &'a Templates,
    /// The build date: `SOURCE_DATE_EPOCH`, else `[build] date`; without one the PDF has no date and
    /// the EPUB 1980-01-01.
    pub date: Option<BuildDate>,
    /// The paper size of the PDFs.
    pub paper: Paper,
    /// The typst worlds, kept between builds in a watching session.
    pub worlds: &'a Worlds,
    /// Whether typst's caches are kept after a PDF, for the next build, or emptied.
    pub keep_caches: bool,
    /// The student PDF's pages, once it is made, for the EPUB's page list: a build that makes both
    /// makes the EPUB after it.
    pub page_list: Mutex<Option<PageList>>,
}
