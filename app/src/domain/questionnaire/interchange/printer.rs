//! Writing our expressions in XLSForm's or REDCap's language, for export. `None` when the
//! expression uses something the other language has not (a matrix row, `prev`, `changed`,
//! `unknown`, ...): it then travels in the extra column, in our own language.

use super::expressions::{recode, Dialect};
use crate::domain::questionnaire::expr::{BinOp, Expr, Func, Ref};
use std::collections::{HashMap, HashSet};

/// `expr` in `dialect`; `current` is the item written as `.` (XLSForm's constraints), `codes`
/// maps our codes to the other format's, per item.
pub(super) fn print(
    expr: &Expr,
    dialect: Dialect,
    current: Option<&str>,
    codes: &HashMap<String, HashMap<String, String>>,
) -> Option<String> {
    let mut expr = expr.clone();
    recode(&mut expr, codes, &HashSet::new());
    Printer { dialect, current }.print(&expr, true)
}

struct Printer<'a> {
    dialect: Dialect,
    current: Option<&'a str>,
}

fn quote(text: &str) -> Option<String> {
    if !text.contains('\'') {
        Some(format!("'{text}'"))
    } else if !text.contains('"') {
        Some(format!("\"{text}\""))
    } else {
        None
    }
}

impl Printer<'_> {
    fn field(&self, reference: &Ref) -> Option<String> {
        if reference.row.is_some() {
            return None;
        }
        Some(match self.dialect {
            Dialect::XlsForm if self.current == Some(reference.key.as_str()) => ".".to_string(),
            Dialect::XlsForm => format!("${{{}}}", reference.key),
            Dialect::Redcap => format!("[{}]", reference.key),
        })
    }

    /// `top`: no parentheses around the whole.
    fn print(&self, expr: &Expr, top: bool) -> Option<String> {
        let wrap = |text: String| if top { text } else { format!("({text})") };
        match expr {
            Expr::Number(n) => Some(n.to_string()),
            Expr::Text(text) => quote(text),
            Expr::Bool(b) if self.dialect == Dialect::XlsForm => Some(format!("{b}()")),
            Expr::Answer(reference) => self.field(reference),
            Expr::Call(Func::Answered, reference) => {
                Some(wrap(format!("{} {} ''", self.field(reference)?, self.ne())))
            }
            Expr::Call(Func::Count, reference) if self.dialect == Dialect::XlsForm => {
                Some(format!("count-selected({})", self.field(reference)?))
            }
            Expr::Not(inner) => self.not(inner, top),
            Expr::Neg(inner) => Some(format!("-{}", self.print(inner, false)?)),
            Expr::Binary(op, left, right) => {
                let symbol = self.symbol(*op)?;
                let (left, right) = (self.print(left, false)?, self.print(right, false)?);
                Some(wrap(format!("{left} {symbol} {right}")))
            }
            Expr::In {
                value,
                list,
                negated,
            } if !list.is_empty() => {
                let (op, join) = if *negated {
                    (BinOp::Ne, BinOp::And)
                } else {
                    (BinOp::Eq, BinOp::Or)
                };
                let parts: Option<Vec<String>> = list
                    .iter()
                    .map(|item| {
                        self.print(
                            &Expr::Binary(op, value.clone(), Box::new(item.clone())),
                            false,
                        )
                    })
                    .collect();
                Some(wrap(parts?.join(&format!(" {} ", self.symbol(join)?))))
            }
            Expr::Contains(left, right) => match (left.as_ref(), right.as_ref()) {
                (Expr::Answer(reference), Expr::Text(code)) => {
                    self.contains(reference, code, true, top)
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn ne(&self) -> &'static str {
        match self.dialect {
            Dialect::XlsForm => "!=",
            Dialect::Redcap => "<>",
        }
    }

    fn symbol(&self, op: BinOp) -> Option<&'static str> {
        // Both dialects write the rest as our own syntax does.
        Some(match op {
            BinOp::Eq => "=",
            BinOp::Ne => self.ne(),
            BinOp::Div if self.dialect == Dialect::XlsForm => "div",
            other => other.symbol(),
        })
    }

    fn contains(&self, reference: &Ref, code: &str, chosen: bool, top: bool) -> Option<String> {
        let field = self.field(reference)?;
        let text = match self.dialect {
            Dialect::XlsForm => {
                let selected = format!("selected({field}, {})", quote(code)?);
                return Some(if chosen {
                    selected
                } else {
                    format!("not({selected})")
                });
            }
            Dialect::Redcap => {
                let inner = field.trim_end_matches(']');
                format!("{inner}({code})] = '{}'", if chosen { 1 } else { 0 })
            }
        };
        Some(if top { text } else { format!("({text})") })
    }

    /// XLSForm has `not()`; REDCap has none, so the negation is pushed inwards (which keeps
    /// the meaning in our three-valued logic), or the expression is not printable.
    fn not(&self, inner: &Expr, top: bool) -> Option<String> {
        if self.dialect == Dialect::XlsForm {
            return Some(format!("not({})", self.print(inner, true)?));
        }
        match inner {
            Expr::Call(Func::Answered, reference) => {
                let text = format!("{} = ''", self.field(reference)?);
                Some(if top { text } else { format!("({text})") })
            }
            Expr::Contains(left, right) => match (left.as_ref(), right.as_ref()) {
                (Expr::Answer(reference), Expr::Text(code)) => {
                    self.contains(reference, code, false, top)
                }
                _ => None,
            },
            other => self.print(&negate(other)?, top),
        }
    }
}

/// The negation of an expression without `not` at its top, where there is one.
fn negate(expr: &Expr) -> Option<Expr> {
    let boxed = |e: Expr| Box::new(e);
    Some(match expr {
        Expr::Not(inner) => inner.as_ref().clone(),
        Expr::Bool(b) => Expr::Bool(!b),
        Expr::Binary(BinOp::And, l, r) => Expr::Binary(BinOp::Or, boxed(not(l)), boxed(not(r))),
        Expr::Binary(BinOp::Or, l, r) => Expr::Binary(BinOp::And, boxed(not(l)), boxed(not(r))),
        Expr::Binary(op, l, r) => {
            let flipped = match op {
                BinOp::Eq => BinOp::Ne,
                BinOp::Ne => BinOp::Eq,
                BinOp::Lt => BinOp::Ge,
                BinOp::Le => BinOp::Gt,
                BinOp::Gt => BinOp::Le,
                BinOp::Ge => BinOp::Lt,
                _ => return None,
            };
            Expr::Binary(flipped, l.clone(), r.clone())
        }
        Expr::In {
            value,
            list,
            negated,
        } => Expr::In {
            value: value.clone(),
            list: list.clone(),
            negated: !negated,
        },
        _ => return None,
    })
}

fn not(expr: &Expr) -> Expr {
    Expr::Not(Box::new(expr.clone()))
}
