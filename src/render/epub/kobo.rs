//! Kobo's text spans. A Kobo reader counts reading statistics, keeps highlights and turns pages
//! by spans of its own in a KEPUB: each sentence of text (and each image) is wrapped in
//! `<span class="koboSpan" id="kobo.P.S">`, numbered by its paragraph P and its place S in it,
//! and the body's content sits in the two `div`s Kobo's reader lays its columns out with. Nothing
//! else changes: a reader that is not Kobo's shows the same book.

use icu_segmenter::SentenceSegmenter;
use icu_segmenter::options::SentenceBreakInvariantOptions;
use quick_xml::escape::{partial_escape, resolve_predefined_entity};
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// The elements whose text is a paragraph of its own to Kobo.
const PARAGRAPHS: [&[u8]; 16] = [
    b"p",
    b"li",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"td",
    b"th",
    b"dt",
    b"dd",
    b"figcaption",
    b"pre",
    b"caption",
    b"aside",
];

/// The elements whose content is left as it is: maths, drawings, scripts and styles.
const UNTOUCHED: [&[u8]; 4] = [b"math", b"svg", b"script", b"style"];

/// Returns an XHTML content document with Kobo's spans. A document that cannot be read as XML is
/// returned as it is (the documents revise writes always can).
pub fn spans(xhtml: &str) -> String {
    match add_spans(xhtml) {
        Ok(out) => out,
        Err(_) => xhtml.to_string(),
    }
}

fn add_spans(xhtml: &str) -> Result<String, quick_xml::Error> {
    let mut reader = Reader::from_str(xhtml);
    reader.config_mut().trim_text(false);
    let mut spanner = Spanner {
        writer: Writer::new(Vec::with_capacity(xhtml.len() * 3 / 2)),
        pending: String::new(),
        paragraph: 0,
        segment: 0,
    };
    let mut in_body = false;
    let mut untouched = 0usize;
    loop {
        let event = reader.read_event()?;
        let spanning = in_body && untouched == 0;
        // Text arrives in pieces, an entity reference (`&amp;`) apart from the text around it.
        match &event {
            Event::Text(text) => {
                spanner.pending.push_str(&text.decode()?);
                continue;
            }
            Event::GeneralRef(reference) => {
                if let Some(c) = reference.resolve_char_ref()? {
                    spanner.pending.push(c);
                    continue;
                }
                if let Some(text) = resolve_predefined_entity(&reference.decode()?) {
                    spanner.pending.push_str(text);
                    continue;
                }
            }
            _ => {}
        }
        spanner.flush(spanning)?;
        match event {
            Event::Eof => break,
            Event::Start(start) => {
                let name = start.name().as_ref().to_vec();
                spanner.writer.write_event(Event::Start(start))?;
                if name == b"body" {
                    in_body = true;
                    for id in ["book-columns", "book-inner"] {
                        let mut div = BytesStart::new("div");
                        div.push_attribute(("id", id));
                        spanner.writer.write_event(Event::Start(div))?;
                    }
                } else if UNTOUCHED.contains(&name.as_slice()) {
                    untouched += 1;
                } else if untouched == 0 && PARAGRAPHS.contains(&name.as_slice()) {
                    spanner.paragraph += 1;
                    spanner.segment = 0;
                }
            }
            Event::End(end) => {
                let name = end.name().as_ref().to_vec();
                if name == b"body" {
                    in_body = false;
                    for _ in 0..2 {
                        spanner.writer.write_event(Event::End(BytesEnd::new("div")))?;
                    }
                } else if UNTOUCHED.contains(&name.as_slice()) {
                    untouched = untouched.saturating_sub(1);
                }
                spanner.writer.write_event(Event::End(end))?;
            }
            Event::Empty(empty) if spanning && empty.name().as_ref() == b"img" => {
                let span = spanner.next_span();
                spanner.writer.write_event(Event::Start(span))?;
                spanner.writer.write_event(Event::Empty(empty))?;
                spanner.writer.write_event(Event::End(BytesEnd::new("span")))?;
            }
            event => spanner.writer.write_event(event)?,
        }
    }
    Ok(String::from_utf8(spanner.writer.into_inner()).expect("quick-xml writes the UTF-8 it reads"))
}

/// The writer, the text read but not yet written, and the numbers of the next span.
struct Spanner {
    writer: Writer<Vec<u8>>,
    pending: String,
    paragraph: usize,
    segment: usize,
}

impl Spanner {
    /// Returns the start of the next span of the paragraph.
    fn next_span(&mut self) -> BytesStart<'static> {
        self.segment += 1;
        let mut start = BytesStart::new("span");
        start.push_attribute(("class", "koboSpan"));
        start.push_attribute(("id", format!("kobo.{}.{}", self.paragraph, self.segment).as_str()));
        start
    }

    /// Writes the pending text: a span for each sentence when `spanning`, else as it is.
    fn flush(&mut self, spanning: bool) -> Result<(), quick_xml::Error> {
        let text = std::mem::take(&mut self.pending);
        if text.is_empty() {
            return Ok(());
        }
        if !spanning || text.trim().is_empty() {
            self.writer.write_event(Event::Text(BytesText::from_escaped(partial_escape(&text))))?;
            return Ok(());
        }
        let breaks: Vec<usize> =
            SentenceSegmenter::new(SentenceBreakInvariantOptions::default()).segment_str(&text).collect();
        for pair in breaks.windows(2) {
            let sentence = &text[pair[0]..pair[1]];
            // Space around a sentence stays outside its span, as Kobo's own tools leave it.
            let words = sentence.trim();
            let before = &sentence[..sentence.len() - sentence.trim_start().len()];
            let after = &sentence[before.len() + words.len()..];
            if !before.is_empty() {
                self.writer.write_event(Event::Text(BytesText::from_escaped(partial_escape(before))))?;
            }
            if !words.is_empty() {
                let span = self.next_span();
                self.writer.write_event(Event::Start(span))?;
                self.writer.write_event(Event::Text(BytesText::from_escaped(partial_escape(words))))?;
                self.writer.write_event(Event::End(BytesEnd::new("span")))?;
            }
            if !after.is_empty() {
                self.writer.write_event(Event::Text(BytesText::from_escaped(partial_escape(after))))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_images_are_spanned_and_numbered_by_paragraph() {
        let doc = "<html><body><h1>Title</h1><p>One. Two &amp; three.</p><p><img src=\"a.png\" alt=\"\"/> x</p>\
                   <math><mi>x</mi></math></body></html>";
        let out = spans(doc);
        assert!(out.contains("<body><div id=\"book-columns\"><div id=\"book-inner\">"), "{out}");
        assert!(out.contains("<h1><span class=\"koboSpan\" id=\"kobo.1.1\">Title</span></h1>"), "{out}");
        assert!(
            out.contains(
                "<p><span class=\"koboSpan\" id=\"kobo.2.1\">One.</span> <span class=\"koboSpan\" id=\"kobo.2.2\">Two &amp; three.</span></p>"
            ),
            "{out}"
        );
        assert!(out.contains("<span class=\"koboSpan\" id=\"kobo.3.1\"><img src=\"a.png\" alt=\"\"/></span>"), "{out}");
        assert!(out.contains("<math><mi>x</mi></math>"), "{out}");
        assert!(out.ends_with("</div></div></body></html>"), "{out}");
    }
}
