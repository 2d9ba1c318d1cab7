//! `/vragenlijst/:id/sectie/:section`: one section's form, which works without JavaScript;
//! `client.rs` is its script. `names` holds what the two share; `panels` the parts around the
//! questions.

use super::{param, RoundGemeenten};
use crate::api::responses::{get_section, ItemView, SectionView};
use crate::components::loaded::Loaded;
use crate::components::notice::{notice_from_query, Notice};
use crate::components::question::{question_id, Question};
use crate::components::response::{ItemComments, ResponseBanner};
use crate::domain::attribution::Attribution;
use crate::domain::response::ConflictInfo;
use crate::domain::review::CommentThread;
use crate::domain::time::format_date_time;
use crate::paths;
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::Title;
use names::*;
use panels::*;

pub(super) mod names;
pub(super) mod panels;

/// What a question's status line says while a colleague's save got ahead of this person's.
pub(super) const CONFLICT_STATUS: &str = "Niet opgeslagen – een collega wijzigde dit antwoord";
/// What the page's status line says while a question has such a conflict.
pub(super) const PAGE_CONFLICT_STATUS: &str = "Een collega wijzigde een antwoord dat u ook wijzigde – kies bij die vraag welk antwoord blijft.";

/// A question's status line before anything changed on the page: who saved it last.
pub(super) fn last_saved_text(saved: &Option<Attribution>) -> String {
    saved
        .as_ref()
        .map(|saved| {
            format!(
                "Laatst opgeslagen door {}, {}",
                saved.by,
                format_date_time(saved.at)
            )
        })
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
        <Loaded data let:view>
            <SectionWithForm view notice=notice()/>
        </Loaded>
    }
}

/// The section's title and its form, which the island takes over in the browser.
#[component]
fn SectionWithForm(view: SectionView, notice: Option<String>) -> impl IntoView {
    let title = format!("{} – {}", view.title, view.header.round_name);
    let form_data = view.form_data().to_page_data();
    view! {
        <Title text=title/>
        <SectionForm data=form_data>
            <SectionMarkup view notice/>
        </SectionForm>
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
    let action = paths::section_save(&id, &view.key);
    let prefill_panel = editable.then(|| view! {
        <PrefillPanel response_id=id.clone() section=view.key.clone()
            round=view.compared_round.clone() available=view.prefill_available unconfirmed=view.unconfirmed/>
    });
    let problems = summary_problems(&view.items);
    let page_status = (!view.conflicts.is_empty()).then(|| {
        view! { <span class="save-status save-status--failed">{PAGE_CONFLICT_STATUS}</span> }
    });
    let items_view = view
        .items
        .iter()
        .cloned()
        .map(|item_view| {
            let key = item_view.item.key.clone();
            let threads: Vec<_> = view
                .threads
                .iter()
                .filter(|t| t.item_key == key)
                .cloned()
                .collect();
            let conflict = view.conflicts.iter().find(|c| c.key == key).cloned();
            view! {
                <SectionQuestion item_view threads conflict editable
                    response_id=id.clone() compared_round=view.compared_round.clone()/>
            }
        })
        .collect_view();

    view! {
        <p class="back-link"><a href=paths::response(&id)>"Terug naar het overzicht"</a></p>
        <ResponseBanner header=header.clone()/>
        {notice.map(|text| view! { <Notice text/> })}
        <ProblemSummary problems/>
        <p class="caption">{format!("Sectie {} van {}", view.position.0, view.position.1)}</p>
        <h1>{view.title.clone()}</h1>
        {view.intro.clone().map(|intro| view! { <p class="lead">{intro}</p> })}
        <RoundGemeenten gemeenten=view.gemeenten.clone() open=true/>
        {prefill_panel}
        <p class=PAGE_STATUS_CLASS role="status" aria-live="polite">{page_status}</p>
        <p class="visually-hidden" id=RULES_ANNOUNCER_ID aria-live="polite"></p>
        {editable.then(|| view! {
            <SessionNotice ends_at=view.session_ends_at idle_secs=view.session_idle_secs/>
            <LoginAgainPanel/>
        })}
        <form method="post" action=action class=FORM_CLASS novalidate>
            {items_view}
            {editable.then(|| view! {
                <div class="button-group">
                    <button type="submit" class="button" name=ACTION_FIELD value=ACTION_NEXT>"Opslaan en verder"</button>
                    <button type="submit" class="button button--secondary" name=ACTION_FIELD value="opslaan">"Opslaan"</button>
                </div>
            })}
        </form>
        <SectionPager id previous=view.previous next=view.next/>
    }
}

/// The error summary's lines: every shown question with a problem, with its key to link to.
fn summary_problems(items: &[ItemView]) -> Vec<(String, String)> {
    items
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
        .collect()
}

/// The box above the form with the error summary, when there are problems; the script fills
/// it again as problems come and go.
#[component]
fn ProblemSummary(problems: Vec<(String, String)>) -> impl IntoView {
    view! {
        <div {..custom_attribute(SUMMARY_BOX_ATTRIBUTE, "")}>
            {(!problems.is_empty()).then(|| view! {
                <div class="error-summary" role="alert" aria-labelledby=SUMMARY_TITLE_ID tabindex="-1">
                    <h2 id=SUMMARY_TITLE_ID class="error-summary__title">"Er is een probleem"</h2>
                    <ul class="error-summary__list">
                        {problems.into_iter().map(|(key, text)| view! {
                            <li><a href=format!("#{}", question_id(&key)) rel="external">{text}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
        </div>
    }
}

/// One question of the form with what surrounds it: its version, warnings, the compared
/// round's answer, comments, save status and a conflict.
#[component]
fn SectionQuestion(
    item_view: ItemView,
    threads: Vec<CommentThread>,
    conflict: Option<ConflictInfo>,
    editable: bool,
    response_id: String,
    compared_round: Option<String>,
) -> impl IntoView {
    let ItemView {
        item,
        raw,
        version,
        problems,
        blocking,
        hidden,
        saved,
        warnings,
        previous,
        changed,
        prefilled,
        not_compared,
    } = item_view;
    let key = item.key.clone();
    let status = if conflict.is_some() {
        CONFLICT_STATUS.to_string()
    } else {
        last_saved_text(&saved)
    };
    let problems: Vec<String> = problems.into_iter().chain(blocking).collect();
    view! {
        <Question item=item.clone() value=raw disabled=!editable problems=problems warnings hidden=hidden>
            <input type="hidden" name=version_name(&key) value=version.to_string()/>
            {prefilled.then(|| view! { <PrefilledMark key=key.clone() label=item.label.clone() editable/> })}
            <PreviousAnswer previous=previous changed not_compared=not_compared round=compared_round/>
            <ItemComments threads response_id/>
            <p class=FIELD_STATUS_CLASS role="status" data-veld=key.clone()>{status}</p>
            {conflict.map(|conflict| view! { <ConflictPanel conflict item/> })}
        </Question>
    }
}

/// An answer taken over from the compared round and not confirmed yet: the tag, and the
/// button that confirms it unchanged. The button saves the section form first (without
/// JavaScript; the script confirms it in place), so nothing typed is lost.
#[component]
fn PrefilledMark(key: String, label: String, editable: bool) -> impl IntoView {
    view! {
        <div class=PREFILLED_BLOCK_CLASS>
            <p class=format!("tag {PREFILLED_CLASS}")>"Overgenomen – nog bevestigen"</p>
            {editable.then(|| view! {
                // The label names the question: many of these buttons share one page.
                <button type="submit" class="button button--secondary button--small" name=CONFIRM_FIELD value=key
                    aria-label=format!("Klopt nog: {label}")>"Klopt nog"</button>
            })}
        </div>
    }
}

/// Links to the previous and the next section.
#[component]
fn SectionPager(
    id: String,
    previous: Option<(String, String)>,
    next: Option<(String, String)>,
) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Secties">
            {previous.map(|(key, title)| view! {
                <a class="pager__previous" href=paths::section(&id, &key)>{format!("Vorige: {title}")}</a>
            })}
            {next.map(|(key, title)| view! {
                <a class="pager__next" href=paths::section(&id, &key)>{format!("Volgende: {title}")}</a>
            })}
        </nav>
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
