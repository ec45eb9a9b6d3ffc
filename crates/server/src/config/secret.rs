//! A secret from the command line or the environment (a key, a token) whose `Debug` never
//! shows it, so that a logged or printed configuration cannot leak it.

/// A secret value; `Debug` prints `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The value, unless it is empty (an empty variable means "not set").
    pub fn non_empty(&self) -> Option<&str> {
        Some(self.0.as_str()).filter(|s| !s.is_empty())
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::from("hunter2-hunter2".to_owned());
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some([redacted])");
        assert_eq!(secret.expose(), "hunter2-hunter2");
        assert_eq!(Secret::from(String::new()).non_empty(), None);
    }
}
