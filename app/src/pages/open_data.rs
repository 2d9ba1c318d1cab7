//! `/open-data`: every publication's files for analysts, with their licence, size and
//! checksum, and the machine-readable index. Public, like the dashboard.

use crate::api::publications::get_open_data;
use crate::components::loaded::Loaded;
use crate::components::response::ProgrammeMark;
use crate::components::table::ScrollTable;
use crate::domain::publication::catalogue::{Catalogue, CataloguePublication, INDEX_PATH};
use crate::domain::time::format_date;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let catalogue = Resource::new(|| (), |_| get_open_data());
    view! {
        <Loaded data=catalogue let:catalogue>
            <OpenData catalogue/>
        </Loaded>
    }
}

/// "12,4 kB"
fn size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} kB", bytes as f64 / 1024.0).replace('.', ",")
    } else {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0).replace('.', ",")
    }
}

#[component]
fn OpenData(catalogue: Catalogue) -> impl IntoView {
    view! {
        <Title text="Open data"/>
        <h1>"Open data"</h1>
        <p class="lead">"De cijfers van het dashboard per publicatie, om zelf te analyseren: alleen de goedgekeurde antwoorden op de openbare vragen, per regio."</p>
        <p>
            "Licentie: "<a href=catalogue.licence_url.clone() rel="license">{catalogue.licence_name.clone()}</a>
            {format!(". Uitgever: {}. Vermeld de bron bij gebruik.", catalogue.publisher)}
        </p>
        <p>
            "Een overzicht van alle bestanden voor scripts en catalogi (naar DCAT-AP-NL) staat in "
            <a href=INDEX_PATH><code>{INDEX_PATH}</code></a>
            ". Elk bestand heeft een vast adres en verandert nooit: een correctie wordt een nieuwe editie. "
            "De controlegetallen zijn SHA-256."
        </p>
        <p>"Lege antwoorden hebben een code in plaats van een waarde (zoals ONBEKEND, NIET_GEVRAAGD of GEEN_GEGEVENS); het codeboek legt elke code uit."</p>
        {if catalogue.publications.is_empty() {
            view! { <p>"Er is nog niets gepubliceerd."</p> }.into_any()
        } else {
            catalogue.publications.into_iter().map(|publication| view! { <Publication publication/> }).collect_view().into_any()
        }}
    }
}

#[component]
fn Publication(publication: CataloguePublication) -> impl IntoView {
    let heading = format!("publicatie-{}", publication.slug);
    let labelled_by = heading.clone();
    view! {
        <section class="open-data" aria-labelledby=labelled_by>
            <h2 id=heading>{format!("{} ({})", publication.period, publication.round_name)}</h2>
            <p>
                <ProgrammeMark programme=publication.programme.clone()/>" "
                {format!("{}. Vragenlijst {}. ", publication.programme.name, publication.questionnaire)}
                <a href=paths::dashboard(Some(&publication.slug))>{format!("Dashboard {}", publication.period)}</a>
            </p>
            {publication.editions.into_iter().rev().map(|edition| view! {
                <h3>{format!("Editie {} – {}", edition.edition, format_date(edition.published_at))}</h3>
                {(!edition.note.is_empty()).then(|| view! { <p>{format!("Correctie: {}", edition.note)}</p> })}
                <ScrollTable caption=format!("Bestanden van editie {}", edition.edition) hidden_caption=true
                    columns=&["Bestand", "Grootte", "SHA-256"]>
                    {edition.files.into_iter().map(|file| view! {
                        <tr>
                            <th scope="row"><a href=file.path.clone() download="">{file.file.title()}</a></th>
                            <td>{size(file.bytes)}</td>
                            <td><code class="checksum">{file.sha256.clone()}</code></td>
                        </tr>
                    }).collect_view()}
                </ScrollTable>
            }).collect_view()}
        </section>
    }
}
