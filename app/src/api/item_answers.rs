//! One item's answers across every region of a round, beside the compared round's, for
//! reviewers and admins (`/beoordelen/:id/antwoorden`). The downloads of the same table are
//! plain routes (`server/src/item_answers.rs`).

// The server function takes each of the page's query parameters as an argument of its own,
// so it is called with the same plain fields a GET form sends; the macro's browser half does
// not carry an `allow` on the function itself.
#![allow(clippy::too_many_arguments)]

use crate::domain::item_answers::ItemAnswers;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A round's item chooser and, when an item is chosen, its answers per region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundItemAnswers {
    pub round_id: String,
    pub round_name: String,
    /// The compared round's name; `None` when the round is compared with none.
    pub compared_round: Option<String>,
    /// Every item of the round's questionnaire version by section: (section title,
    /// [(key, label)]).
    pub chooser: Vec<(String, Vec<(String, String)>)>,
    /// The chosen item's answers, filtered and sorted as asked.
    pub item: Option<ItemAnswers>,
}

/// The page's data. `item` is an item key (`None` or empty: only the chooser); the rest are
/// the filter and sort of the page's query (`zoek`, `keuze`, `gewijzigd`, `beantwoord`,
/// `status`, `sorteer`, `volgorde`).
#[server(endpoint = "review/item_answers")]
pub async fn get_item_answers(
    round_id: String,
    item: Option<String>,
    search: Option<String>,
    choice: Option<String>,
    changed: Option<String>,
    answered: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    order: Option<String>,
) -> Result<RoundItemAnswers, AppError> {
    use crate::domain::item_answers::RawQuery;
    use crate::services::{item_answers, request};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let query = RawQuery {
        item,
        search,
        choice,
        changed,
        answered,
        status,
        sort,
        order,
    };
    item_answers::page(&state, &user, &round_id, &query).await
}
