//! Which event is a hobby's "next event" (rule A, quirks.md 4): the event with the earliest
//! start date among those that have not ended before today (`end_date >= today`).
//!
//! The database applies the same rule in one statement (`hp-db::next_event`); this function
//! states it for one hobby's events in memory, for tests and for importers.

use chrono::{NaiveDate, NaiveTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventDates {
    pub id: i64,
    pub start_date: NaiveDate,
    pub start_time: NaiveTime,
    pub end_date: NaiveDate,
}

/// Ties on the start date go to the earlier start time, then the lower id.
pub fn next_event(events: &[EventDates], today: NaiveDate) -> Option<i64> {
    events.iter().filter(|e| e.end_date >= today).min_by_key(|e| (e.start_date, e.start_time, e.id)).map(|e| e.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn event(id: i64, today: NaiveDate, start: i64, end: i64) -> EventDates {
        EventDates {
            id,
            start_date: today + Duration::days(start),
            start_time: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            end_date: today + Duration::days(end),
        }
    }

    #[test]
    fn ongoing_event_wins_over_upcoming() {
        let today = NaiveDate::from_ymd_opt(2022, 2, 22).unwrap();
        assert_eq!(next_event(&[event(1, today, 1, 1), event(2, today, -3, 2)], today), Some(2));
        assert_eq!(next_event(&[event(1, today, 10, 10), event(2, today, 2, 2)], today), Some(2));
        assert_eq!(next_event(&[event(1, today, -10, -10)], today), None);
        assert_eq!(next_event(&[event(1, today, -1, 0)], today), Some(1));
    }
}
