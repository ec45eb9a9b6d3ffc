//! Reading organizers and locations anonymously: all of them by name, per-version shapes.

use crate::support::{ids, TestApp};
use serde_json::json;

#[tokio::test]
async fn organizers_are_listed_by_name() {
    let app = TestApp::spawn().await;
    let b = app.organizer("organizer for user 2").await;
    let a = app.organizer("organizer for user").await;
    let list = app.get_json("/api/v1/organizers/").await;
    assert_eq!(list, json!([{"id": a, "name": "organizer for user"}, {"id": b, "name": "organizer for user 2"}]));
    assert_eq!(app.get_json(&format!("/api/organizers/{b}/")).await, json!({"id": b, "name": "organizer for user 2"}));
    app.get("/api/organizers/999/").await.assert_status(404);
}

#[tokio::test]
async fn locations_in_geojson_and_in_pre1_lat_lon() {
    let app = TestApp::spawn().await;
    let pre = app.location("Pre", Some((23.76, 61.5)), None).await;
    let bare = app.location("Bare", None, None).await;
    assert_eq!(ids(&app.get_json("/api/locations/").await), vec![bare, pre]);
    assert_eq!(
        app.get_json(&format!("/api/v1/locations/{pre}/")).await,
        json!({"id": pre, "name": "Pre", "address": "", "zip_code": "", "city": "",
               "coordinates": {"type": "Point", "coordinates": [23.76, 61.5]}})
    );
    assert_eq!(
        app.get_json(&format!("/api/pre1/locations/{pre}/")).await,
        json!({"id": pre, "name": "Pre", "address": "", "zip_code": "", "city": "", "lat": 61.5, "lon": 23.76})
    );
    assert_eq!(app.get_json(&format!("/mobile-api/locations/{bare}/")).await["coordinates"], json!(null));
    assert_eq!(app.get_json(&format!("/mobile-api/pre1/locations/{bare}/")).await["lat"], json!(null));
}
