//! `/vragenlijst/:id/sectie/:section`: one section's form, which works without JavaScript;
//! `client.rs` is its script.

use super::{param, RoundGemeenten};
use crate::api::responses::{get_section, ItemView, SectionView};
use crate::components::notice::{notice_from_query, Notice};
use crate::components::question::Question;
use crate::components::response::{ItemComments, ResponseBanner};
use crate::components::status::ErrorPage;
use crate::domain::questionnaire::model::Item;
use crate::domain::response::{describe, ConflictInfo};
use crate::domain::time::format_date_time;
use leptos::prelude::*;
use leptos_meta::Title;

/// What a question's status line says while a colleague's save got ahead of this person's.
pub(super) const CONFLICT_STATUS: &str = "Niet opgeslagen – een collega wijzigde dit antwoord";
/// What the page's status line says while a question has such a conflict.
pub(super) const PAGE_CONFLICT_STATUS: &str = "Een collega wijzigde een antwoord dat u ook wijzigde – kies bij die vraag welk antwoord blijft.";

/// A question's status line before anything changed on the page: who saved it last.
pub(super) fn last_saved_text(saved: &Option<(String, i64)>) -> String {
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
    let notice = notice_from_query(section_notice);
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
        super::client::start(&data);
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
        {notice.map(|text| view! { <Notice text/> })}
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
pub(super) struct ConflictTexts {
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
pub(super) fn session_end_text(at: i64) -> String {
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
                <div class="form-field">
                    <label class="form-label" for="opnieuw-code">"Code uit uw authenticator-app"</label>
                    <p class="form-hint" id="opnieuw-code-hint">"Alleen als u tweestapsverificatie gebruikt."</p>
                    <input class="form-input" id="opnieuw-code" name="code" type="text" inputmode="numeric"
                        autocomplete="one-time-code" maxlength="20" aria-describedby="opnieuw-code-hint"/>
                </div>
                <button type="submit" class="button">"Inloggen en opslaan"</button>
            </form>
        </section>
    }
}

/// The confirmation after saving without JavaScript, or after taking over or confirming answers.
fn section_notice(code: &str) -> Option<String> {
    match code {
        "opgeslagen" => Some("Uw antwoorden in deze sectie zijn opgeslagen.".to_string()),
        "conflict" => Some("Niet alles is opgeslagen: een collega wijzigde een of meer antwoorden. Kies hieronder per vraag welk antwoord blijft.".to_string()),
        other => prefill_notice(other),
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
