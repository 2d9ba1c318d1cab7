//! The forms that change a round on its page: its name and dates, the round it is compared
//! with, a later deadline for one region and reopening one region's submitted response. Each
//! field has a name of its own on the page, so each error goes to its own field.

use super::response_label;
use crate::api::rounds::{
    ExtendRegionDeadline, ReopenRegionResponse, SetRoundComparison, UpdateRound,
};
use crate::components::form::{SelectField, TextField};
use crate::domain::round::{
    RoundDetail, RoundRegion, RoundState, MAX_NAME_CHARS, MAX_REASON_CHARS,
};
use crate::domain::time::input_date;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// Every form that changes the round, under its heading; a published round changes no more
/// than its regions' exceptions allow (none: the forms say so themselves).
#[component]
pub(super) fn RoundChanges(
    detail: RoundDetail,
    update: ServerAction<UpdateRound>,
    update_error: Signal<Option<AppError>>,
    compare: ServerAction<SetRoundComparison>,
    compare_error: Signal<Option<AppError>>,
    extend: ServerAction<ExtendRegionDeadline>,
    extend_error: Signal<Option<AppError>>,
    reopen: ServerAction<ReopenRegionResponse>,
    reopen_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let round_id = detail.summary.id.clone();
    let editable = (detail.summary.state != RoundState::Published).then(|| {
        view! {
            <h2 id="naam-en-data">"Naam en data wijzigen"</h2>
            <DetailsForm detail=detail.clone() update error=update_error/>
            <h2 id="vergelijking">"Vergelijken met"</h2>
            <ComparisonForm detail=detail.clone() compare error=compare_error/>
        }
    });
    view! {
        {editable}
        <h2 id="deadline-verlengen">"Deadline verlengen voor één regio"</h2>
        <ExtendDeadlineForm round_id=round_id.clone() regions=detail.regions.clone() extend error=extend_error/>
        <h2 id="heropenen">"Ingediende vragenlijst heropenen"</h2>
        <ReopenForm round_id regions=detail.regions reopen error=reopen_error/>
    }
}

/// The round's name, opening date (while it is a concept) and deadline.
#[component]
fn DetailsForm(
    detail: RoundDetail,
    update: ServerAction<UpdateRound>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let summary = detail.summary;
    let concept = summary.state == RoundState::Concept;
    let opens_hint = if concept {
        "Kan veranderen zolang de meting een concept is."
    } else {
        "De meting is al geopend; deze datum verandert niet meer."
    };
    view! {
        <ActionForm action=update attr:class="form">
            <input type="hidden" name="round_id" value=summary.id.clone()/>
            <TextField label="Naam van de meting" name="round_name" required=true
                maxlength=MAX_NAME_CHARS value=summary.name.clone() error/>
            <TextField label="Openingsdatum van de meting" name="round_opens_at" input_type="date"
                required=true value=input_date(summary.opens_at) hint=opens_hint error/>
            <TextField label="Deadline van de meting" name="round_deadline" input_type="date"
                required=true value=input_date(summary.deadline) error
                hint="Voor alle regio's; een regio met een eigen, latere deadline houdt die."/>
            <button type="submit" class="button">"Naam en data opslaan"</button>
        </ActionForm>
    }
}

/// The earlier round of the same questionnaire this round is compared with, or none.
#[component]
fn ComparisonForm(
    detail: RoundDetail,
    compare: ServerAction<SetRoundComparison>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    if detail.comparison_choices.is_empty() {
        return view! {
            <p>"Er is geen eerdere meting van deze vragenlijst om mee te vergelijken."</p>
        }
        .into_any();
    }
    let options: Vec<(String, String)> =
        std::iter::once((String::new(), "Niet vergelijken".to_string()))
            .chain(
                detail
                    .comparison_choices
                    .iter()
                    .map(|choice| (choice.id.clone(), choice.label())),
            )
            .collect();
    let selected = detail.compared_round_id.clone().unwrap_or_default();
    view! {
        <ActionForm action=compare attr:class="form">
            <input type="hidden" name="round_id" value=detail.summary.id.clone()/>
            <SelectField label="Eerdere meting" name="compared_round_id" options selected error
                hint="Alleen eerdere metingen van dezelfde vragenlijst. Regio's zien hun antwoorden naast die van deze meting, en kunnen ze overnemen."/>
            <button type="submit" class="button">"Vergelijking opslaan"</button>
        </ActionForm>
    }
    .into_any()
}

/// A later deadline for one region of the round.
#[component]
fn ExtendDeadlineForm(
    round_id: String,
    regions: Vec<RoundRegion>,
    extend: ServerAction<ExtendRegionDeadline>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let region_options: Vec<(String, String)> = regions
        .iter()
        .map(|r| (r.code.clone(), format!("{} ({})", r.name, r.code)))
        .collect();
    view! {
        <ActionForm action=extend attr:class="form">
            <input type="hidden" name="round_id" value=round_id/>
            <SelectField label="Regio" name="region_code" options=region_options error/>
            <TextField label="Nieuwe deadline" name="deadline" input_type="date" required=true error/>
            <TextField label="Reden" name="reason" required=true maxlength=MAX_REASON_CHARS
                hint="Komt in de auditgeschiedenis." error/>
            <button type="submit" class="button">"Deadline verlengen"</button>
        </ActionForm>
    }
}

/// Reopening a region's submitted (or approved) response, once there is one.
#[component]
fn ReopenForm(
    round_id: String,
    regions: Vec<RoundRegion>,
    reopen: ServerAction<ReopenRegionResponse>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let submitted_options: Vec<(String, String)> = regions
        .iter()
        .filter(|r| matches!(r.status.as_deref(), Some("submitted" | "approved")))
        .map(|r| {
            (
                r.code.clone(),
                format!(
                    "{} ({}) – {}",
                    r.name,
                    r.code,
                    response_label(r.status.as_deref())
                ),
            )
        })
        .collect();
    if submitted_options.is_empty() {
        return view! { <p>"Nog geen regio heeft deze meting ingediend."</p> }.into_any();
    }
    view! {
        <ActionForm action=reopen attr:class="form">
            <input type="hidden" name="round_id" value=round_id/>
            <SelectField label="Regio" name="reopen_region" options=submitted_options error/>
            <TextField label="Reden" name="reopen_reason" required=true maxlength=MAX_REASON_CHARS
                hint="De coördinatoren kunnen hun antwoorden weer wijzigen en opnieuw indienen. Een goedkeuring vervalt." error/>
            <button type="submit" class="button button--secondary">"Heropenen"</button>
        </ActionForm>
    }
    .into_any()
}
