//! The PDF editions: the typst source of each edition from its template and the model, laid out
//! by the layout stage and exported by typst into a PDF that claims every standard it meets. The
//! student edition is laid out once by the build (it is also the EPUB's print edition); the others
//! lay out their own source. The flashcards also write their TSVs.

pub mod markup;
pub mod structure;

use std::collections::BTreeMap;

use serde::Serialize;
use typst::foundations::{Datetime, Smart};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::{RenderContext, Renderer, Sink, Stage};
use crate::diagnostics::Diagnostic;
use crate::layout::{self, Laid};
use crate::model::Book;
use crate::model::date::BuildDate;
use crate::model::manifest::Paper;
use crate::passes::Derived;
use crate::render::templates::{BookContext, Templates, context};
use crate::render::tsv;

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

    /// Returns the edition's file name, from the book's output name.
    pub fn file_name(self, name: &str) -> String {
        format!("{name}{}.pdf", self.file_suffix())
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
    /// The entries of the guide's contents (see [`markup::Guide`]); `()` in the other editions.
    contents: String,
    /// How many digits the contents leave room for in a page number.
    page_digits: usize,
    body: String,
}

/// Returns the typst markup of one edition's body, which its template sets after its own part,
/// with the entries of its contents when it has them.
pub fn body(book: &Book, derived: &Derived, edition: Edition) -> markup::Guide {
    let text = match edition {
        Edition::Student => return markup::body(book, derived, false),
        Edition::Teacher => return markup::body(book, derived, true),
        Edition::Worksheet => markup::worksheet(book, derived),
        Edition::Answers => markup::answer_key(book, derived),
        Edition::Flashcards => markup::flashcards(book, derived),
    };
    markup::Guide { contents: "()".into(), text, page_digits: 3 }
}

/// Returns the complete typst source of one edition of the book.
pub fn source(
    book: &Book,
    derived: &Derived,
    templates: &Templates,
    edition: Edition,
    paper: Paper,
) -> Result<String, Diagnostic> {
    let body = body(book, derived, edition);
    let edition_context = EditionContext {
        book: BookContext::new(&book.manifest),
        paper: paper.typst_name(),
        binding: book.manifest.pdf.binding_margin(),
        teacher: edition == Edition::Teacher,
        total_marks: book.total_marks(),
        marks_forms: marks_forms(book),
        contents: body.contents,
        page_digits: body.page_digits,
        body: body.text,
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

/// Exports a laid-out edition as a PDF, with warnings for the standards it could not claim.
pub fn export(book: &Book, laid: &Laid, edition: Edition, date: Option<BuildDate>) -> Result<PdfFile, Vec<Diagnostic>> {
    let timestamp = date.and_then(|d| {
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
        typst_pdf::pdf(&laid.document, &options)
    };
    // The PDF claims every standard it meets. Where the book's text stops the claims (a character
    // no font has, say), each is tried alone, then none, and a warning says what stopped them; only
    // an error that remains with no standard claimed fails the build.
    let wanted = standards(book, date);
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
                return Ok(PdfFile { bytes, warnings });
            }
            Err(errors) if !standards.is_empty() => stopped.extend(errors.iter().map(|e| e.message.to_string())),
            Err(errors) => return Err(errors.iter().map(|error| laid.error(error)).collect()),
        }
    }
    unreachable!("the last try claims no standard, and either succeeds or fails the build")
}

/// A PDF and what is worth saying about it.
#[derive(Debug)]
pub struct PdfFile {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Warnings: the standards the PDF could not claim, and why.
    pub warnings: Vec<Diagnostic>,
}

/// Returns the day typst's `datetime.today()` gives a layout: the build date's.
pub fn today(date: Option<BuildDate>) -> Option<Datetime> {
    date.and_then(|d| Datetime::from_ymd(d.year, d.month, d.day))
}

/// Settings of one PDF build.
#[derive(Debug, Clone, Copy)]
pub struct PdfSettings {
    /// The paper size.
    pub paper: Paper,
    /// The creation date written into the PDF, if any.
    pub date: Option<BuildDate>,
}

/// Lays out an edition's typst source `text` in the edition's world from `worlds`, and exports it.
pub fn compile(
    book: &Book,
    root: &std::path::Path,
    text: String,
    edition: Edition,
    settings: PdfSettings,
    worlds: &layout::Worlds,
) -> Result<PdfFile, Vec<Diagnostic>> {
    let laid = layout::lay_out(worlds, edition.name(), root, text, edition.template(), today(settings.date))?;
    let pdf = export(book, &laid, edition, settings.date);
    laid.finish(worlds);
    pdf
}

/// Lays out an edition's typst source in the edition's world; the build lays the student edition
/// out through this too.
pub fn lay_out(ctx: &RenderContext, edition: Edition) -> Result<Laid, Vec<Diagnostic>> {
    let text = source(ctx.book, ctx.derived, ctx.templates, edition, ctx.paper).map_err(|d| vec![d])?;
    layout::lay_out(ctx.worlds, edition.name(), ctx.root, text, edition.template(), today(ctx.date))
}

/// Exports a laid-out edition into `out`, with its warnings.
fn emit(ctx: &RenderContext, laid: &Laid, edition: Edition, out: &mut dyn Sink) -> Result<(), Vec<Diagnostic>> {
    let pdf = export(ctx.book, laid, edition, ctx.date)?;
    pdf.warnings.into_iter().for_each(|w| out.warn(w));
    out.file(edition.file_name(ctx.name), pdf.bytes);
    Ok(())
}

/// Lays out an edition in its world and exports it.
fn lay_out_and_export(ctx: &RenderContext, edition: Edition, out: &mut dyn Sink) -> Result<(), Vec<Diagnostic>> {
    let exported = lay_out(ctx, edition).and_then(|laid| {
        let emitted = emit(ctx, &laid, edition, out);
        laid.finish(ctx.worlds);
        emitted
    });
    if !ctx.keep_caches {
        layout::empty_caches(0);
    }
    exported
}

/// A PDF edition as an output.
pub struct EditionRenderer {
    edition: Edition,
    name: &'static str,
    about: &'static str,
}

/// The student edition: answers in the Answers section at the back.
pub static STUDENT: EditionRenderer =
    EditionRenderer { edition: Edition::Student, name: "pdf", about: "the student edition PDF, answers at the back" };
/// The teacher edition.
pub static TEACHER: EditionRenderer = EditionRenderer {
    edition: Edition::Teacher,
    name: "teacher",
    about: "the teacher edition PDF, each answer after its question",
};
/// The worksheet.
pub static WORKSHEET: EditionRenderer = EditionRenderer {
    edition: Edition::Worksheet,
    name: "worksheet",
    about: "the worksheet PDF: questions with answer lines, no answers",
};
/// The answer key.
pub static ANSWERS: EditionRenderer =
    EditionRenderer { edition: Edition::Answers, name: "answers", about: "the answer key PDF, as a mark scheme" };
/// The flashcards: a PDF to cut out, and TSVs of the terms and the gap-fill questions to import.
pub static FLASHCARDS: EditionRenderer = EditionRenderer {
    edition: Edition::Flashcards,
    name: "flashcards",
    about: "flashcards of the key terms and gap-fill questions: a PDF to cut out and TSVs to import",
};

impl Renderer for EditionRenderer {
    fn name(&self) -> &'static str {
        self.name
    }

    fn about(&self) -> &'static str {
        self.about
    }

    fn files(&self, book: &Book, derived: &Derived, name: &str) -> Result<Vec<String>, Diagnostic> {
        let has_questions = book.questions().next().is_some();
        let no_questions = |what: &str| {
            Diagnostic::info(format!("the book has no practice questions, so no {what} is made"))
                .in_file(crate::read::QUESTIONS_FILE)
        };
        let pdf = self.edition.file_name(name);
        match self.edition {
            Edition::Worksheet if !has_questions => Err(no_questions("worksheet")),
            Edition::Answers if !has_questions => Err(no_questions("answer key")),
            Edition::Flashcards => {
                // Key terms make cards of a term and its definition, gap-fill questions cloze cards.
                let (terms, gaps) = (tsv::has_terms(derived), tsv::has_gaps(book));
                if !terms && !gaps {
                    return Err(Diagnostic::info(
                        "the book has no key terms and no gap-fill questions, so no flashcards are made",
                    )
                    .in_file(crate::read::CHAPTERS_DIR));
                }
                let mut files = vec![pdf];
                files.extend(terms.then(|| tsv::terms_file(name)));
                files.extend(gaps.then(|| tsv::cloze_file(name)));
                Ok(files)
            }
            _ => Ok(vec![pdf]),
        }
    }

    fn stage(&self) -> Stage {
        if self.edition == Edition::Student { Stage::Laid } else { Stage::Typeset }
    }

    fn render(&self, ctx: &RenderContext, out: &mut dyn Sink) -> Result<(), Vec<Diagnostic>> {
        match (self.edition, ctx.laid) {
            (Edition::Student, Some(laid)) => emit(ctx, laid, Edition::Student, out)?,
            (edition, _) => lay_out_and_export(ctx, edition, out)?,
        }
        if self.edition == Edition::Flashcards {
            if tsv::has_terms(ctx.derived) {
                out.file(tsv::terms_file(ctx.name), tsv::tsv(ctx.derived).into_bytes());
            }
            if tsv::has_gaps(ctx.book) {
                out.file(tsv::cloze_file(ctx.name), tsv::cloze_tsv(ctx.book).into_bytes());
            }
        }
        Ok(())
    }
}
