//! The hobby category tree: shown indented in tree order; create, rename in fi/en/sv, move
//! under another parent, delete with the subtree. Rules in `hp_api::writes::categories`.

use crate::gate::{see_other, CheckedForm, Sysadmin};
use crate::ui::{optional_id, render, ConfirmPage, Field, FormPage, ListPage, ListQuery, ListRow};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hp_api::writes::categories::{self as writes, CategoryForm};
use hp_api::{ApiError, AppState};
use hp_db::categories::CategoryRow;

const BASE: &str = "/sysadmin/categories/";

fn indented(row: &CategoryRow) -> String {
    format!("{}{}", "— ".repeat(row.level as usize), row.name_fi.clone().unwrap_or_default())
}

pub async fn list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let tree = state.categories.tree(&mut state.db.conn().await?).await?;
    let rows = tree
        .rows()
        .iter()
        .map(|c| ListRow {
            url: format!("{BASE}{}/", c.id),
            cells: vec![
                indented(c),
                c.name_en.clone().unwrap_or_default(),
                c.name_sv.clone().unwrap_or_default(),
                c.origin_id.clone(),
            ],
        })
        .collect();
    let headers = ["Name (fi)", "Name (en)", "Name (sv)", "YSO id"];
    render(&admin, &ListPage::build(&admin, "Hobby categories", BASE, &query, &headers, rows))
}

async fn fields(state: &AppState, form: &CategoryForm, moving: Option<i64>) -> Result<Vec<Field>, ApiError> {
    let tree = state.categories.tree(&mut state.db.conn().await?).await?;
    let within = moving.and_then(|id| tree.get(id)).map(|c| c.tree_position..=c.subtree_end);
    let parents = tree
        .rows()
        .iter()
        .filter(|c| !within.as_ref().is_some_and(|range| range.contains(&c.tree_position)))
        .map(|c| (c.id.to_string(), indented(c)))
        .collect();
    let selected: Vec<String> = form.parent.map(|p| p.to_string()).into_iter().collect();
    Ok(vec![
        Field::new("name_fi", "Name in Finnish", "text", &form.name_fi).required(),
        Field::new("name_en", "Name in English", "text", &form.name_en),
        Field::new("name_sv", "Name in Swedish", "text", &form.name_sv),
        Field::select("parent", "Parent category", parents, &selected, Some("(a root category)")),
    ])
}

fn form_of(form: &CheckedForm) -> CategoryForm {
    CategoryForm {
        name_fi: form.get("name_fi"),
        name_en: form.get("name_en"),
        name_sv: form.get("name_sv"),
        parent: optional_id(&form.get("parent")),
    }
}

pub async fn new(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let form = CategoryForm { parent: query.get("parent").and_then(|p| optional_id(p)), ..Default::default() };
    render(&admin, &FormPage::new(&admin, "New category", format!("{BASE}new/"), fields(&state, &form, None).await?))
}

pub async fn create(State(state): State<AppState>, admin: Sysadmin, form: CheckedForm) -> Result<Response, ApiError> {
    let values = form_of(&form);
    match writes::create(&state, &values).await {
        Ok(id) => Ok(see_other(&format!("{BASE}{id}/"))),
        Err(error) => {
            let page =
                FormPage::new(&admin, "New category", format!("{BASE}new/"), fields(&state, &values, None).await?);
            render(&admin, &page.with_errors(error)?)
        }
    }
}

async fn edit_page(state: &AppState, admin: &Sysadmin, id: i64, values: &CategoryForm) -> Result<FormPage, ApiError> {
    let url = format!("{BASE}{id}/");
    let mut page = FormPage::new(
        admin,
        format!("Category {}", values.name_fi),
        url.clone(),
        fields(state, values, Some(id)).await?,
    );
    page.delete_url = Some(format!("{url}delete/"));
    page.notice = Some(format!("Add a subcategory: /sysadmin/categories/new/?parent={id}"));
    Ok(page)
}

pub async fn edit(State(state): State<AppState>, admin: Sysadmin, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let tree = state.categories.tree(&mut state.db.conn().await?).await?;
    let row = tree.get(id).ok_or(ApiError::NotFound)?;
    let values = CategoryForm {
        name_fi: row.name_fi.clone().unwrap_or_default(),
        name_en: row.name_en.clone().unwrap_or_default(),
        name_sv: row.name_sv.clone().unwrap_or_default(),
        parent: row.parent_id,
    };
    render(&admin, &edit_page(&state, &admin, id, &values).await?)
}

pub async fn update(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let values = form_of(&form);
    match writes::update(&state, id, &values).await {
        Ok(()) => Ok(see_other(&format!("{BASE}{id}/"))),
        Err(error) => render(&admin, &edit_page(&state, &admin, id, &values).await?.with_errors(error)?),
    }
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut conn = state.db.conn().await?;
    let tree = state.categories.tree(&mut conn).await?;
    let row = tree.get(id).ok_or(ApiError::NotFound)?;
    let descendants = tree
        .rows()
        .iter()
        .filter(|c| c.tree_position > row.tree_position && c.tree_position <= row.subtree_end)
        .count();
    let hobbies = hp_db::maintenance::count_referring(&mut conn, "hobby_category_links", "category_id", id).await?;
    let consequences = vec![
        format!("deletes its {descendants} subcategories"),
        format!("takes the category off its {hobbies} hobbies (and its subcategories off theirs); the hobbies stay"),
    ];
    let what = format!("the category {}", row.name_fi.clone().unwrap_or_default());
    render(&admin, &ConfirmPage::new(&admin, &what, &format!("{BASE}{id}/"), consequences))
}

pub async fn delete(
    State(state): State<AppState>,
    _admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    writes::delete(&state, id).await?;
    Ok(see_other(BASE))
}
