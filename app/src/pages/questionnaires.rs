//! `/beheer/vragenlijsten`: the stored questionnaire versions and a form to load a new
//! definition file; `/beheer/vragenlijsten/poging/:id`: the problems of a refused file;
//! `/beheer/vragenlijsten/:identifier/:version`: a read-only preview of a version, as a
//! coordinator would see it, with conditions, rules and lineage spelled out.

use crate::api::questionnaires::{import_attempt, list_questionnaires, VersionSummary};
use crate::components::form::field_id;
use crate::components::loaded::Loaded;
use crate::components::notice::ChangeNotice;
use crate::components::table::ScrollTable;
use crate::domain::time::format_date_time;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

mod preview;
pub use preview::{QuestionnairePreviewPage, UploadPreviewPage};

fn notice_text(code: &str) -> Option<&'static str> {
    match code {
        "geladen" => Some("De vragenlijst is gecontroleerd en geladen."),
        "al-geladen" => {
            Some("Deze versie was al geladen, met precies dezelfde inhoud. Er is niets veranderd.")
        }
        "geen-bestand" => Some("Kies eerst een bestand om te laden."),
        "niet-geladen" => Some("Het bestand is niet opgeslagen. Er is niets veranderd."),
        _ => None,
    }
}

#[component]
pub fn QuestionnairesPage() -> impl IntoView {
    let versions = Resource::new(|| (), |_| list_questionnaires());
    view! {
        <Title text="Vragenlijsten"/>
        <h1>"Vragenlijsten"</h1>
        <ChangeNotice text_of=|code| notice_text(code).map(String::from)/>
        <Loaded data=versions let:versions>
            <VersionTable versions/>
        </Loaded>
        <h2>"Nieuwe versie laden"</h2>
        <p>
            "Een versie is één definitiebestand: ons eigen TOML-formaat (zie "<code>"docs/questionnaire-format.md"</code>"), "
            "een XLSForm-werkmap (.xlsx) of een REDCap data dictionary (.csv). Het hele bestand wordt eerst "
            "gecontroleerd; bij een fout wordt niets opgeslagen en ziet u elke fout met de plaats in het bestand "
            "(regel, of blad, rij en kolom). "
            "Zonder fouten ziet u eerst een voorbeeld: alle vragen, de voorwaarden en controles in woorden, en wat er "
            "verandert ten opzichte van de vorige versie. Pas daarna slaat u de versie op. "
            "Een opgeslagen versie verandert nooit: een wijziging is een nieuw bestand met een nieuw versienummer."
        </p>
        <form class="form" method="post" action=paths::QUESTIONNAIRE_UPLOAD enctype="multipart/form-data">
            <div class="form-field">
                <label class="form-label" for="veld-bestand">"Definitiebestand (.toml, .xlsx of .csv)"</label>
                <input class="form-file" type="file" id="veld-bestand" name="bestand"
                    accept=".toml,.xlsx,.csv,text/plain,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required/>
            </div>
            <fieldset class="form-fieldset">
                <legend class="form-label">"Alleen bij XLSForm of REDCap"</legend>
                <p class="form-hint" id="namen-uitleg">
                    "Een REDCap-bestand noemt geen vragenlijst, versie en titel: vul ze hier in. Bij XLSForm vervangen ze "
                    "wat het blad settings zegt (form_id, version, form_title, programme). Bij een TOML-bestand laat u ze leeg. "
                    "Zonder programma hoort de vragenlijst bij het NAD."
                </p>
                <NameField label="Vragenlijst (bijvoorbeeld nad)" name="identifier"/>
                <NameField label="Versie (bijvoorbeeld 2027-06)" name="versie"/>
                <NameField label="Titel" name="titel"/>
                <NameField label="Programma (code, bijvoorbeeld bt)" name="programma"/>
            </fieldset>
            <button type="submit" class="button">"Controleren"</button>
        </form>
    }
}

/// A name for the uploaded file's questionnaire, which the hint above the fields explains.
#[component]
fn NameField(label: &'static str, name: &'static str) -> impl IntoView {
    let id = field_id(name);
    view! {
        <div class="form-field">
            <label class="form-label" for=id.clone()>{label}</label>
            <input class="form-input" type="text" id=id name=name maxlength="200" aria-describedby="namen-uitleg"/>
        </div>
    }
}

/// Every stored version with a link to its preview.
#[component]
fn VersionTable(versions: Vec<VersionSummary>) -> impl IntoView {
    if versions.is_empty() {
        return view! { <p>"Er is nog geen vragenlijst geladen."</p> }.into_any();
    }
    view! {
        <ScrollTable label="Vragenlijsten" caption="Geladen versies van vragenlijsten" hidden_caption=true
            columns=&["Programma", "Vragenlijst", "Versie", "Titel", "Vragen", "Vorige versie", "Geladen"]>
            {versions.into_iter().map(|v| {
                let href = paths::questionnaire_version(&v.identifier, &v.version);
                view! {
                    <tr>
                        <td>{v.programme}</td>
                        <td>{v.identifier}</td>
                        <td><a href=href>{v.version}</a></td>
                        <td>{v.title}</td>
                        <td>{v.item_count}</td>
                        <td>{v.previous_version.unwrap_or_else(|| "–".to_string())}</td>
                        <td>{format!("{} door {} ({})", format_date_time(v.imported_at), v.imported_by, v.file_name)}</td>
                    </tr>
                }
            }).collect_view()}
        </ScrollTable>
    }
    .into_any()
}

#[component]
pub fn ImportAttemptPage() -> impl IntoView {
    let params = use_params_map();
    let attempt = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        import_attempt,
    );
    view! {
        <Loaded data=attempt let:attempt>
            <ImportProblems file_name=attempt.0 problems=attempt.1/>
        </Loaded>
    }
}

/// Why a definition file was refused: every problem in it.
#[component]
fn ImportProblems(file_name: String, problems: Vec<String>) -> impl IntoView {
    view! {
        <Title text="Vragenlijst niet geladen"/>
        <h1>"Vragenlijst niet geladen"</h1>
        <div class="error-summary" role="alert" aria-labelledby="fouten-titel" tabindex="-1">
            <h2 id="fouten-titel" class="error-summary__title">
                {format!("{} bevat {} {}", file_name, problems.len(), if problems.len() == 1 { "fout" } else { "fouten" })}
            </h2>
            <ul class="error-summary__list error-summary__list--plain">
                {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
        </div>
        <p>"Er is niets opgeslagen. Verbeter het bestand en laad het opnieuw."</p>
        <p><a href=paths::QUESTIONNAIRES>"Terug naar vragenlijsten"</a></p>
    }
}
