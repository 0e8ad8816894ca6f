//! Where a file's parser puts its events: a file-local interner and attribute list, so parsing
//! threads share nothing until the collector merges the batch.

use super::text::JsonStr;
use crate::model::{ConcurrentInterner, Event, FileBatch, RecentSyms, Sym, TextProbes};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Longest attribute value kept; longer values are cut with a marker (the raw record keeps all).
pub const MAX_ATTR_CHARS: usize = 2048;
/// Most attributes kept per event.
pub const MAX_ATTRS: usize = 256;
/// Raw objects larger than this are not flattened into attributes.
const MAX_FLATTEN_BYTES: usize = 64 * 1024;

pub struct EventSink<'p> {
    pub batch: FileBatch,
    pub probes: &'p TextProbes,
    strings: &'p ConcurrentInterner,
    recent: &'p mut RecentSyms,
    attrs_start: usize,
    /// Constant names met so far, by address and length (see [`EventSink::named`]).
    names: Vec<((usize, usize), Sym)>,
    /// Capacity each new batch starts with, so batches are not grown by doubling record by record.
    capacity: BatchCapacity,
    /// Request ids of the batch's events, interned together when the batch is handed over.
    request_ids: PendingRequestIds,
}

/// Request ids waiting to be interned: nearly every one is new, and interning them one by one
/// took a shard lock per event (see [`ConcurrentInterner::intern_all`]).
#[derive(Default)]
struct PendingRequestIds {
    text: String,
    /// The event's index in the batch, and its id's span in `text`.
    ids: Vec<(usize, usize, usize)>,
}

/// Events and attributes a batch makes room for up front.
#[derive(Clone, Copy, Debug, Default)]
pub struct BatchCapacity {
    pub events: usize,
    pub attrs: usize,
}

impl BatchCapacity {
    fn batch(self) -> FileBatch {
        FileBatch {
            events: Vec::with_capacity(self.events),
            attrs: Vec::with_capacity(self.attrs),
            ..FileBatch::default()
        }
    }
}

impl<'p> EventSink<'p> {
    /// `recent` belongs to the calling thread and outlives the file, so what it learned carries
    /// over to the thread's next file.
    pub fn new(
        probes: &'p TextProbes,
        strings: &'p ConcurrentInterner,
        recent: &'p mut RecentSyms,
        capacity: BatchCapacity,
    ) -> EventSink<'p> {
        EventSink {
            batch: capacity.batch(),
            probes,
            strings,
            recent,
            attrs_start: 0,
            names: Vec::new(),
            capacity,
            request_ids: PendingRequestIds::default(),
        }
    }

    pub fn intern(&mut self, s: &str) -> Sym {
        self.strings.intern_with(self.recent, s)
    }

    /// The request id of the event being built. It is interned with the rest of the batch's
    /// when the batch is handed over; until then the event's `request_id` is `Sym::NONE`.
    pub fn request_id(&mut self, id: Option<&str>) {
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            let pending = &mut self.request_ids;
            let start = pending.text.len();
            pending.text.push_str(id);
            pending
                .ids
                .push((self.batch.events.len(), start, pending.text.len()));
        }
    }

    /// Gives the batch's events their request ids.
    fn intern_request_ids(&mut self) {
        let pending = &mut self.request_ids;
        if pending.ids.is_empty() {
            return;
        }
        let ids: Vec<&str> = pending
            .ids
            .iter()
            .map(|&(_, start, end)| pending.text.get(start..end).unwrap_or_default())
            .collect();
        let syms = self.strings.intern_all(&ids);
        for (&(event, _, _), sym) in pending.ids.iter().zip(syms) {
            if let Some(e) = self.batch.events.get_mut(event) {
                e.request_id = sym;
            }
        }
        pending.ids.clear();
        pending.text.clear();
    }

    pub fn intern_opt(&mut self, s: Option<&str>) -> Sym {
        match s {
            Some(s) => self.intern(s),
            None => Sym::NONE,
        }
    }

    pub fn attr(&mut self, key: &str, value: &str) {
        if self.keeps(value) {
            let k = self.intern(key);
            self.push_attr(k, value);
        }
    }

    /// [`EventSink::attr`] under a constant name, which is looked up by its address.
    pub fn attr_named(&mut self, key: &'static str, value: &str) {
        if self.keeps(value) {
            let k = self.named(key);
            self.push_attr(k, value);
        }
    }

    /// Whether an attribute with this value is kept: not empty, and the event has room for it.
    /// Checked before the name is looked up, which costs more.
    fn keeps(&self, value: &str) -> bool {
        !value.is_empty() && self.batch.attrs.len() - self.attrs_start < MAX_ATTRS
    }

    fn push_attr(&mut self, k: Sym, value: &str) {
        let v = if value.len() > MAX_ATTR_CHARS {
            let mut cut = MAX_ATTR_CHARS;
            while !value.is_char_boundary(cut) {
                cut -= 1;
            }
            let shortened = format!("{}… ({} bytes)", &value[..cut], value.len());
            self.intern(&shortened)
        } else {
            self.intern(value)
        };
        self.batch.attrs.push((k, v));
    }

    /// The symbol of a constant name. The few such names a parser uses are remembered by address:
    /// comparing two numbers is cheaper than hashing the name and comparing it again on every
    /// event, which cost about 1 % of a load's instructions.
    pub fn named(&mut self, name: &'static str) -> Sym {
        let id = (name.as_ptr() as usize, name.len());
        if let Some(&(_, sym)) = self.names.iter().find(|(n, _)| *n == id) {
            return sym;
        }
        let sym = self.intern(name);
        self.names.push((id, sym));
        sym
    }

    /// Value of an attribute under a constant name already added to the event being built.
    pub fn pending_attr(&mut self, key: &'static str) -> Option<Sym> {
        let k = self.named(key);
        self.batch.attrs[self.attrs_start..]
            .iter()
            .find(|(ak, _)| *ak == k)
            .map(|&(_, v)| v)
    }

    /// Flattens a JSON object into `prefix.path.to.leaf = value` attributes (arrays by index),
    /// straight from the raw text: no intermediate tree, one reused path buffer.
    pub fn flatten(&mut self, prefix: &str, raw: &serde_json::value::RawValue) {
        let text = raw.get();
        if text == "null" {
            return;
        }
        if text.len() > MAX_FLATTEN_BYTES {
            self.attr(prefix, &format!("(not flattened: {} bytes)", text.len()));
            return;
        }
        let mut path = String::with_capacity(64);
        path.push_str(prefix);
        let mut de = serde_json::Deserializer::from_str(text);
        let node = Node {
            sink: self,
            path: &mut path,
        };
        if node.deserialize(&mut de).is_err() {
            self.attr(prefix, text);
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

    /// Drops attributes and the request id added for an event that was then rejected.
    pub fn discard(&mut self) {
        self.batch.attrs.truncate(self.attrs_start);
        let building = self.batch.events.len();
        let pending = &mut self.request_ids;
        if let Some(&(_, start, _)) = pending.ids.last().filter(|p| p.0 == building) {
            pending.ids.pop();
            pending.text.truncate(start);
        }
    }

    /// Drops every event gathered so far (a file found to be no log after all).
    pub fn drop_batch(&mut self) {
        self.batch = FileBatch::default();
        self.attrs_start = 0;
        self.request_ids = PendingRequestIds::default();
    }

    /// Hands over the last events of a file, and how large its batches turned out (a good guess
    /// for the thread's next file, which is usually of the same kind and size).
    pub fn finish(mut self, events_in_file: usize) -> (FileBatch, BatchCapacity) {
        self.intern_request_ids();
        let events = events_in_file.min(super::file::BATCH_EVENTS);
        let per_event = self
            .batch
            .attrs
            .len()
            .div_ceil(self.batch.events.len().max(1));
        let capacity = BatchCapacity {
            events,
            attrs: events * per_event,
        };
        (self.batch, capacity)
    }

    /// Hands over the events gathered so far and starts a new batch.
    pub fn take(&mut self) -> FileBatch {
        self.intern_request_ids();
        self.attrs_start = 0;
        std::mem::replace(&mut self.batch, self.capacity.batch())
    }
}

/// One position in the JSON being flattened; leaves become attributes named by `path`.
struct Node<'s, 'p, 'b> {
    sink: &'s mut EventSink<'p>,
    path: &'b mut String,
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.sink.attr(self.path, if v { "true" } else { "false" });
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.sink.attr(self.path, &v.to_string());
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.sink.attr(self.path, &v.to_string());
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.sink.attr(self.path, &v.to_string());
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.sink.attr(self.path, v);
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let base = self.path.len();
        let mut i = 0usize;
        loop {
            self.path.truncate(base);
            self.path.push('.');
            self.path.push_str(&i.to_string());
            let node = Node {
                sink: &mut *self.sink,
                path: &mut *self.path,
            };
            if seq.next_element_seed(node)?.is_none() {
                break;
            }
            i += 1;
        }
        self.path.truncate(base);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let base = self.path.len();
        while let Some(key) = map.next_key::<JsonStr<'de>>()? {
            self.path.truncate(base);
            self.path.push('.');
            self.path.push_str(&key);
            map.next_value_seed(Node {
                sink: &mut *self.sink,
                path: &mut *self.path,
            })?;
        }
        self.path.truncate(base);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RawEncoding, SourceRef, Strand};

    fn event(record: u32) -> Event {
        let source = SourceRef {
            file: 0,
            record,
            offset: 0,
            len: 0,
            encoding: RawEncoding::Direct,
        };
        Event::new(Strand::Invocation, 0, source)
    }

    #[test]
    fn request_ids_reach_their_events_when_the_batch_is_handed_over() {
        let probes = TextProbes::new();
        let strings = ConcurrentInterner::new();
        let mut recent = RecentSyms::new();
        let mut sink = EventSink::new(&probes, &strings, &mut recent, BatchCapacity::default());
        sink.request_id(Some("req-a"));
        sink.push(event(0));
        sink.request_id(Some("req-rejected"));
        sink.attr("k", "v");
        sink.discard();
        sink.request_id(None);
        sink.push(event(2));
        sink.request_id(Some("req-a"));
        sink.push(event(3));
        let first = sink.take();
        sink.request_id(Some(""));
        sink.push(event(4));
        sink.request_id(Some("req-b"));
        sink.push(event(5));
        let (rest, _) = sink.finish(5);
        let ids = |batch: &FileBatch| -> Vec<(u32, String)> {
            batch
                .events
                .iter()
                .map(|e| (e.source.record, strings.resolve_owned(e.request_id)))
                .collect()
        };
        let owned = |v: &[(u32, &str)]| -> Vec<(u32, String)> {
            v.iter().map(|&(r, s)| (r, s.to_string())).collect()
        };
        assert_eq!(ids(&first), owned(&[(0, "req-a"), (2, ""), (3, "req-a")]));
        assert_eq!(first.events[0].request_id, first.events[2].request_id);
        assert_eq!(ids(&rest), owned(&[(4, ""), (5, "req-b")]));
        assert_eq!(
            strings.get("req-rejected"),
            None,
            "a rejected record's id is never interned"
        );
        assert!(first.attrs.is_empty());
    }
}
