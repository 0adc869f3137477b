//! The index pass: finds every occurrence of every index entry and key term in one pass over the
//! text, places an anchor at each, links the first use of a key term in each document to its
//! glossary entry.
//!
//! Matching is one Aho–Corasick automaton over all the forms of all the entries, so its cost is
//! linear in the size of the text whatever the number of entries.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};
use unicode_script::{Script, UnicodeScript};

use super::glossary::Glossary;
use super::sort::{letter, sort_key};
use crate::diagnostics::{Diagnostic, Span};
use crate::model::anchor::Anchor;
use crate::model::{Block, Book, DocKind, Entry, Heading, Inline};

/// The index: entries in display order, each with its occurrences in reading order.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// The entries, sorted for people.
    pub entries: Vec<IndexEntry>,
}

/// An index entry.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    /// The name as printed.
    pub name: String,
    /// The letter heading it is listed under.
    pub letter: String,
    /// Where it occurs.
    pub occurrences: Vec<Occurrence>,
}

/// One occurrence: its anchor and the place it is in.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// The anchor, unique in the book.
    pub id: Anchor,
    /// The document and section.
    pub place: Place,
}

/// Where something is: its document and the section it is in.
#[derive(Debug, Clone)]
pub struct Place {
    /// The document.
    pub doc: DocKind,
    /// The anchor of the section's heading (or of the question).
    pub section_id: Anchor,
    /// The section's title as plain text, with its number.
    pub section_title: String,
}

/// A form an entry takes in the text.
struct Form {
    entry: usize,
    text: String,
    case_sensitive: bool,
    /// The glossary entry this form links to, for key terms.
    term: Option<usize>,
}

/// An entry before sorting: its name, forms, and where it is declared.
struct Declared {
    name: String,
    forms: Vec<(String, bool)>,
    term: Option<usize>,
    span: Span,
}

/// Runs the pass: returns the index, the section numbers, and warnings and errors.
pub fn run(book: &mut Book, glossary: &Glossary) -> (Index, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();

    // Every glossary term is an index entry, matched in any case and with plurals; every entry of
    // [index] is matched as written.
    let mut declared: Vec<Declared> = glossary
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| Declared {
            name: e.name.clone(),
            forms: term_forms(&e.name),
            term: Some(i),
            span: e.span.clone(),
        })
        .collect();
    for entry in &book.manifest.index {
        declared.push(Declared {
            name: entry.name.clone(),
            forms: entry.aliases.iter().map(|a| (a.clone(), true)).collect(),
            term: None,
            span: entry.span.clone(),
        });
    }

    // Sort entries for display; an index entry and a key term of the same name are one entry.
    let mut order: Vec<usize> = (0..declared.len()).collect();
    order.sort_by(|&a, &b| {
        sort_key(&declared[a].name).cmp(&sort_key(&declared[b].name)).then(declared[a].name.cmp(&declared[b].name))
    });
    let mut entries = Vec::new();
    let mut position = vec![0; declared.len()];
    for &i in &order {
        position[i] = entries.len();
        let key = sort_key(&declared[i].name);
        entries.push(IndexEntry { name: declared[i].name.clone(), letter: letter(&key), occurrences: Vec::new() });
    }

    // An alias may belong to one entry only.
    let mut forms = Vec::new();
    let mut claimed: HashMap<String, usize> = HashMap::new();
    for (i, d) in declared.iter().enumerate() {
        for (n, (text, case_sensitive)) in d.forms.iter().enumerate() {
            let declared_form = n == 0 || d.term.is_none();
            let key = text.to_lowercase();
            match claimed.get(&key) {
                Some(&other) if other != i => {
                    if declared_form && declared[other].term.is_some() && d.term.is_none() {
                        // A key term is in the index already, under its own name.
                        diagnostics.push(
                            Diagnostic::error(format!(
                                "`{text}` is a key term, so the index has it already as `{}`",
                                declared[other].name
                            ))
                            .at(d.span.clone(), "listed in [index] as well")
                            .also(declared[other].span.clone(), "defined as a key term here")
                            .hint(format!("remove `{text}` from this [index] entry")),
                        );
                    } else if declared_form {
                        diagnostics.push(
                            Diagnostic::error(format!(
                                "the alias `{text}` is claimed by two index entries: `{}` and `{}`",
                                declared[other].name, d.name
                            ))
                            .at(d.span.clone(), format!("`{}` claims it here", d.name))
                            .also(declared[other].span.clone(), format!("`{}` claims it here", declared[other].name))
                            .hint("give each form of a name to one entry only"),
                        );
                    }
                    continue;
                }
                // The same entry's forms may differ only in case where case folding cannot reach.
                Some(_) if text.is_ascii() => continue,
                Some(_) => {}
                None => {
                    claimed.insert(key, i);
                }
            }
            forms.push(Form { entry: position[i], text: text.clone(), case_sensitive: *case_sensitive, term: d.term });
        }
    }

    let mut marker = Marker::new(&forms, glossary, entries.len());
    marker.run(book);

    // Entries and terms that never occur are worth a warning.
    for (i, d) in declared.iter().enumerate() {
        let entry = position[i];
        let used = marker.uses[entry];
        if used == 0 {
            let message = match d.term {
                Some(_) => format!("the key term `{}` is never used outside its definition", d.name),
                None => format!("the index entry `{}` never occurs in the text", d.name),
            };
            diagnostics.push(
                Diagnostic::warning(message)
                    .at(d.span.clone(), "declared here")
                    .hint("check its spelling and aliases, or remove it"),
            );
        }
    }
    for (entry, occurrences) in marker.occurrences.into_iter().enumerate() {
        entries[entry].occurrences = occurrences;
    }
    (Index { entries }, diagnostics)
}

/// The forms of a key term: as written, and its plural or singular, all matched in any case; without
/// a leading "The" too; and with its first letter in the other case when that letter is not ASCII,
/// which the matcher's case folding does not cover.
fn term_forms(name: &str) -> Vec<(String, bool)> {
    let mut bases = vec![name.to_string()];
    if let Some(rest) = name.strip_prefix("The ").or_else(|| name.strip_prefix("the ")).filter(|r| !r.is_empty()) {
        bases.push(rest.to_string());
    }
    let mut forms = Vec::new();
    for base in bases {
        for form in number_forms(&base) {
            let mut chars = form.chars();
            if let Some(first) = chars.next().filter(|c| !c.is_ascii() && c.is_alphabetic()) {
                let rest = chars.as_str();
                let flipped: String = if first.is_uppercase() {
                    first.to_lowercase().chain(rest.chars()).collect()
                } else {
                    first.to_uppercase().chain(rest.chars()).collect()
                };
                forms.push((form.clone(), false));
                forms.push((flipped, false));
            } else {
                forms.push((form, false));
            }
        }
    }
    forms
}

/// A name as written, with its plural, and its singular when it looks plural.
fn number_forms(name: &str) -> Vec<String> {
    let mut forms = vec![name.to_string()];
    let lower = name.to_lowercase();
    let vowel_before_y = |stem: &str| stem.to_lowercase().ends_with(['a', 'e', 'i', 'o', 'u']);
    match name.strip_suffix(['y', 'Y']) {
        Some(stem) if !stem.is_empty() && !vowel_before_y(stem) => forms.push(format!("{stem}ies")),
        _ if lower.ends_with(['s', 'x', 'z']) || lower.ends_with("ch") || lower.ends_with("sh") => {
            forms.push(format!("{name}es"));
        }
        _ => forms.push(format!("{name}s")),
    }
    if let Some(stem) = name.strip_suffix(['s', 'S'])
        && !stem.is_empty()
        && !stem.to_lowercase().ends_with('s')
    {
        forms.push(stem.to_string());
    }
    forms
}

/// What may be added to the inlines being rewritten.
#[derive(Clone, Copy)]
struct Allow {
    /// Index anchors.
    marks: bool,
    /// Links to the glossary.
    glossary: bool,
}

struct Marker<'f> {
    forms: &'f [Form],
    glossary: &'f Glossary,
    automaton: Option<AhoCorasick>,
    occurrences: Vec<Vec<Occurrence>>,
    /// Occurrences of each entry outside a key term's own definition.
    uses: Vec<usize>,
    next_id: usize,
    place: Place,
    /// Glossary entries defined so far, in reading order.
    defined: HashSet<usize>,
    /// Glossary entries already linked in the current document.
    linked: HashSet<usize>,
    /// The glossary entry whose definition is being read, if any.
    defining: Option<usize>,
    /// The book's footnotes, taken out of it while the pass runs, and whether each has been read.
    notes: Vec<crate::model::Footnote>,
    noted: Vec<bool>,
}

impl<'f> Marker<'f> {
    fn new(forms: &'f [Form], glossary: &'f Glossary, entries: usize) -> Self {
        let automaton = (!forms.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(forms.iter().map(|f| f.text.as_str()))
                .expect("the index patterns build an automaton")
        });
        Self {
            forms,
            glossary,
            automaton,
            occurrences: vec![Vec::new(); entries],
            uses: vec![0; entries],
            next_id: 0,
            place: Place { doc: DocKind::Chapter(0), section_id: Anchor::default(), section_title: String::new() },
            defined: HashSet::new(),
            linked: HashSet::new(),
            defining: None,
            notes: Vec::new(),
            noted: Vec::new(),
        }
    }

    fn run(&mut self, book: &mut Book) {
        // A footnote is read where it is first referenced, so its occurrences fall in reading order.
        self.notes = std::mem::take(&mut book.footnotes);
        self.noted = vec![false; self.notes.len()];
        let all = Allow { marks: true, glossary: true };
        for document in &mut book.documents {
            self.enter(document.kind, &document.title);
            self.blocks(&mut document.blocks, all);
            for entry in &mut document.entries {
                match entry {
                    Entry::Faq(entry) => {
                        self.section(&entry.question);
                        self.blocks(&mut entry.answer, all);
                    }
                    Entry::Question(q) => {
                        self.section_at(q.id(), q.title_text());
                        self.blocks(&mut q.prompt, all);
                        // A multiple-choice question's options are its text too.
                        for option in q.choices.iter_mut().flat_map(|c| c.options.iter_mut()) {
                            self.blocks(&mut option.blocks, all);
                        }
                    }
                    Entry::Answer(a) => {
                        self.section_at(a.id(), a.title_text());
                        self.blocks(&mut a.blocks, all);
                    }
                }
            }
        }
        book.footnotes = std::mem::take(&mut self.notes);
    }

    /// Enters a document at its title: a key term is linked again in each document.
    fn enter(&mut self, doc: DocKind, title: &Heading) {
        self.place.doc = doc;
        self.linked.clear();
        self.section(title);
    }

    /// Enters the section a heading opens, titled with its number.
    fn section(&mut self, heading: &Heading) {
        self.section_at(heading.id.clone(), heading.numbered_text());
    }

    fn section_at(&mut self, id: Anchor, title: String) {
        self.place.section_id = id;
        self.place.section_title = title;
    }

    fn blocks(&mut self, blocks: &mut [Block], allow: Allow) {
        for block in blocks {
            self.block(block, allow);
        }
    }

    fn block(&mut self, block: &mut Block, allow: Allow) {
        match block {
            Block::Heading(heading) => self.section(heading),
            Block::Paragraph(inlines) | Block::NestedHeading(inlines) => self.inlines(inlines, allow),
            Block::List { items, .. } => {
                for item in items {
                    self.blocks(&mut item.blocks, allow);
                }
            }
            Block::Quote(inner) | Block::Callout { blocks: inner, .. } => self.blocks(inner, allow),
            Block::Terms(terms) => {
                for term in terms {
                    let own = self.glossary.position(&term.name);
                    self.defining = own;
                    let quiet = Allow { marks: allow.marks, glossary: false };
                    self.inlines(&mut term.term, quiet);
                    if let Some(g) = own {
                        self.defined.insert(g);
                    }
                    self.blocks(&mut term.definition, quiet);
                    self.defining = None;
                }
            }
            Block::Table { header, rows, .. } => {
                for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                    self.inlines(cell, allow);
                }
            }
            Block::Code { .. } | Block::Literal(_) | Block::Figure(_) | Block::Rule => {}
        }
    }

    fn inlines(&mut self, inlines: &mut Vec<Inline>, allow: Allow) {
        let old = std::mem::take(inlines);
        for inline in old {
            match inline {
                Inline::Text(text) => self.text(text, allow, inlines),
                Inline::Link { url, mut content } => {
                    // A link to the glossary inside a link would nest links.
                    self.inlines(&mut content, Allow { marks: allow.marks, glossary: false });
                    inlines.push(Inline::Link { url, content });
                }
                Inline::CrossRef { to, mut content } => {
                    self.inlines(&mut content, Allow { marks: allow.marks, glossary: false });
                    inlines.push(Inline::CrossRef { to, content });
                }
                Inline::FootnoteRef(index) => {
                    if self.noted.get(index) == Some(&false) {
                        self.noted[index] = true;
                        let mut blocks = std::mem::take(&mut self.notes[index].blocks);
                        self.blocks(&mut blocks, Allow { marks: true, glossary: false });
                        self.notes[index].blocks = blocks;
                    }
                    inlines.push(Inline::FootnoteRef(index));
                }
                mut other => {
                    // Whatever else holds text is searched as its text is.
                    if let Some(content) = other.content_mut() {
                        self.inlines(content, allow);
                    }
                    inlines.push(other);
                }
            }
        }
    }

    /// Splits a text at the occurrences it holds, adding anchors and glossary links.
    fn text(&mut self, text: String, allow: Allow, out: &mut Vec<Inline>) {
        let Some(automaton) = &self.automaton else {
            out.push(Inline::Text(text));
            return;
        };
        let mut last = 0;
        let matches: Vec<(usize, usize, usize)> =
            automaton.find_iter(&text).map(|m| (m.pattern().as_usize(), m.start(), m.end())).collect();
        let mut boundaries: Option<HashSet<usize>> = None;
        for (pattern, start, end) in matches {
            let form = &self.forms[pattern];
            let found = &text[start..end];
            if form.case_sensitive && found != form.text {
                continue;
            }
            let (Some(first), Some(final_char)) = (found.chars().next(), found.chars().next_back()) else { continue };
            if needs_dictionary(first) || needs_dictionary(final_char) {
                // Thai and its neighbours have no spaces and no letters that end words: the word
                // boundaries come from ICU4X's segmenter, found once for the text.
                let boundaries = boundaries.get_or_insert_with(|| word_boundaries(&text));
                if !boundaries.contains(&start) || !boundaries.contains(&end) {
                    continue;
                }
            } else {
                // A form stands alone between characters that are not letters or digits, or, in a
                // script written without spaces between words (Chinese, Japanese), beside anything;
                // in Hebrew and Arabic, also after the one-letter words written joined to it.
                let before = text[..start].chars().next_back();
                let after = text[end..].chars().next();
                let joins = |neighbour: Option<char>, edge: char| {
                    neighbour.is_some_and(|n| n.is_alphanumeric() && !unspaced(n) && !unspaced(edge))
                };
                let prefixed = proclitics_before(&text[..start], found);
                if (joins(before, first) && !prefixed) || joins(after, final_char) {
                    continue;
                }
            }
            if start > last {
                out.push(Inline::Text(text[last..start].to_string()));
            }
            let entry = form.entry;
            if allow.marks {
                let id = Anchor::index_mark(self.next_id);
                self.next_id += 1;
                self.occurrences[entry].push(Occurrence { id: id.clone(), place: self.place.clone() });
                out.push(Inline::IndexMark { entry, id });
            }
            if self.defining.is_none() || form.term != self.defining {
                self.uses[entry] += 1;
            }
            let word = Inline::Text(found.to_string());
            match form.term {
                Some(term)
                    if allow.glossary
                        && !self.linked.contains(&term)
                        && (self.defined.contains(&term) || !self.defined_in_chapter(term)) =>
                {
                    self.linked.insert(term);
                    out.push(Inline::GlossaryRef { term, content: vec![word] });
                }
                _ => out.push(word),
            }
            last = end;
        }
        if last < text.len() || last == 0 {
            out.push(Inline::Text(text[last..].to_string()));
        }
    }

    /// Returns true if a glossary entry is defined in a chapter (rather than only in glossary.md).
    fn defined_in_chapter(&self, term: usize) -> bool {
        self.glossary.entries[term].defined_at.is_some()
    }
}

/// Returns true for a character of a script written without spaces between words, in which a word
/// is found wherever it stands: Han, Hiragana and Katakana.
fn unspaced(c: char) -> bool {
    matches!(c.script(), Script::Han | Script::Hiragana | Script::Katakana)
}

/// Returns true for a character of a script written without spaces whose words only a dictionary
/// can tell apart: Thai, Lao, Khmer and Myanmar.
fn needs_dictionary(c: char) -> bool {
    matches!(c.script(), Script::Thai | Script::Lao | Script::Khmer | Script::Myanmar)
}

/// Returns the word boundaries of a text, as byte offsets, by ICU4X's word segmenter, which finds
/// Thai, Lao, Khmer and Myanmar words with its built-in models.
fn word_boundaries(text: &str) -> HashSet<usize> {
    use icu_segmenter::{WordSegmenter, options::WordBreakInvariantOptions};
    WordSegmenter::new_auto(WordBreakInvariantOptions::default()).segment_str(text).collect()
}

/// Returns true if the letters just before a match, back to the start of its word, are one-letter
/// words that Hebrew and Arabic write joined to the next (and, the, in, to, as, from, that): `ל` in
/// `לאידוי`, `ب` in `بالتكاثف`. A form of fewer than three letters is not found after them, since
/// it is then too often the end of another word (`ים` in `מים`).
fn proclitics_before(before: &str, form: &str) -> bool {
    let Some(first) = form.chars().next() else { return false };
    let letters: &[char] = match first.script() {
        Script::Hebrew => &['ו', 'ה', 'ב', 'כ', 'ל', 'מ', 'ש'],
        Script::Arabic => &['و', 'ف', 'ب', 'ك', 'ل', 'س'],
        _ => return false,
    };
    if form.chars().filter(|c| c.is_alphabetic()).count() < 3 {
        return false;
    }
    let prefix: Vec<char> = before.chars().rev().take_while(|c| c.is_alphanumeric()).collect();
    (1..=3).contains(&prefix.len()) && prefix.iter().all(|c| letters.contains(c))
}
