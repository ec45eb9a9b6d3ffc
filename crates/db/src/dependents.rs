//! What deleting a shared place would take with it: hobbies and promotions that use a
//! location or an organizer (the schema cascades to them), counted by whether a given user
//! may edit them. A delete that would remove other users' content is refused (quirks.md 26).

use crate::conditions::editable_by;
use crate::exec::Executes;
use crate::query::EditScope;
use crate::schema::{Hobbies as H, Promotions as P};
use crate::DbError;
use sea_query::{Expr, Query};

/// A location or an organizer, the places hobbies and promotions point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Location(i64),
    Organizer(i64),
}

/// Hobbies and promotions using a place that the scope may not edit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OthersContent {
    pub hobbies: i64,
    pub promotions: i64,
}

impl OthersContent {
    pub fn is_empty(&self) -> bool {
        self.hobbies == 0 && self.promotions == 0
    }
}

/// Counts what of the place's hobbies and promotions `scope` may not edit: all of them minus
/// the editable ones (the rule's condition is not NULL-safe to negate).
pub async fn others_content(ex: &mut impl Executes, place: Place, scope: EditScope) -> Result<OthersContent, DbError> {
    if scope == EditScope::Everything {
        return Ok(OthersContent::default());
    }
    let (hobby_column, promotion_column, id) = match place {
        Place::Location(id) => (H::LocationId, P::LocationId, id),
        Place::Organizer(id) => (H::OrganizerId, P::OrganizerId, id),
    };
    let mut counts = [0i64; 2];
    for editable_only in [false, true] {
        let mut hobbies = Query::select();
        hobbies.expr(Expr::col(H::Id).count()).from(H::Table).and_where(Expr::col(hobby_column).eq(id));
        let mut promotions = Query::select();
        promotions.expr(Expr::col(P::Id).count()).from(P::Table).and_where(Expr::col(promotion_column).eq(id));
        if editable_only {
            if let Some(cond) = editable_by(scope, H::CreatedById, H::MunicipalityId) {
                hobbies.cond_where(cond);
            }
            if let Some(cond) = editable_by(scope, P::CreatedById, P::MunicipalityId) {
                promotions.cond_where(cond);
            }
        }
        let sign = if editable_only { -1 } else { 1 };
        counts[0] += sign * ex.fetch_scalar::<i64>(&hobbies).await?;
        counts[1] += sign * ex.fetch_scalar::<i64>(&promotions).await?;
    }
    Ok(OthersContent { hobbies: counts[0], promotions: counts[1] })
}
