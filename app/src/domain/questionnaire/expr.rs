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
    fn symbol(self) -> &'static str {
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

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Text(String),
    Ident(String),
    Symbol(&'static str),
}

fn describe(token: &Token) -> String {
    match token {
        Token::Number(n) => format!("het getal {n}"),
        Token::Text(t) => format!("de tekst '{t}'"),
        Token::Ident(i) => format!("'{i}'"),
        Token::Symbol(s) => format!("'{s}'"),
    }
}

const SYMBOLS: [&str; 16] = [
    "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".",
];

fn tokenize(source: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let number = text.parse::<f64>().map_err(|_| ParseError {
                offset: start,
                message: format!("'{text}' is geen geldig getal"),
            })?;
            tokens.push((start, Token::Number(number)));
        } else if c == '\'' {
            let start = i;
            i += 1;
            let mut text = String::new();
            loop {
                match chars.get(i) {
                    None => {
                        return Err(ParseError {
                            offset: start,
                            message: "de tekst wordt niet afgesloten met '".to_string(),
                        })
                    }
                    Some('\\') if matches!(chars.get(i + 1), Some('\'') | Some('\\')) => {
                        text.push(chars[i + 1]);
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(other) => {
                        text.push(*other);
                        i += 1;
                    }
                }
            }
            tokens.push((start, Token::Text(text)));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push((start, Token::Ident(chars[start..i].iter().collect())));
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            match SYMBOLS.iter().find(|symbol| rest.starts_with(**symbol)) {
                Some(symbol) => {
                    tokens.push((i, Token::Symbol(symbol)));
                    i += symbol.chars().count();
                }
                None => {
                    let hint = if c == '"' {
                        " (gebruik enkele aanhalingstekens: 'tekst')"
                    } else if c == '=' {
                        " (vergelijk met ==)"
                    } else {
                        ""
                    };
                    return Err(ParseError {
                        offset: i,
                        message: format!("onverwacht teken '{c}'{hint}"),
                    });
                }
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    position: usize,
    end: usize,
    depth: usize,
}

type Parsed = Result<Expr, ParseError>;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position).map(|(_, token)| token)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.position)
            .map_or(self.end, |(offset, _)| *offset)
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            offset: self.offset(),
            message: message.into(),
        })
    }

    fn is_symbol(&self, symbol: &str) -> bool {
        matches!(self.peek(), Some(Token::Symbol(s)) if *s == symbol)
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Ident(w)) if w == word)
    }

    fn expect_symbol(&mut self, symbol: &str) -> Result<(), ParseError> {
        if self.is_symbol(symbol) {
            self.position += 1;
            Ok(())
        } else {
            let found = self.peek().map_or("het einde".to_string(), describe);
            self.error(format!("'{symbol}' verwacht, maar {found} gevonden"))
        }
    }

    fn nested(&mut self, parse: impl FnOnce(&mut Self) -> Parsed) -> Parsed {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error("de uitdrukking is te diep genest");
        }
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn or(&mut self) -> Parsed {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.position += 1;
            let right = self.and()?;
            left = Expr::Binary(BinOp::Or, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Parsed {
        let mut left = self.not()?;
        while self.is_word("and") {
            self.position += 1;
            let right = self.not()?;
            left = Expr::Binary(BinOp::And, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Parsed {
        if self.is_word("not") {
            self.position += 1;
            let inner = self.nested(|p| p.not())?;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Parsed {
        let left = self.sum()?;
        let op = match self.peek() {
            Some(Token::Symbol("==")) => Some(BinOp::Eq),
            Some(Token::Symbol("!=")) => Some(BinOp::Ne),
            Some(Token::Symbol("<")) => Some(BinOp::Lt),
            Some(Token::Symbol("<=")) => Some(BinOp::Le),
            Some(Token::Symbol(">")) => Some(BinOp::Gt),
            Some(Token::Symbol(">=")) => Some(BinOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.position += 1;
            let right = self.sum()?;
            return Ok(Expr::Binary(op, Box::new(left), Box::new(right)));
        }
        let negated = self.is_word("not");
        if negated {
            self.position += 1;
            if !self.is_word("in") {
                return self.error("na 'not' wordt hier 'in' verwacht");
            }
        }
        if self.is_word("in") {
            self.position += 1;
            let list = self.list()?;
            return Ok(Expr::In {
                value: Box::new(left),
                list,
                negated,
            });
        }
        if self.is_word("contains") {
            self.position += 1;
            let right = self.sum()?;
            return Ok(Expr::Contains(Box::new(left), Box::new(right)));
        }
        Ok(left)
    }

    fn list(&mut self) -> Result<Vec<Expr>, ParseError> {
        self.expect_symbol("[")?;
        let mut items = Vec::new();
        if !self.is_symbol("]") {
            loop {
                items.push(self.nested(|p| p.sum())?);
                if self.is_symbol(",") {
                    self.position += 1;
                } else {
                    break;
                }
            }
        }
        self.expect_symbol("]")?;
        Ok(items)
    }

    fn sum(&mut self) -> Parsed {
        let mut left = self.product()?;
        loop {
            let op = if self.is_symbol("+") {
                BinOp::Add
            } else if self.is_symbol("-") {
                BinOp::Sub
            } else {
                return Ok(left);
            };
            self.position += 1;
            let right = self.product()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
    }

    fn product(&mut self) -> Parsed {
        let mut left = self.unary()?;
        loop {
            let op = if self.is_symbol("*") {
                BinOp::Mul
            } else if self.is_symbol("/") {
                BinOp::Div
            } else {
                return Ok(left);
            };
            self.position += 1;
            let right = self.unary()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Parsed {
        if self.is_symbol("-") {
            self.position += 1;
            let inner = self.nested(|p| p.unary())?;
            return Ok(Expr::Neg(Box::new(inner)));
        }
        self.atom()
    }

    fn reference(&mut self, key: String) -> Result<Ref, ParseError> {
        let row = if self.is_symbol(".") {
            self.position += 1;
            match self.peek().cloned() {
                Some(Token::Ident(row)) => {
                    self.position += 1;
                    Some(row)
                }
                _ => return self.error("na '.' wordt de code van een rij verwacht"),
            }
        } else {
            None
        };
        Ok(Ref { key, row })
    }

    fn atom(&mut self) -> Parsed {
        let Some(token) = self.peek().cloned() else {
            return self.error("de uitdrukking houdt te vroeg op");
        };
        self.position += 1;
        match token {
            Token::Number(number) => Ok(Expr::Number(number)),
            Token::Text(text) => Ok(Expr::Text(text)),
            Token::Symbol("(") => {
                let inner = self.nested(|p| p.or())?;
                self.expect_symbol(")")?;
                Ok(inner)
            }
            Token::Ident(word) => match word.as_str() {
                "true" => Ok(Expr::Bool(true)),
                "false" => Ok(Expr::Bool(false)),
                "and" | "or" | "not" | "in" | "contains" => {
                    self.position -= 1;
                    self.error(format!("'{word}' staat hier op een onverwachte plek"))
                }
                "abs" => {
                    self.expect_symbol("(")?;
                    let inner = self.nested(|p| p.or())?;
                    self.expect_symbol(")")?;
                    Ok(Expr::Abs(Box::new(inner)))
                }
                _ => {
                    if let Some(func) = Func::ALL.into_iter().find(|f| f.name() == word) {
                        self.expect_symbol("(")?;
                        let Some(Token::Ident(key)) = self.peek().cloned() else {
                            return self.error(format!(
                                "{}() verwacht de sleutel van een vraag",
                                func.name()
                            ));
                        };
                        self.position += 1;
                        let reference = self.reference(key)?;
                        self.expect_symbol(")")?;
                        return Ok(Expr::Call(func, reference));
                    }
                    if self.is_symbol("(") {
                        self.position -= 1;
                        return self.error(format!("onbekende functie '{word}'"));
                    }
                    Ok(Expr::Answer(self.reference(word)?))
                }
            },
            Token::Symbol(symbol) => {
                self.position -= 1;
                self.error(format!("onverwacht '{symbol}'"))
            }
        }
    }
}

impl Expr {
    /// Parses an expression; the error names the position of the first problem.
    pub fn parse(source: &str) -> Result<Expr, ParseError> {
        let length = source.chars().count();
        if length > MAX_EXPRESSION_CHARS {
            return Err(ParseError {
                offset: MAX_EXPRESSION_CHARS,
                message: format!("de uitdrukking is langer dan {MAX_EXPRESSION_CHARS} tekens"),
            });
        }
        let tokens = tokenize(source)?;
        if tokens.is_empty() {
            return Err(ParseError {
                offset: 0,
                message: "de uitdrukking is leeg".to_string(),
            });
        }
        let mut parser = Parser {
            tokens,
            position: 0,
            end: length,
            depth: 0,
        };
        let expr = parser.or()?;
        if let Some(token) = parser.peek() {
            let found = describe(token);
            return parser.error(format!("onverwacht {found}; ontbreekt 'and' of 'or'?"));
        }
        Ok(expr)
    }

    /// Every answer of this round the expression reads (not `prev(...)`, which reads the
    /// previous round): what it depends on.
    pub fn references(&self) -> BTreeSet<Ref> {
        let mut found = BTreeSet::new();
        self.collect(&mut found, false);
        found
    }

    /// Every reference, including those of `prev(...)`.
    pub fn all_references(&self) -> BTreeSet<Ref> {
        let mut found = BTreeSet::new();
        self.collect(&mut found, true);
        found
    }

    /// Whether the expression reads the compared round (`prev`, `changed`, `change_pct`).
    pub fn reads_previous(&self) -> bool {
        !self.previous_references().is_empty()
    }

    /// The references whose answer in the compared round the expression reads (`prev`,
    /// `changed`, `change_pct`).
    pub fn previous_references(&self) -> BTreeSet<Ref> {
        let mut found = BTreeSet::new();
        self.collect_previous(&mut found);
        found
    }

    fn collect_previous(&self, found: &mut BTreeSet<Ref>) {
        match self {
            Expr::Number(_) | Expr::Text(_) | Expr::Bool(_) | Expr::Answer(_) => {}
            Expr::Call(func, reference) => {
                if matches!(func, Func::Prev | Func::Changed | Func::ChangePct) {
                    found.insert(reference.clone());
                }
            }
            Expr::Abs(inner) | Expr::Not(inner) | Expr::Neg(inner) => inner.collect_previous(found),
            Expr::Binary(_, left, right) | Expr::Contains(left, right) => {
                left.collect_previous(found);
                right.collect_previous(found);
            }
            Expr::In { value, list, .. } => {
                value.collect_previous(found);
                for item in list {
                    item.collect_previous(found);
                }
            }
        }
    }

    fn collect(&self, found: &mut BTreeSet<Ref>, with_previous: bool) {
        match self {
            Expr::Number(_) | Expr::Text(_) | Expr::Bool(_) => {}
            Expr::Answer(reference) => {
                found.insert(reference.clone());
            }
            Expr::Call(func, reference) => {
                if *func != Func::Prev || with_previous {
                    found.insert(reference.clone());
                }
            }
            Expr::Abs(inner) | Expr::Not(inner) | Expr::Neg(inner) => {
                inner.collect(found, with_previous)
            }
            Expr::Binary(_, left, right) | Expr::Contains(left, right) => {
                left.collect(found, with_previous);
                right.collect(found, with_previous);
            }
            Expr::In { value, list, .. } => {
                value.collect(found, with_previous);
                for item in list {
                    item.collect(found, with_previous);
                }
            }
        }
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

fn truth(value: &Value) -> Truth {
    match value {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

fn compare(op: BinOp, left: &Value, right: &Value) -> Value {
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

fn arithmetic(op: BinOp, left: &Value, right: &Value) -> Value {
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
            Expr::Call(func, reference) => match func {
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
            },
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
            Expr::Binary(BinOp::And, left, right) => {
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
            Expr::Binary(BinOp::Or, left, right) => {
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
            Expr::Binary(op, left, right) => {
                let (a, b) = (left.evaluate(answers), right.evaluate(answers));
                match op {
                    BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => arithmetic(*op, &a, &b),
                    _ => compare(*op, &a, &b),
                }
            }
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

#[cfg(test)]
mod tests {
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
        let expr =
            Expr::parse("a == 1 and prev(b) > 2 and answered(c.rij) and changed(d)").unwrap();
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
}
