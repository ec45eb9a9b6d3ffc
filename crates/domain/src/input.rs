//! Reading single values of a request body the way the original API's serializers did:
//! strings are stripped and checked for NUL characters, blanks and length; integers may be
//! numeric strings; booleans accept the usual spellings; dates and times their ISO forms.
//! Every error is the exact client-visible message.

use crate::{messages, time};
use chrono::{NaiveDate, NaiveTime};
use serde_json::Value;

/// The Python type name DRF puts into some messages (`str`, `int`, `list`, …).
pub fn python_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Python's `str.strip()` whitespace, which includes U+001C–U+001F.
pub fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// A text field: stripped, no NUL characters, at most `max_length` characters, blank only
/// when allowed. Numbers are accepted as their text, like DRF's `CharField`.
pub fn text(value: &Value, max_length: Option<usize>, allow_blank: bool) -> Result<String, Vec<String>> {
    let raw = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Null => return Err(vec![messages::NULL_NOT_ALLOWED.to_owned()]),
        _ => return Err(vec!["Not a valid string.".to_owned()]),
    };
    let stripped = raw.trim_matches(is_python_whitespace).to_owned();
    if stripped.is_empty() {
        return if allow_blank { Ok(String::new()) } else { Err(vec![messages::BLANK.to_owned()]) };
    }
    let mut errors = Vec::new();
    if let Some(limit) = max_length {
        if stripped.chars().count() > limit {
            errors.push(messages::max_length(limit));
        }
    }
    if stripped.contains('\0') {
        errors.push(messages::NUL_CHARACTER.to_owned());
    }
    if errors.is_empty() {
        Ok(stripped)
    } else {
        Err(errors)
    }
}

/// An integer field within `min..=max`; `"25"` and `25.0` count as 25.
pub fn integer(value: &Value, min: Option<i64>, max: Option<i64>) -> Result<i64, String> {
    let parsed = match value {
        Value::Number(n) => {
            n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18).map(|f| f as i64))
        }
        Value::String(s) => parse_integer_text(s),
        _ => None,
    };
    let number = parsed.ok_or_else(|| messages::INVALID_INTEGER.to_owned())?;
    if let Some(min) = min.filter(|m| number < *m) {
        return Err(messages::min_value(min));
    }
    if let Some(max) = max.filter(|m| number > *m) {
        return Err(messages::max_value(max));
    }
    Ok(number)
}

/// `"25"`, `" 25 "` and `"25.000"` are 25, as DRF's `IntegerField` reads them.
fn parse_integer_text(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = match text.split_once('.') {
        Some((whole, zeros)) if zeros.bytes().all(|b| b == b'0') => whole,
        Some(_) => return None,
        None => text,
    };
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A boolean: JSON booleans, 1/0 and the spellings of api.md 3.11b.
pub fn boolean(value: &Value) -> Result<bool, String> {
    const TRUE: [&str; 13] = ["t", "T", "y", "Y", "yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"];
    const FALSE: [&str; 13] = ["f", "F", "n", "N", "no", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"];
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_i64() == Some(1) || n.as_f64() == Some(1.0) => Ok(true),
        Value::Number(n) if n.as_i64() == Some(0) || n.as_f64() == Some(0.0) => Ok(false),
        Value::String(s) if TRUE.contains(&s.as_str()) => Ok(true),
        Value::String(s) if FALSE.contains(&s.as_str()) => Ok(false),
        _ => Err(messages::INVALID_BOOLEAN.to_owned()),
    }
}

pub fn date(value: &Value) -> Result<NaiveDate, String> {
    value.as_str().and_then(time::parse_iso_date).ok_or_else(|| messages::INVALID_DATE.to_owned())
}

pub fn time_of_day(value: &Value) -> Result<NaiveTime, String> {
    value.as_str().and_then(time::parse_time).ok_or_else(|| messages::INVALID_TIME.to_owned())
}

/// A primary key of a related object: an integer or a string of digits. The caller checks
/// that the object exists.
pub fn primary_key(value: &Value) -> Result<i64, String> {
    let parsed = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok()).flatten()
        }
        _ => None,
    };
    match (parsed, value) {
        (Some(id), _) => Ok(id),
        // A number that is no valid id can exist nowhere.
        (None, Value::Number(n)) => Err(messages::related_does_not_exist(&n.to_string())),
        (None, other) => Err(messages::related_wrong_type(python_type_name(other))),
    }
}

/// How a related id is quoted in "does not exist": as the client sent it.
pub fn display_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_is_stripped_and_checked() {
        assert_eq!(text(&json!("  padded  "), Some(10), false), Ok("padded".into()));
        assert_eq!(text(&json!("   "), Some(10), false), Err(vec![messages::BLANK.into()]));
        assert_eq!(text(&json!("   "), Some(10), true), Ok(String::new()));
        assert_eq!(text(&json!("a\u{0}b"), Some(10), false), Err(vec![messages::NUL_CHARACTER.into()]));
        assert_eq!(text(&json!("abcdef"), Some(5), false), Err(vec![messages::max_length(5)]));
        assert_eq!(text(&json!(null), None, true), Err(vec![messages::NULL_NOT_ALLOWED.into()]));
        assert_eq!(text(&json!("\u{1f}x\u{a0}"), None, false), Ok("x".into()));
    }

    #[test]
    fn integers_accept_numeric_strings() {
        assert_eq!(integer(&json!("25"), Some(0), None), Ok(25));
        assert_eq!(integer(&json!(25.0), Some(0), None), Ok(25));
        assert_eq!(integer(&json!("2.5"), None, None), Err(messages::INVALID_INTEGER.into()));
        assert_eq!(integer(&json!(-1), Some(0), None), Err(messages::min_value(0)));
        assert_eq!(integer(&json!(51), Some(0), Some(50)), Err(messages::max_value(50)));
        assert_eq!(integer(&json!(true), None, None), Err(messages::INVALID_INTEGER.into()));
    }

    #[test]
    fn booleans_and_keys() {
        assert_eq!(boolean(&json!(1)), Ok(true));
        assert_eq!(boolean(&json!("0")), Ok(false));
        assert_eq!(boolean(&json!("yes")), Ok(true));
        assert!(boolean(&json!("maybe")).is_err());
        assert_eq!(primary_key(&json!("12")), Ok(12));
        assert_eq!(primary_key(&json!("abc")), Err(messages::related_wrong_type("str")));
        assert_eq!(primary_key(&json!([1])), Err(messages::related_wrong_type("list")));
    }
}
