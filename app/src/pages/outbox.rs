//! `/beheer/uitgaande-mail`: every mail the platform wrote, newest first, with its status.
//! Without an SMTP server mails stay here, and an admin can pass an invitation link on by
//! hand (the demo works that way).

use crate::api::outbox::{get_outbox, OutboxView, RetryMail, SHOWN};
use crate::components::form::ErrorSummary;
use crate::components::loaded::Loaded;
use crate::components::notice::ChangeNotice;
use crate::domain::notice::{Notice, OutboxMail};
use crate::domain::time::format_date_time;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

fn notice_text(code: &str) -> Option<String> {
    (code == "opnieuw").then(|| "De e-mail staat weer in de wachtrij.".to_string())
}

/// The status in words, with what happens next.
fn status_text(mail: &OutboxMail, delivering: bool) -> String {
    match mail.status.as_str() {
        "sent" => format!(
            "Verzonden {}",
            mail.sent_at.map(format_date_time).unwrap_or_default()
        ),
        "failed" => format!("Mislukt na {} pogingen", mail.attempts),
        _ if !delivering => "Niet verzonden: er is geen mailserver ingesteld".to_string(),
        _ if mail.attempts == 0 => "Wacht op verzending".to_string(),
        _ => format!(
            "Poging {} mislukt; volgende poging {}",
            mail.attempts,
            format_date_time(mail.next_attempt_at)
        ),
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let retry = ServerAction::<RetryMail>::new();
    let outbox = Resource::new(move || retry.version().get(), |_| get_outbox());
    let retry_error = Signal::derive(move || retry.value().get().and_then(Result::err));
    view! {
        <Title text="Uitgaande e-mail"/>
        <Loaded data=outbox let:outbox>
            <Outbox outbox retry retry_error/>
        </Loaded>
    }
}

/// Whether mail goes out, and every mail with its status; a failed one can be tried again.
#[component]
fn Outbox(
    outbox: OutboxView,
    retry: ServerAction<RetryMail>,
    retry_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let delivering = outbox.delivering;
    view! {
        <h1>"Uitgaande e-mail"</h1>
        <ChangeNotice text_of=notice_text/>
        <ErrorSummary error=retry_error/>
        <p>{if delivering {
            "E-mails worden via de ingestelde mailserver verstuurd. Lukt dat niet, dan volgen nieuwe pogingen met steeds meer tussentijd."
        } else {
            "Er is geen mailserver ingesteld (NAD_SMTP_URL). E-mails blijven hier staan; u kunt een link uit een uitnodiging zelf doorgeven."
        }}</p>
        <p class="form-hint">{format!("De {SHOWN} nieuwste e-mails, nieuwste eerst.")}</p>
        {if outbox.mails.is_empty() {
            view! { <p>"Er zijn nog geen e-mails."</p> }.into_any()
        } else {
            view! {
                <ul class="mail-list">
                    {outbox.mails.into_iter().map(|mail| {
                        let status = status_text(&mail, delivering);
                        let failed = mail.status == "failed";
                        view! {
                            <li class="mail-list__item">
                                <h2 class="mail-list__subject">{mail.subject.clone()}</h2>
                                <dl class="summary-list">
                                    <div class="summary-list__row"><dt>"Aan"</dt><dd>{mail.recipient.clone()}</dd></div>
                                    <div class="summary-list__row"><dt>"Soort"</dt><dd>{Notice::kind_label(&mail.kind)}</dd></div>
                                    <div class="summary-list__row"><dt>"Geschreven"</dt><dd>{format_date_time(mail.created_at)}</dd></div>
                                    <div class="summary-list__row"><dt>"Status"</dt><dd>{status}</dd></div>
                                    {mail.last_error.clone().map(|error| view! {
                                        <div class="summary-list__row"><dt>"Laatste fout"</dt><dd>{error}</dd></div>
                                    })}
                                </dl>
                                <details>
                                    <summary>"Inhoud"</summary>
                                    <pre class="mail-list__body">{mail.body_text.clone()}</pre>
                                </details>
                                {failed.then(|| view! {
                                    <ActionForm action=retry attr:class="inline-form">
                                        <input type="hidden" name="id" value=mail.id.clone()/>
                                        <button type="submit" class="button button--small button--secondary">
                                            "Opnieuw proberen"
                                        </button>
                                    </ActionForm>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
