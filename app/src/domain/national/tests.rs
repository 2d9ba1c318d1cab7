use super::*;
use crate::domain::questionnaire::model::{Lineage, Questionnaire, Section};

fn item(key: &str, kind: ItemKind) -> Item {
    Item {
        key: key.to_string(),
        kind,
        label: key.to_string(),
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

fn code(code: &str) -> Answer {
    Answer::Given(AnswerValue::Code(code.to_string()))
}

#[test]
fn shares_have_their_denominator_and_the_explicit_non_answers() {
    // 45 regions, 44 submitted: 41 ja, 2 nee, 1 onbekend.
    let mut tally = RoundTally {
        participating: 45,
        submitted: 44,
        ..RoundTally::default()
    };
    tally.add("plan", &code("ja"), 41);
    tally.add("plan", &code("nee"), 2);
    tally.add("plan", &Answer::Unknown, 1);
    let figures = figures(
        &item("plan", ItemKind::YesNo),
        tally.items.get("plan"),
        tally.submitted,
    );
    assert_eq!(figures.given, 43);
    assert_eq!(figures.not_answered, 0);
    let Distribution::Choices(shares) = &figures.distribution else {
        panic!("yes/no is counted per choice");
    };
    assert_eq!(shares[0].regions, 41);
    assert_eq!(
        figures.share_text(shares[0].regions),
        "95% (41 van 43; 1 onbekend)"
    );
    assert_eq!(
        figures.share_text(shares[1].regions),
        "5% (2 van 43; 1 onbekend)"
    );
}

#[test]
fn not_asked_not_applicable_and_empty_are_told_apart() {
    let mut tally = RoundTally {
        participating: 10,
        submitted: 8,
        ..RoundTally::default()
    };
    tally.add("x", &code("ja"), 3);
    tally.add("x", &Answer::NotApplicable, 2);
    tally.not_asked("x", 1);
    let figures = figures(
        &item("x", ItemKind::YesNo),
        tally.items.get("x"),
        tally.submitted,
    );
    assert_eq!(figures.given, 3);
    assert_eq!(figures.not_applicable, 2);
    assert_eq!(figures.not_asked, 1);
    // 8 submitted − 3 given − 2 n.v.t. − 1 not asked
    assert_eq!(figures.not_answered, 2);
    assert_eq!(figures.share_text(3), "100% (3 van 3; 2 n.v.t.)");
}

#[test]
fn an_item_nobody_answered_has_no_percentage() {
    let figures = figures(&item("x", ItemKind::YesNo), None, 5);
    assert_eq!(figures.not_answered, 5);
    assert_eq!(figures.share_text(0), "geen antwoorden");
}

#[test]
fn multiple_choice_counts_a_region_under_every_option_it_chose() {
    let kind = ItemKind::MultipleChoice {
        options: fixed_choices(&[("a", "A"), ("b", "B"), ("c", "C")]),
        min_selected: None,
        max_selected: None,
    };
    let mut tally = ItemTally::default();
    let codes = |list: &[&str]| {
        Answer::Given(AnswerValue::Codes(
            list.iter().map(|c| c.to_string()).collect(),
        ))
    };
    tally.add(&codes(&["a", "b"]), 2);
    tally.add(&codes(&["b"]), 1);
    let figures = figures(&item("m", kind), Some(&tally), 3);
    let Distribution::Choices(shares) = figures.distribution else {
        panic!("multiple choice is counted per choice");
    };
    let counts: Vec<usize> = shares.iter().map(|s| s.regions).collect();
    assert_eq!(counts, vec![2, 3, 0]);
}

#[test]
fn numbers_give_median_range_and_total() {
    let mut tally = ItemTally::default();
    for (n, count) in [(10, 2), (30, 1), (20, 1)] {
        tally.add(&Answer::Given(AnswerValue::Integer(n)), count);
    }
    let figures = figures(
        &item(
            "n",
            ItemKind::Integer {
                min: None,
                max: None,
            },
        ),
        Some(&tally),
        4,
    );
    assert_eq!(
        figures.distribution,
        Distribution::Numbers {
            median: 15.0,
            lowest: 10.0,
            highest: 30.0,
            total: Some(70.0),
        }
    );
    assert_eq!(format_number(15.0), "15");
    assert_eq!(format_number(12.25), "12,2");
}

#[test]
fn a_key_indicator_reads_as_one_line() {
    let mut now = RoundTally::default();
    now.add("w", &code("ja"), 41);
    now.add("w", &code("nee"), 2);
    now.add("w", &Answer::Unknown, 2);
    let mut before = RoundTally::default();
    before.add("w", &code("ja"), 37);
    before.add("w", &code("nee"), 8);
    let item_definition = item("w", ItemKind::YesNo);
    let national = NationalItem {
        key: "w".into(),
        label: "Wonen Eerst?".into(),
        indicator: Some("Wonen Eerst opgenomen in regionaal plan".into()),
        unit: None,
        current: figures(&item_definition, now.items.get("w"), 45),
        compared: Some(figures(&item_definition, before.items.get("w"), 45)),
        not_compared: None,
    };
    assert_eq!(
        national.headline().unwrap(),
        "Wonen Eerst opgenomen in regionaal plan: ‘Ja’ bij 95% (41 van 43; 2 onbekend); \
         vorige meting 82% (37 van 45)"
    );
    let plain = NationalItem {
        indicator: None,
        ..national
    };
    assert_eq!(plain.headline(), None);
}

#[test]
fn percentages_round_half_up() {
    assert_eq!(percent(41, 43), Some(95));
    assert_eq!(percent(1, 8), Some(13));
    assert_eq!(percent(1, 3), Some(33));
    assert_eq!(percent(0, 0), None);
}

fn version(number: &str, previous: Option<&str>, items: Vec<Item>) -> Questionnaire {
    Questionnaire {
        identifier: "t".to_string(),
        version: number.to_string(),
        programme: "nad".into(),
        title: "T".to_string(),
        introduction: ".".to_string(),
        previous_version: previous.map(str::to_string),
        sections: vec![Section {
            key: "a".to_string(),
            title: "A".to_string(),
            intro: None,
            items,
        }],
        removed: vec![],
    }
}

#[test]
fn the_compared_round_is_counted_in_the_current_keys_and_codes() {
    let plan_kind = |options: &[(&str, &str)]| ItemKind::SingleChoice {
        options: fixed_choices(options),
    };
    let old = version(
        "1",
        None,
        vec![
            item(
                "old_plan",
                plan_kind(&[("concept", "C"), ("college", "Co"), ("raad", "R")]),
            ),
            item("gone", ItemKind::YesNo),
        ],
    );
    let mut renamed = item("plan", plan_kind(&[("voorbereid", "V"), ("raad", "R")]));
    renamed.lineage = Lineage::Mapped {
        from: "old_plan".to_string(),
        codes: [
            ("concept", "voorbereid"),
            ("college", "voorbereid"),
            ("raad", "raad"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect(),
    };
    let mut new_item = item("fresh", ItemKind::YesNo);
    new_item.lineage = Lineage::New;
    let new = version("2", Some("1"), vec![renamed.clone(), new_item]);
    let mapping = VersionMapping::new(&[&old, &new]);

    let mut compared = RoundTally {
        participating: 45,
        submitted: 40,
        ..RoundTally::default()
    };
    compared.add("old_plan", &code("concept"), 5);
    compared.add("old_plan", &code("college"), 7);
    compared.add("old_plan", &code("raad"), 26);
    compared.add("old_plan", &Answer::Unknown, 2);
    compared.add("gone", &code("ja"), 40);
    let mapped = compared.mapped(&mapping);
    assert_eq!(mapped.submitted, 40);
    assert!(!mapped.items.contains_key("gone"));
    assert!(!mapped.items.contains_key("fresh"));
    let figures = figures(&renamed, mapped.items.get("plan"), mapped.submitted);
    let Distribution::Choices(shares) = &figures.distribution else {
        panic!("single choice is counted per choice");
    };
    // Two old codes merged into one: 5 + 7 regions.
    assert_eq!(shares[0].regions, 12);
    assert_eq!(shares[1].regions, 26);
    assert_eq!(figures.share_text(26), "68% (26 van 38; 2 onbekend)");
}

#[test]
fn the_counts_in_words_name_only_what_occurs() {
    let figures = ItemFigures {
        given: 43,
        unknown: 2,
        not_applicable: 0,
        not_asked: 0,
        not_answered: 1,
        distribution: Distribution::Counted,
    };
    assert_eq!(
        figures.counts_text("met een antwoord"),
        "43 met een antwoord, 2 onbekend, 1 niet beantwoord."
    );
}
