//! The kept publications and their rendered public pages: read once, dropped when an
//! edition is added here, and rechecked now and then for another instance's editions.

use super::{read_all, Publications};
use crate::error::AppError;
use crate::services::state::AppState;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// How many bytes of rendered public pages are kept; beyond that they start over.
const KEPT_PAGE_BYTES: usize = 32 << 20;

/// Rendered public pages by path, with their script nonce replaced by `NONCE_MARK`.
#[derive(Default)]
pub struct KeptPages(
    std::sync::Mutex<(std::collections::HashMap<String, axum::body::Bytes>, usize)>,
);

/// What stands for a kept page's nonce; each response gets a fresh one in its place.
pub const NONCE_MARK: &str = "@@NONCE@@";

impl KeptPages {
    pub fn get(&self, path: &str) -> Option<axum::body::Bytes> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.0.get(path).cloned()
    }

    pub fn keep(&self, path: &str, page: axum::body::Bytes) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.1 + page.len() > KEPT_PAGE_BYTES {
            *kept = Default::default();
        }
        kept.1 += page.len();
        kept.0.insert(path.to_string(), page);
    }
}

/// How long the kept publications are served before the database is asked whether another
/// instance added an edition (a count of a small table).
const RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// The publications, loaded on first use and dropped when an edition is added here; another
/// instance's editions show within `RECHECK`.
#[derive(Default)]
pub struct Cache {
    loaded: RwLock<Option<Kept>>,
    /// One load at a time: a burst of first requests reads the database once.
    loading: tokio::sync::Mutex<()>,
    /// Raised by every `clear`. A load that was reading while an edition was added (the
    /// open data's warm-up after the previous edition, say) must not keep what it read: it
    /// would be served, without the new edition, until the next recheck.
    generation: AtomicU64,
}

#[derive(Clone)]
struct Kept {
    publications: Arc<Publications>,
    /// How many editions there were when they were read: editions are only ever added.
    editions: i64,
    checked: std::time::Instant,
}

impl Cache {
    pub fn clear(&self) {
        let mut loaded = self.loaded.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        *loaded = None;
    }

    fn current(&self) -> Option<Kept> {
        self.loaded
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Keeps what a load read, unless the cache was cleared since it began (`generation`).
    fn keep(&self, generation: u64, kept: Kept) {
        let mut loaded = self.loaded.write().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) == generation {
            *loaded = Some(kept);
        }
    }
}

/// Every publication, from the cache or read once.
pub async fn all(state: &AppState) -> Result<Arc<Publications>, AppError> {
    let fresh = |kept: &Kept| kept.checked.elapsed() < RECHECK;
    if let Some(kept) = state.publications.current().filter(fresh) {
        return Ok(kept.publications);
    }
    let _turn = state.publications.loading.lock().await;
    let generation = state.publications.generation.load(Ordering::SeqCst);
    let kept = state.publications.current();
    if let Some(kept) = kept.clone().filter(fresh) {
        return Ok(kept.publications);
    }
    let editions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM publications")
        .fetch_one(&state.pool)
        .await?;
    let publications = match kept {
        Some(kept) if kept.editions == editions => kept.publications,
        _ => Arc::new(read_all(state).await?),
    };
    state.publications.keep(
        generation,
        Kept {
            publications: publications.clone(),
            editions,
            checked: std::time::Instant::now(),
        },
    );
    Ok(publications)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(editions: i64) -> Kept {
        Kept {
            publications: Arc::new(Publications {
                rounds: Vec::new(),
                pages: KeptPages::default(),
            }),
            editions,
            checked: std::time::Instant::now(),
        }
    }

    #[test]
    fn a_load_that_began_before_an_edition_was_added_keeps_nothing() {
        let cache = Cache::default();
        let began = cache.generation.load(Ordering::SeqCst);
        cache.clear();
        cache.keep(began, read(1));
        assert!(
            cache.current().is_none(),
            "what it read may lack the new edition"
        );
        let began = cache.generation.load(Ordering::SeqCst);
        cache.keep(began, read(2));
        assert_eq!(cache.current().map(|kept| kept.editions), Some(2));
    }
}
