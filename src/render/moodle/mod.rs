//! The practice questions as a Moodle XML question bank (docs.moodle.org, "Moodle XML format"), to
//! import into a Moodle quiz: multiple choice as `multichoice` (one or several correct, with
//! fractions), gap fill as `cloze` (`{1:SHORTANSWER:=quarantine}`), and written questions as `essay`
//! with the model answer as the grader's information; one category named after the book. The
//! images a question shows travel with it, base64-encoded in `<file>` elements, as Moodle's own
//! exports carry them.

use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use base64::Engine;

use super::assets::{Asset, flat_name};
use super::html::xml::escape;
use super::html::{self, Links};
use super::{RenderContext, Renderer, Sink};
use crate::diagnostics::Diagnostic;
use crate::model::{Answer, Block, Book, Gap, Inline, Question, answer_lines, map_inline_leaves, map_inlines};
use crate::passes::Derived;

/// The Moodle question bank as an output.
pub struct Moodle;

impl Renderer for Moodle {
    fn name(&self) -> &'static str {
        "moodle"
    }

    fn about(&self) -> &'static str {
        "the practice questions as a Moodle XML question bank"
    }

    fn files(&self, book: &Book, _: &Derived, name: &str) -> Result<Vec<String>, Diagnostic> {
        if book.questions().next().is_some() {
            Ok(vec![format!("{name}-moodle.xml")])
        } else {
            Err(Diagnostic::info("the book has no practice questions, so no Moodle question bank is made")
                .in_file(crate::read::QUESTIONS_FILE))
        }
    }

    fn render(&self, ctx: &RenderContext, out: &mut dyn Sink) -> Result<(), Vec<Diagnostic>> {
        let images: Vec<(&str, &Asset)> = ctx.assets.get()?.collect();
        out.file(format!("{}-moodle.xml", ctx.name), xml(ctx.book, ctx.derived, &images));
        Ok(())
    }
}

/// The question bank's links: each image as a file of the question that shows it, and nothing into
/// the book's glossary or index, which a question stands outside.
struct MoodleLinks;

impl Links for MoodleLinks {
    fn image_src(&self, path: &str) -> String {
        escape(&format!("{PLUGIN_FILE}{}", flat_name(path)))
    }

    fn in_book(&self) -> bool {
        false
    }
}

/// Where Moodle's HTML names a file of its own question.
const PLUGIN_FILE: &str = "@@PLUGINFILE@@/";

/// The book's images as Moodle files: the `src` the HTML names each by, its file name and its bytes
/// in base64.
struct Media {
    files: Vec<(String, String, String)>,
}

impl Media {
    fn new(images: &[(&str, &Asset)]) -> Self {
        let files = images
            .iter()
            .map(|(path, image)| {
                let src = format!("src=\"{}\"", MoodleLinks.image_src(path));
                (src, flat_name(path), base64::engine::general_purpose::STANDARD.encode(&image.bytes))
            })
            .collect();
        Self { files }
    }

    /// Returns the files of the images the HTML shows.
    fn used<'a>(&'a self, html: &str) -> Vec<&'a (String, String, String)> {
        self.files.iter().filter(|file| html.contains(&file.0)).collect()
    }
}

/// Returns the XHTML of blocks in a question, its images as the question's files.
fn fragment(book: &Book, derived: &Derived, blocks: &[Block]) -> String {
    html::fragment(book, derived, &MoodleLinks, blocks)
}

/// Returns the question bank of the book's practice questions, as XML bytes.
pub fn xml(book: &Book, derived: &Derived, images: &[(&str, &Asset)]) -> Vec<u8> {
    let media = Media::new(images);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let ok = |result: std::io::Result<()>| result.expect("writing to memory does not fail");
    ok(w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))));
    ok(w.write_event(Event::Start(BytesStart::new("quiz"))));

    // The category: the book's title, below the course's default category.
    let mut category = BytesStart::new("question");
    category.push_attribute(("type", "category"));
    ok(w.write_event(Event::Start(category)));
    let path = format!("$course$/top/{}", book.manifest.book.title.replace('/', "//"));
    ok(element(&mut w, "category", |w| text_element(w, "text", &path)));
    ok(w.write_event(Event::End(BytesEnd::new("question"))));

    for q in book.questions() {
        let answer = book.answer(q.number);
        ok(question(&mut w, book, derived, &media, q, answer));
    }
    ok(w.write_event(Event::End(BytesEnd::new("quiz"))));
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

type W = Writer<Vec<u8>>;

fn question(
    w: &mut W,
    book: &Book,
    derived: &Derived,
    media: &Media,
    q: &Question,
    answer: Option<&Answer>,
) -> std::io::Result<()> {
    let gaps = q.gaps();
    let kind = if q.choices.is_some() {
        "multichoice"
    } else if !gaps.is_empty() {
        "cloze"
    } else {
        "essay"
    };
    let mut start = BytesStart::new("question");
    start.push_attribute(("type", kind));
    w.write_event(Event::Start(start))?;
    element(w, "name", |w| text_element(w, "text", &q.title_text()))?;

    // The question's text as HTML: its heading's words, then its further text, with each gap as
    // a cloze field worth its share of the marks.
    // A cloze question's grade is the sum of its fields' weights: the marks shared out, the first
    // gaps taking what does not divide.
    let marks = q.marks.unwrap_or(1);
    let weights: Vec<usize> = (0..gaps.len())
        .map(|i| {
            let (share, rest) = (marks as usize / gaps.len(), marks as usize % gaps.len());
            (share + usize::from(i < rest)).max(1)
        })
        .collect();
    let heading =
        html::inline_fragment(book, derived, &MoodleLinks, &moodle_inlines(q.heading.content.clone(), &weights));
    let prompt = map_inlines(q.prompt.clone(), &mut |inlines| moodle_inlines(inlines, &weights));
    let html = format!("<p>{heading}</p>\n{}", fragment(book, derived, &prompt));
    html_element(w, media, "questiontext", &html)?;
    let explanation = answer.filter(|a| !a.blocks.is_empty()).map(|a| fragment(book, derived, &a.blocks));
    // A written answer's model answer is for the marker only; an option's or gap's explanation is
    // shown to students once they have answered.
    let feedback = if kind == "essay" { None } else { explanation.as_deref() };
    html_element(w, media, "generalfeedback", feedback.unwrap_or(""))?;
    text_element(w, "defaultgrade", &marks.to_string())?;
    text_element(w, "penalty", if kind == "essay" { "0" } else { "0.3333333" })?;
    text_element(w, "hidden", "0")?;
    text_element(w, "idnumber", &format!("question-{}", q.number))?;

    match (&q.choices, kind) {
        (Some(choices), _) => {
            let correct = choices.correct_count().max(1);
            let wrong = choices.options.len().saturating_sub(correct);
            text_element(w, "single", if correct == 1 { "true" } else { "false" })?;
            text_element(w, "shuffleanswers", "false")?;
            text_element(w, "answernumbering", "ABCD")?;
            for option in &choices.options {
                // One correct option is worth all the marks; several share them, and with several a
                // wrong one takes its share away, so that ticking everything earns nothing.
                let fraction = match (option.correct, correct) {
                    (true, 1) => "100".to_string(),
                    (true, n) => fraction(100.0 / n as f64),
                    (false, 1) => "0".to_string(),
                    (false, _) if wrong > 0 => fraction(-100.0 / wrong as f64),
                    (false, _) => "0".to_string(),
                };
                let mut start = BytesStart::new("answer");
                start.push_attribute(("fraction", fraction.as_str()));
                start.push_attribute(("format", "html"));
                w.write_event(Event::Start(start))?;
                let body = fragment(book, derived, &option.blocks);
                text_with_files(w, media, &body)?;
                html_element(w, media, "feedback", "")?;
                w.write_event(Event::End(BytesEnd::new("answer")))?;
            }
        }
        (None, "essay") => {
            text_element(w, "responseformat", "editor")?;
            text_element(w, "responserequired", "1")?;
            text_element(w, "responsefieldlines", &answer_lines(q.marks).to_string())?;
            text_element(w, "attachments", "0")?;
            text_element(w, "attachmentsrequired", "0")?;
            html_element(w, media, "graderinfo", explanation.as_deref().unwrap_or(""))?;
            html_element(w, media, "responsetemplate", "")?;
        }
        _ => {}
    }
    w.write_event(Event::End(BytesEnd::new("question")))
}

/// Returns inline content with each gap as a Moodle cloze field, `{1:SHORTANSWER:=grey~=gray}`,
/// worth its weight in marks (gap `n` the `n`th weight).
fn moodle_inlines(inlines: Vec<Inline>, weights: &[usize]) -> Vec<Inline> {
    map_inline_leaves(inlines, &mut |leaf| match leaf {
        Inline::Gap(gap) => {
            let weight = weights.get(gap.number.saturating_sub(1)).copied().unwrap_or(1);
            vec![Inline::Text(cloze_field(&gap, weight))]
        }
        other => vec![other],
    })
}

/// Returns the cloze field of a gap: each accepted answer right, its special characters escaped.
pub fn cloze_field(gap: &Gap, weight: usize) -> String {
    let escape = |answer: &str| {
        let mut out = String::new();
        for c in answer.chars() {
            // The characters Moodle's cloze syntax gives a meaning, and shortanswer's wildcard.
            if matches!(c, '}' | '#' | '~' | '/' | '"' | '\\' | '*') {
                out.push('\\');
            }
            out.push(c);
        }
        out
    };
    let answers: Vec<String> = gap.answers.iter().map(|a| format!("={}", escape(a))).collect();
    format!("{{{weight}:SHORTANSWER:{}}}", answers.join("~"))
}

/// Returns a fraction as Moodle writes it: up to five decimals, no trailing zeros.
fn fraction(value: f64) -> String {
    let text = format!("{value:.5}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

fn element(w: &mut W, name: &str, inner: impl FnOnce(&mut W) -> std::io::Result<()>) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    inner(w)?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn text_element(w: &mut W, name: &str, text: &str) -> std::io::Result<()> {
    element(w, name, |w| w.write_event(Event::Text(BytesText::new(text))))
}

/// Writes HTML in a CDATA section, split where the HTML holds `]]>`.
fn cdata_element(w: &mut W, name: &str, html: &str) -> std::io::Result<()> {
    element(w, name, |w| {
        let mut parts = html.split("]]>").peekable();
        while let Some(part) = parts.next() {
            let part = if parts.peek().is_some() { format!("{part}]]") } else { part.to_string() };
            w.write_event(Event::CData(BytesCData::new(part)))?;
            if parts.peek().is_some() {
                w.write_event(Event::Text(BytesText::new(">")))?;
            }
        }
        Ok(())
    })
}

/// Writes `<name format="html"><text>…</text></name>`, with the files of its images.
fn html_element(w: &mut W, media: &Media, name: &str, html: &str) -> std::io::Result<()> {
    let mut start = BytesStart::new(name);
    start.push_attribute(("format", "html"));
    w.write_event(Event::Start(start))?;
    text_with_files(w, media, html)?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// Writes `<text>…</text>` and a `<file>` for each image the HTML shows.
fn text_with_files(w: &mut W, media: &Media, html: &str) -> std::io::Result<()> {
    cdata_element(w, "text", html)?;
    for (_, name, data) in media.used(html) {
        let mut file = BytesStart::new("file");
        file.push_attribute(("name", name.as_str()));
        file.push_attribute(("path", "/"));
        file.push_attribute(("encoding", "base64"));
        w.write_event(Event::Start(file))?;
        w.write_event(Event::Text(BytesText::new(data)))?;
        w.write_event(Event::End(BytesEnd::new("file")))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloze_fields_and_fractions() {
        let gap = Gap { answers: vec!["grey".into(), "1/2 #x".into()], number: 1 };
        assert_eq!(cloze_field(&gap, 2), "{2:SHORTANSWER:=grey~=1\\/2 \\#x}");
        let star = Gap { answers: vec!["a*b=c".into()], number: 1 };
        assert_eq!(cloze_field(&star, 1), "{1:SHORTANSWER:=a\\*b=c}");
        assert_eq!(fraction(100.0 / 3.0), "33.33333");
        assert_eq!(fraction(50.0), "50");
        assert_eq!(fraction(-100.0), "-100");
        assert_eq!(fraction(12.5), "12.5");
    }
}
