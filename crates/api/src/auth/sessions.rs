//! Browser sessions and CSRF protection for the pages that use cookies (`/accounts/…`,
//! `GET /auth/token/`, the sysadmin UI). Sessions live in the database, so replicas share
//! them; the cookie holds a random key and the database only its digest. CSRF uses a token
//! in a cookie that unsafe form posts must repeat.

use crate::error::ApiError;
use crate::origin::RequestOrigin;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use hp_app::User;
use hp_db::accounts;
use hp_domain::tokens;
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "sessionid";
pub const CSRF_COOKIE: &str = "csrftoken";
pub const CSRF_FIELD: &str = "csrfmiddlewaretoken";
pub const CSRF_HEADER: &str = "x-csrftoken";

/// The signed-in browser user, if the request carries a valid session cookie.
#[derive(Debug, Clone)]
pub struct BrowserSession {
    pub user: Option<User>,
}

impl FromRequestParts<AppState> for BrowserSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(key) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
            return Ok(BrowserSession { user: None });
        };
        let mut conn = state.app.db.conn().await?;
        let Some(session) = accounts::session(&mut conn, &tokens::digest(&key), state.app.clock.now()).await? else {
            return Ok(BrowserSession { user: None });
        };
        let user = match accounts::get(&mut conn, session.user_id).await?.filter(|u| u.is_active) {
            Some(user) => Some(User::signed_in(&mut conn, user).await?),
            None => None,
        };
        Ok(BrowserSession { user })
    }
}

/// The CSRF token of the browser, if it has one.
pub fn csrf_cookie(jar: &CookieJar) -> Option<String> {
    jar.get(CSRF_COOKIE).map(|c| c.value().to_owned()).filter(|v| v.len() >= 32)
}

/// Django's origin checks of an unsafe cookie-authenticated request: an `Origin` header must
/// name this site (or a trusted origin: the web UI's); without one, a request over https
/// must carry a `Referer` from this site or a trusted origin (plain http sends none
/// reliably). `None` when the request passes.
fn origin_problem(headers: &HeaderMap, origin: &RequestOrigin, state: &AppState) -> Option<String> {
    let header =
        |name: header::HeaderName| headers.get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned());
    let trusted = |candidate: &str| {
        let candidate = candidate.trim_end_matches('/');
        candidate.eq_ignore_ascii_case(&origin.base())
            || state.config.cors_allowed_origins.iter().any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(candidate))
    };
    if let Some(sent) = header(header::ORIGIN) {
        return (!trusted(&sent))
            .then(|| format!("Origin checking failed - {sent} does not match any trusted origins."));
    }
    if origin.scheme != "https" {
        return None;
    }
    let Some(referer) = header(header::REFERER) else {
        return Some("Referer checking failed - no Referer.".into());
    };
    // The referer's scheme://host part.
    let referer_origin: String = match referer.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split(['/', '?', '#']).next().unwrap_or("")),
        None => String::new(),
    };
    (!trusted(&referer_origin))
        .then(|| format!("Referer checking failed - {referer} does not match any trusted origins."))
}

/// Why an unsafe cookie-authenticated request fails CSRF protection: its origin (see
/// [`origin_problem`]), or a submitted token that is not the cookie's. `None` when it passes.
pub fn csrf_problem(
    headers: &HeaderMap,
    origin: &RequestOrigin,
    state: &AppState,
    submitted: Option<&str>,
) -> Option<String> {
    if let Some(problem) = origin_problem(headers, origin, state) {
        return Some(problem);
    }
    let jar = CookieJar::from_headers(headers);
    (!csrf_matches(&jar, submitted)).then(|| "CSRF token missing or incorrect.".to_owned())
}

/// Whether a submitted token matches the cookie's (in constant time).
pub fn csrf_matches(jar: &CookieJar, submitted: Option<&str>) -> bool {
    match (csrf_cookie(jar), submitted) {
        (Some(expected), Some(given)) => bool::from(expected.as_bytes().ct_eq(given.as_bytes())),
        _ => false,
    }
}

/// A cookie with the service's attributes: whole site, `SameSite=Lax`, `Secure` behind https.
pub fn cookie(state: &AppState, name: &'static str, value: String, http_only: bool) -> Cookie<'static> {
    let mut cookie = Cookie::new(name, value);
    cookie.set_path("/");
    cookie.set_same_site(SameSite::Lax);
    cookie.set_http_only(http_only);
    cookie.set_secure(state.config.secure_cookies);
    cookie
}

/// A new CSRF token cookie (a year, readable by scripts as Django's).
pub fn new_csrf_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = cookie(state, CSRF_COOKIE, tokens::generate_secret(), false);
    cookie.set_max_age(time::Duration::days(365));
    cookie
}

/// Starts a session for the user; returns the cookie to set.
pub async fn start(state: &AppState, user_id: i64) -> Result<Cookie<'static>, ApiError> {
    let key = tokens::generate_secret();
    let now = state.app.clock.now();
    let mut tx = state.app.db.begin().await?;
    accounts::insert_session(&mut tx, &tokens::digest(&key), user_id, now, now + state.config.session_lifetime).await?;
    accounts::record_login(&mut tx, user_id, now).await?;
    accounts::delete_expired_sessions(&mut tx, now).await?;
    tx.commit().await?;
    let mut cookie = cookie(state, SESSION_COOKIE, key, true);
    cookie.set_max_age(time::Duration::seconds(state.config.session_lifetime.num_seconds()));
    Ok(cookie)
}

/// Ends the session of the cookie, if any.
pub async fn end(state: &AppState, jar: &CookieJar) -> Result<(), ApiError> {
    if let Some(key) = jar.get(SESSION_COOKIE) {
        let mut tx = state.app.db.begin().await?;
        accounts::delete_session(&mut tx, &tokens::digest(key.value())).await?;
        tx.commit().await?;
    }
    Ok(())
}
