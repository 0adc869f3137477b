//! Maths and chemistry: the physics example guide in every output, MathML with spoken alternative
//! text in the EPUB, MathJax delimiters in the TSV, dollars that stay prose, a diagnostic with its
//! place for each mistake, and typst's own parser proving that maths reaches typst only as maths.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use revise::{BuildOptions, Format};

use unicode_normalization::UnicodeNormalization;

use crate::epub::text_files;
use crate::support::{TestBook, pdf_text, rendered};

/// The physics example guide, every output, built once for every test that reads it.
fn physics() -> &'static [PathBuf] {
    &crate::fixtures::physics().report.outputs
}

fn output<'a>(outputs: &'a [PathBuf], suffix: &str) -> &'a Path {
    outputs.iter().find(|p| crate::support::output_is(p, suffix)).unwrap_or_else(|| panic!("no output ending {suffix}"))
}

#[test]
fn every_edition_shows_the_symbols_and_none_of_the_latex() {
    let outputs = physics();
    // Every output: five PDFs, the EPUB and its Kindle and Kobo editions, the TSV, Moodle, Anki.
    assert_eq!(outputs.len(), 11, "{outputs:?}");
    // Maths letters are the mathematical alphanumerics (U+1D400…); NFKC reads them as letters.
    let student: String = pdf_text(output(outputs, "reactions.pdf")).nfkc().collect();
    for symbol in ["√", "∑", "→", "⇌", "≈", "±", "∝", "≤", "λ", "Δ", "×", "∫", "↓", "↑"] {
        assert!(student.contains(symbol), "the student PDF lacks {symbol}");
    }
    // Prices stay prose, and so does an escaped dollar.
    for prose in ["$5 is a toy", "$20,000 is not", "so does $30"] {
        assert!(student.contains(prose), "the student PDF lacks {prose:?}");
    }
    for (suffix, text) in [
        ("reactions.pdf", student.clone()),
        ("-teacher.pdf", pdf_text(output(outputs, "-teacher.pdf"))),
        ("-worksheet.pdf", pdf_text(output(outputs, "-worksheet.pdf"))),
        ("-answers.pdf", pdf_text(output(outputs, "-answers.pdf"))),
        ("-flashcards.pdf", pdf_text(output(outputs, "-flashcards.pdf"))),
    ] {
        // The guide's prose has no backslash: any in a PDF is LaTeX that was not typeset.
        for source in ["\\", "frac", "mathrm", "\\ce", "$v", "$\\"] {
            assert!(!text.contains(source), "{suffix} shows {source:?}:\n{text}");
        }
    }
    // Every PDF claims PDF/UA-1, which needs alternative text on every equation: each Formula
    // element of the structure tree has its spoken form.
    for pdf in outputs.iter().filter(|p| p.extension().is_some_and(|e| e == "pdf")) {
        let (ok, json) = crate::support::tool("qpdf", &["--json=2", "--json-key=qpdf", pdf.to_str().unwrap()]);
        assert!(ok, "qpdf failed: {json}");
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        let formulas: Vec<&serde_json::Value> = json["qpdf"][1]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|object| object.get("value"))
            .filter(|value| value["/S"] == "/Formula")
            .collect();
        assert!(!formulas.is_empty(), "{}: no Formula element", pdf.display());
        for formula in formulas {
            let alt = formula["/Alt"].as_str().unwrap_or_default();
            assert!(alt.len() > 2 && !alt.contains('\\'), "{}: a formula's alt is {alt:?}", pdf.display());
        }
        let xmp = String::from_utf8_lossy(&std::fs::read(pdf).unwrap()).into_owned();
        assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{} claims no PDF/UA-1", pdf.display());
    }
    // The questions' maths reaches the worksheet and the answer key.
    let worksheet = pdf_text(output(outputs, "-worksheet.pdf"));
    assert!(crate::support::squash(&worksheet).contains("propanec3h8"), "{worksheet}");
    let key = pdf_text(output(outputs, "-answers.pdf"));
    // mhchem's reaction arrow is the long one, ⟶.
    assert!(key.contains("⟶") && key.contains("√"), "{key}");
}

#[test]
fn the_epub_has_mathml_with_spoken_alternative_text() {
    let outputs = physics();
    let files = text_files(output(outputs, ".epub"));
    let opf = &files["OEBPS/content.opf"];
    let mut equations = 0;
    for (name, xhtml) in &files {
        if !name.ends_with(".xhtml") || name.ends_with("nav.xhtml") {
            continue;
        }
        let file = name.trim_start_matches("OEBPS/");
        let item = opf.lines().find(|l| l.contains(&format!("href=\"{file}\""))).unwrap();
        assert_eq!(xhtml.contains("<math "), item.contains("properties=\"mathml\""), "{name}: {item}");
        for math in xhtml.split("<math ").skip(1) {
            equations += 1;
            let open = &math[..math.find('>').unwrap()];
            assert!(open.contains("xmlns=\"http://www.w3.org/1998/Math/MathML\""), "{open}");
            let alt = open.split("alttext=\"").nth(1).and_then(|a| a.split('"').next()).unwrap_or_default();
            assert!(!alt.trim().is_empty(), "{name}: an equation without alttext: {open}");
            // Spoken words, not LaTeX.
            assert!(!alt.contains('\\'), "{name}: {alt}");
        }
    }
    assert!(equations > 100, "{equations} equations");
    assert!(files["OEBPS/chapter-1.xhtml"].contains("alttext=\"v is equal to s over t\""));
    assert!(opf.contains(">MathML</meta>") && opf.contains(">describedMath</meta>"));
    // Headings show a plain-text form in the navigation.
    assert!(files["OEBPS/nav.xhtml"].contains("second law and F = ma"), "{}", files["OEBPS/nav.xhtml"]);
}

#[test]
fn the_tsv_carries_maths_for_anki() {
    let outputs = physics();
    let tsv = std::fs::read_to_string(output(outputs, ".tsv")).unwrap();
    assert!(tsv.contains("\\(E_k = \\frac{1}{2}mv^2\\)"), "{tsv}");
    assert!(tsv.contains("\\(\\ce{CH4 + 2O2 -> CO2 + 2H2O}\\)"), "{tsv}");
    assert!(!tsv.contains('$'), "{tsv}");
}

#[test]
fn dollars_that_are_not_maths_stay_prose() {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\nA pen costs $5 and a book $10.\n\nNot maths: $ x $.\n\nNor \\$y\\$.\n\nNor `$z$`.\n\nMaths: $a$.\n",
    );
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = pdf_text(&book.pdf("test-guide"));
    for prose in ["A pen costs $5 and a book $10.", "$ x $", "$y$", "$z$"] {
        assert!(text.contains(prose), "{prose:?} is not prose:\n{text}");
    }
    assert!(!text.contains("$a$"), "{text}");

    // With `math = false`, every dollar is text.
    book.file("book.toml", &format!("{}math = false\n", crate::support::MANIFEST));
    book.file("chapters/01-one.md", "# One\n\nPrices: $x$ and $$\\frac{a}{b}$$.\n\n```math\ny\n```\n");
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = pdf_text(&book.pdf("test-guide"));
    assert!(text.contains("$x$ and $$\\frac{a}{b}$$"), "{text}");
}

#[test]
fn each_mistake_is_an_error_at_its_place() {
    // Each piece of maths, the part of it the error points at, and words of its hint.
    let cases = [
        ("$a + \\foo{b}$", "\\foo", "unknown command"),
        ("$\\frac{a}{b$", "{b", "never closed"),
        ("$x + {y$", "{y", "never closed"),
        ("$\\begin{pmatrix} a$", "\\begin", "\\end"),
        ("$a \\right)$", "\\right", "closes nothing"),
        ("$\\left( a$", "\\left", "\\right"),
        ("$\\begin{pmatrx} a \\end{pmatrx}$", "{pmatrx}", "environment"),
        // math-core refuses what mhchem passes through: the error stands at the whole `\ce`.
        ("$\\ce{H2 & O}$", "\\ce", "&"),
        ("$\\ce{H2O$", "{H2O", "never closed"),
        ("$x\u{1}$", "\u{1}", "U+0001"),
    ];
    for (maths, at, hint) in cases {
        let book = TestBook::minimal();
        book.file("chapters/01-one.md", &format!("# One\n\nText {maths} here.\n"));
        let report = book.check();
        assert!(report.failed(), "{maths} passed");
        let text = rendered(&report);
        // The maths is on line 3, after "Text ".
        let line = 3;
        let column = "Text ".len() + maths.find(at).unwrap() + 1;
        assert!(
            text.contains(&format!("chapters/01-one.md:{line}:{column}")),
            "{maths}: not at {line}:{column}:\n{text}"
        );
        assert!(text.contains(hint), "{maths}: no {hint:?} in\n{text}");
        assert!(!text.contains("typst"), "{maths}: {text}");
    }
}

#[test]
fn deep_or_huge_maths_fails_cleanly() {
    for maths in [
        format!("${}x{}$", "{".repeat(3000), "}".repeat(3000)),
        format!("${}x{}$", "\\left(".repeat(200), "\\right)".repeat(200)),
        format!("${}x$", "\\sqrt".repeat(700)),
        format!("${}x$", "x^".repeat(1500)),
    ] {
        let book = TestBook::minimal();
        book.file("chapters/01-one.md", &format!("# One\n\n{maths}\n"));
        let report = book.check();
        assert!(report.failed(), "{}", &maths[..40]);
        assert!(rendered(&report).contains("chapters/01-one.md:3:"), "{}", rendered(&report));
    }
}

#[test]
fn hostile_maths_prints_literally() {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\nRead $\\text{#read(\"/etc/passwd\")}$ and $\\text{#set page(width: 1cm)} \\# x$ and $\\text{@ref <l>}$.\n",
    );
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = pdf_text(&book.pdf("test-guide"));
    assert!(text.contains("#read(") && text.contains("/etc/passwd"), "{text}");
    assert!(text.contains("#set page(width: 1cm)"), "{text}");
    assert!(!text.contains("root:"), "{text}");
    let pages = crate::support::pdf_info(&book.pdf("test-guide"));
    assert!(pages.contains("595.276 x 841.89 pts (A4)"), "{pages}");
}

/// LaTeX-like text: commands, braces, scripts, environments and the characters typst, XML and
/// Markdown give a meaning, in any order.
fn maths() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "x",
        "2",
        "\\frac",
        "\\sqrt",
        "{",
        "}",
        "^",
        "_",
        "\\left(",
        "\\right)",
        "\\begin{pmatrix}",
        "\\end{pmatrix}",
        "\\begin{cases}",
        "\\end{cases}",
        "\\begin{aligned}",
        "\\end{aligned}",
        "&",
        "\\\\",
        "\\text{",
        "\\mathrm{",
        "\\ce{",
        "H2O",
        "->",
        "^2-",
        "(aq)",
        "\\vec",
        "\\sum",
        "\\lim",
        "\\int",
        "\\alpha",
        "\\,",
        "#",
        "\"",
        "<",
        ">",
        "@",
        "*",
        "/",
        "[",
        "]",
        ";",
        ",",
        "\\#",
        "\\$",
        "read(\"/etc/passwd\")",
        "#set page(width: 1cm)",
        "\\u{41}",
        "Ω",
        "日本",
        "\u{202e}",
        " ",
        "+",
        "=",
        "|",
        "'",
        "\\foo",
    ]);
    prop::collection::vec(pieces, 1..16).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever the maths, either it is an error with a place, or typst's parser finds in the
    /// equation revise writes only escapes, strings and the maths functions it calls.
    #[test]
    fn maths_reaches_typst_only_as_maths(latex in maths(), display in any::<bool>()) {
        let mut converter = revise::math::Converter::new("en");
        if let Ok(math) = converter.convert(&latex, display, revise::source::Span::new(0, 0..latex.len())) {
            let code = revise::layout::math::equation(&math);
            let found = revise::render::pdf::structure::markup_structures(&format!("Text {code} text"));
            prop_assert!(found.is_empty(), "{latex:?} gave {code}: {found:?}");
        }
    }
}

#[test]
fn a_space_at_the_end_of_a_cell_keeps_its_row() {
    // typst reads a `;` right after embedded code as the code's end; a cell that ends in a space
    // (`#std.h(…)`) must not take the row separator with it. Found in review.
    let mut converter = revise::math::Converter::new("en");
    for (latex, rows) in [("\\begin{pmatrix} a & b\\quad \\\\ c & d \\end{pmatrix}", 2), ("\\binom{n\\,}{k}", 2)] {
        let math = converter.convert(latex, true, revise::source::Span::new(0, 0..latex.len())).unwrap();
        let code = revise::layout::math::equation(&math);
        let root = typst_syntax::parse(&code);
        let mut stack = vec![typst_syntax::LinkedNode::new(&root)];
        let mut separators = 0;
        while let Some(node) = stack.pop() {
            if node.kind() == typst_syntax::SyntaxKind::Semicolon
                && node.parent_kind() == Some(typst_syntax::SyntaxKind::MathArgs)
            {
                separators += 1;
            }
            stack.extend(node.children());
        }
        assert_eq!(separators, rows - 1, "{latex}: {code}");
    }
}

#[test]
fn random_maths_builds_in_every_edition() {
    // The property above proves the structure; this sets a run of its maths in every edition, so
    // that typst itself lays out what the lowering writes.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut converter = revise::math::Converter::new("en");
    let mut accepted = Vec::new();
    while accepted.len() < 120 {
        let latex = maths().new_tree(&mut runner).unwrap().current();
        if latex.contains('$') || latex.contains('\n') || latex.contains('`') {
            continue;
        }
        if converter.convert(&latex, false, revise::source::Span::new(0, 0..latex.len())).is_ok() {
            accepted.push(latex);
        }
    }
    let book = TestBook::minimal();
    let inline: Vec<String> = accepted.iter().map(|l| format!("${l}$")).collect();
    let display: Vec<String> = accepted.iter().take(40).map(|l| format!("$${l}$$")).collect();
    book.file(
        "chapters/01-one.md",
        &format!("# One\n\nTerm\n: {}\n\n{}\n\n{}\n", inline[0], inline.join(" and "), display.join("\n\n")),
    );
    book.file(
        "questions.md",
        &format!("# Q\n\n## Find {} (2 marks)\n\n{}\n\n### Model answer\n\n{}\n", inline[1], inline[2], display[0]),
    );
    let options = BuildOptions { formats: Format::all(), ..BuildOptions::default() };
    let report = revise::build(book.path(), &options);
    assert!(!report.failed(), "{}", rendered(&report));
    assert_eq!(report.outputs.len(), 11, "{:?}", report.outputs);
}

#[test]
fn every_listed_command_converts() {
    // The README's list of what revise reads, each in an equation of its own.
    let commands = [
        "\\frac{a}{b}",
        "\\dfrac{a}{b}",
        "\\tfrac{a}{b}",
        "\\binom{n}{k}",
        "\\sqrt{x}",
        "\\sqrt[3]{x}",
        "x_1^2",
        "\\alpha\\omega\\Gamma\\Omega",
        "\\infty",
        "\\partial",
        "\\nabla",
        "\\hbar",
        "f'",
        "\\times",
        "\\div",
        "\\pm",
        "\\cdot",
        "\\leq",
        "\\geq",
        "\\neq",
        "\\approx",
        "\\equiv",
        "\\propto",
        "\\sim",
        "\\rightarrow",
        "\\Rightarrow",
        "\\leftrightarrow",
        "\\rightleftharpoons",
        "\\to",
        "\\in",
        "\\subset",
        "\\cup",
        "\\cap",
        "\\therefore",
        "\\sum_{i=1}^{n} i",
        "\\prod_{i} x",
        "\\int_0^1 x",
        "\\oint E",
        "\\lim_{x \\to 0} x",
        "\\sin x",
        "\\cos x",
        "\\log x",
        "\\ln x",
        "\\operatorname{sgn} x",
        "\\vec{v}",
        "\\bar{x}",
        "\\hat{y}",
        "\\dot{x}",
        "\\ddot{x}",
        "\\tilde{x}",
        "\\overline{AB}",
        "\\underline{x}",
        "\\overset{a}{=}",
        "\\underset{a}{=}",
        "\\xrightarrow{heat}",
        "\\text{words}",
        "\\mathrm{kg}",
        "\\mathbf{F}",
        "\\mathit{x}",
        "\\mathsf{x}",
        "\\mathcal{L}",
        "\\mathbb{R}",
        "a\\,b\\:c\\;d\\quad e\\qquad f",
        "\\left( x \\right)",
        "\\left[ x \\right]",
        "\\left\\{ x \\right\\}",
        "\\left| x \\right|",
        "\\left\\langle x \\right\\rangle",
        "\\left. x \\right|",
        "\\left( a \\middle| b \\right)",
        "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
        "\\begin{bmatrix} 1 \\end{bmatrix}",
        "\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix}",
        "\\begin{matrix} a \\end{matrix}",
        "\\begin{aligned} a &= b \\\\ &= c \\end{aligned}",
        "\\begin{cases} 1 & x > 0 \\\\ 0 & x \\leq 0 \\end{cases}",
        "\\begin{gathered} a \\\\ b \\end{gathered}",
        "\\begin{array}{cc} a & b \\end{array}",
        "9.8\\,\\mathrm{m\\,s^{-2}}",
        "90^\\circ",
        "20\\,^{\\circ}\\mathrm{C}",
        "5\\degree",
        "\\ce{H2SO4}",
        "\\ce{Ca(OH)2}",
        "\\ce{CuSO4.5H2O}",
        "\\ce{2H2O}",
        "\\ce{Na+}",
        "\\ce{SO4^2-}",
        "\\ce{Fe^{3+}}",
        "\\ce{NaCl(aq)}",
        "\\ce{^{14}_{6}C}",
        "\\ce{e-}",
        "\\ce{A -> B <- C <-> D <=> E}",
        "\\ce{N2 + 3H2 <=>[Fe] 2NH3}",
        "\\ce{A ->[heat] B}",
        "\\ce{CO2 ^}",
        "\\ce{BaSO4 v}",
        "\\ce{CH3-CH3}",
        "\\ce{CH2=CH2}",
        "\\ce{HC#CH}",
    ];
    let mut converter = revise::math::Converter::new("en");
    for latex in commands {
        let result = converter.convert(latex, true, revise::source::Span::new(0, 0..latex.len()));
        assert!(result.is_ok(), "{latex}: {:?}", result.err());
    }
    // And typst lays each of them out.
    let book = TestBook::minimal();
    let body: Vec<String> = commands.iter().map(|c| format!("${c}$ and\n\n$${c}$$")).collect();
    book.file("chapters/01-one.md", &format!("# One\n\n{}\n", body.join("\n\n")));
    let report = revise::build(
        book.path(),
        &BuildOptions { formats: vec![Format::named("pdf").unwrap()], ..BuildOptions::default() },
    );
    assert!(!report.failed(), "{}", rendered(&report));
}
