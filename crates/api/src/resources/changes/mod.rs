//! `/api/v1/changes/`: the change feed, in the style of OpenActive's RPDE. Items are in the
//! order of their change number; each is the object as `/api/v1/` shows it to anonymous
//! callers, or its tombstone. `next` is built from the last item of the page, so a
//! consumer that follows it misses nothing committed later (see `hp_db::changes`).

use super::categories::output::{category, NameLanguage};
use super::writing::WriteResource;
use super::{events, hobbies, locations, organizers, promotions, RenderContext};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::json;
use crate::openapi::operations::{param, repeated, Kind, Param};
use crate::origin::RequestOrigin;
use crate::params::QueryParams;
use crate::state::AppState;
use crate::version::ApiVersion;
use axum::extract::State;
use axum::response::Response;
use hp_app::changes::{KINDS, MAX_PAGE};
use hp_app::Actor;
use hp_db::category_tree::CategoryTree;
use hp_db::changes::ChangeRow;
use hp_domain::messages;
use serde::Serialize;
use serde_json::value::RawValue;

pub(crate) const CHANGE_PARAMS: &[Param] = &[
    param(
        "since",
        Kind::Integer,
        "The change number after which to start: the `change` of the last item seen (0, the default, is the start).",
    ),
    repeated(
        "kind",
        Kind::Text,
        "Only these kinds: `hobby`, `event`, `promotion`, `organizer`, `location`, `category`.",
    ),
    param("limit", Kind::Integer, "Items per page, 1–500 (default 100)."),
];

const DEFAULT_LIMIT: u64 = 100;

/// One page of the feed.
#[derive(Serialize)]
pub struct ChangePage {
    /// The license of the data.
    pub license: String,
    /// The next page: this page's last change number as `since`; the same URL when the page
    /// is empty (poll it).
    pub next: String,
    pub items: Vec<ChangeItem>,
}

#[derive(Serialize)]
pub struct ChangeItem {
    /// The change number: increasing along the feed.
    pub change: i64,
    pub kind: String,
    pub id: i64,
    /// `updated` (with `data`) or `deleted`.
    pub state: &'static str,
    /// When the change was written.
    pub modified: chrono::DateTime<chrono::Utc>,
    /// The object as `/api/v1/` shows it; absent for deleted objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Box<RawValue>>,
}

struct FeedQuery {
    since: i64,
    kinds: Vec<&'static str>,
    limit: u64,
}

fn feed_query(params: &QueryParams) -> Result<FeedQuery, ApiError> {
    let number = |name: &str| -> Result<Option<i64>, ApiError> {
        match params.given(name) {
            None => Ok(None),
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if n >= 0 => Ok(Some(n)),
                _ => Err(ApiError::field(name, messages::INVALID_INTEGER)),
            },
        }
    };
    let since = number("since")?.unwrap_or(0);
    let limit = number("limit")?.map_or(DEFAULT_LIMIT, |n| n as u64);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::field("limit", format!("Anna arvo väliltä 1–{MAX_PAGE}.")));
    }
    let mut kinds = Vec::new();
    for asked in params.all("kind").into_iter().flat_map(|v| v.split(',')).filter(|v| !v.is_empty()) {
        match KINDS.iter().find(|k| **k == asked) {
            Some(kind) if !kinds.contains(kind) => kinds.push(*kind),
            Some(_) => {}
            None => {
                return Err(ApiError::field(
                    "kind",
                    format!("Tuntematon laji: {}.", asked.chars().take(40).collect::<String>()),
                ))
            }
        }
    }
    Ok(FeedQuery { since, kinds, limit })
}

/// `GET /api/v1/changes/`.
pub async fn feed(
    State(state): State<AppState>,
    origin: RequestOrigin,
    params: QueryParams,
) -> Result<Response, ApiError> {
    let query = feed_query(&params)?;
    let rows = hp_app::changes::after(&state.app, query.since, &query.kinds, query.limit).await?;
    // The feed is the same for everyone: objects as anonymous callers see them.
    let anonymous = Caller(Actor::Anonymous);
    let plain = QueryParams::default();
    let ctx =
        RenderContext { state: &state, version: ApiVersion::V1, caller: &anonymous, origin: &origin, params: &plain };
    // The category tree is read once per page, not per category item.
    let tree = match rows.iter().any(|row| row.kind == "category") {
        true => Some(hp_app::categories::tree(&state.app).await?),
        false => None,
    };
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(item(&ctx, tree.as_deref(), row).await?);
    }
    let last = rows.last().map_or(query.since, |row| row.change_no);
    let mut next = format!("/api/v1/changes/?since={last}&limit={}", query.limit);
    for kind in &query.kinds {
        next.push_str("&kind=");
        next.push_str(kind);
    }
    Ok(json::ok(&ChangePage { license: state.config.feed_license.clone(), next: origin.url(&next), items }))
}

async fn item(ctx: &RenderContext<'_>, tree: Option<&CategoryTree>, row: &ChangeRow) -> Result<ChangeItem, ApiError> {
    let data = if row.deleted { None } else { current(ctx, tree, &row.kind, row.object_id).await? };
    Ok(ChangeItem {
        change: row.change_no,
        kind: row.kind.clone(),
        id: row.object_id,
        // Deleted after its change was numbered: its tombstone follows later in the feed.
        state: if data.is_some() { "updated" } else { "deleted" },
        modified: row.changed_at,
        data,
    })
}

/// The object as it is now; `None` when it is gone.
async fn current(
    ctx: &RenderContext<'_>,
    tree: Option<&CategoryTree>,
    kind: &str,
    id: i64,
) -> Result<Option<Box<RawValue>>, ApiError> {
    let rendered = match kind {
        "hobby" => hobbies::Hobbies::render(ctx, id).await,
        "event" => events::HobbyEvents::render(ctx, id).await,
        "promotion" => promotions::Promotions::render(ctx, id).await,
        "organizer" => organizers::Organizers::render(ctx, id).await,
        "location" => locations::Locations::render(ctx, id).await,
        "category" => {
            return match tree.and_then(|tree| tree.get(id)) {
                Some(row) => Ok(Some(super::to_raw_json(vec![category(row, NameLanguage::Default, None)], false)?)),
                None => Ok(None),
            };
        }
        _ => return Ok(None),
    };
    match rendered {
        Ok(json) => Ok(Some(json)),
        Err(ApiError::NotFound) => Ok(None),
        Err(error) => Err(error),
    }
}
