//! Conditions and checks in words, for the admin's preview of a version: "‘Wonen Eerst’
//! (b_wonen_eerst) is niet ‘Nee’ en niet ‘Deels’, of ‘Toelichting’ (b_toelichting) is
//! beantwoord". Item keys stay beside their labels so a sentence can be traced to the file,
//! and codes are shown with their option labels. Negations are pushed inwards (De Morgan), so
//! no sentence starts with "het is niet zo dat".

use super::expr::{BinOp, Expr, Func, Ref};
use super::model::{CellKind, Choice, ItemKind, Questionnaire};

/// Labels longer than this are cut with an ellipsis: the key identifies the item anyway.
const LABEL_CHARS: usize = 60;

/// `expr` as a Dutch statement ("… is beantwoord"), reading labels from `questionnaire`.
pub fn describe(expr: &Expr, questionnaire: &Questionnaire) -> String {
    Words { questionnaire }.statement(expr, false)
}

struct Words<'a> {
    questionnaire: &'a Questionnaire,
}

impl Words<'_> {
    /// `expr` as a statement; `negated` asks for the statement that it does not hold.
    fn statement(&self, expr: &Expr, negated: bool) -> String {
        match expr {
            Expr::Not(inner) => self.statement(inner, !negated),
            Expr::Binary(op @ (BinOp::And | BinOp::Or), left, right) => {
                // De Morgan: "not (a and b)" reads as "not a, or not b".
                let joins_with_and = (*op == BinOp::And) != negated;
                let word = if joins_with_and { "en" } else { "of" };
                let part = |side: &Expr| self.joined_part(side, negated, joins_with_and);
                format!("{} {word} {}", part(left), part(right))
            }
            Expr::Binary(op, left, right) if comparison_words(*op, false).is_some() => {
                let words = comparison_words(*op, negated).unwrap_or_default();
                format!(
                    "{} {words} {}",
                    self.value(left),
                    self.compared_value(right, left)
                )
            }
            Expr::In {
                value,
                list,
                negated: not_in,
            } => self.one_of(value, list, *not_in != negated),
            Expr::Contains(list, code) => format!(
                "bij {} is {} {}",
                self.value(list),
                self.compared_value(code, list),
                if negated { "niet gekozen" } else { "gekozen" }
            ),
            Expr::Call(func, reference) => self.call_statement(*func, reference, negated),
            Expr::Bool(value) => if *value != negated { "altijd" } else { "nooit" }.to_string(),
            other => format!(
                "{} is {}",
                self.value(other),
                if negated { "onwaar" } else { "waar" }
            ),
        }
    }

    /// One side of "… en …" / "… of …": in parentheses when it joins its own parts with the
    /// other word, so the grouping of the expression survives.
    fn joined_part(&self, side: &Expr, negated: bool, outer_is_and: bool) -> String {
        let text = self.statement(side, negated);
        match joining_word(side, negated) {
            Some(inner_is_and) if inner_is_and != outer_is_and => format!("({text})"),
            _ => text,
        }
    }

    fn one_of(&self, value: &Expr, list: &[Expr], negated: bool) -> String {
        let options: Vec<String> = list.iter().map(|e| self.compared_value(e, value)).collect();
        let subject = self.value(value);
        if negated {
            let nots: Vec<String> = options.iter().map(|o| format!("niet {o}")).collect();
            format!("{subject} is {}", join_words(&nots, "en"))
        } else {
            format!("{subject} is {}", join_words(&options, "of"))
        }
    }

    fn call_statement(&self, func: Func, reference: &Ref, negated: bool) -> String {
        let item = self.reference(reference);
        let not = if negated { "niet " } else { "" };
        match func {
            Func::Answered => format!("{item} is {not}beantwoord"),
            Func::Unknown => format!("{item} is {not}met ‘onbekend’ beantwoord"),
            Func::NotApplicable => format!("{item} is {not}met ‘n.v.t.’ beantwoord"),
            Func::Changed => {
                format!(
                    "het antwoord op {item} is {not}gewijzigd ten opzichte van de vorige meting"
                )
            }
            Func::Count | Func::Prev | Func::ChangePct => format!(
                "{} is {}",
                self.call_value(func, reference),
                if negated { "onwaar" } else { "waar" }
            ),
        }
    }

    /// `expr` as a noun phrase: a number, a text, an answer or a calculation.
    fn value(&self, expr: &Expr) -> String {
        match expr {
            Expr::Number(n) => number(*n),
            Expr::Text(text) => format!("‘{text}’"),
            Expr::Bool(true) => "waar".to_string(),
            Expr::Bool(false) => "onwaar".to_string(),
            Expr::Answer(reference) => self.reference(reference),
            Expr::Call(func, reference) => self.call_value(*func, reference),
            Expr::Abs(inner) => format!("de absolute waarde van {}", self.operand(inner)),
            Expr::Neg(inner) => format!("min {}", self.operand(inner)),
            Expr::Binary(op, left, right) => match arithmetic_word(*op) {
                Some(word) => format!("{} {word} {}", self.operand(left), self.operand(right)),
                None => format!("(als {})", self.statement(expr, false)),
            },
            Expr::Not(_) | Expr::In { .. } | Expr::Contains(..) => {
                format!("(als {})", self.statement(expr, false))
            }
        }
    }

    /// A value inside a calculation: in parentheses when it is a calculation itself.
    fn operand(&self, expr: &Expr) -> String {
        match expr {
            Expr::Binary(op, ..) if arithmetic_word(*op).is_some() => {
                format!("({})", self.value(expr))
            }
            _ => self.value(expr),
        }
    }

    fn call_value(&self, func: Func, reference: &Ref) -> String {
        let item = self.reference(reference);
        match func {
            Func::Count => format!("het aantal gekozen antwoorden bij {item}"),
            Func::Prev => format!("het antwoord op {item} in de vorige meting"),
            Func::ChangePct => {
                format!("de verandering van {item} ten opzichte van de vorige meting, in procenten")
            }
            Func::Answered | Func::Unknown | Func::NotApplicable | Func::Changed => {
                format!("(als {})", self.call_statement(func, reference, false))
            }
        }
    }

    /// The value `expr` is compared with; a code of `subject`'s options is shown with its label.
    fn compared_value(&self, expr: &Expr, subject: &Expr) -> String {
        if let (Expr::Text(code), Some(options)) = (expr, self.options_of(subject)) {
            if let Some(choice) = options.iter().find(|c| &c.code == code) {
                return format!("‘{}’", choice.label);
            }
        }
        self.value(expr)
    }

    /// The options an answer (or its previous-round value) is chosen from, if any.
    fn options_of(&self, subject: &Expr) -> Option<Vec<Choice>> {
        let reference = match subject {
            Expr::Answer(reference) | Expr::Call(Func::Prev, reference) => reference,
            _ => return None,
        };
        let kind = &self.questionnaire.item(&reference.key)?.kind;
        match (kind, &reference.row) {
            (ItemKind::Matrix { cell, .. }, Some(_)) => match cell {
                CellKind::SingleChoice { options } => Some(options.clone()),
                CellKind::YesNo => ItemKind::YesNo.choices(),
                CellKind::YesPartlyNo => ItemKind::YesPartlyNo.choices(),
                CellKind::Integer { .. } => None,
            },
            (kind, _) => kind.choices(),
        }
    }

    /// "‘Label’ (key)", or "‘Row’ bij ‘Label’ (key.row)" for a matrix row.
    fn reference(&self, reference: &Ref) -> String {
        let Some(item) = self.questionnaire.item(&reference.key) else {
            return reference.to_string();
        };
        let label = short(&item.label);
        let row_label = match (&item.kind, &reference.row) {
            (ItemKind::Matrix { rows, .. }, Some(row)) => rows
                .iter()
                .find(|r| &r.code == row)
                .map(|r| short(&r.label)),
            _ => None,
        };
        match row_label {
            Some(row_label) => format!("‘{row_label}’ bij ‘{label}’ ({reference})"),
            None => format!("‘{label}’ ({reference})"),
        }
    }
}

/// Which word joins `expr`'s parts when it is written as a statement (true: "en").
fn joining_word(expr: &Expr, negated: bool) -> Option<bool> {
    match expr {
        Expr::Not(inner) => joining_word(inner, !negated),
        Expr::Binary(op @ (BinOp::And | BinOp::Or), ..) => Some((*op == BinOp::And) != negated),
        _ => None,
    }
}

fn comparison_words(op: BinOp, negated: bool) -> Option<&'static str> {
    let (words, opposite) = match op {
        BinOp::Eq => ("is", "is niet"),
        BinOp::Ne => ("is niet", "is"),
        BinOp::Lt => ("is kleiner dan", "is ten minste"),
        BinOp::Le => ("is ten hoogste", "is groter dan"),
        BinOp::Gt => ("is groter dan", "is ten hoogste"),
        BinOp::Ge => ("is ten minste", "is kleiner dan"),
        _ => return None,
    };
    Some(if negated { opposite } else { words })
}

fn arithmetic_word(op: BinOp) -> Option<&'static str> {
    match op {
        BinOp::Add => Some("plus"),
        BinOp::Sub => Some("min"),
        BinOp::Mul => Some("maal"),
        BinOp::Div => Some("gedeeld door"),
        _ => None,
    }
}

/// "a", "a of b", "a, b of c".
fn join_words(parts: &[String], last_word: &str) -> String {
    match parts {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} {last_word} {last}", rest.join(", ")),
    }
}

/// A number as Dutch writes it: a decimal comma, no trailing zeros.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string().replace('.', ",")
    }
}

fn short(label: &str) -> String {
    let label = label.trim();
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests;
