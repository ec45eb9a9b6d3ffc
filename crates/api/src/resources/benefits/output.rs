//! The shape of a benefit (a redemption).

use hp_db::benefits::BenefitRow;
use hp_domain::time::format_timestamp;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct BenefitOut {
    id: i64,
    created_at: String,
    updated_at: String,
    promotion: i64,
}

pub fn benefit(row: &BenefitRow) -> BenefitOut {
    BenefitOut {
        id: row.id,
        created_at: format_timestamp(row.created_at),
        updated_at: format_timestamp(row.updated_at),
        promotion: row.promotion_id,
    }
}
