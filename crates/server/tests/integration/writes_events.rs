//! Writing hobby events: recurrence, formats, rights on the hobby, next-event upkeep.

use crate::support::{ids, HobbySpec, TestApp, TestUser, UserSpec};
use serde_json::{json, Value};

async fn setup() -> (TestApp, TestUser, i64, Value) {
    let app = TestApp::spawn().await;
    let user = app.user("organizer", UserSpec::default()).await;
    let hobby = app.hobby("Farland hobby", HobbySpec { created_by: Some(user.id), ..Default::default() }).await;
    let body = json!({"hobby": hobby, "start_date": "2019-06-01", "end_date": "2019-07-01", "start_time": "14:30:00", "end_time": "16:30:00"});
    (app, user, hobby, body)
}

async fn event_count(app: &TestApp, hobby: i64) -> usize {
    ids(&app.get_json(&format!("/api/hobbyevents/?hobby={hobby}")).await).len()
}

#[tokio::test]
async fn create_answers_the_base_event_in_its_eight_keys() {
    let (app, user, hobby, mut body) = setup().await;
    body["id"] = json!("temp-id-from-the-ui");
    body["start_weekday"] = json!(0);
    body["start_time"] = json!("14:30");
    let created = app.post_json("/api/hobbyevents/", Some(&user.bearer), &body).await;
    created.assert_status(201);
    let event = created.json();
    assert_eq!(
        event.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["end_date", "end_time", "hobby", "id", "start_date", "start_time", "start_weekday", "data_source"]
    );
    assert_eq!((event["start_weekday"].clone(), event["start_time"].clone()), (json!(6), json!("14:30:00")));
    assert_eq!(event_count(&app, hobby).await, 1);
    let anonymous = app.post_json("/api/hobbyevents/", None, &body).await;
    anonymous.assert_status(401);
    assert_eq!(event_count(&app, hobby).await, 1);
}

#[tokio::test]
async fn recurrence_makes_weekly_copies_in_one_go() {
    let (app, user, hobby, body) = setup().await;
    let mut recurrent = body.clone();
    recurrent["is_recurrent"] = json!(true);
    recurrent["recurrency_count"] = json!(2);
    let base = app.post_json("/api/hobbyevents/", Some(&user.bearer), &recurrent).await.json();
    let events = app.get_json(&format!("/api/hobbyevents/?hobby={hobby}")).await;
    let starts: Vec<&Value> = events.as_array().unwrap().iter().map(|e| &e["start_date"]).collect();
    assert_eq!(starts, [&json!("2019-06-01"), &json!("2019-06-08"), &json!("2019-06-15")]);
    assert_eq!(events[2]["end_date"], json!("2019-07-15"));
    let copies: Vec<Option<i64>> = {
        let conn = &mut app.db.conn().await.unwrap();
        let mut found = Vec::new();
        for id in ids(&events) {
            let q = sea_query::Query::select()
                .column(sea_query::Alias::new("recurrence_start_event_id"))
                .from(sea_query::Alias::new("hobby_events"))
                .and_where(sea_query::Expr::col(sea_query::Alias::new("id")).eq(id))
                .to_owned();
            found.push(hp_db::Executes::fetch_scalar::<Option<i64>>(conn, &q).await.unwrap());
        }
        found
    };
    let base_id = base["id"].as_i64().unwrap();
    assert_eq!(copies, vec![None, Some(base_id), Some(base_id)]);
    // is_recurrent as "1", 0, true; count 50 gives 51 events; count without recurrence: one.
    let other = app.hobby("Other", HobbySpec { created_by: Some(user.id), ..Default::default() }).await;
    let mut fifty = body.clone();
    fifty["hobby"] = json!(other);
    fifty["is_recurrent"] = json!("1");
    fifty["recurrency_count"] = json!(50);
    app.post_json("/api/hobbyevents/", Some(&user.bearer), &fifty).await.assert_status(201);
    assert_eq!(event_count(&app, other).await, 51);
    let third = app.hobby("Third", HobbySpec { created_by: Some(user.id), ..Default::default() }).await;
    let mut not_recurrent = body.clone();
    not_recurrent["hobby"] = json!(third);
    not_recurrent["is_recurrent"] = json!(0);
    not_recurrent["recurrency_count"] = json!(5);
    app.post_json("/api/hobbyevents/", Some(&user.bearer), &not_recurrent).await.assert_status(201);
    assert_eq!(event_count(&app, third).await, 1);
}

#[tokio::test]
async fn invalid_events_create_nothing() {
    let (app, user, hobby, body) = setup().await;
    let post = |body: Value| {
        let (app, bearer) = (&app, user.bearer.clone());
        async move { app.post_json("/api/hobbyevents/", Some(&bearer), &body).await }
    };
    let required = json!(["Tämä kenttä vaaditaan."]);
    let empty = post(json!({})).await;
    empty.assert_status(400);
    assert_eq!(
        empty.json(),
        json!({"end_date": required, "end_time": required, "hobby": required, "start_date": required, "start_time": required})
    );
    let formats = post(
        json!({"hobby": hobby, "start_date": "2020-13-01", "end_date": "x", "start_time": "25:00", "end_time": "11"}),
    )
    .await;
    let date = json!(["Virheellinen päivämäärän muotoilu. Käytä jotain näistä muodoista: YYYY-MM-DD"]);
    let time = json!(["Virheellinen kellonajan muotoilu. Käytä jotain näistä muodoista: hh:mm[:ss[.uuuuuu]]"]);
    assert_eq!(formats.json(), json!({"end_date": date, "end_time": time, "start_date": date, "start_time": time}));
    let mut unknown = body.clone();
    unknown["hobby"] = json!(987654);
    assert_eq!(post(unknown).await.json(), json!({"hobby": ["Epäkelpo pääavain 987654 - objektia ei ole olemassa."]}));
    for (count, message) in [(51, "Tämän arvon on oltava enintään 50."), (-1, "Tämän luvun on oltava vähintään 0.")]
    {
        let mut body = body.clone();
        body["is_recurrent"] = json!(true);
        body["recurrency_count"] = json!(count);
        assert_eq!(post(body).await.json(), json!({"recurrency_count": [message]}));
    }
    let mut late = body.clone();
    late["start_date"] = json!("9999-12-25");
    late["end_date"] = json!("9999-12-25");
    late["is_recurrent"] = json!(true);
    late["recurrency_count"] = json!(2);
    let overflow = post(late).await;
    overflow.assert_status(400);
    assert_eq!(overflow.json(), json!({"recurrency_count": ["Recurring events must end before the year 10000."]}));
    let mut flag = body.clone();
    flag["is_recurrent"] = json!("maybe");
    assert_eq!(post(flag).await.json(), json!({"is_recurrent": ["Must be a valid boolean."]}));
    assert_eq!(event_count(&app, hobby).await, 0);
}

#[tokio::test]
async fn only_those_who_may_edit_the_hobby_touch_its_events() {
    let (app, owner, hobby, body) = setup().await;
    let stranger = app.user("stranger", UserSpec::default()).await;
    let refused = app.post_json("/api/hobbyevents/", Some(&stranger.bearer), &body).await;
    refused.assert_status(403);
    assert_eq!(event_count(&app, hobby).await, 0);
    let event = app.post_json("/api/hobbyevents/", Some(&owner.bearer), &body).await.json();
    let path = format!("/api/hobbyevents/{}/", event["id"]);
    let mut echo = event.clone();
    echo["end_time"] = json!("20:00");
    app.put_json(&path, Some(&stranger.bearer), &echo).await.assert_status(403);
    app.put_json(&path, None, &echo).await.assert_status(401);
    app.delete(&path, Some(&stranger.bearer)).await.assert_status(403);
    let updated = app.put_json(&path, Some(&owner.bearer), &echo).await;
    updated.assert_status(200);
    assert_eq!(updated.json()["end_time"], json!("20:00:00"));
    // Moving the event to a hobby one may not edit is refused.
    let foreign = app.hobby("Foreign", HobbySpec::default()).await;
    app.patch_json(&path, Some(&owner.bearer), &json!({"hobby": foreign})).await.assert_status(403);
    app.delete(&path, Some(&owner.bearer)).await.assert_status(204);
    app.get(&path).await.assert_status(404);
}

#[tokio::test]
async fn the_next_event_follows_creates_updates_and_deletes() {
    let (app, user, hobby, _) = setup().await;
    let make = |start: &'static str| {
        let (app, bearer) = (&app, user.bearer.clone());
        async move {
            let body = json!({"hobby": hobby, "start_date": start, "end_date": start, "start_time": "10:00", "end_time": "11:00"});
            app.post_json("/api/hobbyevents/", Some(&bearer), &body).await.json()["id"].as_i64().unwrap()
        }
    };
    let later = make("2022-03-04").await;
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await), vec![later]);
    let sooner = make("2022-02-24").await;
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await), vec![sooner]);
    // Moving the sooner event past the later one makes the later one next.
    app.patch_json(
        &format!("/api/hobbyevents/{sooner}/"),
        Some(&user.bearer),
        &json!({"start_date": "2022-04-01", "end_date": "2022-04-01"}),
    )
    .await
    .assert_status(200);
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await), vec![later]);
    // Deleting the next event lists the remaining one at once.
    app.delete(&format!("/api/hobbyevents/{later}/"), Some(&user.bearer)).await.assert_status(204);
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await), vec![sooner]);
    app.delete(&format!("/api/hobbyevents/{sooner}/"), Some(&user.bearer)).await.assert_status(204);
    assert_eq!(app.get_json("/api/hobbyevents/").await, json!([]));
}
