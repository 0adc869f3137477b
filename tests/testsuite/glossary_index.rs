//! The glossary and the index: entries, sorting, first-use links, occurrences, and page numbers that
//! match the PDF's own pages.

use std::collections::BTreeSet;

use revise::model::{Block, Inline, visit_blocks, visit_inlines};

use crate::support::{TestBook, pdf_pages, rendered};

/// Returns the pages an index line lists, ranges expanded: "Beria, Lavrentiy, 3, 5–7" gives 3, 5, 6, 7.
fn listed_pages(line: &str) -> BTreeSet<usize> {
    let mut pages = BTreeSet::new();
    for part in line.split(", ").skip(1) {
        let part = part.trim();
        match part.split_once('–') {
            Some((a, b)) => pages.extend(a.parse::<usize>().unwrap()..=b.parse::<usize>().unwrap()),
            None => {
                if let Ok(n) = part.parse() {
                    pages.insert(n);
                }
            }
        }
    }
    pages
}

/// A book whose entries fall on pages far apart: each chapter is long enough to fill pages.
fn paged_book() -> TestBook {
    let book = TestBook::minimal();
    book.file(
        "book.toml",
        &format!(
            "{}\n[index]\n\"Beria, Lavrentiy\" = [\"Lavrentiy Beria\", \"Beria\"]\n\"Zhukov, Georgy\" = [\"Zhukov\"]\n",
            crate::support::MANIFEST
        ),
    );
    let filler = "The committee met often and argued at length about plans and targets. ".repeat(45);
    book.file(
        "chapters/01-one.md",
        &format!(
            "# One\n\nLavrentiy Beria ran the police.\n\nPurge\n: A removal of opponents from power.\n\n\
             {filler}\n\n{filler}\n\nBeria’s purges were feared. Another purge came.\n\n{filler}\n"
        ),
    );
    book.file("chapters/02-two.md", &format!("# Two\n\n{filler}\n\n{filler}\n\nZhukov and Beria's men.\n"));
    book.file("chapters/03-three.md", &format!("# Three\n\nNo names here, only `Beria` in code.\n\n{filler}\n"));
    book
}

#[test]
fn index_pages_match_the_pdf_pages() {
    let book = paged_book();
    let report = book.build();
    assert!(!report.failed(), "{}", rendered(&report));
    let pages = pdf_pages(&book.pdf("test-guide"));
    let index_page = pages.iter().rposition(|p| p.contains("Index\n")).expect("an index page");
    let glossary_page = pages.iter().position(|p| p.contains("Glossary\n")).expect("a glossary page");
    let index = &pages[index_page];
    for (name, forms) in
        [("Beria, Lavrentiy", vec!["Beria"]), ("Zhukov, Georgy", vec!["Zhukov"]), ("Purge", vec!["Purge", "purge"])]
    {
        let line = index
            .lines()
            .find(|l| l.starts_with(&format!("{name},")))
            .unwrap_or_else(|| panic!("{name} not in:\n{index}"));
        let listed = listed_pages(line);
        // The pages whose text (not its running header) holds the name, before the back matter.
        let actual: BTreeSet<usize> = (2..glossary_page)
            .filter(|&n| {
                let body: String = pages[n].lines().skip(1).collect::<Vec<_>>().join("\n");
                // Code is not indexed.
                let body = body.replace("only Beria in code", "");
                forms.iter().any(|f| body.contains(f))
            })
            .collect();
        assert!(!listed.is_empty(), "{name} lists no pages");
        assert_eq!(listed, actual, "{name}: the index lists {listed:?}, the text has it on {actual:?}");
    }
}

#[test]
fn glossary_is_sorted_with_letters_and_first_uses_link_to_it() {
    let book = TestBook::minimal();
    book.file(
        "chapters/01-one.md",
        "# One\n\nBefore its definition, the gulag is not linked.\n\nThe Gulag\n: Camps.\n\n\
         Éclair\n: A pastry.\n\nzebra crossing\n: A crossing.\n\n\
         Apple\n: A fruit.\n\n## The gulag again\n\nThe gulag and the gulags, then an éclair and `Gulag`.\n\n\
         Apples, a zebra crossing.\n",
    );
    book.file("chapters/02-two.md", "# Two\n\nThe Gulag appears again; the gulag once more.\n");
    let loaded = revise::build::load(book.path());
    assert!(!loaded.diagnostics.has_errors(), "{}", loaded.diagnostics.render_plain(&loaded.sources));
    let (book_model, derived) = loaded.model.unwrap();

    let names: Vec<&str> = derived.glossary.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["Apple", "Éclair", "The Gulag", "zebra crossing"]);
    let letters: Vec<&str> = derived.glossary.entries.iter().map(|e| e.letter.as_str()).collect();
    assert_eq!(letters, vec!["A", "E", "G", "Z"]);

    // In each chapter, the first use after the definition links to the glossary, once per term.
    let linked_texts = |blocks: &[Block]| {
        let mut out = Vec::new();
        visit_blocks(blocks, &mut |block| {
            visit_inlines(block, &mut |inline| {
                if let Inline::GlossaryRef { content, .. } = inline {
                    out.push(revise::model::plain_text(content));
                }
            })
        });
        out
    };
    let chapters: Vec<_> = book_model.chapters().collect();
    let one = linked_texts(&chapters[0].blocks);
    assert_eq!(one, vec!["The gulag", "éclair", "Apples", "zebra crossing"], "chapter one links");
    let two = linked_texts(&chapters[1].blocks);
    assert_eq!(two, vec!["The Gulag"], "chapter two links its first use only");
    // Headings are never linked.
    let heading = chapters[0].blocks.iter().find_map(|b| match b {
        Block::Heading(h) => Some(h),
        _ => None,
    });
    assert!(heading.unwrap().content.iter().all(|i| matches!(i, Inline::Text(_))));
}

#[test]
fn index_finds_possessives_plurals_and_skips_code_and_urls() {
    let book = TestBook::minimal();
    book.file("book.toml", &format!("{}\n[index]\n\"Beria, Lavrentiy\" = [\"Beria\"]\n", crate::support::MANIFEST));
    book.file(
        "chapters/01-one.md",
        "# One\n\nBeria's men, Beria’s files, Beria.\n\n`Beria` in code, [a link](https://example.com/Beria), \
         Berian and beria (not names).\n\nPurge\n: A removal.\n\nMany purges followed.\n",
    );
    let loaded = revise::build::load(book.path());
    let derived = loaded.model.expect("the book loads").1;
    let beria = derived.index.entries.iter().find(|e| e.name == "Beria, Lavrentiy").unwrap();
    assert_eq!(beria.occurrences.len(), 3, "{:?}", beria.occurrences);
    let purge = derived.index.entries.iter().find(|e| e.name == "Purge").unwrap();
    assert_eq!(purge.occurrences.len(), 2, "the definition and the plural");
}

#[test]
fn key_terms_and_index_entries_are_found_in_text_without_spaces() {
    // Chinese and Japanese put no spaces between words: a term is found wherever it stands.
    let book = TestBook::empty();
    book.file("book.toml", "[book]\ntitle = \"水循环\"\nlanguage = \"zh\"\n\n[index]\n\"太阳\" = [\"太阳\"]\n");
    book.file("chapters/01.md", "# 水循环\n\n蒸发\n: 液体变成气体的过程。\n\n太阳的热量使水蒸发。\n");
    book.file("chapters/02.md", "# 水の循環\n\n蒸発\n: 液体が気体になること。\n\n太陽の熱で水が蒸発する。\n");
    let report = book.check();
    assert!(!report.failed(), "{}", rendered(&report));
    // The only warnings: the book brings no font for Chinese and Japanese.
    let font = |message: &str| message.contains("in no font") || message.contains("a font the book did not choose");
    let warnings: Vec<_> = report.diagnostics.iter().filter(|d| !font(&d.message)).collect();
    assert!(warnings.is_empty(), "{}", rendered(&report));
    let loaded = revise::build::load(book.path());
    let derived = loaded.model.expect("the book loads").1;
    let count = |name: &str| derived.index.entries.iter().find(|e| e.name == name).unwrap().occurrences.len();
    assert_eq!([count("蒸发"), count("蒸発"), count("太阳")], [2, 2, 1]);

    // Thai has no spaces either, and its words are told apart by ICU4X's segmenter: `ตา` (eye) is
    // not found inside `ตาราง` (table).
    let book = TestBook::empty();
    book.file("book.toml", "[book]\ntitle = \"น้ำ\"\nlanguage = \"th\"\n\n[index]\n\"ตา\" = [\"ตา\"]\n");
    book.file(
        "chapters/01.md",
        "# วัฏจักรของน้ำ\n\nการระเหย\n: การที่น้ำกลายเป็นไอ\n\nความร้อนของดวงอาทิตย์ทำให้เกิดการระเหยของน้ำ ดูตารางนี้ ตาของเขาปิดอยู่\n",
    );
    let derived = revise::build::load(book.path()).model.expect("the book loads").1;
    let count = |name: &str| derived.index.entries.iter().find(|e| e.name == name).unwrap().occurrences.len();
    assert_eq!([count("การระเหย"), count("ตา")], [2, 1]);

    // Hebrew and Arabic write `and`, `the`, `in`, `to` joined to the next word: a term is found after
    // them, but a short one is not found at the end of another word (`ים`, sea, in `מים`, water).
    let book = TestBook::empty();
    book.file(
        "book.toml",
        "[book]\ntitle = \"מים\"\nlanguage = \"he\"\n\n[index]\n\"ים\" = [\"ים\"]\n\"التكاثف\" = [\"التكاثف\"]\n",
    );
    book.file(
        "chapters/01.md",
        "# מים\n\nאידוי\n: מעבר של מים לאדים.\n\nהחום גורם לאידוי, והאידוי נמשך ליד הים. יש מים.\n\nيحدث بالتكاثف.\n",
    );
    let derived = revise::build::load(book.path()).model.expect("the book loads").1;
    let count = |name: &str| derived.index.entries.iter().find(|e| e.name == name).unwrap().occurrences.len();
    assert_eq!([count("אידוי"), count("ים"), count("التكاثف")], [3, 0, 1]);
    // A Latin name inside a longer Latin word is still not an occurrence.
    let book = TestBook::minimal();
    book.file("book.toml", &format!("{}\n[index]\n\"Beria\" = [\"Beria\"]\n", crate::support::MANIFEST));
    book.file("chapters/01-one.md", "# One\n\nBeria and Berian, 贝利亚Beria。\n");
    let derived = revise::build::load(book.path()).model.expect("the book loads").1;
    assert_eq!(derived.index.entries[0].occurrences.len(), 2);
}

#[test]
fn check_warns_of_unused_entries_and_rejects_shared_aliases() {
    let book = TestBook::minimal();
    book.file(
        "book.toml",
        &format!("{}\n[index]\n\"Nobody, Here\" = [\"Nobody\"]\n\"Beria\" = [\"Beria\"]\n", crate::support::MANIFEST),
    );
    book.file("chapters/01-one.md", "# One\n\nBeria.\n\nLonely term\n: Never used elsewhere.\n");
    let report = book.check();
    assert!(!report.failed(), "{}", rendered(&report));
    let text = rendered(&report);
    assert!(text.contains("warning: the index entry `Nobody, Here` never occurs in the text"), "{text}");
    assert!(text.contains("book.toml:7:"), "{text}");
    assert!(text.contains("warning: the key term `Lonely term` is never used outside its definition"), "{text}");
    assert!(text.contains("chapters/01-one.md:5:1"), "{text}");

    book.file(
        "book.toml",
        &format!(
            "{}\n[index]\n\"Beria, Lavrentiy\" = [\"Beria\"]\n\"Beria, L.\" = [\"Beria\"]\n",
            crate::support::MANIFEST
        ),
    );
    let report = book.check();
    assert!(report.failed());
    let text = rendered(&report);
    assert!(
        text.contains("the alias `Beria` is claimed by two index entries: `Beria, L.` and `Beria, Lavrentiy`")
            || text.contains("the alias `Beria` is claimed by two index entries: `Beria, Lavrentiy` and `Beria, L.`"),
        "{text}"
    );
}

#[test]
fn the_sample_guide_has_its_glossary_and_index() {
    let sample = crate::fixtures::sample();
    let root = &sample.root;
    let loaded = revise::build::load(root);
    assert!(!loaded.diagnostics.has_warnings(), "{}", loaded.diagnostics.render_plain(&loaded.sources));
    let derived = loaded.model.unwrap().1;
    assert!(derived.glossary.entries.len() >= 15, "{} terms", derived.glossary.entries.len());
    let names: Vec<&str> = derived.index.entries.iter().map(|e| e.name.as_str()).collect();
    for person in ["Stalin", "Beria", "Malenkov", "Molotov", "Khrushchev", "Zhukov", "Kaganovich"] {
        assert!(names.iter().any(|n| n.starts_with(person)), "no {person} in the index");
    }
    for body in ["Central Committee", "Politburo", "Presidium", "Council of Ministers"] {
        assert!(names.contains(&body), "no {body} in the index");
    }
    // The student PDF of the shared build of every output.
    assert!(!sample.report.failed(), "{}", rendered(&sample.report));
    let pages = pdf_pages(sample.output("stalin.pdf"));
    assert!(pages.iter().any(|p| p.contains("Glossary\n")));
    assert!(pages.iter().any(|p| p.contains("Index\n") && p.contains("Zhukov, Georgy, ")));
}
