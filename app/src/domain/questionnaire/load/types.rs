//! Conditions and checks: parsed, and checked against the kinds of the items they name
//! (a number compared with text, a code that is not an option).

use super::*;
use crate::domain::questionnaire::expr::{BinOp, Expr, Func, Ref};
use std::collections::HashMap;
use toml::Spanned;

/// Parses a condition or check and checks what it refers to.
pub(super) fn parse_checked(
    checker: &mut Checker,
    key: &str,
    source: &Spanned<String>,
    kinds: &HashMap<String, ItemKind>,
    field: &str,
) -> Option<Condition> {
    let expr = match Expr::parse(source.get_ref()) {
        Ok(expr) => expr,
        Err(error) => {
            checker.error(source.span(), Some(key), format!("{field}: {error}"));
            return None;
        }
    };
    let problems = type_problems(&expr, kinds);
    if problems.is_empty() {
        Some(Condition {
            source: source.get_ref().clone(),
            expr,
        })
    } else {
        for problem in problems {
            checker.error(source.span(), Some(key), format!("{field}: {problem}"));
        }
        None
    }
}

/// What is wrong with the references and types in an expression.
pub fn type_problems(expr: &Expr, kinds: &HashMap<String, ItemKind>) -> Vec<String> {
    let mut problems = Vec::new();
    for reference in expr.all_references() {
        match (kinds.get(&reference.key), &reference.row) {
            (None, _) => problems.push(format!(
                "verwijst naar een onbekende vraag '{}'",
                reference.key
            )),
            (Some(ItemKind::Matrix { rows, .. }), Some(row))
                if !rows.iter().any(|r| &r.code == row) =>
            {
                problems.push(format!("matrix '{}' heeft geen rij '{row}'", reference.key))
            }
            (Some(kind), Some(_)) if !matches!(kind, ItemKind::Matrix { .. }) => {
                problems.push(format!("'{reference}': alleen een matrix heeft rijen"))
            }
            _ => {}
        }
    }
    check_types(expr, kinds, &mut problems);
    problems
}

pub(super) fn codes_of(reference: &Ref, kinds: &HashMap<String, ItemKind>) -> Option<Vec<String>> {
    match (kinds.get(&reference.key)?, &reference.row) {
        (ItemKind::Matrix { cell, .. }, Some(_)) => match cell {
            CellKind::YesNo => ItemKind::YesNo.codes(),
            CellKind::YesPartlyNo => ItemKind::YesPartlyNo.codes(),
            CellKind::SingleChoice { options } => {
                Some(options.iter().map(|o| o.code.clone()).collect())
            }
            CellKind::Integer { .. } => None,
        },
        (kind, None) => kind.codes(),
        _ => None,
    }
}

pub(super) fn is_numeric(expr: &Expr, kinds: &HashMap<String, ItemKind>) -> Option<bool> {
    match expr {
        Expr::Answer(r) | Expr::Call(Func::Prev, r) => match (kinds.get(&r.key)?, &r.row) {
            (ItemKind::Matrix { cell, .. }, Some(_)) => {
                Some(matches!(cell, CellKind::Integer { .. }))
            }
            (kind, None) => Some(kind.is_numeric()),
            _ => None,
        },
        Expr::Number(_)
        | Expr::Call(Func::Count | Func::ChangePct, _)
        | Expr::Abs(_)
        | Expr::Neg(_) => Some(true),
        Expr::Binary(BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div, _, _) => Some(true),
        Expr::Text(_) | Expr::Bool(_) => Some(false),
        _ => None,
    }
}

pub(super) fn check_types(
    expr: &Expr,
    kinds: &HashMap<String, ItemKind>,
    problems: &mut Vec<String>,
) {
    match expr {
        Expr::Call(func @ Func::ChangePct, r)
            if is_numeric(&Expr::Answer(r.clone()), kinds) == Some(false) =>
        {
            problems.push(format!(
                "{}() werkt alleen op getallen, '{r}' is geen getal",
                func.name()
            ));
        }
        Expr::Call(Func::Count, r)
            if !matches!(
                kinds.get(&r.key),
                Some(ItemKind::MultipleChoice { .. } | ItemKind::Ranking { .. }) | None
            ) =>
        {
            problems.push(format!(
                "count() werkt alleen op meerkeuze- of rangordevragen, niet op '{r}'"
            ));
        }
        Expr::Binary(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div), left, right) => {
            check_arithmetic(*op, [left, right], kinds, problems)
        }
        Expr::Binary(_, left, right) => {
            check_code(left, right, kinds, problems);
            check_code(right, left, kinds, problems);
            check_types(left, kinds, problems);
            check_types(right, kinds, problems);
        }
        Expr::In { value, list, .. } => {
            for item in list {
                check_code(value, item, kinds, problems);
            }
            check_types(value, kinds, problems);
        }
        Expr::Contains(left, right) => match left.as_ref() {
            Expr::Answer(r)
                if !matches!(
                    kinds.get(&r.key),
                    Some(ItemKind::MultipleChoice { .. } | ItemKind::Ranking { .. }) | None
                ) =>
            {
                problems.push(format!(
                    "contains werkt alleen op meerkeuze- of rangordevragen, niet op '{r}'"
                ));
            }
            _ => check_code(left, right, kinds, problems),
        },
        Expr::Abs(inner) | Expr::Not(inner) | Expr::Neg(inner) => {
            check_types(inner, kinds, problems)
        }
        _ => {}
    }
}

/// Both sides of a calculation must be numbers.
fn check_arithmetic(
    op: BinOp,
    sides: [&Expr; 2],
    kinds: &HashMap<String, ItemKind>,
    problems: &mut Vec<String>,
) {
    for side in sides {
        if is_numeric(side, kinds) == Some(false) {
            problems.push(format!(
                "'{side}' is geen getal en kan niet in een berekening met '{}'",
                match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mul => "*",
                    _ => "/",
                }
            ));
        }
        check_types(side, kinds, problems);
    }
}

/// A code compared with an answer must be one of the answer's codes.
fn check_code(
    answer: &Expr,
    literal: &Expr,
    kinds: &HashMap<String, ItemKind>,
    problems: &mut Vec<String>,
) {
    if let (Expr::Answer(r) | Expr::Call(Func::Prev, r), Expr::Text(code)) = (answer, literal) {
        if let Some(codes) = codes_of(r, kinds) {
            if !codes.contains(code) {
                problems.push(format!(
                    "'{r}' heeft geen code '{code}' (wel: {})",
                    codes.join(", ")
                ));
            }
        }
    }
}
