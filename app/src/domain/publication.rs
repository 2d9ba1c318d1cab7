//! Publication: what a published round shows to everyone, without an account. Publishing
//! freezes a snapshot of the round's approved responses, restricted to the items the
//! definition makes public (`Item::public`). The public dashboard and the open data are read
//! from snapshots only, so later changes never alter published figures: a correction is a
//! new edition of the publication, with a dated note, and every edition stays available.
//!
//! A region whose response was not approved when the round was published appears as "geen
//! gegevens", never as zeros. Nothing in a snapshot names a person: no comments, reviewers,
//! coordinators or history, only regions, their gemeenten and their public answers.

use super::export::Status;
use super::questionnaire::answer::{Answer, AnswerValue};
use super::questionnaire::model::{Item, Questionnaire};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod catalogue;
pub mod dashboard;

/// How long a correction note or the conclusions may be.
pub const MAX_NOTE_CHARS: usize = 1_000;
pub const MAX_CONCLUSIONS_CHARS: usize = 20_000;

/// One region's published answer to one public item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PublishedAnswer {
    Given(AnswerValue),
    /// The region chose "onbekend".
    Unknown,
    /// The region chose "n.v.t.".
    NotApplicable,
    /// A condition hid the item for this region: it was not asked.
    NotAsked,
    /// Asked, but not (validly) answered.
    NotAnswered,
}

impl PublishedAnswer {
    /// The published form of an exported item status and its value. Input that does not
    /// validate and answers taken over but never confirmed count as not answered, as they do
    /// everywhere else.
    pub fn from_status(status: Status, value: Option<&Answer>) -> PublishedAnswer {
        match (status, value) {
            (Status::Answered, Some(Answer::Given(value))) => PublishedAnswer::Given(value.clone()),
            (Status::Unknown, _) => PublishedAnswer::Unknown,
            (Status::NotApplicable, _) => PublishedAnswer::NotApplicable,
            (Status::NotAsked, _) => PublishedAnswer::NotAsked,
            _ => PublishedAnswer::NotAnswered,
        }
    }

    /// The answer as the tallies count it; `None` when there is nothing to count.
    pub fn answer(&self) -> Option<Answer> {
        match self {
            PublishedAnswer::Given(value) => Some(Answer::Given(value.clone())),
            PublishedAnswer::Unknown => Some(Answer::Unknown),
            PublishedAnswer::NotApplicable => Some(Answer::NotApplicable),
            PublishedAnswer::NotAsked | PublishedAnswer::NotAnswered => None,
        }
    }

    /// Every code `status` gives.
    pub fn status_codes() -> [&'static str; 5] {
        [
            Status::Answered.code(),
            Status::NotAsked.code(),
            Status::NotAnswered.code(),
            Status::Unknown.code(),
            Status::NotApplicable.code(),
        ]
    }

    /// The status code the open data files use (the export's codes).
    pub fn status(&self) -> &'static str {
        match self {
            PublishedAnswer::Given(_) => Status::Answered.code(),
            PublishedAnswer::Unknown => Status::Unknown.code(),
            PublishedAnswer::NotApplicable => Status::NotApplicable.code(),
            PublishedAnswer::NotAsked => Status::NotAsked.code(),
            PublishedAnswer::NotAnswered => Status::NotAnswered.code(),
        }
    }
}

/// The code of a region without published data (its response was not approved).
pub const NO_DATA: &str = "GEEN_GEGEVENS";
pub const NO_DATA_MEANING: &str = "Geen gegevens: de regio deed mee, maar haar antwoorden waren bij publicatie niet goedgekeurd. Niet als nul lezen.";

/// A region taking part in a published round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedRegion {
    pub code: String,
    pub name: String,
    /// The gemeenten of the region in this round, by name.
    pub gemeenten: Vec<String>,
    /// The public answers of its approved response, by item key; `None`: no data.
    pub answers: Option<BTreeMap<String, PublishedAnswer>>,
}

/// What a publication holds, frozen when it is made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub round_name: String,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    /// The round's deadline (UTC ms): the period the figures describe.
    pub deadline: i64,
    /// Every participating region, by code.
    pub regions: Vec<PublishedRegion>,
}

impl Snapshot {
    /// Regions with published answers.
    pub fn with_data(&self) -> impl Iterator<Item = &PublishedRegion> {
        self.regions.iter().filter(|r| r.answers.is_some())
    }

    pub fn region(&self, code: &str) -> Option<&PublishedRegion> {
        self.regions.iter().find(|r| r.code == code)
    }
}

/// What a new edition of a round would change against the latest one, per region in Dutch
/// ("Friesland (R02): nu goedgekeurd; de antwoorden komen erbij."), for the admin who writes
/// the correction's note. Empty when the data are the same.
pub fn changes(latest: &Snapshot, next: &Snapshot) -> Vec<String> {
    let mut lines = Vec::new();
    for region in &next.regions {
        let label = format!("{} ({})", region.name, region.code);
        let before = latest.region(&region.code);
        match (before.and_then(|r| r.answers.as_ref()), &region.answers) {
            (None, Some(_)) => lines.push(format!(
                "{label}: nu goedgekeurd; de antwoorden komen erbij."
            )),
            (Some(_), None) => lines.push(format!(
                "{label}: niet meer goedgekeurd; wordt ‘geen gegevens’."
            )),
            (Some(old), Some(new)) => {
                let keys: std::collections::BTreeSet<&String> =
                    old.keys().chain(new.keys()).collect();
                let changed = keys
                    .into_iter()
                    .filter(|key| old.get(*key) != new.get(*key))
                    .count();
                match changed {
                    0 => {}
                    1 => lines.push(format!("{label}: 1 antwoord gewijzigd.")),
                    n => lines.push(format!("{label}: {n} antwoorden gewijzigd.")),
                }
            }
            (None, None) if before.is_none() => lines.push(format!(
                "{label}: doet nu mee, zonder goedgekeurde antwoorden."
            )),
            (None, None) => {}
        }
    }
    for region in &latest.regions {
        if next.region(&region.code).is_none() {
            lines.push(format!(
                "{} ({}): doet niet meer mee.",
                region.name, region.code
            ));
        }
    }
    lines
}

/// One edition of a publication, as the public pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    /// The round's stable public name in URLs ("2026-06").
    pub slug: String,
    /// 1 for the first publication, then one more per correction.
    pub edition: i64,
    pub published_at: i64,
    /// Why this edition corrects the one before; empty for the first.
    pub note: String,
}

/// The public items of a version, in questionnaire order.
pub fn public_items(questionnaire: &Questionnaire) -> impl Iterator<Item = &Item> {
    questionnaire.items().filter(|item| item.public)
}

/// The public name of a round in URLs: the year and month of its deadline ("2026-06"), after
/// its programme's code for programmes other than the NAD ("bt-2026-06"), with a number added
/// when an earlier round already has it ("2026-06-2").
pub fn round_slug(programme: &str, deadline: i64, taken: &[String]) -> String {
    let (year, month, ..) = super::time::local_parts(deadline);
    let base = if programme == super::programme::DEFAULT_PROGRAMME {
        format!("{year:04}-{month:02}")
    } else {
        format!("{programme}-{year:04}-{month:02}")
    };
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|slug| !taken.contains(slug))
        .unwrap_or(base)
}

/// Whether `text` can be a round's public name, as `round_slug` makes them: digits and
/// dashes, after a programme's code and a dash for programmes other than the NAD.
pub fn is_slug(text: &str) -> bool {
    let dated = |part: &str| {
        (7..=12).contains(&part.len())
            && part.starts_with(|c: char| c.is_ascii_digit())
            && part.bytes().all(|b| b.is_ascii_digit() || b == b'-')
    };
    dated(text)
        || text.char_indices().any(|(at, c)| {
            c == '-' && super::programme::check_code(&text[..at]).is_ok() && dated(&text[at + 1..])
        })
}

/// The period a round describes, in Dutch: "juni 2026".
pub fn period(deadline: i64) -> String {
    let (year, month, ..) = super::time::local_parts(deadline);
    format!(
        "{} {year}",
        super::time::MONTHS[(month as usize).clamp(1, 12) - 1]
    )
}

/// Checks a correction note: required, plain text, at most `MAX_NOTE_CHARS`.
pub fn check_note(note: &str) -> Result<String, String> {
    let note = note.trim();
    if note.is_empty() {
        return Err(
            "Beschrijf wat deze correctie verandert; de toelichting wordt openbaar.".into(),
        );
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(format!(
            "De toelichting is te lang: ten hoogste {MAX_NOTE_CHARS} tekens."
        ));
    }
    Ok(note.to_string())
}

/// Checks the conclusions: Markdown text (headings, lists, emphasis, links), never HTML.
pub fn check_conclusions(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > MAX_CONCLUSIONS_CHARS {
        return Err(format!(
            "De conclusies zijn te lang: ten hoogste {MAX_CONCLUSIONS_CHARS} tekens."
        ));
    }
    if contains_html(text) {
        return Err(
            "Gebruik geen HTML in de conclusies. Kopjes maakt u met #, opsommingen met - aan het begin van een regel."
                .into(),
        );
    }
    Ok(text.to_string())
}

/// Whether a text holds something that reads as an HTML tag or comment (`<b>`, `</p>`,
/// `<!--`); a lone "<" as in "< 5" does not.
fn contains_html(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(at, &b)| {
        b == b'<'
            && bytes
                .get(at + 1)
                .is_some_and(|next| next.is_ascii_alphabetic() || *next == b'/' || *next == b'!')
    })
}

#[cfg(test)]
mod tests;
