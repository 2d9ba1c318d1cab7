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

fn code(text: &str) -> AnswerValue {
    AnswerValue::Code(text.into())
}

fn codes(list: &[&str]) -> AnswerValue {
    AnswerValue::Codes(list.iter().map(|c| c.to_string()).collect())
}

fn integer(min: Option<i64>, max: Option<i64>) -> ItemKind {
    ItemKind::Integer { min, max }
}

fn decimal(max: Option<f64>, decimals: Option<u32>) -> ItemKind {
    ItemKind::Decimal {
        min: None,
        max,
        decimals,
    }
}

fn multiple(min_selected: Option<usize>, max_selected: Option<usize>) -> ItemKind {
    ItemKind::MultipleChoice {
        options: choices(&["a", "b", "c"]),
        min_selected,
        max_selected,
    }
}

fn single_choice() -> ItemKind {
    ItemKind::SingleChoice {
        options: choices(&["a", "b", "c"]),
    }
}

fn ranking(rank: usize) -> ItemKind {
    ItemKind::Ranking {
        options: choices(&["a", "b", "c"]),
        rank,
    }
}

fn scale() -> ItemKind {
    ItemKind::Scale {
        min_label: None,
        max_label: None,
    }
}

fn date(min: Option<&str>) -> ItemKind {
    ItemKind::Date {
        min: min.map(str::to_string),
        max: None,
    }
}

#[test]
fn every_type_parses_valid_input() {
    let table: Vec<(ItemKind, Vec<&str>, AnswerValue)> = vec![
        (ItemKind::YesNo, vec!["ja"], code("ja")),
        (ItemKind::YesPartlyNo, vec!["deels"], code("deels")),
        (single_choice(), vec!["b"], code("b")),
        (
            multiple(None, None),
            vec!["c", "a", "a"],
            codes(&["a", "c"]),
        ),
        (ranking(2), vec!["c", "a"], codes(&["c", "a"])),
        (
            integer(Some(0), None),
            vec!["1.234"],
            AnswerValue::Integer(1234),
        ),
        (integer(None, None), vec![" 12 "], AnswerValue::Integer(12)),
        (
            decimal(None, Some(1)),
            vec!["12,5"],
            AnswerValue::Number(12.5),
        ),
        (
            ItemKind::Percentage { decimals: None },
            vec!["99.5"],
            AnswerValue::Number(99.5),
        ),
        (scale(), vec!["4"], AnswerValue::Number(4.0)),
        (
            ItemKind::ShortText { max_length: 10 },
            vec![" kort "],
            AnswerValue::Text("kort".into()),
        ),
        (
            ItemKind::LongText { max_length: 100 },
            vec!["regel 1\nregel 2"],
            AnswerValue::Text("regel 1\nregel 2".into()),
        ),
        (
            date(None),
            vec!["2024-02-29"],
            AnswerValue::Date("2024-02-29".into()),
        ),
        (
            date(None),
            vec!["1-7-2026"],
            AnswerValue::Date("2026-07-01".into()),
        ),
    ];
    for (kind, values, value) in table {
        let name = kind.type_name();
        assert_eq!(given(kind, &values), ok(value), "{name} {values:?}");
    }
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
    let table: Vec<(ItemKind, Vec<&str>, &str)> = vec![
        (ItemKind::YesNo, vec!["deels"], "geen van de keuzes"),
        (ItemKind::YesNo, vec!["ja", "nee"], "één antwoord"),
        (single_choice(), vec!["z"], "geen van de keuzes"),
        (multiple(Some(2), None), vec!["a"], "minstens 2"),
        (multiple(None, Some(1)), vec!["a", "b"], "hoogstens 1"),
        (ranking(2), vec!["a", "a"], "twee keer"),
        (ranking(2), vec!["a"], "Kies er 2"),
        (ranking(2), vec!["a", "b", "c"], "hoogstens 2"),
        (integer(None, None), vec!["12,5"], "heel getal"),
        (integer(None, None), vec!["twaalf"], "heel getal"),
        (
            integer(None, None),
            vec!["99999999999999999999"],
            "heel getal",
        ),
        (
            integer(Some(0), Some(10)),
            vec!["11"],
            "van 0 tot en met 10",
        ),
        (integer(Some(0), None), vec!["-1"], "0 of meer"),
        (decimal(Some(5.5), None), vec!["6"], "5,5 of minder"),
        (decimal(None, Some(1)), vec!["1,25"], "hoogstens 1 cijfers"),
        (decimal(None, None), vec!["1,2,3"], "Vul een getal in"),
        (decimal(None, None), vec!["1e400"], "Vul een getal in"),
        (
            ItemKind::Percentage { decimals: None },
            vec!["101"],
            "0 tot en met 100",
        ),
        (scale(), vec!["6"], "1 tot en met 5"),
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
        (date(None), vec!["2025-02-29"], "bestaande datum"),
        (date(None), vec!["gisteren"], "bestaande datum"),
        (date(Some("2026-01-01")), vec!["2025-12-31"], "tussen"),
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
