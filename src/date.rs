//! The build date: taken from `SOURCE_DATE_EPOCH` when set, never from the clock.

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
    /// Reads `SOURCE_DATE_EPOCH`; `None` when it is unset or not a whole number of seconds.
    pub fn from_env() -> Option<Self> {
        std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse::<i64>().ok().map(Self::from_unix)
    }

    /// Converts seconds since 1970-01-01T00:00:00Z to a date.
    pub fn from_unix(seconds: i64) -> Self {
        let days = seconds.div_euclid(86_400);
        let rest = seconds.rem_euclid(86_400);
        // Civil-from-days, after Howard Hinnant's algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self {
            year,
            month,
            day,
            hour: (rest / 3600) as u8,
            minute: (rest % 3600 / 60) as u8,
            second: (rest % 60) as u8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_unix_seconds() {
        let d = BuildDate::from_unix(0);
        assert_eq!((d.year, d.month, d.day, d.hour), (1970, 1, 1, 0));
        let d = BuildDate::from_unix(1_700_000_000);
        assert_eq!((d.year, d.month, d.day, d.hour, d.minute, d.second), (2023, 11, 14, 22, 13, 20));
        let d = BuildDate::from_unix(951_782_400);
        assert_eq!((d.year, d.month, d.day), (2000, 2, 29));
    }
}
