//! The counts above the table and the tally per option of a closed item, over every
//! participating region whatever the filter.

use super::{options, AnswerRow, Standing};
use crate::domain::questionnaire::model::Item;
use serde::{Deserialize, Serialize};

/// The counts above the table, over every participating region whatever the filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub participating: usize,
    /// A valid answer, onbekend or n.v.t.
    pub answered: usize,
    pub not_answered: usize,
    pub not_asked: usize,
    /// Invalid input, or taken over and not confirmed.
    pub unsettled: usize,
    /// Answers that differ from the compared round's.
    pub changed: usize,
}

impl Totals {
    pub fn of(rows: &[AnswerRow]) -> Totals {
        let count = |keep: &dyn Fn(&AnswerRow) -> bool| rows.iter().filter(|r| keep(r)).count();
        Totals {
            participating: rows.len(),
            answered: count(&|r| r.standing.counts_as_answered()),
            not_answered: count(&|r| r.standing == Standing::NotAnswered),
            not_asked: count(&|r| r.standing == Standing::NotAsked),
            unsettled: count(&|r| matches!(r.standing, Standing::Invalid | Standing::Unconfirmed)),
            changed: count(&|r| r.changed == Some(true)),
        }
    }

    /// "31 van 45 regio's beantwoord".
    pub fn headline(&self) -> String {
        if self.participating == 0 {
            "Aan deze meting doen geen regio's mee.".to_string()
        } else {
            format!(
                "{} van {} regio's beantwoord",
                self.answered, self.participating
            )
        }
    }

    /// The rest in one line: "10 niet beantwoord · 3 niet gesteld · 1 ongeldig of niet
    /// bevestigd · 5 gewijzigd"; parts that are zero are left out.
    pub fn details(&self) -> String {
        [
            (self.not_answered, "niet beantwoord"),
            (self.not_asked, "niet gesteld"),
            (self.unsettled, "ongeldig of niet bevestigd"),
            (self.changed, "gewijzigd ten opzichte van de vorige meting"),
        ]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, what)| format!("{count} {what}"))
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// One line of the tally of a closed item: how many regions chose it now and before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyLine {
    pub label: String,
    pub now: usize,
    pub before: usize,
}

/// Per option of a closed item, the regions whose confirmed answer holds it now and whose
/// answer held it in the compared round, with onbekend and n.v.t. where the item offers
/// them. Empty for other items.
pub fn tally(item: &Item, rows: &[AnswerRow]) -> Vec<TallyLine> {
    let options = options(&item.kind);
    if options.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<TallyLine> = options
        .into_iter()
        .map(|option| TallyLine {
            now: rows
                .iter()
                .filter(|r| r.now_codes.contains(&option.code))
                .count(),
            before: rows
                .iter()
                .filter(|r| r.before_codes.contains(&option.code))
                .count(),
            label: option.label,
        })
        .collect();
    for (offered, standing, label) in [
        (item.allow_unknown, Standing::Unknown, "Onbekend"),
        (
            item.allow_not_applicable,
            Standing::NotApplicable,
            "Niet van toepassing",
        ),
    ] {
        if offered {
            lines.push(TallyLine {
                label: label.to_string(),
                now: rows.iter().filter(|r| r.standing == standing).count(),
                before: rows
                    .iter()
                    .filter(|r| r.before_standing == Some(standing))
                    .count(),
            });
        }
    }
    lines
}
