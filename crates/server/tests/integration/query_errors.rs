//! Malformed query values: each gets the status and body the spec gives, never a 500.

use crate::support::{HobbySpec, TestApp};
use serde_json::{json, Value};

async fn expect_400(app: &TestApp, path: &str, body: Value) {
    let response = app.get(path).await;
    assert_eq!(response.status.as_u16(), 400, "{path}: {}", response.text);
    assert_eq!(response.json(), body, "{path}");
}

#[tokio::test]
async fn nearest_ordering_needs_valid_coordinates() {
    let app = TestApp::spawn().await;
    let required = json!(["This field is required when nearest ordering is used."]);
    for resource in ["hobbies", "hobbyevents", "promotions"] {
        let base = format!("/api/{resource}/?ordering=nearest");
        expect_400(&app, &base, json!({"near_latitude": required, "near_longitude": required})).await;
        expect_400(&app, &format!("{base}&near_latitude=1"), json!({"near_longitude": required})).await;
        expect_400(
            &app,
            &format!("{base}&near_latitude=&near_longitude=1"),
            json!({"near_latitude": ["Must be a float."]}),
        )
        .await;
        expect_400(
            &app,
            &format!("{base}&near_latitude=abc&near_longitude=1"),
            json!({"near_latitude": ["Syötä luku."]}),
        )
        .await;
        expect_400(
            &app,
            &format!("{base}&near_latitude=NaN&near_longitude=inf"),
            json!({"near_latitude": ["Syötä luku."], "near_longitude": ["Syötä luku."]}),
        )
        .await;
        expect_400(
            &app,
            &format!("{base}&near_latitude=91&near_longitude=-181"),
            json!({"near_latitude": ["Value must be within -90.0 and 90.0."], "near_longitude": ["Value must be within -180.0 and 180.0."]}),
        )
        .await;
        expect_400(
            &app,
            &format!("{base}&near_latitude=1&near_longitude=1&max_distance=1.5"),
            json!({"max_distance": ["Must be an integer."]}),
        )
        .await;
        expect_400(
            &app,
            &format!("{base}&near_latitude=1&near_longitude=1&max_distance="),
            json!({"max_distance": ["Must be an integer."]}),
        )
        .await;
        // A non-numeric coordinate is refused even without nearest ordering.
        expect_400(&app, &format!("/api/{resource}/?near_latitude=x"), json!({"near_latitude": ["Syötä luku."]})).await;
        app.get(&format!("{base}&near_latitude=-90&near_longitude=180&max_distance=10")).await.assert_status(200);
        app.get(&format!("/api/{resource}/?ordering=-nearest&near_latitude=60.17&near_longitude=24.94"))
            .await
            .assert_status(200);
    }
    expect_400(&app, "/api/hobbies/?max_distance=abc", json!({"max_distance": ["Syötä luku."]})).await;
    expect_400(
        &app,
        "/api/hobbyevents/?ordering=nearest&near_latitude=1&near_longitude=1&max_distance=abc",
        json!({"max_distance": ["Must be an integer."]}),
    )
    .await;
}

#[tokio::test]
async fn max_distance_needs_nearest_ordering() {
    let app = TestApp::spawn().await;
    let message = json!({"max_distance": ["Can only be used with nearest ordering."]});
    expect_400(&app, "/api/hobbyevents/?ordering=start_date&max_distance=5", message.clone()).await;
    expect_400(&app, "/api/v1/hobbyevents/?ordering=-start_date&max_distance=5", message).await;
    expect_400(
        &app,
        "/api/hobbyevents/?ordering=start_date&max_distance=1.5",
        json!({"max_distance": ["Must be an integer."]}),
    )
    .await;
    // Without any ordering (or an empty one) it is ignored.
    app.get("/api/hobbyevents/?max_distance=5").await.assert_status(200);
    app.get("/api/hobbyevents/?ordering=&max_distance=5").await.assert_status(200);
    app.get("/api/promotions/?max_distance=5").await.assert_status(200);
}

#[tokio::test]
async fn orderings_outside_the_choices_are_refused() {
    let app = TestApp::spawn().await;
    expect_400(
        &app,
        "/api/hobbies/?ordering=name",
        json!({"ordering": ["Valitse oikea vaihtoehto. name ei ole vaihtoehtojen joukossa."]}),
    )
    .await;
    expect_400(
        &app,
        "/api/hobbies/?ordering=start_date",
        json!({"ordering": ["Valitse oikea vaihtoehto. start_date ei ole vaihtoehtojen joukossa."]}),
    )
    .await;
    expect_400(
        &app,
        "/api/promotions/?ordering=nearest,bogus&near_latitude=1&near_longitude=1",
        json!({"ordering": ["Valitse oikea vaihtoehto. bogus ei ole vaihtoehtojen joukossa."]}),
    )
    .await;
    // The last of repeated values counts.
    app.get("/api/hobbyevents/?ordering=nearest&ordering=start_date").await.assert_status(200);
}

#[tokio::test]
async fn filter_values_that_are_not_choices() {
    let app = TestApp::spawn().await;
    let category = app.category("Real", None).await;
    let hobby = app.hobby("Real hobby", HobbySpec::default()).await;
    for resource in ["hobbies", "hobbyevents"] {
        expect_400(
            &app,
            &format!("/api/{resource}/?category=abc"),
            json!({"category": ["\"abc\" ei ole kelvollinen arvo."]}),
        )
        .await;
        expect_400(
            &app,
            &format!("/api/{resource}/?category="),
            json!({"category": ["\"\" ei ole kelvollinen arvo."]}),
        )
        .await;
        expect_400(
            &app,
            &format!("/api/{resource}/?category={category}&category=987654"),
            json!({"category": ["Valitse oikea vaihtoehto. 987654 ei ole vaihtoehtojen joukossa."]}),
        )
        .await;
    }
    let unknown = json!({"hobby": ["Valitse oikea vaihtoehto. Valintasi ei löydy vaihtoehtojen joukosta."]});
    expect_400(&app, "/api/hobbyevents/?hobby=987654", unknown.clone()).await;
    expect_400(&app, "/api/hobbyevents/?hobby=abc", unknown).await;
    app.get(&format!("/api/hobbyevents/?hobby={hobby}")).await.assert_status(200);
    for (value, shown) in [("8", "8"), ("0", "0"), ("1,2", "1,2"), ("", "")] {
        expect_400(
            &app,
            &format!("/api/hobbyevents/?start_weekday={value}"),
            json!({"start_weekday": [format!("Valitse oikea vaihtoehto. {shown} ei ole vaihtoehtojen joukossa.")]}),
        )
        .await;
    }
    let parent = json!({"parent": ["Valitse oikea vaihtoehto. Valintasi ei löydy vaihtoehtojen joukosta."]});
    expect_400(&app, "/api/hobbycategories/?parent=abc", parent.clone()).await;
    expect_400(&app, "/api/hobbycategories/?parent=987654", parent).await;
}

#[tokio::test]
async fn dates_and_times_that_do_not_parse() {
    let app = TestApp::spawn().await;
    expect_400(
        &app,
        "/api/hobbyevents/?start_date_from=2022-13-01",
        json!({"start_date_from": ["Syötä oikea päivämäärä."]}),
    )
    .await;
    expect_400(
        &app,
        "/api/hobbyevents/?start_date_to=yesterday&start_time_from=25:00&start_time_to=abc",
        json!({"start_date_to": ["Syötä oikea päivämäärä."], "start_time_from": ["Syötä oikea kellonaika."], "start_time_to": ["Syötä oikea kellonaika."]}),
    )
    .await;
    // Empty values mean "not given".
    app.get("/api/hobbyevents/?start_date_from=&start_time_to=&exclude_past_events=&price_type=&hobby=")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn unknown_empty_and_repeated_parameters_are_tolerated() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/hobbies/?foo=bar&colour=blue",
        "/api/hobbyevents/?&include=hobby_detail",
        "/api/hobbyevents/?include=unknown&include=hobby_detail",
        "/api/promotions/?include=hobby_detail",
        "/api/hobbyevents/?search",
        "/api/hobbyevents/?search=",
        "/api/hobbies/?format=json",
        "/api/hobbies/?editable_only=&usable_only=yes",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status.as_u16(), 200, "{path}: {}", response.text);
    }
    // `page=` (empty) is not a page number.
    app.get("/api/v1/hobbies/?page=").await.assert_status(404);
}
