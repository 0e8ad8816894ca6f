//! `update` for every action: state changes and effects, observed through the headless driver
//! (effects run inline, so results are in before the next step).

use crate::common::{answer_prompt, app};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use strata::app::input::Purpose;
use strata::app::views::{DocStatus, DocTarget, Pane, Screen, ViewId, GROUP_BIT};
use strata::app::{nav, Action, Context, Msg, Overlay, Phase};
use strata::model::EntityKind;
use strata::tui::headless::Headless;

fn view(a: &Headless) -> ViewId {
    a.state.frame().view
}

fn selected(a: &Headless) -> usize {
    a.state.frame().current().selected
}

fn crumb(a: &Headless) -> String {
    nav::breadcrumb(&a.state).join(" › ")
}

fn toast(a: &Headless) -> String {
    a.state
        .toast
        .as_ref()
        .map(|t| t.text.clone())
        .unwrap_or_default()
}

fn osc52_payload(raw: &[u8]) -> String {
    use base64::Engine;
    let text = String::from_utf8_lossy(raw);
    let start = text.find("\x1b]52;c;").map(|p| p + 7).unwrap_or(0);
    let end = text[start..]
        .find('\x07')
        .map(|p| start + p)
        .unwrap_or(text.len());
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&text[start..end])
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn loading_phases_end_ready_with_every_view_computed() {
    let a = app(80, 24);
    assert_eq!(a.state.status.phase, Phase::Ready);
    assert_eq!(a.state.data.alerts.len(), 3);
    assert_eq!(a.state.status.not_evaluated.len(), 1);
    assert_eq!(a.state.frame().list(ViewId::Alerts).rows.len(), 3);
}

#[test]
fn loading_totals_are_marked_open_until_every_file_is_found() {
    let mut a = Headless::new(160, 45);
    let mut progress = strata::ingest::LoadProgress {
        files_total: 40,
        files_done: 3,
        bytes_total: 4_000_000,
        bytes_done: 300_000,
        events: 1200,
        ..Default::default()
    };
    a.send(Msg::LoadProgress(progress.clone()));
    let screen = a.screen();
    assert!(screen.contains("3/40+ files"), "{screen}");
    progress.files_total = 964;
    progress.walk_done = true;
    a.send(Msg::LoadProgress(progress));
    let screen = a.screen();
    assert!(screen.contains("3/964 files"), "{screen}");
    assert!(!screen.contains("964+"), "{screen}");
}

#[test]
fn quit_help_redraw() {
    let mut a = app(80, 24);
    a.act(Action::Help);
    assert!(matches!(a.state.overlay, Some(Overlay::Help { .. })));
    assert_eq!(a.state.ctx(), Context::Help);
    a.act(Action::MoveDown);
    assert!(matches!(a.state.overlay, Some(Overlay::Help { scroll: 1 })));
    a.key(KeyCode::Esc);
    assert!(a.state.overlay.is_none());
    a.act(Action::Redraw);
    a.act(Action::Quit);
    assert!(a.state.quit);
}

#[test]
fn view_switching_remembers_each_selection() {
    let mut a = app(80, 24);
    for (action, v) in [
        (Action::ViewRequests, ViewId::Requests),
        (Action::ViewCliProfiles, ViewId::Cli),
        (Action::ViewEntities, ViewId::Entities),
        (Action::ViewTimeline, ViewId::Timeline),
        (Action::ViewLoadReport, ViewId::Report),
        (Action::ViewAlerts, ViewId::Alerts),
    ] {
        a.act(action);
        assert_eq!(view(&a), v);
    }
    a.act(Action::NextView);
    assert_eq!(view(&a), ViewId::Requests);
    a.act(Action::MoveDown);
    a.act(Action::MoveDown);
    a.act(Action::PrevView);
    assert_eq!(view(&a), ViewId::Alerts);
    a.act(Action::NextView);
    assert_eq!(selected(&a), 2, "requests kept its selection");
}

#[test]
fn movement_actions() {
    let mut a = app(80, 24);
    a.act(Action::ViewTimeline);
    let n = a.state.frame().current().rows.len();
    a.act(Action::Bottom);
    assert_eq!(selected(&a), n - 1);
    a.act(Action::Top);
    assert_eq!(selected(&a), 0);
    a.act(Action::PageDown);
    assert_eq!(
        selected(&a),
        n - 1,
        "a page is longer than the fixture timeline"
    );
    a.act(Action::PageUp);
    assert_eq!(selected(&a), 0);
    a.act(Action::HalfPageDown);
    assert!(selected(&a) > 0);
    a.act(Action::HalfPageUp);
    assert_eq!(selected(&a), 0);
    a.act(Action::MoveUp);
    assert_eq!(selected(&a), 0);
    a.act(Action::ScrollLeft);
    a.act(Action::ScrollRight);
    assert_eq!(selected(&a), 0);
}

#[test]
fn open_and_back_for_every_view() {
    let mut a = app(80, 24);
    a.act(Action::Open);
    assert!(matches!(a.state.top(), Screen::Alert(_)));
    a.act(Action::Back);
    a.act(Action::ViewRequests);
    a.act(Action::Open);
    assert!(matches!(a.state.top(), Screen::Doc(d) if matches!(d.status, DocStatus::Ready(_))));
    a.act(Action::Back);
    a.act(Action::ViewCliProfiles);
    a.act(Action::Open);
    assert!(matches!(a.state.top(), Screen::Commands(_)));
    a.act(Action::Back);
    a.act(Action::ViewEntities);
    a.act(Action::Open);
    assert!(a.state.frame().scope.is_some());
    assert_eq!(view(&a), ViewId::Timeline);
    a.act(Action::Back);
    assert!(a.state.frame().scope.is_none());
    a.act(Action::ViewTimeline);
    a.act(Action::Open);
    assert!(matches!(a.state.top(), Screen::Doc(_)));
    a.act(Action::Back);
    a.act(Action::ViewLoadReport);
    a.act(Action::Open);
    assert!(matches!(a.state.top(), Screen::Doc(d) if d.target == DocTarget::File(0)));
    a.act(Action::Back);
    assert_eq!(a.state.stack.len(), 1);
}

#[test]
fn prev_and_next_item_step_through_the_list_below() {
    let mut a = app(80, 24);
    a.act(Action::ViewRequests);
    a.act(Action::Open);
    let first = match a.state.top() {
        Screen::Doc(d) => d.target.clone(),
        _ => panic!("request view"),
    };
    a.act(Action::NextItem);
    let second = match a.state.top() {
        Screen::Doc(d) => d.target.clone(),
        _ => panic!("request view"),
    };
    assert_ne!(first, second);
    assert_eq!(a.state.stack.len(), 2);
    a.act(Action::PrevItem);
    assert!(matches!(a.state.top(), Screen::Doc(d) if d.target == first));
}

#[test]
fn filter_clear_filter_and_history() {
    let mut a = app(80, 24);
    a.act(Action::ViewRequests);
    a.act(Action::Filter);
    assert!(matches!(&a.state.overlay, Some(Overlay::Input(i)) if i.purpose == Purpose::Filter));
    a.type_text("user=mallory");
    assert_eq!(a.state.frame().current().rows.len(), 2, "live while typing");
    a.key(KeyCode::Enter);
    assert!(a.state.overlay.is_none());
    assert_eq!(a.state.frame().current().filter_text, "user=mallory");
    a.act(Action::ClearFilter);
    assert_eq!(a.state.frame().current().rows.len(), 5);
    // Recall, then cancel restores the filter from before editing.
    a.act(Action::Filter);
    a.key(KeyCode::Up);
    assert_eq!(a.state.frame().current().filter_text, "user=mallory");
    a.key(KeyCode::Esc);
    assert_eq!(a.state.frame().current().filter_text, "");
    // Field terms, negation, fuzzy words and errors.
    a.act(Action::Filter);
    a.type_text("!error=validation model~claude");
    assert_eq!(a.state.frame().current().rows.len(), 3);
    a.key(KeyCode::Esc);
    a.act(Action::Filter);
    a.type_text("colour=red");
    assert!(!a.state.frame().current().query.errors.is_empty());
    a.key(KeyCode::Esc);
    // Esc in a list with a filter clears it.
    a.act(Action::Filter);
    a.type_text("model~sonnet");
    a.key(KeyCode::Enter);
    assert_eq!(a.state.frame().current().rows.len(), 2);
    a.act(Action::Back);
    assert_eq!(a.state.frame().current().rows.len(), 5);
}

#[test]
fn sorting_and_grouping() {
    let mut a = app(80, 24);
    a.act(Action::ViewRequests);
    a.act(Action::SortNext);
    assert!(toast(&a).contains("tokens in"));
    a.act(Action::MoveDown);
    let top = a.state.frame().current().selected_item();
    let rows = &a.state.data.derived.requests;
    let first = rows[a.state.frame().current().rows.get(0).unwrap() as usize];
    assert_eq!(
        first
            .invocation
            .map(|i| a.state.data.store.event(i).unwrap().prompt_tokens),
        Some(6400)
    );
    a.act(Action::SortReverse);
    assert!(toast(&a).contains("reversed"));
    assert_eq!(
        a.state.frame().current().selected_item(),
        top,
        "selection follows the item"
    );
    a.act(Action::ViewAlerts);
    a.act(Action::ToggleGrouping);
    a.act(Action::Top);
    let rows = a.state.frame().current().rows.clone();
    assert_eq!(rows.len(), 6, "three rules, one alert each");
    assert_ne!(rows.get(0).unwrap() & GROUP_BIT, 0);
    a.act(Action::Open);
    assert_eq!(
        a.state.frame().current().rows.len(),
        5,
        "the first group collapsed"
    );
    a.act(Action::ToggleGrouping);
    assert_eq!(a.state.frame().current().rows.len(), 3);
    a.act(Action::ViewTimeline);
    a.act(Action::SortNext);
    assert!(toast(&a).contains("one order"));
    a.act(Action::ToggleGrouping);
    assert!(toast(&a).contains("alerts view"));
}

#[test]
fn pivots_stack_and_back_unwinds() {
    let mut a = app(80, 24);
    a.act(Action::PivotUser);
    assert_eq!(crumb(&a), "user: user/mallory › Timeline");
    assert_eq!(a.state.frame().current().rows.len(), 6);
    a.act(Action::ViewRequests);
    assert_eq!(
        a.state.frame().current().rows.len(),
        2,
        "requests in the pivot are scoped too"
    );
    a.act(Action::PivotAccount);
    assert_eq!(
        crumb(&a),
        "user: user/mallory › account: 111122223333 › Timeline"
    );
    a.act(Action::Back);
    assert_eq!(crumb(&a), "user: user/mallory › Requests");
    a.act(Action::Back);
    assert_eq!(crumb(&a), "Alerts");
    // The menu offers every entity of the row; letters pick.
    a.act(Action::ViewTimeline);
    a.act(Action::PivotMenu);
    let Some(Overlay::Pivot { options, .. }) = &a.state.overlay else {
        panic!("pivot menu")
    };
    assert!(options.iter().any(|(k, _)| *k == EntityKind::Host));
    a.key(KeyCode::Char('h'));
    assert_eq!(crumb(&a), "host: dev-laptop-7 › Timeline");
    a.act(Action::Back);
    // A row without the entity says so.
    a.act(Action::PivotAccount);
    assert!(toast(&a).contains("no account"));
}

#[test]
fn pivot_request_opens_the_request_view() {
    let mut a = app(80, 24);
    a.act(Action::MoveDown);
    a.act(Action::PivotRequest);
    match a.state.top() {
        Screen::Doc(d) => match &d.status {
            DocStatus::Ready(l) => assert!(l.doc.title.contains("req-0002")),
            other => panic!("{other:?}"),
        },
        _ => panic!("request view"),
    }
    assert!(crumb(&a).ends_with("request req-0002"));
}

#[test]
fn keyword_matches_next_and_prev() {
    let mut a = app(80, 24);
    a.act(Action::ViewRequests);
    a.act(Action::MoveDown);
    a.act(Action::Open);
    let hits = match a.state.top() {
        Screen::Doc(d) => match &d.status {
            DocStatus::Ready(l) => l.hit_lines.len(),
            _ => 0,
        },
        _ => 0,
    };
    assert!(hits >= 6, "{hits}");
    a.act(Action::NextMatch);
    a.act(Action::NextMatch);
    assert!(matches!(a.state.top(), Screen::Doc(d) if d.hit == Some(1)));
    a.act(Action::PrevMatch);
    a.act(Action::PrevMatch);
    assert!(
        matches!(a.state.top(), Screen::Doc(d) if d.hit == Some(hits - 1)),
        "wraps around"
    );
}

#[test]
fn copy_evidence_and_raw_through_osc52() {
    let mut a = app(80, 24);
    a.act(Action::CopyEvidence);
    let md = osc52_payload(&a.raw);
    assert!(
        md.starts_with("### [HIGH] Guardrail gr-prod-1 deleted by mallory"),
        "{md}"
    );
    assert!(md.contains("T1562.008"));
    assert!(md.contains("cloudtrail.json, record"));
    assert!(toast(&a).contains("osc52"), "{}", toast(&a));
    a.raw.clear();
    a.act(Action::CopyRaw);
    let raw = osc52_payload(&a.raw);
    assert_eq!(raw.lines().count(), 3);
    assert!(raw.contains("\"eventName\":\"DeleteGuardrail\""));
    // A request copies its prompt, completion and keyword hits.
    a.raw.clear();
    a.act(Action::ViewRequests);
    a.act(Action::MoveDown);
    a.act(Action::CopyEvidence);
    let md = osc52_payload(&a.raw);
    assert!(
        md.contains("**Prompt**") && md.contains("Ignore all previous instructions"),
        "{md}"
    );
    assert!(md.contains("**Keyword hits:** injection"), "{md}");
    assert!(md.contains("\\x1b[2J"), "escapes stay escaped in evidence");
}

#[test]
fn marks_and_export_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(80, 24);
    a.act(Action::ToggleMark);
    a.act(Action::ToggleMark);
    assert_eq!(a.state.frame().current().marks.len(), 2);
    a.act(Action::Export);
    assert!(matches!(&a.state.overlay, Some(Overlay::Input(i)) if i.purpose == Purpose::Export));
    assert_eq!(a.state.ctx(), Context::ExportPrompt);
    a.act(Action::CycleFormat);
    let path = dir.path().join("case.md");
    answer_prompt(&mut a, path.to_str().unwrap());
    assert!(toast(&a).starts_with("exported 2 alerts"), "{}", toast(&a));
    let md = std::fs::read_to_string(&path).unwrap();
    assert_eq!(md.matches("### [").count(), 2);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("case.json")).unwrap())
            .unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 2);
    assert_eq!(json["records"].as_array().unwrap().len(), 4);
    // Exports never go into the log set, nor over an existing file.
    a.act(Action::Export);
    answer_prompt(&mut a, "tests/tui/fixtures/evidence.md");
    assert!(toast(&a).contains("refusing"), "{}", toast(&a));
    assert!(!std::path::Path::new("tests/tui/fixtures/evidence.md").exists());
    a.act(Action::Export);
    answer_prompt(&mut a, path.to_str().unwrap());
    assert!(toast(&a).contains("exists"), "{}", toast(&a));
    a.act(Action::ClearMarks);
    assert!(a.state.frame().current().marks.is_empty());
}

#[test]
fn zoom_and_time_range() {
    let mut a = app(80, 24);
    a.act(Action::ZoomIn);
    assert!(toast(&a).contains("timeline"));
    a.act(Action::ViewTimeline);
    a.act(Action::ZoomIn);
    let z = a.state.frame().zoom.expect("zoomed");
    a.act(Action::ZoomOut);
    assert!(a.state.frame().zoom.is_none_or(|w| w.span() > z.span()));
    a.act(Action::TimeRange);
    assert!(matches!(&a.state.overlay, Some(Overlay::Input(i)) if i.purpose == Purpose::TimeRange));
    a.type_text("2024-07-08T17:00 .. 2024-07-08T17:04");
    a.key(KeyCode::Enter);
    assert_eq!(a.state.frame().current().rows.len(), 8);
    a.act(Action::ViewRequests);
    assert_eq!(
        a.state.frame().current().rows.len(),
        3,
        "the range applies to every view"
    );
    a.act(Action::TimeRange);
    answer_prompt(&mut a, "tomorrow");
    assert!(matches!(&a.state.overlay, Some(Overlay::Input(i)) if i.error.is_some()));
    a.key_event(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    a.key(KeyCode::Enter);
    assert_eq!(a.state.frame().current().rows.len(), 5);
}

#[test]
fn alert_detail_panes_and_toggle_wrap() {
    let mut a = app(80, 24);
    a.act(Action::Open);
    a.act(Action::MoveDown);
    a.act(Action::NextView);
    a.act(Action::MoveDown);
    match a.state.top() {
        Screen::Alert(d) => {
            assert_eq!((d.selected, d.focus, d.guide_scroll), (1, Pane::Guide, 1));
            assert_eq!(d.events.iter().flatten().count(), 3);
        }
        _ => panic!("alert detail"),
    }
    a.act(Action::ToggleWrap);
    assert!(toast(&a).contains("wrapped"));
}

#[test]
fn input_editing_actions() {
    let mut a = app(80, 24);
    let text = |a: &Headless| match &a.state.overlay {
        Some(Overlay::Input(i)) => i.text.clone(),
        _ => "(closed)".to_string(),
    };
    a.act(Action::Filter);
    a.type_text("abc def");
    a.act(Action::CursorStart);
    a.act(Action::DeleteForward);
    assert_eq!(text(&a), "bc def");
    a.act(Action::CursorEnd);
    a.act(Action::DeleteBack);
    assert_eq!(text(&a), "bc de");
    a.act(Action::CursorLeft);
    a.act(Action::CursorRight);
    a.act(Action::DeleteWord);
    assert_eq!(text(&a), "bc ");
    a.act(Action::ClearInput);
    assert_eq!(text(&a), "");
    // Keys: printable characters type, even those bound globally (q quits elsewhere).
    a.type_text("q j");
    a.key(KeyCode::Home);
    a.key(KeyCode::Delete);
    assert_eq!(text(&a), " j");
    a.key(KeyCode::End);
    a.key_event(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
    assert_eq!(text(&a), " ");
    a.send(Msg::Paste("x\x1b[31m\ny".into()));
    assert_eq!(text(&a), " x[31my", "pasted control characters are dropped");
    a.act(Action::HistoryPrev);
    a.act(Action::HistoryNext);
    a.act(Action::Confirm);
    assert_eq!(text(&a), "(closed)");
    assert!(!a.state.quit);
    a.act(Action::Filter);
    a.act(Action::Cancel);
    assert_eq!(text(&a), "(closed)");
    // Outside an input, editing actions do nothing.
    for action in [
        Action::CursorLeft,
        Action::DeleteBack,
        Action::HistoryPrev,
        Action::ScrollRight,
    ] {
        a.act(action);
    }
    assert_eq!(a.state.stack.len(), 1);
}

#[test]
fn mouse_wheel_click_and_resize() {
    let mut a = app(80, 24);
    a.act(Action::ViewTimeline);
    let ev = |kind, column, row| MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    a.send(Msg::Mouse(ev(MouseEventKind::ScrollDown, 10, 10)));
    assert_eq!(selected(&a), 3);
    // Timeline table header is on row 7 at 80×24; row 9 is the second data row.
    a.send(Msg::Mouse(ev(
        MouseEventKind::Down(MouseButton::Left),
        10,
        9,
    )));
    assert_eq!(selected(&a), 1);
    a.send(Msg::Mouse(ev(
        MouseEventKind::Down(MouseButton::Left),
        14,
        0,
    )));
    assert_eq!(view(&a), ViewId::Requests);
    a.resize(40, 10);
    let s = a.screen();
    assert_eq!(s.lines().count(), 10);
    a.resize(10, 3);
    assert!(a.screen().contains("strata"));
    a.resize(160, 45);
    a.act(Action::ViewTimeline);
    a.act(Action::Bottom);
    assert!(a.screen().contains("17:09:00"));
}

#[test]
fn the_rule_engine_streams_the_planted_alerts_of_the_sample_logs() {
    let mut a = Headless::new(120, 40);
    a.load(&[std::path::PathBuf::from("sample-logs")]);
    let st = &a.state.status;
    assert!(!st.detecting && st.rules_total > 10 && st.rules_done == st.rules_total);
    assert!(
        a.state.data.alerts.len() >= 10,
        "{}",
        a.state.data.alerts.len()
    );
    let rules: Vec<&str> = a
        .state
        .data
        .alerts
        .iter()
        .map(|x| x.rule.id.as_str())
        .collect();
    for id in [
        "guardrail-deleted",
        "cli-bedrock-delete",
        "validation-exception-burst",
    ] {
        assert!(rules.contains(&id), "{id} missing from {rules:?}");
    }
    // Alerts carry their rule's guide and MITRE ids, and their entities for pivots and tallies.
    let a0 = &a.state.data.alerts[0];
    assert!(!a0.rule.guide.is_empty() && !a0.keys.is_empty());
    assert!(a.state.data.tallies.values().any(|t| t.alerts > 0));
    // The first alert opens, its events resolve, and a user pivot shows its principal.
    a.act(Action::Top);
    a.act(Action::Open);
    assert!(matches!(a.state.top(), Screen::Alert(d) if d.events.iter().all(|e| e.is_some())));
    assert!(a.screen().contains("Triage"));
}

#[test]
fn slash_searches_the_request_view_and_n_steps_through_what_it_found() {
    let mut a = app(100, 30);
    a.act(Action::ViewRequests);
    a.act(Action::Open);
    let search = |a: &Headless| match a.state.top() {
        Screen::Doc(d) => d.search.clone().map(|s| (s.lines, s.current)),
        _ => panic!("the request view"),
    };
    let scroll = |a: &Headless| match a.state.top() {
        Screen::Doc(d) => d.scroll,
        _ => panic!("the request view"),
    };
    let screen = a.screen();
    assert!(
        screen.contains("/ search"),
        "the hint names the search: {screen}"
    );
    a.act(Action::Filter);
    assert!(matches!(&a.state.overlay, Some(Overlay::Input(i)) if i.purpose == Purpose::Search));
    // The model id is in the facts and in the joined CloudTrail record, far below.
    a.type_text("ANTHROPIC");
    a.key(KeyCode::Enter);
    let (lines, current) = search(&a).expect("a search");
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(current, Some(0));
    assert!(
        a.screen().contains("search \"ANTHROPIC\": 1/2 lines"),
        "{}",
        a.screen()
    );
    a.act(Action::NextMatch);
    assert_eq!(search(&a).map(|s| s.1), Some(Some(1)));
    assert!(
        scroll(&a) > 0 && scroll(&a) <= lines[1],
        "the second match is in view"
    );
    assert!(
        a.screen().contains("\"modelId\": \"anthropic"),
        "{}",
        a.screen()
    );
    a.act(Action::NextMatch);
    assert_eq!(search(&a).map(|s| s.1), Some(Some(0)), "n wraps around");
    a.act(Action::PrevMatch);
    assert_eq!(search(&a).map(|s| s.1), Some(Some(1)));
    // Text that is not there is said so; an empty search goes back to keyword matches.
    a.act(Action::Filter);
    a.key_event(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    a.type_text("no such words");
    a.key(KeyCode::Enter);
    assert!(a
        .state
        .toast
        .as_ref()
        .is_some_and(|t| t.text.contains("is not in this document")));
    a.act(Action::Filter);
    a.key_event(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    a.key(KeyCode::Enter);
    assert_eq!(search(&a), None);
}
