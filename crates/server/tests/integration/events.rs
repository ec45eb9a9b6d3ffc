//! Reading hobby events: the one-next-event-per-hobby rule and its recomputation, every
//! filter alone and combined, the nested hobby, distance and date orderings, search.

use crate::support::{column, ids, HobbySpec, TestApp};
use hp_domain::price::PriceType;
use serde_json::json;

/// Two hobbies with events on the frozen date and a week later (the original's fixtures).
async fn two_hobbies_with_events(app: &TestApp) -> ((i64, i64, i64), (i64, i64, i64)) {
    let h1 = app.hobby("Test Hobby", HobbySpec::default()).await;
    let e1 = app.event(h1, ("2022-02-22", "18:00"), ("2022-02-22", "19:00")).await;
    let e1b = app.event(h1, ("2022-03-01", "18:00"), ("2022-03-01", "19:00")).await;
    let h2 = app.hobby("Test Hobby 2", HobbySpec::default()).await;
    let e2 = app.event(h2, ("2022-02-22", "12:00"), ("2022-02-22", "13:00")).await;
    let e2b = app.event(h2, ("2022-03-01", "12:00"), ("2022-03-01", "13:00")).await;
    ((h1, e1, e1b), (h2, e2, e2b))
}

#[tokio::test]
async fn list_shows_each_hobbys_next_event_and_hobby_shows_all() {
    let app = TestApp::spawn().await;
    let ((h1, e1, e1b), (_, e2, _)) = two_hobbies_with_events(&app).await;
    // Default order: start date, then start time.
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await), vec![e2, e1]);
    assert_eq!(ids(&app.get_json(&format!("/api/hobbyevents/?hobby={h1}")).await), vec![e1, e1b]);
    // An empty hobby= does not lift the rule.
    assert_eq!(ids(&app.get_json("/api/hobbyevents/?hobby=").await), vec![e2, e1]);
    let event = app.get_json(&format!("/api/hobbyevents/{e1b}/")).await;
    assert_eq!(
        event,
        json!({"end_date": "2022-03-01", "end_time": "19:00:00", "hobby": h1, "id": e1b, "start_date": "2022-03-01",
               "start_time": "18:00:00", "start_weekday": 2, "data_source": ""})
    );
    let page = app.get_json("/mobile-api/v1/hobbyevents/").await;
    assert_eq!(page["count"], json!(2));
}

#[tokio::test]
async fn next_event_follows_rule_a_and_every_change() {
    let app = TestApp::spawn().await;
    // Events in 10 days, then one in 2 days is added: the list shows the +2 event.
    let h = app.hobby("Upcoming", HobbySpec::default()).await;
    app.event(h, ("2022-03-04", "10:00"), ("2022-03-04", "11:00")).await;
    let soon = app.event(h, ("2022-02-24", "10:00"), ("2022-02-24", "11:00")).await;
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await), vec![soon]);

    // An ongoing event (started 3 days ago, ends in 2) wins over tomorrow's.
    let app = TestApp::spawn().await;
    let h = app.hobby("Ongoing", HobbySpec::default()).await;
    let ongoing = app.event(h, ("2022-02-19", "10:00"), ("2022-02-24", "11:00")).await;
    app.event(h, ("2022-02-23", "10:00"), ("2022-02-23", "11:00")).await;
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await), vec![ongoing]);

    // Only an event that ended 10 days ago: not listed, but reachable by hobby and detail.
    let app = TestApp::spawn().await;
    let h = app.hobby("Past", HobbySpec::default()).await;
    let past = app.event(h, ("2022-02-12", "10:00"), ("2022-02-12", "11:00")).await;
    assert_eq!(app.get_json("/api/hobbyevents/").await, json!([]));
    assert_eq!(ids(&app.get_json(&format!("/api/hobbyevents/?hobby={h}")).await), vec![past]);
    app.get(&format!("/api/hobbyevents/{past}/")).await.assert_status(200);

    // Started yesterday, ended today at 00:00: still the next event (end_date >= today).
    let app = TestApp::spawn().await;
    let h = app.hobby("Midnight", HobbySpec::default()).await;
    let midnight = app.event(h, ("2022-02-21", "10:00"), ("2022-02-22", "00:00")).await;
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await), vec![midnight]);
    assert_eq!(app.get_json("/api/hobbyevents/?exclude_past_events=true").await, json!([]));
}

#[tokio::test]
async fn time_date_weekday_and_category_filters() {
    let app = TestApp::spawn().await;
    let language = app.category("Language learning", None).await;
    let h1 = app.hobby("Evening", HobbySpec { categories: vec![language], ..Default::default() }).await;
    let e1 = app.event(h1, ("2022-02-22", "19:00"), ("2022-02-22", "20:00")).await;
    app.event(h1, ("2022-03-01", "19:00"), ("2022-03-01", "20:00")).await;
    let h2 = app.hobby("Noon", HobbySpec::default()).await;
    let e2 = app.event(h2, ("2022-02-23", "12:00"), ("2022-02-23", "13:00")).await;
    app.event(h2, ("2022-03-02", "12:00"), ("2022-03-02", "13:00")).await;

    let app = &app;
    let get = |query: String| async move { ids(&app.get_json(&format!("/api/hobbyevents/?{query}")).await) };
    assert_eq!(get("start_time_from=18:00&start_time_to=19:00".into()).await, vec![e1]);
    assert_eq!(get("start_time_from=12:00&start_time_to=12:00:00".into()).await, vec![e2]);
    assert_eq!(get("start_time_from=00%3A00".into()).await, vec![e1, e2]);
    assert_eq!(get(format!("category={language}")).await, vec![e1]);
    assert_eq!(get("start_date_from=2022-02-22&start_date_to=2022-02-22".into()).await, vec![e1]);
    assert_eq!(get("start_date_from=2022-02-23".into()).await, vec![e2]);
    assert_eq!(get("start_weekday=2".into()).await, vec![e1]);
    assert_eq!(get("start_weekday=3".into()).await, vec![e2]);
    assert_eq!(get("start_weekday=2&start_weekday=3".into()).await, vec![e1, e2]);
    assert_eq!(get("start_weekday=5".into()).await, Vec::<i64>::new());
    // All filters intersect.
    assert_eq!(get(format!("category={language}&start_weekday=3")).await, Vec::<i64>::new());
    assert_eq!(get(format!("category={language}&start_weekday=2&start_time_from=18:30")).await, vec![e1]);
    // With hobby= the filters apply to all of its events.
    assert_eq!(get(format!("hobby={h1}&start_date_from=2022-02-23")).await.len(), 1);
}

#[tokio::test]
async fn price_type_filter_on_events() {
    let app = TestApp::spawn().await;
    let mut expected = Vec::new();
    for (price_type, cents) in
        [(PriceType::Free, 0), (PriceType::Annual, 100), (PriceType::Seasonal, 100), (PriceType::OneTime, 100)]
    {
        let hobby =
            app.hobby(price_type.as_str(), HobbySpec { price_type, price_cents: cents, ..Default::default() }).await;
        expected.push(app.event(hobby, ("2022-05-17", "10:00"), ("2022-05-17", "11:00")).await);
    }
    assert_eq!(ids(&app.get_json("/api/hobbyevents/").await).len(), 4);
    for (index, name) in ["free", "annual", "seasonal", "one_time"].iter().enumerate() {
        assert_eq!(ids(&app.get_json(&format!("/api/hobbyevents/?price_type={name}")).await), vec![expected[index]]);
    }
    assert_eq!(ids(&app.get_json("/api/hobbyevents/?price_type=xyz").await).len(), 4);
}

#[tokio::test]
async fn hobby_detail_nests_the_hobby_with_location_and_organizer() {
    let app = TestApp::spawn().await;
    let location = app.location("Tampere", Some((23.76, 61.5)), None).await;
    let organizer = app.organizer("Sports Club").await;
    let hobby = app
        .hobby("Test Hobby", HobbySpec { location: Some(location), organizer: Some(organizer), ..Default::default() })
        .await;
    let event = app.event(hobby, ("2022-02-22", "18:00"), ("2022-02-22", "19:00")).await;
    let body = app
        .get_json("/mobile-api/v1/hobbyevents/?include=hobby_detail&include=location_detail&include=organizer_detail")
        .await;
    let nested = &body["results"][0]["hobby"];
    assert_eq!(nested["name"], json!("Test Hobby"));
    assert_eq!(nested["location"]["coordinates"], json!({"type": "Point", "coordinates": [23.76, 61.5]}));
    assert_eq!(nested["organizer"], json!({"id": organizer, "name": "Sports Club"}));
    assert_eq!(nested["permissions"], json!({"can_edit": false}));
    assert_eq!(nested["price_type"], json!("free"));
    assert_eq!(nested["price_amount"], json!("0.00"));
    // Only hobby_detail: pre2 still nests location and organizer.
    let pre2 = app.get_json(&format!("/api/hobbyevents/{event}/?include=hobby_detail")).await;
    assert_eq!(pre2["hobby"]["location"]["id"], json!(location));
    assert_eq!(pre2["hobby"]["organizer"]["name"], json!("Sports Club"));
    // pre1: the legacy nested hobby with ids, unless their own includes ask.
    let pre1 = app.get_json(&format!("/api/pre1/hobbyevents/{event}/?include=hobby_detail")).await;
    assert_eq!(
        pre1["hobby"],
        json!({"category": null, "cover_image": null, "description": "", "id": hobby, "location": location,
               "name": "Test Hobby", "organizer": organizer, "permissions": {"can_edit": false}})
    );
    let pre1_nested =
        app.get_json(&format!("/api/pre1/hobbyevents/{event}/?include=hobby_detail&include=location_detail")).await;
    assert_eq!(pre1_nested["hobby"]["location"]["name"], json!("Tampere"));
    // The iOS form: ?&include… without the slash is redirected with the query kept.
    let redirect = app.get(&format!("/mobile-api/v1/hobbyevents/{event}?&include=hobby_detail")).await;
    redirect.assert_status(301);
    assert_eq!(
        redirect.header("location"),
        Some(format!("/mobile-api/v1/hobbyevents/{event}/?&include=hobby_detail").as_str())
    );
    let followed = app.get_json(&format!("/mobile-api/v1/hobbyevents/{event}/?&include=hobby_detail")).await;
    assert_eq!(followed["hobby"]["name"], json!("Test Hobby"));
}

#[tokio::test]
async fn nearest_and_start_date_orderings() {
    let app = TestApp::spawn().await;
    let mut hobbies = Vec::new();
    for (name, point) in [("far", (8.0, 10.0)), ("mid", (6.0, 4.0)), ("near", (2.0, 3.0))] {
        let location = app.location(name, Some(point), None).await;
        let hobby = app.hobby(name, HobbySpec { location: Some(location), ..Default::default() }).await;
        app.event(hobby, ("2022-02-22", "18:00"), ("2022-02-22", "19:00")).await;
        hobbies.push(hobby);
    }
    let nearest = app.get_json("/api/hobbyevents/?ordering=nearest&near_latitude=1&near_longitude=1").await;
    assert_eq!(column(&nearest, "hobby"), vec![&json!(hobbies[2]), &json!(hobbies[1]), &json!(hobbies[0])]);
    let farthest = app.get_json("/api/hobbyevents/?ordering=-nearest&near_latitude=1&near_longitude=1").await;
    assert_eq!(column(&farthest, "hobby"), vec![&json!(hobbies[0]), &json!(hobbies[1]), &json!(hobbies[2])]);
    // Repeated ordering: the last one counts.
    let repeated =
        app.get_json("/api/hobbyevents/?ordering=-nearest&ordering=nearest&near_latitude=1&near_longitude=1").await;
    assert_eq!(column(&repeated, "hobby")[0], &json!(hobbies[2]));
    // max_distance in km from (lat 1, lon 1): "near" (2,3) is ≈248 km away, "mid" ≈ 585 km.
    let limited =
        app.get_json("/api/hobbyevents/?ordering=nearest&near_latitude=1&near_longitude=1&max_distance=300").await;
    assert_eq!(column(&limited, "hobby"), vec![&json!(hobbies[2])]);

    let app = TestApp::spawn().await;
    let mut events = Vec::new();
    for (name, day) in [("today", "2022-02-22"), ("week", "2022-03-01"), ("fortnight", "2022-03-08")] {
        let hobby = app.hobby(name, HobbySpec::default()).await;
        events.push(app.event(hobby, (day, "10:00"), (day, "11:00")).await);
    }
    assert_eq!(ids(&app.get_json("/api/hobbyevents/?ordering=start_date").await), events);
    let mut reversed = events.clone();
    reversed.reverse();
    assert_eq!(ids(&app.get_json("/api/hobbyevents/?ordering=-start_date").await), reversed);
    assert_eq!(
        ids(&app.get_json("/api/hobbyevents/?ordering=nearest,start_date&near_latitude=1&near_longitude=1").await),
        events
    );
}

#[tokio::test]
async fn exclude_past_events_uses_helsinki_now() {
    let app = TestApp::spawn().await;
    // Now is 2022-02-22 16:00 local.
    let hobby = app.hobby("Running", HobbySpec::default()).await;
    let event = app.event(hobby, ("2022-01-01", "14:00"), ("2022-03-01", "14:59")).await;
    assert_eq!(ids(&app.get_json("/api/hobbyevents/?exclude_past_events=true").await), vec![event]);
    let ends_today = app.hobby("Ends today", HobbySpec::default()).await;
    app.event(ends_today, ("2022-01-01", "14:00"), ("2022-02-22", "14:59")).await;
    let at_now = app.hobby("Ends now", HobbySpec::default()).await;
    let now_event = app.event(at_now, ("2022-01-01", "14:00"), ("2022-02-22", "16:00")).await;
    let with_past = ids(&app.get_json("/api/hobbyevents/").await);
    assert_eq!(with_past.len(), 3);
    // An event ending exactly now is kept; one that ended earlier today is dropped.
    assert_eq!(ids(&app.get_json("/api/hobbyevents/?exclude_past_events=TRUE").await), vec![event, now_event]);
    assert_eq!(ids(&app.get_json("/api/hobbyevents/?exclude_past_events=1").await), vec![event, now_event]);
    assert_eq!(ids(&app.get_json("/api/hobbyevents/?exclude_past_events=0").await).len(), 3);
}

#[tokio::test]
async fn search_matches_text_and_category_names_in_every_language() {
    let app = TestApp::spawn().await;
    let boots = app.category_named(Some("Saappaanheitto"), Some("Boot throwing"), Some("Startkast"), None).await;
    let athletics = app.category_named(Some("Yleisurheilu"), Some("Athletics"), None, None).await;
    let shot_put = app.category("Kuulantyöntö", Some(athletics)).await;
    let dance = app.category("Tanssi", None).await;
    let dance_sport = app.category("Tanssiurheilu", None).await;
    let lorem = app
        .hobby(
            "Lorem ipsum dolor sit amet",
            HobbySpec {
                description:
                    "Consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua"
                        .into(),
                categories: vec![boots],
                ..Default::default()
            },
        )
        .await;
    let e_lorem = app.event(lorem, ("2022-02-23", "10:00"), ("2022-02-23", "11:00")).await;
    let grass =
        app.hobby("Jalkapallo", HobbySpec { description: "Pelataan nurmella".into(), ..Default::default() }).await;
    let e_grass = app.event(grass, ("2022-02-24", "10:00"), ("2022-02-24", "11:00")).await;
    let shot = app.hobby("Kuula", HobbySpec { categories: vec![shot_put], ..Default::default() }).await;
    let e_shot = app.event(shot, ("2022-02-25", "10:00"), ("2022-02-25", "11:00")).await;
    let dancing =
        app.hobby("Tanssiryhmä", HobbySpec { categories: vec![dance, dance_sport], ..Default::default() }).await;
    let e_dance = app.event(dancing, ("2022-02-26", "10:00"), ("2022-02-26", "11:00")).await;
    let other = app.hobby("Ääniteknikko", HobbySpec { description: "Ähtärin ÅÄÖ".into(), ..Default::default() }).await;
    let e_other = app.event(other, ("2022-02-27", "10:00"), ("2022-02-27", "11:00")).await;

    let app = &app;
    let search =
        |term: &'static str| async move { ids(&app.get_json(&format!("/api/hobbyevents/?search={term}")).await) };
    for term in ["lorem%20ipsum", "eiusmod+tempor", "saappaan", "boot", "star", "LOREM", "Consectetur,dolore"] {
        assert_eq!(search(term).await, vec![e_lorem], "{term}");
    }
    assert_eq!(search("nurmella%20pelataan").await, vec![e_grass]);
    assert_eq!(search("yleisurheilu").await, vec![e_shot]);
    assert_eq!(search("athletics").await, vec![e_shot]);
    // In two matching categories: listed once.
    assert_eq!(search("tanssi").await, vec![e_dance]);
    // Non-ASCII letters fold case too.
    assert_eq!(search("ääni").await, vec![e_other]);
    assert_eq!(search("åäö").await, vec![e_other]);
    // Text terms must all match; category names match on any term.
    assert_eq!(search("lorem%20nurmella").await, Vec::<i64>::new());
    assert_eq!(search("zzz%20boot").await, vec![e_lorem]);
    // Empty or value-less search: no filter. LIKE metacharacters are literal.
    assert_eq!(search("").await.len(), 5);
    assert_eq!(ids(&app.get_json("/api/hobbyevents/?search").await).len(), 5);
    assert_eq!(search("%25").await, Vec::<i64>::new());
    assert_eq!(search("_").await, Vec::<i64>::new());
}
