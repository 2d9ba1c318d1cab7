//! Pieces shared by the pages: the page frame and accessible form parts.

pub mod branding;
pub mod charts;
pub mod comparison;
pub mod dashboard_theme;
pub mod exports;
pub mod form;
pub mod layout;
pub mod loaded;
pub mod notice;
pub mod opened_rounds;
pub mod question;
pub mod region_rounds;
pub mod response;
pub mod status;
pub mod table;
