//! The key that signs JWTs: configured, or generated once and kept in the data directory.
//! `serve` signs with it; `import-django` can make the old deployment's key this one.

use super::data::DataArgs;
use super::secret::Secret;
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct JwtSecretArgs {
    /// Secret that signs JWTs; replicas must share it. Without it, one is generated once and
    /// kept in the data directory (`jwt-secret`).
    #[arg(long, env = "HARRASTUSPASSI_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,
}

impl JwtSecretArgs {
    fn configured(&self) -> Option<&str> {
        self.jwt_secret.as_ref().and_then(Secret::non_empty)
    }

    /// The JWT secret: configured, or generated once and kept in the data directory.
    pub fn jwt_secret(&self, data: &DataArgs) -> std::io::Result<Vec<u8>> {
        if let Some(secret) = self.configured() {
            return Ok(secret.as_bytes().to_vec());
        }
        let path = data.data_dir.join("jwt-secret");
        match std::fs::read_to_string(&path) {
            Ok(secret) if !secret.trim().is_empty() => Ok(secret.trim().as_bytes().to_vec()),
            _ => {
                std::fs::create_dir_all(&data.data_dir)?;
                let secret = hp_domain::tokens::generate_secret();
                write_private(&path, &secret)?;
                if data.database_url().starts_with("postgres") {
                    tracing::warn!(
                        "generated a JWT secret in {}: replicas must share one (HARRASTUSPASSI_JWT_SECRET)",
                        path.display()
                    );
                }
                Ok(secret.into_bytes())
            }
        }
    }

    /// Makes `secret` the JWT secret (moving a Django deployment over, whose tokens are signed
    /// with its SECRET_KEY): kept in the data directory unless one is configured, in which
    /// case the configured one must already be it. With `write` false only checks. Says where
    /// it is; never prints it.
    pub fn adopt_jwt_secret(&self, data: &DataArgs, secret: &str, write: bool) -> anyhow::Result<String> {
        if secret.is_empty() {
            anyhow::bail!("the Django SECRET_KEY is empty");
        }
        if secret.trim() != secret {
            // The kept file is read trimmed: such a key would silently become another one.
            anyhow::bail!(
                "the Django SECRET_KEY starts or ends with whitespace: set HARRASTUSPASSI_JWT_SECRET to it instead"
            );
        }
        if let Some(configured) = self.configured() {
            if configured != secret {
                anyhow::bail!(
                    "HARRASTUSPASSI_JWT_SECRET is set and is not the Django SECRET_KEY: set it to the SECRET_KEY \
                     on every replica (or unset it) so that tokens of the old deployment stay valid"
                );
            }
            return Ok("JWTs of the old deployment stay valid: HARRASTUSPASSI_JWT_SECRET is its SECRET_KEY".into());
        }
        let path = data.data_dir.join("jwt-secret");
        if !write {
            return Ok(format!("The Django SECRET_KEY would become the JWT secret in {}", path.display()));
        }
        std::fs::create_dir_all(&data.data_dir)?;
        // Written aside and renamed, so that a server starting meanwhile reads one whole key.
        let fresh = data.data_dir.join("jwt-secret.new");
        match std::fs::remove_file(&fresh) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error.into()),
            _ => write_private(&fresh, secret)?,
        }
        std::fs::rename(&fresh, &path)?;
        Ok(format!(
            "JWTs of the old deployment stay valid: the Django SECRET_KEY is the JWT secret in {} \
             (replicas on other machines need it as HARRASTUSPASSI_JWT_SECRET)",
            path.display()
        ))
    }
}

/// Writes a file only its owner can read.
fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents.as_bytes())
}
