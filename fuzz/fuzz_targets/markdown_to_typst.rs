//! Fuzzes the Markdown → typst path: any text, put in every place a guide holds text (chapters, key
//! terms, FAQ, questions, answers, glossary), either gives diagnostics or, for all five PDF
//! editions, typst source that parses without a syntax error and holds no markup structure the
//! writers never emit (a list, heading or emphasis in markup syntax would be author text read as
//! typst). Laying it out is `every_output`'s work; it is too slow here.

#![no_main]

#[path = "../support/book.rs"]
mod book;

use libfuzzer_sys::fuzz_target;
use revise::model::manifest::Paper;
use revise::render::pdf::{self, Edition};
use revise::render::templates::Templates;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let dir = tempfile::tempdir().unwrap();
    book::write(dir.path(), &text);
    let loaded = revise::build::load(dir.path());
    let Some((book, derived)) = loaded.model else { return };
    let templates = Templates::load(&loaded.root).unwrap();
    for edition in Edition::ALL {
        let source = pdf::source(&book, &derived, &templates, edition, Paper::A4).unwrap();
        let root = typst_syntax::parse(&source);
        let (errors, _) = root.errors_and_warnings();
        assert!(errors.is_empty(), "{edition:?}: syntax errors in generated typst: {errors:?}");
        let found = revise::render::pdf::structure::markup_structures(&source);
        assert!(found.is_empty(), "{edition:?}: author text read as markup: {found:?}");
    }
});
