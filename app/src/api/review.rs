//! Review: the completeness overview of a round, a response as the reviewer reads it, sending
//! back, approving (signed with the password), voiding an approval, comments on items, and
//! the audit trail for admins. Every change redirects back with a notice, so the forms work
//! without JavaScript.

use crate::api::responses::ResponseHeader;
use crate::domain::audit::AuditPage;
use crate::domain::questionnaire::completeness::{Counts, ItemStatus, SectionStatus};
use crate::domain::review::findings::{Finding, FindingKind};
use crate::domain::review::{
    CommentThread, OverviewPage, OverviewRow, ReviewAction, SortKey, Totals,
};
use crate::domain::round::RoundSummary;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The completeness overview of a round, sorted and filtered as asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewOverview {
    pub round: RoundSummary,
    /// Counted over every participating region, whatever the filter.
    pub totals: Totals,
    /// This page's rows, of those that match the filter and the search.
    pub rows: Vec<OverviewRow>,
    pub page: OverviewPage,
    pub sort: SortKey,
    pub descending: bool,
    /// What region names and codes were searched for (empty: not searched).
    pub search: String,
}

/// One change in an answer's history, as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: i64,
    pub by: String,
    /// `None` for the first answer.
    pub old: Option<String>,
    pub new: String,
}

/// One item as the reviewer reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub key: String,
    pub label: String,
    pub status: ItemStatus,
    /// The answer as text; `None` when not answered.
    pub now: Option<String>,
    /// The compared round's answer, mapped through lineage.
    pub before: Option<String>,
    pub changed: bool,
    pub not_compared: Option<String>,
    pub blocking: Vec<String>,
    pub warnings: Vec<String>,
    /// Taken over from the compared round and not confirmed.
    pub prefilled: bool,
    /// Taken over and confirmed unchanged by the region ("Klopt nog").
    pub confirmed_unchanged: bool,
    pub history: Vec<HistoryLine>,
    pub threads: Vec<CommentThread>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewSection {
    pub key: String,
    pub title: String,
    pub status: SectionStatus,
    /// Items asked in this response; items hidden by conditions are left out.
    pub items: Vec<ReviewItem>,
    pub hidden: usize,
}

/// A response with everything the reviewer checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub header: ResponseHeader,
    pub round_id: String,
    pub compared_round: Option<String>,
    pub overall: Counts,
    pub sections: Vec<ReviewSection>,
    /// What the signed-in user may do with the response now.
    pub actions: Vec<ReviewAction>,
    /// Reviewers and admins resolve threads; coordinators answer them.
    pub may_resolve: bool,
    /// Comments are closed once the round is published.
    pub may_comment: bool,
    /// The user signs an approval with a code of their second factor (else their password).
    pub signs_with_code: bool,
}

#[cfg(feature = "ssr")]
mod views;

/// The overview of a round for reviewers and admins. `sort` is a column code, `order` "af"
/// for descending, `status` a status code or empty for all, `problem` the code of a kind of
/// open point (regions that still have some) or empty for all, `search` text in the
/// regions' names or codes, `page` the 1-based page of `OVERVIEW_PAGE_SIZE` rows.
#[server(endpoint = "review/overview")]
pub async fn get_review_overview(
    round_id: String,
    sort: Option<String>,
    order: Option<String>,
    status: Option<String>,
    problem: Option<String>,
    search: Option<String>,
    page: Option<i64>,
) -> Result<ReviewOverview, AppError> {
    use crate::domain::review::findings::ProblemFilter;
    use crate::domain::review::{check_search, matches_search, sort_rows, ReviewStatus};
    use crate::services::{request, review};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let (round, mut rows) = review::overview(&state, &user, &round_id).await?;
    let totals = Totals::of(&rows);
    let sort = sort
        .as_deref()
        .and_then(SortKey::from_code)
        .unwrap_or(SortKey::Region);
    let descending = order.as_deref() == Some("af");
    if let Some(status) = status.as_deref().filter(|s| !s.is_empty()) {
        let status = ReviewStatus::from_code(status)
            .ok_or_else(|| AppError::BadRequest(format!("Onbekende status '{status}'.")))?;
        rows.retain(|row| row.status == status);
    }
    if let Some(problem) = problem.as_deref().filter(|p| !p.is_empty()) {
        let problem = ProblemFilter::from_code(problem)
            .ok_or_else(|| AppError::BadRequest(format!("Onbekend filter '{problem}'.")))?;
        rows.retain(|row| problem.matches(row));
    }
    let search =
        check_search(search.as_deref().unwrap_or_default()).map_err(AppError::BadRequest)?;
    if !search.is_empty() {
        rows.retain(|row| matches_search(row, &search));
    }
    sort_rows(&mut rows, sort, descending);
    let page = OverviewPage::of(rows.len(), page.unwrap_or(1));
    Ok(ReviewOverview {
        round,
        totals,
        rows: page.take(rows),
        page,
        sort,
        descending,
        search,
    })
}

/// What still stands between a response and approval, item by item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingsPage {
    pub header: ResponseHeader,
    pub round_id: String,
    /// Per kind, in the order of `FindingKind::ALL`.
    pub findings: Vec<Finding>,
    pub per_kind: Vec<(FindingKind, usize)>,
    /// Reviewers and admins came from the round's overview; coordinators from their response.
    pub reviewer: bool,
}

/// The open points of one response: for reviewers and admins, and for the region's
/// coordinators (who read the review page too).
#[server(endpoint = "review/findings")]
pub async fn get_findings(response_id: String) -> Result<FindingsPage, AppError> {
    use crate::domain::review::findings::count_per_kind;
    use crate::domain::review::may_resolve;
    use crate::services::{request, review};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let (response, version, findings) = review::findings(&state, &user, &response_id).await?;
    Ok(FindingsPage {
        header: crate::api::responses::views::header(&user, &response, &version),
        round_id: response.round.id.clone(),
        per_kind: count_per_kind(&findings),
        findings,
        reviewer: may_resolve(user.role),
    })
}

/// One response as the reviewer reads it; the region's coordinators read it too, to answer
/// the comments.
#[server(endpoint = "review/response")]
pub async fn get_review(response_id: String) -> Result<ReviewPage, AppError> {
    use crate::services::{request, review};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let data = review::review_data(&state, &user, &response_id).await?;
    let actions = review::allowed_actions(&user, &data.response);
    let mut page = views::review_page(&user, data, actions);
    page.signs_with_code = crate::services::two_factor::is_enabled(&state.pool, &user.id).await?;
    Ok(page)
}

#[cfg(feature = "ssr")]
fn back_to_review(response_id: &str, notice: &str) {
    use crate::paths;
    leptos_axum::redirect(&paths::with_notice(
        &paths::response_review(response_id),
        notice,
    ));
}

/// Sends a response back with a reason, and returns to its review page with `notice`.
#[cfg(feature = "ssr")]
async fn send_back(
    response_id: &str,
    action: ReviewAction,
    reason: &str,
    notice: &str,
) -> Result<(), AppError> {
    use crate::services::{request, review};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    review::send_back(&state, &user, response_id, action, reason).await?;
    back_to_review(response_id, notice);
    Ok(())
}

/// Sends a submitted response back to the region, with a reason.
#[server(endpoint = "review/return")]
pub async fn return_response(response_id: String, reason: String) -> Result<(), AppError> {
    send_back(&response_id, ReviewAction::Return, &reason, "teruggestuurd").await
}

/// Voids an approval, with a reason: the response goes back to the region.
#[server(endpoint = "review/void")]
pub async fn void_approval(response_id: String, reason: String) -> Result<(), AppError> {
    send_back(&response_id, ReviewAction::Reopen, &reason, "heropend").await
}

/// Approves a submitted response, signed with a code of the reviewer's second factor (or,
/// without one, their password) in `password`.
#[server(endpoint = "review/approve")]
pub async fn approve_response(response_id: String, password: String) -> Result<(), AppError> {
    use crate::services::{request, review};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    review::approve(
        &state,
        &user,
        &response_id,
        &password,
        request::client_address(),
    )
    .await?;
    back_to_review(&response_id, "goedgekeurd");
    Ok(())
}

/// Adds a comment on an item: a new thread, or a reply when `thread_id` is given. `back` is
/// the page to return to (the review page by default).
#[server(endpoint = "review/comment")]
pub async fn add_comment(
    response_id: String,
    item_key: String,
    body: String,
    thread_id: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::access::is_local_path;
    use crate::paths;
    use crate::services::{request, review};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    review::add_comment(
        &state,
        &user,
        &response_id,
        &item_key,
        thread_id.as_deref(),
        &body,
    )
    .await?;
    let target = back
        .filter(|path| is_local_path(path) && !path.contains('#'))
        .unwrap_or_else(|| paths::with_notice(&paths::response_review(&response_id), "opmerking"));
    leptos_axum::redirect(&paths::at_item(&target, &item_key));
    Ok(())
}

/// Marks a thread resolved ("ja") or open again ("nee").
#[server(endpoint = "review/resolve")]
pub async fn resolve_comment(thread_id: String, resolved: String) -> Result<(), AppError> {
    use crate::services::{request, review};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let resolved = match resolved.as_str() {
        "ja" => true,
        "nee" => false,
        _ => return Err(AppError::BadRequest("Kies ‘ja’ of ‘nee’.".to_string())),
    };
    let response_id = review::set_resolved(&state, &user, &thread_id, resolved).await?;
    back_to_review(
        &response_id,
        if resolved {
            "afgehandeld"
        } else {
            "heropend-opmerking"
        },
    );
    Ok(())
}

/// A page of the audit trail, for admins. Dates are `jjjj-mm-dd` as a date field sends them.
#[server(endpoint = "audit")]
pub async fn get_audit_trail(
    user: Option<String>,
    region: Option<String>,
    round: Option<String>,
    kind: Option<String>,
    from: Option<String>,
    until: Option<String>,
    page: Option<i64>,
) -> Result<AuditPage, AppError> {
    use crate::services::{audit, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    let filter = audit_filter(user, region, round, kind, from, until)?;
    audit::browse(&state.pool, &filter, page.unwrap_or(1)).await
}

/// Reads the audit filter from a form's fields; a malformed date is a field error.
#[cfg(feature = "ssr")]
pub fn audit_filter(
    user: Option<String>,
    region: Option<String>,
    round: Option<String>,
    kind: Option<String>,
    from: Option<String>,
    until: Option<String>,
) -> Result<crate::domain::audit::AuditFilter, AppError> {
    use crate::domain::audit::{AuditFilter, MAX_USER_FILTER_CHARS};
    use crate::domain::time::{end_of_local_day, parse_input_date, start_of_local_day};
    let given = |value: Option<String>| {
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let user = given(user);
    if user
        .as_ref()
        .is_some_and(|u| u.chars().count() > MAX_USER_FILTER_CHARS)
    {
        return Err(AppError::field(
            "user",
            format!("Zoek met hoogstens {MAX_USER_FILTER_CHARS} tekens."),
        ));
    }
    let day = |field: &str, value: Option<String>, end: bool| -> Result<Option<i64>, AppError> {
        given(value)
            .map(|text| {
                let (y, m, d) = parse_input_date(&text).map_err(|m| AppError::field(field, m))?;
                Ok(if end {
                    end_of_local_day(y, m, d)
                } else {
                    start_of_local_day(y, m, d)
                })
            })
            .transpose()
    };
    Ok(AuditFilter {
        user,
        region_code: given(region),
        round_id: given(round),
        kind: given(kind),
        from: day("from", from, false)?,
        until: day("until", until, true)?,
    })
}
