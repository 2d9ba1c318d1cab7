//! The management commands of `nad-monitor`, everything but `serve`: each reads and checks
//! its whole input first, then changes the database (or nothing), and says in Dutch what it
//! did.

use crate::{
    describe, print_demo_accounts, Command, GemeentenCommand, QuestionnaireCommand, RegionsCommand,
    RoundCommand, UserCommand,
};
use app::error::AppError;
use app::paths;
use app::services::audit::Actor;
use app::services::state::AppState;
use app::services::{demo, gemeenten, publications, questionnaires, regions, rounds, users};
use sqlx::AnyPool;
use std::io::Read;
use std::path::Path;

/// Runs one command (not `serve`) on an opened, migrated database.
pub(crate) async fn run(state: &AppState, command: Command) -> Result<(), String> {
    let pool = &state.pool;
    match command {
        Command::Serve(_) => unreachable!("serve starts the server instead"),
        Command::Migrate => {
            println!("De database is bijgewerkt.");
            Ok(())
        }
        Command::Demo => {
            demo::load(state).await.map_err(describe)?;
            print_demo_accounts();
            Ok(())
        }
        Command::Questionnaire(QuestionnaireCommand::Import {
            file,
            identifier,
            version_name,
            title,
            programme,
        }) => {
            let names = app::domain::questionnaire::interchange::Names {
                identifier,
                version: version_name,
                title,
                programme,
            };
            import_questionnaire(state, &file, &names).await
        }
        Command::Questionnaire(QuestionnaireCommand::List) => list_questionnaires(pool).await,
        Command::Questionnaire(QuestionnaireCommand::Export {
            version,
            format,
            output,
        }) => export_questionnaire(state, &version, format, output).await,
        Command::Regions(RegionsCommand::Import { file, programme }) => {
            import_regions(pool, &file, &programme).await
        }
        Command::Gemeenten(GemeentenCommand::Import { file, programme }) => {
            import_gemeenten(pool, &file, &programme).await
        }
        Command::Programme(command) => programme_commands::run(pool, command).await,
        Command::User(command) => user(state, command).await,
        Command::Round(command) => round(state, command).await,
    }
}

mod programme_commands;
mod round_commands;

async fn round(state: &AppState, command: RoundCommand) -> Result<(), String> {
    use app::domain::round::RoundState;
    match command {
        RoundCommand::List => list_rounds(state).await,
        RoundCommand::Create(args) => round_commands::create(state, args).await,
        RoundCommand::Open { round, reason } => {
            round_commands::change(state, &round, RoundState::Open, reason).await
        }
        RoundCommand::Close { round, reason } => {
            round_commands::change(state, &round, RoundState::Closed, reason).await
        }
        RoundCommand::Publish { round, conclusions } => {
            publish_round(state, &round, conclusions.as_deref()).await
        }
        RoundCommand::Correct {
            round,
            note,
            conclusions,
        } => correct_round(state, &round, &note, conclusions.as_deref()).await,
    }
}

async fn list_rounds(state: &AppState) -> Result<(), String> {
    let list = rounds::list(&state.pool).await.map_err(describe)?;
    let published = publications::all(state).await.map_err(describe)?;
    if list.is_empty() {
        println!("Er zijn nog geen metingen.");
    }
    for round in list {
        let publication = published
            .rounds
            .iter()
            .find(|p| p.round_id == round.id)
            .map(|p| {
                format!(
                    ", {} editie {}",
                    paths::dashboard(Some(&p.slug)),
                    p.latest().edition.edition
                )
            })
            .unwrap_or_default();
        println!(
            "{}  {}  [{}]  deadline {}  {} van {} ingediend{publication}",
            round.id,
            round.name,
            round.state.label(),
            app::domain::time::format_date(round.deadline),
            round.submitted_count,
            round.region_count
        );
    }
    Ok(())
}

async fn publish_round(
    state: &AppState,
    round: &str,
    conclusions: Option<&Path>,
) -> Result<(), String> {
    let conclusions = match conclusions {
        Some(file) => read_text(file)?,
        None => String::new(),
    };
    let edition = publications::publish(state, &Actor::CommandLine, round, &conclusions)
        .await
        .map_err(|error| round_error(round, error))?;
    println!(
        "Gepubliceerd: {} (editie {}), open data op {}.",
        paths::dashboard(Some(&edition.slug)),
        edition.edition,
        paths::OPEN_DATA
    );
    Ok(())
}

async fn correct_round(
    state: &AppState,
    round: &str,
    note: &str,
    conclusions: Option<&Path>,
) -> Result<(), String> {
    let conclusions = match conclusions {
        Some(file) => read_text(file)?,
        None => {
            publications::preview(state, round)
                .await
                .map_err(describe)?
                .conclusions
        }
    };
    let edition = publications::correct(state, &Actor::CommandLine, round, note, &conclusions)
        .await
        .map_err(|error| round_error(round, error))?;
    println!(
        "Correctie gepubliceerd: {} editie {}.",
        paths::dashboard(Some(&edition.slug)),
        edition.edition
    );
    Ok(())
}

/// An error of publishing `round`, pointing to `round list` when there is no such round.
fn round_error(round: &str, error: AppError) -> String {
    match error {
        AppError::NotFound => format!("Er is geen meting met id '{round}' (zie `round list`)."),
        other => describe(other),
    }
}

/// A UTF-8 text file, read whole.
fn read_text(file: &Path) -> Result<String, String> {
    let (name, bytes) = read_file(file)?;
    String::from_utf8(bytes).map_err(|_| format!("{name}: het bestand is geen UTF-8-tekst"))
}

/// A file's name as the messages give it, and its bytes.
fn read_file(file: &Path) -> Result<(String, Vec<u8>), String> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file)
        .map_err(|error| format!("{name}: kan het bestand niet lezen: {error}"))?;
    Ok((name, bytes))
}

/// Loads a definition: our TOML, an XLSForm workbook (.xlsx) or a REDCap dictionary (.csv).
async fn import_questionnaire(
    state: &AppState,
    file: &Path,
    names: &app::domain::questionnaire::interchange::Names,
) -> Result<(), String> {
    let (name, bytes) = read_file(file)?;
    let file_name = file
        .file_name()
        .map_or(name.clone(), |n| n.to_string_lossy().into_owned());
    let outcome = app::services::questionnaire_files::import(
        &state.pool,
        &state.questionnaires,
        &Actor::CommandLine,
        &file_name,
        &bytes,
        names,
    )
    .await
    .map_err(|problems| format!("{}\nEr is niets opgeslagen.", problems.join("\n")))?;
    match outcome {
        questionnaires::ImportOutcome::Stored {
            identifier,
            version,
            items,
        } => {
            println!("{file_name}: versie {version} van '{identifier}' geladen ({items} vragen).");
        }
        questionnaires::ImportOutcome::AlreadyStored {
            identifier,
            version,
        } => {
            println!(
                "{file_name}: versie {version} van '{identifier}' was al geladen, met dezelfde inhoud."
            );
        }
    }
    Ok(())
}

/// Writes a stored version (`IDENTIFIER/VERSION`) as XLSForm, REDCap or TOML.
async fn export_questionnaire(
    state: &AppState,
    version: &str,
    format: crate::ExportFormat,
    output: Option<std::path::PathBuf>,
) -> Result<(), String> {
    use app::services::questionnaire_files::{export, Format};
    let Some((identifier, version)) = version.split_once('/') else {
        return Err(format!(
            "'{version}': noem de versie als IDENTIFIER/VERSIE, bijvoorbeeld nad/2026-06 (zie questionnaire list)"
        ));
    };
    let format = match format {
        crate::ExportFormat::Xlsform => Format::XlsForm,
        crate::ExportFormat::Redcap => Format::Redcap,
        crate::ExportFormat::Toml => Format::Toml,
    };
    let bytes = export(
        &state.pool,
        &state.questionnaires,
        identifier,
        version,
        format,
    )
    .await
    .map_err(|error| match error {
        AppError::NotFound => {
            format!("versie {version} van '{identifier}' is niet geladen (zie questionnaire list)")
        }
        other => describe(other),
    })?;
    let output =
        output.unwrap_or_else(|| format!("{identifier}-{version}.{}", format.extension()).into());
    std::fs::write(&output, bytes).map_err(|error| {
        format!(
            "{}: kan het bestand niet schrijven: {error}",
            output.display()
        )
    })?;
    println!(
        "Versie {version} van '{identifier}' geschreven naar {}.",
        output.display()
    );
    Ok(())
}

async fn list_questionnaires(pool: &AnyPool) -> Result<(), String> {
    for version in questionnaires::list(pool).await.map_err(describe)? {
        println!(
            "{} {}  {} vragen  {}  (uit {})",
            version.identifier,
            version.version,
            version.item_count,
            version.title,
            version.file_name
        );
    }
    Ok(())
}

async fn import_regions(pool: &AnyPool, file: &Path, programme: &str) -> Result<(), String> {
    let (name, bytes) = read_file(file)?;
    let list = regions::parse_csv(&bytes).map_err(|problems| file_problems(&name, &problems))?;
    let (added, updated) = regions::import(pool, &Actor::CommandLine, programme, &list)
        .await
        .map_err(describe)?;
    println!("{name}: {added} regio's toegevoegd, {updated} bijgewerkt.");
    Ok(())
}

async fn import_gemeenten(pool: &AnyPool, file: &Path, programme: &str) -> Result<(), String> {
    let (name, bytes) = read_file(file)?;
    app::services::programmes::find(pool, programme)
        .await
        .map_err(describe)?;
    // Gemeenten belong to the programme's regions that take part in new rounds, not to
    // retired ones.
    let (active, retired): (Vec<_>, Vec<_>) = regions::of_programme(pool, programme)
        .await
        .map_err(describe)?
        .into_iter()
        .partition(|region| region.is_active());
    let codes = |list: Vec<app::domain::region::Region>| list.into_iter().map(|r| r.code).collect();
    let list = gemeenten::parse_csv(&bytes, &codes(active), &codes(retired))
        .map_err(|problems| file_problems(&name, &problems))?;
    let changes = gemeenten::import(pool, &Actor::CommandLine, programme, &list)
        .await
        .map_err(describe)?;
    println!(
        "{name}: {} gemeenten ingelezen ({} nieuw, {} verhuisd naar een andere regio, {} vervallen).",
        list.len(),
        changes.added,
        changes.moved.len(),
        changes.removed
    );
    for (gemeente, from, to) in &changes.moved {
        println!("  {gemeente}: {from} → {to}");
    }
    if !changes.regions_without.is_empty() {
        println!(
            "Let op: deze regio's hebben geen gemeenten: {}.",
            changes.regions_without.join(", ")
        );
    }
    println!("Metingen die al bestaan houden hun eigen indeling.");
    Ok(())
}

async fn user(state: &AppState, command: UserCommand) -> Result<(), String> {
    let actor = Actor::CommandLine;
    let pool = &state.pool;
    match command {
        UserCommand::Add(args) => {
            let password = read_password()?;
            let account = args.account();
            let email = account.email.clone();
            let input = users::NewUser {
                email: account.email,
                display_name: account.display_name,
                role: account.role,
                region_code: account.region_code,
                password,
            };
            users::create(pool, &actor, input).await.map_err(describe)?;
            println!("Gebruiker {email} is aangemaakt.");
        }
        UserCommand::Invite(args) => {
            let account = args.account();
            let email = account.email.clone();
            let invited = users::invite(pool, &actor, &state.config.mail, account)
                .await
                .map_err(describe)?;
            println!(
                "Gebruiker {email} is uitgenodigd. De uitnodiging staat in de uitgaande e-mail."
            );
            println!(
                "Link (7 dagen geldig, één keer te gebruiken): {}",
                invited.link
            );
        }
        UserCommand::SetPassword { email } => {
            let user = find_user(pool, &email).await?;
            let password = read_password()?;
            users::set_password(pool, &actor, &user.id, password)
                .await
                .map_err(describe)?;
            println!("Het wachtwoord van {email} is ingesteld; de gebruiker is overal uitgelogd.");
        }
        UserCommand::Disable { email } => {
            set_active(pool, &email, false).await?;
            println!("{email} is geblokkeerd en overal uitgelogd.");
        }
        UserCommand::Enable { email } => {
            set_active(pool, &email, true).await?;
            println!("{email} is weer actief.");
        }
        UserCommand::AddRegion(args) => {
            let user = find_user(pool, &args.email).await?;
            users::other_regions::add(pool, &actor, &user.id, &args.region)
                .await
                .map_err(describe)?;
            println!(
                "{} coördineert nu ook regio {} (met dezelfde login).",
                args.email, args.region
            );
        }
        UserCommand::RemoveRegion(args) => {
            let user = find_user(pool, &args.email).await?;
            users::region_links::remove(
                pool,
                &users::other_regions::LINK,
                &actor,
                &user.id,
                &args.region,
            )
            .await
            .map_err(describe)?;
            println!(
                "{} coördineert regio {} niet meer.",
                args.email, args.region
            );
        }
        UserCommand::AddAdvisedRegion(args) => {
            let user = find_user(pool, &args.email).await?;
            users::advised_regions::add(pool, &actor, &user.id, &args.region)
                .await
                .map_err(describe)?;
            println!(
                "{} is nu regioadviseur van regio {} en kan de vragenlijst invullen.",
                args.email, args.region
            );
        }
        UserCommand::RemoveAdvisedRegion(args) => {
            let user = find_user(pool, &args.email).await?;
            users::region_links::remove(
                pool,
                &users::advised_regions::LINK,
                &actor,
                &user.id,
                &args.region,
            )
            .await
            .map_err(describe)?;
            println!(
                "{} is geen regioadviseur meer van regio {}.",
                args.email, args.region
            );
        }
    }
    Ok(())
}

async fn set_active(pool: &AnyPool, email: &str, active: bool) -> Result<(), String> {
    let user = find_user(pool, email).await?;
    users::set_active(pool, &Actor::CommandLine, &user.id, active)
        .await
        .map_err(describe)
}

async fn find_user(
    pool: &AnyPool,
    email: &str,
) -> Result<app::domain::account::UserSummary, String> {
    users::find_by_email(pool, email)
        .await
        .map_err(|_| format!("er is geen gebruiker met e-mailadres {email}"))
}

/// A CSV file's problems, one line each with the file name, and that nothing was read.
fn file_problems(name: &str, problems: &[app::domain::region::RegionFileError]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|problem| format!("{name}: {problem}"))
        .collect();
    format!("{}\nEr is niets ingelezen.", lines.join("\n"))
}

/// Reads a password from standard input: the first line, without its line ending.
fn read_password() -> Result<String, String> {
    let mut input = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut input)
        .map_err(|error| format!("kan het wachtwoord niet lezen van standaardinvoer: {error}"))?;
    let password = input.lines().next().unwrap_or_default().to_string();
    if password.is_empty() {
        return Err("geef het wachtwoord op standaardinvoer, bijvoorbeeld: \
                    printf '%s\\n' \"$WACHTWOORD\" | nad-monitor user ..."
            .to_string());
    }
    Ok(password)
}
