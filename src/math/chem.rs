//! Chemistry: mhchem's `\ce{…}` rewritten into the LaTeX maths that math-core reads (and `#`,
//! which math-core would read as a macro parameter, written as the character `\#`).
//!
//! No maintained Rust crate reads mhchem, so this reads the part of it a school syllabus uses:
//! formulas (`H2SO4`, `Ca(OH)2`, `CuSO4.5H2O`), coefficients (`2H2O`), charges (`Na+`, `SO4^2-`,
//! `Fe^{3+}`), states (`(s)`, `(l)`, `(g)`, `(aq)`), isotopes (`^{14}_{6}C`), electrons (`e-`), bonds
//! (`-`, `=`, `#`), arrows (`->`, `<-`, `<->`, `<=>`, with conditions `->[heat]`), gas and
//! precipitate (`^`, `v`) and words. Anything else is an error at the `\ce`, not a guess.

use std::ops::Range;

/// A problem in the text of a `\ce{…}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChemError {
    /// The bytes of the maths that are wrong.
    pub range: Range<usize>,
    /// What is wrong.
    pub message: String,
}

/// Maths with every `\ce{…}` rewritten, and where each rewritten part came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The LaTeX without `\ce`.
    pub latex: String,
    /// For each `\ce{…}`: its bytes in [`Expanded::latex`] and in the source.
    regions: Vec<(Range<usize>, Range<usize>)>,
}

impl Expanded {
    /// Returns the bytes of the source a range of [`Expanded::latex`] came from: the whole
    /// `\ce{…}` for a range inside one, else the same text, shifted.
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

/// Rewrites every `\ce{…}` in `latex`.
pub fn expand(latex: &str) -> Result<Expanded, ChemError> {
    let mut out = String::with_capacity(latex.len());
    let mut regions = Vec::new();
    let mut rest = 0;
    while let Some(found) = find_ce(latex, rest) {
        let (start, open) = found;
        let Some(close) = matching_brace(latex, open) else {
            return Err(ChemError { range: start..open + 1, message: "this `\\ce{` is never closed".into() });
        };
        literal_hashes(latex, rest..start, &mut out, &mut regions);
        let out_start = out.len();
        out.push('{');
        out.push_str(&reaction(&latex[open + 1..close], open + 1)?);
        out.push('}');
        regions.push((out_start..out.len(), start..close + 1));
        rest = close + 1;
    }
    literal_hashes(latex, rest..latex.len(), &mut out, &mut regions);
    Ok(Expanded { latex: out, regions })
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

/// Finds the next `\ce` command from `from`: its start and the position of its `{`.
fn find_ce(latex: &str, from: usize) -> Option<(usize, usize)> {
    let mut search = from;
    while let Some(i) = latex[search..].find("\\ce") {
        let start = search + i;
        let after = start + 3;
        let next = latex[after..].chars().next();
        // `\cent` or `\cellcolor` is another command.
        if next.is_some_and(|c| c.is_ascii_alphabetic()) {
            search = after;
            continue;
        }
        // An escaped backslash, `\\ce`, is a line break followed by the letters "ce".
        let backslashes = latex[..start].chars().rev().take_while(|&c| c == '\\').count();
        if backslashes % 2 == 1 {
            search = after;
            continue;
        }
        let open = after + latex[after..].len() - latex[after..].trim_start().len();
        if latex[open..].starts_with('{') {
            return Some((start, open));
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
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits the text of a `\ce` at spaces outside brackets and braces, with each part's offset.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = None;
    for (i, c) in text.char_indices() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ => {}
        }
        if c.is_whitespace() && depth <= 0 {
            if let Some(s) = start.take() {
                out.push((s, &text[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// Rewrites the text of one `\ce{…}`, which starts at byte `offset` of the maths.
fn reaction(text: &str, offset: usize) -> Result<String, ChemError> {
    let mut out = String::new();
    for (at, token) in tokens(text) {
        let error = |message: String| ChemError { range: offset + at..offset + at + token.len(), message };
        if !out.is_empty() {
            out.push(' ');
        }
        match token {
            "+" => out.push('+'),
            "^" => out.push_str("\\uparrow"),
            "v" => out.push_str("\\downarrow"),
            _ if token.starts_with("->")
                || token.starts_with("<-")
                || token.starts_with("<=>")
                || token.starts_with("<<=>") =>
            {
                out.push_str(&arrow(token).map_err(error)?)
            }
            _ if token.chars().all(|c| c.is_alphabetic() && c.is_lowercase()) && token != "e" => {
                out.push_str(&format!("\\text{{{token}}}"));
            }
            _ => out.push_str(&formula(token).map_err(error)?),
        }
    }
    Ok(out)
}

/// Rewrites an arrow with its optional conditions above and below.
fn arrow(token: &str) -> Result<String, String> {
    let (command, rest) = [
        ("<=>>", "\\rightleftharpoons"),
        ("<<=>", "\\rightleftharpoons"),
        ("<=>", "\\rightleftharpoons"),
        ("<->", "\\leftrightarrow"),
        ("->", "\\rightarrow"),
        ("<-", "\\leftarrow"),
    ]
    .iter()
    .find_map(|(arrow, command)| token.strip_prefix(arrow).map(|rest| (*command, rest)))
    .ok_or_else(|| format!("`{token}` is not an arrow `\\ce` knows"))?;
    let mut conditions = Vec::new();
    let mut rest = rest;
    while let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']').ok_or_else(|| format!("the condition in `{token}` has no closing `]`"))?;
        conditions.push(condition(&inner[..close])?);
        rest = &inner[close + 1..];
    }
    if !rest.is_empty() || conditions.len() > 2 {
        return Err(format!("`{token}` is not an arrow `\\ce` knows"));
    }
    if conditions.is_empty() {
        return Ok(command.to_string());
    }
    let above = &conditions[0];
    let below = conditions.get(1).map_or("", String::as_str);
    // A single arrow stretches to fit its conditions; a double one has them set over and under.
    Ok(match command {
        "\\rightarrow" => format!("\\xrightarrow[{below}]{{{above}}}"),
        "\\leftarrow" => format!("\\xleftarrow[{below}]{{{above}}}"),
        _ if below.is_empty() => format!("\\overset{{{above}}}{{{command}}}"),
        _ => format!("\\underset{{{below}}}{{\\overset{{{above}}}{{{command}}}}}"),
    })
}

/// Rewrites the text of an arrow's condition: a formula, LaTeX, or words.
fn condition(text: &str) -> Result<String, String> {
    let text = text.trim();
    let text = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(text);
    if text.contains('\\') || text.contains('$') {
        return Ok(text.replace('$', "").replace('#', "\\#"));
    }
    match formula(text) {
        Ok(formula) if !text.contains(' ') => Ok(formula),
        _ => Ok(format!("\\text{{{}}}", text.replace(['{', '}'], ""))),
    }
}

/// Rewrites a formula such as `2H2O`, `Ca(OH)2`, `SO4^2-`, `Na+(aq)` or `^{14}_{6}C`.
fn formula(token: &str) -> Result<String, String> {
    let chars: Vec<char> = token.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // A coefficient, such as the 2 of 2H2O or the 1/2 of 1/2O2.
    while i < chars.len() && (chars[i].is_ascii_digit() || (i > 0 && matches!(chars[i], '/' | '.'))) {
        out.push(chars[i]);
        i += 1;
    }
    // An isotope's mass and atomic numbers, before the element, set right-aligned against it.
    let mut before = (String::new(), String::new());
    while i < chars.len() && matches!(chars[i], '^' | '_') {
        let (script, next) = script(&chars, i + 1)?;
        if chars[i] == '^' {
            before.0 = script
        } else {
            before.1 = script
        }
        i = next;
    }
    let mut prescript_open = !before.0.is_empty() || !before.1.is_empty();
    if prescript_open {
        out.push_str(&format!("\\prescript{{{}}}{{{}}}{{", before.0, before.1));
    }
    let mut after_atom = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            'A'..='Z' => {
                let mut name = c.to_string();
                i += 1;
                while i < chars.len() && chars[i].is_ascii_lowercase() {
                    name.push(chars[i]);
                    i += 1;
                }
                out.push_str(&format!("\\mathrm{{{name}}}"));
                if prescript_open {
                    out.push('}');
                    prescript_open = false;
                }
                after_atom = true;
                continue;
            }
            'e' if !after_atom && chars.get(i + 1).is_some_and(|&n| n == '-' || n == '^') => {
                out.push_str("\\mathrm{e}");
                after_atom = true;
            }
            '0'..='9' if after_atom => {
                let mut digits = String::new();
                while i < chars.len() && chars[i].is_ascii_digit() {
                    digits.push(chars[i]);
                    i += 1;
                }
                out.push_str(&format!("_{{{digits}}}"));
                continue;
            }
            '0'..='9' => out.push(c),
            '(' | '[' => {
                let close = if c == '(' { ')' } else { ']' };
                let end = chars[i..]
                    .iter()
                    .position(|&x| x == close)
                    .map(|p| i + p)
                    .ok_or_else(|| format!("`{c}` in `{token}` is never closed"))?;
                let inner: String = chars[i + 1..end].iter().collect();
                if ["s", "l", "g", "aq", "cr", "sln"].contains(&inner.as_str()) {
                    out.push_str(&format!("\\mathrm{{({inner})}}"));
                    after_atom = false;
                } else {
                    out.push_str(&format!("{c}{}{close}", formula(&inner)?));
                    after_atom = true;
                }
                i = end + 1;
                continue;
            }
            '^' => {
                let (charge, next) = script(&chars, i + 1)?;
                out.push_str(&format!("^{{{charge}}}"));
                i = next;
                after_atom = false;
                continue;
            }
            '+' | '-' => {
                // A sign that ends the formula or comes before a state is a charge; a dash
                // between atoms is a single bond.
                let charge_end = chars[i..].iter().take_while(|&&x| x == '+' || x == '-').count();
                let next = chars.get(i + charge_end);
                let state_follows = next == Some(&'(') && {
                    let rest: String = chars[i + charge_end..].iter().collect();
                    ["(s)", "(l)", "(g)", "(aq)", "(cr)", "(sln)"].iter().any(|state| rest.starts_with(state))
                };
                if next.is_none() || state_follows {
                    let signs: String = chars[i..i + charge_end].iter().collect();
                    out.push_str(&format!("^{{{signs}}}"));
                    i += charge_end;
                    after_atom = false;
                    continue;
                }
                if c == '+' {
                    return Err(format!("`+` inside `{token}`: put spaces around a `+` between formulas"));
                }
                out.push_str("\\text{-}");
                after_atom = false;
            }
            '=' => {
                out.push('=');
                after_atom = false;
            }
            '#' => {
                out.push_str("\\equiv");
                after_atom = false;
            }
            '.' | '*' => {
                out.push_str("\\cdot ");
                after_atom = false;
            }
            _ => return Err(format!("`{c}` in `{token}` is not part of a formula `\\ce` reads")),
        }
        i += 1;
    }
    if prescript_open {
        return Err(format!("`{token}` has a mass or atomic number but no element after it"));
    }
    Ok(out)
}

/// Reads a superscript or subscript at `i`: `{…}` or a run of digits and signs. Returns it and the
/// position after it.
fn script(chars: &[char], i: usize) -> Result<(String, usize), String> {
    if chars.get(i) == Some(&'{') {
        let end = chars[i..].iter().position(|&c| c == '}').map(|p| i + p).ok_or("a `{` is never closed")?;
        let inner: String = chars[i + 1..end].iter().collect();
        if inner.chars().any(|c| !(c.is_ascii_alphanumeric() || "+-.".contains(c))) {
            return Err(format!("`{inner}` is not a charge or number"));
        }
        return Ok((inner, end + 1));
    }
    let end = chars[i..].iter().take_while(|c| c.is_ascii_digit() || **c == '+' || **c == '-').count();
    if end == 0 {
        return Err("`^` or `_` needs a number or charge after it".into());
    }
    Ok((chars[i..i + end].iter().collect(), i + end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ce(text: &str) -> String {
        expand(&format!("\\ce{{{text}}}")).unwrap().latex
    }

    #[test]
    fn formulas_coefficients_and_arrows() {
        assert_eq!(
            ce("CH4 + 2O2 -> CO2 + 2H2O"),
            "{\\mathrm{C}\\mathrm{H}_{4} + 2\\mathrm{O}_{2} \\rightarrow \\mathrm{C}\\mathrm{O}_{2} + 2\\mathrm{H}_{2}\\mathrm{O}}"
        );
        assert_eq!(ce("Ca(OH)2"), "{\\mathrm{Ca}(\\mathrm{O}\\mathrm{H})_{2}}");
        assert_eq!(
            ce("N2 + 3H2 <=> 2NH3"),
            "{\\mathrm{N}_{2} + 3\\mathrm{H}_{2} \\rightleftharpoons 2\\mathrm{N}\\mathrm{H}_{3}}"
        );
        assert_eq!(ce("A ->[heat] B"), "{\\mathrm{A} \\xrightarrow[]{\\text{heat}} \\mathrm{B}}");
        assert_eq!(
            ce("A <=>[a][b] B"),
            "{\\mathrm{A} \\underset{\\text{b}}{\\overset{\\text{a}}{\\rightleftharpoons}} \\mathrm{B}}"
        );
        assert_eq!(
            ce("CH3-(CH2)2-CH3"),
            "{\\mathrm{C}\\mathrm{H}_{3}\\text{-}(\\mathrm{C}\\mathrm{H}_{2})_{2}\\text{-}\\mathrm{C}\\mathrm{H}_{3}}"
        );
    }

    #[test]
    fn charges_states_and_isotopes() {
        assert_eq!(ce("Na+(aq)"), "{\\mathrm{Na}^{+}\\mathrm{(aq)}}");
        assert_eq!(ce("SO4^2-"), "{\\mathrm{S}\\mathrm{O}_{4}^{2-}}");
        assert_eq!(ce("Fe^{3+}"), "{\\mathrm{Fe}^{3+}}");
        assert_eq!(ce("^{14}_{6}C"), "{\\prescript{14}{6}{\\mathrm{C}}}");
        assert_eq!(ce("e-"), "{\\mathrm{e}^{-}}");
        assert_eq!(ce("CuSO4.5H2O"), "{\\mathrm{Cu}\\mathrm{S}\\mathrm{O}_{4}\\cdot 5\\mathrm{H}_{2}\\mathrm{O}}");
    }

    #[test]
    fn errors_point_into_the_command() {
        let err = expand("x + \\ce{H2 & O}").unwrap_err();
        assert_eq!(err.range, 11..12);
        assert!(expand("\\ce{H2").is_err());
    }

    #[test]
    fn source_ranges_map_back() {
        let expanded = expand("a + \\ce{H2O} + \\foo").unwrap();
        let foo = expanded.latex.find("\\foo").unwrap();
        assert_eq!(expanded.source_range(foo..foo + 4), 15..19);
        let inside = expanded.latex.find("mathrm").unwrap();
        assert_eq!(expanded.source_range(inside..inside + 1), 4..12);
    }
}
