//! Operational endpoints: the OpenAPI description (complete, stable, in YAML and JSON), the
//! documentation page, health and liveness, Prometheus metrics and request ids.

use crate::support::{PromotionSpec, TestApp, UserSpec};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The documented path of a served route: the mobile mirror and the browser pages left out
/// (they are not part of the JSON API).
fn documented_form(path: &str) -> Option<String> {
    let skipped = ["/mobile-api/", "/accounts/", "/static/", "/openapi", "/api-documentation/"];
    if skipped.iter().any(|prefix| path.starts_with(prefix)) {
        return None;
    }
    Some(path.replace("{*path}", "{path}"))
}

/// Where each version is served and documented.
const VERSIONED_PREFIXES: [&str; 4] = ["/api", "/api/pre1", "/api/pre2", "/api/v1"];

#[tokio::test]
async fn every_route_is_documented_with_its_methods() {
    let app = TestApp::spawn().await;
    let document = app.get_json("/openapi.json").await;
    let documented: BTreeSet<String> = document["paths"].as_object().unwrap().keys().cloned().collect();
    let served: BTreeSet<String> = hp_api::route_paths().iter().filter_map(|p| documented_form(p)).collect();
    let missing: Vec<&String> = served.difference(&documented).collect();
    assert!(missing.is_empty(), "routes without documentation: {missing:?}");
    let stale: Vec<&String> = documented.difference(&served).collect();
    assert!(stale.is_empty(), "documented routes that do not exist: {stale:?}");

    // The methods each resource route allows are the methods documented for it.
    let resources = ["hobbies", "hobbycategories", "hobbyevents", "organizers", "locations", "promotions", "benefits"];
    for (prefix, resource) in VERSIONED_PREFIXES.iter().flat_map(|p| resources.map(|r| (p, r))) {
        for (served, template) in [
            (format!("{prefix}/{resource}/"), format!("{prefix}/{resource}/")),
            (format!("{prefix}/{resource}/999999/"), format!("{prefix}/{resource}/{{id}}/")),
        ] {
            let response = app.get(&served).await;
            let allowed: BTreeSet<String> = response
                .header("allow")
                .unwrap_or_else(|| panic!("{served} has an Allow header"))
                .split(", ")
                .filter(|m| !matches!(*m, "HEAD" | "OPTIONS"))
                .map(str::to_lowercase)
                .collect();
            let operations: BTreeSet<String> =
                document["paths"][&template].as_object().unwrap().keys().cloned().collect();
            assert_eq!(allowed, operations, "{template}");
        }
    }
}

#[tokio::test]
async fn the_description_is_served_as_yaml_and_json_and_stays_stable() {
    let app = TestApp::spawn().await;
    let yaml = app.get("/openapi").await;
    yaml.assert_status(200);
    assert_eq!(yaml.header("content-type"), Some("application/vnd.oai.openapi"));
    assert!(yaml.text.starts_with("openapi: 3.1.0\n"), "{}", &yaml.text[..40]);
    assert_eq!(app.get("/openapi.yaml").await.text, yaml.text);

    let json_text = app.get("/openapi.json").await;
    assert_eq!(json_text.header("content-type"), Some("application/vnd.oai.openapi+json"));
    let by_format = app.get("/openapi?format=openapi-json").await;
    assert_eq!(by_format.text, json_text.text);
    let by_accept = app.request(Method::GET, "/openapi", &[("accept", "application/vnd.oai.openapi+json")], None).await;
    assert_eq!(by_accept.text, json_text.text);
    app.get("/openapi/").await.assert_status(404);

    let document: Value = serde_json::from_str(&json_text.text).unwrap();
    assert_eq!(document["info"]["title"], json!("Harrastuspassi"));
    assert!(document["info"]["description"].as_str().unwrap().contains("Authorization: Token"));
    let list = &document["paths"]["/api/v1/hobbyevents/"]["get"];
    let parameters: Vec<&str> =
        list["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    for expected in [
        "include",
        "category",
        "start_weekday",
        "exclude_past_events",
        "search",
        "ordering",
        "near_latitude",
        "max_distance",
        "page",
        "page_size",
    ] {
        assert!(parameters.contains(&expected), "{expected} in {parameters:?}");
    }
    assert_eq!(document["components"]["schemas"]["HobbyOut"]["type"], json!("object"));
    assert!(document["paths"]["/api/v1/hobbies/"]["post"]["responses"]["400"].is_object());
    // What the answers really are (schemathesis checks every one in CI): page links may be
    // null, a choice of shapes is anyOf (they overlap), pre1 hobbies have their own shape, a
    // body that is no JSON object is refused with `detail`.
    let text = json_text.text.as_str();
    assert!(!text.contains("\"oneOf\""));
    let page = &list["responses"]["200"]["content"]["application/json"]["schema"]["anyOf"][1];
    assert_eq!(page["properties"]["next"]["type"], json!(["string", "null"]));
    assert_eq!(page["required"], json!(["count", "next", "previous", "results"]));
    let detail_shape = |prefix: &str| {
        document["paths"][format!("{prefix}/hobbies/{{id}}/")]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"]
            .clone()
    };
    assert_eq!(detail_shape("/api/pre1"), json!({"$ref": "#/components/schemas/HobbyPre1Out"}));
    for prefix in ["/api", "/api/pre2", "/api/v1"] {
        assert_eq!(detail_shape(prefix), json!({"$ref": "#/components/schemas/HobbyOut"}), "{prefix}");
    }
    let invalid =
        &document["paths"]["/auth/token/refresh/"]["post"]["responses"]["400"]["content"]["application/json"]["schema"];
    assert_eq!(invalid["anyOf"][1], json!({"$ref": "#/components/schemas/Detail"}));
    // Only v1 pages, and only hobbies and hobby events.
    let documents_paging = |path: &str| {
        document["paths"][path]["get"]["parameters"].as_array().unwrap().iter().any(|p| p["name"] == json!("page_size"))
    };
    for prefix in VERSIONED_PREFIXES {
        for resource in ["hobbies", "hobbyevents", "promotions"] {
            let path = format!("{prefix}/{resource}/");
            assert_eq!(documents_paging(&path), prefix == "/api/v1" && resource != "promotions", "{path}");
        }
    }

    insta::assert_snapshot!("openapi", json_text.text);
}

/// Whether `value` has the shape `schema` documents: types (with null), required and
/// described properties, array items, `anyOf`, and `$ref`s into the components. The
/// answers must not carry keys the schema does not describe, so a shape cannot drift.
fn shape_problems(document: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return shape_problems(document, &document["components"]["schemas"][name], value, at, problems);
    }
    if let Some(choices) = schema["anyOf"].as_array() {
        let fits = choices.iter().any(|choice| {
            let mut inner = Vec::new();
            shape_problems(document, choice, value, at, &mut inner);
            inner.is_empty()
        });
        if !fits {
            problems.push(format!("{at}: {value} fits none of {schema}"));
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return,
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if !types.iter().any(|t| *t == actual || (*t == "number" && actual == "integer")) {
        return problems.push(format!("{at}: {actual} where the schema says {types:?}"));
    }
    match value {
        Value::Object(fields) => {
            let described = schema["properties"].as_object();
            for required in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                if !fields.contains_key(required) {
                    problems.push(format!("{at}: no {required}"));
                }
            }
            for (key, field) in fields {
                match described.and_then(|d| d.get(key)) {
                    Some(property) => shape_problems(document, property, field, &format!("{at}.{key}"), problems),
                    None if schema["additionalProperties"].is_null() => {
                        problems.push(format!("{at}.{key} is not documented"))
                    }
                    None => {}
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                shape_problems(document, &schema["items"], item, &format!("{at}[{i}]"), problems);
            }
        }
        _ => {}
    }
}

/// One object of every resource, made by a superuser (who also redeemed the promotion once).
struct OneOfEach {
    user: crate::support::TestUser,
    organizer: i64,
    location: i64,
    category: i64,
    hobby: i64,
    event: i64,
    promotion: i64,
    benefit: Value,
}

async fn one_of_each(app: &TestApp) -> OneOfEach {
    let user = app.user("kuvaaja", UserSpec { superuser: true, ..Default::default() }).await;
    let municipality = app.municipality("Kuvala").await;
    let organizer = app.organizer("Seura").await;
    let location = app.location("Halli", Some((24.9, 60.2)), Some(municipality)).await;
    let parent = app.category("Liikunta", None).await;
    let category = app.category("Pallopelit", Some(parent)).await;
    let spec = crate::support::HobbySpec {
        location: Some(location),
        organizer: Some(organizer),
        municipality: Some(municipality),
        created_by: Some(user.id),
        categories: vec![category],
        ..Default::default()
    };
    let hobby = app.hobby("Sähly", spec).await;
    let event = app.event(hobby, ("2099-01-05", "17:00"), ("2099-01-05", "18:00")).await;
    app.event(hobby, ("2099-01-12", "17:00"), ("2099-01-12", "18:00")).await;
    let promotion = app.promotion("Kokeilu", PromotionSpec::new(organizer, location)).await;
    let redeemed = app.post_json("/api/v1/benefits/", Some(&user.bearer), &json!({"promotion": promotion})).await;
    redeemed.assert_status(201);
    OneOfEach { user, organizer, location, category, hobby, event, promotion, benefit: redeemed.json()["id"].clone() }
}

/// Every version's lists and objects, plain and with every `include`, have the shape the
/// description documents for that version's path, and the documented paging parameters
/// are the ones that page.
#[tokio::test]
async fn every_version_answers_in_the_shapes_it_documents() {
    let app = TestApp::spawn().await;
    let OneOfEach { user, hobby, .. } = one_of_each(&app).await;
    let document = app.get_json("/openapi.json").await;

    let mut problems = Vec::new();
    let mut checked = 0;
    for prefix in VERSIONED_PREFIXES {
        for (resource, includes) in [
            ("hobbies", "include=location_detail&include=organizer_detail"),
            ("hobbycategories", "include=child_categories"),
            ("hobbyevents", "include=hobby_detail&include=location_detail&include=organizer_detail"),
            ("organizers", ""),
            ("locations", ""),
            ("promotions", "include=location_detail&include=organizer_detail"),
            ("benefits", ""),
        ] {
            let list_path = format!("{prefix}/{resource}/");
            for query in ["", includes] {
                let list = app.get_as(&format!("{list_path}?{query}"), &user.bearer).await;
                list.assert_status(200);
                let documented =
                    &document["paths"][&list_path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
                shape_problems(&document, documented, &list.json(), &format!("{list_path}?{query}"), &mut problems);
                let body = list.json();
                let items = body.get("results").unwrap_or(&body).as_array().unwrap().clone();
                assert!(!items.is_empty(), "{list_path} lists something");
                let detail_path = format!("{prefix}/{resource}/{{id}}/");
                let served = format!("{prefix}/{resource}/{}/?{query}", items[0]["id"]);
                let detail = app.get_as(&served, &user.bearer).await;
                detail.assert_status(200);
                let documented = &document["paths"][&detail_path]["get"]["responses"]["200"]["content"]
                    ["application/json"]["schema"];
                shape_problems(&document, documented, &detail.json(), &served, &mut problems);
                checked += 2;
            }
        }
        // Paging is documented exactly where it pages.
        let paged = app.get(&format!("{prefix}/hobbyevents/?hobby={hobby}&page_size=1")).await.json();
        let documents_paging = document["paths"][format!("{prefix}/hobbyevents/")]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == json!("page_size"));
        assert_eq!(paged.get("results").map(|r| r.as_array().unwrap().len()), documents_paging.then_some(1));
    }
    assert!(problems.is_empty(), "answers that differ from their documented shapes:\n{}", problems.join("\n"));
    assert_eq!(checked, 4 * 7 * 2 * 2);
    // The check itself finds drift: a missing, a mistyped and an undocumented key.
    let hobby = app.get_json(&format!("/api/v1/hobbies/{hobby}/")).await;
    let hobby_shape = json!({"$ref": "#/components/schemas/HobbyOut"});
    for (drift, expected) in [("name", "no name"), ("id", "string where"), ("bogus", "bogus is not documented")] {
        let mut drifted = hobby.clone();
        match drift {
            "name" => drop(drifted.as_object_mut().unwrap().remove("name")),
            "id" => drifted["id"] = json!("1"),
            _ => drifted["bogus"] = json!(1),
        }
        let mut found = Vec::new();
        shape_problems(&document, &hobby_shape, &drifted, "hobby", &mut found);
        assert!(found.iter().any(|p| p.contains(expected)), "{drift}: {found:?}");
    }
}

/// The query parameters and body fields each documented operation names are exactly the
/// ones its handler reads: the server logs what every request reads, and each operation is
/// called once (reads with no parameters, writes with an empty body, which every reader
/// reads through before it refuses it).
#[tokio::test]
async fn every_operation_documents_the_parameters_and_fields_it_reads() {
    let log = hp_api::read_log::ReadLog::default();
    let app = TestApp::spawn_with(hp_api::ApiConfig { read_log: Some(log.clone()), ..Default::default() }).await;
    let OneOfEach { user, organizer, location, category, hobby, event, promotion, benefit } = one_of_each(&app).await;
    let ids = [
        ("hobbies", hobby.to_string()),
        ("hobbycategories", category.to_string()),
        ("hobbyevents", event.to_string()),
        ("organizers", organizer.to_string()),
        ("locations", location.to_string()),
        ("promotions", promotion.to_string()),
        ("benefits", benefit.to_string()),
    ];
    let document = app.get_json("/openapi.json").await;

    let mut problems = Vec::new();
    let mut operations = 0;
    for (template, item) in document["paths"].as_object().unwrap() {
        let resource = template.trim_end_matches("/{id}/").rsplit('/').next().unwrap();
        let path = match ids.iter().find(|(r, _)| *r == resource) {
            Some((_, id)) => template.replace("{id}", id),
            None => template.replace("{path}", "ei/ole.png"),
        };
        for (method, operation) in item.as_object().unwrap() {
            let mut documented: BTreeSet<String> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == json!("query"))
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect();
            let body_fields = &operation["requestBody"]["content"]["application/json"]["schema"]["properties"];
            documented.extend(body_fields.as_object().into_iter().flatten().map(|(name, _)| name.clone()));
            let method: Method = method.to_uppercase().parse().unwrap();
            if method == Method::DELETE {
                // Deleting reads nothing (and would take the fixtures away).
                assert!(documented.is_empty(), "DELETE {template} documents {documented:?}");
                continue;
            }
            log.take_names();
            let response = if method == Method::GET {
                app.get_as(&path, &user.bearer).await
            } else {
                app.send_json(method.clone(), &path, Some(&user.bearer), &json!({})).await
            };
            assert!(response.status.as_u16() < 500, "{method} {path}: {}", response.status);
            let read = log.take_names();
            if read != documented {
                let undocumented: Vec<_> = read.difference(&documented).collect();
                let unread: Vec<_> = documented.difference(&read).collect();
                problems.push(format!(
                    "{method} {template}: read but undocumented {undocumented:?}, documented but not read {unread:?}"
                ));
            }
            operations += 1;
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every version's list, detail and write operations, sign-in and operations endpoints.
    assert!(operations > 4 * 7 * 2, "{operations} operations checked");

    // What is read is what the filters really look at: v1 hobbies page, pre1 ones do not.
    app.get("/api/v1/hobbies/").await.assert_status(200);
    assert!(log.take_names().is_superset(&BTreeSet::from(["category".into(), "page_size".into()])));
    app.get("/api/pre1/hobbies/").await.assert_status(200);
    assert!(!log.take_names().contains("page_size"));
}

#[tokio::test]
async fn the_documentation_page_works_offline() {
    let app = TestApp::spawn().await;
    let page = app.get("/api-documentation/").await;
    page.assert_status(200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.text.contains(r#"<script src="/static/harrastuspassi/js/redoc.standalone.js">"#));
    assert!(page.text.contains(r#"spec-url="/openapi.json""#));
    let script = app.get("/static/harrastuspassi/js/redoc.standalone.js").await;
    script.assert_status(200);
    assert!(script.header("content-type").unwrap().starts_with("application/javascript"));
    assert!(script.text.len() > 1_000_000 && script.text.contains("Redoc"));
}

#[tokio::test]
async fn monitor_reports_each_part_and_negotiates_its_format() {
    let app = TestApp::spawn().await;
    let healthy = app.get("/monitor/?format=json").await;
    healthy.assert_status(200);
    assert_eq!(
        healthy.json(),
        json!({"CacheBackend": "working", "DatabaseBackend": "working", "DefaultFileStorageHealthCheck": "working"})
    );
    assert!(healthy.header("cache-control").unwrap().contains("no-cache"));
    let html = app.get("/monitor/").await;
    html.assert_status(200);
    assert!(html.header("content-type").unwrap().starts_with("text/html"));
    assert!(html.text.contains("<td>DatabaseBackend</td><td>working</td>"));
    let by_accept = app.request(Method::GET, "/monitor/", &[("accept", "application/json")], None).await;
    assert_eq!(by_accept.json()["DatabaseBackend"], json!("working"));
    let refused = app.request(Method::GET, "/monitor/", &[("accept", "image/png")], None).await;
    refused.assert_status(406);
    assert_eq!(refused.text, "Not Acceptable: Supported content types: text/html, application/json");

    let alive = app.get("/healthz").await;
    alive.assert_status(200);
    assert_eq!(alive.json(), json!({"status": "alive"}));
}

#[tokio::test]
async fn monitor_answers_503_naming_the_part_that_fails() {
    // An S3 store whose endpoint nobody listens on.
    let unreachable = hp_app::media::S3Settings {
        bucket: "images".into(),
        endpoint: Some(format!("http://127.0.0.1:{}", free_port())),
        region: Some("us-east-1".into()),
        allow_http: true,
        access_key_id: Some("test".into()),
        secret_access_key: Some("test".into()),
    };
    let store = hp_app::media::MediaStore::s3(&unreachable).unwrap();
    let app = TestApp::spawn_configured(hp_api::ApiConfig::default(), |mut state| {
        state.app.media = store;
        state
    })
    .await;
    let storage_down = app.get("/monitor/?format=json").await;
    storage_down.assert_status(503);
    let body = storage_down.json();
    assert_eq!(body["DatabaseBackend"], json!("working"));
    assert_ne!(body["DefaultFileStorageHealthCheck"], json!("working"));

    app.db.close().await;
    let database_down = app.get("/monitor/?format=json").await;
    database_down.assert_status(503);
    assert_ne!(database_down.json()["DatabaseBackend"], json!("working"));
    // Liveness does not depend on the database.
    app.get("/healthz").await.assert_status(200);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn metric_value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(series).and_then(|rest| rest.trim().parse().ok()))
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_redemptions() {
    let app = TestApp::spawn().await;
    let user = app.user("redeemer", UserSpec::default()).await;
    let organizer = app.organizer("Org").await;
    let location = app.location("Loc", None, None).await;
    let mut spec = PromotionSpec::new(organizer, location);
    spec.available = 1;
    let promotion = app.promotion("One", spec).await;
    for _ in 0..3 {
        app.get("/api/v1/hobbies/").await.assert_status(200);
    }
    app.get("/api/v1/hobbies/999/").await.assert_status(404);
    app.get("/no/such/path").await.assert_status(404);
    // A made-up method gets no label of its own (anonymous: 401 before 405, as the original).
    app.request(Method::from_bytes(b"FROB").unwrap(), "/api/v1/hobbies/", &[], None).await.assert_status(401);
    app.post_json("/api/v1/benefits/", Some(&user.bearer), &json!({"promotion": promotion})).await.assert_status(201);
    app.post_json("/api/v1/benefits/", Some(&user.bearer), &json!({"promotion": promotion})).await.assert_status(400);

    let metrics = app.get("/metrics").await;
    metrics.assert_status(200);
    assert!(metrics.header("content-type").unwrap().starts_with("text/plain"));
    let text = &metrics.text;
    assert_eq!(
        metric_value(text, r#"harrastuspassi_http_requests_total{route="/api/v1/hobbies/",method="GET",status="200"}"#),
        Some(3.0)
    );
    assert_eq!(
        metric_value(
            text,
            r#"harrastuspassi_http_requests_total{route="/api/v1/hobbies/{id}/",method="GET",status="404"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        metric_value(text, r#"harrastuspassi_http_requests_total{route="unmatched",method="GET",status="404"}"#),
        Some(1.0)
    );
    assert_eq!(
        metric_value(
            text,
            r#"harrastuspassi_http_request_duration_seconds_count{route="/api/v1/hobbies/",method="GET"}"#
        ),
        Some(3.0)
    );
    assert_eq!(
        metric_value(
            text,
            r#"harrastuspassi_http_requests_total{route="/api/v1/hobbies/",method="OTHER",status="401"}"#
        ),
        Some(1.0)
    );
    assert!(!text.contains("FROB"));
    assert_eq!(metric_value(text, r#"harrastuspassi_redemptions_total{outcome="redeemed"}"#), Some(1.0));
    assert_eq!(metric_value(text, r#"harrastuspassi_redemptions_total{outcome="used_up"}"#), Some(1.0));
    assert!(metric_value(text, "harrastuspassi_db_pool_connections").unwrap() >= 1.0);
}

#[tokio::test]
async fn metrics_can_require_a_bearer_token() {
    let config = hp_api::ApiConfig { metrics_token: Some("scrape-secret".into()), ..hp_api::ApiConfig::default() };
    let app = TestApp::spawn_with(config).await;
    app.get("/metrics").await.assert_status(401);
    let wrong = app.request(Method::GET, "/metrics", &[("authorization", "Bearer guess")], None).await;
    wrong.assert_status(401);
    let right = app.request(Method::GET, "/metrics", &[("authorization", "Bearer scrape-secret")], None).await;
    right.assert_status(200);
    assert!(right.text.contains("harrastuspassi_http_requests_total"));
}

#[tokio::test]
async fn request_ids_are_made_or_kept_and_returned() {
    let app = TestApp::spawn().await;
    let made = app.get("/api/").await;
    let id = made.header("x-request-id").expect("a request id");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let kept = app.request(Method::GET, "/api/v1/hobbies/", &[("x-request-id", "lb-1234")], None).await;
    assert_eq!(kept.header("x-request-id"), Some("lb-1234"));
    // Errors carry it too.
    let error = app.request(Method::GET, "/api/v1/hobbies/0/", &[("x-request-id", "lb-404")], None).await;
    error.assert_status(404);
    assert_eq!(error.header("x-request-id"), Some("lb-404"));
}
