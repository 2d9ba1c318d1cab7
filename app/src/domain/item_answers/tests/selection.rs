//! The filter, the order, the query string and the download's layout.

use super::*;

fn query(pairs: &[(&str, &str)]) -> RawQuery {
    let mut raw = RawQuery::default();
    for (name, value) in pairs {
        let value = Some(value.to_string());
        match *name {
            "vraag" => raw.item = value,
            "zoek" => raw.search = value,
            "keuze" => raw.choice = value,
            "gewijzigd" => raw.changed = value,
            "beantwoord" => raw.answered = value,
            "status" => raw.status = value,
            "sorteer" => raw.sort = value,
            "volgorde" => raw.order = value,
            other => panic!("no parameter {other}"),
        }
    }
    raw
}

fn shown(item: &Item, inputs: Vec<RegionInput>, pairs: &[(&str, &str)]) -> Vec<String> {
    let selection = Selection::read(item, &query(pairs)).expect("a valid query");
    ItemAnswers::build(item, inputs, selection, None)
        .rows
        .into_iter()
        .map(|r| r.region_code)
        .collect()
}

#[test]
fn filters_keep_what_they_say() {
    let (choices, inputs) = choice_rows();
    assert_eq!(
        shown(&choices, inputs.clone(), &[]),
        ["R03", "R02", "R01"],
        "by name"
    );
    assert_eq!(
        shown(&choices, inputs.clone(), &[("keuze", "bezwaar")]),
        ["R01"]
    );
    assert_eq!(
        shown(&choices, inputs.clone(), &[("gewijzigd", "ja")]),
        ["R01"]
    );
    assert_eq!(
        shown(&choices, inputs.clone(), &[("beantwoord", "nee")]),
        ["R03"]
    );
    assert_eq!(
        shown(&choices, inputs.clone(), &[("beantwoord", "niet-gesteld")]),
        Vec::<String>::new()
    );
    assert_eq!(
        shown(&choices, inputs.clone(), &[("status", "niet-begonnen")]),
        ["R03"]
    );
    // Searching ignores case and finds words inside the answer.
    assert_eq!(
        shown(&choices, inputs.clone(), &[("zoek", "  OMWONENDEN ")]),
        ["R01"]
    );
    assert_eq!(
        shown(&choices, inputs, &[("zoek", "niets hiervan")]),
        Vec::<String>::new()
    );
}

#[test]
fn columns_sort_both_ways_with_unanswered_last() {
    let places = item("plekken");
    let inputs = vec![
        region(
            "R01",
            "Groningen",
            Some(given(&places, raw(&["100"]))),
            before(&places, raw(&["5"])),
        ),
        region(
            "R02",
            "Friesland",
            Some(given(&places, raw(&["9"]))),
            Before::default(),
        ),
        region("R03", "Drenthe", None, before(&places, raw(&["50"]))),
        region(
            "R04",
            "Twente",
            Some(given(&places, raw(&["20"]))),
            before(&places, raw(&["x"])),
        ),
    ];
    assert_eq!(
        shown(&places, inputs.clone(), &[("sorteer", "antwoord")]),
        ["R02", "R04", "R01", "R03"],
        "as numbers, not as text"
    );
    assert_eq!(
        shown(
            &places,
            inputs.clone(),
            &[("sorteer", "antwoord"), ("volgorde", "af")]
        ),
        ["R03", "R01", "R04", "R02"]
    );
    assert_eq!(
        shown(&places, inputs.clone(), &[("sorteer", "vorig")]),
        ["R01", "R03", "R04", "R02"]
    );
    assert_eq!(
        shown(&places, inputs.clone(), &[("sorteer", "status")]),
        ["R03", "R01", "R02", "R04"]
    );
    assert_eq!(
        shown(&places, inputs, &[("sorteer", "regio"), ("volgorde", "af")]),
        ["R04", "R01", "R02", "R03"]
    );
}

#[test]
fn unknown_codes_and_oversized_values_are_refused_in_dutch() {
    let choices = item("hindernissen");
    let refused = |pairs: &[(&str, &str)]| Selection::read(&choices, &query(pairs)).unwrap_err();
    assert_eq!(
        refused(&[("keuze", "ja")]),
        "Deze vraag heeft geen keuze 'ja'."
    );
    assert!(refused(&[("status", "klaar")]).contains("Onbekende status"));
    assert!(refused(&[("sorteer", "hoogte")]).contains("sorteren"));
    assert!(refused(&[("volgorde", "omhoog")]).contains("volgorde"));
    assert!(refused(&[("gewijzigd", "nee")]).contains("gewijzigd"));
    assert!(refused(&[("beantwoord", "misschien")]).contains("beantwoord"));
    let long = "a".repeat(MAX_QUERY_CHARS + 1);
    assert!(refused(&[("zoek", &long)]).contains("200 tekens"));
    assert!(query(&[("vraag", &long)]).check_lengths().is_err());
    assert!(
        query(&[("zoek", &"é".repeat(MAX_QUERY_CHARS))])
            .check_lengths()
            .is_ok(),
        "characters, not bytes"
    );
    // An open item has no options to choose.
    assert!(Selection::read(&item("uitleg"), &query(&[("keuze", "bezwaar")])).is_err());
    // Empty values are no filter at all, as an untouched GET form sends them.
    let empty = [
        ("zoek", ""),
        ("keuze", ""),
        ("status", ""),
        ("beantwoord", ""),
        ("sorteer", ""),
        ("volgorde", ""),
    ];
    assert_eq!(
        Selection::read(&choices, &query(&empty)),
        Ok(Selection::default())
    );
}

#[test]
fn the_query_round_trips_and_header_links_flip_the_order() {
    let choices = item("hindernissen");
    let pairs = [
        ("zoek", "a&b=c"),
        ("keuze", "geld"),
        ("gewijzigd", "ja"),
        ("beantwoord", "ja"),
        ("status", "ingediend"),
        ("sorteer", "vorig"),
        ("volgorde", "af"),
    ];
    let selection = Selection::read(&choices, &query(&pairs)).unwrap();
    let text = selection.query("hindernissen");
    assert_eq!(
        text,
        "vraag=hindernissen&zoek=a%26b%3Dc&keuze=geld&gewijzigd=ja&beantwoord=ja&status=ingediend&sorteer=vorig&volgorde=af"
    );
    assert_eq!(Selection::default().query("plan"), "vraag=plan");
    let flipped = selection.sorted_by(SortKey::Before);
    assert_eq!((flipped.sort, flipped.descending), (SortKey::Before, false));
    let other = selection.sorted_by(SortKey::Region);
    assert_eq!(
        (other.sort, other.descending, other.choice.as_deref()),
        (SortKey::Region, false, Some("geld"))
    );
    assert!(selection.filters() && !Selection::default().filters());
}

#[test]
fn an_empty_round_has_no_rows_and_says_so() {
    let plan = item("plan");
    let answers = ItemAnswers::build(&plan, Vec::new(), Selection::default(), None);
    assert!(answers.rows.is_empty());
    assert_eq!(
        answers.totals.headline(),
        "Aan deze meting doen geen regio's mee."
    );
    assert_eq!(answers.totals.details(), "");
    assert!(answers
        .tally
        .iter()
        .all(|line| line.now == 0 && line.before == 0));
    let filtered = Selection::read(&plan, &query(&[("zoek", "x"), ("sorteer", "vorig")])).unwrap();
    assert!(ItemAnswers::build(&plan, Vec::new(), filtered, None)
        .rows
        .is_empty());
}

#[test]
fn the_download_has_value_columns_except_for_open_text() {
    let places = item("plekken");
    assert_eq!(
        download_columns(&places),
        [
            "regio_code",
            "regio_naam",
            "status",
            "antwoord_status",
            "antwoord",
            "antwoord_waarde",
            "vorig_antwoord",
            "vorig_waarde",
            "gewijzigd"
        ]
    );
    let line = row(
        &places,
        region(
            "R01",
            "Groningen",
            Some(given(&places, raw(&["12"]))),
            before(&places, raw(&["10"])),
        ),
    );
    assert_eq!(
        download_row(&places, &line),
        [
            "R01",
            "Groningen",
            "ingediend",
            "BEANTWOORD",
            "12 plekken",
            "12",
            "10 plekken",
            "10",
            "ja"
        ]
    );
    let text = item("uitleg");
    assert_eq!(
        download_columns(&text),
        [
            "regio_code",
            "regio_naam",
            "status",
            "antwoord_status",
            "antwoord",
            "vorig_antwoord",
            "gewijzigd"
        ]
    );
    assert_eq!(
        download_columns(&text).len(),
        download_row(&text, &line).len()
    );
    assert_eq!(
        download_name("6e meting – december 2026", "b_wonen_eerst", "csv"),
        "6e-meting-december-2026_b-wonen-eerst_antwoorden.csv"
    );
}
