//! URLs, versions, trailing slashes, methods, OPTIONS, `Allow` and CORS.

use crate::support::{HobbySpec, TestApp};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn api_roots_link_to_mobile_api_of_their_version() {
    let app = TestApp::spawn().await;
    let resources = ["hobbies", "hobbycategories", "hobbyevents", "organizers", "locations", "promotions", "benefits"];
    for (path, version) in [
        ("/api/", "pre2"),
        ("/mobile-api/", "pre2"),
        ("/api/v1/", "v1"),
        ("/api/pre1/", "pre1"),
        ("/mobile-api/pre2/", "pre2"),
    ] {
        let root = app.get_json(path).await;
        let keys: Vec<&String> = root.as_object().unwrap().keys().collect();
        assert_eq!(keys, resources, "{path}");
        for resource in resources {
            assert_eq!(root[resource], json!(format!("{}/mobile-api/{version}/{resource}/", app.address)));
        }
    }
}

#[tokio::test]
async fn unknown_paths_are_html_404() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/nonexistent/",
        "/api/v2/hobbies/",
        "/api/v1/hobbyEvents/12/",
        "/foo/api/v1/hobbies/",
        "/api/v1/hobbies/1/extra/",
    ] {
        let response = app.get(path).await;
        response.assert_status(404);
        assert!(response.header("content-type").unwrap().starts_with("text/html"), "{path}");
    }
}

#[tokio::test]
async fn missing_trailing_slash_redirects_with_the_query_untouched() {
    let app = TestApp::spawn().await;
    let hobby = app.hobby("H", HobbySpec::default()).await;
    let cases = [
        (
            "/mobile-api/v1/hobbyevents?include=hobby_detail&include=location_detail&search",
            "/mobile-api/v1/hobbyevents/?include=hobby_detail&include=location_detail&search",
        ),
        ("/mobile-api/v1/hobbyevents/31?include=hobby_detail", "/mobile-api/v1/hobbyevents/31/?include=hobby_detail"),
        ("/api/hobbies", "/api/hobbies/"),
        ("/api", "/api/"),
        ("/api/v1/hobbies?a=%20b&&c=d+e&a=1", "/api/v1/hobbies/?a=%20b&&c=d+e&a=1"),
    ];
    for (from, to) in cases {
        let response = app.get(from).await;
        response.assert_status(301);
        assert_eq!(response.header("location"), Some(to), "{from}");
    }
    let head = app.request(Method::HEAD, &format!("/api/hobbies/{hobby}"), &[], None).await;
    head.assert_status(301);
    assert_eq!(head.header("location"), Some(format!("/api/hobbies/{hobby}/").as_str()));
    // Only for routes that exist, and only for reads.
    app.get("/api/nothing").await.assert_status(404);
    app.request(Method::POST, "/api/hobbies", &[], None).await.assert_status(404);
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let app = TestApp::spawn().await;
    app.hobby("H", HobbySpec::default()).await;
    let head = app.request(Method::HEAD, "/api/v1/hobbies/", &[], None).await;
    head.assert_status(200);
    assert_eq!(head.header("content-type"), Some("application/json"));
    assert_eq!(head.text, "");
}

#[tokio::test]
async fn allow_header_and_method_checks() {
    let app = TestApp::spawn().await;
    let hobby = app.hobby("H", HobbySpec::default()).await;
    let category = app.category("C", None).await;
    let cases = [
        ("/api/hobbies/".to_owned(), "GET, POST, HEAD, OPTIONS"),
        (format!("/api/v1/hobbies/{hobby}/"), "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"),
        ("/api/hobbycategories/".to_owned(), "GET, HEAD, OPTIONS"),
        (format!("/api/hobbycategories/{category}/"), "GET, HEAD, OPTIONS"),
        ("/api/".to_owned(), "GET, HEAD, OPTIONS"),
    ];
    for (path, allow) in &cases {
        assert_eq!(app.get(path).await.header("allow"), Some(*allow), "{path}");
    }
    // Even on a 404 of an API view.
    assert_eq!(app.get("/api/hobbies/999/").await.header("allow"), Some("GET, PUT, PATCH, DELETE, HEAD, OPTIONS"));
    // Anonymous writes are 401 before the method is looked at.
    let anonymous = app.request(Method::POST, "/api/hobbycategories/", &[], None).await;
    anonymous.assert_status(401);
    assert_eq!(anonymous.json(), json!({"detail": "Autentikaatiotunnuksia ei annettu."}));
    assert_eq!(anonymous.header("www-authenticate"), Some("Bearer realm=\"api\""));
    assert_eq!(anonymous.header("allow"), Some("GET, HEAD, OPTIONS"));
    app.request(Method::DELETE, "/api/hobbies/", &[], None).await.assert_status(401);
    app.request(Method::PUT, "/api/", &[], None).await.assert_status(401);
    // Unknown methods are 405 for anyone.
    let patch = app.request(Method::from_bytes(b"PURGE").unwrap(), "/api/hobbies/", &[], None).await;
    assert!(patch.status.as_u16() == 401 || patch.status.as_u16() == 405);
}

#[tokio::test]
async fn options_describes_the_endpoint() {
    let app = TestApp::spawn().await;
    let list = app.request(Method::OPTIONS, "/api/hobbies/", &[], None).await;
    list.assert_status(200);
    assert_eq!(
        list.json(),
        json!({"name": "Hobby List", "description": "", "renders": ["application/json", "text/html"],
               "parses": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]})
    );
    let detail = app.request(Method::OPTIONS, "/api/v1/hobbyevents/1/", &[], None).await;
    assert_eq!(detail.json()["name"], json!("Hobby Event Instance"));
    assert_eq!(detail.header("allow"), Some("GET, PUT, PATCH, DELETE, HEAD, OPTIONS"));
}

#[tokio::test]
async fn cors_for_the_configured_origin_only_and_on_errors_too() {
    let app = TestApp::spawn().await;
    let origin = "http://localhost:3000";
    let ok = app.request(Method::GET, "/api/v1/hobbies/", &[("origin", origin)], None).await;
    assert_eq!(ok.header("access-control-allow-origin"), Some(origin));
    assert_eq!(ok.header("access-control-allow-credentials"), Some("true"));
    let error = app.request(Method::GET, "/api/v1/hobbies/999/", &[("origin", origin)], None).await;
    error.assert_status(404);
    assert_eq!(error.header("access-control-allow-origin"), Some(origin));
    let unauthorized = app.request(Method::POST, "/api/v1/hobbies/", &[("origin", origin)], None).await;
    unauthorized.assert_status(401);
    assert_eq!(unauthorized.header("access-control-allow-origin"), Some(origin));
    let preflight = app
        .request(
            Method::OPTIONS,
            "/api/v1/hobbies/",
            &[
                ("origin", origin),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "authorization,content-type"),
            ],
            None,
        )
        .await;
    preflight.assert_status(200);
    assert_eq!(preflight.header("access-control-allow-origin"), Some(origin));
    let allowed_headers = preflight.header("access-control-allow-headers").unwrap().to_ascii_lowercase();
    assert!(allowed_headers.contains("authorization") && allowed_headers.contains("content-type"));
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("PUT"));
    let stranger = app.request(Method::GET, "/api/v1/hobbies/", &[("origin", "https://evil.example")], None).await;
    stranger.assert_status(200);
    assert_eq!(stranger.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn json_format_suffix_is_served() {
    let app = TestApp::spawn().await;
    let hobby = app.hobby("H", HobbySpec::default()).await;
    assert_eq!(app.get_json("/api/hobbies.json").await.as_array().unwrap().len(), 1);
    assert_eq!(app.get_json(&format!("/api/v1/hobbies/{hobby}.json")).await["id"], json!(hobby));
    app.get("/api/hobbies.xml").await.assert_status(404);
}
