//! Reading promotions and benefits: shape, validity and usability filters, search, distance.

use crate::support::{ids, PromotionSpec, TestApp};
use serde_json::json;

#[tokio::test]
async fn promotion_shape_and_includes() {
    let app = TestApp::spawn().await;
    let municipality = app.municipality("Municipality").await;
    let organizer = app.organizer("Sports Club").await;
    let location = app.location("Tampere", Some((23.76, 61.5)), Some(municipality)).await;
    let mut spec = PromotionSpec::new(organizer, location);
    spec.start = ("2022-02-22", "14:00");
    spec.end = ("2022-02-22", "16:00");
    spec.available = 10;
    spec.municipality = Some(municipality);
    let id = app.promotion("Test promotion", spec).await;
    let body = app.get_json(&format!("/api/promotions/{id}/")).await;
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "cover_image",
            "created_at",
            "updated_at",
            "name",
            "description",
            "start_date",
            "start_time",
            "end_date",
            "end_time",
            "available_count",
            "used_count",
            "municipality",
            "organizer",
            "location",
            "created_by"
        ]
    );
    assert_eq!(body["start_time"], json!("14:00:00"));
    assert_eq!(body["available_count"], json!(10));
    assert_eq!(body["used_count"], json!(0));
    assert_eq!(body["organizer"], json!(organizer));
    assert_eq!(body["municipality"], json!(municipality));
    assert_eq!(body["created_at"], json!("2022-02-22T16:00:00+02:00"));
    let nested = app.get_json("/api/v1/promotions/?include=location_detail&include=organizer_detail").await;
    assert!(nested.is_array());
    assert_eq!(nested[0]["organizer"], json!({"id": organizer, "name": "Sports Club"}));
    assert_eq!(
        nested[0]["location"],
        json!({"id": location, "name": "Tampere", "address": "", "zip_code": "", "city": "",
               "coordinates": {"type": "Point", "coordinates": [23.76, 61.5]}})
    );
}

#[tokio::test]
async fn validity_usability_and_search_filters() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer("Org").await;
    let location = app.location("Loc", None, None).await;
    let promo = |end: (&'static str, &'static str), available: i64, used: i64| {
        let mut spec = PromotionSpec::new(organizer, location);
        spec.start = ("2022-01-01", "00:00");
        spec.end = end;
        spec.available = available;
        spec.used = used;
        spec
    };
    let week = app
        .promotion(
            "Lorem ipsum",
            PromotionSpec { description: "Dolor sit amet".into(), ..promo(("2022-03-01", "15:59"), 10, 9) },
        )
        .await;
    let today = app.promotion("Today", promo(("2022-02-22", "15:59"), 10, 0)).await;
    let yesterday = app.promotion("Yesterday", promo(("2022-02-21", "22:00"), 10, 10)).await;
    assert_eq!(ids(&app.get_json("/api/promotions/").await), vec![week, today, yesterday]);
    assert_eq!(ids(&app.get_json("/api/promotions/?exclude_past_events=true").await), vec![week]);
    assert_eq!(ids(&app.get_json("/api/promotions/?usable_only=true").await), vec![week, today]);
    assert_eq!(ids(&app.get_json("/api/promotions/?usable_only=true&exclude_past_events=true").await), vec![week]);
    assert_eq!(ids(&app.get_json("/api/promotions/?search=aivan%20jotain%20muuta").await), Vec::<i64>::new());
    assert_eq!(ids(&app.get_json("/api/promotions/?search=lore").await), vec![week]);
    assert_eq!(ids(&app.get_json("/api/promotions/?search=dolo").await), vec![week]);
    assert_eq!(ids(&app.get_json("/api/promotions/?search=").await).len(), 3);
    assert_eq!(app.get_json("/api/promotions/?editable_only=true").await, json!([]));
}

#[tokio::test]
async fn nearest_promotions_with_a_distance_limit() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer("Org").await;
    let mut promos = Vec::new();
    for (name, point) in [("far", (8.0, 10.0)), ("mid", (6.0, 4.0)), ("near", (2.0, 3.0))] {
        let location = app.location(name, Some(point), None).await;
        promos.push(app.promotion(name, PromotionSpec::new(organizer, location)).await);
    }
    let query = "/mobile-api/v1/promotions/?exclude_past_events=true&usable_only=true&include=location_detail&ordering=nearest&near_latitude=1&near_longitude=1";
    assert_eq!(ids(&app.get_json(query).await), vec![promos[2], promos[1], promos[0]]);
    assert_eq!(ids(&app.get_json(&format!("{query}&max_distance=300")).await), vec![promos[2]]);
    // iOS sends an empty search along.
    assert_eq!(ids(&app.get_json(&format!("{query}&search")).await).len(), 3);
}

#[tokio::test]
async fn benefits_are_listed_publicly() {
    let app = TestApp::spawn().await;
    app.get_json("/api/benefits/").await.as_array().expect("array");
    assert_eq!(app.get_json("/api/v1/benefits/").await, json!([]));
    app.get("/api/benefits/1/").await.assert_status(404);
}
