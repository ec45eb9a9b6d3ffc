//! Conditional GET and the response cache: validators and caching headers on every read,
//! anonymous answers kept until a write commits (on any replica) or the minute passes, and
//! signed-in answers never kept nor public.

use crate::support::{HobbySpec, PromotionSpec, TestApp, UserSpec};
use reqwest::Method;
use serde_json::json;

/// The ETag and the cache's verdict of an anonymous GET that must answer 200.
async fn tag(app: &TestApp, path: &str) -> (String, String) {
    let response = app.get(path).await;
    response.assert_status(200);
    (response.header("etag").expect("etag").to_owned(), response.header("x-cache").unwrap_or("").to_owned())
}

#[tokio::test]
async fn anonymous_reads_are_kept_tagged_and_answered_304_until_their_data_changes() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer("Seura").await;
    let location = app.location("Halli", Some((24.9, 60.2)), None).await;
    let municipality = app.municipality("Kuvala").await;
    let spec = HobbySpec {
        organizer: Some(organizer),
        location: Some(location),
        municipality: Some(municipality),
        ..Default::default()
    };
    let hobby = app.hobby("Sähly", spec).await;

    let first = app.get("/api/v1/hobbies/?page_size=5&price_type=free").await;
    first.assert_status(200);
    let etag = first.header("etag").expect("etag").to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() == 34, "{etag}");
    assert_eq!(first.header("cache-control"), Some("public, max-age=60"));
    assert_eq!(first.header("vary"), Some("Origin, Accept-Language, Accept-Encoding"));
    assert_eq!(first.header("x-cache"), Some("miss"));
    let last_modified = first.header("last-modified").expect("last-modified").to_owned();

    // The same request, and the same parameters in another order, come from the cache.
    let again = app.get("/api/v1/hobbies/?price_type=free&page_size=5").await;
    assert_eq!((again.header("x-cache"), again.header("etag")), (Some("hit"), Some(etag.as_str())));
    assert_eq!(again.text, first.text);

    let current = app
        .request(Method::GET, "/api/v1/hobbies/?page_size=5&price_type=free", &[("if-none-match", &etag)], None)
        .await;
    current.assert_status(304);
    assert_eq!((current.header("etag"), current.text.as_str()), (Some(etag.as_str()), ""));
    assert_eq!(current.header("cache-control"), Some("public, max-age=60"));
    let unchanged_since = app
        .request(
            Method::GET,
            "/api/v1/hobbies/?page_size=5&price_type=free",
            &[("if-modified-since", &last_modified)],
            None,
        )
        .await;
    unchanged_since.assert_status(304);
    let other_tag = app
        .request(Method::GET, "/api/v1/hobbies/?page_size=5&price_type=free", &[("if-none-match", "\"x\"")], None)
        .await;
    other_tag.assert_status(200);
    assert_eq!(other_tag.text, first.text);

    // A sign-in writes, but nothing any answer shows: the kept answer stays.
    let admin = app.user("admin", UserSpec { superuser: true, ..Default::default() }).await;
    let (_, verdict) = tag(&app, "/api/v1/hobbies/?page_size=5&price_type=free").await;
    assert_eq!(verdict, "hit");

    // Each kind of write changes the tag of the answer that shows it, at once.
    let changes_tag = |path: &'static str| {
        let app = &app;
        async move { tag(app, path).await.0 }
    };
    let before = changes_tag("/api/v1/hobbies/?page_size=5&price_type=free").await;
    app.patch_json(&format!("/api/v1/hobbies/{hobby}/"), Some(&admin.bearer), &json!({"name": "Salibandy"}))
        .await
        .assert_status(200);
    let (after, verdict) = tag(&app, "/api/v1/hobbies/?page_size=5&price_type=free").await;
    assert_ne!(before, after);
    assert_eq!(verdict, "miss");
    assert!(app.get_json("/api/v1/hobbies/?page_size=5&price_type=free").await.to_string().contains("Salibandy"));

    let events = format!("/api/v1/hobbyevents/?hobby={hobby}");
    let before = tag(&app, &events).await.0;
    app.event(hobby, ("2099-01-05", "17:00"), ("2099-01-05", "18:00")).await;
    assert_ne!(before, tag(&app, &events).await.0, "event");

    let promotion = app.promotion("Kokeilu", PromotionSpec::new(organizer, location)).await;
    let before = tag(&app, "/api/v1/promotions/").await.0;
    let user = app.user("nuori", UserSpec::default()).await;
    app.post_json("/api/v1/benefits/", Some(&user.bearer), &json!({"promotion": promotion})).await.assert_status(201);
    assert_ne!(before, tag(&app, "/api/v1/promotions/").await.0, "redemption");

    let before = tag(&app, "/api/v1/hobbycategories/").await.0;
    app.category("Pallopelit", None).await;
    assert_ne!(before, tag(&app, "/api/v1/hobbycategories/").await.0, "category");

    let before = tag(&app, "/api/v1/organizers/").await.0;
    app.patch_json(&format!("/api/v1/organizers/{organizer}/"), Some(&admin.bearer), &json!({"name": "Uusi seura"}))
        .await
        .assert_status(200);
    assert_ne!(before, tag(&app, "/api/v1/organizers/").await.0, "organizer");

    let before = tag(&app, "/api/v1/locations/").await.0;
    app.patch_json(&format!("/api/v1/locations/{location}/"), Some(&admin.bearer), &json!({"name": "Uusi halli"}))
        .await
        .assert_status(200);
    assert_ne!(before, tag(&app, "/api/v1/locations/").await.0, "location");

    // A moderator change shows in what the new moderator may edit, and ends kept answers.
    let moderator = app.user("valvoja", UserSpec::default()).await;
    let editable = "/api/v1/hobbies/?editable_only=true";
    let mine = app.get_as(editable, &moderator.bearer).await;
    mine.assert_status(200);
    assert_eq!(mine.json()["count"], 0);
    let (mine_before, kept) = (mine.header("etag").unwrap().to_owned(), tag(&app, "/api/v1/hobbies/").await);
    assert_eq!(tag(&app, "/api/v1/hobbies/").await.1, "hit", "{kept:?}");
    let mut tx = app.db.begin().await.unwrap();
    hp_db::municipalities::add_moderator(&mut tx, municipality, moderator.id).await.unwrap();
    tx.commit().await.unwrap();
    let mine = app.get_as(editable, &moderator.bearer).await;
    assert_ne!(mine.header("etag").unwrap(), mine_before, "moderator");
    assert_eq!(mine.json()["count"], 1);
    assert_eq!(tag(&app, "/api/v1/hobbies/").await.1, "miss", "a moderator change ends kept answers");
}

#[tokio::test]
async fn signed_in_and_editable_answers_are_private_and_never_kept() {
    let app = TestApp::spawn().await;
    app.hobby("Sähly", HobbySpec::default()).await;
    let user = app.user("nuori", UserSpec::default()).await;
    for _ in 0..2 {
        let response = app.get_as("/api/v1/hobbies/", &user.bearer).await;
        response.assert_status(200);
        assert_eq!(response.header("cache-control"), Some("private, no-store"));
        assert_eq!(response.header("x-cache"), None);
        assert!(response.header("etag").is_some());
    }
    let editable = app.get("/api/v1/hobbies/?editable_only=true").await;
    assert_eq!((editable.header("cache-control"), editable.header("x-cache")), (Some("private, no-store"), None));
    // Writes and pages outside the JSON API are left alone.
    let page = app.get("/accounts/login/").await;
    assert_eq!(page.header("x-cache"), None);
}

#[tokio::test]
async fn an_answer_that_depends_on_now_changes_when_its_minute_passes() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer("Seura").await;
    let location = app.location("Halli", Some((24.9, 60.2)), None).await;
    // Ends at 16:01: shown until then, gone just after (spec: "ended" is before now).
    let mut spec = PromotionSpec::new(organizer, location);
    spec.end = ("2022-02-22", "16:01");
    app.promotion("Kokeilu", spec).await;
    let current = "/api/v1/promotions/?exclude_past_events=true";
    let at = |text: &str| {
        hp_domain::time::local_to_utc(chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").unwrap())
    };
    app.clock.set(at("2022-02-22 16:00:00.5"));
    assert_eq!(app.get_json(current).await.as_array().unwrap().len(), 1);
    assert_eq!(tag(&app, current).await.1, "hit");
    app.clock.set(at("2022-02-22 16:01:00.0"));
    assert_eq!(tag(&app, current).await.1, "hit", "the same minute: still not ended");
    app.clock.set(at("2022-02-22 16:01:00.5"));
    let later = app.get(current).await;
    assert_eq!(later.header("x-cache"), Some("miss"));
    assert_eq!(later.json(), json!([]));
}

#[tokio::test]
async fn a_write_through_one_replica_is_seen_by_the_next_request_to_the_other() {
    let app = TestApp::spawn().await;
    let other = app.replica().await;
    let admin = app.user("admin", UserSpec { superuser: true, ..Default::default() }).await;
    let client = reqwest::Client::new();
    let names = |address: String| {
        let client = client.clone();
        async move {
            let response = client.get(format!("{address}/api/v1/hobbies/")).send().await.unwrap();
            let cache = response.headers().get("x-cache").unwrap().to_str().unwrap().to_owned();
            let body: serde_json::Value = response.json().await.unwrap();
            let names: Vec<String> =
                body["results"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap().to_owned()).collect();
            (names, cache)
        }
    };
    for round in 0..5 {
        assert_eq!(names(other.clone()).await.0.len(), round);
        assert_eq!(names(other.clone()).await.1, "hit", "kept on the other replica");
        let name = format!("Harrastus {round}");
        app.post_json("/api/v1/hobbies/", Some(&admin.bearer), &json!({"name": name, "description": "x"}))
            .await
            .assert_status(201);
        let (seen, cache) = names(other.clone()).await;
        assert_eq!(seen.len(), round + 1, "round {round}");
        assert!(seen.contains(&name));
        assert_eq!(cache, "miss");
    }
}
