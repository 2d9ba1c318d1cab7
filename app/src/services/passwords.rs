//! Password hashing with argon2id (OWASP ASVS level 2 parameters) and the list of common
//! passwords that new passwords are checked against.
//!
//! Hashing is deliberately slow (and takes 19 MiB), so it runs on the blocking thread pool,
//! never on the async runtime's workers, and at most one hash per core runs at a time: a
//! short queue waits behind them, and when that is full too the request is refused at once
//! with `AppError::Busy` (503) rather than queued without limit. Hundreds of wrong-password
//! logins at once then cost the server a bounded amount of memory and CPU.

use crate::domain::account::check_new_password;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordVerifier, Version};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Memory in KiB, iterations and parallelism: OWASP's minimum for argon2id.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .expect("argon2 parameters are valid constants");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The ranked list of common passwords (zxcvbn-ts, MIT); see `common_passwords.SOURCE.md`.
static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common_passwords.txt").lines().collect());

/// A hash of a random password, verified against when an e-mail address is unknown, so a
/// failed login costs the same time whether or not the account exists.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(uuid::Uuid::new_v4().as_bytes(), &salt)
        .expect("hashing a random password succeeds")
        .to_string()
});

/// How many requests may wait for a hashing slot, per slot.
const WAITING_PER_SLOT: usize = 8;
/// How long a request waits for a slot before it is refused.
const MAX_WAIT: Duration = Duration::from_secs(5);
/// What a refused request is told.
pub const BUSY: &str = "Het is op dit moment erg druk. Probeer het over een paar seconden opnieuw.";

/// The hashing slots: one per core, and a count of the requests waiting for one.
struct Slots {
    free: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

static SLOTS: LazyLock<Slots> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Slots::new(cores, cores * WAITING_PER_SLOT)
});

/// Counts a waiting request for as long as it lives, also when its future is dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Slots {
    fn new(slots: usize, max_waiting: usize) -> Self {
        Slots {
            free: Arc::new(Semaphore::new(slots)),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// A slot: at once when one is free, after a short wait when the queue has room,
    /// otherwise `Busy`.
    async fn take(&self) -> Result<OwnedSemaphorePermit, AppError> {
        if let Ok(permit) = self.free.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(busy());
        }
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout(MAX_WAIT, self.free.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(busy()),
        }
    }
}

fn busy() -> AppError {
    tracing::warn!("every password hashing slot is taken: request refused");
    AppError::Busy(BUSY.to_string())
}

/// Runs argon2 work on the blocking pool while holding a hashing slot.
async fn hashing<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let permit = SLOTS.take().await?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|error| AppError::internal("a password check task failed", error))
}

pub fn is_common(lowered_password: &str) -> bool {
    COMMON_PASSWORDS.contains(lowered_password)
}

/// Makes the lazily built tables now, so the first login is not slower than the others.
pub fn warm_up() {
    LazyLock::force(&COMMON_PASSWORDS);
    LazyLock::force(&DUMMY_HASH);
}

/// Checks a new password against the rules; the messages are for the field `field`.
pub fn check_policy(password: &str, email: &str, field: &str) -> Result<(), AppError> {
    check_new_password(password, email, is_common)
        .map_err(|messages| AppError::Validation(vec![(field.to_string(), messages)]))
}

/// Hashes a password into a PHC string.
pub async fn hash(password: String) -> Result<String, AppError> {
    hashing(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await?
    .map_err(|error| AppError::internal("password hashing failed", error))
}

/// Verifies a password against a stored hash, or against the dummy hash when there is none,
/// so an unknown account costs the same time and the same slot as a known one. `Busy` when
/// no slot is to be had.
pub async fn verify(password: String, stored_hash: Option<String>) -> Result<bool, AppError> {
    // An invited account without a password yet ('') is checked like an unknown one: the
    // same work, never a match.
    let stored_hash = stored_hash.filter(|hash| !hash.is_empty());
    hashing(move || {
        let known = stored_hash.is_some();
        let phc = stored_hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && known
    })
    .await
}

/// True when a stored hash was made with weaker parameters than today's and should be
/// replaced at the next successful login.
pub fn needs_rehash(stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return true;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return true;
    };
    parsed.algorithm.as_str() != "argon2id"
        || params.m_cost() < MEMORY_KIB
        || params.t_cost() < ITERATIONS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let hash = hash("een lang wachtwoord".to_string()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("een lang wachtwoord".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!verify("een ander wachtwoord".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!needs_rehash(&hash));
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        assert!(!verify("wat dan ook".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn a_full_queue_is_refused_at_once_instead_of_growing() {
        let slots: &'static Slots = Box::leak(Box::new(Slots::new(1, 2)));
        let first = slots.take().await.unwrap();
        let waiters: Vec<_> = (0..2).map(|_| tokio::spawn(slots.take())).collect();
        while slots.waiting.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        // The slot is taken and the queue full: refused at once, not queued.
        assert_eq!(
            slots.take().await.unwrap_err(),
            AppError::Busy(BUSY.to_string())
        );
        drop(first);
        for waiter in waiters {
            drop(
                waiter
                    .await
                    .unwrap()
                    .expect("a waiting request gets the slot in turn"),
            );
        }
        assert_eq!(slots.waiting.load(Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_waits_at_most_a_few_seconds() {
        let slots: &'static Slots = Box::leak(Box::new(Slots::new(1, 2)));
        let _held = slots.take().await.unwrap();
        assert!(matches!(slots.take().await, Err(AppError::Busy(_))));
        assert_eq!(slots.waiting.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn weaker_hashes_are_renewed() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).unwrap(),
        )
        .hash_password(b"x", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
        assert!(needs_rehash(&weak));
        assert!(needs_rehash("geen hash"));
    }

    #[test]
    fn the_common_list_is_loaded() {
        assert!(is_common("123456"));
        assert!(is_common("1qaz2wsx3edc"));
        assert!(!is_common("paardenbloem in de regen"));
        assert!(check_policy("1qaz2wsx3edc", "", "password").is_err());
    }
}
