//! The daily next-event refresh and the demo data generator.

use crate::support::{ids, HobbySpec, TestApp};
use chrono::Duration;
use harrastuspassi::demo::{self, DemoOptions};
use harrastuspassi::jobs::update_next_events;
use hp_domain::time::Clock;

#[tokio::test]
async fn the_daily_refresh_moves_next_events_on_with_the_calendar() {
    let app = TestApp::spawn().await;
    let hobby = app.hobby("Weekly", HobbySpec::default()).await;
    let this_week = app.event(hobby, ("2022-02-22", "18:00"), ("2022-02-22", "19:00")).await;
    let next_week = app.event(hobby, ("2022-03-01", "18:00"), ("2022-03-01", "19:00")).await;
    let over = app.hobby("Over", HobbySpec::default()).await;
    app.event(over, ("2022-02-23", "18:00"), ("2022-02-23", "19:00")).await;
    assert_eq!(
        ids(&app.get_json("/api/hobbyevents/").await),
        vec![this_week, ids(&app.get_json(&format!("/api/hobbyevents/?hobby={over}")).await)[0]]
    );

    // Two days later nothing has changed until the job runs.
    app.clock.set(app.clock.now() + Duration::days(2));
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await).len(), 2);
    assert_eq!(update_next_events(&app.db, &app.clock).await.unwrap(), 2);
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await), vec![next_week]);
    // A second run changes nothing.
    assert_eq!(update_next_events(&app.db, &app.clock).await.unwrap(), 0);
}

#[tokio::test]
async fn demo_data_at_scale_one_is_realistic_and_deterministic() {
    let app = TestApp::spawn().await;
    hp_importers::ontology::seed_if_empty(&app.db, app.clock.now()).await.unwrap();
    let clock = Clock::fixed(app.clock.now());
    let summary = demo::load(&app.db, &clock, DemoOptions { scale: 1.0, seed: 7, replace: false }).await.unwrap();
    assert_eq!(
        (summary.municipalities, summary.organizers, summary.locations, summary.hobbies, summary.promotions),
        (3, 200, 1000, 5000, 300)
    );
    assert!((45_000..=55_000).contains(&summary.events), "{} events", summary.events);
    let first_page = app.get_json("/api/v1/hobbies/?page_size=20").await;
    assert_eq!(first_page["count"], serde_json::json!(5000));
    // Loading again is refused; replacing with the same seed gives the same hobbies.
    assert!(demo::load(&app.db, &clock, DemoOptions { scale: 1.0, seed: 7, replace: false }).await.is_err());
    demo::load(&app.db, &clock, DemoOptions { scale: 1.0, seed: 7, replace: true }).await.unwrap();
    let again = app.get_json("/api/v1/hobbies/?page_size=20").await;
    let names = |page: &serde_json::Value| {
        page["results"].as_array().unwrap().iter().map(|h| h["name"].clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&first_page), names(&again));
    // Most hobbies have a next event; events exist in the past and in the future.
    let events = app.get_json("/mobile-api/v1/hobbyevents/?page_size=1").await;
    assert!(events["count"].as_u64().unwrap() > 3500);
}

#[tokio::test]
async fn demo_replace_deletes_only_what_the_demo_made() {
    let app = TestApp::spawn().await;
    hp_importers::ontology::seed_if_empty(&app.db, app.clock.now()).await.unwrap();
    let clock = Clock::fixed(app.clock.now());
    let small = DemoOptions { scale: 0.1, seed: 3, replace: false };
    let summary = demo::load(&app.db, &clock, small).await.unwrap();
    assert_eq!(
        (summary.municipalities, summary.organizers, summary.locations, summary.hobbies, summary.promotions),
        (1, 20, 100, 500, 30)
    );
    // Real content beside it: a municipality with its moderator, a user's hobby at a demo place.
    let real = app.municipality("Oikea kunta").await;
    let moderator =
        app.user("moderaattori", crate::support::UserSpec { moderates: vec![real], ..Default::default() }).await;
    let demo_location = app.get_json("/api/locations/").await[0]["id"].as_i64().unwrap();
    let own = app
        .hobby(
            "Oma",
            crate::support::HobbySpec { location: Some(demo_location), municipality: Some(real), ..Default::default() },
        )
        .await;
    demo::load(&app.db, &clock, DemoOptions { replace: true, ..small }).await.unwrap();
    let hobbies = app.get_json("/api/v1/hobbies/?page_size=1").await;
    assert_eq!(hobbies["count"], serde_json::json!(501));
    let kept = app.get_json(&format!("/api/hobbies/{own}/")).await;
    assert_eq!(
        (kept["name"].clone(), kept["location"].clone()),
        (serde_json::json!("Oma"), serde_json::json!(demo_location))
    );
    let editable = app.get_as("/api/hobbies/?editable_only=true", &moderator.bearer).await.json();
    assert_eq!(crate::support::ids(&editable), vec![own]);
    for scale in [0.05, 11.0, f64::NAN] {
        assert!(demo::load(&app.db, &clock, DemoOptions { scale, ..small }).await.is_err(), "{scale}");
    }
}
