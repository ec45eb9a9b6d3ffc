//! Request bodies of the writes, for the API description only: the write paths read bodies
//! field by field (`crate::fields`) to give DRF-shaped errors, so these types mirror what
//! they accept.

#![allow(dead_code)]

use utoipa::ToSchema;

/// A hobby. `name` is required on create; `price_amount` must be above 0 when
/// `price_type` is `paid` and 0 otherwise. pre1 writes one `category` instead of `categories`.
#[derive(ToSchema)]
#[schema(example = json!({"name": "Sulkapallo", "description": "Kaikille avoin vuoro", "location": 12,
    "organizer": 3, "categories": [7], "price_type": "free"}))]
pub struct HobbyInput {
    #[schema(max_length = 1024)]
    name: String,
    description: Option<String>,
    location: Option<i64>,
    organizer: Option<i64>,
    categories: Option<Vec<i64>>,
    #[schema(pattern = "^(free|annual|seasonal|one_time|paid)$")]
    price_type: Option<String>,
    /// Euros with two decimals.
    #[schema(example = "25.00")]
    price_amount: Option<String>,
    /// Base64 data URL (or bare base64) of a JPEG, PNG, WebP or GIF; `null` removes the image,
    /// a missing key keeps it.
    cover_image: Option<String>,
}

/// A hobby event. With `is_recurrent`, `recurrency_count` weekly copies are created too.
#[derive(ToSchema)]
#[schema(example = json!({"hobby": 42, "start_date": "2026-12-01", "end_date": "2026-12-01",
    "start_time": "17:00", "end_time": "18:30", "is_recurrent": true, "recurrency_count": 10}))]
pub struct HobbyEventInput {
    hobby: i64,
    #[schema(format = Date)]
    start_date: String,
    #[schema(format = Date)]
    end_date: String,
    /// `HH:MM` or `HH:MM:SS`, Europe/Helsinki.
    start_time: String,
    end_time: String,
    /// `true`, `false`, `1` or `0`.
    is_recurrent: Option<bool>,
    #[schema(minimum = 0, maximum = 50)]
    recurrency_count: Option<i64>,
}

/// A location; a GeoJSON point in pre2 and v1.
#[derive(ToSchema)]
#[schema(example = json!({"name": "Urheiluhalli", "address": "Mannerheimintie 1", "zip_code": "00100",
    "city": "Helsinki", "coordinates": {"type": "Point", "coordinates": [24.9384, 60.1699]}}))]
pub struct LocationInput {
    #[schema(max_length = 256)]
    name: Option<String>,
    #[schema(max_length = 256)]
    address: Option<String>,
    #[schema(max_length = 5)]
    zip_code: Option<String>,
    #[schema(max_length = 64)]
    city: Option<String>,
    coordinates: Option<crate::views::GeoPoint>,
}

/// An organizer.
#[derive(ToSchema)]
#[schema(example = json!({"name": "Helsingin Sulkapalloseura"}))]
pub struct OrganizerInput {
    #[schema(max_length = 256)]
    name: String,
}

/// A promotion; `created_by` and `municipality` come from the requesting user.
#[derive(ToSchema)]
#[schema(example = json!({"name": "Ilmainen kokeilukerta", "description": "Ensimmäinen kerta maksutta",
    "start_date": "2026-12-01", "start_time": "08:00", "end_date": "2027-05-31", "end_time": "20:00",
    "available_count": 100, "organizer": 3, "location": 12}))]
pub struct PromotionInput {
    #[schema(max_length = 1024)]
    name: String,
    description: String,
    #[schema(format = Date)]
    start_date: String,
    start_time: String,
    #[schema(format = Date)]
    end_date: String,
    end_time: String,
    #[schema(minimum = 0)]
    available_count: i64,
    #[schema(minimum = 0)]
    used_count: Option<i64>,
    organizer: i64,
    location: i64,
    /// As for hobbies.
    cover_image: Option<String>,
}

/// A redemption of a promotion (JSON, form or multipart); 400 when it is used up.
#[derive(ToSchema)]
#[schema(example = json!({"promotion": 5}))]
pub struct BenefitInput {
    promotion: i64,
}

/// Credentials for a JWT pair.
#[derive(ToSchema)]
#[schema(example = json!({"username": "maija", "password": "…"}))]
pub struct TokenRequest {
    username: String,
    password: String,
}

/// A refresh token to exchange for a new access token.
#[derive(ToSchema)]
pub struct RefreshRequest {
    refresh: String,
}

/// A JWT pair (HS256; claims `token_type`, `exp`, `iat`, `jti`, `user_id`, `first_name`,
/// `last_name`).
#[derive(ToSchema)]
pub struct TokenPair {
    access: String,
    refresh: String,
}

/// A new access token.
#[derive(ToSchema)]
pub struct AccessToken {
    access: String,
}

/// An error with one message (401, 403, 404, 405, 415, 503).
#[derive(ToSchema)]
#[schema(example = json!({"detail": "Ei löydy."}))]
pub struct Detail {
    detail: String,
}
