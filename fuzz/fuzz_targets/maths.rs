//! Fuzzes maths: any text, as the LaTeX of a display equation in a chapter and of inline maths in
//! a key term, a question and its model answer, either gives diagnostics that name a file or, for
//! all five PDF editions, typst source without a syntax error in which every equation holds only
//! what the lowering writes (escapes, strings and the maths functions), and well-formed XHTML.
//! Every tenth input is also laid out by typst in every edition, which must succeed.

#![no_main]

#[path = "../support/book.rs"]
mod book;

use libfuzzer_sys::fuzz_target;
use revise::model::manifest::Paper;
use revise::render::pdf::{self, Edition};
use revise::render::templates::Templates;
use revise::{BuildOptions, Format};

fuzz_target!(|data: &[u8]| {
    let latex = String::from_utf8_lossy(data);
    // Inline maths cannot hold a dollar sign or a blank line; the fence holds anything but its end.
    let inline = latex.replace(['$', '\n', '\r', '`'], " ");
    let fenced = latex.replace("```", " ");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("chapters")).unwrap();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Fuzz\"\nlanguage = \"en\"\n").unwrap();
    std::fs::write(
        root.join("chapters/01.md"),
        format!("# Fuzz\n\n```math\n{fenced}\n```\n\nTerm\n: Is $x{inline}$ here.\n\nTerm.\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("questions.md"),
        format!("# Q\n\n## Find $y{inline}$ (2 marks)\n\n### Model answer\n\n$$z{inline}$$\n"),
    )
    .unwrap();

    let loaded = revise::build::load(root);
    let Some((book, derived)) = loaded.model else {
        for d in loaded.diagnostics.iter() {
            assert!(d.file_name(&loaded.sources).is_some(), "a diagnostic names no file: {d:?}");
        }
        return;
    };
    let templates = Templates::load(&loaded.root).unwrap();
    for edition in Edition::ALL {
        let source = pdf::source(&book, &derived, &templates, edition, Paper::A4).unwrap();
        let (errors, _) = typst_syntax::parse(&source).errors_and_warnings();
        assert!(errors.is_empty(), "{edition:?}: syntax errors in generated typst: {errors:?}");
        let found = revise::render::pdf::structure::markup_structures(&source);
        assert!(found.is_empty(), "{edition:?}: author text read as more than maths: {found:?}");
    }
    if data.len() % 10 != 0 {
        return;
    }
    let options = BuildOptions { formats: Format::all(), ..BuildOptions::default() };
    let report = revise::build(root, &options);
    let rendered = report.diagnostics.render_plain(&report.sources);
    assert!(!report.failed(), "maths that was read did not build:\n{rendered}");
    let epub = report.outputs.iter().find(|p| p.extension().is_some_and(|e| e == "epub")).unwrap();
    book::assert_well_formed(epub);
});
