//! Redeeming a promotion: one conditional UPDATE takes a redemption if one is left (never
//! read-then-write), and the benefit is logged in the same transaction (api.md 4.7).

use super::{check_related, Related, Writer};
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::{FieldReader, WriteMode};
use hp_db::benefits::{self, BenefitRow};
use hp_db::promotions;
use hp_domain::messages;

pub async fn redeem(writer: Writer<'_>, body: &Body) -> Result<BenefitRow, ApiError> {
    let mut reader = FieldReader::new(body, WriteMode::Create);
    let promotion = reader.related("promotion", true, false).flatten();
    let mut errors = reader.errors;
    let mut tx = writer.state.db.begin().await?;
    if let Some(id) = promotion {
        check_related(&mut tx, &mut errors, "promotion", Related::Promotion, id).await?;
    }
    errors.into_result()?;
    let promotion = promotion.ok_or_else(|| ApiError::Internal("validated benefit incomplete".into()))?;
    if !promotions::take_redemption(&mut tx, promotion).await? {
        writer.state.metrics.redemption(false);
        return Err(ApiError::non_field(messages::PROMOTIONS_USED_UP));
    }
    let benefit = benefits::insert(&mut tx, promotion, writer.state.clock.now()).await?;
    tx.commit().await?;
    writer.state.metrics.redemption(true);
    Ok(benefit)
}
