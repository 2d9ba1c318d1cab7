//! The server's tests as one test binary: one build and one link instead of one per file.
//! Each module is a file beside this one; `support` is what they share (a fresh database per
//! test on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL` is set, and requests through
//! the router). Run one module with `cargo test -p server --test api -- http::`.
//!
//! Two files stay binaries of their own, because they change what the whole process shares:
//! `login_hardening.rs` fills the process's password hashing slots on purpose, which would
//! refuse other tests' logins, and `well_known.rs` sets environment variables.

mod support;

mod accounts;
mod advisers;
mod cli;
mod cli_rounds;
mod comparison;
mod concurrent_saves;
mod database;
mod exports;
mod http;
mod item_answers;
mod kept_counts;
mod national;
mod notices;
mod processes;
mod programmes;
mod publications;
mod questionnaire_files;
mod questionnaire_uploads;
mod regions_admin;
mod responses;
mod review;
mod rounds;
mod rounds_admin;
mod submit_race;
mod theme;
mod two_factor;
