//! Escaping for XHTML, with quick-xml's escaper, after removing the characters XML 1.0 forbids.

use std::borrow::Cow;

/// Returns true for characters XML 1.0 allows in a document.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Escapes text for XHTML element content or a quoted attribute value.
pub fn escape(text: &str) -> String {
    let clean: Cow<str> = if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    };
    quick_xml::escape::escape(clean.as_ref()).into_owned()
}

/// Makes a URL safe for an `href`: characters that may not appear in a URL are percent-encoded.
pub fn url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    escape(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&apos;");
        assert_eq!(escape("a\u{0}b\u{1b}c\u{FFFE}"), "abc");
    }

    #[test]
    fn encodes_urls() {
        assert_eq!(url("https://example.com/a b?x=1&y=\"2\""), "https://example.com/a%20b?x=1&amp;y=%222%22");
        assert_eq!(
            url("https://ru.wikipedia.org/wiki/Берия"),
            "https://ru.wikipedia.org/wiki/%D0%91%D0%B5%D1%80%D0%B8%D1%8F"
        );
    }
}
