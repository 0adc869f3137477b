//! Fuzzes the Markdown → XHTML path: any text, put in every place a guide holds text, either gives
//! diagnostics or EPUB documents that are well-formed XML.

#![no_main]

#[path = "../support/book.rs"]
mod book;

use libfuzzer_sys::fuzz_target;
use quick_xml::events::Event;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let dir = tempfile::tempdir().unwrap();
    book::write(dir.path(), &text);
    let loaded = revise::build::load(dir.path());
    let Some((book, derived)) = loaded.model else { return };
    for doc in revise::render::html::documents(&book, &derived, &revise::render::epub::EPUB_LINKS, None) {
        let xml = format!(
            "<body xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">{}</body>",
            doc.body
        );
        let mut reader = quick_xml::Reader::from_str(&xml);
        reader.config_mut().check_end_names = true;
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(err) => panic!("{} is not well-formed: {err}\n{xml}", doc.file),
            }
        }
    }
});
