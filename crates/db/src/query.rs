//! Parameters shared by the list queries: pages, orderings, distance limits, edit scopes and
//! text searches. The API parses and validates them; the aggregate modules apply them.

use hp_domain::geo::Point;

/// A window of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: u64,
    pub limit: u64,
}

/// Whose objects an `editable_only` list or an authenticated organizer/location list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditScope {
    /// A superuser may edit everything.
    Everything,
    /// Objects the user created or that belong to a municipality they moderate.
    User(i64),
}

/// One key of an `ordering` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKey {
    Distance { descending: bool },
    StartDate { descending: bool },
}

impl OrderKey {
    /// Whether both order by the same field (in either direction).
    pub fn same_field(&self, other: &OrderKey) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// The point that `nearest` is measured from, and the optional distance limit in km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proximity {
    pub origin: Point,
    pub max_distance_km: Option<f64>,
}

/// Explicit ordering of a list; empty means the resource's default order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ordering {
    pub keys: Vec<OrderKey>,
    pub proximity: Option<Proximity>,
}

/// Categories with all their descendants, as ranges of `tree_position` (a subtree is the
/// interval from a category's position to its `subtree_end`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategorySubtrees {
    pub ranges: Vec<(i64, i64)>,
}

impl CategorySubtrees {
    /// Merges overlapping ranges so that each subtree is tested once.
    pub fn new(mut ranges: Vec<(i64, i64)>) -> Self {
        ranges.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(ranges.len());
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 + 1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Self { ranges: merged }
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

/// A text search: every term must occur in the row's text; for hobbies and their events,
/// alternatively the hobby is in a category whose name matches a term, or a descendant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextSearch {
    pub terms: Vec<String>,
    pub categories: CategorySubtrees,
}
