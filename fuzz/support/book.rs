//! The book the fuzz targets build: the fuzzer's text in every place a guide holds text.

// Each target includes this file as its own module and uses a part of it.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;

/// A 1×1 PNG, for image references.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 31, 21, 196,
    137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2, 135, 1, 128, 235, 71, 186, 146, 0, 0,
    0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// Writes a book into `root` with `text` in a chapter, a key term's definition, an FAQ question and
/// its answer, a practice question, its prompt and its model answer, and the glossary, with an
/// image at `images/dot.png` for the text to name.
pub fn write(root: &Path, text: &str) {
    std::fs::create_dir_all(root.join("chapters")).unwrap();
    std::fs::create_dir_all(root.join("images")).unwrap();
    std::fs::write(root.join("images/dot.png"), PNG).unwrap();
    // The language, which chooses the words revise prints, the direction and the index's matching,
    // follows the text, so that every language is fuzzed.
    const LANGUAGES: [&str; 8] = ["en", "de-AT", "pl", "zh-TW", "ja", "ar", "hi", "th"];
    let language = LANGUAGES[text.len() % LANGUAGES.len()];
    std::fs::write(root.join("book.toml"), format!("[book]\ntitle = \"Fuzz\"\nlanguage = \"{language}\"\n")).unwrap();
    std::fs::write(root.join("chapters/01.md"), format!("# Fuzz\n\n{text}\n\nTerm\n: {text}\n\nTerm.\n")).unwrap();
    std::fs::write(root.join("faq.md"), format!("# FAQ\n\n## {text}\n\n{text}\n")).unwrap();
    std::fs::write(
        root.join("questions.md"),
        format!(
            "# Q\n\n## {text} (2 marks)\n\n{text}\n\n### Model answer\n\n{text}\n\n## Pick\n\n- [x] {text}\n- [ ] {text}\n\n\
             ## Gap [[{text}]]\n\nFill [[{text}|x]].\n"
        ),
    )
    .unwrap();
    std::fs::write(root.join("glossary.md"), format!("Other\n: {text}\n")).unwrap();
}

/// Asserts that every XHTML document and the package document of an EPUB are well-formed XML.
pub fn assert_well_formed(epub: &Path) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_string();
        if !name.ends_with(".xhtml") && !name.ends_with(".opf") {
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).unwrap();
        let mut reader = quick_xml::Reader::from_str(&xml);
        reader.config_mut().check_end_names = true;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(err) => panic!("{name} is not well-formed: {err}\n{xml}"),
            }
        }
    }
}
