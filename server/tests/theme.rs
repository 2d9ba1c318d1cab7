//! The operator's theme (`NAD_THEME_CSS`): refused at start when it is too large, not UTF-8,
//! imports or links to other sites, or makes text hard to read; accepted, it is served at
//! `/huisstijl.css` after the brand colours, as CSS, cached for a while with an `ETag`.

use crate::support;

use app::domain::branding::{Branding, STYLE_PATH};
use app::services::state::Config;
use axum::http::{header, StatusCode};
use server::theme;
use std::path::Path;
use support::*;

fn file_with(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_theme_file_is_refused_at_start_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let brand = Branding::default();
    let too_large = vec![b' '; theme::MAX_BYTES as usize + 1];
    let cases: [(&str, &[u8], &str); 6] = [
        ("groot.css", &too_large, "groter dan 256 KB"),
        (
            "latin1.css",
            b":root { --basis-focus-color: caf\xe9; }",
            "geen UTF-8",
        ),
        (
            "import.css",
            b"@import url('https://cdn.example/tokens.css');",
            "@import",
        ),
        (
            "font.css",
            b"@font-face { src: url(https://fonts.example/a.woff2) }",
            "andere website",
        ),
        (
            "ver.css",
            b".a { background: url(//cdn.example/a.png) }",
            "andere website",
        ),
        (
            "grijs.css",
            b":root { --basis-color-default-color-document: #b0b0b0; }",
            "contrast",
        ),
    ];
    for (name, bytes, reason) in cases {
        let path = file_with(dir.path(), name, bytes);
        let error = theme::load(&path, &brand).unwrap_err();
        assert!(error.starts_with("NAD_THEME_CSS "), "{error}");
        assert!(error.contains(name) && error.contains(reason), "{error}");
    }
    let missing = theme::load(&dir.path().join("bestaat-niet.css"), &brand).unwrap_err();
    assert!(missing.contains("bestaat-niet.css"), "{missing}");
    // The example theme in the repository is accepted as it is.
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../style/themes/hoog-contrast.css");
    assert!(theme::load(&example, &brand)
        .unwrap()
        .contains("--basis-focus-outline-color"));
}

#[tokio::test]
async fn an_accepted_theme_is_served_after_the_brand_colours() {
    let dir = tempfile::tempdir().unwrap();
    let css = ":root { --basis-color-accent-1-inverse-bg-default: #5a1039; }\n\
               .site-header { background-image: url(/huisstijl/logo); }\n";
    let path = file_with(dir.path(), "gemeente.css", css.as_bytes());
    for database in databases().await {
        let config = Config {
            theme_css: Some(theme::load(&path, &Branding::default()).unwrap()),
            ..Config::default()
        };
        let state = state_for(&database, config).await;
        let reply = send(&state, get(STYLE_PATH, None)).await;
        assert_eq!(reply.status(), StatusCode::OK);
        let headers = reply.headers().clone();
        assert_eq!(headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
        assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=300");
        let etag = headers[header::ETAG].to_str().unwrap().to_string();
        let body = body_text(reply).await;
        let brand = body
            .find("--basis-color-accent-1-inverse-bg-default: #154273")
            .expect("the brand colour");
        let theme = body.find("#5a1039").expect("the theme");
        assert!(brand < theme, "the theme comes last, so it wins: {body}");
        assert!(body.ends_with(css), "{body}");

        // Asked again with its ETag: nothing to send.
        let mut again = get(STYLE_PATH, None);
        again
            .headers_mut()
            .insert(header::IF_NONE_MATCH, etag.parse().unwrap());
        let reply = send(&state, again).await;
        assert_eq!(reply.status(), StatusCode::NOT_MODIFIED);
        close(&state).await;
    }
}
