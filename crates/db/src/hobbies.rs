//! Hobbies: the list with its filters and orderings, single hobbies, and their writes.

use crate::conditions::{editable_by, hobby_in_categories, PointColumns};
use crate::exec::Executes;
use crate::locations::LocationRow;
use crate::organizers::OrganizerRow;
use crate::partial_update::{set_searchable_texts, SearchableColumns, SetNamed};
use crate::query::{CategorySubtrees, EditScope, OrderKey, Ordering, Page};
use crate::schema::{Hobbies as H, HobbyCategoryLinks, Locations, Municipalities, Organizers};
use crate::DbError;
use chrono::{DateTime, Utc};
use hp_domain::price::PriceType;
use hp_domain::search::searchable_text;
use sea_query::{Cond, Expr, Func, Order, Query, SelectStatement, SimpleExpr};

/// A hobby as the API shows it, its category ids included (`category_ids_of_hobby`).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct HobbyRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub location_id: Option<i64>,
    pub organizer_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub municipality_name: Option<String>,
    pub cover_image: Option<String>,
    pub created_by_id: Option<i64>,
    pub price_type: String,
    pub price_cents: i64,
    pub data_source: String,
    pub origin_id: String,
    /// The hobby's category ids, comma-separated, in no particular order.
    pub category_ids: Option<String>,
}

impl HobbyRow {
    /// The category ids (order them with `CategoryTree::in_tree_order`).
    pub fn category_ids(&self) -> Vec<i64> {
        self.category_ids.as_deref().unwrap_or("").split(',').filter_map(|id| id.trim().parse().ok()).collect()
    }

    pub fn price_type(&self) -> PriceType {
        PriceType::parse(&self.price_type).unwrap_or(PriceType::Free)
    }

    pub fn ownership(&self) -> hp_domain::permissions::Ownership {
        hp_domain::permissions::Ownership { created_by: self.created_by_id, municipality: self.municipality_id }
    }
}

/// Filters of the hobby list (api.md 4.1); all of them intersect.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HobbyFilter {
    pub categories: Option<CategorySubtrees>,
    pub price_type: Option<PriceType>,
    pub editable: Option<EditScope>,
    pub ordering: Ordering,
}

/// The hobby's category ids as one text column (`string_agg` exists on both backends), so
/// that a page of hobbies needs no second query for its categories.
fn category_ids_of_hobby() -> SimpleExpr {
    SimpleExpr::SubQuery(
        None,
        Box::new(
            Query::select()
                .expr(
                    Func::cust(sea_query::Alias::new("string_agg")).args([
                        Expr::col((HobbyCategoryLinks::Table, HobbyCategoryLinks::CategoryId))
                            .cast_as(sea_query::Alias::new("TEXT")),
                        Expr::val(",").into(),
                    ]),
                )
                .from(HobbyCategoryLinks::Table)
                .and_where(
                    Expr::col((HobbyCategoryLinks::Table, HobbyCategoryLinks::HobbyId)).equals((H::Table, H::Id)),
                )
                .to_owned()
                .into_sub_query_statement(),
        ),
    )
}

pub(crate) fn select_hobby_columns(q: &mut SelectStatement) {
    q.columns([
        (H::Table, H::Id),
        (H::Table, H::Name),
        (H::Table, H::Description),
        (H::Table, H::LocationId),
        (H::Table, H::OrganizerId),
        (H::Table, H::MunicipalityId),
        (H::Table, H::CoverImage),
        (H::Table, H::CreatedById),
        (H::Table, H::PriceType),
        (H::Table, H::PriceCents),
        (H::Table, H::DataSource),
        (H::Table, H::OriginId),
    ])
    .expr_as(Expr::col((Municipalities::Table, Municipalities::Name)), sea_query::Alias::new("municipality_name"))
    .expr_as(category_ids_of_hobby(), sea_query::Alias::new("category_ids"))
    .left_join(
        Municipalities::Table,
        Expr::col((Municipalities::Table, Municipalities::Id)).equals((H::Table, H::MunicipalityId)),
    );
}

fn filtered(filter: &HobbyFilter) -> SelectStatement {
    let mut q = Query::select();
    q.from(H::Table);
    let mut cond = Cond::all();
    if let Some(subtrees) = &filter.categories {
        cond = cond.add(hobby_in_categories((H::Table, H::Id), subtrees));
    }
    if let Some(price_type) = filter.price_type {
        cond = cond.add(Expr::col((H::Table, H::PriceType)).eq(price_type.as_str()));
    }
    if let Some(editable) =
        filter.editable.and_then(|s| editable_by(s, (H::Table, H::CreatedById), (H::Table, H::MunicipalityId)))
    {
        cond = cond.add(editable);
    }
    if let Some(proximity) = &filter.ordering.proximity {
        q.left_join(Locations::Table, Expr::col((Locations::Table, Locations::Id)).equals((H::Table, H::LocationId)));
        if let Some(limit) = PointColumns::of(Locations::Table).within_limit(proximity) {
            cond = cond.add(limit);
        }
    }
    q.cond_where(cond);
    q
}

fn ordered(filter: &HobbyFilter) -> SelectStatement {
    let mut q = filtered(filter);
    select_hobby_columns(&mut q);
    for key in &filter.ordering.keys {
        if let (OrderKey::Distance { descending }, Some(p)) = (key, &filter.ordering.proximity) {
            PointColumns::of(Locations::Table).order_by_distance(&mut q, p.origin, *descending);
        }
    }
    q.order_by((H::Table, H::Id), Order::Asc);
    q
}

/// The whole list (no paging).
pub async fn list(ex: &mut impl Executes, filter: &HobbyFilter) -> Result<Vec<HobbyRow>, DbError> {
    ex.fetch_all(&ordered(filter)).await
}

/// One page of the list and the length of the whole list. (Counted apart: in id order the
/// page is read from the primary key without evaluating every row.)
pub async fn page(ex: &mut impl Executes, filter: &HobbyFilter, page: Page) -> Result<(Vec<HobbyRow>, u64), DbError> {
    let total = count(ex, filter).await? as u64;
    if total <= page.offset {
        return Ok((Vec::new(), total));
    }
    let q = ordered(filter).limit(page.limit).offset(page.offset).to_owned();
    Ok((ex.fetch_all(&q).await?, total))
}

pub async fn count(ex: &mut impl Executes, filter: &HobbyFilter) -> Result<i64, DbError> {
    let mut q = filtered(filter);
    q.expr(Expr::col((H::Table, H::Id)).count());
    ex.fetch_scalar(&q).await
}

pub async fn get(ex: &mut impl Executes, id: i64) -> Result<Option<HobbyRow>, DbError> {
    let mut q = Query::select();
    q.from(H::Table).and_where(Expr::col((H::Table, H::Id)).eq(id));
    select_hobby_columns(&mut q);
    ex.fetch_optional(&q).await
}

/// The hobbies with these ids, in id order.
pub async fn get_many(ex: &mut impl Executes, ids: &[i64]) -> Result<Vec<HobbyRow>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::select();
    q.from(H::Table)
        .and_where(Expr::col((H::Table, H::Id)).is_in(ids.to_vec()))
        .order_by((H::Table, H::Id), Order::Asc);
    select_hobby_columns(&mut q);
    ex.fetch_all(&q).await
}

/// A hobby with its location and organizer, read in one query.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct HobbyWithPlaceRow {
    #[sqlx(flatten)]
    pub hobby: HobbyRow,
    location_name: Option<String>,
    location_address: Option<String>,
    location_zip_code: Option<String>,
    location_city: Option<String>,
    location_lat: Option<f64>,
    location_lon: Option<f64>,
    location_municipality_id: Option<i64>,
    location_created_by_id: Option<i64>,
    organizer_name: Option<String>,
    organizer_municipality_id: Option<i64>,
    organizer_created_by_id: Option<i64>,
}

impl HobbyWithPlaceRow {
    pub fn location(&self) -> Option<LocationRow> {
        Some(LocationRow {
            id: self.hobby.location_id?,
            name: self.location_name.clone()?,
            address: self.location_address.clone().unwrap_or_default(),
            zip_code: self.location_zip_code.clone().unwrap_or_default(),
            city: self.location_city.clone().unwrap_or_default(),
            lat: self.location_lat,
            lon: self.location_lon,
            municipality_id: self.location_municipality_id,
            created_by_id: self.location_created_by_id,
            data_source: String::new(),
            origin_id: String::new(),
        })
    }

    pub fn organizer(&self) -> Option<OrganizerRow> {
        Some(OrganizerRow {
            id: self.hobby.organizer_id?,
            name: self.organizer_name.clone()?,
            municipality_id: self.organizer_municipality_id,
            created_by_id: self.organizer_created_by_id,
            data_source: String::new(),
            origin_id: String::new(),
        })
    }
}

/// The hobbies with these ids with their locations and organizers, in id order.
pub async fn get_many_with_places(ex: &mut impl Executes, ids: &[i64]) -> Result<Vec<HobbyWithPlaceRow>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::select();
    q.from(H::Table)
        .and_where(Expr::col((H::Table, H::Id)).is_in(ids.to_vec()))
        .order_by((H::Table, H::Id), Order::Asc);
    select_hobby_columns(&mut q);
    let alias = |name: &str| sea_query::Alias::new(name);
    for (column, name) in [
        (Locations::Name, "location_name"),
        (Locations::Address, "location_address"),
        (Locations::ZipCode, "location_zip_code"),
        (Locations::City, "location_city"),
        (Locations::Lat, "location_lat"),
        (Locations::Lon, "location_lon"),
        (Locations::MunicipalityId, "location_municipality_id"),
        (Locations::CreatedById, "location_created_by_id"),
    ] {
        q.expr_as(Expr::col((Locations::Table, column)), alias(name));
    }
    for (column, name) in [
        (Organizers::Name, "organizer_name"),
        (Organizers::MunicipalityId, "organizer_municipality_id"),
        (Organizers::CreatedById, "organizer_created_by_id"),
    ] {
        q.expr_as(Expr::col((Organizers::Table, column)), alias(name));
    }
    q.left_join(Locations::Table, Expr::col((Locations::Table, Locations::Id)).equals((H::Table, H::LocationId)))
        .left_join(
            Organizers::Table,
            Expr::col((Organizers::Table, Organizers::Id)).equals((H::Table, H::OrganizerId)),
        );
    ex.fetch_all(&q).await
}

pub async fn exists(ex: &mut impl Executes, id: i64) -> Result<bool, DbError> {
    let q = Query::select().expr(Expr::col(H::Id).count()).from(H::Table).and_where(Expr::col(H::Id).eq(id)).to_owned();
    Ok(ex.fetch_scalar::<i64>(&q).await? > 0)
}

/// The stored fields of a hobby.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HobbyFields {
    pub name: String,
    pub description: String,
    pub location_id: Option<i64>,
    pub organizer_id: Option<i64>,
    pub price_type: PriceType,
    pub price_cents: i64,
    pub cover_image: Option<String>,
    pub data_source: String,
    pub origin_id: String,
}

/// Who created a hobby and where it belongs; fixed at creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provenance {
    pub created_by: Option<i64>,
    pub municipality: Option<i64>,
}

fn search_text(fields: &HobbyFields) -> String {
    searchable_text([fields.name.as_str(), fields.description.as_str()])
}

const INSERT_COLUMNS: [H; 15] = [
    H::Name,
    H::Description,
    H::LocationId,
    H::OrganizerId,
    H::MunicipalityId,
    H::CoverImage,
    H::CoverImageModifiedAt,
    H::CreatedById,
    H::PriceType,
    H::PriceCents,
    H::SearchText,
    H::DataSource,
    H::OriginId,
    H::CreatedAt,
    H::UpdatedAt,
];

fn insert_values(fields: &HobbyFields, provenance: Provenance, now: DateTime<Utc>) -> Vec<sea_query::SimpleExpr> {
    vec![
        fields.name.clone().into(),
        fields.description.clone().into(),
        fields.location_id.into(),
        fields.organizer_id.into(),
        provenance.municipality.into(),
        fields.cover_image.clone().into(),
        now.into(),
        provenance.created_by.into(),
        fields.price_type.as_str().into(),
        fields.price_cents.into(),
        search_text(fields).into(),
        fields.data_source.clone().into(),
        fields.origin_id.clone().into(),
        now.into(),
        now.into(),
    ]
}

pub async fn insert(
    ex: &mut impl Executes,
    fields: &HobbyFields,
    provenance: Provenance,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let q = Query::insert()
        .into_table(H::Table)
        .columns(INSERT_COLUMNS)
        .values_panic(insert_values(fields, provenance, now))
        .returning_col(H::Id)
        .to_owned();
    ex.fetch_scalar(&q).await
}

/// Inserts many hobbies in one statement (bulk loads); returns their ids in order.
pub async fn insert_many(
    ex: &mut impl Executes,
    rows: &[(HobbyFields, Provenance)],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, DbError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::insert();
    q.into_table(H::Table).columns(INSERT_COLUMNS).returning_col(H::Id);
    for (fields, provenance) in rows {
        q.values_panic(insert_values(fields, *provenance, now));
    }
    let mut ids: Vec<i64> = ex.fetch_column(&q).await?;
    ids.sort_unstable();
    Ok(ids)
}

pub async fn update(ex: &mut impl Executes, id: i64, fields: &HobbyFields, now: DateTime<Utc>) -> Result<u64, DbError> {
    let q = Query::update()
        .table(H::Table)
        .value(H::Name, fields.name.clone())
        .value(H::Description, fields.description.clone())
        .value(H::LocationId, fields.location_id)
        .value(H::OrganizerId, fields.organizer_id)
        .value(H::CoverImage, fields.cover_image.clone())
        .value(H::PriceType, fields.price_type.as_str())
        .value(H::PriceCents, fields.price_cents)
        .value(H::SearchText, search_text(fields))
        .value(H::DataSource, fields.data_source.clone())
        .value(H::OriginId, fields.origin_id.clone())
        .value(H::UpdatedAt, now)
        .and_where(Expr::col(H::Id).eq(id))
        .to_owned();
    ex.execute(&q).await
}

/// What an edit changes; `None` leaves the stored value, so that edits of different fields
/// never undo each other.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HobbyChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub location_id: Option<Option<i64>>,
    pub organizer_id: Option<Option<i64>>,
    pub price_type: Option<PriceType>,
    pub price_cents: Option<i64>,
    pub cover_image: Option<Option<String>>,
}

/// Locks the hobby for an edit in this transaction ([`crate::locks`]); whether it exists.
pub async fn lock(ex: &mut impl Executes, id: i64) -> Result<bool, DbError> {
    crate::locks::lock_row(ex, H::Table, H::Id, id).await
}

/// Applies an edit to `current`, the hobby as read after [`lock`] in this transaction (its
/// search text is built from the new and the stored texts).
pub async fn apply(
    ex: &mut impl Executes,
    current: &HobbyRow,
    changes: &HobbyChanges,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let mut q = Query::update();
    q.table(H::Table).value(H::UpdatedAt, now).and_where(Expr::col(H::Id).eq(current.id));
    let columns = SearchableColumns { name: H::Name, description: H::Description, search_text: H::SearchText };
    let named = [&changes.name, &changes.description];
    set_searchable_texts(&mut q, columns, named, [&current.name, &current.description]);
    q.set_named(H::LocationId, changes.location_id)
        .set_named(H::OrganizerId, changes.organizer_id)
        .set_named(H::PriceType, changes.price_type.map(|price_type| price_type.as_str()))
        .set_named(H::PriceCents, changes.price_cents);
    if let Some(image) = &changes.cover_image {
        q.value(H::CoverImage, image.clone()).value(H::CoverImageModifiedAt, now);
    }
    ex.execute(&q).await
}

pub async fn delete(ex: &mut impl Executes, id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(H::Table).and_where(Expr::col(H::Id).eq(id)).to_owned();
    ex.execute(&q).await
}

/// Replaces the hobby's categories.
pub async fn set_categories(ex: &mut impl Executes, hobby_id: i64, category_ids: &[i64]) -> Result<(), DbError> {
    let delete = Query::delete()
        .from_table(HobbyCategoryLinks::Table)
        .and_where(Expr::col(HobbyCategoryLinks::HobbyId).eq(hobby_id))
        .to_owned();
    ex.execute(&delete).await?;
    add_category_links(ex, &category_ids.iter().map(|c| (hobby_id, *c)).collect::<Vec<_>>()).await
}

/// Adds (hobby, category) links in one statement; duplicates are skipped.
pub async fn add_category_links(ex: &mut impl Executes, links: &[(i64, i64)]) -> Result<(), DbError> {
    let mut unique = links.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if unique.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert.into_table(HobbyCategoryLinks::Table).columns([HobbyCategoryLinks::HobbyId, HobbyCategoryLinks::CategoryId]);
    for (hobby, category) in unique {
        insert.values_panic([hobby.into(), category.into()]);
    }
    insert.on_conflict(
        sea_query::OnConflict::columns([HobbyCategoryLinks::HobbyId, HobbyCategoryLinks::CategoryId])
            .do_nothing()
            .to_owned(),
    );
    ex.execute(&insert).await?;
    Ok(())
}
