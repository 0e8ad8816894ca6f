//! String interning: every repeated value (ARNs, accounts, models, IPs, user agents, request ids) is
//! stored once in one arena and referred to by a 4-byte [`Sym`].

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

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

/// Append-only arena of unique strings. Spans index one contiguous `String`, so memory per string is
/// its bytes plus 8 bytes of span plus a hash slot; no per-string allocation.
#[derive(Clone, Debug)]
pub struct Interner {
    arena: String,
    spans: Vec<(u32, u32)>,
    table: HashTable<u32>,
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
            arena: String::new(),
            // Sym 0 is the empty string, so `resolve(Sym::NONE)` is always valid.
            spans: vec![(0, 0)],
            table: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.len() <= 1
    }

    /// Bytes held by the arena (for memory accounting).
    pub fn arena_bytes(&self) -> usize {
        self.arena.len()
    }

    pub fn intern(&mut self, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::NONE;
        }
        let hash = self.hasher.hash_one(s);
        let arena = &self.arena;
        let spans = &self.spans;
        if let Some(&id) = self
            .table
            .find(hash, |&id| span_str(arena, spans[id as usize]) == s)
        {
            return Sym(id);
        }
        let start = self.arena.len() as u32;
        self.arena.push_str(s);
        let id = self.spans.len() as u32;
        self.spans.push((start, s.len() as u32));
        let arena = &self.arena;
        let spans = &self.spans;
        let hasher = &self.hasher;
        self.table.insert_unique(hash, id, |&id| {
            hasher.hash_one(span_str(arena, spans[id as usize]))
        });
        Sym(id)
    }

    /// Looks a string up without inserting it; `None` when it was never seen, which lets a rule
    /// comparing against a constant skip every event at once.
    pub fn get(&self, s: &str) -> Option<Sym> {
        if s.is_empty() {
            return Some(Sym::NONE);
        }
        let hash = self.hasher.hash_one(s);
        self.table
            .find(hash, |&id| {
                span_str(&self.arena, self.spans[id as usize]) == s
            })
            .map(|&id| Sym(id))
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        match self.spans.get(sym.0 as usize) {
            Some(&span) => span_str(&self.arena, span),
            None => "",
        }
    }

    /// Interns every string of `other` and returns the translation table `other sym → self sym`.
    pub fn absorb(&mut self, other: &Interner) -> Vec<Sym> {
        let mut map = Vec::with_capacity(other.spans.len());
        map.push(Sym::NONE);
        for &span in &other.spans[1..] {
            map.push(self.intern(span_str(&other.arena, span)));
        }
        map
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
        assert_eq!(i.intern("arn:aws:iam::111122223333:user/alice"), a);
        assert_eq!(i.resolve(a), "arn:aws:iam::111122223333:user/alice");
        assert_eq!(i.intern(""), Sym::NONE);
        assert_eq!(i.resolve(Sym::NONE), "");
        assert_eq!(i.get("nope"), None);
        assert_eq!(i.get("arn:aws:iam::111122223333:user/bob"), Some(b));
        assert_eq!(i.resolve(Sym(999)), "");
    }

    #[test]
    fn absorb_translates_symbols() {
        let mut global = Interner::new();
        let x = global.intern("x");
        let mut local = Interner::new();
        let ly = local.intern("y");
        let lx = local.intern("x");
        let map = global.absorb(&local);
        assert_eq!(map[lx.0 as usize], x);
        assert_eq!(global.resolve(map[ly.0 as usize]), "y");
    }
}
