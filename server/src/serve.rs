//! `nad-monitor serve`: its settings, the server with the tasks that run beside it.

use crate::{describe, print_demo_accounts};
use app::services::client_address::parse_trusted_proxies;
use app::services::mail::{self, MailSettings, Mailer};
use app::services::state::Config;
use app::services::{auth, demo, notices, passwords, sessions};
use clap::{Args, Parser};
use server::{build_state, leptos_options, router};
use std::net::SocketAddr;
use std::path::PathBuf;

/// `serve`'s settings, read from the environment alone.
#[derive(Parser)]
struct ServeFromEnvironment {
    #[command(flatten)]
    args: ServeArgs,
}

/// `serve`'s settings when no command is given.
pub(crate) fn settings_from_environment() -> ServeArgs {
    ServeFromEnvironment::parse_from(["nad-monitor"]).args
}

#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Mark cookies `Secure` and send HSTS: switch on behind HTTPS.
    #[arg(long, env = "NAD_SECURE_COOKIES", default_value_t = false, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    secure_cookies: bool,
    /// Minutes without requests after which a session ends (OWASP ASVS level 2: 30).
    #[arg(long, env = "NAD_SESSION_IDLE_MINUTES", default_value_t = 30)]
    session_idle_minutes: i64,
    /// Hours after login after which a session ends, however active (ASVS level 2: 12).
    #[arg(long, env = "NAD_SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
    session_absolute_hours: i64,
    /// Reverse proxies whose X-Forwarded-For is believed: addresses and CIDR ranges,
    /// comma-separated (default: none, the TCP peer is the client).
    #[arg(long, env = "NAD_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: String,
    /// A directory with the operator's own texts of the information pages (toegankelijkheid.md,
    /// privacy.md, help.md, contact.md); a file that is not there is shown as shipped.
    #[arg(long, env = "NAD_CONTENT_DIR")]
    content_dir: Option<PathBuf>,
    /// Days before a deadline on which coordinators whose response is not submitted get a
    /// reminder, comma-separated.
    #[arg(long, env = "NAD_REMINDER_DAYS", default_value = "14,3")]
    reminder_days: String,
    /// The platform's name, in the header and the page titles.
    #[arg(
        long,
        env = "NAD_PLATFORM_NAME",
        default_value = "Monitor Eerst een Thuis"
    )]
    platform_name: String,
    /// The programme the public dashboard reports on.
    #[arg(
        long,
        env = "NAD_PROGRAMME_NAME",
        default_value = "Nationaal Actieplan Dakloosheid “Eerst een Thuis”"
    )]
    programme_name: String,
    /// The short mark in the header when there is no logo.
    #[arg(long, env = "NAD_BRAND_MARK", default_value = "NAD")]
    brand_mark: String,
    /// The main colour, `#rrggbb`; white text on it must reach a contrast of 4.5:1.
    #[arg(long, env = "NAD_BRAND_COLOUR", default_value = "#154273")]
    brand_colour: String,
    /// A logo for the header (SVG or PNG, at most 512 KB), instead of the mark.
    #[arg(long, env = "NAD_LOGO_FILE")]
    logo_file: Option<PathBuf>,
    /// A CSS file with NL Design System token values (at most 256 KB), served after the
    /// built-in ones: the look changes without a rebuild (see style/themes/).
    #[arg(long, env = "NAD_THEME_CSS")]
    theme_css: Option<PathBuf>,
    /// Who publishes the open data, as the download index names it.
    #[arg(
        long,
        env = "NAD_PUBLISHER",
        default_value = "Programma Eerst een Thuis"
    )]
    publisher: String,
    /// The licence of the open data: its name and the address of its text.
    #[arg(long, env = "NAD_OPEN_DATA_LICENCE", default_value = "CC BY 4.0")]
    open_data_licence: String,
    #[arg(
        long,
        env = "NAD_OPEN_DATA_LICENCE_URL",
        default_value = "https://creativecommons.org/licenses/by/4.0/deed.nl"
    )]
    open_data_licence_url: String,
    /// Load the demo data when the database is empty, and print the demo accounts.
    #[arg(long, env = "NAD_DEMO", default_value_t = false, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    demo: bool,
}

/// The branding settings, checked: a readable colour, names that are not empty, a logo
/// that exists and is an SVG or PNG of at most 512 KB.
fn branding(args: &ServeArgs) -> Result<app::domain::branding::Branding, String> {
    use app::domain::branding::{check_colour, Branding};
    let colour =
        check_colour(args.brand_colour.trim()).map_err(|e| format!("NAD_BRAND_COLOUR: {e}"))?;
    let named = |setting: &str, value: &str| -> Result<String, String> {
        let value = value.trim();
        if value.is_empty() || value.chars().count() > 120 {
            return Err(format!("{setting}: geef een naam van 1 tot 120 tekens"));
        }
        Ok(value.to_string())
    };
    if let Some(path) = &args.logo_file {
        let size = std::fs::metadata(path)
            .map_err(|e| format!("NAD_LOGO_FILE {}: {e}", path.display()))?
            .len();
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !matches!(extension.to_ascii_lowercase().as_str(), "svg" | "png") || size > 512 * 1024 {
            return Err(format!(
                "NAD_LOGO_FILE {}: een logo is een .svg- of .png-bestand van ten hoogste 512 KB",
                path.display()
            ));
        }
    }
    Ok(Branding {
        platform_name: named("NAD_PLATFORM_NAME", &args.platform_name)?,
        programme_name: named("NAD_PROGRAMME_NAME", &args.programme_name)?,
        mark: named("NAD_BRAND_MARK", &args.brand_mark)?,
        colour,
        has_logo: args.logo_file.is_some(),
        licence_name: named("NAD_OPEN_DATA_LICENCE", &args.open_data_licence)?,
        licence_url: named("NAD_OPEN_DATA_LICENCE_URL", &args.open_data_licence_url)?,
        publisher: named("NAD_PUBLISHER", &args.publisher)?,
    })
}

pub(crate) async fn serve(
    database_url: &str,
    args: ServeArgs,
    mail: MailSettings,
) -> Result<(), String> {
    let mailer = Mailer::from_settings(&mail)?;
    let reminder_days = parse_reminder_days(&args.reminder_days)?;
    let mut config = Config {
        secure_cookies: args.secure_cookies,
        session_idle_secs: args.session_idle_minutes.max(1) * 60,
        session_absolute_secs: args.session_absolute_hours.max(1) * 3600,
        trusted_proxies: parse_trusted_proxies(&args.trusted_proxies)?,
        mail,
        content_dir: args.content_dir.clone(),
        branding: branding(&args)?,
        logo_file: args.logo_file.clone(),
        theme_css: None,
    };
    if let Some(path) = &args.theme_css {
        config.theme_css = Some(server::theme::load(path, &config.branding)?);
    }
    let state = build_state(database_url, config, leptos_options(args.addr)).await?;
    if args.demo {
        if demo::is_empty(&state.pool).await.map_err(describe)? {
            demo::load(&state).await.map_err(describe)?;
        }
        print_demo_accounts();
    }
    passwords::warm_up();
    app::services::open_data::warm_up(&state);
    app::services::counts::warm_up(&state);
    spawn_session_cleanup(state.clone());
    spawn_deadline_reminders(state.clone(), reminder_days);
    match mailer {
        Some(mailer) => spawn_mail_delivery(state.clone(), mailer),
        None => tracing::info!("no NAD_SMTP_URL: mail stays in the outbox"),
    }

    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|error| format!("kan niet luisteren op {}: {error}", args.addr))?;
    // Without TCP_NODELAY every response written in pieces waits ~40 ms for a delayed ACK.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!(addr = %args.addr, "listening");
    println!("NAD-monitor draait op http://{}", args.addr);
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|error| format!("de server is gestopt: {error}"))
}

/// Removes expired sessions and login back-off counts that no longer count, every 15 minutes.
/// Each instance does it; the deletes are idempotent, so several instances on one database
/// need no coordination.
fn spawn_session_cleanup(state: app::services::state::AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
        loop {
            interval.tick().await;
            match sessions::purge_expired(&state.pool, &state.config).await {
                Ok(removed) if removed > 0 => tracing::info!(removed, "expired sessions removed"),
                Ok(_) => {}
                Err(error) => tracing::warn!(?error, "removing expired sessions failed"),
            }
            if let Err(error) = auth::purge_throttles(&state.pool).await {
                tracing::warn!(?error, "removing old login back-off counts failed");
            }
        }
    });
}

/// Delivers the outbox every few seconds. Each instance does it; mails are claimed one by
/// one, so several instances on one database never send the same mail at the same time.
fn spawn_mail_delivery(state: app::services::state::AppState, mailer: Mailer) {
    tokio::spawn(async move {
        let mut interval =
            tokio::time::interval(std::time::Duration::from_secs(MAIL_INTERVAL_SECS));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match mail::deliver_due(&state.pool, &mailer, app::services::now_ms()).await {
                Ok(done) if done != mail::Delivered::default() => {
                    tracing::info!(
                        sent = done.sent,
                        retrying = done.retrying,
                        failed = done.failed,
                        "mail delivered"
                    )
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(?error, "delivering mail failed"),
            }
        }
    });
}

/// `NAD_REMINDER_DAYS`: whole days, each between 1 and 90.
fn parse_reminder_days(text: &str) -> Result<Vec<i64>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| match part.parse::<i64>() {
            Ok(days) if (1..=90).contains(&days) => Ok(days),
            _ => Err(format!(
                "NAD_REMINDER_DAYS: '{part}' is geen aantal dagen van 1 tot en met 90."
            )),
        })
        .collect()
}

/// Queues the deadline reminders that are due, at start and every 15 minutes. Each instance
/// does it; each reminder is claimed in the database, so it goes out once.
fn spawn_deadline_reminders(state: app::services::state::AppState, days: Vec<i64>) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
        loop {
            interval.tick().await;
            let now = app::services::now_ms();
            match notices::send_deadline_reminders(&state.pool, &state.config.mail, now, &days)
                .await
            {
                Ok(0) => {}
                Ok(queued) => tracing::info!(queued, "deadline reminders queued"),
                Err(error) => tracing::warn!(?error, "queueing deadline reminders failed"),
            }
        }
    });
}

/// How often the outbox is looked at: a new mail leaves within this many seconds.
const MAIL_INTERVAL_SECS: u64 = 2;
