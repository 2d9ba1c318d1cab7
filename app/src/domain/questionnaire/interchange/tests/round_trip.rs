//! Both NAD versions out to XLSForm and REDCap and back: the same sections, items, types,
//! options and texts, and conditions and rules that decide the same on many answers. Lineage
//! has no place in either format and is left out.

use super::super::*;
use crate::domain::questionnaire::expr::{Answers, Expr, Ref, Value};
use crate::domain::questionnaire::load::load;
use crate::domain::questionnaire::model::{CellKind, Item, ItemKind, Questionnaire};
use std::collections::HashMap;

fn nad() -> Vec<Questionnaire> {
    let read = |name: &str| {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../questionnaires")
            .join(name);
        std::fs::read_to_string(path).unwrap()
    };
    let previous = load(&read("nad-2025-12.toml"), None).unwrap();
    let current = load(&read("nad-2026-06.toml"), Some(&previous)).unwrap();
    vec![previous, current]
}

/// Both NAD versions and another programme's questionnaire, whose programme travels along.
fn shipped() -> Vec<Questionnaire> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../questionnaires/beschermd-thuis-2026-06.toml");
    let other = load(&std::fs::read_to_string(path).unwrap(), None).unwrap();
    nad().into_iter().chain([other]).collect()
}

/// A small deterministic generator, so failures repeat.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % sides.max(1)
    }
}

/// Answers to every item (and matrix row), this round and the previous one.
#[derive(Default)]
struct Sample {
    now: HashMap<Ref, Value>,
    before: HashMap<Ref, Value>,
    unknown: Vec<Ref>,
    not_applicable: Vec<Ref>,
}

impl Answers for Sample {
    fn value(&self, reference: &Ref) -> Value {
        self.now.get(reference).cloned().unwrap_or(Value::Missing)
    }
    fn previous(&self, reference: &Ref) -> Value {
        self.before
            .get(reference)
            .cloned()
            .unwrap_or(Value::Missing)
    }
    fn is_unknown(&self, reference: &Ref) -> bool {
        self.unknown.contains(reference)
    }
    fn is_not_applicable(&self, reference: &Ref) -> bool {
        self.not_applicable.contains(reference)
    }
}

fn codes_value(dice: &mut Dice, codes: &[String], several: bool) -> Value {
    if several {
        Value::Codes(
            codes
                .iter()
                .filter(|_| dice.roll(2) == 0)
                .cloned()
                .collect(),
        )
    } else {
        Value::Text(codes[dice.roll(codes.len())].clone())
    }
}

fn value(dice: &mut Dice, kind: &ItemKind) -> Value {
    if dice.roll(5) == 0 {
        return Value::Missing;
    }
    match kind {
        ItemKind::MultipleChoice { .. } | ItemKind::Ranking { .. } => {
            codes_value(dice, &kind.codes().unwrap(), true)
        }
        ItemKind::Matrix { .. } => Value::Missing,
        ItemKind::Date { .. } => {
            Value::Text(["2025-12-31", "2026-03-01", "2026-06-30"][dice.roll(3)].into())
        }
        ItemKind::ShortText { .. } | ItemKind::LongText { .. } => {
            Value::Text(["", "x"][dice.roll(2)].into())
        }
        kind if kind.is_numeric() => Value::Number([0.0, 1.0, 3.0, 5.0, 50.0, 120.0][dice.roll(6)]),
        kind => codes_value(dice, &kind.codes().unwrap_or_default(), false),
    }
}

fn cell_value(dice: &mut Dice, cell: &CellKind) -> Value {
    match cell {
        CellKind::YesNo => value(dice, &ItemKind::YesNo),
        CellKind::YesPartlyNo => value(dice, &ItemKind::YesPartlyNo),
        CellKind::Integer { .. } => value(
            dice,
            &ItemKind::Integer {
                min: None,
                max: None,
            },
        ),
        CellKind::SingleChoice { options } => value(
            dice,
            &ItemKind::SingleChoice {
                options: options.clone(),
            },
        ),
    }
}

fn sample(dice: &mut Dice, questionnaire: &Questionnaire) -> Sample {
    let mut sample = Sample::default();
    for item in questionnaire.items() {
        let mut refs = vec![(
            Ref {
                key: item.key.clone(),
                row: None,
            },
            None,
        )];
        if let ItemKind::Matrix { rows, cell } = &item.kind {
            refs.extend(rows.iter().map(|r| {
                (
                    Ref {
                        key: item.key.clone(),
                        row: Some(r.code.clone()),
                    },
                    Some(cell),
                )
            }));
        }
        for (reference, cell) in refs {
            let draw = |dice: &mut Dice| match cell {
                Some(cell) => cell_value(dice, cell),
                None => value(dice, &item.kind),
            };
            sample.now.insert(reference.clone(), draw(dice));
            sample.before.insert(reference.clone(), draw(dice));
            match dice.roll(6) {
                0 => sample.unknown.push(reference),
                1 => sample.not_applicable.push(reference),
                _ => {}
            }
        }
    }
    sample
}

/// Everything of an item but its conditions, rules and lineage.
fn plain(item: &Item) -> Item {
    Item {
        visible_if: None,
        rules: Vec::new(),
        lineage: crate::domain::questionnaire::model::Lineage::Original,
        ..item.clone()
    }
}

fn decides_the_same(a: &Expr, b: &Expr, samples: &[Sample], what: &str) {
    for (n, sample) in samples.iter().enumerate() {
        assert_eq!(
            a.truth(sample),
            b.truth(sample),
            "{what}: {a} and {b} differ on sample {n}"
        );
    }
}

fn same_meaning(original: &Questionnaire, back: &Questionnaire, format: &str) {
    assert_eq!(back.identifier, original.identifier);
    assert_eq!(back.version, original.version);
    assert_eq!(back.title, original.title);
    assert_eq!(back.programme, original.programme, "{format}");
    assert_eq!(back.introduction.trim(), original.introduction.trim());
    let mut dice = Dice(7);
    let samples: Vec<Sample> = (0..300).map(|_| sample(&mut dice, original)).collect();
    assert_eq!(back.sections.len(), original.sections.len());
    for (a, b) in original.sections.iter().zip(&back.sections) {
        assert_eq!(
            (&a.key, &a.title, &a.intro),
            (&b.key, &b.title, &b.intro),
            "{format}"
        );
        assert_eq!(a.items.len(), b.items.len(), "{format}: section {}", a.key);
        for (x, y) in a.items.iter().zip(&b.items) {
            let what = format!("{format}: {}", x.key);
            assert_eq!(plain(x), plain(y), "{what}");
            match (&x.visible_if, &y.visible_if) {
                (Some(p), Some(q)) => decides_the_same(&p.expr, &q.expr, &samples, &what),
                (p, q) => assert_eq!(p.is_some(), q.is_some(), "{what}: visible_if"),
            }
            assert_eq!(x.rules.len(), y.rules.len(), "{what}: rules");
            for rule in &x.rules {
                let back = y
                    .rules
                    .iter()
                    .find(|r| r.message == rule.message && r.severity == rule.severity)
                    .unwrap_or_else(|| panic!("{what}: rule '{}' is lost", rule.message));
                decides_the_same(&rule.check.expr, &back.check.expr, &samples, &what);
            }
        }
    }
}

#[test]
fn both_nad_versions_and_another_programme_s_survive_xlsform_and_redcap() {
    for original in shipped() {
        let sheets = to_xlsform(&original);
        let back = from_xlsform(&sheets, &Names::default())
            .unwrap_or_else(|p| panic!("XLSForm {}: {p:#?}", original.version));
        same_meaning(&original, &back.questionnaire, "XLSForm");

        let dictionary = to_redcap(&original).unwrap();
        let back = from_redcap(&dictionary, &Names::default())
            .unwrap_or_else(|p| panic!("REDCap {}: {p:#?}", original.version));
        same_meaning(&original, &back.questionnaire, "REDCap");
    }
}

#[test]
fn conditions_are_written_in_the_other_language_where_it_can_say_them() {
    let current = nad().pop().unwrap();
    let survey = &to_xlsform(&current)[0];
    let relevant: Vec<&String> = survey
        .rows
        .iter()
        .skip(1)
        .filter_map(|r| r.cells.get(5))
        .filter(|c| !c.is_empty())
        .collect();
    assert!(relevant.len() > 10, "{relevant:?}");
    assert!(relevant.iter().all(|c| c.contains("${")), "{relevant:?}");
    let dictionary = to_redcap(&current).unwrap();
    let branching: Vec<&String> = dictionary
        .rows
        .iter()
        .filter_map(|r| r.cells.get(11))
        .filter(|c| !c.is_empty())
        .skip(1)
        .collect();
    assert!(branching.len() > 10, "{branching:?}");
    assert!(branching.iter().all(|c| c.contains('[')), "{branching:?}");
}

#[test]
fn a_choice_redcap_can_not_hold_is_refused_on_export() {
    let mut current = nad().pop().unwrap();
    let item = current.sections[1]
        .items
        .iter_mut()
        .find(|i| matches!(i.kind, ItemKind::SingleChoice { .. }))
        .unwrap();
    let key = item.key.clone();
    if let ItemKind::SingleChoice { options } = &mut item.kind {
        options[0].label = "Ja | nee".to_string();
    }
    let problems = to_redcap(&current).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with(&format!("vraag {key}: het label van keuze")),
        "{problems:?}"
    );
}
