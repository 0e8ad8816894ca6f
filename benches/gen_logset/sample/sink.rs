//! Collects every generated record and decides, from the account's collection setup,
//! which file family it lands in (trail, data trail, invocation bucket, exports).
//! Generators describe what happened; the sink decides what a responder would have.

use super::world::{invocation_dest, trail_dest, InvocationDest, TrailDest};
use crate::clock::iso_offset;
use crate::cloudtrail::{self, Api};
use crate::identity::Actor;
use crate::invocation::{self, Call};
use crate::json::{obj, V};
use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Dest {
    Trail,
    DataTrail,
    Invocation,
    LookupEvents,
    CloudWatch,
    Jamf,
    Ecs,
    Sysmon,
}

pub struct Item {
    pub ms: i64,
    pub seq: u32,
    pub dest: Dest,
    pub account: String,
    pub region: String,
    pub v: V,
    /// `input.inputTokenCount` of invocation records.
    pub tokens: u32,
}

pub struct CallResult {
    pub logged: Option<InvocationDest>,
}

pub struct Sink {
    pub items: Vec<Item>,
    pub rng: Rng,
    seq: u32,
}

fn str_field(v: &V, k: &str) -> String {
    v.get(k).and_then(V::as_str).unwrap_or_default().to_string()
}

impl Sink {
    pub fn new(seed: u64) -> Sink {
        Sink {
            items: Vec::new(),
            rng: Rng::derive(seed, "sample"),
            seq: 0,
        }
    }

    fn push(&mut self, ms: i64, dest: Dest, account: &str, region: &str, v: V, tokens: u32) {
        self.seq += 1;
        self.items.push(Item {
            ms,
            seq: self.seq,
            dest,
            account: account.to_string(),
            region: region.to_string(),
            v,
            tokens,
        });
    }

    /// Routes a finished CloudTrail management record.
    pub fn management(&mut self, t: i64, rec: V) {
        let account = str_field(&rec, "recipientAccountId");
        let region = str_field(&rec, "awsRegion");
        match trail_dest(&account, &region) {
            Some(TrailDest::Trail) => self.push(t * 1000, Dest::Trail, &account, &region, rec, 0),
            Some(TrailDest::LookupEvents) => {
                let entry = lookup_entry(&rec);
                self.push(t * 1000, Dest::LookupEvents, &account, &region, entry, 0)
            }
            None => {}
        }
    }

    /// Records an API call by `actor`.
    pub fn api(&mut self, t: i64, actor: &Actor, api: Api) {
        let rec = cloudtrail::record(t, actor, api, &mut self.rng);
        self.management(t, rec);
    }

    /// Records a data event (S3 object-level, agent invocations).
    pub fn data(&mut self, t: i64, rec: V) {
        let account = str_field(&rec, "recipientAccountId");
        let region = str_field(&rec, "awsRegion");
        self.push(t * 1000, Dest::DataTrail, &account, &region, rec, 0);
    }

    /// Records a model call in CloudTrail and, where logging is on, the invocation log.
    pub fn call(&mut self, actor: &Actor, call: &Call) -> CallResult {
        let built = invocation::build(actor, call, &mut self.rng);
        self.management(call.t, built.cloudtrail);
        let account = actor.p.account.clone();
        let logged = invocation_dest(&account, &call.region, call.t);
        match logged {
            Some(InvocationDest::S3) => self.push(
                call.t * 1000,
                Dest::Invocation,
                &account,
                &call.region,
                built.log,
                built.input_tokens,
            ),
            Some(InvocationDest::CloudWatch) => {
                let ms = call.t * 1000 + self.rng.range(0, 999);
                let entry = obj! {
                    "logStreamName" => "aws/bedrock/modelinvocations",
                    "timestamp" => ms,
                    "message" => built.log.to_json(),
                    "ingestionTime" => ms + self.rng.range(600, 2500),
                    "eventId" => format!("{}{}", 3 + self.rng.below(6), self.rng.digits(55)),
                };
                self.push(
                    ms,
                    Dest::CloudWatch,
                    &account,
                    &call.region,
                    entry,
                    built.input_tokens,
                )
            }
            None => {}
        }
        CallResult { logged }
    }

    /// A model call that never reaches the model (an IAM deny): CloudTrail only.
    pub fn call_denied_by_iam(&mut self, actor: &Actor, call: &Call) -> String {
        let built = invocation::build(actor, call, &mut self.rng);
        self.management(call.t, built.cloudtrail);
        built.request_id
    }

    pub fn endpoint(&mut self, dest: Dest, ms: i64, v: V) {
        self.push(ms, dest, "", "", v, 0);
    }
}

/// One `aws cloudtrail lookup-events` result entry for a record.
fn lookup_entry(rec: &V) -> V {
    let ident = rec.get("userIdentity");
    let field = |k: &str| ident.map(|i| str_field(i, k)).unwrap_or_default();
    let username = match ident.and_then(|i| i.get("type")).and_then(V::as_str) {
        Some("IAMUser") => field("userName"),
        _ => field("arn")
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string(),
    };
    let read_only = matches!(rec.get("readOnly"), Some(V::Bool(true)));
    let t = chrono::DateTime::parse_from_rfc3339(&str_field(rec, "eventTime"))
        .map(|d| d.timestamp())
        .unwrap_or_default();
    obj! {
        "EventId" => str_field(rec, "eventID"),
        "EventName" => str_field(rec, "eventName"),
        "ReadOnly" => if read_only { "true" } else { "false" },
        "AccessKeyId" => field("accessKeyId"),
        "EventTime" => iso_offset(t),
        "EventSource" => str_field(rec, "eventSource"),
        "Username" => username,
        "Resources" => V::Arr(vec![]),
        "CloudTrailEvent" => rec.to_json(),
    }
}
