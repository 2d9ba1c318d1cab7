//! The platform's name, its programme, its colours and its logo: settings of the operator, not
//! code, so one build serves any programme. The defaults are the NAD's.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    /// The platform's name in the header and the page titles: "Monitor Eerst een Thuis".
    pub platform_name: String,
    /// The programme the figures belong to, as the public pages name it.
    pub programme_name: String,
    /// The short mark in the header when there is no logo file: "NAD".
    pub mark: String,
    /// The main colour (`#rrggbb`), on which white text must stay readable.
    pub colour: String,
    /// Whether a logo file is configured (served at `LOGO_PATH`).
    pub has_logo: bool,
    /// The licence of the open data, by name and address.
    pub licence_name: String,
    pub licence_url: String,
    /// Who publishes the open data.
    pub publisher: String,
}

/// Where the configured logo is served.
pub const LOGO_PATH: &str = "/huisstijl/logo";
/// Where the configured colours are served, as CSS custom properties.
pub const STYLE_PATH: &str = "/huisstijl.css";

impl Default for Branding {
    fn default() -> Self {
        Branding {
            platform_name: "Monitor Eerst een Thuis".to_string(),
            programme_name: "Nationaal Actieplan Dakloosheid “Eerst een Thuis”".to_string(),
            mark: "NAD".to_string(),
            colour: "#154273".to_string(),
            has_logo: false,
            licence_name: "CC BY 4.0".to_string(),
            licence_url: "https://creativecommons.org/licenses/by/4.0/deed.nl".to_string(),
            publisher: "Programma Eerst een Thuis".to_string(),
        }
    }
}

/// Checks a colour setting: `#rrggbb`, dark enough that white text on it has a contrast of at
/// least 4.5:1 (WCAG 1.4.3).
pub fn check_colour(text: &str) -> Result<String, String> {
    let hex = text
        .strip_prefix('#')
        .filter(|hex| hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| format!("de kleur '{text}' is geen #rrggbb"))?;
    let channel = |at: usize| {
        let value = u8::from_str_radix(&hex[at..at + 2], 16).unwrap_or(0) as f64 / 255.0;
        if value <= 0.03928 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    let contrast = 1.05 / (luminance + 0.05);
    if contrast < 4.5 {
        return Err(format!(
            "witte tekst op de kleur '{text}' is niet goed leesbaar (contrast {contrast:.1}:1, minstens 4,5:1 nodig); kies een donkerdere kleur"
        ));
    }
    Ok(format!("#{}", hex.to_ascii_lowercase()))
}

/// The same colour darkened, for hover and pressed states.
pub fn darker(colour: &str) -> String {
    let hex = colour.trim_start_matches('#');
    let part = |at: usize| {
        let value = u8::from_str_radix(hex.get(at..at + 2).unwrap_or("00"), 16).unwrap_or(0);
        (value as f64 * 0.7).round() as u8
    };
    format!("#{:02x}{:02x}{:02x}", part(0), part(2), part(4))
}

/// The CSS served at `STYLE_PATH`: the colour as the accent token of the stylesheet's default
/// theme (NL Design System naming), which buttons, links and the header follow.
pub fn stylesheet(branding: &Branding) -> String {
    format!(
        ":root {{ --basis-color-accent-1-inverse-bg-default: {colour}; --basis-color-accent-1-inverse-bg-hover: {dark}; }}\n",
        colour = branding.colour,
        dark = darker(&branding.colour)
    )
}

/// Each programme's mark in its own colour: `.programme-mark--bt`. Codes and colours were
/// checked when the programme was added (`programme::check`), so they are safe in CSS.
pub fn programme_marks(programmes: &[super::programme::Programme]) -> String {
    programmes
        .iter()
        .map(|p| {
            format!(
                ".programme-mark--{} {{ background-color: {}; }}\n",
                p.code, p.colour
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_must_carry_white_text() {
        assert_eq!(check_colour("#154273").unwrap(), "#154273");
        assert_eq!(check_colour("#A0153E").unwrap(), "#a0153e");
        assert!(check_colour("#ffcc00").unwrap_err().contains("contrast"));
        for bad in ["154273", "#12345", "#gggggg", "red", ""] {
            assert!(check_colour(bad).is_err(), "{bad}");
        }
        assert_eq!(darker("#ffffff"), "#b3b3b3");
        assert!(stylesheet(&Branding::default())
            .contains("--basis-color-accent-1-inverse-bg-default: #154273"));
    }
}
