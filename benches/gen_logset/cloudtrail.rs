//! CloudTrail records (management and data events) in the field order AWS writes them.

use crate::clock::iso;
use crate::identity::Actor;
use crate::json::{arr, obj, V};
use crate::rng::Rng;

/// One API call as CloudTrail would record it, before identity and envelope are added.
pub struct Api {
    pub source: &'static str,
    pub name: String,
    pub region: String,
    /// `clientProvidedHostHeader`.
    pub host: String,
    pub req: V,
    pub resp: V,
    pub extra: Option<V>,
    pub resources: Option<V>,
    /// `(errorCode, errorMessage)`.
    pub error: Option<(String, String)>,
    pub read_only: bool,
    pub data_event: bool,
    pub request_id: String,
    /// aws-cli `service.operation` token for the user agent.
    pub cli: String,
}

/// Which Bedrock endpoint family serves an operation; CloudTrail keeps
/// `eventSource: bedrock.amazonaws.com` for all of them, only the host differs.
pub fn bedrock_host(name: &str, region: &str) -> String {
    let family = match name {
        "InvokeModel"
        | "InvokeModelWithResponseStream"
        | "Converse"
        | "ConverseStream"
        | "ApplyGuardrail" => "bedrock-runtime",
        "InvokeAgent" | "Retrieve" | "RetrieveAndGenerate" | "InvokeFlow" => {
            "bedrock-agent-runtime"
        }
        n if n.contains("Agent") || n.contains("KnowledgeBase") || n.contains("DataSource") => {
            "bedrock-agent"
        }
        _ => "bedrock",
    };
    format!("{family}.{region}.amazonaws.com")
}

/// `ListFoundationModels` → `list-foundation-models`.
pub fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn is_read_only(name: &str) -> bool {
    [
        "Get", "List", "Describe", "Invoke", "Converse", "Retrieve", "Lookup",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

impl Api {
    /// A successful call with no response body; `cli` is the aws-cli service token.
    fn new(
        source: &'static str,
        name: &str,
        region: &str,
        host: String,
        req: V,
        cli: &str,
        rng: &mut Rng,
    ) -> Api {
        Api {
            source,
            name: name.to_string(),
            region: region.to_string(),
            host,
            req,
            resp: V::Null,
            extra: None,
            resources: None,
            error: None,
            read_only: is_read_only(name),
            data_event: false,
            request_id: rng.uuid(),
            cli: format!("{cli}.{}", kebab(name)),
        }
    }

    /// A Bedrock API call; the CLI token is derived from the endpoint family.
    pub fn bedrock(name: &str, region: &str, req: V, rng: &mut Rng) -> Api {
        let host = bedrock_host(name, region);
        let family = host.split('.').next().unwrap_or("bedrock").to_string();
        Api::new(
            "bedrock.amazonaws.com",
            name,
            region,
            host,
            req,
            &family,
            rng,
        )
    }

    /// Any other service (`sts`, `iam`, `athena`, `signin`…).
    pub fn other(source: &'static str, name: &str, region: &str, req: V, rng: &mut Rng) -> Api {
        let svc = source.split('.').next().unwrap_or("aws");
        let host = match svc {
            "iam" => "iam.amazonaws.com".to_string(),
            "signin" => "signin.aws.amazon.com".to_string(),
            _ => format!("{svc}.{region}.amazonaws.com"),
        };
        Api::new(source, name, region, host, req, svc, rng)
    }

    /// `sts:GetCallerIdentity`, the first call of every credential check.
    pub fn caller_identity(region: &str, rng: &mut Rng) -> Api {
        Api::other(
            "sts.amazonaws.com",
            "GetCallerIdentity",
            region,
            V::Null,
            rng,
        )
    }

    pub fn resp(mut self, v: V) -> Api {
        self.resp = v;
        self
    }

    pub fn error(mut self, code: &str, msg: &str) -> Api {
        self.error = Some((code.to_string(), msg.to_string()));
        self
    }

    pub fn request_id(mut self, id: &str) -> Api {
        self.request_id = id.to_string();
        self
    }

    pub fn extra(mut self, v: V) -> Api {
        self.extra = Some(v);
        self
    }

    pub fn data(mut self, resources: V) -> Api {
        self.data_event = true;
        self.resources = Some(resources);
        self
    }
}

/// Builds the full record for `api` made by `actor` at `t`.
pub fn record(t: i64, actor: &Actor, api: Api, rng: &mut Rng) -> V {
    let bedrock = api.source == "bedrock.amazonaws.com";
    let version = if bedrock || api.data_event {
        "1.10"
    } else {
        "1.09"
    };
    let (ip, vpce) = match &actor.vpce {
        Some(id) if bedrock => (actor.ip(rng), Some(id.clone())),
        _ => (actor.ip(rng), None),
    };
    let mut r = obj! {
        "eventVersion" => version,
        "userIdentity" => actor.p.user_identity(t),
        "eventTime" => iso(t),
        "eventSource" => api.source,
        "eventName" => api.name.clone(),
        "awsRegion" => api.region.clone(),
        "sourceIPAddress" => ip,
        "userAgent" => actor.user_agent(&api.cli),
    };
    if let Some((code, msg)) = api.error {
        r.push("errorCode", code);
        r.push("errorMessage", msg);
    }
    r.push("requestParameters", api.req);
    r.push("responseElements", api.resp);
    if let Some(extra) = api.extra {
        r.push("additionalEventData", extra);
    }
    r.push("requestID", api.request_id);
    r.push("eventID", rng.uuid());
    r.push("readOnly", api.read_only);
    if let Some(res) = api.resources {
        r.push("resources", res);
    }
    r.push("eventType", "AwsApiCall");
    r.push("managementEvent", !api.data_event);
    r.push("recipientAccountId", actor.p.account.clone());
    if let Some(id) = vpce {
        r.push("vpcEndpointId", id);
        r.push("vpcEndpointAccountId", actor.p.account.clone());
    }
    r.push(
        "eventCategory",
        if api.data_event { "Data" } else { "Management" },
    );
    if actor.console {
        r.push("sessionCredentialFromConsole", "true");
    }
    r.push(
        "tlsDetails",
        obj! {
            "tlsVersion" => "TLSv1.3",
            "cipherSuite" => "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader" => api.host,
        },
    );
    r
}

/// S3 `PutObject` as an object-level data event.
pub fn put_object(
    t: i64,
    actor: &Actor,
    region: &str,
    bucket: &str,
    key: &str,
    bytes: u64,
    rng: &mut Rng,
) -> V {
    let host = format!("{bucket}.s3.{region}.amazonaws.com");
    // An object-level data event: S3-style request id, no Bedrock defaults.
    let api = Api {
        source: "s3.amazonaws.com",
        name: "PutObject".to_string(),
        region: region.to_string(),
        host: host.clone(),
        req: obj! { "bucketName" => bucket.to_string(), "Host" => host, "key" => key.to_string() },
        resp: V::Null,
        extra: Some(obj! {
            "SignatureVersion" => "SigV4",
            "CipherSuite" => "TLS_AES_128_GCM_SHA256",
            "bytesTransferredIn" => bytes,
            "AuthenticationMethod" => "AuthHeader",
            "x-amz-id-2" => format!("{}=", rng.alnum(75)),
            "bytesTransferredOut" => 0,
        }),
        resources: None,
        error: None,
        read_only: false,
        data_event: true,
        request_id: rng.upper_alnum(16),
        cli: "s3.cp".to_string(),
    }
    .data(arr![
        obj! { "type" => "AWS::S3::Object", "ARN" => format!("arn:aws:s3:::{bucket}/{key}") },
        obj! {
            "accountId" => actor.p.account.clone(),
            "type" => "AWS::S3::Bucket",
            "ARN" => format!("arn:aws:s3:::{bucket}"),
        },
    ]);
    record(t, actor, api, rng)
}

/// Bedrock `InvokeAgent` as a data event on an agent alias.
pub fn invoke_agent(
    t: i64,
    actor: &Actor,
    region: &str,
    agent: &str,
    alias: &str,
    session: &str,
    rng: &mut Rng,
) -> V {
    let account = actor.p.account.clone();
    let api = Api::bedrock(
        "InvokeAgent",
        region,
        obj! {
            "agentId" => agent.to_string(),
            "agentAliasId" => alias.to_string(),
            "sessionId" => session.to_string(),
            "inputText" => "HIDDEN_DUE_TO_SECURITY_REASONS",
            "enableTrace" => false,
            "endSession" => false,
        },
        rng,
    )
    .data(arr![obj! {
        "accountId" => account.clone(),
        "type" => "AWS::Bedrock::AgentAlias",
        "ARN" => format!("arn:aws:bedrock:{region}:{account}:agent-alias/{agent}/{alias}"),
    }]);
    let mut api = api;
    api.read_only = false;
    record(t, actor, api, rng)
}
