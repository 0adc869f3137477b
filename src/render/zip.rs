//! Zip archives that are the same bytes for the same files: entries in the order given, each with
//! the build date as its time and ordinary permissions. The EPUB and the Anki deck are such
//! archives.

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::model::date::BuildDate;

/// The date a build without one gives its archives' entries: the zip format's own epoch.
pub const DEFAULT_DATE: BuildDate = BuildDate { year: 1980, month: 1, day: 1, hour: 0, minute: 0, second: 0 };

/// Returns a build date as a zip entry's time.
pub fn time(date: BuildDate) -> DateTime {
    // Zip times run from 1980 to 2107 and carry no time zone.
    DateTime::from_date_and_time(
        date.year.clamp(1980, 2107) as u16,
        date.month,
        date.day,
        date.hour,
        date.minute,
        date.second,
    )
    .unwrap_or_default()
}

/// Returns the options of an entry compressed with deflate, at `date`.
pub fn deflated(date: BuildDate) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(time(date))
        .unix_permissions(0o644)
}

/// Returns the options of an entry stored as it is, at `date`.
pub fn stored(date: BuildDate) -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Stored).last_modified_time(time(date))
}

/// Writes a zip of the files in order, each deflated, at the build date (or [`DEFAULT_DATE`]).
pub fn write(files: &[(String, Vec<u8>)], date: Option<BuildDate>) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = deflated(date.unwrap_or(DEFAULT_DATE));
    for (name, bytes) in files {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}
