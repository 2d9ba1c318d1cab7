//! Pure product logic, free of I/O and of Leptos: compiled into the wasm for instant feedback
//! and run on the server, which decides.

pub mod access;
pub mod account;
pub mod attribution;
pub mod audit;
pub mod branding;
pub mod comparison;
pub mod export;
pub mod html;
pub mod item_answers;
pub mod link;
pub mod national;
pub mod notice;
pub mod programme;
pub mod publication;
pub mod questionnaire;
pub mod region;
pub mod response;
pub mod review;
pub mod role;
pub mod round;
pub mod time;
