//! A page's data while it loads: "Laden…" until it is there, then the page made from it, or
//! the error page when loading failed. Most pages are one `Loaded` around their view.

use crate::components::status::ErrorPage;
use crate::error::AppError;
use leptos::prelude::*;
use std::future::{Future, IntoFuture};
use std::sync::Arc;

/// What `Loaded` waits for: one resource, or a closure that awaits several (and may turn
/// some of their errors into something the page shows).
pub trait Load: Clone + Send + Sync + 'static {
    type Value;
    fn load(&self) -> impl Future<Output = Result<Self::Value, AppError>> + Send + 'static;
}

impl<T, Ser> Load for Resource<Result<T, AppError>, Ser>
where
    T: Clone + Send + Sync + 'static,
    Ser: Send + Sync + 'static,
{
    type Value = T;
    fn load(&self) -> impl Future<Output = Result<T, AppError>> + Send + 'static {
        IntoFuture::into_future(*self)
    }
}

impl<T, F, Fut> Load for F
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    type Value = T;
    fn load(&self) -> impl Future<Output = Result<T, AppError>> + Send + 'static {
        self()
    }
}

/// Shows "Laden…" while `data` loads, then `children` with what it loaded, or the error page.
#[component]
pub fn Loaded<T, L, F, V>(data: L, children: F) -> impl IntoView
where
    T: Send + 'static,
    L: Load<Value = T>,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let children = Arc::new(children);
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || {
                let (data, children) = (data.clone(), children.clone());
                Suspend::new(async move {
                    match data.load().await {
                        Ok(value) => children(value).into_any(),
                        Err(error) => view! { <ErrorPage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
