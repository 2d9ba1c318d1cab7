//! The HTTP server: the router with its layers, and the configuration that builds it.
//! `router(state)` is public so the HTTP tests can drive it without a socket.

pub mod allocator;
mod audit_export;
mod exports;
mod form_resource;
mod item_answers;
pub mod layers;
mod open_data;
mod page_tasks;
mod public_pages;
mod sections;
pub mod theme;
mod upload;
mod well_known;

use app::app::{shell, App};
use app::paths;
use app::services::state::{AppState, Config};
use app::services::{auth, db, request, sessions};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, LazyLock};
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Leptos's options, with the defaults of this project; `LEPTOS_*` variables override them
/// (cargo-leptos sets them when it runs the server).
pub fn leptos_options(site_addr: SocketAddr) -> LeptosOptions {
    let var =
        |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_string());
    // cargo-leptos writes the hashes of the site files next to the binary.
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|path| Path::new(&path).exists());
    LeptosOptions::builder()
        .output_name(var("LEPTOS_OUTPUT_NAME", "nad-monitor"))
        .site_root(var("LEPTOS_SITE_ROOT", "target/site"))
        .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(site_addr)
        .hash_files(hash_files)
        .build()
}

/// Opens and migrates the database and builds the state every request shares.
pub async fn build_state(
    database_url: &str,
    config: Config,
    leptos_options: LeptosOptions,
) -> Result<AppState, String> {
    let pool = db::connect(database_url).await.map_err(|error| {
        format!(
            "De database is niet te openen ({}): {}",
            db::redacted(database_url),
            db::scrubbed(&error.to_string(), database_url)
        )
    })?;
    db::migrate(&pool).await.map_err(|error| {
        format!(
            "De database-migraties zijn mislukt: {}",
            db::scrubbed(&error.to_string(), database_url)
        )
    })?;
    Ok(AppState {
        pool,
        config: Arc::new(config),
        leptos_options,
        questionnaires: Arc::default(),
        counts: Arc::default(),
        snapshots: Arc::default(),
        tallies: Arc::default(),
        publications: Arc::default(),
        open_data: Arc::default(),
        sqlite_writes: db::is_sqlite(database_url).then(Arc::default),
    })
}

/// The app's routes, generated once per process. Generating them renders the app with resource
/// loading switched off process-wide (a global flag in leptos_server): a page rendered on
/// another thread at that moment would wait for ever on its data, so it must never happen
/// while pages are served.
fn app_routes() -> Vec<AxumRouteListing> {
    static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| {
        // Before leptos_axum sets up its own executor, which generating the routes does.
        page_tasks::install_executor();
        generate_route_list(App)
    });
    ROUTES.clone()
}

/// The routes that are plain axum handlers rather than pages or server functions: method,
/// path and handler. The router is built from this list, and the authorization table test
/// reads `plain_routes()` so that a route added here without a row in the table fails it.
fn plain_route_handlers() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/healthz", get(healthz)),
        (
            Method::GET,
            "/.well-known/security.txt",
            get(well_known::security_txt),
        ),
        (Method::POST, "/logout", post(logout)),
        (
            Method::POST,
            "/beheer/vragenlijsten/laden",
            post(upload::upload_questionnaire),
        ),
        (
            Method::GET,
            "/beheer/audit/export.csv",
            get(audit_export::export_audit),
        ),
        (
            Method::POST,
            "/vragenlijst/{id}/sectie/{section}/opslaan",
            post(sections::save_section),
        ),
        (
            Method::GET,
            "/landelijk/{id}/export/{file}",
            // Up to 255 MB of CSV at 10,000 organisations: the fastest level still makes it
            // 11 times smaller (the default 18 times) and took 1.5 s less to send
            // (docs/performance.md, "Second run").
            get(exports::download).layer(compression(CompressionLevel::Fastest)),
        ),
        (
            Method::GET,
            "/beoordelen/{id}/antwoorden/export.csv",
            get(item_answers::csv),
        ),
        (
            Method::GET,
            "/beoordelen/{id}/antwoorden/export.xlsx",
            get(item_answers::xlsx),
        ),
        (
            Method::GET,
            app::services::questionnaires::FORM_RESOURCE_ROUTE,
            get(form_resource::serve),
        ),
        (
            Method::GET,
            app::domain::publication::catalogue::INDEX_PATH,
            get(open_data::index),
        ),
        (
            Method::GET,
            "/open-data/{round}/{edition}/{file}",
            get(open_data::file),
        ),
        (
            Method::GET,
            app::domain::branding::STYLE_PATH,
            get(open_data::style),
        ),
        (
            Method::GET,
            app::domain::branding::LOGO_PATH,
            get(open_data::logo),
        ),
    ]
}

/// Gzip for clients that ask for it, except for files that are zip archives already (XLSX):
/// compressing those again costs seconds on a large export and saves 3 %. A response that
/// is compressed already (by a route's own layer) passes through as it is.
fn compression(level: CompressionLevel) -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .gzip(true)
        .quality(level)
        .compress_when(
            DefaultPredicate::new()
                .and(NotForContentType::const_new(
                    "application/vnd.openxmlformats",
                ))
                .and(NotForContentType::const_new("application/zip")),
        )
}

/// Method and path of every plain axum route (see `plain_route_handlers`).
pub fn plain_routes() -> Vec<(Method, &'static str)> {
    plain_route_handlers()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

/// The paths of the app's pages, as the router serves them.
pub fn page_paths() -> Vec<String> {
    app_routes()
        .iter()
        .map(|route| route.path().to_string())
        .collect()
}

/// Every route of the platform with its security layers.
pub fn router(state: AppState) -> Router {
    let routes = app_routes();
    let context_state = state.clone();
    let fallback_state = state.clone();
    let options = state.leptos_options.clone();
    let mut router = Router::new();
    for (_, path, handler) in plain_route_handlers() {
        router = router.route(path, handler);
    }
    router
        // Axum's own limit would stop multipart bodies at 2 MB; `limit_body` decides.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
                provide_context(request::SessionOfRequest::default());
                page_tasks::provide();
            },
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || {
                provide_context(fallback_state.clone());
                provide_context(request::SessionOfRequest::default());
                page_tasks::provide();
            },
            shell,
        ))
        // Inner to outer. The security headers wrap the layers that refuse early (403, 413),
        // so those answers carry them too; refusals are logged with the client's address.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            public_pages::kept,
        ))
        .layer(axum::middleware::from_fn(page_tasks::abort_with_response))
        .layer(axum::middleware::from_fn(layers::error_status))
        .layer(axum::middleware::from_fn(layers::refuse_cross_origin))
        .layer(axum::middleware::from_fn(layers::limit_body))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::log_refusals,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            layers::find_client,
        ))
        .layer(compression(CompressionLevel::Default))
        // Outermost: every line logged while a request is served carries its id. Each
        // request and response is logged at debug level (`RUST_LOG=tower_http=debug`),
        // server errors at error level.
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(layers::request_span))
        .layer(axum::middleware::from_fn(layers::request_id))
        .with_state(state)
}

/// For a monitor or load balancer: 200 when the database answers, 503 when it does not, with
/// the database's state as JSON (kind, how long it took to answer, the pool's connections).
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let health = db::health(&state.pool).await;
    let status = if health.reachable {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let mut response = axum::Json(health).into_response();
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Ends the session and returns to the login page. A plain form post, so it works with and
/// without JavaScript.
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response<Body> {
    if let Some(token) = sessions::token_from_headers(&headers, &state.config) {
        if let Err(error) = auth::logout(&state.pool, &state.config, &token).await {
            tracing::warn!(?error, "logout could not end the session");
        }
    }
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SEE_OTHER;
    let location = paths::with_query(paths::LOGIN, "uitgelogd=1");
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if let Ok(cookie) = HeaderValue::from_str(&sessions::removal_cookie(&state.config)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}
