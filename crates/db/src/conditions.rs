//! Query conditions and orderings used by several aggregates: distance, edit scope, text and
//! category matches. Each exists once, for both backends.

use crate::query::{CategorySubtrees, EditScope, Proximity};
use crate::schema::{HobbyCategoryLinks, Locations, MunicipalityModerators, TreeColumns, TreeTable};
use hp_domain::geo::{bounding_box, chord_squared_limit, Point};
use hp_domain::search::contains_pattern;
use sea_query::{
    Cond, DynIden, Expr, ExprTrait, IntoColumnRef, IntoIden, LikeExpr, Order, Query, SelectStatement, SimpleExpr,
};

/// A table with point columns named like `locations`' (`lat`, `lon`, `unit_x/y/z`).
#[derive(Clone)]
pub(crate) struct PointColumns(DynIden);

impl PointColumns {
    pub fn of(table: impl IntoIden) -> Self {
        Self(table.into_iden())
    }

    fn col(&self, column: Locations) -> Expr {
        Expr::col((self.0.clone(), column))
    }

    /// Squared chord between each row's point and `origin` (monotonic in great-circle
    /// distance). NULL for rows without coordinates.
    pub fn chord_squared(&self, origin: Point) -> SimpleExpr {
        let v = origin.unit_vector();
        let term = |column: Locations, c: f64| {
            let diff = self.col(column).sub(c);
            diff.clone().mul(diff)
        };
        term(Locations::UnitX, v.x).add(term(Locations::UnitY, v.y)).add(term(Locations::UnitZ, v.z))
    }

    /// Rows whose point is within `km` of `origin`; rows without coordinates never are.
    pub fn within(&self, origin: Point, km: f64) -> Cond {
        let bbox = bounding_box(origin, km);
        let mut cond = Cond::all()
            .add(self.col(Locations::Lat).between(bbox.min_lat, bbox.max_lat))
            .add(self.chord_squared(origin).lte(chord_squared_limit(km)));
        if let Some((west, east)) = bbox.lon_range {
            cond = cond.add(self.col(Locations::Lon).between(west, east));
        }
        cond
    }

    /// The distance limit of a proximity, if it has one.
    pub fn within_limit(&self, proximity: &Proximity) -> Option<Cond> {
        proximity.max_distance_km.map(|km| self.within(proximity.origin, km))
    }

    /// Orders by distance; rows without coordinates come last ascending, first descending.
    pub fn order_by_distance(&self, query: &mut SelectStatement, origin: Point, descending: bool) {
        let order = if descending { Order::Desc } else { Order::Asc };
        query
            .order_by_expr(self.col(Locations::UnitX).is_null(), order.clone())
            .order_by_expr(self.chord_squared(origin), order);
    }
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

/// Range tests up to this many subtrees; more become one list of positions. A condition is
/// a chain that both the statement builder and SQLite's parser walk recursively (SQLite
/// refuses depths over 1,000), so no chain may grow with what a request asks for.
const MAX_RANGE_TESTS: usize = 16;

/// The hobby whose id is in `hobby_id` is in one of the subtrees. One range test on the
/// hobby's few links per row (measured: 3× faster than testing a list of descendant ids).
pub(crate) fn hobby_in_categories(hobby_id: impl IntoColumnRef, subtrees: &CategorySubtrees) -> SimpleExpr {
    let position = Expr::col((TreeTable::Categories, TreeColumns::TreePosition));
    let in_any = if subtrees.ranges.len() <= MAX_RANGE_TESTS {
        subtrees.ranges.iter().fold(Cond::any(), |cond, (start, end)| cond.add(position.clone().between(*start, *end)))
    } else {
        let positions: Vec<i64> = subtrees.ranges.iter().flat_map(|(start, end)| *start..=*end).collect();
        Cond::all().add(position.is_in(positions))
    };
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(HobbyCategoryLinks::Table)
            .inner_join(
                TreeTable::Categories,
                Expr::col((TreeTable::Categories, TreeColumns::Id))
                    .equals((HobbyCategoryLinks::Table, HobbyCategoryLinks::CategoryId)),
            )
            .and_where(Expr::col((HobbyCategoryLinks::Table, HobbyCategoryLinks::HobbyId)).equals(hobby_id))
            .cond_where(in_any)
            .to_owned(),
    )
}
