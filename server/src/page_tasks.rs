//! A page's background work ends with its response.
//!
//! Leptos runs a page's resources as tasks of their own (through `any_spawner`). When a client
//! gives up on a page half-way (a closed tab, a navigation) the response is dropped, but those
//! tasks would run on: they keep pooled connections busy for seconds, and the ones that reach
//! a server function after the page's context is gone fail with
//! "AppState missing from the request context". So every request gets a `PageTasks` list in
//! its extensions, which the page's context carries; the executor registers each task spawned
//! within that context, and the response body aborts them when it is dropped. Each task also
//! keeps the request's log span and id. After a page
//! that was sent completely, they have all finished already and aborting changes nothing.

use axum::body::{Body, BodyDataStream};
use axum::extract::Request;
use axum::http::{header, Response};
use axum::middleware::Next;
use futures_util::Stream;
use leptos::prelude::{provide_context, use_context};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::task::AbortHandle;

/// The tasks spawned while rendering one page.
#[derive(Clone, Default)]
pub struct PageTasks(Arc<Mutex<Vec<AbortHandle>>>);

impl PageTasks {
    fn register(&self, task: AbortHandle) {
        let mut tasks = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A long page spawns many short tasks: keep only the ones still running.
        tasks.retain(|task| !task.is_finished());
        tasks.push(task);
    }

    fn abort_all(&self) {
        let tasks = std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        for task in tasks {
            task.abort();
        }
    }
}

/// Spawns on tokio, as leptos_axum's own executor does, and registers each task with the
/// page being rendered, if any.
struct PageExecutor;

impl any_spawner::CustomExecutor for PageExecutor {
    fn spawn(&self, future: any_spawner::PinnedFuture<()>) {
        // The task serves the same request: its log lines carry the request's span and id.
        let future = tracing::Instrument::instrument(future, tracing::Span::current());
        let task = match app::request_id::try_current() {
            Some(id) => tokio::spawn(app::request_id::scope(id, future)),
            None => tokio::spawn(future),
        };
        if let Some(tasks) = use_context::<PageTasks>() {
            tasks.register(task.abort_handle());
        }
    }

    fn spawn_local(&self, future: any_spawner::PinnedLocalFuture<()>) {
        tokio::task::spawn_local(future);
    }

    fn poll_local(&self) {}
}

/// Makes `PageExecutor` the executor of this process. Must run before leptos_axum sets up
/// its own (which it does the first time routes are generated or registered); later calls
/// change nothing.
pub fn install_executor() {
    let _ = any_spawner::Executor::init_custom_executor(PageExecutor);
}

/// Puts the request's `PageTasks` into the page's context (called in the context leptos_axum
/// builds for each page, where the request's parts are available).
pub fn provide() {
    let tasks = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageTasks>().cloned());
    if let Some(tasks) = tasks {
        provide_context(tasks);
    }
}

/// Middleware: gives the request a `PageTasks` and ties it to the HTML response's body. A
/// client that leaves before the first part of the page is ready drops this future, and with
/// it the guard.
pub async fn abort_with_response(mut request: Request, next: Next) -> Response<Body> {
    let tasks = PageTasks::default();
    request.extensions_mut().insert(tasks.clone());
    let mut guard = AbortOnDrop(Some(tasks));
    let response = next.run(request).await;
    if !is_html(&response) {
        // Not a page: whatever it spawned is not a page's work; leave it be.
        guard.0 = None;
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = AbortingBody {
        _tasks: guard,
        body: body.into_data_stream(),
    };
    Response::from_parts(parts, Body::from_stream(body))
}

struct AbortOnDrop(Option<PageTasks>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(tasks) = self.0.take() {
            tasks.abort_all();
        }
    }
}

/// A page's body that aborts the page's tasks when dropped. `_tasks` comes first, so the tasks
/// are aborted before the body (and with it the page's context) goes.
struct AbortingBody {
    _tasks: AbortOnDrop,
    body: BodyDataStream,
}

impl Stream for AbortingBody {
    type Item = Result<axum::body::Bytes, axum::Error>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.get_mut().body).poll_next(context)
    }
}

/// Whether a response is a rendered page (HTML).
pub(crate) fn is_html<B>(response: &Response<B>) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}
