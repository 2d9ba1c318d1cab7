use super::expressions::{translate, Dialect, Fields};
use super::*;
use crate::domain::questionnaire::expr::Expr;

mod redcap;
mod round_trip;
mod xlsform;

pub(super) fn sheet(name: &str, rows: &[&[&str]]) -> Sheet {
    Sheet {
        name: name.to_string(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(n, cells)| Row {
                number: n + 1,
                cells: cells.iter().map(|c| c.to_string()).collect(),
            })
            .collect(),
    }
}

fn fields() -> Fields {
    let mut fields = Fields::default();
    fields.codes.insert(
        "kleur".into(),
        [("1", "c1"), ("2", "c2"), ("rood", "rood")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
    );
    fields.numeric.insert("aantal".into());
    fields
}

fn xlsform(source: &str) -> Result<String, String> {
    translate(source, Dialect::XlsForm, Some("aantal"), &fields()).map(|e| e.to_string())
}

fn redcap(source: &str) -> Result<String, String> {
    translate(source, Dialect::Redcap, None, &fields()).map(|e| e.to_string())
}

fn ours(source: &str) -> String {
    Expr::parse(source).unwrap().to_string()
}

#[test]
fn xlsform_expressions_translate_into_ours() {
    let cases = [
        ("${kleur} = 'rood'", "kleur == 'rood'"),
        (
            "${kleur} = '1' or ${kleur} != '2'",
            "kleur == 'c1' or kleur != 'c2'",
        ),
        (
            "selected(${kleur}, '2') and not(${aantal} > 3)",
            "kleur contains 'c2' and not (aantal > 3)",
        ),
        ("count-selected(${kleur}) >= 2", "count(kleur) >= 2"),
        (
            ". >= 0 and . <= ${max} div 2",
            "aantal >= 0 and aantal <= max / 2",
        ),
        ("${toelichting} != ''", "answered(toelichting)"),
        ("${toelichting} = ''", "not answered(toelichting)"),
        ("${aantal} = '5'", "aantal == 5"),
        ("true()", "true"),
    ];
    for (source, expected) in cases {
        assert_eq!(xlsform(source), Ok(ours(expected)), "{source}");
    }
}

#[test]
fn redcap_expressions_translate_into_ours() {
    let cases = [
        ("[kleur] = '1'", "kleur == 'c1'"),
        (
            "[kleur] <> \"2\" AND [aantal] > 3",
            "kleur != 'c2' and aantal > 3",
        ),
        (
            "[kleur(1)] = '1' or [kleur(2)] = '0'",
            "kleur contains 'c1' or not (kleur contains 'c2')",
        ),
        ("[toelichting] <> ''", "answered(toelichting)"),
        ("([aantal] + 1) / 2 >= 1", "(aantal + 1) / 2 >= 1"),
    ];
    for (source, expected) in cases {
        assert_eq!(redcap(source), Ok(ours(expected)), "{source}");
    }
}

#[test]
fn what_has_no_counterpart_is_refused_with_its_text() {
    let refused = [
        (xlsform("string-length(${naam}) > 3"), "string-length"),
        (xlsform("${a} = 'x' and ${b"), "${b"),
        (xlsform("${a} mod 2 = 0"), "mod"),
        (xlsform("${a} = 'x' ${b}"), "b"),
        (redcap("[event_1][a] = '1'"), "[event_1]"),
        (redcap("datediff([a], 'today', 'd') > 3"), "datediff"),
        (redcap("[user-name] = 'x'"), "[user-name]"),
        (redcap("[kleur(1)] = '2'"), "[kleur(1)]"),
        (
            translate(". > 3", Dialect::XlsForm, None, &fields()).map(|e| e.to_string()),
            "'.'",
        ),
    ];
    for (result, text) in refused {
        let message = result.expect_err(text);
        assert!(message.contains(text), "{message} should name {text}");
    }
}
