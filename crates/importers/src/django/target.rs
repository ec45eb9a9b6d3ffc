//! Writing the snapshot into this service's tables, ids kept, with the values this service
//! derives (search texts, unit vectors, weekdays, tree layout, next events) computed as its
//! own writes compute them.

use super::media::Renames;
use super::source::{Event, Snapshot, TreeNode};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use hp_db::categories;
use hp_db::restore::{insert_rows, set_column};
use hp_db::schema::{
    ApiTokens, Benefits, Hobbies, HobbyCategoryLinks, HobbyEvents, Locations, Municipalities, MunicipalityModerators,
    Organizers, Promotions, TreeColumns, TreeTable, Users,
};
use hp_db::{next_event, DbError, Tx};
use hp_domain::geo::Point;
use hp_domain::search::searchable_text;
use sea_query::SimpleExpr;

/// Writes every table; returns how many hobbies had their next event recomputed (all).
pub async fn write(
    tx: &mut Tx,
    snapshot: &Snapshot,
    renames: &Renames,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let image = |name: &Option<String>| -> SimpleExpr {
        name.as_ref().map(|n| renames.get(n).cloned().unwrap_or_else(|| n.clone())).into()
    };
    let users = snapshot.users.iter().map(|u| {
        vec![
            u.id.into(),
            u.username.clone().into(),
            u.password.clone().into(),
            u.first_name.clone().into(),
            u.last_name.clone().into(),
            u.email.clone().into(),
            u.is_active.into(),
            u.is_staff.into(),
            u.is_superuser.into(),
            u.last_login.into(),
            u.date_joined.into(),
        ]
    });
    insert_rows(
        tx,
        Users::Table,
        &[
            Users::Id,
            Users::Username,
            Users::PasswordHash,
            Users::FirstName,
            Users::LastName,
            Users::Email,
            Users::IsActive,
            Users::IsStaff,
            Users::IsSuperuser,
            Users::LastLogin,
            Users::DateJoined,
        ],
        users,
    )
    .await?;

    // Only the digest of a key is stored; the old key keeps working because requests are
    // looked up by the digest of the key they present.
    let tokens = snapshot.tokens.iter().map(|t| {
        vec![
            t.user_id.into(),
            hp_domain::tokens::digest(&t.key).into(),
            hp_domain::tokens::prefix(&t.key).into(),
            t.created.into(),
        ]
    });
    insert_rows(
        tx,
        ApiTokens::Table,
        &[ApiTokens::UserId, ApiTokens::KeyDigest, ApiTokens::KeyPrefix, ApiTokens::CreatedAt],
        tokens,
    )
    .await?;

    let municipalities = snapshot
        .municipalities
        .iter()
        .map(|m| vec![m.id.into(), m.name.clone().into(), m.created_at.into(), m.updated_at.into()]);
    insert_rows(
        tx,
        Municipalities::Table,
        &[Municipalities::Id, Municipalities::Name, Municipalities::CreatedAt, Municipalities::UpdatedAt],
        municipalities,
    )
    .await?;
    let moderators = snapshot.moderators.iter().map(|m| vec![m.municipality_id.into(), m.user_id.into()]);
    insert_rows(
        tx,
        MunicipalityModerators::Table,
        &[MunicipalityModerators::MunicipalityId, MunicipalityModerators::UserId],
        moderators,
    )
    .await?;

    write_tree(tx, TreeTable::Categories, &snapshot.categories, &image, now).await?;
    write_tree(tx, TreeTable::Audiences, &snapshot.audiences, &image, now).await?;

    let organizers = snapshot.organizers.iter().map(|o| {
        vec![
            o.id.into(),
            o.name.clone().into(),
            o.municipality_id.into(),
            o.created_by_id.into(),
            o.data_source.clone().into(),
            o.origin_id.clone().into(),
            o.created_at.into(),
            o.updated_at.into(),
        ]
    });
    insert_rows(
        tx,
        Organizers::Table,
        &[
            Organizers::Id,
            Organizers::Name,
            Organizers::MunicipalityId,
            Organizers::CreatedById,
            Organizers::DataSource,
            Organizers::OriginId,
            Organizers::CreatedAt,
            Organizers::UpdatedAt,
        ],
        organizers,
    )
    .await?;

    let locations = snapshot.locations.iter().map(|l| {
        let point = l.lat.zip(l.lon).map(|(lat, lon)| Point::new(lon, lat));
        let unit = point.map(|p| p.unit_vector());
        vec![
            l.id.into(),
            l.name.clone().into(),
            l.address.clone().into(),
            l.zip_code.clone().into(),
            l.city.clone().into(),
            point.map(|p| p.lat).into(),
            point.map(|p| p.lon).into(),
            unit.map(|u| u.x).into(),
            unit.map(|u| u.y).into(),
            unit.map(|u| u.z).into(),
            l.municipality_id.into(),
            l.created_by_id.into(),
            l.data_source.clone().into(),
            l.origin_id.clone().into(),
            l.created_at.into(),
            l.updated_at.into(),
        ]
    });
    insert_rows(
        tx,
        Locations::Table,
        &[
            Locations::Id,
            Locations::Name,
            Locations::Address,
            Locations::ZipCode,
            Locations::City,
            Locations::Lat,
            Locations::Lon,
            Locations::UnitX,
            Locations::UnitY,
            Locations::UnitZ,
            Locations::MunicipalityId,
            Locations::CreatedById,
            Locations::DataSource,
            Locations::OriginId,
            Locations::CreatedAt,
            Locations::UpdatedAt,
        ],
        locations,
    )
    .await?;

    let hobbies = snapshot.hobbies.iter().map(|h| {
        vec![
            h.id.into(),
            h.name.clone().into(),
            h.description.clone().into(),
            h.location_id.into(),
            h.organizer_id.into(),
            h.municipality_id.into(),
            image(&h.cover_image),
            h.cover_image_modified_at.into(),
            h.created_by_id.into(),
            h.price_type.clone().into(),
            h.price_cents.into(),
            searchable_text([h.name.as_str(), h.description.as_str()]).into(),
            h.data_source.clone().into(),
            h.origin_id.clone().into(),
            h.created_at.into(),
            h.updated_at.into(),
        ]
    });
    insert_rows(
        tx,
        Hobbies::Table,
        &[
            Hobbies::Id,
            Hobbies::Name,
            Hobbies::Description,
            Hobbies::LocationId,
            Hobbies::OrganizerId,
            Hobbies::MunicipalityId,
            Hobbies::CoverImage,
            Hobbies::CoverImageModifiedAt,
            Hobbies::CreatedById,
            Hobbies::PriceType,
            Hobbies::PriceCents,
            Hobbies::SearchText,
            Hobbies::DataSource,
            Hobbies::OriginId,
            Hobbies::CreatedAt,
            Hobbies::UpdatedAt,
        ],
        hobbies,
    )
    .await?;
    let links = snapshot.hobby_categories.iter().map(|l| vec![l.hobby_id.into(), l.category_id.into()]);
    insert_rows(tx, HobbyCategoryLinks::Table, &[HobbyCategoryLinks::HobbyId, HobbyCategoryLinks::CategoryId], links)
        .await?;

    write_events(tx, &snapshot.events).await?;

    let promotions = snapshot.promotions.iter().map(|p| {
        vec![
            p.id.into(),
            p.name.clone().into(),
            p.description.clone().into(),
            p.start_date.into(),
            p.start_time.into(),
            p.end_date.into(),
            p.end_time.into(),
            image(&p.cover_image),
            p.municipality_id.into(),
            p.organizer_id.into(),
            p.location_id.into(),
            p.available_count.into(),
            p.used_count.into(),
            p.created_by_id.into(),
            searchable_text([p.name.as_str(), p.description.as_str()]).into(),
            p.created_at.into(),
            p.updated_at.into(),
        ]
    });
    insert_rows(
        tx,
        Promotions::Table,
        &[
            Promotions::Id,
            Promotions::Name,
            Promotions::Description,
            Promotions::StartDate,
            Promotions::StartTime,
            Promotions::EndDate,
            Promotions::EndTime,
            Promotions::CoverImage,
            Promotions::MunicipalityId,
            Promotions::OrganizerId,
            Promotions::LocationId,
            Promotions::AvailableCount,
            Promotions::UsedCount,
            Promotions::CreatedById,
            Promotions::SearchText,
            Promotions::CreatedAt,
            Promotions::UpdatedAt,
        ],
        promotions,
    )
    .await?;
    let benefits = snapshot
        .benefits
        .iter()
        .map(|b| vec![b.id.into(), b.promotion_id.into(), b.created_at.into(), b.updated_at.into()]);
    insert_rows(
        tx,
        Benefits::Table,
        &[Benefits::Id, Benefits::PromotionId, Benefits::CreatedAt, Benefits::UpdatedAt],
        benefits,
    )
    .await?;

    next_event::rebuild_all(tx, today).await
}

/// A tree in the source's tree order (parents first); the layout columns are computed
/// afterwards, as every change of a tree does.
async fn write_tree(
    tx: &mut Tx,
    table: TreeTable,
    nodes: &[TreeNode],
    image: &(impl Fn(&Option<String>) -> SimpleExpr + Sync),
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use TreeColumns as C;
    let mut columns = vec![C::Id, C::Name, C::NameFi, C::NameEn, C::NameSv, C::ParentId, C::DataSource, C::OriginId];
    if table == TreeTable::Categories {
        columns.extend([C::CoverImage, C::SearchText, C::CreatedAt, C::UpdatedAt]);
    }
    let rows = parents_first(nodes).into_iter().map(|n| {
        // The service keeps `name` equal to the Finnish name (siblings are ordered by it);
        // the original's translation library fell back to `name` where `name_fi` is empty.
        let name_fi = n.name_fi.clone().filter(|fi| !fi.is_empty()).or_else(|| Some(n.name.clone()));
        let mut row: Vec<SimpleExpr> = vec![
            n.id.into(),
            name_fi.clone().unwrap_or_default().into(),
            name_fi.clone().into(),
            n.name_en.clone().into(),
            n.name_sv.clone().into(),
            n.parent_id.into(),
            n.data_source.clone().into(),
            n.origin_id.clone().into(),
        ];
        if table == TreeTable::Categories {
            row.extend([
                image(&n.cover_image),
                categories::search_text(&name_fi, &n.name_en, &n.name_sv).into(),
                n.created_at.unwrap_or(now).into(),
                n.updated_at.unwrap_or(now).into(),
            ]);
        }
        row
    });
    insert_rows(tx, table, &columns, rows).await?;
    categories::relayout(tx, table).await
}

/// The nodes with every parent before its children, whatever the source's tree columns
/// say (a corrupt nested set must not fail a foreign key half-way).
fn parents_first(nodes: &[TreeNode]) -> Vec<&TreeNode> {
    let ids: std::collections::HashSet<i64> = nodes.iter().map(|n| n.id).collect();
    let mut placed = std::collections::HashSet::new();
    let mut ordered = Vec::with_capacity(nodes.len());
    let mut pending: Vec<&TreeNode> = nodes.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|n| {
            let ready = n.parent_id.is_none_or(|p| placed.contains(&p) || !ids.contains(&p) || p == n.id);
            if ready {
                placed.insert(n.id);
                ordered.push(*n);
            }
            !ready
        });
        if pending.len() == before {
            // A cycle: the source's foreign keys cannot hold one, so keep the rest as they are.
            ordered.append(&mut pending);
        }
    }
    ordered
}

/// Events in id order. A recurrence link to an event inserted earlier goes in with the row;
/// one to a later event is set once that event exists.
async fn write_events(tx: &mut Tx, events: &[Event]) -> Result<(), DbError> {
    let mut forward_links = Vec::new();
    let rows = events.iter().map(|e| {
        let start = e.recurrence_start_event_id.filter(|start| *start <= e.id);
        if let Some(later) = e.recurrence_start_event_id.filter(|start| *start > e.id) {
            forward_links.push((e.id, later));
        }
        vec![
            e.id.into(),
            e.hobby_id.into(),
            e.start_date.into(),
            e.start_time.into(),
            e.end_date.into(),
            e.end_time.into(),
            i64::from(e.start_date.weekday().number_from_monday()).into(),
            start.into(),
            e.data_source.clone().into(),
            e.origin_id.clone().into(),
            e.created_at.into(),
            e.updated_at.into(),
        ]
    });
    insert_rows(
        tx,
        HobbyEvents::Table,
        &[
            HobbyEvents::Id,
            HobbyEvents::HobbyId,
            HobbyEvents::StartDate,
            HobbyEvents::StartTime,
            HobbyEvents::EndDate,
            HobbyEvents::EndTime,
            HobbyEvents::StartWeekday,
            HobbyEvents::RecurrenceStartEventId,
            HobbyEvents::DataSource,
            HobbyEvents::OriginId,
            HobbyEvents::CreatedAt,
            HobbyEvents::UpdatedAt,
        ],
        rows,
    )
    .await?;
    for (event, start) in forward_links {
        set_column(tx, HobbyEvents::Table, (HobbyEvents::Id, event), HobbyEvents::RecurrenceStartEventId, start.into())
            .await?;
    }
    Ok(())
}
