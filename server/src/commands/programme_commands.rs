//! `programme list` and `programme add`.

use crate::{describe, ProgrammeCommand};
use app::services::audit::Actor;
use app::services::programmes;
use sqlx::AnyPool;

pub async fn run(pool: &AnyPool, command: ProgrammeCommand) -> Result<(), String> {
    match command {
        ProgrammeCommand::List => {
            let summaries = programmes::summaries(pool).await.map_err(describe)?;
            println!(
                "{:<16} {:<8} {:>7} {:>12} {:>8}  naam",
                "code", "kort", "regio's", "vragenlijst", "metingen"
            );
            for summary in summaries {
                let programme = &summary.programme;
                println!(
                    "{:<16} {:<8} {:>7} {:>12} {:>8}  {}",
                    programme.code,
                    programme.short_name,
                    summary.regions,
                    summary.questionnaire_versions,
                    summary.rounds,
                    programme.name
                );
            }
            Ok(())
        }
        ProgrammeCommand::Add {
            code,
            name,
            short_name,
            colour,
        } => {
            let programme = programmes::add(
                pool,
                &Actor::CommandLine,
                &code,
                &name,
                &short_name,
                &colour,
            )
            .await
            .map_err(describe)?;
            println!(
                "Programma {} ({}) is toegevoegd. Laad zijn regio's met `regions import BESTAND --programme {}`.",
                programme.name, programme.code, programme.code
            );
            Ok(())
        }
    }
}
