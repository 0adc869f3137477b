//! Sorting for people: case and diacritics ignored, a leading "The" ignored, grouped by letter.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Returns the key a name sorts by: lowercase, without diacritics or a leading "The", letters and
/// digits only, with single spaces between words.
pub fn sort_key(name: &str) -> String {
    let folded: String = name.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect();
    let words: Vec<String> =
        folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect();
    let words = match words.split_first() {
        Some((first, rest)) if first == "the" && !rest.is_empty() => rest.to_vec(),
        _ => words,
    };
    words.join(" ")
}

/// Returns the letter heading a name is listed under: its first letter without diacritics, in
/// uppercase, or "#" when it starts with something else.
pub fn letter(key: &str) -> String {
    match key.chars().next() {
        Some(c) if c.is_alphabetic() => c.to_uppercase().collect(),
        _ => "#".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_people_expect() {
        assert_eq!(sort_key("The Gulag"), "gulag");
        assert_eq!(sort_key("Émigré"), "emigre");
        assert_eq!(sort_key("Beria, Lavrentiy"), "beria lavrentiy");
        assert_eq!(sort_key("The"), "the");
        let mut names = vec!["zebra", "Éclair", "The Apple", "banana", "Dog"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, vec!["The Apple", "banana", "Dog", "Éclair", "zebra"]);
        assert_eq!(letter(&sort_key("Éclair")), "E");
        assert_eq!(letter(&sort_key("1953")), "#");
    }
}
