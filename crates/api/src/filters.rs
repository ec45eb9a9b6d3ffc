//! The readers of query parameters that several lists share, validated the way the
//! original did it: first every declared filter (all errors at once, under their parameter
//! names), then the distance ordering (api.md 3.13), each step failing with 400 before the
//! next. Each list's own query is in `resources/<resource>/query.rs`.

use crate::error::ApiError;
use crate::params::QueryParams;
use hp_app::reading::Reading;
use hp_db::category_tree::CategoryTree;
use hp_db::{CategorySubtrees, OrderKey, Ordering, Proximity};
use hp_domain::geo::Point;
use hp_domain::limits::{MAX_DISTANCE_KM, MAX_ORDERING_KEYS, MAX_REPEATED_VALUES, MAX_SEARCH_CHARS, MAX_SEARCH_TERMS};
use hp_domain::price::PriceType;
use hp_domain::search::split_terms;
use hp_domain::time::{parse_filter_date, parse_time};
use hp_domain::{messages, FieldErrors};

pub(crate) const HOBBY_ORDERINGS: &[&str] = &["nearest", "-nearest"];
pub(crate) const EVENT_ORDERINGS: &[&str] = &["nearest", "-nearest", "start_date", "-start_date"];

/// A number as Django's `DecimalField` reads it: no NaN or infinity spelled out, but any
/// number of digits (one too large for a float reads as infinite, as Python's `float` reads
/// it, and then fails the range checks).
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() || text.chars().any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| !n.is_nan())
}

/// Declared numeric filters (`near_latitude`, …) reject non-numbers even without nearest
/// ordering.
pub(crate) fn check_numeric(params: &QueryParams, name: &str, errors: &mut FieldErrors) {
    if let Some(value) = params.given(name) {
        if parse_number(value).is_none() {
            errors.add(name, messages::FILTER_INVALID_NUMBER);
        }
    }
}

/// The keys of `ordering`; a key on a field already ordered by changes nothing and is dropped.
pub(crate) fn read_ordering_keys(params: &QueryParams, allowed: &[&str], errors: &mut FieldErrors) -> Vec<OrderKey> {
    let Some(value) = params.given("ordering") else {
        return Vec::new();
    };
    if value.split(',').nth(MAX_ORDERING_KEYS).is_some() {
        errors.add("ordering", messages::too_many_ordering_keys(MAX_ORDERING_KEYS));
        return Vec::new();
    }
    let mut keys: Vec<OrderKey> = Vec::new();
    for key in value.split(',').map(str::trim) {
        if !allowed.contains(&key) {
            errors.add("ordering", messages::filter_invalid_choice(key));
            return Vec::new();
        }
        let key = match key {
            "nearest" => OrderKey::Distance { descending: false },
            "-nearest" => OrderKey::Distance { descending: true },
            "start_date" => OrderKey::StartDate { descending: false },
            _ => OrderKey::StartDate { descending: true },
        };
        if !keys.iter().any(|k| k.same_field(&key)) {
            keys.push(key);
        }
    }
    keys
}

pub(crate) fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The distance ordering's own checks (the original's "nearest" filter backend).
pub(crate) fn resolve_ordering(params: &QueryParams, keys: Vec<OrderKey>) -> Result<Ordering, ApiError> {
    let nearest = keys.iter().any(|k| matches!(k, OrderKey::Distance { .. }));
    let max_distance_text = params.last("max_distance");
    let ordering_given = params.given("ordering").is_some();
    if !nearest {
        if let (true, Some(text)) = (ordering_given, max_distance_text) {
            let message =
                if is_integer(text.trim()) { messages::MAX_DISTANCE_NEEDS_NEAREST } else { messages::MUST_BE_INTEGER };
            return Err(ApiError::field("max_distance", message));
        }
        return Ok(Ordering { keys, proximity: None });
    }
    let mut errors = FieldErrors::new();
    for name in ["near_latitude", "near_longitude"] {
        if !params.has(name) {
            errors.add(name, messages::NEAREST_COORDINATE_REQUIRED);
        }
    }
    errors.into_result()?;
    let mut errors = FieldErrors::new();
    let mut read = |name: &str| {
        let value = params.last(name).and_then(parse_number);
        if value.is_none() {
            errors.add(name, messages::MUST_BE_FLOAT);
        }
        value
    };
    let (lat, lon) = (read("near_latitude"), read("near_longitude"));
    errors.into_result()?;
    let (lat, lon) = (lat.unwrap_or_default(), lon.unwrap_or_default());
    let mut errors = FieldErrors::new();
    if !(-90.0..=90.0).contains(&lat) {
        errors.add("near_latitude", messages::LATITUDE_RANGE);
    }
    if !(-180.0..=180.0).contains(&lon) {
        errors.add("near_longitude", messages::LONGITUDE_RANGE);
    }
    errors.into_result()?;
    let max_distance_km = match max_distance_text {
        None => None,
        Some(text) => Some(read_max_distance(text)? as f64),
    };
    Ok(Ordering { keys, proximity: Some(Proximity { origin: Point::new(lon, lat), max_distance_km }) })
}

/// `max_distance`: an integer number of km, 0 to [`MAX_DISTANCE_KM`].
pub(crate) fn read_max_distance(text: &str) -> Result<i64, ApiError> {
    let text = text.trim();
    if !is_integer(text) {
        return Err(ApiError::field("max_distance", messages::MUST_BE_INTEGER));
    }
    if text.starts_with('-') {
        return Err(ApiError::field("max_distance", messages::min_value(0)));
    }
    match text.trim_start_matches('+').parse::<i64>() {
        Ok(km) if km <= MAX_DISTANCE_KM => Ok(km),
        _ => Err(ApiError::field("max_distance", messages::max_distance_too_large(MAX_DISTANCE_KM))),
    }
}

/// Every value of a repeatable parameter, at most [`MAX_REPEATED_VALUES`] of them.
pub(crate) fn repeated<'a>(params: &'a QueryParams, name: &str, errors: &mut FieldErrors) -> Option<Vec<&'a str>> {
    let values = params.all(name);
    if values.len() > MAX_REPEATED_VALUES {
        errors.add(name, messages::too_many_values(MAX_REPEATED_VALUES));
        return None;
    }
    Some(values)
}

/// `search`: its folded terms, none for an empty value; bounded in characters and words.
pub(crate) fn read_search(params: &QueryParams, errors: &mut FieldErrors) -> Vec<String> {
    let Some(text) = params.last("search") else {
        return Vec::new();
    };
    let length = text.chars().count();
    if length > MAX_SEARCH_CHARS {
        errors.add("search", messages::filter_too_long(MAX_SEARCH_CHARS, length));
        return Vec::new();
    }
    let terms = split_terms(text);
    if terms.len() > MAX_SEARCH_TERMS {
        errors.add("search", messages::too_many_search_terms(MAX_SEARCH_TERMS));
        return Vec::new();
    }
    terms
}

/// `category=…` (repeatable): each an existing id; matches its whole subtree.
pub(crate) fn read_categories(
    params: &QueryParams,
    tree: &CategoryTree,
    errors: &mut FieldErrors,
) -> Option<CategorySubtrees> {
    let values = repeated(params, "category", errors)?;
    if values.is_empty() {
        return None;
    }
    let mut ids = Vec::with_capacity(values.len());
    for value in &values {
        match value.trim().parse::<i64>() {
            Ok(id) if is_integer(value.trim()) => ids.push(id),
            _ => {
                errors.add("category", messages::filter_invalid_pk(value));
                return None;
            }
        }
    }
    if let Some(missing) = tree.first_unknown(&ids) {
        errors.add("category", messages::filter_invalid_choice(&missing.to_string()));
        return None;
    }
    Some(tree.subtrees(&ids))
}

pub(crate) fn read_price_type(params: &QueryParams) -> Option<PriceType> {
    params.given("price_type").and_then(PriceType::parse)
}

pub(crate) fn read_date(params: &QueryParams, name: &str, errors: &mut FieldErrors) -> Option<chrono::NaiveDate> {
    let value = params.given(name)?;
    let date = parse_filter_date(value);
    if date.is_none() {
        errors.add(name, messages::FILTER_INVALID_DATE);
    }
    date
}

pub(crate) fn read_time(params: &QueryParams, name: &str, errors: &mut FieldErrors) -> Option<chrono::NaiveTime> {
    let value = params.given(name)?;
    let time = parse_time(value);
    if time.is_none() {
        errors.add(name, messages::FILTER_INVALID_TIME);
    }
    time
}

pub(crate) fn read_weekdays(params: &QueryParams, errors: &mut FieldErrors) -> Vec<i64> {
    let mut days = Vec::new();
    for value in repeated(params, "start_weekday", errors).unwrap_or_default() {
        match value {
            "1" | "2" | "3" | "4" | "5" | "6" | "7" => days.push(value.parse().expect("a digit")),
            _ => {
                errors.add("start_weekday", messages::filter_invalid_choice(value));
                return Vec::new();
            }
        }
    }
    days
}

/// `hobby=<id>`: an existing hobby, else 400.
pub(crate) async fn read_hobby(
    params: &QueryParams,
    reading: &mut Reading,
    errors: &mut FieldErrors,
) -> Result<Option<i64>, ApiError> {
    let Some(value) = params.given("hobby") else {
        return Ok(None);
    };
    match value.trim().parse::<i64>() {
        Ok(id) if is_integer(value.trim()) && reading.hobby_exists(id).await? => Ok(Some(id)),
        _ => {
            errors.add("hobby", messages::FILTER_UNKNOWN_OBJECT);
            Ok(None)
        }
    }
}

/// `editable_only=true`: only what the caller may edit (nothing for anonymous callers).
pub(crate) fn editable_only(params: &QueryParams) -> bool {
    params.flag("editable_only") == Some(true)
}
