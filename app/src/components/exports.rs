//! The download links of a round's exports, with what each file holds and what the codes in
//! them mean. Plain links: the server writes the file as it is downloaded.

use crate::domain::export::{Status, FORMATS, STATUSES};
use crate::paths;
use leptos::prelude::*;

#[component]
pub fn ExportLinks(round_id: String) -> impl IntoView {
    view! {
        <section class="exports" aria-labelledby="exports-titel">
            <h2 id="exports-titel">"Gegevens downloaden"</h2>
            <p>"De antwoorden van alle regio's in deze meting, ook van regio's die nog niet hebben ingediend \
                (de status van elke regio staat erbij). Elk bestand noemt de meting en de versie van de vragenlijst."</p>
            <ul class="exports__list">
                {FORMATS.into_iter().map(|format| view! {
                    <li>
                        // `rel="external"` and `download`: a file, not a page of the app.
                        <a href=paths::export(&round_id, format.url_name())
                            rel="external" download="">{format.label()}</a>
                        " – "{format.explanation()}
                    </li>
                }).collect_view()}
            </ul>
            <details class="exports__codes">
                <summary>"Codes voor vragen zonder antwoord"</summary>
                <dl>
                    {STATUSES.into_iter().filter(|s| *s != Status::Answered).map(|status| view! {
                        <dt><code>{status.code()}</code></dt>
                        <dd>{status.meaning()}</dd>
                    }).collect_view()}
                </dl>
            </details>
        </section>
    }
}
