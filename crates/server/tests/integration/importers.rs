//! Importers against a local upstream (an HTTP server on 127.0.0.1, port 0) serving the
//! recorded responses of ../shared/data/fixtures (copied to tests/data/fixtures) and
//! variations of them: several pages, an item that disappears, a 500 then a success, a
//! malformed page, a timeout; and every test vector of the fixtures.

use crate::support::TestApp;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hp_db::categories::{self, NewTreeNode};
use hp_db::schema::TreeTable;
use hp_importers::http::{FetchOptions, Fetcher};
use hp_importers::linkedcourses::{self, LinkedOptions};
use hp_importers::lipas::{self, LipasOptions};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/data/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// One prepared answer.
#[derive(Clone)]
struct Reply {
    status: u16,
    body: Vec<u8>,
    delay: Duration,
}

impl Reply {
    fn json(body: Value) -> Self {
        Self { status: 200, body: body.to_string().into_bytes(), delay: Duration::ZERO }
    }
}

/// A fake upstream: answers per path (and `page` parameter) from a queue whose last reply
/// repeats; counts the requests; holds every answer while a test holds `hold` for writing.
#[derive(Clone, Default)]
struct Upstream {
    replies: Arc<Mutex<HashMap<String, VecDeque<Reply>>>>,
    base: String,
    asked: Arc<std::sync::atomic::AtomicUsize>,
    hold: Arc<tokio::sync::RwLock<()>>,
}

fn key_of(path: &str, query: Option<&str>) -> String {
    let page = query
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "page").map(|(_, v)| v.into_owned()));
    match page {
        Some(page) => format!("{path}?page={page}"),
        None => path.to_owned(),
    }
}

async fn answer(State(upstream): State<Upstream>, request: Request) -> Response {
    upstream.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let _open = upstream.hold.read().await;
    let key = key_of(request.uri().path(), request.uri().query());
    let reply = {
        let mut replies = upstream.replies.lock().unwrap();
        match replies.get_mut(&key) {
            Some(queue) if queue.len() > 1 => queue.pop_front(),
            Some(queue) => queue.front().cloned(),
            None => None,
        }
    };
    let Some(reply) = reply else { return (StatusCode::NOT_FOUND, "no such fixture").into_response() };
    tokio::time::sleep(reply.delay).await;
    (StatusCode::from_u16(reply.status).unwrap(), [("content-type", "application/json")], reply.body).into_response()
}

impl Upstream {
    async fn start() -> Upstream {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let upstream = Upstream { base, ..Default::default() };
        let router = axum::Router::new().fallback(answer).with_state(upstream.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        upstream
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Replaces what `key` answers.
    fn set(&self, key: &str, replies: Vec<Reply>) {
        self.replies.lock().unwrap().insert(key.to_owned(), replies.into());
    }
}

fn image_store(app: &TestApp) -> harrastuspassi::import_cli::MediaImages {
    harrastuspassi::import_cli::MediaImages { media: app.state.app.media.clone(), limits: Default::default() }
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchOptions { timeout: Duration::from_millis(500), retries: 2, backoff: Duration::from_millis(20) })
        .unwrap()
}

/// The category that the basic event's keyword `yso:p23125` maps to.
async fn keyword_category(app: &TestApp) -> i64 {
    let node = NewTreeNode {
        name_fi: Some("Eläintenhoito".into()),
        data_source: "yso".into(),
        origin_id: "p23125".into(),
        ..Default::default()
    };
    let mut tx = app.db.begin().await.unwrap();
    let id = categories::insert(&mut tx, TreeTable::Categories, &node, app.clock.now()).await.unwrap();
    categories::relayout(&mut tx, TreeTable::Categories).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// The basic event with its own id and place served by the upstream.
fn event(upstream: &Upstream, id: &str, changes: Value) -> Value {
    let mut event = fixture("linkedcourses_event_basic.json");
    event["@id"] = json!(upstream.url(&format!("/linkedcourses/v1/event/{id}/")));
    event["location"]["@id"] = json!(upstream.url("/linkedcourses/v1/place/tprek:8020/"));
    for (key, value) in changes.as_object().unwrap() {
        event[key] = value.clone();
    }
    event
}

fn page(events: Vec<Value>, next: Option<String>) -> Value {
    json!({"meta": {"count": events.len(), "next": next, "previous": null}, "data": events})
}

fn place() -> Value {
    json!({
        "@id": "https://api.hel.fi/linkedcourses/v1/place/tprek:8020/",
        "name": {"fi": "Fallkullan kotieläintila", "sv": "Fallkulla husdjursgård"},
        "street_address": {"fi": "Malminkaari 3"},
        "address_locality": {"fi": "Helsinki"},
        "postal_code": "00700",
        "position": {"type": "Point", "coordinates": [25.0136, 60.2533]}
    })
}

fn linked(upstream: &Upstream) -> LinkedOptions {
    LinkedOptions { source: "linked_courses".into(), url: upstream.url("/linkedcourses/v1/event/"), dry_run: false }
}

async fn hobbies_of(app: &TestApp, source_prefix: &str) -> Vec<Value> {
    let listed = app.get_json("/api/v1/hobbies/?page_size=500").await;
    let mut hobbies: Vec<Value> = listed["results"].as_array().unwrap().clone();
    hobbies.retain(|h| h["name"].as_str().unwrap_or("").starts_with(source_prefix) || source_prefix.is_empty());
    hobbies
}

#[tokio::test]
async fn a_linked_courses_event_becomes_a_hobby_an_event_and_a_location() {
    let app = TestApp::spawn().await;
    let category = keyword_category(&app).await;
    let upstream = Upstream::start().await;
    upstream.set(
        "/linkedcourses/v1/event/",
        vec![Reply::json(page(vec![event(&upstream, "harrastushaku:13248", json!({}))], None))],
    );
    upstream.set("/linkedcourses/v1/place/tprek:8020/", vec![Reply::json(place())]);

    let report =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!((report.pages, report.hobbies_created, report.events_created, report.locations_created), (1, 1, 1, 1));

    let hobbies = app.get_json("/api/v1/hobbies/?include=location_detail").await;
    assert_eq!(hobbies["count"], json!(1));
    let hobby = &hobbies["results"][0];
    assert_eq!(hobby["name"], json!("Lauantai työnjako 22.8."));
    assert_eq!(hobby["categories"], json!([category]));
    assert_eq!(hobby["price_type"], json!("free"));
    assert_eq!(hobby["organizer"], Value::Null);
    let description = hobby["description"].as_str().unwrap();
    // The original's rule: the HTML is collapsed, the joined parts are not.
    assert!(description.starts_with("Kenelle: 12-17v.   Työnjaossa pääset siivoamaan karsinoita ja"), "{description}");
    assert!(description.ends_with("syödään omia eväitä."), "{description}");
    assert_eq!(hobby["location"]["name"], json!("Fallkullan kotieläintila"));
    assert_eq!(hobby["location"]["zip_code"], json!("00700"));
    assert_eq!(hobby["location"]["coordinates"], json!({"type": "Point", "coordinates": [25.0136, 60.2533]}));
    // A date-only time is that local date at 00:00 (the recommended fix).
    let events = app.get_json(&format!("/api/v1/hobbyevents/?hobby={}", hobby["id"])).await;
    assert_eq!(events["count"], json!(1));
    assert_eq!(events["results"][0]["start_date"], json!("2020-08-22"));
    assert_eq!(events["results"][0]["start_time"], json!("00:00:00"));

    // A second run changes nothing.
    let again =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!(
        (again.hobbies_created, again.hobbies_updated, again.events_created, again.events_updated),
        (0, 0, 0, 0)
    );

    // An imported event edited through the API stays the imported event: the next run
    // updates it instead of deleting it and creating a new one.
    let root = app.user("root", crate::support::UserSpec { superuser: true, ..Default::default() }).await;
    let event_id = events["results"][0]["id"].as_i64().unwrap();
    app.patch_json(&format!("/api/v1/hobbyevents/{event_id}/"), Some(&root.bearer), &json!({"start_time": "09:00"}))
        .await
        .assert_status(200);
    let third =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!((third.events_created, third.events_updated, third.events_deleted), (0, 1, 0));
    let after = app.get_json(&format!("/api/v1/hobbyevents/?hobby={}", hobby["id"])).await;
    assert_eq!(after["results"][0]["id"], json!(event_id));
    assert_eq!(after["results"][0]["start_time"], json!("00:00:00"));
}

#[tokio::test]
async fn pages_are_followed_and_what_disappears_is_deleted_but_never_everything() {
    let app = TestApp::spawn().await;
    keyword_category(&app).await;
    let upstream = Upstream::start().await;
    upstream.set("/linkedcourses/v1/place/tprek:8020/", vec![Reply::json(place())]);
    let named = |id: &str, name: &str| event(&upstream, id, json!({"name": {"fi": name}}));
    let second_page = upstream.url("/linkedcourses/v1/event/?page=2");
    upstream.set(
        "/linkedcourses/v1/event/",
        vec![Reply::json(page(vec![named("a", "LC Alfa"), named("b", "LC Beta")], Some(second_page.clone())))],
    );
    upstream.set("/linkedcourses/v1/event/?page=2", vec![Reply::json(page(vec![named("c", "LC Gamma")], None))]);
    let report =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!((report.pages, report.hobbies_created), (2, 3));

    // "b" is gone upstream.
    upstream.set("/linkedcourses/v1/event/", vec![Reply::json(page(vec![named("a", "LC Alfa")], Some(second_page)))]);
    let report =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!((report.hobbies_deleted, report.events_deleted), (1, 1));
    let names: Vec<String> =
        hobbies_of(&app, "LC").await.iter().map(|h| h["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, vec!["LC Alfa", "LC Gamma"]);

    // An upstream that answers nothing deletes nothing.
    upstream.set("/linkedcourses/v1/event/", vec![Reply::json(page(vec![], None))]);
    let report =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!(report.hobbies_deleted, 0);
    assert!(report.deletion_skipped.is_some());
    assert_eq!(hobbies_of(&app, "LC").await.len(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_and_bad_pages_leave_the_database_as_it_was() {
    let app = TestApp::spawn().await;
    keyword_category(&app).await;
    let upstream = Upstream::start().await;
    upstream.set("/linkedcourses/v1/place/tprek:8020/", vec![Reply::json(place())]);
    let first = page(vec![event(&upstream, "a", json!({"name": {"fi": "LC Alfa"}}))], None);
    // A 500, then the page.
    upstream.set(
        "/linkedcourses/v1/event/",
        vec![Reply { status: 500, body: "oops".into(), delay: Duration::ZERO }, Reply::json(first.clone())],
    );
    let report =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!(report.hobbies_created, 1);

    // A malformed second page: the run fails and nothing of it is kept.
    let with_next = page(
        vec![event(&upstream, "b", json!({"name": {"fi": "LC Beta"}}))],
        Some(upstream.url("/linkedcourses/v1/event/?page=2")),
    );
    upstream.set("/linkedcourses/v1/event/", vec![Reply::json(with_next)]);
    upstream.set(
        "/linkedcourses/v1/event/?page=2",
        vec![Reply { status: 200, body: "{\"data\": [".into(), delay: Duration::ZERO }],
    );
    let error = linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now())
        .await
        .unwrap_err();
    assert!(format!("{error:#}").contains("not valid JSON"), "{error:#}");
    let names: Vec<String> =
        hobbies_of(&app, "LC").await.iter().map(|h| h["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, vec!["LC Alfa"]);

    // An upstream slower than the timeout, every time: a clear error after the retries.
    upstream.set(
        "/linkedcourses/v1/event/",
        vec![Reply { status: 200, body: first.to_string().into_bytes(), delay: Duration::from_secs(2) }],
    );
    let error = linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now())
        .await
        .unwrap_err();
    assert!(format!("{error:#}").contains("gave up after 3 attempts"), "{error:#}");
    // A 404 is not retried.
    upstream.set("/linkedcourses/v1/event/", vec![Reply { status: 404, body: "{}".into(), delay: Duration::ZERO }]);
    let error = linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now())
        .await
        .unwrap_err();
    assert!(format!("{error:#}").contains("HTTP 404"), "{error:#}");
    assert_eq!(hobbies_of(&app, "LC").await.len(), 1);
}

#[tokio::test]
async fn every_price_and_description_vector_of_the_fixtures_holds() {
    let app = TestApp::spawn().await;
    keyword_category(&app).await;
    // Some steps remove the ages: the audience keyword "Nuoret" lets those events in.
    hp_importers::ontology::import(&app.db, None, false, true, app.clock.now()).await.unwrap();
    let upstream = Upstream::start().await;
    upstream.set("/linkedcourses/v1/place/tprek:8020/", vec![Reply::json(place())]);
    let mut events = Vec::new();
    let mut expected = Vec::new();
    for (i, case) in fixture("linkedcourses_price_type_cases.json")["cases"].as_array().unwrap().iter().enumerate() {
        let name = format!("Price type {i}");
        events.push(event(&upstream, &format!("pt{i}"), json!({"name": {"fi": name}, "offers": case["offers"]})));
        expected.push((name, "price_type", case["expected_price_type"].clone()));
    }
    for (i, case) in fixture("linkedcourses_price_amount_cases.json")["cases"].as_array().unwrap().iter().enumerate() {
        let name = format!("Price amount {i}");
        events.push(event(&upstream, &format!("pa{i}"), json!({"name": {"fi": name}, "offers": case["offers"]})));
        let euros: i64 = case["expected_price_amount"].as_str().unwrap().parse().unwrap();
        expected.push((name, "price_amount", json!(format!("{euros}.00"))));
    }
    // Description steps are cumulative changes of the basic event.
    let mut cumulative = json!({});
    for (i, step) in fixture("linkedcourses_description_cases.json")["steps"].as_array().unwrap().iter().enumerate() {
        for (key, value) in step["set"].as_object().unwrap() {
            cumulative[key] = value.clone();
        }
        let name = format!("Description {i}");
        let mut changes = cumulative.clone();
        changes["name"] = json!({"fi": name});
        changes["keywords"] = json!([
            {"@id": "https://api.hel.fi/linkedcourses/v1/keyword/yso:p23125/"},
            {"@id": "https://api.hel.fi/linkedcourses/v1/keyword/yso:p11617/"}
        ]);
        events.push(event(&upstream, &format!("d{i}"), changes));
        expected.push((name, "description", step["expected_description"].clone()));
    }
    upstream.set("/linkedcourses/v1/event/", vec![Reply::json(page(events, None))]);
    linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    let hobbies = hobbies_of(&app, "").await;
    for (name, field, value) in expected {
        let hobby = hobbies.iter().find(|h| h["name"] == json!(name)).unwrap_or_else(|| panic!("{name} imported"));
        assert_eq!(hobby[field], value, "{name}: {field}");
    }
}

#[tokio::test]
async fn sub_events_join_their_recurring_hobby_even_when_listed_first() {
    let app = TestApp::spawn().await;
    keyword_category(&app).await;
    let upstream = Upstream::start().await;
    upstream.set("/linkedcourses/v1/place/tprek:8020/", vec![Reply::json(place())]);
    let parent = event(&upstream, "series", json!({"name": {"fi": "LC Sarja"}, "super_event_type": "recurring"}));
    let parent_id = parent["@id"].clone();
    let child = |id: &str, day: &str| {
        event(
            &upstream,
            id,
            json!({"super_event": {"@id": parent_id}, "start_time": format!("{day}T15:00:00Z"), "end_time": format!("{day}T16:30:00Z")}),
        )
    };
    // A sub-event before its super-event, one after, and a sub-event of an unknown series.
    let stray =
        event(&upstream, "stray", json!({"super_event": {"@id": upstream.url("/linkedcourses/v1/event/none/")}}));
    upstream.set(
        "/linkedcourses/v1/event/",
        vec![Reply::json(page(vec![child("s1", "2022-03-01"), parent, child("s2", "2022-03-08"), stray], None))],
    );
    let report =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!((report.hobbies_created, report.events_created), (1, 2));
    let hobbies = hobbies_of(&app, "LC").await;
    assert_eq!(hobbies.len(), 1);
    let events = app.get_json(&format!("/api/v1/hobbyevents/?hobby={}", hobbies[0]["id"])).await;
    let starts: Vec<(&str, &str)> = events["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["start_date"].as_str().unwrap(), e["start_time"].as_str().unwrap()))
        .collect();
    // 15:00 UTC is 17:00 in Helsinki in March.
    assert_eq!(starts, vec![("2022-03-01", "17:00:00"), ("2022-03-08", "17:00:00")]);
    // The hobby's next event is current after the import.
    let listed = app.get_json("/api/v1/hobbyevents/").await;
    assert_eq!(listed["results"][0]["start_date"], json!("2022-03-01"));
}

#[tokio::test]
async fn deletion_vectors_of_both_importers() {
    for (file, source) in
        [("linkedcourses_imported_state.json", "linked_courses"), ("lipas_imported_state.json", "lipas")]
    {
        let state = fixture(file);
        for case in state["deletion_cases"].as_array().unwrap() {
            let app = TestApp::spawn().await;
            for hobby in state["hobbies"].as_array().unwrap() {
                let mut tx = app.db.begin().await.unwrap();
                let fields = hp_db::hobbies::HobbyFields {
                    name: hobby["name"].as_str().unwrap().into(),
                    description: String::new(),
                    location_id: None,
                    organizer_id: None,
                    price_type: hp_domain::price::PriceType::Free,
                    price_cents: 0,
                    cover_image: None,
                    data_source: source.into(),
                    origin_id: hobby["origin_id"].as_str().unwrap().into(),
                };
                let provenance = hp_db::hobbies::Provenance { created_by: None, municipality: None };
                let id = hp_db::hobbies::insert(&mut tx, &fields, provenance, app.clock.now()).await.unwrap();
                for event in hobby["events"].as_array().unwrap() {
                    let fields = hp_db::events::EventFields {
                        hobby_id: id,
                        start_date: crate::support::date(event["start_date"].as_str().unwrap()),
                        start_time: crate::support::time(event["start_time"].as_str().unwrap()),
                        end_date: crate::support::date(event["end_date"].as_str().unwrap()),
                        end_time: crate::support::time(event["end_time"].as_str().unwrap()),
                        data_source: source.into(),
                        origin_id: event["origin_id"].as_str().unwrap().into(),
                        recurrence_start_event_id: None,
                    };
                    hp_db::events::insert(&mut tx, &fields, app.clock.now()).await.unwrap();
                }
                tx.commit().await.unwrap();
            }
            let set =
                |key: &str| case[key].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
            let mut report = hp_importers::sync::Report::default();
            let mut tx = app.db.begin().await.unwrap();
            hp_importers::sync::delete_missing(
                &mut tx,
                source,
                &set("found_hobby_origin_ids"),
                &set("found_hobbyevent_origin_ids"),
                app.clock.today(),
                &mut report,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            let hobbies = app.get_json("/api/v1/hobbies/").await;
            assert_eq!(hobbies["count"], case["expected_hobby_count"], "{file} {case}");
            let mut events = 0;
            for hobby in hobbies["results"].as_array().unwrap() {
                events += app.get_json(&format!("/api/v1/hobbyevents/?hobby={}", hobby["id"])).await["count"]
                    .as_i64()
                    .unwrap();
            }
            assert_eq!(json!(events), case["expected_event_count"], "{file} {case}");
        }
    }
}

fn sports_place(id: i64, name: &str, type_code: i64, postal: &str, free: bool) -> Value {
    json!({
        "sportsPlaceId": id, "name": name, "freeUse": free,
        "type": {"typeCode": type_code, "name": "tyyppi"},
        "location": {"address": "Sammonkatu 64", "postalCode": postal, "postalOffice": "Tampere",
                     "city": {"name": "Tampere"}, "coordinates": {"wgs84": {"lon": 23.79, "lat": 61.49}}},
        "properties": {"infoFi": format!("{name}: kuvaus")}
    })
}

#[tokio::test]
async fn lipas_places_become_hobbies_in_mapped_categories() {
    let app = TestApp::spawn().await;
    let swimming = app.category("Uinti", None).await;
    let upstream = Upstream::start().await;
    let mut no_coordinates = sports_place(5, "Ei paikkaa", 3110, "33540", true);
    no_coordinates["location"].as_object_mut().unwrap().remove("coordinates");
    upstream.set(
        "/api/sports-places/?page=1",
        vec![Reply::json(json!([
            sports_place(1, "Kalevan uimahalli", 3110, " 33540 ", false),
            sports_place(2, "Pesäpallokenttä", 1360, "33100", true),
            sports_place(3, "Tuntematon tyyppi", 9999, "33100", true),
        ]))],
    );
    upstream.set(
        "/api/sports-places/?page=2",
        vec![Reply::json(json!([sports_place(4, "Lyhyt postinumero", 3110, "331", true), no_coordinates]))],
    );
    upstream.set("/api/sports-places/?page=3", vec![Reply::json(json!([]))]);
    let options = LipasOptions { url: upstream.url("/api/sports-places/"), non_hp: false, dry_run: false };

    let dry = lipas::run(&app.db, &fetcher(), &LipasOptions { dry_run: true, ..options.clone() }, app.clock.now())
        .await
        .unwrap();
    assert_eq!((dry.pages, dry.hobbies_created, dry.skipped), (2, 2, 3));
    assert_eq!(app.get_json("/api/v1/hobbies/").await["count"], json!(0), "a dry run writes nothing");

    let report = lipas::run(&app.db, &fetcher(), &options, app.clock.now()).await.unwrap();
    assert_eq!((report.hobbies_created, report.locations_created, report.events_created, report.skipped), (2, 2, 2, 3));
    let hobbies = app.get_json("/api/v1/hobbies/?include=location_detail").await;
    let hall = hobbies["results"].as_array().unwrap().iter().find(|h| h["name"] == json!("Kalevan uimahalli")).unwrap();
    assert_eq!(hall["categories"], json!([swimming]));
    assert_eq!(hall["price_type"], json!("paid"));
    assert_eq!(hall["description"], json!("Kalevan uimahalli: kuvaus"));
    assert_eq!(hall["location"]["zip_code"], json!("33540"));
    assert_eq!(hall["location"]["coordinates"]["coordinates"], json!([23.79, 61.49]));
    // "Pesäpallo" is not in the tree: created as a new root category.
    let roots = app.get_json("/api/hobbycategories/?parent=null").await;
    let created =
        roots.as_array().unwrap().iter().find(|c| c["name"] == json!("Pesäpallo")).expect("a new root category");
    let field = hobbies["results"].as_array().unwrap().iter().find(|h| h["name"] == json!("Pesäpallokenttä")).unwrap();
    assert_eq!(field["categories"], json!([created["id"]]));
    assert_eq!(field["price_type"], json!("free"));
    // The year-long event from today is the hobby's next event.
    let events = app.get_json(&format!("/api/v1/hobbyevents/?hobby={}", hall["id"])).await;
    assert_eq!(events["results"][0]["start_date"], json!("2022-02-22"));
    assert_eq!(events["results"][0]["end_date"], json!("2023-02-22"));

    // Again: updates in place, nothing new, and an organizer someone gave a hobby stays.
    let root = app.user("root", crate::support::UserSpec { superuser: true, ..Default::default() }).await;
    let organizer = app.organizer("Uimaseura").await;
    app.patch_json(&format!("/api/v1/hobbies/{}/", hall["id"]), Some(&root.bearer), &json!({"organizer": organizer}))
        .await
        .assert_status(200);
    let again = lipas::run(&app.db, &fetcher(), &options, app.clock.now()).await.unwrap();
    assert_eq!((again.hobbies_created, again.hobbies_updated, again.locations_created), (0, 2, 0));
    assert_eq!(app.get_json("/api/v1/hobbies/").await["count"], json!(2));
    assert_eq!(app.get_json(&format!("/api/v1/hobbies/{}/", hall["id"])).await["organizer"], json!(organizer));
}

/// On SQLite one write transaction blocks every other write: an importer must not hold one
/// while it waits for its upstream.
#[tokio::test]
async fn writes_go_through_while_an_importer_waits_for_its_upstream() {
    let app = TestApp::spawn().await;
    let upstream = Upstream::start().await;
    upstream
        .set("/api/sports-places/?page=1", vec![Reply::json(json!([sports_place(1, "Halli", 3110, "33540", true)]))]);
    upstream.set("/api/sports-places/?page=2", vec![Reply::json(json!([]))]);
    let options = LipasOptions { url: upstream.url("/api/sports-places/"), non_hp: false, dry_run: false };
    let patient =
        Fetcher::new(FetchOptions { timeout: Duration::from_secs(30), retries: 0, backoff: Duration::ZERO }).unwrap();
    let held = upstream.hold.write().await;
    let (db, now) = (app.db.clone(), app.clock.now());
    let import = tokio::spawn(async move { lipas::run(&db, &patient, &options, now).await });
    while upstream.asked.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let write = tokio::time::timeout(Duration::from_secs(10), app.organizer("Meanwhile")).await;
    assert!(write.is_ok(), "a write waited for the importer's upstream");
    drop(held);
    let report = import.await.unwrap().unwrap();
    assert_eq!(report.hobbies_created, 1);
    assert_eq!(app.get_json("/api/v1/hobbies/").await["count"], json!(1));

    // Linked Courses also fetches places: one answers slowly, after the events page, and a
    // write meanwhile must not wait for it (it did when places were fetched in the transaction).
    keyword_category(&app).await;
    upstream.set(
        "/linkedcourses/v1/event/",
        vec![Reply::json(page(vec![event(&upstream, "harrastushaku:13248", json!({"images": []}))], None))],
    );
    let slow_place = Reply { delay: Duration::from_secs(3), ..Reply::json(place()) };
    upstream.set("/linkedcourses/v1/place/tprek:8020/", vec![slow_place]);
    let asked = upstream.asked.load(std::sync::atomic::Ordering::SeqCst);
    let (db, images, options) = (app.db.clone(), image_store(&app), linked(&upstream));
    let patient =
        Fetcher::new(FetchOptions { timeout: Duration::from_secs(30), retries: 0, backoff: Duration::ZERO }).unwrap();
    let import = tokio::spawn(async move { linkedcourses::run(&db, &patient, &images, &options, now).await });
    while upstream.asked.load(std::sync::atomic::Ordering::SeqCst) < asked + 2 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let write = tokio::time::timeout(Duration::from_secs(2), app.organizer("Meanwhile too")).await;
    assert!(write.is_ok(), "a write waited for the Linked Courses upstream's place");
    let report = import.await.unwrap().unwrap();
    assert_eq!((report.hobbies_created, report.locations_created), (1, 1));
    assert_eq!(app.get_json("/api/v1/hobbies/").await["count"], json!(2));
}

fn jpeg(shade: u8) -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(8, 8, image::Rgb([shade, 10, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn cover_images_are_downloaded_when_new_or_changed_upstream() {
    let app = TestApp::spawn().await;
    keyword_category(&app).await;
    let upstream = Upstream::start().await;
    upstream.set("/linkedcourses/v1/place/tprek:8020/", vec![Reply::json(place())]);
    // The fixture's image, served by the upstream; times relative to the frozen "now".
    let mut images = fixture("linkedcourses_event_images_only.json")["images"].clone();
    images[0]["url"] = json!(upstream.url("/images/image001.jpg"));
    let serve_image = |bytes: Vec<u8>| {
        upstream.replies.lock().unwrap().insert(
            "/images/image001.jpg".into(),
            vec![Reply { status: 200, body: bytes, delay: Duration::ZERO }].into(),
        );
    };
    serve_image(jpeg(1));
    let with_images = |images: &Value| {
        page(vec![event(&upstream, "img", json!({"name": {"fi": "LC Kuva"}, "images": images}))], None)
    };
    upstream.set("/linkedcourses/v1/event/", vec![Reply::json(with_images(&images))]);

    let first =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!(first.images_downloaded, 1, "no image yet: downloaded");
    let hobby = &hobbies_of(&app, "LC").await[0];
    let url = hobby["cover_image"].as_str().expect("a cover image").to_owned();
    let served = app.client.get(&url).send().await.unwrap();
    assert_eq!(served.bytes().await.unwrap().to_vec(), jpeg(1));

    serve_image(jpeg(2));
    let second =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!(second.images_downloaded, 0, "same last_modified_time: not downloaded again");
    assert_eq!(hobbies_of(&app, "LC").await[0]["cover_image"], json!(url));

    images[0]["last_modified_time"] = json!("2022-02-17T16:00:00Z");
    upstream.set("/linkedcourses/v1/event/", vec![Reply::json(with_images(&images))]);
    let third =
        linkedcourses::run(&app.db, &fetcher(), &image_store(&app), &linked(&upstream), app.clock.now()).await.unwrap();
    assert_eq!(third.images_downloaded, 1, "changed five days ago: downloaded");
    let replaced = hobbies_of(&app, "LC").await[0]["cover_image"].as_str().unwrap().to_owned();
    assert_ne!(replaced, url);
    image_store(&app).delete_unused(&app.db, &third.replaced_images).await.unwrap();
    assert_eq!(app.client.get(&url).send().await.unwrap().status().as_u16(), 404, "the old file is gone");
    assert_eq!(app.client.get(&replaced).send().await.unwrap().bytes().await.unwrap().to_vec(), jpeg(2));
}

#[tokio::test]
async fn each_nightly_job_runs_on_one_replica_a_day() {
    use harrastuspassi::jobs::{nightly, JobContext, Schedule, ScheduledImport};
    let app = TestApp::spawn().await;
    let upstream = Upstream::start().await;
    upstream.set(
        "/api/sports-places/?page=1",
        vec![Reply::json(json!([sports_place(1, "Kalevan uimahalli", 3110, "33540", true)]))],
    );
    upstream.set("/api/sports-places/?page=2", vec![Reply::json(json!([]))]);
    let replica = || JobContext {
        db: app.db.clone(),
        clock: app.clock.clone(),
        images: image_store(&app),
        metrics: Arc::new(hp_api::metrics::Metrics::new()),
        schedule: Schedule {
            imports: vec![ScheduledImport { source: "lipas".into(), url: upstream.url("/api/sports-places/") }],
            media_clean: true,
            tombstone_days: 30,
        },
    };
    let (first, second) = (replica(), replica());
    let today = app.clock.today();

    // Start-up: only the refresh.
    let at_start = nightly(&first, today, true).await.ran;
    assert_eq!(at_start.len(), 1);
    assert!(at_start[0].starts_with("next-events"), "{at_start:?}");
    // The same night on two replicas at once: each job runs once.
    let (a, b) = tokio::join!(nightly(&first, today, false), nightly(&second, today, false));
    let (a, b) = (a.ran, b.ran);
    let ran: Vec<&String> = a.iter().chain(b.iter()).collect();
    assert_eq!(ran.iter().filter(|l| l.starts_with("import:lipas")).count(), 1, "{ran:?}");
    assert_eq!(ran.iter().filter(|l| l.starts_with("media-clean")).count(), 1, "{ran:?}");
    assert_eq!(ran.iter().filter(|l| l.starts_with("next-events")).count(), 0, "already run at start: {ran:?}");
    assert_eq!(app.get_json("/api/v1/hobbies/").await["count"], json!(1));
    let scraped = first.metrics.render((0, 0)) + &second.metrics.render((0, 0));
    assert!(scraped.contains(r#"harrastuspassi_import_runs_total{source="lipas",outcome="succeeded"} 1"#), "{scraped}");

    // The next day the other replica may get them.
    let tomorrow = nightly(&second, today + chrono::Duration::days(1), false).await.ran;
    assert_eq!(tomorrow.len(), 4, "{tomorrow:?}");
    assert!(tomorrow.iter().any(|l| l == "tombstones: 0 expired"), "{tomorrow:?}");

    // A job that fails gives its day back: a later try the same day runs it.
    let day_after = today + chrono::Duration::days(3);
    upstream
        .set("/api/sports-places/?page=1", vec![Reply { status: 404, body: b"{}".to_vec(), delay: Duration::ZERO }]);
    let failed = nightly(&first, day_after, false).await;
    assert_eq!(failed.failed, vec!["import:lipas".to_owned()], "{failed:?}");
    assert!(failed.ran.iter().any(|l| l.starts_with("media-clean")), "{failed:?}");
    upstream.set(
        "/api/sports-places/?page=1",
        vec![Reply::json(json!([sports_place(1, "Kalevan uimahalli", 3110, "33540", true)]))],
    );
    let retried = nightly(&second, day_after, false).await;
    assert!(retried.failed.is_empty(), "{retried:?}");
    assert_eq!(retried.ran.len(), 1, "only the failed job runs again: {retried:?}");
    assert!(retried.ran[0].starts_with("import:lipas"), "{retried:?}");
    // Many claims at once: exactly one wins.
    let day = today + chrono::Duration::days(2);
    let claims = (0..20).map(|_| {
        let db = app.db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            let won = hp_db::scheduled_jobs::claim_daily_run(&mut tx, "race", day).await.unwrap();
            tx.commit().await.unwrap();
            won
        }
    });
    let won = futures::future::join_all(claims).await;
    assert_eq!(won.iter().filter(|w| **w).count(), 1);
}

#[tokio::test]
async fn an_import_logs_its_progress_as_log_lines_and_prints_only_its_summary() {
    let app = TestApp::spawn().await;
    app.category("Uinti", None).await;
    let upstream = Upstream::start().await;
    upstream
        .set("/api/sports-places/?page=1", vec![Reply::json(json!([sports_place(1, "Halli", 3110, "33540", true)]))]);
    upstream.set("/api/sports-places/?page=2", vec![Reply::json(json!([]))]);
    let dir = tempfile::tempdir().unwrap();
    let url = upstream.url("/api/sports-places/");
    let (ok, out, err) = crate::processes::run_with_env(
        &app,
        dir.path(),
        &["import", "lipas", "--url", &url, "--dry-run"],
        None,
        &[("HARRASTUSPASSI_LOG_FORMAT", "json"), ("RUST_LOG", "info")],
    )
    .await;
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("lipas: "), "{out}");
    let lines: Vec<Value> = err
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|line| line["fields"]["message"] == json!("read a page") && line["fields"]["page"] == json!(1)),
        "{err}"
    );
}
