//! Pages of one's own account: "Mijn account" (details, password, sessions), "Wachtwoord
//! vergeten?", and the page an invitation or reset link opens to choose a password. Every
//! form works without JavaScript; password fields carry the `autocomplete` values password
//! managers fill in (WCAG 2.2, 3.3.8).

use crate::api::account::{
    inspect_link, my_account, AccountView, ChangePassword, ChoosePassword, EndSession,
    ForgotPassword, SetNotices, TwoFactorStatus,
};
use crate::api::two_factor::RemoveTwoFactor;
use crate::components::form::{ErrorSummary, TextField};
use crate::components::loaded::Loaded;
use crate::components::notice::ChangeNotice;
use crate::components::table::ScrollTable;
use crate::domain::account::{SessionSummary, EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS};
use crate::domain::time::format_date_time;
use crate::error::AppError;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub const PASSWORD_HINT: &str = "Minstens 12 tekens. Een zin van een paar woorden is sterk en goed te onthouden. Veelgebruikte wachtwoorden worden geweigerd.";

fn account_notice(code: &str) -> Option<String> {
    match code {
        "wachtwoord" => {
            Some("Uw wachtwoord is gewijzigd. Op uw andere apparaten bent u uitgelogd.")
        }
        "sessie" => Some("De sessie is beëindigd."),
        "anderen" => Some("U bent op alle andere apparaten uitgelogd."),
        "berichten" => Some("Uw keuze voor e-mailberichten is bewaard."),
        "tweestap-uit" => {
            Some("Tweestapsverificatie staat uit. U logt voortaan in met alleen uw wachtwoord.")
        }
        _ => None,
    }
    .map(String::from)
}

/// `/mijn-account`.
#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let end = ServerAction::<EndSession>::new();
    let choose_notices = ServerAction::<SetNotices>::new();
    let remove_two_factor = ServerAction::<RemoveTwoFactor>::new();
    let account = Resource::new(
        move || {
            (
                change.version().get(),
                end.version().get(),
                choose_notices.version().get(),
                remove_two_factor.version().get(),
            )
        },
        |_| my_account(),
    );
    let change_error = Signal::derive(move || change.value().get().and_then(Result::err));
    let end_error = Signal::derive(move || end.value().get().and_then(Result::err));
    let remove_error =
        Signal::derive(move || remove_two_factor.value().get().and_then(Result::err));
    view! {
        <Title text="Mijn account"/>
        <Loaded data=account let:account>
            <h1>"Mijn account"</h1>
            <ChangeNotice text_of=account_notice/>
            <ErrorSummary error=end_error id="fout-sessies"/>
            <ErrorSummary error=change_error id="fout-wachtwoord"/>
            <ErrorSummary error=remove_error id="fout-tweestap"/>
            <AccountFacts account=account.clone()/>

            <h2 id="wachtwoord">"Wachtwoord wijzigen"</h2>
            <PasswordChange email=account.email.clone() change error=change_error/>

            <h2 id="tweestap">"Tweestapsverificatie"</h2>
            <TwoFactorSection status=account.two_factor.clone() remove=remove_two_factor error=remove_error/>

            <h2 id="sessies">"Waar u bent ingelogd"</h2>
            <Sessions sessions=account.sessions.clone() end/>

            <h2 id="berichten">"E-mailberichten"</h2>
            <p>
                "U krijgt altijd bericht over uw account (inloggen op een nieuw apparaat, een gewijzigd wachtwoord) en als een vragenlijst van uw regio is teruggestuurd of goedgekeurd. Alles wat in een bericht staat, ziet u ook in de monitor."
            </p>
            {(!account.notices.is_empty()).then(|| view! {
                <NoticeChoices notices=account.notices.clone() action=choose_notices/>
            })}
        </Loaded>
    }
}

/// Who the account is, as the administrator set it up, and when it last logged in.
#[component]
fn AccountFacts(account: AccountView) -> impl IntoView {
    view! {
        <dl class="summary-list">
            <div class="summary-list__row"><dt>"Naam"</dt><dd>{account.display_name.clone()}</dd></div>
            <div class="summary-list__row"><dt>"E-mailadres"</dt><dd>{account.email.clone()}</dd></div>
            <div class="summary-list__row"><dt>"Rol"</dt><dd>{account.role.label()}</dd></div>
            {account.region_name.clone().map(|region| view! {
                <div class="summary-list__row"><dt>"Regio"</dt><dd>{region}</dd></div>
            })}
            <div class="summary-list__row">
                <dt>"Vorige keer ingelogd"</dt>
                <dd>{account.last_login_at.map(format_date_time).unwrap_or_else(|| "–".to_string())}</dd>
            </div>
        </dl>
        <p class="form-hint">
            "Klopt uw naam, e-mailadres of regio niet? Vraag de beheerder van de monitor om het aan te passen."
        </p>
    }
}

#[component]
fn PasswordChange(
    email: String,
    change: ServerAction<ChangePassword>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <ActionForm action=change attr:class="form narrow">
            // Lets password managers tie the new password to this account.
            <input type="email" name="username" value=email
                autocomplete="username" hidden=true readonly=true tabindex="-1" aria-hidden="true"/>
            <TextField label="Huidig wachtwoord" name="current_password" input_type="password"
                autocomplete="current-password" required=true maxlength=PASSWORD_MAX_CHARS
                error/>
            <TextField label="Nieuw wachtwoord" name="new_password" input_type="password"
                autocomplete="new-password" required=true maxlength=PASSWORD_MAX_CHARS
                hint=PASSWORD_HINT error/>
            <button type="submit" class="button">"Wachtwoord wijzigen"</button>
        </ActionForm>
    }
}

/// Every session with a button to end it, and one to end all others.
#[component]
fn Sessions(sessions: Vec<SessionSummary>, end: ServerAction<EndSession>) -> impl IntoView {
    let others = sessions.iter().filter(|s| !s.current).count();
    view! {
        <SessionTable sessions end/>
        {(others > 0).then(|| view! {
            <ActionForm action=end attr:class="inline-form">
                <input type="hidden" name="session" value="anderen"/>
                <button type="submit" class="button button--secondary">
                    "Overal anders uitloggen"
                </button>
            </ActionForm>
        })}
    }
}

#[component]
fn TwoFactorSection(
    status: TwoFactorStatus,
    remove: ServerAction<RemoveTwoFactor>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let Some(since) = status.enabled_at else {
        return view! {
            <p>"Tweestapsverificatie staat uit. Met tweestapsverificatie vraagt de monitor na uw wachtwoord ook om een code uit een app op uw telefoon: wie uw wachtwoord kent, komt er dan nog niet in."</p>
            <p><a class="button button--secondary" href=paths::TWO_FACTOR_SETUP>"Tweestapsverificatie instellen"</a></p>
        }
        .into_any();
    };
    view! {
        <p>{format!(
            "Tweestapsverificatie staat aan sinds {}. U heeft nog {} ongebruikte herstelcodes.",
            format_date_time(since),
            status.recovery_codes_left
        )}</p>
        <p><a href=paths::TWO_FACTOR_SETUP>"Opnieuw instellen (bijvoorbeeld op een nieuwe telefoon)"</a></p>
        {if status.required {
            view! { <p class="form-hint">"Voor uw rol is tweestapsverificatie verplicht; uitzetten kan niet."</p> }.into_any()
        } else {
            view! {
                <ActionForm action=remove attr:class="form narrow">
                    <TextField label="Code uit uw app" name="code" autocomplete="one-time-code"
                        inputmode="numeric" required=true maxlength=20
                        hint="Om tweestapsverificatie uit te zetten, bevestigt u met een code." error/>
                    <button type="submit" class="button button--secondary">"Tweestapsverificatie uitzetten"</button>
                </ActionForm>
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn NoticeChoices(
    notices: Vec<(String, String, bool)>,
    action: ServerAction<SetNotices>,
) -> impl IntoView {
    view! {
        <ActionForm action attr:class="form">
            <fieldset class="choices">
                <legend>"Deze berichten wil ik ook krijgen"</legend>
                {notices
                    .into_iter()
                    .map(|(kind, label, wanted)| {
                        let id = format!("bericht-{kind}");
                        view! {
                            <div class="choice">
                                <input type="checkbox" class="choice__input" id=id.clone()
                                    name="wanted[]" value=kind checked=wanted/>
                                <label class="choice__label" for=id>{label}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <button type="submit" class="button button--secondary">"Keuze bewaren"</button>
        </ActionForm>
    }
}

#[component]
fn SessionTable(sessions: Vec<SessionSummary>, end: ServerAction<EndSession>) -> impl IntoView {
    view! {
        <ScrollTable label="Uw sessies" caption="Uw actieve sessies" hidden_caption=true
            columns=&["Apparaat", "Adres", "Ingelogd", "Laatst actief", "Actie"]>
            {sessions
                .into_iter()
                .map(|session| {
                    let label = format!("Uitloggen: {}, ingelogd {}", session.device, format_date_time(session.created_at));
                    view! {
                        <tr>
                            <td>
                                {session.device.clone()}
                                {session.current.then(|| view! { <strong>" (deze sessie)"</strong> })}
                            </td>
                            <td>{if session.client_address.is_empty() { "–".to_string() } else { session.client_address.clone() }}</td>
                            <td>{format_date_time(session.created_at)}</td>
                            <td>{format_date_time(session.last_seen_at)}</td>
                            <td>
                                <ActionForm action=end attr:class="inline-form">
                                    <input type="hidden" name="session" value=session.reference.clone()/>
                                    <button type="submit" class="button button--small button--secondary" aria-label=label>
                                        "Uitloggen"
                                    </button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </ScrollTable>
    }
}

/// `/wachtwoord-vergeten`: asks for an address and always answers the same.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let forgot = ServerAction::<ForgotPassword>::new();
    let query = use_query_map();
    let sent = move || query.read().get("verstuurd").is_some();
    let error = Signal::derive(move || forgot.value().get().and_then(Result::err));
    view! {
        <Title text="Wachtwoord vergeten"/>
        <div class="narrow">
            <h1>"Wachtwoord vergeten"</h1>
            <Show when=sent>
                <div class="notice" role="status">
                    <p>
                        "Als er een account bij dit e-mailadres hoort, hebben we er een e-mail naartoe gestuurd met een link om een nieuw wachtwoord te kiezen. De link is een uur geldig."
                    </p>
                    <p>"Geen e-mail gekregen? Kijk ook bij uw ongewenste e-mail, of vraag de beheerder van de monitor om hulp."</p>
                </div>
            </Show>
            <p>"Vul het e-mailadres van uw account in. U krijgt een e-mail met een link waarmee u een nieuw wachtwoord kiest."</p>
            <ErrorSummary error/>
            <ActionForm action=forgot>
                <TextField label="E-mailadres" name="email" input_type="email" autocomplete="username"
                    required=true maxlength=EMAIL_MAX_CHARS error/>
                <button type="submit" class="button">"Stuur mij een link"</button>
            </ActionForm>
            <p><a href=paths::LOGIN>"Terug naar inloggen"</a></p>
        </div>
    }
}

/// `/wachtwoord-kiezen?sleutel=…`: the page an invitation or reset link opens.
#[component]
pub fn ChoosePasswordPage() -> impl IntoView {
    let choose = ServerAction::<ChoosePassword>::new();
    let query = use_query_map();
    let token = move || query.read().get("sleutel").unwrap_or_default();
    let link = Resource::new(token, inspect_link);
    let error = Signal::derive(move || choose.value().get().and_then(Result::err));
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                let link = match link.await {
                    Ok(link) => link,
                    Err(error) => {
                        let message = error.to_string();
                        return view! {
                            <Title text="Link niet bruikbaar"/>
                            <div class="narrow">
                                <h1>"Deze link werkt niet"</h1>
                                <p class="notice notice--error" role="alert">{message}</p>
                                <p><a href=paths::FORGOT_PASSWORD>"Vraag een nieuwe link aan"</a>" of ga naar "<a href=paths::LOGIN>"inloggen"</a>"."</p>
                            </div>
                        }
                        .into_any();
                    }
                };
                let (title, intro, button) = if link.invitation {
                    (
                        "Welkom: kies uw wachtwoord",
                        "Er is een account voor u aangemaakt. Kies een wachtwoord; daarna logt u in met uw e-mailadres en dit wachtwoord.",
                        "Wachtwoord instellen",
                    )
                } else {
                    (
                        "Kies een nieuw wachtwoord",
                        "Na het kiezen van een nieuw wachtwoord wordt u op al uw apparaten uitgelogd en logt u opnieuw in.",
                        "Nieuw wachtwoord instellen",
                    )
                };
                view! {
                    <Title text=title/>
                    <div class="narrow">
                        <h1>{title}</h1>
                        <p>{intro}</p>
                        <p>{format!("Account: {} ({})", link.display_name, link.email)}</p>
                        <ErrorSummary error/>
                        <ActionForm action=choose>
                            <input type="hidden" name="token" value=token/>
                            <input type="email" name="username" value=link.email.clone()
                                autocomplete="username" hidden=true readonly=true tabindex="-1" aria-hidden="true"/>
                            <TextField label="Nieuw wachtwoord" name="password" input_type="password"
                                autocomplete="new-password" required=true maxlength=PASSWORD_MAX_CHARS
                                hint=PASSWORD_HINT error/>
                            <button type="submit" class="button">{button}</button>
                        </ActionForm>
                    </div>
                }
                .into_any()
            })}
        </Suspense>
    }
}
