//! Filters as written in rule files and their validation: a tree of conditions over normalized
//! fields, raw source paths and the user prompt text (see [`super::matcher`] for evaluation).

use super::cli_actions::ActionClass;
use super::diag::Reporter;
use super::key::KeyExpr;
use super::keywords::KeywordSet;
use crate::model::{ErrorClass, Field, Strand};
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

/// A filter as written in a rule file. Exactly one of `all`/`any`/`not`/`field` is set, and with
/// `field` exactly one operator.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterDoc {
    all: Option<Vec<Spanned<FilterDoc>>>,
    any: Option<Vec<Spanned<FilterDoc>>>,
    not: Option<Box<Spanned<FilterDoc>>>,
    field: Option<Spanned<String>>,
    eq: Option<Spanned<Scalar>>,
    ne: Option<Spanned<Scalar>>,
    #[serde(rename = "in")]
    in_: Option<Spanned<Vec<Scalar>>>,
    prefix: Option<Spanned<OneOrMany>>,
    suffix: Option<Spanned<OneOrMany>>,
    contains: Option<Spanned<OneOrMany>>,
    regex: Option<Spanned<String>>,
    exists: Option<Spanned<bool>>,
    missing: Option<Spanned<bool>>,
    gt: Option<Spanned<f64>>,
    gte: Option<Spanned<f64>>,
    lt: Option<Spanned<f64>>,
    lte: Option<Spanned<f64>>,
    keywords: Option<Spanned<String>>,
    cli_action: Option<Spanned<OneOrMany>>,
    /// Case-insensitive string comparison for eq/ne/in/prefix/suffix/contains/regex.
    nocase: Option<bool>,
}

/// A constant in a filter.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

impl Scalar {
    pub fn as_text(&self) -> String {
        match self {
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Str(s) => s.clone(),
        }
    }

    pub(crate) fn as_num(&self) -> Option<f64> {
        match self {
            Scalar::Int(i) => Some(*i as f64),
            Scalar::Float(f) => Some(*f),
            Scalar::Str(s) => s.trim().parse().ok(),
            Scalar::Bool(_) => None,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

pub const OPERATORS: &str =
    "eq, ne, in, prefix, suffix, contains, regex, exists, missing, gt, gte, lt, lte, keywords, cli_action";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrOp {
    Prefix,
    Suffix,
    Contains,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Key(KeyExpr),
    /// The user prompt text of an invocation (only through ingest-time probes).
    Prompt,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    In(Vec<Scalar>),
    Str(StrOp, Vec<String>),
    Regex(String),
    Exists(bool),
    Cmp(Cmp, f64),
    Keywords(String),
    Cli(Vec<ActionClass>),
}

/// A validated filter, independent of any store.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    All(Vec<Filter>),
    Any(Vec<Filter>),
    Not(Box<Filter>),
    Cond {
        target: Target,
        op: Op,
        nocase: bool,
    },
}

impl Filter {
    pub fn always() -> Filter {
        Filter::All(Vec::new())
    }

    /// Validates a filter as written, reporting every problem with its position.
    pub fn from_doc(
        doc: &Spanned<FilterDoc>,
        kw: &KeywordSet,
        rep: &mut Reporter,
    ) -> Option<Filter> {
        let span = doc.span();
        let d = doc.get_ref();
        let groups = [
            d.all.is_some(),
            d.any.is_some(),
            d.not.is_some(),
            d.field.is_some(),
        ];
        if groups.iter().filter(|&&b| b).count() != 1 {
            rep.at(span, "a filter needs exactly one of: all, any, not, field");
            return None;
        }
        let list = |items: &Vec<Spanned<FilterDoc>>, rep: &mut Reporter| {
            let out: Vec<Option<Filter>> =
                items.iter().map(|i| Filter::from_doc(i, kw, rep)).collect();
            out.into_iter().collect::<Option<Vec<_>>>()
        };
        if let Some(items) = &d.all {
            return list(items, rep).map(Filter::All);
        }
        if let Some(items) = &d.any {
            return list(items, rep).map(Filter::Any);
        }
        if let Some(inner) = &d.not {
            return Filter::from_doc(inner, kw, rep).map(|f| Filter::Not(Box::new(f)));
        }
        let field = d.field.as_ref()?;
        let target = match field.get_ref().as_str() {
            "prompt" | "gen_ai.prompt" => Target::Prompt,
            other => match KeyExpr::parse(other) {
                Ok(k) => Target::Key(k),
                Err(e) => {
                    rep.at(field.span(), e);
                    return None;
                }
            },
        };
        let mut ops: Vec<(std::ops::Range<usize>, Op, bool)> = Vec::new();
        if let Some(v) = &d.eq {
            ops.push((v.span(), Op::In(vec![v.get_ref().clone()]), false));
        }
        if let Some(v) = &d.ne {
            ops.push((v.span(), Op::In(vec![v.get_ref().clone()]), true));
        }
        if let Some(v) = &d.in_ {
            ops.push((v.span(), Op::In(v.get_ref().clone()), false));
        }
        for (o, kind) in [
            (&d.prefix, StrOp::Prefix),
            (&d.suffix, StrOp::Suffix),
            (&d.contains, StrOp::Contains),
        ] {
            if let Some(v) = o {
                ops.push((
                    v.span(),
                    Op::Str(kind, v.get_ref().clone().into_vec()),
                    false,
                ));
            }
        }
        if let Some(v) = &d.regex {
            ops.push((v.span(), Op::Regex(v.get_ref().clone()), false));
        }
        if let Some(v) = &d.exists {
            ops.push((v.span(), Op::Exists(*v.get_ref()), false));
        }
        if let Some(v) = &d.missing {
            ops.push((v.span(), Op::Exists(!*v.get_ref()), false));
        }
        for (o, c) in [
            (&d.gt, Cmp::Gt),
            (&d.gte, Cmp::Ge),
            (&d.lt, Cmp::Lt),
            (&d.lte, Cmp::Le),
        ] {
            if let Some(v) = o {
                ops.push((v.span(), Op::Cmp(c, *v.get_ref()), false));
            }
        }
        if let Some(v) = &d.keywords {
            ops.push((v.span(), Op::Keywords(v.get_ref().clone()), false));
        }
        if let Some(v) = &d.cli_action {
            let mut classes = Vec::new();
            for name in v.get_ref().clone().into_vec() {
                match ActionClass::parse(&name) {
                    Some(c) => classes.push(c),
                    None => {
                        rep.at(
                            v.span(),
                            format!(
                                "unknown CLI action class {name:?}, expected one of: {}",
                                ActionClass::choices()
                            ),
                        );
                        return None;
                    }
                }
            }
            ops.push((v.span(), Op::Cli(classes), false));
        }
        if ops.len() != 1 {
            rep.at(
                span,
                format!("a `field` condition needs exactly one operator, one of: {OPERATORS}"),
            );
            return None;
        }
        let (op_span, op, negate) = ops.pop()?;
        let nocase = d.nocase.unwrap_or(false);
        if !validate_op(&target, &op, kw, op_span, rep) {
            return None;
        }
        let cond = Filter::Cond { target, op, nocase };
        Some(if negate {
            Filter::Not(Box::new(cond))
        } else {
            cond
        })
    }

    /// Every prompt-text condition (for registering probes before ingest).
    pub fn prompt_conditions<'a>(&'a self, out: &mut Vec<(&'a Op, bool)>) {
        match self {
            Filter::All(v) | Filter::Any(v) => v.iter().for_each(|f| f.prompt_conditions(out)),
            Filter::Not(f) => f.prompt_conditions(out),
            Filter::Cond {
                target: Target::Prompt,
                op,
                nocase,
            } => out.push((op, *nocase)),
            Filter::Cond { .. } => {}
        }
    }
}

fn validate_op(
    target: &Target,
    op: &Op,
    kw: &KeywordSet,
    span: std::ops::Range<usize>,
    rep: &mut Reporter,
) -> bool {
    let field = match target {
        Target::Prompt => {
            return match op {
                Op::Regex(_) | Op::Str(StrOp::Contains, _) | Op::Keywords(_) => {
                    check_regex_and_keywords(op, kw, span, rep)
                }
                _ => {
                    rep.at(
                        span,
                        "the prompt text supports only: contains, regex, keywords",
                    );
                    false
                }
            };
        }
        Target::Key(k) => k.as_field(),
    };
    let static_choices: Option<Vec<&str>> = match field {
        Some(Field::Strand) => Some(Strand::ALL.iter().map(|s| s.name()).collect()),
        Some(Field::Outcome) => Some(vec!["success", "failure", "unknown"]),
        Some(Field::ErrorClass) => Some(ErrorClass::ALL.iter().map(|c| c.name()).collect()),
        _ => None,
    };
    if let (Some(choices), Op::In(values)) = (&static_choices, op) {
        for v in values {
            let t = v.as_text();
            if !choices.contains(&t.as_str()) {
                rep.at(
                    span,
                    format!(
                        "unknown value {t:?}, expected one of: {}",
                        choices.join(", ")
                    ),
                );
                return false;
            }
        }
    }
    if let (Some(f), Op::In(values)) = (field, op) {
        if f.is_numeric() && values.iter().any(|v| v.as_num().is_none()) {
            rep.at(
                span,
                format!("{} is numeric; compare it with numbers", f.name()),
            );
            return false;
        }
    }
    check_regex_and_keywords(op, kw, span, rep)
}

fn check_regex_and_keywords(
    op: &Op,
    kw: &KeywordSet,
    span: std::ops::Range<usize>,
    rep: &mut Reporter,
) -> bool {
    match op {
        Op::Regex(r) => match Regex::new(r) {
            Ok(_) => true,
            Err(e) => {
                rep.at(span, format!("invalid regex: {e}"));
                false
            }
        },
        Op::Keywords(name) if kw.resolve(name).is_none() => {
            rep.at(
                span,
                format!(
                    "unknown keyword preset or group {name:?}, expected one of: {}",
                    kw.preset_names()
                        .into_iter()
                        .chain(kw.group_names())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            false
        }
        _ => true,
    }
}

/// The probe registration key of a prompt condition.
pub fn probe_key(op: &Op, nocase: bool) -> Option<String> {
    match op {
        Op::Regex(r) => Some(format!("regex:{}{r}", if nocase { "(?i)" } else { "" })),
        Op::Str(StrOp::Contains, needles) => {
            let alts: Vec<String> = needles.iter().map(|n| regex::escape(n)).collect();
            Some(format!(
                "regex:{}{}",
                if nocase { "(?i)" } else { "" },
                alts.join("|")
            ))
        }
        Op::Keywords(name) => Some(format!("keywords:{name}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::testkit::parse_filter;

    #[test]
    fn bad_filters_are_located_with_choices() {
        let e = parse_filter("[filter]\nfield='user.arnn'\neq='x'").unwrap_err();
        assert!(e.starts_with("t.toml:2:7:"), "{e}");
        assert!(e.contains("user.principal"), "{e}");
        let e = parse_filter("[filter]\nfield='error.class'\neq='denied'").unwrap_err();
        assert!(
            e.contains("t.toml:3:4:") && e.contains("access_denied"),
            "{e}"
        );
        let e = parse_filter("[filter]\nfield='user.arn'\neq='x'\nprefix='y'").unwrap_err();
        assert!(e.contains("exactly one operator"), "{e}");
        let e = parse_filter("[filter]\nfield='user.arn'\neqq='x'").unwrap_err();
        assert!(e.contains("unknown field") && e.contains("prefix"), "{e}");
        let e = parse_filter("[filter]\nfield='prompt'\nkeywords='nope'").unwrap_err();
        assert!(e.contains("sumo-blog"), "{e}");
        let e = parse_filter("[filter]\nfield='prompt'\neq='x'").unwrap_err();
        assert!(e.contains("only: contains, regex, keywords"), "{e}");
        let e = parse_filter("[filter]\nfield='process.command_line'\ncli_action='remove'")
            .unwrap_err();
        assert!(e.contains("delete, get"), "{e}");
        let e = parse_filter("[filter]\nfield='user.arn'\nregex='('").unwrap_err();
        assert!(e.contains("invalid regex"), "{e}");
    }
}
