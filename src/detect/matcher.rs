//! Filters bound to one store: constant strings resolved to symbols once so that equality is an
//! integer compare, prompt-text conditions turned into ingest-time probe bits, cheap conditions
//! evaluated first.

use super::cli_actions::{ActionClass, CliActions};
use super::filter::{probe_key, Cmp, Filter, Op, Scalar, StrOp, Target};
use super::key::{KeyExpr, KeyVal};
use super::keywords::KeywordSet;
use crate::model::{ErrorClass, Event, EventStore, Field, Outcome, Strand, Sym, Value};
use regex::{Regex, RegexBuilder};
use std::collections::HashMap;

/// Probe bits per probe key, filled before ingest by `RuleSet::register_probes`.
pub type ProbeMap = HashMap<String, u64>;

/// What compiling needs besides the filter.
pub struct CompileEnv<'a> {
    pub store: &'a EventStore,
    pub keywords: &'a KeywordSet,
    pub cli: &'a CliActions,
    pub probes: Option<&'a ProbeMap>,
    /// Probe bit → keyword group label, for naming what a prompt matched.
    pub probe_labels: &'a [(u32, String)],
}

/// A filter bound to one store.
#[derive(Clone, Debug)]
pub enum Node {
    Const(bool),
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    SymIn(Field, Vec<Sym>),
    AttrIn(Sym, Vec<Sym>),
    StrandIn(u8),
    OutcomeIn(u8),
    ErrorClassIn(u8),
    Probe(u64),
    NumCmp(KeyExpr, Cmp, f64),
    NumEq(KeyExpr, Vec<f64>),
    Exists(KeyExpr, bool),
    Str(KeyExpr, StrOp, Vec<String>, bool),
    TextEq(KeyExpr, Vec<String>, bool),
    Regex(KeyExpr, Regex),
    Keywords(KeyExpr, Vec<Regex>),
    Cli(KeyExpr, CliActions, Vec<ActionClass>),
}

impl Node {
    /// Compiles `f`; `Err` carries a reason the rule cannot run (missing probes).
    pub fn compile(f: &Filter, env: &CompileEnv) -> Result<Node, String> {
        let node = match f {
            Filter::All(items) => compile_junction(items, env, false, Node::All)?,
            Filter::Any(items) => compile_junction(items, env, true, Node::Any)?,
            Filter::Not(inner) => match Node::compile(inner, env)? {
                Node::Const(b) => Node::Const(!b),
                n => Node::Not(Box::new(n)),
            },
            Filter::Cond { target, op, nocase } => compile_cond(target, op, *nocase, env)?,
        };
        Ok(node)
    }

    fn cost(&self) -> u8 {
        match self {
            Node::Const(_) => 0,
            Node::StrandIn(_) | Node::OutcomeIn(_) | Node::ErrorClassIn(_) | Node::Probe(_) => 1,
            Node::SymIn(..) => 2,
            Node::NumCmp(k, ..) | Node::NumEq(k, _) | Node::Exists(k, _)
                if k.as_field().is_some() =>
            {
                3
            }
            Node::AttrIn(..) => 4,
            Node::NumCmp(..)
            | Node::NumEq(..)
            | Node::Exists(..)
            | Node::TextEq(..)
            | Node::Str(..) => 5,
            Node::All(_) | Node::Any(_) | Node::Not(_) => 6,
            Node::Cli(..) => 7,
            Node::Keywords(..) | Node::Regex(..) => 8,
        }
    }

    /// The event actions the filter requires, when its top level demands one of a known set
    /// (lets the engine visit only those events).
    pub fn required_actions(&self) -> Option<&[Sym]> {
        match self {
            Node::SymIn(Field::Action, syms) => Some(syms),
            Node::All(items) => items.iter().find_map(|n| match n {
                Node::SymIn(Field::Action, syms) => Some(syms.as_slice()),
                _ => None,
            }),
            _ => None,
        }
    }

    pub fn matches(&self, store: &EventStore, e: &Event) -> bool {
        match self {
            Node::Const(b) => *b,
            Node::All(v) => v.iter().all(|n| n.matches(store, e)),
            Node::Any(v) => v.iter().any(|n| n.matches(store, e)),
            Node::Not(n) => !n.matches(store, e),
            Node::SymIn(field, syms) => match field.get(e) {
                Value::Str(s) => syms.binary_search(&s).is_ok(),
                _ => false,
            },
            Node::AttrIn(key, syms) => {
                let v = store.attr(e, *key);
                v.is_some() && syms.binary_search(&v).is_ok()
            }
            Node::StrandIn(mask) => mask & (1 << e.strand as u8) != 0,
            Node::OutcomeIn(mask) => mask & (1 << outcome_bit(e.outcome)) != 0,
            Node::ErrorClassIn(mask) => mask & (1 << e.error_class as u8) != 0,
            Node::Probe(mask) => e.probe_hits & mask != 0,
            Node::NumCmp(k, cmp, v) => any_num(store, e, k, |x| match cmp {
                Cmp::Gt => x > *v,
                Cmp::Ge => x >= *v,
                Cmp::Lt => x < *v,
                Cmp::Le => x <= *v,
            }),
            Node::NumEq(k, vals) => any_num(store, e, k, |x| vals.contains(&x)),
            Node::Exists(k, want) => {
                let mut out = Vec::new();
                k.eval(store, e, &mut out);
                out.is_empty() != *want
            }
            Node::Str(k, op, needles, nocase) => any_str(store, e, k, |s| {
                let lowered;
                let s = if *nocase {
                    lowered = s.to_lowercase();
                    lowered.as_str()
                } else {
                    s
                };
                needles.iter().any(|n| match op {
                    StrOp::Prefix => s.starts_with(n.as_str()),
                    StrOp::Suffix => s.ends_with(n.as_str()),
                    StrOp::Contains => s.contains(n.as_str()),
                })
            }),
            Node::TextEq(k, values, nocase) => any_str(store, e, k, |s| {
                if *nocase {
                    let s = s.to_lowercase();
                    values.contains(&s)
                } else {
                    values.iter().any(|v| v == s)
                }
            }),
            Node::Regex(k, re) => any_str(store, e, k, |s| re.is_match(s)),
            Node::Keywords(k, res) => any_str(store, e, k, |s| res.iter().any(|r| r.is_match(s))),
            Node::Cli(k, table, classes) => any_str(store, e, k, |s| {
                table
                    .classify(s)
                    .is_some_and(|c| classes.contains(&c.class))
            }),
        }
    }
}

/// Compiles the items of an `all` (`decisive` false) or an `any` (`decisive` true): one item
/// compiled to the decisive constant settles the whole, the other constant can never change the
/// result and is dropped, and a single remaining item needs no `join` around it.
fn compile_junction(
    items: &[Filter],
    env: &CompileEnv,
    decisive: bool,
    join: fn(Vec<Node>) -> Node,
) -> Result<Node, String> {
    let mut nodes = items
        .iter()
        .map(|i| Node::compile(i, env))
        .collect::<Result<Vec<_>, _>>()?;
    if nodes
        .iter()
        .any(|n| matches!(n, Node::Const(b) if *b == decisive))
    {
        return Ok(Node::Const(decisive));
    }
    nodes.retain(|n| !matches!(n, Node::Const(_)));
    // Evaluation stops at the first decisive item, so the cheap ones go first.
    nodes.sort_by_key(Node::cost);
    Ok(if nodes.len() > 1 {
        join(nodes)
    } else {
        nodes.pop().unwrap_or(Node::Const(!decisive))
    })
}

fn outcome_bit(o: Outcome) -> u8 {
    match o {
        Outcome::Success => 0,
        Outcome::Failure => 1,
        Outcome::Unknown => 2,
    }
}

fn any_str(store: &EventStore, e: &Event, k: &KeyExpr, mut f: impl FnMut(&str) -> bool) -> bool {
    if let Some(field) = k.as_field() {
        return match field.get(e) {
            Value::Str(s) => f(store.str(s)),
            Value::Static(s) => f(s),
            Value::Num(n) => f(&n.to_string()),
            Value::Missing => false,
        };
    }
    let mut out = Vec::new();
    k.eval(store, e, &mut out);
    out.iter().any(|v| f(&v.render(store)))
}

fn any_num(store: &EventStore, e: &Event, k: &KeyExpr, mut f: impl FnMut(f64) -> bool) -> bool {
    if let Some(field) = k.as_field() {
        if let Value::Num(n) = field.get(e) {
            return f(n as f64);
        }
    }
    let mut out = Vec::new();
    k.eval(store, e, &mut out);
    out.iter().any(|v| match v {
        KeyVal::Num(n) => f(*n as f64),
        other => other.render(store).trim().parse::<f64>().is_ok_and(&mut f),
    })
}

fn compile_cond(target: &Target, op: &Op, nocase: bool, env: &CompileEnv) -> Result<Node, String> {
    let key = match target {
        Target::Prompt => {
            let Some(probes) = env.probes else {
                return Err(
                    "prompt-text probes were not registered before the logs were loaded".into(),
                );
            };
            let pk = probe_key(op, nocase).unwrap_or_default();
            return match probes.get(&pk) {
                Some(&mask) if mask != 0 => Ok(Node::Probe(mask)),
                Some(_) => Ok(Node::Const(false)),
                None => Err(format!(
                    "prompt-text probe {pk:?} was not registered before the logs were loaded"
                )),
            };
        }
        Target::Key(k) => k.clone(),
    };
    let field = key.as_field();
    let node = match op {
        Op::In(values) => match field {
            Some(Field::Strand) => {
                Node::StrandIn(mask_of(values, |t| Strand::parse(t).map(|s| s as u8)))
            }
            Some(Field::Outcome) => Node::OutcomeIn(mask_of(values, |t| match t {
                "success" => Some(0),
                "failure" => Some(1),
                "unknown" => Some(2),
                _ => None,
            })),
            Some(Field::ErrorClass) => {
                Node::ErrorClassIn(mask_of(values, |t| ErrorClass::parse(t).map(|c| c as u8)))
            }
            Some(f) if f.is_numeric() => {
                Node::NumEq(key, values.iter().filter_map(Scalar::as_num).collect())
            }
            _ if nocase => Node::TextEq(
                key,
                values.iter().map(|v| v.as_text().to_lowercase()).collect(),
                true,
            ),
            Some(f) => {
                sym_node(values, env.store).map_or(Node::Const(false), |s| Node::SymIn(f, s))
            }
            None => match &key {
                KeyExpr::Attr(path) if !path.wildcard => match env.store.sym(&path.path) {
                    Some(k) if k.is_some() => sym_node(values, env.store)
                        .map_or(Node::Const(false), |s| Node::AttrIn(k, s)),
                    _ => Node::Const(false),
                },
                _ => Node::TextEq(key, values.iter().map(Scalar::as_text).collect(), false),
            },
        },
        Op::Str(kind, needles) => {
            let needles = if nocase {
                needles.iter().map(|n| n.to_lowercase()).collect()
            } else {
                needles.clone()
            };
            Node::Str(key, *kind, needles, nocase)
        }
        Op::Regex(r) => {
            let re = RegexBuilder::new(r)
                .case_insensitive(nocase)
                .build()
                .map_err(|e| format!("invalid regex: {e}"))?;
            Node::Regex(key, re)
        }
        Op::Exists(want) => Node::Exists(key, *want),
        Op::Cmp(c, v) => Node::NumCmp(key, *c, *v),
        Op::Keywords(name) => {
            let res = env
                .keywords
                .resolve(name)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|i| env.keywords.groups[i].combined_pattern())
                .filter_map(|p| Regex::new(&p).ok())
                .collect::<Vec<_>>();
            if res.is_empty() {
                Node::Const(false)
            } else {
                Node::Keywords(key, res)
            }
        }
        Op::Cli(classes) => Node::Cli(key, env.cli.clone(), classes.clone()),
    };
    Ok(node)
}

fn mask_of(values: &[Scalar], bit: impl Fn(&str) -> Option<u8>) -> u8 {
    values
        .iter()
        .filter_map(|v| bit(&v.as_text()))
        .fold(0, |m, b| m | (1 << b))
}

/// Symbols of the constants the store has seen; `None` when it has seen none of them.
fn sym_node(values: &[Scalar], store: &EventStore) -> Option<Vec<Sym>> {
    let mut syms: Vec<Sym> = values
        .iter()
        .filter_map(|v| store.sym(&v.as_text()))
        .filter(|s| s.is_some())
        .collect();
    syms.sort_unstable();
    syms.dedup();
    (!syms.is_empty()).then_some(syms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testkit::{parse_filter, store, Ev};

    fn two_events() -> EventStore {
        store(vec![
            Ev::ct(1000, "DeleteGuardrail")
                .user("arn:aws:iam::1:user/Alice")
                .attr("requestParameters.guardrailIdentifier", "gr-1"),
            Ev {
                prompt_tokens: 1200,
                probe_hits: 0b10,
                ..Ev::new(Strand::Invocation, 2000, "Converse")
            }
            .set("error_code", "AccessDeniedException"),
        ])
    }

    fn compile(src: &str, st: &EventStore, probes: Option<&ProbeMap>) -> Result<Node, String> {
        let f = parse_filter(src)?;
        let kw = KeywordSet::builtin();
        let env = CompileEnv {
            store: st,
            keywords: &kw,
            cli: CliActions::builtin(),
            probes,
            probe_labels: &[],
        };
        Node::compile(&f, &env)
    }

    fn hits(src: &str, probes: Option<&ProbeMap>) -> Vec<bool> {
        let st = two_events();
        let n = compile(src, &st, probes).unwrap();
        st.events().iter().map(|e| n.matches(&st, e)).collect()
    }

    #[test]
    fn equality_and_sets() {
        assert_eq!(
            hits("[filter]\nfield='event.action'\neq='DeleteGuardrail'", None),
            [true, false]
        );
        assert_eq!(
            hits(
                "[filter]\nfield='event.action'\nin=['Converse','Nope']",
                None
            ),
            [false, true]
        );
        assert_eq!(
            hits("[filter]\nfield='event.action'\neq='NeverSeen'", None),
            [false, false]
        );
        assert_eq!(
            hits("[filter]\nfield='event.action'\nne='Converse'", None),
            [true, false]
        );
        assert_eq!(
            hits(
                "[filter]\nfield='user.arn'\neq='arn:aws:iam::1:user/alice'\nnocase=true",
                None
            ),
            [true, false]
        );
        assert_eq!(
            hits(
                "[filter]\nfield='requestParameters.guardrailIdentifier'\neq='gr-1'",
                None
            ),
            [true, false]
        );
        assert_eq!(
            hits("[filter]\nfield='error.class'\neq='access_denied'", None),
            [false, true]
        );
        assert_eq!(
            hits("[filter]\nfield='event.outcome'\neq='success'", None),
            [true, false]
        );
        assert_eq!(
            hits("[filter]\nfield='event.strand'\neq='invocation'", None),
            [false, true]
        );
    }

    #[test]
    fn strings_numbers_and_logic() {
        assert_eq!(
            hits(
                "[filter]\nfield='event.action'\nprefix=['Delete','Put']",
                None
            ),
            [true, false]
        );
        assert_eq!(
            hits(
                "[filter]\nfield='user.arn'\ncontains='ALICE'\nnocase=true",
                None
            ),
            [true, false]
        );
        assert_eq!(
            hits(
                "[filter]\nfield='event.action'\nregex='^conv'\nnocase=true",
                None
            ),
            [false, true]
        );
        assert_eq!(
            hits(
                "[filter]\nfield='gen_ai.usage.prompt_tokens'\ngt=1000",
                None
            ),
            [false, true]
        );
        assert_eq!(
            hits(
                "[filter]\nfield='gen_ai.usage.prompt_tokens'\nlte=1000",
                None
            ),
            [false, false]
        );
        assert_eq!(
            hits(
                "[filter]\nfield='requestParameters.guardrailIdentifier'\nexists=true",
                None
            ),
            [true, false]
        );
        assert_eq!(
            hits("[filter]\nfield='user.arn'\nmissing=true", None),
            [false, true]
        );
        assert_eq!(
            hits("[filter]\nany=[{field='event.action',eq='Converse'},{not={field='event.outcome',eq='failure'}}]", None),
            [true, true]
        );
    }

    #[test]
    fn prompt_conditions_use_probes() {
        let src = "[filter]\nfield='prompt'\nkeywords='default'";
        let mut probes = ProbeMap::new();
        probes.insert("keywords:default".into(), 0b10);
        assert_eq!(hits(src, Some(&probes)), [false, true]);
        let err = compile(src, &two_events(), None).unwrap_err();
        assert!(err.contains("not registered"), "{err}");
    }
}
