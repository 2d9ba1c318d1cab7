//! The questionnaire engine: the model of a questionnaire version, the expression language of
//! its conditions and rules, answers parsed from form input, completeness, and lineage
//! between versions. Pure code, run in the browser and on the server alike.

pub mod answer;
pub mod completeness;
pub mod describe;
pub mod expr;
/// XLSForm and REDCap in and out; translating needs the definition loader.
#[cfg(feature = "definitions")]
pub mod interchange;
/// Reading definition files needs a TOML parser, which the browser does not need.
#[cfg(feature = "definitions")]
pub mod load;
pub mod model;
