//! Everything that runs on the server only: state, database access and the use cases
//! (services) that server functions and the command line call. Each service checks who is
//! asking before it touches anything.

pub mod account_links;
pub mod audit;
pub mod auth;
pub mod client_address;
pub mod content;
pub mod counts;
pub mod db;
pub mod demo;
pub mod demo_history;
pub mod exports;
pub mod gemeenten;
pub mod item_answers;
pub mod mail;
pub mod national;
pub mod notices;
pub mod open_data;
pub mod passwords;
pub mod programmes;
pub mod publications;
pub mod questionnaire_files;
pub mod questionnaires;
pub mod regions;
pub mod request;
pub mod responses;
pub mod review;
pub mod rounds;
pub mod sessions;
pub mod snapshots;
pub mod state;
pub mod table_file;
pub mod two_factor;
pub mod users;

/// Now, in UTC milliseconds since 1970: the unit of every `*_at` column.
pub fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp_nanos() as i64 / 1_000_000
}

/// The SHA-256 of a text in lower-case hex: what is stored of secrets (session cookies,
/// link tokens, recovery codes) and what names things by their content.
pub fn sha256_hex(text: &str) -> String {
    sha256_hex_bytes(text.as_bytes())
}

/// The SHA-256 of bytes in lower-case hex: the checksum of a file.
pub fn sha256_hex_bytes(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// 256 random bits from the operating system, URL-safe: session cookies and link tokens.
pub fn random_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A new random identifier for a row.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
