//! The rounds a region takes part in, with a link to each response: on the region's page.

use crate::api::responses::region_responses;
use crate::domain::time::format_date_time;
use crate::paths;
use leptos::prelude::*;

/// The rounds of a region with a link to each response; on the region's page.
#[component]
pub fn RegionRounds(code: String) -> impl IntoView {
    let responses = Resource::new(move || code.clone(), region_responses);
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match responses.await {
                    Ok(list) if list.is_empty() => view! { <p>"Deze regio neemt nog aan geen meting deel."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="list">
                            {list.into_iter().map(|r| view! {
                                <li>
                                    <a href=paths::response(&r.id)>{r.round_name}</a>
                                    {format!(" – {}{}", r.status.label(), if r.open {
                                        format!(", termijn tot {}", format_date_time(r.deadline))
                                    } else { String::new() })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <p class="form-error">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
