//! Password hashing with argon2id (OWASP ASVS level 2 parameters) and the list of common
//! passwords that new passwords are checked against.
//!
//! Hashing is deliberately slow, so it runs on the blocking thread pool, never on the async
//! runtime's workers.

use crate::domain::account::check_new_password;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordVerifier, Version};
use std::collections::HashSet;
use std::sync::LazyLock;

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
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        AppError::Internal
    })
}

/// Verifies a password against a stored hash, or against the dummy hash when there is none.
pub async fn verify(password: String, stored_hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
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
    .unwrap_or(false)
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
        assert!(verify("een lang wachtwoord".into(), Some(hash.clone())).await);
        assert!(!verify("een ander wachtwoord".into(), Some(hash.clone())).await);
        assert!(!needs_rehash(&hash));
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        assert!(!verify("wat dan ook".into(), None).await);
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
