//! The typst markup of a book's body: chapters, FAQ, questions and answers, from the model.
//!
//! Every piece of author text goes through [`escape`]; structure is emitted as calls to the functions
//! that `templates/guide.typ` defines, so the look stays in the template.

use std::fmt::Write;

use crate::layout::escape;
use crate::model::anchor::Anchor;
use crate::model::{
    Align, Answer, Block, Book, Choices, DocKind, Document, Entry, Gap, Heading, Image, Inline, ListItem, Question,
    TermDef, answer_lines, text_len,
};
use crate::passes::Derived;
use crate::render::body::BodyWriter;

/// The deepest level of heading the contents list.
const CONTENTS_DEPTH: u8 = 2;

/// Boxes with less text than this are kept whole on one page: about a third of a page.
const KEEP_TOGETHER_CHARS: usize = 1200;

/// The guide's body as its template takes it: the entries of its contents and its text.
#[derive(Debug, Clone, Default)]
pub struct Guide {
    /// A typst array of the contents' entries, one for each heading the contents list (chapters,
    /// their sections, the parts of the back matter and their entries), in the order of the text:
    /// `(level: 1, number: "1", body: [...], target: <...>)`. Written with the headings, so the
    /// contents are whole in typst's first layout pass; only their page numbers are looked up.
    pub contents: String,
    /// The text.
    pub text: String,
    /// How many digits the contents leave room for in each page number: enough for a page of
    /// 2,500 bytes of markup, more than any real page holds, and at least three.
    pub page_digits: usize,
}

/// Writes the typst markup of the whole body of `book`: the student edition, with the answers at
/// the back, or the teacher edition, with each model answer after its question.
pub fn body(book: &Book, derived: &Derived, teacher: bool) -> Guide {
    let mut w = Writer::new(book, derived, true);
    // The student guide is the print edition whose pages the EPUB's page list gives.
    w.page_marks = !teacher;
    w.reveal = teacher;
    let mut back_matter = false;
    for document in &book.documents {
        // Everything after the chapters is back matter: numbered and headed as such.
        if !back_matter && !matches!(document.kind, DocKind::Chapter(_)) {
            w.line("#show: back-matter");
            back_matter = true;
        }
        w.document(document, teacher);
    }
    if !back_matter && (!derived.glossary.entries.is_empty() || !derived.index.entries.is_empty()) {
        w.line("#show: back-matter");
    }
    w.glossary();
    w.index();
    let contents = w.contents.iter().map(|entry| format!("  {entry},\n")).collect::<String>();
    let page_digits = (w.out.len() / 2500 + 1).to_string().len().max(3);
    Guide { contents: format!("(\n{contents})"), text: w.out, page_digits }
}

/// Writes the worksheet: the practice questions with their marks and ruled answer lines, and
/// nothing of the model answers.
pub fn worksheet(book: &Book, derived: &Derived) -> String {
    let mut w = Writer::new(book, derived, false);
    // A ticked box in a question would give the answer away: the worksheet's boxes are all empty.
    w.blank_tasks = true;
    let Some(questions) = book.document(DocKind::Questions) else { return w.out };
    w.blocks(&questions.blocks);
    for q in book.questions() {
        let content = w.inlines_to_string(&q.heading.content);
        let mut prompt = w.blocks_to_string(&q.prompt);
        if let Some(choices) = &q.choices {
            prompt.push_str(&w.choices(choices));
        }
        // Options and gaps are answered where they stand: lines only for a written answer.
        let written = book.answer(q.number).is_none_or(|a| !a.blocks.is_empty());
        let keyed = q.choices.is_some() || !q.gaps().is_empty();
        let lines = if keyed && !written { 0 } else { answer_lines(q.marks) };
        w.line(&format!("#worksheet-question({}, {}, {lines})[{content}][{prompt}]", q.number, marks_arg(q.marks)));
    }
    w.line(&format!("#total-marks({})", book.total_marks()));
    w.out
}

/// Writes the answer key: every question with its marks and its model answer, as a mark scheme.
pub fn answer_key(book: &Book, derived: &Derived) -> String {
    let mut w = Writer::new(book, derived, false);
    w.reveal = true;
    if book.document(DocKind::Questions).is_none() {
        return w.out;
    }
    for q in book.questions() {
        let content = w.inlines_to_string(&q.heading.content);
        let answer = book.answer(q.number).map_or_else(
            || "none".to_string(),
            |a| {
                let mut inner = String::new();
                if !q.prompt.is_empty() && (q.choices.is_some() || !a.gaps.is_empty()) {
                    inner.push_str(&w.blocks_to_string(&q.prompt));
                }
                if let Some(choices) = &q.choices {
                    inner.push_str(&w.choices(choices));
                }
                if let Some(line) = w.correct_answer(a.choices.as_ref(), &a.gaps) {
                    inner.push_str(&line);
                }
                inner.push_str(&w.blocks_to_string(&a.blocks));
                format!("[{inner}]")
            },
        );
        w.line(&format!("#key-question({}, {}, [{content}], {answer})", q.number, marks_arg(q.marks)));
    }
    w.line(&format!("#total-marks({})", book.total_marks()));
    w.out
}

/// Writes the flashcards: the glossary's terms and definitions, for the template to lay out as
/// cards with the definitions behind their terms.
pub fn flashcards(book: &Book, derived: &Derived) -> String {
    let mut w = Writer::new(book, derived, false);
    let mut cards = Vec::new();
    for entry in &derived.glossary.entries {
        let term = w.inlines_to_string(&entry.term);
        let definition = w.blocks_to_string(&entry.definition);
        cards.push(format!("(term: [{term}], definition: [{definition}])"));
    }
    // Gap-fill questions make cloze cards: the question with its blanks, and behind it the same
    // question with the gaps filled in.
    for q in book.questions().filter(|q| !q.gaps().is_empty()) {
        let title = w.inlines_to_string(&q.heading.content);
        let prompt = w.blocks_to_string(&q.prompt);
        w.reveal = true;
        let mut filled = w.inlines_to_string(&q.heading.content);
        if !q.prompt.is_empty() {
            filled.push_str("\n\n");
            filled.push_str(&w.blocks_to_string(&q.prompt));
        }
        w.reveal = false;
        cards.push(format!("(term: [{title}], prompt: [{prompt}], definition: [{filled}])"));
    }
    // A typst array of one element needs its trailing comma; an empty one is `()`.
    let cards = if cards.is_empty() { "()".to_string() } else { format!("({},)", cards.join(", ")) };
    w.line(&format!("#flashcards({cards})"));
    w.out
}

struct Writer<'a> {
    out: String,
    book: &'a Book,
    derived: &'a Derived,
    /// Whether index anchors and glossary links are written: only the guide has an index and a
    /// glossary for them to point into.
    links: bool,
    /// Which footnotes have been set already; a later reference points at the first.
    noted: Vec<bool>,
    /// How many containers (lists, quotes, boxes, notes) the writer is inside; a heading inside one
    /// is set as a bold line, since typst headings (and chapter page breaks) belong at the top level.
    nesting: usize,
    /// Whether task-list boxes are set empty whether ticked or not, as on the worksheet.
    blank_tasks: bool,
    /// Whether page marks are written: a `page-mark` at each place the EPUB's page list may point
    /// to, which tells where that place is in print.
    page_marks: bool,
    /// Whether the block being written is a document's own, whose places are marked.
    marking: bool,
    /// How many page marks have been written, in reading order.
    marks: usize,
    /// Whether the answers of questions are shown where they stand: gaps filled in and correct
    /// options ticked, in the teacher edition, the answer key and the guide's answers.
    reveal: bool,
    /// Whether inlines are written as a copy of text set elsewhere, as a heading's in the contents:
    /// without its footnotes, index marks and glossary links, which belong to the heading.
    bare: bool,
    /// The contents' entries written so far, each a typst dictionary.
    contents: Vec<String>,
}

impl<'a> Writer<'a> {
    fn new(book: &'a Book, derived: &'a Derived, links: bool) -> Self {
        Self {
            out: String::new(),
            book,
            derived,
            links,
            noted: vec![false; book.footnotes.len()],
            nesting: 0,
            blank_tasks: false,
            page_marks: false,
            marking: false,
            marks: 0,
            reveal: false,
            bare: false,
            contents: Vec::new(),
        }
    }

    /// The options of a multiple-choice question, with how many to choose: the correct ones ticked
    /// and bold only when answers are shown. When they are not, nothing in the source says which
    /// they are.
    fn choices(&mut self, choices: &Choices) -> String {
        let words = &self.book.manifest.book.words;
        let count = u32::try_from(choices.correct_count()).unwrap_or(u32::MAX);
        let instruction = escape::markup(&words.count("choose", count));
        let mut options = Vec::new();
        for (i, option) in choices.options.iter().enumerate() {
            let body = self.blocks_to_string(&option.blocks);
            let correct = self.reveal && option.correct;
            options.push(format!("({}, [{body}], {correct})", escape::string(&Choices::letter(i))));
        }
        format!("#choices([{instruction}], {})", options.join(", "))
    }

    /// The line of an answer that gives the letters of the correct options and the words of the
    /// gaps, as `Answer: B` or `Answer: (1) quarantine, (2) grey / gray`; none when it has neither.
    fn correct_answer(&self, choices: Option<&Choices>, gaps: &[Gap]) -> Option<String> {
        let text = crate::model::answer_key_text(choices, gaps)?;
        let words = &self.book.manifest.book.words;
        Some(format!("#correct-answer[{}]\n\n", escape::markup(&words.fill("answer_is", &[("answer", &text)]))))
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push_str("\n\n");
    }

    /// A section heading with its number from the numbering pass, which typst prints as it is.
    fn heading(&mut self, heading: &Heading) {
        let level = heading.level.clamp(1, 6);
        let content = self.inlines_to_string(&heading.content);
        if level <= CONTENTS_DEPTH {
            let number = heading.number.as_deref().map_or_else(|| "none".into(), escape::string);
            let body = format!("[{}]", self.bare(&heading.content));
            self.contents_entry(level, &number, &body, heading.id.as_str());
        }
        let numbering =
            heading.number.as_deref().map_or_else(|| "none".into(), |n| format!("numbered({})", escape::string(n)));
        let _ = write!(self.out, "#heading(level: {level}, numbering: {numbering})[{content}] <{}>\n\n", heading.id);
        let marking = self.take_marking();
        self.mark_heading(marking);
    }

    /// Marks the place of the heading just written, when `marking`: after it, where typst has set
    /// it (a chapter's title on the page it opens), not inside it, where the contents and running
    /// heads would repeat it.
    fn mark_heading(&mut self, marking: bool) {
        let mark = self.mark(marking);
        if !mark.is_empty() {
            self.line(&mark);
        }
    }

    /// Adds an entry to the contents: a heading at `level` with its `number` (a typst string, or
    /// `none`) and its `body` (typst content), found by its label `target`.
    fn contents_entry(&mut self, level: u8, number: &str, body: &str, target: &str) {
        self.contents.push(format!("(level: {level}, number: {number}, body: {body}, target: <{target}>)"));
    }

    /// Adds to the contents a part of the back matter, titled with the book's word `word`, whose
    /// heading is labelled `anchor`.
    fn back_matter_entry(&mut self, word: &str, anchor: &Anchor) {
        let title = format!("[{}]", escape::markup(self.book.manifest.book.words.get(word)));
        self.contents_entry(1, "none", &title, anchor.as_str());
    }

    /// Returns the typst markup of `content` as a copy of text set elsewhere (see `bare`).
    fn bare(&mut self, content: &[Inline]) -> String {
        let links = std::mem::replace(&mut self.links, false);
        let bare = std::mem::replace(&mut self.bare, true);
        let text = self.inlines_to_string(content);
        self.links = links;
        self.bare = bare;
        text
    }

    fn nested_heading(&mut self, content: &[Inline]) {
        let content = self.inlines_to_string(content);
        self.line(&format!("#nested-heading[{content}]"));
    }

    /// The glossary: every key term under its letter, with the page where it is defined.
    fn glossary(&mut self) {
        let entries = &self.derived.glossary.entries;
        if entries.is_empty() {
            return;
        }
        self.back_matter_entry("glossary", &Anchor::glossary());
        self.line(&format!("#glossary-title() <{}>", Anchor::glossary()));
        let mut letter = "";
        for entry in entries {
            if entry.letter != letter {
                letter = &entry.letter;
                self.line(&format!("#glossary-letter({})", escape::string(letter)));
            }
            let mark = self.mark(true);
            let term = format!("{mark}{}", self.inlines_to_string(&entry.term));
            let (first, rest) = self.definition(&entry.definition);
            let defined = entry.defined_at.as_ref().map_or_else(|| "none".to_string(), |id| format!("<{id}>"));
            self.line(&format!(
                "#metadata(\"glossary\") <{}>#glossary-entry([{term}], [{first}], [{rest}], {defined})",
                entry.id
            ));
        }
    }

    /// The index: the entries grouped by letter; typst finds their pages from the anchors.
    fn index(&mut self) {
        let entries = &self.derived.index.entries;
        if entries.is_empty() {
            return;
        }
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let mark = self.mark(true);
            let item = format!("(id: {i}, name: [{mark}{}])", escape::markup(&entry.name));
            match groups.last_mut() {
                Some((letter, items)) if *letter == entry.letter => items.push(item),
                _ => groups.push((entry.letter.clone(), vec![item])),
            }
        }
        let groups: Vec<String> = groups
            .into_iter()
            .map(|(letter, items)| format!("(letter: {}, entries: ({},))", escape::string(&letter), items.join(", ")))
            .collect();
        self.back_matter_entry("index", &Anchor::index());
        self.line(&format!("#index-section(({},))", groups.join(", ")));
    }

    /// A document: its title, its blocks and its entries. The teacher edition has no answers at the
    /// back: each is set after its question.
    fn document(&mut self, document: &Document, teacher: bool) {
        match document.kind {
            DocKind::Answers if teacher => return,
            DocKind::Answers => {
                self.back_matter_entry("answers", &Anchor::answers());
                self.line(&format!("#answers-title() <{}>", Anchor::answers()));
                self.mark_heading(true);
            }
            DocKind::Chapter(_) | DocKind::Faq | DocKind::Questions => {
                self.marking = true;
                self.heading(&document.title);
            }
        }
        self.top_blocks(&document.blocks);
        for entry in &document.entries {
            match entry {
                Entry::Faq(entry) => {
                    self.marking = true;
                    self.heading(&entry.question);
                    self.top_blocks(&entry.answer);
                }
                Entry::Question(q) => self.question(q, teacher),
                Entry::Answer(a) => self.answer(a),
            }
        }
        if document.kind == DocKind::Questions && !document.entries.is_empty() {
            self.line(&format!("#total-marks({})", self.book.total_marks()));
        }
    }

    fn question(&mut self, q: &Question, teacher: bool) {
        let content = self.inlines_to_string(&q.heading.content);
        let marks = marks_arg(q.marks);
        let answer = self.book.answer(q.number);
        let link = match answer {
            Some(a) if !teacher => format!("<{}>", a.id()),
            _ => "none".into(),
        };
        let body = format!("question-title({}, [{}])", q.number, self.bare(&q.heading.content));
        self.contents_entry(2, "none", &body, q.id().as_str());
        let _ = write!(self.out, "#question-heading({})[{content}] <{}>\n\n", q.number, q.id());
        self.mark_heading(true);
        let _ = write!(self.out, "#question-info({marks}, {link})\n\n");
        self.top_blocks(&q.prompt);
        if let Some(choices) = &q.choices {
            let choices = self.choices(choices);
            self.line(&choices);
        }
        if teacher && let Some(answer) = answer {
            let mut inner = self.correct_answer(answer.choices.as_ref(), &answer.gaps).unwrap_or_default();
            inner.push_str(&self.blocks_to_string(&answer.blocks));
            self.line(&format!("#teacher-answer({marks})[{inner}]"));
        }
    }

    fn answer(&mut self, a: &Answer) {
        // The heading stays as the question's: it is in the contents and the bookmarks, at the
        // front of the book. The line below it gives the answers.
        let content = self.inlines_to_string(&a.heading.content);
        let body = format!("question-title({}, [{}])", a.number, self.bare(&a.heading.content));
        self.contents_entry(2, "none", &body, a.id().as_str());
        let reveal = std::mem::replace(&mut self.reveal, true);
        let marks = marks_arg(a.marks);
        let _ = write!(self.out, "#answer-heading({})[{content}] <{}>\n\n", a.number, a.id());
        self.mark_heading(true);
        let _ = write!(self.out, "#answer-info({marks}, <{}>)\n\n", a.question_id());
        if let Some(line) = self.correct_answer(a.choices.as_ref(), &a.gaps) {
            self.line(&line);
        }
        self.top_blocks(&a.blocks);
        self.reveal = reveal;
    }

    /// Returns the page mark for the next marked place, or nothing when places are not being marked.
    /// The writer of the block being marked takes `marking`, so the blocks nested in it are not.
    fn mark(&mut self, marking: bool) -> String {
        if !marking || !self.page_marks {
            return String::new();
        }
        self.marks += 1;
        // Written as metadata, not through a template function, so that a book's own templates
        // need nothing for it.
        format!("#metadata({})<page-mark>", self.marks - 1)
    }

    fn blocks_to_string(&mut self, blocks: &[Block]) -> String {
        let saved = std::mem::take(&mut self.out);
        self.nesting += 1;
        self.blocks(blocks);
        self.nesting -= 1;
        let inner = std::mem::replace(&mut self.out, saved);
        inner.trim_end().to_string()
    }

    fn list(&mut self, start: Option<u64>, tight: bool, items: &[ListItem]) {
        let marking = self.take_marking();
        let mut args = Vec::new();
        let is_task = items.iter().any(|i| i.task.is_some());
        for item in items {
            let mark = self.mark(marking);
            let inner = format!("{mark}{}", self.blocks_to_string(&item.blocks));
            // In a task list every item is a task; one without a box (Markdown allows the mix) gets none.
            args.push(match item.task {
                Some(done) => format!("task({})[{inner}]", done && !self.blank_tasks),
                None if is_task => format!("task(none)[{inner}]"),
                None => format!("[{inner}]"),
            });
        }
        let call = match (start, is_task) {
            (_, true) => format!("#task-list(tight: {tight}, {})", args.join(", ")),
            (Some(start), false) => format!("#enum(tight: {tight}, start: {start}, {})", args.join(", ")),
            (None, false) => format!("#list(tight: {tight}, {})", args.join(", ")),
        };
        self.line(&call);
    }

    fn terms(&mut self, terms: &[TermDef], breakable: bool) {
        let marking = self.take_marking();
        let mut args = Vec::new();
        for term in terms {
            let mark = self.mark(marking);
            let name = self.inlines_to_string(&term.term);
            let (first, rest) = self.definition(&term.definition);
            args.push(format!("([#metadata(\"term\") <{}>{mark}{name}], [{first}], [{rest}])", term.id));
        }
        self.line(&format!("#key-terms(breakable: {breakable}, {},)", args.join(", ")));
    }

    /// A definition as the templates set it: its first paragraph, on the line of the term, and the
    /// blocks after it (further paragraphs, lists, code), below.
    fn definition(&mut self, blocks: &[Block]) -> (String, String) {
        match blocks.split_first() {
            Some((Block::Paragraph(inlines), rest)) => (self.inlines_to_string(inlines), self.blocks_to_string(rest)),
            _ => (String::new(), self.blocks_to_string(blocks)),
        }
    }

    fn table(&mut self, align: &[Align], header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>], breakable: bool) {
        let columns = align.len().max(1);
        let aligns: Vec<&str> = align
            .iter()
            .map(|a| match a {
                Align::None | Align::Left => "left",
                Align::Center => "center",
                Align::Right => "right",
            })
            .collect();
        // Each body row is marked in its first cell; the header, which typst repeats on every page
        // the table runs onto, is not.
        let marking = self.take_marking();
        let cells = |row: &[Vec<Inline>], marking: bool, w: &mut Self| -> String {
            let mark = w.mark(marking);
            (0..columns)
                .map(|i| {
                    let mark = if i == 0 { mark.as_str() } else { "" };
                    format!("[{mark}{}]", row.get(i).map(|c| w.inlines_to_string(c)).unwrap_or_default())
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let head = cells(header, false, self);
        let body: Vec<String> = rows.iter().map(|r| cells(r, marking, self)).collect();
        let mut call = format!(
            "#data-table(columns: {columns}, align: ({},), breakable: {breakable}, header: ({head},)",
            aligns.join(", ")
        );
        if !body.is_empty() {
            let _ = write!(call, ", {}", body.join(", "));
        }
        call.push(')');
        self.line(&call);
    }

    fn figure(&mut self, image: &Image) {
        let caption = escape::markup(&image.alt);
        self.line(&format!(
            "#figure(image({}, alt: {}), caption: {})",
            escape::string(&format!("/{}", image.path)),
            escape::string(&image.alt),
            if image.alt.trim().is_empty() { "none".to_string() } else { format!("[{caption}]") }
        ));
    }

    fn wrapped(&mut self, function: &str, content: &[Inline], out: &mut String) {
        let inner = self.inlines_to_string(content);
        let _ = write!(out, "#{function}[{inner}];");
    }
}

impl BodyWriter for Writer<'_> {
    fn marking(&mut self) -> &mut bool {
        &mut self.marking
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::NestedHeading(content) => self.nested_heading(content),
            // A section heading inside a box (a teacher's model answer, a handout's question) is set
            // the same way: typst headings, and a chapter's page break, belong at the top level.
            Block::Heading(h) if self.nesting > 0 => self.nested_heading(&h.content),
            Block::Heading(h) => self.heading(h),
            Block::Paragraph(inlines) => {
                let marking = self.take_marking();
                let mark = self.mark(marking);
                let text = self.inlines_to_string(inlines);
                self.line(&format!("{mark}{text}"));
            }
            Block::List { start, tight, items } => self.list(*start, *tight, items),
            Block::Quote(blocks) => {
                let inner = self.blocks_to_string(blocks);
                self.line(&format!("#quote(block: true)[{inner}]"));
            }
            Block::Callout { kind, title, blocks } => {
                let title =
                    escape::markup(title.as_deref().unwrap_or(self.book.manifest.book.words.get(kind.default_title())));
                let inner = self.blocks_to_string(blocks);
                let breakable = text_len(blocks) > KEEP_TOGETHER_CHARS;
                self.line(&format!(
                    "#callout({}, [{title}], breakable: {breakable})[{inner}]",
                    escape::string(kind.name())
                ));
            }
            Block::Terms(terms) => self.terms(terms, text_len(std::slice::from_ref(block)) > KEEP_TOGETHER_CHARS),
            Block::Code { lang, text } => {
                let lang = lang.as_deref().map_or("none".to_string(), escape::string);
                self.line(&format!("#raw(block: true, lang: {lang}, {})", escape::string(text.trim_end_matches('\n'))));
            }
            Block::Literal(text) => {
                self.line(&format!("#literal({})", escape::string(text)));
            }
            Block::Table { align, header, rows } => {
                self.table(align, header, rows, text_len(std::slice::from_ref(block)) > KEEP_TOGETHER_CHARS)
            }
            Block::Figure(image) => self.figure(image),
            Block::Rule => self.line("#rule()"),
        }
    }

    fn inline(&mut self, inline: &Inline, out: &mut String) {
        match inline {
            Inline::Text(text) => out.push_str(&escape::markup(text)),
            Inline::Code(code) => {
                let _ = write!(out, "#raw({});", escape::string(code));
            }
            Inline::Emph(c) => self.wrapped("emph", c, out),
            Inline::Strong(c) => self.wrapped("strong", c, out),
            Inline::Strike(c) => self.wrapped("strike", c, out),
            Inline::Link { url, content } => {
                let inner = self.inlines_to_string(content);
                let _ = write!(out, "#link({})[{inner}];", escape::string(url));
            }
            // A cross-reference is a link, with its page, where the guide holds its place; the
            // handouts hold few of the guide's places, and give the words alone.
            Inline::CrossRef { to, content } => match &to.place {
                Some(place) if self.links => {
                    let inner = self.inlines_to_string(content);
                    let _ = write!(out, "#cross-ref(<{}>)[{inner}];", place.anchor);
                }
                _ => self.inlines(content, out),
            },
            Inline::Image(image) => {
                let _ = write!(
                    out,
                    "#inline-image({}, {});",
                    escape::string(&format!("/{}", image.path)),
                    escape::string(&image.alt)
                );
            }
            Inline::FootnoteRef(_) if self.bare => {}
            Inline::FootnoteRef(index) => {
                let note = &self.book.footnotes[*index];
                if self.noted[*index] {
                    let _ = write!(out, "#footnote(<{}>);", note.id);
                } else {
                    self.noted[*index] = true;
                    // A note's text is no place of the page list: the EPUB sets it apart, at the end
                    // of its document. (A note on a heading would otherwise take the heading's mark.)
                    let marking = self.take_marking();
                    let inner = self.blocks_to_string(&note.blocks);
                    *self.marking() = marking;
                    let _ = write!(out, "#footnote[{inner}]<{}>", note.id);
                }
            }
            Inline::Math(math) => out.push_str(&crate::layout::math::equation(math)),
            Inline::Gap(gap) => {
                // A blank about as long as the answer; the answer itself only where it is shown.
                let answer = if self.reveal { format!("[{}]", escape::markup(&gap.answers[0])) } else { "none".into() };
                let _ = write!(out, "#gap({}, {answer});", gap.width_em());
            }
            Inline::SoftBreak => out.push(' '),
            Inline::LineBreak => out.push_str("#linebreak();"),
            Inline::IndexMark { entry, .. } => {
                if self.links {
                    let _ = write!(out, "#metadata({entry})<ix>");
                }
            }
            Inline::GlossaryRef { content, .. } if !self.links => self.inlines(content, out),
            Inline::GlossaryRef { term, content } => {
                let inner = self.inlines_to_string(content);
                let id = &self.derived.glossary.entries[*term].id;
                let _ = write!(out, "#glossary-ref(<{id}>)[{inner}];");
            }
        }
    }
}

fn marks_arg(marks: Option<u32>) -> String {
    marks.map_or_else(|| "none".to_string(), |m| m.to_string())
}
