//! Reading an expression: tokens, then a recursive-descent parser that reports the position
//! of the first problem and refuses nesting deeper than `MAX_DEPTH`.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Number(f64),
    Text(String),
    Ident(String),
    Symbol(&'static str),
}

pub(super) fn describe(token: &Token) -> String {
    match token {
        Token::Number(n) => format!("het getal {n}"),
        Token::Text(t) => format!("de tekst '{t}'"),
        Token::Ident(i) => format!("'{i}'"),
        Token::Symbol(s) => format!("'{s}'"),
    }
}

pub(super) const SYMBOLS: [&str; 16] = [
    "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".",
];

/// The digits and points of a number starting at `*i`, which moves past them. Shared by
/// this syntax and the XLSForm and REDCap dialects (`interchange::expressions`).
pub(crate) fn scan_number(chars: &[char], i: &mut usize) -> String {
    let start = *i;
    while *i < chars.len() && (chars[*i].is_ascii_digit() || chars[*i] == '.') {
        *i += 1;
    }
    chars[start..*i].iter().collect()
}

pub(super) fn tokenize(source: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            let text = scan_number(&chars, &mut i);
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

pub(super) struct Parser {
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
