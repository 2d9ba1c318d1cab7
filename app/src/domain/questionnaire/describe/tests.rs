use super::describe;
use crate::domain::questionnaire::expr::Expr;
use crate::domain::questionnaire::load::load;
use crate::domain::questionnaire::model::Questionnaire;

const DEFINITION: &str = r#"
identifier = "proef"
version = "1"
title = "Proef"
introduction = "Proef."

[[section]]
key = "A"
title = "Alles"

[[section.item]]
key = "plan"
type = "yes_partly_no"
label = "Is Wonen Eerst opgenomen in het regionale plan?"

[[section.item]]
key = "toelichting"
type = "long_text"
label = "Toelichting"

[[section.item]]
key = "plekken"
type = "integer"
label = "Hoeveel plekken zijn er?"

[[section.item]]
key = "partners"
type = "multiple_choice"
label = "Met wie werkt u samen?"
options = [
  { code = "corporaties", label = "Woningcorporaties" },
  { code = "geen", label = "Niemand" },
]

[[section.item]]
key = "instellingen"
type = "matrix"
label = "Afspraken met instellingen"
cell = "yes_no"
rows = [ { code = "mo", label = "Maatschappelijke opvang" } ]
"#;

fn questionnaire() -> Questionnaire {
    load(DEFINITION, None).expect("the test definition loads")
}

fn words(source: &str) -> String {
    let expr = Expr::parse(source).expect("the test expression parses");
    describe(&expr, &questionnaire())
}

#[test]
fn a_rule_reads_as_a_sentence_with_labels_and_option_names() {
    assert_eq!(
        words("plan not in ['nee', 'deels'] or answered(toelichting)"),
        "‘Is Wonen Eerst opgenomen in het regionale plan?’ (plan) is niet ‘Nee’ en niet \
         ‘Deels’ of ‘Toelichting’ (toelichting) is beantwoord"
    );
    assert_eq!(
        words("plan == 'ja'"),
        "‘Is Wonen Eerst opgenomen in het regionale plan?’ (plan) is ‘Ja’"
    );
    assert_eq!(
        words("plan in ['nee']"),
        "‘Is Wonen Eerst opgenomen in het regionale plan?’ (plan) is ‘Nee’"
    );
}

#[test]
fn negations_are_pushed_inwards() {
    assert_eq!(
        words("not changed(plan) or answered(toelichting)"),
        "het antwoord op ‘Is Wonen Eerst opgenomen in het regionale plan?’ (plan) is niet \
         gewijzigd ten opzichte van de vorige meting of ‘Toelichting’ (toelichting) is \
         beantwoord"
    );
    assert_eq!(
        words("not (plekken > 3 and answered(toelichting))"),
        "‘Hoeveel plekken zijn er?’ (plekken) is ten hoogste 3 of ‘Toelichting’ (toelichting) \
         is niet beantwoord"
    );
    assert_eq!(
        words("not (partners contains 'geen') or count(partners) == 1"),
        "bij ‘Met wie werkt u samen?’ (partners) is ‘Niemand’ niet gekozen of het aantal \
         gekozen antwoorden bij ‘Met wie werkt u samen?’ (partners) is 1"
    );
}

#[test]
fn grouping_survives_in_parentheses() {
    assert_eq!(
        words("(plekken < 2 or plekken > 10) and answered(toelichting)"),
        "(‘Hoeveel plekken zijn er?’ (plekken) is kleiner dan 2 of ‘Hoeveel plekken zijn er?’ \
         (plekken) is groter dan 10) en ‘Toelichting’ (toelichting) is beantwoord"
    );
}

#[test]
fn calculations_matrix_rows_and_numbers_read_in_dutch() {
    assert_eq!(
        words("change_pct(plekken) <= 50.5"),
        "de verandering van ‘Hoeveel plekken zijn er?’ (plekken) ten opzichte van de vorige \
         meting, in procenten is ten hoogste 50,5"
    );
    assert_eq!(
        words("abs(plekken - prev(plekken)) * 2 < 10"),
        "de absolute waarde van (‘Hoeveel plekken zijn er?’ (plekken) min het antwoord op \
         ‘Hoeveel plekken zijn er?’ (plekken) in de vorige meting) maal 2 is kleiner dan 10"
    );
    assert_eq!(
        words("instellingen.mo == 'nee'"),
        "‘Maatschappelijke opvang’ bij ‘Afspraken met instellingen’ (instellingen.mo) is ‘Nee’"
    );
}

#[test]
fn every_condition_and_rule_of_both_nad_versions_has_words() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../questionnaires");
    let read = |name: &str| std::fs::read_to_string(folder.join(name)).expect("shipped file");
    let previous = load(&read("nad-2025-12.toml"), None).expect("loads");
    let current = load(&read("nad-2026-06.toml"), Some(&previous)).expect("loads");
    for questionnaire in [&previous, &current] {
        for item in questionnaire.items() {
            let conditions = item
                .visible_if
                .iter()
                .chain(item.rules.iter().map(|r| &r.check));
            for condition in conditions {
                let text = describe(&condition.expr, questionnaire);
                assert!(!text.is_empty(), "{}", condition.source);
                // Every item the expression reads is named by its key, not left as code.
                for reference in condition.expr.references() {
                    assert!(text.contains(&format!("({reference})")), "{text}");
                }
                assert!(!text.contains("=="), "{text}");
            }
        }
    }
}
