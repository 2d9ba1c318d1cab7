use super::*;
use std::path::PathBuf;

fn folder(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../questionnaires")
        .join(name)
}

fn read(path: &PathBuf) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn both_shipped_nad_versions_load_with_lineage() {
    let previous = load(&read(&folder("nad-2025-12.toml")), None)
        .unwrap_or_else(|errors| panic!("2025-12: {errors:#?}"));
    let current = load(&read(&folder("nad-2026-06.toml")), Some(&previous))
        .unwrap_or_else(|errors| panic!("2026-06: {errors:#?}"));
    assert_eq!(current.identifier, "nad");
    assert_eq!(current.sections.len(), 11, "sections A to K");
    assert!(current.items().count() >= 60);
    let types: HashSet<&str> = current.items().map(|i| i.kind.type_name()).collect();
    assert_eq!(types.len(), 13, "every item type is used: {types:?}");
    let lineage = |pred: fn(&Lineage) -> bool| current.items().filter(|i| pred(&i.lineage)).count();
    assert!(lineage(|l| matches!(l, Lineage::New)) >= 2);
    assert!(
        lineage(
            |l| matches!(l, Lineage::Mapped { from, codes } if codes.is_empty() && !from.is_empty())
        ) >= 1,
        "a rename"
    );
    assert!(
        lineage(|l| matches!(l, Lineage::Mapped { codes, .. } if !codes.is_empty())) >= 1,
        "a recode"
    );
    assert!(!current.removed.is_empty());
    assert!(current.index().is_ok());
}

/// Each file in `questionnaires/broken/` starts with `# expect: <message>`: the error it
/// must produce, with its line and item key.
#[test]
fn broken_definitions_produce_located_errors() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder("broken"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    let mut mismatches = Vec::new();
    for path in files {
        let text = read(&path);
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap();
        let shown: Vec<String> = match load(&text, None) {
            Ok(_) => vec!["(geladen zonder fouten)".to_string()],
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        };
        if !shown
            .iter()
            .any(|e| e.starts_with(expected) || e.ends_with(expected))
        {
            mismatches.push(format!(
                "{}: expected '{expected}', got {shown:?}",
                path.display()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn lineage_is_checked_against_the_previous_version() {
    let previous = load(&read(&folder("nad-2025-12.toml")), None).unwrap();
    let current = read(&folder("nad-2026-06.toml"));
    let cases = [
        (
            current.replacen(
                "renamed_from = \"e_housing_first_plekken\"",
                "renamed_from = \"e_bestaat_niet\"",
                1,
            ),
            "de vorige versie 2025-12 heeft geen vraag 'e_bestaat_niet'",
        ),
        (
            current.replacen(
                "in_voorbereiding = \"voorbereiding\"",
                "in_voorbereiding = \"ergens_anders\"",
                1,
            ),
            "recoded: de oude code 'in_voorbereiding' wordt niet (goed) omgezet",
        ),
        (
            current.replacen(
                "key = \"e_housing_first_modeltrouw\"",
                "key = \"e_nooit_bestaan\"",
                1,
            ),
            "de vraag 'e_housing_first_modeltrouw' van versie 2025-12 is nergens gebleven",
        ),
    ];
    for (text, expected) in cases {
        assert_ne!(text, current, "the fixture edit applies");
        let errors = load(&text, Some(&previous)).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.to_string().contains(expected) && e.item.is_some()),
            "expected '{expected}' in {errors:#?}"
        );
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = read(&folder("broken/unknown-type.toml")).replace(
        "title = \"Test\"",
        "title = \"Test\"\nprevious_version = \"0\"",
    );
    let errors = load(&text, None).unwrap_err();
    assert!(errors.len() >= 2, "{errors:#?}");
}

/// A definition of `sections` sections of `items` yes/no items each; the first item of
/// the first section is a single choice of `options` options, the second a matrix of
/// `rows` rows.
fn sized(sections: usize, items: usize, options: usize, rows: usize) -> String {
    let mut toml = String::from("identifier = \"groot\"\nversion = \"1\"\ntitle = \"Groot\"\n");
    let list = |n: usize, prefix: &str| {
        (0..n)
            .map(|i| format!("{{ code = \"{prefix}{i}\", label = \"{prefix} {i}\" }}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for s in 0..sections {
        toml.push_str(&format!(
            "\n[[section]]\nkey = \"S{s}\"\ntitle = \"Sectie {s}\"\n"
        ));
        for i in 0..items {
            toml.push_str(&format!(
                "\n[[section.item]]\nkey = \"s{s}_v{i}\"\nlabel = \"Vraag\"\n"
            ));
            match (s, i) {
                (0, 0) => toml.push_str(&format!(
                    "type = \"single_choice\"\noptions = [{}]\n",
                    list(options, "o")
                )),
                (0, 1) => toml.push_str(&format!(
                    "type = \"matrix\"\ncell = \"yes_no\"\nrows = [{}]\n",
                    list(rows, "r")
                )),
                _ => toml.push_str("type = \"yes_no\"\n"),
            }
        }
    }
    toml
}

/// The line of the `n`th (0-based) occurrence of `needle`.
fn line_of(text: &str, needle: &str, n: usize) -> usize {
    let at = text.match_indices(needle).nth(n).unwrap().0;
    text[..at].matches('\n').count() + 1
}

#[test]
fn definitions_up_to_every_cap_load() {
    let text = sized(
        MAX_SECTIONS,
        MAX_ITEMS / MAX_SECTIONS,
        MAX_OPTIONS,
        MAX_MATRIX_ROWS,
    );
    let questionnaire = load(&text, None).unwrap_or_else(|errors| panic!("{errors:#?}"));
    assert_eq!(questionnaire.sections.len(), MAX_SECTIONS);
    assert_eq!(questionnaire.items().count(), MAX_ITEMS);
    let text = sized(2, MAX_ITEMS_PER_SECTION, 3, 3);
    assert_eq!(
        load(&text, None).unwrap().items().count(),
        2 * MAX_ITEMS_PER_SECTION
    );
    // The benchmark's shape is well within them: 20 sections of 100 items.
    assert_eq!(
        load(&sized(20, 100, 3, 3), None).unwrap().items().count(),
        2_000
    );
}

#[test]
fn a_definition_over_a_cap_is_refused_with_the_place() {
    // Sections: at the first one too many, and nothing else is checked.
    let text =
        sized(MAX_SECTIONS + 1, 1, 2, 2).replacen("type = \"yes_no\"", "type = \"ja_nee\"", 1);
    let errors = load(&text, None).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
            errors[0].to_string(),
            format!(
                "regel {}: de vragenlijst heeft 101 secties; er mogen er hoogstens 100 zijn (dit is de 101e)",
                line_of(&text, "[[section]]", MAX_SECTIONS)
            )
        );

    // Items in all: at the first one too many.
    let per_section = MAX_ITEMS / 10;
    let mut text = sized(10, per_section, 2, 2);
    text.push_str("\n[[section]]\nkey = \"X\"\ntitle = \"Extra\"\n\n[[section.item]]\nkey = \"x_een\"\ntype = \"yes_no\"\nlabel = \"Eén te veel\"\n");
    let errors = load(&text, None).unwrap_err();
    assert_eq!(
            errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [format!(
                "regel {}, vraag x_een: de vragenlijst heeft 5001 vragen; er mogen er hoogstens 5000 zijn (dit is de 5001e)",
                line_of(&text, "[[section.item]]", MAX_ITEMS)
            )]
        );

    // Items in one section.
    let text = sized(1, MAX_ITEMS_PER_SECTION + 1, 2, 2);
    let errors = load(&text, None).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].item.as_deref(), Some("s0_v1000"));
    assert_eq!(
        errors[0].line,
        line_of(&text, "[[section.item]]", MAX_ITEMS_PER_SECTION)
    );
    assert!(errors[0]
        .message
        .starts_with("sectie 'S0' heeft 1001 vragen; een sectie mag er hoogstens 1000 hebben"));

    // Options and matrix rows: at the item, with the rest of the file checked too.
    let text = sized(1, 3, MAX_OPTIONS + 1, MAX_MATRIX_ROWS + 1).replace(
        "key = \"s0_v2\"\nlabel = \"Vraag\"\ntype = \"yes_no\"",
        "key = \"s0_v2\"\nlabel = \"Vraag\"\ntype = \"ja_nee\"",
    );
    let errors = load(&text, None).unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
            shown,
            [
                format!(
                    "regel {}, vraag s0_v0: er zijn 1001 keuzes (options); er mogen er hoogstens 1000 zijn",
                    line_of(&text, "type = \"single_choice\"", 0)
                ),
                format!(
                    "regel {}, vraag s0_v1: er zijn 201 rijen (rows); er mogen er hoogstens 200 zijn",
                    line_of(&text, "type = \"matrix\"", 0)
                ),
                format!(
                    "regel {}, vraag s0_v2: onbekend type 'ja_nee': kies yes_no, yes_partly_no, single_choice, multiple_choice, integer, decimal, percentage, short_text, long_text, date, scale, matrix of ranking",
                    line_of(&text, "type = \"ja_nee\"", 0)
                ),
            ]
        );
}

#[test]
fn definitions_survive_a_trip_through_json_for_the_browser() {
    let q = load(&read(&folder("nad-2025-12.toml")), None).unwrap();
    let json = serde_json::to_string(&q).unwrap();
    let back: Questionnaire = serde_json::from_str(&json).unwrap();
    assert_eq!(back, q);
}

#[test]
fn closed_items_are_public_free_text_is_not_unless_the_definition_says_so() {
    let source = r#"
identifier = "test"
version = "1"
title = "Test"

[[section]]
key = "A"
title = "Sectie A"

[[section.item]]
key = "a_plan"
type = "yes_partly_no"
label = "Is er een plan?"
indicator = "Regionaal plan"

[[section.item]]
key = "a_toelichting"
type = "long_text"
label = "Toelichting"

[[section.item]]
key = "a_openbare_tekst"
type = "short_text"
label = "Naam van het plan"
public = true

[[section.item]]
key = "a_status"
type = "single_choice"
label = "Status"
indicator = "Status van het plan"
counts = ["vastgesteld"]
options = [{ code = "concept", label = "Concept" }, { code = "vastgesteld", label = "Vastgesteld" }]

[[section]]
key = "B"
title = "Intern"
public = false

[[section.item]]
key = "b_aantal"
type = "integer"
label = "Aantal"

[[section.item]]
key = "b_toch_openbaar"
type = "integer"
label = "Aantal"
public = true
"#;
    let questionnaire = load(source, None).unwrap_or_else(|e| panic!("{e:#?}"));
    let item = |key: &str| questionnaire.item(key).unwrap();
    assert!(item("a_plan").public);
    assert_eq!(item("a_plan").indicator_counts, vec!["ja"]);
    assert!(!item("a_toelichting").public);
    assert!(item("a_openbare_tekst").public);
    assert_eq!(item("a_status").indicator_counts, vec!["vastgesteld"]);
    assert!(!item("b_aantal").public, "the section says not public");
    assert!(
        item("b_toch_openbaar").public,
        "the item overrides its section"
    );
    assert!(item("b_aantal").indicator_counts.is_empty());
}

#[test]
fn the_nad_indicators_are_public_and_say_which_answers_count() {
    let previous = load(&read(&folder("nad-2025-12.toml")), None).unwrap();
    let current = load(&read(&folder("nad-2026-06.toml")), Some(&previous)).unwrap();
    for version in [&previous, &current] {
        let indicators: Vec<&Item> = version.items().filter(|i| i.indicator.is_some()).collect();
        assert!(indicators.len() >= 4, "{}", version.version);
        for item in indicators {
            assert!(item.public, "{}", item.key);
            if item.kind.codes().is_some() {
                assert!(!item.indicator_counts.is_empty(), "{}", item.key);
            }
        }
        assert!(
            version.items().any(|i| !i.public),
            "free text stays off the dashboard"
        );
    }
    assert_eq!(
        current.item("b_plan_status").unwrap().indicator_counts,
        vec!["vastgesteld"]
    );
}
