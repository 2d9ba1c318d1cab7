//! `round create`, `round open` and `round close`: the same checks as the admin's forms, with
//! the errors naming the command's options.

use crate::{describe, NewRoundArgs};
use app::domain::round::{day_end, day_start, RoundState};
use app::error::AppError;
use app::services::audit::Actor;
use app::services::rounds;
use app::services::state::AppState;

/// An error of a round command: the form's field names become the command's options, and an
/// unknown round points to `round list`.
fn command_error(round: &str, error: AppError) -> String {
    let error = [
        ("name", "--name"),
        ("questionnaire", "--questionnaire"),
        ("opens_at", "--opens"),
        ("deadline", "--deadline"),
        ("compared_round_id", "--compared-with"),
        ("regions", "--region"),
        ("reason", "--reden"),
    ]
    .into_iter()
    .fold(error, |error, (field, option)| {
        error.rename_field(field, option)
    });
    super::round_error(round, error)
}

/// Sets up a round as a concept and says what it made.
pub(super) async fn create(state: &AppState, args: NewRoundArgs) -> Result<(), String> {
    let Some((identifier, version)) = args.questionnaire.split_once('/') else {
        return Err(
            "--questionnaire: geef de vragenlijstversie als identificatie/versie, bijvoorbeeld \
             nad/2026-06 (zie `questionnaire list`)."
                .to_string(),
        );
    };
    let opens_at = day_start(&args.opens).map_err(|message| format!("--opens: {message}"))?;
    let deadline = day_end(&args.deadline).map_err(|message| format!("--deadline: {message}"))?;
    let new_round = rounds::NewRound {
        name: args.name,
        questionnaire_id: identifier.to_string(),
        questionnaire_version: version.to_string(),
        state: RoundState::Concept,
        opens_at,
        deadline,
        compared_round_id: args.compared_with,
        region_codes: (!args.regions.is_empty()).then_some(args.regions),
    };
    let id = rounds::create(&state.pool, &Actor::CommandLine, new_round)
        .await
        .map_err(|error| command_error("", error))?;
    let round = rounds::find(&state.pool, &id).await.map_err(describe)?;
    let summary = round.summary;
    println!(
        "Meting ‘{}’ aangemaakt als concept, met id {id}.",
        summary.name
    );
    println!(
        "Vragenlijst {}, {} regio's, van {} tot en met {}; vergeleken met {}.",
        summary.questionnaire,
        summary.region_count,
        app::domain::time::format_date(summary.opens_at),
        app::domain::time::format_date(summary.deadline),
        summary
            .compared_round
            .as_deref()
            .unwrap_or("geen eerdere meting")
    );
    println!("Open haar met: nad-monitor round open {id}");
    Ok(())
}

/// Opens or closes a round, with an optional reason (required to open a closed round again).
pub(super) async fn change(
    state: &AppState,
    round: &str,
    target: RoundState,
    reason: Option<String>,
) -> Result<(), String> {
    rounds::change_state_with_reason(
        &state.pool,
        &state.config.mail,
        &Actor::CommandLine,
        round,
        target,
        reason.as_deref().unwrap_or_default(),
    )
    .await
    .map_err(|error| command_error(round, error))?;
    let name = rounds::find(&state.pool, round)
        .await
        .map_err(describe)?
        .summary
        .name;
    let what = match target {
        RoundState::Open => "open: regiocoördinatoren kunnen antwoorden invullen",
        _ => "gesloten: er kunnen geen antwoorden meer bij",
    };
    println!("Meting ‘{name}’ is {what}.");
    Ok(())
}
