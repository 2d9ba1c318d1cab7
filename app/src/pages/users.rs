//! `/beheer/gebruikers`: the admin's list of accounts, with forms to invite someone and to
//! block or unblock an account, and (on its own page) to edit one. Admins never set a
//! password: people choose their own. Every form works without JavaScript.

use crate::api::regions::list_regions;
use crate::api::two_factor::ResetTwoFactor;
use crate::api::users::{
    get_user, list_users, AddAdvisedRegion, AddUserRegion, CreateUser, RemoveAdvisedRegion,
    RemoveUserRegion, ResendInvitation, SetUserActive, UpdateUser,
};
use crate::components::form::{ErrorSummary, SelectField, TextField};
use crate::components::loaded::Loaded;
use crate::components::notice::ChangeNotice;
use crate::components::table::ScrollTable;
use crate::domain::access::ProgrammeRegion;
use crate::domain::account::{UserSummary, EMAIL_MAX_CHARS, NAME_MAX_CHARS};
use crate::domain::region::Region;
use crate::domain::role::Role;
use crate::domain::time::format_date_time;
use crate::error::AppError;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::de::DeserializeOwned;
use web_sys::FormData;

/// The confirmation after a change, from the `melding` query parameter.
fn notice_text(code: &str) -> Option<&'static str> {
    match code {
        "uitgenodigd" => Some(
            "De gebruiker is aangemaakt en krijgt een e-mail met een link om een wachtwoord te kiezen.",
        ),
        "opnieuw-uitgenodigd" => {
            Some("Er is een nieuwe uitnodiging verstuurd; de vorige link werkt niet meer.")
        }
        "gewijzigd" => Some("De gegevens van de gebruiker zijn gewijzigd."),
        "tweestap-gewist" => Some(
            "De tweestapsverificatie van de gebruiker is gewist; de gebruiker is overal uitgelogd.",
        ),
        "geblokkeerd" => Some("De gebruiker is geblokkeerd en overal uitgelogd."),
        "geactiveerd" => Some("De gebruiker is weer actief."),
        "regio-erbij" => Some("De coördinator coördineert nu ook deze regio, met dezelfde login."),
        "regio-eraf" => Some("De coördinator coördineert deze regio niet meer."),
        "adviesregio-erbij" => Some("De beoordelaar is nu ook regioadviseur van deze regio en kan de vragenlijst invullen."),
        "adviesregio-eraf" => Some("De beoordelaar is geen regioadviseur meer van deze regio."),
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
    // A new account belongs to a region that takes part, not to a retired one.
    let regions = Resource::new(
        || (),
        |_| async {
            let regions = list_regions().await?;
            Ok::<Vec<Region>, AppError>(regions.into_iter().filter(Region::is_active).collect())
        },
    );
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));
    let toggle_error = Signal::derive(move || toggle.value().get().and_then(Result::err));

    view! {
        <Loaded data=move || with_region_options(users, regions) let((users, region_options))>
            <Title text="Gebruikers"/>
            <h1>"Gebruikers"</h1>
            <ChangeNotice text_of=|code| notice_text(code).map(String::from)/>
            // Both summaries at the top: after a post without JavaScript the page
            // opens there, and each entry links to its field further down.
            <ErrorSummary error=toggle_error id="fout-status"/>
            <ErrorSummary error=create_error id="fout-toevoegen"/>
            <UserTable users toggle/>
            <h2 id="toevoegen">"Gebruiker uitnodigen"</h2>
            <ActionForm action=create attr:class="form">
                <TextField label="E-mailadres" name="email" input_type="email"
                    autocomplete="off" required=true maxlength=EMAIL_MAX_CHARS error=create_error/>
                <TextField label="Naam" name="display_name" autocomplete="off"
                    required=true maxlength=NAME_MAX_CHARS error=create_error/>
                <SelectField label="Rol" name="role" options=role_options() error=create_error/>
                <SelectField label="Regio" name="region_code" options=region_options
                    hint="Alleen voor regiocoördinatoren." error=create_error/>
                <p class="form-hint">
                    "De gebruiker krijgt een e-mail met een link (7 dagen geldig) om zelf een wachtwoord te kiezen."
                </p>
                <button type="submit" class="button">"Gebruiker uitnodigen"</button>
            </ActionForm>
        </Loaded>
    }
}

#[component]
fn UserTable(users: Vec<UserSummary>, toggle: ServerAction<SetUserActive>) -> impl IntoView {
    view! {
        <ScrollTable label="Gebruikers" caption="Alle gebruikers" hidden_caption=true
            columns=&["Naam", "E-mailadres", "Rol", "Regio", "Status", "Laatst ingelogd", "Acties"]>
            {users
                .into_iter()
                .map(|user| {
                    let edit_href = paths::user(&user.id);
                    view! {
                        <tr>
                            <td>{user.display_name.clone()}</td>
                            <td>{user.email.clone()}</td>
                            <td>{user.role.label()}</td>
                            <td>{user.region_name.clone().unwrap_or_else(|| "–".to_string())}</td>
                            <td>{status_label(&user)}</td>
                            <td>{user.last_login_at.map(format_date_time).unwrap_or_else(|| "–".to_string())}</td>
                            <td class="table__actions">
                                <ActivityForm user=user.clone() toggle/>
                                <a href=edit_href aria-label=format!("Bewerken: {}", user.display_name)>
                                    "Bewerken"
                                </a>
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </ScrollTable>
    }
}

/// `/beheer/gebruikers/:id`: change an account's details, send a new invitation, block or
/// unblock it.
#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let user_id = move || params.read().get("id").unwrap_or_default();
    let update = ServerAction::<UpdateUser>::new();
    let invite = ServerAction::<ResendInvitation>::new();
    let toggle = ServerAction::<SetUserActive>::new();
    let reset = ServerAction::<ResetTwoFactor>::new();
    let add_region = ServerAction::<AddUserRegion>::new();
    let remove_region = ServerAction::<RemoveUserRegion>::new();
    let add_advised = ServerAction::<AddAdvisedRegion>::new();
    let remove_advised = ServerAction::<RemoveAdvisedRegion>::new();
    let user = Resource::new(user_id, get_user);
    let regions = Resource::new(|| (), |_| list_regions());
    let region_error = Signal::derive(move || {
        add_region
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| remove_region.value().get().and_then(Result::err))
    });
    let advised_error = Signal::derive(move || {
        add_advised
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| remove_advised.value().get().and_then(Result::err))
    });
    let update_error = Signal::derive(move || update.value().get().and_then(Result::err));
    let invite_error = Signal::derive(move || invite.value().get().and_then(Result::err));
    let toggle_error = Signal::derive(move || toggle.value().get().and_then(Result::err));
    let reset_error = Signal::derive(move || reset.value().get().and_then(Result::err));
    view! {
        <Loaded data=move || with_region_options(user, regions) let((user, region_options))>
            <Title text=format!("Gebruiker {}", user.display_name)/>
            <div class="narrow">
                <h1>{user.display_name.clone()}</h1>
                <ChangeNotice text_of=|code| notice_text(code).map(String::from)/>
                <ErrorSummary error=update_error id="fout-wijzigen"/>
                <ErrorSummary error=region_error id="fout-programma"/>
                <ErrorSummary error=advised_error id="fout-adviseur"/>
                <ErrorSummary error=invite_error id="fout-uitnodigen"/>
                <ErrorSummary error=toggle_error id="fout-status"/>
                <ErrorSummary error=reset_error id="fout-tweestap"/>
                <UserFacts user=user.clone()/>
                {(!user.has_password && user.active).then(|| view! {
                    <InvitationAgain user_id=user.id.clone() invite/>
                })}
                <h2>"Gegevens wijzigen"</h2>
                <UserDetailsForm user=user.clone() region_options=region_options.clone() update error=update_error/>
                {(user.role == Role::Coordinator).then(|| view! {
                    <OtherProgrammes user=user.clone() region_options=region_options.clone() add_region remove_region error=region_error/>
                })}
                {(user.role == Role::Reviewer).then(|| view! {
                    <AdvisedRegions user=user.clone() region_options add_advised remove_advised error=advised_error/>
                })}
                {user.two_factor.then(|| view! { <TwoFactorReset user_id=user.id.clone() reset/> })}
                <h2>"Toegang"</h2>
                <p>{access_text(&user)}</p>
                <ActivityForm user=user.clone() toggle/>
                <p><a href=paths::USERS>"Terug naar gebruikers"</a></p>
            </div>
        </Loaded>
    }
}

/// The account's status, two-factor sign-in, creation and last login.
#[component]
fn UserFacts(user: UserSummary) -> impl IntoView {
    view! {
        <dl class="summary-list">
            <div class="summary-list__row"><dt>"Status"</dt><dd>{status_label(&user)}</dd></div>
            <div class="summary-list__row">
                <dt>"Tweestapsverificatie"</dt>
                <dd>{if user.two_factor { "Aan" } else { "Uit" }}</dd>
            </div>
            <div class="summary-list__row"><dt>"Aangemaakt"</dt><dd>{format_date_time(user.created_at)}</dd></div>
            <div class="summary-list__row">
                <dt>"Laatst ingelogd"</dt>
                <dd>{user.last_login_at.map(format_date_time).unwrap_or_else(|| "Nog nooit".to_string())}</dd>
            </div>
        </dl>
    }
}

/// A new invitation, for someone who has not chosen a password yet.
#[component]
fn InvitationAgain(user_id: String, invite: ServerAction<ResendInvitation>) -> impl IntoView {
    view! {
        <p>"Deze gebruiker heeft nog geen wachtwoord gekozen. Een nieuwe uitnodiging maakt de vorige link ongeldig."</p>
        <ActionForm action=invite attr:class="inline-form">
            <input type="hidden" name="user_id" value=user_id/>
            <button type="submit" class="button button--secondary">"Uitnodiging opnieuw sturen"</button>
        </ActionForm>
    }
}

/// Address, name, role and region of the account.
#[component]
fn UserDetailsForm(
    user: UserSummary,
    region_options: Vec<(String, String)>,
    update: ServerAction<UpdateUser>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <ActionForm action=update attr:class="form">
            <input type="hidden" name="user_id" value=user.id.clone()/>
            <TextField label="E-mailadres" name="email" input_type="email" autocomplete="off"
                required=true maxlength=EMAIL_MAX_CHARS value=user.email.clone() error/>
            <TextField label="Naam" name="display_name" autocomplete="off" required=true
                maxlength=NAME_MAX_CHARS value=user.display_name.clone() error/>
            <SelectField label="Rol" name="role" options=role_options()
                selected=user.role.code().to_string() error/>
            <SelectField label="Regio" name="region_code" options=region_options
                selected=user.region_code.clone().unwrap_or_default()
                hint="Alleen voor regiocoördinatoren." error/>
            <button type="submit" class="button">"Wijzigingen opslaan"</button>
        </ActionForm>
    }
}

/// A coordinator's regions in other programmes: the same person, one login.
#[component]
fn OtherProgrammes(
    user: UserSummary,
    region_options: Vec<(String, String)>,
    add_region: ServerAction<AddUserRegion>,
    remove_region: ServerAction<RemoveUserRegion>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    // Regions, not the "no region" choice; the server refuses the own programme's.
    let options: Vec<(String, String)> = region_options
        .into_iter()
        .filter(|(code, _)| !code.is_empty() && Some(code) != user.region_code.as_ref())
        .collect();
    let user_id = user.id.clone();
    view! {
        <h2>"Andere programma's"</h2>
        <p>"Coördineert deze persoon ook een regio in een ander programma (bijvoorbeeld Beschermd Thuis)? Dan krijgt ze die hier erbij, met dezelfde login. Per programma één regio."</p>
        {(!user.other_regions.is_empty()).then(|| view! {
            <RemovableRegions user_id=user.id.clone() regions=user.other_regions.clone() remove=remove_region/>
        })}
        <ActionForm action=add_region attr:class="form">
            <input type="hidden" name="user_id" value=user_id/>
            <SelectField label="Regio in een ander programma" name="other_region" options error/>
            <button type="submit" class="button">"Regio erbij"</button>
        </ActionForm>
    }
}

/// The regions a reviewer advises (regioadviseur): they fill in those regions' questionnaires,
/// and the region agrees to what is submitted.
#[component]
fn AdvisedRegions(
    user: UserSummary,
    region_options: Vec<(String, String)>,
    add_advised: ServerAction<AddAdvisedRegion>,
    remove_advised: ServerAction<RemoveAdvisedRegion>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let options: Vec<(String, String)> = region_options
        .into_iter()
        .filter(|(code, _)| {
            !code.is_empty() && !user.advised_regions.iter().any(|r| &r.code == code)
        })
        .collect();
    let user_id = user.id.clone();
    view! {
        <h2>"Regioadviseur"</h2>
        <p>"Een regioadviseur vult de vragenlijst van de regio's die hij of zij adviseert in, uit de gesprekken met de regio. Bij het indienen legt de adviseur vast met wie in de regio de antwoorden zijn afgestemd, en wanneer."</p>
        {if user.advised_regions.is_empty() {
            view! { <p>"Deze beoordelaar is geen regioadviseur van een regio."</p> }.into_any()
        } else {
            view! {
                <RemovableRegions user_id=user.id.clone() regions=user.advised_regions.clone()
                    remove=remove_advised label="Regio's als regioadviseur"/>
            }.into_any()
        }}
        <ActionForm action=add_advised attr:class="form">
            <input type="hidden" name="user_id" value=user_id/>
            <SelectField label="Regio als regioadviseur" name="advised_region" options error/>
            <button type="submit" class="button">"Regio erbij als adviseur"</button>
        </ActionForm>
    }
}

/// A user's regions beyond their own, each with a button that takes it away through `remove`.
#[component]
fn RemovableRegions<ServFn, OutputProtocol>(
    user_id: String,
    regions: Vec<ProgrammeRegion>,
    remove: ServerAction<ServFn>,
    /// The list's name for screen readers, where the heading above it does not say what it holds.
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView
where
    // What `ActionForm` asks of its action.
    ServFn: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>>
        + Clone
        + Send
        + Sync
        + 'static,
    ServFn::Client: Client<ServFn::Error>,
    <<ServFn::Client as Client<ServFn::Error>>::Request as ClientReq<ServFn::Error>>::FormData:
        From<FormData>,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
{
    view! {
        <ul class="choice-list" aria-label=label>
            {regions.into_iter().map(|region| {
                let user_id = user_id.clone();
                view! {
                    <li class="choice-list__item">
                        {format!("{} ({}, {})", region.name, region.code, region.programme_short_name)}
                        <ActionForm action=remove attr:class="inline-form">
                            <input type="hidden" name="user_id" value=user_id/>
                            <input type="hidden" name="region_code" value=region.code.clone()/>
                            <button type="submit" class="button button--secondary">
                                {format!("{} weghalen", region.name)}
                            </button>
                        </ActionForm>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Wiping the second factor of someone who lost it.
#[component]
fn TwoFactorReset(user_id: String, reset: ServerAction<ResetTwoFactor>) -> impl IntoView {
    view! {
        <h2>"Tweestapsverificatie wissen"</h2>
        <p>"Telefoon kwijt en geen herstelcodes meer? Wissen logt de gebruiker overal uit; bij de volgende keer inloggen stelt hij of zij een nieuwe app in (beheerders en reviewers moeten dat)."</p>
        <ActionForm action=reset attr:class="inline-form">
            <input type="hidden" name="user_id" value=user_id/>
            <button type="submit" class="button button--secondary">"Tweestapsverificatie wissen"</button>
        </ActionForm>
    }
}

fn access_text(user: &UserSummary) -> &'static str {
    if user.active {
        "Blokkeren logt de gebruiker overal uit; inloggen kan dan niet meer."
    } else {
        "Deze gebruiker is geblokkeerd. Activeren geeft weer toegang."
    }
}

#[component]
fn ActivityForm(user: UserSummary, toggle: ServerAction<SetUserActive>) -> impl IntoView {
    let action_label = if user.active {
        "Blokkeren"
    } else {
        "Activeren"
    };
    let described = format!("{action_label}: {}", user.display_name);
    view! {
        <ActionForm action=toggle attr:class="inline-form">
            <input type="hidden" name="user_id" value=user.id.clone()/>
            <input type="hidden" name="active" value=if user.active { "false" } else { "true" }/>
            <button type="submit" class="button button--small button--secondary" aria-label=described>
                {action_label}
            </button>
        </ActionForm>
    }
}

fn status_label(user: &UserSummary) -> &'static str {
    match (user.active, user.has_password) {
        (false, _) => "Geblokkeerd",
        (true, false) => "Uitgenodigd",
        (true, true) => "Actief",
    }
}

fn role_options() -> Vec<(String, String)> {
    [Role::Coordinator, Role::Reviewer, Role::Admin]
        .into_iter()
        .map(|role| (role.code().to_string(), role.label().to_string()))
        .collect()
}

/// The page's data, then the regions as the options of its select (none when they do not load).
async fn with_region_options<T>(
    data: Resource<Result<T, AppError>>,
    regions: Resource<Result<Vec<Region>, AppError>>,
) -> Result<(T, Vec<(String, String)>), AppError>
where
    T: Clone + Send + Sync + 'static,
{
    let data = data.await?;
    Ok((data, region_options(regions.await.unwrap_or_default())))
}

fn region_options(regions: Vec<Region>) -> Vec<(String, String)> {
    std::iter::once((
        String::new(),
        "Geen regio (beheerder of reviewer)".to_string(),
    ))
    // A retired region stays selectable (its coordinators keep their accounts), marked as such.
    .chain(regions.into_iter().map(|region| {
        let retired = if region.is_active() {
            ""
        } else {
            ", opgeheven"
        };
        (
            region.code.clone(),
            format!("{} ({}{retired})", region.name, region.code),
        )
    }))
    .collect()
}
