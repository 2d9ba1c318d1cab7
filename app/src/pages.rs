//! One module per route.

pub mod admin;
pub mod audit;
pub mod fill;
pub mod home;
pub mod login;
pub mod national;
pub mod questionnaires;
pub mod regions;
pub mod review;
pub mod rounds;
pub mod users;
