//! Local time of the service (Europe/Helsinki) and the date/time formats of the API.
//!
//! "Today" and "now" in every business rule are Helsinki wall-clock values; the clock can be
//! frozen so that tests and jobs can state the moment they run at.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Timelike, Utc};
use chrono_tz::Tz;
use std::sync::{Arc, RwLock};

/// The service's local time zone.
pub const TIME_ZONE: Tz = chrono_tz::Europe::Helsinki;

/// The latest date the API can store (Python's `date.max`).
pub fn max_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date")
}

/// Where "now" comes from: the system clock, or a fixed instant (tests, reproducible jobs).
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Option<Arc<RwLock<DateTime<Utc>>>>,
}

impl Clock {
    pub fn system() -> Self {
        Self { fixed: None }
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self { fixed: Some(Arc::new(RwLock::new(at))) }
    }

    /// A clock frozen at a Helsinki wall-clock time.
    pub fn fixed_local(at: NaiveDateTime) -> Self {
        Self::fixed(local_to_utc(at))
    }

    /// Moves a fixed clock; does nothing to the system clock.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(fixed) = &self.fixed {
            *fixed.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.fixed {
            Some(fixed) => *fixed.read().unwrap_or_else(|poisoned| poisoned.into_inner()),
            None => truncate_to_micros(Utc::now()),
        }
    }

    /// Helsinki wall-clock date and time.
    pub fn now_local(&self) -> NaiveDateTime {
        self.now().with_timezone(&TIME_ZONE).naive_local()
    }

    pub fn today(&self) -> NaiveDate {
        self.now_local().date()
    }
}

/// PostgreSQL keeps microseconds; so do we everywhere, so that both backends agree.
pub fn truncate_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    let micros = at.nanosecond() / 1_000 * 1_000;
    at.with_nanosecond(micros).unwrap_or(at)
}

/// A Helsinki wall-clock time as an instant; in the autumn overlap the earlier one, in the
/// spring gap the moment after the gap.
pub fn local_to_utc(at: NaiveDateTime) -> DateTime<Utc> {
    use chrono::TimeZone;
    match TIME_ZONE.from_local_datetime(&at) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        chrono::LocalResult::None => local_to_utc(at + chrono::Duration::hours(1)) - chrono::Duration::hours(1),
    }
}

/// `2022-02-22T18:00:00.123456+02:00`: Helsinki time with offset, microseconds when
/// non-zero (DRF's `isoformat()` output).
pub fn format_timestamp(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&TIME_ZONE);
    let format = if local.nanosecond() / 1_000 == 0 { SecondsFormat::Secs } else { SecondsFormat::Micros };
    local.to_rfc3339_opts(format, true)
}

/// `HH:MM:SS`, or `HH:MM:SS.ffffff` when the time has microseconds.
pub fn format_time(time: NaiveTime) -> String {
    let micros = time.nanosecond() / 1_000;
    if micros == 0 {
        format!("{:02}:{:02}:{:02}", time.hour(), time.minute(), time.second())
    } else {
        format!("{:02}:{:02}:{:02}.{micros:06}", time.hour(), time.minute(), time.second())
    }
}

/// `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// ISO date of a request body: `YYYY-M-D` with one- or two-digit month and day.
pub fn parse_iso_date(input: &str) -> Option<NaiveDate> {
    let mut parts = input.split('-');
    let year = digits(parts.next()?, 4, 4)?;
    let month = digits(parts.next()?, 1, 2)?;
    let day = digits(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    calendar_date(year, month, day)
}

/// A date of the calendar the original's Python `date` knows: years 1 to 9999.
fn calendar_date(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    if year == 0 {
        return None;
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// Date of a query filter: ISO, or the Finnish `D.M.YYYY`.
pub fn parse_filter_date(input: &str) -> Option<NaiveDate> {
    let input = input.trim();
    parse_iso_date(input).or_else(|| {
        let mut parts = input.split('.');
        let day = digits(parts.next()?, 1, 2)?;
        let month = digits(parts.next()?, 1, 2)?;
        let year = digits(parts.next()?, 4, 4)?;
        if parts.next().is_some() {
            return None;
        }
        calendar_date(year, month, day)
    })
}

/// `H:M`, `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f…` with one to six fraction digits (the
/// format the error message names, `hh:mm[:ss[.uuuuuu]]`).
pub fn parse_time(input: &str) -> Option<NaiveTime> {
    let input = input.trim();
    let mut parts = input.splitn(3, ':');
    let hour = digits(parts.next()?, 1, 2)?;
    let minute = digits(parts.next()?, 1, 2)?;
    let (second, micros) = match parts.next() {
        None => (0, 0),
        Some(rest) => {
            let (sec, fraction) = match rest.split_once(['.', ',']) {
                Some((sec, fraction)) => (sec, Some(fraction)),
                None => (rest, None),
            };
            let second = digits(sec, 1, 2)?;
            let micros = match fraction {
                None => 0,
                Some(f) => {
                    if f.is_empty() || f.len() > 6 || !f.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    f.parse::<u32>().ok()? * 10u32.pow(6 - f.len() as u32)
                }
            };
            (second, micros)
        }
    };
    NaiveTime::from_hms_micro_opt(hour, minute, second, micros)
}

/// ISO 8601 weekday, 1 = Monday … 7 = Sunday.
pub fn iso_weekday(date: NaiveDate) -> i64 {
    i64::from(date.weekday().number_from_monday())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_helsinki_with_offset() {
        let at = DateTime::parse_from_rfc3339("2022-02-22T16:00:00.123456Z").unwrap().with_timezone(&Utc);
        assert_eq!(format_timestamp(at), "2022-02-22T18:00:00.123456+02:00");
        let summer = DateTime::parse_from_rfc3339("2022-07-01T09:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(format_timestamp(summer), "2022-07-01T12:00:00+03:00");
    }

    #[test]
    fn times_parse_in_every_accepted_form() {
        assert_eq!(parse_time("14:30"), NaiveTime::from_hms_opt(14, 30, 0));
        assert_eq!(parse_time("9:5"), NaiveTime::from_hms_opt(9, 5, 0));
        assert_eq!(parse_time("14:30:15"), NaiveTime::from_hms_opt(14, 30, 15));
        assert_eq!(parse_time("14:30:15.5"), NaiveTime::from_hms_micro_opt(14, 30, 15, 500_000));
        assert_eq!(parse_time("11"), None);
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("ab:cd"), None);
        assert_eq!(parse_time("14:30:15.123456"), NaiveTime::from_hms_micro_opt(14, 30, 15, 123_456));
        assert_eq!(parse_time("14:30:15.1234567890"), None);
        assert_eq!(format_time(NaiveTime::from_hms_micro_opt(1, 2, 3, 4).unwrap()), "01:02:03.000004");
    }

    #[test]
    fn dates_accept_short_month_and_day_but_not_impossible_dates() {
        assert_eq!(parse_iso_date("2019-6-1"), NaiveDate::from_ymd_opt(2019, 6, 1));
        assert_eq!(parse_iso_date("2020-13-01"), None);
        assert_eq!(parse_iso_date("2026-02-30"), None);
        assert_eq!(parse_iso_date("x"), None);
        assert_eq!(parse_iso_date("0000-01-01"), None);
        assert_eq!(parse_filter_date("1.1.0000"), None);
        assert_eq!(parse_filter_date("22.2.2022"), NaiveDate::from_ymd_opt(2022, 2, 22));
    }

    #[test]
    fn fixed_clock_reports_helsinki_today() {
        let clock = Clock::fixed_local(NaiveDate::from_ymd_opt(2022, 2, 22).unwrap().and_hms_opt(0, 30, 0).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2022, 2, 22).unwrap());
        assert_eq!(iso_weekday(clock.today()), 2);
    }
}
