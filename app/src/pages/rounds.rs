//! `/beheer/metingen`: the measurement rounds, and a form to set up a new one;
//! `/beheer/metingen/:id`: one round, its state, its regions, a later deadline for one region
//! and reopening one region's submitted response. Every form works without JavaScript.

use crate::api::questionnaires::{list_questionnaires, VersionSummary};
use crate::api::regions::list_regions;
use crate::api::rounds::{
    get_round, list_rounds, ChangeRoundState, CreateRound, ExtendRegionDeadline,
    ReopenRegionResponse,
};
use crate::components::form::{CheckboxGroup, ErrorSummary, SelectField, TextField};
use crate::components::loaded::Loaded;
use crate::components::notice::ChangeNotice;
use crate::domain::region::Region;
use crate::domain::response::ResponseStatus;
use crate::domain::round::{
    RoundDetail, RoundRegion, RoundState, RoundSummary, MAX_NAME_CHARS, MAX_REASON_CHARS,
};
use crate::domain::time::format_date;
use crate::error::AppError;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The confirmation after a change, from the `melding` query parameter.
fn notice_text(code: &str) -> Option<&'static str> {
    match code {
        "aangemaakt" => Some("De meting is aangemaakt als concept. Open haar wanneer ze klaar is."),
        "open" => Some("De meting is open: coördinatoren kunnen antwoorden invullen."),
        "closed" => Some("De meting is gesloten: er kunnen geen antwoorden meer bij."),
        "published" | "gepubliceerd" => Some("De meting is gepubliceerd: de goedgekeurde antwoorden op de openbare vragen staan op het dashboard en in de open data."),
        "gecorrigeerd" => Some("De correctie is gepubliceerd als nieuwe editie; de eerdere editie blijft beschikbaar."),
        "deadline" => Some("De deadline van de regio is verlengd."),
        "heropend" => Some("De vragenlijst van de regio is heropend voor de coördinatoren."),
        _ => None,
    }
}

/// What a region's response shows in the round's table.
fn response_label(status: Option<&str>) -> &'static str {
    status
        .and_then(ResponseStatus::parse)
        .map_or("Niet begonnen", ResponseStatus::label)
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    let create = ServerAction::<CreateRound>::new();
    let rounds = Resource::new(|| (), |_| list_rounds());
    let versions = Resource::new(|| (), |_| list_questionnaires());
    let regions = Resource::new(|| (), |_| list_regions());
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));
    let data = move || async move {
        let rounds = rounds.await?;
        // Only admins may read the versions: this page is theirs.
        let versions = versions.await?;
        let regions = regions.await?;
        Ok((rounds, versions, regions))
    };
    view! {
        <Loaded data let((rounds, versions, regions))>
            <Title text="Metingen"/>
            <h1>"Metingen"</h1>
            <ErrorSummary error=create_error id="fout-meting"/>
            <RoundTable rounds=rounds.clone()/>
            <h2 id="nieuwe-meting">"Nieuwe meting"</h2>
            <p>"Een nieuwe meting begint als concept: coördinatoren zien haar pas als u haar opent."</p>
            <NewRoundForm rounds versions regions create error=create_error/>
        </Loaded>
    }
}

/// Setting up a round: name, version, dates, the round compared with and the regions.
#[component]
fn NewRoundForm(
    rounds: Vec<RoundSummary>,
    versions: Vec<VersionSummary>,
    regions: Vec<Region>,
    create: ServerAction<CreateRound>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let region_options: Vec<(String, String)> = regions
        .into_iter()
        .map(|r| (r.code.clone(), format!("{} {}", r.code, r.name)))
        .collect();
    let version_options: Vec<(String, String)> = versions
        .into_iter()
        .map(|v| {
            (
                format!("{}/{}", v.identifier, v.version),
                format!("{} ({}/{})", v.title, v.identifier, v.version),
            )
        })
        .collect();
    let compared_options: Vec<(String, String)> =
        std::iter::once((String::new(), "De vorige meting (automatisch)".to_string()))
            .chain(rounds.iter().map(|r| (r.id.clone(), r.name.clone())))
            .collect();
    view! {
        <ActionForm action=create attr:class="form">
            <TextField label="Naam" name="name" required=true maxlength=MAX_NAME_CHARS
                hint="Bijvoorbeeld ‘7e meting – juni 2027’." error/>
            <SelectField label="Vragenlijstversie" name="questionnaire" options=version_options error/>
            <TextField label="Openingsdatum" name="opens_at" input_type="date" required=true error/>
            <TextField label="Deadline" name="deadline" input_type="date" required=true
                hint="Antwoorden kunnen tot en met deze dag worden ingevuld." error/>
            <SelectField label="Vergelijken met" name="compared_round_id" options=compared_options error/>
            <CheckboxGroup legend="Deelnemende regio's" name="regions" options=region_options error
                hint="Alle regio's doen mee, tenzij u er een uitvinkt. De meting legt hun naam en centrumgemeente vast zoals ze nu zijn."/>
            <button type="submit" class="button">"Meting aanmaken"</button>
        </ActionForm>
    }
}

#[component]
fn RoundTable(rounds: Vec<RoundSummary>) -> impl IntoView {
    if rounds.is_empty() {
        return view! { <p>"Er zijn nog geen metingen."</p> }.into_any();
    }
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label="Metingen">
            <table class="table">
                <caption class="visually-hidden">"Alle metingen, nieuwste eerst"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Meting"</th>
                        <th scope="col">"Vragenlijst"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Opent"</th>
                        <th scope="col">"Deadline"</th>
                        <th scope="col">"Ingediend"</th>
                    </tr>
                </thead>
                <tbody>
                    {rounds
                        .into_iter()
                        .map(|round| view! {
                            <tr>
                                <td><a href=paths::round(&round.id)>{round.name.clone()}</a></td>
                                <td>{round.questionnaire.clone()}</td>
                                <td>{round.state.label()}</td>
                                <td>{format_date(round.opens_at)}</td>
                                <td>{format_date(round.deadline)}</td>
                                <td>{format!("{} van {}", round.submitted_count, round.region_count)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn RoundPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let change = ServerAction::<ChangeRoundState>::new();
    let extend = ServerAction::<ExtendRegionDeadline>::new();
    let reopen = ServerAction::<ReopenRegionResponse>::new();
    let round = Resource::new(
        move || {
            (
                id(),
                change.version().get(),
                extend.version().get(),
                reopen.version().get(),
            )
        },
        |(id, ..)| get_round(id),
    );
    let change_error = Signal::derive(move || change.value().get().and_then(Result::err));
    let extend_error = Signal::derive(move || extend.value().get().and_then(Result::err));
    let reopen_error = Signal::derive(move || reopen.value().get().and_then(Result::err));
    view! {
        <Loaded data=round let(RoundDetail { summary, compared_round_id: _, regions })>
            <Title text=summary.name.clone()/>
            <p class="breadcrumb"><a href=paths::ROUNDS>"Metingen"</a></p>
            <h1>{summary.name.clone()}</h1>
            <ChangeNotice text_of=|code| notice_text(code).map(String::from)/>
            <ErrorSummary error=change_error id="fout-status"/>
            <ErrorSummary error=extend_error id="fout-deadline"/>
            <ErrorSummary error=reopen_error id="fout-heropenen"/>
            <RoundFacts summary=summary.clone()/>
            <div class="button-row"><StateButtons summary=summary.clone() change/></div>
            <h2>"Regio's"</h2>
            <RegionTable regions=regions.clone()/>
            <h2 id="deadline-verlengen">"Deadline verlengen voor één regio"</h2>
            <ExtendDeadlineForm round_id=summary.id.clone() regions=regions.clone() extend error=extend_error/>
            <h2 id="heropenen">"Ingediende vragenlijst heropenen"</h2>
            <ReopenForm round_id=summary.id.clone() regions reopen error=reopen_error/>
        </Loaded>
    }
}

/// The round's state, version, dates, comparison and how many regions submitted.
#[component]
fn RoundFacts(summary: RoundSummary) -> impl IntoView {
    view! {
        <dl class="facts">
            <dt>"Status"</dt><dd>{summary.state.label()}</dd>
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

/// A button per state the round can move to; publishing (and correcting) opens its own page.
#[component]
fn StateButtons(summary: RoundSummary, change: ServerAction<ChangeRoundState>) -> impl IntoView {
    let round_id = summary.id.clone();
    let state_buttons = summary
        .state
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
            view! {
                <ActionForm action=change attr:class="inline-form">
                    <input type="hidden" name="round_id" value=round_id/>
                    <input type="hidden" name="state" value=target.code()/>
                    <button type="submit" class="button">{target.action()}</button>
                </ActionForm>
            }
            .into_any()
        })
        .collect_view();
    let published = (summary.state == RoundState::Published).then(|| {
        view! {
            <a class="button button--secondary" href=paths::publish(&round_id)>"Correctie publiceren…"</a>
            <a class="button button--secondary" href=paths::DASHBOARD>"Naar het dashboard"</a>
        }
    });
    view! { {state_buttons}{published} }
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

#[component]
fn RegionTable(regions: Vec<RoundRegion>) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label="Regio's in deze meting">
            <table class="table">
                <caption class="visually-hidden">"De regio's van deze meting"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Regio"</th>
                        <th scope="col">"Centrumgemeente"</th>
                        <th scope="col">"Vragenlijst"</th>
                        <th scope="col">"Eigen deadline"</th>
                    </tr>
                </thead>
                <tbody>
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
                </tbody>
            </table>
        </div>
    }
}
