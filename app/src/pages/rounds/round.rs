//! `/beheer/metingen/:id`: one round, its facts and state, its regions, and the forms that
//! change it (`changes.rs`).

use super::changes::RoundChanges;
use super::{notice_text, response_label};
use crate::api::rounds::{
    get_round, ChangeRoundState, ExtendRegionDeadline, ReopenRegionResponse, SetRoundComparison,
    UpdateRound,
};
use crate::components::form::{ErrorSummary, TextField};
use crate::components::loaded::Loaded;
use crate::components::notice::ChangeNotice;
use crate::components::table::ScrollTable;
use crate::domain::round::{
    reason_required, RoundRegion, RoundState, RoundSummary, MAX_REASON_CHARS,
};
use crate::domain::time::format_date;
use crate::error::AppError;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RoundPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let change = ServerAction::<ChangeRoundState>::new();
    let update = ServerAction::<UpdateRound>::new();
    let compare = ServerAction::<SetRoundComparison>::new();
    let extend = ServerAction::<ExtendRegionDeadline>::new();
    let reopen = ServerAction::<ReopenRegionResponse>::new();
    let round = Resource::new(
        move || {
            (
                id(),
                change.version().get(),
                update.version().get(),
                compare.version().get(),
                extend.version().get(),
                reopen.version().get(),
            )
        },
        |(id, ..)| get_round(id),
    );
    let change_error = Signal::derive(move || change.value().get().and_then(Result::err));
    let update_error = Signal::derive(move || update.value().get().and_then(Result::err));
    let compare_error = Signal::derive(move || compare.value().get().and_then(Result::err));
    let extend_error = Signal::derive(move || extend.value().get().and_then(Result::err));
    let reopen_error = Signal::derive(move || reopen.value().get().and_then(Result::err));
    view! {
        <Loaded data=round let(detail)>
            <Title text=detail.summary.name.clone()/>
            <p class="breadcrumb"><a href=paths::ROUNDS>"Metingen"</a></p>
            <h1>{detail.summary.name.clone()}</h1>
            <ChangeNotice text_of=|code| notice_text(code).map(String::from)/>
            <ErrorSummary error=change_error id="fout-status"/>
            <ErrorSummary error=update_error id="fout-gegevens"/>
            <ErrorSummary error=compare_error id="fout-vergelijking"/>
            <ErrorSummary error=extend_error id="fout-deadline"/>
            <ErrorSummary error=reopen_error id="fout-heropenen"/>
            <RoundFacts summary=detail.summary.clone() state_reason=detail.state_reason.clone()/>
            <StateButtons summary=detail.summary.clone() change error=change_error/>
            <h2>"Regio's"</h2>
            <RegionTable regions=detail.regions.clone()/>
            <RoundChanges detail=detail.clone() update update_error compare compare_error
                extend extend_error reopen reopen_error/>
        </Loaded>
    }
}

/// The round's state (and the reason given for it), version, dates, comparison and how many
/// regions submitted.
#[component]
fn RoundFacts(summary: RoundSummary, state_reason: Option<String>) -> impl IntoView {
    view! {
        <dl class="facts">
            <dt>"Programma"</dt><dd>{summary.programme.name.clone()}</dd>
            <dt>"Status"</dt><dd>{summary.state.label()}</dd>
            {state_reason.map(|reason| view! { <dt>"Reden statuswijziging"</dt><dd>{reason}</dd> })}
            <dt>"Vragenlijst"</dt><dd>{summary.questionnaire.clone()}</dd>
            <dt>"Opent"</dt><dd>{format_date(summary.opens_at)}</dd>
            <dt>"Deadline"</dt><dd>{format_date(summary.deadline)}</dd>
            <dt>"Vergeleken met"</dt>
            <dd>{summary.compared_round.clone().unwrap_or_else(|| "geen eerdere meting".to_string())}</dd>
            <dt>"Ingediend"</dt>
            <dd>{format!("{} van {} regio's", summary.submitted_count, summary.region_count)}</dd>
        </dl>
    }
}

/// A form per state the round can move to; publishing (and correcting) opens its own page.
/// Opening a closed round again asks for a reason, closing for an optional one.
#[component]
fn StateButtons(
    summary: RoundSummary,
    change: ServerAction<ChangeRoundState>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let round_id = summary.id.clone();
    let current = summary.state;
    let state_forms = current
        .next()
        .iter()
        .map(|target| {
            let round_id = round_id.clone();
            if *target == RoundState::Published {
                // Publishing shows first what becomes public.
                return view! {
                    <a class="button" href=paths::publish(&round_id)>"Publiceren…"</a>
                }
                .into_any();
            }
            let reason = match (reason_required(current, *target), *target) {
                (true, _) => Some(view! {
                    <TextField label="Reden om weer te openen" name="state_reason" required=true
                        maxlength=MAX_REASON_CHARS hint="Komt in de auditgeschiedenis." error/>
                }.into_any()),
                (false, RoundState::Closed) => Some(view! {
                    <TextField label="Reden (optioneel)" name="state_reason"
                        maxlength=MAX_REASON_CHARS hint="Bijvoorbeeld waarom de meting eerder sluit." error/>
                }.into_any()),
                _ => None,
            };
            view! {
                <ActionForm action=change attr:class="form">
                    <input type="hidden" name="round_id" value=round_id/>
                    <input type="hidden" name="state" value=target.code()/>
                    {reason}
                    <button type="submit" class="button">{target.action()}</button>
                </ActionForm>
            }
            .into_any()
        })
        .collect_view();
    let published = (current == RoundState::Published).then(|| {
        view! {
            <a class="button button--secondary" href=paths::publish(&round_id)>"Correctie publiceren…"</a>
            <a class="button button--secondary" href=paths::DASHBOARD>"Naar het dashboard"</a>
        }
    });
    view! { <div class="button-row">{state_forms}{published}</div> }
}

#[component]
fn RegionTable(regions: Vec<RoundRegion>) -> impl IntoView {
    view! {
        <ScrollTable label="Regio's in deze meting" caption="De regio's van deze meting" hidden_caption=true
            columns=&["Regio", "Centrumgemeente", "Vragenlijst", "Eigen deadline"]>
            {regions
                .into_iter()
                .map(|region| view! {
                    <tr>
                        <td><a href=paths::region(&region.code)>{format!("{} ({})", region.name, region.code)}</a></td>
                        <td>{region.lead_gemeente.clone()}</td>
                        <td>{response_label(region.status.as_deref())}</td>
                        <td>{region.deadline.map_or_else(|| "–".to_string(), format_date)}</td>
                    </tr>
                })
                .collect_view()}
        </ScrollTable>
    }
}
