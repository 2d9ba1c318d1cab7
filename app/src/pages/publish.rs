//! `/beheer/metingen/:id/publiceren`: the admin publishes a closed round, or a correction of a
//! published one. The page shows first exactly what will become public (the national page
//! as it will be, and which regions appear as "geen gegevens"), then the form: the
//! conclusions, and for a correction a note that says what changed.

use crate::api::publications::{get_publication_preview, CorrectPublication, PublishRound};
use crate::components::dashboard_theme::Theme;
use crate::components::form::{ErrorSummary, TextAreaField};
use crate::components::loaded::Loaded;
use crate::domain::publication::dashboard::Preview;
use crate::domain::publication::{MAX_CONCLUSIONS_CHARS, MAX_NOTE_CHARS};
use crate::domain::time::format_date;
use crate::error::AppError;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const CONCLUSIONS_HINT: &str = "Openen de landelijke pagina. Gewone tekst: een kopje met # aan het begin van een regel, een opsomming met - , nadruk met *sterretjes*. Geen HTML.";

#[component]
pub fn PublishPage() -> impl IntoView {
    let params = use_params_map();
    let publish = ServerAction::<PublishRound>::new();
    let correct = ServerAction::<CorrectPublication>::new();
    let preview = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_publication_preview,
    );
    let publish_error = Signal::derive(move || publish.value().get().and_then(Result::err));
    let correct_error = Signal::derive(move || correct.value().get().and_then(Result::err));
    view! {
        <Loaded data=preview let:preview>
            <PreviewView form=publish_form(&preview, publish, publish_error, correct, correct_error) preview/>
        </Loaded>
    }
}

/// The form under the preview: publishing, a correction, or why neither can be done now.
fn publish_form(
    preview: &Preview,
    publish: ServerAction<PublishRound>,
    publish_error: Signal<Option<AppError>>,
    correct: ServerAction<CorrectPublication>,
    correct_error: Signal<Option<AppError>>,
) -> AnyView {
    let (round_id, conclusions) = (preview.round_id.clone(), preview.conclusions.clone());
    if let Some(why) = preview.refused.clone() {
        view! { <div class="notice notice--warning" role="note"><p>{why}</p></div> }.into_any()
    } else if preview.first {
        view! {
            <ErrorSummary error=publish_error id="fout-publiceren"/>
            <ActionForm action=publish attr:class="form">
                <input type="hidden" name="round_id" value=round_id/>
                <TextAreaField label="Conclusies" name="conclusions" rows=10
                    maxlength=MAX_CONCLUSIONS_CHARS hint=CONCLUSIONS_HINT
                    value=conclusions error=publish_error/>
                <button type="submit" class="button">"Publiceren"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <ErrorSummary error=correct_error id="fout-correctie"/>
            <ActionForm action=correct attr:class="form">
                <input type="hidden" name="round_id" value=round_id/>
                <TextAreaField label="Toelichting bij de correctie" name="note" rows=3 required=true
                    maxlength=MAX_NOTE_CHARS
                    hint="Wordt openbaar, met de datum: wat is er veranderd en waarom (bijvoorbeeld: de antwoorden van regio X over de opvang zijn gecorrigeerd)."
                    error=correct_error/>
                <TextAreaField label="Conclusies" name="conclusions" rows=10
                    maxlength=MAX_CONCLUSIONS_CHARS hint=CONCLUSIONS_HINT
                    value=conclusions error=correct_error/>
                <button type="submit" class="button">"Correctie publiceren"</button>
            </ActionForm>
        }.into_any()
    }
}

#[component]
fn PreviewView(preview: Preview, form: AnyView) -> impl IntoView {
    let title = if preview.first {
        format!("Publiceren: {}", preview.round_name)
    } else {
        format!("Correctie publiceren: {}", preview.round_name)
    };
    let dashboard = preview.dashboard;
    let previous = dashboard.previous_period.clone();
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><a href=paths::round(&preview.round_id)>{preview.round_name.clone()}</a></p>
        <h1>{title}</h1>
        <p class="lead">{if preview.first {
            "Publiceren legt de goedgekeurde antwoorden op de openbare vragen vast. Daarna verandert het dashboard niet meer vanzelf: een wijziging wordt een correctie met een toelichting, en de eerdere editie blijft beschikbaar."
        } else {
            "Een correctie legt de goedgekeurde antwoorden opnieuw vast als nieuwe editie, met een gedateerde toelichting. De eerdere edities blijven beschikbaar in de open data."
        }}</p>
        {(!preview.editions.is_empty()).then(|| view! {
            <h2>"Edities tot nu toe"</h2>
            <ul>
                {preview.editions.iter().map(|e| view! {
                    <li>{format!("Editie {} van {}{}", e.edition, format_date(e.published_at),
                        if e.note.is_empty() { String::new() } else { format!(": {}", e.note) })}</li>
                }).collect_view()}
            </ul>
        })}
        <h2>"Wat openbaar wordt"</h2>
        <p>{format!(
            "{} van de {} regio's hebben goedgekeurde antwoorden. Alleen de antwoorden op openbare vragen komen op het dashboard en in de open data; opmerkingen, namen, toelichtingen en de geschiedenis nooit.",
            dashboard.regions_with_data, dashboard.regions_taking_part
        )}</p>
        {if preview.not_approved.is_empty() {
            view! { <p>"Alle regio's zijn goedgekeurd."</p> }.into_any()
        } else {
            view! {
                <p>"Deze regio's zijn niet goedgekeurd en verschijnen als ‘geen gegevens’ (nooit als nul):"</p>
                <ul class="region-list region-list--columns">
                    {preview.not_approved.iter().map(|r| view! { <li>{format!("{} ({})", r.name, r.code)}</li> }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(!preview.first).then(|| view! {
            <h2>"Wat deze correctie verandert"</h2>
            {if preview.changes.is_empty() {
                view! { <p>"De gegevens zijn dezelfde als in de laatste editie; alleen de conclusies kunnen nog veranderen."</p> }.into_any()
            } else {
                view! {
                    <ul>{preview.changes.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}</ul>
                }.into_any()
            }}
        })}
        {form}
        <section class="publish-preview" aria-labelledby="voorbeeld">
            <h2 id="voorbeeld">"Voorbeeld van de landelijke pagina"</h2>
            {dashboard.sections.into_iter().map(|section| view! { <Theme section previous=previous.clone()/> }).collect_view()}
        </section>
    }
}
