//! The fictional company behind the sample set: two accounts, their principals,
//! guardrails, hosts, and where each account's logs are collected.

use crate::clock::at;
use crate::endpoint::{LinuxHost, MacHost, WindowsHost};
use crate::identity::{ua, Actor, Principal, Session};

pub const PROD: &str = "111122223333";
pub const DEV: &str = "444455556666";
pub const USE1: &str = "us-east-1";
pub const USW2: &str = "us-west-2";
pub const EUW1: &str = "eu-west-1";

/// Guardrail ids (the keys that appear in invocation-log traces).
pub mod gr {
    /// Account-level enforced guardrail of prod us-east-1 (deleted by the intruder).
    pub const ENFORCED: &str = "e4nq7w2kz9rt";
    pub const ENFORCED_CONFIG_ID: &str = "k3v9c2m7x1";
    pub const CHAT: &str = "k2m9x4q1zt7a";
    pub const SUMMARIZER: &str = "p8d3v6n0w2rc";
    pub const FAQ: &str = "h6j1s8f4c9ue";
    pub const CATALOG: &str = "b3y7r5t2q8lo";
    pub const DEV: &str = "d9w4c7x2e5nm";
    pub const EU: &str = "f1a6z3k8v4ps";
    /// A dev test guardrail deleted from a laptop.
    pub const DEV_TEST: &str = "t0q5l2r9m3yb";
}

pub const HELPDESK_AGENT: &str = "HDSK7Q2M4X";
pub const HELPDESK_ALIAS: &str = "PRD4L1A5X2";
pub const DEV_FAQ_AGENT: &str = "K7QW2ZP4XD";
pub const TRAINING_BUCKET: &str = "acme-ml-training-444455556666";
pub const LOG_BUCKET_PROD: &str = "acme-bedrock-invocation-logs-111122223333";
pub const LOG_BUCKET_PROD_WEST: &str = "acme-bedrock-invocation-logs-111122223333-usw2";
pub const LOG_GROUP: &str = "/aws/bedrock/modelinvocations";

/// Timeline anchors that change what gets logged (day 11 = 2026-10-12).
pub const ENFORCED_REMOVED: i64 = at(11, 14, 12, 31);
pub const LOGGING_DELETED_USE1: i64 = at(12, 3, 5, 12);
pub const LOGGING_REDIRECTED_USW2: i64 = at(12, 3, 6, 40);
pub const LOGGING_RESTORED_USE1: i64 = at(12, 9, 25, 40);
pub const LOGGING_RESTORED_USW2: i64 = at(12, 9, 27, 5);

/// Where an invocation record ends up, if anywhere in this set.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InvocationDest {
    /// The S3 log bucket copied into `bedrock-invocation-logs/`.
    S3,
    /// CloudWatch Logs only, exported with `filter-log-events`.
    CloudWatch,
}

/// Invocation logging per account and region, including the blinding window.
pub fn invocation_dest(account: &str, region: &str, t: i64) -> Option<InvocationDest> {
    match (account, region) {
        (PROD, USE1) if (LOGGING_DELETED_USE1..LOGGING_RESTORED_USE1).contains(&t) => None,
        (PROD, USW2) if (LOGGING_REDIRECTED_USW2..LOGGING_RESTORED_USW2).contains(&t) => None,
        (PROD, USE1) | (PROD, USW2) | (DEV, USE1) => Some(InvocationDest::S3),
        (DEV, EUW1) => Some(InvocationDest::CloudWatch),
        _ => None,
    }
}

/// Where a management event ends up: prod has a multi-region trail, dev a
/// single-region trail in us-east-1, and dev eu-west-1 survives only in Event History.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TrailDest {
    Trail,
    LookupEvents,
}

pub fn trail_dest(account: &str, region: &str) -> Option<TrailDest> {
    match (account, region) {
        (PROD, _) | (DEV, USE1) => Some(TrailDest::Trail),
        (DEV, EUW1) => Some(TrailDest::LookupEvents),
        _ => None,
    }
}

/// Guardrails applied to a prod us-east-1 call: the app's own plus the enforced one
/// while it exists.
pub fn with_enforced(account: &str, region: &str, t: i64, own: &str) -> Vec<String> {
    let mut ids = vec![own.to_string()];
    if account == PROD && region == USE1 && t < ENFORCED_REMOVED {
        ids.push(gr::ENFORCED.to_string());
    }
    ids
}

pub struct Cast {
    pub chat: Actor,
    pub summarizer: Actor,
    pub faq: Actor,
    pub catalog: Actor,
    pub helpdesk: Actor,
    pub analytics: Actor,
    pub admin: Actor,
    pub ci: Actor,
    pub tnguyen: Actor,
    pub sandbox: Actor,
    pub canary: Actor,
    pub mgarcia: Actor,
    pub jlee: Actor,
    pub priya: Actor,
    pub etl: Actor,
    pub eu_pilot: Actor,
}

impl Cast {
    pub fn new() -> Cast {
        let svc = |acct: &str, role: &str, session: &str| {
            Principal::role(acct, "service-role/", role, session, Session::Service)
        };
        Cast {
            chat: Actor::new(
                Principal::role(
                    PROD,
                    "",
                    "chat-assistant-prod",
                    "i-0f3c2a9b7d1e45a6c",
                    Session::Ec2,
                ),
                &["10.20.14.87"],
                ua::JAVA_SDK,
            )
            .via_vpce("vpce-0a7c3e9d1b2f48a61"),
            summarizer: Actor::new(
                svc(PROD, "doc-summarizer-role", "doc-summarizer"),
                &["35.162.91.204", "44.231.18.77", "52.39.140.6"],
                ua::BOTO3_LAMBDA,
            ),
            faq: Actor::new(
                svc(PROD, "support-faq-bot-role", "support-faq-bot"),
                &["3.91.172.40", "54.164.9.211", "44.202.76.15"],
                ua::BOTO3_LAMBDA,
            ),
            catalog: Actor::new(
                svc(PROD, "catalog-enricher-role", "catalog-enricher"),
                &["3.235.118.62", "18.207.44.9"],
                ua::NODE_SDK,
            ),
            helpdesk: Actor::new(
                svc(PROD, "helpdesk-agent-proxy-role", "helpdesk-agent-proxy"),
                &["3.91.172.40", "54.164.9.211"],
                ua::BOTO3_LAMBDA,
            ),
            analytics: Actor::new(
                Principal::iam_user(PROD, "svc-analytics-export"),
                &["204.14.36.40"],
                ua::BOTO3_RHEL,
            ),
            admin: Actor::new(
                Principal::sso(
                    PROD,
                    "PlatformAdmin",
                    "5b1c9e7d2a4f8e30",
                    "dana.kim@example.com",
                ),
                &["204.14.36.17"],
                ua::CONSOLE_CHROME,
            )
            .console(),
            ci: Actor::new(
                Principal::role(
                    PROD,
                    "",
                    "github-actions-bedrock-deploy",
                    "GitHubActions",
                    Session::WebIdentity,
                ),
                &["204.14.36.52"],
                ua::CLI_RUNNER,
            ),
            tnguyen: Actor::new(
                Principal::sso(
                    PROD,
                    "BedrockReadOnly",
                    "0c6e2f8a1d3b5947",
                    "thu.nguyen@example.com",
                ),
                &["204.14.36.23"],
                ua::CLI_WINDOWS,
            ),
            sandbox: Actor::new(
                Principal::role(
                    DEV,
                    "",
                    "DevSandboxRole",
                    "i-0a1b2c3d4e5f67890",
                    Session::Ec2,
                ),
                &["3.85.201.17"],
                ua::BOTO3_NOTEBOOK,
            ),
            canary: Actor::new(
                Principal::role(
                    DEV,
                    "",
                    "chat-assistant-staging",
                    "i-07d2e4f6a8c0b1359",
                    Session::Ec2,
                ),
                &["52.207.44.130"],
                ua::JAVA_SDK,
            ),
            mgarcia: Actor::new(
                Principal::sso(
                    DEV,
                    "DataScientist",
                    "0a1b2c3d4e5f6789",
                    "maria.garcia@example.com",
                ),
                &["73.162.41.208", "204.14.36.29"],
                ua::CONSOLE_CHROME,
            )
            .console(),
            jlee: Actor::new(
                Principal::sso(
                    DEV,
                    "Developer",
                    "7d4a1c9e3b2f6058",
                    "jordan.lee@example.com",
                ),
                &["204.14.36.31"],
                ua::CLI_MAC,
            ),
            priya: Actor::new(
                Principal::sso(
                    DEV,
                    "MLEngineer",
                    "9e8f7a6b5c4d3e21",
                    "priya.shah@example.com",
                ),
                &["204.14.36.29"],
                ua::CLI_MAC_INTEL,
            ),
            etl: Actor::new(
                svc(DEV, "training-data-etl-role", "training-data-etl"),
                &["34.204.17.88"],
                ua::BOTO3_LAMBDA,
            ),
            eu_pilot: Actor::new(
                svc(DEV, "eu-rag-pilot-role", "eu-rag-pilot"),
                &["52.49.201.33", "34.251.77.140"],
                ua::BOTO3_LAMBDA,
            ),
        }
    }
}

pub const JLEE_MBP: MacHost = MacHost {
    hostname: "jlee-mbp",
    serial: "C02FJ3LEMD6T",
    ips: &["192.168.1.23", "10.8.0.14"],
    os: "Version 14.6.1 (Build 23G93)",
    user: "jlee",
    uid: 501,
};

pub const PRIYA_MBP: MacHost = MacHost {
    hostname: "priya-mbp",
    serial: "FVFH41QKQ05P",
    ips: &["192.168.1.41", "10.8.0.22"],
    os: "Version 15.0.1 (Build 24A348)",
    user: "priya",
    uid: 502,
};

pub const MGARCIA_MBP: MacHost = MacHost {
    hostname: "mgarcia-mbp",
    serial: "C02GT8ZXQ6LR",
    ips: &["192.168.0.12"],
    os: "Version 14.7 (Build 23H124)",
    user: "mgarcia",
    uid: 501,
};

pub const RUNNER: LinuxHost = LinuxHost {
    hostname: "gha-runner-02",
    ip: "10.20.31.12",
    user: "runner",
    uid: 1001,
};

pub const FIN_WS: WindowsHost = WindowsHost {
    computer: "WS-FIN-0231.corp.example.com",
    user: "ACME\\tnguyen",
};
