//! Reading a book folder: the manifest, every Markdown file parsed once ([`markdown`]), the
//! practice questions' options and gaps ([`questions`]), into the owned [`Book`]; then the passes.

pub mod markdown;
pub mod questions;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::model::anchor::Anchor;
use crate::model::manifest::{self, Manifest};
use crate::model::words::Words;
use crate::model::{
    Answer, Block, Book, Choices, DocKind, Document, Entry, FaqEntry, Heading, ImageFormat, Inline, Question, TermDef,
    plain_text,
};
use crate::passes::{self, Derived};
use crate::source::{PathProblem, SourceId, Sources, relative_name, resolve_inside};
use markdown::Context;

/// The folder of chapter files inside a book.
pub const CHAPTERS_DIR: &str = "chapters";
/// The optional FAQ file.
pub const FAQ_FILE: &str = "faq.md";
/// The optional practice questions file.
pub const QUESTIONS_FILE: &str = "questions.md";
/// The optional glossary file.
pub const GLOSSARY_FILE: &str = "glossary.md";

/// A loaded book: the sources read, the model if it could be built, and what was found wrong.
#[derive(Debug)]
pub struct Loaded {
    /// The canonical book folder.
    pub root: PathBuf,
    /// Every file read.
    pub sources: Sources,
    /// The book, with the anchors and links the passes add, and what the passes derived from it;
    /// `None` when the book has errors.
    pub model: Option<(Book, Derived)>,
    /// Errors, warnings and notes.
    pub diagnostics: Diagnostics,
}

/// A book read into the model and checked, before the passes run.
#[derive(Debug)]
pub struct Parsed {
    /// The canonical book folder.
    pub root: PathBuf,
    /// Every file read.
    pub sources: Sources,
    /// The book, when it has no errors.
    pub book: Option<Book>,
    /// Errors, warnings and notes.
    pub diagnostics: Diagnostics,
}

/// Reads the book in `root`, checks it and runs the passes, collecting every problem rather than
/// stopping at the first.
pub fn load(root: &Path, checks: &Checks) -> Loaded {
    let Parsed { root, sources, book, mut diagnostics } = read(root, checks);
    let model = book.map(|mut book| {
        let (derived, found) = passes::run(&mut book, &sources);
        diagnostics.extend(found);
        (book, derived)
    });
    let model = if diagnostics.has_errors() { None } else { model };
    Loaded { root, sources, model, diagnostics }
}

/// Returns the canonical path of the book folder `root`, or an error if it is not a folder.
pub fn book_folder(root: &Path) -> Result<PathBuf, Diagnostic> {
    match std::fs::canonicalize(root) {
        Ok(root) if root.is_dir() => Ok(root),
        _ => Err(Diagnostic::error("the book folder does not exist")
            .in_file(root.display().to_string())
            .hint("name a folder that holds book.toml")),
    }
}

/// Further checks of a book's manifest that later stages make while it is read (the PDFs' fonts, the
/// outputs it names), given the book folder and every file read; their diagnostics are the
/// reading's, and an error among them stops the book as any other does.
pub type Checks = dyn Fn(&Path, &Manifest, &Sources) -> Vec<Diagnostic>;

/// Reads the book in `root` into the model and checks it, without running the passes.
pub fn read(root: &Path, checks: &Checks) -> Parsed {
    let mut sources = Sources::new();
    let mut diagnostics = Diagnostics::default();
    let root = match book_folder(root) {
        Ok(root) => root,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return Parsed { root: root.to_path_buf(), sources, book: None, diagnostics };
        }
    };

    let manifest = match manifest::load(&root, &mut sources) {
        Ok(mut manifest) => {
            if let Err(diagnostic) = resolve_cover(&root, &mut manifest) {
                diagnostics.push(diagnostic);
            }
            Some(manifest)
        }
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    };

    let math = match &manifest {
        Some(manifest) if !manifest.book.math => None,
        Some(manifest) => Some(crate::math::Converter::new(&manifest.book.language.language)),
        None => Some(crate::math::Converter::new("en")),
    };
    let mut ctx = Context::new(&root, math);
    let mut documents = load_chapters(&root, &mut sources, &mut ctx, &mut diagnostics);
    if let Some(id) = read_optional(&root, FAQ_FILE, &mut sources, &mut diagnostics) {
        documents.extend(load_faq(id, &sources, &mut ctx, &mut diagnostics));
    }
    if let Some(id) = read_optional(&root, QUESTIONS_FILE, &mut sources, &mut diagnostics) {
        let english = Words::default();
        let words = manifest.as_ref().map_or(&english, |manifest| &manifest.book.words);
        documents.extend(load_questions(id, &sources, &mut ctx, words, &mut diagnostics));
    }
    let glossary = read_optional(&root, GLOSSARY_FILE, &mut sources, &mut diagnostics)
        .map(|id| load_glossary(id, &sources, &mut ctx, &mut diagnostics))
        .unwrap_or_default();
    diagnostics.extend(std::mem::take(&mut ctx.diagnostics));
    if let Some(manifest) = &manifest {
        diagnostics.extend(checks(&root, manifest, &sources));
    }

    let book = manifest.map(|manifest: Manifest| Book { manifest, documents, glossary, footnotes: ctx.footnotes });
    let book = if diagnostics.has_errors() { None } else { book };
    Parsed { root, sources, book, diagnostics }
}

/// Checks `[epub] cover` and rewrites it as a path relative to the book folder.
fn resolve_cover(root: &Path, manifest: &mut Manifest) -> Result<(), Diagnostic> {
    let (Some(cover), Some(span)) = (&manifest.epub.cover, &manifest.epub.cover_span) else { return Ok(()) };
    let error = |message: String, label: &str| Diagnostic::error(message).at(span.clone(), label.to_string());
    let resolved = resolve_inside(root, &root.join(cover)).map_err(|problem| match problem {
        PathProblem::Missing => error(format!("the cover image `{cover}` does not exist"), "not found")
            .hint("the cover path is relative to the book folder"),
        PathProblem::Outside => error(format!("the cover image `{cover}` is outside the book folder"), "outside"),
    })?;
    if !ImageFormat::of(&resolved.to_string_lossy()).is_some_and(ImageFormat::can_be_cover) {
        return Err(error(format!("the cover image `{cover}` is not a PNG or JPEG file"), "not PNG or JPEG"));
    }
    manifest.epub.cover = Some(relative_name(root, &resolved));
    Ok(())
}

fn read_optional(root: &Path, name: &str, sources: &mut Sources, diagnostics: &mut Diagnostics) -> Option<SourceId> {
    let path = root.join(name);
    if !path.exists() {
        return None;
    }
    match sources.read(root, &path) {
        Ok(id) => Some(id),
        Err(error) => {
            diagnostics.push(error.into());
            None
        }
    }
}

fn load_chapters(
    root: &Path,
    sources: &mut Sources,
    ctx: &mut Context,
    diagnostics: &mut Diagnostics,
) -> Vec<Document> {
    let dir = root.join(CHAPTERS_DIR);
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    if paths.is_empty() {
        diagnostics.push(
            Diagnostic::error("the book has no chapters")
                .in_file(format!("{CHAPTERS_DIR}/"))
                .hint("add Markdown files such as `chapters/01-introduction.md`, each starting with a `# ` title"),
        );
        return Vec::new();
    }

    let mut chapters = Vec::new();
    for path in paths {
        let id = match sources.read(root, &path) {
            Ok(id) => id,
            Err(error) => {
                diagnostics.push(error.into());
                continue;
            }
        };
        let number = chapters.len() + 1;
        let blocks = markdown::parse(id, sources, ctx, &format!("ch{number}"));
        let Some((title, blocks)) = split_title(id, sources, blocks, "chapter", diagnostics) else {
            continue;
        };
        for block in &blocks {
            if let Block::Heading(h) = block
                && h.level == 1
            {
                // Say what the author wrote: a `# ` line, or a line underlined with `===`.
                let written = if sources.text(id)[h.span.range.clone()].trim_start().starts_with('#') {
                    "a second `# ` heading"
                } else {
                    "a second title: a line underlined with `===` is a level-1 heading"
                };
                diagnostics.push(
                    Diagnostic::error("a chapter may have only one title (a level-1 heading)")
                        .at(h.span.clone(), written)
                        .also(title.span.clone(), "the chapter's title")
                        .hint("use `## ` (or underline with `---`) for sections, or start a new chapter file"),
                );
            }
        }
        chapters.push(Document { kind: DocKind::Chapter(number), title, blocks, entries: Vec::new() });
    }
    chapters
}

/// Takes the `# ` title off the front of a document, or reports that it is missing.
fn split_title(
    id: SourceId,
    sources: &Sources,
    mut blocks: Vec<Block>,
    what: &str,
    diagnostics: &mut Diagnostics,
) -> Option<(Heading, Vec<Block>)> {
    let text = sources.text(id);
    if text.trim().is_empty() {
        diagnostics.push(
            Diagnostic::error(format!("the {what} is empty"))
                .at(Span::new(id, 0..0), "empty file")
                .hint(format!("start the {what} with a `# ` title")),
        );
        return None;
    }
    match blocks.first() {
        Some(Block::Heading(h)) if h.level == 1 => {
            let Block::Heading(title) = blocks.remove(0) else { unreachable!() };
            Some((title, blocks))
        }
        _ => {
            let start = text.len() - text.trim_start().len();
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            diagnostics.push(
                Diagnostic::error(format!("the {what} does not start with a `# ` title"))
                    .at(Span::new(id, start..end), "expected a `# ` heading here")
                    .hint(format!("make the first line of the {what} `# ` and its title")),
            );
            None
        }
    }
}

/// Splits blocks at headings of `level`: the blocks before the first, then each heading with its blocks.
fn split_at_level(blocks: Vec<Block>, level: u8) -> (Vec<Block>, Vec<(Heading, Vec<Block>)>) {
    let mut intro = Vec::new();
    let mut parts: Vec<(Heading, Vec<Block>)> = Vec::new();
    for block in blocks {
        match block {
            Block::Heading(h) if h.level == level => parts.push((h, Vec::new())),
            block => match parts.last_mut() {
                Some((_, body)) => body.push(block),
                None => intro.push(block),
            },
        }
    }
    (intro, parts)
}

fn load_faq(id: SourceId, sources: &Sources, ctx: &mut Context, diagnostics: &mut Diagnostics) -> Option<Document> {
    let blocks = markdown::parse(id, sources, ctx, "faq");
    let (title, blocks) = split_title(id, sources, blocks, "FAQ", diagnostics)?;
    let (intro, parts) = split_at_level(blocks, 2);
    if parts.is_empty() {
        diagnostics.push(
            Diagnostic::warning("the FAQ has no questions")
                .at(title.span.clone(), "no `## ` question follows")
                .hint("write each question as a `## ` heading with its answer below"),
        );
    }
    let entries = parts.into_iter().map(|(question, answer)| Entry::Faq(FaqEntry { question, answer })).collect();
    Some(Document { kind: DocKind::Faq, title, blocks: intro, entries })
}

/// Reads the practice questions: the questions' document, then the model answers' document when any
/// question has a model answer.
fn load_questions(
    id: SourceId,
    sources: &Sources,
    ctx: &mut Context,
    words: &Words,
    diagnostics: &mut Diagnostics,
) -> Vec<Document> {
    let blocks = markdown::parse(id, sources, ctx, "questions");
    let Some((title, blocks)) = split_title(id, sources, blocks, "question file", diagnostics) else {
        return Vec::new();
    };
    let (intro, parts) = split_at_level(blocks, 2);
    let text = sources.text(id);
    // Each question's part of the file, from its heading to the next, where its problems are found.
    let starts: Vec<usize> = parts.iter().map(|(h, _)| h.span.range.start).chain([text.len()]).collect();
    let mut items = Vec::new();
    let mut answers = Vec::new();
    for (index, (mut heading, body)) in parts.into_iter().enumerate() {
        let range = starts[index]..starts[index + 1];
        let number = items.len() + 1;
        let marks = take_marks(&mut heading.content, words);
        match own_number(&heading.content).map(|(own, len)| (own.to_string(), len)) {
            // The question's own number is printed anyway: written again it would read "1. 1. …".
            Some((own, len)) if own == number.to_string() => {
                if let Some(Inline::Text(text)) = heading.content.first_mut() {
                    text.replace_range(..len, "");
                }
            }
            // A number with leading zeros, such as `007.`, is taken for text.
            Some((own, _)) if own.starts_with('0') => {}
            Some((own, _)) => diagnostics.push(
                Diagnostic::warning(format!("this heading numbers the question {own}, but it is question {number}"))
                    .at(heading.span.clone(), "numbered by hand")
                    .hint("leave the number out of the heading: revise numbers the questions in every edition"),
            ),
            None => {}
        }
        let mut prompt = Vec::new();
        let mut answer: Option<Vec<Block>> = None;
        for block in body {
            match (&mut answer, block) {
                (None, Block::Heading(h)) if h.level == 3 && words.is_model_answer(&plain_text(&h.content)) => {
                    answer = Some(Vec::new())
                }
                (None, Block::Heading(h)) => {
                    // A heading that is not the model answer's: whatever it holds is the
                    // question's, printed on the worksheet. An answer must never get there
                    // unannounced, whatever the heading's language.
                    diagnostics.push(
                        Diagnostic::warning(format!(
                            "`{}` is not the model-answer heading, so everything under it is shown to students",
                            plain_text(&h.content).trim()
                        ))
                        .at(h.span.clone(), "printed on the worksheet")
                        .hint(format!(
                            "if this is the answer, name the heading `### {}`; if it is part of the question, write it as bold text",
                            words.get("model_answer")
                        )),
                    );
                    prompt.push(Block::Heading(h));
                }
                (None, block) => prompt.push(block),
                (Some(answer), block) => answer.push(block),
            }
        }
        // Multiple choice and gap fill: the gaps into the text, the options out of it.
        let mut found = Vec::new();
        let mut next_gap = 1;
        heading.content = questions::split_gaps(std::mem::take(&mut heading.content), &mut next_gap);
        let heading_has_gaps = next_gap > 1;
        prompt = crate::model::map_inlines(prompt, &mut |inlines| questions::split_gaps(inlines, &mut next_gap));
        if heading_has_gaps {
            // The heading's anchor was made from its text as written, answers and all: it is made
            // again from the text with its gaps blank, since the EPUB shows it.
            heading.id = ctx.anchors.heading("questions", &plain_text(&heading.content));
        }
        let choices = questions::take_choices(&mut prompt, id, text, range.clone(), &mut found);
        questions::check_gaps(id, text, range.clone(), &mut found);
        let mut question = Question { number, heading, marks, prompt, choices };
        let gaps = question.gaps();
        if question.choices.is_some() && !gaps.is_empty() {
            found.push(
                Diagnostic::error("this question has both options and gaps")
                    .at(question.heading.span.clone(), "options and gaps")
                    .hint(
                        "make it either multiple choice (a task list) or gap fill (`[[answer]]`), or split it in two",
                    ),
            );
        }
        questions::check_leftovers(&question, id, text, range, &mut found);
        diagnostics.extend(found);
        // Without an annotation, a mark for each correct option and each gap.
        let automatic = question.choices.as_ref().map_or(0, Choices::correct_count) + gaps.len();
        if question.marks.is_none() && automatic > 0 {
            question.marks = u32::try_from(automatic).ok();
        }
        let Question { heading, marks, prompt, choices, .. } = question;
        let keyed = choices.is_some() || !gaps.is_empty();
        match answer {
            Some(blocks) => answers.push(Entry::Answer(Answer {
                number,
                heading: heading.clone(),
                marks,
                blocks,
                choices: choices.clone(),
                gaps,
            })),
            None if keyed => answers.push(Entry::Answer(Answer {
                number,
                heading: heading.clone(),
                marks,
                blocks: Vec::new(),
                choices: choices.clone(),
                gaps,
            })),
            None => diagnostics.push(
                Diagnostic::warning("this question has no model answer")
                    .at(heading.span.clone(), format!("no `### {}` below", words.get("model_answer")))
                    .hint(format!(
                        "add a `### {}` heading with the answer under the question",
                        words.get("model_answer")
                    )),
            ),
        }
        items.push(Entry::Question(Question { number, heading, marks, prompt, choices }));
    }
    let answers_title = Heading {
        level: 1,
        content: vec![Inline::Text(words.get("answers").into())],
        id: Anchor::answers(),
        number: None,
        span: title.span.clone(),
    };
    let mut documents = vec![Document { kind: DocKind::Questions, title, blocks: intro, entries: items }];
    if !answers.is_empty() {
        documents.push(Document { kind: DocKind::Answers, title: answers_title, blocks: Vec::new(), entries: answers });
    }
    documents
}

/// Returns a number the author put in front of a question heading (`1. `, `1) `, `Q1. `), as
/// written, with the length of the text it takes up, spaces after it included.
fn own_number(content: &[Inline]) -> Option<(&str, usize)> {
    let Some(Inline::Text(text)) = content.first() else { return None };
    let rest = text.trim_start();
    let rest = rest.strip_prefix(['Q', 'q']).unwrap_or(rest);
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after = rest[digits..].strip_prefix(['.', ')'])?;
    if digits == 0 || !after.starts_with(char::is_whitespace) || after.trim().is_empty() {
        return None;
    }
    Some((&rest[..digits], text.len() - after.trim_start().len()))
}

/// Removes a trailing marks annotation from a heading and returns the marks: `(6 marks)`, or the
/// book's words for marks, such as `(2 Punkte)` or `（2分）`.
fn take_marks(content: &mut Vec<Inline>, words: &Words) -> Option<u32> {
    let Some(Inline::Text(text)) = content.last_mut() else { return None };
    let trimmed = text.trim_end();
    let (inner, open) = if let Some(inner) = trimmed.strip_suffix(')') {
        (inner, inner.rfind('(')?)
    } else {
        let inner = trimmed.strip_suffix('）')?;
        (inner, inner.rfind('（')?)
    };
    let bracket = inner[open..].chars().next().map_or(1, char::len_utf8);
    let marks = words.read_marks(&inner[open + bracket..])?;
    let keep = inner[..open].trim_end().len();
    text.truncate(keep);
    if text.is_empty() {
        content.pop();
    }
    Some(marks)
}

fn load_glossary(id: SourceId, sources: &Sources, ctx: &mut Context, diagnostics: &mut Diagnostics) -> Vec<TermDef> {
    let blocks = markdown::parse(id, sources, ctx, "glossary");
    let mut terms = Vec::new();
    let mut ignored = false;
    for block in blocks {
        match block {
            Block::Terms(defs) => terms.extend(defs),
            Block::Heading(h) if h.level == 1 => {}
            _ => ignored = true,
        }
    }
    if ignored {
        diagnostics.push(
            Diagnostic::warning("glossary.md holds more than definition lists; the rest is not shown")
                .in_file(GLOSSARY_FILE)
                .hint("write each entry as `Term` on one line and `: definition` on the next"),
        );
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_marks_from_headings() {
        let mut content = vec![Inline::Text("Explain why. (6 marks)".into())];
        let words = Words::default();
        assert_eq!(take_marks(&mut content, &words), Some(6));
        assert_eq!(plain_text(&content), "Explain why.");
        let mut one = vec![Inline::Text("Name him (1 mark)".into())];
        assert_eq!(take_marks(&mut one, &words), Some(1));
        let mut none = vec![Inline::Text("What (in 1953) happened?".into())];
        assert_eq!(own_number(&[Inline::Text("1. Explain".into())]), Some(("1", 3)));
        assert_eq!(own_number(&[Inline::Text("Q12)  Explain".into())]), Some(("12", 6)));
        assert_eq!(own_number(&[Inline::Text("1953 was".into())]), None);
        assert_eq!(own_number(&[Inline::Text("3.5 kg".into())]), None);
        assert_eq!(take_marks(&mut none, &words), None);
        assert_eq!(plain_text(&none), "What (in 1953) happened?");
    }
}
