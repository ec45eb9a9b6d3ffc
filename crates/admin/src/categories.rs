//! The hobby category tree and the audience tree: shown indented in tree order; create,
//! rename in fi/en/sv, move under another parent, delete with the subtree, and a category's
//! cover image (the fallback of its hobbies). Rules in `hp_app::categories`.

use crate::gate::{see_other, CheckedForm, Sysadmin};
use crate::ui::{
    optional_id, render, ConfirmPage, Field, FormPage, ListPage, ListQuery, ListRow, RowAction, Section, SectionForm,
    SectionRow,
};
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::Extension;
use hp_api::{ApiError, AppState};
use hp_app::categories::{self as writes, CategoryForm};
use hp_app::AppError;
use hp_db::categories::{self as rows, CategoryRow, ParentFilter};
use hp_db::schema::TreeTable;

/// Which tree a page shows.
#[derive(Clone, Copy)]
pub struct Tree {
    pub table: TreeTable,
    pub base: &'static str,
    pub title: &'static str,
    pub noun: &'static str,
}

pub const CATEGORIES: Tree =
    Tree { table: TreeTable::Categories, base: "/sysadmin/categories/", title: "Hobby categories", noun: "category" };
pub const AUDIENCES: Tree =
    Tree { table: TreeTable::Audiences, base: "/sysadmin/audiences/", title: "Hobby audiences", noun: "audience" };

fn indented(row: &CategoryRow) -> String {
    format!("{}{}", "— ".repeat(row.level as usize), row.name_fi.clone().unwrap_or_default())
}

async fn all(state: &AppState, tree: Tree) -> Result<Vec<CategoryRow>, ApiError> {
    Ok(rows::list(&mut state.app.db.conn().await?, tree.table, ParentFilter::Any).await?)
}

pub async fn list(
    State(state): State<AppState>,
    Extension(tree): Extension<Tree>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let rows = all(&state, tree)
        .await?
        .iter()
        .map(|c| ListRow {
            url: format!("{}{}/", tree.base, c.id),
            cells: vec![
                indented(c),
                c.name_en.clone().unwrap_or_default(),
                c.name_sv.clone().unwrap_or_default(),
                c.origin_id.clone(),
            ],
        })
        .collect();
    let headers = ["Name (fi)", "Name (en)", "Name (sv)", "YSO id"];
    render(&admin, &ListPage::build(&admin, tree.title, tree.base, &query, &headers, rows))
}

async fn fields(
    state: &AppState,
    tree: Tree,
    form: &CategoryForm,
    moving: Option<i64>,
) -> Result<Vec<Field>, ApiError> {
    let rows = all(state, tree).await?;
    let within = moving.and_then(|id| rows.iter().find(|c| c.id == id)).map(|c| c.tree_position..=c.subtree_end);
    let parents = rows
        .iter()
        .filter(|c| !within.as_ref().is_some_and(|range| range.contains(&c.tree_position)))
        .map(|c| (c.id.to_string(), indented(c)))
        .collect();
    let selected: Vec<String> = form.parent.map(|p| p.to_string()).into_iter().collect();
    Ok(vec![
        Field::new("name_fi", "Name in Finnish", "text", &form.name_fi).required(),
        Field::new("name_en", "Name in English", "text", &form.name_en),
        Field::new("name_sv", "Name in Swedish", "text", &form.name_sv),
        Field::select("parent", "Parent", parents, &selected, Some("(at the root)")),
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
    Extension(tree): Extension<Tree>,
    admin: Sysadmin,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let form = CategoryForm { parent: query.get("parent").and_then(|p| optional_id(p)), ..Default::default() };
    let title = format!("New {}", tree.noun);
    render(
        &admin,
        &FormPage::new(&admin, title, format!("{}new/", tree.base), fields(&state, tree, &form, None).await?),
    )
}

pub async fn create(
    State(state): State<AppState>,
    Extension(tree): Extension<Tree>,
    admin: Sysadmin,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let values = form_of(&form);
    match writes::create(&state.app, admin.superuser, tree.table, &values).await {
        Ok(id) => Ok(see_other(&format!("{}{id}/", tree.base))),
        Err(error) => {
            let page = FormPage::new(
                &admin,
                format!("New {}", tree.noun),
                format!("{}new/", tree.base),
                fields(&state, tree, &values, None).await?,
            );
            render(&admin, &page.with_errors(error)?)
        }
    }
}

async fn edit_page(
    state: &AppState,
    tree: Tree,
    admin: &Sysadmin,
    id: i64,
    values: &CategoryForm,
) -> Result<FormPage, ApiError> {
    let url = format!("{}{id}/", tree.base);
    let title = format!("{}{} {}", tree.noun[..1].to_uppercase(), &tree.noun[1..], values.name_fi);
    let mut page = FormPage::new(admin, title, url.clone(), fields(state, tree, values, Some(id)).await?);
    page.delete_url = Some(format!("{url}delete/"));
    let children: Vec<SectionRow> = all(state, tree)
        .await?
        .into_iter()
        .filter(|c| c.parent_id == Some(id))
        .map(|c| SectionRow { cells: vec![c.name_fi.unwrap_or_default()], action: None })
        .collect();
    page.sections.push(Section {
        title: "Subcategories".into(),
        headers: vec!["Name (fi)".into()],
        rows: children,
        form: None,
    });
    page.notice = Some(format!("Add a sub{} at {}new/?parent={id}", tree.noun, tree.base));
    if tree.table == TreeTable::Categories {
        let current = rows::get(&mut state.app.db.conn().await?, tree.table, id).await?.and_then(|c| c.cover_image);
        let rows = current
            .map(|image| SectionRow {
                cells: vec![image],
                action: Some(RowAction {
                    url: format!("{url}image/remove/"),
                    label: "Remove the image".into(),
                    hidden: Vec::new(),
                }),
            })
            .into_iter()
            .collect();
        page.sections.push(Section {
            title: "Cover image".into(),
            headers: vec!["Stored image".into()],
            rows,
            form: Some(SectionForm {
                action: format!("{url}image/"),
                prefix: "image_".into(),
                fields: vec![Field::new("cover_image", "A JPEG, PNG, WebP or GIF file", "file", "")],
                submit: "Upload".into(),
            }),
        });
    }
    Ok(page)
}

fn values_of(row: &CategoryRow) -> CategoryForm {
    CategoryForm {
        name_fi: row.name_fi.clone().unwrap_or_default(),
        name_en: row.name_en.clone().unwrap_or_default(),
        name_sv: row.name_sv.clone().unwrap_or_default(),
        parent: row.parent_id,
    }
}

async fn row(state: &AppState, tree: Tree, id: i64) -> Result<CategoryRow, ApiError> {
    rows::get(&mut state.app.db.conn().await?, tree.table, id).await?.ok_or(ApiError::NotFound)
}

pub async fn edit(
    State(state): State<AppState>,
    Extension(tree): Extension<Tree>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let values = values_of(&row(&state, tree, id).await?);
    render(&admin, &edit_page(&state, tree, &admin, id, &values).await?)
}

pub async fn update(
    State(state): State<AppState>,
    Extension(tree): Extension<Tree>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let values = form_of(&form);
    match writes::update(&state.app, admin.superuser, tree.table, id, &values).await {
        Ok(()) => Ok(see_other(&format!("{}{id}/", tree.base))),
        Err(error) => render(&admin, &edit_page(&state, tree, &admin, id, &values).await?.with_errors(error)?),
    }
}

/// `POST …/{id}/image/`: a multipart upload (its CSRF token is one of the parts).
pub async fn upload_image(
    State(state): State<AppState>,
    admin: Sysadmin,
    origin: hp_api::RequestOrigin,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    let (mut csrf, mut bytes) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(|e| ApiError::BadRequest(e.to_string()))? {
        match field.name() {
            Some(hp_api::auth::sessions::CSRF_FIELD) => {
                csrf = Some(field.text().await.map_err(|e| ApiError::BadRequest(e.to_string()))?)
            }
            Some("cover_image") => {
                bytes = Some(field.bytes().await.map_err(|e| ApiError::BadRequest(e.to_string()))?.to_vec())
            }
            _ => {}
        }
    }
    if let Some(refused) = crate::gate::csrf_refusal(&state, &headers, Some(&origin), csrf.as_deref()) {
        return Ok(refused);
    }
    let result = match bytes.filter(|b| !b.is_empty()) {
        Some(bytes) => writes::set_cover_image(&state.app, admin.superuser, id, Some(bytes)).await,
        None => Err(AppError::field("cover_image", "Choose a file.")),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("{}{id}/", CATEGORIES.base))),
        Err(AppError::Invalid(errors)) => {
            let values = values_of(&row(&state, CATEGORIES, id).await?);
            let mut page = edit_page(&state, CATEGORIES, &admin, id, &values).await?;
            let messages: Vec<String> = errors.fields().flat_map(|(_, m)| m.to_vec()).collect();
            if let Some(form) = page.sections.last_mut().and_then(|s| s.form.as_mut()) {
                form.fields[0].errors = messages;
            }
            render(&admin, &page)
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn remove_image(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    writes::set_cover_image(&state.app, admin.superuser, id, None).await?;
    Ok(see_other(&format!("{}{id}/", CATEGORIES.base)))
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    Extension(tree): Extension<Tree>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let rows = all(&state, tree).await?;
    let row = rows.iter().find(|c| c.id == id).ok_or(ApiError::NotFound)?;
    let descendants =
        rows.iter().filter(|c| c.tree_position > row.tree_position && c.tree_position <= row.subtree_end).count();
    let mut consequences = vec![format!("deletes its {descendants} sub{}s", tree.noun)];
    if tree.table == TreeTable::Categories {
        let hobbies = hp_db::maintenance::count_referring(
            &mut state.app.db.conn().await?,
            "hobby_category_links",
            "category_id",
            id,
        )
        .await?;
        consequences.push(format!(
            "takes the category off its {hobbies} hobbies (and its subcategories off theirs); the hobbies stay"
        ));
    }
    let what = format!("the {} {}", tree.noun, row.name_fi.clone().unwrap_or_default());
    render(&admin, &ConfirmPage::new(&admin, &what, &format!("{}{id}/", tree.base), consequences))
}

pub async fn delete(
    State(state): State<AppState>,
    Extension(tree): Extension<Tree>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    writes::delete(&state.app, admin.superuser, tree.table, id).await?;
    Ok(see_other(tree.base))
}
