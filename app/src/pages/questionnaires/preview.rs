//! The read-only preview of a questionnaire version, as a coordinator would see it, with the
//! conditions and checks in words and what changed against the version it follows, exactly
//! as comparison will treat it. The same page shows an uploaded file before it is stored.

use crate::api::questionnaires::{
    get_questionnaire, get_upload, Change, DiscardUpload, PendingUpload, Questionnaire,
    StoreUpload, VersionChanges, VersionPreview,
};
use crate::components::form::ErrorSummary;
use crate::components::loaded::Loaded;
use crate::components::question::Question;
use crate::components::table::ScrollTable;
use crate::domain::questionnaire::describe::describe;
use crate::domain::questionnaire::model::{Item, Lineage, Severity};
use crate::domain::time::format_date_time;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

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
    let preview = Resource::new(key, |(identifier, version)| {
        get_questionnaire(identifier, version)
    });
    view! {
        <Loaded data=preview let:preview>
            <Preview preview/>
        </Loaded>
    }
}

/// `/beheer/vragenlijsten/controle/:id`: an uploaded file, checked, before it is stored.
#[component]
pub fn UploadPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let preview = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_upload,
    );
    view! {
        <Loaded data=preview let:preview>
            <Preview preview/>
        </Loaded>
    }
}

#[component]
fn Preview(preview: VersionPreview) -> impl IntoView {
    let VersionPreview {
        questionnaire,
        changes,
        upload,
    } = preview;
    let title = match &upload {
        Some(_) => format!(
            "Controleren: {} (versie {})",
            questionnaire.title, questionnaire.version
        ),
        None => format!(
            "Voorbeeld: {} (versie {})",
            questionnaire.title, questionnaire.version
        ),
    };
    let count = questionnaire.items().count();
    let upload_panel = upload
        .clone()
        .map(|upload| view! { <UploadDecision upload at_top=true/> });
    let changes = changes.map(|changes| view! { <ChangesTable changes/> });
    let sections = questionnaire.sections.clone();
    let introduction = questionnaire.introduction.clone();
    // The item logic reads labels from the whole questionnaire: shared, not copied per item.
    let shared = Arc::new(questionnaire);
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><a href=paths::QUESTIONNAIRES>"Vragenlijsten"</a></p>
        <h1>{title}</h1>
        {upload_panel}
        <p class="notice notice--info">
            {format!("Alleen-lezen voorbeeld van {count} vragen in {} secties, zoals een regiocoördinator ze ziet. ", sections.len())}
            "Onder elke vraag staan de voorwaarde, de controles en de herkomst, in woorden."
        </p>
        {changes}
        <p class="intro">{introduction}</p>
        <nav aria-label="Secties" class="toc">
            <ol>
                {sections.iter().map(|s| {
                    let href = format!("#sectie-{}", s.key);
                    view! { <li><a href=href>{format!("{}. {}", s.key, s.title)}</a></li> }
                }).collect_view()}
            </ol>
        </nav>
        {sections.into_iter().map(|section| {
            let questionnaire = shared.clone();
            view! {
                <section class="preview-section" aria-labelledby=format!("sectie-{}", section.key)>
                    <h2 id=format!("sectie-{}", section.key)>{format!("{}. {}", section.key, section.title)}</h2>
                    {section.intro.map(|intro| view! { <p>{intro}</p> })}
                    {section.items.into_iter().map(|item| {
                        let anchor = format!("vraag-{}-voorbeeld", item.key);
                        view! {
                        <div class="preview-item" id=anchor>
                            <Question item=item.clone() disabled=true/>
                            <ItemLogic item questionnaire=questionnaire.clone()/>
                        </div>
                        }
                    }).collect_view()}
                </section>
            }
        }).collect_view()}
        {upload.map(|upload| view! { <UploadDecision upload at_top=false/> })}
        <p><a href=paths::QUESTIONNAIRES>"Terug naar vragenlijsten"</a></p>
    }
}

/// Store or discard an uploaded file: the only way a checked upload becomes a version. Shown
/// above and below the preview, with ids of their own.
#[component]
fn UploadDecision(upload: PendingUpload, at_top: bool) -> impl IntoView {
    let (store_summary, discard_summary) = if at_top {
        ("fout-opslaan-boven", "fout-weggooien-boven")
    } else {
        ("fout-opslaan-onder", "fout-weggooien-onder")
    };
    let store = ServerAction::<StoreUpload>::new();
    let discard = ServerAction::<DiscardUpload>::new();
    let store_error = Signal::derive(move || store.value().get().and_then(Result::err));
    let discard_error = Signal::derive(move || discard.value().get().and_then(Result::err));
    let (store_id, discard_id) = (upload.id.clone(), upload.id.clone());
    view! {
        <div class="notice notice--warning upload-decision">
            <p>
                {format!("Het bestand {} is gecontroleerd en bevat geen fouten. Het is nog niet opgeslagen. ", upload.file_name)}
                {format!("Geladen op {} door {}. ", format_date_time(upload.uploaded_at), upload.uploaded_by)}
                "Bekijk hieronder de vragen en wat er verandert ten opzichte van de vorige versie. "
                "Een opgeslagen versie verandert nooit meer."
            </p>
            <ErrorSummary error=store_error id=store_summary/>
            <ErrorSummary error=discard_error id=discard_summary/>
            <div class="button-row">
                <ActionForm action=store>
                    <input type="hidden" name="id" value=store_id/>
                    <button type="submit" class="button">"Versie opslaan"</button>
                </ActionForm>
                <ActionForm action=discard>
                    <input type="hidden" name="id" value=discard_id/>
                    <button type="submit" class="button button--secondary">"Niet opslaan"</button>
                </ActionForm>
            </div>
        </div>
    }
}

/// What changed against the version this one follows, as comparison will treat each item.
#[component]
fn ChangesTable(changes: VersionChanges) -> impl IntoView {
    let heading = format!(
        "Wat verandert ten opzichte van versie {}",
        changes.previous_version
    );
    let summary = change_summary(&changes);
    let rows = changes.items.into_iter().map(|change| {
        let (how, detail) = change_words(&change.change);
        let href = format!("#vraag-{}-voorbeeld", change.key);
        view! {
            <tr>
                <td><a href=href><code>{change.key}</code></a>" "{change.label}</td>
                <td>{how}</td>
                <td>{detail}</td>
            </tr>
        }
    });
    let removed = changes.removed.into_iter().map(|removed| {
        view! {
            <tr>
                <td><code>{removed.key}</code>" "{removed.label}</td>
                <td>"Vervallen"</td>
                <td>{removed.reason}</td>
            </tr>
        }
    });
    view! {
        <section class="version-changes" aria-labelledby="wijzigingen">
            <h2 id="wijzigingen">{heading}</h2>
            <p>{summary}</p>
            <ScrollTable label="Wijzigingen per vraag" hidden_caption=true
                caption="Wijzigingen per vraag en hoe de vergelijking ze behandelt"
                columns=&["Vraag", "Vergelijking met de vorige meting", "Toelichting"]>
                {rows.collect_view()}{removed.collect_view()}
            </ScrollTable>
        </section>
    }
}

fn change_summary(changes: &VersionChanges) -> String {
    let count =
        |wanted: fn(&Change) -> bool| changes.items.iter().filter(|c| wanted(&c.change)).count();
    let compared = changes.unchanged
        + count(|c| {
            matches!(
                c,
                Change::Renamed { .. } | Change::Recoded { .. } | Change::Edited(_)
            )
        });
    format!(
        "{compared} vragen worden vergeleken met de vorige meting ({} ongewijzigd, {} hernoemd, {} met nieuwe codes, {} met een andere tekst of logica). \
         {} nieuw, {} niet te vergelijken, {} vervallen.",
        changes.unchanged,
        count(|c| matches!(c, Change::Renamed { .. })),
        count(|c| matches!(c, Change::Recoded { .. })),
        count(|c| matches!(c, Change::Edited(_))),
        count(|c| matches!(c, Change::New)),
        count(|c| matches!(c, Change::NotCompared(_))),
        changes.removed.len(),
    )
}

/// How an item is compared, and the detail: (column 2, column 3).
fn change_words(change: &Change) -> (String, String) {
    match change {
        Change::New => (
            "Nieuw: niet vergeleken".into(),
            "Deze vraag was er nog niet.".into(),
        ),
        Change::Renamed { from } => ("Hernoemd: vergeleken".into(), format!("Heette {from}.")),
        Change::Recoded { from, codes } => {
            let mapping: Vec<String> = codes
                .iter()
                .map(|(old, new)| format!("{old} → {new}"))
                .collect();
            (
                "Nieuwe codes: vergeleken".into(),
                format!(
                    "Vergeleken met {from}; oude antwoorden worden omgezet: {}.",
                    mapping.join(", ")
                ),
            )
        }
        Change::NotCompared(why) => ("Niet vergeleken".into(), format!("{}.", capitalised(why))),
        Change::Edited(parts) => (
            "Gewijzigd: wel vergeleken".into(),
            format!(
                "Gewijzigd: {}. De antwoorden worden vergeleken alsof het dezelfde vraag is; \
                 klopt dat niet, geef de vraag dan lineage = {{ changed_meaning = \"…\" }}.",
                parts.join(", ")
            ),
        ),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
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

/// The condition, checks and lineage of an item, in words, with the expression as written.
#[component]
fn ItemLogic(item: Item, questionnaire: Arc<Questionnaire>) -> impl IntoView {
    let condition = item.visible_if.map(|c| {
        let words = describe(&c.expr, &questionnaire);
        view! {
            <li>
                "Wordt alleen gesteld als "{words}"."
                <span class="logic-source">" Zo geschreven: "<code>{c.source}</code></span>
            </li>
        }
    });
    let rules = item.rules.into_iter().map(|rule| {
        let kind = match rule.severity {
            Severity::Blocking => "Controle die indienen tegenhoudt",
            Severity::Warning => "Controle die waarschuwt",
        };
        let words = describe(&rule.check.expr, &questionnaire);
        view! {
            <li>
                {format!("{kind}: moet kloppen dat {words}. Anders de melding: “{}”", rule.message)}
                <span class="logic-source">" Zo geschreven: "<code>{rule.check.source}</code></span>
            </li>
        }
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
