//! `/beheer/regios`: the admin adds a region and edits the division of gemeenten over the
//! regions: move a gemeente, add one, remove one. Each change counts from the next round that
//! opens; rounds keep their own copy. The programmes are listed here too, and added.

use crate::api::regions::{
    get_regions_admin, AddGemeente, AddProgramme, AddRegion, MoveGemeente, RegionsAdmin,
    RemoveGemeente,
};
use crate::components::form::{ErrorSummary, SelectField, TextField};
use crate::components::loaded::Loaded;
use crate::components::notice::ChangeNotice;
use crate::components::response::ProgrammeMark;
use crate::components::table::ScrollTable;
use crate::domain::programme::Programme;
use crate::domain::region::{Gemeente, Region, REGION_CODE_MAX_CHARS, REGION_NAME_MAX_CHARS};
use crate::error::AppError;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

fn notice_text(code: &str) -> Option<String> {
    let text = match code {
        "verplaatst" => {
            "De gemeente is verplaatst. Dat geldt vanaf de volgende meting die opengaat."
        }
        "gemeente-toegevoegd" => {
            "De gemeente is toegevoegd. Dat geldt vanaf de volgende meting die opengaat."
        }
        "gemeente-verwijderd" => {
            "De gemeente is uit de indeling gehaald. Eerdere metingen houden haar."
        }
        "programma-toegevoegd" => {
            "Het programma is toegevoegd. Laad zijn regio's, gemeenten en vragenlijst; een vragenlijst noemt haar programma."
        }
        _ => return None,
    };
    Some(text.to_string())
}

#[component]
pub fn RegionsAdminPage() -> impl IntoView {
    let add_region = ServerAction::<AddRegion>::new();
    let add_programme = ServerAction::<AddProgramme>::new();
    let move_action = ServerAction::<MoveGemeente>::new();
    let add_action = ServerAction::<AddGemeente>::new();
    let remove_action = ServerAction::<RemoveGemeente>::new();
    let data = Resource::new(
        move || {
            (
                move_action.version().get(),
                add_action.version().get(),
                remove_action.version().get(),
            )
        },
        |_| get_regions_admin(),
    );
    let add_region_error = Signal::derive(move || add_region.value().get().and_then(Result::err));
    let programme_error = Signal::derive(move || add_programme.value().get().and_then(Result::err));
    let move_error = Signal::derive(move || move_action.value().get().and_then(Result::err));
    let add_error = Signal::derive(move || add_action.value().get().and_then(Result::err));
    let remove_error = Signal::derive(move || remove_action.value().get().and_then(Result::err));
    view! {
        <Loaded data let(RegionsAdmin { programmes, regions, gemeenten })>
            <Title text="Regio's en gemeenten beheren"/>
            <p class="breadcrumb"><a href=paths::ADMIN>"Beheer"</a></p>
            <h1>"Regio's en gemeenten beheren"</h1>
            <ChangeNotice text_of=notice_text/>
            <p>"Wijzigingen gelden voor metingen die hierna opengaan. Elke meting houdt haar eigen kopie van de regio's en hun gemeenten, zodat eerdere cijfers niet veranderen. Een regio hernoemt of heft u op via de pagina van de regio."</p>
            <RegionsTable regions=regions.clone() gemeenten=gemeenten.clone()/>
            <Programmes programmes=programmes.clone() add_programme error=programme_error/>
            <h2 id="regio-toevoegen">"Regio toevoegen"</h2>
            <ErrorSummary error=add_region_error id="fout-regio"/>
            <ActionForm action=add_region attr:class="form">
                <TextField label="Regiocode" name="code" required=true maxlength=REGION_CODE_MAX_CHARS
                    hint="Letters, cijfers en '-', bijvoorbeeld R46. Kan later niet veranderen." error=add_region_error/>
                <TextField label="Naam van de regio" name="name" required=true
                    maxlength=REGION_NAME_MAX_CHARS error=add_region_error/>
                <TextField label="Centrumgemeente" name="lead_gemeente" required=true
                    maxlength=REGION_NAME_MAX_CHARS error=add_region_error/>
                {programme_choice(&programmes).map(|options| view! {
                    <SelectField label="Programma" name="programme" options error=add_region_error/>
                })}
                <button type="submit" class="button">"Regio toevoegen"</button>
            </ActionForm>
            <h2 id="indeling">"Indeling van gemeenten"</h2>
            <DivisionForms regions gemeenten move_action move_error add_action add_error
                remove_action remove_error/>
        </Loaded>
    }
}

/// The programmes a new region can belong to; none to choose while there is only one.
fn programme_choice(programmes: &[Programme]) -> Option<Vec<(String, String)>> {
    (programmes.len() > 1).then(|| {
        programmes
            .iter()
            .map(|p| (p.code.clone(), p.name.clone()))
            .collect()
    })
}

/// The programmes, each with its mark, and the form that adds one.
#[component]
fn Programmes(
    programmes: Vec<Programme>,
    add_programme: ServerAction<AddProgramme>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <h2 id="programmas">"Programma's"</h2>
        <p>"Elk programma heeft zijn eigen regio's, vragenlijsten en metingen. Regio's en gemeenten van een programma voegt u hieronder toe met het programma erbij (of met "
            <code>"regions import --programme"</code>" en "<code>"gemeenten import --programme"</code>"); een vragenlijst noemt zelf haar programma."</p>
        <ul class="choice-list" aria-label="Programma's">
            {programmes.into_iter().map(|programme| view! {
                <li class="choice-list__item">
                    <ProgrammeMark programme=programme.clone()/>" "
                    {format!("{} (code {})", programme.name, programme.code)}
                </li>
            }).collect_view()}
        </ul>
        <h3>"Programma toevoegen"</h3>
        <ErrorSummary error id="fout-programma"/>
        <ActionForm action=add_programme attr:class="form">
            <TextField label="Programmacode" name="new_programme" required=true maxlength=32 error
                hint="Kleine letters, cijfers en '-', beginnend met een letter, bijvoorbeeld bt. Staat in de adressen van het dashboard en kan later niet veranderen."/>
            <TextField label="Naam" name="programme_name" required=true maxlength=120 error
                hint="Bijvoorbeeld ‘Beschermd Thuis’."/>
            <TextField label="Korte naam" name="short_name" required=true maxlength=12 error
                hint="Het merkje bij metingen en regio's, bijvoorbeeld BT."/>
            <TextField label="Kleur" name="colour" input_type="color" value="#5b2a86".to_string() error
                hint="De kleur van het merkje; donker genoeg voor witte tekst."/>
            <button type="submit" class="button">"Programma toevoegen"</button>
        </ActionForm>
    }
}

/// Every region with its centrumgemeente, number of gemeenten and whether it is retired.
#[component]
fn RegionsTable(regions: Vec<Region>, gemeenten: Vec<Gemeente>) -> impl IntoView {
    let rows = regions
        .into_iter()
        .map(|region| {
            let count = gemeenten
                .iter()
                .filter(|g| g.region_code == region.code)
                .count();
            let status = if region.is_active() {
                "Actief"
            } else {
                "Opgeheven"
            };
            view! {
                <tr>
                    <td>{region.code.clone()}</td>
                    <td><a href=paths::region(&region.code)>{region.name}</a></td>
                    <td>{region.lead_gemeente}</td>
                    <td>{count}</td>
                    <td>{status}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ScrollTable label="Regio's" caption="Alle regio's met hun aantal gemeenten" hidden_caption=true
            columns=&["Code", "Regio", "Centrumgemeente", "Gemeenten", "Status"]>
            {rows}
        </ScrollTable>
    }
}

/// Moving, adding and removing one gemeente.
#[component]
fn DivisionForms(
    regions: Vec<Region>,
    gemeenten: Vec<Gemeente>,
    move_action: ServerAction<MoveGemeente>,
    move_error: Signal<Option<AppError>>,
    add_action: ServerAction<AddGemeente>,
    add_error: Signal<Option<AppError>>,
    remove_action: ServerAction<RemoveGemeente>,
    remove_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let region_options: Vec<(String, String)> = regions
        .iter()
        .filter(|r| r.is_active())
        .map(|r| (r.code.clone(), format!("{} {}", r.code, r.name)))
        .collect();
    // A gemeente is in one region per programme: moving names the region (and so the
    // programme), removing names the programme with the code.
    let programme_of = |region_code: &str| {
        regions
            .iter()
            .find(|r| r.code == region_code)
            .map_or(String::new(), |r| r.programme_code.clone())
    };
    let label = |g: &Gemeente| format!("{} ({}, nu {})", g.name, g.code, g.region_code);
    let move_gemeenten: Vec<(String, String)> = gemeenten
        .iter()
        .map(|g| (g.code.clone(), label(g)))
        .collect();
    let gemeente_options: Vec<(String, String)> = gemeenten
        .iter()
        .map(|g| {
            (
                format!("{}/{}", programme_of(&g.region_code), g.code),
                label(g),
            )
        })
        .collect();
    let move_regions = region_options.clone();
    view! {
        <h3>"Gemeente naar een andere regio verplaatsen"</h3>
        <ErrorSummary error=move_error id="fout-verplaatsen"/>
        <ActionForm action=move_action attr:class="form">
            <SelectField label="Gemeente" name="gemeente_code" options=move_gemeenten error=move_error/>
            <SelectField label="Nieuwe regio" name="region_code" options=move_regions error=move_error/>
            <button type="submit" class="button">"Gemeente verplaatsen"</button>
        </ActionForm>
        <h3>"Gemeente toevoegen"</h3>
        <ErrorSummary error=add_error id="fout-gemeente-toevoegen"/>
        <ActionForm action=add_action attr:class="form">
            <TextField label="CBS-gemeentecode" name="new_gemeente_code" required=true maxlength=6
                hint="GM gevolgd door vier cijfers, bijvoorbeeld GM0344." error=add_error/>
            <TextField label="Naam van de gemeente" name="new_gemeente_name" required=true
                maxlength=REGION_NAME_MAX_CHARS error=add_error/>
            <SelectField label="Regio van de gemeente" name="new_gemeente_region" options=region_options error=add_error/>
            <button type="submit" class="button">"Gemeente toevoegen"</button>
        </ActionForm>
        <h3>"Gemeente uit de indeling halen"</h3>
        <p>"Bijvoorbeeld na een herindeling. Eerdere metingen houden de gemeente in hun eigen kopie."</p>
        <ErrorSummary error=remove_error id="fout-gemeente-verwijderen"/>
        <ActionForm action=remove_action attr:class="form">
            <SelectField label="Gemeente die vervalt" name="removed_gemeente" options=gemeente_options error=remove_error/>
            <button type="submit" class="button button--secondary">"Uit de indeling halen"</button>
        </ActionForm>
    }
}
