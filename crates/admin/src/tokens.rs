//! API tokens: the list (first characters only), creating one for a user (the key is shown
//! once), revoking.

use crate::gate::{see_other, CheckedForm, Sysadmin};
use crate::ui::{optional_id, render, Field, FormPage, ListPage, ListQuery, ListRow, MessagePage};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hp_api::{ApiError, AppState};
use hp_app::accounts;
use hp_db::accounts as rows;

const BASE: &str = "/sysadmin/tokens/";

pub async fn list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let users = rows::list(&mut conn).await?;
    let tokens = rows::list_tokens(&mut conn).await?;
    let rows = tokens
        .into_iter()
        .map(|t| {
            let owner = users.iter().find(|u| u.id == t.user_id).map(|u| u.username.clone()).unwrap_or_default();
            ListRow {
                url: format!("{BASE}{}/", t.id),
                cells: vec![
                    owner,
                    format!("{}…", t.key_prefix),
                    t.created_at.to_string(),
                    t.last_used_at.map(|d| d.to_string()).unwrap_or_default(),
                ],
            }
        })
        .collect();
    let headers = ["User", "Key starts", "Created", "Last used"];
    render(&admin, &ListPage::build(&admin, "API tokens", BASE, &query, &headers, rows))
}

async fn new_form(state: &AppState, admin: &Sysadmin) -> Result<FormPage, ApiError> {
    let users = rows::list(&mut state.app.db.conn().await?).await?;
    let options = users.into_iter().map(|u| (u.id.to_string(), u.username)).collect();
    let field = Field::select("user", "User", options, &[], None);
    let mut page = FormPage::new(admin, "New API token", format!("{BASE}new/"), vec![field]);
    page.notice = Some("A user has one token: creating one replaces the user's old token.".into());
    Ok(page)
}

pub async fn new(State(state): State<AppState>, admin: Sysadmin) -> Result<Response, ApiError> {
    render(&admin, &new_form(&state, &admin).await?)
}

pub async fn create(State(state): State<AppState>, admin: Sysadmin, form: CheckedForm) -> Result<Response, ApiError> {
    let Some(user) = optional_id(&form.get("user")) else {
        return render(
            &admin,
            &new_form(&state, &admin).await?.with_errors(ApiError::field("user", hp_domain::messages::REQUIRED))?,
        );
    };
    match accounts::create_token(&state.app, admin.superuser, user).await {
        Ok(key) => render(
            &admin,
            &MessagePage {
                lang: admin.lang,
                title: "API token created".into(),
                username: admin.user.username.clone(),
                message: "The token was created. Send it with the header Authorization: Token <key>.".into(),
                key: Some(key),
                back_url: BASE.into(),
            },
        ),
        Err(error) => render(&admin, &new_form(&state, &admin).await?.with_errors(error)?),
    }
}

/// A token's page: who owns it, and revoking.
pub async fn show(State(state): State<AppState>, admin: Sysadmin, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let token = rows::list_tokens(&mut state.app.db.conn().await?)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(ApiError::NotFound)?;
    let page = crate::ui::ConfirmPage {
        title: format!("API token {}…", token.key_prefix),
        question: format!("Revoke the token {}…? Calls with it are refused at once.", token.key_prefix),
        action: format!("{BASE}{id}/revoke/"),
        ..crate::ui::ConfirmPage::new(&admin, "token", &format!("{BASE}{id}/"), Vec::new())
    };
    render(&admin, &page)
}

pub async fn revoke(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    accounts::revoke_token(&state.app, admin.superuser, id).await?;
    Ok(see_other(BASE))
}
