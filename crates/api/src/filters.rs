//! Query filters of the list endpoints, validated the way the original did it: first every
//! declared filter (all errors at once, under their parameter names), then the distance
//! ordering (api.md 3.13), each step failing with 400 before the next.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::openapi::operations::{
    self as doc, param, Kind, Param, CATEGORY, EDITABLE_ONLY, EXCLUDE_PAST_EVENTS, MAX_DISTANCE, NEAR_LATITUDE,
    NEAR_LONGITUDE, PRICE_TYPE, SEARCH,
};
use crate::params::QueryParams;
use hp_db::categories;
use hp_db::category_tree::CategoryTree;
use hp_db::events::EventFilter;
use hp_db::hobbies::{self, HobbyFilter};
use hp_db::promotions::PromotionFilter;
use hp_db::{CategorySubtrees, Conn, OrderKey, Ordering, Proximity, TextSearch};
use hp_domain::geo::Point;
use hp_domain::limits::{MAX_DISTANCE_KM, MAX_ORDERING_KEYS, MAX_REPEATED_VALUES, MAX_SEARCH_CHARS, MAX_SEARCH_TERMS};
use hp_domain::price::PriceType;
use hp_domain::search::split_terms;
use hp_domain::time::{parse_filter_date, parse_time};
use hp_domain::{messages, FieldErrors};

/// A validated list filter, or the knowledge that the list is empty (an anonymous
/// `editable_only=true`).
pub enum Filtered<F> {
    Empty,
    Filter(F),
}

const HOBBY_ORDERINGS: &[&str] = &["nearest", "-nearest"];
const EVENT_ORDERINGS: &[&str] = &["nearest", "-nearest", "start_date", "-start_date"];

/// A number as Django's `DecimalField` reads it: no NaN or infinity spelled out, but any
/// number of digits (one too large for a float reads as infinite, as Python's `float` reads
/// it, and then fails the range checks).
fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() || text.chars().any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| !n.is_nan())
}

/// Declared numeric filters (`near_latitude`, …) reject non-numbers even without nearest
/// ordering.
fn check_numeric(params: &QueryParams, name: &str, errors: &mut FieldErrors) {
    if let Some(value) = params.given(name) {
        if parse_number(value).is_none() {
            errors.add(name, messages::FILTER_INVALID_NUMBER);
        }
    }
}

/// The keys of `ordering`; a key on a field already ordered by changes nothing and is dropped.
fn read_ordering_keys(params: &QueryParams, allowed: &[&str], errors: &mut FieldErrors) -> Vec<OrderKey> {
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

fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The distance ordering's own checks (the original's "nearest" filter backend).
fn resolve_ordering(params: &QueryParams, keys: Vec<OrderKey>) -> Result<Ordering, ApiError> {
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
fn read_max_distance(text: &str) -> Result<i64, ApiError> {
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
fn repeated<'a>(params: &'a QueryParams, name: &str, errors: &mut FieldErrors) -> Option<Vec<&'a str>> {
    let values = params.all(name);
    if values.len() > MAX_REPEATED_VALUES {
        errors.add(name, messages::too_many_values(MAX_REPEATED_VALUES));
        return None;
    }
    Some(values)
}

/// `search`: its folded terms, none for an empty value; bounded in characters and words.
fn read_search(params: &QueryParams, errors: &mut FieldErrors) -> Vec<String> {
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
fn read_categories(params: &QueryParams, tree: &CategoryTree, errors: &mut FieldErrors) -> Option<CategorySubtrees> {
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

fn read_price_type(params: &QueryParams) -> Option<PriceType> {
    params.given("price_type").and_then(PriceType::parse)
}

fn read_date(params: &QueryParams, name: &str, errors: &mut FieldErrors) -> Option<chrono::NaiveDate> {
    let value = params.given(name)?;
    let date = parse_filter_date(value);
    if date.is_none() {
        errors.add(name, messages::FILTER_INVALID_DATE);
    }
    date
}

fn read_time(params: &QueryParams, name: &str, errors: &mut FieldErrors) -> Option<chrono::NaiveTime> {
    let value = params.given(name)?;
    let time = parse_time(value);
    if time.is_none() {
        errors.add(name, messages::FILTER_INVALID_TIME);
    }
    time
}

fn read_weekdays(params: &QueryParams, errors: &mut FieldErrors) -> Vec<i64> {
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
async fn read_hobby(params: &QueryParams, conn: &mut Conn, errors: &mut FieldErrors) -> Result<Option<i64>, ApiError> {
    let Some(value) = params.given("hobby") else {
        return Ok(None);
    };
    match value.trim().parse::<i64>() {
        Ok(id) if is_integer(value.trim()) && hobbies::exists(conn, id).await? => Ok(Some(id)),
        _ => {
            errors.add("hobby", messages::FILTER_UNKNOWN_OBJECT);
            Ok(None)
        }
    }
}

fn editable_only(params: &QueryParams, caller: &Caller) -> Result<Option<hp_db::EditScope>, ()> {
    match params.flag("editable_only") {
        Some(true) => caller.edit_scope().map(Some).ok_or(()),
        _ => Ok(None),
    }
}

pub fn hobby_filter(
    params: &QueryParams,
    caller: &Caller,
    tree: &CategoryTree,
) -> Result<Filtered<HobbyFilter>, ApiError> {
    let mut errors = FieldErrors::new();
    let categories = read_categories(params, tree, &mut errors);
    let keys = read_ordering_keys(params, HOBBY_ORDERINGS, &mut errors);
    for name in ["near_latitude", "near_longitude", "max_distance"] {
        check_numeric(params, name, &mut errors);
    }
    errors.into_result()?;
    let ordering = resolve_ordering(params, keys)?;
    let Ok(editable) = editable_only(params, caller) else {
        return Ok(Filtered::Empty);
    };
    Ok(Filtered::Filter(HobbyFilter { categories, price_type: read_price_type(params), editable, ordering }))
}

pub async fn event_filter(
    params: &QueryParams,
    caller: &Caller,
    conn: &mut Conn,
    tree: &CategoryTree,
    now: chrono::NaiveDateTime,
) -> Result<Filtered<EventFilter>, ApiError> {
    let mut errors = FieldErrors::new();
    let hobby = read_hobby(params, conn, &mut errors).await?;
    let categories = read_categories(params, tree, &mut errors);
    let start_date_from = read_date(params, "start_date_from", &mut errors);
    let start_date_to = read_date(params, "start_date_to", &mut errors);
    let start_time_from = read_time(params, "start_time_from", &mut errors);
    let start_time_to = read_time(params, "start_time_to", &mut errors);
    let weekdays = read_weekdays(params, &mut errors);
    let keys = read_ordering_keys(params, EVENT_ORDERINGS, &mut errors);
    for name in ["near_latitude", "near_longitude"] {
        check_numeric(params, name, &mut errors);
    }
    let terms = read_search(params, &mut errors);
    errors.into_result()?;
    let ordering = resolve_ordering(params, keys)?;
    let Ok(editable) = editable_only(params, caller) else {
        return Ok(Filtered::Empty);
    };
    let search = (!terms.is_empty()).then(|| TextSearch { categories: tree.matching_any_term(&terms), terms });
    Ok(Filtered::Filter(EventFilter {
        hobby,
        categories,
        price_type: read_price_type(params),
        editable,
        start_date_from,
        start_date_to,
        start_time_from,
        start_time_to,
        weekdays,
        not_ended_before: (params.flag("exclude_past_events") == Some(true)).then_some(now),
        search,
        ordering,
    }))
}

pub fn promotion_filter(
    params: &QueryParams,
    caller: &Caller,
    now: chrono::NaiveDateTime,
) -> Result<Filtered<PromotionFilter>, ApiError> {
    let mut errors = FieldErrors::new();
    let keys = read_ordering_keys(params, HOBBY_ORDERINGS, &mut errors);
    for name in ["near_latitude", "near_longitude"] {
        check_numeric(params, name, &mut errors);
    }
    let search_terms = read_search(params, &mut errors);
    errors.into_result()?;
    let ordering = resolve_ordering(params, keys)?;
    let Ok(editable) = editable_only(params, caller) else {
        return Ok(Filtered::Empty);
    };
    Ok(Filtered::Filter(PromotionFilter {
        not_ended_before: (params.flag("exclude_past_events") == Some(true)).then_some(now),
        usable_only: params.flag("usable_only") == Some(true),
        editable,
        search_terms,
        ordering,
    }))
}

/// `parent=null|<id>` of the category list.
pub fn category_parent(params: &QueryParams, tree: &CategoryTree) -> Result<categories::ParentFilter, ApiError> {
    let Some(value) = params.given("parent") else {
        return Ok(categories::ParentFilter::Any);
    };
    if value == "null" {
        return Ok(categories::ParentFilter::Roots);
    }
    match value.trim().parse::<i64>().ok().filter(|_| is_integer(value.trim())) {
        Some(id) if tree.get(id).is_some() => Ok(categories::ParentFilter::ChildrenOf(id)),
        _ => Err(ApiError::field("parent", messages::FILTER_UNKNOWN_OBJECT)),
    }
}

/// The query parameters of the hobby list, as the filter above reads them (the API
/// description documents exactly these).
pub(crate) const HOBBY_PARAMS: &[Param] = &[
    CATEGORY,
    PRICE_TYPE,
    EDITABLE_ONLY,
    param("ordering", Kind::Text, "`nearest` or `-nearest`."),
    NEAR_LATITUDE,
    NEAR_LONGITUDE,
    MAX_DISTANCE,
];

/// The query parameters of the category list.
pub(crate) const CATEGORY_PARAMS: &[Param] = &[
    param("parent", Kind::Text, "`null` for the roots, or a category id for its children."),
    param("lang", Kind::Text, "Language of `name`: `fi`, `en` or `sv`."),
];

/// The query parameters of the hobby event list.
pub(crate) const EVENT_PARAMS: &[Param] = &[
    param("hobby", Kind::Integer, "All events of this hobby (not only its next)."),
    CATEGORY,
    PRICE_TYPE,
    param("start_date_from", Kind::Date, "Starts on or after (YYYY-MM-DD)."),
    param("start_date_to", Kind::Date, "Starts on or before."),
    param("start_time_from", Kind::Time, "Starts at or after (HH:MM)."),
    param("start_time_to", Kind::Time, "Starts at or before."),
    doc::repeated("start_weekday", Kind::Integer, "ISO weekday 1 (Monday) … 7; several: any of them."),
    EXCLUDE_PAST_EVENTS,
    SEARCH,
    doc::repeated("ordering", Kind::Text, "`nearest`, `start_date` (each may be negated with `-`), comma-combinable."),
    NEAR_LATITUDE,
    NEAR_LONGITUDE,
    MAX_DISTANCE,
];

/// The query parameters of the promotion list.
pub(crate) const PROMOTION_PARAMS: &[Param] = &[
    EXCLUDE_PAST_EVENTS,
    param("usable_only", Kind::Boolean, "Only promotions with redemptions left and not ended."),
    EDITABLE_ONLY,
    SEARCH,
    param("ordering", Kind::Text, "`nearest` or `-nearest`."),
    NEAR_LATITUDE,
    NEAR_LONGITUDE,
    MAX_DISTANCE,
];
