//! `revise init`: a small guide that builds as it is, to start a new book from.

use std::path::Path;

use crate::diagnostics::Diagnostic;

const BOOK_TOML: &str = r#"[book]
title = "My Revision Guide"
subtitle = "Everything for the exam, in one place"
authors = ["Your Name"]
language = "en-GB"
subject = "History"
description = "A revision guide made with revise."

[index]
# The printed name of an entry, and the ways it appears in the text.
"Example, Person" = ["Person Example", "Example"]

[pdf]
paper = "a4"
"#;

const CHAPTER: &str = r#"# Getting Started

This chapter shows what a revise guide can hold. Person Example wrote the first draft.

## Key terms

Revision
: Going over what you have learnt so that you remember it in the exam.

Mark scheme
: The guide examiners use to give marks to an answer.

## Tips

> [!TIP]
> Read the question twice and underline the command word. Then compare your answer with the mark scheme.

| Command word | What it asks for |
|---|---|
| Explain | Reasons, linked to the outcome |
| Describe | Features, with detail |

- [ ] Read this chapter
- [ ] Try the practice question
"#;

const FAQ: &str = r#"# Frequently asked questions

## How long should I revise each day?

Short sessions with breaks work better than one long one.
"#;

const QUESTIONS: &str = r#"# Practice questions

## Explain why revision helps you in an exam. (4 marks)

### Model answer

Revision strengthens memory, so facts come back quickly under time pressure. It also shows which
topics need more work before the exam.
"#;

/// Writes a new guide into `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    let name = dir.display().to_string();
    if dir.exists() {
        let empty = std::fs::read_dir(dir).map(|mut entries| entries.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(Diagnostic::error("the folder already exists and is not empty")
                .in_file(name)
                .hint("choose a new folder name"));
        }
    }
    let files = [
        ("book.toml", BOOK_TOML),
        ("chapters/01-getting-started.md", CHAPTER),
        ("faq.md", FAQ),
        ("questions.md", QUESTIONS),
    ];
    for (path, text) in files {
        let target = dir.join(path);
        let write = || -> std::io::Result<()> {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&target, text)
        };
        write().map_err(|err| {
            Diagnostic::error(format!("cannot write the file: {err}")).in_file(target.display().to_string())
        })?;
    }
    Ok(())
}
