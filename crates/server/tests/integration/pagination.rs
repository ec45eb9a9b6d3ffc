//! The v1 page envelope: sizes and their limits, page numbers, absolute links.

use crate::support::{ids, HobbySpec, TestApp};
use serde_json::json;

async fn hobbies(app: &TestApp, count: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..count {
        ids.push(app.hobby(&format!("Hobby {i}"), HobbySpec::default()).await);
    }
    ids
}

#[tokio::test]
async fn pages_link_to_each_other_with_every_parameter() {
    let app = TestApp::spawn_with(crate::support::behind_proxy()).await;
    let all = hobbies(&app, 5).await;
    let first = app.get_json("/api/v1/hobbies/?page_size=2").await;
    assert_eq!(first["count"], json!(5));
    assert_eq!(ids(&first), all[..2]);
    assert_eq!(first["previous"], json!(null));
    let next = first["next"].as_str().unwrap();
    assert_eq!(next, format!("{}/api/v1/hobbies/?page=2&page_size=2", app.address));
    let second = app.get_json(next.strip_prefix(&app.address).unwrap()).await;
    assert_eq!(ids(&second), all[2..4]);
    // The link to page 1 drops `page`.
    assert_eq!(second["previous"], json!(format!("{}/api/v1/hobbies/?page_size=2", app.address)));
    let last = app.get_json("/api/v1/hobbies/?page_size=2&page=3").await;
    assert_eq!(ids(&last), all[4..]);
    assert_eq!(last["next"], json!(null));
    assert_eq!(app.get_json("/api/v1/hobbies/?page_size=2&page=last").await, last);
    // Parameters sorted by name, empty components dropped, value-less ones kept as `x=`.
    let odd = app.get_json("/api/v1/hobbies/?page_size=1&zeta=a%20b:c&&search&alpha=1&alpha=2").await;
    assert_eq!(
        odd["next"],
        json!(format!("{}/api/v1/hobbies/?alpha=1&alpha=2&page=2&page_size=1&search=&zeta=a+b%3Ac", app.address))
    );
    // Behind a TLS proxy the links are https, on the forwarded host.
    let proxied = app
        .request(
            reqwest::Method::GET,
            "/api/v1/hobbies/?page_size=2",
            &[("x-forwarded-proto", "https"), ("host", "api.example.fi")],
            None,
        )
        .await;
    assert_eq!(proxied.json()["next"], json!("https://api.example.fi/api/v1/hobbies/?page=2&page_size=2"));
}

#[tokio::test]
async fn page_size_is_capped_at_500_and_bad_values_fall_back() {
    let app = TestApp::spawn().await;
    hobbies(&app, 3).await;
    for size in ["0", "-1", "abc", "1000000000", "99999999999999999999", ""] {
        let page = app.get_json(&format!("/api/v1/hobbies/?page_size={size}")).await;
        assert_eq!(page["results"].as_array().unwrap().len(), 3, "page_size={size}");
        assert_eq!(page["next"], json!(null), "page_size={size}");
    }
    // pre2 ignores paging.
    assert_eq!(app.get_json("/api/hobbies/?page_size=1&page=2").await.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn pages_that_do_not_exist_are_404() {
    let app = TestApp::spawn().await;
    // Page 1 of nothing exists.
    assert_eq!(
        app.get_json("/api/v1/hobbies/").await,
        json!({"count": 0, "next": null, "previous": null, "results": []})
    );
    hobbies(&app, 2).await;
    for page in ["0", "-1", "abc", "1.0", "3", "99999999999999999999"] {
        let response = app.get(&format!("/api/v1/hobbies/?page_size=1&page={page}")).await;
        response.assert_status(404);
        assert_eq!(response.json(), json!({"detail": "Epäkelpo sivu."}), "page={page}");
    }
    app.get("/mobile-api/v1/hobbyevents/?page=2").await.assert_status(404);
}

#[tokio::test]
async fn hobby_events_are_paged_with_filters_kept() {
    let app = TestApp::spawn().await;
    let mut events = Vec::new();
    for i in 0..3 {
        let hobby = app.hobby(&format!("H{i}"), HobbySpec::default()).await;
        events.push(app.event(hobby, ("2022-02-23", "10:00"), ("2022-02-23", "11:00")).await);
    }
    let first = app.get_json("/mobile-api/v1/hobbyevents/?ordering=start_date&page_size=2&include=hobby_detail").await;
    assert_eq!(first["count"], json!(3));
    let next = first["next"].as_str().unwrap();
    assert!(next.contains("include=hobby_detail") && next.contains("ordering=start_date") && next.contains("page=2"));
    let second = app.get_json(next.strip_prefix(&app.address).unwrap()).await;
    assert_eq!(ids(&second), events[2..]);
    assert_eq!(second["results"][0]["hobby"]["name"], json!("H2"));
}
