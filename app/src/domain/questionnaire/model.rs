//! A questionnaire version as the engine uses it, after loading and checking.

use super::expr::Expr;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};

/// A condition or check: kept as written (for display and storage) and as parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub source: String,
    pub expr: Expr,
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = String::deserialize(deserializer)?;
        let expr = Expr::parse(&source).map_err(serde::de::Error::custom)?;
        Ok(Condition { source, expr })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// The answer types of a matrix cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CellKind {
    YesNo,
    YesPartlyNo,
    Integer { min: Option<i64>, max: Option<i64> },
    SingleChoice { options: Vec<Choice> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ItemKind {
    YesNo,
    YesPartlyNo,
    SingleChoice {
        options: Vec<Choice>,
    },
    MultipleChoice {
        options: Vec<Choice>,
        min_selected: Option<usize>,
        max_selected: Option<usize>,
    },
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Decimal {
        min: Option<f64>,
        max: Option<f64>,
        decimals: Option<u32>,
    },
    Percentage {
        decimals: Option<u32>,
    },
    ShortText {
        max_length: usize,
    },
    LongText {
        max_length: usize,
    },
    Date {
        min: Option<String>,
        max: Option<String>,
    },
    Scale {
        min_label: Option<String>,
        max_label: Option<String>,
    },
    Matrix {
        rows: Vec<Choice>,
        cell: CellKind,
    },
    Ranking {
        options: Vec<Choice>,
        rank: usize,
    },
}

pub const YES_NO: [(&str, &str); 2] = [("ja", "Ja"), ("nee", "Nee")];
pub const YES_PARTLY_NO: [(&str, &str); 3] = [("ja", "Ja"), ("deels", "Deels"), ("nee", "Nee")];
pub const SHORT_TEXT_MAX: usize = 200;

/// The fixed answers of yes/no and yes/partly/no as choices.
pub fn fixed_choices(list: &[(&str, &str)]) -> Vec<Choice> {
    list.iter()
        .map(|(code, label)| Choice {
            code: code.to_string(),
            label: label.to_string(),
        })
        .collect()
}
pub const LONG_TEXT_MAX: usize = 4000;

impl ItemKind {
    /// The type's name in definition files.
    pub fn type_name(&self) -> &'static str {
        match self {
            ItemKind::YesNo => "yes_no",
            ItemKind::YesPartlyNo => "yes_partly_no",
            ItemKind::SingleChoice { .. } => "single_choice",
            ItemKind::MultipleChoice { .. } => "multiple_choice",
            ItemKind::Integer { .. } => "integer",
            ItemKind::Decimal { .. } => "decimal",
            ItemKind::Percentage { .. } => "percentage",
            ItemKind::ShortText { .. } => "short_text",
            ItemKind::LongText { .. } => "long_text",
            ItemKind::Date { .. } => "date",
            ItemKind::Scale { .. } => "scale",
            ItemKind::Matrix { .. } => "matrix",
            ItemKind::Ranking { .. } => "ranking",
        }
    }

    /// The codes an answer may hold (choices, yes/no), if the type has codes.
    pub fn codes(&self) -> Option<Vec<String>> {
        let fixed = |list: &[(&str, &str)]| Some(list.iter().map(|(c, _)| c.to_string()).collect());
        match self {
            ItemKind::YesNo => fixed(&YES_NO),
            ItemKind::YesPartlyNo => fixed(&YES_PARTLY_NO),
            ItemKind::SingleChoice { options }
            | ItemKind::MultipleChoice { options, .. }
            | ItemKind::Ranking { options, .. } => {
                Some(options.iter().map(|o| o.code.clone()).collect())
            }
            _ => None,
        }
    }

    /// The codes with their labels, if the type has codes.
    pub fn choices(&self) -> Option<Vec<Choice>> {
        match self {
            ItemKind::YesNo => Some(fixed_choices(&YES_NO)),
            ItemKind::YesPartlyNo => Some(fixed_choices(&YES_PARTLY_NO)),
            ItemKind::SingleChoice { options }
            | ItemKind::MultipleChoice { options, .. }
            | ItemKind::Ranking { options, .. } => Some(options.clone()),
            _ => None,
        }
    }

    /// Whether answers of this type are public by default: closed answers are, free text is
    /// not (it may hold names).
    pub fn public_by_default(&self) -> bool {
        !matches!(self, ItemKind::ShortText { .. } | ItemKind::LongText { .. })
    }

    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            ItemKind::Integer { .. }
                | ItemKind::Decimal { .. }
                | ItemKind::Percentage { .. }
                | ItemKind::Scale { .. }
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    /// Prevents submitting.
    Blocking,
    /// Shown, but does not prevent submitting.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub severity: Severity,
    pub check: Condition,
    pub message: String,
}

/// How an item relates to the previous version; comparisons follow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lineage {
    /// The first version, or an item without a previous version to refer to.
    Original,
    New,
    Unchanged,
    /// Same meaning; `from` is the old key when it was renamed, `codes` maps old codes to
    /// new ones when they were recoded.
    Mapped {
        from: String,
        codes: BTreeMap<String, String>,
    },
    SplitFrom(String),
    MergedFrom(Vec<String>),
    ChangedMeaning(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub key: String,
    pub kind: ItemKind,
    pub label: String,
    pub help: Option<String>,
    pub unit: Option<String>,
    pub required: bool,
    pub allow_unknown: bool,
    pub allow_not_applicable: bool,
    /// The plain-Dutch name of the key indicator this item measures ("Wonen Eerst opgenomen
    /// in regionaal plan"): summarised on the progress page and the national picture.
    #[serde(default)]
    pub indicator: Option<String>,
    /// The answer codes that count for a key indicator's share ("ja" for "Wonen Eerst
    /// opgenomen in het plan"). Empty for numbers, and for choices that are shown whole.
    #[serde(default)]
    pub indicator_counts: Vec<String>,
    /// Whether the item's answers appear on the public dashboard and in the open data once
    /// its round is published. Free text is not public unless the definition says so: it may
    /// hold names.
    #[serde(default)]
    pub public: bool,
    pub visible_if: Option<Condition>,
    pub rules: Vec<Rule>,
    pub lineage: Lineage,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub key: String,
    pub title: String,
    pub intro: Option<String>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    pub key: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub identifier: String,
    pub version: String,
    /// The programme's code (`nad`, `bt`, ...): its rounds and regions use this questionnaire.
    pub programme: String,
    pub title: String,
    pub introduction: String,
    pub previous_version: Option<String>,
    pub sections: Vec<Section>,
    pub removed: Vec<Removed>,
}

/// A checked definition file an admin uploaded and has not stored (or discarded) yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingUpload {
    pub id: String,
    pub file_name: String,
    pub uploaded_at: i64,
    pub uploaded_by: String,
}

/// A stored version as the admin's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    pub identifier: String,
    pub version: String,
    /// The programme's code.
    pub programme: String,
    pub title: String,
    pub previous_version: Option<String>,
    pub file_name: String,
    pub item_count: i64,
    /// UTC milliseconds since 1970.
    pub imported_at: i64,
    pub imported_by: String,
}

/// Where each item is, and which items depend on which: built once per version.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Item key → (section index, item index).
    pub position: HashMap<String, (usize, usize)>,
    /// Item keys in an order where every item comes after the items its condition reads.
    pub evaluation_order: Vec<String>,
    /// Item key → keys of the items whose condition or rules read it.
    pub dependents: HashMap<String, Vec<String>>,
}

impl Questionnaire {
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections
            .iter()
            .flat_map(|section| section.items.iter())
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items().find(|item| item.key == key)
    }

    /// Builds the index. Returns the keys on a cycle of conditions, if there is one.
    pub fn index(&self) -> Result<Index, Vec<String>> {
        let mut index = Index::default();
        for (s, section) in self.sections.iter().enumerate() {
            for (i, item) in section.items.iter().enumerate() {
                index.position.insert(item.key.clone(), (s, i));
            }
        }
        for item in self.items() {
            let mut read: Vec<String> = condition_reads(item);
            for rule in &item.rules {
                read.extend(rule.check.expr.all_references().into_iter().map(|r| r.key));
            }
            read.sort();
            read.dedup();
            for key in read {
                index
                    .dependents
                    .entry(key)
                    .or_default()
                    .push(item.key.clone());
            }
        }
        index.evaluation_order = self.evaluation_order()?;
        Ok(index)
    }

    /// Item keys in an order where every item comes after the items its condition reads: a
    /// depth-first topological order over visibility dependencies. Returns the keys on a
    /// cycle, if there is one.
    fn evaluation_order(&self) -> Result<Vec<String>, Vec<String>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        let items: Vec<&Item> = self.items().collect();
        let position: HashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(n, item)| (item.key.as_str(), n))
            .collect();
        let mut order = Vec::new();
        let mut marks = vec![Mark::New; items.len()];
        for start in 0..items.len() {
            if marks[start] != Mark::New {
                continue;
            }
            // (item, next dependency to visit)
            let mut stack = vec![(start, 0usize)];
            marks[start] = Mark::Active;
            while let Some((current, next)) = stack.pop() {
                let deps: Vec<usize> = condition_reads(items[current])
                    .iter()
                    .filter_map(|key| position.get(key.as_str()).copied())
                    .collect();
                if let Some(&dep) = deps.get(next) {
                    stack.push((current, next + 1));
                    match marks[dep] {
                        Mark::New => {
                            marks[dep] = Mark::Active;
                            stack.push((dep, 0));
                        }
                        Mark::Active => {
                            let mut cycle: Vec<String> = stack
                                .iter()
                                .skip_while(|(n, _)| *n != dep)
                                .map(|(n, _)| items[*n].key.clone())
                                .collect();
                            cycle.push(items[dep].key.clone());
                            return Err(cycle);
                        }
                        Mark::Done => {}
                    }
                } else {
                    marks[current] = Mark::Done;
                    order.push(items[current].key.clone());
                }
            }
        }
        Ok(order)
    }
}

/// The keys an item's condition reads, sorted, each once.
fn condition_reads(item: &Item) -> Vec<String> {
    let mut keys: Vec<String> = item
        .visible_if
        .iter()
        .flat_map(|c| c.expr.references())
        .map(|r| r.key)
        .collect();
    keys.sort();
    keys.dedup();
    keys
}
