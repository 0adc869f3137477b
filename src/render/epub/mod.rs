//! The EPUB: XHTML documents from the shared HTML writer and the templates, packaged by
//! epub-builder into an EPUB 3 that is the same bytes for the same source. When the build lays out
//! the student edition, the EPUB marks where each of its printed pages begins.

pub mod cover;
pub mod kobo;
pub mod repack;

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, TocElement, ZipLibrary};
use minijinja::Value;
use serde::Serialize;

use super::equations::Equations;
use super::html::xml::{self, url};
use super::html::{self, Document, Links, TocEntry};
use super::zip::DEFAULT_DATE;
use super::{RenderContext, Renderer, Sink, Stage};
use crate::diagnostics::Diagnostic;
use crate::layout::pages::PageList;
use crate::math::Math;
use crate::model::date::BuildDate;
use crate::model::{Book, ImageFormat};
use crate::passes::Derived;
use crate::render::templates::{BookContext, context};
use repack::Repack;

/// The folder images are copied into, inside the package.
pub const MEDIA_DIR: &str = "media";

/// Which reading systems an EPUB is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Every reader of EPUB 3: maths as MathML.
    Any,
    /// Kindle (Send to Kindle, Kindle Direct Publishing), which shows no MathML: maths as images.
    Kindle,
    /// Kobo, which shows no MathML and counts and highlights text by its own spans.
    Kobo,
}

/// The EPUB as an output, for one kind of reader.
pub struct Epub {
    reader: Reader,
}

/// The EPUB 3, for every reader.
pub static EPUB: Epub = Epub { reader: Reader::Any };
/// The Kindle edition.
pub static KINDLE: Epub = Epub { reader: Reader::Kindle };
/// The Kobo edition (a KEPUB).
pub static KOBO: Epub = Epub { reader: Reader::Kobo };

impl Epub {
    fn file(&self, name: &str) -> String {
        match self.reader {
            Reader::Any => format!("{name}.epub"),
            Reader::Kindle => format!("{name}-kindle.epub"),
            Reader::Kobo => format!("{name}.kepub.epub"),
        }
    }
}

impl Renderer for Epub {
    fn name(&self) -> &'static str {
        match self.reader {
            Reader::Any => "epub",
            Reader::Kindle => "kindle",
            Reader::Kobo => "kobo",
        }
    }

    fn about(&self) -> &'static str {
        match self.reader {
            Reader::Any => "the EPUB 3",
            Reader::Kindle => "the EPUB for Kindle, with maths as images",
            Reader::Kobo => "the KEPUB for Kobo, with maths as images",
        }
    }

    fn files(&self, _: &Book, _: &Derived, name: &str) -> Result<Vec<String>, Diagnostic> {
        Ok(vec![self.file(name)])
    }

    fn stage(&self) -> Stage {
        Stage::Paged
    }

    fn render(&self, ctx: &RenderContext, out: &mut dyn Sink) -> Result<(), Vec<Diagnostic>> {
        out.file(self.file(ctx.name), build(ctx, self.reader)?);
        Ok(())
    }
}

/// The EPUB's links: images in the package's media folder, and the book's documents linked to its
/// glossary and index; for a reader without MathML, equations as the images `equations` drew.
pub struct EpubLinks<'a> {
    equations: Option<&'a Equations>,
}

/// The links of the EPUB for every reader: equations as MathML.
pub const EPUB_LINKS: EpubLinks<'static> = EpubLinks { equations: None };

impl Links for EpubLinks<'_> {
    fn image_src(&self, path: &str) -> String {
        url(&media_path(path))
    }

    fn in_book(&self) -> bool {
        true
    }

    fn equation(&self, math: &Math, out: &mut String) {
        match self.equations.and_then(|e| e.image(math)) {
            Some((src, image)) => html::equation_image(math, &src, image, out),
            None => html::equation_mathml(math, out),
        }
    }
}

/// Returns the package path of a book image.
pub fn media_path(image_path: &str) -> String {
    format!("{MEDIA_DIR}/{image_path}")
}

#[derive(Serialize)]
struct PageContext<'a> {
    lang: &'a str,
    dir: &'static str,
    book_title: &'a str,
    title: &'a str,
    body: Value,
    words: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct NavEntry {
    href: String,
    title: String,
    children: Vec<NavEntry>,
}

#[derive(Serialize)]
struct Landmark {
    epub_type: &'static str,
    href: String,
    title: String,
}

#[derive(Serialize)]
struct NavContext<'a> {
    lang: &'a str,
    dir: &'static str,
    title: &'a str,
    /// True for the contents page in the reading order, false for the navigation document.
    inline: bool,
    toc: Vec<NavEntry>,
    landmarks: Vec<Landmark>,
    /// The printed pages, each linked to where it begins; empty without a print edition.
    page_list: Vec<NavEntry>,
    words: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct CoverPageContext<'a> {
    lang: &'a str,
    dir: &'static str,
    title: &'a str,
    image: &'a str,
    words: BTreeMap<&'a str, &'a str>,
}

/// Builds the EPUB of the book and returns its bytes. The build date is the publication date
/// (`dc:date`), the modification date and the time of every zip entry; without one there is no
/// `dc:date`, and the others take [`DEFAULT_DATE`].
pub fn build(ctx: &RenderContext, reader: Reader) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let (book, derived, root, templates) = (ctx.book, ctx.derived, ctx.root, ctx.templates);
    let meta = &book.manifest.book;
    let lang = meta.language.tag.as_str();
    let dir = meta.language.direction();
    let words = &book.manifest.book.words;
    let fail = |err: epub_builder::Error| vec![Diagnostic::error(format!("could not make the EPUB: {err}"))];
    let render = |name: &str, context: Value| templates.render(name, context).map_err(|d| vec![d]);

    // The cover: the book's own image, or one laid out from the title.
    let (cover_bytes, cover_format) = match &book.manifest.epub.cover {
        Some(path) => {
            let bytes = std::fs::read(root.join(path)).map_err(|err| {
                vec![Diagnostic::error(format!("cannot read the cover image: {err}")).in_file(path.clone())]
            })?;
            // The manifest's check made sure the cover is a PNG or JPEG file.
            (bytes, ImageFormat::of(path).unwrap_or(ImageFormat::Png))
        }
        None => (cover::generate(book, root, templates)?, ImageFormat::Png),
    };
    let cover_path = format!("{MEDIA_DIR}/cover.{}", cover_format.extension());

    // A reader without MathML is given each equation as an image, drawn once.
    let equations = match reader {
        Reader::Any => None,
        Reader::Kindle | Reader::Kobo => Some(ctx.equations.get(ctx)?),
    };
    let links = EpubLinks { equations };
    let (documents, places) = html::documents_and_places(book, derived, &links, ctx.pages);
    if let Some(list) = ctx.pages
        && list.places != places
    {
        return Err(vec![
            Diagnostic::error(format!(
                "internal error: the student PDF marked {} places for the EPUB's page list, the EPUB {places}",
                list.places
            ))
            .hint("this is a bug in revise; please report it, or build the EPUB alone with --format epub"),
        ]);
    }
    // Kobo's edition has its spans in every document of the reading order.
    let kobo_spans = |xhtml: String| if reader == Reader::Kobo { kobo::spans(&xhtml) } else { xhtml };
    let page = |doc: &Document| {
        let page_context = PageContext {
            lang,
            dir,
            book_title: &meta.title,
            title: &doc.title,
            body: Value::from_safe_string(doc.body.clone()),
            words: words.texts(),
        };
        render("epub-page.xhtml", context(&page_context)).map(kobo_spans)
    };

    // The navigation document and the contents page in the reading order come from one template.
    let mut changes = Repack::default();
    let mut has_page_list = false;
    for (inline, path) in [(false, "OEBPS/nav.xhtml"), (true, "OEBPS/toc.xhtml")] {
        let nav = NavContext {
            lang,
            dir,
            title: words.get("contents"),
            inline,
            toc: documents.iter().map(nav_entry).collect(),
            landmarks: landmarks(book, derived),
            page_list: documents
                .iter()
                .flat_map(|doc| &doc.pages)
                .map(|page| NavEntry { href: page.href.clone(), title: page.title.clone(), children: Vec::new() })
                .collect(),
            words: words.texts(),
        };
        let xhtml = render("epub-nav.xhtml", context(&nav))?;
        let xhtml = if inline { kobo_spans(xhtml) } else { xhtml };
        if !inline {
            // A book's own navigation template may have no page list: then none is claimed.
            has_page_list = xhtml.contains("epub:type=\"page-list\"");
        }
        changes.replace.insert(path.into(), xhtml.into_bytes());
    }
    let page_list = ctx.pages.filter(|list| has_page_list && !list.starts.is_empty());
    changes.opf_metadata = package_elements(book, ctx.date, page_list);
    changes.package_lang = lang.to_string();
    // A document with an equation says so in the manifest, as EPUB requires.
    changes.mathml = documents.iter().filter(|doc| doc.body.contains("<math ")).map(|doc| doc.file.clone()).collect();

    let mut builder = EpubBuilder::new(ZipLibrary::new().map_err(fail)?).map_err(fail)?;
    builder.epub_version(EpubVersion::V33);
    // Pages turn right to left in a right-to-left book, as the spine says.
    if meta.language.is_right_to_left() {
        builder.metadata("direction", "rtl").map_err(fail)?;
    }
    builder.escape_html(true);
    builder.set_title(meta.title.clone());
    for author in &meta.authors {
        builder.add_author(author.clone());
    }
    builder.set_generator(concat!("revise ", env!("CARGO_PKG_VERSION")));
    builder.set_toc_name(words.get("contents"));
    if let Some(description) = &meta.description {
        builder.add_description(description.clone());
    }
    if let Some(subject) = &meta.subject {
        builder.add_subject(subject.clone());
    }
    builder.set_uuid(identifier_uuid(book));
    let date = ctx.date.unwrap_or(DEFAULT_DATE);
    let modified = Utc
        .with_ymd_and_hms(
            date.year,
            date.month.into(),
            date.day.into(),
            date.hour.into(),
            date.minute.into(),
            date.second.into(),
        )
        .single()
        .unwrap_or_default();
    builder.set_modified_date(modified);
    let math_images = equations.is_some_and(|e| e.files().next().is_some());
    for (property, value) in accessibility_metadata(book, derived, page_list, !changes.mathml.is_empty(), math_images) {
        builder.add_metadata_opf(Box::new(MetadataOpfV3::new(property.into(), xml::escape(&value))));
    }

    let css = render("epub.css", Value::UNDEFINED)?;
    builder.stylesheet(css.as_bytes()).map_err(fail)?;
    builder.add_cover_image(&cover_path, cover_bytes.as_slice(), cover_format.media_type()).map_err(fail)?;

    let cover_page = CoverPageContext { lang, dir, title: &meta.title, image: &cover_path, words: words.texts() };
    let cover_xhtml = kobo_spans(render("epub-cover.xhtml", context(&cover_page))?);
    builder
        .add_content(EpubContent::new("cover.xhtml", cover_xhtml.as_bytes()).reftype(ReferenceType::Cover))
        .map_err(fail)?;

    let title_xhtml = kobo_spans(render("epub-title.xhtml", context(&BookContext::new(&book.manifest)))?);
    builder
        .add_content(
            EpubContent::new("title.xhtml", title_xhtml.as_bytes())
                .title(words.get("title_page"))
                .reftype(ReferenceType::TitlePage),
        )
        .map_err(fail)?;
    builder.inline_toc();

    for (i, doc) in documents.iter().enumerate() {
        let xhtml = page(doc)?;
        let mut content = EpubContent::new(doc.file.as_str(), xhtml.as_bytes()).title(doc.title.as_str());
        if i == 0 {
            content = content.reftype(ReferenceType::Text);
        }
        for entry in nested(&doc.toc) {
            content = content.child(toc_element(&entry));
        }
        builder.add_content(content).map_err(fail)?;
    }

    // Each image once, in a stable order.
    for (path, image) in ctx.assets.get()? {
        builder.add_resource(media_path(path), image.bytes.as_slice(), image.format.media_type()).map_err(fail)?;
    }
    for (path, svg) in equations.into_iter().flat_map(Equations::files) {
        builder.add_resource(path, svg.as_bytes(), "image/svg+xml").map_err(fail)?;
    }

    let mut bytes = Vec::new();
    builder.generate(&mut bytes).map_err(fail)?;
    repack::repack(&bytes, date, &changes)
        .map_err(|err| vec![Diagnostic::error(format!("could not make the EPUB: {err}"))])
}

/// Returns the book's unique identifier as a UUID: `[book] identifier` when it is one, else a UUID
/// derived from the identifier, or from the title and authors (name-based, so never random).
pub fn identifier_uuid(book: &Book) -> uuid::Uuid {
    let meta = &book.manifest.book;
    if let Some(id) = &meta.identifier {
        let bare = id.trim().trim_start_matches("urn:uuid:");
        if let Ok(uuid) = uuid::Uuid::parse_str(bare) {
            return uuid;
        }
        return uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, id.as_bytes());
    }
    let name = format!("revise:{}\u{1f}{}", meta.title, meta.authors.join("\u{1f}"));
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes())
}

/// The package elements epub-builder cannot write as needed: the language, the title refined as the
/// main one (the repacking gives epub-builder's `dc:title` the id `title`), the subtitle as a second
/// title, the publication date, and an identifier that is not a UUID.
fn package_elements(book: &Book, date: Option<BuildDate>, page_list: Option<&PageList>) -> String {
    use xml::escape;
    let meta = &book.manifest.book;
    // epub-builder gives dc:language the same id as the first dc:creator, so the language is written here.
    let mut lines = vec![
        format!("  <dc:language>{}</dc:language>", escape(&meta.language.tag)),
        format!("  <meta refines=\"#{}\" property=\"title-type\">main</meta>", repack::TITLE_ID),
    ];
    if let Some(subtitle) = &meta.subtitle {
        lines.push(format!("  <dc:title id=\"subtitle\">{}</dc:title>", escape(subtitle)));
        lines.push("  <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>".to_string());
    }
    if let Some(pages) = page_list {
        lines.push(format!("  <meta property=\"pageBreakSource\">{}</meta>", escape(&pages.source)));
    }
    if let Some(date) = date {
        lines.push(format!("  <dc:date>{:04}-{:02}-{:02}</dc:date>", date.year, date.month, date.day));
    }
    if let Some(id) = &meta.identifier
        && uuid::Uuid::parse_str(id.trim().trim_start_matches("urn:uuid:")).is_err()
    {
        lines.push(format!("  <dc:identifier id=\"book-identifier\">{}</dc:identifier>", escape(id)));
    }
    lines.join("\n")
}

/// The accessibility metadata of EPUB Accessibility 1.1, as (property, value) pairs.
fn accessibility_metadata(
    book: &Book,
    derived: &Derived,
    page_list: Option<&PageList>,
    has_math: bool,
    math_images: bool,
) -> Vec<(&'static str, String)> {
    let images = book.images();
    let all_alt = book.every_image_has_alt();
    let mut out = vec![("schema:accessMode", "textual".to_string())];
    if !images.is_empty() || math_images {
        out.push(("schema:accessMode", "visual".into()));
    }
    let sufficient = if all_alt { "textual" } else { "textual,visual" };
    out.push(("schema:accessModeSufficient", sufficient.into()));
    let mut features = vec!["structuralNavigation", "tableOfContents", "readingOrder"];
    if (!images.is_empty() || math_images) && all_alt {
        features.push("alternativeText");
    }
    if !derived.index.entries.is_empty() {
        features.push("index");
    }
    if page_list.is_some() {
        features.extend(["pageBreakMarkers", "pageNavigation"]);
    }
    if has_math {
        // Equations are MathML, each with its spoken form as `alttext`.
        features.extend(["MathML", "describedMath"]);
    } else if math_images {
        // Equations are images, each with its spoken form as its alternative text.
        features.push("describedMath");
    }
    out.extend(features.into_iter().map(|f| ("schema:accessibilityFeature", f.to_string())));
    out.push(("schema:accessibilityHazard", "none".into()));
    let words = &book.manifest.book.words;
    let summary = words.get(if all_alt { "accessible_summary" } else { "partly_accessible_summary" });
    out.push(("schema:accessibilitySummary", summary.into()));
    if all_alt {
        out.push(("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA".into()));
    }
    out
}

/// Nests a document's headings: level-3 entries under the level-2 entry before them.
fn nested(entries: &[TocEntry]) -> Vec<NavEntry> {
    let mut out: Vec<NavEntry> = Vec::new();
    for entry in entries {
        let item = NavEntry { href: entry.href.clone(), title: entry.title.clone(), children: Vec::new() };
        match out.last_mut() {
            Some(parent) if entry.level > 2 => parent.children.push(item),
            _ => out.push(item),
        }
    }
    out
}

fn nav_entry(doc: &Document) -> NavEntry {
    NavEntry { href: doc.file.clone(), title: doc.title.clone(), children: nested(&doc.toc) }
}

fn toc_element(entry: &NavEntry) -> TocElement {
    let mut element = TocElement::new(entry.href.as_str(), entry.title.as_str()).level(2);
    for child in &entry.children {
        element = element.child(TocElement::new(child.href.as_str(), child.title.as_str()).level(3));
    }
    element
}

fn landmarks(book: &Book, derived: &Derived) -> Vec<Landmark> {
    let words = &book.manifest.book.words;
    let landmark =
        |epub_type, href: &str, word| Landmark { epub_type, href: href.into(), title: words.get(word).into() };
    let mut out = vec![
        landmark("cover", "cover.xhtml", "cover"),
        landmark("titlepage", "title.xhtml", "title_page"),
        landmark("toc", "toc.xhtml", "contents"),
    ];
    if let Some(first) = book.chapters().next() {
        out.push(landmark("bodymatter", &html::doc_file(first.kind), "start_of_content"));
    }
    if !derived.glossary.entries.is_empty() {
        out.push(landmark("glossary", html::GLOSSARY_FILE, "glossary"));
    }
    if !derived.index.entries.is_empty() {
        out.push(landmark("index", html::INDEX_FILE, "index"));
    }
    out
}
