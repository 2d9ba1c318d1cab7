//! The reviewer's work and the publications of the demo: the earlier rounds approved and
//! published, and in the open round one response sent back and one approved.

use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::state::AppState;
use crate::services::{new_id, now_ms, publications};
use sqlx::AnyPool;

/// The conclusions of the demo's latest publication, as the programme would write them.
const CONCLUSIONS: &str = "Alle regio's werken aan een regionale aanpak van dakloosheid. De belangrijkste ontwikkelingen sinds december 2025:

- **Wonen Eerst** staat in 95% van de regionale plannen, tegen 82% een half jaar eerder.
- **Opvang in de gemeente van herkomst**: 92% van de regio's regelt dit, tegen 79% in december 2025.
- Vier regio's hadden bij publicatie nog geen goedgekeurde antwoorden; zij staan als *geen gegevens* in het dashboard en tellen niet mee.

# Aandachtspunten

- Bezwaren van omwonenden vertragen in meerdere regio's de bouw van nieuwe opvang- en woonvoorzieningen.
- Het aantal Wonen Eerst-plekken groeit, maar de uitstroom uit de opvang blijft achter bij de doelen.
";

/// Publishes the earlier rounds in order, a few weeks after each deadline, the latest with
/// its conclusions: the public dashboard has a history from the start.
pub(super) async fn publish_history(state: &AppState) -> Result<(), AppError> {
    let closed: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, deadline FROM rounds WHERE state = 'closed' ORDER BY deadline")
            .fetch_all(&state.pool)
            .await?;
    let last = closed.len().saturating_sub(1);
    for (n, (round_id, deadline)) in closed.iter().enumerate() {
        let conclusions = if n == last { CONCLUSIONS } else { "" };
        let three_weeks_later = deadline + 21 * 24 * 60 * 60 * 1000;
        publications::publish_as_of(
            state,
            &Actor::CommandLine,
            round_id,
            conclusions,
            three_weeks_later,
        )
        .await?;
    }
    Ok(())
}

/// The open round's regions the reviewer has already dealt with: one sent back with a
/// comment, one approved. Earlier rounds are approved throughout.
pub const RETURNED_REGION: &str = "R02";
pub const APPROVED_REGION: &str = "R06";

/// The reviewer's work: every response of the earlier rounds approved a few days after it came
/// in; in the open round one response sent back with a comment and one approved.
pub(super) async fn load_reviews(pool: &AnyPool) -> Result<(), AppError> {
    let day = 24 * 60 * 60 * 1000;
    let reviewer: String =
        sqlx::query_scalar("SELECT id FROM users WHERE email_normalized = 'reviewer@nad.example'")
            .fetch_one(pool)
            .await?;
    sqlx::query(
        "UPDATE responses SET status = 'approved', approved_by = $1, approved_at = submitted_at + $2 \
         WHERE status = 'submitted' AND round_id IN (SELECT id FROM rounds WHERE state <> 'open')",
    )
    .bind(&reviewer)
    .bind(5 * day)
    .execute(pool)
    .await?;
    let open_round: String = sqlx::query_scalar("SELECT id FROM rounds WHERE state = 'open'")
        .fetch_one(pool)
        .await?;
    let response_of = |region: &'static str| {
        let open_round = open_round.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT id FROM responses WHERE round_id = $1 AND region_code = $2",
            )
            .bind(open_round)
            .bind(region)
            .fetch_one(pool)
            .await
        }
    };
    let now = now_ms();
    let approved = response_of(APPROVED_REGION).await?;
    sqlx::query("UPDATE responses SET status = 'approved', approved_by = $1, approved_at = $2 WHERE id = $3")
        .bind(&reviewer)
        .bind(now - day / 2)
        .bind(&approved)
        .execute(pool)
        .await?;
    let returned = response_of(RETURNED_REGION).await?;
    sqlx::query(
        "UPDATE responses SET status = 'returned', returned_by = $1, returned_at = $2, \
         return_reason = $3, submitted_at = NULL, submitted_by = NULL WHERE id = $4",
    )
    .bind(&reviewer)
    .bind(now - day / 2)
    .bind("Het aantal plekken voor Wonen Eerst is sterk veranderd; zie de opmerking bij de vraag.")
    .bind(&returned)
    .execute(pool)
    .await?;
    let thread = new_id();
    sqlx::query(
        "INSERT INTO comment_threads (id, response_id, item_key, resolved, created_by, created_at) \
         VALUES ($1, $2, 'e_wonen_eerst_plekken', 0, $3, $4)",
    )
    .bind(&thread)
    .bind(&returned)
    .bind(&reviewer)
    .bind(now - day / 2)
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO comments (id, thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(&thread)
    .bind(&reviewer)
    .bind("Klopt dit aantal? Het wijkt veel af van de vorige meting. Graag een korte toelichting.")
    .bind(now - day / 2)
    .execute(pool)
    .await?;
    Ok(())
}
