//! Completeness of a response: which items are visible, which required items are answered
//! (or explicitly onbekend / n.v.t.), which break a blocking rule, which carry warnings, per
//! section and overall. The task list and the reviewer's overview show exactly this.

use super::answer::Answer;
use super::expr::{Answers, Ref, Value};
use super::model::{Index, Item, Questionnaire, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The answers of one response, and of the compared round mapped to this version's keys.
#[derive(Debug, Clone, Default)]
pub struct ResponseAnswers {
    pub current: HashMap<String, Answer>,
    /// Items whose stored input does not parse: they block submitting.
    pub invalid: HashSet<String>,
    /// Items taken over from the compared round and not confirmed yet: their values steer
    /// conditions, but they don't count as answered.
    pub unconfirmed: HashSet<String>,
    pub previous: HashMap<String, Answer>,
}

impl ResponseAnswers {
    /// Adds a stored answer: its valid value counts, input that does not parse is invalid
    /// (blank input is no answer), and one taken over and not confirmed is unconfirmed.
    pub fn add_stored(
        &mut self,
        key: &str,
        value: Option<&Answer>,
        raw_is_blank: bool,
        prefilled: bool,
    ) {
        if prefilled {
            self.unconfirmed.insert(key.to_string());
        }
        match value {
            Some(value) => {
                self.current.insert(key.to_string(), value.clone());
            }
            None if !raw_is_blank => {
                self.invalid.insert(key.to_string());
            }
            None => {}
        }
    }

    /// Sets an item's answer from what the form holds now (`parse_answer` of its input), as
    /// the section form does on every change: a valid answer counts, input that does not
    /// parse is invalid, blank input is no answer.
    pub fn set_input(&mut self, key: &str, parsed: &Result<Option<Answer>, Vec<String>>) {
        self.current.remove(key);
        self.invalid.remove(key);
        match parsed {
            Ok(Some(answer)) => {
                self.current.insert(key.to_string(), answer.clone());
            }
            Ok(None) => {}
            Err(_) => {
                self.invalid.insert(key.to_string());
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemStatus {
    /// Hidden by its condition: not asked, does not count.
    Hidden,
    /// Visible and required, but not answered.
    Missing,
    /// Visible, optional and not answered.
    Empty,
    Answered,
    /// Answered "onbekend" or "n.v.t.": counts as complete.
    Explicit,
    /// Stored input that does not parse.
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemState {
    pub status: ItemStatus,
    pub blocking: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SectionStatus {
    NotStarted,
    InProgress,
    Complete,
    HasErrors,
    /// Every item is hidden by conditions.
    NotApplicable,
}

impl SectionStatus {
    pub fn label(self) -> &'static str {
        match self {
            SectionStatus::NotStarted => "Niet begonnen",
            SectionStatus::InProgress => "Bezig",
            SectionStatus::Complete => "Klaar",
            SectionStatus::HasErrors => "Bevat fouten",
            SectionStatus::NotApplicable => "Niet van toepassing",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Visible required items.
    pub required: usize,
    /// Of those, answered or explicitly onbekend / n.v.t.
    pub complete: usize,
    pub hidden: usize,
    /// Items with an answer of any kind.
    pub answered: usize,
    pub blocking: usize,
    pub warnings: usize,
    pub invalid: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.required += other.required;
        self.complete += other.complete;
        self.hidden += other.hidden;
        self.answered += other.answered;
        self.blocking += other.blocking;
        self.warnings += other.warnings;
        self.invalid += other.invalid;
    }

    /// Whole percent of required items complete (100 when nothing is required).
    pub fn percent_complete(&self) -> u32 {
        (self.complete * 100)
            .checked_div(self.required)
            .map_or(100, |pct| pct as u32)
    }

    /// Nothing missing, nothing invalid, no blocking rule broken.
    pub fn may_submit(&self) -> bool {
        self.complete == self.required && self.blocking == 0 && self.invalid == 0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionSummary {
    pub key: String,
    pub status: SectionStatus,
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub items: HashMap<String, ItemState>,
    pub sections: Vec<SectionSummary>,
    pub overall: Counts,
}

/// The evaluator's view of a response: hidden items read as missing.
struct View<'a> {
    answers: &'a ResponseAnswers,
    hidden: &'a HashSet<String>,
}

impl Answers for View<'_> {
    fn value(&self, reference: &Ref) -> Value {
        if self.hidden.contains(&reference.key) {
            return Value::Missing;
        }
        self.answers
            .current
            .get(&reference.key)
            .map_or(Value::Missing, |answer| answer.to_value(reference))
    }

    fn previous(&self, reference: &Ref) -> Value {
        self.answers
            .previous
            .get(&reference.key)
            .map_or(Value::Missing, |answer| answer.to_value(reference))
    }

    fn is_unknown(&self, reference: &Ref) -> bool {
        !self.hidden.contains(&reference.key)
            && matches!(
                self.answers.current.get(&reference.key),
                Some(Answer::Unknown)
            )
    }

    fn is_not_applicable(&self, reference: &Ref) -> bool {
        !self.hidden.contains(&reference.key)
            && matches!(
                self.answers.current.get(&reference.key),
                Some(Answer::NotApplicable)
            )
    }
}

/// Evaluates a whole response.
pub fn evaluate(
    questionnaire: &Questionnaire,
    index: &Index,
    answers: &ResponseAnswers,
) -> Evaluation {
    let all: BTreeSet<String> = index.position.keys().cloned().collect();
    let mut evaluation = Evaluation {
        items: HashMap::new(),
        sections: Vec::new(),
        overall: Counts::default(),
    };
    evaluation.recompute(questionnaire, index, answers, &all);
    evaluation
}

/// The items whose answers decide how `keys` are evaluated: what their conditions and rules
/// read, of this round and of the compared one, and, because a hidden item's answer does not
/// count, what decides the visibility of those in turn. The section form evaluates its
/// questions with only these answers, with the same outcome as with all of them: the same
/// questions shown, the same rules broken.
pub fn evaluation_inputs<'k>(
    questionnaire: &Questionnaire,
    index: &Index,
    keys: impl IntoIterator<Item = &'k str>,
) -> BTreeSet<String> {
    let item_at = |key: &str| {
        let &(s, i) = index.position.get(key)?;
        Some(&questionnaire.sections[s].items[i])
    };
    let mut inputs = BTreeSet::new();
    let mut queue: Vec<String> = keys.into_iter().map(str::to_string).collect();
    // What the rules of the asked items read; the conditions of all of these follow below.
    for item in queue.iter().filter_map(|key| item_at(key)) {
        for reference in item
            .rules
            .iter()
            .flat_map(|rule| rule.check.expr.all_references())
        {
            inputs.insert(reference.key);
        }
    }
    queue.extend(inputs.iter().cloned());
    while let Some(key) = queue.pop() {
        let Some(condition) = item_at(&key).and_then(|item| item.visible_if.as_ref()) else {
            continue;
        };
        for reference in condition.expr.all_references() {
            if inputs.insert(reference.key.clone()) {
                queue.push(reference.key);
            }
        }
    }
    inputs
}

/// Every item whose visibility or rules may change when `key` changes, transitively.
pub fn affected_by(index: &Index, key: &str) -> BTreeSet<String> {
    let mut affected = BTreeSet::from([key.to_string()]);
    let mut queue = vec![key.to_string()];
    while let Some(current) = queue.pop() {
        for dependent in index.dependents.get(&current).into_iter().flatten() {
            if affected.insert(dependent.clone()) {
                queue.push(dependent.clone());
            }
        }
    }
    affected
}

/// The items a response's conditions hide: what the national picture counts as not asked.
pub fn hidden_items(
    questionnaire: &Questionnaire,
    index: &Index,
    answers: &ResponseAnswers,
) -> HashSet<String> {
    ConditionalItems::new(questionnaire, index).hidden(answers)
}

/// The items of a version whose visibility depends on a condition (every other item is
/// always asked), in the order their conditions are decided: worked out once for callers that
/// decide them for many responses, such as the national picture.
pub struct ConditionalItems<'q> {
    in_order: Vec<&'q Item>,
    keys: HashSet<&'q str>,
}

impl<'q> ConditionalItems<'q> {
    pub fn new(questionnaire: &'q Questionnaire, index: &Index) -> Self {
        let in_order: Vec<&Item> = index
            .evaluation_order
            .iter()
            .filter_map(|key| index.position.get(key))
            .map(|&(s, i)| &questionnaire.sections[s].items[i])
            .filter(|item| item.visible_if.is_some())
            .collect();
        let keys = in_order.iter().map(|item| item.key.as_str()).collect();
        ConditionalItems { in_order, keys }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    /// Which of these items a response's conditions hide, each decided after what its
    /// condition reads.
    pub fn hidden(&self, answers: &ResponseAnswers) -> HashSet<String> {
        let mut hidden = HashSet::new();
        for item in &self.in_order {
            let view = View {
                answers,
                hidden: &hidden,
            };
            let visible = item
                .visible_if
                .as_ref()
                .is_none_or(|condition| condition.expr.truth(&view) == Some(true));
            if !visible {
                hidden.insert(item.key.clone());
            }
        }
        hidden
    }
}

/// Decides the visibility of `keys` in dependency order, so a condition sees the final
/// visibility of what it reads.
fn update_visibility(
    questionnaire: &Questionnaire,
    index: &Index,
    answers: &ResponseAnswers,
    keys: &BTreeSet<String>,
    hidden: &mut HashSet<String>,
) {
    for key in index
        .evaluation_order
        .iter()
        .filter(|key| keys.contains(*key))
    {
        let Some(&(s, i)) = index.position.get(key) else {
            continue;
        };
        let item = &questionnaire.sections[s].items[i];
        let view = View { answers, hidden };
        let visible = item
            .visible_if
            .as_ref()
            .is_none_or(|condition| condition.expr.truth(&view) == Some(true));
        if visible {
            hidden.remove(key);
        } else {
            hidden.insert(key.clone());
        }
    }
}

impl Evaluation {
    /// Re-evaluates only what depends on the changed item.
    pub fn update(
        &mut self,
        questionnaire: &Questionnaire,
        index: &Index,
        answers: &ResponseAnswers,
        changed: &str,
    ) {
        let affected = affected_by(index, changed);
        self.recompute(questionnaire, index, answers, &affected);
    }

    fn recompute(
        &mut self,
        questionnaire: &Questionnaire,
        index: &Index,
        answers: &ResponseAnswers,
        keys: &BTreeSet<String>,
    ) {
        let mut hidden: HashSet<String> = self
            .items
            .iter()
            .filter(|(_, state)| state.status == ItemStatus::Hidden)
            .map(|(key, _)| key.clone())
            .collect();
        update_visibility(questionnaire, index, answers, keys, &mut hidden);
        let view = View {
            answers,
            hidden: &hidden,
        };
        for key in keys {
            let Some(&(s, i)) = index.position.get(key) else {
                continue;
            };
            let item = &questionnaire.sections[s].items[i];
            let state = if hidden.contains(key) {
                ItemState {
                    status: ItemStatus::Hidden,
                    blocking: vec![],
                    warnings: vec![],
                }
            } else {
                let status = if answers.invalid.contains(key) {
                    ItemStatus::Invalid
                } else if answers.unconfirmed.contains(key) {
                    if item.required {
                        ItemStatus::Missing
                    } else {
                        ItemStatus::Empty
                    }
                } else {
                    match answers.current.get(key) {
                        Some(Answer::Given(_)) => ItemStatus::Answered,
                        Some(Answer::Unknown | Answer::NotApplicable) => ItemStatus::Explicit,
                        None if item.required => ItemStatus::Missing,
                        None => ItemStatus::Empty,
                    }
                };
                let (mut blocking, mut warnings) = (Vec::new(), Vec::new());
                for rule in &item.rules {
                    // Only a check that is definitely false fires.
                    if rule.check.expr.truth(&view) == Some(false) {
                        match rule.severity {
                            Severity::Blocking => blocking.push(rule.message.clone()),
                            Severity::Warning => warnings.push(rule.message.clone()),
                        }
                    }
                }
                ItemState {
                    status,
                    blocking,
                    warnings,
                }
            };
            self.items.insert(key.clone(), state);
        }
        self.summarize(questionnaire, answers);
    }

    fn summarize(&mut self, questionnaire: &Questionnaire, answers: &ResponseAnswers) {
        self.sections.clear();
        self.overall = Counts::default();
        for section in &questionnaire.sections {
            let mut counts = Counts::default();
            for item in &section.items {
                let Some(state) = self.items.get(&item.key) else {
                    continue;
                };
                if answers.current.contains_key(&item.key) || answers.invalid.contains(&item.key) {
                    counts.answered += 1;
                }
                match state.status {
                    ItemStatus::Hidden => {
                        counts.hidden += 1;
                        continue;
                    }
                    ItemStatus::Invalid => counts.invalid += 1,
                    _ => {}
                }
                if item.required {
                    counts.required += 1;
                    if matches!(state.status, ItemStatus::Answered | ItemStatus::Explicit) {
                        counts.complete += 1;
                    }
                }
                counts.blocking += state.blocking.len();
                counts.warnings += state.warnings.len();
            }
            let status = if counts.hidden == section.items.len() {
                SectionStatus::NotApplicable
            } else if counts.blocking > 0 || counts.invalid > 0 {
                SectionStatus::HasErrors
            } else if counts.answered == 0 {
                SectionStatus::NotStarted
            } else if counts.complete == counts.required {
                SectionStatus::Complete
            } else {
                SectionStatus::InProgress
            };
            self.overall.add(&counts);
            self.sections.push(SectionSummary {
                key: section.key.clone(),
                status,
                counts,
            });
        }
    }
}

#[cfg(test)]
mod tests;
