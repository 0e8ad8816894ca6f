//! Ordinary application traffic: services that invoke models every day with guardrails
//! attached. Volumes follow a steady daily rhythm so the first week is a fair baseline
//! for the rest of the period.

use super::sink::Sink;
use super::world::{
    gr, with_enforced, Cast, EUW1, HELPDESK_AGENT, HELPDESK_ALIAS, PROD, USE1, USW2,
};
use crate::clock::{at, hour_of_day, is_weekend, HOUR, MIN, SPAN_DAYS};
use crate::cloudtrail::{self, Api};
use crate::invocation::{Call, Op, Outcome, Prompt, Shape};
use crate::json::{arr, obj};
use crate::rng::Rng;
use crate::text;

/// US working hours in UTC, when the retail apps are busiest.
pub fn busy_hour(t: i64) -> bool {
    (13..=23).contains(&hour_of_day(t))
}

/// Calls in one hour: a fixed day/night rate, damped at weekends, with ±20% jitter.
pub fn hourly(rng: &mut Rng, t0: i64, day: f64, night: f64, weekend: f64) -> usize {
    let mut rate = if busy_hour(t0) { day } else { night };
    if is_weekend(t0) {
        rate *= weekend;
    }
    (rate * (0.8 + 0.4 * rng.unit())).round() as usize
}

/// Every hour of the period, in order.
fn hours() -> impl Iterator<Item = i64> {
    (0..SPAN_DAYS * 24).map(|h| at(0, 0, 0, 0) + h * HOUR)
}

const HAIKU: &str = "anthropic.claude-3-haiku-20240307-v1:0";
const SONNET_35: &str = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const SONNET_PROFILE: &str = "us.anthropic.claude-3-5-sonnet-20241022-v2:0";

/// Prod customer chat: Converse / ConverseStream through a VPC endpoint.
fn chat(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(1, "chat");
    for t0 in hours() {
        for _ in 0..hourly(&mut rng, t0, 9.0, 3.0, 0.8) {
            let t = t0 + rng.below(3600) as i64;
            let (q, a) = *rng.pick(text::CHAT);
            let mut p = Prompt::user(q).with_system(text::CHAT_SYSTEM);
            if rng.chance(0.3) {
                let (q0, a0) = *rng.pick(text::CHAT);
                p.turns.insert(0, (true, q0.to_string()));
                p.turns.insert(1, (false, a0.to_string()));
            }
            let op = if rng.chance(0.6) {
                Op::ConverseStream
            } else {
                Op::Converse
            };
            let mut c = Call::new(t, USE1, op, HAIKU, Shape::Converse, p);
            if rng.chance(0.7) {
                c.model = SONNET_PROFILE.to_string();
                if rng.chance(0.4) {
                    c.inference_region = Some(rng.pick(&["us-east-2", USW2]).to_string());
                }
            }
            c.guardrails = with_enforced(PROD, USE1, t, gr::CHAT);
            c.temperature = 0.3;
            let roll = rng.unit();
            c.outcome = if roll < 0.004 {
                Outcome::Error(
                    "ThrottlingException",
                    "ThrottlingException",
                    "Too many requests, please wait before trying again.".to_string(),
                )
            } else if roll < 0.02 {
                c.prompt.turns = vec![(
                    true,
                    "My card 4111 1111 1111 1111 exp 09/28 was charged twice, can you refund it?"
                        .to_string(),
                )];
                Outcome::Blocked(
                    gr::CHAT.to_string(),
                    obj! { "sensitiveInformationPolicy" => obj! { "piiEntities" => arr![obj! {
                        "type" => "CREDIT_DEBIT_CARD_NUMBER",
                        "match" => "4111 1111 1111 1111",
                        "action" => "BLOCKED",
                    }] } },
                    "I can't process messages that contain payment card numbers. Please remove the number and try again.".to_string(),
                )
            } else {
                Outcome::Answer(a.to_string())
            };
            sink.call(&cast.chat, &c);
        }
    }
}

/// Prod document summariser Lambda in us-west-2: InvokeModel and streaming.
fn summarizer(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(1, "summarizer");
    for t0 in hours() {
        for _ in 0..hourly(&mut rng, t0, 4.0, 1.0, 0.5) {
            let t = t0 + rng.below(3600) as i64;
            let (doc, summary) = *rng.pick(text::DOCS);
            let p = Prompt::user(format!(
                "{}\n\n<document>\n{doc}\n</document>",
                text::SUMMARY_INSTRUCTION
            ));
            let (op, model) = if rng.chance(0.65) {
                (Op::InvokeModel, HAIKU)
            } else {
                (Op::InvokeModelWithResponseStream, SONNET_35)
            };
            let mut c = Call::new(t, USW2, op, model, Shape::Messages, p);
            c.guardrails = vec![gr::SUMMARIZER.to_string()];
            c.max_tokens = 512;
            c.temperature = 0.2;
            c.outcome = if rng.chance(0.003) {
                Outcome::Error(
                    "ValidationException",
                    "ValidationException",
                    "messages.0.content.0.text: text content blocks must be non-empty".to_string(),
                )
            } else {
                Outcome::Answer(summary.to_string())
            };
            sink.call(&cast.summarizer, &c);
        }
    }
}

pub const FAQ_MODEL: &str = "anthropic.claude-v2:1";

/// Prod help-center bot: legacy Claude v2 text completions.
fn faq(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(1, "faq");
    for t0 in hours() {
        for _ in 0..hourly(&mut rng, t0, 3.0, 1.0, 0.7) {
            let t = t0 + rng.below(3600) as i64;
            let (q, a) = *rng.pick(text::FAQ);
            let mut c = Call::new(
                t,
                USE1,
                Op::InvokeModel,
                FAQ_MODEL,
                Shape::Legacy,
                Prompt::user(text::faq_prompt(q)),
            );
            c.guardrails = with_enforced(PROD, USE1, t, gr::FAQ);
            c.max_tokens = 300;
            c.temperature = 0.2;
            c.outcome = Outcome::Answer(a.to_string());
            sink.call(&cast.faq, &c);
        }
    }
}

/// Prod nightly catalog job: Titan Text rewrites product copy around 02:00 UTC.
fn catalog(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(1, "catalog");
    for day in 0..SPAN_DAYS {
        let n = rng.range(18, 24);
        for i in 0..n {
            let t = at(day, 2, 0, 5) + i * 140 + rng.range(0, 60);
            let (desc, out) = *rng.pick(text::PRODUCTS);
            let p = Prompt::user(format!(
                "{}\n\nDescription: {desc}",
                text::TITAN_INSTRUCTION
            ));
            let mut c = Call::new(
                t,
                USE1,
                Op::InvokeModel,
                "amazon.titan-text-express-v1",
                Shape::Titan,
                p,
            );
            c.guardrails = with_enforced(PROD, USE1, t, gr::CATALOG);
            c.max_tokens = 256;
            c.temperature = 0.2;
            c.outcome = Outcome::Answer(out.to_string());
            sink.call(&cast.catalog, &c);
        }
    }
}

/// Prod helpdesk agent, invoked through a Lambda (data events on the agent alias).
fn helpdesk(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(1, "helpdesk");
    for t0 in hours() {
        for _ in 0..hourly(&mut rng, t0, 3.0, 0.6, 0.6) {
            let t = t0 + rng.below(3600) as i64;
            let session = sink.rng.uuid();
            let rec = cloudtrail::invoke_agent(
                t,
                &cast.helpdesk,
                USE1,
                HELPDESK_AGENT,
                HELPDESK_ALIAS,
                &session,
                &mut sink.rng,
            );
            sink.data(t, rec);
        }
    }
}

/// Dev staging canary: one short call every 20 minutes, day and night.
fn canary(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(1, "canary");
    for slot in 0..SPAN_DAYS * 72 {
        let t = at(0, 0, 1, 0) + slot * 20 * MIN + rng.range(0, 40);
        let (q, a) = text::CANARY;
        let mut c = Call::new(
            t,
            USE1,
            Op::Converse,
            HAIKU,
            Shape::Converse,
            Prompt::user(q),
        );
        c.guardrails = vec![gr::DEV.to_string()];
        c.max_tokens = 10;
        c.temperature = 0.0;
        c.outcome = Outcome::Answer(a.to_string());
        sink.call(&cast.canary, &c);
    }
}

/// Dev sandbox instance: a notebook trying prompts during working hours.
fn sandbox(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(1, "sandbox");
    let models = [
        (HAIKU, 5),
        ("meta.llama3-1-70b-instruct-v1:0", 2),
        ("mistral.mistral-large-2407-v1:0", 1),
    ];
    for day in 0..SPAN_DAYS {
        if is_weekend(at(day, 12, 0, 0)) {
            continue;
        }
        let lists = if day == 0 { 2 } else { rng.range(1, 2) };
        for _ in 0..lists {
            let t = at(day, 14, 0, 0) + rng.below(6 * 3600) as i64;
            let api = Api::bedrock("ListFoundationModels", USE1, obj! {}, &mut sink.rng);
            sink.api(t, &cast.sandbox, api);
        }
        let t = at(day, 15, 0, 0) + rng.below(4 * 3600) as i64;
        let model = *rng.weighted(&models);
        let api = Api::bedrock(
            "GetFoundationModel",
            USE1,
            obj! { "modelIdentifier" => model },
            &mut sink.rng,
        );
        sink.api(t, &cast.sandbox, api);
        for h in 12..22 {
            for _ in 0..2 {
                let t = at(day, h, 0, 0) + rng.below(3600) as i64;
                let (q, a) = *rng.pick(text::DEV);
                let model = *rng.weighted(&models);
                let mut c = Call::new(
                    t,
                    USE1,
                    Op::Converse,
                    model,
                    Shape::Converse,
                    Prompt::user(q),
                );
                c.guardrails = vec![gr::DEV.to_string()];
                c.temperature = 0.7;
                c.outcome = Outcome::Answer(a.to_string());
                sink.call(&cast.sandbox, &c);
            }
        }
    }
}

/// Dev EU retrieval pilot in eu-west-1 (logged to CloudWatch only).
fn eu_pilot(sink: &mut Sink, cast: &Cast) {
    let mut rng = Rng::derive(1, "eu");
    for day in 0..SPAN_DAYS {
        let weekend = is_weekend(at(day, 12, 0, 0));
        for h in 7..13 {
            let chance = if weekend { 0.15 } else { 0.9 };
            if !rng.chance(chance) {
                continue;
            }
            let t = at(day, h, 0, 0) + rng.below(3600) as i64;
            let (excerpt, q, a) = *rng.pick(text::EU);
            let mut p = Prompt::user(format!("Policy excerpts:\n{excerpt}\n\nQuestion: {q}"))
                .with_system(text::EU_SYSTEM);
            p.guard_content = true;
            let mut c = Call::new(t, EUW1, Op::Converse, HAIKU, Shape::Converse, p);
            c.guardrails = vec![gr::EU.to_string()];
            c.max_tokens = 400;
            c.temperature = 0.1;
            c.outcome = Outcome::Answer(a.to_string());
            sink.call(&cast.eu_pilot, &c);
        }
    }
}

pub fn generate(sink: &mut Sink, cast: &Cast) {
    chat(sink, cast);
    summarizer(sink, cast);
    faq(sink, cast);
    catalog(sink, cast);
    helpdesk(sink, cast);
    canary(sink, cast);
    sandbox(sink, cast);
    eu_pilot(sink, cast);
}
