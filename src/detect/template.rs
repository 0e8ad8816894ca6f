//! Title templates: literal text with `{placeholder}`s naming a value the rule kind computes
//! (`count`, a metric) or a key whose values over the alert's events are shown, and
//! `{value|singular|plural}` choosing the word that agrees with a value (`{count|time|times}`).

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
    /// `one` when the computed value `var` is 1, `other` otherwise.
    Plural {
        var: String,
        one: String,
        other: String,
    },
}

/// The word of a [`Part::Plural`] that agrees with `value` (a rendered number).
pub fn plural_word<'p>(value: &str, one: &'p str, other: &'p str) -> &'p str {
    if value.trim().parse::<f64>() == Ok(1.0) {
        one
    } else {
        other
    }
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
        let inner = &rest[..end];
        rest = &rest[end + 1..];
        if !lit.is_empty() {
            parts.push(Part::Lit(std::mem::take(&mut lit)));
        }
        if inner.contains('|') {
            match plural(inner, vars) {
                Ok(part) => parts.push(part),
                Err(message) => rep.at(t.span(), message),
            }
            continue;
        }
        let name = inner.trim();
        if vars.iter().any(|v| v == name) {
            parts.push(Part::Var(name.to_string()));
        } else {
            match KeyExpr::parse(name) {
                Ok(k) => parts.push(Part::Key(k)),
                Err(_) => rep.at(
                    t.span(),
                    format!(
                        "unknown placeholder {{{name}}} in title, expected one of: {}, {}, \
                         or {{{}|singular|plural}}",
                        vars.join(", "),
                        key_choices(),
                        vars.first().map_or("count", String::as_str)
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

/// A template read as a phrase about the rule rather than one alert, for headers over its alerts:
/// each value becomes `…` and a `{value|singular|plural}` its plural.
pub fn generic_title(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(pos) = rest.find(['{', '}']) {
        out.push_str(&rest[..pos]);
        let c = rest.as_bytes()[pos];
        rest = &rest[pos + 1..];
        if rest.as_bytes().first() == Some(&c) {
            out.push(c as char);
            rest = &rest[1..];
            continue;
        }
        let Some(end) = rest.find('}').filter(|_| c == b'{') else {
            continue;
        };
        let inner = &rest[..end];
        rest = &rest[end + 1..];
        match inner.rsplit_once('|') {
            Some((_, plural)) => out.push_str(plural),
            None => out.push('…'),
        }
    }
    out.push_str(rest);
    out
}

/// `value|singular|plural`, where `value` is one the rule kind computes.
fn plural(inner: &str, vars: &[String]) -> Result<Part, String> {
    let pieces: Vec<&str> = inner.split('|').collect();
    let &[var, one, other] = pieces.as_slice() else {
        return Err(format!(
            "{{{inner}}} in title: write {{value|singular|plural}}, as in {{count|time|times}}"
        ));
    };
    let var = var.trim();
    if !vars.iter().any(|v| v == var) {
        return Err(format!(
            "{{{inner}}} in title: {var:?} is not a value this rule computes, expected one of: {}",
            vars.join(", ")
        ));
    }
    Ok(Part::Plural {
        var: var.to_string(),
        one: one.to_string(),
        other: other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::generic_title;

    #[test]
    fn generic_titles_speak_of_the_rule() {
        assert_eq!(
            generic_title(
                "{user.arn} hit ValidationException {count} {count|time|times} in one minute"
            ),
            "… hit ValidationException … times in one minute"
        );
        assert_eq!(generic_title("{{literal}} {x} }"), "{literal} … ");
        assert_eq!(generic_title("unclosed {x"), "unclosed x");
    }
}
