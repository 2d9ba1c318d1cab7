//! `/vragenlijst/:id`: the task list.

use super::{param, status_tag, RoundGemeenten};
use crate::api::responses::{get_task_list, ResponseHeader, TaskList, TaskSection};
use crate::components::loaded::Loaded;
use crate::components::response::ResponseBanner;
use crate::domain::questionnaire::completeness::{Counts, SectionStatus};
use crate::domain::time::format_date_time;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/vragenlijst/:id`: every section with its status, counts and last change.
#[component]
pub fn TaskListPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map();
    let tasks = Resource::new(id, get_task_list);
    view! {
        <Loaded data=tasks let:tasks>
            <Tasks tasks just_submitted={query.read().get("melding").as_deref() == Some("ingediend")}/>
        </Loaded>
    }
}

/// The response's deadline and progress, then every section with its status.
#[component]
fn Tasks(tasks: TaskList, just_submitted: bool) -> impl IntoView {
    let header = tasks.header.clone();
    let id = header.id.clone();
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
        <TaskProgress header overall=tasks.overall.clone()/>
        <RoundGemeenten gemeenten=tasks.gemeenten.clone()/>
        <h2>"Secties"</h2>
        <ol class="task-list">
            {tasks.sections.into_iter().enumerate().map(|(n, section)| view! { <SectionTask id=id.clone() n section/> }).collect_view()}
        </ol>
        <h2>"Controleren en indienen"</h2>
        <p>
            <a class="button" href=paths::check_answers(&id)>"Antwoorden controleren"</a>
            " "
            <a href=paths::print(&id)>"Afdrukversie van alle antwoorden"</a>
        </p>
        <p><a href=paths::progress(&id)>"Vergelijking met de vorige meting"</a></p>
        <p><a href=paths::response_review(&id)>"Beoordeling en opmerkingen van de reviewer"</a></p>
    }
}

/// The deadline, how many required questions are answered, and the last change.
#[component]
fn TaskProgress(header: ResponseHeader, overall: Counts) -> impl IntoView {
    view! {
        <dl class="summary-list">
            <div class="summary-list__row"><dt>"Termijn"</dt><dd>{format_date_time(header.deadline)}</dd></div>
            <div class="summary-list__row"><dt>"Voortgang"</dt><dd>
                {format!("{} van {} verplichte vragen beantwoord ({}%)", overall.complete, overall.required, overall.percent_complete())}
                <progress class="progress" max="100" value=overall.percent_complete() aria-hidden="true"></progress>
            </dd></div>
            <div class="summary-list__row"><dt>"Laatst gewijzigd"</dt><dd>
                {header.last_change.clone().map_or("Nog niets ingevuld".to_string(), |change| format!("{} door {}", format_date_time(change.at), change.by))}
            </dd></div>
        </dl>
    }
}

/// One section of the task list: its link (unless it does not apply), counts and status.
#[component]
fn SectionTask(id: String, n: usize, section: TaskSection) -> impl IntoView {
    let href = paths::section(&id, &section.key);
    let hint_id = format!("sectie-{}-telling", section.key);
    let counts = if section.status == SectionStatus::NotApplicable {
        "Door uw antwoorden niet van toepassing".to_string()
    } else {
        let mut text = format!(
            "{} van {} verplichte vragen beantwoord",
            section.counts.complete, section.counts.required
        );
        if section.counts.blocking + section.counts.invalid > 0 {
            text.push_str(&format!(
                ", {} fout(en)",
                section.counts.blocking + section.counts.invalid
            ));
        }
        if let Some(change) = &section.last_change {
            text.push_str(&format!(
                " · laatst door {}, {}",
                change.by,
                format_date_time(change.at)
            ));
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
}
