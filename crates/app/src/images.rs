//! Uploaded images: checked with the `image` crate (JPEG, PNG, GIF, WebP) under limits on
//! size, pixel dimensions and decoder memory, so that a lying, truncated or
//! decompression-bomb file is refused quickly with bounded memory. A checked image is stored
//! under a name derived from its content (see [`crate::stored_images`]).

use crate::turns::Turns;
use hp_domain::messages;
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use std::sync::LazyLock;

/// Limits of an uploaded image.
#[derive(Debug, Clone, Copy)]
pub struct ImageLimits {
    /// Decoded (binary) size in bytes.
    pub max_bytes: usize,
    /// Width and height in pixels.
    pub max_dimension: u32,
    /// Width × height, read from the header before anything is decoded: a 348 kB PNG of
    /// 8192×8192 black pixels costs 256 MiB to decode.
    pub max_pixels: u64,
    /// Memory the decoder may allocate.
    pub max_decoder_memory: u64,
}

impl Default for ImageLimits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_dimension: 8192,
            max_pixels: 40_000_000,
            max_decoder_memory: 200 * 1024 * 1024,
        }
    }
}

/// Images decoded at once in this process; the others wait. With the pixel limit this bounds
/// the memory that decoding can take (two 40-megapixel images: about 320 MB).
const DECODES_IN_FLIGHT: usize = 2;
static DECODES: LazyLock<Turns> = LazyLock::new(|| Turns::new(DECODES_IN_FLIGHT, None));

/// [`check_image`] off the async threads, at most [`DECODES_IN_FLIGHT`] at a time.
pub async fn check_image_bounded(bytes: Vec<u8>, limits: ImageLimits) -> Result<CheckedImage, String> {
    DECODES.run(move || check_image(bytes, limits)).await.map_err(|_| messages::INVALID_IMAGE.to_owned())?
}

/// What a write does to an image field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageChange {
    /// The field was absent (or echoed the current URL back): keep the image.
    Keep,
    Remove,
    /// A checked image to store.
    Store(CheckedImage),
}

/// An image that decoded within the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedImage {
    pub bytes: Vec<u8>,
    pub extension: &'static str,
}

impl CheckedImage {
    /// `<folder>/<hash>.<ext>`: the same bytes always get the same name.
    pub fn name(&self, folder: &str) -> String {
        hp_domain::media::content_name(folder, &self.bytes, self.extension)
    }

    pub fn content_type(&self) -> &'static str {
        content_type(self.extension)
    }
}

pub fn content_type(extension: &str) -> &'static str {
    match extension {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

const UNKNOWN_TYPE: &str = "The type of the image couldn't be determined.";

/// Checks raw bytes: a known format that decodes completely within the limits.
pub fn check_image(bytes: Vec<u8>, limits: ImageLimits) -> Result<CheckedImage, String> {
    if bytes.len() > limits.max_bytes {
        return Err(too_large(limits));
    }
    let format = image::guess_format(&bytes).map_err(|_| UNKNOWN_TYPE.to_owned())?;
    let extension = match format {
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Png => "png",
        ImageFormat::Gif => "gif",
        ImageFormat::WebP => "webp",
        _ => return Err(UNKNOWN_TYPE.to_owned()),
    };
    let mut decoder_limits = Limits::default();
    decoder_limits.max_image_width = Some(limits.max_dimension);
    decoder_limits.max_image_height = Some(limits.max_dimension);
    decoder_limits.max_alloc = Some(limits.max_decoder_memory);
    // The header alone first: what the pixels would cost is known before they are decoded.
    let mut header_limits = Limits::default();
    header_limits.max_alloc = Some(limits.max_decoder_memory);
    let (width, height) = match limited_reader(&bytes, format, &header_limits).into_dimensions() {
        Ok(dimensions) => dimensions,
        Err(image::ImageError::Limits(_)) => return Err(too_many_pixels(limits)),
        Err(_) => return Err(messages::INVALID_IMAGE.to_owned()),
    };
    if width > limits.max_dimension || height > limits.max_dimension {
        return Err(format!("The image is too large: at most {0}×{0} pixels.", limits.max_dimension));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(too_many_pixels(limits));
    }
    match limited_reader(&bytes, format, &decoder_limits).decode() {
        Ok(_) => Ok(CheckedImage { bytes, extension }),
        Err(image::ImageError::Limits(_)) => Err(too_many_pixels(limits)),
        Err(_) => Err(messages::INVALID_IMAGE.to_owned()),
    }
}

fn limited_reader<'a>(bytes: &'a [u8], format: ImageFormat, limits: &Limits) -> ImageReader<Cursor<&'a [u8]>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    reader
}

fn too_many_pixels(limits: ImageLimits) -> String {
    format!(
        "The image is too large: at most {0}×{0} pixels and {1} megapixels.",
        limits.max_dimension,
        limits.max_pixels / 1_000_000
    )
}

/// The message for an image over [`ImageLimits::max_bytes`].
pub fn too_large(limits: ImageLimits) -> String {
    let (amount, unit) = match limits.max_bytes {
        n if n >= 1024 * 1024 => (n / (1024 * 1024), "MB"),
        n => (n.div_ceil(1024), "kB"),
    };
    format!("The image is too large: at most {amount} {unit}.")
}
