//! `/login`: e-mail address and password. Works without JavaScript: the form posts to the
//! server function, which redirects to the start page or back here with the error.

use crate::api::auth::Login;
use crate::components::form::{ErrorSummary, TextField};
use crate::domain::account::{EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS};
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("terug").unwrap_or_default();
    let logged_out = move || query.read().get("uitgelogd").is_some();
    let expired = move || query.read().get("terug").is_some();
    let password_chosen = move || query.read().get("wachtwoord").is_some();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    view! {
        <Title text="Inloggen"/>
        <div class="narrow">
            <h1>"Inloggen"</h1>
            <Show when=logged_out>
                <p class="notice" role="status">"U bent uitgelogd."</p>
            </Show>
            <Show when=password_chosen>
                <p class="notice" role="status">
                    "Uw wachtwoord is ingesteld. Log in met uw e-mailadres en het nieuwe wachtwoord."
                </p>
            </Show>
            <Show when=move || expired() && error.get().is_none()>
                <p class="notice" role="status">
                    "Log in om verder te gaan. U komt daarna terug op de pagina waar u was."
                </p>
            </Show>
            <ErrorSummary error/>
            <ActionForm action=login>
                <input type="hidden" name="next" value=next/>
                <TextField
                    label="E-mailadres"
                    name="email"
                    input_type="email"
                    autocomplete="username"
                    required=true
                    maxlength=EMAIL_MAX_CHARS
                    error
                />
                <TextField
                    label="Wachtwoord"
                    name="password"
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    maxlength=PASSWORD_MAX_CHARS
                    error
                />
                <button type="submit" class="button" disabled=move || login.pending().get()>
                    "Inloggen"
                </button>
            </ActionForm>
            <p><a href=paths::FORGOT_PASSWORD>"Wachtwoord vergeten?"</a></p>
            <p class="form-hint">
                "Geen account? Vraag de beheerder van de monitor om een uitnodiging."
            </p>
        </div>
    }
}
