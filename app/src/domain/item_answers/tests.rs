use super::*;
use crate::domain::questionnaire::answer::parse_answer;
use crate::domain::questionnaire::load::load;

const DEFINITION: &str = r#"
identifier = "t"
version = "1"
title = "Test"
introduction = "."

[[section]]
key = "a"
title = "Eerste"

[[section.item]]
key = "plan"
type = "yes_partly_no"
label = "Is er een plan?"
unknown = true

[[section.item]]
key = "hindernissen"
type = "multiple_choice"
label = "Wat houdt het tegen?"
options = [
  { code = "woningen", label = "Woningtekort" },
  { code = "bezwaar", label = "Bezwaar van omwonenden" },
  { code = "geld", label = "Geld" },
]

[[section]]
key = "b"
title = "Tweede"

[[section.item]]
key = "plekken"
type = "integer"
label = "Hoeveel plekken?"
unit = "plekken"

[[section.item]]
key = "uitleg"
type = "long_text"
label = "Wat doet u aan bezwaar?"
max_length = 1000
visible_if = "hindernissen contains 'bezwaar'"
"#;

fn questionnaire() -> Questionnaire {
    load(DEFINITION, None).expect("the test questionnaire loads")
}

fn item(key: &str) -> Item {
    questionnaire().item(key).unwrap().clone()
}

fn raw(values: &[&str]) -> RawAnswer {
    RawAnswer {
        values: values.iter().map(|v| v.to_string()).collect(),
        ..RawAnswer::default()
    }
}

/// Input as a save stores it: parsed, `None` where it does not parse.
fn given(item: &Item, input: RawAnswer) -> Given {
    Given {
        value: parse_answer(item, &input).ok().flatten(),
        raw: input,
        prefilled: false,
    }
}

fn before(item: &Item, input: RawAnswer) -> Before {
    Before {
        value: parse_answer(item, &input).ok().flatten(),
        raw: Some(input),
    }
}

fn region(code: &str, name: &str, given: Option<Given>, before: Before) -> RegionInput {
    RegionInput {
        region_code: code.to_string(),
        region_name: name.to_string(),
        response_id: given.as_ref().map(|_| format!("r.{code}")),
        status: if given.is_some() {
            ReviewStatus::Submitted
        } else {
            ReviewStatus::NotStarted
        },
        asked: true,
        given,
        before,
    }
}

#[test]
fn answers_read_as_the_reviewer_reads_them_beside_the_compared_round() {
    let plan = item("plan");
    let same = row(
        &plan,
        region(
            "R01",
            "Groningen",
            Some(given(&plan, raw(&["ja"]))),
            before(&plan, raw(&["ja"])),
        ),
    );
    assert_eq!(
        (same.now.as_str(), same.before.as_deref()),
        ("Ja", Some("Ja"))
    );
    assert_eq!(
        (same.standing, same.changed),
        (Standing::Answered, Some(false))
    );
    assert_eq!(same.now_codes, vec!["ja".to_string()]);
    let moved = row(
        &plan,
        region(
            "R02",
            "Friesland",
            Some(given(&plan, raw(&["deels"]))),
            before(&plan, raw(&["nee"])),
        ),
    );
    assert_eq!((moved.now.as_str(), moved.changed), ("Deels", Some(true)));
    let unknown = RawAnswer {
        special: Some("onbekend".into()),
        ..RawAnswer::default()
    };
    let explicit = row(
        &plan,
        region(
            "R03",
            "Drenthe",
            Some(given(&plan, unknown)),
            Before::default(),
        ),
    );
    assert_eq!(
        (explicit.now.as_str(), explicit.standing),
        ("Onbekend", Standing::Unknown)
    );
    assert!(explicit.standing.counts_as_answered());
    assert_eq!(
        (explicit.before, explicit.changed),
        (None, None),
        "nothing to compare"
    );
    let nothing = row(&plan, region("R04", "Twente", None, Before::default()));
    assert_eq!(
        (nothing.now.as_str(), nothing.standing),
        ("Niet beantwoord", Standing::NotAnswered)
    );
}

#[test]
fn odd_and_half_typed_input_is_marked_never_lost() {
    let places = item("plekken");
    // Typed halfway: stored, not valid, shown as typed.
    let typing = row(
        &places,
        region(
            "R01",
            "A",
            Some(given(&places, raw(&["12a"]))),
            Before::default(),
        ),
    );
    assert_eq!(typing.standing, Standing::Invalid);
    assert_eq!(typing.now, "Ongeldige invoer: 12a");
    assert_eq!(typing.now_value, "12a");
    assert_eq!((typing.now_number, typing.changed), (None, None));
    // Only spaces: nothing was filled in.
    let spaces = row(
        &places,
        region(
            "R02",
            "B",
            Some(given(&places, raw(&["  "]))),
            Before::default(),
        ),
    );
    assert_eq!(
        (spaces.standing, spaces.now.as_str()),
        (Standing::NotAnswered, "Niet beantwoord")
    );
    // Surrounding spaces are not part of the answer.
    let padded = row(
        &places,
        region(
            "R03",
            "C",
            Some(given(&places, raw(&[" 40 "]))),
            before(&places, raw(&["40"])),
        ),
    );
    assert_eq!(
        (padded.now.as_str(), padded.now_number),
        ("40 plekken", Some(40.0))
    );
    assert_eq!(padded.changed, Some(false));
    // A code that is no option, and a value whose input went missing.
    let choices = item("hindernissen");
    let stray = row(
        &choices,
        region(
            "R04",
            "D",
            Some(given(&choices, raw(&["woningen", "onzin"]))),
            Before::default(),
        ),
    );
    assert_eq!(stray.standing, Standing::Invalid);
    assert!(
        stray.now_codes.is_empty(),
        "an invalid answer counts for no option"
    );
    let bare = Given {
        raw: RawAnswer::default(),
        value: Some(Answer::Given(AnswerValue::Integer(7))),
        prefilled: false,
    };
    let bare = row(&places, region("R05", "E", Some(bare), Before::default()));
    assert_eq!(bare.now, "7", "a value is never shown as not answered");
    // Taken over and not confirmed: shown, not counted.
    let mut taken = given(&places, raw(&["30"]));
    taken.prefilled = true;
    let taken = row(
        &places,
        region("R06", "F", Some(taken), before(&places, raw(&["30"]))),
    );
    assert_eq!(taken.standing, Standing::Unconfirmed);
    assert_eq!(taken.now, "30 plekken (overgenomen, niet bevestigd)");
    assert!(!taken.standing.counts_as_answered());
}

#[test]
fn an_item_hidden_by_its_condition_is_not_asked_whatever_is_stored() {
    let text = item("uitleg");
    let mut input = region(
        "R01",
        "A",
        Some(given(&text, raw(&["Buurtgesprekken"]))),
        Before::default(),
    );
    input.asked = false;
    let hidden = row(&text, input);
    assert_eq!(
        (hidden.standing, hidden.now.as_str()),
        (Standing::NotAsked, "Niet gesteld")
    );
    assert_eq!(hidden.changed, None);
}

#[test]
fn an_item_without_a_counterpart_has_no_previous_answer() {
    // The service passes an empty `Before` for an item lineage does not follow (new, split,
    // changed in meaning), and says why once above the table.
    let text = item("uitleg");
    let answers = ItemAnswers::build(
        &text,
        vec![region(
            "R01",
            "A",
            Some(given(&text, raw(&["Gesprekken"]))),
            Before::default(),
        )],
        Selection::default(),
        Some("Nieuwe vraag in deze meting.".to_string()),
    );
    let only = &answers.rows[0];
    assert_eq!((only.before.as_deref(), only.changed), (None, None));
    assert_eq!(
        answers.not_compared.as_deref(),
        Some("Nieuwe vraag in deze meting.")
    );
    assert_eq!(
        download_row(&text, only).last().map(String::as_str),
        Some("")
    );
}

/// Three regions answering the multiple choice item, with the December answers.
fn choice_rows() -> (Item, Vec<RegionInput>) {
    let choices = item("hindernissen");
    let inputs = vec![
        region(
            "R01",
            "Groningen",
            Some(given(&choices, raw(&["bezwaar", "woningen"]))),
            before(&choices, raw(&["woningen"])),
        ),
        region(
            "R02",
            "Friesland",
            Some(given(&choices, raw(&["geld"]))),
            before(&choices, raw(&["geld"])),
        ),
        region("R03", "Drenthe", None, before(&choices, raw(&["bezwaar"]))),
    ];
    (choices, inputs)
}

#[test]
fn the_tally_counts_each_option_now_and_before() {
    let (choices, inputs) = choice_rows();
    let answers = ItemAnswers::build(&choices, inputs, Selection::default(), None);
    let lines: Vec<(&str, usize, usize)> = answers
        .tally
        .iter()
        .map(|l| (l.label.as_str(), l.now, l.before))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("Woningtekort", 1, 1),
            ("Bezwaar van omwonenden", 1, 1),
            ("Geld", 1, 1)
        ]
    );
    assert_eq!(answers.totals.headline(), "2 van 3 regio's beantwoord");
    assert_eq!(answers.totals.changed, 1);
    assert_eq!(
        answers.totals.details(),
        "1 niet beantwoord · 1 gewijzigd ten opzichte van de vorige meting"
    );
    let plan = item("plan");
    let with_unknown = tally(&plan, &[]);
    assert_eq!(
        with_unknown.last().map(|l| l.label.as_str()),
        Some("Onbekend")
    );
    assert!(
        tally(&item("uitleg"), &[]).is_empty(),
        "open items have no tally"
    );
}

#[test]
fn the_chooser_lists_every_item_by_section() {
    let groups = chooser(&questionnaire());
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].0, "Eerste");
    assert_eq!(
        groups[1]
            .1
            .iter()
            .map(|(key, _)| key.as_str())
            .collect::<Vec<_>>(),
        ["plekken", "uitleg"]
    );
    assert_eq!(
        type_label(&item("uitleg").kind),
        "Lange tekst (open antwoord)"
    );
}

#[test]
fn whether_an_item_was_asked_reads_its_condition_and_what_steers_that() {
    let definition = questionnaire();
    let reads = |key: &str| {
        condition_reads(&definition, key)
            .into_iter()
            .collect::<Vec<_>>()
    };
    assert_eq!(reads("uitleg"), ["hindernissen", "uitleg"]);
    assert_eq!(reads("plan"), ["plan"], "always asked: only itself");
}

mod selection;
