//! Reading the log of redemptions (public, quirks.md 13), and redeeming a promotion: one conditional UPDATE takes a redemption if one is left (never
//! read-then-write), and the benefit is logged in the same transaction (api.md 4.7).

use crate::related::{check_related, Related};
use crate::{App, AppError, Submitted, User};
use hp_db::benefits::{self, BenefitRow};
use hp_db::promotions;
use hp_domain::messages;

/// What a redemption names.
#[derive(Debug, Default)]
pub struct RedemptionInput {
    pub promotion: Option<i64>,
}

/// Why a redemption was not taken, for the edge's counters.
#[derive(Debug)]
pub enum Redemption {
    Taken(BenefitRow),
    /// Every redemption of the promotion is used (the error to answer).
    UsedUp(AppError),
}

/// Takes one redemption of the promotion for the user.
pub async fn redeem(app: &App, _user: &User, submitted: Submitted<RedemptionInput>) -> Result<Redemption, AppError> {
    let Submitted { input, mut errors } = submitted;
    let mut tx = app.db.begin().await?;
    if let Some(id) = input.promotion {
        check_related(&mut tx, &mut errors, "promotion", Related::Promotion, id).await?;
    }
    errors.into_result()?;
    let promotion = input.promotion.ok_or_else(|| AppError::incomplete("benefit"))?;
    if !promotions::take_redemption(&mut tx, promotion).await? {
        return Ok(Redemption::UsedUp(AppError::non_field(messages::PROMOTIONS_USED_UP)));
    }
    let benefit = benefits::insert(&mut tx, promotion, app.clock.now()).await?;
    tx.commit().await?;
    Ok(Redemption::Taken(benefit))
}

// Reads.

pub async fn list(app: &App) -> Result<Vec<BenefitRow>, AppError> {
    Ok(benefits::list(&mut app.db.conn().await?).await?)
}

pub async fn get(app: &App, id: i64) -> Result<BenefitRow, AppError> {
    crate::reading::found(benefits::get(&mut app.db.conn().await?, id).await?)
}
