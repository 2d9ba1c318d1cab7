use super::*;
use crate::domain::questionnaire::answer::AnswerValue;
use crate::domain::questionnaire::expr::Expr;
use crate::domain::questionnaire::model::*;

fn condition(source: &str) -> Condition {
    Condition {
        source: source.into(),
        expr: Expr::parse(source).unwrap(),
    }
}

fn item(key: &str, kind: ItemKind, required: bool, visible_if: Option<&str>) -> Item {
    Item {
        key: key.into(),
        kind,
        label: key.into(),
        help: None,
        unit: None,
        required,
        allow_unknown: true,
        allow_not_applicable: true,
        indicator: None,
        visible_if: visible_if.map(condition),
        rules: vec![],
        lineage: Lineage::Original,
    }
}

/// Section A: plan (required), plan date (required, only when there is a plan),
/// explanation (required when plan is nee or deels). Section B: total and parts (the
/// parts may not exceed the total; warn on a change over 50%). Section C: only when
/// the plan is 'ja'.
fn questionnaire() -> Questionnaire {
    let mut explanation = item(
        "a_toelichting",
        ItemKind::LongText { max_length: 100 },
        true,
        Some("a_plan in ['nee', 'deels']"),
    );
    explanation.allow_unknown = false;
    let mut total = item(
        "b_totaal",
        ItemKind::Integer {
            min: Some(0),
            max: None,
        },
        true,
        None,
    );
    total.rules.push(Rule {
        severity: Severity::Warning,
        check: condition("change_pct(b_totaal) <= 50"),
        message: "Grote verandering".into(),
    });
    let mut part = item(
        "b_deel",
        ItemKind::Integer {
            min: Some(0),
            max: None,
        },
        false,
        None,
    );
    part.rules.push(Rule {
        severity: Severity::Blocking,
        check: condition("b_deel <= b_totaal"),
        message: "Het deel is groter dan het totaal".into(),
    });
    Questionnaire {
        identifier: "t".into(),
        version: "1".into(),
        title: "T".into(),
        introduction: String::new(),
        previous_version: None,
        sections: vec![
            Section {
                key: "A".into(),
                title: "A".into(),
                intro: None,
                items: vec![
                    item("a_plan", ItemKind::YesPartlyNo, true, None),
                    item(
                        "a_datum",
                        ItemKind::Date {
                            min: None,
                            max: None,
                        },
                        true,
                        Some("a_plan == 'ja'"),
                    ),
                    explanation,
                ],
            },
            Section {
                key: "B".into(),
                title: "B".into(),
                intro: None,
                items: vec![total, part],
            },
            Section {
                key: "C".into(),
                title: "C".into(),
                intro: None,
                items: vec![item(
                    "c_extra",
                    ItemKind::YesNo,
                    true,
                    Some("a_datum > '2020-01-01'"),
                )],
            },
        ],
        removed: vec![],
    }
}

fn given(value: AnswerValue) -> Answer {
    Answer::Given(value)
}

fn run(answers: &ResponseAnswers) -> Evaluation {
    let q = questionnaire();
    let index = q.index().unwrap();
    evaluate(&q, &index, answers)
}

fn summary(
    evaluation: &Evaluation,
    key: &str,
) -> (SectionStatus, usize, usize, usize, usize, usize) {
    let s = evaluation.sections.iter().find(|s| s.key == key).unwrap();
    (
        s.status,
        s.counts.required,
        s.counts.complete,
        s.counts.hidden,
        s.counts.blocking,
        s.counts.warnings,
    )
}

#[test]
fn an_empty_response() {
    let e = run(&ResponseAnswers::default());
    // a_plan required and visible; a_datum and a_toelichting hidden (a_plan missing).
    assert_eq!(summary(&e, "A"), (SectionStatus::NotStarted, 1, 0, 2, 0, 0));
    assert_eq!(summary(&e, "B"), (SectionStatus::NotStarted, 1, 0, 0, 0, 0));
    assert_eq!(
        summary(&e, "C"),
        (SectionStatus::NotApplicable, 0, 0, 1, 0, 0)
    );
    assert_eq!(e.overall.required, 2);
    assert!(!e.overall.may_submit());
}

#[test]
fn answers_taken_over_steer_conditions_but_count_only_when_confirmed() {
    let mut answers = ResponseAnswers::default();
    answers
        .current
        .insert("a_plan".into(), given(AnswerValue::Code("ja".into())));
    answers.unconfirmed.insert("a_plan".into());
    let e = run(&answers);
    assert_eq!(e.items["a_plan"].status, ItemStatus::Missing);
    // a_datum appears because of the taken-over answer.
    assert_ne!(e.items["a_datum"].status, ItemStatus::Hidden);
    answers.unconfirmed.clear();
    assert_eq!(run(&answers).items["a_plan"].status, ItemStatus::Answered);
}

#[test]
fn conditions_chain_and_hidden_items_do_not_count() {
    let mut answers = ResponseAnswers::default();
    answers
        .current
        .insert("a_plan".into(), given(AnswerValue::Code("ja".into())));
    let e = run(&answers);
    // a_datum now visible and required; c_extra still hidden (a_datum missing).
    assert_eq!(summary(&e, "A"), (SectionStatus::InProgress, 2, 1, 1, 0, 0));
    assert_eq!(e.items["c_extra"].status, ItemStatus::Hidden);

    answers.current.insert(
        "a_datum".into(),
        given(AnswerValue::Date("2025-06-01".into())),
    );
    // An answer to a hidden item is kept but does not count.
    answers
        .current
        .insert("a_toelichting".into(), given(AnswerValue::Text("x".into())));
    let e = run(&answers);
    assert_eq!(summary(&e, "A"), (SectionStatus::Complete, 2, 2, 1, 0, 0));
    assert_eq!(summary(&e, "C"), (SectionStatus::NotStarted, 1, 0, 0, 0, 0));
}

#[test]
fn explicit_non_answers_complete_and_rules_block_or_warn() {
    let mut answers = ResponseAnswers::default();
    answers
        .current
        .insert("a_plan".into(), given(AnswerValue::Code("deels".into())));
    answers
        .current
        .insert("a_toelichting".into(), Answer::NotApplicable);
    answers
        .current
        .insert("b_totaal".into(), given(AnswerValue::Integer(10)));
    answers
        .current
        .insert("b_deel".into(), given(AnswerValue::Integer(12)));
    answers
        .previous
        .insert("b_totaal".into(), given(AnswerValue::Integer(4)));
    let e = run(&answers);
    assert_eq!(summary(&e, "A"), (SectionStatus::Complete, 2, 2, 1, 0, 0));
    assert_eq!(summary(&e, "B"), (SectionStatus::HasErrors, 1, 1, 0, 1, 1));
    assert_eq!(
        e.items["b_deel"].blocking,
        vec!["Het deel is groter dan het totaal"]
    );
    assert_eq!(e.items["b_totaal"].warnings, vec!["Grote verandering"]);
    assert_eq!(e.overall.percent_complete(), 100);
    assert!(
        !e.overall.may_submit(),
        "a blocking rule prevents submitting"
    );

    answers.current.insert("b_deel".into(), Answer::Unknown);
    let e = run(&answers);
    assert_eq!(summary(&e, "B").4, 0, "an undetermined check does not fire");
    assert!(e.overall.may_submit(), "warnings do not prevent submitting");
}

#[test]
fn invalid_input_blocks() {
    let mut answers = ResponseAnswers::default();
    answers.invalid.insert("b_totaal".into());
    let e = run(&answers);
    assert_eq!(e.items["b_totaal"].status, ItemStatus::Invalid);
    assert_eq!(summary(&e, "B").0, SectionStatus::HasErrors);
}

#[test]
fn updating_one_answer_gives_the_same_result_as_evaluating_everything() {
    let q = questionnaire();
    let index = q.index().unwrap();
    let mut answers = ResponseAnswers::default();
    let mut incremental = evaluate(&q, &index, &answers);
    let steps: Vec<(&str, Option<Answer>)> = vec![
        ("a_plan", Some(given(AnswerValue::Code("ja".into())))),
        (
            "a_datum",
            Some(given(AnswerValue::Date("2024-01-01".into()))),
        ),
        ("c_extra", Some(given(AnswerValue::Code("nee".into())))),
        ("a_plan", Some(given(AnswerValue::Code("nee".into())))),
        ("b_deel", Some(given(AnswerValue::Integer(3)))),
        ("b_totaal", Some(given(AnswerValue::Integer(2)))),
        ("a_plan", None),
    ];
    for (key, answer) in steps {
        match answer {
            Some(answer) => answers.current.insert(key.into(), answer),
            None => answers.current.remove(key),
        };
        incremental.update(&q, &index, &answers, key);
        assert_eq!(
            incremental,
            evaluate(&q, &index, &answers),
            "after changing {key}"
        );
    }
    assert_eq!(
        affected_by(&index, "a_plan"),
        BTreeSet::from(["a_plan", "a_datum", "a_toelichting", "c_extra"].map(String::from))
    );
}
