//! What an attacker or a crowd does to a public service: racing redemptions against edits,
//! deleting places others use, sign-in floods, forged hosts and origins, idle and trickling
//! connections, a handler that panics, refused writes that brought files, sessions after a
//! password change, expensive work whose client went away.

use crate::auth::login;
use crate::support::{behind_proxy, files_in, PromotionSpec, TestApp, UserSpec};
use harrastuspassi::app::ServeOptions;
use harrastuspassi::connections::ConnectionLimits;
use hp_api::ApiConfig;
use hp_app::turns::{TurnRefusal, Turns};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// 150 redemptions race 50 renames and 20 PUTs that echo the `used_count` read before any
/// redemption (as the web UI does): exactly the 20 available are taken, and `used_count` says 20.
#[tokio::test]
async fn redemptions_racing_edits_take_exactly_what_is_available() {
    let app = TestApp::spawn().await;
    let owner = app.user("owner", UserSpec::default()).await;
    let redeemer = app.user("redeemer", UserSpec::default()).await;
    let token = app.api_token(&redeemer).await;
    let organizer = app.organizer("Seura").await;
    let location = app.location("Paikka", None, None).await;
    let spec = PromotionSpec { available: 20, created_by: Some(owner.id), ..PromotionSpec::new(organizer, location) };
    let promotion = app.promotion("Etu", spec).await;
    let path = format!("/api/v1/promotions/{promotion}/");
    let echoed = app.get_json(&path).await;
    assert_eq!(echoed["used_count"], json!(0));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..220 {
        let (client, address, token, bearer, path, echoed) = (
            app.client.clone(),
            app.address.clone(),
            token.clone(),
            owner.bearer.clone(),
            path.clone(),
            echoed.clone(),
        );
        tasks.spawn(async move {
            let request = match i % 11 {
                0..=6 => client
                    .post(format!("{address}/api/v1/benefits/"))
                    .header("authorization", &token)
                    .form(&[("promotion", promotion.to_string())]),
                7..=9 => client
                    .patch(format!("{address}{path}"))
                    .header("authorization", &bearer)
                    .json(&json!({"name": format!("Etu {i}")})),
                _ => client.put(format!("{address}{path}")).header("authorization", &bearer).json(&echoed),
            };
            (i % 11, request.send().await.unwrap().status().as_u16())
        });
    }
    let mut taken = 0;
    while let Some(result) = tasks.join_next().await {
        let (kind, status) = result.unwrap();
        match kind {
            0..=6 if status == 201 => taken += 1,
            0..=6 => assert_eq!(status, 400),
            _ => assert_eq!(status, 200),
        }
    }
    let benefits = app.get_json("/api/benefits/").await;
    let stored = benefits.as_array().unwrap().iter().filter(|b| b["promotion"] == json!(promotion)).count();
    assert_eq!((taken, stored), (20, 20));
    assert_eq!(app.get_json(&path).await["used_count"], json!(20));
    // Editors still correct the count upwards; downwards only to what was redeemed.
    let raised = app.patch_json(&path, Some(&owner.bearer), &json!({"used_count": 25})).await;
    assert_eq!(raised.json()["used_count"], json!(25));
    let lowered = app.patch_json(&path, Some(&owner.bearer), &json!({"used_count": 3})).await;
    assert_eq!(lowered.json()["used_count"], json!(20));
    let renamed = app.patch_json(&path, Some(&owner.bearer), &json!({"name": "Uusi nimi"})).await;
    assert_eq!((renamed.json()["used_count"].clone(), renamed.json()["name"].clone()), (json!(20), json!("Uusi nimi")));
}

/// A creator may not delete a location or organizer whose cascade would take other users'
/// hobbies or promotions; who may edit all of them may.
#[tokio::test]
async fn deleting_a_place_others_use_is_refused() {
    let app = TestApp::spawn().await;
    let alice = app.user("alice", UserSpec::default()).await;
    let bob = app.user("bob", UserSpec::default()).await;
    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let location = app.post_json("/api/locations/", Some(&alice.bearer), &json!({"name": "Alicen halli"})).await.json()
        ["id"]
        .clone();
    let organizer =
        app.post_json("/api/organizers/", Some(&alice.bearer), &json!({"name": "Alicen seura"})).await.json()["id"]
            .clone();
    let own = app.post_json("/api/hobbies/", Some(&alice.bearer), &json!({"name": "Oma", "location": location})).await;
    own.assert_status(201);
    let hobby = json!({"name": "Bobin", "location": location, "organizer": organizer});
    app.post_json("/api/hobbies/", Some(&bob.bearer), &hobby).await.assert_status(201);
    let promotion = json!({"name": "Bobin etu", "description": "d", "start_date": "2022-02-22", "start_time": "10:00",
        "end_date": "2022-03-22", "end_time": "10:00", "organizer": organizer, "location": location, "available_count": 5});
    app.post_json("/api/promotions/", Some(&bob.bearer), &promotion).await.assert_status(201);
    let refused = app.delete(&format!("/api/locations/{location}/"), Some(&alice.bearer)).await;
    refused.assert_status(409);
    assert_eq!(
        refused.json(),
        json!({"detail": "This location cannot be deleted: 1 hobby and 1 promotion of other users use it, and deleting it would delete them."})
    );
    let refused = app.delete(&format!("/api/organizers/{organizer}/"), Some(&alice.bearer)).await;
    refused.assert_status(409);
    assert_eq!(
        refused.json(),
        json!({"detail": "This organizer cannot be deleted: 1 hobby and 1 promotion of other users use it, and deleting it would delete them."})
    );
    assert_eq!(app.get_json("/api/hobbies/").await.as_array().unwrap().len(), 2);
    // A place only one's own content uses goes with it; a superuser may delete any.
    let lonely = app.post_json("/api/organizers/", Some(&alice.bearer), &json!({"name": "Oma seura"})).await.json()
        ["id"]
        .clone();
    app.delete(&format!("/api/organizers/{lonely}/"), Some(&alice.bearer)).await.assert_status(204);
    app.delete(&format!("/api/locations/{location}/"), Some(&admin.bearer)).await.assert_status(204);
    assert_eq!(app.get_json("/api/hobbies/").await, json!([]));
    assert_eq!(app.get_json("/api/promotions/").await, json!([]));
}

/// The session cookie works while `GET /auth/token/` gives a pair for it.
async fn session_works(app: &TestApp, cookie: &str) -> bool {
    app.request(Method::GET, "/auth/token/", &[("cookie", cookie)], None).await.status.as_u16() == 200
}

/// Like Django: a password change ends the user's other sessions (the one that made it stays,
/// when users change their own), and deactivation ends all of them for good.
#[tokio::test]
async fn password_changes_and_deactivation_end_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let user = app.user("maija", UserSpec::default()).await;
    let (phone, laptop) = (login(&app, "maija", &user.password).await, login(&app, "maija", &user.password).await);
    let (desk, home) = (login(&app, "root", &admin.password).await, login(&app, "root", &admin.password).await);
    assert!(session_works(&app, &phone).await && session_works(&app, &laptop).await);
    let csrf = crate::sysadmin::csrf_of(&desk);
    let set = |id: i64, password: &'static str| {
        let (app, desk, csrf) = (&app, desk.clone(), csrf.clone());
        async move {
            let fields = [("password", password), ("csrfmiddlewaretoken", csrf.as_str())];
            app.post_form(&format!("/sysadmin/users/{id}/password/"), &desk, &fields).await.assert_status(200);
        }
    };
    set(user.id, "uusi-salasana-1").await;
    assert!(!session_works(&app, &phone).await && !session_works(&app, &laptop).await);
    let again = login(&app, "maija", "uusi-salasana-1").await;
    assert!(session_works(&app, &again).await);
    // The sysadmin's own change keeps the session that made it, and only that one.
    set(admin.id, "toinen-salasana-2").await;
    assert!(session_works(&app, &desk).await && !session_works(&app, &home).await);
    // Deactivation through the form ends every session; activating again does not revive them.
    let profile = |active: bool| {
        let mut fields =
            vec![("username", "maija"), ("email", "maija@example.fi"), ("csrfmiddlewaretoken", csrf.as_str())];
        if active {
            fields.push(("is_active", "true"));
        }
        fields
    };
    app.post_form(&format!("/sysadmin/users/{}/", user.id), &desk, &profile(false)).await.assert_status(303);
    assert!(!session_works(&app, &again).await);
    app.post_form(&format!("/sysadmin/users/{}/", user.id), &desk, &profile(true)).await.assert_status(303);
    assert!(!session_works(&app, &again).await);
}

/// `POST /auth/token/` from an address (behind the trusted proxy, from its X-Forwarded-For).
async fn sign_in(app: &TestApp, from: &str, username: &str, password: &str) -> crate::support::TestResponse {
    let body = serde_json::to_vec(&json!({"username": username, "password": password})).unwrap();
    app.request(Method::POST, "/auth/token/", &[("x-forwarded-for", from)], Some(("application/json", body))).await
}

/// 200 parallel wrong passwords from one address: a few are checked, the rest get 429 with
/// `Retry-After`, the attacker's right guess is refused too, and the user signs in from
/// another address. Without a trusted proxy, X-Forwarded-For does not change the address.
#[tokio::test]
async fn sign_in_floods_are_cut_off_at_the_attacker() {
    let app = TestApp::spawn_with(behind_proxy()).await;
    let user = app.user("maija", UserSpec::default()).await;
    let attacker = "203.0.113.5";
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200 {
        let (client, address) = (app.client.clone(), app.address.clone());
        tasks.spawn(async move {
            let response = client
                .post(format!("{address}/auth/token/"))
                .header("x-forwarded-for", attacker)
                .json(&json!({"username": "maija", "password": format!("guess-{i}")}))
                .send()
                .await
                .unwrap();
            let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
            (response.status().as_u16(), retry_after)
        });
    }
    let (mut checked, mut throttled) = (0, 0);
    while let Some(result) = tasks.join_next().await {
        match result.unwrap() {
            (401, _) => checked += 1,
            (429, Some(seconds)) => {
                assert!((1..=900).contains(&seconds.parse::<u64>().unwrap()), "{seconds}");
                throttled += 1
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((checked, throttled), (5, 195));
    let refused = sign_in(&app, attacker, "maija", &user.password).await;
    refused.assert_status(429);
    assert!(refused.json()["detail"].as_str().unwrap().starts_with("Pyyntö hidastettu. Odotettavissa "));
    sign_in(&app, "198.51.100.7", "maija", &user.password).await.assert_status(200);
    // The browser form is throttled alike, with a page that says so.
    let form = app.get("/accounts/login/").await;
    let csrf = form.text.split("name=\"csrfmiddlewaretoken\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let body = format!("username=maija&password=x&csrfmiddlewaretoken={csrf}").into_bytes();
    let page = app
        .request(
            Method::POST,
            "/accounts/login/",
            &[("x-forwarded-for", attacker), ("cookie", &format!("csrftoken={csrf}"))],
            Some(("application/x-www-form-urlencoded", body)),
        )
        .await;
    page.assert_status(429);
    assert!(page.header("retry-after").is_some() && page.text.contains("Liian monta epäonnistunutta"));
    // Not behind a trusted proxy, the header is the client's claim and changes nothing.
    let direct = TestApp::spawn().await;
    direct.user("maija", UserSpec::default()).await;
    for i in 0..5 {
        sign_in(&direct, &format!("192.0.2.{i}"), "maija", "wrong").await.assert_status(401);
    }
    sign_in(&direct, "192.0.2.99", "maija", "wrong").await.assert_status(429);
}

/// Only allowed hosts are served (Django's ALLOWED_HOSTS); forwarding headers count only from
/// a trusted proxy; the health checks answer whatever the host.
#[tokio::test]
async fn forged_hosts_never_reach_a_link() {
    let app = TestApp::spawn().await;
    let evil = app.request(Method::GET, "/api/v1/", &[("host", "evil.example")], None).await;
    evil.assert_status(400);
    assert!(evil.text.contains("Bad Request (400)"));
    let forwarded = app.request(Method::GET, "/api/v1/", &[("x-forwarded-host", "evil.example")], None).await;
    forwarded.assert_status(200);
    assert!(
        !forwarded.text.contains("evil.example") && forwarded.text.contains("http://127.0.0.1:"),
        "{}",
        forwarded.text
    );
    for path in ["/healthz", "/monitor/"] {
        app.request(Method::GET, path, &[("host", "10.1.2.3")], None).await.assert_status(200);
    }
    let proxied = TestApp::spawn_with(behind_proxy()).await;
    let headers = [("x-forwarded-host", "api.example.fi"), ("x-forwarded-proto", "https")];
    let root = proxied.request(Method::GET, "/api/v1/", &headers, None).await.json();
    assert_eq!(root["hobbies"], json!("https://api.example.fi/mobile-api/v1/hobbies/"));
    proxied.request(Method::GET, "/api/v1/", &[("x-forwarded-host", "evil.example")], None).await.assert_status(400);
}

/// Unsafe cookie-authenticated posts from another site are refused by their `Origin` (and
/// over https without one, by their `Referer`), as Django refuses them.
#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let form = app.get("/accounts/login/").await;
    let csrf = form.text.split("name=\"csrfmiddlewaretoken\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let body = format!("username=root&password={}&csrfmiddlewaretoken={csrf}", admin.password).into_bytes();
    let post = |origin: &'static str| {
        let cookie = format!("csrftoken={csrf}");
        let body = body.clone();
        let app = &app;
        async move {
            let headers = [("origin", origin), ("cookie", cookie.as_str())];
            app.request(Method::POST, "/accounts/login/", &headers, Some(("application/x-www-form-urlencoded", body)))
                .await
        }
    };
    let forged = post("https://evil.example").await;
    forged.assert_status(403);
    assert!(forged.text.contains("Origin checking failed - https://evil.example does not match any trusted origins."));
    // The web UI's origin (the configured CORS origin) and this site's own are trusted.
    post("http://localhost:3000").await.assert_status(302);
    let own = Box::leak(app.address.clone().into_boxed_str());
    post(own).await.assert_status(302);
    let cookie = login(&app, "root", &admin.password).await;
    let csrf = crate::sysadmin::csrf_of(&cookie);
    let fields = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("name", "Seura"), ("csrfmiddlewaretoken", csrf.as_str())])
        .finish();
    let headers = [("cookie", cookie.as_str()), ("origin", "https://evil.example")];
    let forged = app
        .request(
            Method::POST,
            "/sysadmin/organizers/new/",
            &headers,
            Some(("application/x-www-form-urlencoded", fields.into_bytes())),
        )
        .await;
    forged.assert_status(403);
    assert_eq!(app.get_json("/api/organizers/").await, json!([]));
    // Behind https, a post without Origin needs a Referer from this site.
    let proxied = TestApp::spawn_with(behind_proxy()).await;
    let form = proxied.request(Method::GET, "/accounts/login/", &[], None).await;
    let csrf = form.text.split("name=\"csrfmiddlewaretoken\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let body = format!("username=x&password=y&csrfmiddlewaretoken={csrf}").into_bytes();
    let cookie = format!("csrftoken={csrf}");
    let https = [("x-forwarded-proto", "https"), ("x-forwarded-host", "api.example.fi"), ("cookie", cookie.as_str())];
    let refused = proxied
        .request(Method::POST, "/accounts/login/", &https, Some(("application/x-www-form-urlencoded", body.clone())))
        .await;
    refused.assert_status(403);
    assert!(refused.text.contains("Referer checking failed - no Referer."));
    let mut with_referer = https.to_vec();
    with_referer.push(("referer", "https://api.example.fi/accounts/login/"));
    let checked = proxied
        .request(Method::POST, "/accounts/login/", &with_referer, Some(("application/x-www-form-urlencoded", body)))
        .await;
    checked.assert_status(200);
    assert!(checked.text.contains("Syötä oikea käyttäjätunnus ja salasana."));
}

fn host_of(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

/// Whether the server has closed the connection (a read gives end of file or an error).
async fn closed(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0u8; 1024];
    let deadline = Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline.into(), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

/// With the cap reached by idle sockets a new client is still answered (the longest-idle one
/// is closed); idle and trickling connections are closed after their timeouts.
#[tokio::test]
async fn idle_and_trickling_connections_are_bounded_and_closed() {
    let limits = ConnectionLimits {
        max_connections: 20,
        header_read_timeout: Duration::from_secs(2),
        keep_alive_timeout: Duration::from_secs(1),
        ..ConnectionLimits::default()
    };
    let options = ServeOptions { connections: limits, ..ServeOptions::default() };
    let app = TestApp::spawn_serving(ApiConfig::default(), |state| state, options, |routes| routes).await;
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(TcpStream::connect(host_of(&app)).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    for path in ["/healthz", "/api/hobbies/"] {
        let started = Instant::now();
        let client = reqwest::Client::new();
        let response = client.get(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert!(started.elapsed() < Duration::from_secs(1), "{path} took {:?}", started.elapsed());
    }
    // Two of the idle ones (opened in the same millisecond, so any two) made room.
    let mut made_room = 0;
    for stream in idle.iter_mut() {
        if closed(stream, Duration::from_millis(20)).await {
            made_room += 1;
        }
    }
    assert_eq!(made_room, 2);
    // A client that trickles its headers is cut off at the header timeout, though it never
    // stops sending.
    let mut trickling = TcpStream::connect(host_of(&app)).await.unwrap();
    trickling.write_all(b"GET /api/hobbies/ HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.unwrap();
    let started = Instant::now();
    let mut cut_off = false;
    while started.elapsed() < Duration::from_secs(5) {
        if trickling.write_all(b"X-A: b\r\n").await.is_err() || closed(&mut trickling, Duration::from_millis(300)).await
        {
            cut_off = true;
            break;
        }
    }
    assert!(cut_off && started.elapsed() < Duration::from_secs(4), "trickling for {:?}", started.elapsed());
    // Every idle one is gone after the keep-alive timeout, and a kept-alive connection too.
    let mut kept = TcpStream::connect(host_of(&app)).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.unwrap();
    let mut answer = [0u8; 16];
    kept.read_exact(&mut answer).await.unwrap();
    assert!(answer.starts_with(b"HTTP/1.1 200"));
    for stream in idle.iter_mut() {
        assert!(closed(stream, Duration::from_secs(3)).await, "an idle connection stayed open");
    }
    assert!(closed(&mut kept, Duration::from_secs(3)).await, "a kept-alive connection stayed open");
}

/// A handler that panics (no input may reach one) answers 500 with the request's id, and the
/// server goes on.
#[tokio::test]
async fn a_panicking_handler_answers_500_with_its_request_id() {
    let panics = |routes: hp_api::RouteTable| {
        routes.add(
            "/test/panic/",
            axum::routing::get(|| async {
                if std::hint::black_box(true) {
                    panic!("a test's panic");
                }
                "unreachable"
            }),
        )
    };
    let app = TestApp::spawn_serving(ApiConfig::default(), |state| state, ServeOptions::default(), panics).await;
    let response = app.request(Method::GET, "/test/panic/", &[("x-request-id", "panic-check-1")], None).await;
    response.assert_status(500);
    assert_eq!(response.header("x-request-id"), Some("panic-check-1"));
    assert!(response.text.contains("Server Error (500)"));
    app.get("/healthz").await.assert_status(200);
}

/// A write that brought an image but is refused afterwards (a related row missing, rights)
/// leaves no file behind; the same bytes already stored for another object stay.
#[tokio::test]
async fn refused_writes_leave_no_image_behind() {
    let app = TestApp::spawn().await;
    let user = app.user("uploader", UserSpec::default()).await;
    let other = app.user("other", UserSpec::default()).await;
    let png = |shade: u8| {
        let image = image::RgbImage::from_pixel(4, 4, image::Rgb([shade, 0, 0]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(image).write_to(&mut bytes, image::ImageFormat::Png).unwrap();
        use base64::Engine;
        format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes.get_ref()))
    };
    let refused = app
        .post_json(
            "/api/hobbies/",
            Some(&user.bearer),
            &json!({"name": "x", "location": 987654, "cover_image": png(1)}),
        )
        .await;
    refused.assert_status(400);
    assert_eq!(files_in(&app.media_dir), Vec::<String>::new());
    let kept =
        app.post_json("/api/hobbies/", Some(&user.bearer), &json!({"name": "kuva", "cover_image": png(2)})).await;
    kept.assert_status(201);
    let stored = files_in(&app.media_dir);
    assert_eq!(stored.len(), 1);
    let hobby = kept.json()["id"].as_i64().unwrap();
    let bad_price = json!({"price_type": "paid", "price_amount": 0, "cover_image": png(3)});
    app.patch_json(&format!("/api/hobbies/{hobby}/"), Some(&user.bearer), &bad_price).await.assert_status(400);
    let same_bytes = json!({"name": "toinen", "organizer": 987654, "cover_image": png(2)});
    app.post_json("/api/hobbies/", Some(&user.bearer), &same_bytes).await.assert_status(400);
    app.patch_json(&format!("/api/hobbies/{hobby}/"), Some(&other.bearer), &json!({"cover_image": png(4)}))
        .await
        .assert_status(403);
    assert_eq!(files_in(&app.media_dir), stored);
    let refused = app
        .post_json("/api/promotions/", Some(&user.bearer), &json!({"name": "e", "description": "d", "start_date": "2022-02-22",
            "start_time": "10:00", "end_date": "2022-03-22", "end_time": "10:00", "organizer": 987654, "location": 987654,
            "available_count": 1, "cover_image": png(5)}))
        .await;
    refused.assert_status(400);
    assert_eq!(files_in(&app.media_dir), stored);
}

/// Trees stay within their depth, so that nothing rendering them recursively goes deeper.
#[tokio::test]
async fn category_trees_stay_within_sixteen_levels() {
    let app = TestApp::spawn().await;
    let mut parent = None;
    for level in 0..17 {
        let form = hp_app::categories::CategoryForm { name_fi: format!("Taso {level}"), parent, ..Default::default() };
        let operator = hp_app::Superuser::command_line_operator();
        let created =
            hp_app::categories::create(&app.state.app, operator, hp_db::schema::TreeTable::Categories, &form).await;
        match (level, created) {
            (0..=15, Ok(id)) => parent = Some(id),
            (16, Err(hp_app::AppError::Invalid(errors))) => {
                assert_eq!(
                    serde_json::to_value(&errors).unwrap(),
                    json!({"parent": ["A tree may have at most 16 levels."]})
                )
            }
            (level, other) => panic!("level {level}: {other:?}"),
        }
    }
    let nested: Value = app.get_json("/api/hobbycategories/?parent=null&include=child_categories").await;
    let mut depth = 0;
    let mut node = nested.as_array().unwrap().iter().find(|c| c["name"] == json!("Taso 0")).cloned();
    while let Some(current) = node {
        depth += 1;
        node = current["child_categories"].as_array().and_then(|children| children.first().cloned());
    }
    assert_eq!(depth, 16);
}

/// Hashing and decoding run a few at a time; a client that disconnects mid-work must not free
/// its turn before the work ends, or each disconnect would start one more.
#[tokio::test]
async fn a_dropped_request_keeps_its_turn_until_the_work_ends() {
    let turns = Arc::new(Turns::new(1, Some(Duration::from_millis(50))));
    let (release, released) = mpsc::channel::<()>();
    let (started, has_started) = tokio::sync::oneshot::channel();
    let first = tokio::spawn({
        let turns = Arc::clone(&turns);
        async move {
            turns
                .run(move || {
                    started.send(()).unwrap();
                    released.recv().unwrap();
                })
                .await
        }
    });
    has_started.await.unwrap();
    // The client goes away: its request future is dropped mid-work.
    first.abort();
    assert!(first.await.unwrap_err().is_cancelled());
    assert_eq!(turns.available(), 0, "the work still runs, so its turn is still taken");
    assert_eq!(turns.run(|| 1).await, Err(TurnRefusal::Busy));

    release.send(()).unwrap();
    let mut waited = 0;
    while turns.available() == 0 && waited < 200 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
    }
    assert_eq!(turns.run(|| 2).await, Ok(2));
}

#[tokio::test]
async fn a_panic_in_the_work_is_a_refusal_and_frees_the_turn() {
    let turns = Turns::new(1, None);
    assert_eq!(turns.run(|| panic!("broken image")).await, Err::<(), _>(TurnRefusal::Failed));
    assert_eq!(turns.available(), 1);
    assert_eq!(turns.run(|| "ok").await, Ok("ok"));
}
