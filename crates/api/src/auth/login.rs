//! The browser login pages the web UI sends people to: `GET/POST /accounts/login/` (a form
//! with a CSRF token; success sets the session cookie and redirects to `next` or the
//! configured address) and `/accounts/logout/`.

use crate::auth::credentials::authenticate;
use crate::auth::sessions::{self, csrf_cookie, csrf_problem, new_csrf_cookie, CSRF_FIELD};
use crate::body::Body;
use crate::error::ApiError;
use crate::origin::{ClientAddress, RequestOrigin};
use crate::params::QueryParams;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    csrf_token: &'a str,
    next: &'a str,
    username: &'a str,
    failed: bool,
    /// Sign-ins are refused for this many minutes (too many failures).
    wait_minutes: Option<u64>,
}

fn render(page: LoginPage<'_>) -> Result<Response, ApiError> {
    let html = page.render().map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Html(html).into_response())
}

/// Where a successful login may go: a path on this site, or an address under one of the
/// configured origins (the web UI); anything else goes to the default.
pub fn safe_next(state: &AppState, next: &str) -> Option<String> {
    let next = next.trim();
    // Browsers drop tabs and newlines from URLs, so "/\t/evil.example" would leave the site.
    if next.chars().any(char::is_control) {
        return None;
    }
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        return Some(next.to_owned());
    }
    let trusted = state.config.cors_allowed_origins.iter().chain(std::iter::once(&state.config.login_redirect));
    for origin in trusted {
        let origin = origin.trim_end_matches('/');
        if origin.starts_with("http") && (next == origin || next.starts_with(&format!("{origin}/"))) {
            return Some(next.to_owned());
        }
    }
    None
}

pub async fn login_form(
    State(state): State<AppState>,
    jar: CookieJar,
    params: QueryParams,
) -> Result<Response, ApiError> {
    let (jar, token) = match csrf_cookie(&jar) {
        Some(token) => (jar, token),
        None => {
            let cookie = new_csrf_cookie(&state);
            let token = cookie.value().to_owned();
            (jar.add(cookie), token)
        }
    };
    let page = LoginPage {
        csrf_token: &token,
        next: params.last("next").unwrap_or(""),
        username: "",
        failed: false,
        wait_minutes: None,
    };
    Ok((jar, render(page)?).into_response())
}

fn csrf_failure(problem: &str) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"fi\"><title>403 Forbidden</title><h1>Kielletty (403)</h1>\
         <p>CSRF verification failed. Request aborted.</p><p>{}</p>",
        problem.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    );
    (StatusCode::FORBIDDEN, Html(page)).into_response()
}

pub async fn login(
    State(state): State<AppState>,
    client: ClientAddress,
    origin: RequestOrigin,
    headers: HeaderMap,
    jar: CookieJar,
    params: QueryParams,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let body = Body::from_pairs(form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let field = |name: &str| body.get(name).and_then(|v| v.as_str()).unwrap_or("").to_owned();
    if let Some(problem) = csrf_problem(&headers, &origin, &state, Some(&field(CSRF_FIELD))) {
        return Ok(csrf_failure(&problem));
    }
    let username = field("username");
    let next = Some(field("next"))
        .filter(|n| !n.is_empty())
        .or_else(|| params.last("next").map(str::to_owned))
        .unwrap_or_default();
    let token = csrf_cookie(&jar).unwrap_or_default();
    let page =
        |failed, wait_minutes| LoginPage { csrf_token: &token, next: &next, username: &username, failed, wait_minutes };
    let user = match authenticate(&state, &username, &field("password"), client).await {
        Ok(Some(user)) => user,
        Ok(None) => return render(page(true, None)),
        Err(ApiError::TooManyRequests(seconds)) => {
            let mut response = render(page(false, Some(seconds.div_ceil(60))))?;
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            return Ok(response);
        }
        Err(error) => return Err(error),
    };
    let session = sessions::start(&state, user.id).await?;
    // A new CSRF token after login, as Django rotates it.
    let jar = jar.add(session).add(new_csrf_cookie(&state));
    let target = safe_next(&state, &next).unwrap_or_else(|| state.config.login_redirect.clone());
    let location = HeaderValue::from_str(&target).map_err(|_| ApiError::BadRequest("invalid redirect".into()))?;
    Ok((jar, (StatusCode::FOUND, [(header::LOCATION, location)])).into_response())
}

pub async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<Response, ApiError> {
    sessions::end(&state, &jar).await?;
    let jar = jar.remove(sessions::cookie(&state, sessions::SESSION_COOKIE, String::new(), true));
    Ok((jar, (StatusCode::FOUND, [(header::LOCATION, HeaderValue::from_static("/accounts/login/"))])).into_response())
}
