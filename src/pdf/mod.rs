//! The typst back end: the book's typst source from the template and the model, compiled in-process
//! into a PDF.

pub mod markup;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use typst::foundations::{Datetime, Smart};
use typst_pdf::{PdfOptions, Timestamp};

use crate::date::BuildDate;
use crate::diagnostics::Diagnostic;
use crate::manifest::Paper;
use crate::model::Book;
use crate::passes::Derived;
use crate::templates::{BookContext, Templates, context};
use crate::typeset::world::BookWorld;
use crate::typeset::{self, typst_error};

/// Settings of one PDF build.
#[derive(Debug, Clone, Copy)]
pub struct PdfSettings {
    /// The paper size.
    pub paper: Paper,
    /// The creation date written into the PDF, if any.
    pub date: Option<BuildDate>,
}

/// The PDFs made from one book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edition {
    /// The guide for students: answers in an Answers section at the back.
    Student,
    /// The guide for teachers: each model answer right after its question.
    Teacher,
    /// The practice questions with ruled answer lines, and no answers.
    Worksheet,
    /// Every question with its marks and model answer, as a mark scheme.
    Answers,
    /// The glossary as cards to cut out, printed on both sides.
    Flashcards,
}

impl Edition {
    /// Every edition, in the order a build makes them.
    pub const ALL: [Edition; 5] =
        [Edition::Student, Edition::Teacher, Edition::Worksheet, Edition::Answers, Edition::Flashcards];

    /// Returns the template that lays the edition out.
    pub fn template(self) -> &'static str {
        match self {
            Edition::Student | Edition::Teacher => "guide.typ",
            Edition::Worksheet => "worksheet.typ",
            Edition::Answers => "answers.typ",
            Edition::Flashcards => "flashcards.typ",
        }
    }

    /// Returns what follows the book's name in the file name.
    pub fn file_suffix(self) -> &'static str {
        match self {
            Edition::Student => "",
            Edition::Teacher => "-teacher",
            Edition::Worksheet => "-worksheet",
            Edition::Answers => "-answers",
            Edition::Flashcards => "-flashcards",
        }
    }

    /// Returns the edition's name in lowercase, as in the PDF's identifier.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Student => "student",
            Edition::Teacher => "teacher",
            Edition::Worksheet => "worksheet",
            Edition::Answers => "answers",
            Edition::Flashcards => "flashcards",
        }
    }
}

/// What an edition's template is given: the book's metadata, the page setup and the body.
#[derive(Serialize)]
struct EditionContext<'a> {
    #[serde(flatten)]
    book: BookContext<'a>,
    paper: &'a str,
    /// Extra inner margin for binding, a typst length.
    binding: &'a str,
    /// True in the teacher edition, which says so on its title page.
    teacher: bool,
    total_marks: u32,
    body: String,
}

/// Returns the typst markup of one edition's body, which its template sets after its own part.
pub fn body(book: &Book, derived: &Derived, edition: Edition) -> String {
    match edition {
        Edition::Student => markup::body(book, derived, false),
        Edition::Teacher => markup::body(book, derived, true),
        Edition::Worksheet => markup::worksheet(book, derived),
        Edition::Answers => markup::answer_key(book, derived),
        Edition::Flashcards => markup::flashcards(book, derived),
    }
}

/// Returns the complete typst source of one edition of the book.
pub fn source(
    book: &Book,
    derived: &Derived,
    templates: &Templates,
    edition: Edition,
    paper: Paper,
) -> Result<String, Diagnostic> {
    let edition_context = EditionContext {
        book: BookContext::new(&book.manifest.book),
        paper: paper.typst_name(),
        binding: book.manifest.pdf.binding_margin(),
        teacher: edition == Edition::Teacher,
        total_marks: book.total_marks(),
        body: body(book, derived, edition),
    };
    templates.render(edition.template(), context(&edition_context))
}

/// The typst worlds of one book, one for each edition, kept from build to build so that typst's
/// incremental compilation reuses whatever a rebuild shares with the build before it.
#[derive(Default)]
pub struct Worlds {
    worlds: Mutex<HashMap<Edition, BookWorld>>,
}

impl Worlds {
    /// Takes the edition's world with its main source set to `text`, or a new one.
    fn take(&self, edition: Edition, root: &Path, text: String, today: Option<Datetime>) -> BookWorld {
        let kept = self.worlds.lock().unwrap_or_else(PoisonError::into_inner).remove(&edition);
        match kept {
            Some(mut world) if world.root() == root => {
                world.update(&text, today);
                world
            }
            _ => BookWorld::new(root, text, today),
        }
    }

    /// Keeps the edition's world for the next build.
    fn keep(&self, edition: Edition, world: BookWorld) {
        self.worlds.lock().unwrap_or_else(PoisonError::into_inner).insert(edition, world);
    }
}

/// Compiles the book's typst source into PDF bytes, in the edition's world from `worlds`.
pub fn compile(
    book: &Book,
    root: &Path,
    text: String,
    edition: Edition,
    settings: PdfSettings,
    worlds: &Worlds,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let today = settings.date.and_then(|d| Datetime::from_ymd(d.year, d.month, d.day));
    let world = worlds.take(edition, root, text, today);
    let result = compile_in(book, &world, edition, settings);
    worlds.keep(edition, world);
    result
}

fn compile_in(
    book: &Book,
    world: &BookWorld,
    edition: Edition,
    settings: PdfSettings,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let document = typeset::compile(world, edition.template())?;
    let timestamp = settings.date.and_then(|d| {
        Datetime::from_ymd_hms(d.year, d.month, d.day, d.hour, d.minute, d.second).map(Timestamp::new_utc)
    });
    let ident = book.manifest.book.identifier.clone().unwrap_or_else(|| book.manifest.book.title.clone());
    let ident = format!("{ident}/{}", edition.name());
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some(concat!("revise ", env!("CARGO_PKG_VERSION")).to_string())),
        timestamp,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| errors.iter().map(|error| typst_error(world, error, edition.template())).collect())
}
