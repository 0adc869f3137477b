//! The Kindle and Kobo editions: the EPUB with every equation as an image carrying its spoken form,
//! no MathML and a stylesheet Kindle's converter keeps; Kobo's with its text spans. Read with what
//! their users' books go through: Calibre's ebook-convert (the validators read them too, in
//! `epub.rs` and `accessibility.rs`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::epub::{entries, text_files};

/// The `alttext` of each `<math>`, or the `alt` of each equation image, in order.
fn equation_texts(xhtml: &str, image: bool) -> Vec<String> {
    let (open, attribute) = if image { ("<img class=\"math", "alt=\"") } else { ("<math ", "alttext=\"") };
    xhtml
        .match_indices(open)
        .map(|(at, _)| {
            let tag = &xhtml[at..at + xhtml[at..].find('>').unwrap()];
            let start = tag.find(attribute).unwrap_or_else(|| panic!("no {attribute} in {tag}")) + attribute.len();
            tag[start..start + tag[start..].find('"').unwrap()].to_string()
        })
        .collect()
}

/// The content documents of an EPUB: its XHTML but the navigation.
fn documents(files: &BTreeMap<String, String>) -> BTreeMap<&str, &str> {
    files
        .iter()
        .filter(|(name, _)| name.ends_with(".xhtml") && !name.ends_with("nav.xhtml"))
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect()
}

#[test]
fn the_e_reader_editions_show_every_equation_as_an_image_with_its_spoken_form() {
    let physics = crate::fixtures::physics();
    let epub = text_files(physics.output(".epub"));
    let mut equations = 0;
    for suffix in ["-kindle.epub", ".kepub.epub"] {
        let path = physics.output(suffix);
        let edition = text_files(path);
        let opf = &edition["OEBPS/content.opf"];
        let svgs: BTreeMap<String, String> = entries(path)
            .into_iter()
            .filter(|(name, _)| name.ends_with(".svg"))
            .map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap()))
            .collect();
        for (name, text) in &edition {
            assert!(!text.contains("<math"), "{suffix}: MathML in {name}");
        }
        assert!(!opf.contains("properties=\"mathml\""), "{suffix} claims MathML");
        for (name, xhtml) in documents(&epub) {
            let theirs = &edition[name];
            // The same equations, in the same order, each with the same spoken form.
            assert_eq!(equation_texts(theirs, true), equation_texts(xhtml, false), "{suffix}: {name}");
            equations += equation_texts(xhtml, false).len();
            for (at, _) in theirs.match_indices("<img class=\"math") {
                let tag = &theirs[at..at + theirs[at..].find("/>").unwrap()];
                let src = tag.split("src=\"").nth(1).unwrap().split('"').next().unwrap();
                let svg = svgs.get(&format!("OEBPS/{src}")).unwrap_or_else(|| panic!("{src} is not in {suffix}"));
                assert!(svg.contains("<svg") && svg.contains("viewBox"), "{src}");
                assert!(!svg.contains("<text"), "{src}: its glyphs are outlines, needing no font");
                assert!(
                    opf.lines()
                        .any(|l| l.contains(&format!("href=\"{src}\"")) && l.contains("media-type=\"image/svg+xml\"")),
                    "{src} in the manifest"
                );
                // Sized in ems, so that it follows the reader's font size.
                assert!(tag.contains("height: ") && tag.contains("em; vertical-align: -"), "{tag}");
            }
        }
        // The same navigation: contents, landmarks and page list.
        assert_eq!(edition["OEBPS/nav.xhtml"], epub["OEBPS/nav.xhtml"], "{suffix}");
        // A stylesheet without what Kindle's converter drops.
        let css = entries(path).into_iter().find(|(name, _)| name == "OEBPS/stylesheet.css").unwrap().1;
        let css = String::from_utf8(css).unwrap();
        for dropped in ["@namespace", ":has(", "var(--"] {
            assert!(!css.contains(dropped), "{suffix}: {dropped} in the stylesheet");
        }
    }
    assert!(equations > 20, "the physics example has {equations} equations");
}

/// Returns the text of an XHTML document: without tags, with entities read.
fn text_of(xhtml: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(xhtml);
    let mut text = String::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Text(t) => text.push_str(&t.decode().unwrap()),
            quick_xml::events::Event::GeneralRef(r) => match r.resolve_char_ref().unwrap() {
                Some(c) => text.push(c),
                None => {
                    let name = r.decode().unwrap();
                    let resolved = quick_xml::escape::resolve_predefined_entity(&name);
                    text.push_str(resolved.unwrap_or_else(|| panic!("the entity &{name};")));
                }
            },
            _ => {}
        }
    }
    text
}

#[test]
fn kobo_spans_each_sentence_and_changes_no_text() {
    for built in [crate::fixtures::sample(), crate::fixtures::physics()] {
        let kindle = text_files(built.output("-kindle.epub"));
        let kobo = text_files(built.output(".kepub.epub"));
        for (name, kindle_doc) in documents(&kindle) {
            let kobo_doc = &kobo[name];
            let cover = name.ends_with("cover.xhtml");
            assert_eq!(text_of(kobo_doc), text_of(kindle_doc), "{name}");
            assert!(kobo_doc.contains("<div id=\"book-columns\"><div id=\"book-inner\">"), "{name}");
            let ids: Vec<&str> = kobo_doc
                .match_indices("id=\"kobo.")
                .map(|(at, _)| kobo_doc[at + 4..].split('"').next().unwrap())
                .collect();
            let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "{name}: a span id twice");
            assert!(cover || !ids.is_empty(), "{name} has no spans");
            // No text of a paragraph is left outside a span.
            let body = &kobo_doc[kobo_doc.find("<body").unwrap()..];
            for (at, _) in body.match_indices("<p>") {
                let rest = &body[at + 3..];
                assert!(
                    rest.starts_with('<') || rest.trim_start().starts_with('<'),
                    "{name}: text outside a span: {}",
                    &rest[..rest.len().min(80)]
                );
            }
        }
    }
}

/// Converts `from` with Calibre's ebook-convert into `to`, and fails on its errors.
fn calibre(from: &Path, to: &Path, options: &[&str]) -> String {
    crate::support::ensure_tools();
    let output = Command::new("ebook-convert")
        .arg(from)
        .arg(to)
        .args(options)
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .expect("Calibre's ebook-convert is needed; .ci/install-test-tools installs it");
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "ebook-convert {} {}:\n{log}", from.display(), to.display());
    log
}

#[test]
fn calibre_makes_azw3_and_mobi_of_the_kindle_edition_keeping_every_equation_and_its_alt_text() {
    let physics = crate::fixtures::physics();
    let kindle = physics.output("-kindle.epub");
    let images: Vec<String> =
        documents(&text_files(kindle)).values().flat_map(|doc| equation_texts(doc, true)).collect();
    let dir = tempfile::tempdir().unwrap();
    // AZW3 (KF8), and MOBI as Kindles read it: the old MOBI with a KF8 part (MOBI 6 alone keeps
    // the images, rasterised, but no alternative text: the format has none).
    for (format, options) in [("azw3", &[][..]), ("mobi", &["--mobi-file-type", "both"][..])] {
        let converted = dir.path().join(format!("physics.{format}"));
        calibre(kindle, &converted, options);
        // Read back as Calibre reads a Kindle book, into an EPUB whose XHTML can be searched.
        let back = dir.path().join(format!("physics-{format}.epub"));
        calibre(&converted, &back, &[]);
        let files: Vec<(String, String)> = entries(&back)
            .into_iter()
            .filter(|(name, _)| name.ends_with("html"))
            .map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap()))
            .collect();
        let alts: Vec<String> = files
            .iter()
            .flat_map(|(_, doc)| {
                doc.match_indices("<img").map(|(at, _)| {
                    let tag = &doc[at..at + doc[at..].find('>').unwrap()];
                    tag.split("alt=\"")
                        .nth(1)
                        .map(|rest| rest.split('"').next().unwrap().to_string())
                        .unwrap_or_default()
                })
            })
            .collect();
        for alt in &images {
            assert!(alts.contains(alt), "{format}: the equation \"{alt}\" is lost");
        }
    }
}
