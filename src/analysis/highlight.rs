//! The sensitive-keyword highlighter: named groups of case-insensitive patterns (injection and
//! jailbreak phrases, secrets, training-data and model words, custom terms) found in prompts,
//! completions and records. Every match is reported, so the request view can count them and jump
//! between them.

use regex::{Regex, RegexBuilder};

/// A named group of patterns (regex syntax).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeywordGroup {
    pub name: String,
    pub patterns: Vec<String>,
}

impl KeywordGroup {
    pub fn new(name: &str, patterns: &[&str]) -> KeywordGroup {
        KeywordGroup {
            name: name.to_string(),
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
        }
    }
}

/// The groups used until the detection crate's keyword set (`detect::keywords`) is wired in;
/// also the fallback when it provides none.
pub fn default_groups() -> Vec<KeywordGroup> {
    vec![
        KeywordGroup::new(
            "injection",
            &[
                r"ignore (?:all |the |any )?(?:previous|prior|above|earlier) (?:instructions|prompts?|rules)",
                r"ignore (?:the above |your )?instructions",
                r"ignore and (?:print|say)",
                r"nevermind,? ignore what i asked",
                r"disregard (?:all |any |the )?(?:previous|prior|above)",
                r"(?:print|reveal|show|repeat) (?:me )?(?:your |the )?(?:system|initial|hidden) prompt",
                r"\bsystem prompt\b",
                r"\bjailbreak\w*",
                r"\bdo anything now\b",
                r"\byou are now (?:dan|in developer mode)\b",
                r"\bdeveloper mode\b",
                r"(?-i:\bDAN\b)",
            ],
        ),
        KeywordGroup::new(
            "secret",
            &[
                r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b",
                r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
                r"\baws_secret_access_key\b",
                r"\baws_session_token\b",
                r"\bghp_[A-Za-z0-9]{20,}",
                r"\bgithub_pat_[A-Za-z0-9_]{20,}",
                r"\bxox[abprs]-[A-Za-z0-9-]{10,}",
                r"\bsk-[A-Za-z0-9]{20,}",
                r"169\.254\.169\.254",
                r"~/\.aws/credentials",
                r"\bid_(?:rsa|ed25519)\b",
                r"\bclient_secret\b",
                r"\bpassword\s*[:=]",
            ],
        ),
        KeywordGroup::new(
            "training",
            &[
                r"\btraining data\b",
                r"\btraining set\b",
                r"\bmodel weights\b",
                r"\bfine-?tun(?:e|ed|ing)\b",
                r"\bexfiltrat\w*",
                r"\bembeddings?\b",
            ],
        ),
    ]
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
                .case_insensitive(true)
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

    pub fn builtin() -> Highlighter {
        Highlighter::new(&default_groups()).unwrap_or(Highlighter {
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
                ("secret".to_string(), 1),
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
