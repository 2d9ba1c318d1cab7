//! `nad-monitor`: serves the platform and manages it from the command line.

use app::error::AppError;
use app::paths;
use app::services::mail::MailSettings;
use app::services::state::Config;
use app::services::{db, demo};
use clap::{Args, Parser, Subcommand};
use serve::{serve, ServeArgs};
use server::{build_state, leptos_options};
use std::path::PathBuf;
use std::process::ExitCode;

mod commands;
mod serve;

#[derive(Parser)]
#[command(
    name = "nad-monitor",
    version,
    about = "Monitor Eerst een Thuis: vragenlijstplatform voor de NAD-regio's"
)]
struct Cli {
    /// Database: `sqlite://PATH` (default) or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", default_value = db::DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
    /// Log lines as text for people, or as JSON (one object per line) for a log collector.
    #[arg(long, env = "NAD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    /// SMTP server that mail is delivered through: `smtp://host:port` (plain),
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtps://user:password@host` (TLS).
    /// Without it mail stays in the outbox (`/beheer/uitgaande-mail`).
    #[arg(long, env = "NAD_SMTP_URL", global = true, hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender address of every mail.
    #[arg(
        long,
        env = "NAD_MAIL_FROM",
        default_value = "noreply@localhost",
        global = true
    )]
    mail_from: String,
    /// The address people reach the platform at, used in the links in mails.
    #[arg(
        long,
        env = "NAD_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000",
        global = true
    )]
    public_url: String,
    /// Without a command, `serve` runs with its settings from the environment (this is how
    /// `cargo leptos` starts the server).
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Log to stderr, at `RUST_LOG`'s levels (default: info, and warnings only from sqlx). Every
/// line of a request carries its id (see `app::request_id`).
fn start_logging(format: LogFormat) {
    let levels = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(levels)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().with_current_span(true).init(),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the platform over HTTP.
    Serve(Box<ServeArgs>),
    /// Bring the database schema up to date and stop.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage regions.
    #[command(subcommand)]
    Regions(RegionsCommand),
    /// Manage the gemeenten of the regions (CBS codes).
    #[command(subcommand)]
    Gemeenten(GemeentenCommand),
    /// Load demo data (the NAD's 45 regions and questionnaire, Beschermd Thuis beside it, six
    /// accounts) into an empty database.
    Demo,
    /// Manage questionnaire versions.
    #[command(subcommand)]
    Questionnaire(QuestionnaireCommand),
    /// Measurement rounds: list, create, open, close and publish them.
    #[command(subcommand)]
    Round(RoundCommand),
    /// Programmes side by side (NAD, Beschermd Thuis, ...): list and add them.
    #[command(subcommand)]
    Programme(ProgrammeCommand),
}

#[derive(Subcommand)]
enum ProgrammeCommand {
    /// List the programmes with their regions, questionnaires and rounds.
    List,
    /// Add a programme; load its regions with `regions import --programme CODE`.
    Add {
        /// In files and commands: lower-case letters, digits and '-', e.g. bt.
        #[arg(long)]
        code: String,
        /// Its full name, e.g. "Beschermd Thuis".
        #[arg(long)]
        name: String,
        /// The mark beside its rounds' names, e.g. BT.
        #[arg(long)]
        short_name: String,
        /// The mark's colour, #rrggbb, dark enough for white text.
        #[arg(long)]
        colour: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add(NewAccountArgs),
    /// Create an account without a password and mail its owner an invitation link (7 days)
    /// to choose one; the link is printed too.
    Invite(NewAccountArgs),
    /// Set a new password (read from standard input) and end the user's sessions.
    SetPassword {
        #[arg(long)]
        email: String,
    },
    /// Block an account and end its sessions.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Unblock an account.
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Let a coordinator also coordinate a region of another programme, with the same login.
    AddRegion(UserRegionArgs),
    /// Take a region of another programme away from a coordinator.
    RemoveRegion(UserRegionArgs),
    /// Make a reviewer the region adviser (regioadviseur) of a region: they fill in its
    /// questionnaire, and record the region's agreement when submitting.
    AddAdvisedRegion(UserRegionArgs),
    /// End a reviewer's advising of a region.
    RemoveAdvisedRegion(UserRegionArgs),
}

/// Who a new account is for.
#[derive(Args)]
struct NewAccountArgs {
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    /// admin, reviewer or coordinator
    #[arg(long)]
    role: String,
    /// Region code; required for coordinators, not allowed for others.
    #[arg(long)]
    region: Option<String>,
}

/// A user and a region: a coordinator's region of another programme than their own, or a
/// region a reviewer advises.
#[derive(Args)]
struct UserRegionArgs {
    #[arg(long)]
    email: String,
    /// The region's code (see `programme list`).
    #[arg(long, alias = "regio")]
    region: String,
}

impl NewAccountArgs {
    fn account(self) -> app::services::users::NewAccount {
        app::services::users::NewAccount {
            email: self.email,
            display_name: self.name,
            role: self.role,
            region_code: self.region,
        }
    }
}

#[derive(Subcommand)]
enum QuestionnaireCommand {
    /// Check a definition file and store it as a new version: our TOML, an XLSForm workbook
    /// (.xlsx) or a REDCap data dictionary (.csv).
    Import {
        file: PathBuf,
        /// The questionnaire's identifier (XLSForm: overrides form_id; REDCap: required
        /// unless the file names it).
        #[arg(long)]
        identifier: Option<String>,
        /// The version (XLSForm: overrides the settings' version).
        #[arg(long = "version", value_name = "VERSION")]
        version_name: Option<String>,
        /// The title (XLSForm: overrides form_title).
        #[arg(long)]
        title: Option<String>,
        /// The programme's code (see `programme list`; overrides the file's; default: nad).
        #[arg(long, alias = "programma")]
        programme: Option<String>,
    },
    /// List the stored versions.
    List,
    /// Write a stored version as our TOML, an XLSForm workbook or a REDCap data dictionary.
    Export {
        /// The version as IDENTIFIER/VERSION, e.g. nad/2026-06 (see `questionnaire list`).
        version: String,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The file to write (default: IDENTIFIER-VERSION.xlsx, .csv or .toml here).
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Xlsform,
    Redcap,
    Toml,
}

#[derive(Subcommand)]
enum RoundCommand {
    /// List the rounds with their state, deadline and publication.
    List,
    /// Set up a round as a concept (open it with `round open`).
    Create(NewRoundArgs),
    /// Open a concept round, or open a closed round again (with `--reden`).
    Open {
        /// The round's id (see `round list`).
        round: String,
        /// Why; required to open a closed round again. Goes into the audit history.
        #[arg(long, alias = "reden")]
        reason: Option<String>,
    },
    /// Close an open round: no answers are accepted any more.
    Close {
        /// The round's id (see `round list`).
        round: String,
        /// Why (optional); goes into the audit history.
        #[arg(long, alias = "reden")]
        reason: Option<String>,
    },
    /// Publish a closed round: freeze its approved answers to the public items for the
    /// dashboard and the open data.
    Publish {
        /// The round's id (see `round list`).
        round: String,
        /// A Markdown file with the conclusions that open the national page.
        #[arg(long)]
        conclusions: Option<PathBuf>,
    },
    /// Publish a correction of a published round: a new edition with a dated note.
    Correct {
        round: String,
        /// What the correction changes; shown publicly with its date.
        #[arg(long)]
        note: String,
        /// A Markdown file with the conclusions (default: the previous edition's).
        #[arg(long)]
        conclusions: Option<PathBuf>,
    },
}

/// What a new round is: its name, questionnaire version, period, compared round and regions.
#[derive(Args)]
struct NewRoundArgs {
    /// The round's name, e.g. "7e meting – juni 2027".
    #[arg(long, alias = "naam")]
    name: String,
    /// The questionnaire version as identifier/version, e.g. nad/2026-06.
    #[arg(long, alias = "vragenlijst")]
    questionnaire: String,
    /// The opening date, YYYY-MM-DD.
    #[arg(long, alias = "opent")]
    opens: String,
    /// The deadline, YYYY-MM-DD: answers are accepted until the end of that day.
    #[arg(long)]
    deadline: String,
    /// The id of the earlier round to compare with (default: the latest earlier round of the
    /// same programme and questionnaire).
    #[arg(long, alias = "vergelijk-met")]
    compared_with: Option<String>,
    /// A region taking part (repeat for more); default: every region of the questionnaire's
    /// programme that is not retired.
    #[arg(long = "region", alias = "regio")]
    regions: Vec<String>,
}

#[derive(Subcommand)]
enum RegionsCommand {
    /// Import regions from a CSV file with columns code, region, lead_gemeente.
    Import {
        file: PathBuf,
        /// The programme whose region set this is (default: nad).
        #[arg(long, alias = "programma", default_value = "nad")]
        programme: String,
    },
}

#[derive(Subcommand)]
enum GemeentenCommand {
    /// Replace the division of gemeenten over the regions with a CSV file with columns
    /// gemeente_code (CBS code, GMxxxx), gemeente, region_code. Rounds keep their own copy.
    Import {
        file: PathBuf,
        /// The programme whose division this is (default: nad).
        #[arg(long, alias = "programma", default_value = "nad")]
        programme: String,
    },
}

/// Prints an application error the way a person at a terminal can act on it.
fn describe(error: AppError) -> String {
    match error {
        AppError::Validation(fields) => fields
            .into_iter()
            .flat_map(|(field, messages)| {
                messages
                    .into_iter()
                    .map(move |message| format!("{field}: {message}"))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        AppError::NotFound => "niet gevonden".to_string(),
        other => other.to_string(),
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let database_url = cli.database_url.clone();
    let mail = MailSettings::new(cli.smtp_url, cli.mail_from, cli.public_url)?;
    let command = cli
        .command
        .unwrap_or_else(|| Command::Serve(Box::new(serve::settings_from_environment())));
    match command {
        Command::Serve(args) => serve(&database_url, *args, mail).await,
        command => {
            let state = build_state(
                &database_url,
                Config {
                    mail,
                    ..Config::default()
                },
                leptos_options(([127, 0, 0, 1], 3000).into()),
            )
            .await?;
            commands::run(&state, command).await
        }
    }
}

fn print_demo_accounts() {
    println!(
        "Zonder mailserver (NAD_SMTP_URL) staan e-mails in {}, zoals de uitnodiging van {}.",
        paths::OUTBOX,
        demo::INVITED_EMAIL
    );
    println!(
        "Demo-accounts (alleen voor de demo; log in op {}):",
        paths::LOGIN
    );
    for account in &demo::ACCOUNTS {
        let region = match (account.region, account.advises) {
            (Some(code), _) => format!(", regio {code}"),
            (None, []) => String::new(),
            (None, advised) => format!(", regioadviseur van {}", advised.join(" en ")),
        };
        println!(
            "  {:<24} wachtwoord {:<22} ({}{region})",
            account.email, account.password, account.role
        );
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    server::allocator::configure();
    // An optional `.env` file in the working directory; real environment variables win.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    start_logging(cli.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("Fout: {message}");
            ExitCode::FAILURE
        }
    }
}
