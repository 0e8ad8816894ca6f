//! Ordinary human and automation activity: console browsing, CLI use on laptops and
//! a CI runner (endpoint telemetry plus the matching CloudTrail events), a nightly ETL
//! job writing training files, and an on-prem reporting job. Every principal uses in
//! the last nine days only APIs it already used in the first week, and only read-only
//! Bedrock CLI commands run on endpoints.

use super::sink::{Dest, Sink};
use super::world::{
    gr, Cast, DEV, DEV_FAQ_AGENT, FIN_WS, JLEE_MBP, MGARCIA_MBP, PRIYA_MBP, RUNNER,
    TRAINING_BUCKET, USE1, USW2,
};
use crate::clock::{at, is_weekend, ymd, DAY, SPAN_DAYS};
use crate::cloudtrail::{self, Api};
use crate::endpoint::{self, LinuxHost, MacHost, WindowsHost};
use crate::identity::Actor;
use crate::invocation::{Call, Op, Outcome, Prompt, Shape};
use crate::json::{arr, obj, V};
use crate::rng::Rng;
use crate::text;

#[derive(Clone, Copy)]
pub enum Host {
    Mac(&'static MacHost),
    Linux(&'static LinuxHost),
    Windows(&'static WindowsHost),
}

/// A process start on `host` at `ms`.
pub fn exec(sink: &mut Sink, host: Host, ms: i64, argv: &[String], exe: &str) {
    let rng = &mut sink.rng;
    let (dest, v) = match host {
        Host::Mac(h) => (
            Dest::Jamf,
            endpoint::jamf_exec(h, ms, argv, exe, "/bin/zsh", rng),
        ),
        Host::Linux(h) => (
            Dest::Ecs,
            endpoint::ecs_process(
                h,
                ms,
                argv,
                exe,
                "/home/runner/_work/chat-assistant/chat-assistant",
                rng,
            ),
        ),
        Host::Windows(h) => {
            let quoted = if exe.contains(' ') {
                format!("\"{exe}\"")
            } else {
                exe.to_string()
            };
            let line = std::iter::once(quoted)
                .chain(argv[1..].iter().cloned())
                .collect::<Vec<_>>()
                .join(" ");
            let parent = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
            (
                Dest::Sysmon,
                endpoint::sysmon_process(h, ms, exe, &line, parent, rng),
            )
        }
    };
    sink.endpoint(dest, ms, v);
}

fn aws_exe(host: Host) -> &'static str {
    match host {
        Host::Mac(_) => "/usr/local/aws-cli/aws",
        Host::Linux(_) => "/usr/local/bin/aws",
        Host::Windows(_) => "C:\\Program Files\\Amazon\\AWSCLIV2\\aws.exe",
    }
}

/// Runs `aws <args>` on `host` at `t`: the exec event a second or two before the API
/// call, then the CloudTrail record (the user agent names the same subcommand).
/// Returns the exec time in epoch milliseconds.
pub fn run_aws(
    sink: &mut Sink,
    host: Host,
    actor: &Actor,
    t: i64,
    args: &[String],
    api: Api,
) -> i64 {
    let mut argv = vec!["aws".to_string()];
    argv.extend(args.iter().cloned());
    let ms = t * 1000 - sink.rng.range(700, 2400);
    exec(sink, host, ms, &argv, aws_exe(host));
    sink.api(t, actor, api);
    ms
}

/// Owned argv from string literals.
pub fn argv(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// A read-only Bedrock CLI command and the API call it makes.
pub fn bedrock_cmd(name: &str, region: &str, rng: &mut Rng) -> (Vec<String>, Api) {
    let (service, sub, extra, req): (&str, &str, Vec<&str>, V) = match name {
        "list-foundation-models" => ("bedrock", name, vec![], V::Null),
        "list-foundation-models-anthropic" => (
            "bedrock",
            "list-foundation-models",
            vec!["--by-provider", "anthropic"],
            obj! { "byProvider" => "anthropic" },
        ),
        "get-foundation-model" => (
            "bedrock",
            name,
            vec![
                "--model-identifier",
                "anthropic.claude-3-5-sonnet-20240620-v1:0",
            ],
            obj! { "modelIdentifier" => "anthropic.claude-3-5-sonnet-20240620-v1:0" },
        ),
        "list-inference-profiles" => ("bedrock", name, vec![], V::Null),
        "list-guardrails" => ("bedrock", name, vec![], V::Null),
        "get-guardrail-chat" => (
            "bedrock",
            "get-guardrail",
            vec!["--guardrail-identifier", gr::CHAT],
            obj! { "guardrailIdentifier" => gr::CHAT },
        ),
        "get-guardrail-dev" => (
            "bedrock",
            "get-guardrail",
            vec!["--guardrail-identifier", gr::DEV],
            obj! { "guardrailIdentifier" => gr::DEV },
        ),
        "get-model-invocation-logging-configuration" => ("bedrock", name, vec![], V::Null),
        "list-agents" => ("bedrock-agent", name, vec![], V::Null),
        "get-agent" => (
            "bedrock-agent",
            name,
            vec!["--agent-id", DEV_FAQ_AGENT],
            obj! { "agentId" => DEV_FAQ_AGENT },
        ),
        "list-model-customization-jobs" => ("bedrock", name, vec![], V::Null),
        "get-model-customization-job" => (
            "bedrock",
            name,
            vec!["--job-identifier", "support-tone-ft-20260921"],
            obj! { "jobIdentifier" => "support-tone-ft-20260921" },
        ),
        "list-custom-models" => ("bedrock", name, vec![], V::Null),
        _ => ("bedrock", name, vec![], V::Null),
    };
    let event: String = sub
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    let mut args = vec![service.to_string(), sub.to_string()];
    args.extend(extra.iter().map(|x| x.to_string()));
    args.extend(argv(&["--region", region]));
    (args, Api::bedrock(&event, region, req, rng))
}

/// `CreateModelCustomizationJob` with its CLI form, shared by baseline and incident.
pub fn customization_job(
    job: &str,
    model_name: &str,
    train_key: &str,
    rng: &mut Rng,
) -> (Vec<String>, Api) {
    let train = format!("s3://{TRAINING_BUCKET}/{train_key}");
    let valid = train.replace("train.jsonl", "validation.jsonl");
    let output = format!("s3://{TRAINING_BUCKET}/output/{job}/");
    let role = format!("arn:aws:iam::{DEV}:role/service-role/BedrockCustomizationRole");
    let base = "amazon.titan-text-express-v1";
    let args = argv(&[
        "bedrock",
        "create-model-customization-job",
        "--job-name",
        job,
        "--custom-model-name",
        model_name,
        "--role-arn",
        &role,
        "--base-model-identifier",
        base,
        "--customization-type",
        "FINE_TUNING",
        "--training-data-config",
        &format!("s3Uri={train}"),
        "--validation-data-config",
        &format!("validators=[{{s3Uri={valid}}}]"),
        "--output-data-config",
        &format!("s3Uri={output}"),
        "--hyper-parameters",
        "epochCount=2,batchSize=1,learningRate=0.00001",
        "--region",
        USE1,
    ]);
    let req = obj! {
        "jobName" => job.to_string(),
        "customModelName" => model_name.to_string(),
        "roleArn" => role,
        "baseModelIdentifier" => base,
        "customizationType" => "FINE_TUNING",
        "trainingDataConfig" => obj! { "s3Uri" => train },
        "validationDataConfig" => obj! { "validators" => arr![obj! { "s3Uri" => valid }] },
        "outputDataConfig" => obj! { "s3Uri" => output },
        "hyperParameters" => obj! { "epochCount" => "2", "batchSize" => "1", "learningRate" => "0.00001" },
    };
    let arn = format!(
        "arn:aws:bedrock:{USE1}:{DEV}:model-customization-job/{base}:0:8k/{}",
        rng.lower_alnum(12)
    );
    let api =
        Api::bedrock("CreateModelCustomizationJob", USE1, req, rng).resp(obj! { "jobArn" => arn });
    (args, api)
}

/// Picks commands for one working day: all of them on the first day (so the baseline
/// knows the whole repertoire), a few at random afterwards.
fn todays<'a>(rng: &mut Rng, day: i64, all: &[&'a str], lo: i64, hi: i64) -> Vec<&'a str> {
    if day == 0 {
        return all.to_vec();
    }
    (0..rng.range(lo, hi)).map(|_| *rng.pick(all)).collect()
}

fn workdays() -> impl Iterator<Item = i64> {
    (0..SPAN_DAYS).filter(|d| !is_weekend(at(*d, 12, 0, 0)))
}

const MAC_NOISE: &[(&[&str], &str)] = &[
    (&["git", "status"], "/usr/bin/git"),
    (&["git", "pull", "--rebase"], "/usr/bin/git"),
    (
        &["python3", "-m", "pytest", "-q"],
        "/opt/homebrew/bin/python3",
    ),
    (&["npm", "run", "build"], "/opt/homebrew/bin/npm"),
    (&["code", "."], "/usr/local/bin/code"),
    (&["ssh", "bastion.dev.internal"], "/usr/bin/ssh"),
    (
        &["kubectl", "get", "pods", "-n", "staging"],
        "/opt/homebrew/bin/kubectl",
    ),
    (&["terraform", "plan"], "/opt/homebrew/bin/terraform"),
    (&["jupyter", "lab"], "/opt/homebrew/bin/jupyter"),
];

const RUNNER_NOISE: &[(&[&str], &str)] = &[
    (&["git", "fetch", "--depth=1", "origin"], "/usr/bin/git"),
    (&["npm", "ci"], "/usr/bin/npm"),
    (&["npx", "jest", "--ci"], "/usr/bin/npx"),
    (
        &["docker", "build", "-t", "chat-assistant:ci", "."],
        "/usr/bin/docker",
    ),
    (&["python3", "scripts/check_prompts.py"], "/usr/bin/python3"),
];

const WINDOWS_NOISE: &[&str] = &[
    "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE",
    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    "C:\\Users\\tnguyen\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe",
];

fn noise(sink: &mut Sink, rng: &mut Rng, host: Host, day: i64, n: i64) {
    for _ in 0..n {
        let ms = (at(day, 13, 0, 0) + rng.below(9 * 3600) as i64) * 1000 + rng.range(0, 999);
        match host {
            Host::Mac(_) => {
                let (args, exe) = *rng.pick(MAC_NOISE);
                exec(sink, host, ms, &argv(args), exe);
            }
            Host::Linux(_) => {
                let (args, exe) = *rng.pick(RUNNER_NOISE);
                exec(sink, host, ms, &argv(args), exe);
            }
            Host::Windows(_) => {
                let exe = *rng.pick(WINDOWS_NOISE);
                exec(sink, host, ms, &[exe.to_string()], exe);
            }
        }
    }
}

/// Laptop and workstation CLI users (read-only Bedrock commands only).
fn cli_users(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(2, "cli");
    let users: [(Host, &Actor, &str, &[&str]); 3] = [
        (
            Host::Mac(&JLEE_MBP),
            &cast.jlee,
            "jlee",
            &[
                "list-foundation-models",
                "get-foundation-model",
                "list-guardrails",
                "get-guardrail-dev",
                "list-agents",
                "get-agent",
            ],
        ),
        (
            Host::Mac(&PRIYA_MBP),
            &cast.priya,
            "priya",
            &[
                "list-model-customization-jobs",
                "get-model-customization-job",
                "list-custom-models",
            ],
        ),
        (
            Host::Windows(&FIN_WS),
            &cast.tnguyen,
            "tnguyen",
            &[
                "list-foundation-models",
                "get-foundation-model",
                "list-inference-profiles",
            ],
        ),
    ];
    for day in workdays() {
        for (host, actor, who, repertoire) in &users {
            for cmd in todays(&mut rng, day, repertoire, 0, 3) {
                let t = at(day, 14, 0, 0) + rng.below(8 * 3600) as i64;
                let (args, api) = bedrock_cmd(cmd, USE1, &mut sink.rng);
                run_aws(sink, *host, actor, t, &args, api);
            }
            if *who == "jlee" && (day == 0 || rng.chance(0.4)) {
                let t = at(day, 13, 30, 0) + rng.below(3600) as i64;
                let api = Api::caller_identity(USE1, &mut sink.rng);
                run_aws(
                    sink,
                    *host,
                    actor,
                    t,
                    &argv(&["sts", "get-caller-identity"]),
                    api,
                );
            }
            let n = rng.range(1, 4);
            noise(sink, &mut rng, *host, day, n);
        }
        let n = rng.range(0, 3);
        noise(sink, &mut rng, Host::Mac(&MGARCIA_MBP), day, n);
    }
    // The ML engineer's fine-tuning job in the baseline week, on a file the ETL job wrote.
    let (args, api) = customization_job(
        "support-tone-ft-20261005",
        "support-tone-v2",
        "curated/support-tickets/2026-10-04/train.jsonl",
        &mut sink.rng,
    );
    run_aws(
        sink,
        Host::Mac(&PRIYA_MBP),
        &cast.priya,
        at(4, 15, 20, 11),
        &args,
        api,
    );
}

/// The self-hosted CI runner checks guardrails and logging before each deploy.
fn ci(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(2, "ci");
    let steps = [
        "list-guardrails",
        "get-guardrail-chat",
        "get-model-invocation-logging-configuration",
        "list-foundation-models-anthropic",
    ];
    for day in workdays() {
        for _ in 0..rng.range(1, 2) {
            let start = at(day, 16, 0, 0) + rng.below(5 * 3600) as i64;
            noise(sink, &mut rng, Host::Linux(&RUNNER), day, 3);
            for (i, step) in steps.iter().enumerate() {
                let t = start + 20 * i as i64 + rng.range(0, 8);
                let (args, api) = bedrock_cmd(step, USE1, &mut sink.rng);
                run_aws(sink, Host::Linux(&RUNNER), &cast.ci, t, &args, api);
            }
        }
    }
}

/// Platform admin in the console: reviews logging and guardrails on working days.
fn admin(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(2, "admin");
    let all = [
        "GetModelInvocationLoggingConfiguration",
        "ListGuardrails",
        "GetGuardrail",
    ];
    for day in workdays() {
        let t = at(day, 15, 2, 0) + rng.below(1800) as i64;
        let mut login = cloudtrail::record(
            t,
            &cast.admin,
            Api::other(
                "signin.amazonaws.com",
                "ConsoleLogin",
                USE1,
                V::Null,
                &mut sink.rng,
            )
            .resp(obj! { "ConsoleLogin" => "Success" }),
            &mut sink.rng,
        );
        login.set("eventType", "AwsConsoleSignIn");
        login.set("readOnly", false);
        sink.management(t, login);
        for (i, name) in todays(&mut rng, day, &all, 1, 3).into_iter().enumerate() {
            let t = t + 60 + 45 * i as i64 + rng.range(0, 30);
            let region = if name.starts_with("GetModel") && rng.chance(0.4) {
                USW2
            } else {
                USE1
            };
            let req = match name {
                "GetGuardrail" => {
                    obj! { "guardrailIdentifier" => gr::CHAT, "guardrailVersion" => "3" }
                }
                "ListGuardrails" => obj! { "maxResults" => 1000 },
                _ => V::Null,
            };
            let api = Api::bedrock(name, region, req, &mut sink.rng);
            sink.api(t, &cast.admin, api);
        }
    }
}

/// The data scientist browses models and uses the console playground (dev).
fn data_scientist(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(2, "mgarcia");
    let browse = [
        ("ListFoundationModels", V::Null),
        (
            "GetFoundationModel",
            obj! { "modelIdentifier" => "anthropic.claude-3-5-sonnet-20240620-v1:0" },
        ),
        ("ListCustomModels", V::Null),
        ("ListInferenceProfiles", V::Null),
    ];
    let models = [
        "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "anthropic.claude-3-haiku-20240307-v1:0",
        "meta.llama3-1-70b-instruct-v1:0",
    ];
    for day in workdays() {
        let n = if day == 0 {
            browse.len()
        } else {
            rng.range(1, 4) as usize
        };
        for i in 0..n {
            let (name, req) = if day == 0 {
                browse[i].clone()
            } else {
                rng.pick(&browse).clone()
            };
            let t = at(day, 15, 0, 0) + rng.below(6 * 3600) as i64;
            let api = Api::bedrock(name, USE1, req, &mut sink.rng);
            sink.api(t, &cast.mgarcia, api);
        }
        let unguarded = rng.range(0, 2);
        for k in 0..4 {
            let t = at(day, 16, 0, 0) + rng.below(5 * 3600) as i64;
            let (q, a) = *rng.pick(text::ANALYST);
            let model = *rng.pick(&models);
            let mut c = Call::new(
                t,
                USE1,
                Op::ConverseStream,
                model,
                Shape::Converse,
                Prompt::user(q),
            );
            if k >= unguarded {
                c.guardrails = vec![gr::DEV.to_string()];
            }
            c.temperature = 0.7;
            c.max_tokens = 2048;
            c.outcome = Outcome::Answer(a.to_string());
            sink.call(&cast.mgarcia, &c);
        }
    }
}

/// On-prem reporting job with a long-term access key: Athena queries every morning.
fn reporting(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(2, "reporting");
    for day in 0..SPAN_DAYS {
        let t = at(day, 6, 5, 0) + rng.range(0, 40);
        let qid = sink.rng.uuid();
        let start = Api::other(
            "athena.amazonaws.com",
            "StartQueryExecution",
            USE1,
            obj! {
                "queryString" => "SELECT region, sku, sum(qty) AS units FROM sales.daily_orders WHERE dt = current_date - interval '1' day GROUP BY 1, 2",
                "queryExecutionContext" => obj! { "database" => "sales" },
                "workGroup" => "reporting",
            },
            &mut sink.rng,
        )
        .resp(obj! { "queryExecutionId" => qid.clone() });
        sink.api(t, &cast.analytics, start);
        for k in 1..=3 {
            let name = if k < 3 {
                "GetQueryExecution"
            } else {
                "GetQueryResults"
            };
            let api = Api::other(
                "athena.amazonaws.com",
                name,
                USE1,
                obj! { "queryExecutionId" => qid.clone() },
                &mut sink.rng,
            );
            sink.api(t + 4 * k + rng.range(0, 3), &cast.analytics, api);
        }
    }
}

/// Nightly ETL writes the previous day's curated support tickets to the training bucket.
fn etl(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(2, "etl");
    for day in 0..SPAN_DAYS {
        let t = at(day, 1, 30, 0) + rng.range(0, 120);
        let folder = format!("curated/support-tickets/{}", ymd(at(day, 0, 0, 0) - DAY));
        for (i, file) in ["train.jsonl", "validation.jsonl"].iter().enumerate() {
            let bytes = if i == 0 {
                rng.range(4_000_000, 9_000_000)
            } else {
                rng.range(400_000, 900_000)
            } as u64;
            let key = format!("{folder}/{file}");
            let rec = cloudtrail::put_object(
                t + 7 * i as i64,
                &cast.etl,
                USE1,
                TRAINING_BUCKET,
                &key,
                bytes,
                &mut sink.rng,
            );
            sink.data(t + 7 * i as i64, rec);
        }
    }
}

pub fn generate(sink: &mut Sink, cast: &Cast) {
    cli_users(sink, cast);
    ci(sink, cast);
    admin(sink, cast);
    data_scientist(sink, cast);
    reporting(sink, cast);
    etl(sink, cast);
}
