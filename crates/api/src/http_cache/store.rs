//! The kept answers: least recently used first out, bounded in bytes.

use super::answer::Kept;
use lru::LruCache;
use std::sync::{Arc, Mutex};

/// What one entry costs besides its key and body (headers, bookkeeping).
const ENTRY_OVERHEAD: usize = 512;

pub struct Store {
    capacity: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    entries: LruCache<String, Arc<Kept>>,
    bytes: usize,
}

fn cost(key: &str, kept: &Kept) -> usize {
    key.len() + kept.body.len() + ENTRY_OVERHEAD
}

impl Store {
    /// A store of at most `capacity` bytes; 0 keeps nothing.
    pub fn new(capacity: usize) -> Self {
        Self { capacity, inner: Mutex::new(Inner { entries: LruCache::unbounded(), bytes: 0 }) }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn get(&self, key: &str) -> Option<Arc<Kept>> {
        if self.capacity == 0 {
            return None;
        }
        self.inner().entries.get(key).cloned()
    }

    /// Keeps an answer, dropping the least recently used ones to make room. An answer of
    /// more than an eighth of the store is not kept: it would push out too much.
    pub fn put(&self, key: String, kept: Arc<Kept>) {
        let size = cost(&key, &kept);
        if size > self.capacity / 8 {
            return;
        }
        let mut inner = self.inner();
        if let Some(old) = inner.entries.pop(&key) {
            inner.bytes -= cost(&key, &old);
        }
        inner.bytes += size;
        inner.entries.put(key, kept);
        while inner.bytes > self.capacity {
            match inner.entries.pop_lru() {
                Some((key, old)) => inner.bytes -= cost(&key, &old),
                None => break,
            }
        }
    }

    /// Bytes kept now.
    pub fn bytes(&self) -> usize {
        self.inner().bytes
    }
}

#[cfg(test)]
mod tests {
    use super::{Kept, Store, ENTRY_OVERHEAD};
    use axum::http::HeaderMap;
    use std::sync::Arc;

    fn kept(size: usize) -> Arc<Kept> {
        Arc::new(Kept {
            headers: HeaderMap::new(),
            body: vec![b'x'; size].into(),
            etag: "\"e\"".into(),
            last_modified: std::time::SystemTime::UNIX_EPOCH,
            version: 1,
            minute: 0,
            route: None,
        })
    }

    #[test]
    fn the_least_recently_used_answer_goes_first_and_the_bytes_stay_bounded() {
        let each = 1000 + ENTRY_OVERHEAD + 1;
        let store = Store::new(each * 9);
        for key in ["a", "b", "c", "d", "e", "f", "g", "h", "i"] {
            store.put(key.into(), kept(1000));
        }
        assert!(store.get("a").is_some());
        store.put("j".into(), kept(1000));
        assert!(store.get("a").is_some(), "a was used, b was not");
        assert!(store.get("b").is_none());
        assert!(store.bytes() <= each * 9);
        store.put("huge".into(), kept(each * 2));
        assert!(store.get("huge").is_none(), "more than an eighth is not kept");
        assert!(Store::new(0).get("a").is_none());
    }
}
