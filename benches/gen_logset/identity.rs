//! Principals (who calls AWS) and actors (a principal plus where it calls from).
//!
//! CloudTrail identifies callers by `userIdentity`; invocation logs only keep
//! `identity.arn`. Both are built here from one definition so the two strands always
//! agree on the ARN. Assumed-role session names are kept stable for a principal's whole
//! life (instance id, Lambda function name, SSO user, `GitHubActions`), exactly as AWS
//! names those sessions, so per-principal baselines stay meaningful.

use crate::clock::{iso, HOUR};
use crate::json::{obj, V};
use crate::rng::{hash_str, Rng};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Session {
    /// EC2 instance profile (`ec2RoleDelivery`, session = instance id).
    Ec2,
    /// Lambda, ECS, Glue or any SDK `AssumeRole` with a fixed session name.
    Service,
    /// IAM Identity Center permission set (session = user e-mail).
    Sso,
    /// `AssumeRoleWithWebIdentity` from GitHub Actions OIDC.
    WebIdentity,
}

#[derive(Clone, Debug)]
pub enum Kind {
    IamUser {
        name: String,
    },
    Role {
        role: String,
        path: String,
        session: String,
        style: Session,
    },
}

#[derive(Clone, Debug)]
pub struct Principal {
    pub account: String,
    pub kind: Kind,
    pub arn: String,
    /// `AIDA…` for users, `AROA…` for roles.
    pub unique_id: String,
}

fn id_chars(seed: &str, n: usize) -> String {
    Rng::derive(0x5eed, seed).upper_alnum(n)
}

impl Principal {
    pub fn iam_user(account: &str, name: &str) -> Principal {
        let arn = format!("arn:aws:iam::{account}:user/{name}");
        Principal {
            account: account.to_string(),
            unique_id: format!("AIDA{}", id_chars(&arn, 17)),
            kind: Kind::IamUser {
                name: name.to_string(),
            },
            arn,
        }
    }

    pub fn role(account: &str, path: &str, role: &str, session: &str, style: Session) -> Principal {
        let role_arn = format!("arn:aws:iam::{account}:role/{path}{role}");
        Principal {
            account: account.to_string(),
            unique_id: format!("AROA{}", id_chars(&role_arn, 17)),
            arn: format!("arn:aws:sts::{account}:assumed-role/{role}/{session}"),
            kind: Kind::Role {
                role: role.to_string(),
                path: path.to_string(),
                session: session.to_string(),
                style,
            },
        }
    }

    /// IAM Identity Center permission-set role for a user.
    pub fn sso(account: &str, permission_set: &str, suffix: &str, email: &str) -> Principal {
        Principal::role(
            account,
            "aws-reserved/sso.amazonaws.com/",
            &format!("AWSReservedSSO_{permission_set}_{suffix}"),
            email,
            Session::Sso,
        )
    }

    pub fn role_arn(&self) -> Option<String> {
        match &self.kind {
            Kind::Role { role, path, .. } => {
                Some(format!("arn:aws:iam::{}:role/{path}{role}", self.account))
            }
            Kind::IamUser { .. } => None,
        }
    }

    /// The `Username` column of `lookup-events` (user name or session name).
    pub fn username(&self) -> &str {
        match &self.kind {
            Kind::IamUser { name } => name,
            Kind::Role { session, .. } => session,
        }
    }

    /// Temporary credentials rotate; a session starts on a fixed grid per style.
    fn session_start(&self, t: i64) -> i64 {
        match &self.kind {
            Kind::IamUser { .. } => 0,
            Kind::Role { style, .. } => {
                let len = match style {
                    Session::Ec2 => 6 * HOUR,
                    Session::Service => 4 * HOUR,
                    Session::Sso => 8 * HOUR,
                    Session::WebIdentity => HOUR,
                };
                let offset = (hash_str(&self.arn) % 1200) as i64;
                (t - offset).div_euclid(len) * len + offset
            }
        }
    }

    /// The access key id in effect at `t`: one `AKIA…` for a user, a fresh `ASIA…`
    /// per role session (so a stolen session key matches the victim's exactly).
    pub fn access_key(&self, t: i64) -> String {
        match &self.kind {
            Kind::IamUser { .. } => format!("AKIA{}", id_chars(&format!("key{}", self.arn), 16)),
            Kind::Role { .. } => {
                let start = self.session_start(t);
                format!("ASIA{}", id_chars(&format!("{}{start}", self.arn), 16))
            }
        }
    }

    /// CloudTrail `userIdentity` at time `t`.
    pub fn user_identity(&self, t: i64) -> V {
        match &self.kind {
            Kind::IamUser { name } => obj! {
                "type" => "IAMUser",
                "principalId" => self.unique_id.clone(),
                "arn" => self.arn.clone(),
                "accountId" => self.account.clone(),
                "accessKeyId" => self.access_key(t),
                "userName" => name.clone(),
            },
            Kind::Role {
                role,
                session,
                style,
                ..
            } => {
                let mut ctx = obj! {};
                if *style == Session::WebIdentity {
                    ctx.push(
                        "webIdFederationData",
                        obj! {
                            "federatedProvider" => format!(
                                "arn:aws:iam::{}:oidc-provider/token.actions.githubusercontent.com",
                                self.account
                            ),
                            "attributes" => obj! {},
                        },
                    );
                }
                ctx.push(
                    "sessionIssuer",
                    obj! {
                        "type" => "Role",
                        "principalId" => self.unique_id.clone(),
                        "arn" => self.role_arn(),
                        "accountId" => self.account.clone(),
                        "userName" => role.clone(),
                    },
                );
                ctx.push(
                    "attributes",
                    obj! {
                        "creationDate" => iso(self.session_start(t)),
                        "mfaAuthenticated" => "false",
                    },
                );
                if *style == Session::Ec2 {
                    ctx.push("ec2RoleDelivery", "2.0");
                }
                obj! {
                    "type" => "AssumedRole",
                    "principalId" => format!("{}:{session}", self.unique_id),
                    "arn" => self.arn.clone(),
                    "accountId" => self.account.clone(),
                    "accessKeyId" => self.access_key(t),
                    "sessionContext" => ctx,
                }
            }
        }
    }
}

/// A principal as seen from one place: source IPs, user agent, console or not.
#[derive(Clone, Debug)]
pub struct Actor {
    pub p: Principal,
    /// One is picked per call (Lambda and NAT egress addresses vary).
    pub ips: Vec<String>,
    /// May contain `{cmd}`, replaced by the aws-cli `service.operation` token.
    pub ua: String,
    pub console: bool,
    /// Calls through an interface VPC endpoint carry its id and a private source IP.
    pub vpce: Option<String>,
}

impl Actor {
    pub fn new(p: Principal, ips: &[&str], ua: &str) -> Actor {
        Actor {
            p,
            ips: ips.iter().map(|s| s.to_string()).collect(),
            ua: ua.to_string(),
            console: false,
            vpce: None,
        }
    }

    pub fn console(mut self) -> Actor {
        self.console = true;
        self
    }

    pub fn via_vpce(mut self, id: &str) -> Actor {
        self.vpce = Some(id.to_string());
        self
    }

    /// The same principal calling from somewhere else (stolen credentials).
    pub fn elsewhere(&self, ips: &[&str], ua: &str) -> Actor {
        Actor::new(self.p.clone(), ips, ua)
    }

    pub fn ip(&self, rng: &mut Rng) -> String {
        rng.pick(&self.ips).clone()
    }

    /// The user agent for one call; `cli` is the aws-cli command token
    /// (`bedrock.list-foundation-models`), ignored for SDK and browser agents.
    pub fn user_agent(&self, cli: &str) -> String {
        self.ua.replace("{cmd}", cli)
    }

    pub fn arn(&self) -> &str {
        &self.p.arn
    }
}

/// User agents seen from each kind of client.
pub mod ua {
    pub const BOTO3_LAMBDA: &str = "Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.5 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145";
    pub const BOTO3_RHEL: &str = "Boto3/1.28.57 md/Botocore#1.31.57 ua/2.0 os/linux#4.18.0-513.24.1.el8_9.x86_64 md/arch#x86_64 lang/python#3.9.18 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.31.57";
    pub const BOTO3_NOTEBOOK: &str = "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1.109-118.189.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython exec-env/JupyterLab cfg/retry-mode#legacy Botocore/1.35.36";
    pub const JAVA_SDK: &str = "aws-sdk-java/2.28.16 Linux/6.1.112-124.190.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.4+7-LTS Java/21.0.4 vendor/Amazon.com_Inc. md/io#sync md/http#Apache ua/2.1 api/BedrockRuntime#2.28.16 m/D,N";
    pub const NODE_SDK: &str = "aws-sdk-js/3.665.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.17.0 api/bedrock-runtime#3.665.0 m/E,N";
    pub const CLI_MAC: &str = "aws-cli/2.17.60 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#{cmd}";
    pub const CLI_MAC_INTEL: &str = "aws-cli/2.18.2 md/awscrt#0.22.0 ua/2.0 os/macos#24.0.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#{cmd}";
    pub const CLI_WINDOWS: &str = "aws-cli/2.18.2 md/awscrt#0.22.0 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#{cmd}";
    pub const CLI_RUNNER: &str = "aws-cli/2.18.5 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1016-aws md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/github-actions cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#{cmd}";
    pub const CONSOLE_CHROME: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36";
    pub const CONSOLE_FIREFOX: &str =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0";
    pub const BOTO3_WINDOWS: &str = "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84";
    pub const AIOHTTP: &str = "Python/3.11 aiohttp/3.9.5";
    pub const AXIOS: &str = "axios/1.7.4";
    pub const BOTO3_VPS: &str = "Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#6.5.0-41-generic md/arch#x86_64 lang/python#3.10.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.162";
}
