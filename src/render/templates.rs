//! Templates: the built-in minijinja templates, which a book may override with files of the same name.

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::value::Kwargs;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::layout::escape;
use crate::layout::fonts::Families;
use crate::model::manifest::Manifest;
use crate::model::words;
use crate::source::{PathProblem, resolve_inside};

/// The folder inside a book whose files override the built-in templates.
pub const TEMPLATES_DIR: &str = "templates";

/// The built-in templates, by name.
const BUILT_IN: &[(&str, &str)] = &[
    ("constructs.typ", include_str!("../../templates/constructs.typ")),
    ("guide.typ", include_str!("../../templates/guide.typ")),
    ("cover.typ", include_str!("../../templates/cover.typ")),
    ("worksheet.typ", include_str!("../../templates/worksheet.typ")),
    ("answers.typ", include_str!("../../templates/answers.typ")),
    ("flashcards.typ", include_str!("../../templates/flashcards.typ")),
    ("epub-page.xhtml", include_str!("../../templates/epub-page.xhtml")),
    ("epub-title.xhtml", include_str!("../../templates/epub-title.xhtml")),
    ("epub-cover.xhtml", include_str!("../../templates/epub-cover.xhtml")),
    ("epub-nav.xhtml", include_str!("../../templates/epub-nav.xhtml")),
    ("epub.css", include_str!("../../templates/epub.css")),
];

/// The book's metadata as every template sees it. Values are raw text: XHTML templates escape them
/// automatically, typst templates through the `typst_markup` and `typst_str` filters.
#[derive(Debug, Serialize)]
pub struct BookContext<'a> {
    /// The title.
    pub title: &'a str,
    /// The subtitle, if any.
    pub subtitle: Option<&'a str>,
    /// The authors.
    pub authors: &'a [String],
    /// The subject, if any.
    pub subject: Option<&'a str>,
    /// The description, if any.
    pub description: Option<&'a str>,
    /// The whole language tag, such as `en-GB`, for `lang` attributes.
    pub lang: &'a str,
    /// The language subtag, such as `en`, for typst's `text(lang:)`.
    pub language: &'a str,
    /// The region subtag, such as `GB`, for typst's `text(region:)`.
    pub region: Option<&'a str>,
    /// The writing direction, `ltr` or `rtl`, for `dir` attributes.
    pub dir: &'static str,
    /// The words revise prints, in the book's language, by their key in `templates/words.toml`:
    /// raw text, with `{placeholders}` that the `fill` and `typst_phrase` filters fill in.
    pub words: BTreeMap<&'a str, &'a str>,
    /// The side where a line starts, `left` or `right`, for typst's sides (`stroke: (left: …)`),
    /// which are physical: a right-to-left book's rules and indents are on the right.
    pub start: &'static str,
    /// The side where a line ends, `right` or `left`.
    pub end: &'static str,
    /// True when the language is written in a script with capitals (Latin, Greek, Cyrillic), whose
    /// small labels are set in spaced capitals; letter-spacing would break up other scripts
    /// (Arabic's joined letters, Devanagari's conjuncts).
    pub cased: bool,
    /// The PDF's body text families, first choice first, for typst's `text(font:)`.
    pub body_fonts: Vec<String>,
    /// The PDF's heading families, first choice first.
    pub heading_fonts: Vec<String>,
}

impl<'a> BookContext<'a> {
    /// Takes the context from the book's manifest.
    pub fn new(manifest: &'a Manifest) -> Self {
        let meta = &manifest.book;
        let families = Families::of(&manifest.pdf);
        Self {
            title: &meta.title,
            subtitle: meta.subtitle.as_deref(),
            authors: &meta.authors,
            subject: meta.subject.as_deref(),
            description: meta.description.as_deref(),
            lang: &meta.language.tag,
            language: &meta.language.language,
            region: meta.language.region.as_deref(),
            dir: meta.language.direction(),
            words: meta.words.texts(),
            start: if meta.language.is_right_to_left() { "right" } else { "left" },
            end: if meta.language.is_right_to_left() { "left" } else { "right" },
            cased: meta.language.is_cased(),
            body_fonts: families.body,
            heading_fonts: families.heading,
        }
    }
}

/// Turns any serialisable context into a template value.
pub fn context(value: &impl Serialize) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// The templates of one book, built-in or overridden.
pub struct Templates {
    env: Environment<'static>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates").finish_non_exhaustive()
    }
}

impl Templates {
    /// Loads the built-in templates and the overrides in the book's `templates/` folder.
    ///
    /// An override must be a UTF-8 file that resolves inside the book folder.
    pub fn load(root: &Path) -> Result<Self, Vec<Diagnostic>> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // XHTML templates escape every value they are given; typst templates escape by filter.
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".xhtml") { minijinja::AutoEscape::Html } else { minijinja::AutoEscape::None }
        });
        env.add_filter("typst_str", |s: String| escape::string(&s));
        env.add_filter("typst_markup", |s: String| escape::markup(&s));
        env.add_filter("fill", fill);
        env.add_filter("typst_phrase", typst_phrase);
        env.add_filter("typst_content_dict", typst_content_dict);
        env.add_filter("typst_strs", |list: Vec<String>| {
            format!("({},)", list.iter().map(|s| escape::string(s)).collect::<Vec<_>>().join(", "))
        });
        let mut errors = Vec::new();
        for (name, builtin) in BUILT_IN {
            let file = format!("{TEMPLATES_DIR}/{name}");
            let path = root.join(TEMPLATES_DIR).join(name);
            let result = if path.exists() {
                read_override(root, &path, &file).and_then(|text| {
                    env.add_template_owned(name.to_string(), text).map_err(|err| template_error(&file, &err))
                })
            } else {
                env.add_template(name, builtin).map_err(|err| template_error(&file, &err))
            };
            if let Err(err) = result {
                errors.push(err);
            }
        }
        if errors.is_empty() { Ok(Self { env }) } else { Err(errors) }
    }

    /// Renders the template `name` with `context`.
    pub fn render(&self, name: &str, context: Value) -> Result<String, Diagnostic> {
        let file = format!("{TEMPLATES_DIR}/{name}");
        let template = self.env.get_template(name).map_err(|err| template_error(&file, &err))?;
        template.render(context).map_err(|err| template_error(&file, &err))
    }
}

/// The `fill` filter: a word with its placeholders filled in, `{{ words.cover_image | fill(title=title) }}`.
fn fill(text: String, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let values = kwarg_values(&kwargs)?;
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Ok(words::fill(&text, &values))
}

/// The `typst_phrase` filter: a word as typst markup, its text escaped and each placeholder
/// replaced by the typst code given for it, which the template writes and so trusts:
/// `{{ words.chapter | typst_phrase(n="#chapter-number()") }}`. Each piece of code is ended by `;`,
/// so that the text after it can never continue it (as `(` or `.field` would). A placeholder with
/// no code given is an error in the template.
fn typst_phrase(text: String, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let values = kwarg_values(&kwargs)?;
    let (pieces, last) = words::pieces(&text);
    let mut out = String::new();
    for (before, name) in pieces {
        out.push_str(&escape::markup(before));
        let Some((_, code)) = values.iter().find(|(key, _)| key == name) else {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::MissingArgument,
                format!("typst_phrase needs the code for `{{{name}}}` in {text:?}"),
            ));
        };
        out.push_str(code);
        out.push(';');
    }
    out.push_str(&escape::markup(last));
    Ok(out)
}

/// The `typst_content_dict` filter: a map of texts as a typst dictionary of escaped content,
/// `("1": [1 mark], "2": [2 marks])`.
fn typst_content_dict(map: Value) -> Result<String, minijinja::Error> {
    let mut entries = Vec::new();
    for key in map.try_iter()? {
        let text = map.get_item(&key)?;
        entries.push(format!("{}: [{}]", escape::string(&key.to_string()), escape::markup(&text.to_string())));
    }
    Ok(if entries.is_empty() { "(:)".into() } else { format!("({})", entries.join(", ")) })
}

fn kwarg_values(kwargs: &Kwargs) -> Result<Vec<(String, String)>, minijinja::Error> {
    let keys: Vec<String> = kwargs.args().map(str::to_string).collect();
    keys.into_iter()
        .map(|key| {
            let value: Value = kwargs.get(&key)?;
            Ok((key, value.to_string()))
        })
        .collect()
}

fn read_override(root: &Path, path: &Path, file: &str) -> Result<String, Diagnostic> {
    let resolved = resolve_inside(root, path).map_err(|problem| match problem {
        PathProblem::Missing => Diagnostic::error("the template is not a readable file").in_file(file),
        PathProblem::Outside => Diagnostic::error("the template resolves outside the book folder")
            .in_file(file)
            .hint("copy the template into the book's templates/ folder instead of linking to it"),
    })?;
    let bytes = std::fs::read(&resolved)
        .map_err(|err| Diagnostic::error(format!("cannot read the template: {err}")).in_file(file))?;
    String::from_utf8(bytes).map_err(|_| Diagnostic::error("the template is not valid UTF-8").in_file(file))
}

fn template_error(file: &str, err: &minijinja::Error) -> Diagnostic {
    let mut message = format!("the template cannot be used: {}", err.kind());
    if let Some(detail) = err.detail() {
        message.push_str(&format!(": {detail}"));
    }
    if let Some(line) = err.line() {
        message.push_str(&format!(" (line {line})"));
    }
    Diagnostic::error(message).in_file(file)
}
