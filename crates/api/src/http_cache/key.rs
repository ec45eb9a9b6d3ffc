//! Which requests the response cache may answer, and what their answers depend on.

use axum::http::{header, HeaderMap, Method, Request};

/// How a GET of the API is answered with respect to caches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Anonymous: the same for everyone who sends the same key; kept and `public`.
    Public(String),
    /// Signed in, or `editable_only`: never kept, `private, no-store`.
    Private,
}

/// The request headers whose values shape an answer: the host and scheme of absolute links
/// (`Host` and the forwarding headers of trusted proxies), the CORS headers (`Origin`) and
/// the language. (Compression happens outside, on the kept answer.)
const SHAPING_HEADERS: [header::HeaderName; 6] = [
    header::HOST,
    header::HeaderName::from_static("x-forwarded-host"),
    header::HeaderName::from_static("x-forwarded-proto"),
    header::FORWARDED,
    header::ORIGIN,
    header::ACCEPT_LANGUAGE,
];

/// Whether this is a read of the JSON API (`/api/…`, `/mobile-api/…`) and for whom; `None`
/// for everything else (writes, pages, images, operations), which passes untouched.
pub fn audience<B>(request: &Request<B>) -> Option<Audience> {
    if request.method() != Method::GET {
        return None;
    }
    let path = request.uri().path();
    if !(path.starts_with("/api/") || path.starts_with("/mobile-api/")) {
        return None;
    }
    let query = request.uri().query().unwrap_or("");
    if has_credentials(request.headers()) || asks_editable_only(query) {
        return Some(Audience::Private);
    }
    Some(Audience::Public(key(path, query, request.headers())))
}

/// Credentials of either kind; whether they are valid does not matter, an answer to them is
/// not for others.
fn has_credentials(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION)
        || headers
            .get_all(header::COOKIE)
            .iter()
            .any(|cookie| cookie.to_str().map_or(true, |c| c.contains(crate::auth::sessions::SESSION_COOKIE)))
}

fn asks_editable_only(query: &str) -> bool {
    form_urlencoded::parse(query.as_bytes()).any(|(name, _)| name == "editable_only")
}

/// The path, the query with its parameters in a stable order (each name's values keep their
/// order, which some parameters depend on) and the shaping headers.
fn key(path: &str, query: &str, headers: &HeaderMap) -> String {
    let mut pairs: Vec<&str> = query.split('&').filter(|pair| !pair.is_empty()).collect();
    pairs.sort_by_key(|pair| pair.split_once('=').map_or(*pair, |(name, _)| name));
    let mut key = format!("{path}?{}", pairs.join("&"));
    for name in &SHAPING_HEADERS {
        key.push('\n');
        for value in headers.get_all(name) {
            key.push_str(&String::from_utf8_lossy(value.as_bytes()));
            key.push(',');
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::{audience, Audience};
    use axum::http::Request;

    fn of(uri: &str, headers: &[(&str, &str)]) -> Option<Audience> {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        audience(&request.body(()).unwrap())
    }

    #[test]
    fn the_order_of_different_parameters_does_not_matter_but_the_order_of_one_parameters_values_does() {
        assert_eq!(of("/api/v1/hobbies/?a=1&b=2", &[]), of("/api/v1/hobbies/?b=2&a=1", &[]));
        assert_ne!(of("/api/v1/hobbies/?o=1&o=2", &[]), of("/api/v1/hobbies/?o=2&o=1", &[]));
        assert_ne!(of("/api/v1/hobbies/", &[("host", "a.fi")]), of("/api/v1/hobbies/", &[("host", "b.fi")]));
        assert_ne!(
            of("/api/v1/hobbies/", &[("accept-language", "sv")]),
            of("/api/v1/hobbies/", &[("accept-language", "fi")])
        );
    }

    #[test]
    fn credentials_and_editable_only_make_an_answer_private_and_other_paths_are_not_api_reads() {
        assert_eq!(of("/api/v1/hobbies/", &[("authorization", "Bearer x")]), Some(Audience::Private));
        assert_eq!(of("/api/v1/hobbies/", &[("cookie", "sessionid=abc")]), Some(Audience::Private));
        assert_eq!(of("/api/v1/hobbies/?editable_only=false", &[]), Some(Audience::Private));
        assert!(matches!(of("/api/v1/hobbies/", &[("cookie", "csrftoken=abc")]), Some(Audience::Public(_))));
        assert_eq!(of("/sysadmin/", &[]), None);
        assert_eq!(of("/media/a.png", &[]), None);
    }
}
