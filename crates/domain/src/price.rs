//! Hobby prices: the price types, the `decimal(5, 2)` amount kept as integer cents and
//! written as `"12.50"`, and the API's price rules checked on the merged result.

use crate::messages;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PriceType {
    Free,
    Annual,
    Seasonal,
    OneTime,
    Paid,
}

impl PriceType {
    pub const ALL: [PriceType; 5] =
        [PriceType::Free, PriceType::Annual, PriceType::Seasonal, PriceType::OneTime, PriceType::Paid];

    /// The names of [`PriceType::ALL`], as the API writes them.
    pub const NAMES: [&'static str; 5] = [
        PriceType::ALL[0].as_str(),
        PriceType::ALL[1].as_str(),
        PriceType::ALL[2].as_str(),
        PriceType::ALL[3].as_str(),
        PriceType::ALL[4].as_str(),
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            PriceType::Free => "free",
            PriceType::Annual => "annual",
            PriceType::Seasonal => "seasonal",
            PriceType::OneTime => "one_time",
            PriceType::Paid => "paid",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PriceType::Free => "Free",
            PriceType::Annual => "Annual",
            PriceType::Seasonal => "Seasonal",
            PriceType::OneTime => "One time",
            PriceType::Paid => "Paid",
        }
    }

    pub fn parse(value: &str) -> Option<PriceType> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }
}

/// Largest amount of `decimal(5, 2)`: 999.99.
pub const MAX_CENTS: i64 = 99_999;
const MAX_DIGITS: u32 = 5;
const DECIMAL_PLACES: u32 = 2;

/// `"12.50"` from 1250 cents.
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Parses a decimal amount as DRF's `DecimalField(max_digits=5, decimal_places=2)` does,
/// with its messages: digits are counted like Python's `Decimal.as_tuple()`.
pub fn parse_amount(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let invalid = || messages::INVALID_NUMBER.to_owned();
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], unsigned[at + 1..].parse::<i32>().map_err(|_| invalid())?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(invalid());
    }
    // Coefficient digits without leading zeros, and the decimal exponent.
    let all_digits = format!("{whole}{fraction}");
    let significant = all_digits.trim_start_matches('0');
    let coefficient = if significant.is_empty() { "0" } else { significant };
    let exponent = exponent.checked_sub(fraction.len() as i32).ok_or_else(invalid)?;
    let count = coefficient.len() as i64;
    let (total, places, whole_digits) = if exponent >= 0 {
        let total = count + i64::from(exponent);
        (total, 0, total)
    } else if count > i64::from(exponent.unsigned_abs()) {
        (count, i64::from(exponent.unsigned_abs()), count - i64::from(exponent.unsigned_abs()))
    } else {
        let places = i64::from(exponent.unsigned_abs());
        (places, places, 0)
    };
    if total > i64::from(MAX_DIGITS) {
        return Err(messages::max_digits(MAX_DIGITS));
    }
    if places > i64::from(DECIMAL_PLACES) {
        return Err(messages::max_decimal_places(DECIMAL_PLACES));
    }
    if whole_digits > i64::from(MAX_DIGITS - DECIMAL_PLACES) {
        return Err(messages::max_whole_digits(MAX_DIGITS - DECIMAL_PLACES));
    }
    // At most 5 significant digits with exponent ≥ -2 remain: scale to cents exactly.
    let value: i64 = coefficient.parse().map_err(|_| invalid())?;
    let cents = value * 10i64.pow((exponent + 2) as u32);
    Ok(if negative { -cents } else { cents })
}

/// The API's three price rules (api.md "Hobby price validation"), first failure wins.
/// `paid` with 0 is refused too, as the original API does (quirks.md 6).
pub fn check_price_rules(price_type: PriceType, cents: i64) -> Result<(), &'static str> {
    if price_type == PriceType::Free && cents != 0 {
        return Err(messages::PRICE_FREE_NOT_ZERO);
    }
    if price_type != PriceType::Free && cents == 0 {
        return Err(messages::PRICE_ZERO_NOT_FREE);
    }
    if cents < 0 {
        return Err(messages::PRICE_NEGATIVE);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_like_drf() {
        assert_eq!(parse_amount("120"), Ok(12_000));
        assert_eq!(parse_amount("25.5"), Ok(2_550));
        assert_eq!(parse_amount("9.99"), Ok(999));
        assert_eq!(parse_amount("999.99"), Ok(99_999));
        assert_eq!(parse_amount("0.00"), Ok(0));
        assert_eq!(parse_amount("-1"), Ok(-100));
        assert_eq!(parse_amount("100.0"), Ok(10_000));
        assert_eq!(parse_amount("1000"), Err(messages::max_whole_digits(3)));
        assert_eq!(parse_amount("1.234"), Err(messages::max_decimal_places(2)));
        assert_eq!(parse_amount("123456"), Err(messages::max_digits(5)));
        assert_eq!(parse_amount("NaN"), Err(messages::INVALID_NUMBER.to_owned()));
        assert_eq!(parse_amount("abc"), Err(messages::INVALID_NUMBER.to_owned()));
        assert_eq!(parse_amount(""), Err(messages::INVALID_NUMBER.to_owned()));
        assert_eq!(format_cents(2_550), "25.50");
        assert_eq!(format_cents(0), "0.00");
        assert_eq!(format_cents(-105), "-1.05");
    }

    #[test]
    fn price_rules_in_order() {
        assert_eq!(check_price_rules(PriceType::Free, 80_800), Err(messages::PRICE_FREE_NOT_ZERO));
        assert_eq!(check_price_rules(PriceType::Paid, 0), Err(messages::PRICE_ZERO_NOT_FREE));
        assert_eq!(check_price_rules(PriceType::Annual, -100), Err(messages::PRICE_NEGATIVE));
        assert_eq!(check_price_rules(PriceType::Free, -100), Err(messages::PRICE_FREE_NOT_ZERO));
        assert_eq!(check_price_rules(PriceType::Free, 0), Ok(()));
        assert_eq!(check_price_rules(PriceType::Seasonal, 5_000), Ok(()));
    }
}
