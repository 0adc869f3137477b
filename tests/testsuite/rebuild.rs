//! Rebuilds: a session that keeps typst's state between builds makes the same bytes as a fresh
//! build, `revise watch` rebuilds on a change and keeps the last good outputs when a save breaks
//! the book, and a build reports its progress.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

use revise::build::progress::{Progress, Quiet};
use revise::{BuildOptions, Format, Session};

use crate::support::{TestBook, assert_contains_text, pdf_text};

/// A book of three chapters with key terms, index entries and questions, so that the guide's
/// queries (running headers, page links, glossary and index) all take part in a rebuild.
fn three_chapter_book() -> TestBook {
    let book = TestBook::empty();
    book.file(
        "book.toml",
        "[book]\ntitle = \"Rebuilds\"\nauthors = [\"A. Tester\"]\nlanguage = \"en-GB\"\n\n[index]\n\"Beria, Lavrentiy\" = [\"Beria\"]\n",
    );
    for n in 1..=3 {
        book.file(
            &format!("chapters/0{n}.md"),
            &format!(
                "# Chapter {n}\n\nBeria appears in chapter {n}.\n\n## Section\n\nTerm{n}\n: A key term of chapter {n}.\n\n\
                 The first paragraph of chapter {n} uses Term{n}.\n\nThe second paragraph of chapter {n}.\n"
            ),
        );
    }
    book.file(
        "questions.md",
        "# Practice questions\n\n## Explain Term1. (4 marks)\n\nExplain.\n\n### Model answer\n\nTerm1 is a term.\n",
    );
    book
}

fn pdf_options(out: &Path) -> BuildOptions {
    BuildOptions {
        out_dir: Some(out.to_path_buf()),
        formats: vec![Format::named("pdf").unwrap(), Format::named("teacher").unwrap()],
        ..Default::default()
    }
}

#[test]
fn a_rebuild_in_one_session_gives_the_bytes_of_a_fresh_build() {
    let book = three_chapter_book();
    let kept = tempfile::tempdir().unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let session = Session::watching();
    let first = session.build(book.path(), &pdf_options(kept.path()), &Quiet);
    assert!(!first.failed(), "{}", crate::support::rendered(&first));

    // One line of chapter 2 changes, as in an editor.
    let chapter = book.path().join("chapters/02.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, text.replace("The second paragraph", "The edited second paragraph")).unwrap();
    let second = session.build(book.path(), &pdf_options(kept.path()), &Quiet);
    assert!(!second.failed(), "{}", crate::support::rendered(&second));
    let cold = revise::build(book.path(), &pdf_options(fresh.path()));
    assert!(!cold.failed(), "{}", crate::support::rendered(&cold));

    for file in ["rebuilds.pdf", "rebuilds-teacher.pdf"] {
        let rebuilt = std::fs::read(kept.path().join(file)).unwrap();
        assert!(rebuilt == std::fs::read(fresh.path().join(file)).unwrap(), "{file} differs from a fresh build");
        assert_contains_text(&pdf_text(&kept.path().join(file)), "The edited second paragraph of chapter 2");
    }
}

/// Records what a build reports.
#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<String>>,
}

impl Progress for Recorder {
    fn started(&self, files: &[String]) {
        self.events.lock().unwrap().push(format!("started {}", files.join(" ")));
    }
    fn made(&self, file: &str) {
        self.events.lock().unwrap().push(format!("made {file}"));
    }
    fn finished(&self) {
        self.events.lock().unwrap().push("finished".into());
    }
}

#[test]
fn a_build_reports_each_output_it_makes() {
    let book = three_chapter_book();
    let out = tempfile::tempdir().unwrap();
    let recorder = Recorder::default();
    let options = BuildOptions {
        out_dir: Some(out.path().to_path_buf()),
        formats: vec![Format::named("epub").unwrap(), Format::named("flashcards").unwrap()],
        ..Default::default()
    };
    let report = Session::default().build(book.path(), &options, &recorder);
    assert!(!report.failed(), "{}", crate::support::rendered(&report));
    let mut events = recorder.events.into_inner().unwrap();
    assert_eq!(
        events.first().map(String::as_str),
        Some("started rebuilds.epub rebuilds-flashcards.pdf rebuilds-flashcards.tsv")
    );
    assert_eq!(events.pop().as_deref(), Some("finished"));
    let mut made: Vec<&str> = events[1..].iter().map(String::as_str).collect();
    made.sort();
    assert_eq!(made, ["made rebuilds-flashcards.pdf", "made rebuilds-flashcards.tsv", "made rebuilds.epub"]);
}

/// What the watch loop saw after each build: whether it failed and the PDF's text then.
type Seen = (bool, String);

#[test]
fn watch_rebuilds_on_a_change_and_keeps_the_last_good_outputs_when_a_save_breaks_the_book() {
    let book = three_chapter_book();
    let out = tempfile::tempdir().unwrap();
    let root = book.path().to_path_buf();
    let out_dir = out.path().to_path_buf();
    let (sender, seen) = mpsc::channel::<Seen>();
    let watcher = std::thread::spawn(move || {
        let options = BuildOptions {
            out_dir: Some(out_dir.clone()),
            formats: vec![Format::named("pdf").unwrap()],
            ..Default::default()
        };
        let mut builds = 0;
        revise::build::watch::watch(&root, &options, &|| Box::new(Quiet), |report, _took| {
            builds += 1;
            let text = pdf_text(&out_dir.join("rebuilds.pdf"));
            sender.send((report.failed(), text)).unwrap();
            match builds {
                // A save that adds a sentence.
                1 => std::fs::write(
                    root.join("chapters/03.md"),
                    "# Chapter 3\n\nBeria appears in chapter 3.\n\nA sentence added while watching.\n",
                )
                .unwrap(),
                // A save that breaks the manifest.
                2 => std::fs::write(root.join("book.toml"), "[book]\ntitel = \"Typo\"\n").unwrap(),
                _ => return ControlFlow::Break(()),
            }
            ControlFlow::Continue(())
        })
    });
    // A guard against a watcher that never wakes: generous, and no measure of speed.
    let wait = || seen.recv_timeout(Duration::from_secs(300)).expect("the watcher builds after a change");
    let (failed, text) = wait();
    assert!(!failed);
    assert!(!text.contains("added while watching"));
    let (failed, text) = wait();
    assert!(!failed);
    assert_contains_text(&text, "A sentence added while watching.");
    let (failed, text) = wait();
    assert!(failed, "the broken manifest fails the build");
    assert_contains_text(&text, "A sentence added while watching.");
    watcher.join().unwrap().expect("the watcher stops cleanly");
}
