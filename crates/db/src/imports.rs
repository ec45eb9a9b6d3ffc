//! Lookups the importers need: rows by (data_source, origin_id), every origin of a source
//! (to find what disappeared upstream), categories by their ontology identifiers or Finnish
//! names, and bulk deletion of what disappeared.

use crate::exec::Executes;
use crate::schema::{Hobbies as H, TreeColumns as C, TreeTable};
use crate::DbError;
use sea_query::{Alias, Cond, Expr, Order, Query};

/// The imported kinds of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    Hobbies,
    Events,
    Locations,
}

impl Imported {
    fn table(self) -> Alias {
        Alias::new(match self {
            Imported::Hobbies => "hobbies",
            Imported::Events => "hobby_events",
            Imported::Locations => "locations",
        })
    }
}

// The three tables name these columns alike (`id`, `data_source`, `origin_id`).
const ID: H = H::Id;
const DATA_SOURCE: H = H::DataSource;
const ORIGIN_ID: H = H::OriginId;

/// The id of the row imported from (`source`, `origin`), if any.
pub async fn id_by_origin(
    ex: &mut impl Executes,
    kind: Imported,
    source: &str,
    origin: &str,
) -> Result<Option<i64>, DbError> {
    let q = Query::select()
        .column(ID)
        .from(kind.table())
        .and_where(Expr::col(DATA_SOURCE).eq(source))
        .and_where(Expr::col(ORIGIN_ID).eq(origin))
        .order_by(ID, Order::Asc)
        .limit(1)
        .to_owned();
    let ids: Vec<i64> = ex.fetch_column(&q).await?;
    Ok(ids.first().copied())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OriginRow {
    pub id: i64,
    pub origin_id: String,
}

/// Every row of a source with its origin id.
pub async fn origins(ex: &mut impl Executes, kind: Imported, source: &str) -> Result<Vec<OriginRow>, DbError> {
    let q = Query::select()
        .columns([ID, ORIGIN_ID])
        .from(kind.table())
        .and_where(Expr::col(DATA_SOURCE).eq(source))
        .order_by(ID, Order::Asc)
        .to_owned();
    ex.fetch_all(&q).await
}

/// Deletes rows by id (a hobby's events go with it).
pub async fn delete(ex: &mut impl Executes, kind: Imported, ids: &[i64]) -> Result<u64, DbError> {
    let mut deleted = 0;
    for chunk in ids.chunks(1000) {
        let q = Query::delete().from_table(kind.table()).and_where(Expr::col(ID).is_in(chunk.to_vec())).to_owned();
        deleted += ex.execute(&q).await?;
    }
    Ok(deleted)
}

/// Ids of the nodes whose (data_source, origin_id) is one of `keys`.
pub async fn tree_ids_by_origins(
    ex: &mut impl Executes,
    table: TreeTable,
    keys: &[(String, String)],
) -> Result<Vec<i64>, DbError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut any = Cond::any();
    for (source, origin) in keys {
        any = any.add(
            Cond::all()
                .add(Expr::col(C::DataSource).eq(source.as_str()))
                .add(Expr::col(C::OriginId).eq(origin.as_str())),
        );
    }
    let q = Query::select().column(C::Id).from(table).cond_where(any).order_by(C::Id, Order::Asc).to_owned();
    ex.fetch_column(&q).await
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TreeKey {
    pub id: i64,
    pub data_source: String,
    pub origin_id: String,
}

/// Nodes with any of these Finnish names, with their keys.
pub async fn tree_nodes_named(
    ex: &mut impl Executes,
    table: TreeTable,
    names_fi: &[&str],
) -> Result<Vec<TreeKey>, DbError> {
    let q = Query::select()
        .columns([C::Id, C::DataSource, C::OriginId])
        .from(table)
        .and_where(Expr::col(C::NameFi).is_in(names_fi.iter().map(|n| n.to_string())))
        .order_by(C::Id, Order::Asc)
        .to_owned();
    ex.fetch_all(&q).await
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct HobbyCover {
    pub cover_image: Option<String>,
    pub cover_image_modified_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A hobby's cover image and when the upstream last changed it.
pub async fn hobby_cover(ex: &mut impl Executes, hobby_id: i64) -> Result<Option<HobbyCover>, DbError> {
    let q = Query::select()
        .columns([H::CoverImage, H::CoverImageModifiedAt])
        .from(H::Table)
        .and_where(Expr::col(H::Id).eq(hobby_id))
        .to_owned();
    ex.fetch_optional(&q).await
}

/// Sets a hobby's cover image and its upstream modification time.
pub async fn set_hobby_cover(
    ex: &mut impl Executes,
    hobby_id: i64,
    name: &str,
    modified_at: chrono::DateTime<chrono::Utc>,
) -> Result<u64, DbError> {
    let q = Query::update()
        .table(H::Table)
        .value(H::CoverImage, name)
        .value(H::CoverImageModifiedAt, modified_at)
        .and_where(Expr::col(H::Id).eq(hobby_id))
        .to_owned();
    ex.execute(&q).await
}

/// Locations created by users (no data source) without coordinates, or at exactly (0, 0).
pub async fn locations_without_coordinates(
    ex: &mut impl Executes,
) -> Result<Vec<crate::locations::LocationRow>, DbError> {
    // Runs on demand over the locations only; filtering here keeps one definition of a
    // location row.
    let all = crate::locations::list(ex, None).await?;
    Ok(all
        .into_iter()
        .filter(|l| l.data_source.is_empty() && (l.point().is_none() || (l.lat == Some(0.0) && l.lon == Some(0.0))))
        .collect())
}
