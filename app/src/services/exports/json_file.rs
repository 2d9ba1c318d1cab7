//! The JSON file: the round, the codes and every region's answers.

use super::*;

pub(super) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `{round, questionnaire (with its programme), exported_at, codes, regions: [...]}`, one
/// region at a time.
pub(super) async fn json(state: &AppState, export: &Export, mut sink: Sink) -> Result<(), Failure> {
    let questionnaire = &export.version.questionnaire;
    let codes: serde_json::Map<String, serde_json::Value> = STATUSES
        .iter()
        .map(|status| (status.code().to_string(), status.meaning().into()))
        .collect();
    let head = serde_json::json!({
        "round": { "name": export.round.name },
        "questionnaire": {
            "identifier": questionnaire.identifier,
            "version": questionnaire.version,
            "title": questionnaire.title,
            "programme": questionnaire.programme,
        },
        "exported_at": now_rfc3339(),
        "codes": codes,
    });
    // The head without its closing brace, then the regions one by one.
    let mut buffer = serde_json::to_vec(&head).map_err(internal)?;
    buffer.pop();
    buffer.extend_from_slice(b",\"regions\":[");
    let mut regions = read_round(state, export);
    for (n, participant) in export.participants.iter().enumerate() {
        let answers = next_region(&mut regions).await?;
        let (status_code, status_label) = response_status(participant.status.as_deref());
        let items: serde_json::Map<String, serde_json::Value> = questionnaire
            .items()
            .map(|item| {
                (
                    item.key.clone(),
                    json_answer(answers.status(&item.key), answers.stored(&item.key)),
                )
            })
            .collect();
        let region = serde_json::json!({
            "code": participant.region_code,
            "name": participant.region_name,
            "status": status_code,
            "status_label": status_label,
            "filled_in_by": participant.filled_in_by.code(),
            "agreement": participant.agreement.as_ref().map(|a| serde_json::json!({
                "with": a.with,
                "on": input_date(a.on),
            })),
            "answers": items,
        });
        if n > 0 {
            buffer.push(b',');
        }
        serde_json::to_writer(&mut buffer, &region).map_err(internal)?;
        sink.push(&buffer).await?;
        buffer.clear();
    }
    buffer.extend_from_slice(b"]}");
    sink.push(&buffer).await?;
    sink.finish().await
}
