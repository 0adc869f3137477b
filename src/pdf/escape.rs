//! Escaping author text for typst, so that it always prints as written and never runs as code.

/// Escapes text for typst markup: every character that markup gives a meaning is escaped.
///
/// Line breaks become spaces, so that text can never start a markup line (a heading, a list item, a
/// term). Control characters other than tabs are dropped. Straight quotes are left for typst's smart
/// quotes, which follow the book's language.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut previous = '\0';
    for c in text.chars() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '`' | '<' | '>' | '@' | '[' | ']' | '=' | '-' | '+' | '/' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // A second dot in a row would start the `...` shorthand.
            '.' if previous == '.' => out.push_str("\\."),
            '\n' | '\r' => out.push(' '),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
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
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
    fn makes_string_literals() {
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(string("\u{1}"), "\"\\u{1}\"");
    }
}
