//! An item's kind from its definition: the type, its options, bounds and matrix, each
//! checked with a Dutch message at the item's line.

use super::*;
use std::collections::HashSet;
use std::ops::Range;

pub(super) fn choices(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    list: &Option<Vec<RawChoice>>,
    what: &str,
    limit: usize,
) -> Option<Vec<Choice>> {
    let Some(list) = list else {
        checker.error(span, Some(key), format!("{what} ontbreken"));
        return None;
    };
    if list.is_empty() {
        checker.error(span.clone(), Some(key), format!("{what} zijn leeg"));
    }
    if list.len() > limit {
        checker.error(
            span,
            Some(key),
            format!(
                "er zijn {} {}; er mogen er hoogstens {limit} zijn",
                list.len(),
                what.trim_start_matches("de ")
            ),
        );
        return None;
    }
    let mut seen = HashSet::new();
    for choice in list {
        if !is_key(&choice.code) {
            checker.error(
                span.clone(),
                Some(key),
                format!(
                    "de code '{}' mag alleen kleine letters, cijfers en '_' bevatten",
                    choice.code
                ),
            );
        }
        if !seen.insert(choice.code.clone()) {
            checker.error(
                span.clone(),
                Some(key),
                format!("de code '{}' komt twee keer voor", choice.code),
            );
        }
        if choice.label.trim().is_empty() {
            checker.error(
                span.clone(),
                Some(key),
                format!("de code '{}' heeft geen label", choice.code),
            );
        }
    }
    Some(
        list.iter()
            .map(|c| Choice {
                code: c.code.clone(),
                label: c.label.clone(),
            })
            .collect(),
    )
}

pub(super) fn int_bound(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    value: &Option<toml::Value>,
    name: &str,
) -> Option<i64> {
    bound(checker, key, span, value, name, "een heel getal", |value| {
        value.as_integer()
    })
}

pub(super) fn number_bound(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    value: &Option<toml::Value>,
    name: &str,
) -> Option<f64> {
    bound(
        checker,
        key,
        span,
        value,
        name,
        "een getal",
        |value| match value {
            toml::Value::Integer(n) => Some(*n as f64),
            toml::Value::Float(n) if n.is_finite() => Some(*n),
            _ => None,
        },
    )
}

/// A `min` or `max` read by `read`; any other value is a mistake saying it must be `expected`.
fn bound<T>(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    value: &Option<toml::Value>,
    name: &str,
    expected: &str,
    read: impl Fn(&toml::Value) -> Option<T>,
) -> Option<T> {
    let value = value.as_ref()?;
    let bound = read(value);
    if bound.is_none() {
        checker.error(
            span,
            Some(key),
            format!("{name} moet {expected} zijn, niet {value}"),
        );
    }
    bound
}

pub(super) fn check_order<T: PartialOrd>(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    min: Option<T>,
    max: Option<T>,
) {
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            checker.error(span, Some(key), "min is groter dan max");
        }
    }
}

pub(super) fn item_kind(checker: &mut Checker, key: &str, item: &RawItem) -> Option<ItemKind> {
    let span = item.kind.span();
    let type_name = item.kind.get_ref().as_str();
    check_fields(checker, key, span.clone(), type_name, item)?;
    let kind = match type_name {
        "yes_no" => ItemKind::YesNo,
        "yes_partly_no" => ItemKind::YesPartlyNo,
        "single_choice" => ItemKind::SingleChoice {
            options: options(checker, key, span, item)?,
        },
        "multiple_choice" => multiple_choice(checker, key, span, item)?,
        "ranking" => ranking(checker, key, span, item)?,
        "integer" => {
            let (min, max) = (
                int_bound(checker, key, span.clone(), &item.min, "min"),
                int_bound(checker, key, span.clone(), &item.max, "max"),
            );
            check_order(checker, key, span, min, max);
            ItemKind::Integer { min, max }
        }
        "decimal" => {
            let (min, max) = (
                number_bound(checker, key, span.clone(), &item.min, "min"),
                number_bound(checker, key, span.clone(), &item.max, "max"),
            );
            check_order(checker, key, span, min, max);
            ItemKind::Decimal {
                min,
                max,
                decimals: item.decimals,
            }
        }
        "percentage" => ItemKind::Percentage {
            decimals: item.decimals,
        },
        "short_text" => ItemKind::ShortText {
            max_length: item.max_length.unwrap_or(SHORT_TEXT_MAX),
        },
        "long_text" => ItemKind::LongText {
            max_length: item.max_length.unwrap_or(LONG_TEXT_MAX),
        },
        "date" => ItemKind::Date {
            min: date_bound(checker, key, span.clone(), &item.min, "min"),
            max: date_bound(checker, key, span, &item.max, "max"),
        },
        "scale" => ItemKind::Scale {
            min_label: item.min_label.clone(),
            max_label: item.max_label.clone(),
        },
        "matrix" => matrix(checker, key, span, item)?,
        _ => return None,
    };
    Some(kind)
}

/// Refuses an unknown type, and fields that belong to another type; `None` for an unknown
/// type.
fn check_fields(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    type_name: &str,
    item: &RawItem,
) -> Option<()> {
    // Which type-specific fields each type accepts.
    let allowed: &[&str] = match type_name {
        "yes_no" | "yes_partly_no" => &[],
        "single_choice" => &["options"],
        "multiple_choice" => &["options", "min_selected", "max_selected"],
        "integer" => &["min", "max"],
        "decimal" => &["min", "max", "decimals"],
        "percentage" => &["decimals"],
        "short_text" | "long_text" => &["max_length"],
        "date" => &["min", "max"],
        "scale" => &["min_label", "max_label"],
        "matrix" => &["rows", "cell", "options", "min", "max"],
        "ranking" => &["options", "rank"],
        other => {
            checker.error(span, Some(key), format!(
                "onbekend type '{other}': kies yes_no, yes_partly_no, single_choice, multiple_choice, integer, decimal, percentage, short_text, long_text, date, scale, matrix of ranking"
            ));
            return None;
        }
    };
    let present = [
        ("options", item.options.is_some()),
        ("rows", item.rows.is_some()),
        ("cell", item.cell.is_some()),
        ("min", item.min.is_some()),
        ("max", item.max.is_some()),
        ("decimals", item.decimals.is_some()),
        ("max_length", item.max_length.is_some()),
        ("min_selected", item.min_selected.is_some()),
        ("max_selected", item.max_selected.is_some()),
        ("rank", item.rank.is_some()),
        ("min_label", item.min_label.is_some()),
        ("max_label", item.max_label.is_some()),
    ];
    for (field, is_present) in present {
        if is_present && !allowed.contains(&field) {
            checker.error(
                span.clone(),
                Some(key),
                format!("het veld '{field}' hoort niet bij type {type_name}"),
            );
        }
    }
    Some(())
}

/// The item's choices (`options`).
fn options(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    item: &RawItem,
) -> Option<Vec<Choice>> {
    choices(
        checker,
        key,
        span,
        &item.options,
        "de keuzes (options)",
        MAX_OPTIONS,
    )
}

fn multiple_choice(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    item: &RawItem,
) -> Option<ItemKind> {
    let options = options(checker, key, span.clone(), item)?;
    if let (Some(min), Some(max)) = (item.min_selected, item.max_selected) {
        if min > max {
            checker.error(
                span.clone(),
                Some(key),
                "min_selected is groter dan max_selected",
            );
        }
    }
    if item
        .max_selected
        .is_some_and(|max| max == 0 || max > options.len())
    {
        checker.error(
            span,
            Some(key),
            "max_selected moet tussen 1 en het aantal keuzes liggen",
        );
    }
    Some(ItemKind::MultipleChoice {
        options,
        min_selected: item.min_selected,
        max_selected: item.max_selected,
    })
}

fn ranking(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    item: &RawItem,
) -> Option<ItemKind> {
    let options = options(checker, key, span.clone(), item)?;
    let rank = item.rank.unwrap_or(3);
    if rank == 0 || rank > options.len() {
        checker.error(
            span,
            Some(key),
            format!(
                "rank {rank} moet tussen 1 en het aantal keuzes ({}) liggen",
                options.len()
            ),
        );
    }
    Some(ItemKind::Ranking { options, rank })
}

/// A date's `min` or `max`: a TOML date or a text `JJJJ-MM-DD`.
fn date_bound(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    value: &Option<toml::Value>,
    name: &str,
) -> Option<String> {
    let text = match value {
        None => return None,
        Some(toml::Value::String(text)) => text.clone(),
        Some(toml::Value::Datetime(date)) => date.to_string(),
        Some(other) => {
            checker.error(
                span,
                Some(key),
                format!("{name} moet een datum zijn, niet {other}"),
            );
            return None;
        }
    };
    match crate::domain::questionnaire::answer::parse_date(&text, &None, &None) {
        Ok(date) => Some(date),
        Err(_) => {
            checker.error(
                span,
                Some(key),
                format!("{name} '{text}' is geen datum (JJJJ-MM-DD)"),
            );
            None
        }
    }
}

fn matrix(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    item: &RawItem,
) -> Option<ItemKind> {
    let rows = choices(
        checker,
        key,
        span.clone(),
        &item.rows,
        "de rijen (rows)",
        MAX_MATRIX_ROWS,
    )?;
    let cell = match item.cell.as_deref() {
        Some("yes_no") => CellKind::YesNo,
        Some("yes_partly_no") => CellKind::YesPartlyNo,
        Some("integer") => CellKind::Integer {
            min: int_bound(checker, key, span.clone(), &item.min, "min"),
            max: int_bound(checker, key, span, &item.max, "max"),
        },
        Some("single_choice") => CellKind::SingleChoice {
            options: options(checker, key, span, item)?,
        },
        Some(other) => {
            checker.error(span, Some(key), format!("onbekend celtype '{other}': kies yes_no, yes_partly_no, integer of single_choice"));
            return None;
        }
        None => {
            checker.error(span, Some(key), "een matrix heeft een celtype nodig (cell)");
            return None;
        }
    };
    Some(ItemKind::Matrix { rows, cell })
}
