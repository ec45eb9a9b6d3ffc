//! Where uploaded images live: a local directory by default, an S3-compatible bucket for
//! replicas, both through `object_store`. Names are derived from the content, so an image
//! is stored once however many objects use it, and a name never changes its bytes.

use bytes::Bytes;
use futures::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};
use std::sync::Arc;

/// The image store.
#[derive(Clone)]
pub struct MediaStore {
    store: Arc<dyn ObjectStore>,
    description: String,
}

impl std::fmt::Debug for MediaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

/// S3 settings (credentials come from the usual `AWS_*` environment variables). `Debug`
/// hides the keys.
#[derive(Clone, Default)]
pub struct S3Settings {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub allow_http: bool,
    /// Credentials when not taken from the environment.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("allow_http", &self.allow_http)
            .field("access_key_id", &self.access_key_id.as_ref().map(|_| "[redacted]"))
            .field("secret_access_key", &self.secret_access_key.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("image storage: {0}")]
    Store(#[from] object_store::Error),
    #[error("image storage: {0}")]
    Io(#[from] std::io::Error),
}

impl MediaError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, MediaError::Store(object_store::Error::NotFound { .. }))
    }
}

impl MediaStore {
    /// A directory on this machine (created if missing).
    pub fn local(dir: impl AsRef<std::path::Path>) -> Result<Self, MediaError> {
        std::fs::create_dir_all(dir.as_ref())?;
        let store = LocalFileSystem::new_with_prefix(dir.as_ref())?;
        Ok(Self { store: Arc::new(store), description: format!("local directory {}", dir.as_ref().display()) })
    }

    /// A store for commands that store no image (users, tokens, municipalities): they need
    /// one to write through the API's code but leave it empty, and it is gone when they end.
    pub fn none() -> Self {
        Self { store: Arc::new(object_store::memory::InMemory::new()), description: "no image store".into() }
    }

    pub fn s3(settings: &S3Settings) -> Result<Self, MediaError> {
        let mut builder =
            AmazonS3Builder::from_env().with_bucket_name(&settings.bucket).with_allow_http(settings.allow_http);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(region) = &settings.region {
            builder = builder.with_region(region);
        }
        if let (Some(id), Some(secret)) = (&settings.access_key_id, &settings.secret_access_key) {
            builder = builder.with_access_key_id(id).with_secret_access_key(secret);
        }
        Ok(Self { store: Arc::new(builder.build()?), description: format!("S3 bucket {}", settings.bucket) })
    }

    pub async fn put(&self, name: &str, bytes: Bytes) -> Result<(), MediaError> {
        self.store.put(&Path::from(name), PutPayload::from_bytes(bytes)).await?;
        Ok(())
    }

    /// Whether a file of this name is stored.
    pub async fn exists(&self, name: &str) -> Result<bool, MediaError> {
        match self.store.head(&Path::from(name)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(error) => Err(error.into()),
        }
    }

    pub async fn get(&self, name: &str) -> Result<Bytes, MediaError> {
        Ok(self.store.get(&Path::from(name)).await?.bytes().await?)
    }

    pub async fn delete(&self, name: &str) -> Result<(), MediaError> {
        match self.store.delete(&Path::from(name)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// Every stored name.
    pub async fn list(&self) -> Result<Vec<String>, MediaError> {
        Ok(self.list_modified().await?.into_iter().map(|(name, _)| name).collect())
    }

    /// Every stored name, with when it was last written.
    pub async fn list_modified(&self) -> Result<Vec<(String, chrono::DateTime<chrono::Utc>)>, MediaError> {
        let metas: Vec<_> = self.store.list(None).try_collect().await?;
        Ok(metas.into_iter().map(|m| (m.location.to_string(), m.last_modified)).collect())
    }

    /// Checks that the store answers (health checks).
    pub async fn check(&self) -> Result<(), MediaError> {
        let _ = self.store.list(None).try_next().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::S3Settings;

    #[test]
    fn debug_of_s3_settings_hides_the_keys() {
        let settings = S3Settings {
            bucket: "media".into(),
            access_key_id: Some("AKIAEXAMPLE".into()),
            secret_access_key: Some("secret-key-1".into()),
            ..S3Settings::default()
        };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("AKIAEXAMPLE") && !shown.contains("secret-key-1"), "{shown}");
        assert!(shown.contains(r#"bucket: "media""#), "{shown}");
    }
}
