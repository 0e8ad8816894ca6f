//! Record content for the bulk set: model calls of varied shape and length, other
//! management events, data events and endpoint process starts.

use super::world::{Account, App, Profile, World};
use crate::cloudtrail::{self, Api};
use crate::endpoint;
use crate::invocation::{Call, Op, Outcome, Prompt, Shape};
use crate::json::{obj, V};
use crate::rng::Rng;
use crate::text;
use crate::text_attack as atk;

/// A model call reduced to what both paired files must agree on.
pub struct Spec {
    pub t: i64,
    pub app: usize,
    pub seed: u64,
    pub request_id: String,
}

/// The call sequence of one (stream, window) slot. The invocation file and the
/// CloudTrail file of the slot replay the same sequence, so request ids line up.
pub struct Specs {
    rng: Rng,
    t: i64,
    gap: i64,
    apps: usize,
}

impl Specs {
    pub fn new(seed: u64, slot: usize, start: i64, len: i64, apps: usize) -> Specs {
        Specs {
            rng: Rng::derive(seed, &format!("specs/{slot}")),
            t: start,
            gap: (len / 350).max(1),
            apps,
        }
    }
}

impl Iterator for Specs {
    type Item = Spec;
    fn next(&mut self) -> Option<Spec> {
        self.t += self.rng.range(0, 2 * self.gap);
        Some(Spec {
            t: self.t,
            app: self.rng.below(self.apps as u64) as usize,
            seed: self.rng.next_u64(),
            request_id: self.rng.uuid(),
        })
    }
}

fn filler(rng: &mut Rng, sentences: i64) -> String {
    (0..sentences)
        .map(|_| *rng.pick(text::FILLER))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds the full call for `spec`; deterministic in the spec alone.
pub fn call<'a>(acct: &'a Account, region: &str, spec: &Spec) -> (&'a App, Call) {
    let app = &acct.apps[spec.app];
    let mut rng = Rng::new(spec.seed);
    let long = rng.chance(0.3);
    let extra = if long { rng.range(3, 70) } else { 0 };
    let answer_extra = if rng.chance(0.4) { rng.range(2, 40) } else { 0 };
    let (op, shape, mut prompt, mut answer) = match app.profile {
        Profile::ChatConverse | Profile::ChatStream => {
            let (q, a) = *rng.pick(text::CHAT);
            let mut p = Prompt::user(q).with_system(text::CHAT_SYSTEM);
            for _ in 0..rng.range(0, 3) {
                let (q0, a0) = *rng.pick(text::CHAT);
                p.turns.insert(0, (false, a0.to_string()));
                p.turns.insert(0, (true, q0.to_string()));
            }
            let op = if matches!(app.profile, Profile::ChatStream) {
                Op::ConverseStream
            } else {
                Op::Converse
            };
            (op, Shape::Converse, p, a.to_string())
        }
        Profile::Summarize | Profile::StreamWriter => {
            let (doc, summary) = *rng.pick(text::DOCS);
            let body = format!("{doc} {}", filler(&mut rng, extra));
            let p = Prompt::user(format!(
                "{}\n\n<document>\n{body}\n</document>",
                text::SUMMARY_INSTRUCTION
            ));
            let op = if matches!(app.profile, Profile::StreamWriter) {
                Op::InvokeModelWithResponseStream
            } else {
                Op::InvokeModel
            };
            (op, Shape::Messages, p, summary.to_string())
        }
        Profile::LegacyFaq => {
            let (q, a) = *rng.pick(text::FAQ);
            let p = Prompt::user(text::faq_prompt(q));
            (Op::InvokeModel, Shape::Legacy, p, a.to_string())
        }
        Profile::Titan => {
            let (d, o) = *rng.pick(text::PRODUCTS);
            let p = Prompt::user(format!("{}\n\nDescription: {d}", text::TITAN_INSTRUCTION));
            (Op::InvokeModel, Shape::Titan, p, o.to_string())
        }
        Profile::DevConverse => {
            let (q, a) = *rng.pick(text::DEV);
            let p = Prompt::user(format!("{q} {}", filler(&mut rng, extra / 3)));
            (Op::Converse, Shape::Converse, p, a.to_string())
        }
    };
    if answer_extra > 0 {
        answer.push(' ');
        answer.push_str(&filler(&mut rng, answer_extra));
    }
    let mut guardrails: Vec<String> = app.guardrail.iter().cloned().collect();
    // A small share of traffic is abuse through a stolen key: jailbreak roleplay.
    if rng.chance(0.004) && matches!(shape, Shape::Messages | Shape::Converse) {
        let k = rng.below(atk::JAILBREAKS.len() as u64) as usize;
        prompt = Prompt {
            system: Some(atk::RP_SYSTEM.to_string()),
            turns: vec![(true, atk::JAILBREAKS[k].to_string())],
            guard_content: false,
        };
        answer = atk::rp_reply(k, 6);
        guardrails.clear();
    }
    let roll = rng.unit();
    let outcome = if roll < 0.009 {
        Outcome::Error(
            "ThrottlingException",
            "ThrottlingException",
            "Too many requests, please wait before trying again.".to_string(),
        )
    } else if roll < 0.014 {
        Outcome::Error(
            "ValidationException",
            "ValidationException",
            "Malformed input request, please reformat your input and try again.".to_string(),
        )
    } else if roll < 0.016 {
        Outcome::Error(
            "AccessDenied",
            "AccessDeniedException",
            "You don't have access to the model with the specified model ID.".to_string(),
        )
    } else if roll < 0.026 && !guardrails.is_empty() {
        Outcome::Blocked(
            guardrails[0].clone(),
            obj! { "contentPolicy" => obj! { "filters" => crate::json::arr![obj! {
                "type" => "MISCONDUCT", "confidence" => "HIGH", "action" => "BLOCKED",
            }] } },
            atk::GUARDRAIL_BLOCK_MESSAGE.to_string(),
        )
    } else {
        Outcome::Answer(answer)
    };
    let model = *rng.pick(app.models);
    let mut c = Call::new(spec.t, region, op, model, shape, prompt);
    c.guardrails = guardrails;
    c.outcome = outcome;
    c.max_tokens = 2048;
    c.request_id = Some(spec.request_id.clone());
    (app, c)
}

const CONTROL: &[(&str, u32)] = &[
    ("ListFoundationModels", 6),
    ("GetFoundationModel", 4),
    ("ListGuardrails", 3),
    ("GetGuardrail", 3),
    ("GetModelInvocationLoggingConfiguration", 2),
    ("ListAgents", 2),
    ("ListInferenceProfiles", 2),
    ("ListCustomModels", 1),
    ("ListModelCustomizationJobs", 1),
];

const OTHER: &[((&str, &str), u32)] = &[
    (("sts.amazonaws.com", "AssumeRole"), 10),
    (("sts.amazonaws.com", "GetCallerIdentity"), 4),
    (("kms.amazonaws.com", "Decrypt"), 10),
    (("ec2.amazonaws.com", "DescribeInstances"), 6),
    (("logs.amazonaws.com", "CreateLogStream"), 6),
    (("ssm.amazonaws.com", "GetParameter"), 6),
    (("s3.amazonaws.com", "ListBuckets"), 2),
    (("iam.amazonaws.com", "ListRoles"), 1),
    (("secretsmanager.amazonaws.com", "GetSecretValue"), 3),
];

/// A management event other than a model call, at `t`.
pub fn management(acct: &Account, region: &str, t: i64, rng: &mut Rng) -> String {
    if rng.chance(0.35) {
        let who = rng.pick(&acct.people);
        let name = *rng.weighted(CONTROL);
        let req = match name {
            "GetFoundationModel" => {
                obj! { "modelIdentifier" => "anthropic.claude-3-5-sonnet-20240620-v1:0" }
            }
            "GetGuardrail" => {
                obj! { "guardrailIdentifier" => rng.lower_alnum(12), "guardrailVersion" => "DRAFT" }
            }
            _ => V::Null,
        };
        let api = Api::bedrock(name, region, req, rng);
        return cloudtrail::record(t, who, api, rng).to_json();
    }
    let app = rng.pick(&acct.apps);
    let (source, name) = *rng.weighted(OTHER);
    let req = match name {
        "AssumeRole" => obj! {
            "roleArn" => app.actor.p.role_arn().unwrap_or_default(),
            "roleSessionName" => app.actor.p.username().to_string(),
            "durationSeconds" => 3600,
        },
        "Decrypt" => obj! { "encryptionAlgorithm" => "SYMMETRIC_DEFAULT" },
        "DescribeInstances" => obj! { "instancesSet" => obj! {}, "filterSet" => obj! {} },
        "CreateLogStream" => obj! {
            "logGroupName" => format!("/aws/lambda/{}", app.actor.p.username()),
            "logStreamName" => format!("2026/10/{:02}/[$LATEST]{}", 1 + (t - crate::clock::BASE) / 86_400, rng.hex(32)),
        },
        "GetParameter" => {
            obj! { "name" => format!("/{}/config", app.actor.p.username()), "withDecryption" => true }
        }
        "GetSecretValue" => obj! { "secretId" => format!("{}/api-key", app.actor.p.username()) },
        _ => V::Null,
    };
    let api = Api::other(source, name, region, req, rng);
    cloudtrail::record(t, &app.actor, api, rng).to_json()
}

/// A data event: training files written to S3 or an agent invocation.
pub fn data(acct: &Account, region: &str, t: i64, rng: &mut Rng) -> String {
    if rng.chance(0.5) {
        let etl = &acct.services[0];
        let key = format!("curated/part-{:05}.jsonl", rng.below(100_000));
        let bucket = format!("ml-training-{}", acct.id);
        let bytes = rng.range(100_000, 9_000_000) as u64;
        cloudtrail::put_object(t, etl, region, &bucket, &key, bytes, rng).to_json()
    } else {
        let gw = &acct.services[1];
        let agent = rng.upper_alnum(10);
        let alias = rng.upper_alnum(10);
        let session = rng.uuid();
        cloudtrail::invoke_agent(t, gw, region, &agent, &alias, &session, rng).to_json()
    }
}

const MAC_CMDS: &[&[&str]] = &[
    &["git", "status"],
    &["git", "push"],
    &["python3", "-m", "pytest", "-q"],
    &["npm", "test"],
    &["kubectl", "get", "pods"],
    &[
        "aws",
        "bedrock",
        "list-foundation-models",
        "--region",
        "us-east-1",
    ],
    &[
        "aws",
        "bedrock",
        "get-guardrail",
        "--guardrail-identifier",
        "k2m9x4q1zt7a",
    ],
    &["aws", "bedrock-agent", "list-agents"],
    &["aws", "sts", "get-caller-identity"],
];

/// One endpoint process start of the given kind (0 Jamf, 1 ECS, 2 Sysmon).
pub fn endpoint_event(world: &World, kind: usize, ms: i64, rng: &mut Rng) -> String {
    let mut argv: Vec<String> = rng.pick(MAC_CMDS).iter().map(|s| s.to_string()).collect();
    if rng.chance(0.002) {
        argv = [
            "aws",
            "bedrock",
            "delete-guardrail",
            "--guardrail-identifier",
            "t0q5l2r9m3yb",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
    }
    match kind {
        0 => {
            let h = rng.pick(&world.macs);
            let exe = if argv[0] == "aws" {
                "/usr/local/aws-cli/aws".to_string()
            } else {
                format!("/usr/bin/{}", argv[0])
            };
            endpoint::jamf_exec(h, ms, &argv, &exe, "/bin/zsh", rng).to_json()
        }
        1 => {
            let h = rng.pick(&world.linux);
            let exe = format!("/usr/bin/{}", argv[0]);
            endpoint::ecs_process(h, ms, &argv, &exe, "/home/runner/work", rng).to_json()
        }
        _ => {
            let h = rng.pick(&world.windows);
            let image = if argv[0] == "aws" {
                "C:\\Program Files\\Amazon\\AWSCLIV2\\aws.exe".to_string()
            } else {
                format!("C:\\Program Files\\Git\\cmd\\{}.exe", argv[0])
            };
            let line = format!("\"{image}\" {}", argv[1..].join(" "));
            let parent = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
            endpoint::sysmon_process(h, ms, &image, &line, parent, rng).to_json()
        }
    }
}
