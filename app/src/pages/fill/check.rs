//! `/vragenlijst/:id/controleren`: check the answers, then submit.

use super::{param, status_tag};
use crate::api::responses::{get_summary, SubmitResponse, Summary};
use crate::components::form::{ErrorSummary, TextField};
use crate::components::loaded::Loaded;
use crate::components::response::ResponseBanner;
use crate::error::AppError;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::response::agreement::{
    AGREED_ON_FIELD, AGREED_WITH_FIELD, MAX_AGREED_WITH_CHARS,
};
use crate::domain::response::form_fields::CONFIRM_TAKEN_OVER_FIELD;

const CONFIRM_BOX_ID: &str = "bevestig-overgenomen";

/// `/vragenlijst/:id/controleren`: every answer by section with a change link, the problems
/// that block submitting, and the submit button.
#[component]
pub fn CheckAnswersPage() -> impl IntoView {
    let id = param("id");
    let submit = ServerAction::<SubmitResponse>::new();
    let summary = Resource::new(
        move || (id(), submit.version().get()),
        |(id, _)| get_summary(id),
    );
    let submit_error = Signal::derive(move || submit.value().get().and_then(Result::err));
    view! {
        <Loaded data=summary let:summary>
            <CheckAnswers summary submit submit_error/>
        </Loaded>
    }
}

#[component]
fn CheckAnswers(
    summary: Summary,
    submit: ServerAction<SubmitResponse>,
    submit_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let header = summary.header.clone();
    let id = header.id.clone();
    let editable = header.read_only_reason.is_none();
    let problems = summary.problems.clone();
    let taken_over = summary.taken_over.clone();
    let to_confirm = taken_over.len();
    let refused = move || submit_error.get();
    let submit_id = id.clone();
    view! {
        <Title text=format!("Antwoorden controleren – {}", header.round_name)/>
        <p class="back-link"><a href=paths::response(&id)>"Terug naar het overzicht"</a></p>
        <ResponseBanner header=header.clone()/>
        {move || refused().map(|error| match error {
            AppError::Validation(fields) if fields.iter().any(|(field, _)| field == CONFIRM_TAKEN_OVER_FIELD) => view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2 class="error-summary__title">"De vragenlijst kan nog niet worden ingediend"</h2>
                    <ul class="error-summary__list">
                        {fields.into_iter().flat_map(|(_, messages)| messages).map(|message| view! {
                            <li><a href=format!("#{CONFIRM_BOX_ID}") rel="external">{message}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            }.into_any(),
            AppError::Validation(fields) if fields.iter().any(|(field, _)| [AGREED_WITH_FIELD, AGREED_ON_FIELD].contains(&field.as_str())) => {
                let error = AppError::Validation(fields);
                view! { <ErrorSummary error=Signal::derive(move || Some(error.clone()))/> }.into_any()
            }
            AppError::Validation(_) => view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2 class="error-summary__title">"De vragenlijst kan nog niet worden ingediend"</h2>
                    <p>"Los de problemen hieronder op en dien daarna opnieuw in."</p>
                </div>
            }.into_any(),
            other => view! { <div class="error-summary" role="alert"><p>{other.to_string()}</p></div> }.into_any(),
        })}
        <h1>"Antwoorden controleren"</h1>
        <p>{format!("{} van {} verplichte vragen beantwoord ({}%).", summary.overall.complete, summary.overall.required, summary.overall.percent_complete())}</p>
        {(!problems.is_empty()).then(|| {
            let id = id.clone();
            view! {
                <div class="problem-list" aria-labelledby="nog-te-doen">
                    <h2 id="nog-te-doen">{format!("Nog te doen voor u kunt indienen ({})", problems.len())}</h2>
                    <ul class="list">
                        {problems.into_iter().map(|(section, key, label, message)| view! {
                            <li><a href=paths::item(&id, &section, &key)>{label}</a>{format!(": {message}")}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })}
        {(!taken_over.is_empty()).then(|| {
            let id = id.clone();
            view! {
                <div class="taken-over-list" aria-labelledby="nog-te-bevestigen">
                    <h2 id="nog-te-bevestigen">{format!("Overgenomen antwoorden die u nog niet hebt bevestigd ({})", taken_over.len())}</h2>
                    <p>"Deze antwoorden komen uit de vorige meting. Controleer of ze nog kloppen: bevestig ze per vraag met ‘Klopt nog’, pas ze aan, of bevestig ze hieronder allemaal bij het indienen."</p>
                    <ul class="list">
                        {taken_over.into_iter().map(|(section, key, label, answer)| view! {
                            <li><a href=paths::item(&id, &section, &key)>{label}</a>{format!(": {answer}")}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })}
        {summary.sections.into_iter().map(|section| {
            let id = id.clone();
            let heading_id = format!("sectie-{}", section.key);
            view! {
                <h2 id=heading_id>{section.title.clone()}" "{status_tag(section.status)}</h2>
                <dl class="summary-list summary-list--answers">
                    {section.items.into_iter().map(|item| {
                        let href = paths::item(&id, &section.key, &item.key);
                        view! {
                            <div class="summary-list__row" class:summary-list__row--error=!item.problems.is_empty()>
                                <dt>{item.label.clone()}</dt>
                                <dd>
                                    {item.answer}
                                    {item.taken_over.then(|| view! { " "<strong class="tag tag--prefilled">"Overgenomen – nog bevestigen"</strong> })}
                                    {(!item.problems.is_empty()).then(|| view! { <span class="form-error">{item.problems.join(" ")}</span> })}
                                </dd>
                                {editable.then(|| view! {
                                    <dd class="summary-list__action"><a href=href aria-label=format!("Wijzigen: {}", item.label)>"Wijzigen"</a></dd>
                                })}
                            </div>
                        }
                    }).collect_view()}
                </dl>
            }
        }).collect_view()}
        {editable.then(|| view! {
            <h2>"Indienen"</h2>
            <p>"Na het indienen kunt u de antwoorden niet meer wijzigen. De reviewer kan de vragenlijst zo nodig terugsturen."</p>
            <ActionForm action=submit>
                <input type="hidden" name="response_id" value=submit_id.clone()/>
                {(to_confirm > 0).then(|| view! {
                    <div class="form-field">
                        <div class="choice">
                            <input type="checkbox" class="choice__input" id=CONFIRM_BOX_ID name=CONFIRM_TAKEN_OVER_FIELD value="ja"/>
                            <label class="choice__label" for=CONFIRM_BOX_ID>
                                {format!("Ik heb de {to_confirm} overgenomen antwoorden hierboven gecontroleerd: ze kloppen nog.")}
                            </label>
                        </div>
                    </div>
                })}
                {header.as_adviser.then(|| view! {
                    <fieldset class="form-fieldset">
                        <legend class="question__legend">"Afstemming met de regio"</legend>
                        <p class="form-hint">"U vult deze vragenlijst in als regioadviseur. Ze telt als ingediend met de instemming van de regio: leg vast met wie in de regio u de antwoorden hebt afgestemd, en op welke dag."</p>
                        <TextField label="Afgestemd met" name=AGREED_WITH_FIELD autocomplete="off" required=true
                            maxlength=MAX_AGREED_WITH_CHARS error=submit_error
                            hint="Naam en functie, bijvoorbeeld ‘Jan de Vries, beleidsadviseur gemeente Groningen’."/>
                        <TextField label="Datum van de afstemming" name=AGREED_ON_FIELD input_type="date"
                            required=true error=submit_error hint="De dag waarop de regio met de antwoorden instemde."/>
                    </fieldset>
                })}
                <button type="submit" class="button">"Vragenlijst indienen"</button>
            </ActionForm>
        })}
        <p><a href=paths::print(&id)>"Afdrukversie"</a></p>
    }
}
