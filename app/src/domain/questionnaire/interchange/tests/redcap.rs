//! REDCap data dictionaries in: what they become, and every problem at its line and column.

use super::super::*;
use super::sheet;
use crate::domain::questionnaire::expr::Expr;
use crate::domain::questionnaire::model::ItemKind;

const REDCAP_HEADER: &[&str] = &[
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Branching Logic (Show field only if...)",
    "Required Field?",
];

#[test]
fn a_redcap_dictionary_becomes_a_checked_version_with_the_names_given() {
    let dictionary = sheet(
        "proef.csv",
        &[
            REDCAP_HEADER,
            &[
                "uitleg",
                "regio",
                "Over de regio",
                "descriptive",
                "Vul dit in.",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "plan",
                "regio",
                "",
                "yesno",
                "Is er een plan?",
                "",
                "",
                "",
                "",
                "",
                "",
                "y",
            ],
            &[
                "aantal",
                "regio",
                "",
                "text",
                "Hoeveel?",
                "",
                "Aantal plekken",
                "integer",
                "0",
                "500",
                "[plan] = '1'",
                "",
            ],
            &[
                "vormen",
                "regio",
                "",
                "checkbox",
                "Welke vormen?",
                "1, Eigen woning | 2, Kamer",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "datum",
                "afronding",
                "Afronding",
                "text",
                "Wanneer?",
                "",
                "",
                "date_ymd",
                "2026-01-01",
                "",
                "[vormen(2)] = '1'",
                "",
            ],
        ],
    );
    let missing = from_redcap(&dictionary, &Names::default()).unwrap_err();
    assert!(missing[0].message.contains("--identifier"), "{missing:?}");
    let names = Names {
        identifier: Some("proef".into()),
        version: Some("1".into()),
        title: Some("Proef".into()),
        programme: None,
    };
    let q = from_redcap(&dictionary, &names)
        .unwrap_or_else(|p| panic!("{p:#?}"))
        .questionnaire;
    assert_eq!(q.sections.len(), 2);
    assert_eq!(
        (q.sections[0].key.as_str(), q.sections[0].title.as_str()),
        ("regio", "Over de regio")
    );
    assert_eq!(q.sections[0].intro.as_deref(), Some("Vul dit in."));
    assert_eq!(q.item("plan").unwrap().kind, ItemKind::YesNo);
    let aantal = q.item("aantal").unwrap();
    assert_eq!(
        aantal.kind,
        ItemKind::Integer {
            min: Some(0),
            max: Some(500)
        }
    );
    assert_eq!(
        aantal.visible_if.as_ref().unwrap().expr,
        Expr::parse("plan == 'ja'").unwrap()
    );
    let datum = q.item("datum").unwrap();
    assert_eq!(
        datum.visible_if.as_ref().unwrap().expr,
        Expr::parse("vormen contains 'c2'").unwrap()
    );
}

#[test]
fn a_malformed_redcap_dictionary_is_refused_with_every_line() {
    let dictionary = sheet(
        "proef.csv",
        &[
            REDCAP_HEADER,
            &[
                "naam", "regio", "", "text", "Naam", "", "", "email", "", "", "", "",
            ],
            &[
                "som",
                "regio",
                "",
                "calc",
                "Som",
                "sum([a],[b])",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "keuze",
                "regio",
                "",
                "radio",
                "Keuze",
                "1 Ja | 2, Nee",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "getal",
                "regio",
                "",
                "text",
                "Getal",
                "",
                "",
                "integer",
                "veel",
                "",
                "[keuze] = '1' and [event_1][x] = '1'",
                "",
            ],
            &[
                "verwijst",
                "regio",
                "",
                "notes",
                "Toelichting",
                "",
                "",
                "",
                "",
                "",
                "[bestaat_niet] = '1'",
                "",
            ],
        ],
    );
    let names = Names {
        identifier: Some("proef".into()),
        version: Some("1".into()),
        title: Some("Proef".into()),
        programme: None,
    };
    let problems: Vec<String> = from_redcap(&dictionary, &names)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    let expected = [
        "regel 2, kolom validation: de validatie 'email' heeft bij ons geen tegenhanger",
        "regel 3, kolom field type: het veldtype 'calc' heeft bij ons geen tegenhanger",
        "regel 4, kolom choices: kan '1 Ja' niet lezen",
        "regel 5, kolom min: min 'veel' is geen getal",
        "regel 5, kolom branching logic: kan '[event_1]",
    ];
    for text in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(text)),
            "{text} in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

/// Reading the CSV needs the csv crate, a server dependency.
#[cfg(feature = "ssr")]
#[test]
fn the_shipped_example_dictionary_loads() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../questionnaires/examples/redcap-voorbeeld.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let rows: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let names = Names {
        identifier: Some("voorbeeld".into()),
        version: Some("1".into()),
        title: Some("Voorbeeld".into()),
        programme: None,
    };
    let q = from_redcap(&sheet("redcap-voorbeeld.csv", &rows), &names)
        .unwrap_or_else(|p| panic!("{p:#?}"))
        .questionnaire;
    assert_eq!(q.items().count(), 5);
    assert!(q.item("plan").unwrap().allow_unknown);
    let plekken = q.item("plekken").unwrap();
    assert_eq!(plekken.unit.as_deref(), Some("plekken"));
    assert_eq!(plekken.rules.len(), 1);
    assert_eq!(
        plekken.visible_if.as_ref().unwrap().expr,
        Expr::parse("vormen contains 'c1' or vormen contains 'c2'").unwrap()
    );
}
