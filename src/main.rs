//! The `revise` command line: parses arguments and calls the library.

use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use revise::build::progress::{Bar, Progress, Quiet};
use revise::diagnostics::Diagnostics;
use revise::model::manifest::Paper;
use revise::{BuildOptions, Format, Report};

/// Builds revision guides: a folder of Markdown into a typeset PDF, an EPUB and classroom handouts.
#[derive(Parser)]
#[command(name = "revise", version, about)]
struct Cli {
    /// How diagnostics are printed on stderr: for people, or one JSON object a line.
    #[arg(long, global = true, value_enum, default_value = "human")]
    message_format: MessageFormat,
    /// Fail (exit 1) on any warning, before anything is written.
    #[arg(long, global = true)]
    deny_warnings: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

/// What to build, for `build` and `watch`.
#[derive(Args)]
struct BuildArgs {
    /// The book folder.
    #[arg(default_value = ".")]
    book: PathBuf,
    /// The output folder.
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: Option<PathBuf>,
    /// The outputs to build, separated by commas; those of `[build] outputs`, else all, by default.
    #[arg(long, value_delimiter = ',', value_name = "FORMATS", value_parser = format_parser())]
    format: Vec<Format>,
    /// The paper size of the PDF, overriding book.toml.
    #[arg(long, value_name = "PAPER")]
    paper: Option<Paper>,
}

impl BuildArgs {
    fn options(&self, deny_warnings: bool) -> BuildOptions {
        BuildOptions { out_dir: self.out.clone(), formats: self.format.clone(), paper: self.paper, deny_warnings }
    }
}

/// Parses an output's name: one of the renderers' names, which `--help` lists with what each makes.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    let names =
        Format::all().into_iter().map(|f| clap::builder::PossibleValue::new(f.name()).help(f.renderer().about()));
    clap::builder::PossibleValuesParser::new(names).map(|name: String| Format::named(&name).expect("a listed name"))
}

#[derive(Subcommand)]
enum Command {
    /// Builds the book's outputs into BOOK/out (or -o DIR).
    Build(BuildArgs),
    /// Builds the book, then rebuilds it each time one of its files changes, until stopped.
    Watch(BuildArgs),
    /// Loads and checks the book, writing nothing.
    Check {
        /// The book folder.
        #[arg(default_value = ".")]
        book: PathBuf,
        /// Also lists, on stdout, every place a cross-reference can lead to: `file#slug`, a tab and
        /// revise's anchor for it, such as `chapters/02-rivals.md#the-contenders` and `ch2-the-contenders`.
        #[arg(long)]
        anchors: bool,
    },
    /// Makes a new guide in DIR that builds as it is.
    Init {
        /// The folder to create.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let message_format = cli.message_format;
    match cli.command {
        Command::Build(args) => {
            let report = revise::Session::default().build(&args.book, &args.options(cli.deny_warnings), &*progress());
            finish(&report, message_format)
        }
        Command::Watch(args) => {
            let book = &args.book;
            let result =
                revise::build::watch::watch(book, &args.options(cli.deny_warnings), &progress, |report, took| {
                    finish(report, message_format);
                    let seconds = took.as_secs_f64();
                    let status = if report.failed() {
                        format!("build failed after {seconds:.2} s; the last good outputs are kept")
                    } else {
                        format!("built in {seconds:.2} s")
                    };
                    match message_format {
                        MessageFormat::Human => {
                            eprintln!("{status}\nwatching {} for changes (Ctrl-C stops)", book.display())
                        }
                        // One more JSON object, a note, so that the stream stays one object a line.
                        MessageFormat::Json => {
                            let mut note = Diagnostics::default();
                            note.push(revise::diagnostics::Diagnostic::info(status));
                            eprint!("{}", note.to_json_lines(&report.sources));
                        }
                    }
                    ControlFlow::Continue(())
                });
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(diagnostic) => fail(diagnostic, message_format),
            }
        }
        Command::Check { book, anchors } => {
            let (report, places) = revise::build::check_with_anchors(&book, cli.deny_warnings);
            let code = finish(&report, message_format);
            if !report.failed() && message_format == MessageFormat::Human {
                eprintln!("{}: no errors", book.display());
            }
            if anchors && !report.failed() {
                for line in places.unwrap_or_default() {
                    println!("{line}");
                }
            }
            code
        }
        Command::Init { dir } => match revise::build::init::init(&dir) {
            Ok(()) => {
                eprintln!("made a new guide in {}; build it with `revise build {}`", dir.display(), dir.display());
                ExitCode::SUCCESS
            }
            Err(diagnostic) => fail(diagnostic, message_format),
        },
    }
}

/// Prints one error that ended a command, and returns exit code 1.
fn fail(diagnostic: revise::diagnostics::Diagnostic, format: MessageFormat) -> ExitCode {
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(diagnostic);
    finish(&Report { sources: Default::default(), diagnostics, outputs: Vec::new() }, format)
}

/// Returns a progress bar for a build on a terminal, and nothing elsewhere.
fn progress() -> Box<dyn Progress> {
    if Bar::wanted() { Box::new(Bar::new()) } else { Box::new(Quiet) }
}

/// Prints the diagnostics and the files written, and returns the exit code: 1 if there were errors.
fn finish(report: &Report, format: MessageFormat) -> ExitCode {
    match format {
        MessageFormat::Human => {
            let choice = if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
            let mut stderr = StandardStream::stderr(choice);
            let _ = report.diagnostics.emit(&report.sources, &mut stderr);
            for path in &report.outputs {
                eprintln!("wrote {}", path.display());
            }
        }
        MessageFormat::Json => eprint!("{}", report.diagnostics.to_json_lines(&report.sources)),
    }
    if report.failed() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
