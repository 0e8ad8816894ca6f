//! Where a file's parser puts its events: a file-local interner and attribute list, so parsing
//! threads share nothing until the collector merges the batch.

use crate::model::{Event, FileBatch, Sym, TextProbes};
use serde_json::Value;

/// Longest attribute value kept; longer values are cut with a marker (the raw record keeps all).
pub const MAX_ATTR_CHARS: usize = 2048;
/// Most attributes kept per event.
pub const MAX_ATTRS: usize = 256;
/// Raw objects larger than this are not flattened into attributes.
const MAX_FLATTEN_BYTES: usize = 64 * 1024;

pub struct EventSink<'p> {
    pub batch: FileBatch,
    pub probes: &'p TextProbes,
    attrs_start: usize,
}

impl<'p> EventSink<'p> {
    pub fn new(probes: &'p TextProbes) -> EventSink<'p> {
        EventSink {
            batch: FileBatch::default(),
            probes,
            attrs_start: 0,
        }
    }

    pub fn intern(&mut self, s: &str) -> Sym {
        self.batch.strings.intern(s)
    }

    pub fn intern_opt(&mut self, s: Option<&str>) -> Sym {
        match s {
            Some(s) => self.batch.strings.intern(s),
            None => Sym::NONE,
        }
    }

    pub fn attr(&mut self, key: &str, value: &str) {
        if value.is_empty() || self.batch.attrs.len() - self.attrs_start >= MAX_ATTRS {
            return;
        }
        let k = self.batch.strings.intern(key);
        let v = if value.len() > MAX_ATTR_CHARS {
            let mut cut = MAX_ATTR_CHARS;
            while !value.is_char_boundary(cut) {
                cut -= 1;
            }
            let shortened = format!("{}… ({} bytes)", &value[..cut], value.len());
            self.batch.strings.intern(&shortened)
        } else {
            self.batch.strings.intern(value)
        };
        self.batch.attrs.push((k, v));
    }

    /// Value of an attribute already added to the event being built.
    pub fn pending_attr(&self, key: &str) -> Option<&str> {
        let k = self.batch.strings.get(key)?;
        self.batch.attrs[self.attrs_start..]
            .iter()
            .find(|(ak, _)| *ak == k)
            .map(|&(_, v)| self.batch.strings.resolve(v))
    }

    /// Flattens a JSON object into `prefix.path.to.leaf = value` attributes (arrays by index).
    pub fn flatten(&mut self, prefix: &str, raw: &serde_json::value::RawValue) {
        let text = raw.get();
        if text == "null" {
            return;
        }
        if text.len() > MAX_FLATTEN_BYTES {
            self.attr(prefix, &format!("(not flattened: {} bytes)", text.len()));
            return;
        }
        match serde_json::from_str::<Value>(text) {
            Ok(v) => self.flatten_value(prefix, &v),
            Err(_) => self.attr(prefix, text),
        }
    }

    fn flatten_value(&mut self, path: &str, v: &Value) {
        match v {
            Value::Null => {}
            Value::Bool(b) => self.attr(path, if *b { "true" } else { "false" }),
            Value::Number(n) => self.attr(path, &n.to_string()),
            Value::String(s) => self.attr(path, s),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.flatten_value(&format!("{path}.{i}"), item);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    self.flatten_value(&format!("{path}.{k}"), item);
                }
            }
        }
    }

    /// Finishes the event being built: attaches the attributes added since the previous push.
    pub fn push(&mut self, mut e: Event) {
        let len = self.batch.attrs.len() - self.attrs_start;
        e.attrs_start = self.attrs_start as u32;
        e.attrs_len = len as u16;
        self.batch.events.push(e);
        self.attrs_start = self.batch.attrs.len();
    }

    /// Drops attributes added for an event that was then rejected.
    pub fn discard(&mut self) {
        self.batch.attrs.truncate(self.attrs_start);
    }

    /// Hands over the events gathered so far and starts a new batch.
    pub fn take(&mut self) -> FileBatch {
        self.attrs_start = 0;
        std::mem::take(&mut self.batch)
    }
}
