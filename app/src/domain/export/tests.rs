use super::*;
use crate::domain::questionnaire::expr::Expr;
use crate::domain::questionnaire::model::{CellKind, Choice, Condition, Lineage};
use std::collections::BTreeMap;

fn json_answer(status: ItemStatus, stored: Option<Stored<'_>>) -> serde_json::Value {
    serde_json::to_value(JsonAnswer::new(status, stored)).unwrap()
}

fn item(key: &str, kind: ItemKind) -> Item {
    Item {
        key: key.into(),
        kind,
        label: "Vraag".into(),
        help: None,
        unit: None,
        required: true,
        allow_unknown: true,
        allow_not_applicable: true,
        indicator: None,
        indicator_counts: Vec::new(),
        public: true,
        visible_if: None,
        rules: vec![],
        lineage: Lineage::Unchanged,
    }
}

fn raw(values: &[&str]) -> RawAnswer {
    RawAnswer {
        values: values.iter().map(|v| v.to_string()).collect(),
        ..RawAnswer::default()
    }
}

fn stored<'a>(raw: &'a RawAnswer, value: Option<&'a Answer>, prefilled: bool) -> Stored<'a> {
    Stored {
        raw,
        value,
        prefilled,
    }
}

fn given(value: AnswerValue) -> Answer {
    Answer::Given(value)
}

fn matrix() -> Item {
    item(
        "m",
        ItemKind::Matrix {
            rows: vec![
                Choice {
                    code: "mo".into(),
                    label: "MO".into(),
                },
                Choice {
                    code: "bw".into(),
                    label: "BW".into(),
                },
            ],
            cell: CellKind::Integer {
                min: Some(0),
                max: None,
            },
        },
    )
}

#[test]
fn every_code_is_distinct_and_reads_back() {
    let codes: std::collections::HashSet<&str> = STATUSES.iter().map(|s| s.code()).collect();
    assert_eq!(codes.len(), STATUSES.len());
    for status in STATUSES {
        assert_eq!(Status::parse(status.code()), Some(status));
        assert!(!status.meaning().is_empty());
    }
}

#[test]
fn the_engine_status_and_the_stored_answer_decide_the_code() {
    let yes_no = item("x", ItemKind::YesNo);
    let typed = raw(&["ja"]);
    let ja = given(AnswerValue::Code("ja".into()));
    let one = |status, stored| export_item(&yes_no, status, stored).remove(0);

    let answered = one(ItemStatus::Answered, Some(stored(&typed, Some(&ja), false)));
    assert_eq!(
        (answered.status, answered.value.as_str()),
        (Status::Answered, "ja")
    );
    assert_eq!(answered.cell(), "ja");

    // A hidden item is not asked, even when an answer is stored from before.
    let hidden = one(ItemStatus::Hidden, Some(stored(&typed, Some(&ja), false)));
    assert_eq!(
        (hidden.status, hidden.cell()),
        (Status::NotAsked, "NIET_GEVRAAGD")
    );
    assert_eq!(hidden.value, "");

    assert_eq!(one(ItemStatus::Missing, None).status, Status::NotAnswered);
    assert_eq!(one(ItemStatus::Empty, None).cell(), "NIET_BEANTWOORD");
    let cleared = raw(&[""]);
    assert_eq!(
        one(ItemStatus::Missing, Some(stored(&cleared, None, false))).status,
        Status::NotAnswered
    );

    let unknown_raw = RawAnswer {
        special: Some("onbekend".into()),
        ..RawAnswer::default()
    };
    let unknown = one(
        ItemStatus::Explicit,
        Some(stored(&unknown_raw, Some(&Answer::Unknown), false)),
    );
    assert_eq!(
        (unknown.status, unknown.cell()),
        (Status::Unknown, "ONBEKEND")
    );
    let nvt = one(
        ItemStatus::Explicit,
        Some(stored(&unknown_raw, Some(&Answer::NotApplicable), false)),
    );
    assert_eq!(nvt.cell(), "NVT");

    let wrong = raw(&["misschien"]);
    let invalid = one(ItemStatus::Invalid, Some(stored(&wrong, None, false)));
    assert_eq!(
        (
            invalid.status,
            invalid.cell(),
            invalid.input.as_str(),
            invalid.value.as_str()
        ),
        (Status::Invalid, "ONGELDIG", "misschien", "")
    );

    // Taken over and not confirmed: the engine says missing, the export says why.
    let taken_over = one(ItemStatus::Missing, Some(stored(&typed, Some(&ja), true)));
    assert_eq!(
        (
            taken_over.status,
            taken_over.cell(),
            taken_over.input.as_str()
        ),
        (Status::Unconfirmed, "NIET_BEVESTIGD", "ja")
    );
    assert_eq!(taken_over.value, "");
}

#[test]
fn values_as_text_and_numbers() {
    let cases = [
        (AnswerValue::Code("deels".into()), "deels", None),
        (
            AnswerValue::Codes(vec!["a".into(), "c".into()]),
            "a;c",
            None,
        ),
        (AnswerValue::Integer(1234), "1234", Some(1234.0)),
        (AnswerValue::Number(12.5), "12.5", Some(12.5)),
        (AnswerValue::Number(4.0), "4", Some(4.0)),
        (
            AnswerValue::Text("regel 1\nregel 2".into()),
            "regel 1\nregel 2",
            None,
        ),
        (AnswerValue::Date("2026-03-01".into()), "2026-03-01", None),
    ];
    let x = item("x", ItemKind::ShortText { max_length: 200 });
    for (value, text, number) in cases {
        let answer = given(value.clone());
        let typed = raw(&[text]);
        let exported = export_item(
            &x,
            ItemStatus::Answered,
            Some(stored(&typed, Some(&answer), false)),
        )
        .remove(0);
        assert_eq!(exported.value, text, "{value:?}");
        assert_eq!(exported.number, number, "{value:?}");
    }
    assert_eq!(
        serde_json::to_value(JsonValue(&AnswerValue::Codes(vec!["b".into(), "a".into()]))).unwrap(),
        serde_json::json!(["b", "a"])
    );
    assert_eq!(
        serde_json::to_value(JsonValue(&AnswerValue::Number(2.5))).unwrap(),
        serde_json::json!(2.5)
    );
}

#[test]
fn a_matrix_takes_one_column_per_row() {
    let m = matrix();
    assert_eq!(
        columns(&m)
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["m.mo", "m.bw"]
    );
    let answer = given(AnswerValue::Rows(BTreeMap::from([(
        "mo".to_string(),
        AnswerValue::Integer(3),
    )])));
    let mut typed = RawAnswer::default();
    typed.rows.insert("mo".into(), "3".into());
    let values = export_item(
        &m,
        ItemStatus::Answered,
        Some(stored(&typed, Some(&answer), false)),
    );
    assert_eq!(values[0].cell(), "3");
    assert_eq!(values[0].number, Some(3.0));
    // A row left empty in an answered matrix is not answered.
    assert_eq!(values[1].cell(), "NIET_BEANTWOORD");

    let unknown_raw = RawAnswer {
        special: Some("onbekend".into()),
        ..RawAnswer::default()
    };
    let unknown = export_item(
        &m,
        ItemStatus::Explicit,
        Some(stored(&unknown_raw, Some(&Answer::Unknown), false)),
    );
    assert!(unknown.iter().all(|v| v.status == Status::Unknown));

    let mut wrong = RawAnswer::default();
    wrong.rows.insert("mo".into(), "-3".into());
    wrong.rows.insert("bw".into(), "2".into());
    let invalid = export_item(&m, ItemStatus::Invalid, Some(stored(&wrong, None, false)));
    assert_eq!(invalid[0].input, "-3");
    assert_eq!(invalid[1].input, "2");
    assert!(invalid.iter().all(|v| v.cell() == "ONGELDIG"));
    let json = json_answer(ItemStatus::Invalid, Some(stored(&wrong, None, false)));
    assert_eq!(json["status"], "ONGELDIG");
    assert_eq!(json["invoer"], "bw=2;mo=-3");
    assert!(json["value"].is_null());

    let json = json_answer(
        ItemStatus::Answered,
        Some(stored(&typed, Some(&answer), false)),
    );
    assert_eq!(
        json,
        serde_json::json!({"status": "BEANTWOORD", "value": {"mo": 3}})
    );
}

#[test]
fn a_json_answer_is_written_with_its_keys_in_order() {
    let mut wrong = RawAnswer::default();
    wrong.values.push("veel".into());
    assert_eq!(
        serde_json::to_string(&JsonAnswer::new(
            ItemStatus::Invalid,
            Some(stored(&wrong, None, false))
        ))
        .unwrap(),
        r#"{"invoer":"veel","status":"ONGELDIG","value":null}"#
    );
    let typed = raw(&["2.5"]);
    let answer = given(AnswerValue::Number(2.5));
    assert_eq!(
        serde_json::to_string(&JsonAnswer::new(
            ItemStatus::Answered,
            Some(stored(&typed, Some(&answer), false))
        ))
        .unwrap(),
        r#"{"status":"BEANTWOORD","value":2.5}"#
    );
    assert_eq!(
        serde_json::to_string(&JsonValue(&AnswerValue::Number(f64::NAN))).unwrap(),
        "null"
    );
    assert_eq!(
        serde_json::to_string(&JsonAnswer::new(ItemStatus::Empty, None)).unwrap(),
        r#"{"status":"NIET_BEANTWOORD","value":null}"#
    );
}

#[test]
fn the_codebook_describes_the_item_and_its_lineage() {
    let mut choice = item(
        "b_plan_status",
        ItemKind::SingleChoice {
            options: vec![
                Choice {
                    code: "geen".into(),
                    label: "Geen plan".into(),
                },
                Choice {
                    code: "vastgesteld".into(),
                    label: "Vastgesteld".into(),
                },
            ],
        },
    );
    choice.lineage = Lineage::Mapped {
        from: "b_plan".into(),
        codes: BTreeMap::from([
            ("vastgesteld_raad".to_string(), "vastgesteld".to_string()),
            ("geen".to_string(), "geen".to_string()),
        ]),
    };
    choice.visible_if = Some(Condition {
        source: "a == 'ja'".into(),
        expr: Expr::parse("a == 'ja'").unwrap(),
    });
    choice.unit = Some("regio's".into());
    let entry = codebook_entry("B", &choice, Some("2025-12"));
    assert_eq!(entry.options, "geen=Geen plan | vastgesteld=Vastgesteld");
    assert_eq!(entry.kind, "single_choice");
    assert_eq!(entry.condition, "a == 'ja'");
    assert_eq!(entry.previous_key, "b_plan");
    assert_eq!(
        entry.lineage,
        "Hernoemd; heette 'b_plan' in 2025-12; hercodeerd (oud=nieuw): geen=geen, vastgesteld_raad=vastgesteld."
    );
    assert_eq!(entry.unit, "regio's");

    let entry = codebook_entry("D", &matrix(), Some("2025-12"));
    assert_eq!(entry.kind, "matrix (integer)");
    assert_eq!(entry.rows, "mo=MO | bw=BW");
    assert_eq!(entry.columns, "m.mo;m.bw");
    assert_eq!(entry.lineage, "Ongewijzigd uit 2025-12.");
    let yes_no = codebook_entry("A", &item("j", ItemKind::YesNo), None);
    assert_eq!(yes_no.options, "ja=Ja | nee=Nee");
}

#[test]
fn file_names_carry_round_and_version_and_are_safe() {
    assert_eq!(
        Format::Long.file_name("6e meting – december 2026", "nad", "2026-06"),
        "nad-6e-meting-december-2026_nad-2026-06_lang.csv"
    );
    assert_eq!(
        Format::Xlsx.file_name("NAD meting juni", "nad", "2026-06"),
        "nad-meting-juni_nad-2026-06_tabellen.xlsx"
    );
    assert_eq!(slug("../../etc/passwd\"; x"), "etc-passwd-x");
    assert_eq!(slug("Één café"), "een-cafe");
    assert_eq!(slug("–"), "export");
    for format in FORMATS {
        assert_eq!(Format::from_url_name(format.url_name()), Some(format));
    }
    assert_eq!(Format::from_url_name("geheim.txt"), None);
}

#[test]
fn csv_cells_never_start_a_formula() {
    assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
    assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(csv_safe("+31 6 1234"), "'+31 6 1234");
    assert_eq!(csv_safe("-3"), "-3");
    assert_eq!(csv_safe("-1.5"), "-1.5");
    assert_eq!(csv_safe("Gewoon een antwoord"), "Gewoon een antwoord");
}

#[test]
fn the_guard_covers_every_formula_start_and_keeps_numbers() {
    for risky in [
        "=1+1",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
        "\t-3",
        "-3 ",
        "- 3",
        "-inf",
        "+NaN",
        "-infinity",
        "-1e",
        "-.",
        "-",
        "+",
        "=",
        "-3\n=1+1",
    ] {
        assert_eq!(csv_safe(risky), format!("'{risky}"), "{risky:?}");
    }
    for number in [
        "-3", "+3", "-0", "-1.5", "-.5", "-5.", "+1.5e3", "-2E-4", "12",
    ] {
        assert_eq!(csv_safe(number), number, "{number:?}");
    }
    // Text that starts otherwise is left alone, including a leading quote or space.
    for plain in ["", "Regio =", " =1", "'=1", "1+1", "R01"] {
        assert_eq!(csv_safe(plain), plain, "{plain:?}");
    }
    let row: Vec<CsvCell> = csv_row(["=a", "b", "-4", "@c"]).collect();
    let cells: Vec<&str> = row.iter().map(|cell| &**cell).collect();
    assert_eq!(cells, ["'=a", "b", "-4", "'@c"]);
    assert_eq!(row[0].as_ref(), b"'=a");
}

#[test]
fn sheet_names_are_what_excel_accepts() {
    assert_eq!(sheet_name("A", "Regio en respons"), "A Regio en respons");
    let long = sheet_name(
        "D",
        "Uitstroom uit instellingen: wonen/zorg [extra] en meer",
    );
    assert_eq!(long.chars().count(), 31);
    assert!(!long.contains([':', '/', '[', ']']));
}

#[test]
fn a_region_without_a_response_has_not_started() {
    assert_eq!(response_status(None), ("niet_begonnen", "Niet begonnen"));
    assert_eq!(
        response_status(Some("submitted")),
        ("submitted", "Ingediend")
    );
}
