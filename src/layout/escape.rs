//! Escaping author text for typst, so that it always prints as written and never runs as code.

/// Escapes text for typst markup: every character that markup gives a meaning is escaped.
///
/// What typst's lexer could read as markup is escaped wherever it stands, not only at the start of
/// a line, so the result is text whatever comes before it: the start of a content block, a label, a
/// function call. Line breaks (typst's newlines include U+2028 and U+2029) become spaces, so that
/// text can never break a paragraph. A full stop after a digit is escaped, so that `1. Introduction`
/// can never be a numbered list item; so is a full stop at the start, so that escaped pieces stay
/// text when they are joined. Control characters other than tabs are dropped, and the few characters
/// no PDF standard allows are replaced or dropped ([`printable`]). Straight
/// quotes are left for typst's smart quotes, which follow the book's language.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // What stands before the text is not known here (the end of other text, say), so a full stop at
    // the start is escaped as if it followed a digit.
    let mut previous = '.';
    for c in text.chars() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '`' | '<' | '>' | '@' | '[' | ']' | '=' | '-' | '+' | '/' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // A second dot in a row would start the `...` shorthand; digits and a dot, a numbered item.
            '.' if previous == '.' || previous.is_ascii_digit() => out.push_str("\\."),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '\t' => out.push(' '),
            // Dropped, a character is not there: what comes before it is still what comes before.
            c if c.is_control() => continue,
            c => match printable(c) {
                Some(c) => out.push(c),
                None => continue,
            },
        }
        previous = c;
    }
    out
}

/// Makes a typst string literal, with its quotes, from any text.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.extend(printable(c)),
        }
    }
    out.push('"');
    out
}

/// Returns the character a PDF holds for one of author text: the zero-width no-break space (U+FEFF,
/// the byte order mark), which shows nothing, and the noncharacters U+FFFE and U+FFFF are dropped. A
/// PDF whose text maps a glyph to any of them cannot be PDF/UA-1 or PDF/A; the word joiner that
/// Unicode has U+FEFF mean inside text is in none of the fonts.
fn printable(c: char) -> Option<char> {
    match c {
        '\u{feff}' | '\u{fffe}' | '\u{ffff}' => None,
        c => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_specials() {
        assert_eq!(markup("#read(\"/etc/passwd\")"), "\\#read(\"\\/etc\\/passwd\")");
        assert_eq!(markup("$x$ and *b* _i_"), "\\$x\\$ and \\*b\\* \\_i\\_");
        assert_eq!(markup("a\n= b"), "a \\= b");
        assert_eq!(markup("wait..."), "wait.\\.\\.");
        assert_eq!(markup("<label> @ref ]"), "\\<label\\> \\@ref \\]");
    }

    #[test]
    fn escapes_numbered_list_markers() {
        assert_eq!(markup("1. Introduction"), "1\\. Introduction");
        assert_eq!(markup("007. x 3.14"), "007\\. x 3\\.14");
        assert_eq!(markup(". after"), "\\. after");
        assert_eq!(markup("a\u{2028}\u{2029}b"), "a  b");
        // Found by fuzzing: a dropped control character hid the digit before the full stop.
        assert_eq!(markup("11\u{0}. Intro"), "11\\. Intro");
        assert_eq!(markup("1\u{7f}\u{1b}. x"), "1\\. x");
    }

    #[test]
    fn makes_string_literals() {
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(string("\u{1}"), "\"\\u{1}\"");
    }
}

/// The structural proof that escaped text is only text: typst's own parser reads escaped arbitrary
/// strings, set in every kind of place the writers put author text, and finds nothing but text.
#[cfg(test)]
mod structure {
    use proptest::prelude::*;
    use typst_syntax::{LinkedNode, SyntaxKind};

    use super::markup;

    /// The places author text lands in generated typst: before and after it, what the writers and
    /// templates put there. `{}` marks the text; two marks are two pieces of text side by side.
    const PLACES: &[&str] = &[
        "{}",
        "{}{}",
        "[{}]",
        "[{}{}]",
        "#heading(level: 1)[{}] <id>\n\n",
        "#emph[{}];{}",
        "#strong[{}{}];",
        "#link(\"https://example.com\")[{}];",
        "#metadata(1)<ix>{}",
        "[#metadata(\"term\") <term-x>{}]",
        "#footnote[{}]<fn-x>{}",
        "#raw(\"x\");{}",
        "#h(0.2em) {}",
        "= Title\n{}",
        "a {} b",
        "#data-table(columns: 2, header: ([{}], [{}]), [{}], [x])",
        "#callout(\"tip\", [{}])[{}]",
        "#task-list(tight: true, task(false)[{}])",
        "#question-heading(1)[{}] <q>\n\n#question-info(none, none)\n\n{}",
        "text\n\n{}\n\n{}",
    ];

    /// Pieces that mean something to typst's lexer in some place, to mix into arbitrary text.
    fn awkward() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "1.",
            "007.",
            "1990. ",
            "12",
            "3\u{0}",
            "4\u{1b}\u{7f}",
            ". ",
            ".",
            "..",
            "-",
            "--",
            "-?",
            "- ",
            "+ ",
            "/ ",
            "= ",
            "== ",
            "*",
            "_",
            "`",
            "```",
            "$",
            "#",
            "#read(\"/etc/passwd\")",
            "<",
            "<a>",
            ">",
            "@",
            "@a",
            "[",
            "]",
            "\\",
            "\\u{41}",
            "~",
            "'",
            "\"",
            ":",
            "/ a: b",
            "//",
            "/*",
            "*/",
            "http://",
            "https://x.org/(a]",
            "h",
            "ttps://",
            "\n",
            "\r\n",
            "\n\n",
            "\u{2028}",
            "\u{2029}",
            "\u{b}",
            "\u{c}",
            "\u{85}",
            "\t",
            " ",
            "\u{a0}",
            "\u{0}",
            "\u{feff}",
            "\u{202e}",
            "Жуков",
            "日本語",
            "العربية",
            "हिन्दी",
            "e\u{301}",
            "word",
            "a",
        ]);
        prop::collection::vec(pieces, 0..10).prop_map(|parts| parts.concat())
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![awkward(), any::<String>(), "[0-9. +=*_#$<>@\\[\\]`/~-]{0,12}"]
    }

    /// Checks that every leaf of the parse of `source` inside `regions` is text and sits in markup.
    fn only_text(source: &str, regions: &[std::ops::Range<usize>]) -> Result<(), String> {
        let root = typst_syntax::parse(source);
        let (errors, _) = root.errors_and_warnings();
        if !errors.is_empty() {
            return Err(format!("syntax errors: {errors:?}"));
        }
        let mut stack = vec![LinkedNode::new(&root)];
        while let Some(node) = stack.pop() {
            let range = node.range();
            let overlaps = regions.iter().any(|r| range.start < r.end && r.start < range.end);
            if node.children().len() == 0 && overlaps {
                let inside = regions.iter().any(|r| r.start <= range.start && range.end <= r.end);
                let text = matches!(
                    node.kind(),
                    SyntaxKind::Text | SyntaxKind::Space | SyntaxKind::Escape | SyntaxKind::SmartQuote
                );
                // Text and white space at an edge may join the writer's text, space or paragraph
                // break beside it; otherwise only text, escapes, spaces and quotes may stand.
                let joined = !inside && node.kind() == SyntaxKind::Parbreak;
                if !(text || joined) || node.parent_kind() != Some(SyntaxKind::Markup) {
                    return Err(format!(
                        "{:?} {:?} in {:?} at {range:?}",
                        node.kind(),
                        node.get().full_text(),
                        node.parent_kind()
                    ));
                }
            }
            stack.extend(node.children());
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12_000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn escaped_text_parses_as_text_only(place in prop::sample::select(PLACES), a in text(), b in text()) {
            let mut source = String::new();
            let mut regions: Vec<std::ops::Range<usize>> = Vec::new();
            let mut pieces = [markup(&a), markup(&b)].into_iter().cycle();
            let mut rest = place;
            while let Some(at) = rest.find("{}") {
                source.push_str(&rest[..at]);
                let piece = pieces.next().unwrap_or_default();
                // Pieces side by side are one region: their text may join into one token.
                match regions.last_mut() {
                    Some(last) if last.end == source.len() => last.end += piece.len(),
                    _ => regions.push(source.len()..source.len() + piece.len()),
                }
                source.push_str(&piece);
                rest = &rest[at + 2..];
            }
            source.push_str(rest);
            let found = only_text(&source, &regions);
            prop_assert!(found.is_ok(), "{}\nin {:?}\nfrom {:?} and {:?}", found.unwrap_err(), source, a, b);
        }
    }
}
