//! The sysadmin pages over HTTP (the browser test in `tests/browser/` drives them in
//! Chromium): who gets in, CSRF on every form, and changes visible in the API at once.

use crate::auth::login;
use crate::support::{TestApp, UserSpec};
use reqwest::Method;
use serde_json::json;

fn csrf_of(cookie: &str) -> String {
    cookie.split("; ").find_map(|c| c.strip_prefix("csrftoken=")).expect("a CSRF cookie").to_owned()
}

async fn post_form(app: &TestApp, cookie: &str, path: &str, fields: &[(&str, &str)]) -> crate::support::TestResponse {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    app.request(
        Method::POST,
        path,
        &[("cookie", cookie)],
        Some(("application/x-www-form-urlencoded", body.into_bytes())),
    )
    .await
}

#[tokio::test]
async fn only_superusers_get_in() {
    let app = TestApp::spawn().await;
    let anonymous = app.get("/sysadmin/users/?q=a").await;
    anonymous.assert_status(302);
    assert_eq!(anonymous.header("location"), Some("/accounts/login/?next=%2Fsysadmin%2Fusers%2F%3Fq%3Da"));

    let staff = app.user("staff", UserSpec { staff: true, ..Default::default() }).await;
    let cookie = login(&app, "staff", &staff.password).await;
    let refused = app.request(Method::GET, "/sysadmin/", &[("cookie", &cookie)], None).await;
    refused.assert_status(403);
    assert!(refused.text.contains("superusers only"));

    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let cookie = login(&app, "root", &admin.password).await;
    let dashboard = app.request(Method::GET, "/sysadmin/", &[("cookie", &cookie)], None).await;
    dashboard.assert_status(200);
    assert!(dashboard.text.contains("<h1>Administration</h1>"));
    assert!(dashboard.text.contains(r#"<a href="/sysadmin/users/">Users</a>: 2"#), "{}", dashboard.text);
}

#[tokio::test]
async fn forms_need_the_csrf_token_and_write_through_the_api_rules() {
    let app = TestApp::spawn().await;
    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let cookie = login(&app, "root", &admin.password).await;
    let csrf = csrf_of(&cookie);

    let forged = post_form(
        &app,
        &cookie,
        "/sysadmin/organizers/new/",
        &[("name", "Seura"), ("csrfmiddlewaretoken", "x".repeat(32).as_str())],
    )
    .await;
    forged.assert_status(403);
    assert_eq!(app.get_json("/api/organizers/").await, json!([]));

    // A field error is shown next to its field, and nothing is written.
    let invalid =
        post_form(&app, &cookie, "/sysadmin/organizers/new/", &[("name", ""), ("csrfmiddlewaretoken", &csrf)]).await;
    invalid.assert_status(200);
    assert!(
        invalid.text.contains(r#"<ul class="errorlist" id="err_name"><li>Tämä kenttä ei voi olla tyhjä.</li></ul>"#),
        "{}",
        invalid.text
    );
    let created =
        post_form(&app, &cookie, "/sysadmin/organizers/new/", &[("name", "Seura"), ("csrfmiddlewaretoken", &csrf)])
            .await;
    created.assert_status(303);
    let organizers = app.get_json("/api/organizers/").await;
    assert_eq!(organizers[0]["name"], json!("Seura"));

    // A location with coordinates, a hobby and an event: all in the API at once.
    let location = post_form(
        &app,
        &cookie,
        "/sysadmin/locations/new/",
        &[("name", "Halli"), ("city", "Helsinki"), ("lat", "60.17"), ("lon", "24.94"), ("csrfmiddlewaretoken", &csrf)],
    )
    .await;
    location.assert_status(303);
    let location_id = app.get_json("/api/locations/").await[0]["id"].as_i64().unwrap();
    let hobby = post_form(
        &app,
        &cookie,
        "/sysadmin/hobbies/new/",
        &[
            ("name", "Sulkapallo"),
            ("location", &location_id.to_string()),
            ("price_type", "paid"),
            ("price_amount", "0"),
            ("csrfmiddlewaretoken", &csrf),
        ],
    )
    .await;
    hobby.assert_status(200);
    assert!(hobby.text.contains("errorlist"), "paid at 0 refused as by the API");
    let hobby = post_form(
        &app,
        &cookie,
        "/sysadmin/hobbies/new/",
        &[
            ("name", "Sulkapallo"),
            ("location", &location_id.to_string()),
            ("price_type", "paid"),
            ("price_amount", "15"),
            ("csrfmiddlewaretoken", &csrf),
        ],
    )
    .await;
    hobby.assert_status(303);
    let url = hobby.header("location").unwrap().to_owned();
    let event = post_form(
        &app,
        &cookie,
        &format!("{url}events/"),
        &[
            ("start_date", "2022-03-01"),
            ("start_time", "17:00"),
            ("end_date", "2022-03-01"),
            ("end_time", "18:00"),
            ("csrfmiddlewaretoken", &csrf),
        ],
    )
    .await;
    event.assert_status(303);
    let listed = app.get_json("/api/v1/hobbyevents/?include=hobby_detail").await;
    assert_eq!(listed["results"][0]["hobby"]["name"], json!("Sulkapallo"));
    assert_eq!(listed["results"][0]["hobby"]["price_amount"], json!("15.00"));
    assert_eq!(listed["results"][0]["hobby"]["location"]["coordinates"]["coordinates"], json!([24.94, 60.17]));
}
