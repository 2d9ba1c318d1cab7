//! The panels of the section page around its questions: a conflict with a colleague's answer,
//! the session's end, logging in again in place, taking over the compared round's answers,
//! and that round's answer beside a question.

use super::names::*;
use crate::domain::questionnaire::model::Item;
use crate::domain::response::{describe, describe_as_typed, ConflictInfo};
use crate::domain::time::format_date_time;
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

/// Both answers side by side; the person keeps theirs or takes the colleague's. The buttons
/// belong to the section form, so without JavaScript they post it (the server resolves the
/// conflict and saves the rest); with JavaScript the script calls the server function
/// directly. The script builds the same panel when a save meets a conflict.
#[component]
pub(super) fn ConflictPanel(conflict: ConflictInfo, item: Item) -> impl IntoView {
    let key = conflict.key.clone();
    let texts = ConflictTexts::new(Some(&item), &conflict);
    view! {
        <div class="conflict" role="alert" {..custom_attribute(CONFLICT_ATTRIBUTE, key.clone())}>
            <h3 class="conflict__title">{ConflictTexts::TITLE}</h3>
            <p>{texts.intro}</p>
            <dl class="summary-list">
                <div class="summary-list__row"><dt>{ConflictTexts::MINE}</dt><dd>{texts.mine}</dd></div>
                <div class="summary-list__row"><dt>{texts.theirs_label}</dt><dd>{texts.theirs}</dd></div>
            </dl>
            <div class="button-group">
                <button type="submit" class="button" name=CONFLICT_FIELD value=format!("{key}:mijn")>{ConflictTexts::KEEP_MINE}</button>
                <button type="submit" class="button button--secondary" name=CONFLICT_FIELD value=format!("{key}:ander")>{ConflictTexts::TAKE_THEIRS}</button>
            </div>
        </div>
    }
}

/// The words of a conflict panel, shared by the server's HTML and the script's.
pub(in crate::pages::fill) struct ConflictTexts {
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

    /// The texts of `conflict`; without `item` (the browser's script before the questionnaire
    /// arrived) the answers are described as typed.
    pub fn new(item: Option<&Item>, conflict: &ConflictInfo) -> Self {
        let describe = |raw| match item {
            Some(item) => describe(item, raw),
            None => describe_as_typed(raw),
        };
        ConflictTexts {
            intro: format!(
                "{} wijzigde dit antwoord op {}, terwijl u het ook wijzigde. Er is niets overschreven.",
                conflict.changed_by,
                format_date_time(conflict.changed_at)
            ),
            mine: describe(&conflict.mine),
            theirs_label: format!("Antwoord van {}", conflict.changed_by),
            theirs: describe(&conflict.theirs),
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
pub(super) fn SessionNotice(ends_at: i64, idle_secs: i64) -> impl IntoView {
    let time = session_end_text(ends_at);
    view! {
        <p class="session-deadline" id={SESSION_END_ID} {..custom_attribute(SESSION_SECONDS_ATTRIBUTE, idle_secs.to_string())}>
            {format!("Zonder activiteit wordt u om {time} uitgelogd. Opslaan houdt u ingelogd.")}
        </p>
        <div class="notice notice--warning session-warning" id=SESSION_WARNING_ID role="alertdialog"
            aria-labelledby="sessie-waarschuwing-titel" aria-describedby=SESSION_WARNING_TEXT_ID hidden>
            <h2 id="sessie-waarschuwing-titel" class="notice__title">"U wordt bijna uitgelogd"</h2>
            <p id=SESSION_WARNING_TEXT_ID>
                {format!("Zonder activiteit wordt u om {time} uitgelogd. Wat u hebt ingevuld, blijft bewaard.")}
            </p>
            <button type="button" class="button" id=SESSION_EXTEND_ID>"Ingelogd blijven"</button>
        </div>
    }
}

/// A time of day in Dutch time (`14:35`), as the session notices and save statuses say it.
pub(in crate::pages::fill) fn session_end_text(at: i64) -> String {
    let (_, _, _, hour, minute) = crate::domain::time::local_parts(at);
    format!("{hour:02}:{minute:02}")
}

#[component]
pub(super) fn LoginAgainPanel() -> impl IntoView {
    let login_again = <crate::api::auth::LoginAgain as leptos::server_fn::ServerFn>::PATH;
    view! {
        <section class="notice notice--warning" id=LOGIN_AGAIN_ID aria-labelledby="opnieuw-inloggen" hidden>
            <h2 id="opnieuw-inloggen" class="notice__title">"U bent uitgelogd"</h2>
            <p>"Uw wijzigingen zijn bewaard in deze browser. Log opnieuw in; daarna worden ze opgeslagen."</p>
            <form method="post" action=login_again>
                <div class="form-field">
                    <label class="form-label" for=LOGIN_AGAIN_EMAIL_ID>"E-mailadres"</label>
                    <input class="form-input" id=LOGIN_AGAIN_EMAIL_ID name="email" type="email" autocomplete="username"/>
                </div>
                <div class="form-field">
                    <label class="form-label" for=LOGIN_AGAIN_PASSWORD_ID>"Wachtwoord"</label>
                    <input class="form-input" id=LOGIN_AGAIN_PASSWORD_ID name="password" type="password" autocomplete="current-password"/>
                </div>
                <div class="form-field">
                    <label class="form-label" for=LOGIN_AGAIN_CODE_ID>"Code uit uw authenticator-app"</label>
                    <p class="form-hint" id="opnieuw-code-hint">"Alleen als u tweestapsverificatie gebruikt."</p>
                    <input class="form-input" id=LOGIN_AGAIN_CODE_ID name="code" type="text" inputmode="numeric"
                        autocomplete="one-time-code" maxlength="20" aria-describedby="opnieuw-code-hint"/>
                </div>
                <button type="submit" class="button">"Inloggen en opslaan"</button>
            </form>
        </section>
    }
}

/// Taking over the previous round's answers for this section, and confirming them. Plain
/// forms: they work with and without JavaScript.
#[component]
pub(super) fn PrefillPanel(
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
pub(super) fn PreviousAnswer(
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
