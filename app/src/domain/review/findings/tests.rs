use super::*;
use crate::domain::attribution::Attribution;
use crate::domain::questionnaire::answer::{Answer, AnswerValue};
use crate::domain::questionnaire::completeness::{evaluate, ResponseAnswers};
use crate::domain::questionnaire::load::load;
use crate::domain::review::{CommentMessage, ReviewStatus};
use crate::domain::role::Role;

const DEFINITION: &str = r#"
identifier = "test"
version = "1"
title = "Test"

[[section]]
key = "A"
title = "Plan"

[[section.item]]
key = "a_plan"
type = "yes_partly_no"
label = "Staat Wonen Eerst in het plan?"
required = true

[[section.item.rule]]
severity = "blocking"
check = "a_plan != 'nee' or answered(a_toelichting)"
message = "Licht toe waarom niet."

[[section.item]]
key = "a_toelichting"
type = "long_text"
label = "Toelichting"
visible_if = "a_plan == 'nee'"

[[section]]
key = "B"
title = "Plekken"

[[section.item]]
key = "b_plekken"
type = "integer"
label = "Hoeveel plekken?"
required = true

[[section.item.rule]]
severity = "warning"
check = "b_plekken < 1000"
message = "Meer dan 1000 plekken: klopt dat?"

[[section.item]]
key = "b_doel"
type = "yes_no"
label = "Is er een doel?"
required = true

[[section.item]]
key = "b_datum"
type = "date"
label = "Sinds wanneer?"
required = true
"#;

fn given(value: AnswerValue) -> Answer {
    Answer::Given(value)
}

fn thread(id: &str, item_key: &str, body: &str, resolved: bool) -> CommentThread {
    CommentThread {
        id: id.to_string(),
        item_key: item_key.to_string(),
        resolved: resolved.then(|| Attribution::new("Reviewer", 2)),
        messages: vec![CommentMessage {
            author: "Rita Reviewer".to_string(),
            author_role: Role::Reviewer,
            body: body.to_string(),
            at: 1,
        }],
    }
}

/// a_plan "nee" without the explanation (blocking), b_plekken 1500 (warning), b_doel taken
/// over and not confirmed, b_datum half typed (invalid).
fn example() -> (Questionnaire, Evaluation, HashSet<String>) {
    let questionnaire = load(DEFINITION, None).unwrap();
    let index = questionnaire.index().unwrap();
    let mut answers = ResponseAnswers::default();
    answers.add_stored(
        "a_plan",
        Some(&given(AnswerValue::Code("nee".into()))),
        false,
        false,
    );
    answers.add_stored(
        "b_plekken",
        Some(&given(AnswerValue::Integer(1500))),
        false,
        false,
    );
    answers.add_stored(
        "b_doel",
        Some(&given(AnswerValue::Code("ja".into()))),
        false,
        true,
    );
    answers.add_stored("b_datum", None, false, false);
    let prefilled = answers.unconfirmed.clone();
    let evaluation = evaluate(&questionnaire, &index, &answers);
    (questionnaire, evaluation, prefilled)
}

fn keys(found: &[Finding], kind: FindingKind) -> Vec<&str> {
    found
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| f.item_key.as_str())
        .collect()
}

#[test]
fn every_open_point_is_listed_once_per_kind_in_questionnaire_order() {
    let (questionnaire, evaluation, prefilled) = example();
    let threads = [
        thread("t1", "b_plekken", "Klopt dit aantal?", false),
        thread("t2", "a_plan", "Al afgehandeld", true),
    ];
    let found = findings(&questionnaire, &evaluation, &prefilled, &threads);
    assert_eq!(keys(&found, FindingKind::Missing), ["b_doel", "b_datum"]);
    assert_eq!(keys(&found, FindingKind::Invalid), ["b_datum"]);
    assert_eq!(keys(&found, FindingKind::Blocking), ["a_plan"]);
    assert_eq!(keys(&found, FindingKind::Warning), ["b_plekken"]);
    assert_eq!(keys(&found, FindingKind::OpenComment), ["b_plekken"]);
    // Listed by kind, in the order of FindingKind::ALL.
    let kinds: Vec<FindingKind> = found.iter().map(|f| f.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);

    let doel = found.iter().find(|f| f.item_key == "b_doel").unwrap();
    assert_eq!(
        doel.detail.as_deref(),
        Some("Overgenomen uit de vorige meting en nog niet bevestigd.")
    );
    assert_eq!(doel.section_title, "Plekken");
    let blocking = found
        .iter()
        .find(|f| f.kind == FindingKind::Blocking)
        .unwrap();
    assert_eq!(blocking.detail.as_deref(), Some("Licht toe waarom niet."));
    let comment = found
        .iter()
        .find(|f| f.kind == FindingKind::OpenComment)
        .unwrap();
    assert_eq!(
        comment.detail.as_deref(),
        Some("Rita Reviewer: Klopt dit aantal?")
    );
    assert_eq!(comment.thread_id.as_deref(), Some("t1"));
}

#[test]
fn the_counts_are_the_overviews_counts() {
    let (questionnaire, evaluation, prefilled) = example();
    let found = findings(&questionnaire, &evaluation, &prefilled, &[]);
    let per_kind: std::collections::HashMap<FindingKind, usize> =
        count_per_kind(&found).into_iter().collect();
    let overall = &evaluation.overall;
    assert_eq!(
        per_kind[&FindingKind::Missing],
        overall.required - overall.complete
    );
    // The overview's "Fouten" are invalid items and broken blocking rules together.
    assert_eq!(
        per_kind[&FindingKind::Invalid] + per_kind[&FindingKind::Blocking],
        overall.invalid + overall.blocking
    );
    assert_eq!(per_kind[&FindingKind::Warning], overall.warnings);
}

#[test]
fn an_empty_response_misses_only_its_visible_required_items() {
    let questionnaire = load(DEFINITION, None).unwrap();
    let index = questionnaire.index().unwrap();
    let evaluation = evaluate(&questionnaire, &index, &ResponseAnswers::default());
    let found = findings(&questionnaire, &evaluation, &HashSet::new(), &[]);
    // a_toelichting is hidden and optional; nothing else than missing answers.
    assert_eq!(
        keys(&found, FindingKind::Missing),
        ["a_plan", "b_plekken", "b_doel", "b_datum"]
    );
    assert!(found
        .iter()
        .all(|f| f.kind == FindingKind::Missing && f.detail.is_none()));
}

#[test]
fn a_comment_on_an_item_hidden_now_is_still_listed_and_marked() {
    let questionnaire = load(DEFINITION, None).unwrap();
    let index = questionnaire.index().unwrap();
    let evaluation = evaluate(&questionnaire, &index, &ResponseAnswers::default());
    let long = "x".repeat(QUOTE_CHARS + 10);
    let threads = [thread("t9", "a_toelichting", &long, false)];
    let found = findings(&questionnaire, &evaluation, &HashSet::new(), &threads);
    let comment = found
        .iter()
        .find(|f| f.kind == FindingKind::OpenComment)
        .unwrap();
    assert!(comment.hidden);
    let detail = comment.detail.as_deref().unwrap();
    assert!(detail.ends_with('…'));
    assert_eq!(
        detail.chars().count(),
        "Rita Reviewer: ".len() + QUOTE_CHARS + 1
    );
}

#[test]
fn the_problem_filter_follows_the_overview_columns() {
    let mut row = OverviewRow::new("R01", "Regio", ReviewStatus::Busy, 3, 3);
    assert!(ProblemFilter::ALL.into_iter().all(|f| !f.matches(&row)));
    row.complete = 2;
    row.warnings = 1;
    assert!(ProblemFilter::Missing.matches(&row));
    assert!(ProblemFilter::Warnings.matches(&row));
    assert!(!ProblemFilter::Errors.matches(&row));
    assert!(!ProblemFilter::OpenComments.matches(&row));
    for filter in ProblemFilter::ALL {
        assert_eq!(ProblemFilter::from_code(filter.code()), Some(filter));
    }
    assert_eq!(ProblemFilter::from_code("alles"), None);
}
