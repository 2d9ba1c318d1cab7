//! `/beheer/metingen`: the measurement rounds, and a form to set up a new one;
//! `/beheer/metingen/:id` (`rounds/round.rs`): one round, its state, name, dates and compared
//! round, its regions, a later deadline for one region and reopening one region's submitted
//! response (`rounds/changes.rs`). Every form works without JavaScript.

use crate::api::questionnaires::{list_questionnaires, VersionSummary};
use crate::api::regions::list_regions;
use crate::api::rounds::{list_rounds, CreateRound};
use crate::components::form::{CheckboxGroup, ErrorSummary, SelectField, TextField};
use crate::components::loaded::Loaded;
use crate::components::response::ProgrammeMark;
use crate::components::table::ScrollTable;
use crate::domain::region::Region;
use crate::domain::response::ResponseStatus;
use crate::domain::round::{RoundSummary, MAX_NAME_CHARS};
use crate::domain::time::format_date;
use crate::error::AppError;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

mod changes;
mod round;

pub use round::RoundPage;

/// The confirmation after a change, from the `melding` query parameter.
fn notice_text(code: &str) -> Option<&'static str> {
    match code {
        "aangemaakt" => Some("De meting is aangemaakt als concept. Open haar wanneer ze klaar is."),
        "open" => Some("De meting is open: coördinatoren kunnen antwoorden invullen."),
        "closed" => Some("De meting is gesloten: er kunnen geen antwoorden meer bij."),
        "published" | "gepubliceerd" => Some("De meting is gepubliceerd: de goedgekeurde antwoorden op de openbare vragen staan op het dashboard en in de open data."),
        "gecorrigeerd" => Some("De correctie is gepubliceerd als nieuwe editie; de eerdere editie blijft beschikbaar."),
        "deadline" => Some("De deadline van de regio is verlengd."),
        "gewijzigd" => Some("De naam en data van de meting zijn opgeslagen."),
        "ongewijzigd" => Some("Er was niets veranderd; de meting is gebleven zoals ze was."),
        "vergelijking" => Some("Opgeslagen met welke meting deze meting wordt vergeleken."),
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
    // Every programme's regions (listed by programme); the questionnaire's programme takes part.
    let several = regions
        .iter()
        .any(|r| r.programme_code != regions[0].programme_code);
    let region_options: Vec<(String, String)> = regions
        .iter()
        .filter(|r| r.is_active())
        .map(|r| {
            let label = format!("{} {}", r.code, r.name);
            let label = if several {
                format!("{label} (programma {})", r.programme_code)
            } else {
                label
            };
            (r.code.clone(), label)
        })
        .collect();
    let version_options: Vec<(String, String)> = versions
        .into_iter()
        .map(|v| {
            (
                format!("{}/{}", v.identifier, v.version),
                format!(
                    "{} ({}/{}, programma {})",
                    v.title, v.identifier, v.version, v.programme
                ),
            )
        })
        .collect();
    let hint = if several {
        "De vragenlijst bepaalt het programma: alleen de aangevinkte regio's van dat programma doen mee. Opgeheven regio's staan hier niet. De meting legt hun naam, centrumgemeente en gemeenten vast zoals ze zijn wanneer ze opent."
    } else {
        "Alle regio's doen mee, tenzij u er een uitvinkt. Opgeheven regio's staan hier niet. De meting legt hun naam, centrumgemeente en gemeenten vast zoals ze zijn wanneer ze opent."
    };
    let compared_options: Vec<(String, String)> = std::iter::once((
        String::new(),
        "De vorige meting van dezelfde vragenlijst (automatisch)".to_string(),
    ))
    .chain(
        rounds
            .iter()
            .map(|r| (r.id.clone(), format!("{} ({})", r.name, r.questionnaire))),
    )
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
            <CheckboxGroup legend="Deelnemende regio's" name="regions" options=region_options error hint/>
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
        <ScrollTable label="Metingen" caption="Alle metingen, nieuwste eerst" hidden_caption=true
            columns=&["Meting", "Vragenlijst", "Status", "Opent", "Deadline", "Ingediend"]>
            {rounds
                .into_iter()
                .map(|round| view! {
                    <tr>
                        <td>
                            <ProgrammeMark programme=round.programme.clone()/>" "
                            <a href=paths::round(&round.id)>{round.name.clone()}</a>
                        </td>
                        <td>{round.questionnaire.clone()}</td>
                        <td>{round.state.label()}</td>
                        <td>{format_date(round.opens_at)}</td>
                        <td>{format_date(round.deadline)}</td>
                        <td>{format!("{} van {}", round.submitted_count, round.region_count)}</td>
                    </tr>
                })
                .collect_view()}
        </ScrollTable>
    }
    .into_any()
}
