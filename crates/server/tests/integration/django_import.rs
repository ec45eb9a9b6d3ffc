//! `import-django`: a PostgreSQL + PostGIS database built from the original's schema
//! (tests/data/django) is copied into the test database by the binary, then a server process
//! on the result is asked what the old clients ask.

use crate::processes::{run, run_on, run_with_env, spawn_server};
use crate::support::{column, files_in, ids, postgres_url, with_database, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection};
use std::sync::atomic::{AtomicUsize, Ordering};

const SCHEMA: &str = include_str!("../data/django/schema.sql");
const ROWS: &str = include_str!("../data/django/rows.sql");
const DJANGO_SECRET_KEY: &str = "django-insecure-0ld+s3cret*key%of=the&original";
/// Olli's API token in the old deployment.
const OLLI_TOKEN: &str = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A Django database on the PostgreSQL server of the tests (or the local default one), and a
/// role that may only read it, which the import connects as (so a write would fail).
struct DjangoDatabase {
    server: String,
    name: String,
    reader: String,
    /// The owner's URL, to change the source in tests.
    owner_url: String,
    /// The read-only role's URL, for `--from`.
    url: String,
}

impl DjangoDatabase {
    /// `None` (the test is skipped) only outside CI, when no PostgreSQL with PostGIS is here.
    async fn create() -> Option<DjangoDatabase> {
        let server = postgres_url().unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let name = format!("hp_t_django_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
        let reader = format!("{name}_reader");
        let owner_url = with_database(&server, &name);
        // Trust authentication (as in CI): the reader signs in by name alone.
        let url = match owner_url.split_once("://").and_then(|(_, rest)| rest.split_once('@')) {
            Some((_, host_and_database)) => format!("postgres://{reader}@{host_and_database}"),
            None => owner_url.clone(),
        };
        // Only a missing server or a missing PostGIS skips the test (outside CI); any other
        // failure to build the source is a failure.
        let skip = |error: sqlx::Error| {
            assert!(
                std::env::var("CI").is_err(),
                "CI must provide PostgreSQL with PostGIS (postgresql-15-postgis-3): {error}"
            );
            eprintln!("skipped: no PostgreSQL with PostGIS for the Django database ({error})");
        };
        let mut admin = match PgConnection::connect(&server).await {
            Ok(admin) => admin,
            Err(error) => {
                skip(error);
                return None;
            }
        };
        sqlx::raw_sql(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await.unwrap();
        let database = DjangoDatabase { server, name, reader, owner_url, url };
        sqlx::raw_sql(&format!("CREATE ROLE \"{}\" LOGIN", database.reader)).execute(&mut admin).await.unwrap();
        let mut source = PgConnection::connect(&database.owner_url).await.unwrap();
        if let Err(error) = sqlx::raw_sql("CREATE EXTENSION postgis").execute(&mut source).await {
            skip(error);
            return None;
        }
        sqlx::raw_sql(SCHEMA).execute(&mut source).await.expect("the Django schema loads");
        sqlx::raw_sql(ROWS).execute(&mut source).await.expect("the Django rows load");
        let grant = format!(
            "GRANT USAGE ON SCHEMA public TO \"{0}\"; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{0}\"",
            database.reader
        );
        sqlx::raw_sql(&grant).execute(&mut source).await.unwrap();
        Some(database)
    }

    async fn execute(&self, sql: &str) {
        let mut source = PgConnection::connect(&self.owner_url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut source).await.unwrap();
    }
}

impl Drop for DjangoDatabase {
    fn drop(&mut self) {
        let (server, name, reader) = (self.server.clone(), self.name.clone(), self.reader.clone());
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                if let Ok(mut admin) = PgConnection::connect(&server).await {
                    // One statement each: DROP DATABASE may not run inside a transaction.
                    for drop in [
                        format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                        format!("DROP ROLE IF EXISTS \"{reader}\""),
                    ] {
                        let _ = sqlx::raw_sql(&drop).execute(&mut admin).await;
                    }
                }
            })
        })
        .join();
    }
}

/// The old deployment's MEDIA_ROOT: two of the four referenced images; the promotion's is
/// gone and hobby 12's is a link to a file outside the directory.
fn media_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("hobby_images")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dir.path().join("hobby_images/outside.jpg")).unwrap();
    for (name, bytes) in [
        ("hobby_images/uinti.jpg", &b"\xff\xd8\xff\xe0 a swimming picture"[..]),
        ("hobbycategory_images/liikunta.png", &b"\x89PNG\r\n\x1a\n a sports picture"[..]),
    ] {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// The line of the report's table for a Django table: (source rows, target table, target rows).
fn count_line(report: &str, table: &str) -> (i64, String, i64) {
    let line = report
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{table} ")))
        .unwrap_or_else(|| panic!("no line for {table} in:\n{report}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    (words[1].parse().unwrap(), words[2].to_owned(), words[3].parse().unwrap())
}

async fn get(client: &reqwest::Client, url: String, auth: Option<&str>) -> (StatusCode, Value) {
    let mut request = client.get(url);
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Sends a JSON body with the credentials; (status, JSON answer).
async fn send(request: reqwest::RequestBuilder, auth: &str, body: Value) -> (StatusCode, Value) {
    let response = request.header("Authorization", auth).json(&body).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn django_jwt(secret: &str, user_id: i64) -> String {
    let claims = json!({
        "token_type": "access",
        "exp": chrono::Utc::now().timestamp() + 3600,
        "jti": "0123456789abcdef0123456789abcdef",
        "user_id": user_id,
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn a_django_database_moves_over_with_ids_logins_tokens_and_images() {
    let Some(django) = DjangoDatabase::create().await else { return };
    let app = TestApp::spawn().await;
    let data = tempfile::tempdir().unwrap();
    let media = media_root();
    let media_arg = media.path().to_str().unwrap();

    // A dry run reports the same and leaves nothing behind.
    let (ok, out, err) =
        run(&app, data.path(), &["import-django", "--from", &django.url, "--dry-run", "--media-from", media_arg], None)
            .await;
    assert!(ok, "{err}");
    assert!(out.starts_with("Dry run (rolled back, nothing stored):"), "{out}");
    assert_eq!(count_line(&out, "harrastuspassi_hobbyevent"), (6, "hobby_events".into(), 6));
    assert_eq!(app.get_json("/api/hobbies/").await, json!([]));
    assert_eq!(files_in(&data.path().join("media")), Vec::<String>::new(), "a dry run stores no image");

    let (ok, out, err) = run(
        &app,
        data.path(),
        &[
            "import-django",
            "--from",
            &django.url,
            "--media-from",
            media_arg,
            "--jwt-secret-from-django",
            DJANGO_SECRET_KEY,
        ],
        None,
    )
    .await;
    assert!(ok, "{err}");
    assert!(out.starts_with("Imported:"), "{out}");
    for (table, target, rows) in [
        ("auth_user", "users", 6),
        ("authtoken_token", "api_tokens", 2),
        ("harrastuspassi_municipality", "municipalities", 2),
        ("harrastuspassi_municipality_moderators", "municipality_moderators", 1),
        ("harrastuspassi_hobbycategory", "hobby_categories", 5),
        ("harrastuspassi_hobbyaudience", "hobby_audiences", 2),
        ("harrastuspassi_organizer", "organizers", 2),
        ("harrastuspassi_location", "locations", 2),
        ("harrastuspassi_hobby", "hobbies", 3),
        ("harrastuspassi_hobby_categories", "hobby_category_links", 4),
        ("harrastuspassi_hobbyevent", "hobby_events", 6),
        ("harrastuspassi_promotion", "promotions", 1),
        ("harrastuspassi_benefit", "benefits", 2),
    ] {
        assert_eq!(count_line(&out, table), (rows, target.to_owned(), rows), "{table}");
    }
    assert!(!out.contains("MISMATCH"), "{out}");
    assert!(out.contains("Passwords: 3 kept (each rehashed to argon2id at the user's next sign-in), 2 without password sign-in, 1 in a format this service cannot check"), "{out}");
    assert!(
        out.contains("needs a new password (harrastuspassi user set-password): user 12 legacy: bcrypt_sha256"),
        "{out}"
    );
    assert!(out.contains("next event recomputed for each of the 3 hobbies"), "{out}");
    assert!(out.contains("django_session                                  1"), "{out}");
    assert!(
        out.contains(
            "Object permissions: 2 given anyway by the rule, 1 of objects that no longer exist, 5 not explained"
        ),
        "{out}"
    );
    for line in [
        "user 9: change_hobby on harrastuspassi.hobby 11",
        "user 2: delete_hobby on harrastuspassi.hobby 11",
        "group \"Editors\": change_hobby on harrastuspassi.hobby 13",
        "user 9: change_hobby on every harrastuspassi.hobby",
        "group \"Editors\": change_location on every harrastuspassi.location",
    ] {
        assert!(out.contains(line), "{line} in:\n{out}");
    }
    assert!(out.contains("Images: 4 referenced, 2 copied, 2 missing"), "{out}");
    assert!(out.contains("missing: promo_images/kokeilu.png"), "{out}");
    assert!(out.contains("missing: hobby_images/outside.jpg: leads outside the media directory"), "{out}");
    assert!(out.contains("the Django SECRET_KEY is the JWT secret in"), "{out}");
    assert!(!out.contains(DJANGO_SECRET_KEY), "the report never shows the secret");

    // A server that keeps its JWT secret in the data directory, as a single deployment does.
    let (_server, base) = spawn_server(&app, data.path(), None, None).await;
    let client = reqwest::Client::new();

    // The same catalogue, under the same ids.
    let (status, hobby) = get(&client, format!("{base}/api/hobbies/11/"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(hobby["name"], json!("Uintikoulu"));
    assert_eq!(hobby["price_type"], json!("paid"));
    assert_eq!(hobby["price_amount"], json!("12.50"));
    assert_eq!(hobby["categories"], json!([11]));
    assert_eq!((&hobby["location"], &hobby["organizer"]), (&json!(50), &json!(40)));
    assert_eq!(hobby["municipality"], json!({"id": 3, "name": "Tampere"}));
    let (_, location) = get(&client, format!("{base}/api/locations/50/"), None).await;
    assert_eq!(location["coordinates"]["coordinates"], json!([23.8123, 61.5071]));
    let (_, organizer) = get(&client, format!("{base}/api/organizers/40/"), None).await;
    assert_eq!(organizer["name"], json!("Tampereen Uimaseura"));
    let cover = hobby["cover_image"].as_str().unwrap().to_owned();
    assert!(cover.contains("/media/hobby_images/") && !cover.ends_with("uinti.jpg"), "{cover}");
    let image = client.get(&cover).send().await.unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.bytes().await.unwrap(), &b"\xff\xd8\xff\xe0 a swimming picture"[..]);
    // Hobby 13 has no image of its own ('' in Django): its category's, via the parent's.
    let (_, futis) = get(&client, format!("{base}/api/hobbies/13/"), None).await;
    assert!(futis["cover_image"].as_str().unwrap().contains("/media/hobbycategory_images/"), "{futis}");
    assert_eq!(futis["price_amount"], json!("30.00"));

    let (_, hobbies) = get(&client, format!("{base}/api/hobbies/"), None).await;
    assert_eq!(ids(&hobbies), vec![11, 12, 13]);
    let (_, categories) = get(&client, format!("{base}/api/hobbycategories/"), None).await;
    assert_eq!(ids(&categories), vec![10, 12, 11, 20, 21], "Django's tree order");
    let (_, english) = get(&client, format!("{base}/api/hobbycategories/10/?lang=en"), None).await;
    assert_eq!(english["name"], json!("Sports"));
    // No Finnish translation: the original showed the untranslated name, and so does this.
    let (_, guitar) = get(&client, format!("{base}/api/hobbycategories/21/"), None).await;
    assert_eq!(guitar["name"], json!("Kitara"));
    // Recurrence links, also one to an event with a higher id.
    let links: Vec<(i64, Option<i64>)> = app
        .db
        .fetch_all(
            &sea_query::Query::select()
                .columns([sea_query::Alias::new("id"), sea_query::Alias::new("recurrence_start_event_id")])
                .from(sea_query::Alias::new("hobby_events"))
                .and_where(sea_query::Expr::col(sea_query::Alias::new("hobby_id")).eq(11))
                .order_by(sea_query::Alias::new("id"), sea_query::Order::Asc)
                .to_owned(),
        )
        .await
        .unwrap();
    assert_eq!(links, vec![(99, Some(103)), (100, None), (101, Some(100)), (103, None)]);
    let (_, events) = get(&client, format!("{base}/api/hobbyevents/?hobby=11"), None).await;
    assert_eq!(ids(&events), vec![100, 101, 99, 103]);
    assert!(events.as_array().unwrap().iter().all(|e| e["start_weekday"] == json!(1)), "{events}");
    let (_, promotion) = get(&client, format!("{base}/api/promotions/60/"), None).await;
    assert_eq!(
        (&promotion["name"], &promotion["available_count"], &promotion["used_count"]),
        (&json!("Ilmainen kokeilu"), &json!(10), &json!(2))
    );
    assert_eq!(promotion["cover_image"].as_str().map(|c| c.ends_with("/media/promo_images/kokeilu.png")), Some(true));
    let (_, benefits) = get(&client, format!("{base}/api/benefits/"), None).await;
    assert_eq!(ids(&benefits), vec![70, 71]);

    // Maija signs in with her old password; the Django hash is replaced by an argon2id one.
    let login = client
        .post(format!("{base}/auth/token/"))
        .json(&json!({"username": "maija", "password": "Kesä-2019!"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let access = login.json::<Value>().await.unwrap()["access"].as_str().unwrap().to_owned();
    let stored = hp_db::accounts::by_username(&mut app.db.conn().await.unwrap(), "maija").await.unwrap().unwrap();
    assert!(stored.password_hash.starts_with("$argon2id$"), "rehashed on login");
    let wrong = client
        .post(format!("{base}/auth/token/"))
        .json(&json!({"username": "AnonymousUser", "password": "Kq0uMmWq1EkzO8dEGvS3fUZb9u7fQw2y0D4uLxNp"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "an unusable password stays unusable");
    // As moderator of Tampere she may edit hobby 11.
    let (status, mine) =
        get(&client, format!("{base}/api/hobbies/?editable_only=true"), Some(&format!("Bearer {access}"))).await;
    assert_eq!((status, ids(&mine)), (StatusCode::OK, vec![11]));

    // A JWT the old deployment issued still works; one signed with another key does not.
    let old_jwt = format!("Bearer {}", django_jwt(DJANGO_SECRET_KEY, 2));
    let (status, mine) = get(&client, format!("{base}/api/hobbies/?editable_only=true"), Some(&old_jwt)).await;
    assert_eq!((status, ids(&mine)), (StatusCode::OK, vec![11]));
    let forged = format!("Bearer {}", django_jwt("another key", 2));
    assert_eq!(get(&client, format!("{base}/api/hobbies/"), Some(&forged)).await.0, StatusCode::UNAUTHORIZED);

    // Olli's old API token works, for what he created.
    let token = format!("Token {OLLI_TOKEN}");
    let (status, mine) = get(&client, format!("{base}/api/hobbies/?editable_only=true"), Some(&token)).await;
    assert_eq!((status, ids(&mine)), (StatusCode::OK, vec![12]));
    let (status, _) =
        send(client.patch(format!("{base}/api/hobbies/12/")), &token, json!({"name": "Kitarakurssi aloittelijoille"}))
            .await;
    assert_eq!(status, StatusCode::OK);
    // New rows get ids after the imported ones.
    let new_hobby = |name: &str| json!({"name": name, "organizer": 40, "location": 50});
    let created = send(client.post(format!("{base}/api/hobbies/")), &token, new_hobby("Uusi harrastus")).await;
    assert_eq!((created.0, &created.1["id"]), (StatusCode::CREATED, &json!(14)));

    // A dry run of --replace changes nothing, not even the id generators (which a rollback
    // does not restore on PostgreSQL).
    let (ok, out, err) =
        run(&app, data.path(), &["import-django", "--from", &django.url, "--replace", "--dry-run"], None).await;
    assert!(ok && out.contains("Replaced what the target held"), "{out}{err}");
    let another = send(client.post(format!("{base}/api/hobbies/")), &token, new_hobby("Toinen uusi")).await;
    assert_eq!((another.0, &another.1["id"]), (StatusCode::CREATED, &json!(15)));

    // Once is enough: a second run is refused and changes nothing.
    let (ok, _, err) = run(&app, data.path(), &["import-django", "--from", &django.url], None).await;
    assert!(!ok && err.contains("already holds data") && err.contains("--replace"), "{err}");
    let (_, kept) = get(&client, format!("{base}/api/hobbies/12/"), None).await;
    assert_eq!(kept["name"], json!("Kitarakurssi aloittelijoille"));

    // --replace starts over from the source.
    let (ok, out, err) = run(&app, data.path(), &["import-django", "--from", &django.url, "--replace"], None).await;
    assert!(ok, "{err}");
    assert!(out.contains("Replaced what the target held: 6 users"), "{out}");
    assert!(out.contains("Images: 4 referenced, not copied (no --media-from)"), "{out}");
    let (_, hobbies) = get(&client, format!("{base}/api/hobbies/"), None).await;
    assert_eq!(ids(&hobbies), vec![11, 12, 13]);
    assert_eq!(hobbies[1]["name"], json!("Kitarakurssi"));
}

#[tokio::test]
async fn rows_this_service_refuses_stop_the_import_before_anything_is_written() {
    let Some(django) = DjangoDatabase::create().await else { return };
    let app = TestApp::spawn().await;
    let data = tempfile::tempdir().unwrap();
    django
        .execute(
            "INSERT INTO harrastuspassi_organizer (id, created_at, updated_at, name, data_source, origin_id) \
             VALUES (42, now(), now(), '', '', ''); \
             UPDATE harrastuspassi_hobby SET price_type = 'donation' WHERE id = 13;",
        )
        .await;
    let (ok, out, err) = run(&app, data.path(), &["import-django", "--from", &django.url], None).await;
    assert!(!ok, "{out}");
    assert!(err.contains("holds 2 row(s) this service does not accept"), "{err}");
    assert!(err.contains("harrastuspassi_organizer 42: the name is empty"), "{err}");
    assert!(err.contains("harrastuspassi_hobby 13: price_type \"donation\" is not one of"), "{err}");
    assert_eq!(app.get_json("/api/organizers/").await, json!([]));

    // A source that is not there or not PostgreSQL: refused with the reason.
    let missing = with_database(&django.url, "hp_no_such_database");
    let (ok, _, err) = run(&app, data.path(), &["import-django", "--from", &missing], None).await;
    assert!(!ok && err.contains("cannot connect to the Django database"), "{err}");
    let (ok, _, err) = run(&app, data.path(), &["import-django", "--from", "sqlite:old.db"], None).await;
    assert!(!ok && err.contains("--from must be a PostgreSQL URL"), "{err}");
    django
        .execute(
            "DELETE FROM harrastuspassi_organizer WHERE id = 42; \
             UPDATE harrastuspassi_hobby SET price_type = 'annual' WHERE id = 13;",
        )
        .await;
    // A media directory that is not there, a JWT secret that cannot be the one: each refused
    // with the reason, nothing written.
    let from = ["import-django", "--from", django.url.as_str()];
    let (ok, _, err) = run(&app, data.path(), &[&from[..], &["--media-from", "/no/such/media"]].concat(), None).await;
    assert!(!ok && err.contains("cannot read /no/such/media"), "{err}");
    let (ok, _, err) = run_with_env(
        &app,
        data.path(),
        &[&from[..], &["--jwt-secret-from-django", "the-old-key"]].concat(),
        None,
        &[("HARRASTUSPASSI_JWT_SECRET", "another-key")],
    )
    .await;
    assert!(!ok && err.contains("HARRASTUSPASSI_JWT_SECRET is set and is not the Django SECRET_KEY"), "{err}");
    let (ok, _, err) =
        run(&app, data.path(), &[&from[..], &["--jwt-secret-from-django", " padded-key "]].concat(), None).await;
    assert!(!ok && err.contains("starts or ends with whitespace"), "{err}");
    assert_eq!(app.get_json("/api/hobbies/").await, json!([]));
    assert!(!data.path().join("jwt-secret").exists(), "no secret kept by a refused import");

    // A target in use.
    app.organizer("Already here").await;
    let (ok, _, err) = run(&app, data.path(), &["import-django", "--from", &django.url], None).await;
    assert!(!ok && err.contains("the target database already holds data (1 organizers)"), "{err}");

    // A failure half-way (a source whose schema was widened past this service's limits)
    // rolls back the whole import, the deletion of --replace included.
    django
        .execute(
            "ALTER TABLE harrastuspassi_location ALTER COLUMN zip_code TYPE varchar(10); \
             UPDATE harrastuspassi_location SET zip_code = '33500-123' WHERE id = 51;",
        )
        .await;
    let (ok, _, err) = run(&app, data.path(), &["import-django", "--from", &django.url, "--replace"], None).await;
    assert!(!ok && err.contains("cannot write the imported rows"), "{err}");
    let organizers = app.get_json("/api/organizers/").await;
    assert_eq!(column(&organizers, "name"), vec![&json!("Already here")]);
    assert_eq!(app.get_json("/api/hobbies/").await, json!([]));
    assert_eq!(app.get_json("/api/hobbycategories/").await, json!([]));
}

/// A dry run into a database it creates leaves that database as any new one, with the
/// bundled category tree, and the real import afterwards goes in without `--replace`.
#[tokio::test]
async fn a_dry_run_into_a_new_database_leaves_it_with_the_bundled_tree() {
    let Some(django) = DjangoDatabase::create().await else { return };
    let data = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", data.path().join("new.db").display());
    let (ok, out, err) =
        run_on(&url, data.path(), &["import-django", "--from", &django.url, "--dry-run"], None, &[]).await;
    assert!(ok, "{err}");
    assert!(out.starts_with("Dry run (rolled back, nothing stored):"), "{out}");
    let db = hp_db::Db::connect(&hp_db::DbOptions::new(&url)).await.unwrap();
    let tree = hp_db::category_tree::CategoryCache::new().tree(&mut db.conn().await.unwrap()).await.unwrap();
    assert!(tree.rows().len() > 50, "the bundled tree: {} categories", tree.rows().len());
    db.close().await;
    let (ok, out, err) = run_on(&url, data.path(), &["import-django", "--from", &django.url], None, &[]).await;
    assert!(ok, "{err}");
    assert!(out.starts_with("Imported:"), "{out}");
}
