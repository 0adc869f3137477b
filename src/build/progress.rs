//! Progress of a build: what the library reports while it works, and the bar a terminal shows.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Receives a build's progress. Every method has a default that does nothing.
pub trait Progress: Sync {
    /// The book was read and checked, and these files are about to be made.
    fn started(&self, _files: &[String]) {}
    /// One file was made in memory.
    fn made(&self, _file: &str) {}
    /// The build is over, whether it wrote its files or failed.
    fn finished(&self) {}
}

/// Reports nothing.
pub struct Quiet;

impl Progress for Quiet {}

/// How long a build runs before its bar appears, so that quick builds print no bar at all.
const BAR_DELAY: Duration = Duration::from_millis(400);

/// A progress bar on standard error, drawn only on a terminal, never when `CI` is set, and only
/// once a build has run for a moment.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// Creates the bar, hidden until a build has run for a moment.
    pub fn new() -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix} [{bar:24}] {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix("building");
        Self { bar }
    }

    /// Returns true when a bar may be drawn: standard error is a terminal and this is not CI.
    pub fn wanted() -> bool {
        std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
    }
}

impl Default for Bar {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for Bar {
    fn started(&self, files: &[String]) {
        self.bar.reset();
        self.bar.set_length(files.len() as u64);
        self.bar.set_message(files.join(", "));
        let bar = self.bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(BAR_DELAY);
            if !bar.is_finished() && bar.position() < bar.length().unwrap_or(0) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(120));
            }
        });
    }

    fn made(&self, file: &str) {
        self.bar.inc(1);
        self.bar.set_message(format!("made {file}"));
    }

    fn finished(&self) {
        self.bar.finish_and_clear();
        self.bar.set_draw_target(ProgressDrawTarget::hidden());
    }
}
