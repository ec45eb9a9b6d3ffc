//! Cover images: upload in every accepted format and back over `/media/`, keep, replace and
//! remove without leaving files behind, the category fallback, refusals of files that are
//! not what they claim, the cleanup command, and the S3 store.

use crate::support::{HobbySpec, TestApp, UserSpec};
use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};
use std::io::Cursor;

/// A small image of `format` with a given colour (different colours, different bytes).
fn image_bytes(format: image::ImageFormat, shade: u8) -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(16, 12, image::Rgb([shade, 128, 255 - shade]));
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture).write_to(&mut out, format).expect("encode a test image");
    out.into_inner()
}

fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn stored_files(app: &TestApp) -> Vec<String> {
    crate::support::files_in(&app.media_dir)
}

async fn fetch(app: &TestApp, url: &str) -> reqwest::Response {
    app.client.get(url).send().await.unwrap()
}

#[tokio::test]
async fn each_format_round_trips_through_media() {
    let app = TestApp::spawn_with(crate::support::behind_proxy()).await;
    let user = app.user("uploader", UserSpec::default()).await;
    for (format, mime, extension) in [
        (image::ImageFormat::Png, "image/png", "png"),
        (image::ImageFormat::Jpeg, "image/jpeg", "jpg"),
        (image::ImageFormat::Gif, "image/gif", "gif"),
        (image::ImageFormat::WebP, "image/webp", "webp"),
    ] {
        let bytes = image_bytes(format, 10);
        let created = app
            .post_json(
                "/api/hobbies/",
                Some(&user.bearer),
                &json!({"name": mime, "cover_image": data_url(mime, &bytes)}),
            )
            .await;
        created.assert_status(201);
        let url = created.json()["cover_image"].as_str().unwrap().to_owned();
        assert!(
            url.starts_with(&format!("{}/media/hobby_images/", app.address)) && url.ends_with(&format!(".{extension}")),
            "{url}"
        );
        let served = fetch(&app, &url).await;
        assert_eq!(served.status().as_u16(), 200);
        assert_eq!(served.headers()["content-type"], mime);
        assert!(served.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        let etag = served.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(served.bytes().await.unwrap().to_vec(), bytes, "{mime}");
        let revalidated = app.client.get(&url).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(revalidated.status().as_u16(), 304);
    }
    // Bare base64 works too, and the same bytes are stored once.
    let png = image_bytes(image::ImageFormat::Png, 10);
    let bare = base64::engine::general_purpose::STANDARD.encode(&png);
    let again =
        app.post_json("/api/hobbies/", Some(&user.bearer), &json!({"name": "bare", "cover_image": bare})).await.json();
    assert!(again["cover_image"].as_str().unwrap().ends_with(".png"));
    assert_eq!(stored_files(&app).len(), 4);
    // Behind a proxy the URL follows it; unknown media names are 404.
    let proxied = app
        .request(
            Method::GET,
            &format!("/api/hobbies/{}/", again["id"]),
            &[("x-forwarded-proto", "https"), ("host", "api.example.fi")],
            None,
        )
        .await;
    assert!(proxied.json()["cover_image"].as_str().unwrap().starts_with("https://api.example.fi/media/hobby_images/"));
    app.get("/media/hobby_images/missing.png").await.assert_status(404);
    app.get("/media/../secrets").await.assert_status(404);
}

#[tokio::test]
async fn images_are_kept_replaced_and_removed_without_orphans() {
    let app = TestApp::spawn().await;
    let user = app.user("editor", UserSpec::default()).await;
    let first = data_url("image/png", &image_bytes(image::ImageFormat::Png, 1));
    let second = data_url("image/png", &image_bytes(image::ImageFormat::Png, 2));
    let hobby = app
        .post_json("/api/hobbies/", Some(&user.bearer), &json!({"name": "Kuvallinen", "cover_image": first}))
        .await
        .json();
    let path = format!("/api/hobbies/{}/", hobby["id"]);
    let url = hobby["cover_image"].clone();
    // PUT without the key, and PUT echoing the URL, keep the image.
    assert_eq!(
        app.put_json(&path, Some(&user.bearer), &json!({"name": "Ilman avainta"})).await.json()["cover_image"],
        url
    );
    let mut echo = app.get_json(&path).await;
    echo["name"] = json!("Kaiku");
    assert_eq!(app.put_json(&path, Some(&user.bearer), &echo).await.json()["cover_image"], url);
    assert_eq!(stored_files(&app).len(), 1);
    // Another hobby with the same image shares the file.
    let twin = app
        .post_json("/api/hobbies/", Some(&user.bearer), &json!({"name": "Kaksonen", "cover_image": first}))
        .await
        .json();
    assert_eq!(twin["cover_image"], url);
    // Replacing removes nothing still in use; removing the last use removes the file.
    let replaced = app.patch_json(&path, Some(&user.bearer), &json!({"cover_image": second})).await.json();
    assert_ne!(replaced["cover_image"], url);
    assert_eq!(stored_files(&app).len(), 2);
    app.delete(&format!("/api/hobbies/{}/", twin["id"]), Some(&user.bearer)).await.assert_status(204);
    assert_eq!(stored_files(&app).len(), 1);
    let removed = app.patch_json(&path, Some(&user.bearer), &json!({"cover_image": null})).await.json();
    assert_eq!(removed["cover_image"], json!(null));
    assert_eq!(stored_files(&app), Vec::<String>::new());
    // Promotions have images too.
    let organizer = app.organizer("Org").await;
    let location = app.location("Loc", None, None).await;
    let promotion = app
        .post_json(
            "/api/promotions/",
            Some(&user.bearer),
            &json!({"name": "P", "description": "D", "start_date": "2022-02-22", "start_time": "10:00", "end_date": "2022-03-22",
                    "end_time": "10:00", "organizer": organizer, "location": location, "available_count": 5, "cover_image": second}),
        )
        .await
        .json();
    assert!(promotion["cover_image"].as_str().unwrap().contains("/media/promo_images/"));
    app.delete(&format!("/api/promotions/{}/", promotion["id"]), Some(&user.bearer)).await.assert_status(204);
    assert_eq!(stored_files(&app), Vec::<String>::new());
}

/// A PNG claiming 20,000 × 20,000 pixels whose pixels compress to almost nothing.
fn png_bomb() -> Vec<u8> {
    use std::io::Write;
    let (width, height) = (20_000u32, 20_000u32);
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
        out
    };
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale
    let row = vec![0u8; width as usize + 1];
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..height {
        encoder.write_all(&row).unwrap();
    }
    let pixels = encoder.finish().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &header));
    png.extend(chunk(b"IDAT", &pixels));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[tokio::test]
async fn files_that_are_not_what_they_claim_are_refused() {
    let app = TestApp::spawn().await;
    let user = app.user("prankster", UserSpec::default()).await;
    let post = |cover: Value| {
        let (app, bearer) = (&app, user.bearer.clone());
        async move { app.post_json("/api/hobbies/", Some(&bearer), &json!({"name": "x", "cover_image": cover})).await }
    };
    let png = image_bytes(image::ImageFormat::Png, 3);
    let bomb = png_bomb();
    assert!(bomb.len() < 1_000_000, "the bomb is small: {}", bomb.len());
    let started = std::time::Instant::now();
    let bomb_response = post(json!(data_url("image/png", &bomb))).await;
    assert!(started.elapsed() < std::time::Duration::from_secs(3), "refused quickly");
    let cases = vec![
        (json!("data:image/png;base64,iVBORw0KGgoAAAA"), "Please upload a valid image."),
        (
            json!(data_url("image/png", b"just some text, not a picture")),
            "The type of the image couldn't be determined.",
        ),
        (
            json!(data_url("image/png", &png[..png.len() / 2])),
            "Kuva ei kelpaa. Lähettämäsi tiedosto ei ole kuva, tai tiedosto on vioittunut.",
        ),
        (json!(12), "Invalid type. This is not an base64 string: <class 'int'>"),
    ];
    for (cover, message) in cases {
        let response = post(cover.clone()).await;
        assert_eq!(response.status.as_u16(), 400, "{cover}: {}", response.text);
        assert_eq!(response.json(), json!({"cover_image": [message]}), "{cover}");
    }
    bomb_response.assert_status(400);
    assert!(bomb_response.json()["cover_image"][0].as_str().unwrap().contains("too large"));
    // A file part in a multipart body is not base64.
    let form = reqwest::multipart::Form::new()
        .text("name", "x")
        .part("cover_image", reqwest::multipart::Part::bytes(png.clone()).file_name("kuva.png"));
    let multipart = app
        .client
        .post(format!("{}/api/hobbies/", app.address))
        .header("authorization", &user.bearer)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(multipart.status().as_u16(), 400);
    let body: Value = multipart.json().await.unwrap();
    assert!(body["cover_image"][0].as_str().unwrap().starts_with("Invalid type. This is not an base64 string"));
    // A body over the limit: 413, never a crash.
    let huge = format!("{{\"name\": \"x\", \"cover_image\": \"{}\"}}", "A".repeat(crate::support::MAX_BODY_BYTES + 10));
    let too_big = app
        .request(
            Method::POST,
            "/api/hobbies/",
            &[("authorization", &user.bearer)],
            Some(("application/json", huge.into_bytes())),
        )
        .await;
    too_big.assert_status(413);
    assert_eq!(stored_files(&app), Vec::<String>::new());
    assert_eq!(app.get_json("/api/hobbies/").await, json!([]));
}

#[tokio::test]
async fn category_images_and_the_cleanup_command() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let picture = dir.path().join("urheilu.png");
    std::fs::write(&picture, image_bytes(image::ImageFormat::Png, 7)).unwrap();
    std::fs::write(dir.path().join("fake.png"), b"not an image").unwrap();
    let sports = app.category("Urheilu", None).await;
    let football = app.category("Jalkapallo", Some(sports)).await;
    let hobby = app.hobby("Pallo", HobbySpec { categories: vec![football], ..Default::default() }).await;
    let cli = |args: Vec<String>| {
        let (app, media) = (&app, app.media_dir.clone());
        async move {
            let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_harrastuspassi"))
                .args(&args)
                .env("DATABASE_URL", app.database_url())
                .env("HARRASTUSPASSI_DATA_DIR", media.parent().unwrap())
                .env("HARRASTUSPASSI_MEDIA_DIR", &media)
                .env("RUST_LOG", "warn")
                .output()
                .await
                .unwrap();
            (
                output.status.success(),
                String::from_utf8_lossy(&output.stdout).into_owned(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        }
    };
    let (ok, out, err) =
        cli(vec!["category".into(), "set-image".into(), sports.to_string(), picture.display().to_string()]).await;
    assert!(ok, "{err}");
    assert!(out.contains("hobbycategory_images/"));
    let url = app.get_json(&format!("/api/hobbies/{hobby}/")).await["cover_image"].as_str().unwrap().to_owned();
    assert!(url.contains("/media/hobbycategory_images/"), "{url}");
    assert_eq!(fetch(&app, &url).await.status().as_u16(), 200);
    let (ok, _, err) = cli(vec![
        "category".into(),
        "set-image".into(),
        sports.to_string(),
        dir.path().join("fake.png").display().to_string(),
    ])
    .await;
    assert!(!ok && err.contains("couldn't be determined"), "{err}");

    // Orphans: files that nothing references.
    std::fs::create_dir_all(app.media_dir.join("hobby_images")).unwrap();
    std::fs::write(app.media_dir.join("hobby_images/orphan.png"), b"x").unwrap();
    std::fs::write(app.media_dir.join("promo_images/other.gif"), b"y").unwrap_or_else(|_| {
        std::fs::create_dir_all(app.media_dir.join("promo_images")).unwrap();
        std::fs::write(app.media_dir.join("promo_images/other.gif"), b"y").unwrap();
    });
    let (ok, _, err) = cli(vec!["media".into(), "clean".into(), "--min-age-minutes=-5".into()]).await;
    assert!(!ok && err.contains("invalid value '-5' for '--min-age-minutes"), "{err}");
    // A file written just now may belong to an upload whose row has not committed yet: kept.
    let (ok, out, _) = cli(vec!["media".into(), "clean".into(), "--dry-run".into()]).await;
    assert!(ok && out.contains("kept 2 unreferenced file(s) written in the last 60 min"), "{out}");
    assert!(out.contains("0 unreferenced files of 3 stored would be removed"), "{out}");
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    std::fs::File::options()
        .write(true)
        .open(app.media_dir.join("hobby_images/orphan.png"))
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let (ok, out, _) = cli(vec!["media".into(), "clean".into(), "--dry-run".into()]).await;
    assert!(
        ok && out.contains("would remove hobby_images/orphan.png") && out.contains("1 unreferenced file of 3"),
        "{out}"
    );
    assert_eq!(stored_files(&app).len(), 3);
    let (ok, out, _) = cli(vec!["media".into(), "clean".into(), "--min-age-minutes".into(), "0".into()]).await;
    assert!(ok && out.contains("removed 2 unreferenced files; 1 remain"), "{out}");
    assert_eq!(stored_files(&app).len(), 1);
    // Clearing the category image removes its file and the fallback.
    let (ok, _, err) = cli(vec!["category".into(), "set-image".into(), sports.to_string(), "--clear".into()]).await;
    assert!(ok, "{err}");
    assert_eq!(app.get_json(&format!("/api/hobbies/{hobby}/")).await["cover_image"], json!(null));
    assert_eq!(stored_files(&app), Vec::<String>::new());
}

#[tokio::test]
async fn public_image_base_url_is_used_when_configured() {
    let config =
        hp_api::ApiConfig { media_public_base_url: Some("https://cdn.example.fi/media".into()), ..Default::default() };
    let app = TestApp::spawn_with(config).await;
    let user = app.user("cdn", UserSpec::default()).await;
    let created = app
        .post_json(
            "/api/hobbies/",
            Some(&user.bearer),
            &json!({"name": "x", "cover_image": data_url("image/png", &image_bytes(image::ImageFormat::Png, 9))}),
        )
        .await
        .json();
    assert!(created["cover_image"].as_str().unwrap().starts_with("https://cdn.example.fi/media/hobby_images/"));
}

#[tokio::test]
async fn the_image_limits_come_from_configuration() {
    let config = hp_api::ApiConfig {
        image_limits: hp_app::images::ImageLimits { max_bytes: 2048, max_dimension: 100, ..Default::default() },
        ..hp_api::ApiConfig::default()
    };
    let app = TestApp::spawn_configured(config, |state| state).await;
    let user = app.user("limits", UserSpec::default()).await;
    let noisy =
        image::RgbImage::from_fn(64, 64, |x, y| image::Rgb([(x * 37 + y * 91) as u8, (x * y) as u8, (x ^ y) as u8]));
    let mut big = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(noisy).write_to(&mut big, image::ImageFormat::Png).unwrap();
    assert!(big.get_ref().len() > 2048);
    let refused = app
        .post_json(
            "/api/hobbies/",
            Some(&user.bearer),
            &json!({"name": "x", "cover_image": data_url("image/png", big.get_ref())}),
        )
        .await;
    refused.assert_status(400);
    assert_eq!(refused.json(), json!({"cover_image": ["The image is too large: at most 2 kB."]}));
    let wide = image_bytes_sized(image::ImageFormat::Png, 101, 1);
    let refused = app
        .post_json(
            "/api/hobbies/",
            Some(&user.bearer),
            &json!({"name": "x", "cover_image": data_url("image/png", &wide)}),
        )
        .await;
    refused.assert_status(400);
    assert_eq!(refused.json(), json!({"cover_image": ["The image is too large: at most 100×100 pixels."]}));
    assert_eq!(app.get_json("/api/v1/hobbies/").await["count"], json!(0));
    assert!(stored_files(&app).is_empty());
}

fn image_bytes_sized(format: image::ImageFormat, width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(width, height, image::Rgb([1, 2, 3]));
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture).write_to(&mut out, format).expect("encode a test image");
    out.into_inner()
}

/// The S3 store against a local S3-compatible server (moto's server mode in CI:
/// `TEST_S3_ENDPOINT=http://127.0.0.1:<port>`).
#[tokio::test]
async fn images_in_an_s3_bucket() {
    let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") else {
        assert!(std::env::var("CI").is_err(), "CI must start a local S3 server and set TEST_S3_ENDPOINT");
        eprintln!("TEST_S3_ENDPOINT is not set: the S3 store is tested in CI against a local S3 server");
        return;
    };
    let bucket = format!("hp-test-{}-{}", std::process::id(), rand_suffix());
    reqwest::Client::new().put(format!("{endpoint}/{bucket}")).send().await.expect("create the bucket");
    let settings = hp_app::media::S3Settings {
        bucket,
        endpoint: Some(endpoint),
        region: Some("us-east-1".into()),
        allow_http: true,
        access_key_id: Some("test".into()),
        secret_access_key: Some("test".into()),
    };
    let store = hp_app::media::MediaStore::s3(&settings).expect("an S3 store");
    let app = TestApp::spawn_configured(hp_api::ApiConfig::default(), |mut state| {
        state.app.media = store.clone();
        state
    })
    .await;
    let user = app.user("s3", UserSpec::default()).await;
    let bytes = image_bytes(image::ImageFormat::Jpeg, 4);
    let created = app
        .post_json(
            "/api/hobbies/",
            Some(&user.bearer),
            &json!({"name": "x", "cover_image": data_url("image/jpeg", &bytes)}),
        )
        .await;
    created.assert_status(201);
    let url = created.json()["cover_image"].as_str().unwrap().to_owned();
    let served = fetch(&app, &url).await;
    assert_eq!(served.status().as_u16(), 200);
    assert_eq!(served.bytes().await.unwrap().to_vec(), bytes);
    assert_eq!(store.list().await.unwrap().len(), 1);
    app.patch_json(
        &format!("/api/hobbies/{}/", created.json()["id"]),
        Some(&user.bearer),
        &json!({"cover_image": null}),
    )
    .await
    .assert_status(200);
    assert_eq!(store.list().await.unwrap(), Vec::<String>::new());
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64
}
