use super::*;
use std::collections::HashMap;

#[derive(Default)]
struct Fixture {
    now: HashMap<String, Value>,
    before: HashMap<String, Value>,
    unknown: Vec<String>,
}

impl Answers for Fixture {
    fn value(&self, reference: &Ref) -> Value {
        self.now
            .get(&reference.to_string())
            .cloned()
            .unwrap_or(Value::Missing)
    }
    fn previous(&self, reference: &Ref) -> Value {
        self.before
            .get(&reference.to_string())
            .cloned()
            .unwrap_or(Value::Missing)
    }
    fn is_unknown(&self, reference: &Ref) -> bool {
        self.unknown.contains(&reference.to_string())
    }
    fn is_not_applicable(&self, _: &Ref) -> bool {
        false
    }
}

fn fixture() -> Fixture {
    let mut f = Fixture::default();
    f.now
        .insert("b_wonen_eerst".into(), Value::Text("deels".into()));
    f.now.insert("i_totaal".into(), Value::Number(100.0));
    f.now.insert("i_deel_a".into(), Value::Number(60.0));
    f.now.insert("i_deel_b".into(), Value::Number(50.0));
    f.now
        .insert("d_uitstroom.ggz".into(), Value::Text("ja".into()));
    f.now.insert(
        "j_knelpunten".into(),
        Value::Codes(vec!["woningtekort".into()]),
    );
    f.before
        .insert("b_wonen_eerst".into(), Value::Text("nee".into()));
    f.before.insert("i_totaal".into(), Value::Number(40.0));
    f.unknown.push("f_wachtlijst".into());
    f
}

#[test]
fn evaluation_table() {
    let f = fixture();
    let table: &[(&str, Truth)] = &[
        ("b_wonen_eerst == 'deels'", Some(true)),
        ("b_wonen_eerst in ['nee', 'deels']", Some(true)),
        ("b_wonen_eerst not in ['nee', 'deels']", Some(false)),
        (
            "b_wonen_eerst not in ['nee', 'deels'] or answered(b_toelichting)",
            Some(false),
        ),
        (
            "not changed(b_wonen_eerst) or answered(b_toelichting)",
            Some(false),
        ),
        ("changed(i_deel_a)", Some(false)),
        ("i_deel_a + i_deel_b <= i_totaal", Some(false)),
        ("i_deel_a <= i_totaal", Some(true)),
        ("change_pct(i_totaal) <= 50", Some(false)),
        ("change_pct(i_deel_a) <= 50", None),
        ("prev(i_totaal) == 40", Some(true)),
        ("d_uitstroom.ggz == 'ja'", Some(true)),
        ("d_uitstroom.mo == 'ja'", None),
        ("j_knelpunten contains 'woningtekort'", Some(true)),
        ("count(j_knelpunten) == 1", Some(true)),
        ("unknown(f_wachtlijst)", Some(true)),
        ("answered(f_wachtlijst)", Some(false)),
        ("f_wachtlijst > 3", None),
        ("f_wachtlijst > 3 or true", Some(true)),
        ("f_wachtlijst > 3 and false", Some(false)),
        ("not (f_wachtlijst > 3)", None),
        ("i_totaal / 0 > 1", None),
        ("abs(-5) == 5", Some(true)),
        ("2 * 3 + 1 == 7", Some(true)),
        ("2 * (3 + 1) == 8", Some(true)),
        ("'2026-01-02' > '2025-12-31'", Some(true)),
        ("i_totaal == 'ja'", None),
    ];
    for (source, expected) in table {
        let expr = Expr::parse(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        assert_eq!(expr.truth(&f), *expected, "{source}");
    }
}

#[test]
fn parse_errors_name_the_position() {
    let table: &[(&str, usize, &str)] = &[
        ("", 0, "leeg"),
        ("b_x ==", 6, "te vroeg"),
        ("b_x = 'ja'", 4, "=="),
        ("b_x == \"ja\"", 7, "enkele aanhalingstekens"),
        ("b_x == 'ja", 7, "niet afgesloten"),
        ("(b_x == 'ja'", 12, "')' verwacht"),
        ("b_x 'ja'", 4, "ontbreekt 'and'"),
        ("foo(b_x)", 0, "onbekende functie 'foo'"),
        ("answered('x')", 9, "sleutel van een vraag"),
        ("b_x not 'a'", 8, "'in' verwacht"),
        ("b_x in 'a'", 7, "'[' verwacht"),
        ("1.2.3 > 1", 0, "geen geldig getal"),
        ("b_x == and", 7, "onverwachte plek"),
        ("b_x. == 1", 5, "code van een rij"),
        ("b_x == 1 #", 9, "onverwacht teken '#'"),
    ];
    for (source, offset, fragment) in table {
        let error = Expr::parse(source).unwrap_err();
        assert_eq!(error.offset, *offset, "{source}: {error}");
        assert!(error.message.contains(fragment), "{source}: {error}");
    }
}

#[test]
fn deep_and_long_input_is_refused_not_a_crash() {
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(Expr::parse(&deep).is_err());
    let nots = format!("{}true", "not ".repeat(400));
    assert!(Expr::parse(&nots).is_err());
    let negs = format!("{}1", "-".repeat(1000));
    assert!(Expr::parse(&negs).is_err());
}

#[test]
fn references_are_what_an_expression_depends_on() {
    let expr = Expr::parse("a == 1 and prev(b) > 2 and answered(c.rij) and changed(d)").unwrap();
    let keys: Vec<String> = expr.references().iter().map(ToString::to_string).collect();
    assert_eq!(keys, vec!["a", "c.rij", "d"]);
    assert_eq!(expr.all_references().len(), 4);
    assert!(expr.reads_previous());
    let previous: Vec<String> = expr
        .previous_references()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(previous, vec!["b", "d"]);
    assert!(Expr::parse("not changed(b_x)").unwrap().reads_previous());
    assert!(!Expr::parse("a in ['ja'] and count(m) >= 2")
        .unwrap()
        .reads_previous());
}

#[test]
fn printing_and_parsing_again_gives_the_same_tree() {
    for source in [
        "not changed(b_x) or answered(b_y)",
        "a - (b - c) == -1",
        "x not in ['its', 'a\\'b', 1.5]",
        "m.rij contains 'x' and count(m) >= 2",
    ] {
        let expr = Expr::parse(source).unwrap();
        let printed = expr.to_string();
        assert_eq!(
            Expr::parse(&printed).unwrap(),
            expr,
            "{source} -> {printed}"
        );
    }
}
