//! The normalized event model: [`Event`], interned strings and the time-ordered [`EventStore`].

pub mod event;
pub mod field;
pub mod intern;
pub mod probe;
pub mod store;
pub mod time;
mod time_order;
pub mod view;

pub use event::{ErrorClass, Event, Outcome, RawEncoding, SourceRef, Strand, NO_COUNT};
pub use field::{Field, Value};
pub use intern::{ConcurrentInterner, Interner, RecentSyms, Sym};
pub use probe::TextProbes;
pub use store::{EntityKind, EventStore, FileBatch, SortedIndex, SourceFile, StoreBuilder};
