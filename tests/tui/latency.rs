//! The latency harness (`strata::tui::bench`, used by `cargo bench --bench tui_latency`) drives the
//! real loop: every injected key produces a frame, during and after loading. Times are measured by
//! the benchmark, not asserted here.

use std::path::PathBuf;
use std::time::Duration;
use strata::tui::bench::measure;

#[test]
fn harness_drives_the_real_loop_on_the_sample_logs() {
    let r = measure(
        &[PathBuf::from("sample-logs")],
        (120, 40),
        Duration::from_millis(20),
        30,
    )
    .expect("measure");
    assert!(r.after_loading.samples >= 30, "{r}");
    assert!(
        r.first_frame_ms > 0.0 && r.loaded_ms >= r.first_frame_ms,
        "{r}"
    );
}
