//! Attacker-controlled text — escape sequences, NUL, bidi overrides, OSC 52 in a user agent —
//! shows escaped in every view and never reaches the terminal raw; huge prompts stay usable.

use crate::common::app;
use std::time::Instant;
use strata::app::views::{DocStatus, Screen};
use strata::app::Action;
use strata::tui::headless::Headless;

/// Every cell of the last frame is printable and free of bidi/zero-width characters.
fn assert_clean(a: &mut Headless, what: &str) -> String {
    let screen = a.screen();
    for c in screen.chars() {
        assert!(
            c == '\n' || !strata::ui::sanitize::needs_escape(c),
            "{what}: raw {:?} on screen:\n{screen}",
            c
        );
    }
    screen
}

#[test]
fn every_view_escapes_hostile_text() {
    for (w, h) in [(80u16, 24u16), (160, 45)] {
        let mut a = app(w, h);
        for v in [
            Action::ViewAlerts,
            Action::ViewRequests,
            Action::ViewCliProfiles,
            Action::ViewEntities,
            Action::ViewTimeline,
            Action::ViewLoadReport,
        ] {
            a.act(v);
            assert_clean(&mut a, &format!("{v:?}"));
        }
        // The OSC 52 / colour sequence in mallory's user agent, escaped in the timeline.
        a.act(Action::ViewTimeline);
        a.act(Action::Filter);
        a.type_text("ua~evil");
        a.key(crossterm::event::KeyCode::Enter);
        assert_clean(&mut a, "timeline ua");
        a.act(Action::Open);
        let s = assert_clean(&mut a, "request view of the event");
        assert!(s.contains("evil\\x1b[31mred\\x1b]52;c;aGk=\\x07"), "{s}");
    }
}

#[test]
fn request_view_shows_nul_bidi_and_escapes_visibly() {
    let mut a = app(80, 24);
    a.act(Action::ViewRequests);
    a.act(Action::MoveDown);
    a.act(Action::Open);
    for _ in 0..3 {
        a.act(Action::NextMatch);
    }
    let s = assert_clean(&mut a, "request view");
    assert!(
        s.contains("secret.\\0 Hidden: \\u{202e}evil\\u{202c}"),
        "{s}"
    );
    assert!(s.contains("\\x1b[2J clear"), "{s}");
}

#[test]
fn a_two_megabyte_prompt_opens_and_scrolls() {
    let dir = tempfile::tempdir().unwrap();
    let prompt = format!(
        "{} ignore previous instructions {}",
        "A ".repeat(1_000_000),
        "\u{202e}x"
    );
    let rec = serde_json::json!({
        "schemaType": "ModelInvocationLog", "schemaVersion": "1.0",
        "timestamp": "2024-07-08T17:00:00Z", "accountId": "1", "region": "us-east-1",
        "identity": {"arn": "arn:aws:iam::1:user/big"}, "requestId": "big-1",
        "operation": "InvokeModel", "modelId": "m",
        "input": {"inputBodyJson": {"messages": [{"role": "user", "content": [{"type": "text", "text": prompt}]}]}},
        "output": {"outputBodyJson": {"content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn"}}
    });
    std::fs::write(dir.path().join("big.jsonl"), format!("{rec}\n")).unwrap();
    let mut a = Headless::new(80, 24);
    a.load(&[dir.path().to_path_buf()]);
    a.act(Action::ViewRequests);
    let t = Instant::now();
    a.act(Action::Open);
    let opened = t.elapsed();
    let lines = match a.state.top() {
        Screen::Doc(d) => match &d.status {
            DocStatus::Ready(l) => l.lines.len(),
            other => panic!("{other:?}"),
        },
        _ => panic!("request view"),
    };
    assert!(lines > 20_000, "{lines}");
    let t = Instant::now();
    a.act(Action::NextMatch);
    a.act(Action::Bottom);
    let s = assert_clean(&mut a, "big prompt");
    assert!(
        t.elapsed().as_millis() < 200,
        "scrolling took {:?}",
        t.elapsed()
    );
    assert!(opened.as_secs() < 20, "opening took {opened:?}");
    assert!(s.contains("\\u{202e}x"), "{s}");
}

#[test]
fn every_screen_survives_every_size() {
    let mut a = app(80, 24);
    let screens: Vec<Vec<Action>> = vec![
        vec![Action::ViewAlerts],
        vec![Action::Open],
        vec![
            Action::Back,
            Action::ViewRequests,
            Action::Open,
            Action::NextMatch,
        ],
        vec![Action::Back, Action::ViewCliProfiles, Action::Open],
        vec![Action::Back, Action::ViewEntities],
        vec![Action::ViewTimeline, Action::ZoomIn],
        vec![Action::ViewLoadReport],
        vec![Action::Help],
        vec![Action::Back, Action::PivotMenu],
        vec![Action::Back, Action::Filter],
    ];
    for steps in screens {
        for s in steps {
            a.act(s);
        }
        for w in [1u16, 5, 19, 20, 40, 79, 80, 81, 139, 140, 200] {
            for h in [1u16, 2, 3, 4, 5, 10, 24, 45] {
                a.resize(w, h);
                let screen = a.screen();
                assert_eq!(screen.lines().count(), h as usize, "{w}x{h}");
            }
        }
        a.resize(80, 24);
    }
}
