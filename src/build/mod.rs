//! Running a build: the book read and checked once, the student edition laid out once when an
//! output needs it, every chosen renderer run over one [`RenderContext`], and the files written
//! only when every output was made.

pub mod init;
pub mod progress;
pub mod watch;
pub mod write;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::layout::fonts::{self, BookFonts, Families};
use crate::layout::pages::{self, PageList};
use crate::layout::{self, Worlds};
use crate::model::Book;
use crate::model::date::BuildDate;
use crate::model::manifest::{Manifest, Paper};
use crate::passes::Derived;
use crate::read::{self, Loaded};
use crate::render::assets::Assets;
use crate::render::equations::EquationImages;
use crate::render::templates::Templates;
use crate::render::{self, Format, RenderContext, Renderer, Sink, Stage};
use crate::source::Sources;
use progress::{Progress, Quiet};

/// The name of the default output folder inside a book.
pub const DEFAULT_OUT_DIR: &str = "out";

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The output folder; `BOOK/out` when absent.
    pub out_dir: Option<PathBuf>,
    /// The outputs to build; those of `[build] outputs`, else every one, when empty.
    pub formats: Vec<Format>,
    /// The paper size, overriding `[pdf] paper`.
    pub paper: Option<Paper>,
    /// Whether any warning fails the build, before anything is written.
    pub deny_warnings: bool,
}

/// The result of a run: what was read, what was found, and what was written.
#[derive(Debug)]
pub struct Report {
    /// Every source file read, for printing diagnostics.
    pub sources: Sources,
    /// Errors, warnings and notes.
    pub diagnostics: Diagnostics,
    /// The files written.
    pub outputs: Vec<PathBuf>,
}

impl Report {
    /// Returns true if the run found errors.
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// Reads the book in `root`, runs the passes and checks what the outputs depend on: the PDFs'
/// fonts and the outputs `[build] outputs` names. A book with errors has no model.
pub fn load(root: &Path) -> Loaded {
    read::load(root, &checks)
}

/// Returns the reading's checks of what the outputs depend on.
fn checks(root: &Path, manifest: &Manifest, sources: &Sources) -> Vec<Diagnostic> {
    let mut found = render::manifest_formats(manifest).err().unwrap_or_default();
    found.extend(check_fonts(root, manifest, sources));
    found
}

/// Checks the PDFs' fonts: the book's font files can be read, the families book.toml names are
/// there, and every character of the book's text is in a font the book chose.
fn check_fonts(root: &Path, manifest: &Manifest, sources: &Sources) -> Vec<Diagnostic> {
    let book_fonts = BookFonts::of(root);
    let mut found = book_fonts.problems.clone();
    found.extend(fonts::check_families(&manifest.pdf, &book_fonts, manifest.source));
    found.extend(fonts::check_coverage(&Families::of(&manifest.pdf), &book_fonts, sources));
    found
}

/// Loads and checks the book in `root`, writing nothing. With `deny_warnings`, a warning is an error.
pub fn check(root: &Path, deny_warnings: bool) -> Report {
    check_with_anchors(root, deny_warnings).0
}

/// Loads and checks the book as [`check`] does, and returns with the report the places its
/// cross-references can lead to, one line each, as `file#slug`, a tab and the anchor it is: what
/// `revise check --anchors` prints. None when the book does not load.
pub fn check_with_anchors(root: &Path, deny_warnings: bool) -> (Report, Option<Vec<String>>) {
    let mut loaded = load(root);
    loaded.diagnostics.extend(deny(loaded.diagnostics.iter(), deny_warnings));
    let anchors = loaded.model.as_ref().map(|(book, _)| {
        let places = crate::passes::xref::Places::of(book, &loaded.sources);
        places.listing().into_iter().map(|(file, slug, anchor)| format!("{file}#{slug}\t{anchor}")).collect()
    });
    (Report { sources: loaded.sources, diagnostics: loaded.diagnostics, outputs: Vec::new() }, anchors)
}

/// Returns the error that fails a check or build when warnings are denied and there are any.
fn deny<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, deny_warnings: bool) -> Option<Diagnostic> {
    let warnings = diagnostics.into_iter().filter(|d| d.severity == Severity::Warning).count();
    (deny_warnings && warnings > 0).then(|| {
        Diagnostic::error(format!("{warnings} warning{} and warnings are denied", if warnings == 1 { "" } else { "s" }))
            .hint("fix the warnings above, or build without --deny-warnings")
    })
}

/// Builds the book in `root`.
pub fn build(root: &Path, options: &BuildOptions) -> Report {
    Session::default().build(root, options, &Quiet)
}

/// Builds books. A session made by [`Session::watching`] keeps typst's state from one build to the
/// next, so that a rebuild after a small edit reuses the layout of everything the edit did not
/// touch; `revise watch` builds through one. A default session is for one build: it empties typst's
/// caches after each layout, so a book's PDFs never hold the memory of two layouts at once.
#[derive(Default)]
pub struct Session {
    worlds: Worlds,
    keep_caches: bool,
}

impl Session {
    /// Creates a session for repeated builds of one book, keeping typst's caches between them.
    pub fn watching() -> Self {
        Self { worlds: Worlds::default(), keep_caches: true }
    }

    /// Builds the book in `root`, reporting progress as each output is made.
    pub fn build(&self, root: &Path, options: &BuildOptions, progress: &dyn Progress) -> Report {
        let Loaded { root, sources, model, mut diagnostics } = load(root);
        let mut outputs = Vec::new();
        if let Some(denied) = deny(diagnostics.iter(), options.deny_warnings) {
            diagnostics.push(denied);
            return Report { sources, diagnostics, outputs };
        }
        if let Some((book, derived)) = model {
            match self.build_outputs(&root, &book, &derived, options, progress) {
                Ok((written, notes)) => {
                    outputs = written;
                    diagnostics.extend(notes);
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        progress.finished();
        Report { sources, diagnostics, outputs }
    }

    fn build_outputs(
        &self,
        root: &Path,
        book: &Book,
        derived: &Derived,
        options: &BuildOptions,
        progress: &dyn Progress,
    ) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut formats = if options.formats.is_empty() {
            render::manifest_formats(&book.manifest)?
        } else {
            options.formats.clone()
        };
        formats.sort();
        formats.dedup();
        let templates = Templates::load(root)?;
        let out_dir = options.out_dir.clone().unwrap_or_else(|| root.join(DEFAULT_OUT_DIR));
        write::check_dir(root, &out_dir).map_err(|d| vec![d])?;
        let name = book.manifest.output_name();

        // What to make; an output the book has nothing for is noted, not an error.
        let mut notes = Vec::new();
        let mut chosen: Vec<(&'static dyn Renderer, Vec<String>)> = Vec::new();
        for format in formats {
            let renderer = format.renderer();
            match renderer.files(book, derived, &name) {
                Ok(files) => chosen.push((renderer, files)),
                Err(note) => notes.push(note),
            }
        }
        progress.started(&chosen.iter().flat_map(|(_, files)| files.clone()).collect::<Vec<_>>());
        let assets = Assets::new(book, root);
        let equations = EquationImages::default();
        let ctx = RenderContext {
            root,
            book,
            derived,
            templates: &templates,
            assets: &assets,
            equations: &equations,
            name: &name,
            date: BuildDate::from_env().or_else(|| book.manifest.build.build_date()),
            paper: options.paper.unwrap_or(book.manifest.pdf.paper),
            worlds: &self.worlds,
            keep_caches: self.keep_caches,
            laid: None,
            pages: None,
        };
        let made = self.render_all(&ctx, &chosen, progress);

        // Every output is made in memory; nothing is written unless all succeed.
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut errors = Vec::new();
        for (result, (renderer, announced)) in made.into_iter().zip(&chosen) {
            match result {
                // A renderer makes exactly the files it announced, which the progress bar counted.
                Ok(made) if made.files.iter().map(|(name, _)| name).ne(announced.iter()) => {
                    errors.push(Diagnostic::error(format!(
                        "internal error: the `{}` output made other files than it announced",
                        renderer.name()
                    )));
                }
                Ok(made) => {
                    files.extend(made.files);
                    notes.extend(made.warnings);
                }
                Err(found) => errors.extend(found),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Warnings found while making the outputs (a standard a PDF cannot claim) are denied as the
        // book's are, before anything is written.
        if let Some(denied) = deny(&notes, options.deny_warnings) {
            notes.push(denied);
            return Err(notes);
        }
        write::prepare_dir(&out_dir).map_err(|d| vec![d])?;
        let written = files
            .iter()
            .map(|(file, bytes)| write::write_atomic(&out_dir, file, bytes).map_err(|d| vec![d]))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((written, notes))
    }

    /// Runs the chosen renderers and returns what each made, in the order they were chosen.
    ///
    /// The renderers that need nothing laid out start at once, each in a thread of its own. Beside
    /// them, one thread lays out typst: the student edition first, once, when a renderer exports it;
    /// the renderers that read its page list then start, each in a thread of its own, while the
    /// student PDF is exported; then the renderers that lay out typst of their own, one after
    /// another, since typst already lays out a book's chapters on every core and two layouts at once
    /// would need the memory of both. The student edition's pages are dropped before them.
    fn render_all<'a>(
        &self,
        ctx: &RenderContext,
        chosen: &[(&'static dyn Renderer, Vec<String>)],
        progress: &'a dyn Progress,
    ) -> Vec<Made<'a>> {
        let run = |renderer: &dyn Renderer, ctx: &RenderContext| -> Made<'a> {
            let mut sink = Collected::new(progress);
            renderer.render(ctx, &mut sink)?;
            Ok(sink)
        };
        let in_stage = |stage: Stage| chosen.iter().enumerate().filter(move |(_, (r, _))| r.stage() == stage);
        let laying_out = in_stage(Stage::Laid).next().is_some();
        let keep_caches = self.keep_caches;
        let mut made: Vec<Option<Made<'a>>> = chosen.iter().map(|_| None).collect();
        let joined = |handle: std::thread::ScopedJoinHandle<'_, Made<'a>>| {
            handle.join().unwrap_or_else(|_| Err(vec![internal_error()]))
        };

        std::thread::scope(|scope| {
            let free: Vec<_> = in_stage(Stage::Free)
                .chain(in_stage(Stage::Paged).filter(|_| !laying_out))
                .map(|(i, (renderer, _))| (i, scope.spawn(move || run(*renderer, ctx))))
                .collect();

            let lane = scope.spawn(move || {
                let mut done = Vec::new();
                let mut paged = Vec::new();
                if laying_out {
                    let (laid, pages) = match lay_out_student(ctx) {
                        Ok((laid, pages)) => (Some(laid), pages),
                        Err(errors) => {
                            done.extend(in_stage(Stage::Laid).map(|(i, _)| (i, Err(errors.clone()))));
                            (None, None)
                        }
                    };
                    for (i, (renderer, _)) in in_stage(Stage::Paged) {
                        let pages = pages.clone();
                        paged.push((
                            i,
                            scope.spawn(move || run(*renderer, &RenderContext { pages: pages.as_ref(), ..*ctx })),
                        ));
                    }
                    if let Some(laid) = laid {
                        let laid_ctx = RenderContext { laid: Some(&laid), ..*ctx };
                        done.extend(in_stage(Stage::Laid).map(|(i, (renderer, _))| (i, run(*renderer, &laid_ctx))));
                        laid.finish(ctx.worlds);
                    }
                    if !keep_caches {
                        layout::empty_caches(0);
                    }
                }
                done.extend(in_stage(Stage::Typeset).map(|(i, (renderer, _))| (i, run(*renderer, ctx))));
                (done, paged)
            });

            // A renderer that panicked is an internal error, not a crash; so is every renderer of a
            // lane that did, since its results are left as none.
            if let Ok((done, paged)) = lane.join() {
                for (i, result) in done {
                    made[i] = Some(result);
                }
                for (i, handle) in paged {
                    made[i] = Some(joined(handle));
                }
            }
            for (i, handle) in free {
                made[i] = Some(joined(handle));
            }
        });
        made.into_iter().map(|m| m.unwrap_or_else(|| Err(vec![internal_error()]))).collect()
    }
}

/// Lays out the student edition, and reads its printed pages.
fn lay_out_student(ctx: &RenderContext) -> Result<(layout::Laid, Option<PageList>), Vec<Diagnostic>> {
    let edition = render::pdf::Edition::Student;
    let laid = render::pdf::lay_out(ctx, edition)?;
    let pages = pages::read(&laid.document, edition.file_name(ctx.name));
    Ok((laid, pages))
}

fn internal_error() -> Diagnostic {
    Diagnostic::error("internal error: an output could not be made")
}

/// What one renderer made, or what went wrong.
type Made<'a> = Result<Collected<'a>, Vec<Diagnostic>>;

/// A sink that keeps a renderer's files and warnings in memory, reporting each file as made.
struct Collected<'a> {
    files: Vec<(String, Vec<u8>)>,
    warnings: Vec<Diagnostic>,
    progress: &'a dyn Progress,
}

impl<'a> Collected<'a> {
    fn new(progress: &'a dyn Progress) -> Self {
        Self { files: Vec::new(), warnings: Vec::new(), progress }
    }
}

impl Sink for Collected<'_> {
    fn file(&mut self, name: String, bytes: Vec<u8>) {
        self.progress.made(&name);
        self.files.push((name, bytes));
    }

    fn warn(&mut self, warning: Diagnostic) {
        self.warnings.push(warning);
    }
}
