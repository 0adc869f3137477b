//! The book as an Anki deck, `<name>.apkg`: key terms as Basic notes (term → definition), gap-fill
//! questions as Cloze notes (one card a gap), and multiple-choice questions as Basic notes
//! (question and options → the letters and the explanation), with the images they show.
//!
//! The package is Anki's: a zip of `collection.anki2` (an SQLite database in the schema Anki
//! imports, written through rusqlite with its bundled SQLite) and the media. It is written here,
//! not with genanki-rs, whose media order comes from a HashMap, so that the same source gives the
//! same bytes. Each note's GUID comes from the book's identifier and the term or question, and its
//! modification time from the build date, so that importing a later edition updates the notes a
//! student already has (Anki's importer updates a note whose GUID it knows when the package's is
//! newer) and keeps their review history, instead of adding them again.

use rusqlite::{Connection, params};
use serde_json::json;

use super::assets::{Asset, flat_name};
use super::cloze::clozed;
use super::html::xml::escape;
use super::html::{self, Links};
use super::{RenderContext, Renderer, Sink};
use crate::diagnostics::Diagnostic;
use crate::model::{Answer, Block, Book, Choices, Inline, Question, answer_key_text, map_inlines};
use crate::passes::Derived;

/// The Anki deck as an output.
pub struct Anki;

impl Renderer for Anki {
    fn name(&self) -> &'static str {
        "anki"
    }

    fn about(&self) -> &'static str {
        "an Anki deck of the key terms and the multiple-choice and gap-fill questions"
    }

    fn files(&self, book: &Book, derived: &Derived, name: &str) -> Result<Vec<String>, Diagnostic> {
        if has_notes(book, derived) {
            Ok(vec![format!("{name}.apkg")])
        } else {
            Err(Diagnostic::info(
                "the book has no key terms and no multiple-choice or gap-fill questions, so no Anki deck is made",
            )
            .in_file(crate::read::CHAPTERS_DIR))
        }
    }

    fn render(&self, ctx: &RenderContext, out: &mut dyn Sink) -> Result<(), Vec<Diagnostic>> {
        let images: Vec<(&str, &Asset)> = ctx.assets.get()?.collect();
        out.file(format!("{}.apkg", ctx.name), apkg(ctx, &images).map_err(|d| vec![d])?);
        Ok(())
    }
}

/// The deck's links: images by their flat media names, and nothing into the book's glossary or
/// index, which a note stands outside.
struct AnkiLinks;

impl Links for AnkiLinks {
    fn image_src(&self, path: &str) -> String {
        escape(&flat_name(path))
    }

    fn in_book(&self) -> bool {
        false
    }
}

/// Returns whether the book has anything for a deck: key terms, multiple-choice or gap-fill questions.
pub fn has_notes(book: &Book, derived: &Derived) -> bool {
    !derived.glossary.entries.is_empty() || book.questions().any(|q| q.choices.is_some() || !q.gaps().is_empty())
}

/// A note of the deck: its GUID, note type and fields.
struct Note {
    guid: String,
    cloze: bool,
    fields: [String; 2],
    /// The cloze numbers of a Cloze note, one card each; a Basic note has one card.
    cards: usize,
}

/// Builds the deck, with the images the notes may show, and returns the package's bytes.
pub fn apkg(ctx: &RenderContext, images: &[(&str, &Asset)]) -> Result<Vec<u8>, Diagnostic> {
    let (book, derived, date) = (ctx.book, ctx.derived, ctx.date);
    let fail = |what: &str, err: &dyn std::fmt::Display| {
        Diagnostic::error(format!("could not make the Anki deck: {what}: {err}"))
    };
    let meta = &book.manifest.book;
    let identity = meta.identifier.clone().unwrap_or_else(|| meta.title.clone());
    let words = &meta.words;

    let mut notes = Vec::new();
    for entry in &derived.glossary.entries {
        let front = html::inline_fragment(book, derived, &AnkiLinks, &entry.term);
        let back = html::fragment(book, derived, &AnkiLinks, &entry.definition);
        notes.push(Note { guid: guid(&identity, "term", &entry.name), cloze: false, fields: [front, back], cards: 1 });
    }
    // A question is known by its title; two questions of the same title ("Fill the gaps") are
    // known by their whole text.
    let titles: Vec<String> = book.questions().map(|q| crate::model::plain_text(&q.heading.content)).collect();
    for q in book.questions() {
        let answer = book.answer(q.number);
        let mut title = crate::model::plain_text(&q.heading.content);
        if titles.iter().filter(|t| **t == title).count() > 1 {
            title.push('\n');
            // With the gaps' answers, which the plain text leaves blank.
            let prompt = map_inlines(q.prompt.clone(), &mut |inlines| clozed(&inlines));
            title.push_str(&crate::model::blocks_plain_text_as(&prompt, crate::model::MathForm::Text));
            for option in q.choices.iter().flat_map(|c| &c.options) {
                title.push('\n');
                title.push_str(&crate::model::blocks_plain_text_as(&option.blocks, crate::model::MathForm::Text));
            }
        }
        let gaps = q.gaps();
        if !gaps.is_empty() {
            let text = question_html(book, derived, q, true);
            let extra = answer.map(|a| html::fragment(book, derived, &AnkiLinks, &a.blocks)).unwrap_or_default();
            notes.push(Note {
                guid: guid(&identity, "cloze", &title),
                cloze: true,
                fields: [text, extra],
                cards: gaps.len(),
            });
        } else if let Some(choices) = &q.choices {
            let mut front = question_html(book, derived, q, false);
            front.push_str(&choices_html(book, derived, choices, words));
            let back = answer_html(book, derived, answer, words);
            notes.push(Note { guid: guid(&identity, "choice", &title), cloze: false, fields: [front, back], cards: 1 });
        }
    }

    // Times: the build date, so that a later edition's notes are newer; without one, the epoch.
    let seconds = date.map_or(0, |d| d.unix_seconds());
    let millis = seconds * 1000;
    let deck_id = id(&identity, "deck");
    let basic_id = id(&identity, "basic");
    let cloze_id = id(&identity, "cloze");
    let rtl = meta.language.is_right_to_left();

    let dir = tempfile::tempdir().map_err(|e| fail("a temporary folder", &e))?;
    let path = dir.path().join("collection.anki2");
    {
        let db = Connection::open(&path).map_err(|e| fail("the database", &e))?;
        db.execute_batch(SCHEMA).map_err(|e| fail("the schema", &e))?;
        let models = json!({
            basic_id.to_string(): model(basic_id, deck_id, seconds, &format!("{} (revise)", meta.title), false, rtl),
            cloze_id.to_string(): model(cloze_id, deck_id, seconds, &format!("{} – cloze (revise)", meta.title), true, rtl),
        });
        let decks = json!({
            "1": deck(1, "Default", ""),
            deck_id.to_string(): deck(deck_id, &meta.title, meta.description.as_deref().unwrap_or("")),
        });
        db.execute(
            "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
            params![seconds, millis, CONF, models.to_string(), decks.to_string(), DCONF],
        )
        .map_err(|e| fail("the collection", &e))?;
        let mut card_id = millis + 1;
        for (i, note) in notes.iter().enumerate() {
            let note_id = millis + 1 + i64::try_from(i).unwrap_or(0);
            let mid = if note.cloze { cloze_id } else { basic_id };
            let sort = strip_html(&note.fields[0]);
            db.execute(
                "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, '', ?5, ?6, 0, 0, '')",
                params![note_id, note.guid, mid, seconds, note.fields.join("\u{1f}"), sort],
            )
            .map_err(|e| fail("a note", &e))?;
            for ord in 0..note.cards {
                db.execute(
                    "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, -1, 0, 0, ?6, 0, 0, 0, 0, 0, 0, 0, 0, '')",
                    params![card_id + 1_000_000, note_id, deck_id, ord, seconds, i + 1],
                )
                .map_err(|e| fail("a card", &e))?;
                card_id += 1;
            }
        }
    }
    let database = std::fs::read(&path).map_err(|e| fail("the database", &e))?;

    // The package: the database, the media list and each image under its number, in path order.
    let mut files: Vec<(String, Vec<u8>)> = vec![("collection.anki2".into(), database)];
    let mut list = serde_json::Map::new();
    for (i, (path, image)) in images.iter().enumerate() {
        list.insert(i.to_string(), json!(flat_name(path)));
        files.push((i.to_string(), image.bytes.clone()));
    }
    files.insert(1, ("media".into(), serde_json::Value::Object(list).to_string().into_bytes()));
    super::zip::write(&files, date).map_err(|e| fail("the package", &e))
}

/// The HTML of a question's heading and text, its gaps as cloze deletions or blanks.
fn question_html(book: &Book, derived: &Derived, q: &Question, cloze: bool) -> String {
    let convert = |inlines: Vec<Inline>| -> Vec<Inline> { if cloze { clozed(&inlines) } else { inlines } };
    let heading = html::inline_fragment(book, derived, &AnkiLinks, &convert(q.heading.content.clone()));
    let prompt: Vec<Block> = map_inlines(q.prompt.clone(), &mut |inlines| convert(inlines));
    format!("<p><b>{heading}</b></p>{}", html::fragment(book, derived, &AnkiLinks, &prompt))
}

/// The options of a multiple-choice question, lettered.
fn choices_html(book: &Book, derived: &Derived, choices: &Choices, words: &crate::model::words::Words) -> String {
    let count = u32::try_from(choices.correct_count()).unwrap_or(u32::MAX);
    let mut out = format!("<p><i>{}</i></p><ol type=\"A\">", escape(&words.count("choose", count)));
    for option in &choices.options {
        out.push_str("<li>");
        out.push_str(&html::fragment(book, derived, &AnkiLinks, &option.blocks));
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

/// The back of a multiple-choice note: the letters, then the explanation.
fn answer_html(book: &Book, derived: &Derived, answer: Option<&Answer>, words: &crate::model::words::Words) -> String {
    let Some(answer) = answer else { return String::new() };
    let mut out = String::new();
    if let Some(text) = answer_key_text(answer.choices.as_ref(), &answer.gaps) {
        let line = words.fill("answer_is", &[("answer", &text)]);
        out.push_str(&format!("<p><b>{}</b></p>", escape(&line)));
    }
    out.push_str(&html::fragment(book, derived, &AnkiLinks, &answer.blocks));
    out
}

/// Returns a stable GUID for a note: a hash of the book's identity, the note's kind and its key.
fn guid(identity: &str, kind: &str, key: &str) -> String {
    let mut hash = sha1_smol::Sha1::new();
    hash.update(format!("{identity}\u{0}{kind}\u{0}{key}").as_bytes());
    hash.digest().to_string()[..16].to_string()
}

/// Returns a stable id for the deck or a note type: a hash of the book's identity, in the range
/// of Anki's millisecond ids.
fn id(identity: &str, kind: &str) -> i64 {
    let mut hash = sha1_smol::Sha1::new();
    hash.update(format!("{identity}\u{0}{kind}").as_bytes());
    let bytes = hash.digest().bytes();
    let n = u64::from_be_bytes(bytes[..8].try_into().expect("eight bytes"));
    // Between 2^40 and 2^41: after every timestamp id Anki itself has made (2004 onwards).
    i64::try_from((1 << 40) + n % (1 << 40)).expect("below 2^41")
}

/// Returns the text of HTML, for the sort field.
fn strip_html(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn model(id: i64, deck: i64, modified: i64, name: &str, cloze: bool, rtl: bool) -> serde_json::Value {
    let field = |name: &str, ord: usize| json!({"name": name, "ord": ord, "font": "Arial", "size": 20, "media": [], "rtl": rtl, "sticky": false});
    let (fields, templates) = if cloze {
        (
            vec![field("Text", 0), field("Extra", 1)],
            vec![json!({"name": "Cloze", "ord": 0, "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<br>{{Extra}}",
                "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0})],
        )
    } else {
        (
            vec![field("Front", 0), field("Back", 1)],
            vec![
                json!({"name": "Card 1", "ord": 0, "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}",
                "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0}),
            ],
        )
    };
    json!({
        "css": ".card { font-family: serif; font-size: 20px; text-align: center; color: black; background-color: white; }\n.cloze { font-weight: bold; color: blue; }\n.nightMode .cloze { color: lightblue; }",
        "did": deck, "flds": fields, "id": id, "latexPost": "\\end{document}",
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexsvg": false, "mod": modified, "name": name, "req": [[0, "any", [0]]], "sortf": 0, "tags": [],
        "tmpls": templates, "type": if cloze { 1 } else { 0 }, "usn": -1, "vers": []
    })
}

fn deck(id: i64, name: &str, description: &str) -> serde_json::Value {
    json!({
        "collapsed": false, "conf": 1, "desc": description, "dyn": 0, "extendNew": 10, "extendRev": 50,
        "id": id, "lrnToday": [0, 0], "mod": 0, "name": name, "newToday": [0, 0], "revToday": [0, 0],
        "timeToday": [0, 0], "usn": -1
    })
}

/// The tables of Anki's collection (schema 11, which every Anki imports).
const SCHEMA: &str = "
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null,
  ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null,
  models text not null, decks text not null, dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null,
  usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null,
  flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null,
  mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null,
  ivl integer not null, factor integer not null, reps integer not null, lapses integer not null,
  left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null,
  ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null,
  type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";

/// The collection's settings, as a new Anki collection has them.
const CONF: &str = r#"{"activeDecks":[1],"addToCur":true,"collapseTime":1200,"curDeck":1,"curModel":null,"dueCounts":true,"estTimes":true,"newBury":true,"newSpread":0,"nextPos":1,"sortBackwards":false,"sortType":"noteFld","timeLim":0}"#;

/// The default deck options.
const DCONF: &str = r#"{"1":{"autoplay":true,"id":1,"lapse":{"delays":[10],"leechAction":0,"leechFails":8,"minInt":1,"mult":0},"maxTaken":60,"mod":0,"name":"Default","new":{"bury":true,"delays":[1,10],"initialFactor":2500,"ints":[1,4,7],"order":1,"perDay":20,"separate":true},"replayq":true,"rev":{"bury":true,"ease4":1.3,"fuzz":0.05,"ivlFct":1,"maxIvl":36500,"minSpace":1,"perDay":100},"timer":0,"usn":0}}"#;
