//! The population behind the bulk set: many accounts, regions, applications, people
//! and hosts, all derived from one seed so every worker thread sees the same world.

use crate::endpoint::{LinuxHost, MacHost, WindowsHost};
use crate::identity::{ua, Actor, Principal, Session};
use crate::rng::Rng;

pub const REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-northeast-1",
    "ap-southeast-2",
];

const APPS: &[&str] = &[
    "chat-assistant",
    "doc-summarizer",
    "search-indexer",
    "ticket-triage",
    "code-review-bot",
    "translation-svc",
    "fraud-notes",
    "catalog-enricher",
    "email-drafts",
    "kb-answers",
    "meeting-notes",
    "sales-coach",
];

const FIRST: &[&str] = &[
    "alex", "sam", "jordan", "priya", "wei", "fatima", "lucas", "emma", "noah", "olivia", "mateo",
    "aisha", "kenji", "sofia", "liam", "chloe", "ravi", "nina", "omar", "hana",
];
const LAST: &[&str] = &[
    "smith", "garcia", "chen", "patel", "kim", "nguyen", "rossi", "muller", "silva", "khan", "ito",
    "jones", "novak", "haddad", "berg",
];

/// What an application sends to Bedrock.
#[derive(Clone, Copy, Debug)]
pub enum Profile {
    ChatConverse,
    ChatStream,
    Summarize,
    StreamWriter,
    LegacyFaq,
    Titan,
    DevConverse,
}

pub struct App {
    pub actor: Actor,
    pub profile: Profile,
    pub guardrail: Option<String>,
    pub models: &'static [&'static str],
}

pub struct Account {
    pub id: String,
    pub apps: Vec<App>,
    pub people: Vec<Actor>,
    pub services: Vec<Actor>,
}

pub struct World {
    pub accounts: Vec<Account>,
    /// `(account index, region)` pairs with traffic.
    pub streams: Vec<(usize, &'static str)>,
    pub macs: Vec<MacHost>,
    pub linux: Vec<LinuxHost>,
    pub windows: Vec<WindowsHost>,
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn public_ip(rng: &mut Rng) -> String {
    let first = *rng.pick(&[3u8, 18, 34, 35, 44, 52, 54, 13, 15, 63]);
    format!(
        "{first}.{}.{}.{}",
        rng.range(0, 255),
        rng.range(0, 255),
        rng.range(1, 254)
    )
}

const CLAUDE: &[&str] = &[
    "anthropic.claude-3-haiku-20240307-v1:0",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
    "anthropic.claude-3-sonnet-20240229-v1:0",
];
const DEV_MODELS: &[&str] = &[
    "anthropic.claude-3-haiku-20240307-v1:0",
    "meta.llama3-1-70b-instruct-v1:0",
    "mistral.mistral-large-2407-v1:0",
    "amazon.nova-lite-v1:0",
];
const LEGACY: &[&str] = &["anthropic.claude-v2:1", "anthropic.claude-instant-v1"];
const TITAN: &[&str] = &[
    "amazon.titan-text-express-v1",
    "amazon.titan-text-premier-v1:0",
];

impl World {
    pub fn new(seed: u64) -> World {
        let mut rng = Rng::derive(seed, "world");
        let mut accounts = Vec::new();
        let mut streams = Vec::new();
        for a in 0..8 {
            let id = format!("{}{}", rng.range(1, 9), rng.digits(11));
            let mut regions: Vec<&'static str> = REGIONS.to_vec();
            rng.shuffle(&mut regions);
            regions.truncate(if a < 2 { 3 } else { 2 });
            let mut apps = Vec::new();
            for (j, name) in APPS.iter().enumerate() {
                let env = *rng.pick(&["prod", "staging", "dev"]);
                let role = format!("{name}-{env}");
                let (p, agent) = if j % 3 == 0 {
                    let instance = format!("i-0{}", rng.hex(16));
                    (
                        Principal::role(&id, "", &role, &instance, Session::Ec2),
                        ua::JAVA_SDK,
                    )
                } else {
                    let ua = if j % 3 == 1 {
                        ua::BOTO3_LAMBDA
                    } else {
                        ua::NODE_SDK
                    };
                    (
                        Principal::role(
                            &id,
                            "service-role/",
                            &format!("{role}-role"),
                            &role,
                            Session::Service,
                        ),
                        ua,
                    )
                };
                let ips = [
                    public_ip(&mut rng),
                    public_ip(&mut rng),
                    public_ip(&mut rng),
                ];
                let ip_refs: Vec<&str> = ips.iter().map(|s| s.as_str()).collect();
                let profile = [
                    Profile::ChatConverse,
                    Profile::ChatStream,
                    Profile::Summarize,
                    Profile::StreamWriter,
                    Profile::LegacyFaq,
                    Profile::Titan,
                    Profile::DevConverse,
                ][j % 7];
                let models = match profile {
                    Profile::LegacyFaq => LEGACY,
                    Profile::Titan => TITAN,
                    Profile::DevConverse => DEV_MODELS,
                    _ => CLAUDE,
                };
                let guardrail = if rng.chance(0.85) {
                    Some(rng.lower_alnum(12))
                } else {
                    None
                };
                apps.push(App {
                    actor: Actor::new(p, &ip_refs, agent),
                    profile,
                    guardrail,
                    models,
                });
            }
            let mut people = Vec::new();
            for k in 0..14 {
                let user = format!("{}.{}", rng.pick(FIRST), rng.pick(LAST));
                let ip = public_ip(&mut rng);
                let actor = if k < 12 {
                    let set = *rng.pick(&[
                        "Developer",
                        "DataScientist",
                        "PlatformAdmin",
                        "BedrockReadOnly",
                    ]);
                    let p = Principal::sso(&id, set, &rng.hex(16), &format!("{user}@example.com"));
                    let agent = *rng.pick(&[
                        ua::CLI_MAC,
                        ua::CLI_WINDOWS,
                        ua::CONSOLE_CHROME,
                        ua::CONSOLE_FIREFOX,
                    ]);
                    let a = Actor::new(p, &[ip.as_str()], agent);
                    if agent.starts_with("Mozilla") {
                        a.console()
                    } else {
                        a
                    }
                } else {
                    let p = Principal::iam_user(&id, &format!("svc-{}", rng.pick(APPS)));
                    Actor::new(p, &[ip.as_str()], ua::BOTO3_RHEL)
                };
                people.push(actor);
            }
            let services = (0..3)
                .map(|k| {
                    let name = ["training-data-etl", "agent-gateway", "report-export"][k];
                    let p = Principal::role(
                        &id,
                        "service-role/",
                        &format!("{name}-role"),
                        name,
                        Session::Service,
                    );
                    let ip = public_ip(&mut rng);
                    Actor::new(p, &[ip.as_str()], ua::BOTO3_LAMBDA)
                })
                .collect();
            for r in &regions {
                streams.push((a, *r));
            }
            accounts.push(Account {
                id,
                apps,
                people,
                services,
            });
        }
        let macs = (0..40)
            .map(|k| {
                let user = leak(format!(
                    "{}{}",
                    &FIRST[k % FIRST.len()][..1],
                    LAST[k % LAST.len()]
                ));
                MacHost {
                    hostname: leak(format!("{user}-mbp")),
                    serial: leak(rng.upper_alnum(12)),
                    ips: Box::leak(
                        vec![leak(format!(
                            "192.168.{}.{}",
                            rng.range(0, 9),
                            rng.range(2, 250)
                        ))]
                        .into_boxed_slice(),
                    ),
                    os: "Version 14.6.1 (Build 23G93)",
                    user,
                    uid: 501,
                }
            })
            .collect();
        let linux = (0..20)
            .map(|k| LinuxHost {
                hostname: leak(format!("build-runner-{k:02}")),
                ip: leak(format!("10.20.{}.{}", rng.range(0, 60), rng.range(2, 250))),
                user: if k % 2 == 0 { "runner" } else { "ec2-user" },
                uid: 1001,
            })
            .collect();
        let windows = (0..30)
            .map(|k| WindowsHost {
                computer: leak(format!("WS-{k:04}.corp.example.com")),
                user: leak(format!(
                    "ACME\\{}{}",
                    &FIRST[(k + 3) % FIRST.len()][..1],
                    LAST[(k + 5) % LAST.len()]
                )),
            })
            .collect();
        World {
            accounts,
            streams,
            macs,
            linux,
            windows,
        }
    }
}
