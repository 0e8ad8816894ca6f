//! Rule files as written: the serde shapes of the TOML, before validation turns them into a
//! [`Rule`](super::Rule).

use crate::detect::alert::Severity;
use crate::detect::filter::FilterDoc;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleDoc {
    pub(super) id: Spanned<String>,
    pub(super) title: Spanned<String>,
    pub(super) severity: Severity,
    pub(super) risk_score: Spanned<i64>,
    #[serde(default)]
    pub(super) mitre_attack: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) mitre_atlas: Vec<Spanned<String>>,
    pub(super) strands: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) optional_strands: Vec<Spanned<String>>,
    pub(super) description: String,
    #[serde(default)]
    pub(super) false_positives: Vec<String>,
    pub(super) guide: Guide,
    #[serde(default)]
    pub(super) mirrors: Vec<Mirror>,
    #[serde(default)]
    pub(super) references: Vec<String>,
    pub(super) baseline_days: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) details: Vec<DetailDoc>,
    #[serde(default)]
    pub(super) severity_by: Vec<SeverityByDoc>,
    pub(super) filter: Option<Spanned<FilterDoc>>,
    #[serde(rename = "match")]
    pub(super) match_: Option<Spanned<MatchDoc>>,
    pub(super) threshold: Option<Spanned<ThresholdDoc>>,
    pub(super) aggregate: Option<Spanned<AggregateDoc>>,
    pub(super) first_seen: Option<Spanned<FirstSeenDoc>>,
    pub(super) outlier: Option<Spanned<OutlierDoc>>,
    pub(super) sequence: Option<Spanned<SequenceDoc>>,
}

/// The investigation guide, in three parts.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    pub triage: String,
    pub false_positive_analysis: String,
    pub response: String,
    /// What the public rule misses and strata covers.
    #[serde(default)]
    pub blind_spots: Option<String>,
}

/// A public rule this rule mirrors.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Mirror {
    pub vendor: String,
    pub name: String,
    #[serde(default)]
    pub id: Option<String>,
    /// Row of the detection catalog (`E10`, `S5`, `B9`, …).
    #[serde(default)]
    pub catalog: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DetailDoc {
    pub(super) label: String,
    pub(super) values: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SeverityByDoc {
    pub(super) filter: Spanned<FilterDoc>,
    pub(super) severity: Severity,
    pub(super) risk_score: Spanned<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MatchDoc {
    #[serde(default)]
    pub(super) group_by: Vec<Spanned<String>>,
    pub(super) suppress: Spanned<String>,
    pub(super) escalate: Option<EscalateDoc>,
    pub(super) enrich: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EscalateDoc {
    pub(super) when_new: Spanned<String>,
    pub(super) severity: Severity,
    pub(super) risk_score: Spanned<i64>,
    pub(super) note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ThresholdDoc {
    #[serde(default)]
    pub(super) group_by: Vec<Spanned<String>>,
    pub(super) bucket: Option<Spanned<String>>,
    pub(super) window: Option<Spanned<String>>,
    pub(super) distinct: Option<Spanned<String>>,
    pub(super) condition: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AggregateDoc {
    #[serde(default)]
    pub(super) group_by: Vec<Spanned<String>>,
    pub(super) bucket: Option<Spanned<String>>,
    pub(super) window: Option<Spanned<String>>,
    pub(super) metrics: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub(super) computed: BTreeMap<String, Spanned<String>>,
    pub(super) condition: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FirstSeenDoc {
    pub(super) value: Spanned<String>,
    #[serde(default)]
    pub(super) per: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OutlierDoc {
    #[serde(default)]
    pub(super) group_by: Vec<Spanned<String>>,
    pub(super) bucket: Spanned<String>,
    pub(super) metric: Spanned<String>,
    pub(super) k: f64,
    #[serde(default)]
    pub(super) floor: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SequenceDoc {
    #[serde(default)]
    pub(super) by: Vec<Spanned<String>>,
    pub(super) within: Spanned<String>,
    pub(super) join: Option<String>,
    pub(super) steps: Spanned<Vec<StepDoc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StepDoc {
    pub(super) name: String,
    pub(super) filter: Spanned<FilterDoc>,
    #[serde(default)]
    pub(super) join: Vec<Spanned<String>>,
}
