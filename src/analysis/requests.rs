//! Bedrock model invocations as one row each: a model-invocation log record joined to its
//! CloudTrail event by requestId when both are loaded, or either one alone.

use super::filter::{Filterable, Key};
use crate::model::time::format_short;
use crate::model::{EntityKind, Event, EventStore, Field, Strand, Value, NO_COUNT};
use std::borrow::Cow;

/// The runtime operations that are model invocations.
pub const INFERENCE_ACTIONS: [&str; 4] = [
    "InvokeModel",
    "InvokeModelWithResponseStream",
    "Converse",
    "ConverseStream",
];

pub fn is_inference(store: &EventStore, e: &Event) -> bool {
    let action = store.str(e.action);
    INFERENCE_ACTIONS.contains(&action)
        && (e.strand == Strand::Invocation || store.str(e.provider).starts_with("bedrock"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestRow {
    pub ts: i64,
    /// The model-invocation log record.
    pub invocation: Option<u32>,
    /// The CloudTrail event with the same requestId.
    pub cloudtrail: Option<u32>,
}

impl RequestRow {
    /// The event whose fields are shown first (the invocation log is richer).
    pub fn primary(&self) -> u32 {
        self.invocation.or(self.cloudtrail).unwrap_or(0)
    }

    pub fn events(&self) -> impl Iterator<Item = u32> {
        self.invocation.into_iter().chain(self.cloudtrail)
    }
}

/// One row per invocation record, plus one per CloudTrail inference event that has no invocation
/// record; in time order.
pub fn build(store: &EventStore) -> Vec<RequestRow> {
    let events = store.events();
    let mut rows = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let i = i as u32;
        if e.strand == Strand::Invocation {
            let cloudtrail = partner(store, e, |o| {
                o.strand != Strand::Invocation && is_inference(store, o)
            });
            rows.push(RequestRow {
                ts: e.ts,
                invocation: Some(i),
                cloudtrail,
            });
        } else if matches!(e.strand, Strand::Management | Strand::Data) && is_inference(store, e) {
            let joined = partner(store, e, |o| o.strand == Strand::Invocation).is_some();
            if !joined {
                rows.push(RequestRow {
                    ts: e.ts,
                    invocation: None,
                    cloudtrail: Some(i),
                });
            }
        }
    }
    rows
}

fn partner(store: &EventStore, e: &Event, pick: impl Fn(&Event) -> bool) -> Option<u32> {
    if e.request_id.is_none() {
        return None;
    }
    store
        .lookup(EntityKind::RequestId, e.request_id)
        .iter()
        .copied()
        .find(|&j| store.event(j).is_some_and(&pick))
}

/// The request row for an event (an invocation record or its CloudTrail event), built on the fly
/// for pivots from other views.
pub fn row_for_event(store: &EventStore, idx: u32) -> Option<RequestRow> {
    let e = store.event(idx)?;
    if e.strand == Strand::Invocation {
        return Some(RequestRow {
            ts: e.ts,
            invocation: Some(idx),
            cloudtrail: partner(store, e, |o| o.strand != Strand::Invocation),
        });
    }
    let inv = partner(store, e, |o| o.strand == Strand::Invocation);
    Some(RequestRow {
        ts: inv.and_then(|j| store.event(j)).map_or(e.ts, |x| x.ts),
        invocation: inv,
        cloudtrail: Some(idx),
    })
}

/// A field of an event as text: symbols resolved, timestamps formatted, numbers in decimal.
pub fn field_text<'a>(store: &'a EventStore, e: &Event, field: Field) -> Option<Cow<'a, str>> {
    match field.get(e) {
        Value::Missing => None,
        Value::Str(s) => Some(Cow::Borrowed(store.str(s))),
        Value::Static(s) => Some(Cow::Borrowed(s)),
        Value::Num(n) if field == Field::Timestamp => Some(Cow::Owned(format_short(n))),
        Value::Num(n) => Some(Cow::Owned(n.to_string())),
    }
}

/// Short display form of a principal: `user/alice` for ARNs, the value otherwise.
pub fn short_principal(arn: &str) -> &str {
    if !arn.starts_with("arn:") {
        return arn;
    }
    match arn.splitn(6, ':').nth(5) {
        // IAM Identity Center roles (`AWSReservedSSO_<permission set>_<hash>`) say little; their
        // session name is the person.
        Some(res) if res.starts_with("assumed-role/AWSReservedSSO_") => res
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or(res),
        Some(res) if !res.is_empty() => res.strip_prefix("assumed-role/").unwrap_or(res),
        _ => arn,
    }
}

/// A principal with its account, for lists where the same user name occurs in several accounts:
/// `user/alice @111122223333`.
pub fn principal_label(arn: &str) -> String {
    match arn.split(':').nth(4) {
        Some(acct) if arn.starts_with("arn:") && !acct.is_empty() => {
            format!("{} @{acct}", short_principal(arn))
        }
        _ => arn.to_string(),
    }
}

pub fn count_text(n: u32) -> String {
    if n == NO_COUNT {
        String::new()
    } else {
        n.to_string()
    }
}

/// A row with its store, for display and filtering.
pub struct RequestRef<'a> {
    pub row: &'a RequestRow,
    pub store: &'a EventStore,
}

impl<'a> RequestRef<'a> {
    fn pick<T>(&self, f: impl Fn(&Event) -> Option<T>) -> Option<T> {
        self.row
            .events()
            .filter_map(|i| self.store.event(i))
            .find_map(f)
    }

    fn sym_of(&self, f: impl Fn(&Event) -> crate::model::Sym) -> &'a str {
        let store = self.store;
        self.row
            .events()
            .filter_map(|i| store.event(i))
            .map(f)
            .find(|s| s.is_some())
            .map_or("", |s| store.str(s))
    }

    pub fn caller(&self) -> &'a str {
        self.sym_of(Event::principal)
    }
    pub fn model(&self) -> &'a str {
        self.sym_of(|e| e.model_id)
    }
    pub fn operation(&self) -> &'a str {
        self.sym_of(|e| e.action)
    }
    pub fn error(&self) -> &'a str {
        self.sym_of(|e| e.error_code)
    }
    pub fn guardrail(&self) -> &'a str {
        self.sym_of(|e| e.guardrail_action)
    }
    pub fn request_id(&self) -> &'a str {
        self.sym_of(|e| e.request_id)
    }
    pub fn tokens_in(&self) -> u32 {
        self.pick(|e| (e.prompt_tokens != NO_COUNT).then_some(e.prompt_tokens))
            .unwrap_or(NO_COUNT)
    }
    pub fn tokens_out(&self) -> u32 {
        self.pick(|e| (e.completion_tokens != NO_COUNT).then_some(e.completion_tokens))
            .unwrap_or(NO_COUNT)
    }
    /// `I` invocation log only, `C` CloudTrail only, `IC` both.
    pub fn sources(&self) -> &'static str {
        match (self.row.invocation.is_some(), self.row.cloudtrail.is_some()) {
            (true, true) => "IC",
            (true, false) => "I",
            _ => "C",
        }
    }

    /// The visible cells, in column order: time, caller, model, operation, in, out, error,
    /// guardrail, sources.
    pub fn cells(&self) -> [Cow<'a, str>; 9] {
        [
            Cow::Owned(format_short(self.row.ts)),
            Cow::Borrowed(short_principal(self.caller())),
            Cow::Borrowed(self.model()),
            Cow::Borrowed(self.operation()),
            Cow::Owned(count_text(self.tokens_in())),
            Cow::Owned(count_text(self.tokens_out())),
            Cow::Borrowed(self.error()),
            Cow::Borrowed(self.guardrail()),
            Cow::Borrowed(self.sources()),
        ]
    }
}

impl Filterable for RequestRef<'_> {
    fn any_value(&self, key: Key, f: &mut dyn FnMut(&str) -> bool) -> bool {
        let Key::Field(field) = key else {
            return key == Key::Text && f(self.caller());
        };
        self.row
            .events()
            .filter_map(|i| self.store.event(i))
            .any(|e| field_text(self.store, e, field).is_some_and(|v| f(&v)))
    }

    fn haystack(&self) -> String {
        self.cells().join("  ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_are_shortened() {
        assert_eq!(short_principal("arn:aws:iam::111:user/alice"), "user/alice");
        assert_eq!(
            short_principal("arn:aws:sts::111:assumed-role/Dev/i-0abc"),
            "Dev/i-0abc"
        );
        assert_eq!(short_principal("alice"), "alice");
        assert_eq!(short_principal("arn:aws:iam::111:root"), "root");
    }
}

#[cfg(test)]
mod principal_tests {
    use super::short_principal;

    #[test]
    fn principals_are_shortened_to_what_identifies_them() {
        assert_eq!(
            short_principal("arn:aws:iam::111122223333:user/alice"),
            "user/alice"
        );
        assert_eq!(
            short_principal(
                "arn:aws:sts::111122223333:assumed-role/doc-summarizer-role/doc-summarizer"
            ),
            "doc-summarizer-role/doc-summarizer"
        );
        assert_eq!(
            short_principal(
                "arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_Developer_7d4a1c9e3b2f6058/jordan.lee@example.com"
            ),
            "jordan.lee@example.com"
        );
        assert_eq!(short_principal("jlee"), "jlee");
    }
}
