//! The original's Django admin paths (bookmarks, and the original README's
//! `/sysadmin/authtoken/token/`) redirect to the sysadmin page here that does the same job.

use crate::support::{HobbySpec, TestApp};

#[tokio::test]
async fn django_admin_paths_redirect_to_the_page_doing_that_job() {
    let app = TestApp::spawn().await;
    let hobby = app.hobby("Kuvataide", HobbySpec::default()).await;
    let event = app.event(hobby, ("2022-03-01", "17:00"), ("2022-03-01", "18:00")).await;
    let event_page = format!("/sysadmin/hobbies/{hobby}/");
    let event_path = format!("/sysadmin/harrastuspassi/hobbyevent/{event}/change/");
    let cases: Vec<(&str, &str)> = vec![
        ("/sysadmin/authtoken/token/", "/sysadmin/tokens/"),
        ("/sysadmin/authtoken/token/add/", "/sysadmin/tokens/new/"),
        ("/sysadmin/authtoken/token/9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b/change/", "/sysadmin/tokens/"),
        ("/sysadmin/auth/user/", "/sysadmin/users/"),
        ("/sysadmin/auth/user/add/", "/sysadmin/users/new/"),
        ("/sysadmin/auth/user/7/change/", "/sysadmin/users/7/"),
        ("/sysadmin/harrastuspassi/hobby/", "/sysadmin/hobbies/"),
        ("/sysadmin/harrastuspassi/hobby/add/", "/sysadmin/hobbies/new/"),
        ("/sysadmin/harrastuspassi/hobby/12/change/", "/sysadmin/hobbies/12/"),
        ("/sysadmin/harrastuspassi/hobbyevent/", "/sysadmin/hobbies/"),
        ("/sysadmin/harrastuspassi/hobbyevent/add/", "/sysadmin/hobbies/"),
        (&event_path, &event_page),
        ("/sysadmin/harrastuspassi/hobbycategory/", "/sysadmin/categories/"),
        ("/sysadmin/harrastuspassi/hobbycategory/add/", "/sysadmin/categories/new/"),
        ("/sysadmin/harrastuspassi/hobbycategory/3/change/", "/sysadmin/categories/3/"),
        ("/sysadmin/harrastuspassi/location/", "/sysadmin/locations/"),
        ("/sysadmin/harrastuspassi/location/add/", "/sysadmin/locations/new/"),
        ("/sysadmin/harrastuspassi/location/4/change/", "/sysadmin/locations/4/"),
        ("/sysadmin/harrastuspassi/organizer/", "/sysadmin/organizers/"),
        ("/sysadmin/harrastuspassi/organizer/add/", "/sysadmin/organizers/new/"),
        ("/sysadmin/harrastuspassi/organizer/5/change/", "/sysadmin/organizers/5/"),
        ("/sysadmin/harrastuspassi/promotion/", "/sysadmin/promotions/"),
        ("/sysadmin/harrastuspassi/promotion/add/", "/sysadmin/promotions/new/"),
        ("/sysadmin/harrastuspassi/promotion/6/change/", "/sysadmin/promotions/6/"),
        ("/sysadmin/harrastuspassi/municipality/", "/sysadmin/municipalities/"),
        ("/sysadmin/harrastuspassi/municipality/add/", "/sysadmin/municipalities/new/"),
        ("/sysadmin/harrastuspassi/municipality/8/change/", "/sysadmin/municipalities/8/"),
        ("/sysadmin/harrastuspassi/benefit/", "/sysadmin/benefits/"),
        ("/sysadmin/harrastuspassi/benefit/9/change/", "/sysadmin/benefits/"),
        ("/sysadmin/harrastuspassi/", "/sysadmin/"),
        ("/sysadmin/auth/", "/sysadmin/"),
        ("/sysadmin/login/", "/accounts/login/?next=%2Fsysadmin%2F"),
        ("/sysadmin/login/?next=/sysadmin/auth/user/", "/accounts/login/?next=%2Fsysadmin%2Fauth%2Fuser%2F"),
        ("/sysadmin/logout/", "/accounts/logout/"),
    ];
    for (old, new) in cases {
        let response = app.get(old).await;
        assert_eq!(response.status.as_u16(), 302, "{old}: {}", response.text);
        assert_eq!(response.header("location"), Some(new), "{old}");
    }

    // Models this service has no page for, ids that are not ids, other shapes: 404.
    for missing in [
        "/sysadmin/auth/group/",
        "/sysadmin/auth/group/1/change/",
        "/sysadmin/harrastuspassi/hobbyaudience/",
        "/sysadmin/harrastuspassi/nosuchmodel/add/",
        "/sysadmin/harrastuspassi/hobby/abc/change/",
        "/sysadmin/harrastuspassi/hobbyevent/987654/change/",
        "/sysadmin/harrastuspassi/hobby/12/delete/",
        "/sysadmin/sites/site/",
    ] {
        assert_eq!(app.get(missing).await.status.as_u16(), 404, "{missing}");
    }

    // The redirected login brings a signed-in superuser back to the bookmarked page.
    let login = app.get("/accounts/login/?next=%2Fsysadmin%2Fauth%2Fuser%2F").await;
    assert_eq!(login.status.as_u16(), 200);
    assert!(login.text.contains("/sysadmin/auth/user/"), "{}", login.text);
}
