//! On a region's page, for admins: renaming it (name and centrumgemeente) and retiring it with
//! a reason, or taking a retired region into use again. Changes count from the next round.

use crate::api::regions::{ReinstateRegion, RenameRegion, RetireRegion};
use crate::components::form::{ErrorSummary, TextField};
use crate::domain::region::{Region, REGION_NAME_MAX_CHARS};
use crate::domain::round::MAX_REASON_CHARS;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The page's actions: its data reloads after each.
#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub rename: ServerAction<RenameRegion>,
    pub retire: ServerAction<RetireRegion>,
    pub reinstate: ServerAction<ReinstateRegion>,
}

#[component]
pub(super) fn RegionManagement(region: Region, actions: Actions) -> impl IntoView {
    let Actions {
        rename,
        retire,
        reinstate,
    } = actions;
    let rename_error = Signal::derive(move || rename.value().get().and_then(Result::err));
    let retire_error = Signal::derive(move || retire.value().get().and_then(Result::err));
    let reinstate_error = Signal::derive(move || reinstate.value().get().and_then(Result::err));
    let code = region.code.clone();
    let state_code = region.code.clone();
    let retirement = if region.is_active() {
        view! {
            <h3>"Regio opheffen"</h3>
            <p>"Een opgeheven regio doet aan geen nieuwe meting mee. Haar eerdere metingen, antwoorden en accounts blijven. Dat kan pas als de regio geen gemeenten meer heeft en niet meedoet aan een meting die loopt of wordt voorbereid."</p>
            <ErrorSummary error=retire_error id="fout-opheffen"/>
            <ActionForm action=retire attr:class="form">
                <input type="hidden" name="code" value=state_code/>
                <TextField label="Reden van opheffen" name="retire_reason" required=true
                    maxlength=MAX_REASON_CHARS hint="Komt in de auditgeschiedenis." error=retire_error/>
                <button type="submit" class="button button--secondary">"Regio opheffen"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <h3>"Regio weer in gebruik nemen"</h3>
            <ErrorSummary error=reinstate_error id="fout-weer-in-gebruik"/>
            <ActionForm action=reinstate attr:class="form">
                <input type="hidden" name="code" value=state_code/>
                <button type="submit" class="button button--secondary">"Weer in gebruik nemen"</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <h2 id="beheren">"Regio beheren"</h2>
        <p>"Wijzigingen gelden voor metingen die hierna opengaan; lopende en eerdere metingen houden hun eigen gegevens van de regio."</p>
        <h3>"Naam en centrumgemeente"</h3>
        <ErrorSummary error=rename_error id="fout-naam"/>
        <ActionForm action=rename attr:class="form">
            <input type="hidden" name="code" value=code/>
            <TextField label="Naam van de regio" name="name" required=true
                maxlength=REGION_NAME_MAX_CHARS value=region.name.clone() error=rename_error/>
            <TextField label="Centrumgemeente" name="lead_gemeente" required=true
                maxlength=REGION_NAME_MAX_CHARS value=region.lead_gemeente.clone() error=rename_error/>
            <button type="submit" class="button">"Opslaan"</button>
        </ActionForm>
        {retirement}
    }
}
