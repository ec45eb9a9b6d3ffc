//! Password hashes: new passwords are hashed with argon2id; Django's `pbkdf2_sha256$…` and
//! `pbkdf2_sha1$…` hashes (imported users) are verified and reported as needing a rehash,
//! so that the next successful login stores an argon2id hash instead.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use subtle::ConstantTimeEq;

/// A stored hash that can never match (accounts without password login).
pub const UNUSABLE: &str = "!";

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Mismatch,
    Match,
    /// Correct, but stored in an older format: store [`hash_password`] of it.
    MatchNeedsRehash,
}

impl Verification {
    pub fn matches(self) -> bool {
        self != Verification::Mismatch
    }
}

/// An argon2id hash in PHC format.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any password")
        .to_string()
}

pub fn verify_password(password: &str, stored: &str) -> Verification {
    if stored.starts_with("$argon2") {
        return match PasswordHash::new(stored) {
            Ok(hash) if Argon2::default().verify_password(password.as_bytes(), &hash).is_ok() => Verification::Match,
            _ => Verification::Mismatch,
        };
    }
    if verify_django_pbkdf2(password, stored) {
        Verification::MatchNeedsRehash
    } else {
        Verification::Mismatch
    }
}

/// `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` (or `pbkdf2_sha1$…`), with the
/// iteration count the string carries.
fn verify_django_pbkdf2(password: &str, stored: &str) -> bool {
    let mut parts = stored.splitn(4, '$');
    let (Some(algorithm), Some(iterations), Some(salt), Some(expected)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Ok(iterations) = iterations.parse::<u32>() else {
        return false;
    };
    if iterations == 0 || iterations > 10_000_000 {
        return false;
    }
    let Ok(expected) = base64::engine::general_purpose::STANDARD.decode(expected) else {
        return false;
    };
    let derived = match algorithm {
        "pbkdf2_sha256" => {
            let mut out = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt.as_bytes(), iterations, &mut out);
            out.to_vec()
        }
        "pbkdf2_sha1" => {
            let mut out = [0u8; 20];
            pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password.as_bytes(), salt.as_bytes(), iterations, &mut out);
            out.to_vec()
        }
        _ => return false,
    };
    derived.len() == expected.len() && bool::from(derived.ct_eq(&expected))
}

/// What kind of stored hash this is, as far as signing in goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    /// argon2id, this service's own.
    Argon2,
    /// Django's PBKDF2 (`pbkdf2_sha256`/`pbkdf2_sha1`): verified, and replaced at the next sign-in.
    DjangoPbkdf2,
    /// Starts with `!` (or is empty): no password sign-in.
    Unusable,
    /// A format this service cannot verify, by its algorithm name.
    Unsupported(String),
}

pub fn scheme(stored: &str) -> Scheme {
    let algorithm = stored.split('$').next().unwrap_or("");
    if stored.is_empty() || stored.starts_with('!') {
        Scheme::Unusable
    } else if stored.starts_with("$argon2") {
        Scheme::Argon2
    } else if matches!(algorithm, "pbkdf2_sha256" | "pbkdf2_sha1") {
        Scheme::DjangoPbkdf2
    } else {
        Scheme::Unsupported(algorithm.chars().take(32).collect())
    }
}

/// A Django hash of a password, for tests and fixtures of imported users.
pub fn django_pbkdf2_sha256(password: &str, salt: &str, iterations: u32) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt.as_bytes(), iterations, &mut out);
    format!("pbkdf2_sha256${iterations}${salt}${}", base64::engine::general_purpose::STANDARD.encode(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_of_stored_hashes() {
        assert_eq!(scheme(&hash_password("x")), Scheme::Argon2);
        assert_eq!(scheme(&django_pbkdf2_sha256("x", "salt", 1000)), Scheme::DjangoPbkdf2);
        assert_eq!(scheme("pbkdf2_sha1$1000$salt$abc="), Scheme::DjangoPbkdf2);
        assert_eq!(scheme("!x"), Scheme::Unusable);
        assert_eq!(scheme(""), Scheme::Unusable);
        assert_eq!(scheme("bcrypt_sha256$$2b$12$abc"), Scheme::Unsupported("bcrypt_sha256".into()));
    }

    #[test]
    fn argon2id_round_trip() {
        let hash = hash_password("kissa123");
        assert!(hash.starts_with("$argon2id$"));
        assert_eq!(verify_password("kissa123", &hash), Verification::Match);
        assert_eq!(verify_password("koira123", &hash), Verification::Mismatch);
    }

    #[test]
    fn django_hashes_verify_and_ask_for_a_rehash() {
        // Computed independently with Python's hashlib.pbkdf2_hmac, which is what Django's
        // PBKDF2PasswordHasher calls.
        let django = "pbkdf2_sha256$150000$Yd3fDjzFJ1kE$KtOT5r+waSI//rHwEhAeck2l4kbgV5RBZovOgBgZtV8=";
        let sha1 = "pbkdf2_sha1$10000$saltsalt$ZpmvWrKSpFftPQNYwXZarQjho70=";
        assert_eq!(verify_password("test_password", sha1), Verification::MatchNeedsRehash);
        let ours = django_pbkdf2_sha256("test_password", "Yd3fDjzFJ1kE", 150_000);
        assert_eq!(ours, django);
        assert_eq!(verify_password("test_password", django), Verification::MatchNeedsRehash);
        assert_eq!(verify_password("wrong", django), Verification::Mismatch);
        assert_eq!(verify_password("x", UNUSABLE), Verification::Mismatch);
        assert_eq!(verify_password("x", "pbkdf2_sha256$abc$salt$hash"), Verification::Mismatch);
    }
}
