//! The fonts of a book's PDFs: typst's embedded set and revise's bundled ones, which every book
//! has, and every font file in the book's own `fonts/` folder. Never the system's fonts, so a book
//! gives the same bytes on every machine.
//!
//! A book's font files are read once to learn their families and coverage, and loaded in full only
//! when typst sets a character in them: a 20 MB CJK collection costs a PDF without Chinese nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::SystemTime;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo, FontVariant};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontStore};
use unicode_script::{Script, UnicodeScript};

use crate::diagnostics::{Diagnostic, Span};
use crate::model::manifest::PdfConfig;
use crate::source::{SourceId, Sources, resolve_inside};

/// The folder inside a book whose font files its PDFs may use.
pub const FONTS_DIR: &str = "fonts";

/// The body text's family when a book names none.
pub const DEFAULT_BODY: &str = "Libertinus Serif";
/// The headings' family when a book names none.
pub const DEFAULT_HEADING: &str = "Open Sans";

/// The fonts in the project's `fonts/` folder, compiled into the binary.
const BUNDLED_FONTS: &[&[u8]] = &[
    include_bytes!("../../fonts/OpenSans-Regular.ttf"),
    include_bytes!("../../fonts/OpenSans-Italic.ttf"),
    include_bytes!("../../fonts/OpenSans-Semibold.ttf"),
    include_bytes!("../../fonts/OpenSans-Bold.ttf"),
    include_bytes!("../../fonts/OpenSans-BoldItalic.ttf"),
];

/// The fonts every book has, parsed once per process: typst's embedded set and the bundled ones.
static BASE: LazyLock<Vec<(Font, FontInfo)>> = LazyLock::new(|| {
    let mut fonts: Vec<(Font, FontInfo)> = typst_kit::fonts::embedded().collect();
    for data in BUNDLED_FONTS {
        for font in Font::iter(Bytes::new(*data)) {
            let info = font.info().clone();
            fonts.push((font, info));
        }
    }
    fonts
});

/// A font file of a book, as found: its name, size and change time tell whether it changed.
type Signature = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// The fonts of each book folder, kept while its font files stay the same, so that the editions
/// of a build, and the builds of a watching session, read them once.
static BOOKS: LazyLock<Mutex<HashMap<PathBuf, Known>>> = LazyLock::new(Default::default);

/// A book's fonts and the files they were read from.
type Known = (Signature, Arc<BookFonts>);

/// The fonts one book's PDFs may use.
pub struct BookFonts {
    store: FontStore,
    /// The families of the book's own font files, each once, in file order.
    pub families: Vec<String>,
    /// The font files that could not be read, as warnings.
    pub problems: Vec<Diagnostic>,
}

impl BookFonts {
    /// Returns the fonts of the book in the canonical folder `root`: the base fonts and its own.
    pub fn of(root: &Path) -> Arc<BookFonts> {
        let files = font_files(root);
        let signature: Signature = files
            .iter()
            .map(|path| {
                let meta = std::fs::metadata(path).ok();
                (path.clone(), meta.as_ref().map_or(0, |m| m.len()), meta.and_then(|m| m.modified().ok()))
            })
            .collect();
        let mut books = BOOKS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((known, fonts)) = books.get(root)
            && *known == signature
        {
            return fonts.clone();
        }
        let fonts = Arc::new(Self::read(root, &files));
        books.insert(root.to_path_buf(), (signature, fonts.clone()));
        fonts
    }

    fn read(root: &Path, files: &[PathBuf]) -> Self {
        let mut store = FontStore::new();
        store.extend(BASE.iter().cloned());
        let mut families = Vec::new();
        let mut problems = Vec::new();
        for path in files {
            let name = crate::source::relative_name(root, path);
            // Read once for the families and coverage; typst loads the file again when it uses it.
            let infos: Vec<FontInfo> = match std::fs::read(path) {
                Ok(data) => FontInfo::iter(&data).collect(),
                Err(err) => {
                    problems.push(Diagnostic::warning(format!("cannot read the font file: {err}")).in_file(&name));
                    continue;
                }
            };
            if infos.is_empty() {
                problems.push(
                    Diagnostic::warning("this is not a font file typst can read, so the PDFs do not use it")
                        .in_file(&name)
                        .hint("fonts/ takes OpenType and TrueType fonts and collections: .otf, .ttf, .otc, .ttc"),
                );
                continue;
            }
            for (index, info) in infos.into_iter().enumerate() {
                if !families.contains(&info.family) {
                    families.push(info.family.clone());
                }
                let index = u32::try_from(index).unwrap_or(u32::MAX);
                store.push((FontPath { path: path.clone(), index }, info));
            }
        }
        Self { store, families, problems }
    }

    /// The font book typst chooses from.
    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    /// The font at `index` of the book, loaded on first use.
    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// Returns true if a font of the family is available, whatever its case.
    pub fn has_family(&self, family: &str) -> bool {
        self.store.book().contains_family(&family.to_lowercase())
    }
}

/// Returns the font files in the book's `fonts/` folder, by name, that resolve inside the book.
fn font_files(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root.join(FONTS_DIR)) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str()))
        })
        .filter_map(|path| resolve_inside(root, &path).ok())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// The font families of a book's PDFs, as book.toml's `[pdf]` names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Families {
    /// The body text's families, first choice first, then the fallbacks.
    pub body: Vec<String>,
    /// The headings' families, first choice first, then the fallbacks.
    pub heading: Vec<String>,
}

impl Families {
    /// Returns the families `[pdf]` names, with revise's own where it names none.
    pub fn of(pdf: &PdfConfig) -> Self {
        let fallback = pdf.fallback_fonts.iter().map(|f| f.get_ref().clone());
        let body = pdf.body_font.as_ref().map_or(DEFAULT_BODY.to_string(), |f| f.get_ref().clone());
        let heading = pdf.heading_font.as_ref().map_or(DEFAULT_HEADING.to_string(), |f| f.get_ref().clone());
        Self {
            body: std::iter::once(body).chain(fallback.clone()).collect(),
            heading: std::iter::once(heading).chain(fallback).collect(),
        }
    }
}

/// Checks the families book.toml names against the fonts the book has: a family that is not there
/// is warned of, since typst would set the text in another without a word.
pub fn check_families(pdf: &PdfConfig, fonts: &BookFonts, manifest: SourceId) -> Vec<Diagnostic> {
    let named = pdf.body_font.iter().chain(&pdf.heading_font).chain(&pdf.fallback_fonts);
    named
        .filter(|family| !fonts.has_family(family.get_ref()))
        .map(|family| {
            let mut known: Vec<&str> = fonts.families.iter().map(String::as_str).collect();
            known.extend([DEFAULT_BODY, DEFAULT_HEADING]);
            Diagnostic::warning(format!("no font of the family `{}`, so the PDFs use others", family.get_ref()))
                .at(Span::new(manifest, family.span()), "not in the book's fonts/ folder")
                .hint(format!(
                    "put the font's files in the book's {FONTS_DIR}/ folder; the families there and built in are: {}",
                    known.join(", ")
                ))
        })
        .collect()
}

/// What becomes of a character in a book's PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Setting {
    /// A font the book chose has it.
    Chosen,
    /// Only a font the book did not choose has it (typst falls back to it): the font's index.
    Fallback(usize),
    /// No font has it: it prints as an empty box.
    Missing,
}

/// Warns of the characters of the book's text that no chosen font has: once for each script, at its
/// first place, saying whether typst sets it in a font the book did not choose or in none (empty
/// boxes), and which font to add. The chosen fonts are the families `[pdf]` names or revise's
/// defaults, and every font in the book's fonts/ folder.
pub fn check_coverage(families: &Families, fonts: &BookFonts, sources: &Sources) -> Vec<Diagnostic> {
    let book = fonts.book();
    let mut chosen: Vec<usize> = Vec::new();
    for family in families.body.iter().chain(&families.heading).chain(&fonts.families) {
        chosen.extend(book.select_family(&family.to_lowercase()));
    }
    let like = book.select_family(&families.body[0].to_lowercase()).next().and_then(|i| book.info(i)).cloned();
    let mut settings: HashMap<char, Setting> = HashMap::new();
    let mut setting = |c: char| {
        *settings.entry(c).or_insert_with(|| {
            let has = |index: &usize| book.info(*index).is_some_and(|info| info.coverage.contains(c as u32));
            if chosen.iter().any(has) {
                Setting::Chosen
            } else {
                match book.select_fallback(like.as_ref(), FontVariant::default(), &c.to_string()) {
                    Some(index) => Setting::Fallback(index),
                    None => Setting::Missing,
                }
            }
        })
    };
    // The first place of each script's characters that no chosen font has, by script.
    let mut first: BTreeMap<String, (Setting, SourceId, usize, char, Script)> = BTreeMap::new();
    for id in sources.ids() {
        let text = sources.text(id);
        // Punctuation and marks shared by scripts (`、`, `،`) are taken for the script of the
        // letters before them, as typst and Unicode's script runs take them.
        let mut current = Script::Common;
        for (offset, c) in text.char_indices() {
            let script = c.script();
            if !matches!(script, Script::Common | Script::Inherited | Script::Unknown) {
                current = script;
            }
            if c.is_ascii() || c.is_whitespace() || c.is_control() || is_ignorable(c) {
                continue;
            }
            let found = setting(c);
            if found == Setting::Chosen {
                continue;
            }
            let name = match current {
                Script::Common | Script::Inherited | Script::Unknown | Script::Latin => "symbol".to_string(),
                script => script.full_name().replace('_', " "),
            };
            first.entry(name).or_insert((found, id, offset, c, current));
        }
    }
    first
        .into_iter()
        .map(|(script, (found, id, offset, c, run))| {
            let span = Span::new(id, offset..offset + c.len_utf8());
            let what = if script == "symbol" { "the character".to_string() } else { format!("{script} text such as") };
            let suggestion = suggested_font(run);
            let (message, label) = match found {
                Setting::Fallback(index) => {
                    let family = book.info(index).map_or("another font", |info| info.family.as_str());
                    (
                        format!("{what} `{c}` (U+{:04X}) is set in {family}, a font the book did not choose", c as u32),
                        format!("set in {family}"),
                    )
                }
                _ => (
                    format!("{what} `{c}` (U+{:04X}) is in no font, so the PDFs print it as an empty box", c as u32),
                    "no font has this".to_string(),
                ),
            };
            Diagnostic::warning(message).at(span, label).hint(format!(
                "add a font with {} to the book's {FONTS_DIR}/ folder, such as {suggestion}; this warning is given once for the whole book",
                if script == "symbol" { "this character".to_string() } else { format!("{script} letters") },
            ))
        })
        .collect()
}

/// Returns true for characters no font needs: joiners, variation selectors, marks of direction.
fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{00AD}')
}

/// Returns a free font that has a script's letters, to name in a hint.
fn suggested_font(script: Script) -> &'static str {
    match script {
        Script::Han | Script::Bopomofo => {
            "Noto Sans CJK SC (simplified), TC (traditional) or Noto Serif CJK, from Debian's fonts-noto-cjk"
        }
        Script::Hiragana | Script::Katakana => "Noto Sans CJK JP, from Debian's fonts-noto-cjk",
        Script::Hangul => "Noto Sans CJK KR, from Debian's fonts-noto-cjk",
        Script::Arabic => "Noto Naskh Arabic, from Debian's fonts-noto-core",
        Script::Hebrew => "Noto Serif Hebrew or Noto Sans Hebrew, from Debian's fonts-noto-core",
        Script::Devanagari => "Noto Serif Devanagari or Noto Sans Devanagari, from Debian's fonts-noto-core",
        Script::Bengali => "Noto Serif Bengali, from Debian's fonts-noto-core",
        Script::Thai => "Noto Serif Thai or Noto Sans Thai, from Debian's fonts-noto-core",
        _ => "a Noto font for it (notofonts.github.io), or Noto Sans Symbols 2 for symbols",
    }
}
