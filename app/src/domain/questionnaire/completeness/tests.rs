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
        indicator_counts: Vec::new(),
        public: true,
        visible_if: visible_if.map(condition),
        rules: vec![],
        lineage: Lineage::Original,
    }
}

fn section(key: &str, items: Vec<Item>) -> Section {
    Section {
        key: key.into(),
        title: key.into(),
        intro: None,
        items,
    }
}

fn rule(severity: Severity, check: &str, message: &str) -> Rule {
    Rule {
        severity,
        check: condition(check),
        message: message.into(),
    }
}

fn whole_number(key: &str, required: bool) -> Item {
    item(
        key,
        ItemKind::Integer {
            min: Some(0),
            max: None,
        },
        required,
        None,
    )
}

/// Section A: plan (required), plan date (required, only when there is a plan),
/// explanation (required when plan is nee or deels). Section B: total and parts (the
/// parts may not exceed the total; warn on a change over 50%). Section C: only when
/// the plan is 'ja'.
fn questionnaire() -> Questionnaire {
    Questionnaire {
        identifier: "t".into(),
        version: "1".into(),
        title: "T".into(),
        introduction: String::new(),
        previous_version: None,
        sections: vec![
            section("A", section_a()),
            section("B", section_b()),
            section(
                "C",
                vec![item(
                    "c_extra",
                    ItemKind::YesNo,
                    true,
                    Some("a_datum > '2020-01-01'"),
                )],
            ),
        ],
        removed: vec![],
    }
}

fn section_a() -> Vec<Item> {
    let mut explanation = item(
        "a_toelichting",
        ItemKind::LongText { max_length: 100 },
        true,
        Some("a_plan in ['nee', 'deels']"),
    );
    explanation.allow_unknown = false;
    vec![
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
    ]
}

fn section_b() -> Vec<Item> {
    let mut total = whole_number("b_totaal", true);
    total.rules.push(rule(
        Severity::Warning,
        "change_pct(b_totaal) <= 50",
        "Grote verandering",
    ));
    let mut part = whole_number("b_deel", false);
    part.rules.push(rule(
        Severity::Blocking,
        "b_deel <= b_totaal",
        "Het deel is groter dan het totaal",
    ));
    vec![total, part]
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

/// The NAD questionnaire of June 2026, as shipped.
fn nad_questionnaire() -> Questionnaire {
    let read = |name: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../questionnaires")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let previous = crate::domain::questionnaire::load::load(&read("nad-2025-12.toml"), None)
        .expect("the 2025-12 version loads");
    crate::domain::questionnaire::load::load(&read("nad-2026-06.toml"), Some(&previous))
        .expect("the 2026-06 version loads")
}

/// Answers an item may have: each of its codes, a few numbers and dates, "onbekend", "n.v.t.".
fn possible_answers(item: &Item) -> Vec<Answer> {
    use crate::domain::questionnaire::answer::{parse_answer, RawAnswer};
    let codes: Vec<String> = match &item.kind {
        ItemKind::YesNo => vec!["ja".into(), "nee".into()],
        ItemKind::YesPartlyNo => vec!["ja".into(), "deels".into(), "nee".into()],
        ItemKind::SingleChoice { options }
        | ItemKind::MultipleChoice { options, .. }
        | ItemKind::Ranking { options, .. } => options.iter().map(|o| o.code.clone()).collect(),
        _ => ["0", "3", "40", "100", "2025-06-01", "2026-12-31", "tekst"]
            .map(String::from)
            .to_vec(),
    };
    let mut raws: Vec<RawAnswer> = codes
        .into_iter()
        .map(|code| RawAnswer {
            values: vec![code],
            ..RawAnswer::default()
        })
        .collect();
    for special in ["onbekend", "nvt"] {
        raws.push(RawAnswer {
            special: Some(special.into()),
            ..RawAnswer::default()
        });
    }
    raws.iter()
        .filter_map(|raw| parse_answer(item, raw).ok().flatten())
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// The section form carries only the answers its questions' conditions read
    /// (`condition_inputs`); with those it must show and hide exactly what the server does
    /// with all answers.
    #[test]
    fn a_section_decides_its_conditions_with_only_their_inputs(
        picks in proptest::collection::vec((0u8..12, 0u8..12), 200),
    ) {
        let q = nad_questionnaire();
        let index = q.index().unwrap();
        let mut answers = ResponseAnswers::default();
        for (item, (now, then)) in q.items().zip(picks) {
            let possible = possible_answers(item);
            // A pick past the possible answers leaves the item unanswered.
            if let Some(answer) = possible.get(usize::from(now)) {
                answers.current.insert(item.key.clone(), answer.clone());
            }
            if let Some(answer) = possible.get(usize::from(then)) {
                answers.previous.insert(item.key.clone(), answer.clone());
            }
        }
        let everything = evaluate(&q, &index, &answers);
        for section in &q.sections {
            let keys = section.items.iter().map(|item| item.key.as_str());
            let inputs = condition_inputs(&q, &index, keys);
            let only = |map: &HashMap<String, Answer>| -> HashMap<String, Answer> {
                map.iter()
                    .filter(|(key, _)| inputs.contains(*key))
                    .map(|(key, answer)| (key.clone(), answer.clone()))
                    .collect()
            };
            let trimmed = ResponseAnswers {
                current: only(&answers.current),
                previous: only(&answers.previous),
                ..ResponseAnswers::default()
            };
            let partial = evaluate(&q, &index, &trimmed);
            for item in &section.items {
                let hidden = |e: &Evaluation| e.items[&item.key].status == ItemStatus::Hidden;
                proptest::prop_assert_eq!(
                    hidden(&partial),
                    hidden(&everything),
                    "{} in section {}",
                    &item.key,
                    &section.key
                );
            }
        }
    }
}

#[test]
fn a_condition_that_reads_a_conditional_item_in_another_section_takes_its_inputs_along() {
    let section = |key: &str, item: Item| Section {
        key: key.into(),
        title: key.into(),
        intro: None,
        items: vec![item],
    };
    let q = Questionnaire {
        identifier: "keten".into(),
        version: "1".into(),
        title: "Keten".into(),
        introduction: String::new(),
        previous_version: None,
        sections: vec![
            section("A", item("a_plan", ItemKind::YesNo, false, None)),
            section(
                "B",
                item("b_plan", ItemKind::YesNo, false, Some("a_plan in ['ja']")),
            ),
            section(
                "C",
                item("c_plan", ItemKind::YesNo, false, Some("b_plan in ['ja']")),
            ),
        ],
        removed: vec![],
    };
    let index = q.index().unwrap();
    assert_eq!(
        condition_inputs(&q, &index, ["c_plan"]),
        BTreeSet::from(["a_plan", "b_plan"].map(String::from)),
        "b_plan counts only when a_plan shows it"
    );
    assert!(condition_inputs(&q, &index, ["a_plan"]).is_empty());
}
