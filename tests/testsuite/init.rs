//! `revise init` makes a guide that builds as it is.

use revise::BuildOptions;

use crate::support::{pdf_text, rendered};

#[test]
fn init_makes_a_guide_that_builds() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("new-guide");
    revise::build::init::init(&dir).expect("init succeeds");
    let report = revise::build(&dir, &BuildOptions::default());
    assert!(!report.failed(), "{}", rendered(&report));
    assert!(!report.diagnostics.has_warnings(), "{}", rendered(&report));
    let text = pdf_text(&dir.join("out/my-revision-guide.pdf"));
    assert!(text.contains("Getting Started"));
    assert!(text.contains("Exam tip") || text.contains("EXAM TIP"), "{text}");
    assert!(text.contains("Total: 4 marks"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let parent = tempfile::tempdir().unwrap();
    std::fs::write(parent.path().join("keep.txt"), "mine").unwrap();
    let err = revise::build::init::init(parent.path()).expect_err("init must not overwrite");
    assert!(err.message.contains("not empty"));
    assert_eq!(std::fs::read_to_string(parent.path().join("keep.txt")).unwrap(), "mine");
}
