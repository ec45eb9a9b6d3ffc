//! Secret keys: API token keys (40 lowercase hex characters, as the original's) and session
//! keys, and the SHA-256 digests under which they are stored, so that a database leak does
//! not leak usable credentials.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 20 random bytes as 40 lowercase hex characters.
pub fn generate_key() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// 32 random bytes as 64 hex characters (session keys, CSRF tokens, secrets).
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The stored form of a key.
pub fn digest(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// The first characters of a key, shown in listings to tell tokens apart.
pub fn prefix(key: &str) -> String {
    key.chars().take(6).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_hex_and_digests_stable() {
        let key = generate_key();
        assert_eq!(key.len(), 40);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(key, generate_key());
        assert_eq!(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(prefix(&key).len(), 6);
    }
}
