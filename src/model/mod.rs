//! The book as every stage sees it: owned types with source spans, built once from the Markdown,
//! with the book's settings ([`manifest`]), the words revise prints in its language ([`words`]), its
//! anchors ([`anchor`]), build date ([`date`]) and images ([`image`]); one walker of nested content ([`walk`]) and its
//! plain text ([`plain`]).

pub mod anchor;
pub mod date;
pub mod image;
pub mod manifest;
pub mod plain;
pub mod walk;
pub mod words;

pub use image::{Image, ImageFormat};
pub use plain::{MathForm, blocks_plain_text, blocks_plain_text_as, plain_text, plain_text_as, text_len};
pub use walk::{map_inline_leaves, map_inlines, visit_blocks, visit_inline_tree, visit_inlines};

use crate::diagnostics::Span;
use crate::math::Math;
use crate::model::anchor::Anchor;
use crate::model::manifest::Manifest;

/// A whole book: its manifest and its documents in reading order.
#[derive(Debug, Clone)]
pub struct Book {
    /// The checked manifest.
    pub manifest: Manifest,
    /// The documents in reading order: the chapters in file-name order, then the FAQ, the practice
    /// questions and their model answers, each when the book has them. Every pass and both back
    /// ends walk this one list.
    pub documents: Vec<Document>,
    /// Key terms from `glossary.md` that no chapter defines.
    pub glossary: Vec<TermDef>,
    /// The footnotes of every document; [`Inline::FootnoteRef`] indexes this.
    pub footnotes: Vec<Footnote>,
}

/// What a document is: where it comes from and how the back ends set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// A chapter, one Markdown file under `chapters/`, by its 1-based number.
    Chapter(usize),
    /// The frequently asked questions, from `faq.md`.
    Faq,
    /// The practice questions, from `questions.md`.
    Questions,
    /// The model answers to the practice questions, from the same file: at the back of the student
    /// guide and in their own EPUB document; the teacher edition sets each after its question.
    Answers,
}

/// One document of the book: a title, the blocks under it, and the entries that follow them.
#[derive(Debug, Clone)]
pub struct Document {
    /// What the document is.
    pub kind: DocKind,
    /// The `# ` heading (for the answers, one revise gives).
    pub title: Heading,
    /// The content before the first entry: the whole of a chapter, the introduction of the others.
    pub blocks: Vec<Block>,
    /// The FAQ's entries, the practice questions or the model answers; none in a chapter.
    pub entries: Vec<Entry>,
}

/// An entry of a document that is more than running text.
#[derive(Debug, Clone)]
pub enum Entry {
    /// An FAQ question and its answer.
    Faq(FaqEntry),
    /// A practice question.
    Question(Question),
    /// A model answer.
    Answer(Answer),
}

/// One FAQ question and its answer.
#[derive(Debug, Clone)]
pub struct FaqEntry {
    /// The `## ` heading that asks the question.
    pub question: Heading,
    /// The answer.
    pub answer: Vec<Block>,
}

/// A practice question.
#[derive(Debug, Clone)]
pub struct Question {
    /// The 1-based question number.
    pub number: usize,
    /// The heading, without its marks annotation.
    pub heading: Heading,
    /// The marks from an annotation such as `(6 marks)`; for a multiple-choice or gap-fill question
    /// without one, a mark for each correct option and each gap.
    pub marks: Option<u32>,
    /// Further question text below the heading, without the options of a multiple-choice question.
    pub prompt: Vec<Block>,
    /// The options of a multiple-choice question: the task list in its text.
    pub choices: Option<Choices>,
}

impl Question {
    /// Returns the anchor of the question.
    pub fn id(&self) -> Anchor {
        Anchor::question(self.number)
    }

    /// Returns the question's title as plain text with its number, such as `1. Why?`.
    pub fn title_text(&self) -> String {
        question_title(self.number, &self.heading)
    }

    /// Returns the gaps of the question's heading and text, in order.
    pub fn gaps(&self) -> Vec<Gap> {
        let mut found = Vec::new();
        gaps(&self.heading.content, &mut found);
        visit_blocks(&self.prompt, &mut |block| {
            visit_inlines(block, &mut |inline| {
                if let Inline::Gap(gap) = inline {
                    found.push(gap.clone());
                }
            })
        });
        found
    }
}

/// The model answer to a practice question, with the question's number, heading and marks, which
/// the answer repeats wherever it is set apart from its question.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The number of the question it answers.
    pub number: usize,
    /// The question's heading.
    pub heading: Heading,
    /// The question's marks.
    pub marks: Option<u32>,
    /// The answer, below `### Model answer`; empty when the question has only options or gaps.
    pub blocks: Vec<Block>,
    /// The question's options, whose correct ones the answer gives.
    pub choices: Option<Choices>,
    /// The question's gaps, whose answers the answer gives.
    pub gaps: Vec<Gap>,
}

/// The options of a multiple-choice question, lettered A, B, C… in every output.
#[derive(Debug, Clone)]
pub struct Choices {
    /// The options, in order.
    pub options: Vec<Choice>,
}

/// One option of a multiple-choice question.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The option's content.
    pub blocks: Vec<Block>,
    /// Whether the option is correct: ticked (`- [x]`) in the source.
    pub correct: bool,
}

impl Choices {
    /// Returns the letter of the option at `index`: A to Z, then AA, AB…
    pub fn letter(index: usize) -> String {
        let mut n = index;
        let mut letters = Vec::new();
        loop {
            letters.push(char::from(b'A' + (n % 26) as u8));
            if n < 26 {
                break;
            }
            n = n / 26 - 1;
        }
        letters.iter().rev().collect()
    }

    /// Returns how many options are correct.
    pub fn correct_count(&self) -> usize {
        self.options.iter().filter(|o| o.correct).count()
    }

    /// Returns the letters of the correct options, in order.
    pub fn correct_letters(&self) -> Vec<String> {
        self.options.iter().enumerate().filter(|(_, o)| o.correct).map(|(i, _)| Self::letter(i)).collect()
    }
}

/// A gap to fill in the text of a question, `[[answer]]`: the answers accepted (`[[grey|gray]]`)
/// and its number in the question, from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The answers accepted, the first the one printed.
    pub answers: Vec<String>,
    /// The gap's number in its question, from 1.
    pub number: usize,
}

impl Gap {
    /// Returns the width of the blank, in ems: about the answer's length, rounded up to the next
    /// multiple of four characters, so that the blank never tells the answer's length exactly.
    pub fn width_em(&self) -> usize {
        let longest = self.answers.iter().map(|a| a.chars().count()).max().unwrap_or(0);
        (longest.div_ceil(4) * 4).max(6) * 6 / 10 + 1
    }
}

/// The number of ruled answer lines a worksheet gives a question with no marks.
pub const DEFAULT_ANSWER_LINES: u32 = 6;

/// Returns how many lines a written answer is given (ruled on a worksheet, a Moodle essay's
/// response field): two a mark, at least three, and no more than fit on one page with the question.
pub fn answer_lines(marks: Option<u32>) -> u32 {
    marks.map_or(DEFAULT_ANSWER_LINES, |m| (m * 2).clamp(3, 24))
}

/// Returns the letters of the correct options and the answers of the gaps as one text, such as
/// `B`, `A, C`, `quarantine` or `(1) quarantine, (2) grey / gray`; none when there are neither.
pub fn answer_key_text(choices: Option<&Choices>, gaps: &[Gap]) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(choices) = choices {
        parts.push(choices.correct_letters().join(", "));
    }
    match gaps {
        [] => {}
        [gap] => parts.push(gap.answers.join(" / ")),
        gaps => parts.extend(gaps.iter().map(|g| format!("({}) {}", g.number, g.answers.join(" / ")))),
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Returns the gaps of inline content, in order.
pub fn gaps(inlines: &[Inline], out: &mut Vec<Gap>) {
    visit_inline_tree(inlines, &mut |inline| {
        if let Inline::Gap(gap) = inline {
            out.push(gap.clone());
        }
    });
}

impl Answer {
    /// Returns the anchor of the model answer.
    pub fn id(&self) -> Anchor {
        Anchor::answer(self.number)
    }

    /// Returns the anchor of the question it answers.
    pub fn question_id(&self) -> Anchor {
        Anchor::question(self.number)
    }

    /// Returns the answer's title as plain text: its question's, such as `1. Why?`.
    pub fn title_text(&self) -> String {
        question_title(self.number, &self.heading)
    }
}

fn question_title(number: usize, heading: &Heading) -> String {
    format!("{number}. {}", plain_text(&heading.content))
}

impl Book {
    /// Returns the chapters, in order.
    pub fn chapters(&self) -> impl Iterator<Item = &Document> {
        self.documents.iter().filter(|d| matches!(d.kind, DocKind::Chapter(_)))
    }

    /// Returns the document of a kind, if the book has it.
    pub fn document(&self, kind: DocKind) -> Option<&Document> {
        self.documents.iter().find(|d| d.kind == kind)
    }

    /// Returns the practice questions, in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.documents.iter().flat_map(|d| &d.entries).filter_map(|entry| match entry {
            Entry::Question(q) => Some(q),
            _ => None,
        })
    }

    /// Returns the model answer to question `number`, if it has one.
    pub fn answer(&self, number: usize) -> Option<&Answer> {
        self.documents.iter().flat_map(|d| &d.entries).find_map(|entry| match entry {
            Entry::Answer(a) if a.number == number => Some(a),
            _ => None,
        })
    }

    /// Returns the sum of the marks of the questions that give marks.
    pub fn total_marks(&self) -> u32 {
        self.questions().filter_map(|q| q.marks).sum()
    }
}

/// A heading with its anchor.
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1 for a title, 2 for a section, 3 for a subsection, and so on.
    pub level: u8,
    /// The heading text.
    pub content: Vec<Inline>,
    /// A book-wide unique anchor.
    pub id: Anchor,
    /// The section number, such as `1.2`, which the numbering pass writes; `None` outside chapters.
    pub number: Option<String>,
    /// Where the heading is.
    pub span: Span,
}

impl Heading {
    /// Returns the heading as plain text, after its section number if it has one: `1.2 Causes`.
    pub fn numbered_text(&self) -> String {
        let title = plain_text(&self.content);
        match &self.number {
            Some(number) => format!("{number} {title}"),
            None => title,
        }
    }
}

/// A footnote's text.
#[derive(Debug, Clone)]
pub struct Footnote {
    /// A book-wide unique anchor.
    pub id: Anchor,
    /// The footnote's content.
    pub blocks: Vec<Block>,
}

/// A key term with its definition, from a definition list.
#[derive(Debug, Clone)]
pub struct TermDef {
    /// The term as written.
    pub term: Vec<Inline>,
    /// The term as plain text.
    pub name: String,
    /// The definition.
    pub definition: Vec<Block>,
    /// A book-wide unique anchor.
    pub id: Anchor,
    /// Where the term is defined.
    pub span: Span,
}

/// The kinds of callout, from GitHub-style alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalloutKind {
    /// `[!NOTE]`.
    Note,
    /// `[!TIP]`, shown as an exam tip.
    Tip,
    /// `[!IMPORTANT]`.
    Important,
    /// `[!WARNING]`.
    Warning,
    /// `[!CAUTION]`.
    Caution,
}

impl CalloutKind {
    /// Returns the name used for styling, in lowercase.
    pub fn name(self) -> &'static str {
        match self {
            CalloutKind::Note => "note",
            CalloutKind::Tip => "tip",
            CalloutKind::Important => "important",
            CalloutKind::Warning => "warning",
            CalloutKind::Caution => "caution",
        }
    }

    /// Returns the word (in `templates/words.toml`) of the title shown when the author gives none.
    pub fn default_title(self) -> &'static str {
        match self {
            CalloutKind::Note => "note",
            CalloutKind::Tip => "exam_tip",
            CalloutKind::Important => "important",
            CalloutKind::Warning => "warning",
            CalloutKind::Caution => "caution",
        }
    }
}

/// Column alignment in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// As the output's default.
    None,
    /// Left.
    Left,
    /// Centre.
    Center,
    /// Right.
    Right,
}

/// A list item.
#[derive(Debug, Clone)]
pub struct ListItem {
    /// `Some(done)` for a task list item.
    pub task: Option<bool>,
    /// The item's content.
    pub blocks: Vec<Block>,
}

/// A block of content.
#[derive(Debug, Clone)]
pub enum Block {
    /// A section heading, at the top level of a document.
    Heading(Heading),
    /// A heading inside a list, quote, callout, definition or footnote. It is not a section: every
    /// output sets it as a bold line kept with what follows, without a number, and leaves it out of
    /// the contents and the navigation.
    NestedHeading(Vec<Inline>),
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A bulleted or numbered list.
    List {
        /// The first number for a numbered list; `None` for bullets.
        start: Option<u64>,
        /// Whether items are set without space between them.
        tight: bool,
        /// The items.
        items: Vec<ListItem>,
    },
    /// A quotation.
    Quote(Vec<Block>),
    /// A callout box.
    Callout {
        /// The kind.
        kind: CalloutKind,
        /// A title given by the author, replacing the default.
        title: Option<String>,
        /// The content.
        blocks: Vec<Block>,
    },
    /// Key terms with their definitions.
    Terms(Vec<TermDef>),
    /// A code block.
    Code {
        /// The language from the info string.
        lang: Option<String>,
        /// The code.
        text: String,
    },
    /// Text shown exactly as written, such as raw HTML in the Markdown.
    Literal(String),
    /// A table.
    Table {
        /// The alignment of each column.
        align: Vec<Align>,
        /// The header row.
        header: Vec<Vec<Inline>>,
        /// The body rows.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// An image on its own, with a caption from its alt text.
    Figure(Image),
    /// A thematic break.
    Rule,
}

/// Where a cross-reference leads: what the author wrote, and the place the cross-reference pass
/// found for it.
#[derive(Debug, Clone)]
pub struct CrossTarget {
    /// The link's destination as written: `#slug` or `file.md#slug`.
    pub href: String,
    /// Where the link is, for the error when there is no such place.
    pub span: Span,
    /// The place; none until the cross-reference pass has found it.
    pub place: Option<Place>,
}

/// A place in the book a cross-reference can lead to: a heading, a practice question or its model
/// answer, or a key term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Its anchor.
    pub anchor: Anchor,
    /// The document it is in.
    pub doc: DocKind,
}

/// Inline content.
#[derive(Debug, Clone)]
pub enum Inline {
    /// Text.
    Text(String),
    /// Inline code.
    Code(String),
    /// Emphasis.
    Emph(Vec<Inline>),
    /// Strong emphasis.
    Strong(Vec<Inline>),
    /// Struck-out text.
    Strike(Vec<Inline>),
    /// A link.
    Link {
        /// The destination.
        url: String,
        /// The link text.
        content: Vec<Inline>,
    },
    /// A link to another place in the book: a Markdown link without a scheme, `#slug` in the same
    /// file or `file.md#slug` in another, found by the cross-reference pass.
    CrossRef {
        /// Where the link leads.
        to: Box<CrossTarget>,
        /// The link text.
        content: Vec<Inline>,
    },
    /// An image inside text.
    Image(Image),
    /// A reference to [`Book::footnotes`].
    FootnoteRef(usize),
    /// An anchor for an occurrence of an index entry, placed by the index pass.
    IndexMark {
        /// The entry, an index into [`Index::entries`](crate::passes::index::Index).
        entry: usize,
        /// The anchor, unique in the book.
        id: Anchor,
    },
    /// The first use of a key term in a document, linked to its glossary entry by the index pass.
    GlossaryRef {
        /// The term, an index into the glossary's entries.
        term: usize,
        /// The words as written.
        content: Vec<Inline>,
    },
    /// An equation, `$…$` or `$$…$$`.
    Math(Box<Math>),
    /// A gap to fill in, in a practice question: `[[answer]]`.
    Gap(Gap),
    /// A space where the source has a line break.
    SoftBreak,
    /// A hard line break.
    LineBreak,
}
