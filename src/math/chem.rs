//! Chemistry: mhchem's `\ce{…}` and `\pu{…}` rewritten into the LaTeX maths that math-core reads
//! (and `#`, which math-core would read as a macro parameter, written as the character `\#`).
//!
//! mhchem's syntax is read by ratex-parser's Rust port of mhchem's own parser, which turns it into
//! the LaTeX mhchem writes. Where that port's LaTeX differs from mhchem 4.2's (its arrows, isotopes,
//! multiple bonds and digit groups), [`mhchem_latex`] brings it to mhchem 4.2's; the test over every
//! example of mhchem's manual compares the two. [`for_math_core`] then lowers the few macros mhchem
//! defines for itself or borrows from TeX (`\smash`, `\llap`, `\mathchoice`, `\tripledash`, the
//! long equilibrium arrows) into what math-core has.

use std::ops::Range;

/// How deep `\ce` may sit inside the maths of another `\ce` (`\ce{A $\ce{B}$}`).
const MAX_DEPTH: usize = 4;

/// A problem in the text of a `\ce{…}` or `\pu{…}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChemError {
    /// The bytes of the maths that are wrong.
    pub range: Range<usize>,
    /// What is wrong.
    pub message: String,
}

/// Maths with every `\ce{…}` and `\pu{…}` rewritten, and where each rewritten part came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The LaTeX without `\ce` or `\pu`.
    pub latex: String,
    /// For each command: its bytes in [`Expanded::latex`] and in the source.
    regions: Vec<(Range<usize>, Range<usize>)>,
}

impl Expanded {
    /// Returns the bytes of the source a range of [`Expanded::latex`] came from: the whole
    /// command for a range inside one, else the same text, shifted.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.source_offset(range.start);
        let end = self.source_offset(range.end.max(range.start));
        start.start..end.end.max(start.start)
    }

    /// Returns the source bytes one offset of [`Expanded::latex`] came from: a whole region for an
    /// offset inside one, else the offset shifted by the regions before it.
    fn source_offset(&self, offset: usize) -> Range<usize> {
        let mut shift: isize = 0;
        for (out, src) in &self.regions {
            if offset < out.start {
                break;
            }
            if offset < out.end {
                return src.clone();
            }
            shift = src.end as isize - out.end as isize;
        }
        let at = (offset as isize + shift).max(0) as usize;
        at..at
    }
}

/// Which of mhchem's two commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `\ce{…}`: chemical formulae and equations.
    Ce,
    /// `\pu{…}`: physical units.
    Pu,
}

/// Rewrites every `\ce{…}` and `\pu{…}` in `latex`.
pub fn expand(latex: &str) -> Result<Expanded, ChemError> {
    expand_at(latex, 0)
}

fn expand_at(latex: &str, depth: usize) -> Result<Expanded, ChemError> {
    let mut out = String::with_capacity(latex.len());
    let mut regions = Vec::new();
    let mut rest = 0;
    while let Some((start, open, mode)) = find_command(latex, rest) {
        let Some(close) = matching_brace(latex, open) else {
            return Err(ChemError { range: start..open + 1, message: "this command's `{` is never closed".into() });
        };
        literal_hashes(latex, rest..start, &mut out, &mut regions);
        let error = |message: String| ChemError { range: start..close + 1, message };
        if depth >= MAX_DEPTH {
            return Err(error(format!("chemistry may sit at most {MAX_DEPTH} deep inside other chemistry")));
        }
        let written = mhchem_latex(&latex[open + 1..close], mode).map_err(error)?;
        // mhchem leaves the maths of a `$…$` inside `\ce` as it is, `\ce` included.
        let inner = expand_at(&for_math_core(&written), depth + 1).map_err(|e| error(e.message))?;
        let out_start = out.len();
        out.push_str(&inner.latex);
        regions.push((out_start..out.len(), start..close + 1));
        rest = close + 1;
    }
    literal_hashes(latex, rest..latex.len(), &mut out, &mut regions);
    Ok(Expanded { latex: out, regions })
}

/// Returns the LaTeX mhchem 4.2 writes for the text of a `\ce{…}` or `\pu{…}`, or why it cannot be
/// read.
pub fn mhchem_latex(text: &str, mode: Mode) -> Result<String, String> {
    let machine = match mode {
        Mode::Ce => "ce",
        Mode::Pu => "pu",
    };
    let parsed = std::panic::catch_unwind(|| ratex_parser::mhchem::chem_parse_str(text, machine));
    let latex = match parsed {
        Ok(Ok(latex)) => latex,
        Ok(Err(error)) => return Err(format!("mhchem cannot read this: {error}")),
        Err(_) => return Err("mhchem cannot read this".into()),
    };
    let latex = latex.replace("\\vphantom{X}", "\\vphantom{A}");
    let latex = arrows(&latex);
    let latex = isotopes(&latex);
    let latex = bonds(&latex);
    Ok(if mode == Mode::Pu { digit_groups(&latex) } else { latex })
}

/// Lowers the macros of mhchem's LaTeX that math-core does not have.
pub fn for_math_core(latex: &str) -> String {
    let mut out = latex.to_string();
    // Multiple bonds, which mhchem draws by overlapping raised and lowered lines.
    for (bond, stacked) in [
        ("{\\rlap{\\lower.1em{-}}\\raise.1em{\\tripledash}}", "{\\overset{\\tripledash}{-}}"),
        ("{\\rlap{\\lower.2em{-}}\\rlap{\\raise.2em{\\tripledash}}-}", "{\\overset{\\tripledash}{=}}"),
        ("{\\rlap{\\lower.2em{-}}\\rlap{\\raise.2em{-}}\\tripledash}", "{\\overset{-}{\\underset{-}{\\tripledash}}}"),
    ] {
        out = out.replace(bond, stacked);
    }
    let out = prescripts(&out);
    let out = attach_scripts(&out);
    let mut out = drop_wrappers(&out);
    for (name, with) in [
        ("\\longleftrightarrows", "\\mathrel{⇄}"),
        ("\\longrightleftharpoons", "\\mathrel{⇌}"),
        ("\\longRightleftharpoons", "\\mathrel{\\underset{\\leftharpoondown}{\\xrightharpoonup{}}}"),
        ("\\longLeftrightharpoons", "\\mathrel{\\overset{\\rightharpoonup}{\\xleftharpoondown{}}}"),
        ("\\tripledash", "{┄}"),
    ] {
        out = replace_command(&out, name, with);
    }
    out
}

/// Writes an arrow as mhchem 4.2 does: `{}\mathrel{\longrightarrow}{}` without text, the
/// equilibria with their text set over and under a long arrow, the rest as `\xrightarrow`.
fn arrows(latex: &str) -> String {
    const ARROWS: [(&str, &str, bool); 7] = [
        ("\\xrightarrow", "rightarrow", false),
        ("\\xleftarrow", "leftarrow", false),
        ("\\xleftrightarrow", "leftrightarrow", false),
        ("\\xrightleftarrows", "leftrightarrows", true),
        ("\\xrightleftharpoons", "rightleftharpoons", true),
        ("\\xrightequilibrium", "Rightleftharpoons", true),
        ("\\xleftequilibrium", "Leftrightharpoons", true),
    ];
    let mut out = String::with_capacity(latex.len());
    let mut i = 0;
    'scan: while i < latex.len() {
        for (command, name, stacked) in ARROWS {
            if !starts_command(latex, i, command) {
                continue;
            }
            let mut at = i + command.len();
            let mut below = "";
            if latex[at..].starts_with('[') {
                let Some(end) = matching_bracket(latex, at) else { break };
                below = &latex[at + 1..end];
                // The port sets the text below in braces: `[{…}]`.
                if below.starts_with('{') && matching_brace(below, 0) == Some(below.len() - 1) {
                    below = &below[1..below.len() - 1];
                }
                at = end + 1;
            }
            if !latex[at..].starts_with('{') {
                break;
            }
            let Some(end) = matching_brace(latex, at) else { break };
            let above = &latex[at + 1..end];
            let arrow = if above.is_empty() && below.is_empty() {
                format!("\\long{name}")
            } else if stacked {
                let mut arrow = format!("\\long{name}");
                if !above.is_empty() {
                    arrow = format!("\\overset{{{above}}}{{{arrow}}}");
                }
                if !below.is_empty() {
                    let lower = if name == "leftrightarrows" { "2mu" } else { "6mu" };
                    arrow = format!("\\underset{{\\lower{lower}{{{below}}}}}{{{arrow}}}");
                }
                arrow
            } else if below.is_empty() {
                format!("\\x{name}{{{above}}}")
            } else {
                format!("\\x{name}[{{{below}}}]{{{above}}}")
            };
            out.push_str(&format!(" {{}}\\mathrel{{{arrow}}}{{}} "));
            i = end + 1;
            continue 'scan;
        }
        let c = latex[i..].chars().next().expect("i is inside the text");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// How mhchem's isotope prescripts begin: a phantom carrying the mass and atomic numbers' widths.
const ISOTOPE: &str = "{\\vphantom{A}}^{\\hphantom{";

/// Writes an isotope's prescripts as mhchem 4.2 does: `\llap` for `\mathllap`, a kern between the
/// phantom and the numbers, and a thin space after a formula before them.
fn isotopes(latex: &str) -> String {
    const NUMBERS: &str = "{\\vphantom{A}}^{\\smash[t]{\\vphantom{2}}";
    let latex = latex.replace("\\mathllap{", "\\llap{");
    let mut out = String::with_capacity(latex.len());
    let mut rest = latex.as_str();
    while let Some(at) = rest.find(ISOTOPE) {
        out.push_str(&rest[..at]);
        if out.ends_with('}') {
            out.push_str("\\mkern2mu");
        }
        let after = &rest[at..];
        // The phantoms: `{\vphantom{A}}^{\hphantom{M}}_{\hphantom{Z}}`, then the numbers.
        let phantoms_end = after.find(NUMBERS).filter(|&n| after[..n].ends_with("}}"));
        match phantoms_end {
            Some(n) => {
                out.push_str(&after[..n]);
                out.push_str("\\mkern-1.5mu");
                rest = &after[n..];
            }
            None => {
                out.push_str(ISOTOPE);
                rest = &after[ISOTOPE.len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Writes multiple bonds as mhchem 4.2 does, with `\rlap`, `\lower` and `\raise`.
fn bonds(latex: &str) -> String {
    let mut out = latex.replace("\\mathrlap{", "\\rlap{");
    for (from, to) in [
        ("\\raisebox{-.1em}{$-$}", "\\lower.1em{-}"),
        ("\\raisebox{.1em}{$\\tripledash$}", "\\raise.1em{\\tripledash}"),
        ("\\raisebox{-.2em}{$-$}", "\\lower.2em{-}"),
        ("\\raisebox{.2em}{$\\tripledash$}", "\\raise.2em{\\tripledash}"),
        ("\\raisebox{.2em}{$-$}", "\\raise.2em{-}"),
    ] {
        out = out.replace(from, to);
    }
    out
}

/// Groups the digits of a number in threes as mhchem 4.2 does: the whole part from the right, the
/// fraction from the left, each only when it has five digits or more.
fn digit_groups(latex: &str) -> String {
    const GAP: &str = "\\mkern2mu ";
    let mut out = String::with_capacity(latex.len());
    let mut i = 0;
    let bytes = latex.as_bytes();
    while i < latex.len() {
        if !bytes[i].is_ascii_digit() {
            let c = latex[i..].chars().next().expect("i is inside the text");
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        // A run of digits, perhaps already split by gaps.
        let mut digits = String::new();
        let mut end = i;
        loop {
            let run = latex[end..].bytes().take_while(u8::is_ascii_digit).count();
            digits.push_str(&latex[end..end + run]);
            end += run;
            if latex[end..].starts_with(GAP) && latex[end + GAP.len()..].starts_with(|c: char| c.is_ascii_digit()) {
                end += GAP.len();
            } else {
                break;
            }
        }
        let fraction = out.ends_with('.') || out.ends_with("{,}");
        let groups: Vec<&str> = if digits.len() < 5 {
            vec![&digits]
        } else if fraction {
            digits.as_bytes().chunks(3).map(|c| std::str::from_utf8(c).expect("digits")).collect()
        } else {
            let first = digits.len() % 3;
            let mut groups = Vec::new();
            if first > 0 {
                groups.push(&digits[..first]);
            }
            groups.extend(digits.as_bytes()[first..].chunks(3).map(|c| std::str::from_utf8(c).expect("digits")));
            groups
        };
        out.push_str(&groups.join(GAP));
        i = end;
    }
    out
}

/// Rewrites mhchem's isotope prescripts (phantoms, then numbers set right-aligned with `\llap`) as
/// math-core's `\prescript` on the formula after them.
fn prescripts(latex: &str) -> String {
    let mut out = String::with_capacity(latex.len());
    let mut rest = latex;
    while let Some(at) = rest.find(ISOTOPE) {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        match read_prescript(after) {
            Some((mass, number, used)) => {
                let mut tail = &after[used..];
                let base = if tail.starts_with("\\mathrm{") {
                    let end = matching_brace(tail, "\\mathrm".len()).unwrap_or(tail.len() - 1);
                    let base = &tail[..end + 1];
                    tail = &tail[end + 1..];
                    base
                } else {
                    ""
                };
                out.push_str(&format!("\\prescript{{{mass}}}{{{number}}}{{{base}}}"));
                rest = tail;
            }
            None => {
                out.push_str(ISOTOPE);
                rest = &after[ISOTOPE.len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Attaches each subscript and superscript mhchem sets on a phantom (`{\vphantom{A}}_{2}`, which
/// lines scripts up across letters) to the formula before it (`\mathrm{H}_{2}`) where that formula
/// has no such script yet: the same look, and MathML whose chemistry a screen reader's MathCAT
/// recognises ("H 2 O" rather than a prescript of what follows). A third script, as in
/// `CO3^2-_{(aq)}`, keeps its phantom.
fn attach_scripts(latex: &str) -> String {
    const PHANTOM: &str = "{\\vphantom{A}}";
    let mut out = String::with_capacity(latex.len());
    // The scripts the atom just written has, when it is one that takes them: (sub, super).
    let mut atom: Option<(bool, bool)> = None;
    let mut i = 0;
    while i < latex.len() {
        let rest = &latex[i..];
        if let Some(after) = rest.strip_prefix(PHANTOM)
            && let Some(kind) = after.chars().next().filter(|c| *c == '_' || *c == '^')
            && let Some(end) = matching_brace(latex, i + PHANTOM.len() + 1)
        {
            let script = &latex[i + PHANTOM.len()..=end];
            let free = atom.is_some_and(|(sub, sup)| if kind == '_' { !sub } else { !sup });
            if free {
                out.push_str(script);
                atom = atom.map(|(sub, sup)| (sub || kind == '_', sup || kind == '^'));
            } else {
                out.push_str(PHANTOM);
                out.push_str(script);
                atom = None;
            }
            i = end + 1;
            continue;
        }
        if rest.starts_with("\\mathrm{")
            && let Some(end) = matching_brace(latex, i + "\\mathrm".len())
        {
            out.push_str(&latex[i..=end]);
            atom = Some((false, false));
            i = end + 1;
            continue;
        }
        let c = rest.chars().next().expect("i is inside the text");
        out.push(c);
        atom = match c {
            ')' | ']' => Some((false, false)),
            _ => None,
        };
        i += c.len_utf8();
    }
    out
}

/// Reads mhchem 4.2's prescripts at the start of `text`: the mass number, the atomic number and how
/// many bytes they took.
fn read_prescript(text: &str) -> Option<(&str, &str, usize)> {
    let mut at = "{\\vphantom{A}}^".len();
    let phantom_mass = group(text, at)?;
    at = phantom_mass.end + 1;
    at = expect(text, at, "_")?;
    let phantom_number = group(text, at)?;
    at = phantom_number.end + 1;
    at = expect(text, at, "\\mkern-1.5mu{\\vphantom{A}}^{\\smash[t]{\\vphantom{2}}\\llap")?;
    let mass = group(text, at)?;
    at = expect(text, mass.end + 1, "}_{\\vphantom{2}\\llap{\\smash[t]")?;
    let number = group(text, at)?;
    at = expect(text, number.end + 1, "}}")?;
    Some((&text[mass.start + 1..mass.end], &text[number.start + 1..number.end], at))
}

/// Returns the braces of the group that starts at `at`: the `{` and its `}`.
fn group(text: &str, at: usize) -> Option<Range<usize>> {
    text[at..].starts_with('{').then_some(())?;
    Some(at..matching_brace(text, at)?)
}

/// Returns the end of `expected` when `text` has it at `at`.
fn expect(text: &str, at: usize, expected: &str) -> Option<usize> {
    text.get(at..)?.starts_with(expected).then_some(at + expected.len())
}

/// Removes the TeX commands math-core has no use for but keeps what they hold: `\smash` (and its
/// `[t]`), `\llap`, `\rlap` and `\lower` with a length; `\mathchoice` keeps its first, display,
/// form, which mhchem writes in text style.
fn drop_wrappers(latex: &str) -> String {
    let mut out = String::with_capacity(latex.len());
    let mut i = 0;
    while i < latex.len() {
        let wrapper = ["\\smash[t]", "\\smash[b]", "\\smash", "\\llap", "\\rlap", "\\lower2mu", "\\lower6mu"]
            .into_iter()
            .find(|w| starts_command(latex, i, w) && latex[i + w.len()..].starts_with('{'));
        if let Some(w) = wrapper {
            i += w.len();
            continue;
        }
        if starts_command(latex, i, "\\mathchoice")
            && let Some(first) = group(latex, i + "\\mathchoice".len())
        {
            let mut end = first.end;
            for _ in 0..3 {
                match group(latex, end + 1) {
                    Some(next) => end = next.end,
                    None => break,
                }
            }
            out.push_str(&drop_wrappers(&latex[first.start..first.end + 1]));
            i = end + 1;
            continue;
        }
        let c = latex[i..].chars().next().expect("i is inside the text");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Replaces the command `name` (not a longer command it begins) with `with`.
fn replace_command(latex: &str, name: &str, with: &str) -> String {
    let mut out = String::with_capacity(latex.len());
    let mut i = 0;
    while let Some(at) = latex[i..].find(name) {
        let at = i + at;
        out.push_str(&latex[i..at]);
        if starts_command(latex, at, name) {
            out.push_str(with);
        } else {
            out.push_str(name);
        }
        i = at + name.len();
    }
    out.push_str(&latex[i..]);
    out
}

/// Returns true when the command `name` starts at `at`, and not a longer one (`\llap`, not
/// `\llapx`), and its backslash is not itself escaped.
fn starts_command(latex: &str, at: usize, name: &str) -> bool {
    let escaped = latex[..at].chars().rev().take_while(|&c| c == '\\').count() % 2 == 1;
    let last_is_letter = name.chars().last().is_some_and(|c| c.is_ascii_alphabetic());
    latex[at..].starts_with(name)
        && !escaped
        && !(last_is_letter && latex[at + name.len()..].starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// Copies LaTeX, writing each `#` as `\#`: maths defines no macros, so a `#` is only ever the
/// character, as in `\text{#1 answer}`.
fn literal_hashes(latex: &str, range: Range<usize>, out: &mut String, regions: &mut Vec<(Range<usize>, Range<usize>)>) {
    let mut backslashes = 0;
    for (i, c) in latex[range.clone()].char_indices() {
        let at = range.start + i;
        if c == '#' && backslashes % 2 == 0 {
            let start = out.len();
            out.push_str("\\#");
            regions.push((start..out.len(), at..at + 1));
        } else {
            out.push(c);
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
    }
}

/// Finds the next `\ce` or `\pu` command from `from`: its start, the position of its `{` and which
/// it is.
fn find_command(latex: &str, from: usize) -> Option<(usize, usize, Mode)> {
    let mut search = from;
    while let Some(i) = latex[search..].find(['\\']) {
        let start = search + i;
        let after = start + 3;
        let mode = match latex.get(start..after) {
            Some("\\ce") => Mode::Ce,
            Some("\\pu") => Mode::Pu,
            _ => {
                // Skip the backslash and the character it escapes, so that `\\ce` is a line break.
                search = start + 1 + latex[start + 1..].chars().next().map_or(0, char::len_utf8);
                continue;
            }
        };
        // `\cent` or `\put` is another command.
        if latex[after..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            search = after;
            continue;
        }
        let open = after + latex[after..].len() - latex[after..].trim_start().len();
        if latex[open..].starts_with('{') {
            return Some((start, open, mode));
        }
        search = after;
    }
    None
}

/// Returns the position of the `}` that closes the `{` at `open`.
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in text[open..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Returns the position of the `]` that closes the `[` at `open`, skipping braced groups.
fn matching_bracket(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in text[open..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ']' if depth == 0 => return Some(open + i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ce(text: &str) -> String {
        mhchem_latex(text, Mode::Ce).unwrap()
    }

    #[test]
    fn arrows_isotopes_and_numbers_are_written_as_mhchem_4_writes_them() {
        assert_eq!(ce("A -> B"), "{\\mathrm{A} {}\\mathrel{\\longrightarrow}{} \\mathrm{B}}");
        assert_eq!(
            ce("A <=>[x][y] B"),
            "{\\mathrm{A} {}\\mathrel{\\underset{\\lower6mu{\\mathrm{y}}}{\\overset{\\mathrm{x}}{\\longrightleftharpoons}}}{} \\mathrm{B}}"
        );
        assert!(ce("^{227}_{90}Th").contains("\\mkern-1.5mu{\\vphantom{A}}^{\\smash[t]{\\vphantom{2}}\\llap{227}}"));
        assert_eq!(mhchem_latex("12345", Mode::Pu).unwrap(), "{12\\mkern2mu 345}");
        assert_eq!(mhchem_latex("0.00005", Mode::Pu).unwrap(), "{0.000\\mkern2mu 05}");
    }

    #[test]
    fn math_core_gets_no_macro_it_lacks() {
        let lowered = expand("\\ce{^{227}_{90}Th+ A\\bond{~-}B <=>> C} + \\pu{1/2 l//100km}").unwrap().latex;
        for missing in ["\\smash", "\\llap", "\\rlap", "\\lower", "\\raise", "\\mathchoice", "\\tripledash", "\\long"] {
            assert!(!lowered.contains(missing), "{missing} in {lowered}");
        }
        assert!(lowered.contains("\\prescript{227}{90}{\\mathrm{Th}}"), "{lowered}");
    }

    #[test]
    fn chemistry_inside_chemistry_is_expanded() {
        let lowered = expand("\\ce{A ->[$\\ce{H2O}$] B}").unwrap().latex;
        assert!(!lowered.contains("\\ce"), "{lowered}");
    }

    #[test]
    fn errors_point_at_the_command() {
        let err = expand("x + \\ce{H2").unwrap_err();
        assert_eq!(err.range, 4..8);
        // Chemistry inside the maths of chemistry, deeper than is allowed.
        assert!(expand_at("\\ce{H2O}", MAX_DEPTH).is_err());
    }

    #[test]
    fn source_ranges_map_back() {
        let expanded = expand("a + \\ce{H2O} + \\foo").unwrap();
        let foo = expanded.latex.find("\\foo").unwrap();
        assert_eq!(expanded.source_range(foo..foo + 4), 15..19);
        let inside = expanded.latex.find("mathrm").unwrap();
        assert_eq!(expanded.source_range(inside..inside + 1), 4..12);
    }

    #[test]
    fn a_line_break_before_ce_letters_is_not_chemistry() {
        assert_eq!(expand("a \\\\ce").unwrap().latex, "a \\\\ce");
        assert_eq!(expand("\\cent + \\put").unwrap().latex, "\\cent + \\put");
    }
}
