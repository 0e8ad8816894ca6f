//! Title templates: literal text with `{placeholder}`s naming a value the rule kind computes
//! (`count`, a metric) or a key whose values over the alert's events are shown.

use super::diag::Reporter;
use super::key::{key_choices, KeyExpr};
use toml::Spanned;

/// A piece of a title template.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    /// A value the rule kind computes (`count`, a metric, …).
    Var(String),
    /// Values of a key over the alert's events.
    Key(KeyExpr),
}

pub fn parse_template(t: &Spanned<String>, vars: &[String], rep: &mut Reporter) -> Vec<Part> {
    let s = t.get_ref();
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = s.as_str();
    while let Some(pos) = rest.find(['{', '}']) {
        lit.push_str(&rest[..pos]);
        let c = rest.as_bytes()[pos];
        rest = &rest[pos + 1..];
        if rest.as_bytes().first() == Some(&c) {
            lit.push(c as char);
            rest = &rest[1..];
            continue;
        }
        if c == b'}' {
            rep.at(
                t.span(),
                "unmatched `}` in title (write `}}` for a literal brace)",
            );
            return parts;
        }
        let Some(end) = rest.find('}') else {
            rep.at(
                t.span(),
                "unclosed `{` in title (write `{{` for a literal brace)",
            );
            return parts;
        };
        let name = rest[..end].trim();
        rest = &rest[end + 1..];
        if !lit.is_empty() {
            parts.push(Part::Lit(std::mem::take(&mut lit)));
        }
        if vars.iter().any(|v| v == name) {
            parts.push(Part::Var(name.to_string()));
        } else {
            match KeyExpr::parse(name) {
                Ok(k) => parts.push(Part::Key(k)),
                Err(_) => rep.at(
                    t.span(),
                    format!(
                        "unknown placeholder {{{name}}} in title, expected one of: {}, or {}",
                        vars.join(", "),
                        key_choices()
                    ),
                ),
            }
        }
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    parts
}
