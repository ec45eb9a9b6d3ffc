//! Who acts: anonymous, a signed-in user, or a superuser. A [`User`] exists only once its
//! credentials were checked (the edges verify tokens, sessions and passwords, then call
//! [`User::signed_in`]), and a [`Superuser`] only from a user who is one, or for the operator
//! at the command line. Sysadmin use cases take a `Superuser`, so that no caller reaches them
//! unchecked.

use crate::AppError;
use hp_db::accounts::UserRow;
use hp_db::{municipalities, EditScope, Executes};
use hp_domain::permissions::{Editor, Ownership};
use std::sync::Arc;

/// A signed-in user with what the edit-rights rule needs. Non-exhaustive, so that only
/// [`User::signed_in`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct User {
    pub id: i64,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub is_staff: bool,
    pub is_superuser: bool,
    /// Read on every request, so moderator changes apply at once.
    pub moderated_municipalities: Vec<i64>,
}

impl User {
    /// The user of a row whose credentials the caller has checked (an active account).
    pub async fn signed_in(ex: &mut impl Executes, row: UserRow) -> Result<User, AppError> {
        let moderated = municipalities::moderated_by(ex, row.id).await?;
        Ok(User {
            id: row.id,
            username: row.username,
            first_name: row.first_name,
            last_name: row.last_name,
            is_staff: row.is_staff,
            is_superuser: row.is_superuser,
            moderated_municipalities: moderated,
        })
    }

    pub fn editor(&self) -> Editor {
        Editor {
            user_id: self.id,
            is_superuser: self.is_superuser,
            moderated_municipalities: self.moderated_municipalities.clone(),
        }
    }

    pub fn can_edit(&self, object: Ownership) -> bool {
        self.editor().can_edit(object)
    }

    /// What this user may edit, as a query condition.
    pub fn edit_scope(&self) -> EditScope {
        if self.is_superuser {
            EditScope::Everything
        } else {
            EditScope::User(self.id)
        }
    }

    /// The superuser capability, if this user is one.
    pub fn as_superuser(&self) -> Option<Superuser> {
        self.is_superuser.then_some(Superuser { user_id: Some(self.id) })
    }
}

/// Who calls a use case.
#[derive(Debug, Clone)]
pub enum Actor {
    Anonymous,
    User(Arc<User>),
}

impl Actor {
    pub fn user(&self) -> Option<&User> {
        match self {
            Actor::Anonymous => None,
            Actor::User(user) => Some(user),
        }
    }

    /// The user, or "not authenticated" for anonymous callers.
    pub fn require_user(&self) -> Result<&User, AppError> {
        self.user().ok_or(AppError::NotAuthenticated)
    }

    pub fn can_edit(&self, object: Ownership) -> bool {
        self.user().is_some_and(|u| u.can_edit(object))
    }

    /// What `editable_only` and the "my organizers/locations" lists show; `None` for
    /// anonymous callers, who may edit nothing.
    pub fn edit_scope(&self) -> Option<EditScope> {
        self.user().map(User::edit_scope)
    }
}

/// The right to run sysadmin use cases: accounts, tokens, municipalities, the trees.
#[derive(Debug, Clone, Copy)]
pub struct Superuser {
    /// The superuser's account; `None` for the operator at the command line.
    user_id: Option<i64>,
}

impl Superuser {
    /// The operator at the command line: whoever can run the binary against the database
    /// (and its configuration) has every right there.
    pub fn command_line_operator() -> Superuser {
        Superuser { user_id: None }
    }

    pub fn user_id(&self) -> Option<i64> {
        self.user_id
    }
}
