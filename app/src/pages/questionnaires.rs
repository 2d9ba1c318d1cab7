//! `/beheer/vragenlijsten`: the stored questionnaire versions and a form to load a new
//! definition file; `/beheer/vragenlijsten/poging/:id`: the problems of a refused file;
//! `/beheer/vragenlijsten/:identifier/:version`: a read-only preview of a version, as a
//! coordinator would see it, with conditions, rules and lineage spelled out.

use crate::api::questionnaires::{
    get_questionnaire, import_attempt, list_questionnaires, VersionSummary,
};
use crate::components::loaded::Loaded;
use crate::components::notice::ChangeNotice;
use crate::components::question::Question;
use crate::domain::questionnaire::model::{Item, Lineage, Questionnaire, Severity};
use crate::domain::time::format_date_time;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn notice_text(code: &str) -> Option<&'static str> {
    match code {
        "geladen" => Some("De vragenlijst is gecontroleerd en geladen."),
        "al-geladen" => {
            Some("Deze versie was al geladen, met precies dezelfde inhoud. Er is niets veranderd.")
        }
        "geen-bestand" => Some("Kies eerst een bestand om te laden."),
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
            "Een versie is één TOML-bestand (zie "<code>"docs/questionnaire-format.md"</code>"). Het hele bestand wordt eerst "
            "gecontroleerd; bij een fout wordt niets opgeslagen en ziet u elke fout met regelnummer en vraag. "
            "Een geladen versie verandert nooit: een wijziging is een nieuw bestand met een nieuw versienummer."
        </p>
        <form class="form" method="post" action=paths::QUESTIONNAIRE_UPLOAD enctype="multipart/form-data">
            <div class="form-field">
                <label class="form-label" for="veld-bestand">"Definitiebestand (.toml)"</label>
                <input class="form-file" type="file" id="veld-bestand" name="bestand" accept=".toml,text/plain" required/>
            </div>
            <button type="submit" class="button">"Controleren en laden"</button>
        </form>
    }
}

/// Every stored version with a link to its preview.
#[component]
fn VersionTable(versions: Vec<VersionSummary>) -> impl IntoView {
    if versions.is_empty() {
        return view! { <p>"Er is nog geen vragenlijst geladen."</p> }.into_any();
    }
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label="Vragenlijsten">
            <table class="table">
                <caption class="visually-hidden">"Geladen versies van vragenlijsten"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Vragenlijst"</th>
                        <th scope="col">"Versie"</th>
                        <th scope="col">"Titel"</th>
                        <th scope="col">"Vragen"</th>
                        <th scope="col">"Vorige versie"</th>
                        <th scope="col">"Geladen"</th>
                    </tr>
                </thead>
                <tbody>
                    {versions.into_iter().map(|v| {
                        let href = paths::questionnaire_version(&v.identifier, &v.version);
                        view! {
                            <tr>
                                <td>{v.identifier}</td>
                                <td><a href=href>{v.version}</a></td>
                                <td>{v.title}</td>
                                <td>{v.item_count}</td>
                                <td>{v.previous_version.unwrap_or_else(|| "–".to_string())}</td>
                                <td>{format!("{} door {} ({})", format_date_time(v.imported_at), v.imported_by, v.file_name)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
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

fn lineage_text(lineage: &Lineage) -> Option<String> {
    match lineage {
        Lineage::Original => None,
        Lineage::New => Some("Nieuw in deze versie.".to_string()),
        Lineage::Unchanged => Some("Ongewijzigd ten opzichte van de vorige versie.".to_string()),
        Lineage::Mapped { from, codes } if codes.is_empty() => {
            Some(format!("Hernoemd; heette '{from}'."))
        }
        Lineage::Mapped { from, codes } => {
            let mapping: Vec<String> = codes
                .iter()
                .map(|(old, new)| format!("{old} → {new}"))
                .collect();
            Some(format!(
                "Uit '{from}', met nieuwe codes: {}.",
                mapping.join(", ")
            ))
        }
        Lineage::SplitFrom(from) => Some(format!("Afgesplitst van '{from}'.")),
        Lineage::MergedFrom(keys) => Some(format!("Samengevoegd uit {}.", keys.join(", "))),
        Lineage::ChangedMeaning(why) => {
            Some(format!("Betekenis gewijzigd, niet vergelijkbaar: {why}"))
        }
    }
}

/// The conditions, rules and lineage of an item, in words.
#[component]
fn ItemLogic(item: Item) -> impl IntoView {
    let condition = item
        .visible_if
        .map(|c| view! { <li>"Wordt alleen gesteld als: "<code>{c.source}</code></li> });
    let rules = item.rules.into_iter().map(|rule| {
        let kind = match rule.severity {
            Severity::Blocking => "Controle (blokkeert indienen)",
            Severity::Warning => "Controle (waarschuwing)",
        };
        view! { <li>{format!("{kind}: ")}<code>{rule.check.source}</code>{format!(" – melding: “{}”", rule.message)}</li> }
    }).collect_view();
    let lineage = lineage_text(&item.lineage).map(|text| view! { <li>{text}</li> });
    let label = format!("Logica van vraag {}", item.key);
    view! {
        <ul class="item-logic" aria-label=label>
            <li>"Sleutel: "<code>{item.key}</code>" · type "{item.kind.type_name()}</li>
            {condition}
            {rules}
            {lineage}
        </ul>
    }
}

#[component]
fn Preview(questionnaire: Questionnaire) -> impl IntoView {
    let title = format!(
        "Voorbeeld: {} (versie {})",
        questionnaire.title, questionnaire.version
    );
    let count = questionnaire.items().count();
    let removed = (!questionnaire.removed.is_empty()).then(|| view! {
        <h2>"Vervallen ten opzichte van de vorige versie"</h2>
        <ul>{questionnaire.removed.iter().map(|r| view! { <li><code>{r.key.clone()}</code>{format!(": {}", r.reason)}</li> }).collect_view()}</ul>
    });
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="notice notice--info">
            {format!("Alleen-lezen voorbeeld van {count} vragen in {} secties, zoals een regiocoördinator ze ziet. ", questionnaire.sections.len())}
            "Onder elke vraag staan de voorwaarde, de controles en de herkomst."
        </p>
        <p class="intro">{questionnaire.introduction.clone()}</p>
        <nav aria-label="Secties" class="toc">
            <ol>
                {questionnaire.sections.iter().map(|s| {
                    let href = format!("#sectie-{}", s.key);
                    view! { <li><a href=href>{format!("{}. {}", s.key, s.title)}</a></li> }
                }).collect_view()}
            </ol>
        </nav>
        {questionnaire.sections.into_iter().map(|section| view! {
            <section class="preview-section" aria-labelledby=format!("sectie-{}", section.key)>
                <h2 id=format!("sectie-{}", section.key)>{format!("{}. {}", section.key, section.title)}</h2>
                {section.intro.map(|intro| view! { <p>{intro}</p> })}
                {section.items.into_iter().map(|item| view! {
                    <div class="preview-item">
                        <Question item=item.clone() disabled=true/>
                        <ItemLogic item/>
                    </div>
                }).collect_view()}
            </section>
        }).collect_view()}
        {removed}
        <p><a href=paths::QUESTIONNAIRES>"Terug naar vragenlijsten"</a></p>
    }
}

#[component]
pub fn QuestionnairePreviewPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("identifier").unwrap_or_default(),
            p.get("version").unwrap_or_default(),
        )
    };
    let questionnaire = Resource::new(key, |(identifier, version)| {
        get_questionnaire(identifier, version)
    });
    view! {
        <Loaded data=questionnaire let:questionnaire>
            <Preview questionnaire/>
        </Loaded>
    }
}
