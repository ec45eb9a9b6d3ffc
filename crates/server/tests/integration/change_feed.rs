//! The change feed `/api/v1/changes/`: every object's latest change in a stable order,
//! tombstones of deleted ones, and a `next` that no later commit can pass.

use crate::support::{HobbySpec, TestApp, UserSpec};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a consumer knows: (kind, id) → the object, or `None` when deleted.
type Mirror = BTreeMap<(String, i64), Option<Value>>;

/// Follows `next` from `url` until a page is empty; returns the URL to poll next.
async fn follow(app: &TestApp, mut url: String, mirror: &mut Mirror, last_change: &mut i64) -> String {
    loop {
        let page = app.get_json(url.strip_prefix(&app.address).expect("absolute next")).await;
        let items = page["items"].as_array().expect("items");
        for item in items {
            let change = item["change"].as_i64().unwrap();
            assert!(change > *last_change, "change numbers only grow: {change} after {last_change}");
            *last_change = change;
            let key = (item["kind"].as_str().unwrap().to_owned(), item["id"].as_i64().unwrap());
            let data = match item["state"].as_str() {
                Some("updated") => Some(item["data"].clone()),
                Some("deleted") => None,
                other => panic!("state {other:?}"),
            };
            mirror.insert(key, data);
        }
        let next = page["next"].as_str().expect("next").to_owned();
        if items.is_empty() {
            assert_eq!(next, url, "an empty page points at itself");
            return next;
        }
        url = next;
    }
}

#[tokio::test]
async fn a_consumer_following_the_feed_while_writers_work_ends_with_the_servers_state() {
    let app = TestApp::spawn().await;
    let admin = app.user("admin", UserSpec { superuser: true, ..Default::default() }).await;
    let first = app.get_json("/api/v1/changes/").await;
    assert_eq!(first["license"], "https://creativecommons.org/licenses/by/4.0/");
    let done = AtomicBool::new(false);
    let mut mirror = Mirror::new();
    let mut last = 0;
    let start = format!("{}/api/v1/changes/?since=0&limit=7", app.address);
    let writer = |n: usize| {
        let (app, admin) = (&app, &admin);
        async move {
            for i in 0..12 {
                let created = app
                    .post_json(
                        "/api/v1/hobbies/",
                        Some(&admin.bearer),
                        &json!({"name": format!("H{n}-{i}"), "description": "x"}),
                    )
                    .await;
                created.assert_status(201);
                let id = created.json()["id"].as_i64().unwrap();
                let path = format!("/api/v1/hobbies/{id}/");
                app.patch_json(&path, Some(&admin.bearer), &json!({"name": format!("H{n}-{i} muutettu")}))
                    .await
                    .assert_status(200);
                if i % 3 == 0 {
                    app.delete(&path, Some(&admin.bearer)).await.assert_status(204);
                }
                if i % 4 == 0 {
                    app.organizer(&format!("Seura {n}-{i}")).await;
                }
            }
        }
    };
    let writers = async {
        tokio::join!(writer(0), writer(1), writer(2));
        done.store(true, Ordering::SeqCst);
    };
    let consumer = async {
        let mut url = start.clone();
        while !done.load(Ordering::SeqCst) {
            url = follow(&app, url, &mut mirror, &mut last).await;
            tokio::task::yield_now().await;
        }
        // The writers are done: one more pass takes what they committed last.
        follow(&app, url, &mut mirror, &mut last).await;
    };
    tokio::join!(writers, consumer);

    let hobbies: Vec<Value> =
        app.get_json("/api/v1/hobbies/?page_size=500").await["results"].as_array().unwrap().clone();
    assert_eq!(hobbies.len(), 3 * 8, "12 made, 4 deleted, by each of 3 writers");
    let live: BTreeMap<i64, &Value> = hobbies.iter().map(|h| (h["id"].as_i64().unwrap(), h)).collect();
    let mirrored: BTreeMap<i64, &Value> = mirror
        .iter()
        .filter(|((kind, _), data)| kind == "hobby" && data.is_some())
        .map(|((_, id), data)| (*id, data.as_ref().unwrap()))
        .collect();
    assert_eq!(mirrored.keys().collect::<Vec<_>>(), live.keys().collect::<Vec<_>>());
    for (id, hobby) in &live {
        assert_eq!(mirrored[id]["name"], hobby["name"], "hobby {id}");
        assert!(hobby["name"].as_str().unwrap().ends_with("muutettu"));
    }
    let deleted = mirror.iter().filter(|((kind, _), data)| kind == "hobby" && data.is_none()).count();
    assert_eq!(deleted, 3 * 4, "every deleted hobby is a tombstone");
    let organizers = app.get_json("/api/v1/organizers/").await.as_array().unwrap().len();
    assert_eq!(mirror.keys().filter(|(kind, _)| kind == "organizer").count(), organizers);
    // Narrowed to one kind, the same objects.
    let mut narrowed = Mirror::new();
    let mut narrowed_last = 0;
    follow(
        &app,
        format!("{}/api/v1/changes/?since=0&limit=500&kind=organizer", app.address),
        &mut narrowed,
        &mut narrowed_last,
    )
    .await;
    assert_eq!(narrowed.len(), organizers);
}

#[tokio::test]
async fn the_feed_shows_changes_of_linked_rows_and_tombstones_that_expire() {
    let app = TestApp::spawn().await;
    let category = app.category("Liikunta", None).await;
    let hobby = app.hobby("Sähly", HobbySpec::default()).await;
    let page = app.get_json("/api/v1/changes/").await;
    let last = page["items"].as_array().unwrap().last().unwrap()["change"].as_i64().unwrap();
    assert!(page["items"].as_array().unwrap().iter().any(|i| i["kind"] == "category" && i["id"] == category));

    // A category link is a change of the hobby.
    let mut tx = app.db.begin().await.unwrap();
    hp_db::hobbies::set_categories(&mut tx, hobby, &[category]).await.unwrap();
    tx.commit().await.unwrap();
    let page = app.get_json(&format!("/api/v1/changes/?since={last}")).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0]["kind"].as_str(), items[0]["id"].as_i64(), items[0]["state"].as_str()),
        (Some("hobby"), Some(hobby), Some("updated"))
    );
    assert_eq!(items[0]["data"]["categories"], json!([category]));

    let admin = app.user("admin", UserSpec { superuser: true, ..Default::default() }).await;
    app.delete(&format!("/api/v1/hobbies/{hobby}/"), Some(&admin.bearer)).await.assert_status(204);
    let page = app.get_json("/api/v1/changes/?kind=hobby").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["state"], "deleted");
    assert!(page["items"][0].get("data").is_none());

    // Tombstones are kept for the configured time, then forgotten.
    assert_eq!(hp_app::changes::expire_tombstones(&app.state.app, chrono::Duration::days(30)).await.unwrap(), 0);
    app.clock.set(chrono::Utc::now() + chrono::Duration::days(31));
    assert_eq!(hp_app::changes::expire_tombstones(&app.state.app, chrono::Duration::days(30)).await.unwrap(), 1);
    assert_eq!(app.get_json("/api/v1/changes/?kind=hobby").await["items"], json!([]));
}

#[tokio::test]
async fn bad_feed_parameters_are_named() {
    let app = TestApp::spawn().await;
    for (query, field) in [
        ("since=-1", "since"),
        ("since=x", "since"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("kind=user", "kind"),
    ] {
        let response = app.get(&format!("/api/v1/changes/?{query}")).await;
        response.assert_status(400);
        assert!(response.json()[field].is_array(), "{query}: {}", response.text);
    }
}
