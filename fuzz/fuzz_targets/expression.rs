//! The condition parser and evaluator never panic, and what parses prints back to the same.
#![no_main]

use app::domain::questionnaire::expr::{Answers, Expr, Ref, Value};
use libfuzzer_sys::fuzz_target;

struct Everything;

impl Answers for Everything {
    fn value(&self, reference: &Ref) -> Value {
        match reference.key.len() % 4 {
            0 => Value::Missing,
            1 => Value::Number(reference.key.len() as f64),
            2 => Value::Text(reference.key.clone()),
            _ => Value::Codes(vec![reference.key.clone()]),
        }
    }
    fn previous(&self, reference: &Ref) -> Value {
        Value::Number(reference.key.len() as f64 - 3.0)
    }
    fn is_unknown(&self, reference: &Ref) -> bool {
        reference.row.is_some()
    }
    fn is_not_applicable(&self, _: &Ref) -> bool {
        false
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(expr) = Expr::parse(text) {
        let _ = expr.truth(&Everything);
        if let Ok(again) = Expr::parse(&expr.to_string()) {
            assert_eq!(again, expr);
        }
    }
});
