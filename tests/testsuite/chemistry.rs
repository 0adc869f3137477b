//! mhchem, checked against mhchem itself: every example of mhchem's manual, as the test page of
//! mhchem's own parser lists them (the npm package `mhchemparser`, which `.ci/install-test-tools`
//! installs), with the LaTeX that parser writes for each. revise must write the same LaTeX, render
//! the same MathML from it, and build a book of all of them in every edition.

use std::path::PathBuf;
use std::process::Command;
use std::sync::LazyLock;

use revise::math::Converter;
use revise::math::chem::{self, Mode};
use revise::source::Span;

use crate::support::TestBook;

/// One example of mhchem's manual: `ce`, `pu`, or `tex` (LaTeX with `\ce` and `\pu` inside), the
/// input, and the LaTeX mhchem's parser writes for it.
pub struct Example {
    pub mode: String,
    pub input: String,
    pub latex: String,
}

/// The examples whose LaTeX differs from mhchem's, each with why: ratex-parser's port trims the
/// input, so a trailing space is not set as mhchem sets it (an invisible difference at the end of a
/// formula).
const KNOWN_DIFFERENCES: [(&str, &str); 1] = [("1 mol ", "a trailing space is trimmed")];

/// The examples, read once by running mhchem's parser in Node.js over its own test page.
pub fn examples() -> &'static [Example] {
    static EXAMPLES: LazyLock<Vec<Example>> = LazyLock::new(read_examples);
    &EXAMPLES
}

fn read_examples() -> Vec<Example> {
    crate::support::ensure_tools();
    let npm = Command::new("npm")
        .args(["root", "--global"])
        .output()
        .expect("npm is needed; .ci/install-test-tools installs it");
    let root = PathBuf::from(String::from_utf8(npm.stdout).unwrap().trim()).join("mhchemparser");
    assert!(
        root.join("test/test-dist.html").is_file(),
        "mhchem's parser is needed at {}: .ci/install-test-tools installs it (npm install --global mhchemparser)",
        root.display()
    );
    // Each `test(type, input, expected)` line of the test page is a call; mhchem's parser writes
    // the LaTeX of each input, which must be the page's expected LaTeX.
    let script = r#"
        const fs = require("fs"), path = require("path");
        const root = process.argv[1];
        const { mhchemParser } = require(path.join(root, "dist/mhchemParser.js"));
        const out = [];
        const test = (mode, input, expected) => {
            const latex = mhchemParser.toTex(input, mode);
            if (latex !== expected) throw new Error("mhchem's own test fails: " + input);
            out.push({ mode, input, latex });
        };
        for (const line of fs.readFileSync(path.join(root, "test/test-dist.html"), "utf8").split("\n")) {
            if (line.startsWith("test(")) eval(line);
        }
        process.stdout.write(JSON.stringify(out));
    "#;
    let output = Command::new("node").arg("-e").arg(script).arg(&root).output().expect("Node.js runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let examples: Vec<Example> = json
        .iter()
        .map(|e| Example {
            mode: e["mode"].as_str().unwrap().into(),
            input: e["input"].as_str().unwrap().into(),
            latex: e["latex"].as_str().unwrap().into(),
        })
        .collect();
    // The manual's sections, from chemical equations to `\pu`: over a hundred examples.
    assert!(examples.len() > 100, "{} examples", examples.len());
    examples
}

/// The LaTeX revise writes for an example, as mhchem writes it.
fn ours(example: &Example) -> Option<Result<String, String>> {
    let mode = match example.mode.as_str() {
        "ce" => Mode::Ce,
        "pu" => Mode::Pu,
        _ => return None,
    };
    Some(chem::mhchem_latex(&example.input, mode))
}

#[test]
fn every_example_of_mhchems_manual_is_written_as_mhchem_writes_it() {
    let mut differ = Vec::new();
    for example in examples() {
        match ours(example) {
            None => {}
            Some(Ok(latex)) if latex == example.latex => {}
            Some(Ok(latex)) => differ.push(format!("{}: {latex}\n   mhchem: {}", example.input, example.latex)),
            Some(Err(error)) => differ.push(format!("{}: refused: {error}", example.input)),
        }
    }
    let known: Vec<&str> = KNOWN_DIFFERENCES.iter().map(|(input, _)| *input).collect();
    let unexpected: Vec<&String> =
        differ.iter().filter(|d| !known.iter().any(|k| d.starts_with(&format!("{k}:")))).collect();
    assert!(
        unexpected.is_empty(),
        "{} of {} examples differ:\n{}",
        unexpected.len(),
        examples().len(),
        differ.join("\n")
    );
    // The known differences are still there: when one is gone, its entry goes too.
    assert_eq!(differ.len(), KNOWN_DIFFERENCES.len(), "{differ:#?}");
}

#[test]
fn every_example_renders_as_mhchems_latex_renders() {
    let mut converter = Converter::new("en");
    let mut differ = Vec::new();
    for example in examples() {
        let source = match example.mode.as_str() {
            "ce" => format!("\\ce{{{}}}", example.input),
            "pu" => format!("\\pu{{{}}}", example.input),
            _ => example.input.clone(),
        };
        let span = |text: &str| Span::new(0, 0..text.len());
        let ours = converter.convert(&source, false, span(&source));
        // mhchem's LaTeX through the same pipeline: its macros lowered for math-core as revise's are.
        let reference = chem::for_math_core(&example.latex);
        let theirs = converter.convert(&reference, false, span(&reference));
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) if ours.mathml == theirs.mathml => {}
            (Ok(_), Ok(_)) => differ.push(format!("{}: the MathML differs", example.input)),
            (ours, theirs) => differ.push(format!(
                "{}: revise {:?}, mhchem's LaTeX {:?}",
                example.input,
                ours.err().map(|e| e.message),
                theirs.err().map(|e| e.message)
            )),
        }
    }
    let unexpected: Vec<&String> =
        differ.iter().filter(|d| !KNOWN_DIFFERENCES.iter().any(|(k, _)| d.starts_with(&format!("{k}:")))).collect();
    assert!(unexpected.is_empty(), "{}", differ.join("\n"));
}

/// A book with every example of mhchem's manual, inline where Markdown allows (an example with a
/// `$` of its own is a display equation in a `math` block).
pub fn manual_book() -> TestBook {
    let book = TestBook::empty();
    book.file("book.toml", crate::support::MANIFEST);
    let mut text = String::from("# Chemistry\n\nEvery example of mhchem's manual.\n\n");
    for (n, example) in examples().iter().enumerate() {
        let source = match example.mode.as_str() {
            "ce" => format!("\\ce{{{}}}", example.input),
            "pu" => format!("\\pu{{{}}}", example.input),
            _ => example.input.clone(),
        };
        if source.contains('$') {
            text.push_str(&format!("Example {}:\n\n```math\n{source}\n```\n\n", n + 1));
        } else {
            text.push_str(&format!("Example {}: ${source}$.\n\n", n + 1));
        }
    }
    book.file("chapters/01-chemistry.md", &text);
    book.file(
        "questions.md",
        "# Questions\n\n## Balance $\\ce{H2 + O2 -> H2O}$. (2 marks)\n\n### Model answer\n\n$\\ce{2H2 + O2 -> 2H2O}$\n",
    );
    book
}

#[test]
fn a_book_of_every_example_builds_in_every_edition() {
    let built = crate::fixtures::chemistry();
    // Every output, the Kindle and Kobo editions with every equation as an image.
    for suffix in [".pdf", "-teacher.pdf", "-worksheet.pdf", "-answers.pdf", ".epub", "-kindle.epub", ".kepub.epub"] {
        assert!(built.output(suffix).is_file(), "{suffix}");
    }
    let kindle = crate::epub::text_files(built.output("-kindle.epub"));
    let chapter = kindle.iter().find(|(name, _)| name.ends_with("chapter-1.xhtml")).map(|(_, text)| text).unwrap();
    let images = chapter.matches("<img class=\"math").count();
    assert_eq!(images, examples().len(), "one image for each example");
    assert!(!chapter.contains("<math"), "no MathML in the Kindle edition");
}
