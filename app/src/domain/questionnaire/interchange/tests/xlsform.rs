//! XLSForm workbooks in: what they become, and every problem at its sheet, row and column.

use super::super::*;
use super::sheet;
use crate::domain::questionnaire::expr::Expr;
use crate::domain::questionnaire::model::{ItemKind, Severity};

fn workbook(survey: &[&[&str]], choices: &[&[&str]]) -> Vec<Sheet> {
    vec![
        sheet("survey", survey),
        sheet("choices", choices),
        sheet(
            "settings",
            &[
                &["form_id", "version", "form_title"],
                &["proef", "2026-01", "Proef"],
            ],
        ),
    ]
}

const SURVEY_HEADER: &[&str] = &[
    "type",
    "name",
    "label::Nederlands (nl)",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "label::English (en)",
];

#[test]
fn an_xlsform_workbook_becomes_a_checked_version() {
    let sheets = workbook(
        &[
            SURVEY_HEADER,
            &["start", "start", "", "", "", "", "", "", ""],
            &[
                "note",
                "welkom",
                "Welkom bij de proef.",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "begin group",
                "A",
                "Algemeen",
                "",
                "",
                "",
                "",
                "",
                "General",
            ],
            &["note", "a_uitleg", "Over uw regio.", "", "", "", "", "", ""],
            &[
                "select_one kleuren",
                "a_kleur",
                "Welke kleur?",
                "Kies er één.",
                "yes",
                "",
                "",
                "",
                "Colour?",
            ],
            &[
                "integer",
                "a_aantal",
                "Hoeveel?",
                "",
                "",
                "${a_kleur} = '1'",
                ". >= 0 and . <= 10",
                "Tussen 0 en 10.",
                "",
            ],
            &[
                "select_multiple kleuren",
                "a_meer",
                "Welke nog meer?",
                "",
                "",
                "",
                "count-selected(.) <= 2",
                "",
                "",
            ],
            &[
                "text",
                "a_toelichting",
                "Toelichting",
                "",
                "",
                "selected(${a_meer}, 'rood')",
                "",
                "",
                "",
            ],
            &["end group", "", "", "", "", "", "", "", ""],
        ],
        &[
            &["list_name", "name", "label"],
            &["kleuren", "1", "Blauw"],
            &["kleuren", "rood", "Rood"],
        ],
    );
    let imported = from_xlsform(&sheets, &Names::default()).unwrap_or_else(|p| panic!("{p:#?}"));
    let q = imported.questionnaire;
    assert_eq!(
        (q.identifier.as_str(), q.version.as_str(), q.title.as_str()),
        ("proef", "2026-01", "Proef")
    );
    assert_eq!(q.introduction, "Welkom bij de proef.");
    assert_eq!(q.sections[0].intro.as_deref(), Some("Over uw regio."));
    let kleur = q.item("a_kleur").unwrap();
    assert!(kleur.required);
    assert!(matches!(&kleur.kind, ItemKind::SingleChoice { options } if options[0].code == "c1"));
    let aantal = q.item("a_aantal").unwrap();
    assert_eq!(
        aantal.visible_if.as_ref().unwrap().expr,
        Expr::parse("a_kleur == 'c1'").unwrap()
    );
    assert_eq!(aantal.rules[0].severity, Severity::Blocking);
    assert_eq!(aantal.rules[0].message, "Tussen 0 en 10.");
    assert_eq!(
        aantal.rules[0].check.expr,
        Expr::parse("a_aantal >= 0 and a_aantal <= 10").unwrap()
    );
    assert!(matches!(
        q.item("a_toelichting").unwrap().kind,
        ItemKind::ShortText { .. }
    ));
    assert!(imported.source.contains("[[section.item]]"));
    let renamed = Names {
        identifier: Some("ander".into()),
        version: Some("2".into()),
        title: None,
        programme: None,
    };
    let again = from_xlsform(&sheets, &renamed).unwrap().questionnaire;
    assert_eq!(
        (again.identifier.as_str(), again.version.as_str()),
        ("ander", "2")
    );
}

#[test]
fn a_malformed_workbook_is_refused_with_every_place() {
    let sheets = workbook(
        &[
            SURVEY_HEADER,
            &[
                "integer",
                "buiten",
                "Buiten een groep",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &["begin_group", "A", "Algemeen", "", "", "", "", "", ""],
            &["geopoint", "a_plek", "Waar?", "", "", "", "", "", ""],
            &[
                "integer",
                "a_aantal",
                "Hoeveel?",
                "",
                "",
                "string-length(${a_x}) > 1",
                "",
                "",
                "",
            ],
            &[
                "select_one onbekend",
                "a_kleur",
                "Kleur?",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &["text", "a_tekst", "Tekst", "", "misschien", "", "", "", ""],
            &["end_group", "", "", "", "", "", "", "", ""],
        ],
        &[
            &["list_name", "name", "label"],
            &["jn", "Ja", "Ja"],
            &["jn", "ja", "Ook ja"],
        ],
    );
    let problems: Vec<String> = from_xlsform(&sheets, &Names::default())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    let expected = [
        "survey, rij 2, kolom type: de vraag staat niet in een groep",
        "survey, rij 4, kolom type: het type 'geopoint' heeft bij ons geen tegenhanger",
        "survey, rij 5, kolom relevant: kan 'string-length(…)' niet vertalen",
        "survey, rij 6, kolom type: de keuzelijst 'onbekend' staat niet in het blad choices",
        "survey, rij 7, kolom required: kan 'misschien' niet vertalen",
        "choices, rij 3, kolom name: de code 'ja' komt twee keer voor in de lijst 'jn'",
    ];
    for text in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(text)),
            "{text} in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

#[test]
fn problems_the_loader_finds_are_placed_at_the_cell_they_came_from() {
    let sheets = workbook(
        &[
            SURVEY_HEADER,
            &["begin_group", "A", "Algemeen", "", "", "", "", "", ""],
            &[
                "integer",
                "a_aantal",
                "Hoeveel?",
                "",
                "",
                "${a_weg} = 'ja'",
                "",
                "",
                "",
            ],
            &["integer", "a_aantal", "Nog eens?", "", "", "", "", "", ""],
            &["end_group", "", "", "", "", "", "", "", ""],
        ],
        &[&["list_name", "name", "label"]],
    );
    let problems: Vec<String> = from_xlsform(&sheets, &Names::default())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    let expected = [
        "survey, rij 3, kolom relevant: vraag a_aantal: visible_if: verwijst naar een onbekende vraag 'a_weg'",
        "survey, rij 4, kolom name: vraag a_aantal: de sleutel komt ook voor in survey, rij 3, kolom name",
    ];
    for text in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(text)),
            "{text} in {problems:#?}"
        );
    }
}

#[test]
fn the_extra_column_adds_our_fields_and_refuses_what_a_column_says() {
    let header: &[&str] = &["type", "name", "label", "nad"];
    let sheets = workbook(
        &[
            header,
            &["begin_group", "A", "Algemeen", "{ public = false }"],
            &[
                "select_one jn",
                "a_plan",
                "Plan?",
                "{ type = \"yes_partly_no\", unknown = true }",
            ],
            &[
                "integer",
                "a_aantal",
                "Hoeveel?",
                "{ min = 0, unit = \"plekken\", label = \"x\" }",
            ],
            &["integer", "a_ander", "Ander?", "{ kapot"],
            &["end_group", "", "", ""],
        ],
        &[
            &["list_name", "name", "label"],
            &["jn", "ja", "Ja"],
            &["jn", "deels", "Deels"],
            &["jn", "nee", "Nee"],
        ],
    );
    let problems: Vec<String> = from_xlsform(&sheets, &Names::default())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        problems[0].starts_with("survey, rij 4, kolom nad: 'label' heeft een eigen kolom"),
        "{problems:#?}"
    );
    assert!(
        problems[1].starts_with("survey, rij 5, kolom nad: geen geldige TOML-tabel"),
        "{problems:#?}"
    );
    assert_eq!(problems.len(), 2);
}

#[test]
fn a_workbook_without_a_survey_sheet_or_with_a_merged_type_cell_is_refused() {
    let without_survey = vec![sheet("choices", &[&["list_name", "name", "label"]])];
    let problems: Vec<String> = from_xlsform(&without_survey, &Names::default())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("het werkboek heeft geen blad 'survey'")),
        "{problems:#?}"
    );
    // A merged cell reads as its value in the first cell and empty ones after it: the row
    // whose type is empty is named, not skipped.
    let sheets = workbook(
        &[
            SURVEY_HEADER,
            &["begin_group", "A", "Algemeen", "", "", "", "", "", ""],
            &["integer", "a_aantal", "Hoeveel?", "", "", "", "", "", ""],
            &["", "a_tweede", "Nog een?", "", "", "", "", "", ""],
            &["end_group", "", "", "", "", "", "", "", ""],
        ],
        &[&["list_name", "name", "label"]],
    );
    let problems: Vec<String> = from_xlsform(&sheets, &Names::default())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("survey, rij 4, kolom type: het type ontbreekt")),
        "{problems:#?}"
    );
}
