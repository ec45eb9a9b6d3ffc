//! Checking a username and password: active users only, the same work whether or not the
//! user exists (no timing oracle), and an old-format hash (an imported Django user)
//! replaced by argon2id at the first successful login, the only moment the password is known.

use crate::error::ApiError;
use crate::origin::ClientAddress;
use crate::state::AppState;
use hp_db::accounts::{self, UserRow};
use hp_domain::passwords::{hash_password, verify_password, Verification};
use std::sync::OnceLock;

/// A hash to verify against when the user does not exist, so that the answer takes as long.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("no such user"))
}

/// The active user with this username and password, if the sign-in may be tried now (429
/// otherwise, see `login_throttle`). Hashing runs in its turn on a blocking thread: argon2 and
/// PBKDF2 take tens of milliseconds of CPU.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    password: &str,
    client: ClientAddress,
) -> Result<Option<UserRow>, ApiError> {
    let now = state.app.clock.now();
    state.login.admit(&state.app.db, username, client, now).await?;
    // A name no account can have (NUL bytes, which PostgreSQL refuses in text) is simply
    // unknown; the dummy hash below keeps the answer's timing the same.
    let possible = !username.contains('\0') && username.chars().count() <= 150;
    let user = match possible {
        true => accounts::by_username(&mut state.app.db.conn().await?, username).await?,
        false => None,
    };
    let stored = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| dummy_hash().to_owned());
    let owned_password = password.to_owned();
    let (verification, new_hash) = state
        .app
        .passwords
        .run(move || {
            let verification = verify_password(&owned_password, &stored);
            let new_hash = (verification == Verification::MatchNeedsRehash).then(|| hash_password(&owned_password));
            (verification, new_hash)
        })
        .await?;
    let Some(user) = user.filter(|u| u.is_active && verification.matches()) else {
        return Ok(None);
    };
    state.login.succeeded(&state.app.db, username, client).await;
    if let Some(hash) = new_hash {
        let mut tx = state.app.db.begin().await?;
        accounts::set_password_hash(&mut tx, user.id, &hash).await?;
        tx.commit().await?;
    }
    Ok(Some(user))
}
