//! Where images are stored and how large an accepted image may be: taken by `serve` and by
//! the commands that store images (imports, `category set-image`, `media clean`).

use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Args)]
pub struct MediaArgs {
    /// Directory of uploaded images when no bucket is configured (default: `<data dir>/media`).
    #[arg(long, env = "HARRASTUSPASSI_MEDIA_DIR", global = true)]
    pub media_dir: Option<PathBuf>,

    /// S3 bucket for images (credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`).
    #[arg(long, env = "HARRASTUSPASSI_S3_BUCKET", global = true)]
    pub s3_bucket: Option<String>,

    /// Endpoint of an S3-compatible service (MinIO, Ceph, …); AWS when not given.
    #[arg(long, env = "HARRASTUSPASSI_S3_ENDPOINT", global = true)]
    pub s3_endpoint: Option<String>,

    /// Region of the bucket.
    #[arg(long, env = "HARRASTUSPASSI_S3_REGION", global = true)]
    pub s3_region: Option<String>,

    /// Allow a plain-http S3 endpoint (local test servers).
    #[arg(long, env = "HARRASTUSPASSI_S3_ALLOW_HTTP", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub s3_allow_http: bool,
}

impl MediaArgs {
    /// The image store: an S3 bucket when configured, else a local directory.
    pub fn media_store(&self, data_dir: &Path) -> Result<hp_app::media::MediaStore, hp_app::media::MediaError> {
        match &self.s3_bucket {
            Some(bucket) => hp_app::media::MediaStore::s3(&hp_app::media::S3Settings {
                bucket: bucket.clone(),
                endpoint: self.s3_endpoint.clone(),
                region: self.s3_region.clone(),
                allow_http: self.s3_allow_http,
                ..Default::default()
            }),
            None => hp_app::media::MediaStore::local(self.media_dir.clone().unwrap_or_else(|| data_dir.join("media"))),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ImageArgs {
    /// Largest uploaded image in bytes (after base64 decoding).
    #[arg(long, env = "HARRASTUSPASSI_MAX_IMAGE_BYTES", default_value_t = 10 * 1024 * 1024, global = true)]
    pub max_image_bytes: usize,

    /// Largest width or height of an uploaded image in pixels.
    #[arg(long, env = "HARRASTUSPASSI_MAX_IMAGE_DIMENSION", default_value_t = 8192, global = true)]
    pub max_image_dimension: u32,

    /// Most pixels (width × height) of an uploaded image, checked from its header before it
    /// is decoded (decoding costs 4 bytes a pixel).
    #[arg(long, env = "HARRASTUSPASSI_MAX_IMAGE_PIXELS", default_value_t = 40_000_000, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub max_image_pixels: u64,
}

impl ImageArgs {
    pub fn limits(&self) -> hp_app::images::ImageLimits {
        hp_app::images::ImageLimits {
            max_bytes: self.max_image_bytes,
            max_dimension: self.max_image_dimension,
            max_pixels: self.max_image_pixels,
            ..hp_app::images::ImageLimits::default()
        }
    }
}
