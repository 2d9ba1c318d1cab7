//! The JSON file: the round, the codes and every region's answers.

use super::*;
use crate::domain::export::JsonAnswer;
use serde::Serialize;

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
    // The answers' keys in the order of their names, as the file has always had them.
    let mut keys: Vec<&str> = questionnaire
        .items()
        .map(|item| item.key.as_str())
        .collect();
    keys.sort_unstable();
    let mut regions = read_round(state, export);
    for (n, participant) in export.participants.iter().enumerate() {
        let answers = next_region(&mut regions).await?;
        let (status, status_label) = response_status(participant.status.as_deref());
        let region = JsonRegion {
            agreement: participant.agreement.as_ref().map(|a| JsonAgreement {
                on: input_date(a.on),
                with: &a.with,
            }),
            answers: JsonAnswers {
                keys: &keys,
                answers: &answers,
            },
            code: &participant.region_code,
            filled_in_by: participant.filled_in_by.code(),
            name: &participant.region_name,
            status,
            status_label,
        };
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

/// One region in the file, written as it is read. The fields are in the order of their
/// names, as the file has always had them.
#[derive(Serialize)]
struct JsonRegion<'a> {
    agreement: Option<JsonAgreement<'a>>,
    answers: JsonAnswers<'a>,
    code: &'a str,
    filled_in_by: &'static str,
    name: &'a str,
    status: &'static str,
    status_label: &'static str,
}

#[derive(Serialize)]
struct JsonAgreement<'a> {
    on: String,
    with: &'a str,
}

/// A region's answers by item key.
struct JsonAnswers<'a> {
    keys: &'a [&'a str],
    answers: &'a RegionAnswers,
}

impl Serialize for JsonAnswers<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.keys.iter().map(|key| {
            let answer = JsonAnswer::new(self.answers.status(key), self.answers.stored(key));
            (key, answer)
        }))
    }
}
