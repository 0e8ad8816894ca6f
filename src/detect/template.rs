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

/// A piece of a template's text.
enum Token<'a> {
    Text(&'a str),
    /// `{{` or `}}`: a literal brace.
    Brace(char),
    /// What is between `{` and `}`.
    Placeholder(&'a str),
    /// A `}` without its `{`.
    StrayClose,
    /// A `{` without its `}`, and the text after it.
    Unclosed(&'a str),
}

fn tokens(template: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(pos) = rest.find(['{', '}']) {
        if pos > 0 {
            out.push(Token::Text(&rest[..pos]));
        }
        let c = rest.as_bytes()[pos];
        rest = &rest[pos + 1..];
        if rest.as_bytes().first() == Some(&c) {
            out.push(Token::Brace(c as char));
            rest = &rest[1..];
        } else if c == b'}' {
            out.push(Token::StrayClose);
        } else if let Some(end) = rest.find('}') {
            out.push(Token::Placeholder(&rest[..end]));
            rest = &rest[end + 1..];
        } else {
            out.push(Token::Unclosed(rest));
            return out;
        }
    }
    if !rest.is_empty() {
        out.push(Token::Text(rest));
    }
    out
}

pub fn parse_template(t: &Spanned<String>, vars: &[String], rep: &mut Reporter) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    for token in tokens(t.get_ref()) {
        let inner = match token {
            Token::Text(text) => {
                lit.push_str(text);
                continue;
            }
            Token::Brace(c) => {
                lit.push(c);
                continue;
            }
            Token::StrayClose => {
                rep.at(
                    t.span(),
                    "unmatched `}` in title (write `}}` for a literal brace)",
                );
                return parts;
            }
            Token::Unclosed(_) => {
                rep.at(
                    t.span(),
                    "unclosed `{` in title (write `{{` for a literal brace)",
                );
                return parts;
            }
            Token::Placeholder(inner) => inner,
        };
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
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    parts
}

/// A template read as a phrase about the rule rather than one alert, for headers over its alerts:
/// each value becomes `…` and a `{value|singular|plural}` its plural.
pub fn generic_title(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    for token in tokens(template) {
        match token {
            Token::Text(text) | Token::Unclosed(text) => out.push_str(text),
            Token::Brace(c) => out.push(c),
            Token::StrayClose => {}
            Token::Placeholder(inner) => match inner.rsplit_once('|') {
                Some((_, plural)) => out.push_str(plural),
                None => out.push('…'),
            },
        }
    }
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
