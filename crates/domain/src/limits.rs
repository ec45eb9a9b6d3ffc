//! How much a client may send: the bounds of every input whose size would otherwise decide
//! the size of a query, a recursion or an allocation. Each bound is far above what a real
//! client sends (the apps search with a few words, filter by a handful of categories) and
//! low enough that the work a request causes stays small and the databases' own limits
//! (SQLite's expression depth of 1,000 and `LIKE` pattern length of 50,000) are never met,
//! so that a request over a bound gets a 400 naming its parameter instead of a 500.

/// Characters of a `search` value.
pub const MAX_SEARCH_CHARS: usize = 200;
/// Words of a `search` value.
pub const MAX_SEARCH_TERMS: usize = 32;
/// Values of a repeatable query parameter (`category`, `start_weekday`).
pub const MAX_REPEATED_VALUES: usize = 100;
/// Keys of an `ordering` value (there are four distinct ones).
pub const MAX_ORDERING_KEYS: usize = 8;
/// `max_distance` in km: no two points on the globe are farther apart than half its
/// circumference (π × 6,370.986 km), so a larger limit means nothing more.
pub const MAX_DISTANCE_KM: i64 = 20_016;
/// Characters of a `description` written through the API (importers keep what the source
/// holds). Real descriptions are a few paragraphs.
pub const MAX_DESCRIPTION_CHARS: usize = 20_000;
/// Ids in one list field of a body (a hobby's `categories`).
pub const MAX_RELATED_IDS: usize = 100;
/// Levels of the category and audience trees: the ontology has four; renderers of nested
/// children never go deeper.
pub const MAX_TREE_DEPTH: i64 = 16;
/// Characters of a stored image's name (`/media/…`): a file name's limit on every file system.
pub const MAX_MEDIA_NAME_CHARS: usize = 255;
