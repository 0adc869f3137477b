//! The EPUB's reproducible packaging. epub-builder's zip back end cannot be replaced (its `Zip` trait is not
//! public in 0.8), so its output is repacked: entries stay in the order it wrote them, every entry
//! carries one fixed time, `mimetype` comes first and is stored, and the files it cannot make as
//! this project needs (the navigation document, a few package metadata elements) are replaced.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

use ::zip::{ZipArchive, ZipWriter};
use quick_xml::events::Event;
use quick_xml::{Reader, Writer};

use crate::model::date::BuildDate;
use crate::render::zip;

/// The package document inside the EPUB.
pub const OPF_PATH: &str = "OEBPS/content.opf";

/// The id the repacking gives the package document's first `dc:title`, the book's own title.
pub const TITLE_ID: &str = "title";

/// What to change while repacking.
#[derive(Debug, Default)]
pub struct Repack {
    /// Files whose content is replaced, by path in the archive.
    pub replace: HashMap<String, Vec<u8>>,
    /// XML elements inserted at the end of the package document's `<metadata>`.
    pub opf_metadata: String,
    /// The language of the package, written as its `xml:lang`.
    pub package_lang: String,
    /// The manifest items (by `href`) that hold MathML, given `properties="mathml"`.
    pub mathml: Vec<String>,
}

/// Rewrites an EPUB archive so that the same content always gives the same bytes.
pub fn repack(epub: &[u8], date: BuildDate, changes: &Repack) -> Result<Vec<u8>, String> {
    let mut archive = ZipArchive::new(Cursor::new(epub)).map_err(|e| e.to_string())?;
    let time = zip::time(date);
    let (stored, deflated) = (zip::stored(date), zip::deflated(date));

    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("mimetype", stored).map_err(|e| e.to_string())?;
    writer.write_all(b"application/epub+zip").map_err(|e| e.to_string())?;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| e.to_string())?;
        let name = entry.name().to_string();
        if name == "mimetype" || entry.is_dir() {
            continue;
        }
        let bytes = if let Some(replacement) = changes.replace.get(&name) {
            replacement.clone()
        } else if name == OPF_PATH {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
            patch_package(&bytes, changes)?
        } else {
            // An entry kept as it is: its compressed bytes are copied, not inflated and deflated again.
            writer.raw_copy_file_touch(entry, time, Some(0o644)).map_err(|e| e.to_string())?;
            continue;
        };
        writer.start_file(name.as_str(), deflated).map_err(|e| e.to_string())?;
        writer.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    writer.finish().map(Cursor::into_inner).map_err(|e| e.to_string())
}

/// Rewrites the package document: gives `<package>` its `xml:lang`, gives the first `dc:title` the
/// id [`TITLE_ID`], marks the items that hold MathML, and inserts the extra elements before `</metadata>`. Everything else is written
/// back as it was read.
fn patch_package(opf: &[u8], changes: &Repack) -> Result<Vec<u8>, String> {
    let mut reader = Reader::from_reader(opf);
    let mut writer = Writer::new(Vec::new());
    let mut titled = false;
    loop {
        let event = reader.read_event().map_err(|e| format!("the package document is not well-formed: {e}"))?;
        match event {
            Event::Eof => break,
            Event::Start(start) if start.name().as_ref() == b"package" && !changes.package_lang.is_empty() => {
                let mut start = start.into_owned();
                start.push_attribute(("xml:lang", changes.package_lang.as_str()));
                writer.write_event(Event::Start(start))
            }
            Event::Start(start) if start.name().as_ref() == b"dc:title" && !titled => {
                titled = true;
                let mut start = start.into_owned();
                if start.try_get_attribute("id").map_err(|e| e.to_string())?.is_none() {
                    start.push_attribute(("id", TITLE_ID));
                }
                writer.write_event(Event::Start(start))
            }
            Event::Empty(item) if item.name().as_ref() == b"item" => {
                let mut item = item.into_owned();
                let href = item.try_get_attribute("href").map_err(|e| e.to_string())?;
                let href = href.map(|h| String::from_utf8_lossy(&h.value).into_owned()).unwrap_or_default();
                if changes.mathml.contains(&href) {
                    // epub-builder sets properties only on the cover image and the navigation.
                    if item.try_get_attribute("properties").map_err(|e| e.to_string())?.is_some() {
                        return Err(format!("the manifest item `{href}` already has properties"));
                    }
                    item.push_attribute(("properties", "mathml"));
                }
                writer.write_event(Event::Empty(item))
            }
            Event::End(end) if end.name().as_ref() == b"metadata" => {
                writer.get_mut().extend_from_slice(changes.opf_metadata.as_bytes());
                writer.get_mut().extend_from_slice(b"\n  ");
                writer.write_event(Event::End(end))
            }
            event => writer.write_event(event),
        }
        .map_err(|e| e.to_string())?;
    }
    Ok(writer.into_inner())
}
