//! Derived views of the event store for the TUI, as pure functions: the request join, CLI
//! profiles, entity summaries, timeline histograms, the `/` filter language, the keyword
//! highlighter and evidence text for tickets.

pub mod alerts;
pub mod cli;
pub mod entities;
pub mod evidence;
pub mod filter;
pub mod highlight;
pub mod requests;
pub mod timeline;

/// The hostile fixture log set under `tests/tui/fixtures`, loaded once per test binary.
#[cfg(test)]
pub(crate) mod testdata {
    use crate::ingest::{self, Loaded};
    use crate::model::TextProbes;
    use std::path::PathBuf;
    use std::sync::OnceLock;

    pub fn dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/tui/fixtures")
    }

    pub fn loaded() -> &'static Loaded {
        static L: OnceLock<Loaded> = OnceLock::new();
        L.get_or_init(|| ingest::load(&[dir()], &TextProbes::new(), |_| {}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;

    #[test]
    fn fixture_requests_join_by_request_id() {
        let store = &testdata::loaded().store;
        let rows = requests::build(store);
        let view: Vec<(String, &str)> = rows
            .iter()
            .map(|r| {
                let rr = requests::RequestRef { row: r, store };
                (rr.request_id().to_string(), rr.sources())
            })
            .collect();
        assert_eq!(
            view,
            vec![
                ("req-0001".to_string(), "IC"),
                ("req-0002".to_string(), "IC"),
                ("req-0003".to_string(), "I"),
                ("req-0009".to_string(), "C"),
                ("q".to_string(), "I"),
            ]
        );
        let r = requests::RequestRef {
            row: &rows[1],
            store,
        };
        assert_eq!(r.tokens_in(), 6400);
        assert_eq!(r.guardrail(), "INTERVENED");
    }

    #[test]
    fn fixture_cli_profiles_and_entities() {
        let store = &testdata::loaded().store;
        let profiles = cli::build(store, crate::detect::CliActions::builtin());
        let names: Vec<(String, &str, u32)> = profiles
            .iter()
            .map(|p| (store.str(p.user).to_string(), p.class.name(), p.count))
            .collect();
        assert_eq!(
            names,
            vec![
                ("ci".to_string(), "invoke", 1),
                ("mallory".to_string(), "delete", 2),
                ("mallory".to_string(), "get", 1),
                ("mallory".to_string(), "list", 1),
            ]
        );
        // Over some of its events, a profile counts and ranks those alone.
        let deletes = &profiles[1];
        let second = deletes.events[1];
        let within = deletes.within(store, |e| e == second).unwrap();
        assert_eq!((within.count, within.events.clone()), (1, vec![second]));
        assert_eq!(
            within.subcommands,
            vec![(
                "delete-model-invocation-logging-configuration".to_string(),
                1
            )]
        );
        let ts = store.event(second).unwrap().ts;
        assert_eq!((within.first, within.last), (ts, ts));
        assert_eq!(within.buckets.iter().sum::<u32>(), 1);
        let again = within.within(store, |_| true).unwrap();
        assert_eq!(again.subcommands, within.subcommands);
        assert!(deletes.within(store, |_| false).is_none());
        let ents = entities::build(store);
        let mallory = ents
            .iter()
            .find(|e| e.kind == EntityKind::User && store.str(e.key).ends_with("user/mallory"))
            .unwrap();
        assert_eq!((mallory.events, mallory.errors), (6, 1));
    }
}
