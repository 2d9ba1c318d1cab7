//! The operator's theme (`NAD_THEME_CSS`): a CSS file of NL Design System token values, read
//! once at start and served after the brand colours at `branding::STYLE_PATH`, so an operator
//! changes the look without a rebuild. Refused at start, with the reason: a file larger than
//! `MAX_BYTES`, text that is not UTF-8, `@import`, a `url()` on another site (the
//! Content-Security-Policy would block it anyway; this says why at once), and colours that
//! together with the default tokens and the brand colour are too hard to read.

use app::domain::branding::{self, Branding};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// The largest theme file accepted: a full set of tokens is a few KB.
pub const MAX_BYTES: u64 = 256 * 1024;

/// The stylesheet with the default theme on `:root`: the tokens a theme file overrides.
const DEFAULT_STYLESHEET: &str = include_str!("../../style/main.css");

/// Reads and checks the theme file; the error names the setting and the file.
pub fn load(path: &Path, branding: &Branding) -> Result<String, String> {
    let fail = |reason: String| format!("NAD_THEME_CSS {}: {reason}", path.display());
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut bytes = Vec::new();
    // One byte more than allowed is enough to know the file is too large.
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    check(&bytes, branding).map_err(fail)
}

/// Checks a theme's text (see the module's doc); returns it as it will be served.
pub fn check(bytes: &[u8], branding: &Branding) -> Result<String, String> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "het themabestand is groter dan {} KB (the theme file is too large)",
            MAX_BYTES / 1024
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "het themabestand is geen UTF-8-tekst (the theme file is not UTF-8)")?;
    let plain = without_comments(text).to_ascii_lowercase();
    if plain.contains("@import") {
        return Err(
            "@import is niet toegestaan: zet alle tokens in dit ene bestand (no @import)".into(),
        );
    }
    for address in urls(&plain) {
        if !is_local(&address) {
            return Err(format!(
                "url({address}) verwijst naar een andere website; alleen adressen op deze site \
                 (beginnend met /) en data:-adressen mogen (only local and data: URLs)"
            ));
        }
    }
    let mut tokens = root_tokens(DEFAULT_STYLESHEET);
    tokens.extend(root_tokens(&branding::stylesheet(branding)));
    tokens.extend(root_tokens(text));
    check_contrast(&tokens)?;
    Ok(text.to_string())
}

/// The CSS without its comments.
fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// The addresses in every `url(…)`, without quotes and spaces.
fn urls(css: &str) -> Vec<String> {
    css.match_indices("url(")
        .map(|(at, _)| {
            let inside = &css[at + 4..];
            let end = inside.find(')').unwrap_or(inside.len());
            inside[..end]
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .trim()
                .to_string()
        })
        .collect()
}

/// An address on this site (`/…`, `./…`, a bare path) or a `data:` address; escapes are
/// refused, since they could spell out a scheme.
fn is_local(address: &str) -> bool {
    if address.contains('\\') {
        return false;
    }
    if address.starts_with("data:") {
        return true;
    }
    if address.starts_with("//") {
        return false;
    }
    // A scheme (`https:`) comes before any `/`, `?` or `#`.
    let head = address.split(['/', '?', '#']).next().unwrap_or_default();
    !head.contains(':')
}

/// The custom properties declared on `:root` (or `html`), later ones winning; rules in
/// at-rules such as `@media` are left out.
fn root_tokens(css: &str) -> HashMap<String, String> {
    let css = without_comments(css);
    let mut tokens = HashMap::new();
    let mut rest = css.as_str();
    while let Some(open) = rest.find('{') {
        let selector = rest[..open].trim();
        let close = block_end(&rest[open..]).map_or(rest.len(), |end| open + end);
        let body = &rest[(open + 1).min(close)..close];
        let on_root = !selector.starts_with('@')
            && selector
                .split(',')
                .any(|part| matches!(part.trim(), ":root" | "html"));
        if on_root {
            for declaration in body.split(';') {
                if let Some((name, value)) = declaration.split_once(':') {
                    let name = name.trim();
                    if name.starts_with("--") {
                        tokens.insert(name.to_string(), value.trim().to_string());
                    }
                }
            }
        }
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    tokens
}

/// Where the block that starts at `text[0] == '{'` ends (its closing brace).
fn block_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// A token's colour as red, green and blue, following `var()`; `None` for what can't be
/// worked out here (`rgb()`, `color-mix()`, names other than black and white), which is then
/// not checked.
fn colour(tokens: &HashMap<String, String>, name: &str) -> Option<[u8; 3]> {
    let mut value = tokens.get(name)?.trim().to_ascii_lowercase();
    for _ in 0..16 {
        let Some(inner) = value.strip_prefix("var(").and_then(|v| v.strip_suffix(')')) else {
            break;
        };
        let (reference, fallback) = match inner.split_once(',') {
            Some((reference, fallback)) => (reference.trim(), Some(fallback.trim())),
            None => (inner.trim(), None),
        };
        value = match (tokens.get(reference), fallback) {
            (Some(next), _) => next.trim().to_ascii_lowercase(),
            (None, Some(fallback)) => fallback.to_string(),
            (None, None) => return None,
        };
    }
    parse_colour(&value)
}

fn parse_colour(value: &str) -> Option<[u8; 3]> {
    match value {
        "white" => return Some([255, 255, 255]),
        "black" => return Some([0, 0, 0]),
        _ => {}
    }
    let hex = value.strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |at: usize, width: usize| u8::from_str_radix(&hex[at..at + width], 16).ok();
    match hex.len() {
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
        _ => None,
    }
}

/// The contrast ratio of two colours (WCAG 2 relative luminance).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let luminance = |rgb: [u8; 3]| {
        let channel = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

const PAGE: &str = "--basis-color-default-bg-document";

/// Text on its background: at least 4.5:1 (WCAG 1.4.3); borders of fields 3:1 (1.4.11).
const PAIRS: &[(&str, &str, f64, &str)] = &[
    ("--basis-color-default-color-document", PAGE, 4.5, "tekst"),
    (
        "--basis-color-default-color-subtle",
        PAGE,
        4.5,
        "lichtere tekst",
    ),
    (
        "--basis-color-negative-color-default",
        PAGE,
        4.5,
        "foutmeldingen",
    ),
    ("--nl-link-color", PAGE, 4.5, "links"),
    ("--nl-link-hover-color", PAGE, 4.5, "links onder de muis"),
    (
        "--nl-button-primary-color",
        "--nl-button-primary-background-color",
        4.5,
        "knoppen",
    ),
    (
        "--nl-button-primary-hover-color",
        "--nl-button-primary-hover-background-color",
        4.5,
        "knoppen onder de muis",
    ),
    (
        "--nl-button-secondary-color",
        "--nl-button-secondary-background-color",
        4.5,
        "tweede knoppen",
    ),
    (
        "--utrecht-page-header-color",
        "--utrecht-page-header-background-color",
        4.5,
        "de kop van de pagina",
    ),
    (
        "--utrecht-page-footer-color",
        "--utrecht-page-footer-background-color",
        4.5,
        "de voet van de pagina",
    ),
    (
        "--basis-focus-color",
        "--basis-focus-background-color",
        4.5,
        "een link met focus",
    ),
    (
        "--utrecht-textbox-border-color",
        PAGE,
        3.0,
        "de rand van invoervelden",
    ),
];

/// The focus ring must stand out on the page and in the header: one of its two rings at
/// least 3:1 against each (WCAG 1.4.11, 2.4.7).
const FOCUS_GROUNDS: &[(&str, &str)] = &[
    (PAGE, "de pagina"),
    (
        "--utrecht-page-header-background-color",
        "de kop van de pagina",
    ),
];

fn check_contrast(tokens: &HashMap<String, String>) -> Result<(), String> {
    let ratio = |a: &str, b: &str| Some(contrast(colour(tokens, a)?, colour(tokens, b)?));
    for (foreground, background, least, what) in PAIRS {
        if let Some(found) = ratio(foreground, background) {
            if found < *least {
                return Err(format!(
                    "de kleuren van {what} ({foreground} op {background}) hebben een contrast \
                     van {found:.1}:1, minstens {least}:1 nodig (contrast too low)"
                ));
            }
        }
    }
    for (ground, what) in FOCUS_GROUNDS {
        let outer = ratio("--basis-focus-outline-color", ground);
        let inner = ratio("--basis-focus-inverse-outline-color", ground);
        if let (Some(outer), Some(inner)) = (outer, inner) {
            if outer.max(inner) < 3.0 {
                return Err(format!(
                    "de focusrand valt niet op tegen {what}: contrast {:.1}:1, minstens 3:1 \
                     nodig (focus ring contrast too low)",
                    outer.max(inner)
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HIGH_CONTRAST: &str = include_str!("../../style/themes/hoog-contrast.css");

    #[test]
    fn the_default_theme_and_the_example_theme_pass_their_own_check() {
        let defaults = root_tokens(DEFAULT_STYLESHEET);
        assert!(defaults.len() > 80, "{}", defaults.len());
        check_contrast(&defaults).unwrap();
        assert_eq!(
            colour(&defaults, "--nl-button-primary-background-color"),
            Some([0x15, 0x42, 0x73])
        );
        assert_eq!(check(b"", &Branding::default()).unwrap(), "");
        check(HIGH_CONTRAST.as_bytes(), &Branding::default()).unwrap();
        let theme = root_tokens(HIGH_CONTRAST);
        assert!(theme.contains_key("--basis-focus-outline-color"));
    }

    #[test]
    fn refuses_large_files_other_encodings_imports_and_remote_urls() {
        let brand = Branding::default();
        let large = vec![b' '; MAX_BYTES as usize + 1];
        assert!(check(&large, &brand)
            .unwrap_err()
            .contains("groter dan 256 KB"));
        assert!(check(b":root { --a: \xff; }", &brand)
            .unwrap_err()
            .contains("UTF-8"));
        for bad in [
            "@import url(/x.css);",
            "@IMPORT 'https://cdn.example/tokens.css';",
            ".a { background: url(https://cdn.example/a.png) }",
            ".a { background: url( \"//cdn.example/a.png\" ) }",
            ".a { background: URL('HTTP://cdn.example/a.png') }",
            ".a { background: url(\\68ttps://cdn.example/a.png) }",
            "@font-face { src: url(ftp:x) }",
        ] {
            assert!(check(bad.as_bytes(), &brand).is_err(), "{bad}");
        }
        for good in [
            ".a { background: url(/huisstijl/logo) }",
            ".a { background: url('data:image/svg+xml;utf8,<svg/>') }",
            ".a { background: url(beeld.png?v=1) }",
            "/* @import and url(https://x) in a comment are harmless */",
        ] {
            assert!(check(good.as_bytes(), &brand).is_ok(), "{good}");
        }
    }

    #[test]
    fn refuses_colours_that_are_hard_to_read() {
        let brand = Branding::default();
        let grey_text = ":root { --basis-color-default-color-document: #aaaaaa; }";
        let error = check(grey_text.as_bytes(), &brand).unwrap_err();
        assert!(
            error.contains("tekst") && error.contains("2.3:1"),
            "{error}"
        );
        // Through var(): the link colour follows the action colour.
        let pale_links = "html { --basis-color-action-2-color-default: var(--x, #9999ff); }";
        assert!(check(pale_links.as_bytes(), &brand)
            .unwrap_err()
            .contains("links"));
        let invisible_focus = ":root { --basis-focus-outline-color: #fff; --basis-focus-inverse-outline-color: #fafafa; }";
        assert!(check(invisible_focus.as_bytes(), &brand)
            .unwrap_err()
            .contains("focusrand"));
        // Only :root counts; colours that can't be worked out here are not checked.
        let scoped = ".x { --basis-color-default-color-document: #eeeeee; } @media print { :root { --nl-link-color: #eee; } }";
        assert!(check(scoped.as_bytes(), &brand).is_ok());
        let unknown = ":root { --basis-color-default-color-document: rgb(200 200 200); }";
        assert!(check(unknown.as_bytes(), &brand).is_ok());
    }

    #[test]
    fn contrast_ratios() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 0.01);
        assert!((contrast([0x15, 0x42, 0x73], [255, 255, 255]) - 10.2).abs() < 0.1);
        assert_eq!(parse_colour("#fff"), Some([255, 255, 255]));
        assert_eq!(parse_colour("#12345"), None);
    }
}
