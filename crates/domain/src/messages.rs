//! The exact texts of error messages the clients may show.
//!
//! The original service always ran in Finnish, so the framework's messages are Finnish while
//! the application's own messages are English (spec api.md 3.6). They are kept verbatim.

pub const REQUIRED: &str = "Tämä kenttä vaaditaan.";
pub const NULL_NOT_ALLOWED: &str = "Tämän kentän arvo ei voi olla \"null\".";
pub const BLANK: &str = "Tämä kenttä ei voi olla tyhjä.";
pub const NUL_CHARACTER: &str = "Tyhjiä merkkejä (null) ei sallita.";
pub const INVALID_INTEGER: &str = "Syötä kelvollinen kokonaisluku.";
pub const INVALID_NUMBER: &str = "Kelvollinen luku vaaditaan.";
pub const INVALID_BOOLEAN: &str = "Must be a valid boolean.";
pub const INVALID_DATE: &str = "Virheellinen päivämäärän muotoilu. Käytä jotain näistä muodoista: YYYY-MM-DD";
pub const INVALID_TIME: &str = "Virheellinen kellonajan muotoilu. Käytä jotain näistä muodoista: hh:mm[:ss[.uuuuuu]]";
pub const INVALID_IMAGE: &str = "Kuva ei kelpaa. Lähettämäsi tiedosto ei ole kuva, tai tiedosto on vioittunut.";

pub const NOT_AUTHENTICATED: &str = "Autentikaatiotunnuksia ei annettu.";
pub const FORBIDDEN: &str = "Sinulla ei ole lupaa suorittaa tätä toimintoa.";
pub const NOT_FOUND: &str = "Ei löydy.";
pub const INVALID_PAGE: &str = "Epäkelpo sivu.";
pub const NOT_ACCEPTABLE: &str = "Ei voitu vastata pyynnön Accept-otsakkeen mukaisesti.";

pub const TOKEN_INVALID: &str = "Epäkelpo Token.";
pub const TOKEN_HEADER_EMPTY: &str = "Epäkelpo Token-otsake. Ei annettuja tunnuksia.";
pub const TOKEN_HEADER_SPACES: &str = "Epäkelpo Token-otsake. Tunnusmerkkijono ei saa sisältää välilyöntejä.";
pub const TOKEN_HEADER_CHARACTERS: &str =
    "Epäkelpo Token-otsake. Tunnusmerkkijono ei saa sisältää epäkelpoja merkkejä.";
pub const USER_INACTIVE_OR_DELETED: &str = "Käyttäjä ei-aktiivinen tai poistettu.";

pub const FILTER_INVALID_DATE: &str = "Syötä oikea päivämäärä.";
pub const FILTER_INVALID_TIME: &str = "Syötä oikea kellonaika.";
pub const FILTER_INVALID_NUMBER: &str = "Syötä luku.";
pub const FILTER_UNKNOWN_OBJECT: &str = "Valitse oikea vaihtoehto. Valintasi ei löydy vaihtoehtojen joukosta.";

pub const NEAREST_COORDINATE_REQUIRED: &str = "This field is required when nearest ordering is used.";
pub const MUST_BE_FLOAT: &str = "Must be a float.";
pub const MUST_BE_INTEGER: &str = "Must be an integer.";
pub const LATITUDE_RANGE: &str = "Value must be within -90.0 and 90.0.";
pub const LONGITUDE_RANGE: &str = "Value must be within -180.0 and 180.0.";
pub const MAX_DISTANCE_NEEDS_NEAREST: &str = "Can only be used with nearest ordering.";

pub const PRICE_FREE_NOT_ZERO: &str = "Price amount has to be 0 if price type is free";
pub const PRICE_ZERO_NOT_FREE: &str = "Price amount can not be 0 if price type is something else than free";
pub const PRICE_NEGATIVE: &str = "Price amount can not be negative";
pub const PROMOTIONS_USED_UP: &str = "All available promotions have been used";
pub const RECURRENCE_PAST_YEAR_9999: &str = "Recurring events must end before the year 10000.";
pub const GEOMETRY_NOT_POINT: &str = "Geometry must be a Point.";
pub const GEOMETRY_UNPARSEABLE: &str =
    "Invalid format: string or unicode input unrecognized as GeoJSON, WKT EWKT or HEXEWKB.";
pub const LOCATION_NEEDS_SOMETHING: &str = "One of the following fields is required: name, city or coordinates";
pub const GEOCODING_FAILED: &str =
    "This address could not be geocoded. Please confirm your address is right, or try again later.";

pub fn max_length(limit: usize) -> String {
    format!("Arvo saa olla enintään {limit} merkkiä pitkä.")
}

pub fn min_value(limit: i64) -> String {
    format!("Tämän luvun on oltava vähintään {limit}.")
}

pub fn max_value(limit: i64) -> String {
    format!("Tämän arvon on oltava enintään {limit}.")
}

pub fn max_digits(limit: u32) -> String {
    format!("Tässä luvussa voi olla yhteensä enintään {limit} numeroa.")
}

pub fn max_decimal_places(limit: u32) -> String {
    format!("Tässä luvussa saa olla enintään {limit} desimaalia.")
}

pub fn max_whole_digits(limit: u32) -> String {
    format!("Tässä luvussa saa olla enintään {limit} numeroa ennen desimaalipilkkua.")
}

pub fn invalid_choice(input: &str) -> String {
    format!("\"{input}\" ei ole kelvollinen valinta.")
}

pub fn related_does_not_exist(pk: &str) -> String {
    format!("Epäkelpo pääavain {pk} - objektia ei ole olemassa.")
}

pub fn related_wrong_type(python_type: &str) -> String {
    format!("Väärä tyyppi. Odotettiin pääavainarvoa, saatiin {python_type}.")
}

pub fn expected_list(python_type: &str) -> String {
    format!("Odotettiin listaa, saatiin tyyppi {python_type}.")
}

pub fn expected_object(python_type: &str) -> String {
    format!("Odotettiin sanakirjaa, saatiin tyyppi {python_type}.")
}

pub fn filter_invalid_choice(value: &str) -> String {
    format!("Valitse oikea vaihtoehto. {value} ei ole vaihtoehtojen joukossa.")
}

pub fn filter_invalid_pk(value: &str) -> String {
    format!("\"{value}\" ei ole kelvollinen arvo.")
}

pub fn method_not_allowed(method: &str) -> String {
    format!("Metodi \"{method}\" ei ole sallittu.")
}

pub fn unsupported_media_type(media_type: &str) -> String {
    format!("Pyynnön mediatyyppiä \"{media_type}\" ei tueta.")
}

/// Django's form message for a too long filter value (the filters are Django forms).
pub fn filter_too_long(limit: usize, actual: usize) -> String {
    format!("Varmista, että tämä arvo on enintään {limit} merkkiä pitkä (tällä hetkellä {actual}).")
}

pub fn too_many_search_terms(limit: usize) -> String {
    format!("Search may have at most {limit} words.")
}

pub fn too_many_values(limit: usize) -> String {
    format!("At most {limit} values may be given.")
}

pub fn too_many_ordering_keys(limit: usize) -> String {
    format!("At most {limit} ordering keys may be given.")
}

pub fn max_distance_too_large(limit: i64) -> String {
    format!("Ensure this value is less than or equal to {limit}.")
}

pub const SRID_NOT_WGS84: &str = "Coordinates must be WGS 84 longitude and latitude (SRID 4326).";

/// A place (`"location"`, `"organizer"`) other users' content depends on (quirks.md 26).
pub fn place_used_by_others(place: &str, hobbies: i64, promotions: i64) -> String {
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "This {place} cannot be deleted: {} and {} of other users use it, and deleting it would delete them.",
        plural(hobbies, "hobby", "hobbies"),
        plural(promotions, "promotion", "promotions"),
    )
}

/// DRF's throttling message, as the Finnish deployment showed it.
pub fn throttled(seconds: u64) -> String {
    format!("Pyyntö hidastettu. Odotettavissa {seconds} sekunnin kuluttua.")
}
