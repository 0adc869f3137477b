//! `revise watch`: builds the book, then rebuilds it each time a file in the book folder changes.
//!
//! Every build goes through one [`Session`], which keeps a typst world for each edition, so that
//! typst's incremental compilation reuses the layout of everything an edit did not touch. A build
//! that fails writes nothing, so the last good outputs stay in place until the book is fixed.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use super::{BuildOptions, DEFAULT_OUT_DIR, Report, Session};
use crate::build::progress::Progress;
use crate::diagnostics::Diagnostic;

/// How long to wait after a change for the rest of a save (editors often write several times).
const SETTLE: Duration = Duration::from_millis(80);

/// How many compilations typst's memoised results are kept for after their last use.
const KEEP_COMPILATIONS: usize = 10;

/// Builds the book in `root`, then again after every change to its files, until `on_build` breaks.
///
/// `on_build` receives each build's report and how long it took. Changes inside the output folder
/// are ignored, so writing the outputs never starts another build.
pub fn watch(
    root: &Path,
    options: &BuildOptions,
    progress: &dyn Fn() -> Box<dyn Progress>,
    mut on_build: impl FnMut(&Report, Duration) -> ControlFlow<()>,
) -> Result<(), Diagnostic> {
    let root = crate::read::book_folder(root)?;
    let out_dir = crate::build::write::resolve(&options.out_dir.clone().unwrap_or_else(|| root.join(DEFAULT_OUT_DIR)));

    let (sender, changes) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = sender.send(event);
    })
    .map_err(|err| watch_error(&root, &err))?;
    watcher.watch(&root, RecursiveMode::Recursive).map_err(|err| watch_error(&root, &err))?;

    let session = Session::watching();
    loop {
        let start = Instant::now();
        let report = session.build(&root, options, &*progress());
        if on_build(&report, start.elapsed()).is_break() {
            return Ok(());
        }
        // Memoised results unused for several builds are dropped, so memory stays bounded.
        crate::layout::empty_caches(KEEP_COMPILATIONS);

        // Wait for a change to the book, then for the save to settle.
        loop {
            match changes.recv() {
                Ok(Ok(event)) if matters(&event, &out_dir) => break,
                Ok(_) => {}
                Err(_) => return Ok(()),
            }
        }
        while changes.recv_timeout(SETTLE).is_ok() {}
    }
}

/// Returns true for a change to a file of the book: not a read, and not in the output folder.
fn matters(event: &notify::Event, out_dir: &Path) -> bool {
    let changes = matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_));
    changes && event.paths.iter().any(|path| !resolved_starts_with(path, out_dir))
}

fn resolved_starts_with(path: &Path, dir: &Path) -> bool {
    path.starts_with(dir) || crate::build::write::resolve(path).starts_with(dir)
}

fn watch_error(root: &Path, err: &notify::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot watch the book folder for changes: {err}")).in_file(root.display().to_string())
}
