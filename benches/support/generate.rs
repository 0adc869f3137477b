//! Generates revision guides of any number of chapters from the sample guide in `book/`, so that
//! benchmarks run on text of the sample's shape: the same prose, names, key terms, footnotes,
//! tables, callouts, questions and FAQ, in proportion to the number of chapters.
//!
//! Chapter n is made of three parts, each a sample chapter with its key terms and footnote labels
//! renamed for the part, so every term is defined once and used in its own text; the third part
//! keeps only its first two sections. Questions and FAQ entries repeat the sample's.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// What was written.
#[derive(Debug, Clone, Copy)]
pub struct Generated {
    /// Words in every Markdown file, counted as runs of non-space characters.
    pub words: usize,
    /// Key terms defined in the chapters.
    pub terms: usize,
}

/// Writes a guide of `chapters` chapters into `out`, made from the sample guide in `sample`.
pub fn generate(sample: &Path, out: &Path, chapters: usize) -> io::Result<Generated> {
    let sample_chapters = read_chapters(sample)?;
    let chapters_dir = out.join("chapters");
    std::fs::create_dir_all(&chapters_dir)?;
    let mut words = 0;
    let mut terms = 0;

    // The manifest: the sample's, with a title that names the size.
    let manifest = std::fs::read_to_string(sample.join("book.toml"))?;
    let manifest: String = manifest
        .lines()
        .map(|line| {
            if line.starts_with("title = ") {
                format!("title = \"The USSR after Stalin ({chapters} chapters)\"\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    std::fs::write(out.join("book.toml"), manifest)?;

    for n in 1..=chapters {
        let mut text = String::new();
        for part in 0..3 {
            let source = &sample_chapters[(n - 1 + part) % sample_chapters.len()];
            let (body, defined) = chapter_part(source, n, part);
            text.push_str(&body);
            terms += defined;
        }
        words += count_words(&text);
        std::fs::write(chapters_dir.join(format!("{n:04}.md")), text)?;
    }

    // Questions and FAQ entries in proportion: the sample has two questions and five FAQ entries
    // for three chapters.
    let questions = split_level2(&std::fs::read_to_string(sample.join("questions.md"))?);
    let mut text = String::from("# Practice questions\n\n");
    for i in 0..(chapters / 3).max(2) {
        let (heading, body) = &questions[i % questions.len()];
        // Keep the marks annotation at the end of the heading.
        let heading = match heading.rfind(" (") {
            Some(at) => format!("{} — set {}{}", &heading[..at], i + 1, &heading[at..]),
            None => format!("{heading} — set {}", i + 1),
        };
        let _ = write!(text, "## {heading}\n\n{}\n\n", without_cross_refs(body));
    }
    words += count_words(&text);
    std::fs::write(out.join("questions.md"), text)?;

    let faq = split_level2(&std::fs::read_to_string(sample.join("faq.md"))?);
    let mut text = String::from("# Frequently asked questions\n\n");
    for i in 0..(chapters * 5 / 3).max(faq.len()) {
        let (question, answer) = &faq[i % faq.len()];
        let question = question.trim_end_matches('?');
        let _ = write!(text, "## {question} ({})?\n\n{}\n\n", i + 1, without_cross_refs(answer));
    }
    words += count_words(&text);
    std::fs::write(out.join("faq.md"), text)?;

    let glossary = std::fs::read_to_string(sample.join("glossary.md"))?;
    words += count_words(&glossary);
    std::fs::write(out.join("glossary.md"), glossary)?;
    Ok(Generated { words, terms })
}

/// Reads the sample's chapter files in order.
fn read_chapters(sample: &Path) -> io::Result<Vec<String>> {
    let mut paths: Vec<_> = std::fs::read_dir(sample.join("chapters"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    paths.iter().map(std::fs::read_to_string).collect()
}

/// Returns one part of chapter `n`: the sample chapter with its terms and footnotes renamed, its
/// title as the chapter's (part 0) or a section's, and only two sections in part 2. Also returns
/// the number of terms it defines.
fn chapter_part(source: &str, n: usize, part: usize) -> (String, usize) {
    let suffix = format!("{n}{}", ["a", "b", "c"][part]);
    let source = &without_cross_refs(source);
    let mut lines: Vec<&str> = source.lines().collect();
    let title = lines.first().and_then(|l| l.strip_prefix("# ")).unwrap_or("Chapter").to_string();
    lines.remove(0);

    // Part 2 keeps its first two sections and every footnote definition.
    if part == 2 {
        let mut sections = 0;
        let mut kept = Vec::new();
        let mut inside = true;
        for line in lines {
            if line.starts_with("## ") {
                sections += 1;
                inside = sections <= 2;
            }
            if inside || line.starts_with("[^") {
                kept.push(line);
            }
        }
        lines = kept;
    }

    // Key terms are the lines before a `: ` definition.
    let mut terms: Vec<String> = Vec::new();
    for pair in lines.windows(2) {
        if pair[1].starts_with(": ") && !pair[0].trim().is_empty() {
            terms.push(pair[0].trim().to_string());
        }
    }
    let mut body = lines.join("\n");
    // Longer terms first, so a term inside another is not renamed twice.
    terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
    for term in &terms {
        body = replace_words(&body, term, &format!("{term} {suffix}"));
        let lower = lower_first(term);
        if lower != *term {
            body = replace_words(&body, &lower, &format!("{lower} {suffix}"));
        }
    }
    // Footnote labels unique in the whole book, for tools that read all chapters as one document.
    let body = body.replace("[^", &format!("[^c{n}p{part}-"));
    let heading = if part == 0 { format!("# {title} ({n})") } else { format!("## {title}") };
    (format!("{heading}\n{body}\n\n"), terms.len())
}

/// Returns `text` with each link to a place in the sample (`[words](file.md#slug)`, `[words](#slug)`)
/// as its words alone: the generated chapters mix the sample's, so those places move or go.
fn without_cross_refs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|middle| {
            let target = &after[middle + 2..];
            let close = target.find(')')?;
            let url = &target[..close];
            let internal = url.starts_with('#') || url.split('#').next().is_some_and(|path| path.ends_with(".md"));
            (internal && !after[..middle].contains(['[', ']'])).then_some((middle, middle + 2 + close + 1))
        });
        match link {
            Some((middle, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..middle]);
                rest = &after[end..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Replaces whole-word occurrences of `from` with `to`.
fn replace_words(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + from.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        out.push_str(&rest[..at]);
        out.push_str(if word(before) || word(after) { from } else { to });
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Splits a document at its `## ` headings into (heading, body) pairs, dropping what comes first.
fn split_level2(text: &str) -> Vec<(String, String)> {
    let mut parts: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            parts.push((heading.to_string(), String::new()));
        } else if let Some((_, body)) = parts.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    parts
}

/// Counts words as runs of non-space characters.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Equations of a science guide, inline and display, that [`add_maths`] cycles through.
const EQUATIONS: [&str; 10] = [
    r"v = \frac{s}{t}",
    r"v^2 = u^2 + 2as",
    r"E_k = \frac{1}{2}mv^2",
    r"R = \sum_{i=1}^{n} R_i",
    r"F = \sqrt{F_1^2 + F_2^2}",
    r"\ce{CH4 + 2O2 -> CO2 + 2H2O}",
    r"\ce{N2(g) + 3H2(g) <=>[Fe] 2NH3(g)}",
    r"Q = \int_0^t I\,\mathrm{d}t",
    r"\begin{pmatrix} 3 \\ 4 \end{pmatrix} + \begin{pmatrix} 2 \\ 1 \end{pmatrix}",
    r"c \approx 3.00 \times 10^{8}\,\mathrm{m\,s^{-1}}",
];

/// Adds a section of `per_chapter` equations to each chapter of the guide in `root`: every other
/// one inline in a sentence, the rest display maths. Each is made different from every other
/// (numbered, as `(3.7)`), as a real guide's are, so no work done for one serves another.
pub fn add_maths(root: &Path, per_chapter: usize) -> io::Result<()> {
    let mut paths: Vec<_> =
        std::fs::read_dir(root.join("chapters"))?.map(|e| e.map(|e| e.path())).collect::<io::Result<_>>()?;
    paths.sort();
    for (chapter, path) in paths.iter().enumerate() {
        let mut text = std::fs::read_to_string(path)?;
        text.push_str("\n## Worked equations\n\n");
        for i in 0..per_chapter {
            let latex = format!("{} \\quad ({}.{})", EQUATIONS[i % EQUATIONS.len()], chapter + 1, i + 1);
            if i % 2 == 0 {
                text.push_str(&format!("In this step ${latex}$ holds.\n\n"));
            } else {
                text.push_str(&format!("$$\n{latex}\n$$\n\n"));
            }
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}
