//! Time as the service sees it: instants in UTC, calendar dates as in the Netherlands.

use std::sync::Mutex;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved; lets tests see a mandate expire or a month pass.
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> FixedClock {
        FixedClock(Mutex::new(at))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

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
    (utc + Duration::hours(dutch_offset_hours(utc))).date()
}

/// An instant as RFC 3339 in Dutch local time with its offset, e.g. `2026-11-23T11:00:00+01:00`:
/// what a citizen's clock showed.
pub fn format_instant(utc: NaiveDateTime) -> String {
    let offset = dutch_offset_hours(utc);
    let local = utc + Duration::hours(offset);
    format!("{}+{offset:02}:00", local.format("%Y-%m-%dT%H:%M:%S"))
}

/// CET is UTC+1; CEST (UTC+2) runs from the last Sunday of March 01:00 UTC to the last Sunday of
/// October 01:00 UTC (EU summer-time directive 2000/84/EC).
fn dutch_offset_hours(utc: NaiveDateTime) -> i64 {
    let year = utc.year();
    let summer_start = last_sunday(year, 3).and_hms_opt(1, 0, 0);
    let summer_end = last_sunday(year, 10).and_hms_opt(1, 0, 0);
    match (summer_start, summer_end) {
        (Some(start), Some(end)) if utc >= start && utc < end => 2,
        _ => 1,
    }
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .unwrap_or(NaiveDate::MAX);
    let last = first_of_next.pred_opt().unwrap_or(first_of_next);
    let back = last.weekday().num_days_from_sunday();
    last - Duration::days(i64::from(back))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn late_evening_utc_is_already_tomorrow_in_the_netherlands() {
        assert_eq!(
            dutch_date(utc("2026-12-31 23:30")),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
        assert_eq!(
            dutch_date(utc("2026-12-31 22:59")),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        assert_eq!(
            dutch_date(utc("2026-07-01 21:59")),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
        );
        assert_eq!(
            dutch_date(utc("2026-07-01 22:00")),
            NaiveDate::from_ymd_opt(2026, 7, 2).unwrap()
        );
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
        assert_eq!(
            last_sunday(2026, 3),
            NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
        );
        assert_eq!(
            last_sunday(2026, 10),
            NaiveDate::from_ymd_opt(2026, 10, 25).unwrap()
        );
        assert_eq!(
            last_sunday(2027, 3),
            NaiveDate::from_ymd_opt(2027, 3, 28).unwrap()
        );
        // 2026-03-29 00:59 UTC is still winter time (01:59 local); 22:30 UTC is then 00:30 next day.
        assert_eq!(
            dutch_date(utc("2026-03-28 23:30")),
            NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
        );
        assert_eq!(
            dutch_date(utc("2026-03-29 22:30")),
            NaiveDate::from_ymd_opt(2026, 3, 30).unwrap()
        );
        assert_eq!(
            dutch_date(utc("2026-10-25 22:30")),
            NaiveDate::from_ymd_opt(2026, 10, 25).unwrap()
        );
    }
}
