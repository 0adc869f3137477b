//! The build date: taken from `SOURCE_DATE_EPOCH` when set, never from the clock.

use chrono::{Datelike, Timelike};

/// A UTC date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildDate {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
    /// The hour, 0 to 23.
    pub hour: u8,
    /// The minute, 0 to 59.
    pub minute: u8,
    /// The second, 0 to 59.
    pub second: u8,
}

impl BuildDate {
    /// Reads `SOURCE_DATE_EPOCH`; `None` when it is unset, not a whole number of seconds, or out of
    /// chrono's range.
    pub fn from_env() -> Option<Self> {
        std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse::<i64>().ok().and_then(Self::from_unix)
    }

    /// Returns the date as seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(&self) -> i64 {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month.into(), self.day.into())
            .and_then(|d| d.and_hms_opt(self.hour.into(), self.minute.into(), self.second.into()))
            .map_or(0, |t| t.and_utc().timestamp())
    }

    /// Converts seconds since 1970-01-01T00:00:00Z to a date, with chrono.
    pub fn from_unix(seconds: i64) -> Option<Self> {
        let time = chrono::DateTime::from_timestamp(seconds, 0)?;
        // chrono's fields are within the ranges the casts need: months 1–12, days 1–31, and so on.
        Some(Self {
            year: time.year(),
            month: time.month() as u8,
            day: time.day() as u8,
            hour: time.hour() as u8,
            minute: time.minute() as u8,
            second: time.second() as u8,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_unix_seconds() {
        let d = BuildDate::from_unix(0).unwrap();
        assert_eq!(BuildDate::from_unix(1_700_000_000).unwrap().unix_seconds(), 1_700_000_000);
        assert_eq!((d.year, d.month, d.day, d.hour), (1970, 1, 1, 0));
        let d = BuildDate::from_unix(1_700_000_000).unwrap();
        assert_eq!((d.year, d.month, d.day, d.hour, d.minute, d.second), (2023, 11, 14, 22, 13, 20));
        let d = BuildDate::from_unix(951_782_400).unwrap();
        assert_eq!((d.year, d.month, d.day), (2000, 2, 29));
    }
}
