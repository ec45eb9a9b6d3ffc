//! Weekly recurrence of hobby events: copy *k* of an event is shifted by 7·*k* days.

use crate::time::max_date;
use chrono::{Duration, NaiveDate};

/// At most this many weekly copies per request.
pub const MAX_RECURRENCY_COUNT: i64 = 50;

/// The (start, end) dates of the `count` weekly copies of an event, or `None` when a copy
/// would end after 9999-12-31 (the API answers 400 then, quirks.md 9a).
pub fn weekly_copies(start: NaiveDate, end: NaiveDate, count: i64) -> Option<Vec<(NaiveDate, NaiveDate)>> {
    (1..=count)
        .map(|k| {
            let shift = Duration::days(7 * k);
            let (s, e) = (start.checked_add_signed(shift)?, end.checked_add_signed(shift)?);
            (s <= max_date() && e <= max_date()).then_some((s, e))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn copies_keep_their_span() {
        let copies = weekly_copies(d(2019, 6, 1), d(2019, 7, 1), 2).unwrap();
        assert_eq!(copies, vec![(d(2019, 6, 8), d(2019, 7, 8)), (d(2019, 6, 15), d(2019, 7, 15))]);
        assert_eq!(weekly_copies(d(2019, 6, 1), d(2019, 6, 1), 0).unwrap(), vec![]);
    }

    #[test]
    fn copies_past_year_9999_are_refused() {
        assert_eq!(weekly_copies(d(9999, 12, 25), d(9999, 12, 25), 2), None);
        assert!(weekly_copies(d(9999, 12, 17), d(9999, 12, 17), 2).is_some());
    }
}
