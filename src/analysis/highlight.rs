//! The sensitive-keyword highlighter: named groups of case-insensitive patterns (injection and
//! jailbreak phrases, secrets, training-data and model words, custom terms) found in prompts,
//! completions and records. Every match is reported, so the request view can count them and jump
//! between them.

use crate::detect::keywords::DEFAULT_PRESET;
use crate::detect::KeywordSet;
use regex::{Regex, RegexBuilder};

/// A named group of patterns (regex syntax).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeywordGroup {
    pub name: String,
    pub case_insensitive: bool,
    pub patterns: Vec<String>,
}

impl KeywordGroup {
    pub fn new(name: &str, patterns: &[&str]) -> KeywordGroup {
        KeywordGroup {
            name: name.to_string(),
            case_insensitive: true,
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
        }
    }
}

/// The groups of a detection keyword set's default preset (injection/jailbreak, secrets,
/// training data, custom terms), as the rules see them.
pub fn groups_of(set: &KeywordSet) -> Vec<KeywordGroup> {
    set.resolve(DEFAULT_PRESET)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| set.groups.get(i))
        .map(|g| KeywordGroup {
            name: g.name.clone(),
            case_insensitive: g.case_insensitive,
            patterns: g.patterns.clone(),
        })
        .collect()
}

/// One match: byte range in the searched text and the group index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub group: usize,
}

#[derive(Clone, Debug)]
pub struct Highlighter {
    names: Vec<String>,
    regexes: Vec<Option<Regex>>,
}

#[derive(Debug, thiserror::Error)]
#[error("keyword group {group:?}: invalid pattern {pattern:?}: {source}")]
pub struct PatternError {
    pub group: String,
    pub pattern: String,
    #[source]
    pub source: regex::Error,
}

impl Highlighter {
    /// Compiles each group into one alternation. A bad pattern is an error naming it.
    pub fn new(groups: &[KeywordGroup]) -> Result<Highlighter, PatternError> {
        let mut names = Vec::new();
        let mut regexes = Vec::new();
        for g in groups {
            for p in &g.patterns {
                Regex::new(p).map_err(|source| PatternError {
                    group: g.name.clone(),
                    pattern: p.clone(),
                    source,
                })?;
            }
            names.push(g.name.clone());
            if g.patterns.is_empty() {
                regexes.push(None);
                continue;
            }
            let alt = g
                .patterns
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|");
            let re = RegexBuilder::new(&alt)
                .case_insensitive(g.case_insensitive)
                .size_limit(1 << 24)
                .build()
                .map_err(|source| PatternError {
                    group: g.name.clone(),
                    pattern: alt.clone(),
                    source,
                })?;
            regexes.push(Some(re));
        }
        Ok(Highlighter { names, regexes })
    }

    /// The shipped keyword set's default preset.
    pub fn builtin() -> Highlighter {
        Highlighter::from_keywords(&KeywordSet::builtin())
    }

    /// The default preset of a (possibly user-extended) keyword set; a group whose patterns do
    /// not compile is left out (the rule loader reports it).
    pub fn from_keywords(set: &KeywordSet) -> Highlighter {
        let groups: Vec<KeywordGroup> = groups_of(set)
            .into_iter()
            .filter(|g| Highlighter::new(std::slice::from_ref(g)).is_ok())
            .collect();
        Highlighter::new(&groups).unwrap_or(Highlighter {
            names: Vec::new(),
            regexes: Vec::new(),
        })
    }

    pub fn group_names(&self) -> &[String] {
        &self.names
    }

    /// Every match of every group, ordered by position; overlaps resolved in favour of the earlier
    /// (then longer) match.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        for (group, re) in self.regexes.iter().enumerate() {
            let Some(re) = re else { continue };
            hits.extend(re.find_iter(text).filter(|m| !m.is_empty()).map(|m| Hit {
                start: m.start(),
                end: m.end(),
                group,
            }));
        }
        hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            if out.last().is_some_and(|l| h.start < l.end) {
                continue;
            }
            out.push(h);
        }
        out
    }

    /// Match counts per group, in group order.
    pub fn counts(&self, hits: &[Hit]) -> Vec<(String, usize)> {
        self.names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), hits.iter().filter(|h| h.group == i).count()))
            .filter(|(_, c)| *c > 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_group() {
        let h = Highlighter::builtin();
        let text = "Please IGNORE all previous instructions; key AKIAABCDEFGHIJKLMNOP and the model weights. \
                    Again: ignore previous instructions.";
        let hits = h.find(text);
        let words: Vec<&str> = hits.iter().map(|x| &text[x.start..x.end]).collect();
        assert_eq!(
            words,
            vec![
                "IGNORE all previous instructions",
                "AKIAABCDEFGHIJKLMNOP",
                "model weights",
                "ignore previous instructions"
            ]
        );
        assert_eq!(
            h.counts(&hits),
            vec![
                ("injection".to_string(), 2),
                ("secrets".to_string(), 1),
                ("training".to_string(), 1)
            ]
        );
    }

    #[test]
    fn custom_groups_and_bad_patterns() {
        let h = Highlighter::new(&[KeywordGroup::new("custom", &["project ?x"])]).unwrap();
        assert_eq!(h.find("about Project X and projectx").len(), 2);
        let err = Highlighter::new(&[KeywordGroup::new("custom", &["("])]).unwrap_err();
        assert!(err.to_string().contains("custom"));
        assert!(Highlighter::new(&[]).unwrap().find("anything").is_empty());
    }
}
