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
