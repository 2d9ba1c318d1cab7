//! `/beoordelen/:id/antwoorden`: one item's answers across every region of a round, each
//! beside the region's answer in the compared round. The item is chosen, the rows filtered
//! and sorted with query parameters (GET forms and column header links), so it all works
//! without JavaScript; the downloads hold exactly the rows shown.

use crate::api::item_answers::{get_item_answers, RoundItemAnswers};
use crate::components::loaded::Loaded;
use crate::components::status::review_status_class as status_class;
use crate::domain::item_answers::{
    AnswerRow, AnsweredFilter, ItemAnswers, RawQuery, SortKey, Standing,
};
use crate::domain::review::ReviewStatus;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ItemAnswersPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            let id = params.read().get("id").unwrap_or_default();
            let raw = RawQuery {
                item: q.get("vraag"),
                search: q.get("zoek"),
                choice: q.get("keuze"),
                changed: q.get("gewijzigd"),
                answered: q.get("beantwoord"),
                status: q.get("status"),
                sort: q.get("sorteer"),
                order: q.get("volgorde"),
            };
            (id, raw)
        },
        |(id, raw)| {
            get_item_answers(
                id,
                raw.item,
                raw.search,
                raw.choice,
                raw.changed,
                raw.answered,
                raw.status,
                raw.sort,
                raw.order,
            )
        },
    );
    view! {
        <Loaded data=data let:data>
            <Answers data/>
        </Loaded>
    }
}

#[component]
fn Answers(data: RoundItemAnswers) -> impl IntoView {
    let RoundItemAnswers {
        round_id,
        round_name,
        compared_round,
        chooser,
        item,
    } = data;
    let chosen = item.as_ref().map(|i| i.key.clone()).unwrap_or_default();
    let title = format!("Antwoorden naast elkaar – {round_name}");
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><a href=paths::REVIEW>"Beoordelen"</a>" › "
            <a href=paths::review_round(&round_id)>{round_name.clone()}</a></p>
        <h1>{title}</h1>
        <p class="lead">"Kies een vraag om de antwoorden van alle regio's in deze meting naast elkaar te lezen, "
            {match &compared_round {
                Some(name) => format!("elk met het antwoord van dezelfde regio in de {name} ernaast."),
                None => "gefilterd en gesorteerd zoals u wilt. Deze meting wordt met geen eerdere meting vergeleken.".to_string(),
            }}</p>
        <form method="get" class="filter-form">
            <div class="form-field">
                <label class="form-label" for="kies-vraag">"Vraag"</label>
                <select class="form-select item-chooser" id="kies-vraag" name="vraag">
                    <option value="" selected=chosen.is_empty()>"Kies een vraag"</option>
                    {chooser.into_iter().map(|(section, items)| view! {
                        <optgroup label=section>
                            {items.into_iter().map(|(key, label)| view! {
                                <option value=key.clone() selected=key == chosen>{label}</option>
                            }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button--secondary">"Antwoorden tonen"</button>
        </form>
        {item.map(|item| view! { <Item round_id=round_id.clone() compared_round item/> })}
    }
}

/// The chosen item: what it asks, the counts, the tally, the filter, the table, the downloads.
#[component]
fn Item(round_id: String, compared_round: Option<String>, item: ItemAnswers) -> impl IntoView {
    let compared = compared_round.filter(|_| item.not_compared.is_none());
    let downloads = ["csv", "xlsx"].map(|extension| {
        paths::with_query(
            &paths::item_answers_export(&round_id, extension),
            &item.query,
        )
    });
    let shown = item.rows.len();
    let empty = item.totals.participating == 0;
    view! {
        <section class="item-answers" aria-labelledby="vraag-titel">
            <h2 id="vraag-titel">{item.label.clone()}</h2>
            <dl class="facts">
                <dt>"Sleutel"</dt><dd><code>{item.key.clone()}</code></dd>
                <dt>"Soort vraag"</dt><dd>{item.type_label.clone()}</dd>
            </dl>
            {item.not_compared.clone().map(|why| view! { <p class="national-item__note">{why}" Er staat geen vorig antwoord naast."</p> })}
            <p><strong>{item.totals.headline()}</strong>
                {(!item.totals.details().is_empty()).then(|| format!(" · {}", item.totals.details()))}</p>
            {(!item.tally.is_empty() && !empty).then(|| view! { <Tally item=item.clone() compared=compared.clone()/> })}
            <Filter item=item.clone() compared=compared.is_some()/>
            {(!empty).then(|| view! { <Table round_id=round_id.clone() compared=compared.clone() item=item.clone()/> })}
            {(shown == 0 && !empty).then(|| view! { <p>"Geen regio's die aan dit filter voldoen."</p> })}
            <p class="item-answers__downloads">"Deze tabel downloaden, met hetzelfde filter en dezelfde volgorde: "
                <a href=downloads[0].clone() rel="external" download="">"CSV"</a>" · "
                <a href=downloads[1].clone() rel="external" download="">"Excel (XLSX)"</a></p>
        </section>
    }
}

/// Per option of a closed item, how many regions chose it now and in the compared round.
#[component]
fn Tally(item: ItemAnswers, compared: Option<String>) -> impl IntoView {
    view! {
        <table class="table item-answers__tally">
            <caption>{format!("Aantal regio's per antwoord (van {})", item.totals.participating)}</caption>
            <thead><tr>
                <th scope="col">"Antwoord"</th>
                <th scope="col">"Deze meting"</th>
                {compared.clone().map(|name| view! { <th scope="col">{name}</th> })}
            </tr></thead>
            <tbody>
                {item.tally.into_iter().map(|line| view! {
                    <tr>
                        <th scope="row">{line.label}</th>
                        <td>{line.now}</td>
                        {compared.is_some().then(|| view! { <td>{line.before}</td> })}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The filter: a GET form that keeps the item and the order.
#[component]
fn Filter(item: ItemAnswers, compared: bool) -> impl IntoView {
    let selection = item.selection.clone();
    let closed = !item.options.is_empty();
    view! {
        <form method="get" class="filter-form">
            <input type="hidden" name="vraag" value=item.key.clone()/>
            {(selection.sort != SortKey::Region).then(|| view! { <input type="hidden" name="sorteer" value=selection.sort.code()/> })}
            {selection.descending.then(|| view! { <input type="hidden" name="volgorde" value="af"/> })}
            {if closed {
                let choice = selection.choice.clone().unwrap_or_default();
                view! {
                    <div class="form-field">
                        <label class="form-label" for="filter-keuze">"Gekozen antwoord"</label>
                        <select class="form-select" id="filter-keuze" name="keuze">
                            <option value="" selected=choice.is_empty()>"Alle antwoorden"</option>
                            {item.options.iter().map(|option| view! {
                                <option value=option.code.clone() selected=choice == option.code>{option.label.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }.into_any()
            } else {
                view! {
                    <div class="form-field">
                        <label class="form-label" for="filter-zoek">"Zoeken in de antwoorden"</label>
                        <input class="form-input" id="filter-zoek" name="zoek" type="search" maxlength="200" value=selection.search.clone()/>
                    </div>
                }.into_any()
            }}
            <div class="form-field">
                <label class="form-label" for="filter-beantwoord">"Beantwoord"</label>
                <select class="form-select" id="filter-beantwoord" name="beantwoord">
                    <option value="" selected=selection.answered.is_none()>"Alle regio's"</option>
                    {AnsweredFilter::ALL.into_iter().map(|a| view! {
                        <option value=a.code() selected=selection.answered == Some(a)>{a.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="form-field">
                <label class="form-label" for="filter-status">"Status"</label>
                <select class="form-select" id="filter-status" name="status">
                    <option value="" selected=selection.status.is_none()>"Alle statussen"</option>
                    {ReviewStatus::ALL.into_iter().map(|status| view! {
                        <option value=status.code() selected=selection.status == Some(status)>{status.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            {compared.then(|| view! {
                <div class="form-field checkbox">
                    <input type="checkbox" id="filter-gewijzigd" name="gewijzigd" value="ja" checked=selection.changed_only/>
                    <label for="filter-gewijzigd">"Alleen gewijzigde antwoorden"</label>
                </div>
            })}
            <button type="submit" class="button button--secondary">"Filteren"</button>
        </form>
    }
}

/// The regions' answers, with column header links that sort.
#[component]
fn Table(round_id: String, compared: Option<String>, item: ItemAnswers) -> impl IntoView {
    let ItemAnswers {
        key,
        label,
        rows,
        selection,
        ..
    } = item;
    let caption = format!(
        "{} regio's met hun antwoord op ‘{label}’, gesorteerd op {}{}",
        rows.len(),
        selection.sort.label().to_lowercase(),
        if selection.descending {
            " (aflopend)"
        } else {
            ""
        }
    );
    let page = paths::item_answers(&round_id);
    let header = {
        let (compared, key) = (compared.clone(), key.clone());
        move |column: SortKey| {
            let next = selection.sorted_by(column);
            let href = paths::with_query(&page, &next.query(&key));
            let aria_sort = (column == selection.sort).then_some(if selection.descending {
                "descending"
            } else {
                "ascending"
            });
            let label = match (column, &compared) {
                (SortKey::Before, Some(name)) => name.clone(),
                _ => column.label().to_string(),
            };
            view! {
                <th scope="col" aria-sort=aria_sort>
                    <a href=href>{label}
                        <span class="visually-hidden">{if next.descending { " (aflopend sorteren)" } else { " (oplopend sorteren)" }}</span>
                    </a>
                </th>
            }
        }
    };
    let with_before = compared.is_some();
    let columns: Vec<SortKey> = SortKey::ALL
        .into_iter()
        .filter(|column| *column != SortKey::Before || with_before)
        .collect();
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label="Antwoorden per regio">
            <table class="table item-answers__table">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>
                    {columns.into_iter().map(header).collect_view()}
                    {with_before.then(|| view! { <th scope="col">"Gewijzigd"</th> })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <Line row item_key=key.clone() with_before/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Line(row: AnswerRow, item_key: String, with_before: bool) -> impl IntoView {
    let name = format!("{} ({})", row.region_name, row.region_code);
    let answer_class = match row.standing {
        Standing::Invalid => "item-answers__answer item-answers__answer--invalid",
        Standing::NotAsked | Standing::NotAnswered | Standing::Unconfirmed => {
            "item-answers__answer item-answers__answer--none"
        }
        _ => "item-answers__answer",
    };
    view! {
        <tr>
            <th scope="row">
                {match row.response_id.clone() {
                    Some(id) => view! { <a href=paths::at_item(&paths::response_review(&id), &item_key)>{name}</a> }.into_any(),
                    None => view! { <span>{name}</span> }.into_any(),
                }}
            </th>
            <td><strong class=status_class(row.status)>{row.status.label()}</strong></td>
            <td class=answer_class>
                {row.now.clone()}
            </td>
            {with_before.then(|| view! {
                <td class="item-answers__answer">{row.before.clone().unwrap_or_else(|| "–".to_string())}</td>
                <td>{match row.changed {
                    Some(true) => view! { <strong class="tag tag--changed">"Gewijzigd"</strong> }.into_any(),
                    Some(false) => view! { <span>"Ongewijzigd"</span> }.into_any(),
                    None => view! { <span>"–"</span> }.into_any(),
                }}</td>
            })}
        </tr>
    }
}
