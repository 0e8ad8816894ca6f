//! Conditions over computed metrics: `count > 3`, `max_prompt > 5000 and n > 10`,
//! `(max_prompt / 1000) * n * (mean_completion / 500) > 10`. Comparisons are written exactly as the
//! public rule states them, so `> 3` and `>= 4` stay distinguishable in the rule file.

use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num(f64),
    Var(String),
    /// A variable bound to a position by [`Expr::bind`].
    Slot(usize),
    Neg(Box<Expr>),
    Bin(Box<Expr>, Op, Box<Expr>),
    Not(Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::And => "and",
            Op::Or => "or",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(Op),
    Not,
    Open,
    Close,
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'(' => {
                out.push(Tok::Open);
                i += 1
            }
            b')' => {
                out.push(Tok::Close);
                i += 1
            }
            b'+' | b'-' | b'*' | b'/' => {
                out.push(Tok::Op(match c {
                    b'+' => Op::Add,
                    b'-' => Op::Sub,
                    b'*' => Op::Mul,
                    _ => Op::Div,
                }));
                i += 1
            }
            b'<' | b'>' | b'=' | b'!' => {
                let two = b.get(i + 1) == Some(&b'=');
                let op = match (c, two) {
                    (b'<', true) => Op::Le,
                    (b'<', false) => Op::Lt,
                    (b'>', true) => Op::Ge,
                    (b'>', false) => Op::Gt,
                    (b'=', true) => Op::Eq,
                    (b'!', true) => Op::Ne,
                    _ => return Err(format!("unexpected {:?} at column {}", c as char, i + 1)),
                };
                out.push(Tok::Op(op));
                i += if two { 2 } else { 1 };
            }
            b'&' if b.get(i + 1) == Some(&b'&') => {
                out.push(Tok::Op(Op::And));
                i += 2
            }
            b'|' if b.get(i + 1) == Some(&b'|') => {
                out.push(Tok::Op(Op::Or));
                i += 2
            }
            b'0'..=b'9' | b'.' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b'_') {
                    i += 1;
                }
                let text: String = s[start..i].chars().filter(|&c| c != '_').collect();
                let n = text
                    .parse::<f64>()
                    .map_err(|_| format!("bad number {:?}", &s[start..i]))?;
                out.push(Tok::Num(n));
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                match &s[start..i] {
                    "and" => out.push(Tok::Op(Op::And)),
                    "or" => out.push(Tok::Op(Op::Or)),
                    "not" => out.push(Tok::Not),
                    id => out.push(Tok::Ident(id.to_string())),
                }
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or('?');
                return Err(format!("unexpected {ch:?} at column {}", i + 1));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek_op(&self) -> Option<Op> {
        match self.toks.get(self.pos) {
            Some(Tok::Op(op)) => Some(*op),
            _ => None,
        }
    }

    fn binary(
        &mut self,
        ops: &[Op],
        next: fn(&mut Parser) -> Result<Expr, String>,
    ) -> Result<Expr, String> {
        let mut lhs = next(self)?;
        while let Some(op) = self.peek_op().filter(|op| ops.contains(op)) {
            self.pos += 1;
            let rhs = next(self)?;
            lhs = Expr::Bin(Box::new(lhs), op, Box::new(rhs));
        }
        Ok(lhs)
    }

    fn or(&mut self) -> Result<Expr, String> {
        self.binary(&[Op::Or], Parser::and)
    }

    fn and(&mut self) -> Result<Expr, String> {
        self.binary(&[Op::And], Parser::not)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.toks.get(self.pos) == Some(&Tok::Not) {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Expr, String> {
        let lhs = self.sum()?;
        match self.peek_op() {
            Some(op @ (Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne)) => {
                self.pos += 1;
                let rhs = self.sum()?;
                Ok(Expr::Bin(Box::new(lhs), op, Box::new(rhs)))
            }
            _ => Ok(lhs),
        }
    }

    fn sum(&mut self) -> Result<Expr, String> {
        self.binary(&[Op::Add, Op::Sub], Parser::prod)
    }

    fn prod(&mut self) -> Result<Expr, String> {
        self.binary(&[Op::Mul, Op::Div], Parser::unary)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek_op() == Some(Op::Sub) {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        let tok = self.toks.get(self.pos).cloned();
        self.pos += 1;
        match tok {
            Some(Tok::Num(n)) => Ok(Expr::Num(n)),
            Some(Tok::Ident(id)) => Ok(Expr::Var(id)),
            Some(Tok::Open) => {
                let e = self.or()?;
                if self.toks.get(self.pos) != Some(&Tok::Close) {
                    return Err("missing `)`".into());
                }
                self.pos += 1;
                Ok(e)
            }
            Some(t) => Err(format!("unexpected {t:?}")),
            None => Err("expression ends too early".into()),
        }
    }
}

impl Expr {
    /// Parses an expression and checks every variable against `vars`.
    pub fn parse(s: &str, vars: &[&str]) -> Result<Expr, String> {
        let toks = lex(s)?;
        if toks.is_empty() {
            return Err("empty expression".into());
        }
        let mut p = Parser { toks, pos: 0 };
        let e = p.or()?;
        if p.pos < p.toks.len() {
            return Err(format!(
                "unexpected {:?} after the expression",
                p.toks[p.pos]
            ));
        }
        let mut bad = None;
        e.visit_vars(&mut |v| {
            if !vars.contains(&v) && bad.is_none() {
                bad = Some(v.to_string());
            }
        });
        if let Some(v) = bad {
            return Err(format!(
                "unknown name {v:?}, expected one of: {}",
                vars.join(", ")
            ));
        }
        Ok(e)
    }

    /// Replaces variables by their position in `names`, for [`Expr::eval_slots`] in hot loops.
    pub fn bind(&self, names: &[&str]) -> Expr {
        match self {
            Expr::Var(v) => match names.iter().position(|n| n == v) {
                Some(i) => Expr::Slot(i),
                None => Expr::Num(f64::NAN),
            },
            Expr::Num(_) | Expr::Slot(_) => self.clone(),
            Expr::Neg(e) => Expr::Neg(Box::new(e.bind(names))),
            Expr::Not(e) => Expr::Not(Box::new(e.bind(names))),
            Expr::Bin(a, op, b) => Expr::Bin(Box::new(a.bind(names)), *op, Box::new(b.bind(names))),
        }
    }

    /// Evaluates a bound expression; `and`/`or` stop as soon as the result is known.
    pub fn eval_slots(&self, vals: &[f64]) -> f64 {
        let truthy = |x: f64| x != 0.0 && !x.is_nan();
        let b = |x: bool| if x { 1.0 } else { 0.0 };
        match self {
            Expr::Num(n) => *n,
            Expr::Slot(i) => vals.get(*i).copied().unwrap_or(f64::NAN),
            Expr::Var(_) => f64::NAN,
            Expr::Neg(e) => -e.eval_slots(vals),
            Expr::Not(e) => b(!truthy(e.eval_slots(vals))),
            Expr::Bin(l, Op::And, r) => b(truthy(l.eval_slots(vals)) && truthy(r.eval_slots(vals))),
            Expr::Bin(l, Op::Or, r) => b(truthy(l.eval_slots(vals)) || truthy(r.eval_slots(vals))),
            Expr::Bin(l, op, r) => {
                let (x, y) = (l.eval_slots(vals), r.eval_slots(vals));
                match op {
                    Op::Add => x + y,
                    Op::Sub => x - y,
                    Op::Mul => x * y,
                    Op::Div => x / y,
                    Op::Lt => b(x < y),
                    Op::Le => b(x <= y),
                    Op::Gt => b(x > y),
                    Op::Ge => b(x >= y),
                    Op::Eq => b(x == y),
                    Op::Ne => b(x != y),
                    Op::And | Op::Or => f64::NAN,
                }
            }
        }
    }

    pub fn visit_vars<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match self {
            Expr::Num(_) | Expr::Slot(_) => {}
            Expr::Var(v) => f(v),
            Expr::Neg(e) | Expr::Not(e) => e.visit_vars(f),
            Expr::Bin(a, _, b) => {
                a.visit_vars(f);
                b.visit_vars(f);
            }
        }
    }

    /// Evaluates to a number; booleans are 1 and 0, and a missing variable is NaN so that every
    /// comparison with it is false.
    pub fn eval(&self, var: &impl Fn(&str) -> Option<f64>) -> f64 {
        let b = |x: bool| if x { 1.0 } else { 0.0 };
        match self {
            Expr::Num(n) => *n,
            Expr::Var(v) => var(v).unwrap_or(f64::NAN),
            Expr::Slot(_) => f64::NAN,
            Expr::Neg(e) => -e.eval(var),
            Expr::Not(e) => b(e.eval(var) == 0.0),
            Expr::Bin(l, op, r) => {
                let (x, y) = (l.eval(var), r.eval(var));
                match op {
                    Op::Add => x + y,
                    Op::Sub => x - y,
                    Op::Mul => x * y,
                    Op::Div => x / y,
                    Op::Lt => b(x < y),
                    Op::Le => b(x <= y),
                    Op::Gt => b(x > y),
                    Op::Ge => b(x >= y),
                    Op::Eq => b(x == y),
                    Op::Ne => b(x != y),
                    Op::And => b(x != 0.0 && !x.is_nan() && y != 0.0 && !y.is_nan()),
                    Op::Or => b((x != 0.0 && !x.is_nan()) || (y != 0.0 && !y.is_nan())),
                }
            }
        }
    }

    pub fn holds(&self, var: &impl Fn(&str) -> Option<f64>) -> bool {
        let v = self.eval(var);
        v != 0.0 && !v.is_nan()
    }
}

impl Expr {
    fn fmt_nested(&self, f: &mut fmt::Formatter<'_>, top: bool) -> fmt::Result {
        match self {
            Expr::Num(n) => write!(f, "{n}"),
            Expr::Var(v) => f.write_str(v),
            Expr::Slot(i) => write!(f, "#{i}"),
            Expr::Neg(e) => {
                f.write_str("-")?;
                e.fmt_nested(f, false)
            }
            Expr::Not(e) => {
                f.write_str("not ")?;
                e.fmt_nested(f, false)
            }
            Expr::Bin(a, op, b) => {
                if !top {
                    f.write_str("(")?;
                }
                a.fmt_nested(f, false)?;
                write!(f, " {} ", op.symbol())?;
                b.fmt_nested(f, false)?;
                if !top {
                    f.write_str(")")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_nested(f, true)
    }
}

/// Formats a metric for titles: integers without a fraction, others with two decimals.
pub fn format_number(v: f64) -> String {
    if v.is_nan() {
        "n/a".into()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(s: &str, vars: &[(&str, f64)]) -> f64 {
        let names: Vec<&str> = vars.iter().map(|(n, _)| *n).collect();
        let e = Expr::parse(s, &names).unwrap();
        e.eval(&|n: &str| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| *v))
    }

    #[test]
    fn thresholds_keep_their_strictness() {
        assert_eq!(eval("count > 3", &[("count", 3.0)]), 0.0);
        assert_eq!(eval("count > 3", &[("count", 4.0)]), 1.0);
        assert_eq!(eval("count >= 3", &[("count", 3.0)]), 1.0);
    }

    #[test]
    fn arithmetic_and_logic() {
        let vars = [("m", 6000.0), ("n", 11.0), ("c", 600.0)];
        assert_eq!(
            eval(
                "m > 5000 and n > 10 and c > 500 and (m / 1000) * n * (c / 500) > 10",
                &vars
            ),
            1.0
        );
        assert_eq!(eval("not (m > 1) or n == 11", &vars), 1.0);
        assert_eq!(eval("-m + 2 * 3", &vars), -5994.0);
    }

    #[test]
    fn rejects_unknown_names_and_garbage() {
        assert!(Expr::parse("count > x", &["count"])
            .unwrap_err()
            .contains("count"));
        assert!(Expr::parse("count >", &["count"]).is_err());
        assert!(Expr::parse("(count > 1", &["count"]).is_err());
        assert!(Expr::parse("count ? 1", &["count"]).is_err());
        assert!(Expr::parse("", &["count"]).is_err());
    }

    #[test]
    fn bound_expressions_agree() {
        let names = ["m", "n", "c"];
        let e = Expr::parse("m > 5000 and n > 10 or not (c / 2 <= 1)", &names).unwrap();
        let bound = e.bind(&names);
        for vals in [[6000.0, 11.0, 1.0], [1.0, 1.0, 4.0], [6000.0, 1.0, 2.0]] {
            let by_name = e.eval(&|n: &str| names.iter().position(|x| *x == n).map(|i| vals[i]));
            assert_eq!(bound.eval_slots(&vals), by_name, "{vals:?}");
        }
    }

    #[test]
    fn missing_values_never_satisfy() {
        let e = Expr::parse("x > 1", &["x"]).unwrap();
        assert!(!e.holds(&|_: &str| None));
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(2.5), "2.50");
    }
}
