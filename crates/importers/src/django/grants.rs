//! The original's stored permission records, held against the rule this service evaluates
//! at request time (superuser, creator, or moderator of the object's municipality). Records
//! the rule explains carry over by themselves; the others are listed for the operator,
//! because this service has no place for hand-made grants (see quirks.md 15: the original
//! itself wiped them on the object's next save).

use super::source::{PermissionRecord, Snapshot};
use hp_domain::permissions::{Editor, Ownership};
use std::collections::HashMap;

/// The models whose change permission the rule decides.
const MODELS: [&str; 4] = ["hobby", "location", "organizer", "promotion"];

/// What the report says about the permission records.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GrantReview {
    /// Object permissions the rule gives anyway.
    pub explained: usize,
    /// Records of objects that no longer exist (the original never removed them).
    pub stale: usize,
    /// One line per record the rule does not explain (object and model-wide ones).
    pub unexplained: Vec<String>,
}

pub fn review(snapshot: &Snapshot) -> GrantReview {
    let owners = owners(snapshot);
    let editors = editors(snapshot);
    let mut review = GrantReview::default();
    for record in &snapshot.object_permissions {
        let object = record.object_pk.as_deref().unwrap_or("").trim().parse::<i64>().ok();
        let owner = object.and_then(|id| owners.get(&(record.model.as_str(), id)));
        let governed = record.app_label == "harrastuspassi" && MODELS.contains(&record.model.as_str());
        if governed && object.is_some() && owner.is_none() {
            review.stale += 1;
            continue;
        }
        let explained = governed
            && record.codename == format!("change_{}", record.model)
            && match (record.user_id.and_then(|id| editors.get(&id)), owner) {
                (Some(editor), Some(owner)) => editor.can_edit(*owner),
                _ => false,
            };
        if explained {
            review.explained += 1;
        } else {
            review.unexplained.push(describe(record));
        }
    }
    for record in &snapshot.model_permissions {
        review.unexplained.push(describe(record));
    }
    review
}

fn describe(record: &PermissionRecord) -> String {
    let target = match &record.object_pk {
        Some(pk) => format!("{}.{} {pk}", record.app_label, record.model),
        None => format!("every {}.{}", record.app_label, record.model),
    };
    format!("{}: {} on {target}", record.holder, record.codename)
}

fn owners(snapshot: &Snapshot) -> HashMap<(&str, i64), Ownership> {
    let own = |created_by, municipality| Ownership { created_by, municipality };
    let mut owners = HashMap::new();
    for h in &snapshot.hobbies {
        owners.insert(("hobby", h.id), own(h.created_by_id, h.municipality_id));
    }
    for l in &snapshot.locations {
        owners.insert(("location", l.id), own(l.created_by_id, l.municipality_id));
    }
    for o in &snapshot.organizers {
        owners.insert(("organizer", o.id), own(o.created_by_id, o.municipality_id));
    }
    for p in &snapshot.promotions {
        owners.insert(("promotion", p.id), own(p.created_by_id, p.municipality_id));
    }
    owners
}

fn editors(snapshot: &Snapshot) -> HashMap<i64, Editor> {
    let mut editors: HashMap<i64, Editor> = snapshot
        .users
        .iter()
        .map(|u| {
            let editor = Editor {
                user_id: u.id,
                is_superuser: u.is_superuser && u.is_active,
                moderated_municipalities: Vec::new(),
            };
            (u.id, editor)
        })
        .collect();
    for m in &snapshot.moderators {
        if let Some(editor) = editors.get_mut(&m.user_id) {
            editor.moderated_municipalities.push(m.municipality_id);
        }
    }
    editors
}
