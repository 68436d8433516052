//! Time as the service sees it: instants in UTC, calendar dates as in the Netherlands.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Europe::Amsterdam;

/// One reading of the clock: the instant (stored in UTC) and the Dutch calendar date of it, so
/// that "today" is the same day a citizen in the Netherlands sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub utc: NaiveDateTime,
    pub today: NaiveDate,
}

impl Moment {
    pub fn at(instant: DateTime<Utc>) -> Moment {
        let utc = instant.naive_utc();
        Moment {
            utc,
            today: dutch_date(utc),
        }
    }
}

/// The date in the Netherlands at a UTC instant.
pub fn dutch_date(utc: NaiveDateTime) -> NaiveDate {
    utc.and_utc().with_timezone(&Amsterdam).date_naive()
}

/// An instant as RFC 3339 in Dutch local time with its offset, e.g. `2026-11-23T11:00:00+01:00`:
/// what a citizen's clock showed.
pub fn format_instant(utc: NaiveDateTime) -> String {
    utc.and_utc()
        .with_timezone(&Amsterdam)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// The earliest date the service takes. Nothing it keeps (a claim, an attachment, a mandate, a
/// trajectory) is dated earlier, and a year before 1 would not even come back: PostgreSQL
/// writes it with ` BC` in the JSON of a person's file, which no reader takes.
pub const EARLIEST_DATE: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a real day");

/// A date written exactly as RFC 3339's `full-date` (`2026-03-10`): four, two and two ASCII
/// digits, a real day. Read by hand instead of by a format string: a batch holds thousands.
pub fn parse_full_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(&b[0..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7])?, number(&b[8..10])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_date_is_read_as_the_format_string_reads_it_and_nothing_looser() {
        for text in [
            "2026-03-10",
            "2024-02-29",
            "0000-01-01",
            "9999-12-31",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-3-10",
            "2026-03-1",
            "2026/03/10",
            "20260310",
            "2026-03-10T00:00",
            "",
            "abcd-ef-gh",
            "२०२६-03-10",
        ] {
            let strict = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .filter(|_| text.len() == 10);
            assert_eq!(parse_full_date(text), strict, "{text:?}");
        }
        for looser in ["-999-01-01", "+999-01-01", "2026- 3-10", "2026-03- 1"] {
            assert_eq!(parse_full_date(looser), None, "{looser:?}");
        }
    }

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn late_evening_utc_is_already_tomorrow_in_the_netherlands() {
        assert_eq!(dutch_date(utc("2026-12-31 23:30")), date(2027, 1, 1));
        assert_eq!(dutch_date(utc("2026-12-31 22:59")), date(2026, 12, 31));
        assert_eq!(dutch_date(utc("2026-07-01 21:59")), date(2026, 7, 1));
        assert_eq!(dutch_date(utc("2026-07-01 22:00")), date(2026, 7, 2));
    }

    #[test]
    fn instants_are_shown_in_dutch_time_with_their_offset() {
        assert_eq!(
            format_instant(utc("2026-11-23 10:00")),
            "2026-11-23T11:00:00+01:00"
        );
        assert_eq!(
            format_instant(utc("2026-07-01 10:00")),
            "2026-07-01T12:00:00+02:00"
        );
    }

    #[test]
    fn summer_time_starts_and_ends_on_the_last_sundays_of_march_and_october() {
        // 2026-03-29 01:00 UTC summer time starts; 2026-10-25 01:00 UTC it ends.
        assert_eq!(
            format_instant(utc("2026-03-29 00:59")),
            "2026-03-29T01:59:00+01:00"
        );
        assert_eq!(
            format_instant(utc("2026-03-29 01:00")),
            "2026-03-29T03:00:00+02:00"
        );
        assert_eq!(dutch_date(utc("2026-03-29 22:30")), date(2026, 3, 30));
        assert_eq!(dutch_date(utc("2026-10-25 22:30")), date(2026, 10, 25));
        assert_eq!(
            format_instant(utc("2026-10-25 01:00")),
            "2026-10-25T02:00:00+01:00"
        );
    }
}
