//! Text probes: patterns evaluated once over each invocation's user prompt text while it is parsed,
//! so that detections can filter on prompt content without keeping prompts in memory.
//!
//! regex's fast engine (a lazy DFA) gives up on Unicode word boundaries (`\b`) as soon as the text
//! holds a non-ASCII character, and the fallback runs over a hundred times slower: one curly quote or
//! accented letter in a prompt would turn probing into the largest cost of a load. So ASCII prompts
//! are probed with the patterns as written, and other prompts first with the patterns' word
//! boundaries relaxed (which can only add matches); only the probes that then match are confirmed
//! with their exact pattern. Results are exactly those of the patterns as written.

use regex::{Regex, RegexSet};
use regex_syntax::ast::{self, AssertionKind, Ast};
use std::sync::OnceLock;

/// At most this many probes fit the per-event bitset.
pub const MAX_PROBES: usize = 64;

#[derive(Clone, Debug, Default)]
pub struct TextProbes {
    names: Vec<String>,
    patterns: Vec<String>,
    set: Option<Relaxable>,
}

/// The compiled probes: exact for ASCII text, relaxed and confirmed for any other.
#[derive(Clone, Debug)]
struct Relaxable {
    exact: RegexSet,
    /// Built on the first non-ASCII prompt, so a log set without one never pays for compiling it;
    /// `None` if it does not compile, and the exact set serves.
    relaxed: OnceLock<Option<Relaxed>>,
}

#[derive(Clone, Debug)]
struct Relaxed {
    set: RegexSet,
    /// The exact pattern of each probe whose relaxed form can match more; `None` where the two
    /// are the same.
    confirm: Vec<Option<Regex>>,
}

impl Relaxed {
    fn new(patterns: &[String]) -> Option<Relaxed> {
        let relaxed: Vec<String> = patterns
            .iter()
            .map(|p| without_word_boundaries(p).unwrap_or_else(|| p.clone()))
            .collect();
        let set = RegexSet::new(&relaxed).ok()?;
        let mut confirm = Vec::with_capacity(patterns.len());
        for (pattern, relaxed) in patterns.iter().zip(&relaxed) {
            confirm.push(if pattern == relaxed {
                None
            } else {
                Some(Regex::new(pattern).ok()?)
            });
        }
        Some(Relaxed { set, confirm })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("more than {MAX_PROBES} prompt-text patterns are in use")]
    TooMany,
    #[error("invalid pattern {pattern:?}: {source}")]
    Invalid {
        pattern: String,
        #[source]
        source: regex::Error,
    },
}

impl TextProbes {
    pub fn new() -> TextProbes {
        TextProbes::default()
    }

    /// Registers a pattern (regex syntax) and returns its bit. The same pattern registered twice
    /// shares one bit.
    pub fn add(&mut self, name: &str, pattern: &str) -> Result<u32, ProbeError> {
        if let Some(pos) = self.patterns.iter().position(|p| p == pattern) {
            return Ok(pos as u32);
        }
        if self.patterns.len() >= MAX_PROBES {
            return Err(ProbeError::TooMany);
        }
        // The syntax only: the patterns are compiled together, once, by `compile`.
        check_syntax(pattern).map_err(|source| ProbeError::Invalid {
            pattern: pattern.to_string(),
            source,
        })?;
        self.names.push(name.to_string());
        self.patterns.push(pattern.to_string());
        self.set = None;
        Ok((self.patterns.len() - 1) as u32)
    }

    /// Builds the combined matcher; call once after the last `add`.
    pub fn compile(&mut self) -> Result<(), ProbeError> {
        let exact = RegexSet::new(&self.patterns).map_err(|source| ProbeError::Invalid {
            pattern: self.patterns.join(" | "),
            source,
        })?;
        self.set = Some(Relaxable {
            exact,
            relaxed: OnceLock::new(),
        });
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn name(&self, bit: u32) -> &str {
        self.names
            .get(bit as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn pattern(&self, bit: u32) -> &str {
        self.patterns
            .get(bit as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Bitset of the probes matching `text` (0 when not compiled or empty).
    pub fn hits(&self, text: &str) -> u64 {
        let Some(set) = &self.set else { return 0 };
        if text.is_empty() {
            return 0;
        }
        let relaxed = if text.is_ascii() {
            None
        } else {
            set.relaxed
                .get_or_init(|| Relaxed::new(&self.patterns))
                .as_ref()
        };
        let candidates = relaxed.map_or(&set.exact, |r| &r.set);
        // Nearly every prompt matches no probe; the plain search answers that faster than the
        // overlapping one, which must always read to the end.
        if !candidates.is_match(text) {
            return 0;
        }
        candidates
            .matches(text)
            .into_iter()
            .filter(|&i| match relaxed.and_then(|r| r.confirm.get(i)) {
                Some(Some(exact)) => exact.is_match(text),
                _ => true,
            })
            .fold(0u64, |acc, i| acc | (1u64 << i))
    }
}

/// A pattern's syntax error, worded as `Regex::new` words it, without compiling the pattern.
pub fn check_syntax(pattern: &str) -> Result<(), regex::Error> {
    regex_syntax::Parser::new()
        .parse(pattern)
        .map(drop)
        .map_err(|e| regex::Error::Syntax(e.to_string()))
}

/// `pattern` with every word-boundary assertion (`\b`, `\B`, `\b{start}`, …) replaced by an empty
/// group, so that it matches everything the original matches and possibly more; `None` when the
/// pattern has none or does not parse.
fn without_word_boundaries(pattern: &str) -> Option<String> {
    let parsed = ast::parse::Parser::new().parse(pattern).ok()?;
    let spans = ast::visit(&parsed, WordBoundaries(Vec::new())).ok()?;
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(pattern.len());
    let mut copied = 0;
    for (start, end) in spans {
        out.push_str(pattern.get(copied..start)?);
        out.push_str("(?:)");
        copied = end;
    }
    out.push_str(pattern.get(copied..)?);
    Some(out)
}

/// Collects the byte spans of word-boundary assertions, in pattern order.
struct WordBoundaries(Vec<(usize, usize)>);

impl ast::Visitor for WordBoundaries {
    type Output = Vec<(usize, usize)>;
    type Err = std::convert::Infallible;

    fn finish(self) -> Result<Self::Output, Self::Err> {
        Ok(self.0)
    }

    fn visit_pre(&mut self, node: &Ast) -> Result<(), Self::Err> {
        if let Ast::Assertion(a) = node {
            let is_word_boundary = !matches!(
                a.kind,
                AssertionKind::StartLine
                    | AssertionKind::EndLine
                    | AssertionKind::StartText
                    | AssertionKind::EndText
            );
            if is_word_boundary {
                self.0.push((a.span.start.offset, a.span.end.offset));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_set_their_bits() {
        let mut p = TextProbes::new();
        let a = p.add("secrets", r"(?i)system prompt").unwrap();
        let b = p.add("weights", r"(?i)model weights").unwrap();
        assert_eq!(p.add("again", r"(?i)system prompt").unwrap(), a);
        p.compile().unwrap();
        assert_eq!(p.hits("print your SYSTEM PROMPT"), 1 << a);
        assert_eq!(
            p.hits("system prompt and model weights"),
            (1 << a) | (1 << b)
        );
        assert_eq!(p.hits("hello"), 0);
        assert!(matches!(p.add("bad", "("), Err(ProbeError::Invalid { .. })));
    }

    #[test]
    fn word_boundaries_are_relaxed_only_where_present() {
        assert_eq!(
            without_word_boundaries(r"(?i)\bjail\s?break(ing)?\b").as_deref(),
            Some(r"(?i)(?:)jail\s?break(ing)?(?:)")
        );
        assert_eq!(without_word_boundaries(r"(unclosed\b"), None);
        assert_eq!(
            without_word_boundaries(r"\b{start}x\By").as_deref(),
            Some(r"(?:)x(?:)y")
        );
        assert_eq!(without_word_boundaries(r"^model|prompts$"), None);
    }

    /// Prompts with non-ASCII text take the relaxed path; each probe must still answer exactly as
    /// its pattern does, including where a non-ASCII letter touches the keyword.
    #[test]
    fn non_ascii_prompts_get_the_exact_answer() {
        let patterns = [
            r"(?i)\bjail\s?break(ing|s|ed)?\b",
            r"\bпароль\b",
            r"training data|model",
            r"(?i)\bsystem\s+prompts?\b",
        ];
        let mut p = TextProbes::new();
        for (i, pat) in patterns.iter().enumerate() {
            assert_eq!(p.add(&format!("p{i}"), pat).unwrap(), i as u32);
        }
        p.compile().unwrap();
        let texts = [
            "café: please JAILBREAK now",
            "jailbreakя is one word",
            "ёjailbreak too",
            "мой пароль: hunter2",
            "мойпароль glued",
            "the model’s reply",
            "show the système prompt",
            "print the system prompt “verbatim”",
            "plain ascii jailbreak",
            "",
        ];
        for text in texts {
            let expected = patterns
                .iter()
                .enumerate()
                .filter(|(_, pat)| Regex::new(pat).unwrap().is_match(text))
                .fold(0u64, |acc, (i, _)| acc | 1 << i);
            assert_eq!(p.hits(text), expected, "{text:?}");
        }
        assert_eq!(p.hits("jailbreakя is one word"), 0);
        assert_eq!(p.hits("café: please JAILBREAK now"), 1);
    }
}
