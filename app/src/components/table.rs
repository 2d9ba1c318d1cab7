//! The frame of a data table. On a narrow screen a wide table scrolls sideways in its own
//! region, which the keyboard reaches and a screen reader names, so the page itself doesn't
//! (WCAG 1.4.10).

use leptos::prelude::*;
use std::borrow::Cow;

/// The texts of a table's column headers: fixed on most tables, made per page where a column
/// is named after a round or publication.
pub struct Columns(Vec<Cow<'static, str>>);

impl From<&'static [&'static str]> for Columns {
    fn from(names: &'static [&'static str]) -> Self {
        Self(names.iter().copied().map(Cow::Borrowed).collect())
    }
}

impl<const N: usize> From<&'static [&'static str; N]> for Columns {
    fn from(names: &'static [&'static str; N]) -> Self {
        Self::from(names.as_slice())
    }
}

impl From<Vec<String>> for Columns {
    fn from(names: Vec<String>) -> Self {
        Self(names.into_iter().map(Cow::Owned).collect())
    }
}

/// A table in its scroll region: the caption, a header row with a column header per column,
/// then `children` as the rows of its body.
#[component]
pub fn ScrollTable(
    /// The region's name, which a screen reader announces when the keyboard reaches it; the
    /// caption when not given.
    #[prop(optional, into)]
    label: Option<String>,
    #[prop(into)] caption: String,
    /// For a table under a heading that already says what it shows: the caption is there
    /// for screen readers only.
    #[prop(optional)]
    hidden_caption: bool,
    /// A class beside `table`, for the table's own layout.
    #[prop(optional)]
    class: Option<&'static str>,
    #[prop(into)] columns: Columns,
    children: Children,
) -> impl IntoView {
    let label = label.unwrap_or_else(|| caption.clone());
    let table_class = match class {
        Some(class) => format!("table {class}"),
        None => "table".to_string(),
    };
    // Two elements rather than an optional class: a missing class would still render as
    // `class=""`.
    let caption = if hidden_caption {
        view! { <caption class="visually-hidden">{caption}</caption> }.into_any()
    } else {
        view! { <caption>{caption}</caption> }.into_any()
    };
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=label>
            <table class=table_class>
                {caption}
                <thead>
                    <tr>
                        {columns.0.into_iter().map(|name| view! { <th scope="col">{name}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(view: impl IntoView) -> String {
        let html = Owner::new().with(|| view.into_view().to_html());
        // Leave out the empty comments that end a list of views (the header cells); they
        // show nothing.
        html.replace("<!>", "")
    }

    #[test]
    fn a_hidden_caption_and_the_plain_table_class() {
        let framed = rendered(view! {
            <ScrollTable label="Metingen" caption="Alle metingen" hidden_caption=true
                columns=&["Meting", "Status"]>
                <tr><td>"Juni"</td><td>"Open"</td></tr>
            </ScrollTable>
        });
        let by_hand = rendered(view! {
            <div class="table-scroll" role="region" tabindex="0" aria-label="Metingen">
                <table class="table">
                    <caption class="visually-hidden">"Alle metingen"</caption>
                    <thead><tr><th scope="col">"Meting"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody><tr><td>"Juni"</td><td>"Open"</td></tr></tbody>
                </table>
            </div>
        });
        assert_eq!(framed, by_hand);
        assert!(framed.contains("<table class=\"table\">"));
    }

    #[test]
    fn a_shown_caption_an_extra_class_and_named_columns() {
        let framed = rendered(view! {
            <ScrollTable caption="Wonen" class="progress-table"
                columns=vec!["Vraag".to_string(), "December 2025".to_string()]>
                <tr><td>"a"</td><td>"b"</td></tr>
            </ScrollTable>
        });
        let by_hand = rendered(view! {
            <div class="table-scroll" role="region" tabindex="0" aria-label="Wonen">
                <table class="table progress-table">
                    <caption>"Wonen"</caption>
                    <thead><tr><th scope="col">"Vraag"</th><th scope="col">"December 2025"</th></tr></thead>
                    <tbody><tr><td>"a"</td><td>"b"</td></tr></tbody>
                </table>
            </div>
        });
        assert_eq!(framed, by_hand);
    }
}
