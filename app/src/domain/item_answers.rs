//! One item's answers across every participating region of a round, each beside the same
//! region's answer in the compared round (through lineage): the rows a reviewer reads, filters,
//! sorts and downloads, the counts above them, the tally per option of a closed item, and the
//! columns of the download. Pure: the service reads the answers and decides what each region
//! was asked; this module turns them into rows. The text answers behind a round's conclusions
//! are read here, side by side.

mod counts;
mod download;
mod selection;

pub use counts::{tally, TallyLine, Totals};
pub use download::{download_columns, download_name, download_row};
pub use selection::{sort_rows, AnsweredFilter, RawQuery, Selection, SortKey};

use super::comparison::same_answer;
use super::export::{item_status, raw_text, value_text, Status, Stored};
use super::questionnaire::answer::{Answer, AnswerValue, RawAnswer};
use super::questionnaire::completeness::ItemStatus;
use super::questionnaire::model::{
    fixed_choices, Choice, Item, ItemKind, Questionnaire, YES_NO, YES_PARTLY_NO,
};
use super::response::describe;
use super::review::ReviewStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The longest value a query parameter of the page or its downloads may hold.
pub const MAX_QUERY_CHARS: usize = 200;

/// The item's type in words, for the reviewer.
pub fn type_label(kind: &ItemKind) -> &'static str {
    match kind {
        ItemKind::YesNo => "Ja of nee",
        ItemKind::YesPartlyNo => "Ja, deels of nee",
        ItemKind::SingleChoice { .. } => "Eén keuze uit een lijst",
        ItemKind::MultipleChoice { .. } => "Meerdere keuzes uit een lijst",
        ItemKind::Integer { .. } => "Geheel getal",
        ItemKind::Decimal { .. } => "Getal",
        ItemKind::Percentage { .. } => "Percentage",
        ItemKind::ShortText { .. } => "Korte tekst (open antwoord)",
        ItemKind::LongText { .. } => "Lange tekst (open antwoord)",
        ItemKind::Date { .. } => "Datum",
        ItemKind::Scale { .. } => "Schaal van 1 tot 5",
        ItemKind::Matrix { .. } => "Tabel",
        ItemKind::Ranking { .. } => "Rangorde",
    }
}

/// The options of a closed item (choices, yes/no); empty for open items, numbers, dates and
/// tables.
pub fn options(kind: &ItemKind) -> Vec<Choice> {
    match kind {
        ItemKind::YesNo => fixed_choices(&YES_NO),
        ItemKind::YesPartlyNo => fixed_choices(&YES_PARTLY_NO),
        ItemKind::SingleChoice { options }
        | ItemKind::MultipleChoice { options, .. }
        | ItemKind::Ranking { options, .. } => options.clone(),
        _ => Vec::new(),
    }
}

/// What a region's answer to the item is, in the order the answer column sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    Answered,
    Unknown,
    NotApplicable,
    /// Taken over from the compared round and not confirmed: does not count as answered.
    Unconfirmed,
    /// Stored input that does not validate.
    Invalid,
    NotAnswered,
    /// Hidden by a condition for this region.
    NotAsked,
}

impl Standing {
    fn of(status: Status) -> Standing {
        match status {
            Status::Answered => Standing::Answered,
            Status::Unknown => Standing::Unknown,
            Status::NotApplicable => Standing::NotApplicable,
            Status::Unconfirmed => Standing::Unconfirmed,
            Status::Invalid => Standing::Invalid,
            Status::NotAnswered => Standing::NotAnswered,
            Status::NotAsked => Standing::NotAsked,
        }
    }

    /// The code the export files use for it (`BEANTWOORD`, `NIET_GEVRAAGD`, …).
    pub fn code(self) -> &'static str {
        let status = match self {
            Standing::Answered => Status::Answered,
            Standing::Unknown => Status::Unknown,
            Standing::NotApplicable => Status::NotApplicable,
            Standing::Unconfirmed => Status::Unconfirmed,
            Standing::Invalid => Status::Invalid,
            Standing::NotAnswered => Status::NotAnswered,
            Standing::NotAsked => Status::NotAsked,
        };
        status.code()
    }

    /// A valid answer, onbekend or n.v.t.: what "beantwoord" counts.
    pub fn counts_as_answered(self) -> bool {
        matches!(
            self,
            Standing::Answered | Standing::Unknown | Standing::NotApplicable
        )
    }

    fn rank(self) -> u8 {
        self as u8
    }
}

/// A region's stored input for the item.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    pub raw: RawAnswer,
    /// `None` when the input does not validate or is blank.
    pub value: Option<Answer>,
    pub prefilled: bool,
}

/// The same region's answer in the compared round, in this version's key and codes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Before {
    /// The input as typed; `None` when nothing was filled in.
    pub raw: Option<RawAnswer>,
    /// The valid answer; `None` when there is none (or its code no longer exists).
    pub value: Option<Answer>,
}

/// What the service read for one participating region.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionInput {
    pub region_code: String,
    pub region_name: String,
    /// The stored response, when the region has written anything.
    pub response_id: Option<String>,
    pub status: ReviewStatus,
    /// Whether the item's condition shows it to this region.
    pub asked: bool,
    pub given: Option<Given>,
    pub before: Before,
}

/// One region's line of the table and of the download.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerRow {
    pub region_code: String,
    pub region_name: String,
    pub response_id: Option<String>,
    pub status: ReviewStatus,
    pub standing: Standing,
    /// The answer as the reviewer reads it ("Niet gesteld", "Ongeldige invoer: …" when so).
    pub now: String,
    /// The value as the export files hold it (codes, number, text); for invalid or
    /// unconfirmed input what was typed; empty otherwise.
    pub now_value: String,
    /// The options a valid, confirmed answer to a closed item holds.
    pub now_codes: Vec<String>,
    pub now_number: Option<f64>,
    /// The compared round's answer in words; `None` when there is none.
    pub before: Option<String>,
    pub before_standing: Option<Standing>,
    pub before_value: String,
    pub before_codes: Vec<String>,
    pub before_number: Option<f64>,
    /// Whether the answer differs from the compared round's; `None` when either round has no
    /// valid answer, so there is nothing to compare.
    pub changed: Option<bool>,
}

/// The options a valid answer holds, and its number.
fn codes_and_number(answer: Option<&Answer>) -> (Vec<String>, Option<f64>) {
    match answer {
        Some(Answer::Given(AnswerValue::Code(code))) => (vec![code.clone()], None),
        Some(Answer::Given(AnswerValue::Codes(codes))) => (codes.clone(), None),
        Some(Answer::Given(AnswerValue::Integer(n))) => (Vec::new(), Some(*n as f64)),
        Some(Answer::Given(AnswerValue::Number(n))) => (Vec::new(), Some(*n)),
        _ => (Vec::new(), None),
    }
}

/// A region's row: what it answered, in words and as data, beside the compared round.
pub fn row(item: &Item, input: RegionInput) -> AnswerRow {
    let given = input.given.as_ref();
    let stored = given.map(|g| Stored {
        raw: &g.raw,
        value: g.value.as_ref(),
        prefilled: g.prefilled,
    });
    let engine_status = if !input.asked {
        ItemStatus::Hidden
    } else if given.is_some_and(|g| g.value.is_none() && !g.raw.is_blank()) {
        ItemStatus::Invalid
    } else {
        ItemStatus::Answered
    };
    let standing = Standing::of(item_status(engine_status, stored));
    let input_text = || given.map(|g| raw_text(&g.raw, None)).unwrap_or_default();
    let (now, now_value) = match (standing, given) {
        (Standing::NotAsked, _) => ("Niet gesteld".to_string(), String::new()),
        (Standing::NotAnswered, _) | (_, None) => ("Niet beantwoord".to_string(), String::new()),
        (Standing::Invalid, Some(_)) => {
            (format!("Ongeldige invoer: {}", input_text()), input_text())
        }
        (Standing::Unconfirmed, Some(g)) => (
            format!("{} (overgenomen, niet bevestigd)", words(item, g)),
            input_text(),
        ),
        (Standing::Answered, Some(g)) => (
            words(item, g),
            match &g.value {
                Some(Answer::Given(value)) => value_text(value),
                _ => String::new(),
            },
        ),
        (_, Some(g)) => (words(item, g), String::new()),
    };
    let confirmed = given
        .and_then(|g| g.value.as_ref())
        .filter(|_| standing.counts_as_answered());
    let (now_codes, now_number) = codes_and_number(confirmed);
    let before = before_parts(item, &input.before);
    // As the review page of a response decides it: both rounds hold a valid answer.
    let current = given.and_then(|g| g.value.as_ref()).filter(|_| input.asked);
    let changed = match (current, input.before.value.as_ref()) {
        (Some(now), Some(then)) => Some(!same_answer(now, then)),
        _ => None,
    };
    AnswerRow {
        region_code: input.region_code,
        region_name: input.region_name,
        response_id: input.response_id,
        status: input.status,
        standing,
        now,
        now_value,
        now_codes,
        now_number,
        before: before.text,
        before_standing: before.standing,
        before_value: before.value,
        before_codes: before.codes,
        before_number: before.number,
        changed,
    }
}

/// A stored answer in words; from its value when the input is blank (a row this code never
/// writes, but one that must not read as "Niet beantwoord" beside a valid value).
fn words(item: &Item, given: &Given) -> String {
    match (&given.value, given.raw.is_blank()) {
        (Some(Answer::Given(value)), true) => value_text(value),
        (Some(other), true) => describe(item, &special_raw(other)),
        _ => describe(item, &given.raw),
    }
}

/// The compared round's answer as a row shows it.
struct BeforeParts {
    text: Option<String>,
    standing: Option<Standing>,
    value: String,
    codes: Vec<String>,
    number: Option<f64>,
}

fn before_parts(item: &Item, before: &Before) -> BeforeParts {
    let raw = before.raw.as_ref().filter(|raw| !raw.is_blank());
    let standing = match (&before.value, raw) {
        (Some(Answer::Given(_)), _) => Some(Standing::Answered),
        (Some(Answer::Unknown), _) => Some(Standing::Unknown),
        (Some(Answer::NotApplicable), _) => Some(Standing::NotApplicable),
        (None, Some(_)) => Some(Standing::Invalid),
        (None, None) => None,
    };
    let text = match (raw, &before.value) {
        (Some(raw), _) => Some(describe(item, raw)),
        (None, Some(Answer::Given(value))) => Some(value_text(value)),
        (None, Some(other)) => Some(describe(item, &special_raw(other))),
        (None, None) => None,
    };
    let value = match (&before.value, raw) {
        (Some(Answer::Given(value)), _) => value_text(value),
        (None, Some(raw)) => raw_text(raw, None),
        _ => String::new(),
    };
    let (codes, number) = codes_and_number(before.value.as_ref());
    BeforeParts {
        text,
        standing,
        value,
        codes,
        number,
    }
}

/// The input of an explicit non-answer, to describe it.
fn special_raw(answer: &Answer) -> RawAnswer {
    RawAnswer {
        special: Some(match answer {
            Answer::NotApplicable => "nvt".to_string(),
            _ => "onbekend".to_string(),
        }),
        ..RawAnswer::default()
    }
}

/// The item `key` and every item whose answer decides whether it is asked: what its condition
/// reads (in this round and in the compared one), and what decides whether those are asked in
/// turn, since a hidden item's answer does not count. These answers alone decide, for each
/// region, whether the item was asked.
pub fn condition_reads(questionnaire: &Questionnaire, key: &str) -> BTreeSet<String> {
    let mut reads = BTreeSet::from([key.to_string()]);
    let mut queue = vec![key.to_string()];
    while let Some(next) = queue.pop() {
        let Some(condition) = questionnaire
            .item(&next)
            .and_then(|item| item.visible_if.as_ref())
        else {
            continue;
        };
        for reference in condition.expr.all_references() {
            if reads.insert(reference.key.clone()) {
                queue.push(reference.key);
            }
        }
    }
    reads
}

/// The items of a version by section, for the item chooser: (section title, [(key, label)]).
pub fn chooser(questionnaire: &Questionnaire) -> Vec<(String, Vec<(String, String)>)> {
    questionnaire
        .sections
        .iter()
        .map(|section| {
            (
                section.title.clone(),
                section
                    .items
                    .iter()
                    .map(|item| (item.key.clone(), item.label.clone()))
                    .collect(),
            )
        })
        .collect()
}

/// The chosen item's answers as the page shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemAnswers {
    pub key: String,
    pub label: String,
    pub type_label: String,
    /// The options of a closed item, for the choice filter; empty for other items.
    pub options: Vec<Choice>,
    /// Why the item is not compared with the compared round, when it is not.
    pub not_compared: Option<String>,
    pub totals: Totals,
    pub tally: Vec<TallyLine>,
    /// Filtered and sorted as `selection` says.
    pub rows: Vec<AnswerRow>,
    pub selection: Selection,
    /// The selection as a query string, for the downloads.
    pub query: String,
}

impl ItemAnswers {
    /// Every region's row, counted, tallied, then filtered and sorted by `selection`.
    pub fn build(
        item: &Item,
        inputs: Vec<RegionInput>,
        selection: Selection,
        not_compared: Option<String>,
    ) -> ItemAnswers {
        let all: Vec<AnswerRow> = inputs.into_iter().map(|input| row(item, input)).collect();
        let totals = Totals::of(&all);
        let tally = tally(item, &all);
        let mut rows: Vec<AnswerRow> = all.into_iter().filter(|r| selection.keeps(r)).collect();
        sort_rows(&mut rows, item, &selection);
        ItemAnswers {
            key: item.key.clone(),
            label: item.label.clone(),
            type_label: type_label(&item.kind).to_string(),
            options: options(&item.kind),
            not_compared,
            totals,
            tally,
            rows,
            query: selection.query(&item.key),
            selection,
        }
    }
}

#[cfg(test)]
mod tests;
