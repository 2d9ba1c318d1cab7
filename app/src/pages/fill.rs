//! Filling in a response: `/invullen` (the coordinator's way in), `/vragenlijst/:id` (the task
//! list), `/vragenlijst/:id/sectie/:section` (a section), `/vragenlijst/:id/controleren`
//! (check your answers, then submit) and `/vragenlijst/:id/afdrukken` (the whole response for
//! printing).
//!
//! A section is a plain form that posts the whole section to the server ("Opslaan"), so it
//! works without JavaScript. With JavaScript each answer also saves itself shortly after it
//! changes, conditions apply live, unsent changes survive in the browser when the session
//! ends, and a colleague's conflicting answer is shown beside one's own: that is the script
//! in `fill/client.rs`, which works on this module's HTML.

use crate::api::responses::{
    get_progress, get_section, get_summary, get_task_list, region_responses, ItemView,
    ProgressItem, SectionView, SubmitResponse, Summary,
};
use crate::components::question::Question;
use crate::components::response::{ItemComments, ResponseBanner};
use crate::components::status::ErrorPage;
use crate::domain::questionnaire::completeness::SectionStatus;
use crate::domain::questionnaire::model::Item;
use crate::domain::response::{describe, ConflictInfo};
use crate::domain::time::format_date_time;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

#[cfg(feature = "hydrate")]
mod client;
#[cfg(feature = "hydrate")]
mod session;

fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

fn status_tag(status: SectionStatus) -> impl IntoView {
    let class = match status {
        SectionStatus::Complete => "tag tag--done",
        SectionStatus::HasErrors => "tag tag--error",
        SectionStatus::InProgress => "tag tag--busy",
        SectionStatus::NotStarted | SectionStatus::NotApplicable => "tag",
    };
    view! { <strong class=class>{status.label()}</strong> }
}

/// The region's gemeenten as they are for this round.
#[component]
fn RoundGemeenten(
    gemeenten: Vec<crate::domain::region::Gemeente>,
    /// Unfolded where the questionnaire asks to confirm them.
    #[prop(optional)]
    open: bool,
) -> impl IntoView {
    (!gemeenten.is_empty()).then(|| {
        let names: Vec<String> = gemeenten.iter().map(|g| format!("{} ({})", g.name, g.code)).collect();
        view! {
            <details class="round-gemeenten" open=open>
                <summary>{format!("Gemeenten van de regio in deze meting ({})", gemeenten.len())}</summary>
                <p>{names.join(", ")}</p>
                <p class="caption">"Klopt deze lijst niet? Zeg het bij de eerste vraag van de vragenlijst."</p>
            </details>
        }
    })
}

/// `/invullen`: a coordinator goes to the task list of their region's open round.
#[component]
pub fn FillStartPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| crate::api::auth::current_user());
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                let user = match user.await {
                    Ok(Some(user)) => user,
                    Ok(None) => return view! { <ErrorPage error=AppError::Unauthorized/> }.into_any(),
                    Err(error) => return view! { <ErrorPage error/> }.into_any(),
                };
                let Some(code) = user.region_code.clone() else {
                    return view! { <Redirect path=user.start_page()/> }.into_any();
                };
                match region_responses(code.clone()).await {
                    Ok(responses) => match responses.into_iter().find(|r| r.open) {
                        Some(open) => view! { <Redirect path=format!("/vragenlijst/{}", open.id)/> }.into_any(),
                        None => view! {
                            <Title text="Geen open meting"/>
                            <h1>"Geen open meting"</h1>
                            <p>"Er is op dit moment geen meting open voor uw regio. Eerdere metingen leest u terug op "
                                <a href=format!("/regio/{code}")>"de pagina van uw regio"</a>"."</p>
                        }.into_any(),
                    },
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The rounds of a region with a link to each response; on the region's page.
#[component]
pub fn RegionRounds(code: String) -> impl IntoView {
    let responses = Resource::new(move || code.clone(), region_responses);
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match responses.await {
                    Ok(list) if list.is_empty() => view! { <p>"Deze regio neemt nog aan geen meting deel."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="list">
                            {list.into_iter().map(|r| view! {
                                <li>
                                    <a href=format!("/vragenlijst/{}", r.id)>{r.round_name}</a>
                                    {format!(" – {}{}", r.status.label(), if r.open {
                                        format!(", termijn tot {}", format_date_time(r.deadline))
                                    } else { String::new() })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <p class="form-error">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/vragenlijst/:id`: every section with its status, counts and last change.
#[component]
pub fn TaskListPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map();
    let tasks = Resource::new(id, get_task_list);
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                let tasks = match tasks.await {
                    Ok(tasks) => tasks,
                    Err(error) => return view! { <ErrorPage error/> }.into_any(),
                };
                let header = tasks.header.clone();
                let id = header.id.clone();
                let overall = tasks.overall.clone();
                let just_submitted = query.read().get("melding").as_deref() == Some("ingediend");
                view! {
                    <Title text=format!("{} – {}", header.round_name, header.region_name)/>
                    {just_submitted.then(|| view! {
                        <div class="notice notice--success" role="status" tabindex="-1">
                            <h2 class="notice__title">"Vragenlijst ingediend"</h2>
                            <p>"Dank u wel. De reviewer controleert de antwoorden; u ziet het resultaat hier."</p>
                        </div>
                    })}
                    <ResponseBanner header=header.clone()/>
                    <h1>{header.questionnaire_title.clone()}</h1>
                    <dl class="summary-list">
                        <div class="summary-list__row"><dt>"Termijn"</dt><dd>{format_date_time(header.deadline)}</dd></div>
                        <div class="summary-list__row"><dt>"Voortgang"</dt><dd>
                            {format!("{} van {} verplichte vragen beantwoord ({}%)", overall.complete, overall.required, overall.percent_complete())}
                            <progress class="progress" max="100" value=overall.percent_complete() aria-hidden="true"></progress>
                        </dd></div>
                        <div class="summary-list__row"><dt>"Laatst gewijzigd"</dt><dd>
                            {header.last_change.clone().map_or("Nog niets ingevuld".to_string(), |(by, at)| format!("{} door {by}", format_date_time(at)))}
                        </dd></div>
                    </dl>
                    <RoundGemeenten gemeenten=tasks.gemeenten.clone()/>
                    <h2>"Secties"</h2>
                    <ol class="task-list">
                        {tasks.sections.into_iter().enumerate().map(|(n, section)| {
                            let href = format!("/vragenlijst/{id}/sectie/{}", section.key);
                            let hint_id = format!("sectie-{}-telling", section.key);
                            let counts = if section.status == SectionStatus::NotApplicable {
                                "Door uw antwoorden niet van toepassing".to_string()
                            } else {
                                let mut text = format!("{} van {} verplichte vragen beantwoord", section.counts.complete, section.counts.required);
                                if section.counts.blocking + section.counts.invalid > 0 {
                                    text.push_str(&format!(", {} fout(en)", section.counts.blocking + section.counts.invalid));
                                }
                                if let Some((by, at)) = &section.last_change {
                                    text.push_str(&format!(" · laatst door {by}, {}", format_date_time(*at)));
                                }
                                text
                            };
                            let title = format!("{}. {}", n + 1, section.title);
                            view! {
                                <li class="task-list__item">
                                    <span class="task-list__name">
                                        {if section.status == SectionStatus::NotApplicable {
                                            view! { <span>{title}</span> }.into_any()
                                        } else {
                                            view! { <a href=href aria-describedby=hint_id.clone()>{title}</a> }.into_any()
                                        }}
                                        <span class="task-list__hint" id=hint_id>{counts}</span>
                                    </span>
                                    {status_tag(section.status)}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <h2>"Controleren en indienen"</h2>
                    <p>
                        <a class="button" href=format!("/vragenlijst/{id}/controleren")>"Antwoorden controleren"</a>
                        " "
                        <a href=format!("/vragenlijst/{id}/afdrukken")>"Afdrukversie van alle antwoorden"</a>
                    </p>
                    <p><a href=format!("/vragenlijst/{id}/voortgang")>"Vergelijking met de vorige meting"</a></p>
                    <p><a href=format!("/vragenlijst/{id}/beoordelen")>"Beoordeling en opmerkingen van de reviewer"</a></p>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// What a question's status line says while a colleague's save got ahead of this person's.
pub(crate) const CONFLICT_STATUS: &str = "Niet opgeslagen – een collega wijzigde dit antwoord";
/// What the page's status line says while a question has such a conflict.
pub(crate) const PAGE_CONFLICT_STATUS: &str = "Een collega wijzigde een antwoord dat u ook wijzigde – kies bij die vraag welk antwoord blijft.";

/// A question's status line before anything changed on the page: who saved it last.
pub(crate) fn last_saved_text(saved: &Option<(String, i64)>) -> String {
    saved
        .as_ref()
        .map(|(by, at)| format!("Laatst opgeslagen door {by}, {}", format_date_time(*at)))
        .unwrap_or_default()
}

/// `/vragenlijst/:id/sectie/:section`
#[component]
pub fn SectionPage() -> impl IntoView {
    let id = param("id");
    let section = param("section");
    let data = Resource::new(
        move || (id(), section()),
        |(id, section)| get_section(id, section),
    );
    // What the previous request did (a save without JavaScript, taking over answers).
    let query = use_query_map();
    let notice = move || {
        match query.read().get("melding").as_deref() {
        Some("opgeslagen") => Some("Uw antwoorden in deze sectie zijn opgeslagen.".to_string()),
        Some("conflict") => Some("Niet alles is opgeslagen: een collega wijzigde een of meer antwoorden. Kies hieronder per vraag welk antwoord blijft.".to_string()),
        Some(other) => prefill_notice(other),
        _ => None,
    }
    };
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        let title = format!("{} – {}", view.title, view.header.round_name);
                        let form_data = view.form_data().to_page_data();
                        let notice = notice();
                        view! {
                            <Title text=title/>
                            <SectionForm data=form_data>
                                <SectionMarkup view notice/>
                            </SectionForm>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The section page's interactive part (an island): the HTML inside it is rendered on the
/// server and works without JavaScript; in the browser a small script (`client`) takes over
/// the form with the data the page carries (`SectionFormData::to_page_data`).
#[island]
fn SectionForm(data: String, children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        client::start(&data);
        crate::pages::mark_hydrated();
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = data;
    children()
}

/// The section as HTML: banner, error summary, the questions with their inputs, save status
/// and conflicts, and the buttons that post the whole section. The browser's script updates
/// the parts that change as the person types; the ids and classes here are what it finds.
#[component]
fn SectionMarkup(view: SectionView, notice: Option<String>) -> impl IntoView {
    let editable = view.header.read_only_reason.is_none();
    let header = view.header.clone();
    let id = header.id.clone();
    let section_key = view.key.clone();
    let action = format!("/vragenlijst/{id}/sectie/{section_key}/opslaan");
    let compared_round = view.compared_round.clone();
    let prefill_panel = editable.then(|| view! {
        <PrefillPanel response_id=id.clone() section=section_key.clone()
            round=view.compared_round.clone() available=view.prefill_available unconfirmed=view.unconfirmed/>
    });
    let conflict_of = |key: &str| view.conflicts.iter().find(|c| c.key == key).cloned();
    // The error summary: every shown item with a problem, linked to it.
    let problems: Vec<(String, String)> = view
        .items
        .iter()
        .filter(|i| !i.hidden)
        .filter_map(|i| {
            let messages: Vec<String> = i.problems.iter().chain(&i.blocking).cloned().collect();
            (!messages.is_empty()).then(|| {
                (
                    i.item.key.clone(),
                    format!("{}: {}", i.item.label, messages.join(" ")),
                )
            })
        })
        .collect();
    let page_status = (!view.conflicts.is_empty()).then(|| {
        view! { <span class="save-status save-status--failed">{PAGE_CONFLICT_STATUS}</span> }
    });
    let threads = view.threads.clone();
    let items_view = view
        .items
        .iter()
        .cloned()
        .map(|item_view| {
            let key = item_view.item.key.clone();
            let item_threads: Vec<_> = threads.iter().filter(|t| t.item_key == key).cloned().collect();
            let conflict = conflict_of(&key);
            let (response_id, compared_round) = (id.clone(), compared_round.clone());
            let ItemView { item, raw, version, problems, blocking, hidden, saved, warnings, previous, changed, prefilled, not_compared } = item_view;
            let status = if conflict.is_some() { CONFLICT_STATUS.to_string() } else { last_saved_text(&saved) };
            let problems: Vec<String> = problems.into_iter().chain(blocking).collect();
            view! {
                <Question item=item.clone() value=raw disabled=!editable problems=problems hidden=hidden>
                    <input type="hidden" name=format!("v.{key}") value=version.to_string()/>
                    {(!warnings.is_empty()).then(|| view! {
                        <div class="warning-text"><span class="visually-hidden">"Let op: "</span>{warnings.join(" ")}</div>
                    })}
                    {prefilled.then(|| view! { <p class="tag tag--prefilled">"Overgenomen – nog bevestigen"</p> })}
                    <PreviousAnswer previous=previous changed not_compared=not_compared round=compared_round/>
                    <ItemComments threads=item_threads response_id/>
                    <p class="field-status" role="status" data-veld=key.clone()>{status}</p>
                    {conflict.map(|conflict| view! { <ConflictPanel conflict item/> })}
                </Question>
            }
        })
        .collect_view();

    view! {
        <p class="back-link"><a href=format!("/vragenlijst/{id}")>"Terug naar het overzicht"</a></p>
        <ResponseBanner header=header.clone()/>
        {notice.map(|text| view! { <div class="notice" role="status"><p>{text}</p></div> })}
        <div data-foutoverzicht="">
            {(!problems.is_empty()).then(|| view! {
                <div class="error-summary" role="alert" aria-labelledby="fouten-titel" tabindex="-1">
                    <h2 id="fouten-titel" class="error-summary__title">"Er is een probleem"</h2>
                    <ul class="error-summary__list">
                        {problems.into_iter().map(|(key, text)| view! {
                            <li><a href=format!("#vraag-{key}") rel="external">{text}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
        </div>
        <p class="caption">{format!("Sectie {} van {}", view.position.0, view.position.1)}</p>
        <h1>{view.title.clone()}</h1>
        {view.intro.clone().map(|intro| view! { <p class="lead">{intro}</p> })}
        <RoundGemeenten gemeenten=view.gemeenten.clone() open=true/>
        {prefill_panel}
        <p class="page-save-status" role="status" aria-live="polite">{page_status}</p>
        {editable.then(|| view! {
            <SessionNotice ends_at=view.session_ends_at idle_secs=view.session_idle_secs/>
            <LoginAgainPanel/>
        })}
        <form method="post" action=action class="section-form" novalidate>
            {items_view}
            {editable.then(|| view! {
                <div class="button-group">
                    <button type="submit" class="button" name="actie" value="volgende">"Opslaan en verder"</button>
                    <button type="submit" class="button button--secondary" name="actie" value="opslaan">"Opslaan"</button>
                </div>
            })}
        </form>
        <nav class="pager" aria-label="Secties">
            {view.previous.map(|(key, title)| view! {
                <a class="pager__previous" href=format!("/vragenlijst/{id}/sectie/{key}")>{format!("Vorige: {title}")}</a>
            })}
            {view.next.map(|(key, title)| view! {
                <a class="pager__next" href=format!("/vragenlijst/{id}/sectie/{key}")>{format!("Volgende: {title}")}</a>
            })}
        </nav>
    }
}

/// Both answers side by side; the person keeps theirs or takes the colleague's. The buttons
/// belong to the section form, so without JavaScript they post it (the server resolves the
/// conflict and saves the rest); with JavaScript the script calls the server function
/// directly. The script builds the same panel when a save meets a conflict.
#[component]
fn ConflictPanel(conflict: ConflictInfo, item: Item) -> impl IntoView {
    let key = conflict.key.clone();
    let texts = ConflictTexts::new(&item, &conflict);
    view! {
        <div class="conflict" role="alert" data-conflict=key.clone()>
            <h3 class="conflict__title">{ConflictTexts::TITLE}</h3>
            <p>{texts.intro}</p>
            <dl class="summary-list">
                <div class="summary-list__row"><dt>{ConflictTexts::MINE}</dt><dd>{texts.mine}</dd></div>
                <div class="summary-list__row"><dt>{texts.theirs_label}</dt><dd>{texts.theirs}</dd></div>
            </dl>
            <div class="button-group">
                <button type="submit" class="button" name="conflict" value=format!("{key}:mijn")>{ConflictTexts::KEEP_MINE}</button>
                <button type="submit" class="button button--secondary" name="conflict" value=format!("{key}:ander")>{ConflictTexts::TAKE_THEIRS}</button>
            </div>
        </div>
    }
}

/// The words of a conflict panel, shared by the server's HTML and the script's.
pub(crate) struct ConflictTexts {
    pub intro: String,
    pub mine: String,
    pub theirs_label: String,
    pub theirs: String,
}

impl ConflictTexts {
    pub const TITLE: &'static str = "Een collega heeft dit antwoord gewijzigd";
    pub const MINE: &'static str = "Uw antwoord";
    pub const KEEP_MINE: &'static str = "Mijn antwoord bewaren";
    pub const TAKE_THEIRS: &'static str = "Antwoord van collega nemen";

    pub fn new(item: &Item, conflict: &ConflictInfo) -> Self {
        ConflictTexts {
            intro: format!(
                "{} wijzigde dit antwoord op {}, terwijl u het ook wijzigde. Er is niets overschreven.",
                conflict.changed_by,
                format_date_time(conflict.changed_at)
            ),
            mine: describe(item, &conflict.mine),
            theirs_label: format!("Antwoord van {}", conflict.changed_by),
            theirs: describe(item, &conflict.theirs),
        }
    }
}

/// Logging in again without leaving the page, after the session ended: hidden until the
/// script finds the session gone, which then sends the form with the server function.
/// When the session ends without activity. Without JavaScript the time is on the page
/// (saving keeps the session alive; what was typed stays in the form and a save after the
/// end asks to log in and carries the answers along). With JavaScript the script moves the
/// time on after every save and, two minutes before the end, shows the warning with a
/// button that keeps the session alive.
#[component]
fn SessionNotice(ends_at: i64, idle_secs: i64) -> impl IntoView {
    let time = session_end_text(ends_at);
    view! {
        <p class="session-deadline" id="sessie-einde" data-sessie-seconden=idle_secs.to_string()>
            {format!("Zonder activiteit wordt u om {time} uitgelogd. Opslaan houdt u ingelogd.")}
        </p>
        <div class="notice notice--warning session-warning" id="sessie-waarschuwing" role="alertdialog"
            aria-labelledby="sessie-waarschuwing-titel" aria-describedby="sessie-waarschuwing-tekst" hidden>
            <h2 id="sessie-waarschuwing-titel" class="notice__title">"U wordt bijna uitgelogd"</h2>
            <p id="sessie-waarschuwing-tekst">
                {format!("Zonder activiteit wordt u om {time} uitgelogd. Wat u hebt ingevuld, blijft bewaard.")}
            </p>
            <button type="button" class="button" id="sessie-verlengen">"Ingelogd blijven"</button>
        </div>
    }
}

/// A time of day in Dutch time (`14:35`), as the session notices and save statuses say it.
pub(crate) fn session_end_text(at: i64) -> String {
    let (_, _, _, hour, minute) = crate::domain::time::local_parts(at);
    format!("{hour:02}:{minute:02}")
}

#[component]
fn LoginAgainPanel() -> impl IntoView {
    let login_again = <crate::api::auth::LoginAgain as leptos::server_fn::ServerFn>::PATH;
    view! {
        <section class="notice notice--warning" id="opnieuw-inloggen-blok" aria-labelledby="opnieuw-inloggen" hidden>
            <h2 id="opnieuw-inloggen" class="notice__title">"U bent uitgelogd"</h2>
            <p>"Uw wijzigingen zijn bewaard in deze browser. Log opnieuw in; daarna worden ze opgeslagen."</p>
            <form method="post" action=login_again>
                <div class="form-field">
                    <label class="form-label" for="opnieuw-email">"E-mailadres"</label>
                    <input class="form-input" id="opnieuw-email" name="email" type="email" autocomplete="username"/>
                </div>
                <div class="form-field">
                    <label class="form-label" for="opnieuw-wachtwoord">"Wachtwoord"</label>
                    <input class="form-input" id="opnieuw-wachtwoord" name="password" type="password" autocomplete="current-password"/>
                </div>
                <button type="submit" class="button">"Inloggen en opslaan"</button>
            </form>
        </section>
    }
}

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
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(summary) => view! { <CheckAnswers summary submit submit_error/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
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
    let refused = move || submit_error.get();
    let submit_id = id.clone();
    view! {
        <Title text=format!("Antwoorden controleren – {}", header.round_name)/>
        <p class="back-link"><a href=format!("/vragenlijst/{id}")>"Terug naar het overzicht"</a></p>
        <ResponseBanner header=header.clone()/>
        {move || refused().map(|error| match error {
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
                            <li><a href=format!("/vragenlijst/{id}/sectie/{section}#vraag-{key}")>{label}</a>{format!(": {message}")}</li>
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
                        let href = format!("/vragenlijst/{id}/sectie/{}#vraag-{}", section.key, item.key);
                        view! {
                            <div class="summary-list__row" class:summary-list__row--error=!item.problems.is_empty()>
                                <dt>{item.label.clone()}</dt>
                                <dd>
                                    {item.answer}
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
                <button type="submit" class="button">"Vragenlijst indienen"</button>
            </ActionForm>
        })}
        <p><a href=format!("/vragenlijst/{id}/afdrukken")>"Afdrukversie"</a></p>
    }
}

/// `/vragenlijst/:id/afdrukken`: the whole response on one page, laid out for paper.
#[component]
pub fn PrintPage() -> impl IntoView {
    let id = param("id");
    let summary = Resource::new(id, get_summary);
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(summary) => {
                        let header = summary.header;
                        view! {
                            <Title text=format!("Afdrukversie – {} – {}", header.region_name, header.round_name)/>
                            <div class="print-page">
                                <p class="no-print"><a href=format!("/vragenlijst/{}", header.id)>"Terug naar het overzicht"</a>
                                    " · Kies in uw browser Afdrukken (of Opslaan als pdf)."</p>
                                <h1>{header.questionnaire_title.clone()}</h1>
                                <p>{format!("{} ({}) · {} · {}", header.region_name, header.region_code, header.round_name, header.status.label())}</p>
                                {header.submitted.clone().map(|(by, at)| view! { <p>{format!("Ingediend op {} door {by}", format_date_time(at))}</p> })}
                                {summary.sections.into_iter().map(|section| view! {
                                    <section class="print-section">
                                        <h2>{section.title}</h2>
                                        <dl class="summary-list">
                                            {section.items.into_iter().map(|item| view! {
                                                <div class="summary-list__row"><dt>{item.label}</dt><dd>{item.answer}</dd></div>
                                            }).collect_view()}
                                        </dl>
                                    </section>
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The confirmation after taking over or confirming answers: "overgenomen-3", "bevestigd-3".
fn prefill_notice(code: &str) -> Option<String> {
    let (kind, count) = code.split_once('-')?;
    let count: usize = count.parse().ok()?;
    let answers = if count == 1 { "antwoord" } else { "antwoorden" };
    match (kind, count) {
        ("overgenomen", 0) => Some("Er waren geen antwoorden van de vorige meting om over te nemen.".to_string()),
        ("overgenomen", n) => Some(format!(
            "{n} {answers} van de vorige meting overgenomen. Controleer ze en bevestig ze; tot dan tellen ze niet als beantwoord."
        )),
        ("bevestigd", n) => Some(format!("{n} overgenomen {answers} bevestigd.")),
        _ => None,
    }
}

/// Taking over the previous round's answers for this section, and confirming them. Plain
/// forms: they work with and without JavaScript.
#[component]
fn PrefillPanel(
    response_id: String,
    section: String,
    round: Option<String>,
    available: usize,
    unconfirmed: usize,
) -> impl IntoView {
    let round = round?;
    if available == 0 && unconfirmed == 0 {
        return None;
    }
    Some(view! {
        <div class="prefill-panel">
            {(available > 0).then(|| view! {
                <form method="post" action="/api/responses/prefill" class="inline-form">
                    <input type="hidden" name="response_id" value=response_id.clone()/>
                    <input type="hidden" name="section" value=section.clone()/>
                    <p>{format!("{available} vragen in deze sectie zijn nog leeg en waren in de {round} beantwoord.")}</p>
                    <button type="submit" class="button button--secondary">"Antwoorden van de vorige meting overnemen"</button>
                </form>
            })}
            {(unconfirmed > 0).then(|| view! {
                <form method="post" action="/api/responses/confirm" class="inline-form">
                    <input type="hidden" name="response_id" value=response_id.clone()/>
                    <input type="hidden" name="section" value=section.clone()/>
                    <p>{format!("{unconfirmed} overgenomen antwoorden wachten op uw bevestiging. Wijzig wat niet meer klopt en bevestig de rest.")}</p>
                    <button type="submit" class="button">"Overgenomen antwoorden bevestigen"</button>
                </form>
            })}
        </div>
    })
}

/// The compared round's answer beside an item, marked when the answer changed since.
#[component]
fn PreviousAnswer(
    previous: Option<String>,
    changed: bool,
    not_compared: Option<String>,
    round: Option<String>,
) -> impl IntoView {
    let round = round?;
    Some(match (previous, not_compared) {
        (_, Some(why)) => view! { <p class="previous-answer previous-answer--none">{why}</p> }.into_any(),
        (Some(text), None) => view! {
            <p class="previous-answer">
                <span class="previous-answer__label">{format!("In de {round}: ")}</span>
                {text}
                {changed.then(|| view! { " "<strong class="tag tag--changed">"Gewijzigd"</strong> })}
            </p>
        }
        .into_any(),
        (None, None) => view! {
            <p class="previous-answer previous-answer--none">{format!("Niet beantwoord in de {round}.")}</p>
        }
        .into_any(),
    })
}

/// `/vragenlijst/:id/voortgang`: this round's answers beside the compared round's, filterable
/// by section and to changed answers only (a plain GET form, so it works without JavaScript).
#[component]
pub fn ProgressPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map();
    let progress = Resource::new(
        move || (id(), query.read().get("met")),
        |(id, compared_with)| get_progress(id, compared_with),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                let progress = match progress.await {
                    Ok(progress) => progress,
                    Err(error) => return view! { <ErrorPage error/> }.into_any(),
                };
                let only_section = query.read_untracked().get("sectie").filter(|s| !s.is_empty());
                let only_changed = query.read_untracked().get("gewijzigd").is_some_and(|v| v == "ja");
                let id = progress.header.id.clone();
                let Some(round) = progress.compared_round.clone() else {
                    return view! {
                        <Title text="Vergelijking met de vorige meting"/>
                        <p class="back-link"><a href=format!("/vragenlijst/{id}")>"Terug naar het overzicht"</a></p>
                        <h1>"Vergelijking met de vorige meting"</h1>
                        <p>"Deze meting wordt met geen eerdere meting vergeleken."</p>
                    }.into_any();
                };
                // "vorige meting" when compared with the previous round, else the round's name.
                let compared_label = if progress.comparison_choices.first().map(|c| &c.id) == progress.compared_round_id.as_ref() {
                    "vorige meting".to_string()
                } else {
                    round.clone()
                };
                let comparison_choices = progress.comparison_choices.clone();
                let compared_round_id = progress.compared_round_id.clone();
                                let section_options: Vec<(String, String, bool)> = progress
                    .sections
                    .iter()
                    .map(|s| (s.key.clone(), s.title.clone(), only_section.as_deref() == Some(s.key.as_str())))
                    .collect();
                let indicators: Vec<ProgressItem> = progress
                    .sections
                    .iter()
                    .flat_map(|s| s.items.iter())
                    .filter(|item| item.indicator.is_some())
                    .cloned()
                    .collect();
                let tables = progress
                    .sections
                    .into_iter()
                    .filter(|s| only_section.as_ref().is_none_or(|key| *key == s.key))
                    .filter_map(|section| {
                        let items: Vec<ProgressItem> = section
                            .items
                            .into_iter()
                            .filter(|item| !only_changed || item.changed)
                            .collect();
                        if items.is_empty() {
                            return None;
                        }
                        let round = round.clone();
                        Some(view! {
                            <table class="table progress-table">
                                <caption>{section.title.clone()}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Vraag"</th>
                                        <th scope="col">"Deze meting"</th>
                                        <th scope="col">{round.clone()}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {items.into_iter().map(|item| view! {
                                        <tr class:progress-table__changed=item.changed>
                                            <th scope="row">{item.label.clone()}</th>
                                            <td>
                                                {item.now.clone().unwrap_or_else(|| "Niet beantwoord".to_string())}
                                                {item.changed.then(|| view! { " "<strong class="tag tag--changed">"Gewijzigd"</strong> })}
                                            </td>
                                            <td>{match (&item.not_compared, &item.before) {
                                                (Some(why), _) => why.clone(),
                                                (None, Some(before)) => before.clone(),
                                                (None, None) => "Niet beantwoord".to_string(),
                                            }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })
                    })
                    .collect::<Vec<_>>();
                let empty = tables.is_empty();
                view! {
                    <Title text=format!("Vergelijking – {}", progress.header.round_name)/>
                    <p class="back-link"><a href=format!("/vragenlijst/{id}")>"Terug naar het overzicht"</a></p>
                    <ResponseBanner header=progress.header.clone()/>
                    <h1>"Vergelijking met de vorige meting"</h1>
                    <p class="lead">{if progress.compared_answered {
                        format!(
                            "{} van de {} antwoorden die in beide metingen zijn gegeven, zijn anders dan in de {}.",
                            progress.changed_count, progress.compared_count, round
                        )
                    } else {
                        format!("Uw regio heeft in de {round} geen antwoorden gegeven: er is nog niets om mee te vergelijken.")
                    }}</p>
                    {(!indicators.is_empty()).then(|| view! {
                        <h2>"Kernindicatoren"</h2>
                        <ul class="indicator-list">
                            {indicators.into_iter().map(|item| view! {
                                <li>
                                    <strong>{item.indicator.clone().unwrap_or_default()}</strong>
                                    {format!(": {} ({compared_label}: {})",
                                        item.now.clone().unwrap_or_else(|| "nog niet beantwoord".to_string()),
                                        item.not_compared.clone().or(item.before.clone()).unwrap_or_else(|| "niet beantwoord".to_string()))}
                                    {item.changed.then(|| view! { " "<strong class="tag tag--changed">"Gewijzigd"</strong> })}
                                </li>
                            }).collect_view()}
                        </ul>
                        <h2>"Alle vragen"</h2>
                    })}
                    <form method="get" class="filter-form">
                        <div class="form-field">
                            <label class="form-label" for="filter-sectie">"Sectie"</label>
                            <select class="form-select" id="filter-sectie" name="sectie">
                                <option value="">"Alle secties"</option>
                                {section_options.into_iter().map(|(key, title, selected)| view! {
                                    <option value=key selected=selected>{title}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="form-field checkbox">
                            <input type="checkbox" id="filter-gewijzigd" name="gewijzigd" value="ja" checked=only_changed/>
                            <label for="filter-gewijzigd">"Alleen gewijzigde antwoorden"</label>
                        </div>
                        <crate::pages::national::CompareWith choices=comparison_choices chosen=compared_round_id/>
                        <button type="submit" class="button button--secondary">"Filteren"</button>
                    </form>
                    {if empty {
                        view! { <p>"Geen antwoorden om te tonen met dit filter."</p> }.into_any()
                    } else {
                        tables.into_any()
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
