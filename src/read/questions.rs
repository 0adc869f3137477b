//! Retrieval practice in a question: the options of a multiple-choice question (the task list in
//! its text, ticked items correct) and the gaps of a gap-fill question (`[[answer]]`,
//! `[[grey|gray]]`), read from the model of questions.md, with their problems at their places.

use std::ops::Range;

use crate::diagnostics::{Diagnostic, Span};
use crate::model::{Block, Choice, Choices, Gap, Inline, ListItem, map_inline_leaves};
use crate::source::SourceId;

/// Takes the options out of a question's text: the items of its task list, which must be its only
/// one and have a ticked item. `source` and `range` are questions.md and the question's part of it,
/// where problems are reported.
pub fn take_choices(
    prompt: &mut Vec<Block>,
    source: SourceId,
    text: &str,
    range: Range<usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Choices> {
    let is_task_list =
        |block: &Block| matches!(block, Block::List { items, .. } if items.iter().any(|i| i.task.is_some()));
    let lists: Vec<usize> = prompt.iter().enumerate().filter(|(_, b)| is_task_list(b)).map(|(i, _)| i).collect();
    let first = *lists.first()?;
    let place = task_place(text, range.clone()).unwrap_or(range.start..range.start);
    let span = Span::new(source, place);
    if lists.len() > 1 {
        diagnostics.push(
            Diagnostic::error("this question has more than one task list, so its options are not clear")
                .at(span, "the first task list")
                .hint("keep the options in one task list (`- [ ]` and `- [x]`), and write other lists without boxes"),
        );
        return None;
    }
    let Block::List { items, .. } = prompt.remove(first) else { unreachable!("a task list is a list") };
    if items.iter().any(|item| item.task.is_none()) {
        diagnostics.push(
            Diagnostic::error("an item of this multiple-choice question's options has no box")
                .at(span, "options")
                .hint("start every option with `- [ ]`, or `- [x]` for a correct one"),
        );
        return None;
    }
    let options: Vec<Choice> =
        items.into_iter().map(|ListItem { task, blocks }| Choice { blocks, correct: task == Some(true) }).collect();
    if !options.iter().any(|o| o.correct) {
        diagnostics.push(
            Diagnostic::error("no option of this multiple-choice question is ticked")
                .at(span, "no `- [x]` among these")
                .hint("tick the correct option, or options: `- [x] 1961`"),
        );
        return None;
    }
    if options.len() < 2 {
        diagnostics.push(
            Diagnostic::error("this multiple-choice question has one option")
                .at(span, "the only option")
                .hint("give the options to choose from, each as `- [ ]`, the correct ones `- [x]`"),
        );
    }
    Some(Choices { options })
}

/// Returns the range of the first task-list item's box (`[ ]` or `[x]`) in `range` of `text`.
fn task_place(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let part = text.get(range.clone())?;
    let mut offset = range.start;
    for line in part.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix(['-', '*', '+']).and_then(|r| r.strip_prefix(' ')) {
            let rest = rest.trim_start();
            if rest.starts_with("[ ]") || rest.starts_with("[x]") || rest.starts_with("[X]") {
                let start = offset + indent + (trimmed.len() - rest.len());
                return Some(start..start + 3);
            }
        }
        offset += line.len();
    }
    None
}

/// Replaces each `[[answer]]` in the text of inline content with a gap, numbering the gaps from
/// `next`. A gap's answers are separated by `|`; one with an empty answer is left as text (its error
/// comes from [`check_gaps`]).
pub fn split_gaps(inlines: Vec<Inline>, next: &mut usize) -> Vec<Inline> {
    map_inline_leaves(inlines, &mut |leaf| {
        let Inline::Text(text) = leaf else { return vec![leaf] };
        let mut out = Vec::new();
        let mut rest = text.as_str();
        while let Some((before, answers, after)) = next_gap(rest) {
            if !before.is_empty() {
                out.push(Inline::Text(before.to_string()));
            }
            out.push(Inline::Gap(Gap { answers, number: *next }));
            *next += 1;
            rest = after;
        }
        if !rest.is_empty() {
            out.push(Inline::Text(rest.to_string()));
        }
        out
    })
}

/// Finds the first well-formed gap in a text: the text before it, its answers, the text after it.
fn next_gap(text: &str) -> Option<(&str, Vec<String>, &str)> {
    let mut from = 0;
    while let Some(open) = text[from..].find("[[").map(|i| i + from) {
        let inner_start = open + 2;
        let close = text[inner_start..].find("]]").map(|i| i + inner_start)?;
        let inner = &text[inner_start..close];
        if let Some(answers) = answers(inner) {
            return Some((&text[..open], answers, &text[close + 2..]));
        }
        from = inner_start;
    }
    None
}

/// Returns the answers of a gap's inside, or `None` if one is empty or the inside holds a bracket.
fn answers(inner: &str) -> Option<Vec<String>> {
    if inner.contains('[') || inner.contains('\n') {
        return None;
    }
    let answers: Vec<String> = inner.split('|').map(|a| a.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    (!answers.iter().any(String::is_empty)).then_some(answers)
}

/// Reports each gap in `range` of questions.md whose answer is empty: `[[]]`, `[[ ]]`, `[[a|]]`.
/// Code (fenced blocks and spans between backticks) is not looked in: `x = [[]]` there is code.
pub fn check_gaps(source: SourceId, text: &str, range: Range<usize>, diagnostics: &mut Vec<Diagnostic>) {
    let Some(part) = text.get(range.clone()) else { return };
    let code = code_ranges(part);
    let mut from = 0;
    while let Some(open) = part[from..].find("[[").map(|i| i + from) {
        if code.iter().any(|c| c.contains(&open)) {
            from = open + 2;
            continue;
        }
        let Some(close) = part[open + 2..].find("]]").map(|i| i + open + 2) else { return };
        let inner = &part[open + 2..close];
        if !inner.contains('[') && !inner.contains('\n') && answers(inner).is_none() {
            let start = range.start + open;
            diagnostics.push(
                Diagnostic::error("this gap has an empty answer")
                    .at(Span::new(source, start..range.start + close + 2), "nothing to fill in")
                    .hint("write the answer between the brackets, `[[quarantine]]`, and others it accepts after `|`: `[[grey|gray]]`"),
            );
        }
        from = close + 2;
    }
}

/// Returns the byte ranges of `text` that are code: fenced blocks and spans between backticks.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut offset = 0;
    let mut fence: Option<(usize, &str)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some((offset, m)),
            (Some((start, m)), Some(end)) if m == end => {
                ranges.push(start..offset + line.len());
                fence = None;
            }
            (Some(_), _) => {}
            (None, None) => {
                // Spans between backticks on the line.
                let mut ticks = line.match_indices('`').map(|(i, _)| offset + i);
                while let (Some(a), Some(b)) = (ticks.next(), ticks.next()) {
                    ranges.push(a..b + 1);
                }
            }
        }
        offset += line.len();
    }
    if let Some((start, _)) = fence {
        ranges.push(start..text.len());
    }
    ranges
}

/// Warns of `[[…]]` left in a question's text that is not a gap: split by a table's `|`, say, or
/// in a place gaps are not read (a definition, a footnote, an option). It would print as written,
/// brackets and answer, on the worksheet.
pub fn check_leftovers(
    question: &crate::model::Question,
    source: SourceId,
    text: &str,
    range: Range<usize>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Text only: `[[x]]` in code is code.
    let mut left = false;
    let mut look = |inlines: &[Inline]| {
        crate::model::visit_inline_tree(inlines, &mut |inline| {
            left |= matches!(inline, Inline::Text(text) if text.contains("[[") || text.contains("]]"));
        })
    };
    look(&question.heading.content);
    crate::model::visit_blocks(&question.prompt, &mut |block| match block {
        Block::Paragraph(inlines) | Block::NestedHeading(inlines) => look(inlines),
        Block::Table { header, rows, .. } => header.iter().chain(rows.iter().flatten()).for_each(|cell| look(cell)),
        _ => {}
    });
    if let Some(choices) = &question.choices {
        crate::model::visit_blocks(
            &choices.options.iter().flat_map(|o| o.blocks.clone()).collect::<Vec<_>>(),
            &mut |block| {
                if let Block::Paragraph(inlines) = block {
                    look(inlines);
                }
            },
        );
    }
    if !left {
        return;
    }
    let part = text.get(range.clone()).unwrap_or_default();
    let code = code_ranges(part);
    let at = part.match_indices("[[").map(|(i, _)| i).find(|i| !code.iter().any(|c| c.contains(i))).unwrap_or(0);
    diagnostics.push(
        Diagnostic::warning("this `[[` is not read as a gap, so it is printed as written, answer and all")
            .at(Span::new(source, range.start + at..range.start + at + 2), "not a gap")
            .hint("a gap stands in the question's heading or text, on one line; in a table, write the `|` between answers as `\\|`"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_split_out_of_text() {
        let mut next = 1;
        let out = split_gaps(vec![Inline::Text("It is [[grey| gray ]] and [[wet]]. [[]] stays".into())], &mut next);
        assert_eq!(next, 3);
        assert!(matches!(&out[1], Inline::Gap(g) if g.answers == ["grey", "gray"] && g.number == 1));
        assert!(matches!(&out[3], Inline::Gap(g) if g.answers == ["wet"] && g.number == 2));
        assert!(matches!(&out[4], Inline::Text(t) if t == ". [[]] stays"));
        assert_eq!(Choices::letter(0), "A");
        assert_eq!(Choices::letter(25), "Z");
        assert_eq!(Choices::letter(26), "AA");
    }

    #[test]
    fn empty_gaps_are_errors_at_their_place() {
        let text = "## Q\n\nA [[ ]] and [[a|]] and [[ok]].\n";
        let mut found = Vec::new();
        check_gaps(0, text, 0..text.len(), &mut found);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].primary.as_ref().unwrap().span.range, 8..13);
    }
}
