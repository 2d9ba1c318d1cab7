//! The session's idle limit on the section page, in the browser. The page says when the
//! session ends without activity (`SessionNotice`); every answer from the server moves that
//! time on. Two minutes before it, a warning appears with a button that keeps the session
//! alive (one request); at the end the login-again panel shows, so the next save logs in
//! again in place and nothing typed is lost (the form's changes are kept in the browser).

use super::section::names::{
    LOGIN_AGAIN_ID, SESSION_END_ID, SESSION_EXTEND_ID, SESSION_SECONDS_ATTRIBUTE,
    SESSION_WARNING_ID, SESSION_WARNING_TEXT_ID,
};
use leptos::prelude::{document, set_timeout_with_handle, TimeoutHandle};
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How long before the end the warning appears.
const WARN_BEFORE_MS: i64 = 2 * 60 * 1000;
/// The server refreshes a session's time at most once a minute: count from a minute earlier.
const TOUCH_SLACK_MS: i64 = 60 * 1000;

pub struct SessionClock {
    idle_ms: i64,
    timers: RefCell<Vec<TimeoutHandle>>,
}

fn by_id(id: &str) -> Option<web_sys::Element> {
    document().get_element_by_id(id)
}

fn set_hidden(id: &str, hidden: bool) {
    if let Some(element) = by_id(id) {
        let _ = if hidden {
            element.set_attribute("hidden", "")
        } else {
            element.remove_attribute("hidden")
        };
    }
}

impl SessionClock {
    /// Starts the clock with the idle limit the page names; `None` on a page without the
    /// notice (a response that is read-only).
    pub fn start() -> Option<Rc<Self>> {
        let idle_secs: i64 = by_id(SESSION_END_ID)?
            .get_attribute(SESSION_SECONDS_ATTRIBUTE)?
            .parse()
            .ok()?;
        let clock = Rc::new(SessionClock {
            idle_ms: idle_secs * 1000,
            timers: RefCell::new(Vec::new()),
        });
        if let Some(button) = by_id(SESSION_EXTEND_ID) {
            let keep = clock.clone();
            let handler = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| keep.extend());
            let _ =
                button.add_event_listener_with_callback("click", handler.as_ref().unchecked_ref());
            handler.forget();
        }
        clock.touched();
        Some(clock)
    }

    /// The server just answered this session: the end moves on and the warning goes away.
    pub fn touched(self: &Rc<Self>) {
        for timer in self.timers.borrow_mut().drain(..) {
            timer.clear();
        }
        let lasts_ms = (self.idle_ms - TOUCH_SLACK_MS).max(self.idle_ms / 2);
        let ends_at = js_sys_now() + lasts_ms;
        let time = super::section::panels::session_end_text(ends_at);
        if let Some(notice) = by_id(SESSION_END_ID) {
            notice.set_text_content(Some(&format!(
                "Zonder activiteit wordt u om {time} uitgelogd. Opslaan houdt u ingelogd."
            )));
        }
        if let Some(text) = by_id(SESSION_WARNING_TEXT_ID) {
            text.set_text_content(Some(&format!(
                "Zonder activiteit wordt u om {time} uitgelogd. Wat u hebt ingevuld, blijft bewaard."
            )));
        }
        set_hidden(SESSION_WARNING_ID, true);
        let warn_in = (lasts_ms - WARN_BEFORE_MS).max(lasts_ms / 2);
        let mut timers = self.timers.borrow_mut();
        if let Ok(timer) = set_timeout_with_handle(warn, Duration::from_millis(warn_in as u64)) {
            timers.push(timer);
        }
        if let Ok(timer) = set_timeout_with_handle(ended, Duration::from_millis(lasts_ms as u64)) {
            timers.push(timer);
        }
    }

    /// "Ingelogd blijven": one request keeps the session alive, or finds it ended.
    fn extend(self: &Rc<Self>) {
        let clock = self.clone();
        spawn_local(async move {
            match crate::api::auth::current_user().await {
                Ok(Some(_)) => clock.touched(),
                _ => ended(),
            }
        });
    }
}

fn warn() {
    set_hidden(SESSION_WARNING_ID, false);
    if let Some(button) =
        by_id(SESSION_EXTEND_ID).and_then(|button| button.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = button.focus();
    }
}

/// The session has ended (or is about to, counted safely): the next save asks to log in.
fn ended() {
    set_hidden(SESSION_WARNING_ID, true);
    set_hidden(LOGIN_AGAIN_ID, false);
}

fn js_sys_now() -> i64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map(|performance| (performance.time_origin() + performance.now()) as i64)
        .unwrap_or_default()
}
