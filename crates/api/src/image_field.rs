//! The image field of a write body: base64 (a data URL or bare) in JSON and form bodies,
//! null or blank to remove, the current URL echoed back to keep (quirks.md 21). Decoding and
//! checking the image itself is the application's ([`hp_app::images`]).

use crate::body::Body;
use crate::read_log::{FieldDoc, FieldKind};
use base64::Engine;
use hp_app::images::{check_image_bounded, too_large, ImageChange, ImageLimits};
use serde_json::Value;

/// The image field of a body, decoded and checked off the async threads (decoding a large
/// image takes a while); `Err` is the message for the field.
pub async fn read_image_field(body: &Body, name: &'static str, limits: ImageLimits) -> Result<ImageChange, String> {
    match image_field(body, name)? {
        ImageField::Keep => Ok(ImageChange::Keep),
        ImageField::Remove => Ok(ImageChange::Remove),
        ImageField::Encoded(text) => {
            let bytes = decode_base64(&text, limits)?;
            check_image_bounded(bytes, limits).await.map(ImageChange::Store)
        }
    }
}

const INVALID_FILE: &str = "Please upload a valid image.";

enum ImageField {
    Keep,
    Remove,
    Encoded(String),
}

fn image_field(body: &Body, name: &'static str) -> Result<ImageField, String> {
    body.describe(FieldDoc { name, kind: FieldKind::Image, required: false, nullable: true });
    let Some(value) = body.get(name) else {
        return Ok(ImageField::Keep);
    };
    if body.is_file(name) {
        return Err(
            "Invalid type. This is not an base64 string: <class 'django.core.files.uploadedfile.InMemoryUploadedFile'>"
                .into(),
        );
    }
    let text = match value {
        Value::Null => return Ok(ImageField::Remove),
        Value::Array(items) if items.is_empty() => return Ok(ImageField::Remove),
        Value::Object(fields) if fields.is_empty() => return Ok(ImageField::Remove),
        Value::String(text) => text.trim(),
        other => {
            let python = match other {
                Value::Bool(_) => "bool",
                Value::Number(n) if n.is_f64() => "float",
                Value::Number(_) => "int",
                Value::Array(_) => "list",
                _ => "dict",
            };
            return Err(format!("Invalid type. This is not an base64 string: <class '{python}'>"));
        }
    };
    if text.is_empty() {
        return Ok(ImageField::Remove);
    }
    // A URL sent back as it was read means "unchanged" (quirks.md 21).
    if text.starts_with("http://") || text.starts_with("https://") {
        return Ok(ImageField::Keep);
    }
    Ok(ImageField::Encoded(text.to_owned()))
}

/// Strips a data-URL prefix and decodes base64 (non-alphabet characters are skipped, as
/// Python's decoder does).
fn decode_base64(text: &str, limits: ImageLimits) -> Result<Vec<u8>, String> {
    let payload = match text.find(";base64,") {
        Some(at) => &text[at + ";base64,".len()..],
        None => text,
    };
    // Encoded size first, so that an oversized upload costs no decoding.
    if payload.len() / 4 * 3 > limits.max_bytes + 3 {
        return Err(too_large(limits));
    }
    let cleaned: String =
        payload.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')).collect();
    base64::engine::general_purpose::STANDARD.decode(cleaned.as_bytes()).map_err(|_| INVALID_FILE.to_owned())
}

/// Adds an image field's error, if any, and returns the change (Keep on error).
pub fn image_or_error(result: Result<ImageChange, String>, errors: &mut hp_domain::FieldErrors) -> ImageChange {
    result.unwrap_or_else(|message| {
        errors.add("cover_image", message);
        ImageChange::Keep
    })
}
