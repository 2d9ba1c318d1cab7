use super::dashboard::{self, Earlier, Published};
use super::*;
use crate::domain::comparison::VersionMapping;
use crate::domain::questionnaire::load::load;
use crate::domain::time::end_of_local_day;

const FIRST: &str = r#"
identifier = "test"
version = "1"
title = "Test"

[[section]]
key = "B"
title = "Regionale aanpak"

[[section.item]]
key = "b_plan"
type = "yes_partly_no"
label = "Staat Wonen Eerst in het plan?"
indicator = "Wonen Eerst in het plan"

[[section.item]]
key = "b_toelichting"
type = "long_text"
label = "Toelichting"

[[section.item]]
key = "b_plekken"
type = "integer"
label = "Hoeveel plekken?"
indicator = "Plekken"

[[section.item]]
key = "b_doel"
type = "yes_no"
label = "Is er een doel?"
"#;

const SECOND: &str = r#"
identifier = "test"
version = "2"
title = "Test"
previous_version = "1"

[[section]]
key = "B"
title = "Regionale aanpak"

[[section.item]]
key = "b_plan"
type = "yes_partly_no"
label = "Staat Wonen Eerst in het plan?"
indicator = "Wonen Eerst in het plan"
lineage = "unchanged"

[[section.item]]
key = "b_toelichting"
type = "long_text"
label = "Toelichting"
lineage = "unchanged"

[[section.item]]
key = "b_plekken"
type = "integer"
label = "Hoeveel plekken voor 24 uur?"
indicator = "Plekken"
lineage = { changed_meaning = "nu alleen 24-uursplekken" }

[[section.item]]
key = "b_doel"
type = "yes_no"
label = "Is er een doel?"
lineage = "unchanged"
"#;

fn region(code: &str, answers: Option<Vec<(&str, PublishedAnswer)>>) -> PublishedRegion {
    PublishedRegion {
        code: code.to_string(),
        name: format!("Regio {code}"),
        gemeenten: vec![format!("Gemeente {code}")],
        answers: answers.map(|list| {
            list.into_iter()
                .map(|(key, answer)| (key.to_string(), answer))
                .collect()
        }),
    }
}

fn code(text: &str) -> PublishedAnswer {
    PublishedAnswer::Given(AnswerValue::Code(text.to_string()))
}

fn number(n: i64) -> PublishedAnswer {
    PublishedAnswer::Given(AnswerValue::Integer(n))
}

fn snapshot(version: &str, month: u32, year: i64, regions: Vec<PublishedRegion>) -> Snapshot {
    Snapshot {
        round_name: format!("Meting {month}-{year}"),
        questionnaire_id: "test".to_string(),
        questionnaire_version: version.to_string(),
        deadline: end_of_local_day(year, month, 20),
        regions,
    }
}

fn edition(slug: &str) -> Edition {
    Edition {
        slug: slug.to_string(),
        edition: 1,
        published_at: 0,
        note: String::new(),
    }
}

#[test]
fn a_round_is_named_by_the_month_of_its_deadline_and_never_twice() {
    let deadline = end_of_local_day(2026, 6, 26);
    assert_eq!(round_slug("nad", deadline, &[]), "2026-06");
    assert_eq!(
        round_slug("nad", deadline, &["2026-06".to_string()]),
        "2026-06-2"
    );
    assert_eq!(
        round_slug(
            "nad",
            deadline,
            &["2026-06".to_string(), "2026-06-2".to_string()]
        ),
        "2026-06-3"
    );
    assert!(is_slug("2026-06") && is_slug("2026-06-2"));
    assert!(!is_slug("regio") && !is_slug("2026") && !is_slug("../etc/passwd"));
    assert_eq!(period(deadline), "juni 2026");
}

#[test]
fn another_programme_names_its_rounds_after_its_code() {
    let deadline = end_of_local_day(2026, 12, 18);
    // The NAD's "2026-12" does not stand in the way: the names differ by the code.
    assert_eq!(
        round_slug("bt", deadline, &["2026-12".to_string()]),
        "bt-2026-12"
    );
    assert_eq!(
        round_slug("bt", deadline, &["bt-2026-12".to_string()]),
        "bt-2026-12-2"
    );
    assert!(is_slug("bt-2026-12") && is_slug("beschermd-thuis-2-2026-12-2"));
    // A programme's code alone names its newest publication, not one publication.
    assert!(!is_slug("bt") && !is_slug("bt-") && !is_slug("Bt-2026-12") && !is_slug("-2026-12"));
    assert!(!is_slug("bt-regio") && !is_slug("bt/2026-12"));
    assert_eq!(period(end_of_local_day(2025, 12, 19)), "december 2025");
}

#[test]
fn conclusions_are_markdown_without_html_and_notes_are_required() {
    assert!(check_conclusions(
        "# Conclusies\n\n- Wonen Eerst in 95% van de plannen\n- < 5 regio's zonder plan"
    )
    .is_ok());
    for html in [
        "<script>alert(1)</script>",
        "Tekst <b>vet</b>",
        "<!-- x -->",
        "a </p>",
    ] {
        assert!(check_conclusions(html).is_err(), "{html}");
    }
    assert!(check_conclusions(&"x".repeat(MAX_CONCLUSIONS_CHARS + 1)).is_err());
    assert!(check_note("  ").is_err());
    assert_eq!(
        check_note(" Regio X gecorrigeerd ").unwrap(),
        "Regio X gecorrigeerd"
    );
    assert!(check_note(&"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
}

#[test]
fn published_answers_keep_only_what_counts() {
    use crate::domain::export::Status;
    let value = Answer::Given(AnswerValue::Integer(3));
    assert_eq!(
        PublishedAnswer::from_status(Status::Answered, Some(&value)),
        number(3)
    );
    for status in [Status::Invalid, Status::Unconfirmed, Status::NotAnswered] {
        assert_eq!(
            PublishedAnswer::from_status(status, Some(&value)),
            PublishedAnswer::NotAnswered
        );
    }
    assert_eq!(
        PublishedAnswer::from_status(Status::NotAsked, None),
        PublishedAnswer::NotAsked
    );
}

/// December 2025 on version 1: two regions with answers, one without approved answers.
fn december_2025() -> Snapshot {
    snapshot(
        "1",
        12,
        2025,
        vec![
            region(
                "R01",
                Some(vec![
                    ("b_plan", code("ja")),
                    ("b_plekken", number(10)),
                    ("b_doel", code("ja")),
                ]),
            ),
            region(
                "R02",
                Some(vec![
                    ("b_plan", code("nee")),
                    ("b_plekken", number(20)),
                    ("b_doel", code("nee")),
                ]),
            ),
            region("R03", None),
        ],
    )
}

/// June 2026 on version 2: four regions with answers (among them onbekend, not asked and
/// not answered), one without approved answers.
fn june_2026() -> Snapshot {
    snapshot(
        "2",
        6,
        2026,
        vec![
            region(
                "R01",
                Some(vec![
                    ("b_plan", code("ja")),
                    ("b_plekken", number(1000)),
                    ("b_doel", code("ja")),
                ]),
            ),
            region(
                "R02",
                Some(vec![
                    ("b_plan", code("ja")),
                    ("b_plekken", number(2500)),
                    ("b_doel", code("ja")),
                ]),
            ),
            region(
                "R03",
                Some(vec![
                    ("b_plan", code("deels")),
                    ("b_plekken", PublishedAnswer::Unknown),
                    ("b_doel", PublishedAnswer::NotAsked),
                ]),
            ),
            region(
                "R04",
                Some(vec![
                    ("b_plan", code("ja")),
                    ("b_plekken", PublishedAnswer::NotAnswered),
                    ("b_doel", code("nee")),
                ]),
            ),
            region("R05", None),
        ],
    )
}

/// December 2025 on version 1, June 2026 on version 2 (the number of places changed
/// meaning): the share follows lineage, the number stops with a reason, regions without
/// approved answers are "geen gegevens" and never count as zeros.
#[test]
fn the_national_page_shows_shares_with_their_n_change_and_trend() {
    let first = load(FIRST, None).unwrap();
    let second = load(SECOND, Some(&first)).unwrap();
    let (before, now) = (december_2025(), june_2026());
    let (old_edition, new_edition) = (edition("2025-12"), edition("2026-06"));
    let mapping = VersionMapping::new(&[&first, &second]);
    let earlier = [Earlier {
        published: Published {
            edition: &old_edition,
            snapshot: &before,
        },
        mapping: Some(&mapping),
    }];
    let current = Published {
        edition: &new_edition,
        snapshot: &now,
    };
    let page = dashboard::national(current, vec![new_edition.clone()], &second, &earlier);
    regions_without_data_are_counted_apart(&page);
    the_share_follows_lineage(&page);
    the_number_stops_where_its_meaning_changed(&page);
    other_public_items_show_their_distribution(&page);
    let now_tally = dashboard::tally(&now);
    let region_page = |code: &str| {
        dashboard::region(
            current,
            vec![new_edition.clone()],
            &second,
            &earlier,
            code,
            &now_tally,
        )
    };
    region_pages_show_each_indicators_history(&region_page);
    a_region_without_approved_answers_has_no_data(&region_page);
    assert!(dashboard::region(current, vec![], &second, &earlier, "R99", &now_tally).is_none());
}

fn regions_without_data_are_counted_apart(page: &dashboard::NationalDashboard) {
    assert_eq!(page.regions_taking_part, 5);
    assert_eq!(page.regions_with_data, 4);
    assert_eq!(page.without_data.len(), 1);
    assert_eq!(page.without_data[0].code, "R05");
    assert_eq!(page.previous_period.as_deref(), Some("december 2025"));
}

fn indicator<'a>(
    page: &'a dashboard::NationalDashboard,
    key: &str,
) -> &'a dashboard::IndicatorView {
    page.sections[0]
        .indicators
        .iter()
        .find(|i| i.key == key)
        .unwrap()
}

fn the_share_follows_lineage(page: &dashboard::NationalDashboard) {
    let plan = indicator(page, "b_plan");
    assert_eq!(
        plan.headline,
        "75% (3 van 4 regio's) – was 50% in december 2025"
    );
    assert_eq!(
        plan.change.as_deref(),
        Some("+25 procentpunten sinds december 2025")
    );
    assert_eq!(plan.trend.len(), 2);
    assert_eq!(plan.trend[0].value, Some(50.0));
    assert_eq!(plan.trend[0].detail, "1 van 2 regio's");
}

fn the_number_stops_where_its_meaning_changed(page: &dashboard::NationalDashboard) {
    let places = indicator(page, "b_plekken");
    assert_eq!(places.headline, "3.500 (samen, 2 regio's)");
    assert_eq!(places.change, None);
    assert_eq!(places.trend[0].value, None);
    assert_eq!(places.trend[0].shown, "niet vergeleken");
    assert!(places
        .trend_note
        .as_deref()
        .unwrap()
        .contains("24-uursplekken"));
}

fn other_public_items_show_their_distribution(page: &dashboard::NationalDashboard) {
    let section = &page.sections[0];
    assert!(
        section.items.iter().all(|i| i.key != "b_toelichting"),
        "free text is not public"
    );
    let goal = section.items.iter().find(|i| i.key == "b_doel").unwrap();
    assert_eq!(goal.current.given, 4 - 1);
    assert_eq!(goal.current.not_asked, 1);
    assert_eq!(goal.previous.as_ref().unwrap().given, 2);
}

fn history_of<'a>(page: &'a dashboard::RegionDashboard, name: &str) -> &'a [String] {
    &page
        .history
        .iter()
        .find(|h| h.name == name)
        .unwrap()
        .answers
}

/// R04 did not take part in December; R03 took part without approved answers.
fn region_pages_show_each_indicators_history(
    region_page: &dyn Fn(&str) -> Option<dashboard::RegionDashboard>,
) {
    let r04 = region_page("R04").unwrap();
    assert!(r04.has_data);
    assert_eq!(r04.gemeenten, vec!["Gemeente R04"]);
    assert_eq!(
        history_of(&r04, "Wonen Eerst in het plan"),
        vec!["Deed niet mee", "Ja"]
    );
    let r03 = region_page("R03").unwrap();
    assert_eq!(
        history_of(&r03, "Wonen Eerst in het plan"),
        vec!["Geen gegevens", "Deels"]
    );
    let places = r03.sections[0]
        .items
        .iter()
        .find(|i| i.key == "b_plekken")
        .unwrap();
    assert_eq!(places.answer, "Onbekend");
}

fn a_region_without_approved_answers_has_no_data(
    region_page: &dyn Fn(&str) -> Option<dashboard::RegionDashboard>,
) {
    let r05 = region_page("R05").unwrap();
    assert!(!r05.has_data);
    assert!(r05.sections[0]
        .items
        .iter()
        .all(|i| i.answer == "Geen gegevens"));
}

#[test]
fn numbers_are_grouped_by_thousands_with_a_decimal_comma() {
    assert_eq!(dashboard::grouped(12345.0), "12.345");
    assert_eq!(dashboard::grouped(999.0), "999");
    assert_eq!(dashboard::grouped(-1234567.0), "-1.234.567");
    assert_eq!(dashboard::grouped(2.5), "2,5");
}

#[test]
fn a_correction_lists_what_changes_per_region() {
    let latest = snapshot(
        "1",
        6,
        2026,
        vec![
            region(
                "R01",
                Some(vec![("b_plan", code("ja")), ("b_plekken", number(4))]),
            ),
            region("R02", None),
            region("R03", Some(vec![("b_plan", code("ja"))])),
            region("R04", Some(vec![("b_plan", code("nee"))])),
            region("R05", None),
        ],
    );
    assert!(changes(&latest, &latest).is_empty());
    let next = snapshot(
        "1",
        6,
        2026,
        vec![
            region(
                "R01",
                Some(vec![("b_plan", code("ja")), ("b_plekken", number(5))]),
            ),
            region("R02", Some(vec![("b_plan", code("ja"))])),
            region("R03", None),
            region(
                "R04",
                Some(vec![("b_plan", code("ja")), ("b_plekken", number(1))]),
            ),
            region("R06", None),
        ],
    );
    assert_eq!(
        changes(&latest, &next),
        [
            "Regio R01 (R01): 1 antwoord gewijzigd.",
            "Regio R02 (R02): nu goedgekeurd; de antwoorden komen erbij.",
            "Regio R03 (R03): niet meer goedgekeurd; wordt ‘geen gegevens’.",
            "Regio R04 (R04): 2 antwoorden gewijzigd.",
            "Regio R06 (R06): doet nu mee, zonder goedgekeurde antwoorden.",
            "Regio R05 (R05): doet niet meer mee.",
        ]
    );
}
