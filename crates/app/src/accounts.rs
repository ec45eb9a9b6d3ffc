//! User accounts and API tokens, as sysadmins manage them (the command line and the
//! sysadmin UI): the rules for usernames and passwords, hashing, deactivation, and tokens
//! whose key is shown once and stored only as a digest.

use crate::{App, AppError, Superuser};
use hp_db::accounts::{self, UserProfile};
use hp_domain::{passwords, tokens, FieldErrors};

/// Usernames as the original allowed them: letters, digits and `@ . + - _`, at most 150.
pub fn username_problem(username: &str) -> Option<&'static str> {
    if username.is_empty() || username.chars().count() > 150 {
        return Some("A username has 1 to 150 characters.");
    }
    if !username.chars().all(|c| c.is_alphanumeric() || "@.+-_".contains(c)) {
        return Some("A username may contain only letters, digits and @ . + - _");
    }
    None
}

/// Passwords set by sysadmins: at least 8 characters, not only digits.
pub fn password_problem(password: &str) -> Option<&'static str> {
    if password.chars().count() < 8 {
        return Some("The password must have at least 8 characters.");
    }
    if password.chars().all(|c| c.is_ascii_digit()) {
        return Some("The password cannot be entirely numeric.");
    }
    None
}

async fn check_profile(
    app: &App,
    profile: &UserProfile,
    id: Option<i64>,
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    if let Some(problem) = username_problem(&profile.username) {
        errors.add("username", problem);
    } else if let Some(other) = accounts::by_username(&mut app.db.conn().await?, &profile.username).await? {
        if Some(other.id) != id {
            errors.add("username", "A user with that username exists already.");
        }
    }
    if profile.email.chars().count() > 254 || (!profile.email.is_empty() && !profile.email.contains('@')) {
        errors.add("email", "Enter a valid email address.");
    }
    for (field, value) in [("first_name", &profile.first_name), ("last_name", &profile.last_name)] {
        if value.chars().count() > 150 {
            errors.add(field, "At most 150 characters.");
        }
    }
    Ok(())
}

/// Creates a user; without a password the account cannot sign in with one (tokens only).
/// Returns the new id.
pub async fn create_user(
    app: &App,
    _: Superuser,
    profile: &UserProfile,
    password: Option<&str>,
) -> Result<i64, AppError> {
    let mut errors = FieldErrors::new();
    check_profile(app, profile, None, &mut errors).await?;
    if let Some(problem) = password.and_then(password_problem) {
        errors.add("password", problem);
    }
    errors.into_result()?;
    let hash = match password {
        Some(password) => app.passwords.hash(password).await?,
        None => passwords::UNUSABLE.to_owned(),
    };
    let mut tx = app.db.begin().await?;
    let id = accounts::insert(&mut tx, profile, &hash, app.clock.now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a profile; deactivating the user ends all their sessions (as Django does).
pub async fn update_user(app: &App, _: Superuser, id: i64, profile: &UserProfile) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    check_profile(app, profile, Some(id), &mut errors).await?;
    errors.into_result()?;
    let mut tx = app.db.begin().await?;
    if accounts::update_profile(&mut tx, id, profile).await? == 0 {
        return Err(AppError::NotFound);
    }
    if !profile.is_active {
        accounts::delete_sessions_of_user(&mut tx, id, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deactivates a user: no sign-in, tokens refused, every session ended.
pub async fn deactivate(app: &App, _: Superuser, id: i64) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    if accounts::set_active(&mut tx, id, false).await? == 0 {
        return Err(AppError::NotFound);
    }
    accounts::delete_sessions_of_user(&mut tx, id, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a password and ends the user's sessions, but for `keep_session` (the digest of the
/// session that made the change, when users change their own password): like Django, a
/// password change signs the user out everywhere else.
pub async fn set_password(
    app: &App,
    _: Superuser,
    id: i64,
    password: &str,
    keep_session: Option<&str>,
) -> Result<(), AppError> {
    if let Some(problem) = password_problem(password) {
        return Err(FieldErrors::single("password", problem).into());
    }
    let hash = app.passwords.hash(password).await?;
    let mut tx = app.db.begin().await?;
    if accounts::set_password_hash(&mut tx, id, &hash).await? == 0 {
        return Err(AppError::NotFound);
    }
    accounts::delete_sessions_of_user(&mut tx, id, keep_session).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates (or replaces) the user's API token; the key, which is not stored.
pub async fn create_token(app: &App, _: Superuser, user_id: i64) -> Result<String, AppError> {
    let mut tx = app.db.begin().await?;
    accounts::get(&mut tx, user_id).await?.ok_or_else(|| AppError::field("user", "No such user."))?;
    let key = tokens::generate_key();
    accounts::replace_token(&mut tx, user_id, &tokens::digest(&key), &tokens::prefix(&key), app.clock.now()).await?;
    tx.commit().await?;
    Ok(key)
}

pub async fn revoke_token(app: &App, _: Superuser, token_id: i64) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    if accounts::delete_token(&mut tx, token_id).await? == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
