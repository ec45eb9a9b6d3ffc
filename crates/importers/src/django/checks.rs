//! Rows the original accepted but this service's schema refuses (it is stricter: names may
//! not be empty, coordinates must be on the globe, price types are a closed list). They are
//! all found before anything is written, so that the operator can mend them in one go.

use super::source::Snapshot;
use hp_domain::price::PriceType;

/// One line per refused row, naming the source table, the row and the reason.
pub fn problems(snapshot: &Snapshot) -> Vec<String> {
    let mut problems = Vec::new();
    let mut empty = |table: &str, id: i64, name: &str| {
        if name.is_empty() {
            problems.push(format!("{table} {id}: the name is empty"));
        }
    };
    for row in &snapshot.municipalities {
        empty("harrastuspassi_municipality", row.id, &row.name);
    }
    for row in &snapshot.organizers {
        empty("harrastuspassi_organizer", row.id, &row.name);
    }
    for row in &snapshot.hobbies {
        empty("harrastuspassi_hobby", row.id, &row.name);
    }
    for row in &snapshot.promotions {
        empty("harrastuspassi_promotion", row.id, &row.name);
    }
    for row in &snapshot.users {
        if row.username.is_empty() {
            problems.push(format!("auth_user {}: the username is empty", row.id));
        }
    }
    for row in &snapshot.locations {
        let on_globe = match (row.lat, row.lon) {
            (Some(lat), Some(lon)) => (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon),
            (None, None) => true,
            _ => false,
        };
        if !on_globe {
            problems.push(format!(
                "harrastuspassi_location {}: coordinates {:?}, {:?} are not a latitude and longitude",
                row.id, row.lat, row.lon
            ));
        }
    }
    for row in &snapshot.hobbies {
        if PriceType::parse(&row.price_type).is_none() {
            problems.push(format!(
                "harrastuspassi_hobby {}: price_type {:?} is not one of free, annual, seasonal, one_time, paid",
                row.id, row.price_type
            ));
        }
    }
    problems
}
