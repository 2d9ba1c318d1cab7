//! The public information pages (toegankelijkheid, privacy, help, contact): Markdown texts
//! that operators edit. The shipped texts are built into the binary (`content/*.md`); a file
//! of the same name in `NAD_CONTENT_DIR` replaces one, read at every request so an edit shows
//! at once. Raw HTML in a text is shown as text, images are left out, and links go only to
//! pages of the platform, `https://`, `http://`, `mailto:` or `tel:` addresses.

use crate::error::AppError;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::Path;

/// The pages, by the name in their address, with their shipped text.
pub const PAGES: [(&str, &str); 4] = [
    (
        "toegankelijkheid",
        include_str!("../../../content/toegankelijkheid.md"),
    ),
    ("privacy", include_str!("../../../content/privacy.md")),
    ("help", include_str!("../../../content/help.md")),
    ("contact", include_str!("../../../content/contact.md")),
];

/// Texts larger than this are refused rather than served.
const MAX_BYTES: u64 = 256 * 1024;

/// One page: its title (the first `#` heading) and its body as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub title: String,
    pub html: String,
}

/// The page `name`, from the operator's directory when it has the file, else as shipped.
pub fn page(content_dir: Option<&Path>, name: &str) -> Result<Page, AppError> {
    let shipped = PAGES
        .iter()
        .find(|(page, _)| *page == name)
        .map(|(_, text)| *text)
        .ok_or(AppError::NotFound)?;
    let own = match content_dir.map(|dir| dir.join(format!("{name}.md"))) {
        Some(file) if file.is_file() => Some(read(&file)?),
        _ => None,
    };
    Ok(render(own.as_deref().unwrap_or(shipped)))
}

fn read(file: &Path) -> Result<String, AppError> {
    let size = std::fs::metadata(file)
        .map_err(|error| AppError::internal("an information page can't be read", error))?
        .len();
    if size > MAX_BYTES {
        return Err(AppError::internal(
            "an information page is too large",
            format!("{}: {size} bytes", file.display()),
        ));
    }
    std::fs::read_to_string(file)
        .map_err(|error| AppError::internal("an information page can't be read", error))
}

/// Whether a link may be followed: pages here and ordinary web and mail addresses.
fn safe_link(destination: &str) -> bool {
    let lowered = destination.trim().to_ascii_lowercase();
    (lowered.starts_with('/') && !lowered.starts_with("//"))
        || lowered.starts_with('#')
        || lowered.starts_with("https://")
        || lowered.starts_with("http://")
        || lowered.starts_with("mailto:")
        || lowered.starts_with("tel:")
}

/// Markdown to HTML, with raw HTML as text, no images and only safe links.
pub fn render(markdown: &str) -> Page {
    render_at(markdown, 0)
}

/// Like `render`, for text inside a page: every heading `levels` lower, so that the text's
/// "# …" sits below the page's own headings (with 2, "# Wonen" becomes an `h3` under the
/// page's `h2`).
pub fn render_within(markdown: &str, levels: u8) -> String {
    render_at(markdown, levels).html
}

fn lower(level: pulldown_cmark::HeadingLevel, levels: u8) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    (0..levels).fold(level, |level, _| match level {
        H1 => H2,
        H2 => H3,
        H3 => H4,
        H4 => H5,
        _ => H6,
    })
}

fn render_at(markdown: &str, levels: u8) -> Page {
    let mut title = String::new();
    let mut in_title = false;
    let mut kept_links = Vec::new();
    let events = Parser::new_ext(markdown, Options::empty()).filter_map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let keep = safe_link(dest_url);
            kept_links.push(keep);
            keep.then_some(event)
        }
        Event::End(TagEnd::Link) => kept_links.pop().unwrap_or(false).then_some(event),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) if levels > 0 => Some(Event::Start(Tag::Heading {
            level: lower(level, levels),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) if levels > 0 => {
            Some(Event::End(TagEnd::Heading(lower(level, levels))))
        }
        Event::Start(Tag::Heading { level, .. })
            if level == pulldown_cmark::HeadingLevel::H1 && title.is_empty() =>
        {
            in_title = true;
            Some(event)
        }
        Event::End(TagEnd::Heading(_)) => {
            in_title = false;
            Some(event)
        }
        Event::Text(ref text) | Event::Code(ref text) => {
            if in_title {
                title.push_str(text);
            }
            Some(event)
        }
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    Page { title, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_images_and_unsafe_links_are_not_passed_on() {
        let page = render(
            "# Titel *met* nadruk\n\n<script>alert(1)</script>\n\nTekst met <b>html</b>, \
             ![plaatje](https://x/p.png), [veilig](/help), [mail](mailto:a@b.nl) en \
             [gevaarlijk](javascript:alert(1)).\n",
        );
        assert_eq!(page.title, "Titel met nadruk");
        assert!(!page.html.contains("<script>") && page.html.contains("&lt;script&gt;"));
        assert!(!page.html.contains("<b>"));
        assert!(!page.html.contains("<img"));
        assert!(page.html.contains("<a href=\"/help\">veilig</a>"));
        assert!(page.html.contains("<a href=\"mailto:a@b.nl\">mail</a>"));
        assert!(!page.html.contains("javascript:") && page.html.contains("gevaarlijk"));
    }

    #[test]
    fn text_within_a_page_has_its_headings_one_level_lower() {
        let html = render_within(
            "# Conclusies\n\n## Wonen\n\n- punt\n\n<script>x</script>",
            1,
        );
        assert!(html.contains("<h2>Conclusies</h2>") && html.contains("<h3>Wonen</h3>"));
        let html = render_within("# Wonen\n\n###### Klein", 2);
        assert!(html.contains("<h3>Wonen</h3>") && html.contains("<h6>Klein</h6>"));
        assert!(!html.contains("<h1") && !html.contains("<script>"));
    }

    #[test]
    fn every_shipped_page_has_a_title_and_an_operator_file_replaces_it() {
        for (name, _) in PAGES {
            let page = page(None, name).unwrap();
            assert!(!page.title.is_empty(), "{name}");
        }
        let dir = std::env::temp_dir().join(format!("nad-content-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("contact.md"), "# Bel ons\n\n[Helpdesk](tel:123)\n").unwrap();
        let own = page(Some(&dir), "contact").unwrap();
        assert_eq!(own.title, "Bel ons");
        // The others come as shipped.
        assert_ne!(page(Some(&dir), "help").unwrap().title, "Bel ons");
        assert!(matches!(
            page(Some(&dir), "geheim"),
            Err(AppError::NotFound)
        ));
        std::fs::remove_dir_all(dir).ok();
    }
}
