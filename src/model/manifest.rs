//! The manifest, `book.toml`: the book's metadata, index entries and output settings.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Span};
use crate::model::words::{self, Phrase, Words};
use crate::source::{SourceId, Sources};

/// The file name of the manifest inside a book folder.
pub const MANIFEST_FILE: &str = "book.toml";

/// The book's settings, checked and ready to use.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The manifest's source, where its diagnostics point.
    pub source: SourceId,
    /// Metadata from `[book]`.
    pub book: BookMeta,
    /// Entries of `[index]`, in the order of their printed names.
    pub index: Vec<IndexEntry>,
    /// Settings from `[pdf]`.
    pub pdf: PdfConfig,
    /// Settings from `[epub]`.
    pub epub: EpubConfig,
    /// Settings from `[build]`.
    pub build: BuildConfig,
}

/// Metadata from `[book]`.
#[derive(Debug, Clone)]
pub struct BookMeta {
    /// The title; required.
    pub title: String,
    /// An optional subtitle.
    pub subtitle: Option<String>,
    /// The authors, in order.
    pub authors: Vec<String>,
    /// The language of the text.
    pub language: Language,
    /// The subject, such as "History".
    pub subject: Option<String>,
    /// A one-paragraph description.
    pub description: Option<String>,
    /// A stable identifier, such as a URN or ISBN.
    pub identifier: Option<String>,
    /// Whether `$…$` is maths; `[book] math = false` keeps every dollar sign as text.
    pub math: bool,
    /// The words revise prints, in the book's language, with book.toml's `[words]` over them.
    pub words: Words,
}

/// A BCP 47 language tag, split into the parts typesetting needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The whole tag as written, such as `en-GB`.
    pub tag: String,
    /// The lowercase language subtag, such as `en`.
    pub language: String,
    /// The uppercase region subtag, such as `GB`, if any.
    pub region: Option<String>,
}

/// An entry of the `[index]` table: the printed name and the forms it takes in the text.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    /// The name as printed in the index, such as "Beria, Lavrentiy".
    pub name: String,
    /// The forms found in the text, such as "Lavrentiy Beria" and "Beria".
    pub aliases: Vec<String>,
    /// The entry's place in book.toml.
    pub span: Span,
}

impl Language {
    /// Returns true if the language is written right to left, by CLDR's likely scripts through
    /// ICU4X: Arabic, Hebrew, Persian, Urdu and the others of their scripts, or any tag naming a
    /// right-to-left script (`az-Arab`).
    pub fn is_right_to_left(&self) -> bool {
        use icu_locale::{LanguageIdentifier, LocaleDirectionality};
        let Ok(id) = self.tag.parse::<LanguageIdentifier>() else { return false };
        LocaleDirectionality::new_extended().is_right_to_left(&id)
    }

    /// Returns true if the language is written in a script with capital letters (Latin, Greek,
    /// Cyrillic, Armenian…), by CLDR's likely script through ICU4X.
    pub fn is_cased(&self) -> bool {
        use icu_locale::{LanguageIdentifier, LocaleExpander};
        let Ok(mut id) = self.tag.parse::<LanguageIdentifier>() else { return true };
        LocaleExpander::new_extended().maximize(&mut id);
        id.script.is_none_or(|script| matches!(script.as_str(), "Latn" | "Grek" | "Cyrl" | "Armn" | "Geor" | "Copt"))
    }

    /// Returns `rtl` or `ltr`, for `dir` attributes.
    pub fn direction(&self) -> &'static str {
        if self.is_right_to_left() { "rtl" } else { "ltr" }
    }
}

/// Paper sizes for the PDF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    UsLetter,
}

impl Paper {
    /// Returns the name typst gives this paper size.
    pub fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::UsLetter => "us-letter",
        }
    }
}

/// Settings from `[pdf]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct PdfConfig {
    /// The paper size.
    pub paper: Paper,
    /// Extra space on the inner margin for hole-punching or binding, such as "10mm".
    pub binding_margin: Option<Spanned<String>>,
    /// The body text's font family, such as "Noto Serif"; Libertinus Serif when absent.
    pub body_font: Option<Spanned<String>>,
    /// The headings' font family, such as "Noto Sans"; Open Sans when absent.
    pub heading_font: Option<Spanned<String>>,
    /// Families for the characters the body and heading fonts lack, such as "Noto Sans CJK SC".
    pub fallback_fonts: Vec<Spanned<String>>,
}

impl PdfConfig {
    /// Returns the binding margin as a typst length (checked when the manifest is read), or `0mm`.
    pub fn binding_margin(&self) -> &str {
        self.binding_margin.as_ref().map_or("0mm", |m| m.get_ref().as_str())
    }
}

/// Returns true if `text` is a length typst reads: a number and one of mm, cm, in or pt.
fn is_length(text: &str) -> bool {
    let text = text.trim();
    ["mm", "cm", "in", "pt"].iter().any(|unit| {
        text.strip_suffix(unit)
            .is_some_and(|n| !n.is_empty() && n.parse::<f64>().is_ok_and(|v| (0.0..=100.0).contains(&v)))
    })
}

/// Settings from `[epub]`.
#[derive(Debug, Clone, Default)]
pub struct EpubConfig {
    /// The cover image, relative to the book folder; a cover is generated from the title when absent.
    pub cover: Option<String>,
    /// Where `cover` is written in book.toml.
    pub cover_span: Option<Span>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
struct RawEpub {
    cover: Option<Spanned<String>>,
}

/// Settings from `[build]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct BuildConfig {
    /// The base name of the output files; a slug of the title when absent.
    pub name: Option<String>,
    /// The outputs a plain `revise build` makes, by their names in the renderers' registry
    /// ([`crate::render::Format`]), with where each is written; every one when absent.
    pub outputs: Option<Vec<toml::Spanned<String>>>,
    /// The date written into the outputs when `SOURCE_DATE_EPOCH` is not set, as a TOML date such
    /// as `2025-09-01` or date-time such as `2025-09-01T09:00:00Z`.
    pub date: Option<toml::value::Datetime>,
}

impl BuildConfig {
    /// Returns `[build] date` as a UTC date and time; a date alone is midnight.
    pub fn build_date(&self) -> Option<crate::model::date::BuildDate> {
        let datetime = self.date.as_ref()?;
        let date = datetime.date?;
        let time = datetime.time.unwrap_or(toml::value::Time { hour: 0, minute: 0, second: Some(0), nanosecond: None });
        Some(crate::model::date::BuildDate {
            year: i32::from(date.year),
            month: date.month,
            day: date.day,
            hour: time.hour,
            minute: time.minute,
            second: time.second.unwrap_or(0),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawManifest {
    book: Option<Spanned<RawBook>>,
    #[serde(default)]
    index: BTreeMap<String, Spanned<Vec<String>>>,
    #[serde(default)]
    pdf: PdfConfig,
    #[serde(default)]
    epub: RawEpub,
    #[serde(default)]
    build: BuildConfig,
    #[serde(default)]
    words: BTreeMap<String, Spanned<Phrase>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawBook {
    title: Option<Spanned<String>>,
    subtitle: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    language: Option<Spanned<String>>,
    subject: Option<String>,
    description: Option<String>,
    identifier: Option<String>,
    math: Option<bool>,
}

/// Reads and checks `book.toml` in `root`, reporting every problem found.
pub fn load(root: &Path, sources: &mut Sources) -> Result<Manifest, Vec<Diagnostic>> {
    let path = root.join(MANIFEST_FILE);
    if !path.is_file() {
        return Err(vec![
            Diagnostic::error(format!("no {MANIFEST_FILE} in this folder; is it a book?"))
                .in_file(MANIFEST_FILE)
                .hint("`revise init DIR` makes a new book"),
        ]);
    }
    let source = sources.read(root, &path).map_err(|e| vec![e.into()])?;
    parse(source, sources)
}

/// Parses and checks the manifest text of `source`.
pub fn parse(source: SourceId, sources: &Sources) -> Result<Manifest, Vec<Diagnostic>> {
    let text = sources.text(source);
    let raw: RawManifest = toml::from_str(text).map_err(|err| {
        let range = err.span().unwrap_or(0..0);
        let message = err.message().trim().to_string();
        vec![Diagnostic::error(format!("{MANIFEST_FILE}: {message}")).at(Span::new(source, range), "")]
    })?;

    let mut errors = Vec::new();
    let whole = Span::new(source, 0..0);
    let Some(book) = raw.book else {
        return Err(vec![
            Diagnostic::error("book.toml has no [book] table")
                .at(whole, "expected `[book]` with `title` and `language`")
                .hint("add `[book]`, `title = \"…\"` and `language = \"en-GB\"`"),
        ]);
    };
    let book_span = Span::new(source, book.span());
    let book = book.into_inner();

    let title = match book.title {
        Some(t) if !t.get_ref().trim().is_empty() => t.into_inner(),
        Some(t) => {
            errors.push(Diagnostic::error("the book's title is empty").at(Span::new(source, t.span()), "empty title"));
            String::new()
        }
        None => {
            errors.push(
                Diagnostic::error("[book] has no `title`")
                    .at(book_span.clone(), "`title` is required here")
                    .hint("add `title = \"…\"` to [book]"),
            );
            String::new()
        }
    };
    let language = match book.language {
        Some(tag) => match parse_language(tag.get_ref()) {
            Some(language) => language,
            None => {
                errors.push(
                    Diagnostic::error(format!("`{}` is not a BCP 47 language tag", tag.get_ref()))
                        .at(Span::new(source, tag.span()), "not a language tag")
                        .hint("use a tag such as `en-GB`, `en-US`, `fr` or `de-DE`"),
                );
                fallback_language()
            }
        },
        None => {
            errors.push(
                Diagnostic::error("[book] has no `language`")
                    .at(book_span, "`language` is required here")
                    .hint("add `language = \"en-GB\"` (a BCP 47 tag) to [book]"),
            );
            fallback_language()
        }
    };

    let index = raw
        .index
        .into_iter()
        .map(|(name, aliases)| {
            let span = Span::new(source, aliases.span());
            let mut aliases = aliases.into_inner();
            if aliases.is_empty() {
                aliases.push(name.clone());
            }
            IndexEntry { name, aliases, span }
        })
        .collect();

    if let Some(margin) = &raw.pdf.binding_margin
        && !is_length(margin.get_ref())
    {
        errors.push(
            Diagnostic::error(format!("`{}` is not a margin length", margin.get_ref()))
                .at(Span::new(source, margin.span()), "expected a length")
                .hint("write a number and a unit, such as \"10mm\", \"1cm\" or \"0.4in\""),
        );
    }

    let mut overrides = words::Table::new();
    for (key, phrase) in raw.words {
        let span = Span::new(source, phrase.span());
        match words::check_override(&key, phrase.get_ref()) {
            Ok(()) => {
                overrides.insert(key, phrase.into_inner());
            }
            Err((message, hint)) => {
                errors.push(Diagnostic::error(format!("[words] {message}")).at(span, "here").hint(hint));
            }
        }
    }
    let words = Words::new(&language.tag, &overrides);

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Manifest {
        source,
        book: BookMeta {
            title,
            subtitle: book.subtitle.filter(|s| !s.trim().is_empty()),
            authors: book.authors,
            language,
            subject: book.subject,
            description: book.description,
            identifier: book.identifier,
            math: book.math.unwrap_or(true),
            words,
        },
        index,
        pdf: raw.pdf,
        epub: EpubConfig {
            cover_span: raw.epub.cover.as_ref().map(|c| Span::new(source, c.span())),
            cover: raw.epub.cover.map(Spanned::into_inner),
        },
        build: raw.build,
    })
}

impl Manifest {
    /// Returns the base name of the output files: `[build] name`, or a slug of the title.
    pub fn output_name(&self) -> String {
        match &self.build.name {
            Some(name) if !name.trim().is_empty() => slug(name),
            _ => slug(&self.book.title),
        }
    }
}

/// Makes a file-name-safe slug: lowercase letters and digits joined by hyphens. It works on
/// grapheme clusters, not characters, so that a letter keeps its marks: the virama and vowel
/// signs of Devanagari (`जल-चक्र`) or a combining accent are never cut off as punctuation.
pub fn slug(text: &str) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let mut out = String::new();
    let mut pending_dash = false;
    for grapheme in text.graphemes(true) {
        if grapheme.chars().next().is_some_and(char::is_alphanumeric) {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push_str(&grapheme.to_lowercase());
        } else if grapheme != "'" && grapheme != "’" {
            pending_dash = true;
        }
    }
    if out.is_empty() { "book".to_string() } else { out }
}

fn parse_language(tag: &str) -> Option<Language> {
    let mut parts = tag.split('-');
    let language = parts.next()?;
    if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut region = None;
    for part in parts {
        if part.is_empty() || part.len() > 8 || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let is_region = (part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
            || (part.len() == 3 && part.chars().all(|c| c.is_ascii_digit()));
        if region.is_none() && is_region {
            region = Some(part.to_ascii_uppercase());
        }
    }
    Some(Language { tag: tag.to_string(), language: language.to_ascii_lowercase(), region })
}

fn fallback_language() -> Language {
    Language { tag: "en".into(), language: "en".into(), region: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_titles() {
        assert_eq!(slug("The USSR after Stalin"), "the-ussr-after-stalin");
        assert_eq!(slug("Khrushchev's Rise: 1953–1958"), "khrushchevs-rise-1953-1958");
        assert_eq!(slug("***"), "book");
        let direction = |tag: &str| parse_language(tag).unwrap().direction();
        assert_eq!([direction("ar"), direction("he-IL"), direction("fa"), direction("ur-PK")], ["rtl"; 4]);
        assert_eq!([direction("en-GB"), direction("az-Latn"), direction("zh-Hant")], ["ltr"; 3]);
        assert_eq!(direction("az-Arab"), "rtl");
        let cased = |tag: &str| parse_language(tag).unwrap().is_cased();
        assert!(cased("en-GB") && cased("ru") && cased("el") && cased("sr-Cyrl") && cased("tr"));
        assert!(!cased("ar") && !cased("hi") && !cased("zh-TW") && !cased("ja") && !cased("he"));
        // Found by a Hindi guide: the virama was taken for punctuation (`जल-चक-र`).
        assert_eq!(slug("जल चक्र: वाष्पीकरण"), "जल-चक्र-वाष्पीकरण");
        assert_eq!(slug("Cafe\u{301} e\u{301}te\u{301}"), "cafe\u{301}-e\u{301}te\u{301}");
    }

    #[test]
    fn checks_margin_lengths() {
        assert!(is_length("10mm") && is_length("1.5cm") && is_length("0.4in") && is_length("12pt"));
        assert!(!is_length("10") && !is_length("mm") && !is_length("10px") && !is_length("1e9mm"));
        assert!(!is_length("10mm); #read(\"x\")"));
    }

    #[test]
    fn parses_language_tags() {
        let gb = parse_language("en-GB").unwrap();
        assert_eq!((gb.language.as_str(), gb.region.as_deref()), ("en", Some("GB")));
        assert_eq!(parse_language("fr").unwrap().region, None);
        assert_eq!(parse_language("zh-Hant-TW").unwrap().region.as_deref(), Some("TW"));
        assert!(parse_language("english").is_none());
        assert!(parse_language("en_GB").is_none());
    }
}
