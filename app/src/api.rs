//! Server functions: thin entry points that check who is asking, call a service and return
//! `Result<T, AppError>`. Each has a stable URL under `/api/`, so forms without JavaScript
//! and the HTTP tests can rely on it.

pub mod account;
pub mod auth;
pub mod info;
pub mod item_answers;
pub mod national;
pub mod outbox;
pub mod publications;
pub mod questionnaires;
pub mod regions;
pub mod responses;
pub mod review;
pub mod rounds;
pub mod two_factor;
pub mod users;
