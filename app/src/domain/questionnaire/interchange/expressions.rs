//! Reading the expressions of XLSForm (`${q} = 'x'`, `selected(${q}, 'x')`, `.`) and REDCap
//! (`[q] = '1'`, `[q(code)] = '1'`, `<>`) into our expression tree. Only what has the same
//! meaning in our language is translated; anything else is refused with the text that could
//! not be translated.

use crate::domain::questionnaire::expr::parse::scan_number;
use crate::domain::questionnaire::expr::{BinOp, Expr, Func, Ref};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    XlsForm,
    Redcap,
}

/// What a translation needs to know of the questionnaire: each item's codes as the other
/// format writes them mapped to ours, and which items are numbers.
#[derive(Debug, Default)]
pub(super) struct Fields {
    pub codes: HashMap<String, HashMap<String, String>>,
    pub numeric: HashSet<String>,
}

const MAX_DEPTH: usize = 48;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Text(String),
    Field(String),
    /// REDCap's `[q(code)]`: one code of a checkbox field.
    Checked(String, String),
    Current,
    Word(String),
    Symbol(&'static str),
}

const SYMBOLS: [&str; 15] = [
    "==", "!=", "<>", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ",",
];

/// Translates `source` in `dialect`; `current` is the item `.` stands for (XLSForm's
/// constraints). The error is a Dutch message naming what could not be translated.
pub(super) fn translate(
    source: &str,
    dialect: Dialect,
    current: Option<&str>,
    fields: &Fields,
) -> Result<Expr, String> {
    let tokens = tokenize(source, dialect)?;
    if tokens.is_empty() {
        return Err("de uitdrukking is leeg".to_string());
    }
    let mut parser = Parser {
        tokens,
        position: 0,
        depth: 0,
        dialect,
        current,
    };
    let mut expr = parser.or()?;
    if let Some(token) = parser.peek() {
        return Err(format!(
            "kan '{}' niet vertalen: onverwacht op deze plek",
            show(token)
        ));
    }
    recode(&mut expr, &fields.codes, &fields.numeric);
    Ok(expr)
}

fn show(token: &Token) -> String {
    match token {
        Token::Number(n) => n.to_string(),
        Token::Text(t) => format!("'{t}'"),
        Token::Field(f) => f.clone(),
        Token::Checked(f, c) => format!("{f}({c})"),
        Token::Current => ".".to_string(),
        Token::Word(w) => w.clone(),
        Token::Symbol(s) => s.to_string(),
    }
}

fn tokenize(source: &str, dialect: Dialect) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let text = scan_number(&chars, &mut i);
            let number = text
                .parse()
                .map_err(|_| format!("kan '{text}' niet vertalen: geen getal"))?;
            tokens.push(Token::Number(number));
        } else if c == '\'' || c == '"' {
            let (text, next) = enclosed(&chars, i, 1, c)?;
            tokens.push(Token::Text(text));
            i = next;
        } else if dialect == Dialect::XlsForm && c == '$' && chars.get(i + 1) == Some(&'{') {
            let (name, next) = enclosed(&chars, i, 2, '}')?;
            tokens.push(Token::Field(name.trim().to_string()));
            i = next;
        } else if dialect == Dialect::Redcap && c == '[' {
            let (inside, next) = enclosed(&chars, i, 1, ']')?;
            if i > 0 && chars[i - 1] == ']' {
                let start = chars[..i - 1].iter().rposition(|x| *x == '[').unwrap_or(0);
                let text: String = chars[start..next].iter().collect();
                return Err(format!(
                    "kan '{text}' niet vertalen: velden van een ander event of een andere instantie kunnen niet"
                ));
            }
            tokens.push(redcap_field(&inside)?);
            i = next;
        } else if dialect == Dialect::XlsForm
            && c == '.'
            && !chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
        {
            tokens.push(Token::Current);
            i += 1;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '_'
                    || (chars[i] == '-'
                        && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic())))
            {
                i += 1;
            }
            tokens.push(Token::Word(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let symbol = SYMBOLS
                .iter()
                .find(|s| two.starts_with(**s))
                .ok_or_else(|| {
                    format!(
                        "kan '{}' niet vertalen: onbekend teken '{c}'",
                        rest(&chars, i)
                    )
                })?;
            tokens.push(Token::Symbol(symbol));
            i += symbol.len();
        }
    }
    Ok(tokens)
}

/// Up to 20 characters from `from`, to name where something went wrong.
fn rest(chars: &[char], from: usize) -> String {
    chars[from..].iter().take(20).collect()
}

/// The text between the opening at `at` (`skip` characters long) and the next `close`, and
/// the position after it.
fn enclosed(
    chars: &[char],
    at: usize,
    skip: usize,
    close: char,
) -> Result<(String, usize), String> {
    let end = chars[at + skip..]
        .iter()
        .position(|x| *x == close)
        .ok_or_else(|| {
            format!(
                "kan '{}' niet vertalen: '{close}' ontbreekt",
                rest(chars, at)
            )
        })?;
    let inner = chars[at + skip..at + skip + end].iter().collect();
    Ok((inner, at + skip + end + 1))
}

/// `[q]` or `[q(code)]`; anything else in brackets (events, smart variables, instances) is
/// refused.
fn redcap_field(inside: &str) -> Result<Token, String> {
    let simple = |text: &str| {
        !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if simple(inside) {
        return Ok(Token::Field(inside.to_string()));
    }
    if let Some((field, rest)) = inside.split_once('(') {
        if let Some(code) = rest.strip_suffix(')') {
            if simple(field) && simple(code) {
                return Ok(Token::Checked(field.to_string(), code.to_string()));
            }
        }
    }
    Err(format!(
        "kan '[{inside}]' niet vertalen: alleen velden van deze vragenlijst ([veld] of [veld(code)]) kunnen"
    ))
}

struct Parser<'a> {
    tokens: Vec<Token>,
    position: usize,
    depth: usize,
    dialect: Dialect,
    current: Option<&'a str>,
}

type Parsed = Result<Expr, String>;

fn binary(op: BinOp, left: Expr, right: Expr) -> Expr {
    Expr::Binary(op, Box::new(left), Box::new(right))
}

fn answer(key: &str) -> Ref {
    Ref {
        key: key.to_string(),
        row: None,
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn expect(&mut self, symbol: &str) -> Result<(), String> {
        match self.next() {
            Some(Token::Symbol(s)) if s == symbol => Ok(()),
            Some(other) => Err(format!(
                "kan '{}' niet vertalen: '{symbol}' verwacht",
                show(&other)
            )),
            None => Err(format!(
                "de uitdrukking houdt op waar '{symbol}' verwacht wordt"
            )),
        }
    }

    fn nested(&mut self, parse: impl FnOnce(&mut Self) -> Parsed) -> Parsed {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("de uitdrukking is te diep genest".to_string());
        }
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn or(&mut self) -> Parsed {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.position += 1;
            left = binary(BinOp::Or, left, self.and()?);
        }
        Ok(left)
    }

    fn and(&mut self) -> Parsed {
        let mut left = self.comparison()?;
        while self.is_word("and") {
            self.position += 1;
            left = binary(BinOp::And, left, self.comparison()?);
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Parsed {
        if let Some(Token::Checked(key, code)) = self.peek().cloned() {
            self.position += 1;
            return self.checked(&key, &code);
        }
        let left = self.sum()?;
        let op = match self.peek() {
            Some(Token::Symbol("=" | "==")) => BinOp::Eq,
            Some(Token::Symbol("!=" | "<>")) => BinOp::Ne,
            Some(Token::Symbol("<")) => BinOp::Lt,
            Some(Token::Symbol("<=")) => BinOp::Le,
            Some(Token::Symbol(">")) => BinOp::Gt,
            Some(Token::Symbol(">=")) => BinOp::Ge,
            _ => return Ok(left),
        };
        self.position += 1;
        let right = self.sum()?;
        special_comparison(op, &left, &right).unwrap_or_else(|| Ok(binary(op, left, right)))
    }

    /// REDCap's `[q(code)] = '1'` (the code is chosen) and `= '0'` (it is not).
    fn checked(&mut self, key: &str, code: &str) -> Parsed {
        let refused =
            || format!("kan '[{key}({code})]' niet vertalen: vergelijk het met '1' of '0'");
        let eq = match self.next() {
            Some(Token::Symbol("=" | "==")) => true,
            Some(Token::Symbol("!=" | "<>")) => false,
            _ => return Err(refused()),
        };
        let chosen = match self.next() {
            Some(Token::Text(t)) if t == "1" || t == "0" => t == "1",
            Some(Token::Number(n)) if n == 1.0 || n == 0.0 => n == 1.0,
            _ => return Err(refused()),
        };
        let contains = Expr::Contains(
            Box::new(Expr::Answer(answer(key))),
            Box::new(Expr::Text(code.to_string())),
        );
        Ok(if eq == chosen {
            contains
        } else {
            Expr::Not(Box::new(contains))
        })
    }

    fn sum(&mut self) -> Parsed {
        let mut left = self.product()?;
        loop {
            let op = match self.peek() {
                Some(Token::Symbol("+")) => BinOp::Add,
                Some(Token::Symbol("-")) => BinOp::Sub,
                _ => return Ok(left),
            };
            self.position += 1;
            left = binary(op, left, self.product()?);
        }
    }

    fn product(&mut self) -> Parsed {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Token::Symbol("*")) => BinOp::Mul,
                Some(Token::Symbol("/")) if self.dialect == Dialect::Redcap => BinOp::Div,
                Some(Token::Word(w)) if w == "div" && self.dialect == Dialect::XlsForm => {
                    BinOp::Div
                }
                _ => return Ok(left),
            };
            self.position += 1;
            left = binary(op, left, self.unary()?);
        }
    }

    fn unary(&mut self) -> Parsed {
        if matches!(self.peek(), Some(Token::Symbol("-"))) {
            self.position += 1;
            let inner = self.nested(|p| p.unary())?;
            return Ok(Expr::Neg(Box::new(inner)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Parsed {
        match self.next() {
            None => Err("de uitdrukking houdt te vroeg op".to_string()),
            Some(Token::Number(n)) => Ok(Expr::Number(n)),
            Some(Token::Text(t)) => Ok(Expr::Text(t)),
            Some(Token::Field(key)) => Ok(Expr::Answer(answer(&key))),
            Some(Token::Checked(key, code)) => Err(format!(
                "kan '[{key}({code})]' niet vertalen: vergelijk het met '1' of '0'"
            )),
            Some(Token::Current) => match self.current {
                Some(key) => Ok(Expr::Answer(answer(key))),
                None => Err("kan '.' niet vertalen: '.' kan alleen in een constraint".to_string()),
            },
            Some(Token::Symbol("(")) => {
                let inner = self.nested(|p| p.or())?;
                self.expect(")")?;
                Ok(inner)
            }
            Some(Token::Word(word)) => self.function(&word),
            Some(token) => Err(format!(
                "kan '{}' niet vertalen: onverwacht op deze plek",
                show(&token)
            )),
        }
    }

    /// XLSForm's functions that have ours: `not`, `selected`, `count-selected`, `true`,
    /// `false`.
    fn function(&mut self, word: &str) -> Parsed {
        if !matches!(self.peek(), Some(Token::Symbol("("))) {
            return Err(format!("kan '{word}' niet vertalen: onbekend woord"));
        }
        self.position += 1;
        let known = self.dialect == Dialect::XlsForm || word == "not";
        let expr = match word {
            "not" if known => Expr::Not(Box::new(self.nested(|p| p.or())?)),
            "selected" if known => {
                let field = self.field(word)?;
                self.expect(",").map_err(|_| {
                    format!("kan '{word}' niet vertalen: selected(veld, 'code') verwacht")
                })?;
                match self.next() {
                    Some(Token::Text(code)) => Expr::Contains(
                        Box::new(Expr::Answer(field)),
                        Box::new(Expr::Text(code)),
                    ),
                    _ => return Err("kan 'selected' niet vertalen: de code moet een tekst zijn".to_string()),
                }
            }
            "count-selected" if known => Expr::Call(Func::Count, self.field(word)?),
            "true" | "false" if known => Expr::Bool(word == "true"),
            _ => {
                return Err(format!(
                    "kan '{word}(…)' niet vertalen: deze functie heeft geen tegenhanger in onze uitdrukkingen"
                ))
            }
        };
        self.expect(")")?;
        Ok(expr)
    }

    fn field(&mut self, function: &str) -> Result<Ref, String> {
        match self.next() {
            Some(Token::Field(key)) => Ok(answer(&key)),
            Some(Token::Current) if self.current.is_some() => {
                Ok(answer(self.current.unwrap_or_default()))
            }
            _ => Err(format!(
                "kan '{function}' niet vertalen: verwacht een vraag, zoals ${{vraag}}"
            )),
        }
    }
}

/// Comparisons that mean something else in our language: with the empty text (answered or
/// not), and REDCap's `[q(code)] = '1'` (the code is chosen).
fn special_comparison(op: BinOp, left: &Expr, right: &Expr) -> Option<Parsed> {
    let eq = match op {
        BinOp::Eq => true,
        BinOp::Ne => false,
        _ => return None,
    };
    match (left, right) {
        (Expr::Answer(r), Expr::Text(t)) | (Expr::Text(t), Expr::Answer(r)) if t.is_empty() => {
            let answered = Expr::Call(Func::Answered, r.clone());
            Some(Ok(if eq {
                Expr::Not(Box::new(answered))
            } else {
                answered
            }))
        }
        _ => None,
    }
}

/// Rewrites the codes compared with an answer through `codes` (the other format's code to
/// ours, or back), and texts compared with a number item into numbers.
pub(super) fn recode(
    expr: &mut Expr,
    codes: &HashMap<String, HashMap<String, String>>,
    numeric: &HashSet<String>,
) {
    let map = |reference: &Ref, literal: &mut Expr| {
        if let Expr::Text(text) = literal {
            if let Some(code) = codes.get(&reference.key).and_then(|m| m.get(text.as_str())) {
                *text = code.clone();
            } else if numeric.contains(&reference.key) {
                if let Ok(number) = text.parse::<f64>() {
                    *literal = Expr::Number(number);
                }
            }
        }
    };
    match expr {
        Expr::Binary(_, left, right) => {
            if let Expr::Answer(r) = left.as_ref() {
                map(&r.clone(), right);
            } else if let Expr::Answer(r) = right.as_ref() {
                map(&r.clone(), left);
            }
            recode(left, codes, numeric);
            recode(right, codes, numeric);
        }
        Expr::In { value, list, .. } => {
            if let Expr::Answer(r) = value.as_ref() {
                for item in list.iter_mut() {
                    map(r, item);
                }
            }
        }
        Expr::Contains(left, right) => {
            if let Expr::Answer(r) = left.as_ref() {
                map(r, right);
            }
        }
        Expr::Not(inner) | Expr::Neg(inner) | Expr::Abs(inner) => recode(inner, codes, numeric),
        _ => {}
    }
}
