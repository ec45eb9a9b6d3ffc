//! Reading the category tree: order, roots and children, nested children, languages.

use crate::support::{ids, TestApp};
use serde_json::json;

#[tokio::test]
async fn tree_order_is_pre_order_with_siblings_by_name() {
    let app = TestApp::spawn().await;
    let ball = app.category("Pallopelit", None).await;
    let tennis = app.category("Tennis", Some(ball)).await;
    let football = app.category("Jalkapallo", Some(ball)).await;
    let futsal = app.category("Futsal", Some(football)).await;
    let list = app.get_json("/api/hobbycategories/").await;
    assert_eq!(ids(&list), vec![ball, football, futsal, tennis]);
    let levels: Vec<i64> = list.as_array().unwrap().iter().map(|c| c["level"].as_i64().unwrap()).collect();
    assert_eq!(levels, vec![0, 1, 2, 1]);
    let trees: Vec<&serde_json::Value> = list.as_array().unwrap().iter().map(|c| &c["tree_id"]).collect();
    assert!(trees.iter().all(|t| *t == trees[0]));
    assert_eq!(
        list[2],
        json!({"id": futsal, "name": "Futsal", "name_fi": "Futsal", "name_en": null, "name_sv": null,
               "tree_id": trees[0], "level": 2, "parent": football})
    );
    // Roots in name order regardless of creation order; never paginated.
    let app = TestApp::spawn().await;
    let bands = app.category("Bändit", None).await;
    let crafts = app.category("Askartelu", None).await;
    assert_eq!(ids(&app.get_json("/api/hobbycategories/?parent=null").await), vec![crafts, bands]);
    assert!(app.get_json("/api/v1/hobbycategories/").await.is_array());
    assert!(app.get_json("/mobile-api/pre1/hobbycategories/").await.is_array());
}

#[tokio::test]
async fn parent_filter_and_nested_children() {
    let app = TestApp::spawn().await;
    let ball = app.category("Ballgames", None).await;
    let football = app.category("Football", Some(ball)).await;
    let tennis = app.category("Tennis", Some(ball)).await;
    let grandchild = app.category("Futsal", Some(football)).await;
    app.category("Language learning", None).await;
    assert_eq!(ids(&app.get_json(&format!("/api/hobbycategories/?parent={ball}")).await), vec![football, tennis]);
    assert_eq!(app.get_json(&format!("/api/hobbycategories/?parent={tennis}")).await, json!([]));
    assert_eq!(ids(&app.get_json("/api/hobbycategories/?parent=").await).len(), 5);

    let detail = app.get_json(&format!("/api/hobbycategories/{ball}/?include=child_categories")).await;
    assert_eq!(detail["id"], json!(ball));
    assert_eq!(detail["child_categories"][0]["id"], json!(football));
    assert_eq!(detail["child_categories"][0]["child_categories"][0]["id"], json!(grandchild));
    assert_eq!(detail["child_categories"][0]["child_categories"][0]["child_categories"], json!([]));
    assert_eq!(detail["child_categories"][1]["id"], json!(tennis));

    let roots = app.get_json("/mobile-api/v1/hobbycategories/?include=child_categories&parent=null").await;
    assert_eq!(roots.as_array().unwrap().len(), 2);
    assert_eq!(roots[0]["child_categories"].as_array().unwrap().len(), 2);
    // In a full list every category carries its own subtree.
    let all = app.get_json("/api/hobbycategories/?include=child_categories").await;
    assert_eq!(all[1]["id"], json!(football));
    assert_eq!(all[1]["child_categories"][0]["id"], json!(grandchild));
}

#[tokio::test]
async fn lang_chooses_the_name_and_nested_levels_keep_finnish() {
    let app = TestApp::spawn().await;
    let id = app
        .category_named(Some("Jalkapallo suomeksi"), Some("Jalkapallo englanniksi"), Some("Jalkapallo ruotsiksi"), None)
        .await;
    let child = app.category_named(Some("Lapsi"), None, Some("Barn"), Some(id)).await;
    let app = &app;
    let name = |lang: &'static str| async move {
        app.get_json(&format!("/api/hobbycategories/{id}/?lang={lang}")).await["name"].clone()
    };
    assert_eq!(name("").await, json!("Jalkapallo suomeksi"));
    assert_eq!(name("fi").await, json!("Jalkapallo suomeksi"));
    assert_eq!(name("en").await, json!("Jalkapallo englanniksi"));
    assert_eq!(name("sv").await, json!("Jalkapallo ruotsiksi"));
    assert_eq!(name("de").await, json!("Jalkapallo suomeksi"));
    assert_eq!(app.get_json(&format!("/api/hobbycategories/{child}/?lang=en")).await["name"], json!(null));
    let nested = app.get_json(&format!("/api/hobbycategories/{id}/?lang=sv&include=child_categories")).await;
    assert_eq!(nested["child_categories"][0]["name"], json!("Lapsi"));
    // A category without a Finnish name reads as "".
    let nameless = app.category_named(None, Some("Only English"), None, None).await;
    let body = app.get_json(&format!("/api/hobbycategories/{nameless}/")).await;
    assert_eq!((body["name"].clone(), body["name_fi"].clone()), (json!(""), json!(null)));
}

#[tokio::test]
async fn unknown_category_is_not_found() {
    let app = TestApp::spawn().await;
    app.get("/api/hobbycategories/12345/").await.assert_status(404);
    app.get("/api/hobbycategories/x/?include=child_categories").await.assert_status(404);
}

#[tokio::test]
async fn a_change_made_elsewhere_is_seen_by_the_next_request() {
    let app = TestApp::spawn().await;
    let first = app.category("Ensimmäinen", None).await;
    assert_eq!(ids(&app.get_json("/api/hobbycategories/").await), vec![first]);
    // Written straight to the database, as another replica or the command line would.
    let second = app.category("Aakkosissa ensin", None).await;
    assert_eq!(ids(&app.get_json("/api/hobbycategories/").await), vec![second, first]);
    app.set_category_image(first, Some("hobbycategory_images/x.png")).await;
    let hobby = app.hobby("H", crate::support::HobbySpec { categories: vec![first], ..Default::default() }).await;
    let body = app.get_json(&format!("/api/hobbies/{hobby}/")).await;
    assert_eq!(body["cover_image"], json!(format!("{}/media/hobbycategory_images/x.png", app.address)));
}
