//! The edit-rights rule: a user may change an object when they are an active superuser, its
//! creator, or a moderator of its municipality. Evaluated at request time, never stored.
//!
//! The same rule exists once more as a query condition in `hp-db` (`editable_only` and the
//! authenticated organizer and location lists); the two must stay in step.

/// Who is asking, as far as edit rights are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    pub user_id: i64,
    pub is_superuser: bool,
    /// Ids of the municipalities the user moderates, lowest first.
    pub moderated_municipalities: Vec<i64>,
}

/// Who owns an object, as far as edit rights are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ownership {
    pub created_by: Option<i64>,
    pub municipality: Option<i64>,
}

impl Editor {
    pub fn can_edit(&self, object: Ownership) -> bool {
        self.is_superuser
            || object.created_by == Some(self.user_id)
            || object.municipality.is_some_and(|m| self.moderated_municipalities.contains(&m))
    }

    /// The municipality new objects of this user belong to: the first they moderate.
    pub fn current_municipality(&self) -> Option<i64> {
        self.moderated_municipalities.iter().copied().min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor(id: i64, superuser: bool, moderated: &[i64]) -> Editor {
        Editor { user_id: id, is_superuser: superuser, moderated_municipalities: moderated.to_vec() }
    }

    #[test]
    fn superuser_creator_and_moderator_may_edit() {
        let object = Ownership { created_by: Some(1), municipality: Some(7) };
        assert!(editor(1, false, &[]).can_edit(object));
        assert!(editor(2, false, &[7]).can_edit(object));
        assert!(editor(3, true, &[]).can_edit(object));
        assert!(!editor(4, false, &[8]).can_edit(object));
        let orphan = Ownership { created_by: None, municipality: None };
        assert!(!editor(1, false, &[7]).can_edit(orphan));
    }

    #[test]
    fn current_municipality_is_the_lowest_id() {
        assert_eq!(editor(1, false, &[9, 3]).current_municipality(), Some(3));
        assert_eq!(editor(1, false, &[]).current_municipality(), None);
    }
}
