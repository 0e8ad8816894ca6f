//! Validated rule logic, independent of any store: group keys, windows and the settings of each
//! rule kind, plus the duration syntax used in rule files.

use super::alert::Severity;
use super::expr::Expr;
use super::filter::Filter;
use super::key::KeyExpr;

/// A key as written (for display and alert group names) and parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupKey {
    pub name: String,
    pub expr: KeyExpr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// Tumbling buckets aligned to the epoch (so 1 m buckets align to the minute).
    Bucket(i64),
    /// A sliding window ending at each event.
    Sliding(i64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Escalate {
    pub key: KeyExpr,
    pub severity: Severity,
    pub risk_score: u8,
    pub note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enrich {
    /// Describe each logging configuration change against the previous one in the log set.
    LoggingConfigDiff,
    /// Name the keyword groups the prompts matched.
    KeywordGroups,
}

pub const ENRICHMENTS: &str = "logging_config_diff, keyword_groups";

/// A severity that replaces the rule's when one of the alert's events matches `filter` (the first
/// matching entry wins).
#[derive(Clone, Debug, PartialEq)]
pub struct SeverityBy {
    pub filter: Filter,
    pub severity: Severity,
    pub risk_score: u8,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatchSpec {
    pub group_by: Vec<GroupKey>,
    /// 0 = one alert per event.
    pub suppress_ms: i64,
    pub escalate: Option<Escalate>,
    pub enrich: Option<Enrich>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThresholdSpec {
    pub group_by: Vec<GroupKey>,
    pub window: Window,
    pub distinct: Option<KeyExpr>,
    pub condition: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricFn {
    Count,
    Sum,
    Min,
    Max,
    Mean,
    Distinct,
}

pub const METRIC_FNS: &str = "count(), sum(key), min(key), max(key), mean(key), distinct(key)";

#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    pub name: String,
    pub func: MetricFn,
    pub key: Option<KeyExpr>,
}

impl Metric {
    pub fn parse(name: &str, s: &str) -> Result<Metric, String> {
        let s = s.trim();
        let (f, rest) = s
            .split_once('(')
            .ok_or_else(|| format!("expected a metric like {METRIC_FNS}"))?;
        let arg = rest
            .strip_suffix(')')
            .ok_or_else(|| format!("missing `)` in {s:?}"))?
            .trim();
        let func = match f.trim() {
            "count" => MetricFn::Count,
            "sum" => MetricFn::Sum,
            "min" => MetricFn::Min,
            "max" => MetricFn::Max,
            "mean" | "avg" => MetricFn::Mean,
            "distinct" | "count_distinct" => MetricFn::Distinct,
            other => {
                return Err(format!(
                    "unknown metric {other:?}, expected one of: {METRIC_FNS}"
                ))
            }
        };
        let key = match (func, arg.is_empty()) {
            (MetricFn::Count, true) => None,
            (MetricFn::Count, false) => return Err("count() takes no argument".into()),
            (_, true) => return Err(format!("{}() needs a key", f.trim())),
            (_, false) => Some(KeyExpr::parse(arg)?),
        };
        Ok(Metric {
            name: name.to_string(),
            func,
            key,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AggregateSpec {
    pub group_by: Vec<GroupKey>,
    pub window: Window,
    pub metrics: Vec<Metric>,
    pub computed: Vec<(String, Expr)>,
    pub condition: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FirstSeenSpec {
    pub value: GroupKey,
    /// Empty: first seen across the whole log set.
    pub per: Vec<GroupKey>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutlierSpec {
    pub group_by: Vec<GroupKey>,
    pub bucket_ms: i64,
    pub metric: Metric,
    pub k: f64,
    pub floor: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub name: String,
    pub filter: Filter,
    pub join: Vec<KeyExpr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SequenceSpec {
    pub by: Vec<GroupKey>,
    pub within_ms: i64,
    pub join_name: Option<String>,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Match(MatchSpec),
    Threshold(ThresholdSpec),
    Aggregate(AggregateSpec),
    FirstSeen(FirstSeenSpec),
    Outlier(OutlierSpec),
    Sequence(SequenceSpec),
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Match(_) => "match",
            Kind::Threshold(_) => "threshold",
            Kind::Aggregate(_) => "aggregate",
            Kind::FirstSeen(_) => "first_seen",
            Kind::Outlier(_) => "outlier",
            Kind::Sequence(_) => "sequence",
        }
    }

    /// True when the kind compares against a baseline period.
    pub fn uses_baseline(&self) -> bool {
        match self {
            Kind::FirstSeen(_) | Kind::Outlier(_) => true,
            Kind::Match(m) => m.escalate.is_some(),
            _ => false,
        }
    }
}

/// The longest duration a rule may name (100 years): windows are added to event times, which
/// must not overflow.
const MAX_DURATION_MS: i64 = 36_500 * 86_400_000;

/// `30s`, `1m`, `60m`, `4h`, `7d`, `0` → milliseconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if s == "0" {
        return Ok(0);
    }
    let split = s
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("duration {s:?} needs a unit: s, m, h or d"))?;
    let (num, unit) = s.split_at(split);
    let n: i64 = num.parse().map_err(|_| {
        format!("bad duration {s:?}, expected a number and a unit (30s, 1m, 4h, 7d)")
    })?;
    let unit_ms = match unit {
        "s" => 1_000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => {
            return Err(format!(
                "unknown unit {unit:?} in {s:?}, expected one of: s, m, h, d"
            ))
        }
    };
    n.checked_mul(unit_ms)
        .filter(|ms| *ms <= MAX_DURATION_MS)
        .ok_or_else(|| format!("duration {s:?} is longer than 100 years (36500d)"))
}

/// `60000` → `1m`, for titles and guides.
pub fn format_duration(ms: i64) -> String {
    for (unit, size) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
    ] {
        if ms >= size && ms % size == 0 {
            return format!("{}{unit}", ms / size);
        }
    }
    format!("{ms}ms")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1m"), Ok(60_000));
        assert_eq!(parse_duration("24h"), Ok(86_400_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert!(parse_duration("10").is_err());
        assert_eq!(parse_duration("36500d"), Ok(MAX_DURATION_MS));
        for too_long in ["36501d", "9999999999999999d", "9223372036854775807s"] {
            let err = parse_duration(too_long).unwrap_err();
            assert!(err.contains("longer than 100 years"), "{too_long}: {err}");
        }
        assert_eq!(format_duration(14_400_000), "4h");
        assert_eq!(format_duration(90_000), "90s");
    }

    #[test]
    fn metrics() {
        assert_eq!(Metric::parse("n", "count()").unwrap().func, MetricFn::Count);
        assert!(Metric::parse("n", "sum()").is_err());
        assert!(Metric::parse("n", "median(x)")
            .unwrap_err()
            .contains("mean(key)"));
        let m = Metric::parse("t", "sum(gen_ai.usage.prompt_tokens)").unwrap();
        assert_eq!(
            m.key,
            Some(KeyExpr::Field(crate::model::Field::PromptTokens))
        );
    }
}
