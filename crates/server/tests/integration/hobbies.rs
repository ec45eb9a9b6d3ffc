//! Reading hobbies: shapes per version, filters, distance ordering, includes, images.

use crate::support::{column, ids, HobbySpec, TestApp};
use hp_domain::price::PriceType;
use serde_json::json;

#[tokio::test]
async fn list_and_detail_in_the_standard_shape() {
    let app = TestApp::spawn().await;
    let municipality = app.municipality("Municipality").await;
    let location = app.location("Tampere", None, Some(municipality)).await;
    let organizer = app.organizer("Sports Club").await;
    let ballgames = app.category("Ballgames", None).await;
    let tennis = app.category("Tennis", Some(ballgames)).await;
    let football = app.category("Football", Some(ballgames)).await;
    let hobby = app
        .hobby(
            "Jalkapallo",
            HobbySpec {
                description: "Lorem ipsum".into(),
                location: Some(location),
                organizer: Some(organizer),
                municipality: Some(municipality),
                categories: vec![tennis, football],
                price_type: PriceType::Annual,
                price_cents: 12_050,
                ..Default::default()
            },
        )
        .await;
    let expected = json!({
        "categories": [football, tennis],
        "cover_image": null,
        "description": "Lorem ipsum",
        "id": hobby,
        "location": location,
        "name": "Jalkapallo",
        "organizer": organizer,
        "permissions": {"can_edit": false},
        "price_type": "annual",
        "price_amount": "120.50",
        "municipality": {"id": municipality, "name": "Municipality"}
    });
    assert_eq!(app.get_json("/api/hobbies/").await, json!([expected.clone()]));
    let detail = app.get(&format!("/api/v1/hobbies/{hobby}/")).await;
    detail.assert_status(200);
    assert_eq!(detail.header("content-type"), Some("application/json"));
    assert_eq!(detail.json(), expected);
    // The key order is the one clients have always seen.
    let keys: Vec<String> = detail.json().as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "categories",
            "cover_image",
            "description",
            "id",
            "location",
            "name",
            "organizer",
            "permissions",
            "price_type",
            "price_amount",
            "municipality"
        ]
    );
    let page = app.get_json("/api/v1/hobbies/").await;
    assert_eq!(page, json!({"count": 1, "next": null, "previous": null, "results": [expected]}));
}

#[tokio::test]
async fn pre1_shows_the_legacy_shape_with_the_first_category() {
    let app = TestApp::spawn().await;
    let root = app.category("Ballgames", None).await;
    let tennis = app.category("Tennis", Some(root)).await;
    let football = app.category("Football", Some(root)).await;
    let hobby = app.hobby("Pallo", HobbySpec { categories: vec![tennis, football], ..Default::default() }).await;
    let body = app.get_json(&format!("/api/pre1/hobbies/{hobby}/")).await;
    assert_eq!(
        body,
        json!({"category": football, "cover_image": null, "description": "", "id": hobby, "location": null,
               "name": "Pallo", "organizer": null, "permissions": {"can_edit": false}})
    );
    // pre1 is never paginated.
    assert!(app.get_json("/mobile-api/pre1/hobbies/").await.is_array());
}

#[tokio::test]
async fn category_filter_includes_descendants_and_several_values() {
    let app = TestApp::spawn().await;
    let language = app.category("Language learning", None).await;
    let ballgames = app.category("Ballgames", None).await;
    let football = app.category("Football", Some(ballgames)).await;
    let tennis = app.category("Tennis", Some(ballgames)).await;
    let a = app.hobby("A", HobbySpec { categories: vec![football], ..Default::default() }).await;
    let b = app.hobby("B", HobbySpec { categories: vec![tennis], ..Default::default() }).await;
    let c = app.hobby("C", HobbySpec { categories: vec![language], ..Default::default() }).await;
    let _none = app.hobby("No category", HobbySpec::default()).await;
    assert_eq!(ids(&app.get_json(&format!("/api/hobbies/?category={football}")).await), vec![a]);
    assert_eq!(ids(&app.get_json(&format!("/api/hobbies/?category={football}&category={tennis}")).await), vec![a, b]);
    assert_eq!(ids(&app.get_json(&format!("/api/hobbies/?category={ballgames}")).await), vec![a, b]);
    assert_eq!(
        ids(&app.get_json(&format!("/api/hobbies/?category={ballgames}&category={language}")).await),
        vec![a, b, c]
    );
    // A hobby in two matching categories is listed once.
    let both = app.hobby("Both", HobbySpec { categories: vec![football, tennis], ..Default::default() }).await;
    assert_eq!(ids(&app.get_json(&format!("/api/hobbies/?category={ballgames}")).await), vec![a, b, both]);
}

#[tokio::test]
async fn price_type_filter_and_unknown_values_are_ignored() {
    let app = TestApp::spawn().await;
    let mut by_type = Vec::new();
    for (price_type, cents) in
        [(PriceType::Free, 0), (PriceType::Annual, 100), (PriceType::Seasonal, 200), (PriceType::OneTime, 300)]
    {
        by_type.push(
            app.hobby(price_type.as_str(), HobbySpec { price_type, price_cents: cents, ..Default::default() }).await,
        );
    }
    assert_eq!(ids(&app.get_json("/api/hobbies/").await).len(), 4);
    for (index, name) in ["free", "annual", "seasonal", "one_time"].iter().enumerate() {
        assert_eq!(ids(&app.get_json(&format!("/api/hobbies/?price_type={name}")).await), vec![by_type[index]]);
    }
    assert_eq!(ids(&app.get_json("/api/hobbies/?price_type=bogus").await).len(), 4);
    assert_eq!(ids(&app.get_json("/api/hobbies/?price_type=").await).len(), 4);
}

#[tokio::test]
async fn nearest_orders_by_great_circle_distance_and_limits_in_km() {
    let app = TestApp::spawn().await;
    let far = app.location("Farland", Some((8.0, 10.0)), None).await;
    let mid = app.location("Midwayland", Some((6.0, 4.0)), None).await;
    let near = app.location("Nearland", Some((2.0, 3.0)), None).await;
    let nowhere = app.location("Nowhere", None, None).await;
    let h_far = app.hobby("far", HobbySpec { location: Some(far), ..Default::default() }).await;
    let h_mid = app.hobby("mid", HobbySpec { location: Some(mid), ..Default::default() }).await;
    let h_near = app.hobby("near", HobbySpec { location: Some(near), ..Default::default() }).await;
    let h_none = app.hobby("none", HobbySpec { location: Some(nowhere), ..Default::default() }).await;
    let h_homeless = app.hobby("homeless", HobbySpec::default()).await;
    let nearest = app.get_json("/api/hobbies/?ordering=nearest&near_latitude=1.00000&near_longitude=1.00000").await;
    assert_eq!(ids(&nearest)[..3], [h_near, h_mid, h_far]);
    let mut last_two = ids(&nearest)[3..].to_vec();
    last_two.sort();
    assert_eq!(last_two, vec![h_none, h_homeless]);
    let farthest = app.get_json("/api/hobbies/?ordering=-nearest&near_latitude=1&near_longitude=1").await;
    assert_eq!(ids(&farthest)[2..], [h_far, h_mid, h_near]);

    // Tampere: Orivesi ≈33 km, Ylöjärvi ≈40 km, Sastamala ≈40 km (quirks.md 3).
    let app = TestApp::spawn().await;
    let ylojarvi = app.location("Ylöjärvi", Some((23.764732, 61.859539)), None).await;
    let sastamala = app.location("Sastamala", Some((22.995811, 61.503266)), None).await;
    let orivesi = app.location("Orivesi", Some((24.289451, 61.661839)), None).await;
    for location in [ylojarvi, sastamala, orivesi] {
        app.hobby("hobby", HobbySpec { location: Some(location), ..Default::default() }).await;
    }
    let query = "/api/hobbies/?ordering=nearest&near_latitude=61.500986&near_longitude=23.762713";
    let within_50 = app.get_json(&format!("{query}&max_distance=50")).await;
    assert_eq!(column(&within_50, "location"), vec![&json!(orivesi), &json!(ylojarvi), &json!(sastamala)]);
    let within_35 = app.get_json(&format!("{query}&max_distance=35")).await;
    assert_eq!(column(&within_35, "location"), vec![&json!(orivesi)]);
    // Without an ordering, max_distance is ignored.
    assert_eq!(ids(&app.get_json("/api/hobbies/?max_distance=1").await).len(), 3);
}

#[tokio::test]
async fn includes_nest_location_and_organizer() {
    let app = TestApp::spawn().await;
    let location = app.location("Kalevan uimahalli", Some((23.79, 61.49)), None).await;
    let organizer = app.organizer("Uimaseura").await;
    let hobby = app
        .hobby("Uinti", HobbySpec { location: Some(location), organizer: Some(organizer), ..Default::default() })
        .await;
    let body =
        app.get_json(&format!("/api/v1/hobbies/{hobby}/?include=location_detail&include=organizer_detail")).await;
    assert_eq!(
        body["location"],
        json!({"id": location, "name": "Kalevan uimahalli", "address": "", "zip_code": "", "city": "",
               "coordinates": {"type": "Point", "coordinates": [23.79, 61.49]}})
    );
    assert_eq!(body["organizer"], json!({"id": organizer, "name": "Uimaseura"}));
    // Even pre1 nests the GeoJSON form; unknown and comma-joined includes are ignored.
    let pre1 = app.get_json(&format!("/api/pre1/hobbies/{hobby}/?include=location_detail&include=bogus")).await;
    assert_eq!(pre1["location"]["coordinates"]["coordinates"], json!([23.79, 61.49]));
    assert_eq!(pre1["organizer"], json!(organizer));
    let comma = app.get_json(&format!("/api/hobbies/{hobby}/?include=location_detail,organizer_detail")).await;
    assert_eq!(comma["location"], json!(location));
}

#[tokio::test]
async fn cover_image_falls_back_to_the_nearest_ancestor_category_image() {
    let app = TestApp::spawn_with(crate::support::behind_proxy()).await;
    let sports = app.category("Urheilu", None).await;
    let ball = app.category("Palloilu", Some(sports)).await;
    let football = app.category("Jalkapallo", Some(ball)).await;
    let music = app.category("Musiikki", None).await;
    app.set_category_image(sports, Some("hobbycategory_images/sports.png")).await;
    let plain = app.hobby("Plain", HobbySpec { categories: vec![football], ..Default::default() }).await;
    let own = app
        .hobby(
            "Own",
            HobbySpec {
                categories: vec![football],
                cover_image: Some("hobby_images/own.jpg".into()),
                ..Default::default()
            },
        )
        .await;
    let none = app.hobby("None", HobbySpec { categories: vec![music], ..Default::default() }).await;
    let app = &app;
    let url = |id: i64| async move { app.get_json(&format!("/api/hobbies/{id}/")).await["cover_image"].clone() };
    assert_eq!(url(plain).await, json!(format!("{}/media/hobbycategory_images/sports.png", app.address)));
    assert_eq!(url(own).await, json!(format!("{}/media/hobby_images/own.jpg", app.address)));
    assert_eq!(url(none).await, json!(null));
    // A nearer ancestor's image wins; with two categories the later one in tree order.
    app.set_category_image(ball, Some("hobbycategory_images/ball.png")).await;
    assert_eq!(url(plain).await, json!(format!("{}/media/hobbycategory_images/ball.png", app.address)));
    app.set_category_image(music, Some("hobbycategory_images/music.png")).await;
    let two = app.hobby("Two", HobbySpec { categories: vec![football, music], ..Default::default() }).await;
    // Tree order: Musiikki, Urheilu, Palloilu, Jalkapallo — the last image is Palloilu's.
    assert_eq!(url(two).await, json!(format!("{}/media/hobbycategory_images/ball.png", app.address)));
    // Behind a TLS proxy the URL is https.
    let proxied = app
        .request(reqwest::Method::GET, &format!("/api/hobbies/{plain}/"), &[("x-forwarded-proto", "https")], None)
        .await;
    assert!(proxied.json()["cover_image"].as_str().unwrap().starts_with("https://"));
}

#[tokio::test]
async fn anonymous_editable_only_is_an_empty_list() {
    let app = TestApp::spawn().await;
    app.hobby("Somebody's", HobbySpec::default()).await;
    assert_eq!(app.get_json("/api/hobbies/?editable_only=true").await, json!([]));
    assert_eq!(
        app.get_json("/api/v1/hobbies/?editable_only=true&page_size=50").await,
        json!({"count": 0, "next": null, "previous": null, "results": []})
    );
    assert_eq!(ids(&app.get_json("/api/hobbies/?editable_only=false").await).len(), 1);
    assert_eq!(ids(&app.get_json("/api/hobbies/?editable_only=maybe").await).len(), 1);
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_not_found() {
    let app = TestApp::spawn().await;
    for path in ["/api/hobbies/999/", "/api/hobbies/abc/", "/api/v1/hobbies/99999999999999999999/", "/api/hobbies/-1/"]
    {
        let response = app.get(path).await;
        response.assert_status(404);
        assert_eq!(response.json(), json!({"detail": "Ei löydy."}), "{path}");
    }
}
