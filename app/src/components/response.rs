//! Parts of a response's pages that the coordinator's and the reviewer's pages share: the
//! banner above every page of a response, and an item's comment threads.

use crate::api::responses::ResponseHeader;
use crate::domain::attribution::Returned;
use crate::domain::response::ResponseStatus;
use crate::domain::review::CommentThread;
use crate::domain::time::format_date_time;
use crate::paths;
use leptos::prelude::*;

/// A programme's short name in its colour, with its full name for screen readers and on
/// hover: which programme a round belongs to, wherever a round is named.
#[component]
pub fn ProgrammeMark(programme: crate::domain::programme::Programme) -> impl IntoView {
    view! {
        <abbr class=format!("programme-mark programme-mark--{}", programme.code) title=programme.name.clone()>
            {programme.short_name.clone()}
        </abbr>
    }
}

/// The lines above every page of a response: region, round, submission, review and
/// read-only state, and the reviewer's open comments.
#[component]
pub fn ResponseBanner(header: ResponseHeader) -> impl IntoView {
    let submitted = header
        .submitted
        .clone()
        .filter(|_| header.status == ResponseStatus::Submitted);
    let comments_link = paths::response_review(&header.id);
    view! {
        <p class="programme-line">
            <ProgrammeMark programme=header.programme.clone()/>
            <span class="caption">{format!("{} · {}", header.region_name, header.round_name)}</span>
        </p>
        {submitted.map(|submitted| view! {
            <div class="notice notice--success" role="status">
                <p>{format!("Ingediend op {} door {}", format_date_time(submitted.at), submitted.by)}
                    {match &header.agreement {
                        Some(agreement) => format!(" (regioadviseur), {}.", agreement.describe()),
                        None => ".".to_string(),
                    }}</p>
            </div>
        })}
        {(header.as_adviser && header.status.accepts_answers()).then(|| view! {
            <div class="notice" role="note">
                <p>"U vult deze vragenlijst in als regioadviseur. Bij het indienen legt u vast met wie in de regio u de antwoorden hebt afgestemd, en wanneer."</p>
            </div>
        })}
        {header.approved.clone().map(|approved| view! {
            <div class="notice notice--success" role="status">
                <p>{format!("Goedgekeurd op {} door {}. De vragenlijst is vergrendeld.", format_date_time(approved.at), approved.by)}</p>
            </div>
        })}
        {header.returned.clone().map(|Returned { attribution, reason }| view! {
            <div class="notice notice--warning" role="status">
                <h2 class="notice__title">"Teruggestuurd door de reviewer"</h2>
                <p>{format!("{} op {}: ", attribution.by, format_date_time(attribution.at))}<q>{reason}</q></p>
                <p>"Pas de antwoorden aan en dien de vragenlijst opnieuw in."</p>
            </div>
        })}
        {(header.open_comments > 0).then(|| view! {
            <div class="notice notice--warning" role="status">
                <p>{format!("Er staan {} opmerking(en) van de reviewer open. ", header.open_comments)}
                    <a href=comments_link>"Bekijk en beantwoord de opmerkingen"</a></p>
            </div>
        })}
        {header.read_only_reason.clone().filter(|_| header.status.accepts_answers()).map(|reason| view! {
            <div class="notice" role="status"><p>{reason}</p></div>
        })}
    }
}

/// The comment threads of one item on the coordinator's section page: the messages, and a
/// link to answer them on the review page (a form can't sit inside the section's form).
#[component]
pub fn ItemComments(threads: Vec<CommentThread>, response_id: String) -> impl IntoView {
    (!threads.is_empty()).then(|| {
        view! {
            <div class="item-comments">
                {threads.into_iter().map(|thread| {
                    let open = thread.resolved.is_none();
                    let class = if open { "thread" } else { "thread thread--resolved" };
                    let href = paths::comment(&response_id, &thread.id);
                    view! {
                        <div class=class>
                            <p class="thread__state">
                                {if open {
                                    view! { <strong class="tag tag--error">"Opmerking van de reviewer"</strong> }.into_any()
                                } else {
                                    view! { <strong class="tag tag--done">"Opmerking afgehandeld"</strong> }.into_any()
                                }}
                            </p>
                            <ol class="thread__messages">
                                {thread.messages.into_iter().map(|message| view! {
                                    <li class="thread__message">
                                        <p class="thread__meta">{format!("{} ({}) – {}", message.author, message.author_role.label(), format_date_time(message.at))}</p>
                                        <p class="thread__body">{message.body}</p>
                                    </li>
                                }).collect_view()}
                            </ol>
                            {open.then(|| view! { <p><a href=href>"Reageren op deze opmerking"</a></p> })}
                        </div>
                    }
                }).collect_view()}
            </div>
        }
    })
}
