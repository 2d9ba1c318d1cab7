//! The second pass: conditions and rules, parsed once every item is known.

use super::*;

/// Parses the conditions and rules, now that every item is known, and refuses conditions
/// that form a cycle.
pub(super) fn attach_conditions_and_rules(
    checker: &mut Checker,
    questionnaire: &mut Questionnaire,
    kinds: &HashMap<String, ItemKind>,
    deferred: &mut Deferred,
) {
    let mut parsed_conditions = HashMap::new();
    for (key, source) in std::mem::take(&mut deferred.conditions) {
        if let Some(condition) = parse_checked(checker, &key, &source, kinds, "visible_if") {
            parsed_conditions.insert(key, condition);
        }
    }
    let mut parsed_rules: HashMap<String, Vec<Rule>> = HashMap::new();
    for (key, rule) in std::mem::take(&mut deferred.rules) {
        if let Some(rule) = parse_rule(checker, &key, rule, kinds) {
            parsed_rules.entry(key).or_default().push(rule);
        }
    }
    for item in questionnaire
        .sections
        .iter_mut()
        .flat_map(|s| s.items.iter_mut())
    {
        item.visible_if = parsed_conditions.remove(&item.key);
        item.rules = parsed_rules.remove(&item.key).unwrap_or_default();
    }
    if let Err(cycle) = questionnaire.index() {
        let first = &cycle[0];
        let span = deferred.item_lines.get(first).cloned().unwrap_or(0..0);
        checker.error(
            span,
            Some(first),
            format!("de voorwaarden vormen een kring: {}", cycle.join(" → ")),
        );
    }
}

/// One rule of item `key`: its severity, message and check.
fn parse_rule(
    checker: &mut Checker,
    key: &str,
    rule: Spanned<RawRule>,
    kinds: &HashMap<String, ItemKind>,
) -> Option<Rule> {
    let rule_span = rule.span();
    let rule = rule.into_inner();
    let severity = match rule.severity.get_ref().as_str() {
        "blocking" => Some(Severity::Blocking),
        "warning" => Some(Severity::Warning),
        other => {
            checker.error(
                rule.severity.span(),
                Some(key),
                format!("onbekende severity '{other}': kies blocking of warning"),
            );
            None
        }
    };
    if rule.message.trim().is_empty() {
        checker.error(rule_span, Some(key), "een regel heeft een message nodig");
    }
    let check = parse_checked(checker, key, &rule.check, kinds, "check")?;
    Some(Rule {
        severity: severity?,
        check,
        message: rule.message,
    })
}
