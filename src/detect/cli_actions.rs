//! Classifying endpoint command lines that run the AWS CLI against Bedrock into action classes
//! (delete, get, list, create, put, update, invoke, other). The verb tables are data in
//! `rules/cli_actions.toml`, shared with the TUI's CLI profiles.

use super::diag::{load_layered, Reporter, RuleError};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::OnceLock;

pub const BUILTIN: &str = include_str!("../../rules/cli_actions.toml");
pub const BUILTIN_NAME: &str = "rules/cli_actions.toml";
pub const FILE_NAME: &str = "cli_actions.toml";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionClass {
    Delete,
    Get,
    List,
    Create,
    Put,
    Update,
    Invoke,
    Other,
}

impl ActionClass {
    pub const ALL: [ActionClass; 8] = [
        ActionClass::Delete,
        ActionClass::Get,
        ActionClass::List,
        ActionClass::Create,
        ActionClass::Put,
        ActionClass::Update,
        ActionClass::Invoke,
        ActionClass::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ActionClass::Delete => "delete",
            ActionClass::Get => "get",
            ActionClass::List => "list",
            ActionClass::Create => "create",
            ActionClass::Put => "put",
            ActionClass::Update => "update",
            ActionClass::Invoke => "invoke",
            ActionClass::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ActionClass> {
        ActionClass::ALL.into_iter().find(|c| c.name() == s)
    }

    pub fn choices() -> String {
        ActionClass::ALL.map(ActionClass::name).join(", ")
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    #[serde(default)]
    service_prefixes: Vec<String>,
    #[serde(default)]
    options_with_value: Vec<String>,
    #[serde(default)]
    classes: Vec<ClassDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassDoc {
    name: ActionClass,
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    exact: Vec<String>,
}

/// A recognised Bedrock CLI invocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliCommand {
    /// `bedrock`, `bedrock-runtime`, `bedrock-agent`, …
    pub service: String,
    /// `delete-guardrail`, `invoke-model`, … (empty when the command line stops at the service).
    pub subcommand: String,
    pub class: ActionClass,
}

#[derive(Clone, Debug, Default)]
pub struct CliActions {
    pub service_prefixes: Vec<String>,
    pub options_with_value: Vec<String>,
    /// In match order.
    pub classes: Vec<(ActionClass, Vec<String>, Vec<String>)>,
}

impl CliActions {
    /// The built-in table extended by `cli_actions.toml` in each user folder (a class of the same
    /// name replaces the built-in one; lists of services and options are extended).
    pub fn load(user_dirs: &[PathBuf]) -> Result<CliActions, RuleError> {
        let mut me = CliActions::default();
        load_layered(
            user_dirs,
            FILE_NAME,
            (BUILTIN_NAME, BUILTIN),
            |name, src, errors| me.merge(name, src, errors),
        )?;
        Ok(me)
    }

    /// The built-in table (parsed once).
    pub fn builtin() -> &'static CliActions {
        static B: OnceLock<CliActions> = OnceLock::new();
        B.get_or_init(|| {
            let mut me = CliActions::default();
            me.merge(BUILTIN_NAME, BUILTIN, &mut RuleError::default());
            me
        })
    }

    pub fn merge(&mut self, file: &str, src: &str, errors: &mut RuleError) {
        let mut rep = Reporter::new(file, src);
        let doc: Doc = match toml::from_str(src) {
            Ok(d) => d,
            Err(e) => {
                rep.toml(&e);
                errors.diagnostics.append(&mut rep.out);
                return;
            }
        };
        for s in doc.service_prefixes {
            if !self.service_prefixes.contains(&s) {
                self.service_prefixes.push(s);
            }
        }
        for o in doc.options_with_value {
            if !self.options_with_value.contains(&o) {
                self.options_with_value.push(o);
            }
        }
        for c in doc.classes {
            let entry = (c.name, c.prefixes, c.exact);
            match self.classes.iter_mut().find(|(n, _, _)| *n == c.name) {
                Some(existing) => *existing = entry,
                None => self.classes.push(entry),
            }
        }
    }

    fn class_of(&self, sub: &str) -> ActionClass {
        for (class, prefixes, exact) in &self.classes {
            if exact.iter().any(|e| e == sub)
                || prefixes.iter().any(|p| sub.starts_with(p.as_str()))
            {
                return *class;
            }
        }
        ActionClass::Other
    }

    /// Finds `aws [global options] <bedrock service> [options] <subcommand>` in a command line.
    pub fn classify(&self, command_line: &str) -> Option<CliCommand> {
        let toks: Vec<&str> = command_line
            .split_whitespace()
            .map(|t| t.trim_matches(|c| c == '"' || c == '\''))
            .collect();
        let mut i = 0;
        while i < toks.len() {
            if let Some(next) = aws_entry(&toks, i) {
                if let Some(cmd) = self.after_aws(&toks[next..]) {
                    return Some(cmd);
                }
            }
            i += 1;
        }
        None
    }

    fn after_aws(&self, toks: &[&str]) -> Option<CliCommand> {
        let mut i = self.skip_options(toks, 0);
        let service = *toks.get(i)?;
        if !self
            .service_prefixes
            .iter()
            .any(|p| service.starts_with(p.as_str()))
        {
            return None;
        }
        i = self.skip_options(toks, i + 1);
        let subcommand = toks.get(i).copied().unwrap_or("").to_string();
        let class = if subcommand.is_empty() {
            ActionClass::Other
        } else {
            self.class_of(&subcommand)
        };
        Some(CliCommand {
            service: service.to_string(),
            subcommand,
            class,
        })
    }

    fn skip_options(&self, toks: &[&str], mut i: usize) -> usize {
        while let Some(t) = toks.get(i) {
            if !t.starts_with('-') {
                break;
            }
            if !t.contains('=') && self.options_with_value.iter().any(|o| o == t) {
                i += 2;
            } else {
                i += 1;
            }
        }
        i
    }
}

/// When `toks[i]` starts an AWS CLI invocation, the index of the first token after it.
fn aws_entry(toks: &[&str], i: usize) -> Option<usize> {
    let base = basename(toks[i]).to_ascii_lowercase();
    if matches!(base.as_str(), "aws" | "aws.exe" | "aws.cmd" | "aws2") {
        return Some(i + 1);
    }
    if base.starts_with("python")
        && toks.get(i + 1) == Some(&"-m")
        && toks.get(i + 2) == Some(&"awscli")
    {
        return Some(i + 3);
    }
    None
}

fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// [`CliActions::classify`] with the built-in table.
pub fn classify(command_line: &str) -> Option<CliCommand> {
    CliActions::builtin().classify(command_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(cmd: &str) -> Option<(String, String, ActionClass)> {
        classify(cmd).map(|c| (c.service, c.subcommand, c.class))
    }

    #[test]
    fn recognises_bedrock_services_and_verbs() {
        assert_eq!(
            class("aws bedrock delete-guardrail --guardrail-identifier gr1"),
            Some((
                "bedrock".into(),
                "delete-guardrail".into(),
                ActionClass::Delete
            ))
        );
        assert_eq!(
            class("aws bedrock-agent list-agents").map(|c| c.2),
            Some(ActionClass::List)
        );
        assert_eq!(
            class("aws bedrock-runtime invoke-model --model-id m --body {} out.json").map(|c| c.2),
            Some(ActionClass::Invoke)
        );
        assert_eq!(
            class("aws bedrock-agent-runtime retrieve-and-generate --input x").map(|c| c.2),
            Some(ActionClass::Invoke)
        );
        assert_eq!(
            class("aws bedrock get-foundation-model").map(|c| c.2),
            Some(ActionClass::Get)
        );
        assert_eq!(
            class("aws bedrock stop-model-customization-job").map(|c| c.2),
            Some(ActionClass::Other)
        );
    }

    #[test]
    fn global_options_paths_and_wrappers() {
        let want = Some((
            "bedrock".into(),
            "delete-guardrail".into(),
            ActionClass::Delete,
        ));
        assert_eq!(
            class("aws --region us-east-1 --profile x bedrock delete-guardrail"),
            want
        );
        assert_eq!(
            class("aws --debug --output=json bedrock delete-guardrail"),
            want
        );
        assert_eq!(class("/usr/local/bin/aws bedrock delete-guardrail"), want);
        assert_eq!(
            class("C:\\Program Files\\Amazon\\AWSCLIV2\\aws.exe bedrock delete-guardrail"),
            want
        );
        assert_eq!(
            class("/usr/bin/python3 -m awscli bedrock delete-guardrail"),
            want
        );
        assert_eq!(
            class("/bin/zsh -c aws bedrock delete-guardrail --guardrail-identifier x"),
            want
        );
        assert_eq!(
            class("aws bedrock --region us-east-1 delete-guardrail"),
            want
        );
    }

    #[test]
    fn ignores_other_commands() {
        assert_eq!(class("aws s3 rm s3://bedrock-bucket/x"), None);
        assert_eq!(class("echo aws"), None);
        assert_eq!(class("grep bedrock delete-guardrail"), None);
        assert_eq!(class("aws --region bedrock s3 ls"), None);
        assert_eq!(class("aws bedrock").map(|c| c.2), Some(ActionClass::Other));
    }

    #[test]
    fn user_tables_extend_the_builtin() {
        let mut t = CliActions::builtin().clone();
        let mut errors = RuleError::default();
        t.merge(
            "u.toml",
            "[[classes]]\nname = \"delete\"\nprefixes = [\"purge-\"]\n",
            &mut errors,
        );
        assert!(errors.is_empty());
        assert_eq!(
            t.classify("aws bedrock purge-all").map(|c| c.class),
            Some(ActionClass::Delete)
        );
        t.merge("bad.toml", "[[classes]]\nname = \"remove\"\n", &mut errors);
        assert!(errors.diagnostics[0].message.contains("delete"), "{errors}");
    }
}
