//! The other planted incidents: a stolen dev instance session creating an agent, an
//! insider replacing a training file before a fine-tuning job, a developer deleting
//! Bedrock resources from a laptop, prompt injection through the help-center bot, and
//! the admin's logging change in the baseline week.

use super::apps::FAQ_MODEL;
use super::expect::Expectations;
use super::llmjacking::admin_put_logging;
use super::people::{argv, customization_job, exec, run_aws, Host};
use super::sink::Sink;
use super::world::{
    gr, Cast, DEV, DEV_FAQ_AGENT, JLEE_MBP, PRIYA_MBP, TRAINING_BUCKET, USE1, USW2,
};
use crate::clock::{at, iso};
use crate::cloudtrail::{self, Api};
use crate::identity::ua;
use crate::invocation::{Call, Op, Outcome, Prompt, Shape};
use crate::json::{arr, obj, V};
use crate::text_attack as atk;

pub const AGENT_IP: &str = "5.181.80.113";
pub const NEW_AGENT: &str = "X9T4M2QW7L";
pub const NEW_ALIAS: &str = "LV8R3NQ2ZA";
pub const POISONED_KEY: &str = "curated/support-tickets/2026-10-14/train.jsonl";

/// Instance credentials of the dev sandbox used from a VPS to build an agent.
fn rogue_agent(sink: &mut Sink, x: &mut Expectations, cast: &Cast) {
    let story = "stolen dev session";
    let a = cast.sandbox.elsewhere(&[AGENT_IP], ua::BOTO3_VPS);
    let arn = a.arn().to_string();
    let role = a.p.role_arn().unwrap_or_default();
    let api = Api::caller_identity(USE1, &mut sink.rng);
    sink.api(at(13, 22, 10, 4), &a, api);
    let created = at(13, 22, 12, 2);
    let steps: [(i64, &str, V, V); 5] = [
        (at(13, 22, 10, 31), "ListAgents", V::Null, V::Null),
        (
            created,
            "CreateAgent",
            obj! {
                "agentName" => "ops-automation-helper",
                "foundationModel" => "anthropic.claude-3-haiku-20240307-v1:0",
                "agentResourceRoleArn" => format!("arn:aws:iam::{DEV}:role/service-role/AmazonBedrockExecutionRoleForAgents_dev"),
                "instruction" => "HIDDEN_DUE_TO_SECURITY_REASONS",
                "idleSessionTTLInSeconds" => 1800,
                "clientToken" => sink.rng.uuid(),
            },
            obj! { "agent" => obj! {
                "agentId" => NEW_AGENT,
                "agentName" => "ops-automation-helper",
                "agentArn" => format!("arn:aws:bedrock:{USE1}:{DEV}:agent/{NEW_AGENT}"),
                "agentVersion" => "DRAFT",
                "agentStatus" => "CREATING",
                "foundationModel" => "anthropic.claude-3-haiku-20240307-v1:0",
                "agentResourceRoleArn" => format!("arn:aws:iam::{DEV}:role/service-role/AmazonBedrockExecutionRoleForAgents_dev"),
                "createdAt" => iso(created),
            } },
        ),
        (
            at(13, 22, 12, 40),
            "GetAgent",
            obj! { "agentId" => NEW_AGENT },
            V::Null,
        ),
        (
            at(13, 22, 14, 15),
            "PrepareAgent",
            obj! { "agentId" => NEW_AGENT },
            obj! { "agentId" => NEW_AGENT, "agentStatus" => "PREPARING", "agentVersion" => "DRAFT" },
        ),
        (
            at(13, 22, 15, 2),
            "CreateAgentAlias",
            obj! { "agentId" => NEW_AGENT, "agentAliasName" => "live" },
            obj! { "agentAlias" => obj! {
                "agentId" => NEW_AGENT,
                "agentAliasId" => NEW_ALIAS,
                "agentAliasName" => "live",
                "agentAliasStatus" => "CREATING",
            } },
        ),
    ];
    for (t, name, req, resp) in steps {
        let api = Api::bedrock(name, USE1, req, &mut sink.rng).resp(resp);
        sink.api(t, &a, api);
        x.first_seen_api(story, &arn, name, t);
        if name == "CreateAgent" {
            let group = format!("{arn} · {role} · {DEV} · {USE1}");
            x.hit("agent-created", "high", story, group, t);
        }
    }
    for (k, t) in [at(13, 22, 17, 44), at(13, 22, 24, 9), at(13, 22, 31, 27)]
        .into_iter()
        .enumerate()
    {
        let session = format!("ops-{}", k + 1);
        let rec =
            cloudtrail::invoke_agent(t, &a, USE1, NEW_AGENT, NEW_ALIAS, &session, &mut sink.rng);
        sink.data(t, rec);
        x.first_seen_api(story, &arn, "InvokeAgent", t);
    }
}

/// The ML engineer overwrites the ETL's training file, then fine-tunes on it.
fn poisoning(sink: &mut Sink, x: &mut Expectations, cast: &Cast) {
    let story = "insider";
    let host = Host::Mac(&PRIYA_MBP);
    let group = format!("{} · {TRAINING_BUCKET}", cast.priya.arn());
    let t = at(14, 16, 40, 22);
    let uri = format!("s3://{TRAINING_BUCKET}/{POISONED_KEY}");
    let argv = argv(&[
        "aws",
        "s3",
        "cp",
        "./support-tickets-train.jsonl",
        uri.as_str(),
    ]);
    exec(
        sink,
        host,
        t * 1000 - 1_850,
        &argv,
        "/usr/local/aws-cli/aws",
    );
    let rec = cloudtrail::put_object(
        t,
        &cast.priya,
        USE1,
        TRAINING_BUCKET,
        POISONED_KEY,
        7_340_112,
        &mut sink.rng,
    );
    sink.data(t, rec);
    x.hit("training-data-poisoning", "", story, group.clone(), t);
    let t = at(14, 17, 5, 47);
    let (args, api) = customization_job(
        "support-tone-ft-20261015",
        "support-tone-v3",
        POISONED_KEY,
        &mut sink.rng,
    );
    run_aws(sink, host, &cast.priya, t, &args, api);
    x.hit("training-data-poisoning", "", story, group, t);
}

/// A developer deletes a guardrail and an agent from a laptop.
fn laptop_deletes(sink: &mut Sink, x: &mut Expectations, cast: &Cast) {
    let story = "laptop deletes";
    let host = Host::Mac(&JLEE_MBP);
    let arn = cast.jlee.arn().to_string();
    let cli_group = format!("jlee · {}", JLEE_MBP.hostname);
    let t = at(15, 17, 12, 9);
    let args = argv(&[
        "bedrock",
        "delete-guardrail",
        "--guardrail-identifier",
        gr::DEV_TEST,
        "--region",
        USE1,
    ]);
    let api = Api::bedrock(
        "DeleteGuardrail",
        USE1,
        obj! { "guardrailIdentifier" => gr::DEV_TEST },
        &mut sink.rng,
    );
    let ms = run_aws(sink, host, &cast.jlee, t, &args, api);
    x.hit(
        "cli-bedrock-delete",
        "",
        story,
        cli_group.clone(),
        ms / 1000,
    );
    x.hit(
        "guardrail-deleted",
        "high",
        story,
        format!("{arn} · {DEV} · {USE1} · DeleteGuardrail"),
        t,
    );
    x.first_seen_api(story, &arn, "DeleteGuardrail", t);
    let t = at(15, 17, 14, 40);
    let args = argv(&[
        "bedrock-agent",
        "delete-agent",
        "--agent-id",
        DEV_FAQ_AGENT,
        "--skip-resource-in-use-check",
        "--region",
        USE1,
    ]);
    let api = Api::bedrock(
        "DeleteAgent",
        USE1,
        obj! { "agentId" => DEV_FAQ_AGENT, "skipResourceInUseCheck" => true },
        &mut sink.rng,
    )
    .resp(obj! { "agentId" => DEV_FAQ_AGENT, "agentStatus" => "DELETING" });
    let ms = run_aws(sink, host, &cast.jlee, t, &args, api);
    x.hit("cli-bedrock-delete", "", story, cli_group, ms / 1000);
    x.first_seen_api(story, &arn, "DeleteAgent", t);
}

/// End users try to break the help-center bot; the app wraps them in `<input>`.
fn injection(sink: &mut Sink, x: &mut Expectations, cast: &Cast) {
    let story = "prompt injection";
    for (k, (attempt, reply)) in atk::INJECTIONS.iter().enumerate() {
        let t = at(13, 19, 2, 14) + 290 * k as i64 + sink.rng.range(0, 40);
        let mut c = Call::new(
            t,
            USE1,
            Op::InvokeModel,
            FAQ_MODEL,
            Shape::Legacy,
            Prompt::user(crate::text::faq_prompt(attempt)),
        );
        c.guardrails = vec![gr::FAQ.to_string()];
        c.max_tokens = 300;
        c.temperature = 0.2;
        c.outcome = if *reply == atk::GUARDRAIL_BLOCK_MESSAGE {
            Outcome::Blocked(
                gr::FAQ.to_string(),
                obj! { "contentPolicy" => obj! { "filters" => arr![obj! {
                    "type" => "PROMPT_ATTACK",
                    "confidence" => "HIGH",
                    "filterStrength" => "HIGH",
                    "action" => "BLOCKED",
                }] } },
                reply.to_string(),
            )
        } else {
            Outcome::Answer(reply.to_string())
        };
        let r = sink.call(&cast.faq, &c);
        if r.logged.is_some() {
            x.hit(
                "prompt-sensitive-keywords",
                "",
                story,
                cast.faq.arn().to_string(),
                t,
            );
        }
    }
}

/// Baseline week: the admin adds CloudWatch delivery to us-west-2 logging. It is the
/// earlier configuration that makes the intruder's later change visible.
pub fn logging_setup(sink: &mut Sink, x: &mut Expectations, cast: &Cast) {
    admin_put_logging(
        sink,
        x,
        &cast.admin,
        at(1, 16, 41, 9),
        USW2,
        "logging setup",
    );
}

pub fn generate(sink: &mut Sink, x: &mut Expectations, cast: &Cast) {
    rogue_agent(sink, x, cast);
    poisoning(sink, x, cast);
    laptop_deletes(sink, x, cast);
    injection(sink, x, cast);
}
