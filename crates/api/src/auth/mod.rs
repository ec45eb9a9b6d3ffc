//! Who calls, and how they sign in: the `Authorization` header of API calls ([`caller`],
//! [`verify`]: JWTs and API tokens), browser sessions with CSRF ([`sessions`]), the login
//! pages ([`login`]), the JWT endpoints ([`token_endpoints`], [`jwt`]), password checking
//! ([`credentials`]) and the brute-force protection of sign-ins ([`throttle`]).

mod caller;
pub mod credentials;
pub mod jwt;
pub(crate) mod login;
pub mod sessions;
pub mod throttle;
pub(crate) mod token_endpoints;
mod verify;

pub use caller::Caller;
