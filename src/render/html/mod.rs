//! The model as XHTML, written once for every renderer that carries HTML: the EPUB's documents
//! ([`documents`]: each document's body, with page markers, footnotes, the glossary and the index),
//! and fragments of the book outside its documents ([`fragment`]: a Moodle question's text, an Anki
//! note). Where links and images lead is each user's [`Links`] policy. Every piece of author text
//! and every attribute value goes through [`xml::escape`].

pub mod xml;

use std::fmt::Write;

use std::collections::HashMap;

use crate::layout::math_images::EquationImage;
use crate::layout::pages::PageList;
use crate::math::Math;
use crate::model::anchor::Anchor;
use crate::model::{
    Align, Answer, Block, Book, Choices, DocKind, Document as BookDocument, Entry, Heading, Image, Inline, ListItem,
    Question, TermDef, plain_text,
};
use crate::passes::Derived;
use crate::render::body::BodyWriter;
use xml::{escape, url};

/// The file of the practice questions.
pub const QUESTIONS_FILE: &str = "questions.xhtml";
/// The file of the model answers.
pub const ANSWERS_FILE: &str = "answers.xhtml";
/// The file of the glossary.
pub const GLOSSARY_FILE: &str = "glossary.xhtml";
/// The file of the index.
pub const INDEX_FILE: &str = "index.xhtml";

/// Where the links and images of the HTML lead: each renderer that carries HTML gives its own.
pub trait Links: Sync {
    /// Returns the `src` of an image of the book, by its path in the book folder, escaped for an
    /// attribute.
    fn image_src(&self, path: &str) -> String;

    /// Returns true when the HTML is one of the book's own documents, which link into its glossary
    /// and hold the anchors its index leads to. Outside them (a question in a Moodle bank, an Anki
    /// note) those would lead nowhere, and the words are written alone.
    fn in_book(&self) -> bool;

    /// Writes an equation: by default its MathML ([`equation_mathml`]); a reader that shows no
    /// MathML is given an image instead ([`equation_image`]).
    fn equation(&self, math: &Math, out: &mut String) {
        equation_mathml(math, out)
    }
}

/// Writes an equation as MathML, read left to right in a right-to-left book too, as it is
/// written, with its spoken form as `alttext`.
pub fn equation_mathml(math: &Math, out: &mut String) {
    crate::math::tree::write(&math.mathml, &[("dir", "ltr"), ("alttext", math.speech())], out)
}

/// Writes an equation as an image of it, `src`, with its spoken form as the alternative text, sized
/// in ems and lowered to the baseline of the text around it; display maths is a block of its own.
pub fn equation_image(math: &Math, src: &str, image: &EquationImage, out: &mut String) {
    let class = if math.display { "math math-display" } else { "math" };
    let _ = write!(
        out,
        "<img class=\"{class}\" src=\"{}\" alt=\"{}\" style=\"width: {:.3}em; height: {:.3}em; vertical-align: -{:.3}em\"/>",
        escape(src),
        escape(math.speech()),
        image.width,
        image.height,
        image.depth
    );
}

/// A content document: its file, its title, its body, and its entries in the table of contents.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name inside the package.
    pub file: String,
    /// The document's title, as plain text.
    pub title: String,
    /// The body: one `<section>` element.
    pub body: String,
    /// The headings below the title, for the table of contents.
    pub toc: Vec<TocEntry>,
    /// The printed pages that begin in this document, for the page list.
    pub pages: Vec<TocEntry>,
}

/// A heading in the table of contents.
#[derive(Debug, Clone)]
pub struct TocEntry {
    /// The link target, `file#id`.
    pub href: String,
    /// The heading as plain text.
    pub title: String,
    /// 2 for a section, 3 for a subsection.
    pub level: u8,
}

/// Returns the file of a document of the book.
pub fn doc_file(doc: DocKind) -> String {
    match doc {
        DocKind::Chapter(n) => format!("chapter-{n}.xhtml"),
        DocKind::Faq => "faq.xhtml".into(),
        DocKind::Questions => QUESTIONS_FILE.into(),
        DocKind::Answers => ANSWERS_FILE.into(),
    }
}

/// Writes the documents of the book's body, in reading order, then the glossary and the index.
pub fn documents(book: &Book, derived: &Derived, links: &dyn Links, page_list: Option<&PageList>) -> Vec<Document> {
    documents_and_places(book, derived, links, page_list).0
}

/// Writes the documents as [`documents`] does, and returns how many places it numbered for the
/// page list, which must be as many as the print edition marked.
pub fn documents_and_places(
    book: &Book,
    derived: &Derived,
    links: &dyn Links,
    page_list: Option<&PageList>,
) -> (Vec<Document>, usize) {
    let mut docs = Vec::new();
    // Where each key term is defined: its document and section.
    let mut term_places: HashMap<Anchor, (String, String)> = HashMap::new();
    // The printed page each marked place begins, if it begins one.
    let mut page_starts: HashMap<usize, Vec<&str>> = HashMap::new();
    for start in page_list.iter().flat_map(|p| &p.starts) {
        page_starts.entry(start.place).or_default().push(&start.page);
    }
    let mut marks = 0;
    for document in &book.documents {
        let mut w = Writer::new(book, derived, links, doc_file(document.kind));
        w.page_starts = Some(&page_starts);
        w.marks = marks;
        w.document(document);
        marks = w.marks;
        term_places.extend(std::mem::take(&mut w.term_places));
        docs.push(w.finish(plain_text(&document.title.content)));
    }
    // The glossary's and the index's entries are marked too, after the documents, as in print.
    if !derived.glossary.entries.is_empty() {
        let mut w = Writer::new(book, derived, links, GLOSSARY_FILE.into());
        w.page_starts = Some(&page_starts);
        w.marks = marks;
        glossary(&mut w, &term_places);
        marks = w.marks;
        docs.push(w.finish(book.manifest.book.words.get("glossary").into()));
    }
    if !derived.index.entries.is_empty() {
        let mut w = Writer::new(book, derived, links, INDEX_FILE.into());
        w.page_starts = Some(&page_starts);
        w.marks = marks;
        index(&mut w);
        marks = w.marks;
        let title = book.manifest.book.words.get("index").into();
        docs.push(Document { file: w.file, title, body: w.out, toc: Vec::new(), pages: w.pages });
    }
    (docs, marks)
}

/// Returns the XHTML of blocks outside any document, as other formats carry it (a Moodle question's
/// text, an Anki note): no page marks, gaps as blanks, links and images as `links` has them.
pub fn fragment(book: &Book, derived: &Derived, links: &dyn Links, blocks: &[Block]) -> String {
    let mut w = Writer::new(book, derived, links, String::new());
    w.blocks(blocks);
    w.out
}

/// Returns the XHTML of inline content outside any document, as [`fragment`] does for blocks.
pub fn inline_fragment(book: &Book, derived: &Derived, links: &dyn Links, inlines: &[Inline]) -> String {
    let mut w = Writer::new(book, derived, links, String::new());
    w.inlines_to_string(inlines)
}

/// The glossary document: the terms under letter headings, each linked to where it is defined.
fn glossary(w: &mut Writer, term_places: &HashMap<Anchor, (String, String)>) {
    let derived = w.derived;
    let words = &w.book.manifest.book.words;
    let _ = writeln!(
        w.out,
        "<section epub:type=\"glossary\" role=\"doc-glossary\" aria-labelledby=\"glossary-title\">\n\
         <h1 id=\"glossary-title\">{}</h1>",
        escape(words.get("glossary"))
    );
    let mut letter: Option<&str> = None;
    let mut group = 0;
    for entry in &derived.glossary.entries {
        if letter != Some(entry.letter.as_str()) {
            if letter.is_some() {
                w.out.push_str("</dl>\n</section>\n");
            }
            letter = Some(&entry.letter);
            group += 1;
            let _ = write!(
                w.out,
                "<section aria-labelledby=\"glossary-group-{group}\">\n<h2 id=\"glossary-group-{group}\">{}</h2>\n<dl>\n",
                escape(&entry.letter)
            );
        }
        let mark = w.mark(true);
        let term = w.inlines_to_string(&entry.term);
        let _ = write!(w.out, "<dt id=\"{}\">{mark}<dfn>{term}</dfn></dt>\n<dd>", entry.id);
        match entry.definition.as_slice() {
            [Block::Paragraph(inlines)] => {
                let text = w.inlines_to_string(inlines);
                w.out.push_str(&text);
            }
            blocks => w.blocks(blocks),
        }
        // Where the term is defined: its anchor in the chapter, labelled by the section.
        if let Some(anchor) = &entry.defined_at
            && let Some((file, section)) = term_places.get(anchor)
        {
            let see = escape(&words.fill("see_section", &[("section", section)]));
            let _ = write!(w.out, " <a class=\"defined-in\" href=\"{file}#{anchor}\">({see})</a>");
        }
        w.out.push_str("</dd>\n");
    }
    if letter.is_some() {
        w.out.push_str("</dl>\n</section>\n");
    }
}

/// The index document, following EPUB Indexes 1.0: each entry with a locator for each section it
/// occurs in, linked to its first occurrence there.
fn index(w: &mut Writer) {
    let derived = w.derived;
    let mut out = format!(
        "<section epub:type=\"index\" role=\"doc-index\" aria-labelledby=\"index-title\">\n\
         <h1 id=\"index-title\">{}</h1>\n",
        escape(w.book.manifest.book.words.get("index"))
    );
    let mut letter: Option<&str> = None;
    let mut group = 0;
    for entry in &derived.index.entries {
        if letter != Some(entry.letter.as_str()) {
            if letter.is_some() {
                out.push_str("</ul>\n</section>\n");
            }
            letter = Some(&entry.letter);
            group += 1;
            let _ = write!(
                out,
                "<section epub:type=\"index-group\" aria-labelledby=\"index-group-{group}\">\n\
                 <h2 id=\"index-group-{group}\">{}</h2>\n<ul>\n",
                escape(&entry.letter)
            );
        }
        let mark = w.mark(true);
        let _ = write!(
            out,
            "<li epub:type=\"index-entry\">{mark}<span epub:type=\"index-term\">{}</span>",
            escape(&entry.name)
        );
        let mut previous: Option<(DocKind, &str)> = None;
        for occurrence in &entry.occurrences {
            let place = &occurrence.place;
            if previous == Some((place.doc, place.section_id.as_str())) {
                continue;
            }
            previous = Some((place.doc, place.section_id.as_str()));
            let _ = write!(
                out,
                ", <a epub:type=\"index-locator\" href=\"{}#{}\">{}</a>",
                doc_file(place.doc),
                occurrence.id,
                escape(&place.section_title)
            );
        }
        out.push_str("</li>\n");
    }
    if letter.is_some() {
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str("</section>\n");
    w.out = out;
}

struct Writer<'a> {
    book: &'a Book,
    derived: &'a Derived,
    links: &'a dyn Links,
    file: String,
    out: String,
    toc: Vec<TocEntry>,
    /// The current section's title, with its number.
    section: String,
    /// Where each key term met so far is defined: its anchor, and the document and section.
    term_places: HashMap<Anchor, (String, String)>,
    /// Footnotes referenced in this document, in order of first reference.
    notes: Vec<usize>,
    /// How often each footnote has been referenced, for unique reference ids.
    refs: Vec<usize>,
    /// The printed page each marked place begins, by the place's number (see [`crate::layout::pages`]).
    page_starts: Option<&'a HashMap<usize, Vec<&'a str>>>,
    /// Whether the block being written is a document's own, whose places are marked.
    marking: bool,
    /// How many places have been marked in the book so far, in reading order.
    marks: usize,
    /// Whether gaps show their answers: in the answers document only.
    reveal: bool,
    /// The printed pages that begin in this document.
    pages: Vec<TocEntry>,
}

impl<'a> Writer<'a> {
    fn new(book: &'a Book, derived: &'a Derived, links: &'a dyn Links, file: String) -> Self {
        let reveal = file == ANSWERS_FILE;
        Self {
            book,
            derived,
            links,
            file,
            out: String::new(),
            toc: Vec::new(),
            section: String::new(),
            term_places: HashMap::new(),
            notes: Vec::new(),
            refs: vec![0; book.footnotes.len()],
            page_starts: None,
            marking: false,
            marks: 0,
            pages: Vec::new(),
            reveal,
        }
    }

    fn finish(mut self, title: String) -> Document {
        if !self.notes.is_empty() {
            let label = escape(self.book.manifest.book.words.get("notes"));
            let _ = writeln!(self.out, "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"{label}\">");
            for (n, &index) in self.notes.clone().iter().enumerate() {
                let note = &self.book.footnotes[index];
                let _ = write!(
                    self.out,
                    "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"{}\">\n<p class=\"footnote-label\">\
                     <a href=\"#ref-{}-1\" role=\"doc-backlink\">{}</a></p>\n",
                    note.id,
                    note.id,
                    n + 1
                );
                self.blocks(&note.blocks);
                self.out.push_str("</aside>\n");
            }
            self.out.push_str("</section>\n");
        }
        self.out.push_str("</section>\n");
        let body = keep_punctuation_with_maths(&self.out);
        Document { file: self.file, title, body, toc: self.toc, pages: self.pages }
    }

    /// Writes a section heading, numbered inside chapters, and records it for the table of contents.
    fn heading(&mut self, heading: &Heading) {
        let title = heading.numbered_text();
        if heading.level <= 3 {
            self.toc.push(TocEntry {
                href: format!("{}#{}", self.file, heading.id),
                title: title.clone(),
                level: heading.level,
            });
        }
        self.section = title;
        let marking = self.take_marking();
        let mark = self.mark(marking);
        self.out.push_str(&mark);
        self.heading_element(heading, heading.number.as_deref());
    }

    fn heading_element(&mut self, heading: &Heading, number: Option<&str>) {
        let level = heading.level.clamp(1, 6);
        let content = self.inlines_to_string(&heading.content);
        let number = number.map(|n| format!("<span class=\"secno\">{n}</span> ")).unwrap_or_default();
        let _ = writeln!(self.out, "<h{level} id=\"{}\">{number}{content}</h{level}>", heading.id);
    }

    /// Writes a document of the book: one `<section>` (which [`Writer::finish`] closes) with the
    /// title, the blocks and the entries.
    fn document(&mut self, document: &BookDocument) {
        let title = &document.title;
        match document.kind {
            DocKind::Chapter(number) => {
                self.section = title.numbered_text();
                let _ = write!(
                    self.out,
                    "<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"{}\">\n<header>\n\
                     <p class=\"chapter-label\">{}</p>\n",
                    title.id,
                    escape(&self.book.manifest.book.words.fill("chapter", &[("n", &number.to_string())]))
                );
                let mark = self.mark(true);
                self.out.push_str(&mark);
                self.heading_element(title, None);
                self.out.push_str("</header>\n");
            }
            DocKind::Faq => self.open_section("faq", title),
            DocKind::Questions => self.open_section("questions", title),
            DocKind::Answers => self.open_section("answers", title),
        }
        self.top_blocks(&document.blocks);
        for entry in &document.entries {
            match entry {
                Entry::Faq(entry) => {
                    let _ =
                        writeln!(self.out, "<section class=\"faq-entry\" aria-labelledby=\"{}\">", entry.question.id);
                    self.marking = true;
                    self.heading(&entry.question);
                    self.top_blocks(&entry.answer);
                    self.out.push_str("</section>\n");
                }
                Entry::Question(q) => self.question(q),
                Entry::Answer(a) => self.answer(a),
            }
        }
        if document.kind == DocKind::Questions && !document.entries.is_empty() {
            let words = &self.book.manifest.book.words;
            let total = words.fill("total", &[("marks", &words.marks(self.book.total_marks()))]);
            let _ = writeln!(self.out, "<p class=\"total-marks\">{}</p>", escape(&total));
        }
    }

    /// Opens a document's `<section>` of a class, labelled by its title, and writes the title.
    fn open_section(&mut self, class: &str, title: &Heading) {
        let _ = writeln!(self.out, "<section class=\"{class}\" aria-labelledby=\"{}\">", title.id);
        let mark = self.mark(true);
        self.out.push_str(&mark);
        self.heading_element(title, None);
    }

    fn question(&mut self, q: &Question) {
        let content = self.inlines_to_string(&q.heading.content);
        let mark = self.mark(true);
        let _ = write!(
            self.out,
            "<section class=\"question\" id=\"{}\" aria-labelledby=\"{}\">\n{mark}<h2 id=\"{}\">\
             <span class=\"qno\">{}.</span> {content}</h2>\n<p class=\"question-meta\">",
            q.id(),
            q.heading.id,
            q.heading.id,
            q.number
        );
        let words = &self.book.manifest.book.words;
        if let Some(marks) = q.marks {
            let _ = write!(self.out, "<span class=\"marks\">[{}]</span> ", escape(&words.marks(marks)));
        }
        if let Some(answer) = self.book.answer(q.number) {
            let label = escape(words.get("model_answer"));
            let _ = write!(self.out, "<a class=\"answer-link\" href=\"{ANSWERS_FILE}#{}\">{label}</a>", answer.id());
        }
        self.out.push_str("</p>\n");
        self.toc.push(TocEntry { href: format!("{}#{}", self.file, q.id()), title: q.title_text(), level: 2 });
        self.top_blocks(&q.prompt);
        if let Some(choices) = &q.choices {
            self.choices(choices);
        }
        self.out.push_str("</section>\n");
    }

    fn answer(&mut self, a: &Answer) {
        let content = self.inlines_to_string(&a.heading.content);
        let mark = self.mark(true);
        let _ = write!(
            self.out,
            "<section class=\"answer\" id=\"{}\" aria-labelledby=\"{}-title\">\n{mark}<h2 id=\"{}-title\">\
             <span class=\"qno\">{}.</span> {content}</h2>\n<p class=\"question-meta\">",
            a.id(),
            a.id(),
            a.id(),
            a.number
        );
        let words = &self.book.manifest.book.words;
        if let Some(marks) = a.marks {
            let _ = write!(self.out, "<span class=\"marks\">[{}]</span> ", escape(&words.marks(marks)));
        }
        let _ = writeln!(
            self.out,
            "<a role=\"doc-backlink\" href=\"{QUESTIONS_FILE}#{}\">{}</a></p>",
            a.question_id(),
            escape(&words.fill("back_to_question", &[("n", &a.number.to_string())]))
        );
        self.toc.push(TocEntry { href: format!("{}#{}", self.file, a.id()), title: a.title_text(), level: 2 });
        if let Some(text) = crate::model::answer_key_text(a.choices.as_ref(), &a.gaps) {
            let line = self.book.manifest.book.words.fill("answer_is", &[("answer", &text)]);
            let _ = writeln!(self.out, "<p class=\"correct-answer\"><strong>{}</strong></p>", escape(&line));
        }
        self.top_blocks(&a.blocks);
        self.out.push_str("</section>\n");
    }

    /// The options of a multiple-choice question, lettered, after how many to choose. Which are
    /// correct is only in the answers document.
    fn choices(&mut self, choices: &Choices) {
        let words = &self.book.manifest.book.words;
        let count = u32::try_from(choices.correct_count()).unwrap_or(u32::MAX);
        let _ = writeln!(
            self.out,
            "<p class=\"choose\">{}</p>\n<ol class=\"choices\" type=\"A\">",
            escape(&words.count("choose", count))
        );
        for option in &choices.options {
            self.out.push_str("<li>");
            self.item_body(&option.blocks, true);
            self.out.push_str("</li>\n");
        }
        self.out.push_str("</ol>\n");
    }

    /// Returns the page break marker for the next marked place when a printed page begins there, and
    /// nothing otherwise or when places are not being marked. The writer of the block being marked
    /// takes `marking`, so the blocks nested in it are not.
    fn mark(&mut self, marking: bool) -> String {
        if !marking {
            return String::new();
        }
        self.marks += 1;
        let Some(pages) = self.page_starts.and_then(|starts| starts.get(&(self.marks - 1))) else {
            return String::new();
        };
        let mut out = String::new();
        for page in pages {
            let id = format!("page-{}", slug_page(page));
            self.pages.push(TocEntry { href: format!("{}#{id}", self.file), title: page.to_string(), level: 2 });
            let _ = write!(
                out,
                "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{id}\" aria-label=\"{}\"></span>",
                escape(page)
            );
        }
        out
    }

    fn list(&mut self, start: Option<u64>, tight: bool, items: &[ListItem]) {
        let marking = self.take_marking();
        let is_task = items.iter().any(|i| i.task.is_some());
        let mut class = Vec::new();
        if tight {
            class.push("tight");
        }
        if is_task {
            class.push("tasks");
        }
        // Numbers of three digits or more (a list that starts at a year, say) need a wider margin.
        if start.is_some_and(|n| n.saturating_add(items.len() as u64) > 100) {
            class.push("wide");
        }
        let class = if class.is_empty() { String::new() } else { format!(" class=\"{}\"", class.join(" ")) };
        match start {
            Some(1) => {
                let _ = writeln!(self.out, "<ol{class}>");
            }
            Some(n) => {
                let _ = writeln!(self.out, "<ol{class} start=\"{n}\">");
            }
            None => {
                let _ = writeln!(self.out, "<ul{class}>");
            }
        }
        for item in items {
            let mark = self.mark(marking);
            let _ = write!(self.out, "<li>{mark}");
            if let Some(done) = item.task {
                let (mark, label) = if done { ("☑", "done") } else { ("☐", "to_do") };
                let label = escape(self.book.manifest.book.words.get(label));
                let _ = write!(self.out, "<span class=\"task-box\" role=\"img\" aria-label=\"{label}\">{mark}</span> ");
            }
            self.item_body(&item.blocks, tight);
            self.out.push_str("</li>\n");
        }
        self.out.push_str(if start.is_some() { "</ol>\n" } else { "</ul>\n" });
    }

    /// Writes a list item's content: a tight item's single paragraph without <p>, as Markdown
    /// renders it, anything else as blocks.
    fn item_body(&mut self, blocks: &[Block], tight: bool) {
        match blocks {
            [Block::Paragraph(inlines)] if tight => {
                let text = self.inlines_to_string(inlines);
                self.out.push_str(&text);
            }
            blocks => {
                self.out.push('\n');
                self.blocks(blocks);
            }
        }
    }

    fn terms(&mut self, terms: &[TermDef]) {
        let marking = self.take_marking();
        let label = escape(self.book.manifest.book.words.get("key_terms"));
        let _ = writeln!(
            self.out,
            "<div class=\"key-terms\" role=\"group\" aria-label=\"{label}\">\n<p class=\"box-title\">{label}</p>\n<dl>"
        );
        for term in terms {
            self.term_places.insert(term.id.clone(), (self.file.clone(), self.section.clone()));
            let mark = self.mark(marking);
            let name = self.inlines_to_string(&term.term);
            let _ = writeln!(self.out, "<dt id=\"{}\">{mark}<dfn>{name}</dfn></dt>\n<dd>", term.id);
            match term.definition.as_slice() {
                [Block::Paragraph(inlines)] => {
                    let text = self.inlines_to_string(inlines);
                    self.out.push_str(&text);
                }
                blocks => self.blocks(blocks),
            }
            self.out.push_str("</dd>\n");
        }
        self.out.push_str("</dl>\n</div>\n");
    }

    fn table(&mut self, align: &[Align], header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        let marking = self.take_marking();
        let columns = align.len().max(1);
        let class = |i: usize| match align.get(i) {
            Some(Align::Center) => " class=\"align-center\"",
            Some(Align::Right) => " class=\"align-right\"",
            _ => "",
        };
        self.out.push_str("<div class=\"table-wrap\">\n<table>\n<thead>\n<tr>");
        for i in 0..columns {
            let cell = header.get(i).map(|c| self.inlines_to_string(c)).unwrap_or_default();
            let _ = write!(self.out, "<th scope=\"col\"{}>{cell}</th>", class(i));
        }
        self.out.push_str("</tr>\n</thead>\n<tbody>\n");
        for row in rows {
            self.out.push_str("<tr>");
            // Each body row is marked in its first cell, as the PDF marks it.
            let mut mark = self.mark(marking);
            for i in 0..columns {
                let cell = row.get(i).map(|c| self.inlines_to_string(c)).unwrap_or_default();
                let _ = write!(self.out, "<td{}>{}{cell}</td>", class(i), std::mem::take(&mut mark));
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n</div>\n");
    }

    fn wrapped(&mut self, element: &str, content: &[Inline], out: &mut String) {
        let inner = self.inlines_to_string(content);
        let _ = write!(out, "<{element}>{inner}</{element}>");
    }
}

impl BodyWriter for Writer<'_> {
    fn marking(&mut self) -> &mut bool {
        &mut self.marking
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(h) => self.heading(h),
            Block::NestedHeading(inlines) => {
                let text = self.inlines_to_string(inlines);
                let _ = writeln!(self.out, "<p class=\"nested-heading\"><strong>{text}</strong></p>");
            }
            Block::Paragraph(inlines) => {
                let marking = self.take_marking();
                let mark = self.mark(marking);
                let text = self.inlines_to_string(inlines);
                let _ = writeln!(self.out, "<p>{mark}{text}</p>");
            }
            Block::List { start, tight, items } => self.list(*start, *tight, items),
            Block::Quote(blocks) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>\n");
            }
            Block::Callout { kind, title, blocks } => {
                let title = escape(title.as_deref().unwrap_or(self.book.manifest.book.words.get(kind.default_title())));
                let _ = writeln!(
                    self.out,
                    "<div class=\"callout callout-{}\" role=\"note\">\n<p class=\"box-title\">{title}</p>",
                    kind.name()
                );
                self.blocks(blocks);
                self.out.push_str("</div>\n");
            }
            Block::Terms(terms) => self.terms(terms),
            Block::Code { lang, text } => {
                let class = lang.as_deref().map(|l| format!(" class=\"language-{}\"", escape(l))).unwrap_or_default();
                let _ = writeln!(self.out, "<pre><code{class}>{}</code></pre>", escape(text.trim_end_matches('\n')));
            }
            Block::Literal(text) => {
                let _ = writeln!(self.out, "<pre class=\"literal\">{}</pre>", escape(text));
            }
            Block::Table { align, header, rows } => self.table(align, header, rows),
            Block::Figure(image) => {
                let caption = if image.alt.trim().is_empty() {
                    String::new()
                } else {
                    // The caption is the alt text, which a screen reader has read already.
                    format!("<figcaption aria-hidden=\"true\">{}</figcaption>", escape(&image.alt))
                };
                let src = self.links.image_src(&image.path);
                let _ = writeln!(self.out, "<figure>{}{caption}</figure>", img(image, &src, "figure-image"));
            }
            Block::Rule => self.out.push_str("<hr/>\n"),
        }
    }

    fn inline(&mut self, inline: &Inline, out: &mut String) {
        match inline {
            Inline::Text(text) => out.push_str(&escape(text)),
            Inline::Code(code) => {
                let _ = write!(out, "<code>{}</code>", escape(code));
            }
            Inline::Emph(c) => self.wrapped("em", c, out),
            Inline::Strong(c) => self.wrapped("strong", c, out),
            Inline::Strike(c) => self.wrapped("s", c, out),
            Inline::Link { url: href, content } => {
                let inner = self.inlines_to_string(content);
                let _ = write!(out, "<a href=\"{}\">{inner}</a>", url(href));
            }
            // A cross-reference leads into the book's own documents; outside them, the words alone.
            Inline::CrossRef { to, content } => match &to.place {
                Some(place) if self.links.in_book() => {
                    let inner = self.inlines_to_string(content);
                    let _ = write!(out, "<a href=\"{}#{}\">{inner}</a>", doc_file(place.doc), place.anchor);
                }
                _ => self.inlines(content, out),
            },
            Inline::Image(image) => out.push_str(&img(image, &self.links.image_src(&image.path), "inline-image")),
            Inline::FootnoteRef(index) => {
                let index = *index;
                let number = match self.notes.iter().position(|&n| n == index) {
                    Some(position) => position + 1,
                    None => {
                        self.notes.push(index);
                        self.notes.len()
                    }
                };
                self.refs[index] += 1;
                let id = &self.book.footnotes[index].id;
                let _ = write!(
                    out,
                    "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" id=\"ref-{id}-{}\" href=\"#{id}\">{number}</a>",
                    self.refs[index]
                );
            }
            // math-core marks display maths `display="block"` itself.
            Inline::Math(math) => self.links.equation(math, out),
            Inline::Gap(gap) if self.reveal => {
                let _ = write!(out, "<span class=\"gap-answer\">{}</span>", escape(&gap.answers[0]));
            }
            Inline::Gap(gap) => {
                // A blank line to write on, which a screen reader names, about as long as the answer.
                let label = self.book.manifest.book.words.fill("gap", &[("n", &gap.number.to_string())]);
                let _ = write!(
                    out,
                    "<span class=\"gap\" style=\"min-width: {}em\"><span class=\"gap-label\">{}</span></span>",
                    gap.width_em(),
                    escape(&label)
                );
            }
            Inline::SoftBreak => out.push('\n'),
            Inline::LineBreak => out.push_str("<br/>\n"),
            Inline::IndexMark { .. } if !self.links.in_book() => {}
            Inline::IndexMark { id, .. } => {
                let _ = write!(out, "<span id=\"{id}\"></span>");
            }
            Inline::GlossaryRef { content, .. } if !self.links.in_book() => self.inlines(content, out),
            Inline::GlossaryRef { term, content } => {
                let inner = self.inlines_to_string(content);
                let _ = write!(
                    out,
                    "<a epub:type=\"glossref\" role=\"doc-glossref\" href=\"{GLOSSARY_FILE}#{}\">{inner}</a>",
                    self.derived.glossary.entries[*term].id
                );
            }
        }
    }
}

/// Keeps the punctuation that follows an equation on its line: a reader may break a line after an
/// inline `<math>` or an equation's image, as after any image, which would leave a full stop alone
/// at the start of the next. Each equation followed by punctuation is wrapped with it in a span that
/// does not break. (`<math` and `<img class="math` stand only as tags: text and attributes escape
/// `<`.)
fn keep_punctuation_with_maths(body: &str) -> String {
    const PUNCTUATION: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '’', '”', '»'];
    const KINDS: [(&str, &str); 2] = [("<math ", "</math>"), ("<img class=\"math", "/>")];
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    loop {
        // The next equation, of either kind, and where it ends.
        let next = KINDS
            .iter()
            .filter_map(|(open, close)| {
                let start = rest.find(open)?;
                let end = start + rest[start..].find(close)? + close.len();
                Some((start, end))
            })
            .min();
        let Some((start, end)) = next else { break };
        let after = &rest[end..];
        let punctuation = after.len() - after.trim_start_matches(PUNCTUATION).len();
        if punctuation > 0 {
            out.push_str(&rest[..start]);
            out.push_str("<span class=\"nowrap\">");
            out.push_str(&rest[start..end + punctuation]);
            out.push_str("</span>");
        } else {
            out.push_str(&rest[..end]);
        }
        rest = &rest[end + punctuation..];
    }
    out.push_str(rest);
    out
}

/// Makes an id's part from a printed page number: its ASCII letters and digits.
fn slug_page(page: &str) -> String {
    page.chars().filter(char::is_ascii_alphanumeric).collect()
}

fn img(image: &Image, src: &str, class: &str) -> String {
    format!("<img class=\"{class}\" src=\"{src}\" alt=\"{}\"/>", escape(&image.alt))
}
