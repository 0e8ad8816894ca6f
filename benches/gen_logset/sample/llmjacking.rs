//! The LLMjacking storyline in the prod account. A long-term key of the on-prem
//! reporting user `svc-analytics-export` leaks and is used from three places:
//!
//! 1. a key checker (Windows boto3) enumerates models per region, probes Claude with
//!    invalid bodies (ValidationException = enabled, AccessDenied = not) and reads the
//!    logging configuration;
//! 2. a reverse proxy (aiohttp) checks Opus access (denied), gets blocked by the
//!    account-enforced guardrail, the operator deletes that guardrail, then serves
//!    jailbreak roleplay sessions without any guardrail, spiking token use;
//! 3. the next night the operator deletes invocation logging in us-east-1 and turns
//!    text delivery off in us-west-2, and a second client (axios) harvests until the
//!    responders restore logging and quarantine the key.

use super::expect::Expectations;
use super::sink::Sink;
use super::world::{
    gr, Cast, ENFORCED_REMOVED, LOGGING_DELETED_USE1, LOGGING_REDIRECTED_USW2,
    LOGGING_RESTORED_USE1, LOGGING_RESTORED_USW2, LOG_BUCKET_PROD, LOG_BUCKET_PROD_WEST, LOG_GROUP,
    PROD, USE1, USW2,
};
use crate::clock::{at, minute};
use crate::cloudtrail::Api;
use crate::identity::{ua, Actor};
use crate::invocation::{Call, Op, Outcome, Prompt, Shape};
use crate::json::{arr, obj, V};
use crate::text_attack as atk;

const STORY: &str = "LLMjacking";
pub const IP_CHECKER: &str = "83.7.141.62";
pub const IP_PROXY: &str = "194.48.250.17";
pub const IP_HARVEST: &str = "45.146.164.23";
/// Regions the key checker walks through.
pub const PROBE_REGIONS: [&str; 6] = [
    USE1,
    USW2,
    "eu-central-1",
    "ap-northeast-1",
    "eu-west-3",
    "ap-southeast-1",
];
/// Regions where Claude is enabled in prod (probes there fail validation instead).
const ENABLED: [&str; 2] = [USE1, USW2];
pub const UNGUARDED_STREAMS: usize = 40;
/// The one proxied request whose user turns carry a pasted lore document.
const OVERSIZED_AT: usize = 17;
pub const HARVEST_STREAMS: i64 = 120;
const V2: &str = "anthropic.claude-v2";
const INSTANT: &str = "anthropic.claude-instant-v1";
const SONNET3: &str = "anthropic.claude-3-sonnet-20240229-v1:0";
const OPUS: &str = "anthropic.claude-3-opus-20240229-v1:0";
const DENIED_MSG: &str = "You don't have access to the model with the specified model ID.";

struct Ctx<'a> {
    sink: &'a mut Sink,
    x: &'a mut Expectations,
    arn: String,
}

impl Ctx<'_> {
    /// A Bedrock control-plane call; every Bedrock API of this user is first-seen.
    fn bedrock(&mut self, t: i64, actor: &Actor, name: &str, region: &str, req: V) {
        let api = Api::bedrock(name, region, req, &mut self.sink.rng);
        self.sink.api(t, actor, api);
        self.first_seen(name, t);
    }

    fn first_seen(&mut self, name: &str, t: i64) {
        self.x.first_seen_api(STORY, &self.arn, name, t);
    }

    /// AccessDenied on a runtime call, grouped as the CloudTrail rule groups it.
    fn denied(&mut self, t: i64, actor: &Actor, region: &str) {
        let group = format!(
            "{} · {} · {} · {PROD} · {region}",
            self.arn, actor.ips[0], actor.ua
        );
        self.x
            .hit("invoke-model-access-denied", "", STORY, group, t);
    }
}

/// A proxied roleplay request: jailbreak framing first, `history` earlier exchanges,
/// and the proxy's reminder on the last user turn.
fn rp_prompt(k: usize, history: usize, lore: bool) -> Prompt {
    let mut first = atk::JAILBREAKS[k % atk::JAILBREAKS.len()].to_string();
    if lore {
        first.push_str("\n\n");
        first.push_str(atk::LORE_DUMP);
    }
    let mut turns = vec![(true, first)];
    for h in 0..history {
        turns.push((false, atk::rp_reply(k + h, 5)));
        turns.push((true, atk::RP_USER[(k + h) % atk::RP_USER.len()].to_string()));
    }
    if let Some((_, last)) = turns.last_mut() {
        last.push(' ');
        last.push_str(atk::RP_REMINDERS[k % atk::RP_REMINDERS.len()]);
    }
    Prompt {
        system: Some(atk::RP_SYSTEM.to_string()),
        turns,
        guard_content: false,
    }
}

fn key_checker(c: &mut Ctx, win: &Actor) {
    let t0 = at(11, 2, 13, 41);
    let api = Api::caller_identity(USE1, &mut c.sink.rng);
    c.sink.api(t0, win, api);
    let outlier_group = format!("{} · 2026-10-12T02:00Z", c.arn);
    for (i, region) in PROBE_REGIONS.iter().enumerate() {
        for (k, req) in [V::Null, obj! { "byOutputModality" => "TEXT" }]
            .into_iter()
            .enumerate()
        {
            let t = t0 + 9 + 3 * i as i64 + k as i64;
            c.bedrock(t, win, "ListFoundationModels", region, req);
            let arn = c.arn.clone();
            c.x.hit("first-seen-model-enumeration", "", STORY, arn, t);
            c.x.hit(
                "model-enumeration-outlier",
                "",
                STORY,
                outlier_group.clone(),
                t,
            );
        }
    }
    for (k, model) in [V2, SONNET3].iter().enumerate() {
        let t = at(11, 2, 14, 8) + k as i64;
        c.bedrock(
            t,
            win,
            "GetFoundationModel",
            USE1,
            obj! { "modelIdentifier" => *model },
        );
        c.x.hit(
            "model-enumeration-outlier",
            "",
            STORY,
            outlier_group.clone(),
            t,
        );
    }
    let mut t = at(11, 2, 14, 12);
    let body = obj! { "prompt" => atk::PROBE_PROMPT, "max_tokens_to_sample" => -1 };
    for region in PROBE_REGIONS {
        let models: &[&str] = if region == USE1 {
            &[V2, INSTANT, SONNET3]
        } else {
            &[V2, INSTANT]
        };
        for model in models {
            let enabled = ENABLED.contains(&region);
            let mut call = Call::new(
                t,
                region,
                Op::InvokeModel,
                model,
                Shape::Raw(body.clone()),
                Prompt::user(atk::PROBE_PROMPT),
            );
            call.outcome = if !enabled {
                Outcome::Error(
                    "AccessDenied",
                    "AccessDeniedException",
                    DENIED_MSG.to_string(),
                )
            } else if *model == SONNET3 {
                Outcome::Error(
                    "ValidationException",
                    "ValidationException",
                    "\"claude-3-sonnet-20240229\" is not supported on this API. Please use the Messages API instead.".to_string(),
                )
            } else {
                Outcome::Error(
                    "ValidationException",
                    "ValidationException",
                    "max_tokens_to_sample: range: 1..1,000,000".to_string(),
                )
            };
            let r = c.sink.call(win, &call);
            c.first_seen("InvokeModel", t);
            if !enabled {
                c.denied(t, win, region);
            } else if r.logged.is_some() {
                let group = format!("{} · {PROD} · {}", c.arn, minute(t));
                c.x.hit("validation-exception-burst", "", STORY, group, t);
            }
            t += 3;
        }
    }
    c.bedrock(
        at(11, 2, 15, 20),
        win,
        "GetModelInvocationLoggingConfiguration",
        USE1,
        V::Null,
    );
    c.bedrock(
        at(11, 2, 15, 23),
        win,
        "GetModelInvocationLoggingConfiguration",
        USW2,
        V::Null,
    );
}

fn stream(t: i64, model: &str, prompt: Prompt) -> Call {
    let mut c = Call::new(
        t,
        USE1,
        Op::InvokeModelWithResponseStream,
        model,
        Shape::Messages,
        prompt,
    );
    c.max_tokens = 4096;
    c.temperature = 1.0;
    c
}

fn proxy(c: &mut Ctx, proxy: &Actor, win: &Actor) {
    // Model access checks with a one-token request: Opus is not enabled.
    for k in 0..5 {
        let t = at(11, 12, 40, 5) + 50 * k;
        let mut call = stream(t, OPUS, Prompt::user("Hi"));
        call.max_tokens = 1;
        call.outcome = Outcome::Error(
            "AccessDenied",
            "AccessDeniedException",
            DENIED_MSG.to_string(),
        );
        let r = c.sink.call(proxy, &call);
        c.first_seen("InvokeModelWithResponseStream", t);
        c.denied(t, proxy, USE1);
        if r.logged.is_some() {
            let group = format!("{} · {OPUS} · {PROD}", c.arn);
            c.x.hit("denied-model-attempts", "", STORY, group, t);
        }
    }
    // Roleplay sessions start and hit the account-enforced guardrail.
    for k in 0..3 {
        let t = at(11, 14, 2, 10) + 75 * k as i64;
        let mut call = stream(t, SONNET3, rp_prompt(k, 0, false));
        call.guardrails = vec![gr::ENFORCED.to_string()];
        call.outcome = Outcome::Blocked(
            gr::ENFORCED.to_string(),
            obj! { "contentPolicy" => obj! { "filters" => arr![obj! {
                "type" => "PROMPT_ATTACK",
                "confidence" => "HIGH",
                "filterStrength" => "HIGH",
                "action" => "BLOCKED",
            }] } },
            atk::GUARDRAIL_BLOCK_MESSAGE.to_string(),
        );
        let r = c.sink.call(proxy, &call);
        c.first_seen("InvokeModelWithResponseStream", t);
        if r.logged.is_some() {
            let arn = c.arn.clone();
            c.x.hit("prompt-sensitive-keywords", "", STORY, arn, t);
        }
    }
    // The operator removes the enforced guardrail and deletes it.
    c.bedrock(
        at(11, 14, 11, 2),
        win,
        "ListEnforcedGuardrailsConfiguration",
        USE1,
        V::Null,
    );
    c.bedrock(
        ENFORCED_REMOVED,
        win,
        "DeleteEnforcedGuardrailConfiguration",
        USE1,
        obj! { "configId" => gr::ENFORCED_CONFIG_ID },
    );
    let group = format!(
        "{} · {PROD} · {USE1} · DeleteEnforcedGuardrailConfiguration",
        c.arn
    );
    c.x.hit(
        "guardrail-deleted",
        "medium",
        STORY,
        group,
        ENFORCED_REMOVED,
    );
    let t = at(11, 14, 13, 10);
    c.bedrock(
        t,
        win,
        "DeleteGuardrail",
        USE1,
        obj! { "guardrailIdentifier" => gr::ENFORCED },
    );
    let group = format!("{} · {PROD} · {USE1} · DeleteGuardrail", c.arn);
    c.x.hit("guardrail-deleted", "high", STORY, group, t);
    // Unguarded roleplay traffic through the proxy.
    for k in 0..UNGUARDED_STREAMS {
        let t = at(11, 14, 20, 0) + 135 * k as i64 + c.sink.rng.range(0, 60);
        let model = if k % 4 == 3 {
            "anthropic.claude-3-5-sonnet-20240620-v1:0"
        } else {
            SONNET3
        };
        let history = 1 + k % 5;
        let mut call = stream(t, model, rp_prompt(k, history, k == OVERSIZED_AT));
        call.outcome = Outcome::Answer(atk::rp_reply(k * 3, 4 + k % 3));
        let r = c.sink.call(proxy, &call);
        c.first_seen("InvokeModelWithResponseStream", t);
        if r.logged.is_some() {
            let arn = c.arn.clone();
            c.x.hit("invocations-without-guardrails", "", STORY, arn.clone(), t);
            c.x.hit("prompt-sensitive-keywords", "", STORY, arn.clone(), t);
            if k == OVERSIZED_AT {
                c.x.hit("oversized-prompt", "", STORY, arn, t);
            }
        }
    }
}

fn logging_config(bucket: &str, text: bool, cloudwatch: bool) -> V {
    let mut cfg = obj! {};
    if cloudwatch {
        cfg.push(
            "cloudWatchConfig",
            obj! {
                "logGroupName" => LOG_GROUP,
                "roleArn" => format!("arn:aws:iam::{PROD}:role/service-role/BedrockInvocationLoggingRole"),
                "largeDataDeliveryS3Config" => obj! { "bucketName" => bucket.to_string(), "keyPrefix" => "large-data" },
            },
        );
    }
    cfg.push(
        "s3Config",
        obj! { "bucketName" => bucket.to_string(), "keyPrefix" => "" },
    );
    cfg.push("textDataDeliveryEnabled", text);
    cfg.push("imageDataDeliveryEnabled", text);
    cfg.push("embeddingDataDeliveryEnabled", text);
    cfg.push("videoDataDeliveryEnabled", false);
    obj! { "loggingConfig" => cfg }
}

/// The admin's `PutModelInvocationLoggingConfiguration`, as logged.
pub fn admin_put_logging(
    sink: &mut Sink,
    x: &mut Expectations,
    admin: &Actor,
    t: i64,
    region: &str,
    story: &'static str,
) {
    let bucket = if region == USE1 {
        LOG_BUCKET_PROD
    } else {
        LOG_BUCKET_PROD_WEST
    };
    let api = Api::bedrock(
        "PutModelInvocationLoggingConfiguration",
        region,
        logging_config(bucket, true, true),
        &mut sink.rng,
    );
    sink.api(t, admin, api);
    let group = format!("{} · {PROD} · {region}", admin.arn());
    x.hit("invocation-logging-changed", "", story, group, t);
}

fn blinding_and_harvest(c: &mut Ctx, win: &Actor, harvester: &Actor, admin: &Actor) {
    c.bedrock(
        at(12, 3, 4, 40),
        win,
        "GetModelInvocationLoggingConfiguration",
        USE1,
        V::Null,
    );
    c.bedrock(
        LOGGING_DELETED_USE1,
        win,
        "DeleteModelInvocationLoggingConfiguration",
        USE1,
        V::Null,
    );
    let group = format!("{} · {PROD} · {USE1}", c.arn);
    c.x.hit(
        "invocation-logging-changed",
        "",
        STORY,
        group,
        LOGGING_DELETED_USE1,
    );
    c.bedrock(
        at(12, 3, 6, 5),
        win,
        "GetModelInvocationLoggingConfiguration",
        USW2,
        V::Null,
    );
    let cfg = logging_config("aws-bedrock-logs-tmp-111122223333", false, false);
    c.bedrock(
        LOGGING_REDIRECTED_USW2,
        win,
        "PutModelInvocationLoggingConfiguration",
        USW2,
        cfg,
    );
    let group = format!("{} · {PROD} · {USW2}", c.arn);
    c.x.hit(
        "invocation-logging-changed",
        "",
        STORY,
        group,
        LOGGING_REDIRECTED_USW2,
    );

    // Harvesting while nothing is logged: CloudTrail is the only witness.
    for k in 0..HARVEST_STREAMS {
        let t = at(12, 3, 10, 0) + 180 * k + c.sink.rng.range(0, 90);
        let mut call = stream(t, SONNET3, rp_prompt(k as usize, 2, false));
        if k % 3 == 2 {
            call.region = USW2.to_string();
        }
        call.outcome = Outcome::Answer(atk::rp_reply(k as usize, 5));
        let r = c.sink.call(harvester, &call);
        debug_assert!(r.logged.is_none());
        c.first_seen("InvokeModelWithResponseStream", t);
    }

    // Response: logging restored, the key quarantined, then deactivated.
    admin_put_logging(c.sink, c.x, admin, LOGGING_RESTORED_USE1, USE1, "response");
    admin_put_logging(c.sink, c.x, admin, LOGGING_RESTORED_USW2, USW2, "response");
    let user = "svc-analytics-export";
    let api = Api::other(
        "iam.amazonaws.com",
        "AttachUserPolicy",
        USE1,
        obj! { "userName" => user, "policyArn" => "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3" },
        &mut c.sink.rng,
    );
    c.sink.api(at(12, 9, 40, 12), admin, api);
    for (k, t) in [at(12, 9, 44, 10), at(12, 9, 45, 2), at(12, 9, 45, 51)]
        .into_iter()
        .enumerate()
    {
        let mut call = stream(t, SONNET3, rp_prompt(k, 1, false));
        call.outcome = Outcome::Error(
            "AccessDenied",
            "AccessDeniedException",
            format!("User: {} is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1::foundation-model/{SONNET3} with an explicit deny in an identity-based policy", c.arn),
        );
        c.sink.call_denied_by_iam(harvester, &call);
        c.first_seen("InvokeModelWithResponseStream", t);
        c.denied(t, harvester, USE1);
    }
    let key = harvester.p.access_key(at(12, 9, 48, 30));
    let api = Api::other(
        "iam.amazonaws.com",
        "UpdateAccessKey",
        USE1,
        obj! { "userName" => user, "accessKeyId" => key, "status" => "Inactive" },
        &mut c.sink.rng,
    );
    c.sink.api(at(12, 9, 48, 30), admin, api);
}

pub fn generate(sink: &mut Sink, x: &mut Expectations, cast: &Cast) {
    let win = cast.analytics.elsewhere(&[IP_CHECKER], ua::BOTO3_WINDOWS);
    let aio = cast.analytics.elsewhere(&[IP_PROXY], ua::AIOHTTP);
    let axios = cast.analytics.elsewhere(&[IP_HARVEST], ua::AXIOS);
    let mut c = Ctx {
        sink,
        x,
        arn: cast.analytics.arn().to_string(),
    };
    key_checker(&mut c, &win);
    proxy(&mut c, &aio, &win);
    blinding_and_harvest(&mut c, &win, &axios, &cast.admin);
}
