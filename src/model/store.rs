//! The event store: events ordered by time, one interner, flattened raw attributes, and indexes by
//! principal, account, access key, source IP, model, requestId and host.

use super::event::{Event, SourceRef, Strand};
use super::intern::{ConcurrentInterner, Interner, Sym};
use super::time_order::{apply_permutation, Arrivals, TimeOrder};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// A file events were loaded from.
#[derive(Clone, Debug, Serialize)]
pub struct SourceFile {
    pub path: PathBuf,
}

/// Entity kinds that can be pivoted on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    User,
    Account,
    AccessKey,
    SourceIp,
    Model,
    RequestId,
    Host,
}

impl EntityKind {
    pub const ALL: [EntityKind; 7] = [
        EntityKind::User,
        EntityKind::Account,
        EntityKind::AccessKey,
        EntityKind::SourceIp,
        EntityKind::Model,
        EntityKind::RequestId,
        EntityKind::Host,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Account => "account",
            EntityKind::AccessKey => "access_key",
            EntityKind::SourceIp => "source_ip",
            EntityKind::Model => "model",
            EntityKind::RequestId => "request_id",
            EntityKind::Host => "host",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Account => "account",
            EntityKind::AccessKey => "access key",
            EntityKind::SourceIp => "source IP",
            EntityKind::Model => "model",
            EntityKind::RequestId => "requestId",
            EntityKind::Host => "host",
        }
    }

    pub fn parse(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.name() == s)
    }

    pub fn key_of(self, e: &Event) -> Sym {
        match self {
            EntityKind::User => e.principal(),
            EntityKind::Account => e.account,
            EntityKind::AccessKey => e.access_key,
            EntityKind::SourceIp => e.source_ip,
            EntityKind::Model => e.model_id,
            EntityKind::RequestId => e.request_id,
            EntityKind::Host => e.host,
        }
    }
}

/// A compact multimap `key → event indices` (in time order): sorted keys with offsets into one list.
#[derive(Clone, Debug, Default)]
pub struct SortedIndex {
    keys: Vec<Sym>,
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl SortedIndex {
    /// A counting sort by symbol: placing each event under its key in event order gives every
    /// key's list in that order, so no list of (key, event) pairs needs sorting.
    ///
    /// Runs on the calling thread alone: it runs inside the index's `OnceLock`, where other
    /// threads, rayon's workers among them, may be blocked waiting for it; handing work to rayon
    /// from there deadlocks once every worker is such a waiter.
    fn build(events: &[Event], key: impl Fn(&Event) -> Sym) -> SortedIndex {
        let syms: Vec<Sym> = events.iter().map(&key).collect();
        let Some(max) = syms.iter().map(|s| s.0).max() else {
            return SortedIndex::default();
        };
        // Per symbol: first its count, then the next free slot of its list.
        let mut next = vec![0u32; max as usize + 1];
        for s in syms.iter().filter(|s| s.is_some()) {
            next[s.0 as usize] += 1;
        }
        let mut keys = Vec::new();
        let mut starts = Vec::new();
        let mut total = 0u32;
        for (sym, slot) in next.iter_mut().enumerate() {
            if *slot > 0 {
                keys.push(Sym(sym as u32));
                starts.push(total);
                let count = *slot;
                *slot = total;
                total += count;
            }
        }
        starts.push(total);
        let mut items = vec![0u32; total as usize];
        for (i, s) in syms.iter().enumerate().filter(|(_, s)| s.is_some()) {
            let slot = &mut next[s.0 as usize];
            items[*slot as usize] = i as u32;
            *slot += 1;
        }
        SortedIndex {
            keys,
            starts,
            items,
        }
    }

    pub fn get(&self, key: Sym) -> &[u32] {
        match self.keys.binary_search(&key) {
            Ok(pos) => self.slice(pos),
            Err(_) => &[],
        }
    }

    fn slice(&self, pos: usize) -> &[u32] {
        let (a, b) = (self.starts[pos] as usize, self.starts[pos + 1] as usize);
        &self.items[a..b]
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Sym, &[u32])> + '_ {
        self.keys
            .iter()
            .enumerate()
            .map(|(pos, &k)| (k, self.slice(pos)))
    }
}

/// Everything loaded, immutable once built and shared behind an `Arc`.
#[derive(Debug, Default)]
pub struct EventStore {
    events: Vec<Event>,
    strings: Interner,
    attrs: Vec<(Sym, Sym)>,
    files: Vec<SourceFile>,
    /// Built on first use: a scan that never pivots needs none, and loading ends sooner and smaller.
    indexes: [OnceLock<SortedIndex>; EntityKind::ALL.len()],
    /// Per file, event indices ordered by record number: evidence references resolve through it.
    by_source: Vec<Vec<u32>>,
    strand_counts: [usize; 4],
}

impl EventStore {
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn event(&self, idx: u32) -> Option<&Event> {
        self.events.get(idx as usize)
    }

    pub fn strings(&self) -> &Interner {
        &self.strings
    }

    pub fn str(&self, sym: Sym) -> &str {
        self.strings.resolve(sym)
    }

    /// The symbol of a string if any event carries it.
    pub fn sym(&self, s: &str) -> Option<Sym> {
        self.strings.get(s)
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    pub fn file_path(&self, file: u32) -> Option<&std::path::Path> {
        self.files.get(file as usize).map(|f| f.path.as_path())
    }

    /// Attributes held for all events together.
    pub fn attr_count(&self) -> usize {
        self.attrs.len()
    }

    pub fn attrs(&self, e: &Event) -> &[(Sym, Sym)] {
        let start = e.attrs_start as usize;
        self.attrs
            .get(start..start + e.attrs_len as usize)
            .unwrap_or(&[])
    }

    /// A flattened raw field (`requestParameters.modelId`) of an event.
    pub fn attr(&self, e: &Event, key: Sym) -> Sym {
        self.attrs(e)
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, v)| v)
            .unwrap_or(Sym::NONE)
    }

    pub fn attr_str(&self, e: &Event, key: &str) -> &str {
        match self.sym(key) {
            Some(k) => self.str(self.attr(e, k)),
            None => "",
        }
    }

    pub fn entity_index(&self, kind: EntityKind) -> &SortedIndex {
        self.indexes[kind as usize]
            .get_or_init(|| SortedIndex::build(&self.events, |e| kind.key_of(e)))
    }

    /// Builds every entity index now, so that later lookups from an interactive thread find them
    /// ready.
    pub fn warm_indexes(&self) {
        for kind in EntityKind::ALL {
            self.entity_index(kind);
        }
    }

    /// Events of an entity, in time order.
    pub fn lookup(&self, kind: EntityKind, key: Sym) -> &[u32] {
        self.entity_index(kind).get(key)
    }

    pub fn lookup_str(&self, kind: EntityKind, key: &str) -> &[u32] {
        match self.sym(key) {
            Some(k) if k.is_some() => self.lookup(kind, k),
            _ => &[],
        }
    }

    /// The event loaded from a given record, if it was loaded.
    pub fn find_source(&self, source: &SourceRef) -> Option<u32> {
        let list = self.by_source.get(source.file as usize)?;
        let pos = list
            .binary_search_by_key(&source.record, |&i| self.events[i as usize].source.record)
            .ok()?;
        Some(list[pos])
    }

    pub fn strand_count(&self, strand: Strand) -> usize {
        self.strand_counts[strand as usize]
    }

    pub fn has_strand(&self, strand: Strand) -> bool {
        self.strand_count(strand) > 0
    }

    /// First and last timestamps, when any event is loaded.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        Some((self.events.first()?.ts, self.events.last()?.ts))
    }
}

/// Events with their attribute list. Their symbols belong either to `strings` (a batch built on
/// its own, as tests do) or, when `strings` is empty, to the builder's shared interner (how ingest
/// builds batches: parsing threads intern straight into it).
#[derive(Debug, Default)]
pub struct FileBatch {
    pub events: Vec<Event>,
    pub strings: Interner,
    pub attrs: Vec<(Sym, Sym)>,
}

/// Accumulates batches while files load, then sorts once (entity indexes follow on first use).
#[derive(Debug, Default)]
pub struct StoreBuilder {
    events: Vec<Event>,
    arrivals: Arrivals,
    strings: Arc<ConcurrentInterner>,
    attrs: Vec<(Sym, Sym)>,
    files: Vec<SourceFile>,
}

impl StoreBuilder {
    pub fn new() -> StoreBuilder {
        StoreBuilder::default()
    }

    pub fn add_file(&mut self, file: SourceFile) -> u32 {
        self.files.push(file);
        (self.files.len() - 1) as u32
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The interner parsing threads intern into; batches built with it need no translation.
    pub fn shared_strings(&self) -> Arc<ConcurrentInterner> {
        Arc::clone(&self.strings)
    }

    /// Moves a batch's events into the store (translating symbols when the batch carries its own
    /// interner). Returns the index range of the new events (valid until [`StoreBuilder::finish`]).
    pub fn absorb(&mut self, mut batch: FileBatch) -> std::ops::Range<usize> {
        let attr_base = self.attrs.len() as u32;
        if batch.strings.is_empty() {
            // Batches of the shared interner (every batch ingest makes) move over as they are.
            self.attrs.append(&mut batch.attrs);
        } else {
            let tr = self.strings.absorb(&batch.strings);
            self.attrs
                .extend(batch.attrs.iter().map(|&(k, v)| (tr(k), tr(v))));
            for e in &mut batch.events {
                e.map_syms(&tr);
            }
        }
        let start = self.events.len();
        for (index, e) in (start as u32..).zip(&mut batch.events) {
            e.attrs_start += attr_base;
            self.arrivals.note(e, index);
        }
        self.events.append(&mut batch.events);
        start..self.events.len()
    }

    /// Events absorbed so far, in arrival order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn finish(self) -> EventStore {
        let StoreBuilder {
            mut events,
            arrivals,
            strings,
            attrs,
            files,
        } = self;
        // Parsing threads are done by now; should one still hold the interner, copy it.
        let strings = Arc::try_unwrap(strings)
            .map(ConcurrentInterner::into_interner)
            .unwrap_or_else(|shared| shared.snapshot());
        let TimeOrder {
            order,
            by_source,
            strand_counts,
        } = arrivals.order(&events, files.len());
        // Moving each event once, in place, needs no second copy of the 144-byte events.
        apply_permutation(&mut events, order);
        EventStore {
            events,
            strings,
            attrs,
            files,
            indexes: Default::default(),
            by_source,
            strand_counts,
        }
    }
}
