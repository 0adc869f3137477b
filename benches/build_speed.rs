//! Times whole builds of the sample guide and of generated guides of 10, 50 and 1,000 chapters:
//! revise's PDF, EPUB, both together, both with the Kindle and Kobo editions, and every output;
//! typst alone on the typst source revise generates for the same book; and, when `pandoc` is on
//! the PATH, Pandoc's EPUB and PDF from the same Markdown.
//!
//! Run with `cargo bench --bench build_speed`. Each command runs as its own process, the
//! commands of one round side by side, and the table shows the median wall time and the median
//! peak memory (maximum resident set) over the rounds. Timings belong here, never in the tests.
//!
//! Options (after `--`): `--runs N` rounds (5 by default; books of over 200 chapters get one),
//! `--sizes 10,50,1000` the generated sizes, `--maths N` each generated size also with N equations
//! a chapter (half inline, half display), `--baseline BIN` another revise binary (an older build,
//! say) whose EPUB, PDF + EPUB and every-output builds are timed in the same rounds, beside this one's, for a
//! before-and-after table. `--generate DIR CHAPTERS` writes one generated guide,
//! `--typst-source BOOK FILE` the typst source revise makes for a book's PDF, and
//! `--typst-only BOOK FILE PDF` compiles such a file with nothing else, each then stopping.

#[path = "support/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use revise::render::pdf::Edition;
use revise::render::templates::Templates;

const REVISE: &str = env!("CARGO_BIN_EXE_revise");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    match args.first().map(String::as_str) {
        Some("--measure") => measure(&args[1..]),
        Some("--typst-only") => typst_only(Path::new(&args[1]), Path::new(&args[2]), Path::new(&args[3])),
        Some("--typst-source") => {
            write_typst_source(Path::new(&args[1]), Path::new(&args[2]));
            ExitCode::SUCCESS
        }
        Some("--generate") => {
            let chapters = args[2].parse().expect("a number of chapters");
            let generated =
                generate::generate(&sample_dir(), Path::new(&args[1]), chapters).expect("the guide is written");
            // `--generate DIR CHAPTERS --maths N`: N equations a chapter too.
            if let Some(maths) = args.get(4).filter(|_| args[3] == "--maths").and_then(|n| n.parse().ok()) {
                generate::add_maths(Path::new(&args[1]), maths).expect("the equations are written");
            }
            eprintln!(
                "wrote {} chapters, {} words, {} key terms to {}",
                chapters, generated.words, generated.terms, args[1]
            );
            ExitCode::SUCCESS
        }
        _ => {
            let mut runs = 5;
            let mut sizes = vec![10, 50, 1000];
            let mut baseline = None;
            let mut maths = 0;
            let mut rest = args.iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--runs" => runs = rest.next().and_then(|v| v.parse().ok()).expect("--runs N"),
                    "--sizes" => {
                        sizes = rest
                            .next()
                            .expect("--sizes 10,50")
                            .split(',')
                            .map(|s| s.parse().expect("a number of chapters"))
                            .collect()
                    }
                    "--baseline" => baseline = Some(rest.next().expect("--baseline BIN").clone()),
                    "--maths" => maths = rest.next().and_then(|v| v.parse().ok()).expect("--maths N"),
                    _ => {}
                }
            }
            table(runs, &sizes, maths, baseline.as_deref());
            ExitCode::SUCCESS
        }
    }
}

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book")
}

/// Runs a command as a child and prints its wall time in seconds and its peak resident set in KiB.
/// The peak comes from `getrusage(RUSAGE_CHILDREN)` in this process, whose only child it is.
fn measure(command: &[String]) -> ExitCode {
    let start = Instant::now();
    let status = Command::new(&command[0])
        .args(&command[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the command starts");
    let wall = start.elapsed().as_secs_f64();
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    println!("{wall} {}", usage.max_rss());
    if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Compiles a typst file to PDF with nothing else: the same `World` (fonts, file access) revise
/// uses, no model, no passes, no EPUB. Writes the page count beside the PDF.
fn typst_only(root: &Path, main: &Path, out: &Path) -> ExitCode {
    let root = std::fs::canonicalize(root).expect("the book folder");
    let text = std::fs::read_to_string(main).expect("the typst source");
    let world = revise::layout::world::BookWorld::new(&root, text, None);
    let document = match revise::layout::compile(&world, "guide.typ") {
        Ok(document) => document,
        Err(errors) => {
            for error in errors {
                eprintln!("typst: {}", error.message);
            }
            return ExitCode::FAILURE;
        }
    };
    let bytes = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).expect("PDF export");
    std::fs::write(out, bytes).expect("the PDF is written");
    std::fs::write(out.with_extension("pages"), document.pages().len().to_string()).expect("the page count");
    ExitCode::SUCCESS
}

/// One timed sample: wall seconds and peak KiB.
#[derive(Clone, Copy)]
struct Sample {
    wall: f64,
    rss_kib: u64,
}

/// Runs `command` under the measuring wrapper.
fn timed(command: &[&str]) -> Sample {
    let output = Command::new(std::env::current_exe().expect("this benchmark's path"))
        .arg("--measure")
        .args(command)
        .output()
        .expect("the wrapper runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the command failed: {}", command.join(" "));
    let mut fields = text.split_whitespace();
    let wall = fields.next().and_then(|v| v.parse().ok()).expect("a wall time");
    let rss_kib = fields.next().and_then(|v| v.parse().ok()).expect("a peak");
    Sample { wall, rss_kib }
}

/// The median wall time and the median peak of some samples.
fn median(samples: &[Sample]) -> Sample {
    let mut walls: Vec<f64> = samples.iter().map(|s| s.wall).collect();
    let mut peaks: Vec<u64> = samples.iter().map(|s| s.rss_kib).collect();
    walls.sort_by(f64::total_cmp);
    peaks.sort();
    Sample { wall: walls[walls.len() / 2], rss_kib: peaks[peaks.len() / 2] }
}

/// Writes the typst source revise generates for the student PDF of the book in `root`.
fn write_typst_source(root: &Path, to: &Path) {
    let loaded = revise::build::load(root);
    let Some((book, derived)) = loaded.model else { panic!("the book in {root:?} loads") };
    let templates = Templates::load(&loaded.root).expect("the templates load");
    let source = revise::render::pdf::source(&book, &derived, &templates, Edition::Student, book.manifest.pdf.paper)
        .expect("the typst source");
    std::fs::write(to, source).expect("the typst source is written");
}

/// The Markdown files of a book in reading order, for Pandoc.
fn markdown_files(root: &Path) -> Vec<String> {
    let mut chapters: Vec<PathBuf> = std::fs::read_dir(root.join("chapters"))
        .expect("chapters")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    chapters.sort();
    let mut files: Vec<String> = chapters.iter().map(|p| p.display().to_string()).collect();
    for extra in ["faq.md", "questions.md", "glossary.md"] {
        if root.join(extra).exists() {
            files.push(root.join(extra).display().to_string());
        }
    }
    files
}

fn on_path(program: &str) -> bool {
    Command::new(program).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

/// One book's results: the median of each command.
struct Row {
    words: usize,
    pages: usize,
    pdf: Sample,
    epub: Sample,
    both: Sample,
    typst: Sample,
    pandoc: Option<(Sample, Sample)>,
    /// The baseline binary's EPUB build and PDF + EPUB build.
    baseline: Option<(Sample, Sample)>,
    /// PDF + EPUB with the Kindle and Kobo editions, whose equations are images.
    ereaders: Sample,
    /// `revise build` with every output (all five PDF editions, the three EPUBs, the decks).
    every: Sample,
    /// The baseline binary's build of every output.
    baseline_every: Option<Sample>,
}

fn bench_book(name: &str, root: &Path, words: usize, work: &Path, runs: usize, baseline: Option<&str>) -> Row {
    let out = work.join(format!("out-{name}"));
    let out_s = out.display().to_string();
    let root_s = root.display().to_string();
    let main_typ = work.join(format!("{name}.typ"));
    write_typst_source(root, &main_typ);
    let typst_pdf = work.join(format!("{name}-typst-only.pdf"));
    let bench = std::env::current_exe().expect("this benchmark's path").display().to_string();
    let main_s = main_typ.display().to_string();
    let typst_pdf_s = typst_pdf.display().to_string();
    let files = markdown_files(root);
    let pandoc = on_path("pandoc");
    let typst_cli = on_path("typst");
    let title = format!("--metadata=title:{name}");
    let pandoc_epub = work.join(format!("{name}-pandoc.epub")).display().to_string();
    let pandoc_typ = work.join(format!("{name}-pandoc.typ")).display().to_string();
    let pandoc_pdf = work.join(format!("{name}-pandoc.pdf")).display().to_string();

    let baseline_out = work.join(format!("out-{name}-baseline")).display().to_string();
    let mut samples: [Vec<Sample>; 11] = Default::default();
    let baseline_run = |samples: &mut [Vec<Sample>; 11]| {
        if let Some(baseline) = baseline {
            samples[6].push(timed(&[baseline, "build", &root_s, "-o", &baseline_out, "--format", "epub"]));
            samples[7].push(timed(&[baseline, "build", &root_s, "-o", &baseline_out, "--format", "pdf,epub"]));
            samples[10].push(timed(&[baseline, "build", &root_s, "-o", &baseline_out]));
        }
    };
    for round in 0..runs {
        // The baseline runs before this build's commands in even rounds and after them in odd
        // ones, so that neither always follows the other.
        if round % 2 == 0 {
            baseline_run(&mut samples);
        }
        samples[0].push(timed(&[REVISE, "build", &root_s, "-o", &out_s, "--format", "pdf"]));
        samples[1].push(timed(&[REVISE, "build", &root_s, "-o", &out_s, "--format", "epub"]));
        samples[2].push(timed(&[REVISE, "build", &root_s, "-o", &out_s, "--format", "pdf,epub"]));
        samples[8].push(timed(&[REVISE, "build", &root_s, "-o", &out_s, "--format", "pdf,epub,kindle,kobo"]));
        samples[9].push(timed(&[REVISE, "build", &root_s, "-o", &out_s]));
        samples[3].push(timed(&[&bench, "--typst-only", &root_s, &main_s, &typst_pdf_s]));
        // Pandoc on the book's Markdown files, with `options` before them.
        let pandoc_run = |options: &[&str]| {
            let mut args = vec!["pandoc", "-f", "markdown", "--toc", title.as_str()];
            args.extend(options);
            args.extend(files.iter().map(String::as_str));
            timed(&args)
        };
        if pandoc {
            samples[4].push(pandoc_run(&["-o", &pandoc_epub]));
            if typst_cli {
                samples[5].push(pandoc_run(&["--pdf-engine=typst", "-o", &pandoc_pdf]));
            } else {
                // Pandoc writes typst, which the same in-process typst compiles: Pandoc's PDF route
                // without the typst command-line tool.
                let convert = pandoc_run(&["-s", "-t", "typst", "-o", &pandoc_typ]);
                let compile = timed(&[&bench, "--typst-only", &root_s, &pandoc_typ, &pandoc_pdf]);
                samples[5]
                    .push(Sample { wall: convert.wall + compile.wall, rss_kib: convert.rss_kib.max(compile.rss_kib) });
            }
        }
        if round % 2 == 1 {
            baseline_run(&mut samples);
        }
    }
    let pages =
        std::fs::read_to_string(typst_pdf.with_extension("pages")).ok().and_then(|p| p.parse().ok()).unwrap_or(0);
    Row {
        words,
        pages,
        pdf: median(&samples[0]),
        epub: median(&samples[1]),
        both: median(&samples[2]),
        typst: median(&samples[3]),
        pandoc: pandoc.then(|| (median(&samples[4]), median(&samples[5]))),
        baseline: baseline.map(|_| (median(&samples[6]), median(&samples[7]))),
        ereaders: median(&samples[8]),
        every: median(&samples[9]),
        baseline_every: baseline.map(|_| median(&samples[10])),
    }
}

/// Times what `revise watch` does after a one-line edit: a rebuild of the PDF in the session that
/// built it, against a cold build of the same book in a new session with typst's caches and the
/// remembered spoken forms of equations emptied.
/// Both run in this process, so neither pays for starting a process or loading fonts.
fn watch_rebuild(root: &Path, work: &Path, runs: usize) -> (f64, f64) {
    let options = revise::BuildOptions {
        out_dir: Some(work.join("out-watch")),
        formats: vec![revise::Format::named("pdf").unwrap()],
        ..Default::default()
    };
    let chapter = root.join("chapters").join(format!("{:04}.md", 25.min(count_chapters(root))));
    let original = std::fs::read_to_string(&chapter).expect("the chapter");
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for round in 0..runs {
        revise::layout::empty_caches(0);
        revise::math::forget_spoken();
        let session = revise::Session::watching();
        let start = Instant::now();
        assert!(!session.build(root, &options, &revise::build::progress::Quiet).failed());
        cold.push(Sample { wall: start.elapsed().as_secs_f64(), rss_kib: 0 });
        // One line of one chapter changes, as a save in an editor does: a sentence is added to the
        // end of the paragraph after the title.
        let at = original.match_indices("\n\n").nth(1).map_or(original.len(), |(at, _)| at);
        let edited = format!("{} This sentence was added in edit {round}.{}", &original[..at], &original[at..]);
        std::fs::write(&chapter, edited).expect("the chapter is written");
        let start = Instant::now();
        assert!(!session.build(root, &options, &revise::build::progress::Quiet).failed());
        warm.push(Sample { wall: start.elapsed().as_secs_f64(), rss_kib: 0 });
        std::fs::write(&chapter, &original).expect("the chapter is restored");
    }
    (median(&cold).wall, median(&warm).wall)
}

fn count_chapters(root: &Path) -> usize {
    std::fs::read_dir(root.join("chapters")).map(|d| d.count()).unwrap_or(1)
}

fn cell(sample: Sample) -> String {
    format!("{:.3} s, {} MiB", sample.wall, sample.rss_kib.div_ceil(1024))
}

fn table(runs: usize, sizes: &[usize], maths: usize, baseline: Option<&str>) {
    let work = tempfile::tempdir().expect("a temporary folder");
    let sample = sample_dir();
    let sample_words: usize = markdown_files(&sample)
        .iter()
        .map(|f| generate::count_words(&std::fs::read_to_string(f).expect("a sample file")))
        .sum();
    let mut books = vec![("sample".to_string(), sample, sample_words)];
    for &chapters in sizes {
        let root = work.path().join(format!("guide-{chapters}"));
        let generated = generate::generate(&books[0].1, &root, chapters).expect("the guide is written");
        books.push((format!("{chapters} chapters"), root, generated.words));
        if maths > 0 {
            let root = work.path().join(format!("guide-{chapters}-maths"));
            let generated = generate::generate(&books[0].1, &root, chapters).expect("the guide is written");
            generate::add_maths(&root, maths).expect("the equations are written");
            books.push((format!("{chapters} chapters + {maths} equations each"), root, generated.words));
        }
    }
    eprintln!(
        "median of {runs} rounds; pandoc {}",
        if on_path("pandoc") { "found" } else { "not found: its columns are empty" }
    );
    println!(
        "| book | words | pages | revise PDF | revise EPUB | revise PDF + EPUB | PDF + EPUB per 1,000 words | typst alone (PDF) | PDF ÷ typst alone | PDF + EPUB peak ÷ typst alone | Pandoc EPUB | Pandoc PDF (via typst) | Pandoc EPUB ÷ revise EPUB | Pandoc PDF ÷ revise PDF |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut compared = Vec::new();
    let mut ereaders = Vec::new();
    let mut every = Vec::new();
    for (name, root, words) in &books {
        // A 1,000-chapter build takes minutes, so such books get one round.
        let rounds = if count_chapters(root) > 200 { 1 } else { runs };
        let row = bench_book(&name.replace(' ', "-"), root, *words, work.path(), rounds, baseline);
        if let Some(((epub, both), every)) = row.baseline.zip(row.baseline_every) {
            compared.push((
                name.clone(),
                [("EPUB", epub, row.epub), ("PDF + EPUB", both, row.both), ("every output", every, row.every)],
            ));
        }
        ereaders.push((name.clone(), row.both, row.ereaders));
        every.push((name.clone(), row.pdf, row.every));
        let (pandoc_epub, pandoc_pdf, epub_ratio, pdf_ratio) = match row.pandoc {
            Some((epub, pdf)) => (
                cell(epub),
                cell(pdf),
                format!("{:.1}×", epub.wall / row.epub.wall),
                format!("{:.1}×", pdf.wall / row.pdf.wall),
            ),
            None => Default::default(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.1} ms | {} | {:.2}× | {:.2}× | {pandoc_epub} | {pandoc_pdf} | {epub_ratio} | {pdf_ratio} |",
            if *name == "sample" { "sample guide" } else { name.as_str() },
            row.words,
            row.pages,
            cell(row.pdf),
            cell(row.epub),
            cell(row.both),
            row.both.wall * 1e6 / row.words as f64,
            cell(row.typst),
            row.pdf.wall / row.typst.wall,
            row.both.rss_kib as f64 / row.typst.rss_kib as f64,
        );
    }
    println!();
    println!("The Kindle and Kobo editions (equations drawn as images once for both):");
    println!();
    println!("| book | PDF + EPUB | PDF + EPUB + Kindle + Kobo | ÷ |");
    println!("|---|---:|---:|---:|");
    for (name, both, with) in &ereaders {
        println!("| {name} | {} | {} | {:.2}× |", cell(*both), cell(*with), with.wall / both.wall);
    }
    println!();
    println!("Every output (`revise build`: five PDF editions, three EPUBs, the decks) against the student PDF alone:");
    println!();
    println!("| book | student PDF | every output | ÷ |");
    println!("|---|---:|---:|---:|");
    for (name, pdf, all) in &every {
        println!("| {name} | {} | {} | {:.2}× |", cell(*pdf), cell(*all), all.wall / pdf.wall);
    }
    if let Some(baseline) = baseline {
        println!();
        println!("This build against `{baseline}`, in the same rounds:");
        println!();
        println!("| book | output | baseline | this build | this ÷ baseline (time) | this ÷ baseline (peak) |");
        println!("|---|---|---:|---:|---:|---:|");
        for (name, outputs) in &compared {
            for (output, before, after) in outputs {
                println!(
                    "| {name} | {output} | {} | {} | {:.3}× | {:.3}× |",
                    cell(*before),
                    cell(*after),
                    after.wall / before.wall,
                    after.rss_kib as f64 / before.rss_kib as f64
                );
            }
        }
    }
    println!();
    println!("| book | cold PDF build (in process) | rebuild after a one-line edit | rebuild ÷ cold |");
    println!("|---|---:|---:|---:|");
    for (name, root, _) in &books {
        if name == "sample" || name.starts_with("1000") {
            continue;
        }
        let (cold, warm) = watch_rebuild(root, work.path(), runs);
        println!("| {name} | {cold:.3} s | {warm:.3} s | {:.0} % |", warm / cold * 100.0);
    }
}
