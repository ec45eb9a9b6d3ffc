//! Query conditions and orderings used by several aggregates: distance, edit scope, text and
//! category matches. Each exists once, for both backends.

use crate::query::{EditScope, Proximity};
use crate::schema::{Hobbies, HobbyCategoryLinks, Locations, MunicipalityModerators};
use hp_domain::geo::{bounding_box, chord_squared_limit, Point};
use hp_domain::search::contains_pattern;
use sea_query::{Cond, Expr, ExprTrait, IntoColumnRef, LikeExpr, Order, Query, SelectStatement, SimpleExpr};

/// Squared chord between each row's location and `origin` (monotonic in great-circle
/// distance). NULL for rows without coordinates.
pub(crate) fn chord_squared(origin: Point) -> SimpleExpr {
    let v = origin.unit_vector();
    let term = |col: Locations, c: f64| {
        let diff = Expr::col((Locations::Table, col)).sub(c);
        diff.clone().mul(diff)
    };
    term(Locations::UnitX, v.x).add(term(Locations::UnitY, v.y)).add(term(Locations::UnitZ, v.z))
}

/// Rows whose location is within the limit; rows without coordinates never are.
pub(crate) fn within_distance(proximity: &Proximity) -> Option<Cond> {
    let km = proximity.max_distance_km?;
    let bbox = bounding_box(proximity.origin, km);
    let mut cond = Cond::all()
        .add(Expr::col((Locations::Table, Locations::Lat)).between(bbox.min_lat, bbox.max_lat))
        .add(chord_squared(proximity.origin).lte(chord_squared_limit(km)));
    if let Some((west, east)) = bbox.lon_range {
        cond = cond.add(Expr::col((Locations::Table, Locations::Lon)).between(west, east));
    }
    Some(cond)
}

/// Orders by distance; rows without coordinates come last ascending, first descending.
pub(crate) fn order_by_distance(query: &mut SelectStatement, origin: Point, descending: bool) {
    let order = if descending { Order::Desc } else { Order::Asc };
    query
        .order_by_expr(Expr::col((Locations::Table, Locations::UnitX)).is_null(), order.clone())
        .order_by_expr(chord_squared(origin), order);
}

/// Objects the scope may edit, given the object's `created_by_id` and `municipality_id`.
pub(crate) fn editable_by(
    scope: EditScope,
    created_by: impl IntoColumnRef,
    municipality: impl IntoColumnRef,
) -> Option<Cond> {
    match scope {
        EditScope::Everything => None,
        EditScope::User(user_id) => Some(
            Cond::any().add(Expr::col(created_by).eq(user_id)).add(
                Expr::col(municipality).in_subquery(
                    Query::select()
                        .column(MunicipalityModerators::MunicipalityId)
                        .from(MunicipalityModerators::Table)
                        .and_where(Expr::col(MunicipalityModerators::UserId).eq(user_id))
                        .to_owned(),
                ),
            ),
        ),
    }
}

/// Every term occurs in the folded `search_text` column.
pub(crate) fn all_terms_in(search_text: impl IntoColumnRef + Clone, terms: &[String]) -> Cond {
    terms.iter().fold(Cond::all(), |cond, term| {
        cond.add(Expr::col(search_text.clone()).like(LikeExpr::new(contains_pattern(term)).escape('\\')))
    })
}

/// The hobby (`hobbies.id`) has one of the categories.
pub(crate) fn hobby_in_categories(category_ids: &[i64]) -> SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(HobbyCategoryLinks::Table)
            .and_where(
                Expr::col((HobbyCategoryLinks::Table, HobbyCategoryLinks::HobbyId))
                    .equals((Hobbies::Table, Hobbies::Id)),
            )
            .and_where(
                Expr::col((HobbyCategoryLinks::Table, HobbyCategoryLinks::CategoryId)).is_in(category_ids.to_vec()),
            )
            .to_owned(),
    )
}
