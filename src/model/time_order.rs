//! Putting the store's events in time order. Events arrive file batch by file batch from parallel
//! parsing threads; how they arrived (runs of one file in record order) is noted as they come, so
//! that ties of time are broken by file and record without looking events up, and each file's
//! events are found in record order without sorting them.

use super::event::Event;
use rayon::prelude::*;

/// What [`Arrivals::order`] finds.
pub(super) struct TimeOrder {
    /// `order[i]` is the arrival index of the event that goes to position `i`.
    pub order: Vec<u32>,
    /// Per known file, the positions of its events in record order.
    pub by_source: Vec<Vec<u32>>,
    pub strand_counts: [usize; 4],
}

/// Events that arrived one after another from the same file in ascending record order: a whole
/// file batch, as ingest hands them over.
#[derive(Clone, Copy, Debug)]
struct Run {
    file: u32,
    first_record: u32,
    last_record: u32,
    /// Arrival index of the first event.
    start: u32,
    len: u32,
}

/// How the events absorbed so far arrived, in runs.
#[derive(Debug, Default)]
pub(super) struct Arrivals {
    runs: Vec<Run>,
    strand_counts: [usize; 4],
}

impl Arrivals {
    /// Notes the event that arrived with arrival index `index`; indexes come in order.
    pub fn note(&mut self, e: &Event, index: u32) {
        self.strand_counts[e.strand as usize] += 1;
        let (file, record) = (e.source.file, e.source.record);
        if let Some(run) = self.runs.last_mut() {
            let follows = run.start + run.len == index;
            if follows && run.file == file && record > run.last_record {
                run.last_record = record;
                run.len += 1;
                return;
            }
        }
        self.runs.push(Run {
            file,
            first_record: record,
            last_record: record,
            start: index,
            len: 1,
        });
    }

    /// Time order, ties broken by file and record, over `events` (in arrival order); `known_files`
    /// files are registered.
    pub fn order(self, events: &[Event], known_files: usize) -> TimeOrder {
        let Arrivals {
            mut runs,
            strand_counts,
        } = self;
        runs.sort_unstable_by_key(|r| (r.file, r.first_record));
        // Runs of one file that overlap in records (batches put together by hand) cannot simply
        // follow each other: such a file's runs are cut into single events, sorted.
        let overlapping = runs
            .windows(2)
            .any(|w| w[0].file == w[1].file && w[0].last_record >= w[1].first_record);
        if overlapping {
            runs = single_events(&runs, events);
        }
        // The rank of an event in (file, record) order breaks ties of time, so the sort compares
        // plain numbers and looks nothing up. Reading the times run by run reads the events
        // sequentially.
        let by_rank: Vec<u32> = runs.iter().flat_map(|r| r.start..r.start + r.len).collect();
        let mut keys: Vec<(i64, u32)> = by_rank
            .par_iter()
            .enumerate()
            .map(|(rank, &index)| {
                let ts = events.get(index as usize).map_or(0, |e| e.ts);
                (ts, rank as u32)
            })
            .collect();
        keys.par_sort_unstable();
        let order: Vec<u32> = keys
            .into_iter()
            .map(|(_, rank)| by_rank[rank as usize])
            .collect();
        drop(by_rank);
        let mut position = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            if let Some(slot) = position.get_mut(old as usize) {
                *slot = new as u32;
            }
        }
        let mut by_source: Vec<Vec<u32>> = vec![Vec::new(); known_files];
        for r in &runs {
            if let Some(list) = by_source.get_mut(r.file as usize) {
                list.extend(
                    (r.start..r.start + r.len)
                        .map(|index| position.get(index as usize).copied().unwrap_or(0)),
                );
            }
        }
        TimeOrder {
            order,
            by_source,
            strand_counts,
        }
    }
}

/// The events of `runs` as runs of one event each, in (file, record) order.
fn single_events(runs: &[Run], events: &[Event]) -> Vec<Run> {
    let mut singles: Vec<Run> = runs
        .iter()
        .flat_map(|r| r.start..r.start + r.len)
        .filter_map(|index| {
            let e = events.get(index as usize)?;
            Some(Run {
                file: e.source.file,
                first_record: e.source.record,
                last_record: e.source.record,
                start: index,
                len: 1,
            })
        })
        .collect();
    singles.sort_by_key(|r| (r.file, r.first_record));
    singles
}

/// Reorders `v` so that position `i` holds the element that was at `order[i]`, rotating each
/// cycle of the permutation through one spare element: every element is written once, where
/// swapping along the cycle wrote each one three times.
pub(super) fn apply_permutation<T: Clone>(v: &mut [T], mut order: Vec<u32>) {
    const DONE: u32 = u32::MAX;
    for start in 0..v.len().min(order.len()) {
        if order[start] == DONE || order[start] as usize == start {
            order[start] = DONE;
            continue;
        }
        let first = v[start].clone();
        let mut cur = start;
        loop {
            let next = order[cur] as usize;
            order[cur] = DONE;
            if next == start || next >= v.len() {
                v[cur] = first;
                break;
            }
            v[cur] = v[next].clone();
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RawEncoding, SourceRef, Strand};

    fn event(ts: i64, file: u32, record: u32) -> Event {
        let source = SourceRef {
            file,
            record,
            offset: 0,
            len: 0,
            encoding: RawEncoding::Direct,
        };
        Event::new(Strand::Management, ts, source)
    }

    /// Arrival order of `(ts, file, record)` events → their arrival indexes in time order, and
    /// the positions of each known file's events.
    fn order(arrived: &[(i64, u32, u32)], known_files: usize) -> (Vec<u32>, Vec<Vec<u32>>) {
        let events: Vec<Event> = arrived.iter().map(|&(t, f, r)| event(t, f, r)).collect();
        let mut arrivals = Arrivals::default();
        for (i, e) in events.iter().enumerate() {
            arrivals.note(e, i as u32);
        }
        let o = arrivals.order(&events, known_files);
        assert_eq!(o.strand_counts[Strand::Management as usize], arrived.len());
        (o.order, o.by_source)
    }

    #[test]
    fn time_order_breaks_ties_by_file_then_record() {
        // Two threads' batches interleaved: file 1 arrives before file 0, and equal times abound.
        let arrived = [
            (20, 1, 0),
            (10, 1, 1),
            (20, 0, 0),
            (10, 0, 1),
            (5, 1, 2),
            (20, 0, 2),
        ];
        let (order, by_source) = order(&arrived, 2);
        assert_eq!(order, vec![4, 3, 1, 2, 5, 0]);
        // File 0's records 0, 1, 2 went to positions 3, 1, 4; file 1's to 5, 2, 0.
        assert_eq!(by_source, vec![vec![3, 1, 4], vec![5, 2, 0]]);
    }

    #[test]
    fn records_out_of_order_and_unknown_files_are_placed_too() {
        // File 0's records arrive backwards, and again overlapping in a later batch; file 7 is not
        // registered.
        let arrived = [
            (1, 0, 1),
            (1, 7, 0),
            (1, 0, 0),
            (1, 1, 0),
            (1, 0, 2),
            (1, 0, 1),
        ];
        let (order, by_source) = order(&arrived, 2);
        assert_eq!(order, vec![2, 0, 5, 4, 3, 1]);
        assert_eq!(by_source, vec![vec![0, 1, 2, 3], vec![4]]);
    }

    #[test]
    fn permutation_is_applied_in_place() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        apply_permutation(&mut v, vec![2, 0, 1, 4, 3]);
        assert_eq!(v, vec!['c', 'a', 'b', 'e', 'd']);
        // A shuffled order with fixed points and long cycles matches a plain gather.
        let n = 1000u32;
        let mut order: Vec<u32> = (0..n).collect();
        let mut x = 12345u32;
        for i in (1..n as usize).rev() {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            order.swap(i, (x >> 8) as usize % (i + 1));
        }
        let original: Vec<String> = (0..n).map(|i| format!("e{i}")).collect();
        let expected: Vec<String> = order
            .iter()
            .map(|&i| original[i as usize].clone())
            .collect();
        let mut v = original.clone();
        apply_permutation(&mut v, order);
        assert_eq!(v, expected);
    }
}
