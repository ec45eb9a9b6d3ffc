//! Hostile input on every list and every write: oversized, deeply nested, wrong-typed,
//! non-UTF-8, NUL-containing and extreme values. Each answer is a 4xx that names the field or
//! parameter (never a 500, a panic or a dropped connection), the server still answers, and
//! nothing stored changes.

use crate::support::{HobbySpec, PromotionSpec, TestApp, TestResponse, UserSpec};
use reqwest::Method;
use serde_json::{json, Value};

/// Every list endpoint, under each version prefix that serves it differently.
const LISTS: [&str; 9] = [
    "/api/hobbies/",
    "/api/v1/hobbies/",
    "/api/hobbyevents/",
    "/mobile-api/v1/hobbyevents/",
    "/api/pre1/hobbyevents/",
    "/mobile-api/v1/promotions/",
    "/api/hobbycategories/?include=child_categories",
    "/api/organizers/",
    "/api/locations/",
];

/// An answer that refuses input: a 4xx with a DRF-shaped JSON object.
#[track_caller]
fn assert_refused(response: &TestResponse, what: &str) {
    let status = response.status.as_u16();
    assert!((400..500).contains(&status), "{what}: {status} {}", response.text);
    assert!(response.json().is_object(), "{what}: {}", response.text);
}

/// What every object of the catalogue looks like now.
async fn snapshot(app: &TestApp) -> Vec<Value> {
    let mut all = Vec::new();
    for list in ["/api/hobbies/", "/api/promotions/", "/api/organizers/", "/api/locations/", "/api/benefits/"] {
        all.push(app.get_json(list).await);
    }
    all.push(app.get_json("/api/hobbyevents/?hobby=1").await);
    all
}

async fn assert_alive(app: &TestApp) {
    app.get("/healthz").await.assert_status(200);
    app.get("/api/hobbies/").await.assert_status(200);
}

/// The stack-overflow query (15,000 words), SQLite's expression-depth and pattern limits,
/// thousands of repeated values and orderings, a page number past any offset: each gets a
/// 400 naming its parameter (or the 404 of a page that cannot exist).
#[tokio::test]
async fn oversized_queries_are_refused_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let category = app.category("Urheilu", None).await;
    let location = app.location("Hervanta", Some((23.85, 61.45)), None).await;
    let hobby = app.hobby("Jalkapallo", HobbySpec { location: Some(location), ..Default::default() }).await;
    app.event(hobby, ("2022-03-01", "17:00"), ("2022-03-01", "18:00")).await;
    let words = |n: usize| vec!["w"; n].join("+");
    let search_words = json!({"search": ["Search may have at most 32 words."]});
    let many = |name: &str, n: usize| (0..n).map(|_| format!("{name}={category}")).collect::<Vec<_>>().join("&");
    let too_many_values = json!(["At most 100 values may be given."]);
    let near = "near_latitude=61.5&near_longitude=23.8";
    let cases: Vec<(String, u16, Value)> = vec![
        (format!("/api/hobbyevents/?search={}", words(15_000)), 400, search_too_long(29_999)),
        (format!("/api/promotions/?search={}", words(15_000)), 400, search_too_long(29_999)),
        (format!("/api/v1/hobbyevents/?search={}", words(40)), 400, search_words.clone()),
        (format!("/api/promotions/?search={}", words(990)), 400, search_too_long(1_979)),
        (format!("/api/hobbyevents/?search={}", "x".repeat(60_000)), 400, search_too_long(60_000)),
        (format!("/api/hobbyevents/?{}", many("category", 101)), 400, json!({"category": too_many_values})),
        (format!("/api/v1/hobbies/?{}", many("category", 5_000)), 400, json!({"category": too_many_values})),
        (
            format!("/api/hobbyevents/?{}", many("start_weekday", 101).replace(&category.to_string(), "1")),
            400,
            json!({"start_weekday": too_many_values}),
        ),
        (
            format!("/api/hobbyevents/?ordering={}&{near}", vec!["nearest"; 1_000].join(",")),
            400,
            json!({"ordering": ["At most 8 ordering keys may be given."]}),
        ),
        ("/api/v1/hobbyevents/?page=18446744073709553".into(), 404, json!({"detail": "Epäkelpo sivu."})),
        ("/api/v1/hobbies/?page=18446744073709553".into(), 404, json!({"detail": "Epäkelpo sivu."})),
        ("/api/v1/hobbyevents/?page=99999999999999999999999".into(), 404, json!({"detail": "Epäkelpo sivu."})),
        (
            format!("/api/hobbyevents/?ordering=nearest&{near}&max_distance={}", "9".repeat(400)),
            400,
            json!({"max_distance": ["Ensure this value is less than or equal to 20016."]}),
        ),
        (
            format!("/api/hobbies/?ordering=nearest&{near}&max_distance={}", "9".repeat(400)),
            400,
            json!({"max_distance": ["Ensure this value is less than or equal to 20016."]}),
        ),
        (
            format!("/api/promotions/?ordering=nearest&{near}&max_distance=-5"),
            400,
            json!({"max_distance": ["Tämän luvun on oltava vähintään 0."]}),
        ),
        (
            format!("/api/hobbies/?ordering=nearest&near_latitude={}&near_longitude=1", "9".repeat(400)),
            400,
            json!({"near_latitude": ["Value must be within -90.0 and 90.0."]}),
        ),
    ];
    for (path, status, body) in cases {
        let response = app.get(&path).await;
        assert_eq!(response.status.as_u16(), status, "{}: {}", &path[..path.len().min(80)], response.text);
        assert_eq!(response.json(), body, "{}", &path[..path.len().min(80)]);
    }
    // Just under the bounds everything still works, duplicates included.
    let terms = vec!["pallo"; 32].join("+");
    let found = app.get_json(&format!("/api/hobbyevents/?search={terms}")).await;
    assert_eq!(found.as_array().unwrap().len(), 1);
    app.get(&format!("/api/hobbyevents/?{}", many("category", 100))).await.assert_status(200);
    let ordered = app.get_json(&format!("/api/hobbyevents/?ordering=nearest,nearest,-nearest,start_date&{near}")).await;
    assert_eq!(ordered.as_array().unwrap().len(), 1);
    app.get(&format!("/api/hobbyevents/?ordering=nearest&{near}&max_distance=20016")).await.assert_status(200);
    assert_alive(&app).await;
}

/// A battery of strange values for every parameter of every list: each answer is 200 or a
/// DRF-shaped 4xx.
#[tokio::test]
async fn every_list_answers_strange_parameters_without_a_server_error() {
    let app = TestApp::spawn().await;
    let user = app.user("lister", UserSpec::default()).await;
    let params = [
        "search",
        "category",
        "start_weekday",
        "ordering",
        "include",
        "hobby",
        "page",
        "page_size",
        "parent",
        "lang",
        "price_type",
        "editable_only",
        "exclude_past_events",
        "usable_only",
        "start_date_from",
        "start_date_to",
        "start_time_from",
        "start_time_to",
        "near_latitude",
        "near_longitude",
        "max_distance",
    ];
    let values = [
        "",
        "%00",
        "%FF%FE",
        "-1",
        "1e400",
        "NaN",
        "9223372036854775808",
        "last",
        "null",
        "%27%20OR%201%3D1--",
        "%25%5F%5C",
        "1,2,3",
    ];
    for list in LISTS {
        for param in params {
            for value in values {
                let joiner = if list.contains('?') { '&' } else { '?' };
                let plain = format!("{list}{joiner}{param}={value}");
                let nearest = format!("{plain}&ordering=nearest&near_latitude=60&near_longitude=24");
                for response in [app.get(&plain).await, app.get(&nearest).await, app.get_as(&plain, &user.bearer).await]
                {
                    if response.status.as_u16() != 200 {
                        assert_refused(&response, &plain);
                    }
                }
            }
        }
    }
    assert_alive(&app).await;
}

/// A minimal PNG whose header claims `width` × `height` pixels (and no pixel data): what a
/// decompression bomb shows before it is decoded.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut data = Vec::from(*b"IHDR");
    data.extend(width.to_be_bytes());
    data.extend(height.to_be_bytes());
    data.extend([8, 0, 0, 0, 0]);
    let mut crc = flate2::Crc::new();
    crc.update(&data);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(13u32.to_be_bytes());
    png.extend(&data);
    png.extend(crc.sum().to_be_bytes());
    // A first data chunk (a zlib stream's start): the decoder reads the header up to it.
    let mut chunk = Vec::from(*b"IDAT");
    chunk.extend([0x78, 0x9c, 0x01, 0x00]);
    let mut crc = flate2::Crc::new();
    crc.update(&chunk);
    png.extend(4u32.to_be_bytes());
    png.extend(&chunk);
    png.extend(crc.sum().to_be_bytes());
    png
}

/// Values each field refuses, with the message it names the field with.
fn refused_values() -> Vec<(&'static str, &'static str, Value, Value)> {
    use base64::Engine;
    let bomb =
        format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png_header(8000, 8000)));
    let nested = (0..100).fold(json!(1), |inner, _| json!([inner]));
    let long = |n: usize| json!("x".repeat(n));
    let max_length = |n: usize| json!([format!("Arvo saa olla enintään {n} merkkiä pitkä.")]);
    let nul = json!(["Tyhjiä merkkejä (null) ei sallita."]);
    let date = json!(["Virheellinen päivämäärän muotoilu. Käytä jotain näistä muodoista: YYYY-MM-DD"]);
    let time = json!(["Virheellinen kellonajan muotoilu. Käytä jotain näistä muodoista: hh:mm[:ss[.uuuuuu]]"]);
    let missing = json!(["Epäkelpo pääavain 987654321 - objektia ei ole olemassa."]);
    vec![
        ("hobbies", "name", long(1025), max_length(1024)),
        ("hobbies", "name", json!("a\u{0}b"), nul.clone()),
        ("hobbies", "description", long(20_001), max_length(20_000)),
        ("hobbies", "description", json!({"a": 1}), json!(["Not a valid string."])),
        ("hobbies", "location", json!(987654321), missing.clone()),
        ("hobbies", "location", json!(1e300), json!(["Epäkelpo pääavain 1e+300 - objektia ei ole olemassa."])),
        ("hobbies", "organizer", nested.clone(), json!(["Väärä tyyppi. Odotettiin pääavainarvoa, saatiin list."])),
        ("hobbies", "categories", json!(vec![1; 101]), json!(["At most 100 values may be given."])),
        (
            "hobbies",
            "categories",
            json!([nested.clone()]),
            json!(["Väärä tyyppi. Odotettiin pääavainarvoa, saatiin list."]),
        ),
        (
            "hobbies",
            "price_type",
            json!("x".repeat(5000)),
            json!([format!("\"{}\" ei ole kelvollinen valinta.", "x".repeat(5000))]),
        ),
        ("hobbies", "price_amount", json!("1e400"), json!(["Tässä luvussa voi olla yhteensä enintään 5 numeroa."])),
        (
            "hobbies",
            "cover_image",
            json!(bomb.clone()),
            json!(["The image is too large: at most 8192×8192 pixels and 40 megapixels."]),
        ),
        (
            "hobbies",
            "cover_image",
            json!("data:image/png;base64,!!!!"),
            json!(["The type of the image couldn't be determined."]),
        ),
        ("hobbyevents", "start_date", json!("0000-01-01"), date.clone()),
        ("hobbyevents", "end_date", json!("2022-02-30"), date.clone()),
        ("hobbyevents", "start_time", json!("12:00:00.1234567890"), time.clone()),
        ("hobbyevents", "end_time", json!([1]), time.clone()),
        ("hobbyevents", "hobby", json!(987654321), missing.clone()),
        ("hobbyevents", "data_source", long(257), max_length(256)),
        ("promotions", "name", json!("\u{0}"), nul.clone()),
        ("promotions", "description", long(20_001), max_length(20_000)),
        ("promotions", "available_count", json!(2147483648i64), json!(["Tämän arvon on oltava enintään 2147483647."])),
        ("promotions", "used_count", json!(-1), json!(["Tämän luvun on oltava vähintään 0."])),
        ("promotions", "used_count", json!("9".repeat(400)), json!(["Syötä kelvollinen kokonaisluku."])),
        ("promotions", "start_date", json!("9999-99-99"), date),
        ("promotions", "end_time", json!("24:00"), time),
        ("promotions", "location", json!("x"), json!(["Väärä tyyppi. Odotettiin pääavainarvoa, saatiin str."])),
        (
            "promotions",
            "cover_image",
            json!(bomb),
            json!(["The image is too large: at most 8192×8192 pixels and 40 megapixels."]),
        ),
        ("locations", "name", long(257), max_length(256)),
        ("locations", "zip_code", json!("123456"), max_length(5)),
        (
            "locations",
            "coordinates",
            json!("SRID=99999;POINT(24.9 60.2)"),
            json!(["Coordinates must be WGS 84 longitude and latitude (SRID 4326)."]),
        ),
        (
            "locations",
            "coordinates",
            json!({"type": "Point", "coordinates": [1e308, 1e308]}),
            json!(["Coordinates must be a longitude within -180 and 180 and a latitude within -90 and 90."]),
        ),
        (
            "locations",
            "coordinates",
            json!({"type": "Point", "coordinates": nested}),
            json!(["Invalid format: string or unicode input unrecognized as GeoJSON, WKT EWKT or HEXEWKB."]),
        ),
        ("organizers", "name", long(100_000), max_length(256)),
        ("organizers", "name", json!(""), json!(["Tämä kenttä ei voi olla tyhjä."])),
    ]
}

/// Every field of every write refuses what it cannot store, by PATCH, PUT and POST, and the
/// catalogue is the same afterwards; bodies that are not JSON objects are refused whole.
#[tokio::test]
async fn every_write_refuses_hostile_bodies_naming_the_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let auth = Some(admin.bearer.as_str());
    let location = app.location("Hervanta", Some((23.85, 61.45)), None).await;
    let organizer = app.organizer("Seura").await;
    let hobby = app.hobby("Jalkapallo", HobbySpec { location: Some(location), ..Default::default() }).await;
    let event = app.event(hobby, ("2022-03-01", "17:00"), ("2022-03-01", "18:00")).await;
    let promotion = app.promotion("Etu", PromotionSpec::new(organizer, location)).await;
    let objects = [
        ("hobbies", hobby, json!({"name": "Uusi", "location": location, "organizer": organizer})),
        (
            "hobbyevents",
            event,
            json!({"hobby": hobby, "start_date": "2022-03-08", "start_time": "17:00",
                                      "end_date": "2022-03-08", "end_time": "18:00"}),
        ),
        (
            "promotions",
            promotion,
            json!({"name": "Etu", "description": "d", "start_date": "2022-02-22",
            "start_time": "10:00", "end_date": "2022-03-22", "end_time": "10:00", "organizer": organizer,
            "location": location, "available_count": 5}),
        ),
        ("locations", location, json!({"name": "Paikka"})),
        ("organizers", organizer, json!({"name": "Toinen seura"})),
    ];
    let before = snapshot(&app).await;
    let files_before = crate::support::files_in(&app.media_dir);
    for (resource, field, value, message) in refused_values() {
        let (_, id, valid) = objects.iter().find(|(name, ..)| *name == resource).unwrap();
        let mut body = valid.clone();
        body[field] = value.clone();
        let detail = format!("/api/{resource}/{id}/");
        let list = format!("/api/{resource}/");
        for (method, path, body) in [
            (Method::PATCH, &detail, json!({field: value})),
            (Method::PUT, &detail, body.clone()),
            (Method::POST, &list, body),
        ] {
            let response = app.send_json(method.clone(), path, auth, &body).await;
            assert_eq!(response.status.as_u16(), 400, "{method} {path} {field}: {}", response.text);
            assert_eq!(response.json()[field], message, "{method} {path} {field}");
        }
    }
    // Bodies that are no JSON object at all: deeply nested, not UTF-8, NUL bytes, numbers
    // beyond any float, truncated.
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let raw_bodies: [&[u8]; 6] = [
        deep.as_bytes(),
        b"{\"name\": \"\xff\xfe\"}",
        b"{\"name\": \"a\x00b\"}",
        b"{\"name\": 1e400}",
        b"{\"name\": ",
        b"\xef\xbb\xbf{}",
    ];
    for (resource, id, _) in &objects {
        for (method, path) in
            [(Method::POST, format!("/api/{resource}/")), (Method::PUT, format!("/api/{resource}/{id}/"))]
        {
            for raw in raw_bodies {
                let response = app
                    .request(
                        method.clone(),
                        &path,
                        &[("authorization", &admin.bearer)],
                        Some(("application/json", raw.to_vec())),
                    )
                    .await;
                assert_refused(&response, &path);
                assert!(
                    response.json()["detail"].as_str().unwrap().starts_with("JSON parse error - "),
                    "{}",
                    response.text
                );
            }
        }
    }
    // Forms with the same trouble, and a multipart body that never ends.
    let form = app
        .request(
            Method::POST,
            "/api/benefits/",
            &[("authorization", &admin.bearer)],
            Some(("application/x-www-form-urlencoded", b"promotion=%FF%00&promotion=1e400".to_vec())),
        )
        .await;
    assert_eq!(form.status.as_u16(), 400, "{}", form.text);
    assert!(form.json()["promotion"].is_array());
    let multipart = app
        .request(
            Method::POST,
            "/api/benefits/",
            &[("authorization", &admin.bearer)],
            Some((
                "multipart/form-data; boundary=x",
                b"--x\r\nContent-Disposition: form-data; name=\"promotion\"\r\n\r\n1".to_vec(),
            )),
        )
        .await;
    assert_refused(&multipart, "unterminated multipart");
    assert_eq!(snapshot(&app).await, before, "a refused write changed something");
    assert_eq!(crate::support::files_in(&app.media_dir), files_before, "a refused write stored a file");
    assert_alive(&app).await;
}

/// Headers and paths: a non-ASCII `Authorization` is refused as the original refused it, a
/// media name beyond any file system's limit is simply not found, and a huge header block
/// gets 431 instead of a dropped connection.
#[tokio::test]
async fn hostile_headers_and_paths() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let odd = reqwest::header::HeaderValue::from_bytes(b"Token \xc3\xa4\xc3\xa4").unwrap();
    let refused =
        client.get(format!("{}/api/hobbies/", app.address)).header("authorization", odd).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    assert_eq!(
        refused.json::<Value>().await.unwrap(),
        json!({"detail": "Epäkelpo Token-otsake. Tunnusmerkkijono ei saa sisältää epäkelpoja merkkejä."})
    );
    let odd_bearer = reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap();
    let refused =
        client.get(format!("{}/api/hobbies/", app.address)).header("authorization", odd_bearer).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    for name in ["a".repeat(5000), "a/".repeat(3000), "a".repeat(256)] {
        app.get(&format!("/media/hobby_images/{name}.png")).await.assert_status(404);
    }
    let big = "x".repeat(100 * 1024);
    let junk =
        raw_exchange(&app, format!("GET /api/hobbies/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: {big}\r\n\r\n")).await;
    assert!(junk.starts_with("HTTP/1.1 431"), "{}", &junk[..junk.len().min(100)]);
    let long_url = raw_exchange(&app, format!("GET /api/hobbies/?q={big} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).await;
    assert!(long_url.starts_with("HTTP/1.1 431"), "{}", &long_url[..long_url.len().min(100)]);
    assert_alive(&app).await;
}

/// The answer to a `search` of `count` characters.
fn search_too_long(count: usize) -> Value {
    json!({"search": [format!("Varmista, että tämä arvo on enintään 200 merkkiä pitkä (tällä hetkellä {count}).")]})
}

/// Sends raw bytes on a new connection and reads what comes back until the server closes it
/// (the server may answer and close before it has read everything).
async fn raw_exchange(app: &TestApp, request: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://")).await.unwrap();
    let _ = stream.write_all(request.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}
