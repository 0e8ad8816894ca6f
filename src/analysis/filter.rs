//! The `/` filter language: bare words match fuzzily (skim algorithm, matched characters reported
//! for highlighting); `field=value`, `field~substring`, `field!=value`, `field>n` and `field<n`
//! compare one field; a leading `!` negates a term. Field names are [`Field::parse`] names and
//! aliases plus a few row attributes (`severity`, `rule`, `kind`, `class`, `file`, `format`).
//!
//! `user=alice error=access_denied model~claude !tokens_in<100 exfil`

use crate::model::Field;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// What a term compares: a normalized event field or a row attribute that is not an event field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Field(Field),
    Severity,
    Rule,
    Kind,
    Class,
    File,
    Format,
    /// A value of the entity row itself (its name), or any text of the row for `!word`.
    Text,
}

impl Key {
    pub fn parse(name: &str) -> Option<Key> {
        if let Some(f) = Field::parse(name) {
            return Some(Key::Field(f));
        }
        Some(match name {
            "severity" | "sev" => Key::Severity,
            "rule" | "rule_id" | "title" => Key::Rule,
            "kind" | "entity" | "type" => Key::Kind,
            "class" | "action_class" => Key::Class,
            "file" | "path" => Key::File,
            "format" => Key::Format,
            "name" | "value" | "text" => Key::Text,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Contains,
    Gt,
    Lt,
    Ge,
    Le,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub key: Key,
    pub op: Op,
    /// Lower-cased comparison value.
    pub value: String,
    pub negate: bool,
}

impl Term {
    /// Whether one value of the row satisfies the comparison (negation is applied by the caller,
    /// over all values of the row).
    pub fn accepts(&self, candidate: &str) -> bool {
        match self.op {
            Op::Eq => eq_loose(self.key, candidate, &self.value),
            Op::Contains => contains_ci(candidate, &self.value),
            Op::Gt | Op::Lt | Op::Ge | Op::Le => {
                let (Ok(a), Ok(b)) = (candidate.trim().parse::<f64>(), self.value.parse::<f64>())
                else {
                    return false;
                };
                match self.op {
                    Op::Gt => a > b,
                    Op::Lt => a < b,
                    Op::Ge => a >= b,
                    _ => a <= b,
                }
            }
        }
    }
}

/// Equality ignoring case; for principals an ARN also equals its last path segment
/// (`user=alice` finds `arn:aws:iam::1:user/alice`).
fn eq_loose(key: Key, candidate: &str, want: &str) -> bool {
    if candidate.eq_ignore_ascii_case(want) {
        return true;
    }
    let principal = matches!(
        key,
        Key::Field(Field::Principal | Field::UserArn | Field::UserName | Field::SessionIssuer)
            | Key::Text
    );
    principal
        && candidate.starts_with("arn:")
        && candidate
            .rsplit('/')
            .next()
            .is_some_and(|last| last.eq_ignore_ascii_case(want))
}

/// ASCII case-insensitive substring test without allocating for ASCII needles.
pub fn contains_ci(hay: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if needle_lower.is_ascii() {
        let n = needle_lower.as_bytes();
        hay.as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
    } else {
        hay.to_lowercase().contains(needle_lower)
    }
}

/// A parsed filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    pub terms: Vec<Term>,
    /// Bare words joined by spaces, matched fuzzily against the row text.
    pub fuzzy: String,
    /// Problems to show next to the input (unknown field names, bad numbers); those terms are
    /// ignored.
    pub errors: Vec<String>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.fuzzy.is_empty()
    }

    /// Field names this query compares, for views that reject terms they cannot answer.
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.terms.iter().map(|t| t.key)
    }
}

/// Splits on whitespace, keeping `"quoted values"` together (quotes removed).
fn tokens(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in input.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// Finds the operator in `name<op>value`: the first of `!=`, `>=`, `<=`, `=`, `~`, `>`, `<`
/// after a plausible field name.
fn split_op(tok: &str) -> Option<(&str, Op, bool, &str)> {
    let pos = tok.find(['=', '~', '>', '<', '!'])?;
    if pos == 0 {
        return None;
    }
    let name = &tok[..pos];
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@'))
    {
        return None;
    }
    let rest = &tok[pos..];
    let table: [(&str, Op, bool); 8] = [
        ("!=", Op::Eq, true),
        ("!~", Op::Contains, true),
        (">=", Op::Ge, false),
        ("<=", Op::Le, false),
        ("=", Op::Eq, false),
        ("~", Op::Contains, false),
        (">", Op::Gt, false),
        ("<", Op::Lt, false),
    ];
    for (sym, op, neg) in table {
        if let Some(v) = rest.strip_prefix(sym) {
            return Some((name, op, neg, v));
        }
    }
    None
}

pub fn parse(input: &str) -> Query {
    let mut q = Query::default();
    let mut words: Vec<String> = Vec::new();
    for tok in tokens(input) {
        let (negate, body) = match tok.strip_prefix('!') {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, tok.as_str()),
        };
        match split_op(body) {
            Some((name, op, neg2, value)) => match Key::parse(name) {
                Some(key) => {
                    let value = value.to_lowercase();
                    if matches!(op, Op::Gt | Op::Lt | Op::Ge | Op::Le) && value.parse::<f64>().is_err() {
                        q.errors.push(format!("{name}: {value:?} is not a number"));
                        continue;
                    }
                    q.terms.push(Term {
                        key,
                        op,
                        value,
                        negate: negate ^ neg2,
                    });
                }
                None => q.errors.push(format!(
                    "unknown field {name:?} (try user, account, key, ip, model, host, request, action, error, \
                     severity, rule, kind, class)"
                )),
            },
            None if negate => q.terms.push(Term {
                key: Key::Text,
                op: Op::Contains,
                value: body.to_lowercase(),
                negate: true,
            }),
            None => words.push(body.to_string()),
        }
    }
    q.fuzzy = words.join(" ");
    q
}

/// Fuzzy matching with the skim algorithm (case-insensitive unless the pattern has capitals).
pub struct Fuzzy {
    matcher: SkimMatcherV2,
}

impl Default for Fuzzy {
    fn default() -> Self {
        Fuzzy {
            matcher: SkimMatcherV2::default().smart_case(),
        }
    }
}

/// What separates a row's cells in its [`Filterable::haystack`].
const CELL_SEPARATOR: &str = "  ";

/// The cells of a haystack with the character offset each starts at.
fn cells(hay: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    hay.split(CELL_SEPARATOR).map(move |cell| {
        let start = offset;
        offset += cell.chars().count() + CELL_SEPARATOR.len();
        (start, cell)
    })
}

impl Fuzzy {
    /// Every whitespace-separated word of `pattern` matches `hay` (in any order), each within one
    /// cell: letters picked from several columns ("G" of an action, "u" of "success", "ar" of a
    /// user agent) are no match for "guardrail".
    pub fn matches(&self, hay: &str, pattern: &str) -> bool {
        pattern.split_whitespace().all(|w| {
            // The whole row first: most rows fail there, at the cost of one pass.
            self.matcher.fuzzy_match(hay, w).is_some()
                && cells(hay).any(|(_, cell)| self.matcher.fuzzy_match(cell, w).is_some())
        })
    }

    /// Character indices of `hay` that matched (the union over the words, each in the cell where
    /// it matches best), for highlighting; empty when some word does not match.
    pub fn indices(&self, hay: &str, pattern: &str) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for w in pattern.split_whitespace() {
            let best = cells(hay)
                .filter_map(|(start, cell)| {
                    let (score, idx) = self.matcher.fuzzy_indices(cell, w)?;
                    Some((score, start, idx))
                })
                .max_by_key(|(score, _, _)| *score);
            match best {
                Some((_, start, idx)) => out.extend(idx.into_iter().map(|i| start + i)),
                None => return Vec::new(),
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A row the filter can be evaluated against.
pub trait Filterable {
    /// Calls `f` on each value the row has for `key` and returns true as soon as `f` does.
    /// Rows without the key return false (so `key=x` fails and `!key=x` passes).
    fn any_value(&self, key: Key, f: &mut dyn FnMut(&str) -> bool) -> bool;
    /// The text matched by fuzzy words and `!word`: the row's visible cells joined by two spaces.
    fn haystack(&self) -> String;
}

/// Whether a row passes every term and the fuzzy words.
pub fn matches(q: &Query, fuzzy: &Fuzzy, row: &dyn Filterable) -> bool {
    for t in &q.terms {
        let hit = if t.key == Key::Text {
            let hay = row.haystack();
            row.any_value(Key::Text, &mut |v| t.accepts(v)) || t.accepts(&hay)
        } else {
            row.any_value(t.key, &mut |v| t.accepts(v))
        };
        if hit == t.negate {
            return false;
        }
    }
    q.fuzzy.is_empty() || fuzzy.matches(&row.haystack(), &q.fuzzy)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row(Vec<(Key, &'static str)>);
    impl Filterable for Row {
        fn any_value(&self, key: Key, f: &mut dyn FnMut(&str) -> bool) -> bool {
            self.0.iter().filter(|(k, _)| *k == key).any(|(_, v)| f(v))
        }
        fn haystack(&self) -> String {
            self.0
                .iter()
                .map(|(_, v)| *v)
                .collect::<Vec<_>>()
                .join("  ")
        }
    }

    fn row() -> Row {
        Row(vec![
            (Key::Field(Field::Principal), "arn:aws:iam::111:user/alice"),
            (Key::Field(Field::ErrorClass), "access_denied"),
            (Key::Field(Field::ModelId), "anthropic.claude-3-haiku"),
            (Key::Field(Field::PromptTokens), "5200"),
        ])
    }

    #[test]
    fn parses_terms_words_and_negation() {
        let q = parse(
            r#"user=alice error=access_denied model~Claude !tokens_in<100 exfil "two words""#,
        );
        assert_eq!(q.terms.len(), 4);
        assert_eq!(q.terms[0].key, Key::Field(Field::Principal));
        assert_eq!(q.terms[2].op, Op::Contains);
        assert_eq!(q.terms[2].value, "claude");
        assert!(q.terms[3].negate);
        assert_eq!(q.terms[3].op, Op::Lt);
        assert_eq!(q.fuzzy, "exfil two words");
        assert!(q.errors.is_empty());
    }

    #[test]
    fn unknown_fields_and_bad_numbers_are_reported() {
        let q = parse("colour=red tokens_in>lots alice");
        assert_eq!(q.errors.len(), 2);
        assert!(q.terms.is_empty());
        assert_eq!(q.fuzzy, "alice");
    }

    #[test]
    fn evaluates_against_rows() {
        let f = Fuzzy::default();
        let r = row();
        for (text, want) in [
            ("user=alice", true),
            ("user=bob", false),
            ("user!=bob", true),
            ("!user=alice", false),
            ("error=access_denied model~claude", true),
            ("tokens_in>5000", true),
            ("tokens_in<=5000", false),
            ("host=x", false),
            ("!host=x", true),
            ("hku", true),
            ("zzzq", false),
            ("!haiku", false),
            ("!gpt", true),
        ] {
            assert_eq!(matches(&parse(text), &f, &r), want, "{text}");
        }
    }

    #[test]
    fn fuzzy_indices_point_at_matched_chars() {
        let f = Fuzzy::default();
        assert_eq!(f.indices("alice bob", "ab"), vec![0, 6]);
        assert_eq!(f.indices("alice bob", "bob ali"), vec![0, 1, 2, 6, 7, 8]);
        assert!(f.matches("alice bob", "bob ali") && !f.matches("alice bob", "bob zed"));
        assert!(f.indices("alice", "").is_empty());
    }

    #[test]
    fn a_fuzzy_word_matches_within_one_cell() {
        let f = Fuzzy::default();
        let row = "GetCallerIdentity  success  aws-cli/2.17 md/awscrt#0.21";
        assert!(
            !f.matches(row, "guardrail"),
            "letters spread over three cells"
        );
        assert!(f.matches("DeleteGuardrail  success", "guardrail"));
        assert!(f.matches(row, "gcid succ"), "each word in its own cell");
        // Highlights point into the cell that matched, at its place in the row.
        assert_eq!(f.indices("ab  xaxb", "ab"), vec![0, 1]);
        assert_eq!(f.indices("zz  ab", "ab"), vec![4, 5]);
    }

    #[test]
    fn case_insensitive_contains() {
        assert!(contains_ci("AnThRoPiC", "thro"));
        assert!(contains_ci("ÄBC", "äb"));
        assert!(!contains_ci("abc", "abcd"));
    }
}
