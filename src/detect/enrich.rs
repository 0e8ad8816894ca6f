//! Extra facts computed for particular rules. The invocation-logging diff compares each
//! `PutModelInvocationLoggingConfiguration` with the previous configuration change for the same
//! account and region in the log set, so a quiet switch-off or a moved destination is spelled out.

use super::kinds::Ctx;
use crate::model::time::format_timestamp;
use crate::model::Event;
use std::collections::BTreeMap;

const PREFIX: &str = "requestParameters.loggingConfig.";
const DELETE: &str = "DeleteModelInvocationLoggingConfiguration";

const FLAGS: [(&str, &str); 4] = [
    ("textDataDeliveryEnabled", "text"),
    ("imageDataDeliveryEnabled", "image"),
    ("embeddingDataDeliveryEnabled", "embedding"),
    ("videoDataDeliveryEnabled", "video"),
];

const DESTINATIONS: [(&str, &str); 5] = [
    ("s3Config.bucketName", "S3 bucket"),
    ("s3Config.keyPrefix", "S3 key prefix"),
    ("cloudWatchConfig.logGroupName", "CloudWatch log group"),
    ("cloudWatchConfig.roleArn", "CloudWatch delivery role"),
    (
        "cloudWatchConfig.largeDataDeliveryS3Config.bucketName",
        "large-data S3 bucket",
    ),
];

fn config(ctx: &Ctx, e: &Event) -> BTreeMap<String, String> {
    ctx.store
        .attrs(e)
        .iter()
        .filter_map(|&(k, v)| {
            let key = ctx.store.str(k).strip_prefix(PREFIX)?;
            Some((key.to_string(), ctx.store.str(v).to_string()))
        })
        .collect()
}

fn is_delete(ctx: &Ctx, e: &Event) -> bool {
    ctx.store.str(e.action) == DELETE
}

/// Details for the configuration changes among `events`.
pub fn logging_config_diff(ctx: &Ctx, events: &[u32]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for &i in events {
        let e = ctx.event(i);
        let label = |s: &str| {
            if events.len() > 1 {
                format!("{s} ({})", format_timestamp(e.ts))
            } else {
                s.to_string()
            }
        };
        if is_delete(ctx, e) {
            out.push((
                label("change"),
                "invocation logging deleted: no prompts or completions are recorded from here on"
                    .into(),
            ));
            continue;
        }
        let new = config(ctx, e);
        let shown: Vec<String> = new.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push((
            label("new config"),
            if shown.is_empty() {
                "(empty)".into()
            } else {
                shown.join("; ")
            },
        ));
        let pos = ctx.events.partition_point(|&j| j < i);
        let prev = ctx.events[..pos]
            .iter()
            .rev()
            .map(|&j| ctx.event(j))
            .find(|p| p.account == e.account && p.region == e.region);
        let mut findings = Vec::new();
        match prev {
            None => {
                out.push((label("previous config"), "not in the log set".into()));
                // Without a previous configuration only text matters: image, embedding and video
                // delivery are commonly off and say nothing about prompts being hidden.
                if new.get(FLAGS[0].0).map(String::as_str) != Some("true") {
                    findings.push("text data delivery is off".to_string());
                }
            }
            Some(p) if is_delete(ctx, p) => {
                out.push((
                    label("previous config"),
                    format!("deleted at {}; logging re-enabled", format_timestamp(p.ts)),
                ));
            }
            Some(p) => {
                let old = config(ctx, p);
                out.push((
                    label("previous config"),
                    format!("set at {}", format_timestamp(p.ts)),
                ));
                let mut changes = Vec::new();
                let keys: std::collections::BTreeSet<&String> =
                    old.keys().chain(new.keys()).collect();
                for k in keys {
                    let (a, b) = (old.get(k), new.get(k));
                    if a != b {
                        let show =
                            |v: Option<&String>| v.map_or("(unset)".to_string(), |s| s.clone());
                        changes.push(format!("{k}: {} → {}", show(a), show(b)));
                    }
                }
                out.push((
                    label("changed"),
                    if changes.is_empty() {
                        "nothing (the same configuration was written again)".into()
                    } else {
                        changes.join("; ")
                    },
                ));
                for (flag, what) in FLAGS {
                    let was_on = old.get(flag).map(String::as_str) == Some("true");
                    let now_on = new.get(flag).map(String::as_str) == Some("true");
                    if was_on && !now_on {
                        findings.push(format!("{what} data delivery switched off"));
                    }
                }
                for (dest, what) in DESTINATIONS {
                    if let (Some(a), b) = (old.get(dest), new.get(dest)) {
                        if Some(a) != b {
                            let to = b.map_or("(removed)".to_string(), |s| s.clone());
                            findings.push(format!("destination moved: {what} {a} → {to}"));
                        }
                    }
                }
            }
        }
        if !findings.is_empty() {
            out.push((label("assessment"), findings.join("; ")));
        }
    }
    out
}

/// The keyword groups the prompts of `events` matched (from their ingest-time probe bits).
pub fn keyword_groups(ctx: &Ctx, events: &[u32]) -> Vec<(String, String)> {
    let hits = events
        .iter()
        .fold(0u64, |acc, &i| acc | ctx.event(i).probe_hits);
    let names: Vec<&str> = ctx
        .env
        .probe_labels
        .iter()
        .filter(|(bit, _)| hits & (1u64 << bit) != 0)
        .map(|(_, label)| label.as_str())
        .collect();
    if names.is_empty() {
        Vec::new()
    } else {
        vec![("keyword groups".into(), names.join(", "))]
    }
}
