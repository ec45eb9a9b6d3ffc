//! Which replica runs a daily job: the one whose conditional update moves the job's last
//! day to today. The update is atomic on both backends, so of several replicas asking at
//! once exactly one gets the day, and no lock is held while the job runs.

use crate::exec::Executes;
use crate::DbError;
use chrono::NaiveDate;
use sea_query::{Expr, Iden, OnConflict, Query};

#[derive(Iden)]
enum ScheduledJobRuns {
    Table,
    Name,
    LastDay,
}

/// Claims `day`'s run of the job `name` for the caller: true for exactly one caller per day.
pub async fn claim_daily_run(ex: &mut impl Executes, name: &str, day: NaiveDate) -> Result<bool, DbError> {
    let never = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
    let insert = Query::insert()
        .into_table(ScheduledJobRuns::Table)
        .columns([ScheduledJobRuns::Name, ScheduledJobRuns::LastDay])
        .values_panic([name.into(), never.into()])
        .on_conflict(OnConflict::column(ScheduledJobRuns::Name).do_nothing().to_owned())
        .to_owned();
    ex.execute(&insert).await?;
    let claim = Query::update()
        .table(ScheduledJobRuns::Table)
        .value(ScheduledJobRuns::LastDay, day)
        .and_where(Expr::col(ScheduledJobRuns::Name).eq(name))
        .and_where(Expr::col(ScheduledJobRuns::LastDay).lt(day))
        .to_owned();
    Ok(ex.execute(&claim).await? == 1)
}

/// Gives `day`'s run of the job back after it failed, so that a later attempt (on any
/// replica) may claim the day again.
pub async fn release_daily_run(ex: &mut impl Executes, name: &str, day: NaiveDate) -> Result<(), DbError> {
    let release = Query::update()
        .table(ScheduledJobRuns::Table)
        .value(ScheduledJobRuns::LastDay, day.pred_opt().unwrap_or(day))
        .and_where(Expr::col(ScheduledJobRuns::Name).eq(name))
        .and_where(Expr::col(ScheduledJobRuns::LastDay).eq(day))
        .to_owned();
    ex.execute(&release).await?;
    Ok(())
}
