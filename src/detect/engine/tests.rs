use super::*;
use crate::detect::testkit::*;

#[test]
fn builtin_rules_load_and_are_unique() {
    let set = RuleSet::builtin().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.rules.len(), BUILTIN_RULES.len());
    for (name, _) in BUILTIN_RULES {
        let id = name.trim_start_matches("rules/").trim_end_matches(".toml");
        assert!(set.get(id).is_some(), "{name} must define id {id}");
    }
    assert!(set.needs_probes());
}

#[test]
fn missing_strands_and_cancellation_are_reported() {
    let mut set = RuleSet::builtin().unwrap();
    let mut probes = TextProbes::new();
    set.register_probes(&mut probes).unwrap();
    let st = store(vec![Ev::ct(T0, "ListFoundationModels").user("a")]);
    let out = run_all(&set, &st, &DetectOptions::default());
    assert_eq!(out.rules_run, set.rules.len());
    assert_eq!(
        out.not_evaluated_reason("validation-exception-burst"),
        Some("no model-invocation logs loaded")
    );
    assert_eq!(
        out.not_evaluated_reason("training-data-poisoning"),
        Some("no CloudTrail data events loaded")
    );
    assert_eq!(
        out.not_evaluated_reason("first-seen-model-enumeration"),
        Some("log set spans 0 days, baseline needs 7")
    );
    let cancel = Arc::new(AtomicBool::new(true));
    let out = run_all(
        &set,
        &st,
        &DetectOptions {
            baseline_days: None,
            cancel: Some(cancel),
        },
    );
    assert_eq!(out.not_evaluated.len(), set.rules.len());
}

#[test]
fn prompt_rules_need_registered_probes() {
    let set = RuleSet::builtin().unwrap();
    let st = store(vec![Ev::inv(T0).user("a")]);
    let out = run_all(&set, &st, &DetectOptions::default());
    assert!(out
        .not_evaluated_reason("prompt-sensitive-keywords")
        .is_some_and(|r| r.contains("not registered")));
}

#[test]
fn check_file_validates_rules_and_data_files() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("r.toml");
    let rule = header("\"management\"") + "[filter]\nall = []\n[match]\nsuppress = \"1h\"\n";
    std::fs::write(&good, &rule).unwrap();
    assert!(check_file(&good).is_ok());
    std::fs::write(&good, rule.replace("suppress", "supress")).unwrap();
    let err = check_file(&good).unwrap_err().to_string();
    assert!(
        err.contains("r.toml:14:1: unknown field `supress`"),
        "{err}"
    );
    let kw = dir.path().join("keywords.toml");
    std::fs::write(&kw, "[groups.x]\npatterns = ['(']\n").unwrap();
    assert!(check_file(&kw)
        .unwrap_err()
        .to_string()
        .contains("keywords.toml:2:"));
}

#[test]
fn user_folders_add_override_and_fail_precisely() {
    let dir = tempfile::tempdir().unwrap();
    let rule = header("\"management\"").replace("id = \"t\"", "id = \"my-rule\"")
        + "[filter]\nfield = \"event.action\"\neq = \"X\"\n[match]\nsuppress = \"0\"\n";
    std::fs::write(dir.path().join("mine.toml"), &rule).unwrap();
    let over = rule.replace("id = \"my-rule\"", "id = \"oversized-prompt\"");
    std::fs::write(dir.path().join("over.toml"), over).unwrap();
    std::fs::write(
        dir.path().join("keywords.toml"),
        "[groups.custom]\npatterns = ['kestrel']\n",
    )
    .unwrap();
    let set = RuleSet::load(&[dir.path().to_path_buf()]).unwrap_or_else(|e| panic!("{e}"));
    assert!(set.get("my-rule").is_some());
    assert_eq!(set.overridden, ["oversized-prompt"]);
    assert_eq!(set.rules.len(), BUILTIN_RULES.len() + 1);
    assert_eq!(
        set.keywords.matching_groups("default", "Kestrel"),
        ["custom"]
    );

    std::fs::write(
        dir.path().join("zz-bad.toml"),
        rule.replace("\"medium\"", "\"urgent\""),
    )
    .unwrap();
    let err = RuleSet::load(&[dir.path().to_path_buf()])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("zz-bad.toml:3:12: unknown variant `urgent`"),
        "{err}"
    );
    assert!(err.contains("`critical`"), "{err}");
}
