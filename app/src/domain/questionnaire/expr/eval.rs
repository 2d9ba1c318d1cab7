//! Evaluating an expression against answers, with three-valued logic.

use super::*;

/// A value during evaluation. `Missing` is an answer that is not there (not answered,
/// onbekend, n.v.t., hidden, or no previous round).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Missing,
    Bool(bool),
    Number(f64),
    Text(String),
    Codes(Vec<String>),
}

/// What the evaluator asks about answers.
pub trait Answers {
    /// The value of a reference in this round (`Missing` when hidden or not really answered).
    fn value(&self, reference: &Ref) -> Value;
    /// The value in the compared round, mapped through lineage.
    fn previous(&self, reference: &Ref) -> Value;
    /// Whether the answer is the explicit "onbekend" / "n.v.t.".
    fn is_unknown(&self, reference: &Ref) -> bool;
    fn is_not_applicable(&self, reference: &Ref) -> bool;
}

/// Three-valued truth: `None` is undetermined (an answer it needs is missing).
pub type Truth = Option<bool>;

pub(super) fn truth(value: &Value) -> Truth {
    match value {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

pub(super) fn compare(op: BinOp, left: &Value, right: &Value) -> Value {
    use std::cmp::Ordering;
    let ordering: Option<Ordering> = match (left, right) {
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::Codes(a), Value::Codes(b)) if matches!(op, BinOp::Eq | BinOp::Ne) => {
            let (mut a, mut b) = (a.clone(), b.clone());
            a.sort();
            b.sort();
            Some(if a == b {
                Ordering::Equal
            } else {
                Ordering::Less
            })
        }
        _ => None,
    };
    let Some(ordering) = ordering else {
        return Value::Missing;
    };
    Value::Bool(match op {
        BinOp::Eq => ordering == Ordering::Equal,
        BinOp::Ne => ordering != Ordering::Equal,
        BinOp::Lt => ordering == Ordering::Less,
        BinOp::Le => ordering != Ordering::Greater,
        BinOp::Gt => ordering == Ordering::Greater,
        BinOp::Ge => ordering != Ordering::Less,
        _ => return Value::Missing,
    })
}

pub(super) fn arithmetic(op: BinOp, left: &Value, right: &Value) -> Value {
    let (Value::Number(a), Value::Number(b)) = (left, right) else {
        return Value::Missing;
    };
    let result = match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div if *b != 0.0 => a / b,
        _ => return Value::Missing,
    };
    if result.is_finite() {
        Value::Number(result)
    } else {
        Value::Missing
    }
}

impl Expr {
    /// Evaluates to a value; a missing answer makes comparisons with it missing too.
    pub fn evaluate(&self, answers: &dyn Answers) -> Value {
        match self {
            Expr::Number(n) => Value::Number(*n),
            Expr::Text(t) => Value::Text(t.clone()),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Answer(reference) => answers.value(reference),
            Expr::Call(func, reference) => call(*func, reference, answers),
            Expr::Abs(inner) => match inner.evaluate(answers) {
                Value::Number(n) => Value::Number(n.abs()),
                _ => Value::Missing,
            },
            Expr::Neg(inner) => match inner.evaluate(answers) {
                Value::Number(n) => Value::Number(-n),
                _ => Value::Missing,
            },
            Expr::Not(inner) => match truth(&inner.evaluate(answers)) {
                Some(b) => Value::Bool(!b),
                None => Value::Missing,
            },
            Expr::Binary(op, left, right) => binary(*op, left, right, answers),
            Expr::In {
                value,
                list,
                negated,
            } => {
                let value = value.evaluate(answers);
                if value == Value::Missing {
                    return Value::Missing;
                }
                let found = list.iter().any(|item| {
                    compare(BinOp::Eq, &value, &item.evaluate(answers)) == Value::Bool(true)
                });
                Value::Bool(found != *negated)
            }
            Expr::Contains(left, right) => {
                match (left.evaluate(answers), right.evaluate(answers)) {
                    (Value::Codes(codes), Value::Text(code)) => Value::Bool(codes.contains(&code)),
                    _ => Value::Missing,
                }
            }
        }
    }

    /// Evaluates as a condition or check: true, false or undetermined.
    pub fn truth(&self, answers: &dyn Answers) -> Truth {
        truth(&self.evaluate(answers))
    }
}

/// A function of an answer: whether it is given, unknown or n.v.t., its count, its previous
/// value and the change since then.
fn call(func: Func, reference: &Ref, answers: &dyn Answers) -> Value {
    match func {
        Func::Answered => Value::Bool(answers.value(reference) != Value::Missing),
        Func::Unknown => Value::Bool(answers.is_unknown(reference)),
        Func::NotApplicable => Value::Bool(answers.is_not_applicable(reference)),
        Func::Count => match answers.value(reference) {
            Value::Codes(codes) => Value::Number(codes.len() as f64),
            _ => Value::Missing,
        },
        Func::Prev => answers.previous(reference),
        Func::Changed => {
            let (now, before) = (answers.value(reference), answers.previous(reference));
            match (&now, &before) {
                (Value::Missing, _) | (_, Value::Missing) => Value::Bool(false),
                _ => match compare(BinOp::Ne, &now, &before) {
                    Value::Missing => Value::Bool(true),
                    changed => changed,
                },
            }
        }
        Func::ChangePct => match (answers.value(reference), answers.previous(reference)) {
            (Value::Number(now), Value::Number(before)) if before != 0.0 => {
                let pct = ((now - before) / before).abs() * 100.0;
                if pct.is_finite() {
                    Value::Number(pct)
                } else {
                    Value::Missing
                }
            }
            _ => Value::Missing,
        },
    }
}

/// `and` and `or` in three-valued logic (a false side decides `and`, a true side `or`),
/// arithmetic, and comparisons.
fn binary(op: BinOp, left: &Expr, right: &Expr, answers: &dyn Answers) -> Value {
    match op {
        BinOp::And => {
            let (a, b) = (
                truth(&left.evaluate(answers)),
                truth(&right.evaluate(answers)),
            );
            match (a, b) {
                (Some(false), _) | (_, Some(false)) => Value::Bool(false),
                (Some(true), Some(true)) => Value::Bool(true),
                _ => Value::Missing,
            }
        }
        BinOp::Or => {
            let (a, b) = (
                truth(&left.evaluate(answers)),
                truth(&right.evaluate(answers)),
            );
            match (a, b) {
                (Some(true), _) | (_, Some(true)) => Value::Bool(true),
                (Some(false), Some(false)) => Value::Bool(false),
                _ => Value::Missing,
            }
        }
        _ => {
            let (a, b) = (left.evaluate(answers), right.evaluate(answers));
            match op {
                BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => arithmetic(op, &a, &b),
                _ => compare(op, &a, &b),
            }
        }
    }
}
