use super::*;
use crate::domain::questionnaire::load::load;

const OLD: &str = r#"
identifier = "t"
version = "1"
title = "Oud"
introduction = "."

[[section]]
key = "a"
title = "A"

[[section.item]]
key = "same"
type = "yes_no"
label = "Zelfde"

[[section.item]]
key = "old_name"
type = "integer"
label = "Oude naam"

[[section.item]]
key = "plan"
type = "single_choice"
label = "Plan"
options = [
  { code = "concept", label = "Concept" },
  { code = "college", label = "College" },
  { code = "raad", label = "Raad" },
]

[[section.item]]
key = "whole"
type = "integer"
label = "Geheel"

[[section.item]]
key = "part_a"
type = "integer"
label = "Deel a"

[[section.item]]
key = "part_b"
type = "integer"
label = "Deel b"

[[section.item]]
key = "meaning"
type = "yes_no"
label = "Betekenis"

[[section.item]]
key = "gone"
type = "yes_no"
label = "Weg"
"#;

const NEW: &str = r#"
identifier = "t"
version = "2"
previous_version = "1"
title = "Nieuw"
introduction = "."

[[section]]
key = "a"
title = "A"

[[section.item]]
key = "same"
type = "yes_no"
label = "Zelfde"
lineage = "unchanged"

[[section.item]]
key = "new_name"
type = "integer"
label = "Nieuwe naam"
lineage = { renamed_from = "old_name" }

[[section.item]]
key = "plan"
type = "single_choice"
label = "Plan"
options = [
  { code = "concept", label = "Concept" },
  { code = "vastgesteld", label = "Vastgesteld" },
]
lineage = { recoded = { concept = "concept", college = "vastgesteld", raad = "vastgesteld" } }

[[section.item]]
key = "whole_x"
type = "integer"
label = "Deel x"
lineage = { split_from = "whole" }

[[section.item]]
key = "parts"
type = "integer"
label = "Samen"
lineage = { merged_from = ["part_a", "part_b"] }

[[section.item]]
key = "meaning"
type = "yes_no"
label = "Betekenis"
lineage = { changed_meaning = "andere peildatum" }

[[section.item]]
key = "fresh"
type = "yes_no"
label = "Vers"
lineage = "new"

[[removed]]
key = "gone"
reason = "Vervallen."
"#;

fn versions() -> (Questionnaire, Questionnaire) {
    let old = load(OLD, None).expect("old loads");
    let new = load(NEW, Some(&old)).expect("new loads");
    (old, new)
}

fn code(c: &str) -> Answer {
    Answer::Given(AnswerValue::Code(c.to_string()))
}

fn old_answers() -> HashMap<String, Answer> {
    HashMap::from([
        ("same".to_string(), code("ja")),
        (
            "old_name".to_string(),
            Answer::Given(AnswerValue::Integer(7)),
        ),
        ("plan".to_string(), code("raad")),
        ("whole".to_string(), Answer::Given(AnswerValue::Integer(10))),
        ("part_a".to_string(), Answer::Given(AnswerValue::Integer(1))),
        ("part_b".to_string(), Answer::Given(AnswerValue::Integer(2))),
        ("meaning".to_string(), code("nee")),
        ("gone".to_string(), code("ja")),
    ])
}

#[test]
fn lineage_decides_what_is_compared() {
    let (old, new) = versions();
    let mapping = VersionMapping::new(&[&old, &new]);
    let answers = old_answers();
    assert_eq!(
        mapping.answer("same", &answers),
        Some(code("ja")),
        "unchanged"
    );
    assert_eq!(
        mapping.answer("new_name", &answers),
        Some(Answer::Given(AnswerValue::Integer(7))),
        "renamed"
    );
    assert_eq!(
        mapping.answer("plan", &answers),
        Some(code("vastgesteld")),
        "recoded"
    );
    for (key, why) in [
        ("whole_x", "afgesplitst"),
        ("parts", "samengevoegd"),
        ("meaning", "betekenis gewijzigd"),
    ] {
        assert_eq!(mapping.answer(key, &answers), None, "{key}");
        assert!(
            matches!(mapping.counterpart(key), Counterpart::NotComparable(text) if text.contains(why)),
            "{key}"
        );
    }
    assert_eq!(mapping.counterpart("fresh"), Counterpart::New);
    assert_eq!(mapping.answer("fresh", &answers), None);
    // The removed item has no counterpart in the new version at all.
    assert!(!mapping.answers(&answers).contains_key("gone"));
    assert_eq!(mapping.answers(&answers).len(), 3);
}

#[test]
fn the_same_version_compares_every_item_with_itself() {
    let (_, new) = versions();
    let mapping = VersionMapping::new(&[&new, &new]);
    let answers = HashMap::from([("fresh".to_string(), code("nee"))]);
    assert_eq!(mapping.answer("fresh", &answers), Some(code("nee")));
    assert!(mapping.counterpart("meaning").is_comparable());
}

#[test]
fn explicit_non_answers_and_unknown_codes() {
    let (old, new) = versions();
    let mapping = VersionMapping::new(&[&old, &new]);
    let answers = HashMap::from([
        ("same".to_string(), Answer::Unknown),
        ("plan".to_string(), code("bestaat_niet")),
    ]);
    assert_eq!(mapping.answer("same", &answers), Some(Answer::Unknown));
    assert_eq!(mapping.answer("plan", &answers), None);
}

#[test]
fn raw_input_is_taken_over_with_new_codes() {
    let (old, new) = versions();
    let mapping = VersionMapping::new(&[&old, &new]);
    let raw = |values: &[&str]| RawAnswer {
        values: values.iter().map(|v| v.to_string()).collect(),
        ..RawAnswer::default()
    };
    let compared = HashMap::from([
        ("plan".to_string(), raw(&["college"])),
        ("old_name".to_string(), raw(&["12"])),
        ("meaning".to_string(), raw(&["ja"])),
        ("same".to_string(), raw(&[""])),
    ]);
    assert_eq!(mapping.raw("plan", &compared), Some(raw(&["vastgesteld"])));
    assert_eq!(mapping.raw("new_name", &compared), Some(raw(&["12"])));
    assert_eq!(mapping.raw("meaning", &compared), None, "changed meaning");
    assert_eq!(mapping.raw("same", &compared), None, "blank");
}

#[test]
fn versions_that_do_not_follow_each_other_are_not_compared() {
    let (old, new) = versions();
    let mut stranger = old.clone();
    stranger.version = "0".to_string();
    let mapping = VersionMapping::new(&[&stranger, &new]);
    assert!(!mapping.counterpart("same").is_comparable());
}

#[test]
fn multiple_choice_is_the_same_in_any_order() {
    let a = Answer::Given(AnswerValue::Codes(vec!["x".into(), "y".into()]));
    let b = Answer::Given(AnswerValue::Codes(vec!["y".into(), "x".into()]));
    assert!(same_answer(&a, &b));
    assert!(!same_answer(&a, &Answer::Unknown));
}

#[test]
fn the_changes_of_a_version_name_each_item_as_comparison_treats_it() {
    let (old, new) = versions();
    let changes = VersionChanges::between(&old, &new);
    let change = |key: &str| {
        changes
            .items
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.change.clone())
    };
    assert_eq!(change("same"), None, "unchanged items are only counted");
    assert_eq!(changes.unchanged, 1);
    assert_eq!(
        change("new_name"),
        Some(Change::Renamed {
            from: "old_name".into()
        })
    );
    let Some(Change::Recoded { from, codes }) = change("plan") else {
        panic!("plan is recoded: {changes:?}");
    };
    assert_eq!(from, "plan");
    assert!(codes.contains(&("raad".to_string(), "vastgesteld".to_string())));
    assert_eq!(change("fresh"), Some(Change::New));
    for key in ["whole_x", "parts", "meaning"] {
        assert!(
            matches!(change(key), Some(Change::NotCompared(_))),
            "{key}: {changes:?}"
        );
    }
    let removed: Vec<(&str, &str)> = changes
        .removed
        .iter()
        .map(|r| (r.key.as_str(), r.reason.as_str()))
        .collect();
    assert!(removed.contains(&("gone", "Vervallen.")), "{removed:?}");
    assert!(removed.contains(&("whole", "Opgegaan in whole_x (niet vergeleken).")));
    assert!(removed.contains(&("part_a", "Opgegaan in parts (niet vergeleken).")));
    assert!(!removed
        .iter()
        .any(|(key, _)| *key == "old_name" || *key == "plan"));
    assert!(!changes.is_empty());
}

#[test]
fn an_edited_question_is_still_compared_and_says_what_was_edited() {
    let (old, mut new) = versions();
    let same = new.sections[0]
        .items
        .iter_mut()
        .find(|i| i.key == "same")
        .expect("fixture");
    same.label = "Zelfde, anders gezegd".into();
    same.required = true;
    let changes = VersionChanges::between(&old, &new);
    let edited = changes
        .items
        .iter()
        .find(|c| c.key == "same")
        .expect("listed");
    assert_eq!(
        edited.change,
        Change::Edited(vec![
            "vraagtekst".into(),
            "verplicht, onbekend of n.v.t.".into()
        ])
    );
    assert!(VersionMapping::new(&[&old, &new])
        .counterpart("same")
        .is_comparable());
}
