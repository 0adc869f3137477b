//! Diagnostics: author mistakes with their place in the source, collected and reported together.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity};
use codespan_reporting::term::{self, termcolor::WriteColor};

pub use crate::source::Span;
use crate::source::{ReadError, SourceId, Sources};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Information that needs no action.
    Info,
    /// Something the author should look at; the build still succeeds.
    Warning,
    /// Something that stops the book from being built.
    Error,
}

impl Severity {
    /// Returns the lowercase name used in printed and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A span with a message that explains its part in a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there; may be empty.
    pub message: String,
}

/// One message for the author, with the place it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file the diagnostic concerns when it has no span (a missing folder, an unreadable file).
    pub file: Option<String>,
    /// The main place, underlined when printed.
    pub primary: Option<Label>,
    /// Further places, such as the first definition of a duplicate.
    pub secondary: Vec<Label>,
    /// Suggestions for a fix.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// Creates an error with the given message.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    /// Creates a warning with the given message.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    /// Creates an informational message.
    pub fn info(message: impl Into<String>) -> Self {
        Self::new(Severity::Info, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Self { severity, message: message.into(), file: None, primary: None, secondary: Vec::new(), hints: Vec::new() }
    }

    /// Sets the main place the diagnostic points at.
    pub fn at(mut self, span: Span, message: impl Into<String>) -> Self {
        self.primary = Some(Label { span, message: message.into() });
        self
    }

    /// Names the file the diagnostic concerns, for diagnostics without a span.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Adds a further place.
    pub fn also(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label { span, message: message.into() });
        self
    }

    /// Adds a suggestion for a fix.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Returns the file this diagnostic concerns, relative to the book folder.
    pub fn file_name<'a>(&'a self, sources: &'a Sources) -> Option<&'a str> {
        match &self.primary {
            Some(label) => Some(sources.name(label.span.file)),
            None => self.file.as_deref(),
        }
    }
}

/// The diagnostics of one run, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Returns true if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Returns true if any diagnostic is a warning.
    pub fn has_warnings(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Warning)
    }

    /// Returns all diagnostics.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Returns true if there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Prints every diagnostic as rustc and typst do: file, line and column, the source line underlined.
    pub fn emit<W: WriteColor>(&self, sources: &Sources, out: &mut W) -> std::io::Result<()> {
        let config = term::Config::default();
        for diagnostic in &self.items {
            let cs = to_codespan(diagnostic);
            if let Err(err) = term::emit_to_write_style(out, &config, sources.files(), &cs) {
                writeln!(out, "{}: {} ({err})", diagnostic.severity.as_str(), diagnostic.message)?;
            }
        }
        Ok(())
    }

    /// Renders every diagnostic without colour, as the tests and logs see them.
    pub fn render_plain(&self, sources: &Sources) -> String {
        let config = term::Config::default();
        let mut text = String::new();
        for diagnostic in &self.items {
            match term::emit_into_string(&config, sources.files(), &to_codespan(diagnostic)) {
                Ok(rendered) => text.push_str(&rendered),
                Err(err) => {
                    text.push_str(&format!("{}: {} ({err})\n", diagnostic.severity.as_str(), diagnostic.message))
                }
            }
        }
        text
    }
}

/// A diagnostic as a machine reads it: one JSON object a line, lines and columns counted from 1,
/// columns in characters, the file relative to the book folder.
#[derive(Debug, serde::Serialize)]
pub struct JsonDiagnostic<'a> {
    /// "error", "warning" or "info".
    pub severity: &'static str,
    /// What is wrong.
    pub message: &'a str,
    /// The file, relative to the book folder, if the diagnostic concerns one.
    pub file: Option<&'a str>,
    /// Where the span starts.
    pub line: Option<usize>,
    /// Where the span starts.
    pub column: Option<usize>,
    /// Where the span ends.
    pub end_line: Option<usize>,
    /// Where the span ends.
    pub end_column: Option<usize>,
    /// Suggestions for a fix.
    pub hints: &'a [String],
    /// Further places, such as the first definition of a duplicate.
    pub related: Vec<JsonPlace<'a>>,
}

/// A further place of a diagnostic, in JSON.
#[derive(Debug, serde::Serialize)]
pub struct JsonPlace<'a> {
    /// The file, relative to the book folder.
    pub file: &'a str,
    /// The line the place starts on.
    pub line: usize,
    /// The column the place starts at.
    pub column: usize,
    /// What is there.
    pub message: &'a str,
}

impl Diagnostics {
    /// Returns each diagnostic as one line of JSON.
    pub fn to_json_lines(&self, sources: &Sources) -> String {
        let mut out = String::new();
        for d in &self.items {
            let (start, end) = match &d.primary {
                Some(label) => {
                    let (line, column) = sources.line_column(label.span.file, label.span.range.start);
                    let (end_line, end_column) = sources.line_column(label.span.file, label.span.range.end);
                    (Some((line, column)), Some((end_line, end_column)))
                }
                None => (None, None),
            };
            let json = JsonDiagnostic {
                severity: d.severity.as_str(),
                message: &d.message,
                file: d.file_name(sources),
                line: start.map(|s| s.0),
                column: start.map(|s| s.1),
                end_line: end.map(|e| e.0),
                end_column: end.map(|e| e.1),
                hints: &d.hints,
                related: d
                    .secondary
                    .iter()
                    .map(|label| {
                        let (line, column) = sources.line_column(label.span.file, label.span.range.start);
                        JsonPlace { file: sources.name(label.span.file), line, column, message: &label.message }
                    })
                    .collect(),
            };
            out.push_str(&serde_json::to_string(&json).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.items.extend(iter);
    }
}

fn to_codespan(diagnostic: &Diagnostic) -> CsDiagnostic<SourceId> {
    let severity = match diagnostic.severity {
        Severity::Info => CsSeverity::Note,
        Severity::Warning => CsSeverity::Warning,
        Severity::Error => CsSeverity::Error,
    };
    let mut message = diagnostic.message.clone();
    if diagnostic.primary.is_none()
        && let Some(file) = &diagnostic.file
    {
        message = format!("{file}: {message}");
    }
    let mut labels = Vec::new();
    if let Some(label) = &diagnostic.primary {
        labels.push(CsLabel::primary(label.span.file, label.span.range.clone()).with_message(&label.message));
    }
    for label in &diagnostic.secondary {
        labels.push(CsLabel::secondary(label.span.file, label.span.range.clone()).with_message(&label.message));
    }
    CsDiagnostic::new(severity)
        .with_message(message)
        .with_labels(labels)
        .with_notes(diagnostic.hints.iter().map(|h| format!("hint: {h}")).collect())
}

impl From<ReadError> for Diagnostic {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::Io { name, message } => {
                Diagnostic::error(format!("cannot read the file: {message}")).in_file(name)
            }
            ReadError::NotUtf8 { span, line, column } => Diagnostic::error(format!(
                "the file is not valid UTF-8 (first bad byte at line {line}, column {column})"
            ))
            .at(span, "not UTF-8")
            .hint("save the file with UTF-8 encoding"),
        }
    }
}
