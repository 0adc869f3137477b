//! The command line: exit codes and diagnostics as a CI job sees them.

use std::process::Command;

use crate::support::{MANIFEST, TestBook};

fn revise(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_revise")).args(args).output().expect("the binary runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn check_exits_0_on_a_good_book_and_1_on_errors() {
    let book = TestBook::minimal();
    let path = book.path().to_str().unwrap();
    assert_eq!(revise(&["check", path]).0, 0);
    book.file("book.toml", &format!("{MANIFEST}bogus = 1\n"));
    let (code, text) = revise(&["check", path]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("error: book.toml: unknown field `bogus`"), "{text}");
    assert!(text.contains("┌─ book.toml:5:1"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(revise(&["build", "--no-such-flag"]).0, 2);
    assert_eq!(revise(&["build", "--format", "docx"]).0, 2);
    assert_eq!(revise(&[]).0, 2);
}

#[test]
fn every_format_can_be_chosen_on_the_command_line() {
    let book = TestBook::minimal();
    let path = book.path().to_str().unwrap();
    let (code, text) = revise(&["build", path, "--format", "teacher,epub"]);
    assert_eq!(code, 0, "{text}");
    let mut names: Vec<String> = std::fs::read_dir(book.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["test-guide-teacher.pdf", "test-guide.epub"]);
    for format in ["pdf", "worksheet", "answers", "flashcards"] {
        assert_eq!(revise(&["build", path, "--format", format]).0, 0, "--format {format}");
    }
}

#[test]
fn build_writes_into_the_chosen_folder() {
    let book = TestBook::minimal();
    let out = tempfile::tempdir().unwrap();
    let (code, text) = revise(&["build", book.path().to_str().unwrap(), "-o", out.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    assert!(out.path().join("test-guide.pdf").is_file());
    assert!(!book.path().join("out").exists());
}

#[test]
fn source_date_epoch_sets_the_epub_date_and_a_build_makes_both_formats() {
    let book = TestBook::minimal();
    let path = book.path().to_str().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_revise"))
        .args(["build", path])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(book.pdf("test-guide").is_file());
    let epub = book.path().join("out/test-guide.epub");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let mut opf = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("OEBPS/content.opf").unwrap(), &mut opf).unwrap();
    assert!(opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"), "{opf}");
    let time = archive.by_index(1).unwrap().last_modified().unwrap();
    assert_eq!((time.year(), time.month(), time.day(), time.hour(), time.minute()), (2023, 11, 14, 22, 13));
    let (ok, info) = crate::support::tool("pdfinfo", &[book.pdf("test-guide").to_str().unwrap()]);
    assert!(ok && info.contains("CreationDate:    Tue Nov 14 22:13:20 2023"), "{info}");
}

#[test]
fn json_diagnostics_name_file_line_and_column() {
    let book = TestBook::minimal();
    book.file("chapters/02-two.md", "# Two\n\nPurge\n: One.\n\npurge\n: Two.\n\n[bad](javascript:x)\n");
    let path = book.path().to_str().unwrap();
    let (code, text) = revise(&["check", path, "--message-format", "json"]);
    assert_eq!(code, 1, "{text}");
    let lines: Vec<serde_json::Value> =
        text.lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect();
    let error = lines.iter().find(|d| d["severity"] == "error").expect("an error");
    assert_eq!(error["message"], "the key term `purge` is defined twice");
    assert_eq!(error["file"], "chapters/02-two.md");
    assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(6), Some(1)));
    assert_eq!((error["end_line"].as_u64(), error["end_column"].as_u64()), (Some(6), Some(6)));
    assert!(error["hints"].as_array().is_some_and(|h| !h.is_empty()));
    assert_eq!(error["related"][0]["line"], 3);
    let warning = lines.iter().find(|d| d["severity"] == "warning").expect("a warning");
    assert_eq!((warning["file"].as_str(), warning["line"].as_u64()), (Some("chapters/02-two.md"), Some(9)));

    // The same from build, which writes nothing.
    let (code, text) = revise(&["build", path, "--message-format", "json"]);
    assert_eq!(code, 1);
    assert!(text.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()), "{text}");
    assert!(!book.path().join("out").exists());
}

#[test]
fn deny_warnings_fails_a_build_with_warnings_and_writes_nothing() {
    let book = TestBook::minimal();
    book.file("chapters/01-one.md", "# One\n\n[bad](javascript:x)\n");
    let path = book.path().to_str().unwrap();
    assert_eq!(revise(&["check", path]).0, 0);
    let (code, text) = revise(&["build", path, "--deny-warnings"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("1 warning and warnings are denied"), "{text}");
    assert!(!book.path().join("out").exists());
    assert_eq!(revise(&["check", path, "--deny-warnings"]).0, 1);
    assert_eq!(revise(&["build", path]).0, 0);
}

#[test]
fn watch_reports_each_build_as_json_and_keeps_stderr_one_object_a_line() {
    use std::io::{BufRead, BufReader};

    let book = TestBook::minimal();
    let out = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_revise"))
        .args(["watch", book.path().to_str().unwrap(), "-o", out.path().to_str().unwrap()])
        .args(["--format", "pdf", "--message-format", "json"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let stderr = child.stderr.take().unwrap();
    let (sender, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    // A guard against a watcher that never builds: generous, and no measure of speed.
    let line = lines.recv_timeout(std::time::Duration::from_secs(300)).expect("a line after the first build");
    child.kill().unwrap();
    child.wait().unwrap();
    let json: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(json["severity"], "info", "{line}");
    assert!(json["message"].as_str().unwrap().starts_with("built in "), "{line}");
    assert!(out.path().join("test-guide.pdf").is_file());
}

/// `revise check --anchors` lists every place a cross-reference can lead to, by the slug to write.
#[test]
fn check_lists_the_places_cross_references_can_lead_to() {
    let sample = crate::fixtures::sample_root();
    let (code, text) = revise(&["check", sample.to_str().unwrap(), "--anchors"]);
    assert_eq!(code, 0, "{text}");
    for line in [
        "chapters/02-the-power-vacuum.md#lavrentiy-beria\tch2-lavrentiy-beria",
        "faq.md#did-public-opinion-play-any-part-in-berias-downfall\tfaq-did-public-opinion-play-any-part-in-berias-do",
        "questions.md#explain-why-there-was-a-power-struggle-in-the-ussr-after-stalins-death-in-1953-8-marks\tquestion-1",
        "chapters/01-the-ussr-in-1953.md#collectivisation\tterm-collectivisation",
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} is not listed:\n{text}");
    }
}
