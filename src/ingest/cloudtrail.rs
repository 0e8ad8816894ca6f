//! CloudTrail records (management and data events) → normalized events.

use super::record::Rejected;
use super::sink::EventSink;
use super::text::Text;
use crate::model::time::parse_timestamp;
use crate::model::{ErrorClass, Event, Outcome, SourceRef, Strand, Sym};
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudTrailRecord<'a> {
    #[serde(borrow, default)]
    pub event_time: Text<'a>,
    #[serde(borrow, default)]
    pub event_source: Text<'a>,
    #[serde(borrow, default)]
    pub event_name: Text<'a>,
    #[serde(borrow, default)]
    pub aws_region: Text<'a>,
    #[serde(rename = "sourceIPAddress", borrow, default)]
    pub source_ip_address: Text<'a>,
    #[serde(borrow, default)]
    pub user_agent: Text<'a>,
    #[serde(borrow, default)]
    pub error_code: Text<'a>,
    #[serde(borrow, default)]
    pub error_message: Text<'a>,
    #[serde(borrow, default)]
    pub request_parameters: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub response_elements: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub additional_event_data: Option<&'a RawValue>,
    #[serde(rename = "requestID", borrow, default)]
    pub request_id: Text<'a>,
    #[serde(rename = "eventID", borrow, default)]
    pub event_id: Text<'a>,
    #[serde(borrow, default)]
    pub event_type: Text<'a>,
    #[serde(borrow, default)]
    pub event_category: Text<'a>,
    #[serde(borrow, default)]
    pub recipient_account_id: Text<'a>,
    #[serde(borrow, default)]
    pub read_only: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub user_identity: Option<UserIdentity<'a>>,
    #[serde(borrow, default)]
    pub tls_details: Option<TlsDetails<'a>>,
    #[serde(borrow, default)]
    pub resources: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub vpc_endpoint_id: Text<'a>,
    /// Datadog-style exports move the user agent and client IP into their own objects.
    #[serde(borrow, default)]
    pub http: Option<DatadogHttp<'a>>,
    #[serde(borrow, default)]
    pub network: Option<DatadogNetwork<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentity<'a> {
    #[serde(rename = "type", borrow, default)]
    pub kind: Text<'a>,
    #[serde(borrow, default)]
    pub principal_id: Text<'a>,
    #[serde(borrow, default)]
    pub arn: Text<'a>,
    #[serde(borrow, default)]
    pub account_id: Text<'a>,
    #[serde(borrow, default)]
    pub access_key_id: Text<'a>,
    #[serde(borrow, default)]
    pub user_name: Text<'a>,
    #[serde(borrow, default)]
    pub invoked_by: Text<'a>,
    #[serde(borrow, default)]
    pub session_context: Option<SessionContext<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionContext<'a> {
    #[serde(borrow, default)]
    pub session_issuer: Option<SessionIssuer<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionIssuer<'a> {
    #[serde(borrow, default)]
    pub arn: Text<'a>,
    #[serde(borrow, default)]
    pub user_name: Text<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsDetails<'a> {
    #[serde(borrow, default)]
    pub client_provided_host_header: Text<'a>,
}

#[derive(Deserialize)]
pub struct DatadogHttp<'a> {
    #[serde(borrow, default)]
    pub useragent: Text<'a>,
}

#[derive(Deserialize)]
pub struct DatadogNetwork<'a> {
    #[serde(borrow, default)]
    pub client: Option<DatadogClient<'a>>,
}

#[derive(Deserialize)]
pub struct DatadogClient<'a> {
    #[serde(borrow, default)]
    pub ip: Text<'a>,
}

/// Request parameters that name the model a call is about, in order of preference.
const MODEL_PARAMS: [&str; 5] = [
    "requestParameters.modelId",
    "requestParameters.modelIdentifier",
    "requestParameters.baseModelIdentifier",
    "requestParameters.foundationModel",
    "requestParameters.modelArn",
];

impl CloudTrailRecord<'_> {
    /// Whether the record names its event (`eventSource` and `eventName`), the mark of a trail
    /// record as opposed to any object read with this shape.
    pub fn names_an_event(&self) -> bool {
        self.event_source.is_some() && self.event_name.is_some()
    }
}

pub fn normalize(
    r: &CloudTrailRecord<'_>,
    source: SourceRef,
    fallback_ts: Option<i64>,
    sink: &mut EventSink<'_>,
) -> Result<(), Rejected> {
    let ts = match r.event_time.as_deref() {
        Some(t) => {
            parse_timestamp(t).ok_or_else(|| Rejected(format!("unreadable eventTime {t:?}")))?
        }
        None => {
            fallback_ts.ok_or_else(|| Rejected("CloudTrail record without eventTime".into()))?
        }
    };
    let strand = match r.event_category.as_deref() {
        Some("Data") => Strand::Data,
        _ => Strand::Management,
    };
    let mut e = Event::new(strand, ts, source);
    e.action = sink.intern_opt(r.event_name.as_deref());
    e.provider = sink.intern_opt(r.event_source.as_deref());
    e.region = sink.intern_opt(r.aws_region.as_deref());
    let ip = r
        .source_ip_address
        .as_deref()
        .or_else(|| r.network.as_ref()?.client.as_ref()?.ip.as_deref());
    e.source_ip = sink.intern_opt(ip);
    let ua = r
        .user_agent
        .as_deref()
        .or_else(|| r.http.as_ref()?.useragent.as_deref());
    e.user_agent = sink.intern_opt(ua);
    sink.request_id(r.request_id.as_deref());
    match r.error_code.as_deref() {
        Some(code) if !code.is_empty() => {
            e.error_code = sink.intern(code);
            e.error_class = ErrorClass::of(code);
            e.outcome = Outcome::Failure;
        }
        _ => e.outcome = Outcome::Success,
    }
    let mut account = r.recipient_account_id.as_deref();
    if let Some(id) = &r.user_identity {
        e.user_arn = sink.intern_opt(id.arn.as_deref());
        e.user_type = sink.intern_opt(id.kind.as_deref());
        e.access_key = sink.intern_opt(id.access_key_id.as_deref());
        let issuer = id
            .session_context
            .as_ref()
            .and_then(|c| c.session_issuer.as_ref());
        e.session_issuer = sink.intern_opt(issuer.and_then(|i| i.arn.as_deref()));
        e.user_name = sink.intern_opt(user_name(id));
        if account.is_none() {
            account = id.account_id.as_deref();
        }
        if let Some(by) = id.invoked_by.as_deref() {
            sink.attr_named("userIdentity.invokedBy", by);
        }
        if let Some(p) = id.principal_id.as_deref() {
            sink.attr_named("userIdentity.principalId", p);
        }
    }
    e.account = sink.intern_opt(account);

    for (key, value) in [
        ("errorMessage", r.error_message.as_deref()),
        ("eventCategory", r.event_category.as_deref()),
        ("eventType", r.event_type.as_deref()),
        ("vpcEndpointId", r.vpc_endpoint_id.as_deref()),
        (
            "tlsDetails.clientProvidedHostHeader",
            r.tls_details
                .as_ref()
                .and_then(|t| t.client_provided_host_header.as_deref()),
        ),
    ] {
        if let Some(v) = value {
            sink.attr_named(key, v);
        }
    }
    if let Some(ro) = r.read_only {
        sink.attr_named("readOnly", ro.get().trim().trim_matches('"'));
    }
    for (prefix, raw) in [
        ("requestParameters", r.request_parameters),
        ("responseElements", r.response_elements),
        ("additionalEventData", r.additional_event_data),
        ("resources", r.resources),
    ] {
        if let Some(raw) = raw {
            sink.flatten(prefix, raw);
        }
    }
    e.model_id = MODEL_PARAMS
        .iter()
        .find_map(|k| sink.pending_attr(k))
        .unwrap_or(Sym::NONE);
    sink.push(e);
    Ok(())
}

/// The human-meaningful name of the caller: the IAM user name, the role session name, `root`, or
/// the AWS service.
fn user_name<'r>(id: &'r UserIdentity<'_>) -> Option<&'r str> {
    if let Some(n) = id.user_name.as_deref() {
        if !n.is_empty() {
            return Some(n);
        }
    }
    match id.kind.as_deref() {
        Some("Root") => return Some("root"),
        Some("AWSService") => return id.invoked_by.as_deref(),
        _ => {}
    }
    let arn = id.arn.as_deref()?;
    arn.rsplit('/').next().filter(|s| !s.is_empty())
}
