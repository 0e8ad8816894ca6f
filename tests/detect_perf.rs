//! Detection cost on a large synthetic store. Ignored by default; run with
//! `cargo test --release --test detect_perf -- --ignored --nocapture`.

use std::time::Instant;
use strata::detect::{run_all, DetectOptions, RuleSet};
use strata::model::{
    ErrorClass, Event, FileBatch, Interner, Outcome, RawEncoding, SourceFile, SourceRef,
    StoreBuilder, Strand, TextProbes,
};

const N: usize = 2_000_000;
const DAY: i64 = 86_400_000;

#[test]
#[ignore]
fn detection_over_two_million_events() {
    let mut rules = RuleSet::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut probes = TextProbes::new();
    rules.register_probes(&mut probes).expect("probes");
    let started = Instant::now();
    let mut b = StoreBuilder::new();
    let files = 16;
    for f in 0..files {
        let file = b.add_file(SourceFile {
            path: format!("f{f}.json").into(),
        });
        let mut batch = FileBatch {
            events: Vec::new(),
            strings: Interner::new(),
            attrs: Vec::new(),
        };
        let actions = [
            "InvokeModel",
            "Converse",
            "ListFoundationModels",
            "GetFoundationModel",
            "CreateAgent",
            "PutModelInvocationLoggingConfiguration",
            "DeleteGuardrail",
            "GetModelInvocationLoggingConfiguration",
            "AssumeRole",
            "DescribeInstances",
            "PutObject",
            "GetObject",
        ];
        let per_file = N / files;
        for i in 0..per_file {
            let n = f * per_file + i;
            let ts = 1_729_000_000_000 + (n as i64 * 14 * DAY / N as i64);
            let strand = match n % 100 {
                0..=59 => Strand::Invocation,
                60..=94 => Strand::Management,
                95..=98 => Strand::Data,
                _ => Strand::Endpoint,
            };
            let src = SourceRef {
                file,
                record: i as u32,
                offset: i as u64 * 2000,
                len: 2000,
                encoding: RawEncoding::Direct,
            };
            let mut e = Event::new(strand, ts, src);
            let s = &mut batch.strings;
            e.user_arn = s.intern(&format!(
                "arn:aws:iam::1111222233{:02}:user/u{}",
                n % 5,
                n % 211
            ));
            e.account = s.intern(&format!("1111222233{:02}", n % 5));
            e.region = s.intern(["us-east-1", "us-west-2", "eu-west-1"][n % 3]);
            e.request_id = s.intern(&format!("req-{n}"));
            e.source_ip = s.intern(&format!("198.51.100.{}", n % 250));
            e.outcome = Outcome::Success;
            match strand {
                Strand::Invocation => {
                    e.action = s.intern(if n % 2 == 0 {
                        "InvokeModel"
                    } else {
                        "Converse"
                    });
                    e.provider = s.intern("bedrock-runtime");
                    e.model_id = s.intern(&format!("anthropic.model-{}", n % 10));
                    e.prompt_tokens = (n % 3000) as u32;
                    e.completion_tokens = (n % 700) as u32;
                    e.prompt_chars = (n % 1200) as u32;
                    e.probe_hits = if n % 997 == 0 { 1 } else { 0 };
                    if n % 3 != 0 {
                        e.guardrail_ids = s.intern("gr-1");
                    }
                    if n % 501 == 0 {
                        e.error_code = s.intern("ValidationException");
                        e.error_class = ErrorClass::Validation;
                    }
                }
                Strand::Endpoint => {
                    e.action = s.intern("aws");
                    e.command_line = s.intern(if n % 7 == 0 {
                        "aws bedrock delete-guardrail --guardrail-identifier x"
                    } else {
                        "aws s3 ls"
                    });
                    e.user_name = s.intern(&format!("user{}", n % 13));
                    e.host = s.intern(&format!("host{}", n % 17));
                }
                _ => {
                    // Control-plane changes are rare; reads and inference dominate.
                    let a = if n % 50_000 == 60 {
                        actions[4 + (n / 50_000) % 4]
                    } else {
                        [
                            actions[0],
                            actions[1],
                            actions[2],
                            actions[3],
                            actions[8],
                            actions[9],
                            actions[10],
                            actions[11],
                        ][n % 8]
                    };
                    e.action = s.intern(a);
                    e.provider = s.intern(if a.ends_with("Object") {
                        "s3.amazonaws.com"
                    } else {
                        "bedrock.amazonaws.com"
                    });
                    let k = s.intern("requestParameters.modelId");
                    let v = s.intern("anthropic.model-1");
                    e.attrs_start = batch.attrs.len() as u32;
                    e.attrs_len = 1;
                    batch.attrs.push((k, v));
                }
            }
            batch.events.push(e);
        }
        b.absorb(batch);
    }
    let store = b.finish();
    let built = started.elapsed();
    let started = Instant::now();
    strata::detect::run(&rules, &store, &DetectOptions::default(), |o| {
        let n = match &o.result {
            strata::detect::RuleResult::Alerts(a) => a.len(),
            _ => 0,
        };
        println!("  {:<32} {:>10.1?} {n} alerts", o.rule_id, o.elapsed);
    });
    println!("per-rule pass: {:?}", started.elapsed());
    let started = Instant::now();
    let out = run_all(&rules, &store, &DetectOptions::default());
    let detect = started.elapsed();
    println!(
        "{} events: store built in {built:?}, detection in {detect:?}; {} alerts, {} not evaluated",
        store.len(),
        out.alerts.len(),
        out.not_evaluated.len()
    );
    for n in &out.not_evaluated {
        println!("  not evaluated {}: {}", n.rule_id, n.reason);
    }
}

/// Load and detection times on a generated log set:
/// `STRATA_BENCH_SET=bench-out/logset-1g cargo test --release --test detect_perf -- --ignored --nocapture`
#[test]
#[ignore]
fn load_then_detect_a_generated_log_set() {
    let Some(dir) = std::env::var_os("STRATA_BENCH_SET") else {
        println!("set STRATA_BENCH_SET to a folder made by `gen-logset bench`");
        return;
    };
    let mut rules = RuleSet::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut probes = TextProbes::new();
    rules.register_probes(&mut probes).expect("probes");
    let started = Instant::now();
    let loaded = strata::ingest::load(&[dir.into()], &probes, |_| {});
    let load = started.elapsed();
    let started = Instant::now();
    let out = run_all(&rules, &loaded.store, &DetectOptions::default());
    let detect = started.elapsed();
    strata::detect::run(&rules, &loaded.store, &DetectOptions::default(), |o| {
        let n = match &o.result {
            strata::detect::RuleResult::Alerts(a) => a.len(),
            _ => 0,
        };
        println!("  {:<32} {:>10.1?} {n} alerts", o.rule_id, o.elapsed);
    });
    println!(
        "{} events loaded in {load:?}; detection {detect:?} ({:.1}% of load); {} alerts, {} not evaluated",
        loaded.store.len(),
        100.0 * detect.as_secs_f64() / load.as_secs_f64(),
        out.alerts.len(),
        out.not_evaluated.len()
    );
}
