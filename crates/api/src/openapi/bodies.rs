//! Request bodies in the API description, made from the body readers themselves: each
//! reader is run over an empty body that logs every field it reads and how
//! ([`crate::read_log`]), so a documented field is one the code reads, with the limits it
//! applies, in the version documented.

use super::operations::{kind_schema, Kind};
use crate::body::Body;
use crate::read_log::{FieldDoc, FieldKind, ReadLog};
use futures::FutureExt;
use std::future::Future;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::RefOr;

/// The fields a reader reads, in order.
pub(crate) fn describe_reader(read: impl FnOnce(&Body)) -> Vec<FieldDoc> {
    let log = ReadLog::default();
    read(&Body::describing(log.clone()));
    log.fields()
}

/// An async reader's result for an empty body: it never waits (there is no image to
/// decode), so it is run to its end right here.
pub(crate) fn read_at_once<F: Future>(read: F) -> F::Output {
    read.now_or_never().expect("a reader of an empty body does not wait")
}

fn value_schema(kind: FieldKind) -> Schema {
    let string = || ObjectBuilder::new().schema_type(Type::String);
    match kind {
        FieldKind::Text { max_length } => Schema::Object(string().max_length(max_length).build()),
        FieldKind::Integer { min, max } => Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(min.map(|m| m as f64))
                .maximum(max.map(|m| m as f64))
                .build(),
        ),
        FieldKind::Boolean => Schema::Object(
            ObjectBuilder::new()
                .schema_type(SchemaType::from_iter([Type::Boolean, Type::String]))
                .description(Some("`true`, `false`, `1` or `0`."))
                .build(),
        ),
        FieldKind::Date => kind_schema(Kind::Date),
        FieldKind::Time => Schema::Object(
            string()
                .pattern(Some("^\\d{2}:\\d{2}(:\\d{2})?$"))
                .description(Some("`HH:MM` or `HH:MM:SS`, Europe/Helsinki."))
                .build(),
        ),
        FieldKind::Choice(values) => Schema::Object(string().enum_values(Some(values.iter().copied())).build()),
        FieldKind::Related => Schema::Object(
            ObjectBuilder::new().schema_type(Type::Integer).description(Some("The related object's id.")).build(),
        ),
        FieldKind::RelatedList => Schema::Array(
            ArrayBuilder::new()
                .items(RefOr::T(kind_schema(Kind::Integer)))
                .max_items(Some(hp_domain::limits::MAX_RELATED_IDS))
                .description(Some("The related objects' ids."))
                .build(),
        ),
        FieldKind::Amount => Schema::Object(
            string()
                .pattern(Some("^\\d{1,3}(\\.\\d{1,2})?$"))
                .description(Some("Euros with at most two decimals (a number is read too)."))
                .examples(["25.00"])
                .build(),
        ),
        FieldKind::Image => Schema::Object(
            string()
                .format(Some(SchemaFormat::Custom("byte".into())))
                .description(Some(
                    "Base64 (a data URL or bare) of a JPEG, PNG, WebP or GIF; null or blank removes the image, \
                     the current URL or a missing key keeps it.",
                ))
                .build(),
        ),
        FieldKind::Point => Schema::Object(
            ObjectBuilder::new()
                .schema_type(SchemaType::from_iter([Type::Object, Type::String]))
                .description(Some(
                    "A point: GeoJSON `{\"type\": \"Point\", \"coordinates\": [lon, lat]}`, WKT, EWKT or hex WKB.",
                ))
                .build(),
        ),
    }
}

/// The schema of a body with these fields; `required` for create and PUT, not for PATCH.
/// A field that may be null says so.
pub(crate) fn body_schema(fields: &[FieldDoc], required: bool) -> Schema {
    let mut object = ObjectBuilder::new().schema_type(Type::Object);
    for field in fields {
        let value = value_schema(field.kind);
        let value = if field.nullable { nullable(value) } else { value };
        object = object.property(field.name, value);
        if required && field.required {
            object = object.required(field.name);
        }
    }
    Schema::Object(object.build())
}

fn nullable(schema: Schema) -> Schema {
    Schema::AnyOf(
        utoipa::openapi::schema::AnyOfBuilder::new()
            .item(RefOr::T(schema))
            .item(RefOr::T(Schema::Object(ObjectBuilder::new().schema_type(Type::Null).build())))
            .build(),
    )
}
