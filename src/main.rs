//! The `revise` command line: parses arguments and calls the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use revise::diagnostics::Diagnostics;
use revise::manifest::Paper;
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

#[derive(Subcommand)]
enum Command {
    /// Builds the book's outputs into BOOK/out (or -o DIR).
    Build {
        /// The book folder.
        #[arg(default_value = ".")]
        book: PathBuf,
        /// The output folder.
        #[arg(short = 'o', long = "out", value_name = "DIR")]
        out: Option<PathBuf>,
        /// The formats to build, separated by commas; those of `[build] outputs`, else all, by default.
        #[arg(long, value_delimiter = ',', value_name = "FORMATS")]
        format: Vec<Format>,
        /// The paper size of the PDF, overriding book.toml.
        #[arg(long, value_name = "PAPER")]
        paper: Option<Paper>,
    },
    /// Loads and checks the book, writing nothing.
    Check {
        /// The book folder.
        #[arg(default_value = ".")]
        book: PathBuf,
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
        Command::Build { book, out, format, paper } => {
            let options = BuildOptions { out_dir: out, formats: format, paper, deny_warnings: cli.deny_warnings };
            let report = revise::build(&book, &options);
            finish(&report, message_format)
        }
        Command::Check { book } => {
            let report = revise::check(&book, cli.deny_warnings);
            let code = finish(&report, message_format);
            if !report.failed() && message_format == MessageFormat::Human {
                eprintln!("{}: no errors", book.display());
            }
            code
        }
        Command::Init { dir } => match revise::init::init(&dir) {
            Ok(()) => {
                eprintln!("made a new guide in {}; build it with `revise build {}`", dir.display(), dir.display());
                ExitCode::SUCCESS
            }
            Err(diagnostic) => {
                let mut diagnostics = Diagnostics::default();
                diagnostics.push(diagnostic);
                finish(&Report { sources: Default::default(), diagnostics, outputs: Vec::new() }, message_format)
            }
        },
    }
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
