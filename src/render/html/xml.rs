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
/// Square brackets may appear only round an IPv6 host, so elsewhere (`?filter[year]=1953`) they are
/// encoded too.
pub fn url(url: &str) -> String {
    // The authority, after `scheme://` up to the path, query or fragment, may hold `[::1]`.
    let authority = url.find("://").map_or(0..0, |at| {
        let start = at + 3;
        start..url[start..].find(['/', '?', '#']).map_or(url.len(), |end| start + end)
    });
    let mut out = String::with_capacity(url.len());
    for (i, c) in url.char_indices() {
        let bracket_allowed = authority.contains(&i);
        // A `%` that starts no percent-encoded byte is a percent sign.
        let escape_start = c == '%' && url.get(i + 1..i + 3).is_some_and(|h| h.chars().all(|d| d.is_ascii_hexdigit()));
        if c.is_ascii_alphanumeric()
            || "-._~:/?#@!$&'()*+,;=".contains(c)
            || escape_start
            || ("[]".contains(c) && bracket_allowed)
        {
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
        assert_eq!(url("https://example.com/?filter[year]=1953"), "https://example.com/?filter%5Byear%5D=1953");
        assert_eq!(url("http://[::1]:8080/a[b]"), "http://[::1]:8080/a%5Bb%5D");
        assert_eq!(url("https://x.org/a%20b/100%"), "https://x.org/a%20b/100%25");
    }
}
