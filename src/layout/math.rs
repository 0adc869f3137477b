//! Equations for typst: the MathML tree lowered to typst maths, for the PDFs' bodies and for the
//! e-reader editions' equation images ([`super::math_images`]).
//!
//! Every character of the author's reaches typst as an escape (`\u{78}`) or inside a string
//! literal (`"kg"`); the only names written are the maths functions below, and the only code is
//! `#h(…)` with a number, `#none` and `#true`. So maths can call nothing, and a test parses what
//! this writes with typst's own parser to prove it (`tests/testsuite/math.rs`).

use std::fmt::Write;

use super::escape;
use crate::math::{Math, MathNode};

/// Every name the lowering writes inside an equation: `std`, `math`, the maths functions, `h`,
/// `hide`, `class` and `box`, and the names of the arguments it gives them.
pub const NAMES: [&str; 33] = [
    "std", "math", "accent", "attach", "cancel", "cases", "class", "display", "frac", "inline", "limits", "lr", "mat",
    "op", "root", "scripts", "sqrt", "upright", "h", "hide", "delim", "b", "t", "equation", "block", "alt", "tl", "bl",
    "tr", "br", "box", "cross", "inverted",
];

/// Returns what typst's parser finds in the equation at `node` that the lowering never writes:
/// any kind of syntax but escapes, strings and calls of [`NAMES`] with their arguments, or any
/// other name. Author text that typst read as anything but text would show up here; tests and
/// fuzzing call it through [`crate::layout::escape::markup_structures`].
pub fn foreign_structures(node: &typst::syntax::LinkedNode<'_>) -> Vec<String> {
    use typst::syntax::SyntaxKind as K;
    let mut found = Vec::new();
    let mut stack = vec![node.clone()];
    while let Some(node) = stack.pop() {
        let allowed = match node.kind() {
            K::Equation
            | K::Math
            | K::Dollar
            | K::Space
            | K::Escape
            | K::Str
            | K::FuncCall
            | K::FieldAccess
            | K::MathCall
            | K::MathArgs
            | K::MathFieldAccess
            | K::Args
            | K::LeftParen
            | K::RightParen
            | K::Comma
            | K::Semicolon
            | K::Named
            | K::Colon
            | K::Hash
            | K::None
            | K::Bool
            | K::Numeric
            | K::Dot
            | K::MathAlignPoint
            | K::Linebreak => true,
            K::MathIdent | K::Ident => NAMES.contains(&node.get().leaf_text().as_str()),
            _ => false,
        };
        if !allowed {
            found.push(format!("{:?} {:?} in an equation", node.kind(), node.get().full_text()));
        }
        stack.extend(node.children());
    }
    found
}

/// Returns the typst code of an equation, with its spoken form as the alternative text.
pub fn equation(math: &Math) -> String {
    let equation = equation_call(math);
    // A short equation in a line of text is kept whole, as a word is: `F ∝ a` never breaks
    // after the ∝. A longer one may break after a relation or operator, as TeX breaks it.
    if !math.display && math.text.chars().count() <= SHORT {
        format!("#std.box({equation});")
    } else {
        format!("#{equation};")
    }
}

/// Returns the call of typst's `math.equation` for an equation, with its spoken form as the
/// alternative text: display or inline as the equation is.
pub fn equation_call(math: &Math) -> String {
    let body = lower_children(math.mathml.children(), math.display);
    let alt = escape::string(math.speech());
    format!("std.math.equation(block: {}, alt: {alt}, ${body}$.body)", math.display)
}

/// The most characters of plain text an equation in a line may have to be kept on one line.
const SHORT: usize = 24;

fn lower_children(children: &[MathNode], top: bool) -> String {
    // A table that is the whole of a display equation is a set of aligned lines, as typst's
    // alignment points (`&`) and line breaks (`\`) set them.
    if top && let [only] = children {
        let only = unstyled(only);
        if only.name() == "mtable" && is_aligned(only) {
            return aligned_rows(only);
        }
        if only.name() == "mrow"
            && let [inner] = only.children()
        {
            let inner = unstyled(inner);
            if inner.name() == "mtable" && is_aligned(inner) {
                return aligned_rows(inner);
            }
        }
    }
    let parts: Vec<String> = children.iter().map(lower).filter(|p| !p.is_empty()).collect();
    parts.join(" ")
}

/// Returns the lowering of one node; empty for a node that shows nothing.
fn lower(node: &MathNode) -> String {
    let children = node.children();
    let arg = |i: usize| or_nothing(children.get(i).map(lower).unwrap_or_default());
    let all = || or_nothing(lower_children(children, false));
    match node.name() {
        "" => text(&node.text()),
        "mi" => {
            let content = node.text();
            if content.chars().count() == 1 {
                let escaped = chars(&content);
                if node.attr("mathvariant") == Some("normal") {
                    format!("std.math.upright({escaped})")
                } else {
                    escaped
                }
            } else if content.is_empty() {
                String::new()
            } else {
                // A name such as `kg` or `Na`: its letters set upright as maths, side by side.
                format!("std.math.upright({})", chars(&content))
            }
        }
        "mn" | "mtext" | "ms" => {
            let content = node.text();
            if content.is_empty() { String::new() } else { escape::string(&content) }
        }
        "mo" => {
            let shown = node.shown_text();
            match shown.chars().count() {
                0 => String::new(),
                // A bar on its own is a bracket, not a relation: no space around it.
                1 if matches!(shown.as_str(), "|" | "‖") => format!("std.math.class(\"normal\", {})", chars(&shown)),
                1 => chars(&shown),
                _ => format!("std.math.op({})", escape::string(&shown)),
            }
        }
        "mspace" => match node.attr("width").and_then(em) {
            Some(width) => format!("#std.h({width}em)"),
            None => String::new(),
        },
        "mfrac" => {
            let frac = if node.attr("linethickness").is_some_and(|t| t.trim_start_matches('0').is_empty()) {
                format!("std.math.mat(delim: #none, {} ; {})", arg(0), arg(1))
            } else {
                format!("std.math.frac({}, {})", arg(0), arg(1))
            };
            styled(node, frac)
        }
        "msqrt" => format!("std.math.sqrt({})", all()),
        "mroot" => format!("std.math.root({}, {})", arg(1), arg(0)),
        "msub" => format!("std.math.attach(std.math.scripts({}), b: {})", arg(0), arg(1)),
        "msup" => format!("std.math.attach(std.math.scripts({}), t: {})", arg(0), arg(1)),
        "msubsup" => format!("std.math.attach(std.math.scripts({}), b: {}, t: {})", arg(0), arg(1), arg(2)),
        "munder" => format!("std.math.attach({}, b: {})", limits(children), arg(1)),
        "mover" if node.attr("accent") == Some("true") => {
            let mark = children.get(1).map(|c| c.text()).unwrap_or_default();
            match mark.chars().next() {
                Some(c) => format!("std.math.accent({}, {})", arg(0), chars(&c.to_string())),
                None => arg(0),
            }
        }
        "mover" => format!("std.math.attach({}, t: {})", limits(children), arg(1)),
        "munderover" => format!("std.math.attach({}, b: {}, t: {})", limits(children), arg(1), arg(2)),
        "mmultiscripts" => multiscripts(children),
        "mprescripts" => String::new(),
        "mtable" => format!("std.math.mat(delim: #none, {})", matrix_rows(node)),
        "mrow" => fenced(node).or_else(|| grown(node)).unwrap_or_else(|| lower_children(children, false)),
        "mstyle" => styled(node, all()),
        "mphantom" => format!("std.hide({})", all()),
        "menclose" => {
            let notation = node.attr("notation").unwrap_or_default();
            match (notation.contains("updiagonalstrike"), notation.contains("downdiagonalstrike")) {
                (true, true) => format!("std.math.cancel({}, cross: #true)", all()),
                (true, false) => format!("std.math.cancel({})", all()),
                (false, true) => format!("std.math.cancel({}, inverted: #true)", all()),
                (false, false) => all(),
            }
        }
        "semantics" => arg(0),
        "annotation" | "annotation-xml" => String::new(),
        _ => lower_children(children, false),
    }
}

/// Returns the base of an `munder`, `mover` or `munderover` with its limits placed: for a large
/// operator such as a sum, or `lim`, below and above in display maths and beside it in a line of
/// text, as MathML's `movablelimits` says; for anything else always below and above.
fn limits(children: &[MathNode]) -> String {
    let Some(base) = children.first() else { return or_nothing(String::new()) };
    let lowered = or_nothing(lower(base));
    let text = base.text();
    let movable = base.name() == "mo"
        && base.attr("movablelimits") != Some("false")
        && (base.attr("movablelimits") == Some("true") || text.chars().all(|c| "∑∏∐⋀⋁⋂⋃⨀⨁⨂⨄⨆".contains(c)));
    if movable { format!("std.math.limits({lowered}, inline: #false)") } else { format!("std.math.limits({lowered})") }
}

/// Lowers a row between brackets that grow (`\left( … \right)`) to `lr(…)`, which sizes them to
/// what is between. Brackets that must not grow say `stretchy="false"`.
fn grown(row: &MathNode) -> Option<String> {
    let [open, .., close] = row.children() else { return None };
    // `\big(` and its kind have a size of their own (`minsize`), not the content's.
    let grows =
        |mo: &MathNode| mo.name() == "mo" && mo.attr("stretchy") != Some("false") && mo.attr("minsize").is_none();
    if !grows(open) || !grows(close) {
        return None;
    }
    let brackets = ["(", ")", "[", "]", "{", "}", "|", "‖", "⟨", "⟩", "⌊", "⌋", "⌈", "⌉", ""];
    let bracket = |mo: &MathNode| brackets.contains(&mo.shown_text().as_str());
    if !bracket(open) || !bracket(close) {
        return None;
    }
    let inner = lower_children(&row.children()[1..row.children().len() - 1], false);
    let side = |mo: &MathNode| or_nothing(chars(&mo.shown_text()));
    Some(format!("std.math.lr({} {inner} {})", side(open), side(close)))
}

/// Returns the element inside an `<mstyle>` that only sets its script level, which typst sets
/// from where the element is.
fn unstyled(node: &MathNode) -> &MathNode {
    match node.children() {
        [inner] if node.name() == "mstyle" && node.attr("displaystyle").is_none() => inner,
        _ => node,
    }
}

/// Lowers `<mmultiscripts>`: a base, pairs of subscript and superscript after it, then
/// `<mprescripts/>` and the pairs before it (a nuclide's mass and atomic numbers).
fn multiscripts(children: &[MathNode]) -> String {
    let lowered = |node: Option<&MathNode>| node.map(lower).filter(|s| !s.is_empty());
    let base = or_nothing(lowered(children.first()).unwrap_or_default());
    let split = children.iter().position(|c| c.name() == "mprescripts").unwrap_or(children.len());
    let mut args = Vec::new();
    // typst attaches one script in each corner: the first pair on each side.
    for (key, index, before) in [("br", 1, false), ("tr", 2, false), ("bl", split + 1, true), ("tl", split + 2, true)] {
        if (before || index < split)
            && let Some(script) = lowered(children.get(index))
        {
            args.push(format!("{key}: {script}"));
        }
    }
    if args.is_empty() { base } else { format!("std.math.attach({base}, {})", args.join(", ")) }
}

/// Wraps a lowering in `math.display(…)` or `math.inline(…)` where the node sets a display style.
fn styled(node: &MathNode, lowered: String) -> String {
    match node.attr("displaystyle") {
        Some("true") => format!("std.math.display({lowered})"),
        Some("false") => format!("std.math.inline({lowered})"),
        _ => lowered,
    }
}

/// Lowers a row of the form `( table )`, `[ table ]` or `{ table`, which LaTeX's matrix and cases
/// environments become, to `math.mat(delim: …)` or `math.cases(…)`.
fn fenced(row: &MathNode) -> Option<String> {
    let [open, table, rest @ ..] = row.children() else { return None };
    let table = unstyled(table);
    if open.name() != "mo" || table.name() != "mtable" || rest.len() > 1 {
        return None;
    }
    let close = rest.first().map(MathNode::shown_text).unwrap_or_default();
    let delim = match (open.text().as_str(), close.as_str()) {
        ("{", "") => return Some(format!("std.math.cases({})", case_rows(table))),
        ("(", ")") => "\"(\"",
        ("[", "]") => "\"[\"",
        ("|", "|") => "\"|\"",
        ("‖", "‖") => "\"||\"",
        ("{", "}") => "\"{\"",
        _ => return None,
    };
    Some(format!("std.math.mat(delim: {delim}, {})", matrix_rows(table)))
}

fn cells(row: &MathNode) -> Vec<String> {
    row.children().iter().filter(|c| c.name() == "mtd").map(|cell| lower_children(cell.children(), false)).collect()
}

fn rows(table: &MathNode) -> impl Iterator<Item = &MathNode> {
    table.children().iter().filter(|r| r.name() == "mtr")
}

/// Returns the rows of a table as `mat` arguments: cells split by commas, rows by semicolons.
fn matrix_rows(table: &MathNode) -> String {
    let rows: Vec<String> =
        rows(table).map(|row| cells(row).into_iter().map(or_nothing).collect::<Vec<_>>().join(", ")).collect();
    // A space before each `;`: typst reads a `;` right after embedded code (`#std.h(…)`) as its end.
    rows.join(" ; ")
}

/// Returns the rows of a `cases` table as `cases` arguments, each row's cells aligned.
fn case_rows(table: &MathNode) -> String {
    let rows: Vec<String> = rows(table).map(|row| cells(row).join(" & ")).collect();
    rows.join(", ")
}

/// Returns true if a table's cells alternate right and left alignment, as LaTeX's aligned
/// environments set them.
fn is_aligned(table: &MathNode) -> bool {
    rows(table).next().is_some_and(|row| {
        row.children().first().and_then(|cell| cell.attr("style")).is_some_and(|s| s.contains("text-align: right"))
    })
}

/// Returns an aligned table as lines with alignment points.
fn aligned_rows(table: &MathNode) -> String {
    let rows: Vec<String> = rows(table).map(|row| cells(row).join(" & ")).collect();
    rows.join(" \\ ")
}

/// Returns a lowering, or an empty string literal where it is empty: an argument typst needs
/// that shows nothing, such as the base of `{}^{14}`.
fn or_nothing(lowered: String) -> String {
    if lowered.is_empty() { "\"\"".to_string() } else { lowered }
}

/// Returns text as an escape per character (one character, set as maths) or a string.
fn text(content: &str) -> String {
    if content.trim().is_empty() {
        String::new()
    } else if content.chars().count() == 1 {
        chars(content)
    } else {
        escape::string(content)
    }
}

/// Returns every character as a typst escape, `\u{…}`, which typst sets as that character alone.
fn chars(content: &str) -> String {
    let mut out = String::new();
    for c in content.chars() {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    }
    out
}

/// Reads a MathML length in em, such as `0.16666667em`, as a short number.
fn em(width: &str) -> Option<String> {
    let value: f64 = width.strip_suffix("em")?.trim().parse().ok()?;
    (value.is_finite() && value.abs() < 100.0)
        .then(|| format!("{:.4}", value).trim_end_matches('0').trim_end_matches('.').to_string())
}
