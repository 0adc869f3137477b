//! Writing outputs safely: each file goes to a temporary file in the output folder and is renamed into
//! place only when complete, so a failed build leaves the last good output as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

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
