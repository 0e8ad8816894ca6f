//! An event as a JSON object with its normalized (ECS-style) field names and resolved strings: what
//! exports, snapshots and the detail views show.

use super::event::Event;
use super::field::{Field, Value};
use super::store::EventStore;
use super::time::format_timestamp;
use serde_json::{json, Map, Value as Json};

/// Every present normalized field, plus `attributes` (flattened raw fields) and `source` (where the
/// raw record is).
pub fn event_json(store: &EventStore, e: &Event) -> Json {
    let mut m = Map::new();
    for f in Field::ALL {
        if f == Field::Principal {
            continue;
        }
        let v = match f.get(e) {
            Value::Missing => continue,
            Value::Str(s) => Json::String(store.str(s).to_string()),
            Value::Static(s) => Json::String(s.to_string()),
            Value::Num(n) if f == Field::Timestamp => Json::String(format_timestamp(n)),
            Value::Num(n) => json!(n),
        };
        m.insert(f.name().to_string(), v);
    }
    let attrs: Map<String, Json> = store
        .attrs(e)
        .iter()
        .map(|&(k, v)| {
            (
                store.str(k).to_string(),
                Json::String(store.str(v).to_string()),
            )
        })
        .collect();
    if !attrs.is_empty() {
        m.insert("attributes".into(), Json::Object(attrs));
    }
    if e.probe_hits != 0 {
        m.insert("probe_hits".into(), json!(e.probe_hits));
    }
    let path = store
        .file_path(e.source.file)
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    m.insert(
        "source".into(),
        json!({
            "file": path,
            "record": e.source.record + 1,
            "offset": e.source.offset,
            "length": e.source.len,
            "encoding": e.source.encoding,
        }),
    );
    Json::Object(m)
}
