//! What lists and headers show, and in which order: titles sorted as displayed, group headers,
//! marked items exported in screen order, scoped entity counts, trails and alert headers that fit
//! narrow screens, messages for empty lists and for inputs that could not be read.

use crate::common::{answer_prompt, app, demo_rules, fixtures};
use crossterm::event::KeyCode;
use std::sync::Arc;
use strata::analysis::alerts::{shorten_arns, AlertRecord};
use strata::app::query::cli_row;
use strata::app::views::{Screen, ViewId, GROUP_BIT};
use strata::app::Action;
use strata::tui::headless::Headless;

fn toast(a: &Headless) -> String {
    a.state
        .toast
        .as_ref()
        .map(|t| t.text.clone())
        .unwrap_or_default()
}

/// The demo log set with alert titles that name principals by ARN, as real rules do, and one
/// rule whose title is a template.
fn app_with_arn_titles() -> Headless {
    let mut h = Headless::new(160, 45);
    h.shared.jobs.rules = Arc::new(strata::detect::RuleSet::empty());
    h.load(&[fixtures()]);
    let mut rules = demo_rules(&h.state.data.store);
    let titles = [
        "arn:aws:sts::111122223333:assumed-role/zeta-role/session deleted guardrail gr-prod-1",
        "arn:aws:iam::111122223333:user/mallory hit a guardrail",
        "arn:aws:iam::444455556666:user/bob probed models",
    ];
    for ((_, outcome), title) in rules.iter_mut().zip(titles) {
        if let Ok(alerts) = outcome {
            for a in alerts.iter_mut() {
                a.title = title.to_string();
                let mut meta = (*a.rule).clone();
                meta.title = "{user.arn} tried {count} {count|model|models}".into();
                a.rule = Arc::new(meta);
            }
        }
    }
    h.detection(rules);
    h
}

fn shown_titles(a: &Headless) -> Vec<String> {
    let list = a.state.frame().current();
    (0..list.rows.len())
        .filter_map(|i| list.rows.get(i))
        .filter(|item| item & GROUP_BIT == 0)
        .map(|item| shorten_arns(&a.state.data.alerts[item as usize].title))
        .collect()
}

#[test]
fn titles_sort_as_the_list_shows_them() {
    let mut a = app_with_arn_titles();
    a.act(Action::ViewAlerts);
    while !toast(&a).contains("title") {
        a.act(Action::SortNext);
    }
    let shown = shown_titles(&a);
    let mut sorted = shown.clone();
    sorted.sort();
    if !toast(&a).contains("reversed") && shown != sorted {
        sorted.reverse();
    }
    assert_eq!(shown, sorted, "{}", toast(&a));
    // The full titles sort differently (arn:aws:iam before arn:aws:sts), so this is not by chance.
    let mut raw: Vec<String> = a
        .state
        .data
        .alerts
        .iter()
        .map(|x| x.title.clone())
        .collect();
    raw.sort();
    let raw_shown: Vec<String> = raw.iter().map(|t| shorten_arns(t)).collect();
    assert!(raw_shown != shown && raw_shown.iter().rev().cloned().collect::<Vec<_>>() != shown);
}

#[test]
fn group_headers_read_the_title_template_as_a_phrase() {
    let mut a = app_with_arn_titles();
    a.act(Action::ViewAlerts);
    a.act(Action::ToggleGrouping);
    let titles: Vec<String> = a
        .state
        .frame()
        .current()
        .groups
        .iter()
        .map(|g| g.title.clone())
        .collect();
    assert_eq!(titles.len(), 3);
    assert!(titles.iter().all(|t| t == "… tried … models"), "{titles:?}");
}

#[test]
fn exported_marks_follow_the_screen_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(80, 24);
    // Lowest severity first, the reverse of the alerts' own order.
    a.act(Action::SortReverse);
    a.act(Action::ToggleMark);
    a.act(Action::ToggleMark);
    a.act(Action::Export);
    let path = dir.path().join("case.md");
    answer_prompt(&mut a, path.to_str().unwrap());
    let md = std::fs::read_to_string(&path).unwrap();
    let bob = md.find("from bob").expect("low alert exported");
    let mallory = md
        .find("Guardrail intervened")
        .expect("medium alert exported");
    assert!(bob < mallory, "{md}");
}

#[test]
fn an_empty_filter_result_names_the_key_that_clears_it() {
    let mut a = app(160, 45);
    a.act(Action::ViewRequests);
    a.act(Action::Filter);
    a.type_text("zzzzqq");
    a.key(KeyCode::Enter);
    let screen = a.screen();
    assert!(
        screen.contains("nothing matches /zzzzqq (backspace clears)"),
        "{screen}"
    );
    a.act(Action::ClearFilter);
    assert!(!a.screen().contains("nothing matches"));
}

#[test]
fn a_path_that_cannot_be_read_is_said_where_the_user_looks() {
    let mut h = Headless::new(160, 45);
    h.shared.jobs.rules = Arc::new(strata::detect::RuleSet::empty());
    h.load(&[fixtures(), "no-such-case-folder".into()]);
    let t = toast(&h);
    assert!(
        t.starts_with("cannot read no-such-case-folder: ") && t.ends_with("(6 Report)"),
        "{t}"
    );
    assert_eq!(h.state.frame().view, ViewId::Alerts);
}

/// The Entities rows shown: (kind label, value, events, errors).
fn entity_rows(a: &Headless) -> Vec<(String, String, u32, u32)> {
    let list = a.state.frame().current();
    let store = &a.state.data.store;
    (0..list.rows.len())
        .filter_map(|i| list.rows.get(i))
        .map(|item| {
            let e = list
                .entity_counts
                .as_deref()
                .and_then(|m| m.summary(item))
                .unwrap_or(&a.state.data.derived.entities[item as usize]);
            (
                e.kind.label().to_string(),
                store.str(e.key).to_string(),
                e.events,
                e.errors,
            )
        })
        .collect()
}

/// Checks that the scoped Entities view tallies exactly the alerts `shown` keeps that involve
/// each entity; returns whether any tally differs from the whole log set's.
fn tallies_match(a: &Headless, shown: impl Fn(&AlertRecord) -> bool) -> bool {
    let scoped = a
        .state
        .frame()
        .current()
        .entity_counts
        .as_deref()
        .expect("scoped counts");
    let mut differs = false;
    for e in scoped.counts.values() {
        let expected = a
            .state
            .data
            .alerts
            .iter()
            .filter(|x| shown(x) && x.involves(e.kind, e.key))
            .count() as u32;
        assert_eq!(scoped.tally(e).alerts, expected, "{e:?}");
        let whole = a
            .state
            .data
            .tallies
            .get(&(e.kind, e.key))
            .map_or(0, |t| t.alerts);
        differs |= whole != expected;
    }
    differs
}

#[test]
fn entities_count_what_the_pivot_and_range_hold() {
    let mut a = app(160, 45);
    a.act(Action::ViewEntities);
    let whole = entity_rows(&a);
    let account = |rows: &[(String, String, u32, u32)]| {
        rows.iter()
            .find(|r| r.1 == "111122223333")
            .map(|r| r.2)
            .expect("account row")
    };
    a.act(Action::ViewAlerts);
    a.act(Action::PivotUser);
    let mallory_events = a.state.frame().current().rows.len() as u32;
    a.act(Action::ViewEntities);
    let scoped = entity_rows(&a);
    assert!(
        account(&whole) > mallory_events,
        "the fixture has other callers"
    );
    assert_eq!(account(&scoped), mallory_events, "{scoped:?}");
    // Every entity of the pivot is counted over it alone, alerts included.
    assert!(scoped.iter().all(|r| r.2 <= mallory_events), "{scoped:?}");
    // Alert tallies count the pivot's alerts: those involving both the pivot and the entity.
    let scope = a.state.frame().scope.expect("a pivot");
    let mut differs_from_whole = tallies_match(&a, |x| x.involves(scope.kind, scope.key));
    a.act(Action::Back);
    // A time range: only entities with events inside it, counted inside it.
    a.act(Action::ViewTimeline);
    a.act(Action::TimeRange);
    a.type_text("2024-07-08T17:00 .. 2024-07-08T17:04");
    a.key(KeyCode::Enter);
    let in_range = a.state.frame().current().rows.len() as u32;
    a.act(Action::ViewEntities);
    let ranged = entity_rows(&a);
    assert!(!ranged.is_empty() && ranged.len() <= whole.len());
    assert!(ranged.iter().all(|r| r.2 <= in_range), "{ranged:?}");
    let w = a.state.frame().range.expect("a range");
    differs_from_whole |= tallies_match(&a, |x| x.last >= w.from && x.first <= w.to);
    assert!(
        differs_from_whole,
        "the fixture has alerts outside the pivot or the range"
    );
    assert!(
        a.screen()
            .contains("range 2024-07-08 17:00:00 – 2024-07-08 17:04"),
        "{}",
        a.screen()
    );
}

#[test]
fn a_long_trail_gives_way_to_where_you_are() {
    let mut a = app_with_arn_titles();
    a.resize(80, 24);
    a.act(Action::Open);
    a.act(Action::PivotUser);
    a.act(Action::ViewRequests);
    let screen = a.screen();
    let crumb_line = screen.lines().nth(1).unwrap_or("");
    assert!(crumb_line.contains("› Requests"), "{screen}");
    // The trail's start gave way, not the view name, the row count or the sort.
    assert!(crumb_line.starts_with('…'), "{crumb_line}");
    assert!(crumb_line.contains("2/2 · time"), "{crumb_line}");
}

#[test]
fn an_alert_on_invocation_logs_carries_the_ip_of_the_joined_cloudtrail_record() {
    use strata::model::{EntityKind, Strand};
    let a = app(160, 45);
    let store = &a.state.data.store;
    // An invocation-log event (no source IP) whose request CloudTrail also recorded, with an IP.
    let (inv, ip) = store
        .events()
        .iter()
        .filter(|e| e.strand == Strand::Invocation && e.source_ip.is_none())
        .find_map(|e| {
            let ip = store
                .lookup(EntityKind::RequestId, e.request_id)
                .iter()
                .filter_map(|&j| store.event(j))
                .map(|j| j.source_ip)
                .find(|ip| ip.is_some())?;
            Some((e, ip))
        })
        .expect("the fixture joins an invocation to its CloudTrail record");
    let mut alert = a.state.data.alerts[0].clone();
    alert.evidence = vec![inv.source];
    alert.entity.clear();
    strata::analysis::alerts::resolve_keys(store, &mut alert);
    assert!(
        alert.keys.contains(&(EntityKind::SourceIp, ip)),
        "{:?}",
        alert.keys
    );
}

#[test]
fn the_alert_header_wraps_instead_of_cutting_values() {
    let mut a = app_with_arn_titles();
    a.resize(80, 24);
    a.act(Action::ViewAlerts);
    a.act(Action::Top);
    a.act(Action::Open);
    let screen = a.screen();
    let title = &a.state.data.alerts[0].title;
    assert!(
        title.chars().count() + "[HIGH] ".len() > 80,
        "the test needs a title wider than the screen"
    );
    // Every word of the title is on screen, the end included.
    let joined: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    for word in title.split_whitespace() {
        assert!(joined.contains(word), "{word} missing from\n{screen}");
    }
    assert!(screen.contains("3 contributing records"), "{screen}");
}

/// The CLI rows shown: (user, class, count, first seen, last seen, commands).
fn cli_rows(a: &mut Headless) -> Vec<[String; 6]> {
    let list = a.state.frame().current();
    let store = &a.state.data.store;
    let scoped = list.cli_profiles.as_deref();
    (0..list.rows.len())
        .filter_map(|i| list.rows.get(i))
        .filter_map(|item| cli_row(scoped, &a.state.data.derived.cli, item))
        .map(|p| {
            let [user, _, class, count, first, last, commands] =
                strata::analysis::cli::CliRef { profile: p, store }.cells();
            [user, class, count, first, last, commands]
        })
        .collect()
}

fn set_range(a: &mut Headless, range: &str) {
    a.act(Action::TimeRange);
    answer_prompt(a, range);
}

#[test]
fn cli_profiles_count_what_the_range_and_pivot_hold() {
    let mut a = app(160, 45);
    a.act(Action::ViewCliProfiles);
    let whole = cli_rows(&mut a);
    let delete = |rows: &[[String; 6]]| {
        rows.iter()
            .find(|r| r[0] == "mallory" && r[1] == "delete")
            .cloned()
    };
    let row = delete(&whole).expect("mallory's deletes");
    assert_eq!(row[2], "2", "{whole:?}");
    // mallory deleted at 17:04:59 and 17:05:30: a range holding the second only counts it alone.
    set_range(&mut a, "2024-07-08T17:05:00 .. 2024-07-08T17:06:00");
    let ranged = cli_rows(&mut a);
    assert_eq!(
        ranged.len(),
        1,
        "ci's invoke at 17:06:30 is outside: {ranged:?}"
    );
    let row = delete(&ranged).expect("mallory's deletes in range");
    assert_eq!(row[2], "1");
    assert_eq!(row[3], row[4], "first and last seen are the one delete's");
    assert!(row[3].contains("17:05:30"), "{row:?}");
    assert_eq!(row[5], "delete-model-invocation-logging-configuration");
    assert!(a
        .screen()
        .contains("delete-model-invocation-logging-configuration"));
    // Opened, the profile lists the command lines of the range.
    a.act(Action::Open);
    match a.state.top() {
        Screen::Commands(c) => assert_eq!(c.events.len(), 1),
        _ => panic!("the profile's command lines"),
    }
    let screen = a.screen();
    assert!(!screen.contains("delete-guardrail"), "{screen}");
    a.act(Action::Back);
    // Between the two deletes: the profile spans the range but has no command line in it.
    set_range(&mut a, "2024-07-08T17:05:05 .. 2024-07-08T17:05:20");
    assert_eq!(cli_rows(&mut a), Vec::<[String; 6]>::new());
    // A pivot to the laptop with a range: counted over both.
    set_range(&mut a, "2024-07-08T16:00:00 .. 2024-07-08T17:05:00");
    a.act(Action::PivotMenu);
    a.key(KeyCode::Char('h'));
    assert!(a.state.frame().scope.is_some(), "a pivot to the laptop");
    a.act(Action::ViewCliProfiles);
    set_range(&mut a, "2024-07-08T16:58:30 .. 2024-07-08T17:05:00");
    let pivot = cli_rows(&mut a);
    let classes: Vec<(&str, &str)> = pivot
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(classes, vec![("delete", "1"), ("get", "1")], "{pivot:?}");
}
