//! Signing in: JWT pairs and refresh, bearer and API-token authentication with every refusal,
//! the browser login pages with CSRF, and sessions.

use crate::support::{TestApp, UserSpec, TEST_JWT_SECRET};
use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn header(token: &str) -> Value {
    let header = token.split('.').next().unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap()
}

/// A token signed with `secret` over arbitrary claims.
fn forge(secret: &[u8], claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret),
    )
    .unwrap()
}

#[tokio::test]
async fn password_gives_a_token_pair_with_the_claims_clients_read() {
    let app = TestApp::spawn().await;
    let alice =
        app.user("alice", UserSpec { first_name: "Alice", last_name: "Meikäläinen", ..Default::default() }).await;
    let response = app.post_json("/auth/token/", None, &json!({"username": "alice", "password": alice.password})).await;
    response.assert_status(200);
    let body = response.json();
    assert_eq!(body.as_object().unwrap().keys().collect::<Vec<_>>(), ["refresh", "access"]);
    let now = app.clock.now().timestamp();
    let access = claims(body["access"].as_str().unwrap());
    let refresh = claims(body["refresh"].as_str().unwrap());
    assert_eq!(header(body["access"].as_str().unwrap()), json!({"typ": "JWT", "alg": "HS256"}));
    assert_eq!(
        access.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["token_type", "exp", "jti", "user_id", "first_name", "last_name"]
    );
    assert_eq!(access["token_type"], json!("access"));
    assert_eq!(access["exp"], json!(now + 18000));
    assert_eq!(access["user_id"], json!(alice.id));
    assert_eq!(access["first_name"], json!("Alice"));
    assert_eq!(access["last_name"], json!("Meikäläinen"));
    assert_eq!(access["jti"].as_str().unwrap().len(), 32);
    assert_eq!(refresh["token_type"], json!("refresh"));
    assert_eq!(refresh["exp"], json!(now + 86400));
    assert_ne!(body["access"], body["refresh"]);
    // The access token works on the API.
    let bearer = format!("Bearer {}", body["access"].as_str().unwrap());
    let org = app.post_json("/api/v1/organizers/", Some(&bearer), &json!({"name": "Seura"})).await;
    org.assert_status(201);
    // A form body works too.
    let form = format!("username=alice&password={}", alice.password);
    app.request(Method::POST, "/auth/token/", &[], Some(("application/x-www-form-urlencoded", form.into_bytes())))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn wrong_or_missing_credentials() {
    let app = TestApp::spawn().await;
    let bob = app.user("bob", UserSpec::default()).await;
    for body in [json!({"username": "bob", "password": "wrong"}), json!({"username": "nobody", "password": "x"})] {
        let response = app.post_json("/auth/token/", None, &body).await;
        response.assert_status(401);
        assert_eq!(response.json(), json!({"detail": "No active account found with the given credentials"}));
        assert_eq!(response.header("www-authenticate"), Some("Bearer realm=\"api\""));
    }
    let missing = app.post_json("/auth/token/", None, &json!({})).await;
    missing.assert_status(400);
    assert_eq!(missing.json(), json!({"username": ["Tämä kenttä vaaditaan."], "password": ["Tämä kenttä vaaditaan."]}));
    assert_eq!(
        app.post_json("/auth/token/", None, &json!({"username": "bob"})).await.json(),
        json!({"password": ["Tämä kenttä vaaditaan."]})
    );
    // An inactive user cannot sign in.
    let mut tx = app.db.begin().await.unwrap();
    hp_db::accounts::set_active(&mut tx, bob.id, false).await.unwrap();
    tx.commit().await.unwrap();
    app.post_json("/auth/token/", None, &json!({"username": "bob", "password": bob.password})).await.assert_status(401);
    // Other methods are 405 for anyone.
    let put = app.put_json("/auth/token/", None, &json!({})).await;
    put.assert_status(405);
    assert_eq!(put.json(), json!({"detail": "Metodi \"PUT\" ei ole sallittu."}));
    assert_eq!(put.header("allow"), Some("GET, POST, HEAD, OPTIONS"));
}

#[tokio::test]
async fn a_django_password_hash_is_accepted_and_replaced_by_argon2id() {
    let app = TestApp::spawn().await;
    let carol = app.user("carol", UserSpec::default()).await;
    let stored = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            hp_db::accounts::by_username(&mut db.conn().await.unwrap(), "carol").await.unwrap().unwrap().password_hash
        }
    };
    assert!(stored(&app).await.starts_with("pbkdf2_sha256$1000$"));
    app.post_json("/auth/token/", None, &json!({"username": "carol", "password": carol.password}))
        .await
        .assert_status(200);
    assert!(stored(&app).await.starts_with("$argon2id$"));
    app.post_json("/auth/token/", None, &json!({"username": "carol", "password": carol.password}))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn refresh_tokens_give_new_access_tokens() {
    let app = TestApp::spawn().await;
    let dave = app.user("dave", UserSpec { first_name: "Dave", ..Default::default() }).await;
    let pair =
        app.post_json("/auth/token/", None, &json!({"username": "dave", "password": dave.password})).await.json();
    let refreshed = app.post_json("/auth/token/refresh/", None, &json!({"refresh": pair["refresh"]})).await;
    refreshed.assert_status(200);
    let body = refreshed.json();
    assert_eq!(body.as_object().unwrap().keys().collect::<Vec<_>>(), ["access"]);
    let access = claims(body["access"].as_str().unwrap());
    assert_eq!((access["user_id"].clone(), access["first_name"].clone()), (json!(dave.id), json!("Dave")));
    let bearer = format!("Bearer {}", body["access"].as_str().unwrap());
    app.post_json("/api/organizers/", Some(&bearer), &json!({"name": "Via refresh"})).await.assert_status(201);

    let invalid = json!({"detail": "Token is invalid or expired", "code": "token_not_valid"});
    let garbage = app.post_json("/auth/token/refresh/", None, &json!({"refresh": "not-a-token"})).await;
    garbage.assert_status(401);
    assert_eq!(garbage.json(), invalid);
    assert_eq!(garbage.header("www-authenticate"), Some("Bearer realm=\"api\""));
    let wrong_type = app.post_json("/auth/token/refresh/", None, &json!({"refresh": pair["access"]})).await;
    assert_eq!(wrong_type.json(), json!({"detail": "Token has wrong type", "code": "token_not_valid"}));
    app.clock.set(app.clock.now() + chrono::Duration::days(2));
    assert_eq!(app.post_json("/auth/token/refresh/", None, &json!({"refresh": pair["refresh"]})).await.json(), invalid);
    let missing = app.post_json("/auth/token/refresh/", None, &json!({})).await;
    missing.assert_status(400);
    assert_eq!(missing.json(), json!({"refresh": ["Tämä kenttä vaaditaan."]}));
    let get = app.get("/auth/token/refresh/").await;
    get.assert_status(405);
    assert_eq!(get.json(), json!({"detail": "Metodi \"GET\" ei ole sallittu."}));
    assert_eq!(get.header("allow"), Some("POST, OPTIONS"));
}

#[tokio::test]
async fn bearer_tokens_are_refused_with_simplejwt_errors_even_on_public_reads() {
    let app = TestApp::spawn().await;
    let erin = app.user("erin", UserSpec::default()).await;
    let now = app.clock.now().timestamp();
    let message = |text: &str| {
        json!({"detail": "Given token not valid for any token type", "code": "token_not_valid",
               "messages": [{"token_class": "AccessToken", "token_type": "access", "message": text}]})
    };
    let valid = json!({"token_type": "access", "exp": now + 60, "jti": "a".repeat(32), "user_id": erin.id});
    let cases = vec![
        (format!("Bearer {}", forge(b"wrong secret", &valid)), message("Token is invalid or expired")),
        (
            format!(
                "Bearer {}",
                forge(
                    TEST_JWT_SECRET,
                    &json!({"token_type": "access", "exp": now - 1, "jti": "x", "user_id": erin.id})
                )
            ),
            message("Token is invalid or expired"),
        ),
        (
            format!(
                "Bearer {}",
                forge(
                    TEST_JWT_SECRET,
                    &json!({"token_type": "refresh", "exp": now + 60, "jti": "x", "user_id": erin.id})
                )
            ),
            message("Token has wrong type"),
        ),
        (
            format!("Bearer {}", forge(TEST_JWT_SECRET, &json!({"exp": now + 60, "jti": "x", "user_id": erin.id}))),
            message("Token has no type"),
        ),
        (
            format!(
                "Bearer {}",
                forge(TEST_JWT_SECRET, &json!({"token_type": "access", "jti": "x", "user_id": erin.id}))
            ),
            message("Token has no 'exp' claim"),
        ),
        (
            format!("Bearer {}", forge(TEST_JWT_SECRET, &json!({"token_type": "access", "exp": now + 60, "jti": "x"}))),
            json!({"detail": "Token contained no recognizable user identification", "code": "token_not_valid"}),
        ),
        (
            format!(
                "Bearer {}",
                forge(
                    TEST_JWT_SECRET,
                    &json!({"token_type": "access", "exp": now + 60, "jti": "x", "user_id": 987654})
                )
            ),
            json!({"detail": "User not found", "code": "user_not_found"}),
        ),
        (
            "Bearer".to_owned(),
            json!({"detail": "Authorization header must contain two space-delimited values", "code": "bad_authorization_header"}),
        ),
        (
            "Bearer a b".to_owned(),
            json!({"detail": "Authorization header must contain two space-delimited values", "code": "bad_authorization_header"}),
        ),
    ];
    for (authorization, expected) in cases {
        let response = app.get_as("/api/hobbies/", &authorization).await;
        assert_eq!(response.status.as_u16(), 401, "{authorization}: {}", response.text);
        assert_eq!(response.json(), expected, "{authorization}");
        assert_eq!(response.header("www-authenticate"), Some("Bearer realm=\"api\""));
    }
    // A tampered payload breaks the signature.
    let mut parts: Vec<String> = erin.bearer.trim_start_matches("Bearer ").split('.').map(str::to_owned).collect();
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
        serde_json::to_vec(&json!({"token_type": "access", "exp": now + 60, "jti": "x", "user_id": 1})).unwrap(),
    );
    assert_eq!(
        app.get_as("/api/hobbies/", &format!("Bearer {}", parts.join("."))).await.json(),
        message("Token is invalid or expired")
    );
    // alg "none" is never accepted.
    let none_header = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let none_payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&valid).unwrap());
    assert_eq!(
        app.get_as("/api/hobbies/", &format!("Bearer {none_header}.{none_payload}.")).await.status.as_u16(),
        401
    );
    // The lowercase keyword is not "Bearer": the request is anonymous.
    app.get_as("/api/hobbies/", &format!("bearer {}", erin.bearer.trim_start_matches("Bearer ")))
        .await
        .assert_status(200);
    // An inactive user's valid token.
    let mut tx = app.db.begin().await.unwrap();
    hp_db::accounts::set_active(&mut tx, erin.id, false).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        app.get_as("/api/hobbies/", &erin.bearer).await.json(),
        json!({"detail": "User is inactive", "code": "user_inactive"})
    );
}

#[tokio::test]
async fn api_tokens_authenticate_and_are_refused_in_finnish() {
    let app = TestApp::spawn().await;
    let frank = app.user("frank", UserSpec::default()).await;
    let token = app.api_token(&frank).await;
    app.post_json("/api/organizers/", Some(&token), &json!({"name": "Token org"})).await.assert_status(201);
    let lowercase = token.replacen("Token", "token", 1);
    app.post_json("/api/organizers/", Some(&lowercase), &json!({"name": "Lower"})).await.assert_status(201);
    let stored = hp_db::accounts::token_of_user(&mut app.db.conn().await.unwrap(), frank.id).await.unwrap().unwrap();
    assert!(stored.last_used_at.is_some(), "last use recorded");
    let key = token.trim_start_matches("Token ");
    assert_ne!(stored.key_prefix.len(), key.len(), "only a prefix of the key is kept in the clear");
    let refusals = [
        (format!("Token {}", "0".repeat(40)), "Epäkelpo Token."),
        ("Token".to_owned(), "Epäkelpo Token-otsake. Ei annettuja tunnuksia."),
        ("Token a b".to_owned(), "Epäkelpo Token-otsake. Tunnusmerkkijono ei saa sisältää välilyöntejä."),
    ];
    for (authorization, message) in refusals {
        let response = app.get_as("/api/hobbies/", &authorization).await;
        response.assert_status(401);
        assert_eq!(response.json(), json!({"detail": message}), "{authorization}");
        assert_eq!(response.header("www-authenticate"), Some("Bearer realm=\"api\""));
    }
    // Revoked (deleted) tokens and inactive users are refused.
    let mut tx = app.db.begin().await.unwrap();
    hp_db::accounts::set_active(&mut tx, frank.id, false).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        app.get_as("/api/hobbies/", &token).await.json(),
        json!({"detail": "Käyttäjä ei-aktiivinen tai poistettu."})
    );
    let mut tx = app.db.begin().await.unwrap();
    hp_db::accounts::set_active(&mut tx, frank.id, true).await.unwrap();
    hp_db::accounts::delete_token_of_user(&mut tx, frank.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.get_as("/api/hobbies/", &token).await.json(), json!({"detail": "Epäkelpo Token."}));
}

#[tokio::test]
async fn basic_auth_and_session_cookies_do_not_authenticate_the_api() {
    let app = TestApp::spawn().await;
    let gina = app.user("gina", UserSpec::default()).await;
    let basic =
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("gina:{}", gina.password)));
    app.get_as("/api/hobbies/", &basic).await.assert_status(200);
    let write = app.post_json("/api/organizers/", Some(&basic), &json!({"name": "x"})).await;
    write.assert_status(401);
    assert_eq!(write.json(), json!({"detail": "Autentikaatiotunnuksia ei annettu."}));
    let cookie = login(&app, "gina", &gina.password).await;
    let with_cookie = app
        .request(
            Method::POST,
            "/api/organizers/",
            &[("cookie", &cookie)],
            Some(("application/json", br#"{"name":"x"}"#.to_vec())),
        )
        .await;
    with_cookie.assert_status(401);
    assert_eq!(with_cookie.json(), json!({"detail": "Autentikaatiotunnuksia ei annettu."}));
}

/// Logs in through the form; returns the `cookie` header of the signed-in browser.
pub async fn login(app: &TestApp, username: &str, password: &str) -> String {
    let form = app.get("/accounts/login/").await;
    let csrf = csrf_of(&form);
    let fields = [("username", username), ("password", password), ("csrfmiddlewaretoken", csrf.as_str())];
    let response = app.post_form("/accounts/login/", &format!("csrftoken={csrf}"), &fields).await;
    response.assert_status(302);
    let cookies: Vec<String> = response
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect();
    cookies.join("; ")
}

fn csrf_of(form: &crate::support::TestResponse) -> String {
    let marker = "name=\"csrfmiddlewaretoken\" value=\"";
    let start = form.text.find(marker).expect("csrf input") + marker.len();
    form.text[start..start + form.text[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn browser_login_then_a_token_pair_from_the_session() {
    let app = TestApp::spawn().await;
    let hanna = app.user("hanna", UserSpec { first_name: "Hanna", ..Default::default() }).await;
    let form = app.get("/accounts/login/").await;
    form.assert_status(200);
    assert!(form.header("content-type").unwrap().starts_with("text/html"));
    assert!(form.text.contains("<title>Harrastuspassi</title>"));
    let csrf = csrf_of(&form);
    let set_cookie = form.header("set-cookie").unwrap();
    assert!(set_cookie.starts_with(&format!("csrftoken={csrf}")), "{set_cookie}");

    // Anonymous (also with an Origin, as the web UI's first call) → 401 with CORS headers.
    let anonymous = app.request(Method::GET, "/auth/token/", &[("origin", "http://localhost:3000")], None).await;
    anonymous.assert_status(401);
    assert_eq!(anonymous.json(), json!({"detail": "Autentikaatiotunnuksia ei annettu."}));
    assert_eq!(anonymous.header("access-control-allow-origin"), Some("http://localhost:3000"));

    // Wrong password: the form again, no session.
    let wrong = [("username", "hanna"), ("password", "nope"), ("csrfmiddlewaretoken", csrf.as_str())];
    let failed = app.post_form("/accounts/login/", &format!("csrftoken={csrf}"), &wrong).await;
    failed.assert_status(200);
    assert!(failed.text.contains("Syötä oikea käyttäjätunnus ja salasana"));
    // A name no account can have (a NUL byte) is a failed login too, not a server error.
    let impossible = [("username", "han\0na"), ("password", "nope"), ("csrfmiddlewaretoken", csrf.as_str())];
    let failed_too = app.post_form("/accounts/login/", &format!("csrftoken={csrf}"), &impossible).await;
    failed_too.assert_status(200);
    assert!(failed_too.text.contains("Syötä oikea käyttäjätunnus ja salasana"));
    assert!(failed.headers.get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().starts_with("sessionid")));

    // Without the CSRF token: refused.
    let no_csrf = [("username", "hanna"), ("password", hanna.password.as_str())];
    app.post_form("/accounts/login/", "", &no_csrf).await.assert_status(403);

    // Success: the session cookie and a redirect (next, or the default /api/).
    let good = [
        ("username", "hanna"),
        ("password", hanna.password.as_str()),
        ("csrfmiddlewaretoken", csrf.as_str()),
        ("next", "/ui/hobbies"),
    ];
    let ok = app.post_form("/accounts/login/", &format!("csrftoken={csrf}"), &good).await;
    ok.assert_status(302);
    assert_eq!(ok.header("location"), Some("/ui/hobbies"));
    let session = ok
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("sessionid="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Max-Age=1209600"),
        "{session}"
    );
    let cookie = session.split(';').next().unwrap().to_owned();

    let pair = app
        .request(Method::GET, "/auth/token/", &[("cookie", &cookie), ("origin", "http://localhost:3000")], None)
        .await;
    pair.assert_status(200);
    assert_eq!(pair.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(claims(pair.json()["access"].as_str().unwrap())["first_name"], json!("Hanna"));

    // An outside address as next is not followed; the default is.
    assert_eq!(login_redirect(&app, &hanna.password, "https://evil.example/").await, "/api/");
    assert_eq!(login_redirect(&app, &hanna.password, "//evil.example/").await, "/api/");
    assert_eq!(login_redirect(&app, &hanna.password, "/\t/evil.example/").await, "/api/");
    assert_eq!(
        login_redirect(&app, &hanna.password, "http://localhost:3000/hobbies").await,
        "http://localhost:3000/hobbies"
    );

    // Logout ends the session.
    app.request(Method::GET, "/accounts/logout/", &[("cookie", &cookie)], None).await.assert_status(302);
    app.request(Method::GET, "/auth/token/", &[("cookie", &cookie)], None).await.assert_status(401);
}

async fn login_redirect(app: &TestApp, password: &str, next: &str) -> String {
    let csrf = csrf_of(&app.get("/accounts/login/").await);
    let fields =
        [("username", "hanna"), ("password", password), ("csrfmiddlewaretoken", csrf.as_str()), ("next", next)];
    let response = app.post_form("/accounts/login/", &format!("csrftoken={csrf}"), &fields).await;
    response.assert_status(302);
    response.header("location").unwrap().to_owned()
}

#[tokio::test]
async fn posting_for_a_pair_with_a_session_needs_the_csrf_token() {
    let app = TestApp::spawn().await;
    let ivan = app.user("ivan", UserSpec::default()).await;
    let cookie = login(&app, "ivan", &ivan.password).await;
    let body = serde_json::to_vec(&json!({"username": "ivan", "password": ivan.password})).unwrap();
    let refused = app
        .request(Method::POST, "/auth/token/", &[("cookie", &cookie)], Some(("application/json", body.clone())))
        .await;
    refused.assert_status(403);
    assert!(refused.json()["detail"].as_str().unwrap().starts_with("CSRF Failed"));
    let csrf = cookie.split("; ").find_map(|c| c.strip_prefix("csrftoken=")).unwrap().to_owned();
    app.request(
        Method::POST,
        "/auth/token/",
        &[("cookie", &cookie), ("x-csrftoken", &csrf)],
        Some(("application/json", body)),
    )
    .await
    .assert_status(200);
}
