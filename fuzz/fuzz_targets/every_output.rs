//! Fuzzes whole builds: any text, put in every place a guide holds text, gives either diagnostics
//! that name a file, or all seven outputs (five PDF editions laid out by typst, the EPUB with
//! well-formed documents, the TSV), and never a typst error in generated code or a panic.

#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;
use revise::{BuildOptions, Format};

/// A 1×1 PNG, for image references.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 31, 21, 196,
    137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2, 135, 1, 128, 235, 71, 186, 146, 0, 0,
    0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("chapters")).unwrap();
    std::fs::create_dir_all(root.join("images")).unwrap();
    std::fs::write(root.join("images/dot.png"), PNG).unwrap();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Fuzz\"\nlanguage = \"en\"\n").unwrap();
    std::fs::write(root.join("chapters/01.md"), format!("# Fuzz\n\n{text}\n\nTerm\n: {text}\n\nTerm.\n")).unwrap();
    std::fs::write(root.join("faq.md"), format!("# FAQ\n\n## {text}\n\n{text}\n")).unwrap();
    std::fs::write(
        root.join("questions.md"),
        format!("# Q\n\n## {text} (2 marks)\n\n{text}\n\n### Model answer\n\n{text}\n"),
    )
    .unwrap();
    let options = BuildOptions { formats: Format::ALL.to_vec(), ..BuildOptions::default() };
    let report = revise::build(root, &options);
    let rendered = report.diagnostics.render_plain(&report.sources);
    assert!(!rendered.contains("typst could not lay out"), "a typst error in generated code:\n{rendered}");
    if report.failed() {
        for d in report.diagnostics.iter() {
            assert!(d.file_name(&report.sources).is_some(), "a diagnostic names no file: {d:?}");
        }
        return;
    }
    // Every output the book has anything for: the handouts need questions, the flashcards terms.
    let loaded = revise::load::load(root);
    let (book, derived) = (loaded.book.unwrap(), loaded.derived.unwrap());
    let questions = book.questions().next().is_some();
    let terms = !derived.glossary.entries.is_empty();
    let expected = 3 + 2 * usize::from(questions) + 2 * usize::from(terms);
    assert_eq!(report.outputs.len(), expected, "{:?}", report.outputs);
    let epub = report.outputs.iter().find(|p| p.extension().is_some_and(|e| e == "epub")).unwrap();
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
});
