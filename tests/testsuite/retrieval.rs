//! Retrieval practice: multiple-choice and gap-fill questions in every edition, with their answers
//! only where answers belong, as cloze cards and as a Moodle question bank.

use std::path::{Path, PathBuf};

use revise::BuildOptions;
use revise::Format;

use crate::epub::text_files;
use crate::support::{TestBook, pdf_text, rendered, tool};

/// A book with every question type: one correct option, two correct options, gaps (one with two
/// accepted answers), a written answer, and options with a written explanation.
pub fn quiz_book() -> TestBook {
    let book = TestBook::minimal();
    book.bytes("images/dot.png", crate::pdf_features::PNG);
    book.file(
        "chapters/01-one.md",
        "# One\n\nBlockade\n: Cutting a place off. ![A dot](../images/dot.png)\n\nThe blockade began.\n",
    );
    book.file(
        "questions.md",
        "# Practice questions\n\n\
         ## In which year was the Berlin Wall built? (1 mark)\n\n\
         - [ ] 1958\n- [x] 1961\n- [ ] 1989\n\n\
         ## Which two led the USSR?\n\n\
         - [x] Khrushchev\n- [ ] Truman\n- [x] Brezhnev\n- [ ] Adenauer\n\n\
         ## Fill the gaps\n\n\
         Keeping sick people apart is called [[quarantine]]. The sky was [[grey|gray]] over the [[concrete]].\n\n\
         ## Why was the wall built? (4 marks)\n\n\
         Look at the picture. ![A wall](images/dot.png)\n\n\
         ### Model answer\n\n\
         To stop people leaving.\n\n\
         ## Which is right, and why? (3 marks)\n\n\
         - [x] It went up overnight\n- [ ] It took a year\n\n\
         ### Model answer\n\n\
         It went up on the night of 13 August.\n",
    );
    book
}

/// The words of the answers, none of which a question's text holds.
const GAP_ANSWERS: [&str; 3] = ["quarantine", "gray", "concrete"];

fn build_all(book: &TestBook) -> Vec<PathBuf> {
    let options = BuildOptions { formats: Format::all(), ..BuildOptions::default() };
    let report = revise::build(book.path(), &options);
    assert!(!report.failed(), "{}", rendered(&report));
    assert!(!rendered(&report).contains("warning"), "{}", rendered(&report));
    report.outputs
}

fn out(book: &TestBook, file: &str) -> PathBuf {
    book.path().join("out").join(file)
}

/// Returns a PDF's bytes with its streams uncompressed by qpdf, so that text in them can be found.
/// The uncompressed copy is written to a folder of its own, never beside a shared build's outputs.
fn uncompressed(pdf: &Path) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join(pdf.file_name().unwrap()).with_extension("qdf.pdf");
    let (_, text) = tool(
        "qpdf",
        &["--qdf", "--object-streams=disable", "--decode-level=all", pdf.to_str().unwrap(), target.to_str().unwrap()],
    );
    std::fs::read(&target).unwrap_or_else(|err| panic!("qpdf wrote nothing ({err}): {text}"))
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn every_question_type_builds_in_every_output_and_marks_add_up() {
    let quiz = crate::fixtures::quiz();
    let outputs = &quiz.report.outputs;
    let names: Vec<String> = outputs.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for name in ["test-guide-cloze.tsv", "test-guide-moodle.xml", "test-guide-worksheet.pdf", "test-guide.epub"] {
        assert!(names.iter().any(|n| n == name), "no {name} in {names:?}");
    }
    let (model, _) = revise::build::load(&quiz.root).model.unwrap();
    // 1 (annotated), 2 correct options, 3 gaps, 4 and 3 (annotated).
    let marks: Vec<Option<u32>> = model.questions().map(|q| q.marks).collect();
    assert_eq!(marks, [Some(1), Some(2), Some(3), Some(4), Some(3)]);
    assert_eq!(model.total_marks(), 13);
}

#[test]
fn the_worksheet_holds_no_answer_in_its_text_source_or_bytes() {
    let quiz = crate::fixtures::quiz();
    let worksheet = quiz.out.join("test-guide-worksheet.pdf");
    let text = pdf_text(&worksheet);
    for answer in GAP_ANSWERS {
        assert!(!text.contains(answer), "the worksheet shows {answer}");
    }
    assert!(text.contains("Choose one answer.") && text.contains("Choose 2 answers."), "{text}");
    assert!(!text.contains('✓') && !text.contains("Answer:"), "{text}");
    // Nor anywhere in the file as text: its tags, alternative texts, outline and metadata. (The
    // page text itself is glyph numbers, which pdftotext has read above.)
    let bytes = uncompressed(&worksheet);
    assert!(contains(&bytes, "Fill the gaps"), "qpdf did not uncompress the outline");
    for answer in GAP_ANSWERS {
        assert!(!contains(&bytes, answer), "the worksheet's bytes hold {answer}");
    }
    // The typst source it is made from marks no option correct and fills no gap.
    let loaded = revise::build::load(&quiz.root);
    let (model, derived) = loaded.model.unwrap();
    let templates = revise::render::templates::Templates::load(&loaded.root).unwrap();
    let source = revise::render::pdf::source(
        &model,
        &derived,
        &templates,
        revise::render::pdf::Edition::Worksheet,
        Default::default(),
    )
    .unwrap();
    let body = &source[source.find("#worksheet-question(1").unwrap()..];
    assert!(!body.contains("true)") && !body.contains("quarantine"), "{body}");
}

#[test]
fn the_answer_key_teacher_edition_and_answers_hold_every_answer() {
    let quiz = crate::fixtures::quiz();
    for file in ["test-guide-answers.pdf", "test-guide-teacher.pdf", "test-guide.pdf"] {
        let text = pdf_text(&quiz.out.join(file));
        for answer in ["Answer: B", "Answer: A, C", "(1) quarantine", "(2) grey / gray", "(3) concrete", "Answer: A"] {
            assert!(text.contains(answer), "{file} lacks {answer:?}:\n{text}");
        }
    }
    // The key and the teacher edition tick the correct options where they stand, and fill the gaps.
    for file in ["test-guide-answers.pdf", "test-guide-teacher.pdf"] {
        let text = pdf_text(&quiz.out.join(file));
        assert_eq!(text.matches('✓').count(), 4, "{file}: one tick for each correct option:\n{text}");
        assert!(text.contains("called quarantine"), "{file}: the gap is not filled:\n{text}");
    }
    // The student guide's questions are blank; its answers at the back give the letters and words.
    let student = pdf_text(&quiz.out.join("test-guide.pdf"));
    let (questions, answers) = student.rsplit_once("Answers\n").unwrap();
    assert!(!questions.contains("quarantine") && !questions.contains('✓'), "{questions}");
    assert!(answers.contains("Answer: (1) quarantine; (2) grey / gray; (3) concrete"), "{answers}");
}

#[test]
fn the_epub_reveals_answers_only_in_its_answers_document() {
    let quiz = crate::fixtures::quiz();
    let files = text_files(&quiz.out.join("test-guide.epub"));
    let questions = &files["OEBPS/questions.xhtml"];
    let answers = &files["OEBPS/answers.xhtml"];
    for answer in GAP_ANSWERS {
        assert!(!questions.contains(answer), "the questions give away {answer}");
        assert!(answers.contains(answer), "the answers lack {answer}");
    }
    assert!(questions.contains("<ol class=\"choices\" type=\"A\">") && questions.contains("<li>1961</li>"));
    assert!(questions.contains("<span class=\"gap-label\">blank 1</span>"), "{questions}");
    assert!(answers.contains("Answer: A, C") && answers.contains("Answer: B"), "{answers}");
    // Options are plain list items: nothing in the markup says which is correct.
    assert!(!questions.contains("correct"), "{questions}");
}

#[test]
fn gap_fill_questions_make_cloze_cards() {
    let quiz = crate::fixtures::quiz();
    let tsv = std::fs::read_to_string(quiz.out.join("test-guide-cloze.tsv")).unwrap();
    assert_eq!(
        tsv,
        "Fill the gaps Keeping sick people apart is called {{c1::quarantine}}. The sky was {{c2::grey}} over the \
         {{c3::concrete}}.\t\n"
    );
    let cards = pdf_text(&quiz.out.join("test-guide-flashcards.pdf"));
    assert!(cards.contains("Fill the gaps") && cards.contains("quarantine"), "{cards}");
}

/// Returns the questions of a Moodle XML file: each one's type, its answers' fractions and the
/// texts of its elements, read with quick-xml.
fn moodle_questions(xml: &[u8]) -> Vec<(String, Vec<String>, String)> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_reader(xml);
    let mut questions = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("the XML parses") {
            Event::Start(e) if e.name().as_ref() == b"question" => {
                let kind = e.try_get_attribute("type").unwrap().unwrap().unescape_value().unwrap().into_owned();
                questions.push((kind, Vec::new(), String::new()));
            }
            Event::Start(e) if e.name().as_ref() == b"answer" => {
                let fraction = e.try_get_attribute("fraction").unwrap().unwrap().unescape_value().unwrap().into_owned();
                questions.last_mut().unwrap().1.push(fraction);
            }
            Event::Text(t) if !questions.is_empty() => questions.last_mut().unwrap().2.push_str(&t.decode().unwrap()),
            Event::CData(t) if !questions.is_empty() => {
                questions.last_mut().unwrap().2.push_str(&String::from_utf8_lossy(&t))
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    questions
}

#[test]
fn the_moodle_question_bank_has_the_right_types_and_fractions() {
    let quiz = crate::fixtures::quiz();
    let xml = std::fs::read(quiz.out.join("test-guide-moodle.xml")).unwrap();
    let questions = moodle_questions(&xml);
    let kinds: Vec<&str> = questions.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(kinds, ["category", "multichoice", "multichoice", "cloze", "essay", "multichoice"]);
    assert!(questions[0].2.contains("$course$/top/Test Guide"));
    assert_eq!(questions[1].1, ["0", "100", "0"]);
    assert_eq!(questions[2].1, ["50", "-50", "50", "-50"]);
    assert!(questions[1].2.contains("true"), "a single answer: {}", questions[1].2);
    assert!(questions[2].2.contains("false"), "several answers: {}", questions[2].2);
    let cloze = &questions[3].2;
    assert!(cloze.contains("{1:SHORTANSWER:=quarantine}") && cloze.contains("{1:SHORTANSWER:=grey~=gray}"), "{cloze}");
    assert!(questions[4].2.contains("To stop people leaving."), "the grader sees the model answer");
    // The question's image travels with it, as Moodle's exports carry files.
    let essay = &questions[4].2;
    assert!(essay.contains("src=\"@@PLUGINFILE@@/images_dot.png\""), "{essay}");
    let text = String::from_utf8_lossy(&xml);
    assert!(text.contains("<file name=\"images_dot.png\" path=\"/\" encoding=\"base64\">"), "{text}");
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD.encode(crate::pdf_features::PNG);
    assert!(text.contains(&png), "the image's bytes");
    // The same bytes from a second build of the same book, into a folder of its own so that the
    // shared build's outputs are left as they are.
    let again = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        formats: vec![Format::named("moodle").unwrap()],
        out_dir: Some(again.path().into()),
        ..BuildOptions::default()
    };
    let report = revise::build(&quiz.root, &options);
    assert!(!report.failed(), "{}", rendered(&report));
    assert!(!rendered(&report).contains("warning"), "{}", rendered(&report));
    assert_eq!(std::fs::read(again.path().join("test-guide-moodle.xml")).unwrap(), xml);
}

#[test]
fn bad_options_and_gaps_are_errors_at_their_place() {
    let book = TestBook::minimal();
    book.file(
        "questions.md",
        "# Q\n\n## Pick one\n\n- [ ] a\n- [ ] b\n\n## Two lists\n\n- [x] a\n\ntext\n\n- [ ] b\n\n## Gaps\n\nA [[ ]] and [[a|]].\n",
    );
    let report = book.check();
    assert!(report.failed());
    let text = rendered(&report);
    assert!(text.contains("no option of this multiple-choice question is ticked"), "{text}");
    assert!(text.contains("questions.md:5:3"), "{text}");
    assert!(text.contains("this question has more than one task list"), "{text}");
    assert!(text.contains("questions.md:10:3"), "{text}");
    assert_eq!(text.matches("this gap has an empty answer").count(), 2, "{text}");
    assert!(text.contains("questions.md:18:3"), "{text}");
}

/// Runs Anki's own backend (the `anki` Python package) on packages, importing each in turn into a
/// fresh collection and reviewing a card after the first, and returns its report.
fn anki_import(packages: &[&Path]) -> serde_json::Value {
    crate::support::ensure_tools();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/anki_import.py");
    let output = std::process::Command::new("python3")
        .arg(&script)
        .args(packages)
        .output()
        .unwrap_or_else(|err| panic!("python3 is needed by this test ({err})"));
    assert!(
        output.status.success(),
        "Anki could not import the deck (.ci/install-test-tools installs the anki package):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the script prints JSON")
}

#[test]
fn the_anki_deck_imports_into_anki_and_a_later_edition_updates_it() {
    let book = quiz_book();
    let manifest = format!("{}\n[build]\ndate = 2025-09-01\n", crate::support::MANIFEST);
    book.file("book.toml", &manifest);
    build_all(&book);
    let first = book.path().join("first.apkg");
    std::fs::copy(out(&book, "test-guide.apkg"), &first).unwrap();
    // The same bytes from the same source.
    build_all(&book);
    assert_eq!(std::fs::read(out(&book, "test-guide.apkg")).unwrap(), std::fs::read(&first).unwrap());

    // A later edition: a definition changed, a term added, a month later.
    book.file("book.toml", &manifest.replace("2025-09-01", "2025-10-01"));
    book.file(
        "chapters/01-one.md",
        "# One\n\nBlockade\n: Cutting a place off from supplies. ![A dot](../images/dot.png)\n\n\
         The blockade began.\n\nEmbargo\n: A ban on trade.\n\nAn embargo followed.\n",
    );
    build_all(&book);
    let report = anki_import(&[&first, &out(&book, "test-guide.apkg")]);

    // One Basic note a term and a multiple-choice question, one Cloze note a gap-fill question
    // with a card for each of its three gaps.
    let imports = report["imports"].as_array().unwrap();
    assert_eq!(imports[0]["new"], 5, "{report}");
    assert_eq!((imports[0]["notes"].as_u64(), imports[0]["cards"].as_u64()), (Some(5), Some(7)), "{report}");
    // The later edition updates the five notes and adds the new term; nothing is duplicated.
    assert_eq!((imports[1]["new"].as_u64(), imports[1]["updated"].as_u64()), (Some(1), Some(5)), "{report}");
    assert_eq!(imports[1]["duplicate"], 0, "{report}");
    assert_eq!((imports[1]["notes"].as_u64(), imports[1]["cards"].as_u64()), (Some(6), Some(8)), "{report}");
    // The review made between the imports is kept.
    assert_eq!(report["reviewed"]["revlog"], 1, "{report}");
    assert_eq!(report["reviewed"]["reps"], 1, "{report}");
    let notes = report["notes"].as_object().unwrap();
    let blockade = notes.values().find(|n| n["fields"][0] == "Blockade").expect("the term's note");
    assert!(blockade["fields"][1].as_str().unwrap().contains("from supplies"), "{blockade}");
    assert!(blockade["fields"][1].as_str().unwrap().contains("src=\"images_dot.png\""), "{blockade}");
    assert_eq!(report["media"], serde_json::json!(["images_dot.png"]), "{report}");
    // A cloze card asks for one gap and shows the others.
    let clozes: Vec<&str> = report["cloze_questions"].as_array().unwrap().iter().map(|q| q.as_str().unwrap()).collect();
    assert_eq!(clozes.len(), 3, "{report}");
    assert!(
        clozes.iter().any(|q| q.contains("[...]") && q.contains(">grey<") && !q.contains(">quarantine<")),
        "{clozes:?}"
    );
    assert_eq!(report["decks"], serde_json::json!(["Default", "Test Guide"]));
}

/// Found by review: a gap in a question's heading gave its answer away in the EPUB's heading id
/// and, in the student guide, in the contents and bookmarks (the Answers' headings were filled).
#[test]
fn a_gap_in_a_heading_gives_nothing_away_before_the_answers() {
    let book = TestBook::minimal();
    book.file(
        "questions.md",
        "# Q\n\n## The capital of France is [[Paris]].\n\n## Why? (1 mark)\n\n### Model answer\n\nSo.\n",
    );
    build_all(&book);
    let files = text_files(&out(&book, "test-guide.epub"));
    for (name, text) in &files {
        if name != "OEBPS/answers.xhtml" {
            assert!(!text.to_lowercase().contains("paris"), "{name} gives the answer away:\n{text}");
        }
    }
    let student = pdf_text(&out(&book, "test-guide.pdf"));
    let (before, answers) = student.rsplit_once("Answers\n").unwrap();
    assert!(!before.contains("Paris"), "{before}");
    assert!(answers.contains("Answer: Paris"), "{answers}");
    let pdf = out(&book, "test-guide.pdf");
    let (ok, outlines) = tool("qpdf", &["--json", "--json-key=outlines", pdf.to_str().unwrap()]);
    assert!(ok && outlines.contains("The capital of France is"), "{outlines}");
    assert!(!outlines.contains("Paris"), "the bookmarks give it away: {outlines}");
}

/// Found by review: `[[]]` in code failed the build; a gap split by a table's `|` printed as
/// written; a question with both options and gaps lost one or the other in Moodle and Anki.
#[test]
fn brackets_in_code_tables_and_mixed_questions_are_handled() {
    let book = TestBook::minimal();
    book.file(
        "questions.md",
        "# Q\n\n## Code\n\nIn Python, `x = [[]]` is a list.\n\n```\ny = [[ ]]\n```\n\n### Model answer\n\nA list.\n\n\
         ## Table\n\n| colour |\n|---|\n| [[grey|gray]] |\n\n### Model answer\n\nGrey.\n\n\
         ## Mixed [[a]]\n\n- [x] b\n- [ ] c\n",
    );
    let report = book.check();
    let text = rendered(&report);
    assert!(!text.contains("empty answer"), "{text}");
    assert!(text.contains("this `[[` is not read as a gap"), "{text}");
    assert!(text.contains("questions.md:19:3"), "{text}");
    assert!(text.contains("this question has both options and gaps"), "{text}");
    assert!(report.failed());
}

/// Found by review: two questions of the same title ("Fill the gaps") got one GUID, so Anki kept
/// one note of the two.
#[test]
fn questions_of_the_same_title_are_two_notes_in_anki() {
    let book = TestBook::minimal();
    book.file("questions.md", "# Q\n\n## Fill the gaps\n\nA [[cat]].\n\n## Fill the gaps\n\nA [[dog]].\n");
    let report = revise::build(
        book.path(),
        &BuildOptions { formats: vec![Format::named("anki").unwrap()], ..BuildOptions::default() },
    );
    assert!(!report.failed(), "{}", rendered(&report));
    let report = anki_import(&[&out(&book, "test-guide.apkg")]);
    assert_eq!(report["imports"][0]["new"], 2, "{report}");
    assert_eq!(report["imports"][0]["notes"], 2, "{report}");
    assert_eq!(report["notes"].as_object().unwrap().len(), 2, "two GUIDs: {report}");
}

/// Found by review: the question bank and the deck linked key terms to the EPUB's glossary, which
/// neither Moodle nor Anki has.
#[test]
fn the_question_bank_has_no_links_into_the_book() {
    // The question bank of the shared build of the sample's every output.
    let sample = crate::fixtures::sample();
    assert!(!sample.report.failed(), "{}", rendered(&sample.report));
    let xml = std::fs::read_to_string(sample.output("-moodle.xml")).unwrap();
    // The sample's gap-fill question names the CPSU and Khrushchev, index entries of the book.
    assert!(xml.contains("of the CPSU, Khrushchev controlled"), "{xml}");
    assert!(!xml.contains("glossary.xhtml") && !xml.contains("id=\"ix-"), "{xml}");
}
