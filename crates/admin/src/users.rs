//! Users: list with search, create, edit the profile and flags (active, staff, superuser),
//! set the password. Rules come from `hp_app::accounts`, as for the command line.

use crate::gate::{see_other, CheckedForm, Sysadmin};
use crate::ui::{render, Field, FormPage, ListPage, ListQuery, ListRow};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;
use hp_api::{ApiError, AppState};
use hp_app::accounts;
use hp_app::AppError;
use hp_db::accounts::{self as rows, UserProfile, UserRow};
use hp_db::listing::Listing;
use hp_db::schema::Users as U;
use sea_query::IntoIden;

const BASE: &str = "/sysadmin/users/";

pub async fn list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let texts = [U::Username.into_iden(), U::FirstName.into_iden(), U::LastName.into_iden(), U::Email.into_iden()];
    let (ids, total) = Listing::new(U::Table, U::Id, texts).page(&mut conn, &query.q, query.page()).await?;
    let mut users = Vec::with_capacity(ids.len());
    for id in ids {
        users.extend(rows::get(&mut conn, id).await?);
    }
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    let rows = users
        .into_iter()
        .map(|u| ListRow {
            url: format!("{BASE}{}/", u.id),
            cells: vec![
                u.username,
                format!("{} {}", u.first_name, u.last_name),
                u.email,
                yes_no(u.is_active),
                yes_no(u.is_superuser),
            ],
        })
        .collect();
    let headers = ["Username", "Name", "Email", "Active", "Superuser"];
    render(&admin, &ListPage::paged(&admin, "Users", BASE, &query, &headers, rows, total))
}

fn profile_fields(profile: &UserProfile) -> Vec<Field> {
    vec![
        Field::new("username", "Username", "text", &profile.username).required(),
        Field::new("first_name", "First name", "text", &profile.first_name),
        Field::new("last_name", "Last name", "text", &profile.last_name),
        Field::new("email", "Email", "email", &profile.email),
        Field::checkbox("is_active", "Active (may sign in and use tokens)", profile.is_active),
        Field::checkbox("is_staff", "Staff", profile.is_staff),
        Field::checkbox("is_superuser", "Superuser (every right, these pages)", profile.is_superuser),
    ]
}

fn profile_of(form: &CheckedForm) -> UserProfile {
    UserProfile {
        username: form.get("username"),
        first_name: form.get("first_name"),
        last_name: form.get("last_name"),
        email: form.get("email"),
        is_active: form.checked("is_active"),
        is_staff: form.checked("is_staff"),
        is_superuser: form.checked("is_superuser"),
    }
}

fn profile_of_row(user: &UserRow) -> UserProfile {
    UserProfile {
        username: user.username.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        email: user.email.clone(),
        is_active: user.is_active,
        is_staff: user.is_staff,
        is_superuser: user.is_superuser,
    }
}

fn new_form(admin: &Sysadmin, profile: &UserProfile) -> FormPage {
    let mut fields = profile_fields(profile);
    fields.insert(1, Field::new("password", "Password", "password", "").required());
    FormPage::new(admin, "New user", format!("{BASE}new/"), fields)
}

pub async fn new(admin: Sysadmin) -> Result<Response, ApiError> {
    render(&admin, &new_form(&admin, &UserProfile { is_active: true, ..Default::default() }))
}

pub async fn create(State(state): State<AppState>, admin: Sysadmin, form: CheckedForm) -> Result<Response, ApiError> {
    let profile = profile_of(&form);
    match accounts::create_user(&state.app, admin.superuser, &profile, Some(&form.raw("password"))).await {
        Ok(id) => Ok(see_other(&format!("{BASE}{id}/"))),
        Err(error) => render(&admin, &new_form(&admin, &profile).with_errors(error)?),
    }
}

fn edit_form(admin: &Sysadmin, id: i64, profile: &UserProfile) -> FormPage {
    let mut page =
        FormPage::new(admin, format!("User {}", profile.username), format!("{BASE}{id}/"), profile_fields(profile));
    page.sections.push(crate::ui::Section {
        title: "Password".into(),
        headers: Vec::new(),
        rows: Vec::new(),
        form: Some(crate::ui::SectionForm {
            action: format!("{BASE}{id}/password/"),
            prefix: "pw_".into(),
            fields: vec![Field::new("password", "New password", "password", "")],
            submit: "Set password".into(),
        }),
    });
    page
}

async fn user(state: &AppState, id: i64) -> Result<UserRow, ApiError> {
    rows::get(&mut state.app.db.conn().await?, id).await?.ok_or(ApiError::NotFound)
}

pub async fn edit(State(state): State<AppState>, admin: Sysadmin, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let user = user(&state, id).await?;
    render(&admin, &edit_form(&admin, id, &profile_of_row(&user)))
}

pub async fn update(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    user(&state, id).await?;
    let profile = profile_of(&form);
    match accounts::update_user(&state.app, admin.superuser, id, &profile).await {
        Ok(()) => Ok(see_other(&format!("{BASE}{id}/"))),
        Err(error) => render(&admin, &edit_form(&admin, id, &profile).with_errors(error)?),
    }
}

pub async fn set_password(
    State(state): State<AppState>,
    admin: Sysadmin,
    jar: CookieJar,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let current = user(&state, id).await?;
    let mut page = edit_form(&admin, id, &profile_of_row(&current));
    // A sysadmin changing their own password stays signed in here, and only here.
    let own_session = jar
        .get(hp_api::auth::sessions::SESSION_COOKIE)
        .filter(|_| admin.user.id == id)
        .map(|cookie| hp_domain::tokens::digest(cookie.value()));
    match accounts::set_password(&state.app, admin.superuser, id, &form.raw("password"), own_session.as_deref()).await {
        Ok(()) => page.notice = Some("The password was changed.".into()),
        Err(AppError::Invalid(errors)) => {
            let messages: Vec<String> = errors.fields().flat_map(|(_, m)| m.to_vec()).collect();
            if let Some(form) = page.sections[0].form.as_mut() {
                form.fields[0].errors = messages;
            }
        }
        Err(error) => return Err(error.into()),
    }
    render(&admin, &page)
}
