//! Keeps `hobbies.next_event_id` current: the hobby's event with the earliest start among
//! those not ended before today (rule A, `hp_domain::next_event`), recomputed whenever a
//! hobby's events change and for every hobby once a day.

use crate::exec::Executes;
use crate::schema::{Hobbies as H, HobbyEvents as E};
use crate::DbError;
use chrono::NaiveDate;
use sea_query::{Expr, ExprTrait, Order, Query, SimpleExpr, UpdateStatement};

fn next_event_of_each_hobby(today: NaiveDate) -> SimpleExpr {
    SimpleExpr::SubQuery(
        None,
        Box::new(
            Query::select()
                .column((E::Table, E::Id))
                .from(E::Table)
                .and_where(Expr::col((E::Table, E::HobbyId)).equals((H::Table, H::Id)))
                .and_where(Expr::col((E::Table, E::EndDate)).gte(today))
                .order_by((E::Table, E::StartDate), Order::Asc)
                .order_by((E::Table, E::StartTime), Order::Asc)
                .order_by((E::Table, E::Id), Order::Asc)
                .limit(1)
                .to_owned()
                .into_sub_query_statement(),
        ),
    )
}

fn update_statement(today: NaiveDate) -> UpdateStatement {
    Query::update().table(H::Table).value(H::NextEventId, next_event_of_each_hobby(today)).to_owned()
}

/// Recomputes the next event of the given hobbies.
pub async fn refresh(ex: &mut impl Executes, hobby_ids: &[i64], today: NaiveDate) -> Result<u64, DbError> {
    if hobby_ids.is_empty() {
        return Ok(0);
    }
    let q = update_statement(today).and_where(Expr::col(H::Id).is_in(hobby_ids.to_vec())).to_owned();
    ex.execute(&q).await
}

/// Recomputes the next event of every hobby; returns how many changed.
pub async fn refresh_all(ex: &mut impl Executes, today: NaiveDate) -> Result<u64, DbError> {
    // Only rows whose value changes are written, so a daily run touches few rows.
    let q = update_statement(today)
        .cond_where(
            sea_query::Cond::any()
                .add(Expr::col((H::Table, H::NextEventId)).is_null().and(next_event_of_each_hobby(today).is_not_null()))
                .add(Expr::col((H::Table, H::NextEventId)).is_not_null().and(next_event_of_each_hobby(today).is_null()))
                .add(Expr::col((H::Table, H::NextEventId)).ne(next_event_of_each_hobby(today))),
        )
        .to_owned();
    ex.execute(&q).await
}
