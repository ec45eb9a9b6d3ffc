//! Names of stored images: derived from their content, so that a name's bytes never change
//! (which lets `/media/` serve them as immutable), and limited to a few folders and plain
//! characters, so that a name can never reach outside the store.

use sha2::{Digest, Sha256};

/// The folders images are stored in (the original's upload folders).
pub const FOLDERS: [&str; 3] = ["hobby_images", "promo_images", "hobbycategory_images"];

/// `<folder>/<hash>.<extension>`: the same bytes always get the same name.
pub fn content_name(folder: &str, bytes: &[u8], extension: &str) -> String {
    let hash = hex::encode(&Sha256::digest(bytes)[..16]);
    format!("{folder}/{hash}.{extension}")
}

/// Whether `name` is one this service stores and serves: in one of the [`FOLDERS`], without
/// empty, `.` or `..` parts, of ASCII letters, digits and `/._-` only.
pub fn is_servable_name(name: &str) -> bool {
    name.len() <= crate::limits::MAX_MEDIA_NAME_CHARS
        && FOLDERS.iter().any(|folder| name.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/')))
        && !name.split('/').any(|part| part.is_empty() || part == "." || part == "..")
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_content_and_stay_inside_the_folders() {
        let name = content_name("hobby_images", b"bytes", "png");
        assert!(name.starts_with("hobby_images/") && name.ends_with(".png") && name.len() == 13 + 32 + 4);
        assert_eq!(name, content_name("hobby_images", b"bytes", "png"));
        assert!(is_servable_name(&name));
        assert!(!is_servable_name("hobby_images/../secret.png"));
        assert!(!is_servable_name("hobby_images_x/a.png"));
        assert!(!is_servable_name("hobby_images/kesä.jpg"));
        assert!(!is_servable_name("/etc/passwd"));
        assert!(!is_servable_name(&format!("hobby_images/{}.png", "a".repeat(5000))));
    }
}
