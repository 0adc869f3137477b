//! Writing outputs safely: each file goes to a temporary file in the output folder and is renamed into
//! place only when complete, so a failed build leaves the last good output as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// Refuses an output folder that is the book folder itself or inside one of its source folders
/// (`chapters/`, `templates/`), where outputs would mix with what the author writes.
pub fn check_dir(root: &Path, dir: &Path) -> Result<(), Diagnostic> {
    let resolved = resolve(dir);
    let sources = [crate::read::CHAPTERS_DIR, crate::render::templates::TEMPLATES_DIR];
    if resolved == root || sources.iter().any(|s| resolved.starts_with(root.join(s))) {
        return Err(Diagnostic::error("the output folder is a source folder of the book")
            .in_file(dir.display().to_string())
            .hint("write the outputs to `out/` (the default) or another folder with `-o DIR`"));
    }
    Ok(())
}

/// Resolves a path that may not exist yet: its deepest existing ancestor is canonicalised (following
/// symbolic links) and the rest appended.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = std::fs::canonicalize(existing) {
            let mut out = canonical;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Creates the output folder if needed.
pub fn prepare_dir(dir: &Path) -> Result<(), Diagnostic> {
    std::fs::create_dir_all(dir).map_err(|err| {
        Diagnostic::error(format!("cannot create the output folder: {err}"))
            .in_file(dir.display().to_string())
            .hint("choose another folder with `-o DIR`")
    })
}

/// Writes `bytes` to `dir/name` atomically and returns the final path.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, Diagnostic> {
    let target = dir.join(name);
    let fail = |what: &str, err: std::io::Error| {
        Diagnostic::error(format!("cannot {what} the output file: {err}")).in_file(target.display().to_string())
    };
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|err| fail("create", err))?;
    temp.write_all(bytes).map_err(|err| fail("write", err))?;
    temp.as_file().sync_all().map_err(|err| fail("write", err))?;
    // A temporary file is private to its owner; the output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(|err| fail("write", err))?;
    }
    temp.persist(&target).map_err(|err| fail("replace", err.error))?;
    Ok(target)
}
