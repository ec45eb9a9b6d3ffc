//! The sysadmin pages over HTTP (the browser test in `tests/browser/` drives them in
//! Chromium): who gets in, CSRF on every form, and changes visible in the API at once.

use crate::auth::login;
use crate::support::{TestApp, UserSpec};
use reqwest::Method;
use serde_json::json;

pub fn csrf_of(cookie: &str) -> String {
    cookie.split("; ").find_map(|c| c.strip_prefix("csrftoken=")).expect("a CSRF cookie").to_owned()
}

#[tokio::test]
async fn only_superusers_get_in() {
    let app = TestApp::spawn().await;
    let anonymous = app.get("/sysadmin/users/?q=a").await;
    anonymous.assert_status(302);
    assert_eq!(anonymous.header("location"), Some("/accounts/login/?next=%2Fsysadmin%2Fusers%2F%3Fq%3Da"));

    let staff = app.user("staff", UserSpec { staff: true, ..Default::default() }).await;
    let cookie = login(&app, "staff", &staff.password).await;
    let refused = app.request(Method::GET, "/sysadmin/", &[("cookie", &cookie)], None).await;
    refused.assert_status(403);
    assert!(refused.text.contains("superusers only"));

    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let cookie = login(&app, "root", &admin.password).await;
    let dashboard = app.request(Method::GET, "/sysadmin/", &[("cookie", &cookie)], None).await;
    dashboard.assert_status(200);
    assert!(dashboard.text.contains("<h1>Administration</h1>"));
    assert!(dashboard.text.contains(r#"<a href="/sysadmin/users/">Users</a>: 2"#), "{}", dashboard.text);

    // The municipality list counts each one's moderators.
    let (busy, idle) = (app.municipality("Kuntala").await, app.municipality("Tyhjälä").await);
    let mut tx = app.db.begin().await.unwrap();
    for user in [staff.id, admin.id] {
        hp_db::municipalities::add_moderator(&mut tx, busy, user).await.unwrap();
    }
    tx.commit().await.unwrap();
    let list = app.request(Method::GET, "/sysadmin/municipalities/", &[("cookie", &cookie)], None).await;
    list.assert_status(200);
    for (id, name, moderators) in [(busy, "Kuntala", 2), (idle, "Tyhjälä", 0)] {
        let row = format!(r#"<a href="/sysadmin/municipalities/{id}/">{name}</a></td><td>{moderators}</td>"#);
        assert!(list.text.contains(&row), "{row} in {}", list.text);
    }
}

#[tokio::test]
async fn forms_need_the_csrf_token_and_write_through_the_api_rules() {
    let app = TestApp::spawn().await;
    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let cookie = login(&app, "root", &admin.password).await;
    let csrf = csrf_of(&cookie);

    let forged = app
        .post_form(
            "/sysadmin/organizers/new/",
            &cookie,
            &[("name", "Seura"), ("csrfmiddlewaretoken", "x".repeat(32).as_str())],
        )
        .await;
    forged.assert_status(403);
    assert_eq!(app.get_json("/api/organizers/").await, json!([]));

    // A password keeps its spaces: the user signs in with exactly what was typed.
    let created = app
        .post_form(
            "/sysadmin/users/new/",
            &cookie,
            &[
                ("username", "spaced"),
                ("password", " väli lyönti "),
                ("is_active", "true"),
                ("csrfmiddlewaretoken", &csrf),
            ],
        )
        .await;
    created.assert_status(303);
    // The browser login keeps passwords as typed (JWT logins trim them, as the original did).
    login(&app, "spaced", " väli lyönti ").await;

    // A field error is shown next to its field, and nothing is written.
    let invalid =
        app.post_form("/sysadmin/organizers/new/", &cookie, &[("name", ""), ("csrfmiddlewaretoken", &csrf)]).await;
    invalid.assert_status(200);
    assert!(
        invalid.text.contains(r#"<ul class="errorlist" id="err_name"><li>Tämä kenttä ei voi olla tyhjä.</li></ul>"#),
        "{}",
        invalid.text
    );
    let created =
        app.post_form("/sysadmin/organizers/new/", &cookie, &[("name", "Seura"), ("csrfmiddlewaretoken", &csrf)]).await;
    created.assert_status(303);
    let organizers = app.get_json("/api/organizers/").await;
    assert_eq!(organizers[0]["name"], json!("Seura"));

    // A location with coordinates, a hobby and an event: all in the API at once.
    let location = app
        .post_form(
            "/sysadmin/locations/new/",
            &cookie,
            &[
                ("name", "Halli"),
                ("city", "Helsinki"),
                ("lat", "60.17"),
                ("lon", "24.94"),
                ("csrfmiddlewaretoken", &csrf),
            ],
        )
        .await;
    location.assert_status(303);
    let location_id = app.get_json("/api/locations/").await[0]["id"].as_i64().unwrap();
    let hobby = app
        .post_form(
            "/sysadmin/hobbies/new/",
            &cookie,
            &[
                ("name", "Sulkapallo"),
                ("location", &location_id.to_string()),
                ("price_type", "paid"),
                ("price_amount", "0"),
                ("csrfmiddlewaretoken", &csrf),
            ],
        )
        .await;
    hobby.assert_status(200);
    assert!(hobby.text.contains("errorlist"), "paid at 0 refused as by the API");
    let hobby = app
        .post_form(
            "/sysadmin/hobbies/new/",
            &cookie,
            &[
                ("name", "Sulkapallo"),
                ("location", &location_id.to_string()),
                ("price_type", "paid"),
                ("price_amount", "15"),
                ("csrfmiddlewaretoken", &csrf),
            ],
        )
        .await;
    hobby.assert_status(303);
    let url = hobby.header("location").unwrap().to_owned();
    let event = app
        .post_form(
            &format!("{url}events/"),
            &cookie,
            &[
                ("start_date", "2022-03-01"),
                ("start_time", "17:00"),
                ("end_date", "2022-03-01"),
                ("end_time", "18:00"),
                ("csrfmiddlewaretoken", &csrf),
            ],
        )
        .await;
    event.assert_status(303);
    let listed = app.get_json("/api/v1/hobbyevents/?include=hobby_detail").await;
    assert_eq!(listed["results"][0]["hobby"]["name"], json!("Sulkapallo"));
    assert_eq!(listed["results"][0]["hobby"]["price_amount"], json!("15.00"));
    assert_eq!(listed["results"][0]["hobby"]["location"]["coordinates"]["coordinates"], json!([24.94, 60.17]));
}

#[tokio::test]
async fn category_images_promotions_audiences_and_the_benefit_log() {
    let app = TestApp::spawn().await;
    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let cookie = login(&app, "root", &admin.password).await;
    let csrf = csrf_of(&cookie);
    let category = app.category("Kuvalliset", None).await;

    // A cover image uploaded as a file; without the CSRF part it is refused.
    let png = {
        let picture = image::RgbImage::from_pixel(4, 4, image::Rgb([10, 20, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(picture).write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let multipart = |with_csrf: bool| {
        let boundary = "XyZboundary";
        let mut body = Vec::new();
        if with_csrf {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{csrf}\r\n"
                )
                .bytes(),
            );
        }
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"cover_image\"; filename=\"k.png\"\r\nContent-Type: image/png\r\n\r\n").bytes());
        body.extend(&png);
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    };
    let (content_type, body) = multipart(false);
    let path = format!("/sysadmin/categories/{category}/image/");
    app.request(Method::POST, &path, &[("cookie", &cookie)], Some((&content_type, body))).await.assert_status(403);
    let (content_type, body) = multipart(true);
    app.request(Method::POST, &path, &[("cookie", &cookie)], Some((&content_type, body))).await.assert_status(303);
    // A hobby of the category without its own image shows the category's.
    let hobby =
        app.hobby("Kuvaton", crate::support::HobbySpec { categories: vec![category], ..Default::default() }).await;
    let url = app.get_json(&format!("/api/v1/hobbies/{hobby}/")).await["cover_image"]
        .as_str()
        .expect("the category's image")
        .to_owned();
    assert!(url.contains("/media/hobbycategory_images/"), "{url}");
    assert_eq!(app.client.get(&url).send().await.unwrap().bytes().await.unwrap().to_vec(), png);
    // Removed again: the file goes too.
    app.request(
        Method::POST,
        &format!("{path}remove/"),
        &[("cookie", &cookie)],
        Some(("application/x-www-form-urlencoded", format!("csrfmiddlewaretoken={csrf}").into_bytes())),
    )
    .await
    .assert_status(303);
    assert_eq!(app.get_json(&format!("/api/v1/hobbies/{hobby}/")).await["cover_image"], serde_json::Value::Null);
    assert_eq!(app.client.get(&url).send().await.unwrap().status().as_u16(), 404);

    // Audiences are a tree of their own.
    let audience = app
        .post_form(
            "/sysadmin/audiences/new/",
            &cookie,
            &[("name_fi", "Nuoret aikuiset"), ("csrfmiddlewaretoken", &csrf)],
        )
        .await;
    audience.assert_status(303);
    assert!(audience.header("location").unwrap().starts_with("/sysadmin/audiences/"));
    let listed = app.request(Method::GET, "/sysadmin/audiences/", &[("cookie", &cookie)], None).await;
    assert!(listed.text.contains("Nuoret aikuiset"));

    // A promotion through the API's rules, then a redemption in the log.
    let organizer = app.organizer("Etuseura").await;
    let location = app.location("Etuhalli", None, None).await;
    let created = app
        .post_form(
            "/sysadmin/promotions/new/",
            &cookie,
            &[
                ("name", "Kokeilu"),
                ("description", "Ilmainen kerta"),
                ("start_date", "2022-01-01"),
                ("start_time", "08:00"),
                ("end_date", "2022-12-31"),
                ("end_time", "20:00"),
                ("available_count", "5"),
                ("organizer", &organizer.to_string()),
                ("location", &location.to_string()),
                ("csrfmiddlewaretoken", &csrf),
            ],
        )
        .await;
    created.assert_status(303);
    let promotions = app.get_json("/api/promotions/").await;
    assert_eq!(promotions[0]["name"], json!("Kokeilu"));
    assert_eq!(promotions[0]["created_by"], json!(admin.id));
    app.post_json("/api/benefits/", Some(&admin.bearer), &json!({"promotion": promotions[0]["id"]}))
        .await
        .assert_status(201);
    let log = app.request(Method::GET, "/sysadmin/benefits/", &[("cookie", &cookie)], None).await;
    log.assert_status(200);
    assert!(log.text.contains("<td><a href=\"/sysadmin/promotions/"), "{}", log.text);
    assert!(log.text.contains("1 found."));
}

#[tokio::test]
async fn pages_speak_finnish_when_the_browser_prefers_it() {
    let app = TestApp::spawn().await;
    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let cookie = login(&app, "root", &admin.password).await;
    let finnish = app
        .request(
            Method::GET,
            "/sysadmin/hobbies/new/",
            &[("cookie", &cookie), ("accept-language", "fi-FI,fi;q=0.9,en;q=0.5")],
            None,
        )
        .await;
    finnish.assert_status(200);
    assert!(finnish.text.contains(r#"<html lang="fi">"#));
    assert!(finnish.text.contains("<h1>Uusi harrastus</h1>"), "{}", finnish.text);
    assert!(finnish.text.contains(r#"<label for="id_name">Nimi *</label>"#));
    assert!(finnish.text.contains(">Tallenna</button>"));
    let english = app
        .request(
            Method::GET,
            "/sysadmin/hobbies/new/",
            &[("cookie", &cookie), ("accept-language", "sv,en;q=0.8,fi;q=0.3")],
            None,
        )
        .await;
    assert!(english.text.contains("<h1>New hobby</h1>") && english.text.contains(r#"<html lang="en">"#));
}

/// The lists search and page in the database: a search matches any case and takes `%` and
/// `_` literally, pages hold 50 rows in name order, and a page far past the end is empty.
#[tokio::test]
async fn lists_search_and_page_in_the_database() {
    let app = TestApp::spawn().await;
    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let cookie = login(&app, "root", &admin.password).await;
    for n in 0..120 {
        app.organizer(&format!("Seura {n:03}")).await;
    }
    app.organizer("Sata_prosenttia 100%").await;
    let page = |query: &str| {
        let (app, cookie) = (&app, cookie.clone());
        let path = format!("/sysadmin/organizers/{query}");
        async move { app.request(Method::GET, &path, &[("cookie", &cookie)], None).await }
    };
    let rows = |text: &str| text.matches(r#"<tr><td><a href="/sysadmin/organizers/"#).count();

    let third = page("?page=3").await;
    third.assert_status(200);
    assert_eq!(rows(&third.text), 21, "rows 101–121 in name order");
    assert!(third.text.contains(">Seura 099<") && third.text.contains(">Seura 119<"));
    assert!(!third.text.contains(">Seura 098<"));
    assert!(third.text.contains(r#"page=2" rel="prev""#) && !third.text.contains(r#"rel="next""#));

    let found = page("?q=SEURA+01").await;
    assert_eq!(rows(&found.text), 10, "Seura 010–019");
    assert_eq!(rows(&page("?q=%25").await.text), 1, "a percent sign is a percent sign");
    assert_eq!(rows(&page("?q=a_p").await.text), 1, "an underscore is an underscore");
    assert_eq!(rows(&page("?page=18446744073709551615").await.text), 0);
    page("?page=-1").await.assert_status(400);
}

/// The hobby form writes its own way: an empty category selection clears the categories, a
/// blank price is free, and a location form's latitude and longitude are its point.
#[tokio::test]
async fn forms_read_what_a_form_means() {
    let app = TestApp::spawn().await;
    let admin = app.user("root", UserSpec { superuser: true, ..Default::default() }).await;
    let cookie = login(&app, "root", &admin.password).await;
    let csrf = csrf_of(&cookie);
    let category = app.category("Musiikki", None).await;
    let spec = crate::support::HobbySpec { categories: vec![category], ..Default::default() };
    let hobby = app.hobby("Kuoro", spec).await;
    let fields = [
        ("name", "Kuoro"),
        ("description", ""),
        ("location", ""),
        ("organizer", ""),
        ("price_type", "free"),
        ("price_amount", ""),
        ("csrfmiddlewaretoken", &csrf),
    ];
    app.post_form(&format!("/sysadmin/hobbies/{hobby}/"), &cookie, &fields).await.assert_status(303);
    let stored = app.get_json(&format!("/api/v1/hobbies/{hobby}/")).await;
    assert_eq!(stored["categories"], json!([]));
    assert_eq!(stored["price_type"], "free");

    let place = [
        ("name", "Kenttä"),
        ("address", ""),
        ("zip_code", ""),
        ("city", "Oulu"),
        ("lat", "65,0121"),
        ("lon", "25.4651"),
        ("csrfmiddlewaretoken", &csrf),
    ];
    let created = app.post_form("/sysadmin/locations/new/", &cookie, &place).await;
    created.assert_status(303);
    let id: i64 = created.header("location").unwrap().trim_matches(|c: char| !c.is_ascii_digit()).parse().unwrap();
    let location = app.get_json(&format!("/api/v1/locations/{id}/")).await;
    assert_eq!(location["coordinates"], json!({"type": "Point", "coordinates": [25.4651, 65.0121]}));

    let mut wrong = place;
    wrong[4] = ("lat", "91");
    wrong[2] = ("zip_code", "123456");
    let refused = app.post_form("/sysadmin/locations/new/", &cookie, &wrong).await;
    refused.assert_status(200);
    assert!(refused.text.contains("Enter a latitude between -90 and 90."), "{}", refused.text);
    assert!(refused.text.contains("Arvo saa olla enintään 5 merkkiä pitkä."), "both errors at once: {}", refused.text);
}
