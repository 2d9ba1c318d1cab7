//! The download of the table (CSV, XLSX): its columns, its rows and its file name. The files
//! hold exactly the rows the page shows, one per region.

use super::AnswerRow;
use crate::domain::export::slug;
use crate::domain::questionnaire::model::{Item, ItemKind};

/// Open text: the download leaves out the value columns, which would repeat the text.
fn is_text(kind: &ItemKind) -> bool {
    matches!(kind, ItemKind::ShortText { .. } | ItemKind::LongText { .. })
}

/// The header of the download: the region, its status, the answer now and before.
pub fn download_columns(item: &Item) -> Vec<&'static str> {
    let mut columns = vec![
        "regio_code",
        "regio_naam",
        "status",
        "antwoord_status",
        "antwoord",
    ];
    if !is_text(&item.kind) {
        columns.push("antwoord_waarde");
    }
    columns.push("vorig_antwoord");
    if !is_text(&item.kind) {
        columns.push("vorig_waarde");
    }
    columns.push("gewijzigd");
    columns
}

/// A row of the download, in the order of `download_columns`.
pub fn download_row(item: &Item, row: &AnswerRow) -> Vec<String> {
    let mut cells = vec![
        row.region_code.clone(),
        row.region_name.clone(),
        row.status.code().to_string(),
        row.standing.code().to_string(),
        row.now.clone(),
    ];
    if !is_text(&item.kind) {
        cells.push(row.now_value.clone());
    }
    cells.push(row.before.clone().unwrap_or_default());
    if !is_text(&item.kind) {
        cells.push(row.before_value.clone());
    }
    cells.push(
        match row.changed {
            Some(true) => "ja",
            Some(false) => "nee",
            None => "",
        }
        .to_string(),
    );
    cells
}

/// The download's file name: round and item as ASCII slugs, e.g.
/// `6e-meting-december-2026_b-wonen-eerst_antwoorden.csv`.
pub fn download_name(round_name: &str, item_key: &str, extension: &str) -> String {
    format!(
        "{}_{}_antwoorden.{extension}",
        slug(round_name),
        slug(item_key)
    )
}
