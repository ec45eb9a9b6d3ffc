//! Reading an organizer write's body (api.md 4.4).

use crate::body::Body;
use crate::fields::{FieldReader, WriteMode};
use hp_app::organizers::OrganizerInput;
use hp_app::Submitted;

pub fn read(body: &Body, mode: WriteMode) -> Submitted<OrganizerInput> {
    let mut reader = FieldReader::new(body, mode);
    let name = reader.text("name", Some(256), true, false);
    Submitted::new(OrganizerInput { name }, reader.errors)
}
