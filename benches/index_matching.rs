//! Times the index pass on a generated book of 1,000 chapters with 500 index entries, and on
//! smaller books for comparison, so growth with size can be seen.
//!
//! Run with `cargo bench --bench index_matching`. Timings belong here, never in the tests.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// Writes a book of `chapters` chapters of the sample's shape, with `entries` index entries.
fn generate(root: &Path, chapters: usize, entries: usize) {
    std::fs::create_dir_all(root.join("chapters")).unwrap();
    let mut manifest = String::from("[book]\ntitle = \"Generated\"\nlanguage = \"en-GB\"\n\n[index]\n");
    for e in 0..entries {
        let _ = writeln!(manifest, "\"Person{e}, Name\" = [\"Name Person{e}\", \"Person{e}\"]");
    }
    std::fs::write(root.join("book.toml"), manifest).unwrap();
    for c in 0..chapters {
        let mut text = format!("# Chapter {c}\n\nIntroduction to chapter {c}.\n\n");
        for s in 0..4 {
            let _ = write!(text, "## Section {s}\n\n");
            for p in 0..3 {
                let who = (c * 7 + s * 3 + p) % entries;
                let _ = write!(
                    text,
                    "In this period Person{who} and Name Person{} argued about planning and the Term{c}x{s} \
                     of the economy, while Person{}'s allies watched the committee closely and waited.\n\n",
                    (who + 1) % entries,
                    (who + 2) % entries
                );
            }
            let _ = write!(text, "Term{c}x{s}\n: A key term of section {s}.\n\n");
            let _ = write!(text, "| Name | Role |\n|---|---|\n| Person{} | Leader |\n\n", (c + s) % entries);
        }
        std::fs::write(root.join("chapters").join(format!("{c:04}.md")), text).unwrap();
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    println!("| chapters | entries | words | occurrences | index pass (median of 5) |");
    println!("|---:|---:|---:|---:|---:|");
    for (chapters, entries) in [(10, 500), (100, 500), (1000, 500)] {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), chapters, entries);
        let loaded = revise::read::read(dir.path(), &|_, _, _| Vec::new());
        let sources = loaded.sources;
        let book = loaded.book.expect("the generated book loads");
        let words: usize = (0..chapters)
            .map(|c| {
                std::fs::read_to_string(dir.path().join("chapters").join(format!("{c:04}.md")))
                    .unwrap()
                    .split_whitespace()
                    .count()
            })
            .sum();
        let mut times = Vec::new();
        let mut occurrences = 0;
        for _ in 0..5 {
            let mut copy = book.clone();
            let start = Instant::now();
            let (derived, _) = revise::passes::run(&mut copy, &sources);
            times.push(start.elapsed());
            occurrences = derived.index.entries.iter().map(|e| e.occurrences.len()).sum();
        }
        let entries_total = entries + chapters * 4;
        println!(
            "| {chapters} | {entries_total} ({entries} names + {} terms) | {words} | {occurrences} | {:.1} ms |",
            chapters * 4,
            median(times).as_secs_f64() * 1000.0
        );
    }
}
