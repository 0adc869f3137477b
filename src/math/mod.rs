//! Equations: LaTeX maths read once, when the book is read, into MathML with a spoken and a
//! plain-text form. The back ends only read the result.
//!
//! math-core turns the LaTeX into MathML Core; it is one small parser with no macro engine, so
//! maths can define nothing and run nothing, and its errors carry byte ranges. `\ce{…}` is
//! rewritten first (see [`chem`]). The MathML tree is then what every output is made from: the EPUB
//! writes it out, the PDF lowers it to typst maths (`pdf/math.rs`), and its spoken form from
//! MathCAT is the alternative text of both.

pub mod chem;
mod speech;
pub mod tree;

use std::ops::Range;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

use crate::diagnostics::Span;
pub use tree::MathNode;

/// Forgets the spoken forms of the equations built so far in this process (which `revise watch`
/// keeps between rebuilds), as a benchmark of a cold build needs.
pub fn forget_spoken() {
    speech::forget();
}

/// The most bytes of LaTeX one equation may have.
pub const MAX_LENGTH: usize = 4000;
/// How deeply braces, `\left…\right` and environments may nest in one equation, and how deep
/// its MathML may be; more is refused, so that no reader of the tree runs out of stack.
pub const MAX_DEPTH: usize = 48;

/// An equation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Math {
    /// The LaTeX as written between the delimiters.
    pub latex: String,
    /// True for display maths (`$$…$$` or a `math` block), set on a line of its own.
    pub display: bool,
    /// The MathML: a `<math>` element.
    pub mathml: MathNode,
    /// What a screen reader says, the alternative text: see [`Math::speech`].
    pub spoken: speech::Spoken,
    /// A plain-text form, such as `v = s/t`, for outlines, navigation and sorting.
    pub text: String,
    /// Where the LaTeX is in the source.
    pub span: Span,
}

impl Math {
    /// Returns what a screen reader says for the equation, its alternative text. (MathCAT speaks
    /// it on another thread while the book is read; this waits for it, which a back end, running
    /// after the whole book is read, seldom does.)
    pub fn speech(&self) -> &str {
        self.spoken.wait()
    }
}

/// A problem in an equation's LaTeX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    /// The bytes of the LaTeX that are wrong.
    pub range: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// The short label under the source.
    pub label: String,
    /// How to put it right.
    pub hint: String,
}

impl MathError {
    fn new(range: Range<usize>, message: impl Into<String>, label: &str, hint: &str) -> Self {
        Self { range, message: message.into(), label: label.into(), hint: hint.into() }
    }
}

/// Converts the equations of one book.
pub struct Converter {
    mathml: LatexToMathML,
    language: &'static str,
    speaker: speech::Speaker,
}

impl std::fmt::Debug for Converter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Converter").field("language", &self.language).finish()
    }
}

const README_HINT: &str = "the README's \"Maths and chemistry\" section lists the commands revise reads";

impl Converter {
    /// Creates a converter whose spoken forms are in `language`, a lowercase language subtag
    /// (English where MathCAT has no rules for it).
    pub fn new(language: &str) -> Self {
        let config = MathCoreConfig { xml_namespace: true, ..Default::default() };
        let mathml = LatexToMathML::new(config).expect("no macros are defined, so none can fail");
        let language = speech::speech_language(language);
        Self { mathml, language, speaker: speech::Speaker::new(language) }
    }

    /// Converts one equation; `span` is where its LaTeX is in the source.
    pub fn convert(&mut self, latex: &str, display: bool, span: Span) -> Result<Math, MathError> {
        let (mathml, source, text) = self.convert_parts(latex, display)?;
        let spoken = self.speaker.speak(&source, &text);
        Ok(Math { latex: latex.to_string(), display, mathml, spoken, text, span })
    }

    /// Returns the equation's MathML tree, the MathML as math-core wrote it (which MathCAT reads)
    /// and its plain text.
    fn convert_parts(&self, latex: &str, display: bool) -> Result<(MathNode, String, String), MathError> {
        if latex.trim().is_empty() {
            return Err(MathError::new(
                0..latex.len(),
                "this equation is empty",
                "empty",
                "write the maths between the dollar signs, or `\\$` for a dollar sign",
            ));
        }
        if latex.len() > MAX_LENGTH {
            return Err(MathError::new(
                0..latex.len(),
                format!("this equation is {} bytes long; at most {MAX_LENGTH} are allowed", latex.len()),
                "too long",
                "split it into several equations",
            ));
        }
        if let Some((at, c)) = latex.char_indices().find(|&(_, c)| unprintable(c)) {
            return Err(MathError::new(
                at..at + c.len_utf8(),
                format!("maths cannot hold the character U+{:04X}", u32::from(c)),
                "not a printable character",
                "delete it; it is invisible, and no PDF or EPUB may hold it",
            ));
        }
        check_nesting(latex)?;
        let expanded = chem::expand(latex).map_err(|e| {
            MathError::new(
                e.range,
                e.message,
                "not understood",
                "the README's \"Maths and chemistry\" section shows what `\\ce` reads",
            )
        })?;
        let mode = if display { MathDisplay::Block } else { MathDisplay::Inline };
        // math-core is young: a panic in it is reported as an error in the equation, not a crash.
        let mathml = &self.mathml;
        let converted = std::panic::catch_unwind(|| mathml.convert_with_local_state(&expanded.latex, mode));
        let result = match converted {
            Ok(Ok(result)) => result,
            Ok(Err(error)) => {
                let range = expanded.source_range(error.0.clone());
                let range = range.start.min(latex.len())..range.end.min(latex.len());
                let label = error.label();
                let hint = match label {
                    "unknown command" => {
                        "check the spelling; for words inside maths write `\\text{…}`; ".to_string() + README_HINT
                    }
                    "unknown environment" => {
                        "revise reads pmatrix, bmatrix, vmatrix, matrix, aligned, cases, gathered and array".into()
                    }
                    "a group was never closed" | "no matching opening for this" => {
                        "every `{` needs a `}`, every `\\left` a `\\right` and every `\\begin{…}` its `\\end{…}`".into()
                    }
                    _ => README_HINT.into(),
                };
                let message = error.error_message();
                let message = message.trim_end_matches('.');
                return Err(MathError::new(range, format!("maths: {message}"), label, &hint));
            }
            Err(_) => {
                return Err(MathError::new(
                    0..latex.len(),
                    "this equation could not be read",
                    "not understood",
                    README_HINT,
                ));
            }
        };
        let tree = tree::parse(&result.mathml).filter(|tree| tree.name() == "math").ok_or_else(|| {
            MathError::new(0..latex.len(), "this equation could not be read", "not understood", README_HINT)
        })?;
        if tree.depth() > 2 * MAX_DEPTH {
            return Err(too_deep(0..latex.len()));
        }
        let tree = tree::normalize(tree);
        let text = plain_text(&tree);
        Ok((tree, result.mathml, text))
    }
}

/// Returns true for a character no output may hold: a control character other than a tab or line
/// break (XML 1.0 forbids them), a noncharacter, or the byte order mark.
fn unprintable(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

fn too_deep(range: Range<usize>) -> MathError {
    MathError::new(
        range,
        format!("this equation nests more than {MAX_DEPTH} levels deep"),
        "nested too deeply",
        "split it into several equations",
    )
}

/// Refuses maths whose groups nest too deeply, before the parser recurses into it, and points at
/// the opening of a group that is never closed (`{`, `\left`, `\begin`) or the closing of one never
/// opened, which the parser would find only at the end.
fn check_nesting(latex: &str) -> Result<(), MathError> {
    let unbalanced = |range: Range<usize>, message: &str, label: &str| {
        MathError::new(
            range,
            message,
            label,
            "every `{` needs a `}`, every `\\left` a `\\right` and every `\\begin{…}` its `\\end{…}`",
        )
    };
    // The groups open at each point: what closes them, and where they start.
    let mut open: Vec<(&str, Range<usize>)> = Vec::new();
    let mut chars = latex.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = i + c.len_utf8();
        match c {
            // A comment runs to the end of the line, as math-core reads it.
            '%' => {
                for (_, n) in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
            }
            '\\' => {
                // A command: a run of letters, or one other character (`\{`, `\\`).
                end = i + 1;
                while let Some(&(j, n)) = chars.peek() {
                    if n.is_ascii_alphabetic() {
                        end = j + 1;
                        chars.next();
                    } else {
                        if end == i + 1 {
                            end = j + n.len_utf8();
                            chars.next();
                        }
                        break;
                    }
                }
                match &latex[i + 1..end] {
                    "left" => open.push(("\\right", i..end)),
                    "begin" => open.push(("\\end", i..end)),
                    closer @ ("right" | "end") => match open.pop() {
                        Some((expected, _)) if expected[1..] == *closer => {}
                        Some((expected, range)) => {
                            return Err(unbalanced(
                                range,
                                &format!("this group is closed by `\\{closer}`, not `{expected}`"),
                                "never closed",
                            ));
                        }
                        None => {
                            return Err(unbalanced(
                                i..end,
                                &format!("this `\\{closer}` closes nothing"),
                                "nothing to close",
                            ));
                        }
                    },
                    _ => {}
                }
            }
            '{' => open.push(("}", i..end)),
            '}' => match open.pop() {
                Some(("}", _)) => {}
                Some((expected, range)) => {
                    return Err(unbalanced(
                        range,
                        &format!("this group is closed by `}}`, not `{expected}`"),
                        "never closed",
                    ));
                }
                None => return Err(unbalanced(i..end, "this `}` closes nothing", "nothing to close")),
            },
            _ => {}
        }
        if open.len() > MAX_DEPTH {
            return Err(too_deep(i..end));
        }
    }
    match open.pop() {
        Some((expected, range)) => {
            let what = &latex[range.clone()];
            Err(unbalanced(range, &format!("this `{what}` is never closed by `{expected}`"), "never closed"))
        }
        None => Ok(()),
    }
}

/// Returns a plain-text form of MathML, such as `v = s/t` or `x² + 1`.
pub fn plain_text(node: &MathNode) -> String {
    let mut out = String::new();
    linear(node, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn linear(node: &MathNode, out: &mut String) {
    let child = |i: usize| node.children().get(i).map(plain_text).unwrap_or_default();
    let grouped = |text: String| if text.chars().count() > 1 { format!("({text})") } else { text };
    match node.name() {
        "" => {
            // Invisible operators (function application, times, separator, plus) say nothing.
            let text = node.shown_text();
            out.push_str(&text);
        }
        "mo" => {
            let text = node.shown_text();
            if matches!(
                text.as_str(),
                "=" | "+" | "−" | "-" | "×" | "÷" | "±" | "→" | "⇌" | "≈" | "≠" | "≤" | "≥" | "<" | ">" | "∝"
            ) && !out.is_empty()
            {
                out.push_str(&format!(" {text} "));
            } else {
                out.push_str(&text);
            }
        }
        "mfrac" => out.push_str(&format!("{}/{}", grouped(child(0)), grouped(child(1)))),
        "msqrt" => out.push_str(&format!("√{}", grouped(node.children().iter().map(plain_text).collect()))),
        "mroot" => out.push_str(&format!("{}√{}", child(1), grouped(child(0)))),
        "msup" => out.push_str(&format!("{}{}", child(0), superscript(&child(1)))),
        "msub" => out.push_str(&format!("{}{}", child(0), subscript(&child(1)))),
        "msubsup" => out.push_str(&format!("{}{}{}", child(0), subscript(&child(1)), superscript(&child(2)))),
        "munder" => out.push_str(&format!("{}{}", child(0), subscript(&child(1)))),
        "mover" if node.attr("accent") == Some("true") => out.push_str(&child(0)),
        "mover" => out.push_str(&format!("{}{}", child(0), superscript(&child(1)))),
        "munderover" => out.push_str(&format!("{}{}{}", child(0), subscript(&child(1)), superscript(&child(2)))),
        "mmultiscripts" => {
            // The base, pairs of subscript and superscript after it, `<mprescripts/>`, pairs before.
            let parts: Vec<String> = node.children().iter().map(plain_text).collect();
            let split = node.children().iter().position(|c| c.name() == "mprescripts").unwrap_or(parts.len());
            let scripts = |pairs: &[String]| {
                pairs
                    .chunks(2)
                    .map(|p| format!("{}{}", superscript(p.get(1).map_or("", |s| s)), subscript(&p[0])))
                    .collect::<String>()
            };
            let before = scripts(parts.get(split + 1..).unwrap_or(&[]));
            let after = scripts(parts.get(1..split).unwrap_or(&[]));
            out.push_str(&format!("{before}{}{after}", parts.first().map_or("", |s| s)));
        }
        "mprescripts" => {}
        "mtable" => {
            let rows: Vec<String> = node.children().iter().map(plain_text).collect();
            out.push_str(&rows.join("; "));
        }
        "mtd" => {
            out.push_str(&node.children().iter().map(plain_text).collect::<String>());
            out.push(' ');
        }
        "mspace" if node.attr("width").is_some() => out.push(' '),
        "mspace" => {}
        "annotation" | "annotation-xml" | "mphantom" => {}
        _ => node.children().iter().for_each(|c| linear(c, out)),
    }
}

fn superscript(text: &str) -> String {
    const FROM: &str = "0123456789+-−=()n";
    const TO: [char; 17] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹', '⁺', '⁻', '⁻', '⁼', '⁽', '⁾', 'ⁿ'];
    scripted(text, FROM, &TO, '^')
}

fn subscript(text: &str) -> String {
    const FROM: &str = "0123456789+-−=()";
    const TO: [char; 16] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉', '₊', '₋', '₋', '₌', '₍', '₎'];
    scripted(text, FROM, &TO, '_')
}

fn scripted(text: &str, from: &str, to: &[char], mark: char) -> String {
    let mapped: Option<String> = text.chars().map(|c| from.chars().position(|f| f == c).map(|i| to[i])).collect();
    match mapped {
        _ if text.is_empty() => String::new(),
        Some(mapped) => mapped,
        _ if text.chars().count() == 1 => format!("{mark}{text}"),
        _ => format!("{mark}({text})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(latex: &str) -> Result<(MathNode, String, String), MathError> {
        Converter::new("en").convert_parts(latex, false)
    }

    fn speak(latex: &str) -> String {
        let math = Converter::new("en").convert(latex, false, Span::new(0, 0..latex.len())).unwrap();
        math.speech().to_string()
    }

    #[test]
    fn plain_text_reads_like_the_maths() {
        assert_eq!(convert("v = \\frac{s}{t}").unwrap().2, "v = s/t");
        assert_eq!(convert("x^2 + 1").unwrap().2, "x² + 1");
        assert_eq!(convert("\\ce{H2O}").unwrap().2, "H₂O");
    }

    #[test]
    fn speech_is_words() {
        assert_eq!(speak("v = \\frac{s}{t}"), "v is equal to s over t");
        // An equation written twice is spoken once, and the same.
        let mut converter = Converter::new("en");
        let span = Span::new(0, 0..1);
        let first = converter.convert("x^2", false, span.clone()).unwrap();
        let second = converter.convert("x^2", false, span).unwrap();
        assert!(std::sync::Arc::ptr_eq(&first.spoken, &second.spoken));
        assert_eq!(second.speech(), "x squared");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = "{".repeat(5000) + "x" + &"}".repeat(5000);
        assert_eq!(convert(&deep).unwrap_err().label, "too long");
        let deep = "{".repeat(1000) + "x" + &"}".repeat(1000);
        assert_eq!(convert(&deep).unwrap_err().label, "nested too deeply");
        let roots = "\\sqrt".repeat(700) + "x";
        assert!(convert(&roots).is_err());
    }

    #[test]
    fn errors_are_placed_on_the_command() {
        let error = convert("a + \\foo{b}").unwrap_err();
        assert_eq!(error.range, 4..8);
        assert_eq!(error.label, "unknown command");
        let error = convert("\\begin{pmatrix} a").unwrap_err();
        assert_eq!((error.range, error.label.as_str()), (0..6, "never closed"));
        assert!(convert("a % {note").is_ok());
        assert_eq!(convert("x\u{1}").unwrap_err().range, 1..2);
        let error = convert("\\frac{a}").unwrap_err();
        assert!(error.message.starts_with("maths:"), "{error:?}");
    }
}
