//! The expression language of conditions (`visible_if`) and rules (`check`): parsed once into
//! a typed tree, printed back, and evaluated with three-valued logic. See
//! `docs/questionnaire-format.md` for the language as authors see it.
//!
//! Parsing reports the position of the first problem; nothing here panics on any input.

use std::collections::BTreeSet;
use std::fmt;

/// Longest expression accepted, in characters, and deepest nesting: definitions are written by
/// people, so anything beyond these is a mistake (and would risk the stack).
pub const MAX_EXPRESSION_CHARS: usize = 2000;
const MAX_DEPTH: usize = 48;

/// A reference to an answer: an item, or one row of a matrix item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ref {
    pub key: String,
    pub row: Option<String>,
}

/// The functions of the language; each takes one reference, except `abs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Answered,
    Unknown,
    NotApplicable,
    Count,
    Prev,
    Changed,
    ChangePct,
}

impl Func {
    const ALL: [Func; 7] = [
        Func::Answered,
        Func::Unknown,
        Func::NotApplicable,
        Func::Count,
        Func::Prev,
        Func::Changed,
        Func::ChangePct,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Func::Answered => "answered",
            Func::Unknown => "unknown",
            Func::NotApplicable => "not_applicable",
            Func::Count => "count",
            Func::Prev => "prev",
            Func::Changed => "changed",
            Func::ChangePct => "change_pct",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    /// The operator as our expression syntax writes it.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Text(String),
    Bool(bool),
    Answer(Ref),
    Call(Func, Ref),
    Abs(Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    In {
        value: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    Contains(Box<Expr>, Box<Expr>),
}

/// A parse problem: what is wrong, and where (0-based character offset in the expression).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "teken {}: {}", self.offset + 1, self.message)
    }
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.row {
            Some(row) => write!(f, "{}.{row}", self.key),
            None => f.write_str(&self.key),
        }
    }
}

/// Prints in the language itself, with parentheses around every compound part, so that
/// parsing the printed text gives the same tree.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Number(number) => write!(f, "{number}"),
            Expr::Text(text) => {
                write!(f, "'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
            }
            Expr::Bool(value) => write!(f, "{value}"),
            Expr::Answer(reference) => write!(f, "{reference}"),
            Expr::Call(func, reference) => write!(f, "{}({reference})", func.name()),
            Expr::Abs(inner) => write!(f, "abs({inner})"),
            Expr::Not(inner) => write!(f, "(not ({inner}))"),
            Expr::Neg(inner) => write!(f, "-({inner})"),
            Expr::Binary(op, left, right) => write!(f, "({left} {} {right})", op.symbol()),
            Expr::In {
                value,
                list,
                negated,
            } => {
                let items: Vec<String> = list.iter().map(ToString::to_string).collect();
                let not = if *negated { "not " } else { "" };
                write!(f, "({value} {not}in [{}])", items.join(", "))
            }
            Expr::Contains(left, right) => write!(f, "({left} contains {right})"),
        }
    }
}

mod eval;
pub(super) mod parse;
#[cfg(test)]
mod tests;

pub use eval::*;
