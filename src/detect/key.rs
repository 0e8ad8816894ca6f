//! Key expressions: what a rule groups by, joins on, counts distinct or prints in a title. A key is a
//! normalized field (`user.arn`), a raw source path (`requestParameters.bucketName`, `*` for any
//! array index), or a function of keys (`coalesce(user.session_issuer, user.arn)`,
//! `s3_bucket(requestParameters.trainingDataConfig.s3Uri)`, `lower(…)`).

use crate::model::{Event, EventStore, Field, Sym, Value};
use std::fmt;

/// First path segments that name raw source fields. Anything else must be a normalized field, or
/// be written `raw:path` so that a typo in a field name is an error instead of a silent miss.
pub const RAW_ROOTS: &[&str] = &[
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "serviceEventDetails",
    "resources",
    "userIdentity",
    "tlsDetails",
    "errorMessage",
    "eventCategory",
    "eventType",
    "eventID",
    "eventVersion",
    "readOnly",
    "managementEvent",
    "sharedEventID",
    "vpcEndpointId",
    "input",
    "output",
    "inferenceRegion",
    "process",
];

pub const FUNCTIONS: &[&str] = &["coalesce", "s3_bucket", "lower"];

/// A raw attribute path; `*` segments match any array index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AttrPath {
    pub path: String,
    pub wildcard: bool,
}

impl AttrPath {
    fn new(path: &str) -> AttrPath {
        AttrPath {
            path: path.to_string(),
            wildcard: path.split('.').any(|s| s == "*"),
        }
    }

    /// True when `key` (a flattened attribute name) matches this path.
    pub fn matches(&self, key: &str) -> bool {
        if !self.wildcard {
            return key == self.path;
        }
        let mut want = self.path.split('.');
        let mut have = key.split('.');
        loop {
            match (want.next(), have.next()) {
                (None, None) => return true,
                (Some("*"), Some(h)) if !h.is_empty() && h.bytes().all(|b| b.is_ascii_digit()) => {}
                (Some(w), Some(h)) if w == h => {}
                _ => return false,
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeyExpr {
    Field(Field),
    Attr(AttrPath),
    Coalesce(Vec<KeyExpr>),
    S3Bucket(Box<KeyExpr>),
    Lower(Box<KeyExpr>),
}

/// One value of a key on one event. Owned strings that the store also interned are turned into
/// symbols, so equal values always compare equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyVal {
    Sym(Sym),
    Static(&'static str),
    Num(i64),
    Owned(Box<str>),
}

impl KeyVal {
    pub fn render<'a>(&'a self, store: &'a EventStore) -> std::borrow::Cow<'a, str> {
        match self {
            KeyVal::Sym(s) => store.str(*s).into(),
            KeyVal::Static(s) => (*s).into(),
            KeyVal::Num(n) => n.to_string().into(),
            KeyVal::Owned(s) => (&**s).into(),
        }
    }

    fn owned(store: &EventStore, s: &str) -> Option<KeyVal> {
        if s.is_empty() {
            return None;
        }
        Some(match store.sym(s) {
            Some(sym) if sym.is_some() => KeyVal::Sym(sym),
            _ => KeyVal::Owned(s.into()),
        })
    }
}

impl fmt::Display for KeyExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyExpr::Field(fl) => f.write_str(fl.name()),
            KeyExpr::Attr(a) => f.write_str(&a.path),
            KeyExpr::Coalesce(args) => {
                f.write_str("coalesce(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
            KeyExpr::S3Bucket(a) => write!(f, "s3_bucket({a})"),
            KeyExpr::Lower(a) => write!(f, "lower({a})"),
        }
    }
}

/// The valid choices for a key, for error messages.
pub fn key_choices() -> String {
    let fields: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    format!(
        "a field ({}), a raw path starting with one of ({}) or `raw:`, or a function ({})",
        fields.join(", "),
        RAW_ROOTS.join(", "),
        FUNCTIONS.join(", ")
    )
}

impl KeyExpr {
    pub fn parse(s: &str) -> Result<KeyExpr, String> {
        let s = s.trim();
        if let Some(open) = s.find('(') {
            let name = s[..open].trim();
            let Some(inner) = s[open + 1..].strip_suffix(')') else {
                return Err(format!("unbalanced parentheses in {s:?}"));
            };
            let args = split_args(inner)?
                .into_iter()
                .map(KeyExpr::parse)
                .collect::<Result<Vec<_>, _>>()?;
            let one = |args: Vec<KeyExpr>| -> Result<Box<KeyExpr>, String> {
                let mut it = args.into_iter();
                match (it.next(), it.next()) {
                    (Some(a), None) => Ok(Box::new(a)),
                    _ => Err(format!("{name}() takes exactly one argument")),
                }
            };
            return match name {
                "coalesce" if args.len() >= 2 => Ok(KeyExpr::Coalesce(args)),
                "coalesce" => Err("coalesce() takes at least two arguments".into()),
                "s3_bucket" => Ok(KeyExpr::S3Bucket(one(args)?)),
                "lower" => Ok(KeyExpr::Lower(one(args)?)),
                _ => Err(format!(
                    "unknown function {name:?}, expected one of: {}",
                    FUNCTIONS.join(", ")
                )),
            };
        }
        if s.is_empty() {
            return Err("empty key".into());
        }
        if let Some(path) = s.strip_prefix("raw:") {
            return Ok(KeyExpr::Attr(AttrPath::new(path)));
        }
        if let Some(f) = Field::parse(s) {
            return Ok(KeyExpr::Field(f));
        }
        let root = s.split(['.']).next().unwrap_or("");
        if RAW_ROOTS.contains(&root) {
            return Ok(KeyExpr::Attr(AttrPath::new(s)));
        }
        Err(format!("unknown key {s:?}, expected {}", key_choices()))
    }

    /// The plain normalized field, when the key is one.
    pub fn as_field(&self) -> Option<Field> {
        match self {
            KeyExpr::Field(f) => Some(*f),
            _ => None,
        }
    }

    /// Appends the key's values on `e` (none when absent; several for wildcard paths).
    pub fn eval(&self, store: &EventStore, e: &Event, out: &mut Vec<KeyVal>) {
        match self {
            KeyExpr::Field(f) => match f.get(e) {
                Value::Missing => {}
                Value::Str(s) => out.push(KeyVal::Sym(s)),
                Value::Static(s) => out.push(KeyVal::Static(s)),
                Value::Num(n) => out.push(KeyVal::Num(n)),
            },
            KeyExpr::Attr(path) => attr_values(store, e, path, |v| out.push(KeyVal::Sym(v))),
            KeyExpr::Coalesce(args) => {
                for a in args {
                    let before = out.len();
                    a.eval(store, e, out);
                    if out.len() > before {
                        return;
                    }
                }
            }
            KeyExpr::S3Bucket(inner) | KeyExpr::Lower(inner) => {
                let mut tmp = Vec::new();
                inner.eval(store, e, &mut tmp);
                for v in tmp {
                    let text = v.render(store);
                    let mapped = match self {
                        KeyExpr::S3Bucket(_) => s3_bucket(&text).map(str::to_string),
                        _ => Some(text.to_lowercase()),
                    };
                    if let Some(m) = mapped.and_then(|m| KeyVal::owned(store, &m)) {
                        out.push(m);
                    }
                }
            }
        }
    }

    /// The first value on `e`.
    pub fn first(&self, store: &EventStore, e: &Event) -> Option<KeyVal> {
        if let KeyExpr::Field(f) = self {
            return match f.get(e) {
                Value::Missing => None,
                Value::Str(s) => Some(KeyVal::Sym(s)),
                Value::Static(s) => Some(KeyVal::Static(s)),
                Value::Num(n) => Some(KeyVal::Num(n)),
            };
        }
        let mut out = Vec::new();
        self.eval(store, e, &mut out);
        out.into_iter().next()
    }
}

/// Calls `f` with the value of every attribute of `e` matching `path`.
pub fn attr_values(store: &EventStore, e: &Event, path: &AttrPath, mut f: impl FnMut(Sym)) {
    if path.wildcard {
        for &(k, v) in store.attrs(e) {
            if v.is_some() && path.matches(store.str(k)) {
                f(v);
            }
        }
    } else if let Some(k) = store.sym(&path.path) {
        let v = store.attr(e, k);
        if v.is_some() {
            f(v);
        }
    }
}

/// `s3://bucket/key…` → `bucket`; a bare `arn:aws:s3:::bucket/key` works too.
pub fn s3_bucket(uri: &str) -> Option<&str> {
    let rest = uri
        .strip_prefix("s3://")
        .or_else(|| uri.strip_prefix("S3://"))
        .or_else(|| uri.strip_prefix("arn:aws:s3:::"))?;
    let bucket = rest.split('/').next()?;
    (!bucket.is_empty()).then_some(bucket)
}

fn split_args(s: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return Err(format!("unbalanced parentheses in {s:?}"));
        }
    }
    if depth != 0 {
        return Err(format!("unbalanced parentheses in {s:?}"));
    }
    out.push(&s[start..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fields_paths_and_functions() {
        assert_eq!(
            KeyExpr::parse("user.arn"),
            Ok(KeyExpr::Field(Field::UserArn))
        );
        assert_eq!(KeyExpr::parse("model"), Ok(KeyExpr::Field(Field::ModelId)));
        assert!(matches!(
            KeyExpr::parse("requestParameters.bucketName"),
            Ok(KeyExpr::Attr(_))
        ));
        assert!(matches!(
            KeyExpr::parse("raw:foo.bar"),
            Ok(KeyExpr::Attr(_))
        ));
        let e = KeyExpr::parse("coalesce(user.session_issuer, user.arn)").unwrap();
        assert_eq!(e.to_string(), "coalesce(user.session_issuer, user.arn)");
        let e =
            KeyExpr::parse("s3_bucket(requestParameters.validationDataConfig.validators.*.s3Uri)")
                .unwrap();
        assert!(matches!(e, KeyExpr::S3Bucket(_)));
        assert!(KeyExpr::parse("user.arnn")
            .unwrap_err()
            .contains("user.principal"));
        assert!(KeyExpr::parse("upper(user.arn)")
            .unwrap_err()
            .contains("coalesce"));
        assert!(KeyExpr::parse("lower(a, b)").is_err());
    }

    #[test]
    fn wildcard_paths_match_indices_only() {
        let p = AttrPath::new("requestParameters.v.*.s3Uri");
        assert!(p.matches("requestParameters.v.0.s3Uri"));
        assert!(p.matches("requestParameters.v.12.s3Uri"));
        assert!(!p.matches("requestParameters.v.x.s3Uri"));
        assert!(!p.matches("requestParameters.v.0.s3Uri.more"));
    }

    #[test]
    fn s3_buckets() {
        assert_eq!(s3_bucket("s3://train-data/in/a.jsonl"), Some("train-data"));
        assert_eq!(s3_bucket("s3://train-data"), Some("train-data"));
        assert_eq!(s3_bucket("arn:aws:s3:::b/k"), Some("b"));
        assert_eq!(s3_bucket("https://x"), None);
        assert_eq!(s3_bucket("s3:///k"), None);
    }
}
