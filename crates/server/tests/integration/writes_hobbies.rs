//! Writing hobbies: who may, what is set, the price rules, PUT tolerance, and bad input that
//! is refused naming the field with nothing written.

use crate::support::{ids, HobbySpec, TestApp, UserSpec};
use hp_domain::price::PriceType;
use reqwest::Method;
use serde_json::{json, Value};

struct Fixture {
    app: TestApp,
    body: Value,
    municipality: i64,
}

/// The original's fixtures: a municipality, its location, an organizer, a category.
async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let municipality = app.municipality("Municipality").await;
    let location = app.location("Tampere", None, Some(municipality)).await;
    let organizer = app.organizer("Sports Club").await;
    let category = app.category("Language learning", None).await;
    let body = json!({"categories": [category], "description": "Description of a new hobby", "location": location,
                      "name": "New Hobby", "organizer": organizer, "price_type": "free", "price_amount": 0});
    Fixture { app, body, municipality }
}

async fn hobby_count(app: &TestApp) -> usize {
    ids(&app.get_json("/api/hobbies/").await).len()
}

#[tokio::test]
async fn create_sets_creator_municipality_and_rights() {
    let Fixture { app, body, municipality } = fixture().await;
    let user = app.user("test_user", UserSpec::default()).await;
    let created = app.post_json("/api/hobbies/", Some(&user.bearer), &body).await;
    created.assert_status(201);
    let hobby = created.json();
    for key in ["categories", "description", "location", "name", "organizer"] {
        assert_eq!(hobby[key], body[key], "{key}");
    }
    assert_eq!(hobby["permissions"], json!({"can_edit": true}));
    assert_eq!(hobby["price_amount"], json!("0.00"));
    assert_eq!(hobby["municipality"], json!(null));
    let stored =
        hp_db::hobbies::get(&mut app.db.conn().await.unwrap(), hobby["id"].as_i64().unwrap()).await.unwrap().unwrap();
    assert_eq!(stored.created_by_id, Some(user.id));
    // Others see can_edit false; the creator true; anonymous false.
    let other = app.user("test_user2", UserSpec::default()).await;
    let path = format!("/api/hobbies/{}/", hobby["id"]);
    assert_eq!(app.get_as(&path, &other.bearer).await.json()["permissions"], json!({"can_edit": false}));
    assert_eq!(app.get_as(&path, &user.bearer).await.json()["permissions"], json!({"can_edit": true}));
    assert_eq!(app.get_json(&path).await["permissions"], json!({"can_edit": false}));
    // A moderator's hobby belongs to their municipality.
    let moderator = app.user("moderator", UserSpec { moderates: vec![municipality], ..Default::default() }).await;
    let by_moderator = app.post_json("/api/v1/hobbies/", Some(&moderator.bearer), &body).await.json();
    assert_eq!(by_moderator["municipality"], json!({"id": municipality, "name": "Municipality"}));
    // Anonymous: 401 and nothing created.
    let before = hobby_count(&app).await;
    let anonymous = app.post_json("/api/hobbies/", None, &body).await;
    anonymous.assert_status(401);
    assert_eq!(anonymous.json(), json!({"detail": "Autentikaatiotunnuksia ei annettu."}));
    assert_eq!(hobby_count(&app).await, before);
}

#[tokio::test]
async fn price_rules_apply_to_the_merged_result() {
    let Fixture { app, body, .. } = fixture().await;
    let user = app.user("pricer", UserSpec::default()).await;
    let post = |overrides: Value| {
        let mut body = body.clone();
        for (k, v) in overrides.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        let app = &app;
        let bearer = user.bearer.clone();
        async move { app.post_json("/api/hobbies/", Some(&bearer), &body).await }
    };
    let free_not_zero = json!({"non_field_errors": ["Price amount has to be 0 if price type is free"]});
    let zero_not_free =
        json!({"non_field_errors": ["Price amount can not be 0 if price type is something else than free"]});
    let negative = json!({"non_field_errors": ["Price amount can not be negative"]});
    let before = hobby_count(&app).await;
    for (overrides, expected) in [
        (json!({"price_amount": 808}), &free_not_zero),
        (json!({"price_type": "annual", "price_amount": 0}), &zero_not_free),
        (json!({"price_type": "paid", "price_amount": "0.00"}), &zero_not_free),
        (json!({"price_type": "annual", "price_amount": -1}), &negative),
        (json!({"price_type": "free", "price_amount": -1}), &free_not_zero),
        (json!({"price_type": null, "price_amount": 5}), &free_not_zero),
        (json!({"price_type": "annual", "price_amount": null}), &zero_not_free),
    ] {
        let response = post(overrides.clone()).await;
        assert_eq!(response.status.as_u16(), 400, "{overrides}: {}", response.text);
        assert_eq!(&response.json(), expected, "{overrides}");
    }
    assert_eq!(hobby_count(&app).await, before);
    let defaults = post(json!({"price_type": null, "price_amount": null})).await;
    defaults.assert_status(201);
    assert_eq!(
        (defaults.json()["price_type"].clone(), defaults.json()["price_amount"].clone()),
        (json!("free"), json!("0.00"))
    );
    let seasonal = post(json!({"price_type": "seasonal", "price_amount": "25.5"})).await;
    assert_eq!(seasonal.json()["price_amount"], json!("25.50"));
    for (amount, message) in [
        (json!(1000), "Tässä luvussa saa olla enintään 3 numeroa ennen desimaalipilkkua."),
        (json!("1.234"), "Tässä luvussa saa olla enintään 2 desimaalia."),
        (json!("NaN"), "Kelvollinen luku vaaditaan."),
        (json!("abc"), "Kelvollinen luku vaaditaan."),
    ] {
        let response = post(json!({"price_type": "annual", "price_amount": amount})).await;
        assert_eq!(response.json(), json!({"price_amount": [message]}), "{amount}");
    }
    let bogus = post(json!({"price_type": "bogus"})).await;
    assert_eq!(bogus.json(), json!({"price_type": ["\"bogus\" ei ole kelvollinen valinta."]}));
    // PATCH of one price field is checked against the stored other one.
    let id = seasonal.json()["id"].as_i64().unwrap();
    let patch =
        app.patch_json(&format!("/api/hobbies/{id}/"), Some(&user.bearer), &json!({"price_type": "free"})).await;
    assert_eq!(patch.json(), free_not_zero);
    app.patch_json(&format!("/api/hobbies/{id}/"), Some(&user.bearer), &json!({"name": "Renamed"}))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn only_the_creator_moderators_and_superusers_may_change_a_hobby() {
    let Fixture { app, body, municipality } = fixture().await;
    let owner = app.user("owner", UserSpec { moderates: vec![municipality], ..Default::default() }).await;
    let stranger = app.user("stranger", UserSpec::default()).await;
    let fellow = app.user("fellow", UserSpec { moderates: vec![municipality], ..Default::default() }).await;
    let admin = app.user("admin", UserSpec { superuser: true, ..Default::default() }).await;
    let created = app.post_json("/api/hobbies/", Some(&owner.bearer), &body).await.json();
    let path = format!("/api/hobbies/{}/", created["id"]);
    let mut echo = created.clone();
    echo["name"] = json!("Stranger's name");
    let refused = app.put_json(&path, Some(&stranger.bearer), &echo).await;
    refused.assert_status(403);
    assert_eq!(refused.json(), json!({"detail": "Sinulla ei ole lupaa suorittaa tätä toimintoa."}));
    app.put_json(&path, None, &echo).await.assert_status(401);
    assert_eq!(app.get_json(&path).await["name"], json!("New Hobby"));
    // The web UI echoes the whole object (id, permissions, municipality object): accepted.
    echo["name"] = json!("Fellow's name");
    let by_fellow = app.put_json(&path, Some(&fellow.bearer), &echo).await;
    by_fellow.assert_status(200);
    assert_eq!(by_fellow.json()["name"], json!("Fellow's name"));
    echo["name"] = json!("Admin's name");
    app.put_json(&path, Some(&admin.bearer), &echo).await.assert_status(200);
    // PUT needs the name; other fields keep their values when left out.
    let no_name = app.put_json(&path, Some(&owner.bearer), &json!({"description": "x"})).await;
    assert_eq!(no_name.json(), json!({"name": ["Tämä kenttä vaaditaan."]}));
    let put = app.put_json(&path, Some(&owner.bearer), &json!({"name": "Only name"})).await.json();
    assert_eq!(
        (put["description"].clone(), put["categories"].clone()),
        (created["description"].clone(), created["categories"].clone())
    );
    // Unknown id: 404 before anything else.
    app.put_json("/api/hobbies/987654/", Some(&owner.bearer), &echo).await.assert_status(404);
    // Delete: others 403, the creator 204, its events go with it.
    let event = app.event(created["id"].as_i64().unwrap(), ("2022-03-01", "10:00"), ("2022-03-01", "11:00")).await;
    app.delete(&path, Some(&stranger.bearer)).await.assert_status(403);
    app.delete(&path, None).await.assert_status(401);
    let deleted = app.delete(&path, Some(&owner.bearer)).await;
    deleted.assert_status(204);
    assert_eq!(deleted.text, "");
    app.get(&path).await.assert_status(404);
    app.get(&format!("/api/hobbyevents/{event}/")).await.assert_status(404);
}

#[tokio::test]
async fn editable_only_lists_what_the_user_may_change() {
    let Fixture { app, municipality, .. } = fixture().await;
    let category = app.category("Football", None).await;
    let creator = app.user("creator", UserSpec::default()).await;
    let moderator = app.user("moderator", UserSpec { moderates: vec![municipality], ..Default::default() }).await;
    let admin = app.user("admin", UserSpec { superuser: true, ..Default::default() }).await;
    let own = app
        .hobby("Own", HobbySpec { created_by: Some(creator.id), categories: vec![category], ..Default::default() })
        .await;
    let municipal = app.hobby("Municipal", HobbySpec { municipality: Some(municipality), ..Default::default() }).await;
    let other = app.hobby("Other", HobbySpec::default()).await;
    let list = |auth: &str, query: &str| {
        let (app, auth, query) = (&app, auth.to_owned(), query.to_owned());
        async move {
            ids(&app.get_as(&format!("/api/v1/hobbies/?editable_only=true&page_size=50{query}"), &auth).await.json())
        }
    };
    assert_eq!(list(&creator.bearer, "").await, vec![own]);
    assert_eq!(list(&moderator.bearer, "").await, vec![municipal]);
    assert_eq!(list(&admin.bearer, "").await, vec![own, municipal, other]);
    // editable_only intersects with the other filters (quirks.md 1).
    assert_eq!(list(&creator.bearer, &format!("&category={category}")).await, vec![own]);
    assert_eq!(list(&moderator.bearer, &format!("&category={category}")).await, Vec::<i64>::new());
    // A moderator removed from the municipality loses it at the next request.
    let mut tx = app.db.begin().await.unwrap();
    hp_db::municipalities::remove_moderator(&mut tx, municipality, moderator.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(list(&moderator.bearer, "").await, Vec::<i64>::new());
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let Fixture { app, body, .. } = fixture().await;
    let user = app.user("careful", UserSpec::default()).await;
    let with = |key: &str, value: Value| {
        let mut body = body.clone();
        body[key] = value;
        body
    };
    let cases = vec![
        (with("name", json!("")), json!({"name": ["Tämä kenttä ei voi olla tyhjä."]})),
        (with("name", json!("   ")), json!({"name": ["Tämä kenttä ei voi olla tyhjä."]})),
        (with("name", json!("a".repeat(1025))), json!({"name": ["Arvo saa olla enintään 1024 merkkiä pitkä."]})),
        (with("name", json!("a\u{0}b")), json!({"name": ["Tyhjiä merkkejä (null) ei sallita."]})),
        (with("name", json!(null)), json!({"name": ["Tämän kentän arvo ei voi olla \"null\"."]})),
        (
            with("categories", json!([987654])),
            json!({"categories": ["Epäkelpo pääavain 987654 - objektia ei ole olemassa."]}),
        ),
        (with("categories", json!("3")), json!({"categories": ["Odotettiin listaa, saatiin tyyppi str."]})),
        (
            with("categories", json!(["x"])),
            json!({"categories": ["Väärä tyyppi. Odotettiin pääavainarvoa, saatiin str."]}),
        ),
        (
            with("location", json!(987654)),
            json!({"location": ["Epäkelpo pääavain 987654 - objektia ei ole olemassa."]}),
        ),
        (
            with("organizer", json!({"id": 1})),
            json!({"organizer": ["Väärä tyyppi. Odotettiin pääavainarvoa, saatiin dict."]}),
        ),
        (with("description", json!(["list"])), json!({"description": ["Not a valid string."]})),
    ];
    let before = hobby_count(&app).await;
    for (body, expected) in cases {
        let response = app.post_json("/api/hobbies/", Some(&user.bearer), &body).await;
        assert_eq!(response.status.as_u16(), 400, "{body}: {}", response.text);
        assert_eq!(response.json(), expected, "{body}");
    }
    let mut missing = body.clone();
    missing.as_object_mut().unwrap().remove("name");
    assert_eq!(
        app.post_json("/api/hobbies/", Some(&user.bearer), &missing).await.json(),
        json!({"name": ["Tämä kenttä vaaditaan."]})
    );
    // Not JSON, not an object, not a supported media type.
    let malformed = app
        .request(
            Method::POST,
            "/api/hobbies/",
            &[("authorization", &user.bearer)],
            Some(("application/json", b"{\"name\": ".to_vec())),
        )
        .await;
    malformed.assert_status(400);
    assert!(malformed.json()["detail"].as_str().unwrap().starts_with("JSON parse error - "));
    let list = app.post_json("/api/hobbies/", Some(&user.bearer), &json!([1, 2])).await;
    assert_eq!(list.json(), json!({"non_field_errors": ["Odotettiin sanakirjaa, saatiin tyyppi list."]}));
    let xml = app
        .request(
            Method::POST,
            "/api/hobbies/",
            &[("authorization", &user.bearer)],
            Some(("application/xml", b"<a/>".to_vec())),
        )
        .await;
    xml.assert_status(415);
    assert_eq!(xml.json(), json!({"detail": "Pyynnön mediatyyppiä \"application/xml\" ei tueta."}));
    assert_eq!(hobby_count(&app).await, before);
    // Strings are stripped.
    let padded = app.post_json("/api/hobbies/", Some(&user.bearer), &with("name", json!("  padded  "))).await;
    assert_eq!(padded.json()["name"], json!("padded"));
}

#[tokio::test]
async fn pre1_writes_only_the_legacy_fields() {
    let Fixture { app, body, .. } = fixture().await;
    let user = app.user("legacy", UserSpec::default()).await;
    let mut legacy = body.clone();
    legacy["price_type"] = json!("annual");
    legacy["price_amount"] = json!(10);
    let created = app.post_json("/api/pre1/hobbies/", Some(&user.bearer), &legacy).await;
    created.assert_status(201);
    let created = created.json();
    assert_eq!(created["category"], json!(null));
    assert!(created.get("price_type").is_none());
    let standard = app.get_json(&format!("/api/hobbies/{}/", created["id"])).await;
    assert_eq!((standard["price_type"].clone(), standard["categories"].clone()), (json!("free"), json!([])));
    let _ = PriceType::Free;
}

/// A partial edit rebuilds the search text from the text it names and the stored other one:
/// a rename keeps the description findable, a new description keeps the name findable.
/// (Hobby events are searched by their hobby's texts; the hobby list has no `search`.)
#[tokio::test]
async fn partial_edits_rebuild_the_search_text_from_both_texts() {
    let Fixture { app, mut body, .. } = fixture().await;
    body["name"] = json!("Uintikoulu");
    let admin = app.user("admin", UserSpec { superuser: true, ..Default::default() }).await;
    let created = app.send_json(Method::POST, "/api/hobbies/", Some(&admin.bearer), &body).await;
    created.assert_status(201);
    let id = created.json()["id"].as_i64().unwrap();
    let path = format!("/api/hobbies/{id}/");
    let event = app.event(id, ("2030-01-07", "17:00"), ("2030-01-07", "18:00")).await;
    let found = |term: &'static str| {
        let app = &app;
        async move { ids(&app.get_json(&format!("/api/v1/hobbyevents/?search={term}")).await) }
    };
    assert_eq!(found("uinti").await, vec![event]);
    app.patch_json(&path, Some(&admin.bearer), &json!({"name": "Kanteleensoitto"})).await.assert_status(200);
    assert_eq!(found("kantele").await, vec![event]);
    assert_eq!(found("uinti").await, Vec::<i64>::new());
    assert_eq!(found("description%20of").await, vec![event]);
    app.patch_json(&path, Some(&admin.bearer), &json!({"description": "Soitetaan yhdessä"})).await.assert_status(200);
    assert_eq!(found("yhdess%C3%A4").await, vec![event]);
    assert_eq!(found("kantele").await, vec![event]);
    assert_eq!(found("description").await, Vec::<i64>::new());
}
