//! Properties of the expression language: evaluation never panics, whatever the input, and
//! printing an expression and parsing it again gives the same expression.

use app::domain::questionnaire::expr::{Answers, BinOp, Expr, Func, Ref, Value};
use proptest::prelude::*;

fn reference() -> impl Strategy<Value = Ref> {
    ("[a-d]_[a-z]{1,4}", proptest::option::of("[a-z]{1,3}")).prop_map(|(key, row)| Ref { key, row })
}

fn func() -> impl Strategy<Value = Func> {
    prop_oneof![
        Just(Func::Answered),
        Just(Func::Unknown),
        Just(Func::NotApplicable),
        Just(Func::Count),
        Just(Func::Prev),
        Just(Func::Changed),
        Just(Func::ChangePct),
    ]
}

fn op() -> impl Strategy<Value = BinOp> {
    prop_oneof![
        Just(BinOp::Or),
        Just(BinOp::And),
        Just(BinOp::Eq),
        Just(BinOp::Ne),
        Just(BinOp::Lt),
        Just(BinOp::Le),
        Just(BinOp::Gt),
        Just(BinOp::Ge),
        Just(BinOp::Add),
        Just(BinOp::Sub),
        Just(BinOp::Mul),
        Just(BinOp::Div),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        (0.0f64..1e9).prop_map(Expr::Number),
        "[a-z' \\\\]{0,6}".prop_map(Expr::Text),
        any::<bool>().prop_map(Expr::Bool),
        reference().prop_map(Expr::Answer),
        (func(), reference()).prop_map(|(f, r)| Expr::Call(f, r)),
    ];
    leaf.prop_recursive(6, 48, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Abs(Box::new(e))),
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            inner.clone().prop_map(|e| Expr::Neg(Box::new(e))),
            (op(), inner.clone(), inner.clone()).prop_map(|(o, l, r)| Expr::Binary(
                o,
                Box::new(l),
                Box::new(r)
            )),
            (
                inner.clone(),
                proptest::collection::vec(inner.clone(), 0..4),
                any::<bool>()
            )
                .prop_map(|(v, list, negated)| Expr::In {
                    value: Box::new(v),
                    list,
                    negated
                }),
            (inner.clone(), inner).prop_map(|(l, r)| Expr::Contains(Box::new(l), Box::new(r))),
        ]
    })
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Missing),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(Value::Number),
        "[a-z]{0,4}".prop_map(Value::Text),
        proptest::collection::vec("[a-z]{1,3}", 0..4).prop_map(Value::Codes),
    ]
}

/// Answers that depend on the reference's hash, so every reference gets some value.
struct Arbitrary(Vec<Value>);

impl Arbitrary {
    fn pick(&self, reference: &Ref, salt: usize) -> Value {
        let n = reference.key.len() + reference.row.as_ref().map_or(0, String::len) + salt;
        self.0
            .get(n % self.0.len().max(1))
            .cloned()
            .unwrap_or(Value::Missing)
    }
}

impl Answers for Arbitrary {
    fn value(&self, reference: &Ref) -> Value {
        self.pick(reference, 0)
    }
    fn previous(&self, reference: &Ref) -> Value {
        self.pick(reference, 1)
    }
    fn is_unknown(&self, reference: &Ref) -> bool {
        reference.key.len().is_multiple_of(3)
    }
    fn is_not_applicable(&self, reference: &Ref) -> bool {
        reference.key.len().is_multiple_of(5)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn printing_then_parsing_gives_the_same_expression(e in expr()) {
        let printed = e.to_string();
        let parsed = Expr::parse(&printed);
        // Very deep trees are refused by the parser's nesting limit; all others round-trip.
        if let Ok(parsed) = parsed {
            prop_assert_eq!(parsed, e, "{}", printed);
        }
    }

    #[test]
    fn evaluation_never_panics(e in expr(), values in proptest::collection::vec(value(), 1..8)) {
        let answers = Arbitrary(values);
        let _ = e.evaluate(&answers);
        let _ = e.truth(&answers);
    }

    #[test]
    fn parsing_never_panics(source in "\\PC{0,80}") {
        let _ = Expr::parse(&source);
    }

    #[test]
    fn parsing_text_made_of_the_language_never_panics(
        parts in proptest::collection::vec(prop_oneof![
            Just("a_x"), Just("=="), Just("("), Just(")"), Just("["), Just("]"), Just(","),
            Just("and"), Just("or"), Just("not"), Just("in"), Just("contains"), Just("'ja'"),
            Just("12"), Just("."), Just("-"), Just("count"), Just("prev"), Just("abs"),
        ], 0..30)
    ) {
        let _ = Expr::parse(&parts.join(" "));
    }
}
