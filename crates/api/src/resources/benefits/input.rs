//! Reading a redemption's body (api.md 4.7).

use crate::body::Body;
use crate::fields::{FieldReader, WriteMode};
use hp_app::benefits::RedemptionInput;
use hp_app::Submitted;

pub fn read(body: &Body) -> Submitted<RedemptionInput> {
    let mut reader = FieldReader::new(body, WriteMode::Create);
    let promotion = reader.related("promotion", true, false).flatten();
    Submitted::new(RedemptionInput { promotion }, reader.errors)
}

/// The fields of a redemption, as `read` reads them (for the API description).
pub(crate) fn described(_: crate::version::ApiVersion) -> Vec<crate::read_log::FieldDoc> {
    crate::openapi::bodies::describe_reader(|body| {
        read(body);
    })
}
