//! `/beheer`: the admin's start page, with the numbers behind each part of administration.

use crate::api::questionnaires::list_questionnaires;
use crate::api::regions::list_regions;
use crate::api::users::list_users;
use crate::components::loaded::Loaded;
use crate::domain::account::UserSummary;
use crate::domain::role::Role;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminPage() -> impl IntoView {
    let numbers = Resource::new(
        || (),
        |_| async move {
            let users = list_users().await?;
            let regions = list_regions().await?;
            let questionnaires = list_questionnaires().await?;
            let taking_part = regions.iter().filter(|r| r.is_active()).count();
            Ok::<_, crate::error::AppError>((users, taking_part, questionnaires.len()))
        },
    );
    view! {
        <Loaded data=numbers let:numbers>
            <AdminCards numbers/>
        </Loaded>
    }
}

/// A card per part of administration, with its numbers.
#[component]
fn AdminCards(numbers: (Vec<UserSummary>, usize, usize)) -> impl IntoView {
    let (users, region_count, questionnaire_count) = numbers;
    let count = |role: Role| users.iter().filter(|u| u.role == role && u.active).count();
    let blocked = users.iter().filter(|u| !u.active).count();
    view! {
        <Title text="Beheer"/>
        <h1>"Beheer"</h1>
        <ul class="cards">
            <li class="card">
                <h2 class="card__title"><a href=paths::USERS>"Gebruikers"</a></h2>
                <p>{format!(
                    "{} beheerders, {} reviewers en {} regiocoördinatoren actief; {} geblokkeerd.",
                    count(Role::Admin), count(Role::Reviewer), count(Role::Coordinator), blocked
                )}</p>
            </li>
            <li class="card">
                <h2 class="card__title"><a href=paths::OUTBOX>"Uitgaande e-mail"</a></h2>
                <p>"Uitnodigingen en berichten die de monitor verstuurt, met hun status."</p>
            </li>
            <li class="card">
                <h2 class="card__title"><a href=paths::QUESTIONNAIRES>"Vragenlijsten"</a></h2>
                <p>{format!("{questionnaire_count} versies geladen. Bekijk een versie of laad een nieuwe.")}</p>
            </li>
            <li class="card">
                <h2 class="card__title"><a href=paths::ROUNDS>"Metingen"</a></h2>
                <p>"Zet een meting op, open en sluit haar, verleng de deadline van een regio of heropen een ingediende vragenlijst."</p>
            </li>
            <li class="card">
                <h2 class="card__title"><a href=paths::REGIONS_ADMIN>"Regio's en gemeenten"</a></h2>
                <p>{format!("{region_count} regio's nemen deel. Voeg een regio toe, hernoem of hef er een op, en verdeel de gemeenten over de regio's.")}</p>
            </li>
        </ul>
    }
}
