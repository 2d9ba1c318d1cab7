use super::*;
use crate::domain::questionnaire::answer::{parse_answer, AnswerValue, RawAnswer};
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
        programme: "nad".into(),
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
/// Both NAD versions: 2025-12 on its own, and 2026-06 with its lineage to it.
fn nad_questionnaires() -> [Questionnaire; 2] {
    let read = |name: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../questionnaires")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let previous = crate::domain::questionnaire::load::load(&read("nad-2025-12.toml"), None)
        .expect("the 2025-12 version loads");
    let current =
        crate::domain::questionnaire::load::load(&read("nad-2026-06.toml"), Some(&previous))
            .expect("the 2026-06 version loads");
    [previous, current]
}

/// Inputs a person may leave in an item: each of its codes, numbers (at and beyond the
/// bounds rules check), dates, texts, "onbekend", "n.v.t.", and input caught mid-typing ("-",
/// "1e", half a date) that does not parse.
fn possible_inputs(item: &Item) -> Vec<RawAnswer> {
    let mut values: Vec<String> = item.kind.codes().unwrap_or_default();
    values.extend(
        [
            "0",
            "3",
            "40",
            "100",
            "250",
            "1000",
            "-",
            "1e",
            "2026-1",
            "2025-06-01",
            "2026-12-31",
            "tekst",
        ]
        .map(String::from),
    );
    let mut raws: Vec<RawAnswer> = values
        .iter()
        .map(|value| match &item.kind {
            // Every row of a matrix the same value.
            ItemKind::Matrix { rows, .. } => RawAnswer {
                rows: rows
                    .iter()
                    .map(|row| (row.code.clone(), value.clone()))
                    .collect(),
                ..RawAnswer::default()
            },
            _ => RawAnswer {
                values: vec![value.clone()],
                ..RawAnswer::default()
            },
        })
        .collect();
    for special in ["onbekend", "nvt"] {
        raws.push(RawAnswer {
            special: Some(special.into()),
            ..RawAnswer::default()
        });
    }
    raws
}

/// Answers an item may have: what its possible inputs parse to.
fn possible_answers(item: &Item) -> Vec<Answer> {
    possible_inputs(item)
        .iter()
        .filter_map(|raw| parse_answer(item, raw).ok().flatten())
        .collect()
}

/// A random response: per item an input of this round (or none) and an answer of the
/// compared round (or none), as `picks` choose them.
struct RandomResponse {
    inputs: HashMap<String, RawAnswer>,
    previous: HashMap<String, Answer>,
}

impl RandomResponse {
    fn new(q: &Questionnaire, picks: &[(u8, u8)]) -> Self {
        let mut response = RandomResponse {
            inputs: HashMap::new(),
            previous: HashMap::new(),
        };
        for (item, (now, then)) in q.items().zip(picks) {
            // A pick past the possible inputs leaves the item unanswered.
            if let Some(raw) = possible_inputs(item).get(usize::from(*now)) {
                response.inputs.insert(item.key.clone(), raw.clone());
            }
            if let Some(answer) = possible_answers(item).get(usize::from(*then)) {
                response.previous.insert(item.key.clone(), answer.clone());
            }
        }
        response
    }

    /// As the server evaluates it: every stored input, valid or not.
    fn on_the_server(&self, q: &Questionnaire) -> ResponseAnswers {
        let mut answers = ResponseAnswers::default();
        for item in q.items() {
            if let Some(raw) = self.inputs.get(&item.key) {
                let value = parse_answer(item, raw).ok().flatten();
                answers.add_stored(&item.key, value.as_ref(), raw.is_blank(), false);
            }
        }
        answers.previous = self.previous.clone();
        answers
    }

    /// As the section form evaluates it in the browser: the valid answers the page carries
    /// (only those its questions' conditions and rules read), then each of the section's
    /// own inputs as the form reads it.
    fn in_the_browser(
        &self,
        server: &ResponseAnswers,
        section: &Section,
        inputs: &BTreeSet<String>,
    ) -> ResponseAnswers {
        let only = |map: &HashMap<String, Answer>| -> HashMap<String, Answer> {
            map.iter()
                .filter(|(key, _)| inputs.contains(*key))
                .map(|(key, answer)| (key.clone(), answer.clone()))
                .collect()
        };
        let mut answers = ResponseAnswers {
            current: only(&server.current),
            previous: only(&server.previous),
            ..ResponseAnswers::default()
        };
        for item in &section.items {
            let raw = self.inputs.get(&item.key).cloned().unwrap_or_default();
            answers.set_input(&item.key, &parse_answer(item, &raw));
        }
        answers
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// The section form evaluates its questions in the browser with only the answers their
    /// conditions and rules read (`evaluation_inputs`) and the section's own inputs; for every
    /// item of both NAD versions it must show, hide, block and warn exactly as the server does
    /// with all answers.
    #[test]
    fn the_browser_and_the_server_evaluate_every_rule_alike(
        picks in proptest::collection::vec((0u8..24, 0u8..24), 200),
    ) {
        for q in nad_questionnaires() {
            let index = q.index().unwrap();
            let response = RandomResponse::new(&q, &picks);
            let server = response.on_the_server(&q);
            let everything = evaluate(&q, &index, &server);
            for section in &q.sections {
                let keys = section.items.iter().map(|item| item.key.as_str());
                let inputs = evaluation_inputs(&q, &index, keys);
                let browser = response.in_the_browser(&server, section, &inputs);
                let partial = evaluate(&q, &index, &browser);
                for item in &section.items {
                    let (seen, truth) = (&partial.items[&item.key], &everything.items[&item.key]);
                    let hidden = |state: &ItemState| state.status == ItemStatus::Hidden;
                    proptest::prop_assert_eq!(hidden(seen), hidden(truth), "{} shown", &item.key);
                    proptest::prop_assert_eq!(&seen.blocking, &truth.blocking, "{} blocks", &item.key);
                    proptest::prop_assert_eq!(&seen.warnings, &truth.warnings, "{} warns", &item.key);
                }
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
        programme: "nad".into(),
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
        evaluation_inputs(&q, &index, ["c_plan"]),
        BTreeSet::from(["a_plan", "b_plan"].map(String::from)),
        "b_plan counts only when a_plan shows it"
    );
    assert!(evaluation_inputs(&q, &index, ["a_plan"]).is_empty());
}
