use super::*;

const GOOD: &str = r#"
id = "demo"
title = "{user.arn} failed {count} times ({{literal}})"
severity = "high"
risk_score = 73
mitre_atlas = ["AML.T0015"]
mitre_attack = ["T1078.004"]
strands = ["invocation"]
description = "d"
false_positives = ["f"]

[guide]
triage = "t"
false_positive_analysis = "f"
response = "r"

[[mirrors]]
vendor = "Elastic"
name = "n"

[filter]
field = "error.code"
eq = "ValidationException"

[threshold]
group_by = ["user.arn", "cloud.account.id"]
bucket = "1m"
condition = "count > 3"
"#;

fn parse(src: &str) -> Result<Rule, String> {
    parse_rule(
        "r.toml",
        src,
        RuleSource::Builtin("r.toml"),
        &KeywordSet::builtin(),
    )
    .map_err(|d| {
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

#[test]
fn a_good_rule_parses() {
    let r = parse(GOOD).unwrap();
    assert_eq!(r.id, "demo");
    assert_eq!(r.strands, [Strand::Invocation]);
    let Kind::Threshold(t) = &r.kind else {
        panic!("kind")
    };
    assert_eq!(t.window, Window::Bucket(60_000));
    assert_eq!(t.group_by[1].name, "cloud.account.id");
    assert_eq!(r.template.len(), 4);
    assert_eq!(r.template[3], Part::Lit(" times ({literal})".into()));
}

#[test]
fn plural_placeholders_name_a_computed_value_and_two_words() {
    let r = parse(&GOOD.replace("{count} times", "{count} {count|time|times}")).unwrap();
    assert_eq!(r.template[3], Part::Lit(" ".into()));
    assert_eq!(
        r.template[4],
        Part::Plural {
            var: "count".into(),
            one: "time".into(),
            other: "times".into()
        }
    );
    let e = parse(&GOOD.replace("{count} times", "{count|time}")).unwrap_err();
    assert!(e.contains("write {value|singular|plural}"), "{e}");
    let e = parse(&GOOD.replace("{count} times", "{user.arn|time|times}")).unwrap_err();
    assert!(
        e.contains("\"user.arn\" is not a value this rule computes") && e.contains("count"),
        "{e}"
    );
}

#[test]
fn errors_point_at_the_value_with_choices() {
    let e = parse(&GOOD.replace("\"high\"", "\"hgh\"")).unwrap_err();
    assert!(e.starts_with("r.toml:4:12:"), "{e}");
    assert!(
        e.contains("`info`, `low`, `medium`, `high`, `critical`"),
        "{e}"
    );
    let e = parse(&GOOD.replace("[\"invocation\"]", "[\"invocations\"]")).unwrap_err();
    assert!(
        e.starts_with("r.toml:8:12:") && e.contains("management, data, invocation, endpoint"),
        "{e}"
    );
    let e = parse(&GOOD.replace("count > 3", "cnt > 3")).unwrap_err();
    assert!(
        e.contains("r.toml:28:13:") && e.contains("expected one of: count"),
        "{e}"
    );
    let e = parse(&GOOD.replace("bucket = \"1m\"", "bucket = \"1w\"")).unwrap_err();
    assert!(e.contains("s, m, h, d"), "{e}");
    let e =
        parse(&GOOD.replace("bucket = \"1m\"", "bucket = \"1m\"\nwindow = \"5m\"")).unwrap_err();
    assert!(e.contains("exactly one of `bucket`"), "{e}");
    let e = parse(&GOOD.replace("[threshold]", "[thresh]")).unwrap_err();
    assert!(
        e.contains("unknown field `thresh`") && e.contains("first_seen"),
        "{e}"
    );
    let e = parse(&GOOD.replace("{user.arn}", "{usr}")).unwrap_err();
    assert!(e.contains("unknown placeholder {usr}"), "{e}");
    let e = parse(&GOOD.replace("risk_score = 73", "risk_score = 730")).unwrap_err();
    assert!(e.contains("between 0 and 100"), "{e}");
    let e = parse(&GOOD.replace("\"T1078.004\"", "\"X1\"")).unwrap_err();
    assert!(e.contains("ATT&CK"), "{e}");
    let e = parse(&GOOD.replace("id = \"demo\"", "id = \"Demo Rule\"")).unwrap_err();
    assert!(e.contains("lowercase"), "{e}");
    let e =
        parse(&GOOD.replace("[threshold]", "[match]\nsuppress = \"1h\"\n[threshold]")).unwrap_err();
    assert!(e.contains("exactly one kind table"), "{e}");
}
