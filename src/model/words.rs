//! The words revise adds to a book, in the book's language: the headings it makes (Contents,
//! Answers, Glossary, Index), labels (Model answer, Key terms, Exam tip), links, the handouts'
//! furniture (Name, Class, Date, Page 1 of 2) and the EPUB's navigation and accessibility summary.
//!
//! They come from `templates/words.toml`, one table per language, which a translator edits without
//! reading Rust. The book's language picks the table through ICU4X's locale fallback (`de-AT` →
//! `de`, `zh-TW` → `zh-Hant`), word by word, with English for any word a language lacks; a book's
//! `[words]` table in book.toml replaces any word. Plural forms (`1 mark`, `2 marks`; Polish's
//! three, Arabic's six) are chosen by ICU4X's CLDR plural rules.
//!
//! Two words are also read: the model-answer heading and the marks after a question heading are
//! accepted in the book's words as well as in English.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use icu_locale::Locale;
use icu_locale::fallback::LocaleFallbacker;
use icu_plurals::{PluralCategory, PluralRules};
use serde::{Deserialize, Serialize};

/// The table of every language's words.
const TABLE: &str = include_str!("../../templates/words.toml");

/// The language whose table holds every word, used for any word another language lacks.
const ENGLISH: &str = "en";

/// Tags ICU4X's fallback does not lead to a table of their own: Norwegian is written as Bokmål.
const ALIASES: [(&str, &str); 1] = [("no", "nb")];

/// The plural categories of CLDR, as the table names them.
pub const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One word or phrase: a text with `{placeholders}`, or one text for each plural category.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Phrase {
    /// The same text whatever the number.
    Text(String),
    /// A text for each plural category the language has (`one`, `few`, `other`…), with `{n}`.
    Plural(BTreeMap<String, String>),
}

impl Phrase {
    /// Returns every text of the phrase: the one text, or every plural form.
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Phrase::Text(text) => vec![text.as_str()],
            Phrase::Plural(forms) => forms.values().map(String::as_str).collect(),
        }
    }
}

/// The words of one language, word by word.
pub type Table = BTreeMap<String, Phrase>;

/// Returns every language's table, read once. The table is part of revise, and a unit test reads
/// it, so a broken table never reaches a build.
pub fn tables() -> &'static BTreeMap<String, Table> {
    static TABLES: OnceLock<BTreeMap<String, Table>> = OnceLock::new();
    TABLES.get_or_init(|| toml::from_str(TABLE).expect("templates/words.toml is a table of tables of words"))
}

/// Returns the English table, which holds every word revise prints.
pub fn english() -> &'static Table {
    &tables()[ENGLISH]
}

/// Returns the placeholders of a text, such as `page` in `Model answer on page {page}`.
pub fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_lowercase()) && close > 0 => {
                found.insert(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

/// Splits a text at its placeholders: the text before each, the placeholder's name, and the text
/// after the last.
pub fn pieces(text: &str) -> (Vec<(&str, &str)>, &str) {
    let mut pieces = Vec::new();
    let mut rest = text;
    let mut start = 0;
    while let Some(open) = rest[start..].find('{').map(|i| i + start) {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if close > 0 && after[..close].chars().all(|c| c.is_ascii_lowercase()) => {
                pieces.push((&rest[..open], &after[..close]));
                rest = &after[close + 1..];
                start = 0;
            }
            _ => start = open + 1,
        }
    }
    (pieces, rest)
}

/// Replaces the placeholders of `text` with the values given; one not given stays as written.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let (pieces, last) = pieces(text);
    let mut out = String::with_capacity(text.len());
    for (before, name) in pieces {
        out.push_str(before);
        match values.iter().find(|(key, _)| *key == name) {
            Some((_, value)) => out.push_str(value),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
    }
    out.push_str(last);
    out
}

/// One word as a book uses it, with the plural rules of the language it is written in.
#[derive(Clone)]
struct Word {
    phrase: Phrase,
    rules: Option<Arc<PluralRules>>,
}

/// The words of one book: its language's, English where that lacks one, and the book's own.
#[derive(Clone)]
pub struct Words {
    words: BTreeMap<String, Word>,
    /// The tables the words were taken from, most specific first, such as `de`, `en`.
    pub chain: Vec<String>,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words").field("chain", &self.chain).finish_non_exhaustive()
    }
}

impl Default for Words {
    fn default() -> Self {
        Self::new(ENGLISH, &Table::new())
    }
}

/// Returns the tables to look in for a language tag, most specific first, ending in English:
/// `de-AT` gives `de`, `en`; `zh-TW` gives `zh-Hant`, `en`.
pub fn chain(tag: &str) -> Vec<String> {
    let tables = tables();
    let mut chain = Vec::new();
    if let Ok(locale) = tag.parse::<Locale>() {
        let fallbacker = LocaleFallbacker::new();
        let mut steps = fallbacker.for_config(Default::default()).fallback_for((&locale).into());
        while !steps.get().is_unknown() {
            let name = steps.get().to_string();
            let name = ALIASES.iter().find(|(alias, _)| *alias == name).map_or(name, |(_, to)| to.to_string());
            if tables.contains_key(&name) && !chain.contains(&name) {
                chain.push(name);
            }
            steps.step();
        }
    }
    if !chain.iter().any(|name| name == ENGLISH) {
        chain.push(ENGLISH.to_string());
    }
    chain
}

fn plural_rules(tag: &str) -> Option<Arc<PluralRules>> {
    let locale: Locale = tag.parse().ok()?;
    PluralRules::try_new_cardinal((&locale).into()).ok().map(Arc::new)
}

impl Words {
    /// Returns the words of a book in the language `tag`, with `overrides` from its `[words]`
    /// table (checked beforehand by [`check_override`]).
    pub fn new(tag: &str, overrides: &Table) -> Self {
        let tables = tables();
        let chain = chain(tag);
        let mut rules: BTreeMap<String, Option<Arc<PluralRules>>> = BTreeMap::new();
        let mut rules_of =
            |language: &str| rules.entry(language.to_string()).or_insert_with(|| plural_rules(language)).clone();
        let mut words = BTreeMap::new();
        for key in english().keys() {
            let (phrase, language) = match overrides.get(key) {
                Some(phrase) => (phrase.clone(), tag),
                None => chain
                    .iter()
                    .find_map(|name| tables[name].get(key).map(|phrase| (phrase.clone(), name.as_str())))
                    .expect("English has every word"),
            };
            let rules = matches!(phrase, Phrase::Plural(_)).then(|| rules_of(language)).flatten();
            words.insert(key.clone(), Word { phrase, rules });
        }
        Self { words, chain }
    }

    fn word(&self, key: &str) -> &Word {
        self.words.get(key).unwrap_or_else(|| panic!("`{key}` is not in templates/words.toml"))
    }

    /// Returns a word as written, placeholders and all; for a plural word, its `other` form.
    pub fn get(&self, key: &str) -> &str {
        match &self.word(key).phrase {
            Phrase::Text(text) => text,
            Phrase::Plural(forms) => forms.get("other").or_else(|| forms.values().next()).map_or("", String::as_str),
        }
    }

    /// Returns a word with its placeholders filled in.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.get(key), values)
    }

    /// Returns the form of a plural word for the number `n`, with `{n}` filled in.
    pub fn count(&self, key: &str, n: u32) -> String {
        let word = self.word(key);
        let text = match &word.phrase {
            Phrase::Text(text) => text.as_str(),
            Phrase::Plural(forms) => {
                let category = word.rules.as_ref().map_or(PluralCategory::Other, |rules| rules.category_for(n));
                forms
                    .get(category_name(category))
                    .or_else(|| forms.get("other"))
                    .or_else(|| forms.values().next())
                    .map_or("", String::as_str)
            }
        };
        fill(text, &[("n", &n.to_string())])
    }

    /// Returns "1 mark", "2 marks" or their translation.
    pub fn marks(&self, n: u32) -> String {
        self.count("marks", n)
    }

    /// Returns every word that is one text, by key, for templates.
    pub fn texts(&self) -> BTreeMap<&str, &str> {
        self.words.keys().map(|key| (key.as_str(), self.get(key))).collect()
    }

    /// Returns true if `text` names the model-answer heading, in the book's words or in English:
    /// `Model answer`, `Musterlösung:`, `参考答案`.
    pub fn is_model_answer(&self, text: &str) -> bool {
        let text = text.trim().trim_end_matches([':', '：']).trim().to_lowercase();
        [self.get("model_answer"), english_text("model_answer")].iter().any(|name| name.to_lowercase() == text)
    }

    /// Returns the marks of an annotation written in the book's words or in English, without its
    /// brackets: `6 marks`, `2 Punkte`, `2分`. Spaces and case do not count, and digits may be of any
    /// script.
    pub fn read_marks(&self, annotation: &str) -> Option<u32> {
        let annotation = squeeze(annotation);
        let english = &english()["marks"];
        let ours = &self.word("marks").phrase;
        ours.texts().into_iter().chain(english.texts()).find_map(|form| {
            let (pieces, after) = pieces(form);
            let [(before, "n")] = pieces.as_slice() else { return None };
            let middle = annotation.strip_prefix(&squeeze(before))?.strip_suffix(&squeeze(after))?;
            decimal(middle)
        })
    }
}

fn english_text(key: &str) -> &'static str {
    match &english()[key] {
        Phrase::Text(text) => text,
        Phrase::Plural(forms) => &forms["other"],
    }
}

/// Returns the name the table gives a plural category.
pub fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// Lowercases a text and removes its spaces, for comparing annotations.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Reads a number written in decimal digits of one of the scripts schools use: ASCII, full-width,
/// Arabic-Indic, Persian, Devanagari or Bengali.
fn decimal(text: &str) -> Option<u32> {
    const ZEROS: [u32; 6] = [0x30, 0xFF10, 0x660, 0x6F0, 0x966, 0x9E6];
    if text.is_empty() {
        return None;
    }
    let mut value: u32 = 0;
    for c in text.chars() {
        let digit = ZEROS.iter().find_map(|&zero| (c as u32).checked_sub(zero).filter(|d| *d < 10))?;
        value = value.checked_mul(10)?.checked_add(digit)?;
    }
    Some(value)
}

/// Checks a word a book gives in `[words]`: that revise prints it, that it has the English word's
/// shape (one text or plural forms), and that it uses no placeholder the English word lacks.
/// Returns the problem, to be reported at the word.
pub fn check_override(key: &str, phrase: &Phrase) -> Result<(), (String, String)> {
    let Some(english) = english().get(key) else {
        let plain = |text: &str| text.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
        let wanted = plain(key);
        let keys = || english().keys().map(String::as_str);
        let same: Vec<&str> = keys().filter(|k| plain(k) == wanted).collect();
        let near: Vec<&str> = if same.is_empty() {
            keys()
                .filter(|k| !wanted.is_empty() && (plain(k).contains(&wanted) || wanted.contains(&plain(k))))
                .take(3)
                .collect()
        } else {
            same
        };
        let hint = if near.is_empty() {
            "the words revise prints are listed in its templates/words.toml, such as `model_answer` or `marks`".into()
        } else {
            format!("did you mean {}?", near.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" or "))
        };
        return Err((format!("`{key}` is not a word revise prints"), hint));
    };
    let allowed: BTreeSet<&str> = english.texts().into_iter().flat_map(placeholders).collect();
    match (english, phrase) {
        (Phrase::Text(_), Phrase::Plural(_)) => {
            return Err((format!("`{key}` is one text, not plural forms"), format!("write `{key} = \"…\"`")));
        }
        (Phrase::Plural(_), Phrase::Text(_)) => {
            return Err((
                format!("`{key}` needs a form for each plural category"),
                format!(
                    "write `{key} = {{ one = \"{{n}} …\", other = \"{{n}} …\" }}`, with the categories of the book's language"
                ),
            ));
        }
        (_, Phrase::Plural(forms)) => {
            if let Some(bad) = forms.keys().find(|k| !CATEGORIES.contains(&k.as_str())) {
                return Err((
                    format!("`{bad}` is not a plural category"),
                    "the categories are zero, one, two, few, many and other".into(),
                ));
            }
            if !forms.contains_key("other") {
                return Err((
                    format!("`{key}` has no `other` form"),
                    "every language has an `other` form: add it".into(),
                ));
            }
        }
        _ => {}
    }
    for text in phrase.texts() {
        if let Some(unknown) = placeholders(text).into_iter().find(|p| !allowed.contains(p)) {
            let known: Vec<String> = allowed.iter().map(|p| format!("`{{{p}}}`")).collect();
            let hint = if known.is_empty() {
                format!("`{key}` takes no placeholders")
            } else {
                format!("`{key}` takes {}", known.join(" and "))
            };
            return Err((format!("`{{{unknown}}}` is not a placeholder of `{key}`"), hint));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_word_with_the_same_placeholders() {
        let english = english();
        for (language, table) in tables() {
            for (key, phrase) in table {
                let model = english.get(key).unwrap_or_else(|| panic!("[{language}] {key} is not an English word"));
                assert_eq!(
                    std::mem::discriminant(model),
                    std::mem::discriminant(phrase),
                    "[{language}] {key} has another shape than English"
                );
                let wanted: BTreeSet<&str> = model.texts().into_iter().flat_map(placeholders).collect();
                for text in phrase.texts() {
                    // A plural form may spell its number out ("Choose one answer."); the others
                    // hold every placeholder.
                    let found = placeholders(text);
                    match phrase {
                        Phrase::Plural(forms) if forms.get("other").map(String::as_str) != Some(text) => {
                            assert!(found.is_subset(&wanted), "[{language}] {key} = {text:?}")
                        }
                        _ => assert_eq!(found, wanted, "[{language}] {key} = {text:?}"),
                    }
                    assert!(!text.trim().is_empty(), "[{language}] {key} is empty");
                }
            }
            let missing: Vec<&String> = english.keys().filter(|k| !table.contains_key(*k)).collect();
            assert!(missing.is_empty(), "[{language}] lacks {missing:?}");
        }
    }

    #[test]
    fn every_plural_word_has_exactly_the_forms_its_language_uses() {
        let mut problems = Vec::new();
        for (language, table) in tables() {
            let rules = plural_rules(language).unwrap_or_else(|| panic!("no plural rules for {language}"));
            let used: BTreeSet<&str> =
                (0..=2000u32).chain([1_000_000]).map(|n| category_name(rules.category_for(n))).collect();
            for (key, phrase) in table {
                if let Phrase::Plural(forms) = phrase {
                    let given: BTreeSet<&str> = forms.keys().map(String::as_str).collect();
                    let lacking: Vec<_> = used.difference(&given).collect();
                    // Forms for decimals (Polish `other`, Czech `many`) are the language's, though
                    // marks are whole numbers.
                    let has: BTreeSet<&str> = rules.categories().map(category_name).collect();
                    let unused: Vec<_> = given.difference(&has).collect();
                    if !lacking.is_empty() || !unused.is_empty() {
                        problems.push(format!("[{language}] {key} lacks {lacking:?}, never uses {unused:?}"));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn languages_fall_back_to_their_parent_then_to_english() {
        assert_eq!(chain("de-AT"), ["de", "en"]);
        assert_eq!(chain("zh-TW"), ["zh-Hant", "en"]);
        assert_eq!(chain("zh-CN"), ["zh", "en"]);
        assert_eq!(chain("pt-BR"), ["pt-BR", "pt", "en"]);
        assert_eq!(chain("no"), ["nb", "en"]);
        assert_eq!(chain("en-GB"), ["en"]);
        assert_eq!(chain("tlh"), ["en"]);
    }

    #[test]
    fn plurals_follow_the_language() {
        let english = Words::new("en-GB", &Table::new());
        assert_eq!(english.marks(1), "1 mark");
        assert_eq!(english.marks(2), "2 marks");
        let polish = Words::new("pl", &Table::new());
        let forms: Vec<String> = [1, 2, 5, 22, 25].iter().map(|&n| polish.marks(n)).collect();
        assert_ne!(forms[1], forms[2], "Polish says 2 and 5 differently: {forms:?}");
        assert_eq!(forms[1].replace('2', ""), forms[3].replace("22", ""), "{forms:?}");
        // A language revise has no words for is English, with English plurals.
        assert_eq!(Words::new("tlh", &Table::new()).marks(1), "1 mark");
    }

    #[test]
    fn a_book_overrides_a_word_and_reads_marks_in_its_words() {
        let mut overrides = Table::new();
        overrides.insert("model_answer".into(), Phrase::Text("Lösungsvorschlag".into()));
        let words = Words::new("de-AT", &overrides);
        assert!(words.is_model_answer("Lösungsvorschlag:"));
        assert!(words.is_model_answer("Model answer"));
        assert!(!words.is_model_answer("Hinweis"));
        assert_eq!(words.read_marks("2 Punkte"), Some(2));
        assert_eq!(words.read_marks("1 Punkt"), Some(1));
        assert_eq!(words.read_marks("6 marks"), Some(6));
        assert_eq!(words.read_marks("2 Äpfel"), None);
        let chinese = Words::new("zh", &Table::new());
        assert_eq!(chinese.read_marks("2分"), Some(2));
        assert_eq!(chinese.read_marks("１２ 分"), Some(12));
        let arabic = Words::new("ar", &Table::new());
        assert_eq!(arabic.read_marks("6 marks"), Some(6));
        assert_eq!(arabic.read_marks("٤ درجات"), Some(4), "Arabic-Indic digits");
        assert_eq!(arabic.read_marks("2 درجتان"), Some(2));
    }

    #[test]
    fn overrides_are_checked_against_the_english_words() {
        assert!(check_override("model_answer", &Phrase::Text("Lösung".into())).is_ok());
        assert!(check_override("modelanswer", &Phrase::Text("x".into())).unwrap_err().0.contains("modelanswer"));
        assert!(check_override("marks", &Phrase::Text("{n} Punkte".into())).is_err());
        assert!(check_override("chapter", &Phrase::Text("Kapitel {page}".into())).unwrap_err().0.contains("{page}"));
        let forms = BTreeMap::from([("one".to_string(), "{n} Punkt".to_string())]);
        assert!(check_override("marks", &Phrase::Plural(forms)).is_err());
    }

    #[test]
    fn placeholders_are_filled_and_split() {
        assert_eq!(fill("第{n}章", &[("n", "3")]), "第3章");
        assert_eq!(fill("{a} {b}", &[("b", "x")]), "{a} x");
        let (pieces, last) = pieces("Page {page} of {pages}.");
        assert_eq!(pieces, [("Page ", "page"), (" of ", "pages")]);
        assert_eq!(last, ".");
        assert_eq!(placeholders("a {B} {} {x}"), BTreeSet::from(["x"]));
    }
}
