use super::*;
use crate::domain::questionnaire::model::Lineage;

fn item(kind: ItemKind) -> Item {
    Item {
        key: "x".into(),
        kind,
        label: "Vraag".into(),
        help: None,
        unit: None,
        required: true,
        allow_unknown: true,
        allow_not_applicable: false,
        indicator: None,
        indicator_counts: Vec::new(),
        public: true,
        visible_if: None,
        rules: vec![],
        lineage: Lineage::Original,
    }
}

fn choices(codes: &[&str]) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice {
            code: c.to_string(),
            label: c.to_uppercase(),
        })
        .collect()
}

fn raw(values: &[&str]) -> RawAnswer {
    RawAnswer {
        values: values.iter().map(|v| v.to_string()).collect(),
        ..RawAnswer::default()
    }
}

fn given(kind: ItemKind, values: &[&str]) -> Result<Option<Answer>, Vec<String>> {
    parse_answer(&item(kind), &raw(values))
}

fn ok(value: AnswerValue) -> Result<Option<Answer>, Vec<String>> {
    Ok(Some(Answer::Given(value)))
}

#[test]
fn every_type_parses_valid_input() {
    let code = |c: &str| AnswerValue::Code(c.into());
    assert_eq!(given(ItemKind::YesNo, &["ja"]), ok(code("ja")));
    assert_eq!(given(ItemKind::YesPartlyNo, &["deels"]), ok(code("deels")));
    let options = choices(&["a", "b", "c"]);
    assert_eq!(
        given(
            ItemKind::SingleChoice {
                options: options.clone()
            },
            &["b"]
        ),
        ok(code("b"))
    );
    assert_eq!(
        given(
            ItemKind::MultipleChoice {
                options: options.clone(),
                min_selected: None,
                max_selected: None
            },
            &["c", "a", "a"]
        ),
        ok(AnswerValue::Codes(vec!["a".into(), "c".into()]))
    );
    assert_eq!(
        given(
            ItemKind::Ranking {
                options: options.clone(),
                rank: 2
            },
            &["c", "a"]
        ),
        ok(AnswerValue::Codes(vec!["c".into(), "a".into()]))
    );
    assert_eq!(
        given(
            ItemKind::Integer {
                min: Some(0),
                max: None
            },
            &["1.234"]
        ),
        ok(AnswerValue::Integer(1234))
    );
    assert_eq!(
        given(
            ItemKind::Integer {
                min: None,
                max: None
            },
            &[" 12 "]
        ),
        ok(AnswerValue::Integer(12))
    );
    assert_eq!(
        given(
            ItemKind::Decimal {
                min: None,
                max: None,
                decimals: Some(1)
            },
            &["12,5"]
        ),
        ok(AnswerValue::Number(12.5))
    );
    assert_eq!(
        given(ItemKind::Percentage { decimals: None }, &["99.5"]),
        ok(AnswerValue::Number(99.5))
    );
    assert_eq!(
        given(
            ItemKind::Scale {
                min_label: None,
                max_label: None
            },
            &["4"]
        ),
        ok(AnswerValue::Number(4.0))
    );
    assert_eq!(
        given(ItemKind::ShortText { max_length: 10 }, &[" kort "]),
        ok(AnswerValue::Text("kort".into()))
    );
    assert_eq!(
        given(
            ItemKind::LongText { max_length: 100 },
            &["regel 1\nregel 2"]
        ),
        ok(AnswerValue::Text("regel 1\nregel 2".into()))
    );
    assert_eq!(
        given(
            ItemKind::Date {
                min: None,
                max: None
            },
            &["2024-02-29"]
        ),
        ok(AnswerValue::Date("2024-02-29".into()))
    );
    assert_eq!(
        given(
            ItemKind::Date {
                min: None,
                max: None
            },
            &["1-7-2026"]
        ),
        ok(AnswerValue::Date("2026-07-01".into()))
    );
    let matrix = item(ItemKind::Matrix {
        rows: choices(&["mo", "ggz"]),
        cell: CellKind::YesPartlyNo,
    });
    let mut cells = RawAnswer::default();
    cells.rows.insert("mo".into(), "ja".into());
    cells.rows.insert("ggz".into(), "".into());
    assert_eq!(
        parse_answer(&matrix, &cells),
        ok(AnswerValue::Rows(BTreeMap::from([(
            "mo".to_string(),
            code("ja")
        )])))
    );
}

#[test]
fn every_type_refuses_invalid_input_in_dutch() {
    let options = choices(&["a", "b", "c"]);
    let table: Vec<(ItemKind, Vec<&str>, &str)> = vec![
        (ItemKind::YesNo, vec!["deels"], "geen van de keuzes"),
        (ItemKind::YesNo, vec!["ja", "nee"], "één antwoord"),
        (
            ItemKind::SingleChoice {
                options: options.clone(),
            },
            vec!["z"],
            "geen van de keuzes",
        ),
        (
            ItemKind::MultipleChoice {
                options: options.clone(),
                min_selected: Some(2),
                max_selected: None,
            },
            vec!["a"],
            "minstens 2",
        ),
        (
            ItemKind::MultipleChoice {
                options: options.clone(),
                min_selected: None,
                max_selected: Some(1),
            },
            vec!["a", "b"],
            "hoogstens 1",
        ),
        (
            ItemKind::Ranking {
                options: options.clone(),
                rank: 2,
            },
            vec!["a", "a"],
            "twee keer",
        ),
        (
            ItemKind::Ranking {
                options: options.clone(),
                rank: 2,
            },
            vec!["a"],
            "Kies er 2",
        ),
        (
            ItemKind::Ranking {
                options: options.clone(),
                rank: 2,
            },
            vec!["a", "b", "c"],
            "hoogstens 2",
        ),
        (
            ItemKind::Integer {
                min: None,
                max: None,
            },
            vec!["12,5"],
            "heel getal",
        ),
        (
            ItemKind::Integer {
                min: None,
                max: None,
            },
            vec!["twaalf"],
            "heel getal",
        ),
        (
            ItemKind::Integer {
                min: None,
                max: None,
            },
            vec!["99999999999999999999"],
            "heel getal",
        ),
        (
            ItemKind::Integer {
                min: Some(0),
                max: Some(10),
            },
            vec!["11"],
            "van 0 tot en met 10",
        ),
        (
            ItemKind::Integer {
                min: Some(0),
                max: None,
            },
            vec!["-1"],
            "0 of meer",
        ),
        (
            ItemKind::Decimal {
                min: None,
                max: Some(5.5),
                decimals: None,
            },
            vec!["6"],
            "5,5 of minder",
        ),
        (
            ItemKind::Decimal {
                min: None,
                max: None,
                decimals: Some(1),
            },
            vec!["1,25"],
            "hoogstens 1 cijfers",
        ),
        (
            ItemKind::Decimal {
                min: None,
                max: None,
                decimals: None,
            },
            vec!["1,2,3"],
            "Vul een getal in",
        ),
        (
            ItemKind::Decimal {
                min: None,
                max: None,
                decimals: None,
            },
            vec!["1e400"],
            "Vul een getal in",
        ),
        (
            ItemKind::Percentage { decimals: None },
            vec!["101"],
            "0 tot en met 100",
        ),
        (
            ItemKind::Scale {
                min_label: None,
                max_label: None,
            },
            vec!["6"],
            "1 tot en met 5",
        ),
        (
            ItemKind::ShortText { max_length: 3 },
            vec!["vier"],
            "hoogstens 3 tekens",
        ),
        (
            ItemKind::ShortText { max_length: 30 },
            vec!["een\ntwee"],
            "één regel",
        ),
        (
            ItemKind::Date {
                min: None,
                max: None,
            },
            vec!["2025-02-29"],
            "bestaande datum",
        ),
        (
            ItemKind::Date {
                min: None,
                max: None,
            },
            vec!["gisteren"],
            "bestaande datum",
        ),
        (
            ItemKind::Date {
                min: Some("2026-01-01".into()),
                max: None,
            },
            vec!["2025-12-31"],
            "tussen",
        ),
    ];
    for (kind, values, fragment) in table {
        let name = kind.type_name();
        let messages = given(kind, &values).unwrap_err();
        assert!(
            messages.iter().any(|m| m.contains(fragment)),
            "{name} {values:?}: {messages:?}"
        );
    }
    let matrix = item(ItemKind::Matrix {
        rows: choices(&["mo"]),
        cell: CellKind::Integer {
            min: Some(0),
            max: None,
        },
    });
    let mut cells = RawAnswer::default();
    cells.rows.insert("onbekend_rij".into(), "1".into());
    cells.rows.insert("mo".into(), "-3".into());
    let messages = parse_answer(&matrix, &cells).unwrap_err();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("MO: ")));
}

#[test]
fn empty_input_and_explicit_non_answers() {
    assert_eq!(given(ItemKind::YesNo, &["  "]), Ok(None));
    assert_eq!(given(ItemKind::YesNo, &[]), Ok(None));
    let unknown = RawAnswer {
        special: Some("onbekend".into()),
        ..RawAnswer::default()
    };
    assert_eq!(
        parse_answer(&item(ItemKind::YesNo), &unknown),
        Ok(Some(Answer::Unknown))
    );
    let not_applicable = RawAnswer {
        special: Some("nvt".into()),
        ..RawAnswer::default()
    };
    assert!(
        parse_answer(&item(ItemKind::YesNo), &not_applicable).unwrap_err()[0]
            .contains("niet van toepassing")
    );
    let bogus = RawAnswer {
        special: Some("misschien".into()),
        ..RawAnswer::default()
    };
    assert!(parse_answer(&item(ItemKind::YesNo), &bogus).is_err());
}
