//! Writing organizers and locations: the "my objects" visibility for signed-in users,
//! geometry formats, the location rules, geocoding through a configured provider.

use crate::support::{ids, TestApp, UserSpec};
use hp_api::ApiConfig;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn signed_in_users_see_and_change_only_their_own() {
    let app = TestApp::spawn().await;
    let municipality = app.municipality("Municipality").await;
    let user = app.user("test_user", UserSpec { moderates: vec![municipality], ..Default::default() }).await;
    let user2 = app.user("test_user2", UserSpec::default()).await;
    let fellow = app.user("fellow", UserSpec { moderates: vec![municipality], ..Default::default() }).await;
    assert_eq!(app.get_as("/api/organizers/", &user.bearer).await.json(), json!([]));
    // Multipart and urlencoded bodies work as JSON does.
    let multipart = reqwest::multipart::Form::new().text("name", "organizer for user");
    let mine = app
        .client
        .post(format!("{}/api/organizers/", app.address))
        .header("authorization", &user.bearer)
        .multipart(multipart)
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status().as_u16(), 201);
    let mine: Value = mine.json().await.unwrap();
    assert_eq!(mine.as_object().unwrap().keys().collect::<Vec<_>>(), ["id", "name"]);
    let theirs = app
        .request(
            Method::POST,
            "/api/organizers/",
            &[("authorization", &user2.bearer)],
            Some(("application/x-www-form-urlencoded", b"name=organizer+for+user+2".to_vec())),
        )
        .await
        .json();
    assert_eq!(
        app.get_as("/api/organizers/", &user.bearer).await.json(),
        json!([{"id": mine["id"], "name": "organizer for user"}])
    );
    assert_eq!(ids(&app.get_as("/api/organizers/", &user2.bearer).await.json()), vec![theirs["id"].as_i64().unwrap()]);
    assert_eq!(ids(&app.get_json("/api/organizers/").await).len(), 2);
    // A fellow moderator sees it; another user gets 404 where the anonymous gets 200.
    assert_eq!(ids(&app.get_as("/api/organizers/", &fellow.bearer).await.json()), vec![mine["id"].as_i64().unwrap()]);
    let path = format!("/api/organizers/{}/", mine["id"]);
    let hidden = app.get_as(&path, &user2.bearer).await;
    hidden.assert_status(404);
    assert_eq!(hidden.json(), json!({"detail": "Ei löydy."}));
    app.get(&path).await.assert_status(200);
    app.put_json(&path, Some(&user2.bearer), &json!({"name": "Hijacked"})).await.assert_status(404);
    app.delete(&path, Some(&user2.bearer)).await.assert_status(404);
    let renamed = app.put_json(&path, Some(&user.bearer), &json!({"name": "New"})).await;
    renamed.assert_status(200);
    assert_eq!(renamed.json(), json!({"id": mine["id"], "name": "New"}));
    // Removing the fellow from the municipality hides it from them at once.
    let mut tx = app.db.begin().await.unwrap();
    hp_db::municipalities::remove_moderator(&mut tx, municipality, fellow.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.get_as("/api/organizers/", &fellow.bearer).await.json(), json!([]));
    // Validation.
    for (body, expected) in [
        (json!({}), json!({"name": ["Tämä kenttä vaaditaan."]})),
        (json!({"name": ""}), json!({"name": ["Tämä kenttä ei voi olla tyhjä."]})),
        (json!({"name": "x".repeat(257)}), json!({"name": ["Arvo saa olla enintään 256 merkkiä pitkä."]})),
    ] {
        assert_eq!(app.post_json("/api/organizers/", Some(&user.bearer), &body).await.json(), expected);
    }
    app.delete(&path, None).await.assert_status(401);
    app.delete(&path, Some(&user.bearer)).await.assert_status(204);
}

#[tokio::test]
async fn locations_take_points_in_every_format_and_must_say_where() {
    let app = TestApp::spawn().await;
    let user = app.user("mapper", UserSpec::default()).await;
    let post = |body: Value| {
        let (app, bearer) = (&app, user.bearer.clone());
        async move { app.post_json("/api/v1/locations/", Some(&bearer), &body).await }
    };
    let only_name = post(json!({"name": "Only name"})).await;
    only_name.assert_status(201);
    assert_eq!(
        only_name.json(),
        json!({"id": only_name.json()["id"], "name": "Only name", "address": "", "zip_code": "", "city": "", "coordinates": null})
    );
    let point = json!({"type": "Point", "coordinates": [23.7906, 61.4946]});
    assert_eq!(post(json!({"name": "Kaleva", "coordinates": point})).await.json()["coordinates"], point);
    assert_eq!(
        post(json!({"name": "WKT", "coordinates": "POINT(24.94 60.17)"})).await.json()["coordinates"],
        json!({"type": "Point", "coordinates": [24.94, 60.17]})
    );
    let garbage = post(json!({"name": "x", "coordinates": "garbage"})).await;
    garbage.assert_status(400);
    assert_eq!(
        garbage.json(),
        json!({"coordinates": ["Invalid format: string or unicode input unrecognized as GeoJSON, WKT EWKT or HEXEWKB."]})
    );
    let line =
        post(json!({"name": "x", "coordinates": {"type": "LineString", "coordinates": [[24.0, 60.0], [25.0, 61.0]]}}))
            .await;
    assert_eq!(line.json(), json!({"coordinates": ["Geometry must be a Point."]}));
    assert_eq!(
        post(json!({"zip_code": "1234567", "name": "x"})).await.json(),
        json!({"zip_code": ["Arvo saa olla enintään 5 merkkiä pitkä."]})
    );
    let nowhere = post(json!({})).await;
    nowhere.assert_status(400);
    assert_eq!(
        nowhere.json(),
        json!({"non_field_errors": ["One of the following fields is required: name, city or coordinates"]})
    );
    assert_eq!(post(json!({"address": "Katu 1"})).await.status.as_u16(), 400);
    // PATCH changes only the point; pre1 reads lat/lon.
    let id = only_name.json()["id"].as_i64().unwrap();
    let patched = app
        .patch_json(
            &format!("/api/v1/locations/{id}/"),
            Some(&user.bearer),
            &json!({"coordinates": {"type": "Point", "coordinates": [23.76, 61.5]}}),
        )
        .await
        .json();
    assert_eq!(patched["name"], json!("Only name"));
    assert_eq!(
        app.get_json(&format!("/api/pre1/locations/{id}/")).await,
        json!({"id": id, "name": "Only name", "address": "", "zip_code": "", "city": "", "lat": 61.5, "lon": 23.76})
    );
}

#[tokio::test]
async fn moving_a_location_moves_its_hobbies_in_nearest_lists() {
    let app = TestApp::spawn().await;
    let user = app.user("mover", UserSpec::default()).await;
    let near = app
        .post_json("/api/locations/", Some(&user.bearer), &json!({"name": "A", "coordinates": "POINT(2 3)"}))
        .await
        .json();
    let far = app
        .post_json("/api/locations/", Some(&user.bearer), &json!({"name": "B", "coordinates": "POINT(8 10)"}))
        .await
        .json();
    let mut events = Vec::new();
    for location in [&near, &far] {
        let hobby = app
            .post_json("/api/hobbies/", Some(&user.bearer), &json!({"name": "H", "location": location["id"]}))
            .await
            .json();
        let body = json!({"hobby": hobby["id"], "start_date": "2022-03-01", "end_date": "2022-03-01", "start_time": "10:00", "end_time": "11:00"});
        events.push(app.post_json("/api/hobbyevents/", Some(&user.bearer), &body).await.json()["id"].as_i64().unwrap());
    }
    let query = "/api/hobbyevents/?ordering=nearest&near_latitude=1&near_longitude=1";
    assert_eq!(ids(&app.get_json(query).await), events);
    app.patch_json(
        &format!("/api/locations/{}/", far["id"]),
        Some(&user.bearer),
        &json!({"coordinates": "POINT(1.1 1.1)"}),
    )
    .await
    .assert_status(200);
    assert_eq!(ids(&app.get_json(query).await), vec![events[1], events[0]]);
}

/// A stand-in for the geocoding service: answers by address.
async fn geocoding_server() -> String {
    use axum::extract::Query;
    use axum::response::{IntoResponse, Response};
    use std::collections::HashMap;
    async fn answer(Query(query): Query<HashMap<String, String>>) -> Response {
        let address = query.get("address").cloned().unwrap_or_default();
        if query.get("key").map(String::as_str) != Some("test-key") {
            return axum::Json(json!({"status": "REQUEST_DENIED"})).into_response();
        }
        if address == "Sammonkatu 64,+33540+Tampere" {
            axum::Json(
                json!({"status": "OK", "results": [{"geometry": {"location": {"lat": 61.4946, "lng": 23.7906}}}]}),
            )
            .into_response()
        } else if address.starts_with("broken") {
            "not json".into_response()
        } else {
            axum::Json(json!({"status": "ZERO_RESULTS", "results": []})).into_response()
        }
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}/geocode/json", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().route("/geocode/json", axum::routing::get(answer))).await
    });
    address
}

#[tokio::test]
async fn new_locations_without_coordinates_are_geocoded_when_configured() {
    let url = geocoding_server().await;
    let app = TestApp::spawn_configured(ApiConfig::default(), |state| {
        state.with_geocoder(hp_app::geocoding::Geocoder::new(url.clone(), "test-key"))
    })
    .await;
    let user = app.user("geo", UserSpec::default()).await;
    let kaleva =
        json!({"name": "Kalevan uimahalli", "address": "Sammonkatu 64", "zip_code": "33540", "city": "Tampere"});
    let located = app.post_json("/api/locations/", Some(&user.bearer), &kaleva).await;
    located.assert_status(201);
    assert_eq!(located.json()["coordinates"], json!({"type": "Point", "coordinates": [23.7906, 61.4946]}));
    // Given coordinates win; no geocoding.
    let mut given = kaleva.clone();
    given["coordinates"] = json!({"type": "Point", "coordinates": [1, 1]});
    assert_eq!(
        app.post_json("/api/locations/", Some(&user.bearer), &given).await.json()["coordinates"]["coordinates"],
        json!([1.0, 1.0])
    );
    // A pre1 body cannot carry coordinates: it is geocoded whatever it says (api.md 4.5).
    let pre1 = app.post_json("/api/pre1/locations/", Some(&user.bearer), &given).await;
    pre1.assert_status(201);
    assert_eq!((pre1.json()["lat"].clone(), pre1.json()["lon"].clone()), (json!(61.4946), json!(23.7906)));
    // Unknown addresses and a broken service: a bare array, nothing stored.
    let before = ids(&app.get_json("/api/locations/").await).len();
    for address in ["Sangen kelvoton osoite", "broken"] {
        let bad = json!({"name": "x", "address": address, "zip_code": "00000", "city": "Tuskin kaupunki"});
        let refused = app.post_json("/api/locations/", Some(&user.bearer), &bad).await;
        refused.assert_status(400);
        assert_eq!(
            refused.json(),
            json!(["This address could not be geocoded. Please confirm your address is right, or try again later."])
        );
    }
    assert_eq!(ids(&app.get_json("/api/locations/").await).len(), before);
}
