//! `/landelijk`: the rounds with answers to look at; `/landelijk/:id`: the national picture of
//! one round, per item the distribution of answers over the regions that submitted, beside
//! the compared round, as bars (SVG drawn on the server) with the same figures in a table.
//! Regions are counted, never named or ranked.

use crate::api::national::get_national_picture;
use crate::components::comparison::CompareWith;
use crate::components::exports::ExportLinks;
use crate::components::loaded::Loaded;
use crate::components::opened_rounds::OpenedRounds;
use crate::components::table::ScrollTable;
use crate::domain::national::{
    format_number, percent, ComparedRound, Distribution, ItemFigures, NationalItem,
    NationalPicture, Share,
};
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn NationalRoundsPage() -> impl IntoView {
    view! {
        <OpenedRounds title="Landelijk beeld" link=paths::national_round
            lead="Per vraag hoe de regio's die hebben ingediend antwoordden, naast de meting waarmee \
                vergeleken wordt. Elk cijfer noemt het aantal regio's erachter; regio's worden niet gerangschikt."/>
    }
}

#[component]
pub fn NationalPicturePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let picture = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("sectie").unwrap_or_default(),
                query.read().get("met"),
            )
        },
        |(id, section, compared_with)| get_national_picture(id, section, compared_with),
    );
    view! {
        <Loaded data=picture let:picture>
            <KeptPicture picture/>
        </Loaded>
    }
}

/// The picture, its HTML made once per picture (`services::national::rendered`): the page's
/// title is the request's, the rest depends on the picture's data only.
#[component]
fn KeptPicture(picture: NationalPicture) -> impl IntoView {
    let title = format!("Landelijk beeld – {}", picture.round_name);
    let html = picture_html(picture);
    view! {
        <Title text=title/>
        <div class="national-picture" inner_html=html></div>
    }
}

#[cfg(feature = "ssr")]
fn picture_html(picture: NationalPicture) -> String {
    let kept = crate::services::national::rendered::html(&picture, || {
        view! { <Picture picture=picture.clone()/> }.to_html()
    });
    kept.to_string()
}

/// The page is made on the server only (it is no island); the browser's build needs it to
/// compile.
#[cfg(not(feature = "ssr"))]
fn picture_html(picture: NationalPicture) -> String {
    view! { <Picture picture/> }.to_html()
}

/// "41 van 45 regio's hebben ingediend; 4 nog niet."
fn submitted_text(submitted: usize, participating: usize) -> String {
    let missing = participating.saturating_sub(submitted);
    let rest = if missing == 0 {
        "alle regio's zijn binnen".to_string()
    } else {
        format!("{missing} nog niet")
    };
    format!(
        "{submitted} van {participating} regio's hebben ingediend; {rest}. Alleen ingediende antwoorden tellen mee."
    )
}

#[component]
fn Picture(picture: NationalPicture) -> impl IntoView {
    let selected = picture
        .sections
        .first()
        .map(|s| s.key.clone())
        .filter(|_| picture.sections.len() == 1 && picture.all_sections.len() > 1);
    let compared = picture.compared_round.clone();
    let headlines: Vec<String> = picture
        .sections
        .iter()
        .flat_map(|section| section.items.iter())
        .filter_map(NationalItem::headline)
        .collect();
    view! {
        <p class="back-link"><a href=paths::NATIONAL>"Alle metingen"</a></p>
        <h1>{format!("Landelijk beeld – {}", picture.round_name)}</h1>
        <dl class="facts">
            <dt>"Vragenlijst"</dt>
            <dd>{picture.questionnaire.clone()}</dd>
            <dt>"Ingediend"</dt>
            <dd>{submitted_text(picture.submitted, picture.participating)}</dd>
            {compared.clone().map(|c| view! {
                <dt>"Vergeleken met"</dt>
                <dd>{format!("{}: {}", c.name, submitted_text(c.submitted, c.participating))}</dd>
            })}
        </dl>
        {compared.is_none().then(|| view! { <p>"Deze meting wordt met geen eerdere meting vergeleken."</p> })}
        <ExportLinks round_id=picture.round_id.clone()/>
        {(!headlines.is_empty()).then(|| view! {
            <h2>"Kernindicatoren"</h2>
            <ul class="indicator-list">
                {headlines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        })}
        <form method="get" class="filter-form">
            <div class="form-field">
                <label class="form-label" for="filter-sectie">"Sectie"</label>
                <select class="form-select" id="filter-sectie" name="sectie">
                    <option value="">"Alle secties"</option>
                    {picture.all_sections.iter().map(|(key, title)| view! {
                        <option value=key.clone() selected=selected.as_deref() == Some(key.as_str())>{title.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <CompareWith choices=picture.comparison_choices.clone() chosen=picture.compared_round_id.clone()/>
            <button type="submit" class="button button--secondary">"Tonen"</button>
        </form>
        {picture.sections.into_iter().map(|section| {
            let compared = compared.clone();
            let round_id = picture.round_id.clone();
            view! {
                <section class="national-section" aria-labelledby=format!("sectie-{}", section.key)>
                    <h2 id=format!("sectie-{}", section.key)>{section.title.clone()}</h2>
                    {section.items.into_iter().map(|item| view! { <ItemPicture item compared=compared.clone() round_id=round_id.clone()/> }).collect_view()}
                </section>
            }
        }).collect_view()}
    }
}

/// One item's national figures: bars and a table of shares for choices, median, range and
/// total for numbers, only counts for the rest.
#[component]
fn ItemPicture(
    item: NationalItem,
    compared: Option<ComparedRound>,
    round_id: String,
) -> impl IntoView {
    let heading_id = format!("vraag-{}", item.key);
    let compared_name = compared.map(|c| c.name);
    let compared_column = compared_name.clone().filter(|_| item.compared.is_some());
    let not_compared = item
        .not_compared
        .clone()
        .filter(|_| compared_name.is_some())
        .map(|why| view! { <p class="national-item__note">{why}</p> });
    let counts = view! {
        <tr>
            <th scope="row">"Regio's"</th>
            <td>{item.current.counts_text("met een antwoord")}</td>
            {item.compared.as_ref().map(|before| view! { <td>{before.counts_text("met een antwoord")}</td> })}
        </tr>
    };
    let body = match &item.current.distribution {
        Distribution::Choices(shares) => {
            let rows = share_rows(&item, shares);
            view! {
                <Bars label=item.label.clone() current=item.current.clone() compared=item.compared.clone() compared_name=compared_name.clone()/>
                <FiguresTable caption=format!("Antwoorden op: {}", item.label) first_column="Antwoord" compared_column>
                    {rows}{counts}
                </FiguresTable>
            }
            .into_any()
        }
        Distribution::Numbers { .. } => {
            let rows = number_rows(&item);
            view! {
                <FiguresTable caption=format!("Cijfers bij: {}", item.label) first_column="Maat" compared_column>
                    {rows}{counts}
                </FiguresTable>
            }
            .into_any()
        }
        Distribution::Counted => view! {
            <FiguresTable caption=format!("Aantallen bij: {}", item.label) first_column="Telling" compared_column>
                {counts}
            </FiguresTable>
            <p class="national-item__note">"Open antwoorden, datums en tabellen worden hier alleen geteld."</p>
        }
        .into_any(),
    };
    view! {
        <div class="national-item">
            <h3 id=heading_id>{item.label.clone()}</h3>
            {not_compared}
            {body}
            <p class="national-item__note"><a href=paths::with_query(&paths::item_answers(&round_id), &format!("vraag={}", crate::domain::link::query_value(&item.key)))>
                "Antwoorden per regio"<span class="visually-hidden">{format!(" bij: {}", item.label)}</span></a></p>
        </div>
    }
}

/// A row per choice: its share of the regions now and in the compared round.
fn share_rows(item: &NationalItem, shares: &[Share]) -> impl IntoView {
    let before: Option<Vec<Share>> = match item.compared.as_ref().map(|c| &c.distribution) {
        Some(Distribution::Choices(shares)) => Some(shares.clone()),
        _ => None,
    };
    shares
        .iter()
        .enumerate()
        .map(|(position, share)| {
            let before_cell = item.compared.as_ref().map(|figures| {
                let regions = before
                    .as_ref()
                    .and_then(|b| b.get(position))
                    .map_or(0, |s| s.regions);
                view! { <td>{figures.share_text(regions)}</td> }
            });
            view! {
                <tr>
                    <th scope="row">{share.label.clone()}</th>
                    <td>{item.current.share_text(share.regions)}</td>
                    {before_cell}
                </tr>
            }
        })
        .collect_view()
}

/// Median, range and total of a number now and in the compared round, in the item's unit.
fn number_rows(item: &NationalItem) -> impl IntoView {
    let unit = item.unit.clone();
    let number_rows = |figures: &ItemFigures| -> [String; 3] {
        let with_unit = |value: f64| match &unit {
            Some(unit) => format!("{} {unit}", format_number(value)),
            None => format_number(value),
        };
        match &figures.distribution {
            Distribution::Numbers {
                median,
                lowest,
                highest,
                total,
            } => [
                with_unit(*median),
                format!("{} – {}", with_unit(*lowest), with_unit(*highest)),
                total.map_or("–".to_string(), with_unit),
            ],
            _ => ["–".to_string(), "–".to_string(), "–".to_string()],
        }
    };
    let now = number_rows(&item.current);
    let before = item.compared.as_ref().map(number_rows);
    ["Mediaan", "Laagste – hoogste", "Totaal van de regio's"]
        .into_iter()
        .enumerate()
        .map(|(row, label)| {
            view! {
                <tr>
                    <th scope="row">{label}</th>
                    <td>{now[row].clone()}</td>
                    {before.as_ref().map(|before| view! { <td>{before[row].clone()}</td> })}
                </tr>
            }
        })
        .collect_view()
}

/// One item's figures as a table: a row per answer or measure, then how the regions add up.
#[component]
fn FiguresTable(
    caption: String,
    first_column: &'static str,
    /// The compared round's name, when the item is compared.
    compared_column: Option<String>,
    children: Children,
) -> impl IntoView {
    let mut columns = vec![first_column.to_string(), "Deze meting".to_string()];
    columns.extend(compared_column);
    view! {
        <ScrollTable caption hidden_caption=true class="national-table" columns>
            {children()}
        </ScrollTable>
    }
}

/// Horizontal bars per choice, this round above the compared round. The figures are in the
/// table below it too; the bars have a text summary for screen readers.
#[component]
fn Bars(
    label: String,
    current: ItemFigures,
    compared: Option<ItemFigures>,
    compared_name: Option<String>,
) -> impl IntoView {
    let Distribution::Choices(shares) = &current.distribution else {
        return ().into_any();
    };
    let before: Vec<usize> = match compared.as_ref().map(|c| &c.distribution) {
        Some(Distribution::Choices(before)) => before.iter().map(|s| s.regions).collect(),
        _ => Vec::new(),
    };
    let with_before = compared.is_some();
    let row_height = if with_before { 40 } else { 24 };
    let height = shares.len() * row_height + 8;
    let bar = |regions: usize, of: usize| percent(regions, of).unwrap_or(0);
    let mut summary: Vec<String> = Vec::new();
    let rows = shares
        .iter()
        .enumerate()
        .map(|(position, share)| {
            let y = position * row_height + 4;
            let now = bar(share.regions, current.given);
            let then = compared
                .as_ref()
                .map(|c| bar(before.get(position).copied().unwrap_or(0), c.given));
            summary.push(match then {
                Some(then) => format!("{} {now}% (eerder {then}%)", share.label),
                None => format!("{} {now}%", share.label),
            });
            view! {
                <text x="0" y=y + 14 class="bars__label">{share.label.clone()}</text>
                <rect x="200" y=y width=now * 3 height="14" class="bars__now"/>
                <text x=206 + now * 3 y=y + 12 class="bars__value">{format!("{now}%")}</text>
                {then.map(|then| view! {
                    <rect x="200" y=y + 17 width=then * 3 height="14" class="bars__before"/>
                    <text x=206 + then * 3 y=y + 29 class="bars__value">{format!("{then}%")}</text>
                })}
            }
        })
        .collect_view();
    let description = format!("Staafdiagram bij ‘{label}’: {}.", summary.join("; "));
    view! {
        <figure class="bars">
            <svg role="img" aria-label=description viewBox=format!("0 0 560 {height}") width="560" height=height class="bars__chart">
                {rows}
            </svg>
            <figcaption class="bars__legend">
                <span class="bars__key bars__key--now" aria-hidden="true"></span>" Deze meting"
                {compared_name.filter(|_| with_before).map(|name| view! {
                    " "<span class="bars__key bars__key--before" aria-hidden="true"></span>{format!(" {name}")}
                })}
                " · percentage van de regio's met een antwoord"
            </figcaption>
        </figure>
    }
    .into_any()
}
