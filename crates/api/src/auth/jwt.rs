//! JSON Web Tokens as the web UI and the apps know them (djangorestframework-simplejwt):
//! HS256, a refresh token (1 day) and an access token (5 hours) with the claims
//! `token_type`, `exp`, `jti`, `user_id`, `first_name`, `last_name`, and simplejwt's error
//! messages. Tokens are self-contained: any replica with the same secret accepts them.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Clone)]
pub struct JwtSettings {
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub access_lifetime: Duration,
    pub refresh_lifetime: Duration,
}

impl std::fmt::Debug for JwtSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("JwtSettings")
            .field("access_lifetime", &self.access_lifetime)
            .field("refresh_lifetime", &self.refresh_lifetime)
            .finish_non_exhaustive()
    }
}

/// Who a token is issued to (names are copied into the claims at login).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSubject {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Debug, Serialize)]
struct Claims<'a> {
    token_type: &'a str,
    exp: i64,
    jti: String,
    user_id: i64,
    first_name: &'a str,
    last_name: &'a str,
}

/// A pair as `POST /auth/token/` answers it (key order: refresh, access). HS256; claims
/// `token_type`, `exp`, `iat`, `jti`, `user_id`, `first_name`, `last_name`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct TokenPair {
    pub refresh: String,
    pub access: String,
}

/// Why a token was refused, with simplejwt's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    InvalidOrExpired,
    NoExp,
    NoId,
    NoType,
    WrongType,
}

impl TokenError {
    pub fn message(self) -> &'static str {
        match self {
            TokenError::InvalidOrExpired => "Token is invalid or expired",
            TokenError::NoExp => "Token has no 'exp' claim",
            TokenError::NoId => "Token has no id",
            TokenError::NoType => "Token has no type",
            TokenError::WrongType => "Token has wrong type",
        }
    }
}

/// A random UUID4 as 32 lowercase hex characters.
fn new_jti() -> String {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl JwtSettings {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            access_lifetime: Duration::hours(5),
            refresh_lifetime: Duration::days(1),
        }
    }

    fn sign(&self, token_type: &str, lifetime: Duration, subject: &TokenSubject, now: DateTime<Utc>) -> String {
        let claims = Claims {
            token_type,
            exp: (now + lifetime).timestamp(),
            jti: new_jti(),
            user_id: subject.user_id,
            first_name: &subject.first_name,
            last_name: &subject.last_name,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).expect("HS256 signing cannot fail")
    }

    pub fn issue_pair(&self, subject: &TokenSubject, now: DateTime<Utc>) -> TokenPair {
        TokenPair {
            refresh: self.sign("refresh", self.refresh_lifetime, subject, now),
            access: self.sign("access", self.access_lifetime, subject, now),
        }
    }

    /// The claims of a token of `expected_type`, checked in simplejwt's order: signature and
    /// expiry, then `exp`, `jti` and `token_type` present, then the type.
    pub fn verify(
        &self,
        token: &str,
        expected_type: &str,
        now: DateTime<Utc>,
    ) -> Result<Map<String, Value>, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        validation.leeway = 0;
        let claims = decode::<Map<String, Value>>(token, &self.decoding, &validation)
            .map_err(|_| TokenError::InvalidOrExpired)?
            .claims;
        match claims.get("exp") {
            None => return Err(TokenError::NoExp),
            Some(exp) => match exp.as_i64().or_else(|| exp.as_f64().map(|f| f as i64)) {
                Some(exp) if exp > now.timestamp() => {}
                _ => return Err(TokenError::InvalidOrExpired),
            },
        }
        if !claims.contains_key("jti") {
            return Err(TokenError::NoId);
        }
        match claims.get("token_type").and_then(Value::as_str) {
            None => Err(TokenError::NoType),
            Some(kind) if kind != expected_type => Err(TokenError::WrongType),
            Some(_) => Ok(claims),
        }
    }

    /// A new access token from a refresh token, with the refresh token's user claims.
    pub fn refresh(&self, refresh_token: &str, now: DateTime<Utc>) -> Result<String, TokenError> {
        let claims = self.verify(refresh_token, "refresh", now)?;
        let text = |key: &str| claims.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
        let user_id = claims.get("user_id").and_then(Value::as_i64).ok_or(TokenError::InvalidOrExpired)?;
        let subject = TokenSubject { user_id, first_name: text("first_name"), last_name: text("last_name") };
        Ok(self.sign("access", self.access_lifetime, &subject, now))
    }
}
