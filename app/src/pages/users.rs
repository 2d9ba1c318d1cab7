//! `/beheer/gebruikers`: the admin's list of accounts, with forms to add an account, block or
//! unblock one, and (on its own page) set a new password. Every form works without
//! JavaScript.

use crate::api::regions::list_regions;
use crate::api::users::{list_users, CreateUser, ResetPassword, SetUserActive};
use crate::components::form::{ErrorSummary, SelectField, TextField};
use crate::components::notice::ChangeNotice;
use crate::components::status::ErrorPage;
use crate::domain::account::{UserSummary, EMAIL_MAX_CHARS, NAME_MAX_CHARS, PASSWORD_MAX_CHARS};
use crate::domain::role::Role;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const PASSWORD_HINT: &str = "Minstens 12 tekens. Een zin van een paar woorden is sterk en goed te onthouden. Veelgebruikte wachtwoorden worden geweigerd.";

/// The confirmation after a change, from the `melding` query parameter.
fn notice_text(code: &str) -> Option<&'static str> {
    match code {
        "aangemaakt" => Some("De gebruiker is aangemaakt en kan nu inloggen."),
        "geblokkeerd" => Some("De gebruiker is geblokkeerd en overal uitgelogd."),
        "geactiveerd" => Some("De gebruiker is weer actief."),
        "wachtwoord" => {
            Some("Het nieuwe wachtwoord is ingesteld. De gebruiker is overal uitgelogd.")
        }
        _ => None,
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let toggle = ServerAction::<SetUserActive>::new();
    let users = Resource::new(
        move || (create.version().get(), toggle.version().get()),
        |_| list_users(),
    );
    let regions = Resource::new(|| (), |_| list_regions());
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));
    let toggle_error = Signal::derive(move || toggle.value().get().and_then(Result::err));

    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                let users = match users.await {
                    Ok(users) => users,
                    Err(error) => return view! { <ErrorPage error/> }.into_any(),
                };
                let region_options: Vec<(String, String)> = std::iter::once((
                    String::new(),
                    "Geen regio (beheerder of reviewer)".to_string(),
                ))
                .chain(regions.await.unwrap_or_default().into_iter().map(|region| {
                    (region.code.clone(), format!("{} ({})", region.name, region.code))
                }))
                .collect();
                let role_options: Vec<(String, String)> =
                    [Role::Coordinator, Role::Reviewer, Role::Admin]
                        .into_iter()
                        .map(|role| (role.code().to_string(), role.label().to_string()))
                        .collect();
                view! {
                    <Title text="Gebruikers"/>
                    <h1>"Gebruikers"</h1>
                    <ChangeNotice text_of=|code| notice_text(code).map(String::from)/>
                    // Both summaries at the top: after a post without JavaScript the page
                    // opens there, and each entry links to its field further down.
                    <ErrorSummary error=toggle_error id="fout-status"/>
                    <ErrorSummary error=create_error id="fout-toevoegen"/>
                    <UserTable users toggle/>
                    <h2 id="toevoegen">"Gebruiker toevoegen"</h2>
                    <ActionForm action=create attr:class="form">
                        <TextField label="E-mailadres" name="email" input_type="email"
                            autocomplete="off" required=true maxlength=EMAIL_MAX_CHARS error=create_error/>
                        <TextField label="Naam" name="display_name" autocomplete="off"
                            required=true maxlength=NAME_MAX_CHARS error=create_error/>
                        <SelectField label="Rol" name="role" options=role_options error=create_error/>
                        <SelectField label="Regio" name="region_code" options=region_options
                            hint="Alleen voor regiocoördinatoren." error=create_error/>
                        <TextField label="Wachtwoord" name="password" input_type="password"
                            autocomplete="new-password" required=true maxlength=PASSWORD_MAX_CHARS
                            hint=PASSWORD_HINT error=create_error/>
                        <button type="submit" class="button">"Gebruiker toevoegen"</button>
                    </ActionForm>
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(users: Vec<UserSummary>, toggle: ServerAction<SetUserActive>) -> impl IntoView {
    view! {
        <table class="table">
            <caption class="visually-hidden">"Alle gebruikers"</caption>
            <thead>
                <tr>
                    <th scope="col">"Naam"</th>
                    <th scope="col">"E-mailadres"</th>
                    <th scope="col">"Rol"</th>
                    <th scope="col">"Regio"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Acties"</th>
                </tr>
            </thead>
            <tbody>
                {users
                    .into_iter()
                    .map(|user| {
                        let password_href = format!("/beheer/gebruikers/{}/wachtwoord", user.id);
                        let action_label = if user.active { "Blokkeren" } else { "Activeren" };
                        let described = format!("{action_label}: {}", user.display_name);
                        view! {
                            <tr>
                                <td>{user.display_name.clone()}</td>
                                <td>{user.email.clone()}</td>
                                <td>{user.role.label()}</td>
                                <td>{user.region_name.clone().unwrap_or_else(|| "–".to_string())}</td>
                                <td>{if user.active { "Actief" } else { "Geblokkeerd" }}</td>
                                <td class="table__actions">
                                    <ActionForm action=toggle attr:class="inline-form">
                                        <input type="hidden" name="user_id" value=user.id.clone()/>
                                        <input type="hidden" name="active" value=if user.active { "false" } else { "true" }/>
                                        <button type="submit" class="button button--small button--secondary"
                                            aria-label=described>
                                            {action_label}
                                        </button>
                                    </ActionForm>
                                    <a href=password_href aria-label=format!("Nieuw wachtwoord voor {}", user.display_name)>
                                        "Nieuw wachtwoord"
                                    </a>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// `/beheer/gebruikers/:id/wachtwoord`: set a new password for one account.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let params = use_params_map();
    let user_id = move || params.read().get("id").unwrap_or_default();
    let reset = ServerAction::<ResetPassword>::new();
    let user = Resource::new(user_id, |id| async move {
        list_users()
            .await?
            .into_iter()
            .find(|user| user.id == id)
            .ok_or(AppError::NotFound)
    });
    let error = Signal::derive(move || reset.value().get().and_then(Result::err));
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(user) => view! {
                        <Title text="Nieuw wachtwoord instellen"/>
                        <div class="narrow">
                            <h1>"Nieuw wachtwoord voor " {user.display_name.clone()}</h1>
                            <p>{format!("{} ({}). De gebruiker wordt overal uitgelogd.", user.email, user.role.label())}</p>
                            <ErrorSummary error/>
                            <ActionForm action=reset>
                                <input type="hidden" name="user_id" value=user.id.clone()/>
                                <TextField label="Nieuw wachtwoord" name="password" input_type="password"
                                    autocomplete="new-password" required=true maxlength=PASSWORD_MAX_CHARS
                                    hint=PASSWORD_HINT error/>
                                <button type="submit" class="button">"Wachtwoord instellen"</button>
                            </ActionForm>
                            <p><a href="/beheer/gebruikers">"Terug naar gebruikers"</a></p>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
