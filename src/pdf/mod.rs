//! The typst back end: the book's typst source from the template and the model, compiled in-process
//! into a PDF.

pub mod markup;
pub mod math;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use typst::foundations::{Datetime, Label, Selector, Smart, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::date::BuildDate;
use crate::diagnostics::Diagnostic;
use crate::manifest::Paper;
use crate::model::Book;
use crate::pagination::PageStart;
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
    /// The marks in the book's words for each number of marks the book uses, such as `2` → `2 marks`.
    marks_forms: BTreeMap<String, String>,
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
        book: BookContext::new(&book.manifest),
        paper: paper.typst_name(),
        binding: book.manifest.pdf.binding_margin(),
        teacher: edition == Edition::Teacher,
        total_marks: book.total_marks(),
        marks_forms: marks_forms(book),
        body: body(book, derived, edition),
    };
    templates.render(edition.template(), context(&edition_context))
}

/// Returns the marks phrase, in the book's words and plural forms, of every number of marks a
/// question or a total of the book has.
fn marks_forms(book: &Book) -> BTreeMap<String, String> {
    let words = &book.manifest.book.words;
    let questions = book.documents.iter().flat_map(|doc| &doc.entries).filter_map(|entry| match entry {
        crate::model::Entry::Question(q) => q.marks,
        _ => None,
    });
    questions.chain([book.total_marks()]).map(|n| (n.to_string(), words.marks(n))).collect()
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

/// Returns the standards a PDF of the book claims, which typst checks at export, strictest first:
/// PDF/UA-1, unless an image has no alt text (the loader warns of each, naming the claim it stops);
/// and, when the build has a date, which PDF/A requires, PDF/A-2a for archiving.
fn standards(book: &Book, date: Option<BuildDate>) -> Vec<PdfStandard> {
    let mut list = Vec::new();
    if book.every_image_has_alt() {
        list.push(PdfStandard::Ua_1);
        if date.is_some() {
            list.push(PdfStandard::A_2a);
        }
    }
    list
}

fn standard_name(standard: PdfStandard) -> &'static str {
    match standard {
        PdfStandard::Ua_1 => "PDF/UA-1",
        PdfStandard::A_2a => "PDF/A-2a",
        _ => "a PDF standard",
    }
}

/// Returns the warning that a PDF claims fewer standards than `wanted`, with typst's reasons (the
/// first few, each once).
fn unmet(edition: Edition, wanted: &[PdfStandard], claimed: &[PdfStandard], reasons: &[String]) -> Option<Diagnostic> {
    let unmet: Vec<&str> = wanted.iter().filter(|s| !claimed.contains(s)).map(|&s| standard_name(s)).collect();
    if unmet.is_empty() {
        return None;
    }
    let mut warning = Diagnostic::warning(format!(
        "the {} edition's PDF claims no {}: its text does not meet {}",
        edition.name(),
        unmet.join(" or "),
        if unmet.len() == 1 { "it" } else { "them" }
    ));
    let mut seen = std::collections::HashSet::new();
    let distinct: Vec<&String> = reasons.iter().filter(|r| seen.insert(r.as_str())).collect();
    const SHOWN: usize = 5;
    for reason in distinct.iter().take(SHOWN) {
        warning = warning.hint(format!("typst: {reason}"));
    }
    if distinct.len() > SHOWN {
        warning = warning.hint(format!("and {} more", distinct.len() - SHOWN));
    }
    Some(warning)
}

/// A PDF and what is worth saying about it.
#[derive(Debug)]
pub struct Compiled {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Warnings: the standards the PDF could not claim, and why.
    pub warnings: Vec<Diagnostic>,
    /// Where each printed page begins, for the student edition, whose places carry page marks.
    pub page_starts: Vec<PageStart>,
    /// How many places carry page marks.
    pub places: usize,
}

/// Reads the page marks of a laid-out guide: for each page, in order, the first marked place on it
/// and the page's printed number, counted from the page labelled `<page-one>` as the guide's footer
/// and index count. Without that label (in a book's own template, say) the printed numbers are not
/// known, and there are none.
fn page_starts(document: &PagedDocument) -> (Vec<PageStart>, usize) {
    let introspector = document.introspector();
    let label = |name: &str| Label::new(PicoStr::intern(name)).expect("the label is not empty");
    let page_of = |content: &typst::foundations::Content| {
        content.location().and_then(|location| introspector.position(location)).map(|p| p.page.get())
    };
    let Some(page_one) = introspector.query_label(label("page-one")).ok().and_then(page_of) else {
        return (Vec::new(), 0);
    };
    let marks = introspector.query(&Selector::Label(label("page-mark")));
    let mut starts: Vec<(usize, PageStart)> = Vec::new();
    for mark in marks.iter() {
        let (Some(physical), Some(metadata)) = (page_of(mark), mark.to_packed::<MetadataElem>()) else { continue };
        let (Value::Int(place), Some(printed)) = (&metadata.value, (physical + 1).checked_sub(page_one)) else {
            continue;
        };
        // Marks come in document order: the first on each page is the one that page begins with.
        if printed == 0 || starts.last().is_some_and(|(last, _)| *last == physical) {
            continue;
        }
        let Ok(place) = usize::try_from(*place) else { continue };
        starts.push((physical, PageStart { place, page: printed.to_string() }));
    }
    (starts.into_iter().map(|(_, start)| start).collect(), marks.len())
}

/// Compiles the book's typst source into a PDF, in the edition's world from `worlds`.
pub fn compile(
    book: &Book,
    root: &Path,
    text: String,
    edition: Edition,
    settings: PdfSettings,
    worlds: &Worlds,
) -> Result<Compiled, Vec<Diagnostic>> {
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
) -> Result<Compiled, Vec<Diagnostic>> {
    let document = typeset::compile(world, edition.template())?;
    let (page_starts, places) = if edition == Edition::Student { page_starts(&document) } else { (Vec::new(), 0) };
    let timestamp = settings.date.and_then(|d| {
        Datetime::from_ymd_hms(d.year, d.month, d.day, d.hour, d.minute, d.second).map(Timestamp::new_utc)
    });
    let ident = book.manifest.book.identifier.clone().unwrap_or_else(|| book.manifest.book.title.clone());
    let ident = format!("{ident}/{}", edition.name());
    let export = |standards: &[PdfStandard]| {
        let options = PdfOptions {
            ident: Smart::Custom(ident.clone()),
            creator: Smart::Custom(Some(concat!("revise ", env!("CARGO_PKG_VERSION")).to_string())),
            timestamp,
            standards: PdfStandards::new(standards).expect("PDF/UA-1 and PDF/A-2a go together"),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options)
    };
    // The PDF claims every standard it meets. Where the book's text stops the claims (a character
    // no font has, say), each is tried alone, then none, and a warning says what stopped them; only
    // an error that remains with no standard claimed fails the build.
    let wanted = standards(book, settings.date);
    let mut tries = vec![wanted.clone()];
    if wanted.len() > 1 {
        tries.extend(wanted.iter().map(|&standard| vec![standard]));
    }
    if !wanted.is_empty() {
        tries.push(Vec::new());
    }
    let mut stopped = Vec::new();
    for standards in tries {
        match export(&standards) {
            Ok(bytes) => {
                let warnings = unmet(edition, &wanted, &standards, &stopped).into_iter().collect();
                return Ok(Compiled { bytes, warnings, page_starts, places });
            }
            Err(errors) if !standards.is_empty() => stopped.extend(errors.iter().map(|e| e.message.to_string())),
            Err(errors) => {
                return Err(errors.iter().map(|error| typst_error(world, error, edition.template())).collect());
            }
        }
    }
    unreachable!("the last try claims no standard, and either succeeds or fails the build")
}
