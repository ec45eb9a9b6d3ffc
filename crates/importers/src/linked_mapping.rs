//! The field rules of the Linked Courses / Linked Events importer, as pure functions of an
//! event's JSON (jobs-and-importers.md §3): price type and amount, the description, keyword
//! identifiers, times in Europe/Helsinki. The original read these values the Python way
//! (`str()` of whatever is there), so [`py_text`] reproduces that reading.
//!
//! Where the spec records a bug, the recommended behaviour is implemented: "null"/"None" are
//! removed only as standalone words, `external_links` may be a list or an object, and a
//! date-only time is that local date at 00:00.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use hp_domain::price::PriceType;
use serde_json::Value;

/// Python's `str()` of a JSON value: `None` for null, `True`/`False`, numbers as written.
fn py_str(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `text(x, missing)` of the spec: a translated object gives its `fi` text (`missing`
/// without one), anything else its `str()`; an absent value reads as `None`.
pub fn py_text(value: Option<&Value>, missing: &str) -> String {
    match value {
        None => "None".into(),
        Some(Value::Object(map)) => map.get("fi").map(py_str).unwrap_or_else(|| missing.to_owned()),
        Some(other) => py_str(other),
    }
}

/// The value of `key` in `object`, reading a missing key as the text `null`.
fn field_or_null(object: &Value, key: &str) -> String {
    match object.get(key) {
        None => "null".into(),
        some => py_text(some, "None"),
    }
}

/// Python's `str.isspace`, which also counts U+001C–U+001F (unlike Unicode's White_Space).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Every run of whitespace as one space.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if is_py_space(c) {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

fn strip(text: &str) -> &str {
    text.trim_matches(' ')
}

fn present(text: &str) -> bool {
    !matches!(text, "" | "null" | "None")
}

fn present_value(value: Option<&Value>) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => Some(py_text(Some(other), "")).filter(|t| present(t)),
    }
}

/// The text of an HTML fragment: its text nodes joined without separators, entities decoded.
pub fn html_text(html: &str) -> String {
    scraper::Html::parse_fragment(html).root_element().text().collect()
}

/// The hobby's price type from the event's `offers`.
pub fn price_type(offers: &[Value]) -> PriceType {
    let Some(offer) = offers.first() else { return PriceType::Free };
    if py_text(offer.get("is_free"), "None").to_lowercase() == "true" {
        return PriceType::Free;
    }
    let texts = ["price", "info_url", "description"].map(|key| field_or_null(offer, key).to_lowercase());
    if texts.iter().all(|t| t == "null") {
        return PriceType::Free;
    }
    match texts.iter().find(|t| !t.is_empty()) {
        Some(first) if first.contains("vapaa pääsy") => PriceType::Free,
        _ => PriceType::Paid,
    }
}

/// The hobby's price in whole euros from the event's `offers`: the first number in the
/// price text, 0 for free entry or none.
pub fn price_euros(offers: &[Value]) -> i64 {
    let Some(offer) = offers.first() else { return 0 };
    let price = field_or_null(offer, "price");
    if price.contains("vapaa") || price.contains("nul") {
        return 0;
    }
    let digits: String = price.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

/// "Ilmoitaudu: <link>" from `external_links`, given as `{"fi": {"registration": …}}` or as
/// a list of `{"name": "registration", "link": …, "language": "fi"}`.
fn registration_link(event: &Value) -> String {
    let link = match event.get("external_links") {
        Some(Value::Object(map)) => map.get("fi").and_then(|fi| fi.get("registration")).map(|l| py_text(Some(l), "")),
        Some(Value::Array(links)) => links
            .iter()
            .filter(|l| l.get("name").and_then(Value::as_str) == Some("registration"))
            .min_by_key(|l| l.get("language").and_then(Value::as_str) != Some("fi"))
            .and_then(|l| l.get("link"))
            .map(|l| py_text(Some(l), "")),
        _ => None,
    };
    match link {
        Some(link) if present(&link) => format!("Ilmoitaudu: {link}"),
        _ => String::new(),
    }
}

/// Removes the words `null` and `None` (also quoted with one `'` or `"`), and collapses
/// the whitespace.
fn without_null_words(text: &str) -> String {
    text.split(is_py_space)
        .filter(|word| {
            let bare = word.strip_prefix(['\'', '"']).unwrap_or(word);
            let bare = bare.strip_suffix(['\'', '"']).unwrap_or(bare);
            !word.is_empty() && !matches!(bare, "null" | "None")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The hobby's description (`get_description` of the spec).
pub fn description(event: &Value) -> String {
    let short = collapse(strip(&py_text(event.get("short_description"), "")));
    let short_present = present(&short);
    let min = present_value(event.get("audience_min_age"));
    let max = present_value(event.get("audience_max_age"));
    let age = match (min, max) {
        (Some(min), Some(max)) => format!("Kenelle: {min}-{max}v."),
        (Some(min), None) => format!("Kenelle: {min}v.-"),
        (None, Some(max)) => format!("Kenelle: -{max}v."),
        (None, None) => String::new(),
    };
    let link = registration_link(event);
    let org = match event.get("organizer_info") {
        Some(info) if !is_empty_value(info) => info.get("fi").map(|fi| py_text(Some(fi), "")).unwrap_or_default(),
        _ => String::new(),
    };
    let (mut desc, long) = if short_present {
        (strip(&format!("{short} {age} {link} {org}")).to_owned(), String::new())
    } else {
        let long = strip(&collapse(&html_text(&py_text(event.get("description"), "")))).to_owned();
        (String::new(), strip(&format!("{age} {link} {org} {long}")).to_owned())
    };
    let offers = event.get("offers").and_then(Value::as_array).cloned().unwrap_or_default();
    if let Some(offer) = offers.first() {
        let info = strip(&py_text(offer.get("info_url"), "None")).to_owned();
        let odesc = strip(&py_text(offer.get("description"), "None")).to_owned();
        desc = if short_present { format!("{desc} {odesc} {info}") } else { format!("{odesc} {info} {long}") };
        desc = strip(&without_null_words(&desc)).to_owned();
    }
    if present(&desc) {
        desc
    } else {
        long
    }
}

fn is_empty_value(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// (source, id) of a keyword URL such as `https://api.hel.fi/linkedcourses/v1/keyword/yso:p23125/`.
pub fn keyword_key(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    if !(rest.contains("/linkedcourses/") || rest.contains("/linkedevents/")) || !rest.contains("/keyword/") {
        return None;
    }
    let segment = rest.strip_suffix('/')?.rsplit('/').next()?;
    let (source, id) = segment.rsplit_once(':')?;
    (!source.is_empty() && !id.is_empty()).then(|| (source.to_owned(), id.to_owned()))
}

/// A start or end time as a local date and time in Europe/Helsinki: with an offset it is
/// converted, without one it is UTC, and a date alone is that local date at 00:00.
pub fn local_time(value: Option<&Value>) -> Option<(NaiveDate, NaiveTime)> {
    let text = value?.as_str()?.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some((date, NaiveTime::MIN));
    }
    let utc: DateTime<Utc> = if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
        with_offset.with_timezone(&Utc)
    } else {
        let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
            .ok()?;
        Utc.from_utc_datetime(&naive)
    };
    let local = utc.with_timezone(&hp_domain::time::TIME_ZONE).naive_local();
    Some((local.date(), local.time()))
}
