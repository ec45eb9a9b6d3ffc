//! Who may use the sysadmin pages: signed-in (browser session) superusers. Anonymous
//! visitors go to the login page and come back; other users get 403. Every form post must
//! carry the CSRF token of the browser's cookie.

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use hp_api::auth::sessions::{self, BrowserSession};
use hp_api::AppState;
use hp_api::RequestOrigin;
use hp_app::{Superuser, User};

/// A superuser using the sysadmin pages, with the CSRF token their forms carry.
pub struct Sysadmin {
    pub user: User,
    /// The right to the sysadmin use cases.
    pub superuser: Superuser,
    pub lang: crate::i18n::Lang,
    pub csrf: String,
    /// A CSRF cookie to set, when the browser had none.
    pub new_cookie: Option<Cookie<'static>>,
}

#[derive(Template)]
#[template(path = "refused.html")]
struct Refused<'a> {
    username: &'a str,
}

fn to_login(parts: &Parts) -> Response {
    let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/sysadmin/");
    let target: String = form_urlencoded::Serializer::new(String::new()).append_pair("next", next).finish();
    let location = HeaderValue::from_str(&format!("/accounts/login/?{target}"))
        .unwrap_or(HeaderValue::from_static("/accounts/login/"));
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

impl FromRequestParts<AppState> for Sysadmin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = BrowserSession::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let Some(user) = session.user else { return Err(to_login(parts)) };
        let Some(superuser) = user.as_superuser() else {
            let page = Refused { username: &user.username }.render().unwrap_or_default();
            return Err((StatusCode::FORBIDDEN, Html(page)).into_response());
        };
        let jar = CookieJar::from_headers(&parts.headers);
        let (csrf, new_cookie) = match sessions::csrf_cookie(&jar) {
            Some(token) => (token, None),
            None => {
                let cookie = sessions::new_csrf_cookie(state);
                (cookie.value().to_owned(), Some(cookie))
            }
        };
        let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        Ok(Sysadmin { user, superuser, lang: crate::i18n::Lang::from_accept_language(accept), csrf, new_cookie })
    }
}

impl Sysadmin {
    /// A page, with the CSRF cookie when it is new.
    pub fn page(&self, html: String) -> Response {
        let mut response = Html(html).into_response();
        if let Some(cookie) = &self.new_cookie {
            if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        response
    }
}

/// A posted form whose CSRF token matched: its fields in order (repeated names repeat).
pub struct CheckedForm(pub Vec<(String, String)>);

impl CheckedForm {
    /// The named fields as a form body, as the API reads a form posted to it (repeated
    /// names repeat; values as typed).
    pub fn body(&self, names: &[&str]) -> hp_api::body::Body {
        let pairs = self.0.iter().filter(|(k, _)| names.contains(&k.as_str()));
        hp_api::body::Body::from_pairs(pairs.map(|(k, v)| (k.as_str(), v.as_str())))
    }

    pub fn get(&self, name: &str) -> String {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
    }

    /// The value as sent, untrimmed (passwords may begin or end with spaces).
    pub fn raw(&self, name: &str) -> String {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    pub fn checked(&self, name: &str) -> bool {
        self.get(name) == "true"
    }
}

impl FromRequest<AppState> for CheckedForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let origin = request.extensions().get::<RequestOrigin>().cloned();
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let submitted = pairs.iter().find(|(k, _)| k == sessions::CSRF_FIELD).map(|(_, v)| v.as_str());
        if let Some(refused) = csrf_refusal(state, &headers, origin.as_ref(), submitted) {
            return Err(refused);
        }
        Ok(CheckedForm(pairs))
    }
}

/// The refusal (403) of a post that fails CSRF protection: a cross-site origin or a wrong
/// token; `None` when it passes.
pub fn csrf_refusal(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    origin: Option<&RequestOrigin>,
    submitted: Option<&str>,
) -> Option<Response> {
    let fallback = RequestOrigin { scheme: "http", host: "localhost".into() };
    sessions::csrf_problem(headers, origin.unwrap_or(&fallback), state, submitted).map(|problem| {
        (
            StatusCode::FORBIDDEN,
            Html(format!(
                "<!doctype html><html lang=\"en\"><title>403 Forbidden</title><h1>403 Forbidden</h1>\
                 <p>CSRF verification failed ({}). Reload the form and try again.</p>",
                problem.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
            )),
        )
            .into_response()
    })
}

/// Where to go after a successful post.
pub fn see_other(url: &str) -> Response {
    let location = HeaderValue::from_str(url).unwrap_or(HeaderValue::from_static("/sysadmin/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}
