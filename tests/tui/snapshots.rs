//! Every view and overlay rendered at 80×24 and 160×45 (TestBackend, monochrome theme, times from
//! the data): the screen text is snapshotted with insta.

use crate::common::app;
use crossterm::event::KeyCode;
use strata::app::Action;
use strata::tui::headless::Headless;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 45)];

fn each_size(name: &str, setup: impl Fn(&mut Headless)) {
    for (w, h) in SIZES {
        let mut a = app(w, h);
        setup(&mut a);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), a.screen());
    }
}

#[test]
fn alerts() {
    each_size("alerts", |_| {});
}

#[test]
fn alerts_grouped() {
    each_size("alerts_grouped", |a| a.act(Action::ToggleGrouping));
}

#[test]
fn alert_detail() {
    each_size("alert_detail", |a| a.act(Action::Open));
}

#[test]
fn requests() {
    each_size("requests", |a| a.act(Action::ViewRequests));
}

#[test]
fn request_view_with_keyword_hits() {
    each_size("request_view", |a| {
        a.act(Action::ViewRequests);
        a.act(Action::MoveDown);
        a.act(Action::Open);
        a.act(Action::NextMatch);
    });
}

#[test]
fn cli_profiles_and_commands() {
    each_size("cli_profiles", |a| a.act(Action::ViewCliProfiles));
    each_size("cli_commands", |a| {
        a.act(Action::ViewCliProfiles);
        a.act(Action::MoveDown);
        a.act(Action::Open);
    });
}

#[test]
fn entities() {
    each_size("entities", |a| a.act(Action::ViewEntities));
}

#[test]
fn timeline_and_zoom() {
    each_size("timeline", |a| a.act(Action::ViewTimeline));
    each_size("timeline_zoomed", |a| {
        a.act(Action::ViewTimeline);
        a.act(Action::MoveDown);
        a.act(Action::MoveDown);
        a.act(Action::ZoomIn);
        a.act(Action::ZoomIn);
    });
}

#[test]
fn load_report() {
    each_size("load_report", |a| a.act(Action::ViewLoadReport));
}

#[test]
fn help_overlay() {
    each_size("help_alerts", |a| a.act(Action::Help));
    each_size("help_request_view", |a| {
        a.act(Action::ViewRequests);
        a.act(Action::Open);
        a.act(Action::Help);
    });
}

#[test]
fn pivot_menu_and_user_pivot() {
    each_size("pivot_menu", |a| a.act(Action::PivotMenu));
    each_size("pivot_user", |a| a.act(Action::PivotUser));
}

#[test]
fn filter_in_progress() {
    each_size("filter_timeline", |a| {
        a.act(Action::ViewTimeline);
        a.key(KeyCode::Char('/'));
        a.type_text("mallory delete");
    });
}
