//! Writing promotions and redeeming them as benefits.

use crate::support::{ids, PromotionSpec, TestApp, TestUser, UserSpec};
use reqwest::Method;
use serde_json::{json, Value};

async fn setup() -> (TestApp, TestUser, i64, Value) {
    let app = TestApp::spawn().await;
    let municipality = app.municipality("Municipality").await;
    let organizer = app.organizer("Sports Club").await;
    let location = app.location("Tampere", None, Some(municipality)).await;
    let user = app.user("promoter", UserSpec::default()).await;
    let body = json!({"name": "Test promotion", "description": "Hello this is valid test promotion", "start_date": "2022-02-22",
                      "start_time": "15:00", "end_date": "2022-02-22", "end_time": "17:00", "organizer": organizer,
                      "location": location, "available_count": 10, "used_count": 0});
    (app, user, municipality, body)
}

#[tokio::test]
async fn create_records_the_creator_and_ignores_read_only_fields() {
    let (app, user, municipality, mut body) = setup().await;
    body["created_by"] = json!(987);
    body["municipality"] = json!(municipality);
    body["available_count"] = json!("25");
    let created = app.post_json("/api/promotions/", Some(&user.bearer), &body).await;
    created.assert_status(201);
    let promotion = created.json();
    assert_eq!(promotion.as_object().unwrap().len(), 16);
    assert_eq!(promotion["created_by"], json!(user.id));
    assert_eq!(promotion["municipality"], json!(null));
    assert_eq!(promotion["available_count"], json!(25));
    assert_eq!(promotion["start_time"], json!("15:00:00"));
    assert!(promotion["created_at"].as_str().unwrap().starts_with("2022-02-22"));
    assert_eq!(
        ids(&app.get_as("/api/promotions/?editable_only=true", &user.bearer).await.json()),
        vec![promotion["id"].as_i64().unwrap()]
    );
    let moderator = app.user("moderator", UserSpec { moderates: vec![municipality], ..Default::default() }).await;
    let by_moderator = app.post_json("/api/promotions/", Some(&moderator.bearer), &body).await.json();
    assert_eq!(by_moderator["municipality"], json!(municipality));
    let required = json!(["Tämä kenttä vaaditaan."]);
    let empty = app.post_json("/api/promotions/", Some(&user.bearer), &json!({})).await.json();
    let mut keys: Vec<&str> = empty.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "available_count",
            "description",
            "end_date",
            "end_time",
            "location",
            "name",
            "organizer",
            "start_date",
            "start_time"
        ]
    );
    assert!(empty.as_object().unwrap().values().all(|v| *v == required));
    let mut negative = body.clone();
    negative["available_count"] = json!(-1);
    assert_eq!(
        app.post_json("/api/promotions/", Some(&user.bearer), &negative).await.json(),
        json!({"available_count": ["Tämän luvun on oltava vähintään 0."]})
    );
    app.post_json("/api/promotions/", None, &body).await.assert_status(401);
}

#[tokio::test]
async fn only_those_who_may_edit_change_a_promotion() {
    let (app, owner, _, body) = setup().await;
    let stranger = app.user("stranger", UserSpec::default()).await;
    let promotion = app.post_json("/api/promotions/", Some(&owner.bearer), &body).await.json();
    let path = format!("/api/promotions/{}/", promotion["id"]);
    let mut echo = promotion.clone();
    echo["name"] = json!("Changed");
    app.put_json(&path, Some(&stranger.bearer), &echo).await.assert_status(403);
    app.delete(&path, Some(&stranger.bearer)).await.assert_status(403);
    assert_eq!(app.put_json(&path, Some(&owner.bearer), &echo).await.json()["name"], json!("Changed"));
    // used_count stays writable for the owner: used up, no longer usable.
    let used_up = app.patch_json(&path, Some(&owner.bearer), &json!({"used_count": 10})).await;
    used_up.assert_status(200);
    assert_eq!(ids(&app.get_json("/api/promotions/?usable_only=true").await), Vec::<i64>::new());
    app.delete(&path, Some(&owner.bearer)).await.assert_status(204);
    app.get(&path).await.assert_status(404);
}

#[tokio::test]
async fn benefits_redeem_until_used_up() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer("Org").await;
    let location = app.location("Loc", None, None).await;
    let mut spec = PromotionSpec::new(organizer, location);
    spec.available = 1;
    let promotion = app.promotion("Once", spec).await;
    let user = app.user("redeemer", UserSpec::default()).await;
    let token = app.api_token(&user).await;
    let anonymous = app.post_json("/api/benefits/", None, &json!({"promotion": promotion})).await;
    anonymous.assert_status(401);
    // The Android app posts multipart, iOS urlencoded, both with a Token.
    let form = reqwest::multipart::Form::new().text("promotion", promotion.to_string());
    let first = app
        .client
        .post(format!("{}/api/benefits/", app.address))
        .header("authorization", &token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status().as_u16(), 201);
    let benefit: Value = first.json().await.unwrap();
    assert_eq!(
        benefit.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id", "created_at", "updated_at", "promotion"]
    );
    assert_eq!(benefit["promotion"], json!(promotion));
    let second = app
        .request(
            Method::POST,
            "/api/benefits/",
            &[("authorization", &token)],
            Some(("application/x-www-form-urlencoded", format!("promotion={promotion}").into_bytes())),
        )
        .await;
    second.assert_status(400);
    assert_eq!(second.json(), json!({"non_field_errors": ["All available promotions have been used"]}));
    assert_eq!(app.get_json(&format!("/api/promotions/{promotion}/")).await["used_count"], json!(1));
    assert_eq!(app.get_json("/api/benefits/").await.as_array().unwrap().len(), 1);
    // Unknown or missing promotion.
    assert_eq!(
        app.post_json("/api/benefits/", Some(&token), &json!({"promotion": 987654})).await.json(),
        json!({"promotion": ["Epäkelpo pääavain 987654 - objektia ei ole olemassa."]})
    );
    assert_eq!(
        app.post_json("/api/benefits/", Some(&token), &json!({})).await.json(),
        json!({"promotion": ["Tämä kenttä vaaditaan."]})
    );
    // A promotion with nothing available refuses the first redemption.
    let mut none_left = PromotionSpec::new(organizer, location);
    none_left.available = 0;
    let empty = app.promotion("None", none_left).await;
    app.post_json("/api/benefits/", Some(&token), &json!({"promotion": empty})).await.assert_status(400);
    // Benefits cannot be changed or deleted.
    let path = format!("/api/benefits/{}/", benefit["id"]);
    let put = app.put_json(&path, Some(&token), &json!({"promotion": promotion})).await;
    put.assert_status(405);
    assert_eq!(put.json(), json!({"detail": "Metodi \"PUT\" ei ole sallittu."}));
    app.delete(&path, Some(&token)).await.assert_status(405);
    app.delete(&path, None).await.assert_status(401);
    assert_eq!(app.get_json(&path).await["promotion"], json!(promotion));
}
