//! String interning: every repeated value (ARNs, accounts, models, IPs, user agents, request ids) is
//! stored once and referred to by a 4-byte [`Sym`]. The table is split into shards by hash so that
//! parsing threads can intern concurrently ([`ConcurrentInterner`]) with little contention, and the
//! loaded store reads it without any lock ([`Interner`]).

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// An interned string. `Sym::NONE` (0) stands for "absent or empty".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

impl Sym {
    pub const NONE: Sym = Sym(0);

    pub fn is_none(self) -> bool {
        self.0 == 0
    }

    pub fn is_some(self) -> bool {
        self.0 != 0
    }
}

const SHARD_BITS: u32 = 6;
const SHARDS: usize = 1 << SHARD_BITS;

/// hashbrown picks the bucket from the low bits of the hash and the 7-bit tag it filters probes
/// with from the top bits; shards take bits from the middle so that neither loses entropy (with
/// the top bits, every string of a shard shared 6 of its 7 tag bits and lookups compared strings
/// at almost every probed slot).
fn shard_of(hash: u64) -> usize {
    ((hash >> 32) as usize) & (SHARDS - 1)
}

fn sym_of(shard: usize, local: u32) -> Sym {
    Sym((local << SHARD_BITS) | shard as u32)
}

/// One shard: unique strings in one contiguous arena, addressed by spans; no per-string allocation.
#[derive(Clone, Debug)]
struct Shard {
    arena: String,
    spans: Vec<(u32, u32)>,
    table: HashTable<u32>,
}

impl Shard {
    fn new() -> Shard {
        // Local index 0 is never handed out, so shard 0 / index 0 can be `Sym::NONE`.
        Shard {
            arena: String::new(),
            spans: vec![(0, 0)],
            table: HashTable::new(),
        }
    }

    fn find(&self, hash: u64, s: &str) -> Option<u32> {
        let arena = self.arena.as_bytes();
        self.table
            .find(hash, |&id| {
                // Bytes, not `str` slicing: equal bytes are equal strings, and this skips the
                // char-boundary checks that touch the arena at both ends of every candidate.
                let (start, len) = self.spans[id as usize];
                len as usize == s.len()
                    && arena.get(start as usize..(start + len) as usize) == Some(s.as_bytes())
            })
            .copied()
    }

    /// The string's local index, and whether it was already there.
    fn insert(&mut self, hash: u64, s: &str, hasher: &DefaultHashBuilder) -> (u32, bool) {
        if let Some(id) = self.find(hash, s) {
            return (id, true);
        }
        let start = self.arena.len() as u32;
        self.arena.push_str(s);
        let id = self.spans.len() as u32;
        self.spans.push((start, s.len() as u32));
        let (arena, spans) = (&self.arena, &self.spans);
        self.table.insert_unique(hash, id, |&id| {
            hasher.hash_one(span_str(arena, spans[id as usize]))
        });
        (id, false)
    }

    fn reserve(&mut self, strings: usize, bytes: usize, hasher: &DefaultHashBuilder) {
        let (arena, spans) = (&self.arena, &self.spans);
        self.table.reserve(strings, |&id| {
            hasher.hash_one(span_str(arena, spans[id as usize]))
        });
        self.spans.reserve(strings);
        self.arena.reserve(bytes);
    }

    fn resolve(&self, local: u32) -> &str {
        match self.spans.get(local as usize) {
            Some(&span) => span_str(&self.arena, span),
            None => "",
        }
    }
}

/// The interner of a loaded store (and of single-threaded builders such as tests).
#[derive(Clone, Debug)]
pub struct Interner {
    shards: Vec<Shard>,
    hasher: DefaultHashBuilder,
}

impl Default for Interner {
    fn default() -> Self {
        Self::new()
    }
}

impl Interner {
    pub fn new() -> Self {
        Interner {
            shards: (0..SHARDS).map(|_| Shard::new()).collect(),
            hasher: DefaultHashBuilder::default(),
        }
    }

    /// Number of distinct non-empty strings.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.spans.len() - 1).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held by the arenas (for memory accounting).
    pub fn arena_bytes(&self) -> usize {
        self.shards.iter().map(|s| s.arena.len()).sum()
    }

    pub fn intern(&mut self, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::NONE;
        }
        let hash = self.hasher.hash_one(s);
        let shard = shard_of(hash);
        let (local, _) = self.shards[shard].insert(hash, s, &self.hasher);
        sym_of(shard, local)
    }

    /// Looks a string up without inserting it; `None` when it was never seen, which lets a rule
    /// comparing against a constant skip every event at once.
    pub fn get(&self, s: &str) -> Option<Sym> {
        if s.is_empty() {
            return Some(Sym::NONE);
        }
        let hash = self.hasher.hash_one(s);
        let shard = shard_of(hash);
        self.shards[shard]
            .find(hash, s)
            .map(|local| sym_of(shard, local))
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        let shard = (sym.0 & (SHARDS as u32 - 1)) as usize;
        self.shards[shard].resolve(sym.0 >> SHARD_BITS)
    }

    /// Every interned string with its symbol.
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &str)> + '_ {
        self.shards.iter().enumerate().flat_map(|(shard, s)| {
            (1..s.spans.len() as u32).map(move |local| (sym_of(shard, local), s.resolve(local)))
        })
    }
}

/// The interner parsing threads share while files load: each shard behind its own lock.
#[derive(Debug)]
pub struct ConcurrentInterner {
    shards: Vec<LockedShard>,
    hasher: DefaultHashBuilder,
    /// Tells [`RecentSyms`] which interner its symbols belong to.
    id: u64,
}

/// A shard's lock on cache lines of its own: two threads taking neighbouring shards would
/// otherwise pass one line back and forth on every string they intern.
#[derive(Debug)]
#[repr(align(128))]
struct LockedShard(Mutex<Shard>);

impl LockedShard {
    fn lock(&self) -> std::sync::MutexGuard<'_, Shard> {
        match self.0.lock() {
            Ok(g) => g,
            // A parser that panicked mid-insert leaves a consistent shard: insert only appends.
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn into_inner(self) -> Shard {
        match self.0.into_inner() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

static NEXT_INTERNER_ID: AtomicU64 = AtomicU64::new(1);

impl Default for ConcurrentInterner {
    fn default() -> Self {
        Self::new()
    }
}

impl ConcurrentInterner {
    pub fn new() -> Self {
        ConcurrentInterner {
            shards: (0..SHARDS)
                .map(|_| LockedShard(Mutex::new(Shard::new())))
                .collect(),
            hasher: DefaultHashBuilder::default(),
            id: NEXT_INTERNER_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Makes room for about `strings` distinct strings of `bytes` bytes in all, so that loading
    /// does not rebuild the shards' tables (re-hashing every string each time they double).
    pub fn reserve(&self, strings: usize, bytes: usize) {
        for shard in &self.shards {
            shard
                .lock()
                .reserve(strings / SHARDS, bytes / SHARDS, &self.hasher);
        }
    }

    pub fn intern(&self, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::NONE;
        }
        self.intern_hashed(self.hasher.hash_one(s), s).0
    }

    fn intern_hashed(&self, hash: u64, s: &str) -> (Sym, bool) {
        let shard = shard_of(hash);
        let (local, existed) = self.shards[shard].lock().insert(hash, s, &self.hasher);
        (sym_of(shard, local), existed)
    }

    /// Interns strings that are nearly all new (request ids), grouped by shard: each shard's lock
    /// is taken once per call instead of once per string. A new string's insert misses the cache
    /// in the shard's table, and releasing the lock waits for that store to land; across two
    /// cores the lock, the table's counters and the arena's tail also change hands on nearly
    /// every string. Grouped, the stores of one shard overlap and its lines stay with one core.
    pub fn intern_all(&self, strings: &[&str]) -> Vec<Sym> {
        let mut order: Vec<(usize, usize, u64)> = strings
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.is_empty())
            .map(|(i, s)| {
                let hash = self.hasher.hash_one(s);
                (shard_of(hash), i, hash)
            })
            .collect();
        order.sort_unstable_by_key(|&(shard, i, _)| (shard, i));
        let mut syms = vec![Sym::NONE; strings.len()];
        for group in order.chunk_by(|a, b| a.0 == b.0) {
            let shard_index = group[0].0;
            let mut shard = self.shards[shard_index].lock();
            for &(_, i, hash) in group {
                let (local, _) = shard.insert(hash, strings[i], &self.hasher);
                syms[i] = sym_of(shard_index, local);
            }
        }
        syms
    }

    /// [`ConcurrentInterner::intern`] that first looks in one thread's [`RecentSyms`].
    pub fn intern_with(&self, recent: &mut RecentSyms, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::NONE;
        }
        if recent.owner != self.id {
            recent.table.clear();
            recent.owner = self.id;
        }
        let hash = self.hasher.hash_one(s);
        // The full hash is compared before the string, which lives elsewhere in memory.
        if let Some(&(_, sym, _)) = recent.table.find(hash, |(h, _, t)| *h == hash && **t == *s) {
            return sym;
        }
        let (sym, existed) = self.intern_hashed(hash, s);
        if existed {
            if recent.table.len() >= RecentSyms::CAPACITY {
                recent.table.clear();
            }
            recent
                .table
                .insert_unique(hash, (hash, sym, s.into()), |&(h, _, _)| h);
        }
        sym
    }

    pub fn get(&self, s: &str) -> Option<Sym> {
        if s.is_empty() {
            return Some(Sym::NONE);
        }
        let hash = self.hasher.hash_one(s);
        let shard = shard_of(hash);
        self.shards[shard]
            .lock()
            .find(hash, s)
            .map(|local| sym_of(shard, local))
    }

    /// Copies a string out (the shard may grow while the caller holds it).
    pub fn resolve_owned(&self, sym: Sym) -> String {
        let shard = (sym.0 & (SHARDS as u32 - 1)) as usize;
        self.shards[shard]
            .lock()
            .resolve(sym.0 >> SHARD_BITS)
            .to_string()
    }

    /// Interns every string of `other` and returns the translation table `other sym → self sym`.
    pub fn absorb(&self, other: &Interner) -> impl Fn(Sym) -> Sym {
        let mut map: hashbrown::HashMap<Sym, Sym> = hashbrown::HashMap::with_capacity(other.len());
        for (sym, s) in other.iter() {
            map.insert(sym, self.intern(s));
        }
        move |s| map.get(&s).copied().unwrap_or(Sym::NONE)
    }

    /// A copy of everything interned so far.
    pub fn snapshot(&self) -> Interner {
        Interner {
            shards: self.shards.iter().map(|m| m.lock().clone()).collect(),
            hasher: self.hasher.clone(),
        }
    }

    pub fn into_interner(self) -> Interner {
        Interner {
            shards: self
                .shards
                .into_iter()
                .map(LockedShard::into_inner)
                .collect(),
            hasher: self.hasher,
        }
    }
}

/// One parsing thread's memory of repeated strings and their symbols, so that accounts, regions,
/// ARNs, models and attribute names are found without taking a shard lock or probing a table far
/// larger than the caches. Only strings that were already interned when met are kept: a value seen
/// for the first time is most likely unique (request ids), and would only crowd out the others.
#[derive(Default)]
pub struct RecentSyms {
    owner: u64,
    table: HashTable<(u64, Sym, Box<str>)>,
}

impl RecentSyms {
    /// Entries kept before the table starts over: enough for the distinct repeated values of a
    /// log set, small enough to stay in a core's caches.
    const CAPACITY: usize = 8192;

    pub fn new() -> RecentSyms {
        RecentSyms::default()
    }
}

fn span_str(arena: &str, (start, len): (u32, u32)) -> &str {
    arena
        .get(start as usize..(start + len) as usize)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_deduplicates() {
        let mut i = Interner::new();
        let a = i.intern("arn:aws:iam::111122223333:user/alice");
        let b = i.intern("arn:aws:iam::111122223333:user/bob");
        assert_ne!(a, b);
        assert!(a.is_some() && b.is_some());
        assert_eq!(i.intern("arn:aws:iam::111122223333:user/alice"), a);
        assert_eq!(i.resolve(a), "arn:aws:iam::111122223333:user/alice");
        assert_eq!(i.intern(""), Sym::NONE);
        assert_eq!(i.resolve(Sym::NONE), "");
        assert_eq!(i.get("nope"), None);
        assert_eq!(i.get("arn:aws:iam::111122223333:user/bob"), Some(b));
        assert_eq!(i.resolve(Sym(u32::MAX)), "");
        assert_eq!(i.len(), 2);
    }

    #[test]
    fn concurrent_interning_agrees_across_threads() {
        let c = ConcurrentInterner::new();
        let words: Vec<String> = (0..2000).map(|i| format!("w{}", i % 500)).collect();
        let syms: Vec<Vec<Sym>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| words.iter().map(|w| c.intern(w)).collect::<Vec<_>>()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(syms.windows(2).all(|w| w[0] == w[1]));
        let frozen = c.into_interner();
        assert_eq!(frozen.len(), 500);
        assert_eq!(frozen.resolve(syms[0][7]), "w7");
        assert_eq!(frozen.get("w7"), Some(syms[0][7]));
    }

    #[test]
    fn recent_syms_agree_with_the_interner() {
        let c = ConcurrentInterner::new();
        let mut recent = RecentSyms::new();
        let a = c.intern_with(&mut recent, "us-east-1");
        assert_eq!(c.intern_with(&mut recent, "us-east-1"), a);
        assert_eq!(c.intern_with(&mut recent, "us-east-1"), a);
        assert_eq!(c.intern("us-east-1"), a);
        assert_eq!(c.intern_with(&mut recent, ""), Sym::NONE);
        // Bound to one interner: another one's symbols are never served from it.
        let other = ConcurrentInterner::new();
        other.intern("x");
        let b = other.intern_with(&mut recent, "us-east-1");
        assert_eq!(other.into_interner().resolve(b), "us-east-1");
        let words: Vec<String> = (0..3 * RecentSyms::CAPACITY)
            .map(|i| format!("w{}", i % (RecentSyms::CAPACITY + 100)))
            .collect();
        let direct: Vec<Sym> = words.iter().map(|w| c.intern(w)).collect();
        let cached: Vec<Sym> = words
            .iter()
            .map(|w| c.intern_with(&mut recent, w))
            .collect();
        assert_eq!(direct, cached);
    }

    #[test]
    fn interning_all_at_once_agrees_with_one_by_one() {
        let c = ConcurrentInterner::new();
        let earlier = c.intern("req-7");
        let words: Vec<String> = (0..3000).map(|i| format!("req-{}", i % 2000)).collect();
        let mut batch: Vec<&str> = words.iter().map(String::as_str).collect();
        batch.insert(5, "");
        let syms = c.intern_all(&batch);
        assert_eq!(syms.len(), batch.len());
        assert_eq!(syms[5], Sym::NONE);
        assert_eq!(syms[8], earlier, "req-7 was interned before the batch");
        for (s, sym) in batch.iter().zip(&syms) {
            assert_eq!(c.intern(s), *sym, "{s}");
        }
        let frozen = c.into_interner();
        assert_eq!(frozen.len(), 2000);
        assert_eq!(frozen.resolve(syms[2002]), "req-1");
        assert_eq!(
            syms[1], syms[2002],
            "req-1 twice in one batch is one symbol"
        );
    }

    #[test]
    fn reserving_room_keeps_what_is_interned() {
        let c = ConcurrentInterner::new();
        let before = c.intern("111122223333");
        // Room reserved after strings are in re-places them in the larger tables.
        c.reserve(100_000, 4_000_000);
        let words: Vec<String> = (0..5000).map(|i| format!("req-{i}")).collect();
        let syms: Vec<Sym> = words.iter().map(|w| c.intern(w)).collect();
        assert_eq!(c.intern("111122223333"), before);
        assert_eq!(c.get("req-4999"), Some(syms[4999]));
        let frozen = c.into_interner();
        assert_eq!(frozen.len(), 5001);
        assert_eq!(frozen.resolve(syms[17]), "req-17");
        assert_eq!(frozen.resolve(before), "111122223333");
    }

    #[test]
    fn absorb_translates_symbols() {
        let global = ConcurrentInterner::new();
        let x = global.intern("x");
        let mut local = Interner::new();
        let ly = local.intern("y");
        let lx = local.intern("x");
        let tr = global.absorb(&local);
        assert_eq!(tr(lx), x);
        assert_eq!(global.resolve_owned(tr(ly)), "y");
        assert_eq!(tr(Sym::NONE), Sym::NONE);
    }
}
