//! The pages of two-factor sign-in: the code after the password (`/login/code`), setting it
//! up (`/tweestapsverificatie`: a QR code and the secret as text, confirmed with one code)
//! and the recovery codes, shown once (`/tweestapsverificatie/herstelcodes`). Every form works
//! without JavaScript; code fields carry `autocomplete="one-time-code"` so password managers
//! and phones fill them in (WCAG 2.2, 3.3.8).

use crate::api::two_factor::{get_setup, recovery_codes, ConfirmTwoFactor, LoginCode, SetupView};
use crate::components::form::{ErrorSummary, TextField};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login/code`: the second step of logging in.
#[component]
pub fn CodePage() -> impl IntoView {
    let submit = ServerAction::<LoginCode>::new();
    let query = use_query_map();
    let next = move || query.read().get("terug").unwrap_or_default();
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    view! {
        <Title text="Code invullen"/>
        <div class="narrow">
            <h1>"Code invullen"</h1>
            <p>"Uw wachtwoord klopt. Vul nu de code in die uw authenticator-app laat zien."</p>
            <ErrorSummary error/>
            <ActionForm action=submit>
                <input type="hidden" name="next" value=next/>
                <TextField label="Code uit uw app" name="code" autocomplete="one-time-code"
                    inputmode="numeric" required=true maxlength=20
                    hint="Zes cijfers. Geen toegang tot uw app? Vul dan een van uw herstelcodes in." error/>
                <button type="submit" class="button">"Inloggen"</button>
            </ActionForm>
            <p><a href=paths::LOGIN>"Opnieuw beginnen met inloggen"</a></p>
        </div>
    }
}

/// `/tweestapsverificatie`: set up (or replace) the second factor.
#[component]
pub fn SetupPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let setup = Resource::new(|| (), |_| get_setup());
    let error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    view! {
        <Title text="Tweestapsverificatie instellen"/>
        <Loaded data=setup let:setup>
            <SetupSteps setup confirm error/>
        </Loaded>
    }
}

/// The two steps: add the account in the app (QR code or secret), then confirm with a code.
#[component]
fn SetupSteps(
    setup: SetupView,
    confirm: ServerAction<ConfirmTwoFactor>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div class="narrow">
            <h1>"Tweestapsverificatie instellen"</h1>
            {setup.required.then(|| view! {
                <p class="notice" role="status">
                    "Voor uw rol is tweestapsverificatie verplicht. Stel het nu in; daarna kunt u verder."
                </p>
            })}
            {setup.replacing.then(|| view! {
                <p>"U stelt een nieuwe app in, bijvoorbeeld op een nieuwe telefoon. De vorige werkt niet meer zodra u deze bevestigt; u krijgt ook nieuwe herstelcodes."</p>
            })}
            <p>"Bij het inloggen vraagt de monitor na uw wachtwoord om een code uit een authenticator-app op uw telefoon, zoals Google Authenticator, Microsoft Authenticator of FreeOTP."</p>
            <h2>"1. Voeg uw account toe in de app"</h2>
            <p>"Scan deze QR-code met de app."</p>
            <div class="qr-code" role="img" aria-label="QR-code voor uw authenticator-app; de sleutel staat hieronder als tekst." inner_html=setup.qr_svg.clone()></div>
            <p>"Kunt u niet scannen? Kies in de app voor handmatig invoeren en typ deze sleutel (tijdgebaseerd):"</p>
            <p><code class="secret" id="sleutel">{setup.secret.clone()}</code></p>
            <p class="form-hint">{format!("Account: {}", setup.email)}</p>
            <h2>"2. Bevestig met een code"</h2>
            <ErrorSummary error/>
            <ActionForm action=confirm>
                <TextField label="Code uit uw app" name="code" autocomplete="one-time-code"
                    inputmode="numeric" required=true maxlength=20
                    hint="De zes cijfers die de app nu voor dit account laat zien." error/>
                <button type="submit" class="button">"Bevestigen"</button>
            </ActionForm>
        </div>
    }
}

/// `/tweestapsverificatie/herstelcodes`: the ten recovery codes, once.
#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let codes = Resource::new(|| (), |_| recovery_codes());
    view! {
        <Title text="Herstelcodes"/>
        <Loaded data=codes let:codes>
            <RecoveryCodes codes/>
        </Loaded>
    }
}

/// The recovery codes, or that they were shown before.
#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    if codes.is_empty() {
        return view! {
            <div class="narrow">
                <h1>"Herstelcodes"</h1>
                <p>"Uw herstelcodes zijn al getoond; ze worden maar één keer getoond. Kwijt? Stel tweestapsverificatie opnieuw in via Mijn account: dan krijgt u nieuwe."</p>
                <p><a href=paths::ACCOUNT>"Naar Mijn account"</a></p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="narrow">
            <h1>"Tweestapsverificatie staat aan"</h1>
            <p class="notice" role="status">"Vanaf nu vraagt de monitor bij het inloggen om een code uit uw app."</p>
            <h2>"Uw herstelcodes"</h2>
            <p>"Raakt u uw telefoon kwijt, dan logt u in met een van deze codes. Elke code werkt één keer. Bewaar ze op een veilige plek, bijvoorbeeld in uw wachtwoordmanager of op papier. Ze worden maar één keer getoond."</p>
            <ul class="recovery-codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ul>
            <p><a class="button" href=paths::HOME>"Ik heb de codes bewaard"</a></p>
        </div>
    }
    .into_any()
}
