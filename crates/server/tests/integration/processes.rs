//! The binary itself: administration commands against the database of a running server, and
//! two server processes sharing one database under concurrent writes.

use crate::support::{PromotionSpec, TestApp, TEST_JWT_SECRET};
use hp_db::schema::TreeTable;
use serde_json::json;
use std::process::Stdio;
use tokio::process::Command;

pub const BINARY: &str = env!("CARGO_BIN_EXE_harrastuspassi");

/// Runs the binary against the app's database; (success, stdout, stderr).
pub async fn run(
    app: &TestApp,
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
) -> (bool, String, String) {
    run_with_env(app, data_dir, args, stdin, &[]).await
}

/// [`run`] with more environment variables (or others than its own).
pub async fn run_with_env(
    app: &TestApp,
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> (bool, String, String) {
    run_on(app.database_url(), data_dir, args, stdin, env).await
}

/// [`run_with_env`] on the database at `database_url`.
pub async fn run_on(
    database_url: &str,
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> (bool, String, String) {
    let mut command = Command::new(BINARY);
    command
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("HARRASTUSPASSI_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    if let Some(text) = stdin {
        use tokio::io::AsyncWriteExt;
        child.stdin.take().unwrap().write_all(text.as_bytes()).await.unwrap();
    }
    let output = child.wait_with_output().await.unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn administration_commands_take_effect_in_the_running_server_at_once() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let (ok, id, err) = run(
        &app,
        data,
        &["user", "create", "--username", "mod.user", "--password-stdin", "--first-name", "Maija"],
        Some("salasana123\n"),
    )
    .await;
    assert!(ok, "{err}");
    let user_id: i64 = id.parse().expect("the new id");
    let (ok, key, _) = run(&app, data, &["token", "create", "--user", "mod.user"], None).await;
    assert!(ok && key.len() == 40, "{key}");
    let token = format!("Token {key}");
    app.post_json("/api/organizers/", Some(&token), &json!({"name": "CLI org"})).await.assert_status(201);
    let (ok, listed, _) = run(&app, data, &["token", "list"], None).await;
    assert!(ok && listed.contains("mod.user") && !listed.contains(&key), "{listed}");

    let (ok, municipality, _) = run(&app, data, &["municipality", "create", "Kunta"], None).await;
    assert!(ok);
    let hobby = app
        .hobby(
            "Kunnan harrastus",
            crate::support::HobbySpec { municipality: Some(municipality.parse().unwrap()), ..Default::default() },
        )
        .await;
    let app_ref = &app;
    let editable = |token: String| async move {
        crate::support::ids(&app_ref.get_as("/api/hobbies/?editable_only=true", &token).await.json())
    };
    assert_eq!(editable(token.clone()).await, Vec::<i64>::new());
    // By name as well as by id.
    let (ok, added, err) = run(&app, data, &["municipality", "add-moderator", "Kunta", "mod.user"], None).await;
    assert!(ok && added == "mod.user moderates Kunta", "{added} {err}");
    assert_eq!(editable(token.clone()).await, vec![hobby]);
    let (ok, list, _) = run(&app, data, &["municipality", "list"], None).await;
    assert!(ok && list.contains("Kunta") && list.contains("mod.user"), "{list}");
    assert!(run(&app, data, &["municipality", "remove-moderator", &municipality, "mod.user"], None).await.0);
    assert_eq!(editable(token.clone()).await, Vec::<i64>::new());

    let (ok, category, _) =
        run(&app, data, &["category", "create", "--name-fi", "Kiipeily", "--name-en", "Climbing"], None).await;
    assert!(ok);
    assert_eq!(app.get_json(&format!("/api/hobbycategories/{category}/")).await["name_en"], json!("Climbing"));

    // The password set here signs in, and a deactivated user cannot.
    let pair = app.post_json("/auth/token/", None, &json!({"username": "mod.user", "password": "salasana123"})).await;
    pair.assert_status(200);
    assert!(run(&app, data, &["user", "set-password", "mod.user", "--password", "uusisalasana"], None).await.0);
    app.post_json("/auth/token/", None, &json!({"username": "mod.user", "password": "uusisalasana"}))
        .await
        .assert_status(200);
    let (ok, users, _) = run(&app, data, &["user", "list"], None).await;
    assert!(ok && users.contains(&format!("{user_id}\tmod.user")), "{users}");
    assert!(run(&app, data, &["token", "revoke", "--user", "mod.user"], None).await.0);
    app.get_as("/api/hobbies/", &token).await.assert_status(401);
    assert!(run(&app, data, &["user", "deactivate", "mod.user"], None).await.0);
    app.post_json("/auth/token/", None, &json!({"username": "mod.user", "password": "uusisalasana"}))
        .await
        .assert_status(401);

    // Bad input fails with a message and a non-zero exit.
    for _ in 0..2 {
        assert!(run(&app, data, &["municipality", "create", "Kaksoset"], None).await.0);
    }
    for (args, message) in [
        (vec!["municipality", "add-moderator", "Ei ole", "mod.user"], "no municipality Ei ole"),
        (vec!["municipality", "add-moderator", "Kaksoset", "mod.user"], "several municipalities are named Kaksoset"),
        (vec!["user", "create", "--username", "mod.user", "--password", "salasana123"], "exists already"),
        (vec!["user", "create", "--username", "bad name", "--password", "salasana123"], "username may contain only"),
        (vec!["user", "create", "--username", "short", "--password", "short"], "at least 8 characters"),
        (vec!["token", "create", "--user", "nobody"], "no user"),
        (vec!["municipality", "add-moderator", "987654", "mod.user"], "no municipality"),
        (vec!["category", "create", "--name-fi", "Orpo", "--parent", "987654"], "parent: No such category."),
        (vec!["municipality", "create", "  "], "name: Tämä kenttä vaaditaan."),
    ] {
        let (ok, _, err) = run(&app, data, &args, None).await;
        assert!(!ok, "{args:?} succeeded");
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A server process on the app's database; killed when dropped.
async fn server_process(app: &TestApp, data_dir: &std::path::Path) -> (tokio::process::Child, String) {
    server_process_logging(app, data_dir, None).await
}

/// A server process whose JSON log at debug level goes to `log` (or nowhere).
async fn server_process_logging(
    app: &TestApp,
    data_dir: &std::path::Path,
    log: Option<&std::path::Path>,
) -> (tokio::process::Child, String) {
    spawn_server(app, data_dir, log, Some(std::str::from_utf8(TEST_JWT_SECRET).unwrap())).await
}

/// A server process on the app's database; its JWT secret is `jwt_secret`, or when `None`
/// the one kept in `data_dir`.
pub async fn spawn_server(
    app: &TestApp,
    data_dir: &std::path::Path,
    log: Option<&std::path::Path>,
    jwt_secret: Option<&str>,
) -> (tokio::process::Child, String) {
    let port = free_port();
    let stderr = match log {
        Some(path) => Stdio::from(std::fs::File::create(path).expect("a log file")),
        None => Stdio::null(),
    };
    let mut command = Command::new(BINARY);
    if let Some(secret) = jwt_secret {
        command.env("HARRASTUSPASSI_JWT_SECRET", secret);
    }
    let child = command
        .arg("serve")
        .env("DATABASE_URL", app.database_url())
        .env("HARRASTUSPASSI_DATA_DIR", data_dir)
        .env("HARRASTUSPASSI_PORT", port.to_string())
        .env("HARRASTUSPASSI_SCHEDULER", "false")
        .env("HARRASTUSPASSI_LOG_FORMAT", "json")
        .env("RUST_LOG", if log.is_some() { "debug" } else { "error" })
        .stdout(Stdio::null())
        .stderr(stderr)
        .kill_on_drop(true)
        .spawn()
        .expect("the server starts");
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if reqwest::get(format!("{base}/api/")).await.is_ok_and(|r| r.status().is_success()) {
            return (child, base);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the server process did not start");
}

/// The value of a cookie set by a response.
fn cookie_of(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap().to_owned()))
        .unwrap_or_else(|| panic!("a {name} cookie"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_carry_request_ids_and_never_a_secret() {
    let app = TestApp::spawn().await;
    let user = app.user("logged", crate::support::UserSpec::default()).await;
    let api_token = app.api_token(&user).await;
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("server.log");
    let (mut server, base) = server_process_logging(&app, dir.path(), Some(&log_path)).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    // A browser login.
    let form = client.get(format!("{base}/accounts/login/")).send().await.unwrap();
    let csrf = cookie_of(&form, "csrftoken");
    let login = client
        .post(format!("{base}/accounts/login/"))
        .header("cookie", format!("csrftoken={csrf}"))
        .header("x-request-id", "login-request-1")
        .form(&[("username", "logged"), ("password", user.password.as_str()), ("csrfmiddlewaretoken", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status().as_u16(), 302);
    let session = cookie_of(&login, "sessionid");
    // A JWT pair, and a call with it; a call with the API token.
    let pair: serde_json::Value = client
        .post(format!("{base}/auth/token/"))
        .json(&json!({"username": "logged", "password": user.password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = pair["access"].as_str().unwrap().to_owned();
    let refresh = pair["refresh"].as_str().unwrap().to_owned();
    let with_jwt =
        client.get(format!("{base}/api/v1/hobbies/?editable_only=true")).bearer_auth(&access).send().await.unwrap();
    assert_eq!(with_jwt.status().as_u16(), 200);
    let with_token = client
        .post(format!("{base}/api/organizers/"))
        .header("authorization", &api_token)
        .json(&json!({"name": "Lokiseura"}))
        .send()
        .await
        .unwrap();
    assert_eq!(with_token.status().as_u16(), 201);
    // A failed login with a wrong password is logged without it.
    let wrong = client
        .post(format!("{base}/auth/token/"))
        .json(&json!({"username": "logged", "password": "wrong-password-xyz"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);

    server.kill().await.unwrap();
    let log = std::fs::read_to_string(&log_path).unwrap();
    let key = api_token.trim_start_matches("Token ");
    for (what, secret) in [
        ("password", user.password.as_str()),
        ("wrong password", "wrong-password-xyz"),
        ("session id", session.as_str()),
        ("CSRF token", csrf.as_str()),
        ("access token", access.as_str()),
        ("refresh token", refresh.as_str()),
        ("API token", key),
    ] {
        assert!(!log.contains(secret), "the log shows the {what}");
    }
    // JSON lines, and the request id the client sent is on the request's lines.
    assert!(log.lines().filter(|l| !l.trim().is_empty()).all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
    let login_line =
        log.lines().find(|l| l.contains("login-request-1")).expect("the login request is logged with its id");
    assert!(login_line.contains("/accounts/login/"), "{login_line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_redeem_exactly_what_is_available_and_create_every_hobby() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer("Org").await;
    let location = app.location("Loc", None, None).await;
    let mut spec = PromotionSpec::new(organizer, location);
    spec.available = 100;
    let promotion = app.promotion("Hundred", spec).await;
    let municipality = app.municipality("Kunta").await;
    let mut moderators = Vec::new();
    for i in 0..4 {
        let user = app
            .user(
                &format!("moderator{i}"),
                crate::support::UserSpec { moderates: vec![municipality], ..Default::default() },
            )
            .await;
        moderators.push(app.api_token(&user).await);
    }
    let dir = tempfile::tempdir().unwrap();
    let (_first, a) = server_process(&app, dir.path()).await;
    let (_second, b) = server_process(&app, dir.path()).await;
    let client = reqwest::Client::new();

    let redemptions = (0..500).map(|i| {
        let (client, base, token) =
            (client.clone(), if i % 2 == 0 { a.clone() } else { b.clone() }, moderators[i % 4].clone());
        async move {
            client
                .post(format!("{base}/api/benefits/"))
                .header("authorization", token)
                .json(&json!({"promotion": promotion}))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }
    });
    let statuses = futures::future::join_all(redemptions).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 100, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 400);
    assert_eq!(app.get_json(&format!("/api/promotions/{promotion}/")).await["used_count"], json!(100));
    assert_eq!(app.get_json("/api/benefits/").await.as_array().unwrap().len(), 100);

    let creates = (0..200).map(|i| {
        let (client, base, token) =
            (client.clone(), if i % 2 == 0 { a.clone() } else { b.clone() }, moderators[i % 4].clone());
        async move {
            client
                .post(format!("{base}/api/hobbies/"))
                .header("authorization", token)
                .json(&json!({"name": format!("Hobby {i}")}))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }
    });
    let statuses = futures::future::join_all(creates).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(app.get_json("/api/v1/hobbies/?page_size=1").await["count"], json!(200));

    // Events added to one hobby at once: each recomputes that hobby's next event.
    let hobby = app.get_json("/api/v1/hobbies/?page_size=1").await["results"][0]["id"].as_i64().unwrap();
    let events = (0..60).map(|i| {
        let (client, base, token) =
            (client.clone(), if i % 2 == 0 { a.clone() } else { b.clone() }, moderators[i % 4].clone());
        async move {
            let day = format!("2030-{:02}-{:02}", 1 + i / 28, 1 + i % 28);
            client
                .post(format!("{base}/api/v1/hobbyevents/"))
                .header("authorization", token)
                .json(&json!({"hobby": hobby, "start_date": day, "end_date": day, "start_time": "17:00", "end_time": "18:00",
                    "is_recurrent": true, "recurrency_count": 2}))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }
    });
    let statuses = futures::future::join_all(events).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let of_hobby = app.get_json(&format!("/api/v1/hobbyevents/?hobby={hobby}&page_size=500")).await;
    assert_eq!(of_hobby["count"], json!(180));
    let listed = app.get_json("/api/v1/hobbyevents/?page_size=500").await;
    let next: Vec<&serde_json::Value> =
        listed["results"].as_array().unwrap().iter().filter(|e| e["hobby"] == json!(hobby)).collect();
    assert_eq!(next.len(), 1, "one next event per hobby in the list");
    assert_eq!(next[0]["start_date"], json!("2030-01-01"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_requests_in_flight_finish_and_accepts_no_new_ones() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn().await;
    let user = app.user("inflight", crate::support::UserSpec::default()).await;
    let token = app.api_token(&user).await;
    let dir = tempfile::tempdir().unwrap();
    let (mut server, base) = server_process(&app, dir.path()).await;
    let address = base.trim_start_matches("http://").to_owned();

    // A request whose body is still arriving when the signal comes.
    let body = br#"{"name": "Kesken jaettu seura"}"#;
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/organizers/ HTTP/1.1\r\nHost: {address}\r\nAuthorization: {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..10]).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let pid = server.id().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // No new connections once shutting down.
    let refused =
        reqwest::Client::new().get(format!("{base}/api/")).timeout(std::time::Duration::from_secs(2)).send().await;
    assert!(refused.is_err(), "a new request was accepted during shutdown: {refused:?}");

    // The request in flight completes.
    stream.write_all(&body[10..]).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let status = tokio::time::timeout(std::time::Duration::from_secs(10), server.wait()).await.unwrap().unwrap();
    assert!(status.success(), "the server exits cleanly: {status:?}");
    assert_eq!(app.get_json("/api/organizers/").await.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_ontology_import_is_idempotent_and_renames_in_place() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(&app, dir.path(), &["import", "ontology"], None).await;
    assert!(!ok && err.contains("Specify --categories and/or --audiences"), "{err}");

    // The first import creates both trees from the bundled copy; importing it again changes nothing.
    let (ok, out, err) = run(&app, dir.path(), &["import", "ontology", "--categories", "--audiences"], None).await;
    assert!(ok && !out.contains("0 created"), "{out} {err}");
    let (ok, out, err) = run(&app, dir.path(), &["import", "ontology", "--categories", "--audiences"], None).await;
    assert!(ok, "{err}");
    assert!(
        out.contains("categories: 0 created, 0 updated") && out.contains("audiences: 0 created, 0 updated"),
        "{out}"
    );
    let roots = app.get_json("/api/hobbycategories/?parent=null&lang=en").await;
    assert_eq!(roots.as_array().unwrap().len(), 16);
    let nature = roots.as_array().unwrap().iter().find(|c| c["name"] == json!("Nature and animals")).unwrap().clone();

    // A changed label is updated in place: same id.
    let changed = hp_importers::ontology::BUNDLED.replace(
        r#"<rdfs:label xml:lang="en">Nature and animals</rdfs:label>"#,
        r#"<rdfs:label xml:lang="en">Nature and wildlife</rdfs:label>"#,
    );
    let file = dir.path().join("changed.owl");
    std::fs::write(&file, changed).unwrap();
    let (ok, out, err) =
        run(&app, dir.path(), &["import", "ontology", "--categories", "--path", file.to_str().unwrap()], None).await;
    assert!(ok, "{err}");
    assert!(out.starts_with("categories: 0 created, 1 updated"), "{out}");
    let renamed = app.get_json(&format!("/api/hobbycategories/{}/?lang=en", nature["id"])).await;
    assert_eq!(renamed["name"], json!("Nature and wildlife"));
    assert_eq!(app.get_json("/api/hobbycategories/?parent=null").await.as_array().unwrap().len(), 16);

    let (ok, _, err) =
        run(&app, dir.path(), &["import", "ontology", "--categories", "--path", "/no/such.owl"], None).await;
    assert!(!ok && err.contains("cannot read /no/such.owl"), "{err}");
    let (ok, _, err) = run(&app, dir.path(), &["import", "linkedcourses", "--source", "bogus"], None).await;
    assert!(!ok && err.contains("unknown source \"bogus\""), "{err}");
}

/// A geocoding service on loopback: finds "Mannerheimintie 1", nothing else.
async fn fake_geocoder() -> String {
    async fn answer(
        axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
    ) -> axum::Json<serde_json::Value> {
        let address = query.get("address").cloned().unwrap_or_default();
        if query.get("key").map(String::as_str) == Some("test-key")
            && address.starts_with("Mannerheimintie 1,+00100+Helsinki")
        {
            axum::Json(
                json!({"status": "OK", "results": [{"geometry": {"location": {"lat": 60.1699, "lng": 24.9384}}}]}),
            )
        } else {
            axum::Json(json!({"status": "ZERO_RESULTS", "results": []}))
        }
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/geocode", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().route("/geocode", axum::routing::get(answer))).await
    });
    url
}

#[tokio::test]
async fn geocode_locations_fills_what_it_finds_and_reports_the_rest() {
    let app = TestApp::spawn().await;
    let mut tx = app.db.begin().await.unwrap();
    let mut ids = Vec::new();
    for (name, address, city) in
        [("Kirjasto", "Mannerheimintie 1", "Helsinki"), ("Tuntematon", "Ei tätä tietä 9", "Nowhere")]
    {
        let fields = hp_db::locations::LocationFields {
            name: name.into(),
            address: address.into(),
            zip_code: "00100".into(),
            city: city.into(),
            ..Default::default()
        };
        ids.push(hp_db::locations::insert(&mut tx, &fields, None, None, app.clock.now()).await.unwrap());
    }
    tx.commit().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(&app, dir.path(), &["geocode-locations"], None).await;
    assert!(!ok && err.contains("geocoding is not configured"), "{err}");

    let url = fake_geocoder().await;
    let output = Command::new(BINARY)
        .args(["geocode-locations", "--per-second", "50"])
        .env("DATABASE_URL", app.database_url())
        .env("HARRASTUSPASSI_DATA_DIR", dir.path())
        .env("HARRASTUSPASSI_GEOCODING_API_KEY", "test-key")
        .env("HARRASTUSPASSI_GEOCODING_URL", &url)
        .env("RUST_LOG", "error")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("Found 2 locations with faulty or null coordinates."), "{stdout}");
    assert!(stdout.contains("Could not get coordinates for <Location: Tuntematon>"), "{stdout}");
    assert!(stdout.contains("1 locations geocoded, 1 could not be"), "{stdout}");
    let found = app.get_json(&format!("/api/v1/locations/{}/", ids[0])).await;
    assert_eq!(found["coordinates"], json!({"type": "Point", "coordinates": [24.9384, 60.1699]}));
    let missing = app.get_json(&format!("/api/v1/locations/{}/", ids[1])).await;
    assert_eq!(missing["coordinates"], serde_json::Value::Null);
}

/// The race of a promotion's edits and its redemptions across two server processes, five
/// times: 150 redemptions, 50 renames and 20 PUTs echoing a `used_count` read before any
/// redemption store exactly the 20 available. (Before edits wrote only what they name, this
/// stored 21 to 36 on PostgreSQL.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_racing_edits_and_redemptions_store_exactly_the_limit() {
    let app = TestApp::spawn().await;
    let owner = app.user("owner", crate::support::UserSpec::default()).await;
    let redeemer = app.user("redeemer", crate::support::UserSpec::default()).await;
    let token = app.api_token(&redeemer).await;
    // A token, not a JWT: the processes run on the real clock, the tests' JWTs on a frozen one.
    let owner_token = app.api_token(&owner).await;
    let organizer = app.organizer("Org").await;
    let location = app.location("Loc", None, None).await;
    let dir = tempfile::tempdir().unwrap();
    let (_first, a) = server_process(&app, dir.path()).await;
    let (_second, b) = server_process(&app, dir.path()).await;
    let client = reqwest::Client::new();
    for run in 0..5 {
        let spec =
            PromotionSpec { available: 20, created_by: Some(owner.id), ..PromotionSpec::new(organizer, location) };
        let promotion = app.promotion(&format!("Run {run}"), spec).await;
        let echoed = app.get_json(&format!("/api/v1/promotions/{promotion}/")).await;
        let requests = (0..220).map(|i| {
            let base = if i % 2 == 0 { &a } else { &b };
            let detail = format!("{base}/api/v1/promotions/{promotion}/");
            let request = match i % 11 {
                0..=6 => client
                    .post(format!("{base}/api/v1/benefits/"))
                    .header("authorization", &token)
                    .json(&json!({"promotion": promotion})),
                7..=9 => client
                    .patch(&detail)
                    .header("authorization", &owner_token)
                    .json(&json!({"name": format!("Run {run}, {i}")})),
                _ => client.put(&detail).header("authorization", &owner_token).json(&echoed),
            };
            async move { (i % 11, request.send().await.map(|r| r.status().as_u16()).unwrap_or(0)) }
        });
        let answers = futures::future::join_all(requests).await;
        let taken = answers.iter().filter(|(kind, status)| *kind <= 6 && *status == 201).count();
        assert!(
            answers.iter().all(|(kind, status)| if *kind <= 6 { [201, 400].contains(status) } else { *status == 200 }),
            "{answers:?}"
        );
        let stored = app
            .get_json("/api/benefits/")
            .await
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["promotion"] == json!(promotion))
            .count();
        let used = app.get_json(&format!("/api/promotions/{promotion}/")).await["used_count"].clone();
        assert_eq!((taken, stored, used), (20, 20, json!(20)), "run {run}");
    }
}

/// The SQLite file follows the data directory unless a database is named, and a server on a
/// public address refuses to start without the host names it answers to.
#[tokio::test]
async fn the_data_directory_holds_the_database_and_public_servers_need_allowed_hosts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("elsewhere");
    let output = std::process::Command::new(BINARY)
        .arg("migrate")
        .env_remove("DATABASE_URL")
        .env("HARRASTUSPASSI_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(data.join("harrastuspassi.db").is_file());
    let refused = std::process::Command::new(BINARY)
        .args(["serve", "--host", "0.0.0.0", "--port", &free_port().to_string()])
        .env_remove("DATABASE_URL")
        .env_remove("HARRASTUSPASSI_ALLOWED_HOSTS")
        .env("HARRASTUSPASSI_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("HARRASTUSPASSI_ALLOWED_HOSTS"), "{message}");
}

#[tokio::test]
async fn a_new_database_gets_the_category_tree_and_later_commands_never_bring_it_back() {
    let database = crate::support::TestDatabase::create_empty().await;
    let dir = tempfile::tempdir().unwrap();
    let trees = || async {
        let db = hp_db::Db::connect(&hp_db::DbOptions::new(&database.url)).await.unwrap();
        let mut conn = db.conn().await.unwrap();
        let counts = (
            hp_db::categories::count(&mut conn, TreeTable::Categories).await.unwrap(),
            hp_db::categories::count(&mut conn, TreeTable::Audiences).await.unwrap(),
        );
        drop(conn);
        db.close().await;
        counts
    };
    let (ok, out, err) = run_on(&database.url, dir.path(), &["migrate"], None, &[]).await;
    assert!(ok && out == "database is up to date", "{out} {err}");
    let (categories, audiences) = trees().await;
    assert!(categories > 100 && audiences > 0, "{categories} categories, {audiences} audiences");

    // The operator removes every category: no later command loads them again.
    let db = hp_db::Db::connect(&hp_db::DbOptions::new(&database.url)).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    for category in
        hp_db::categories::list(&mut tx, TreeTable::Categories, hp_db::categories::ParentFilter::Roots).await.unwrap()
    {
        hp_db::categories::delete(&mut tx, TreeTable::Categories, category.id).await.unwrap();
    }
    tx.commit().await.unwrap();
    db.close().await;
    assert_eq!(trees().await, (0, audiences));
    let (ok, _, err) = run_on(
        &database.url,
        dir.path(),
        &["user", "create", "--username", "operator", "--password-stdin"],
        Some("operator-password-1\n"),
        &[],
    )
    .await;
    assert!(ok, "{err}");
    assert!(run_on(&database.url, dir.path(), &["migrate"], None, &[]).await.0);
    assert_eq!(trees().await, (0, audiences));
}

/// `--help` of a command, as printed.
fn help(args: &[&str]) -> String {
    let output = std::process::Command::new(BINARY).args(args).arg("--help").output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn each_command_lists_only_the_options_it_uses() {
    let serve = help(&["serve"]);
    for option in ["--cors-origins", "--max-connections", "--database-url", "--s3-bucket", "--jwt-secret", "--port"] {
        assert!(serve.contains(option), "serve lacks {option}:\n{serve}");
    }
    for command in [&["user"][..], &["user", "create"], &["token", "create"], &["municipality", "add-moderator"]] {
        let text = help(command);
        assert!(text.contains("--database-url") && text.contains("--data-dir"), "{command:?}:\n{text}");
        for option in ["--cors-origins", "--max-connections", "--port", "--jwt-secret", "--s3-bucket"] {
            assert!(!text.contains(option), "{command:?} lists {option}:\n{text}");
        }
    }
    for command in [&["media", "clean"][..], &["category", "set-image"], &["import", "linkedcourses"]] {
        let text = help(command);
        assert!(text.contains("--s3-bucket") && text.contains("--database-url"), "{command:?}:\n{text}");
        assert!(!text.contains("--cors-origins") && !text.contains("--jwt-secret"), "{command:?}:\n{text}");
    }
    let geocode = help(&["geocode-locations"]);
    assert!(geocode.contains("--geocoding-api-key") && !geocode.contains("--s3-bucket"), "{geocode}");
    let django = help(&["import-django"]);
    assert!(django.contains("--jwt-secret") && django.contains("--s3-bucket"), "{django}");
    assert!(!django.contains("--max-connections"), "{django}");
    let openapi = help(&["openapi"]);
    assert!(!openapi.contains("--database-url"), "{openapi}");
}
