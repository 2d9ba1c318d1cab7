//! Charts of the public dashboard: SVG drawn on the server, so they need no JavaScript and
//! print as they are. Every chart has a text alternative and its figures beside it in a
//! table; values are written at the points and bars, and the previous publication's bars are
//! hatched, so colour never carries meaning on its own.

use crate::components::table::ScrollTable;
use crate::domain::national::{percent, Distribution, ItemFigures};
use crate::domain::publication::dashboard::TrendPoint;
use crate::paths;
use leptos::prelude::*;

const WIDTH: usize = 560;
const HEIGHT: usize = 180;
const LEFT: usize = 16;
const TOP: usize = 28;
const BOTTOM: usize = 40;

/// "december 2025" → "dec 2025": short enough for an axis.
fn short(period: &str) -> String {
    match period.split_once(' ') {
        Some((month, year)) => format!("{} {year}", month.chars().take(3).collect::<String>()),
        None => period.to_string(),
    }
}

/// A trend over publications: points with their value written above, joined where both
/// neighbours have a value; a publication without a comparable figure leaves a gap and is
/// named "niet vergeleken" on the axis.
#[component]
pub fn TrendChart(
    /// The indicator's name, for the text alternative.
    name: String,
    points: Vec<TrendPoint>,
    /// Whether values are percentages (a 0–100 scale) or numbers (0 to the largest).
    is_share: bool,
) -> impl IntoView {
    let highest = if is_share {
        100.0
    } else {
        points
            .iter()
            .filter_map(|p| p.value)
            .fold(0.0_f64, f64::max)
            .max(1.0)
    };
    let plot_height = (HEIGHT - TOP - BOTTOM) as f64;
    let step = if points.len() > 1 {
        (WIDTH - 2 * LEFT - 40) as f64 / (points.len() - 1) as f64
    } else {
        0.0
    };
    let x_of = |n: usize| LEFT as f64 + 20.0 + step * n as f64;
    let y_of = |value: f64| TOP as f64 + plot_height * (1.0 - value / highest);
    let mut segments = Vec::new();
    for (n, pair) in points.windows(2).enumerate() {
        if let (Some(a), Some(b)) = (pair[0].value, pair[1].value) {
            segments.push((x_of(n), y_of(a), x_of(n + 1), y_of(b)));
        }
    }
    let description = format!(
        "Verloop van ‘{name}’: {}.",
        points
            .iter()
            .map(|p| format!("{} {}", p.period, p.shown))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let baseline = TOP as f64 + plot_height;
    view! {
        <svg class="trend" role="img" aria-label=description viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            width=WIDTH height=HEIGHT preserveAspectRatio="xMinYMin meet">
            <line class="trend__axis" x1=LEFT y1=baseline x2=WIDTH - LEFT y2=baseline/>
            {segments.into_iter().map(|(x1, y1, x2, y2)| view! {
                <line class="trend__line" x1=x1 y1=y1 x2=x2 y2=y2/>
            }).collect_view()}
            {points.iter().enumerate().map(|(n, point)| {
                let x = x_of(n);
                let label = view! {
                    <text class="trend__period" x=x y=HEIGHT - 20 text-anchor="middle">{short(&point.period)}</text>
                };
                match point.value {
                    Some(value) => {
                        let y = y_of(value);
                        view! {
                            <circle class="trend__point" cx=x cy=y r="5"/>
                            <text class="trend__value" x=x y=y - 10.0 text-anchor="middle">{point.shown.clone()}</text>
                            {label}
                        }.into_any()
                    }
                    None => view! {
                        <text class="trend__missing" x=x y=baseline - 6.0 text-anchor="middle">"–"</text>
                        {label}
                        <text class="trend__period" x=x y=HEIGHT - 6 text-anchor="middle">{point.shown.clone()}</text>
                    }.into_any(),
                }
            }).collect_view()}
        </svg>
    }
}

/// The figures behind a trend, as a table: one row per publication.
#[component]
pub fn TrendTable(caption: String, points: Vec<TrendPoint>) -> impl IntoView {
    view! {
        <ScrollTable caption class="trend-table"
            columns=&["Publicatie", "Cijfer", "Achter het cijfer"]>
            {points.into_iter().map(|point| view! {
                <tr>
                    <th scope="row"><a href=paths::dashboard(Some(&point.slug))>{point.period.clone()}</a></th>
                    <td>{point.shown.clone()}</td>
                    <td>{point.detail.clone()}</td>
                </tr>
            }).collect_view()}
        </ScrollTable>
    }
}

/// The share of regions per answer as horizontal bars, this publication solid and the
/// previous one hatched beneath it, every bar with its percentage written at its end.
#[component]
pub fn ShareBars(
    /// Unique on the page: names the chart's hatching pattern.
    id: String,
    label: String,
    current: ItemFigures,
    previous: Option<ItemFigures>,
    /// The previous publication's period, for the legend.
    previous_period: Option<String>,
) -> impl IntoView {
    let Distribution::Choices(shares) = &current.distribution else {
        return ().into_any();
    };
    let before: Option<Vec<usize>> = match previous.as_ref().map(|p| &p.distribution) {
        Some(Distribution::Choices(before)) => Some(before.iter().map(|s| s.regions).collect()),
        _ => None,
    };
    let pattern = format!("arcering-{id}");
    let fill = format!("url(#{pattern})");
    let row = if before.is_some() { 40 } else { 24 };
    let height = shares.len() * row + 8;
    let mut summary = Vec::new();
    let bars = shares
        .iter()
        .enumerate()
        .map(|(n, share)| {
            let y = n * row + 4;
            let now = percent(share.regions, current.given).unwrap_or(0);
            let then = match (&before, &previous) {
                (Some(before), Some(previous)) => {
                    percent(before.get(n).copied().unwrap_or(0), previous.given)
                }
                _ => None,
            };
            summary.push(match then {
                Some(then) => format!("{} {now}% (eerder {then}%)", share.label),
                None => format!("{} {now}%", share.label),
            });
            let fill = fill.clone();
            view! {
                <text x="0" y=y + 13 class="bars__label">{share.label.clone()}</text>
                <rect x="220" y=y width=now * 3 height="14" class="bars__now"/>
                <text x=226 + now * 3 y=y + 12 class="bars__value">{format!("{now}%")}</text>
                {then.map(|then| view! {
                    <rect x="220" y=y + 17 width=then * 3 height="14" class="bars__before" fill=fill/>
                    <text x=226 + then * 3 y=y + 29 class="bars__value">{format!("{then}% eerder")}</text>
                })}
            }
        })
        .collect_view();
    let description = format!("Staafdiagram bij ‘{label}’: {}.", summary.join("; "));
    view! {
        <figure class="bars">
            <svg role="img" aria-label=description viewBox=format!("0 0 580 {height}") width="580" height=height class="bars__chart">
                <defs>
                    <pattern id=pattern width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="6" height="6" class="bars__hatch-ground"/>
                        <line x1="0" y1="0" x2="0" y2="6" class="bars__hatch"/>
                    </pattern>
                </defs>
                {bars}
            </svg>
            <figcaption class="bars__legend">
                <span class="bars__key bars__key--now" aria-hidden="true"></span>" Deze publicatie"
                {previous_period.filter(|_| before.is_some()).map(|period| view! {
                    " "<span class="bars__key bars__key--hatched" aria-hidden="true"></span>{format!(" {period} (gearceerd)")}
                })}
                " · percentage van de regio's met een antwoord"
            </figcaption>
        </figure>
    }
    .into_any()
}
