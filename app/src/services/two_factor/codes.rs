//! The material of a second factor, pure: TOTP codes (RFC 6238), the QR code an app reads,
//! and recovery codes.

use crate::domain::notice::PLATFORM_NAME;
use crate::error::AppError;
use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

const DIGITS: usize = 6;
const STEP_SECS: u64 = 30;
/// Recovery codes made at setup.
pub const RECOVERY_CODES: usize = 10;

/// A new random secret of 160 bits (RFC 4226's recommendation), in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret: &str) -> Result<TOTP, AppError> {
    let bytes = Secret::Encoded(secret.to_string())
        .to_bytes()
        .map_err(|error| {
            AppError::internal("a stored TOTP secret is not base32", format!("{error:?}"))
        })?;
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP_SECS, bytes).map_err(|error| {
        AppError::internal("a stored TOTP secret is unusable", format!("{error:?}"))
    })
}

/// The step whose code `code` is, within one step of `now_secs`, if any. Spaces are ignored.
pub fn matching_step(secret: &str, code: &str, now_secs: u64) -> Result<Option<u64>, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = totp(secret)?;
    let now_step = now_secs / STEP_SECS;
    Ok((now_step.saturating_sub(1)..=now_step + 1).find(|step| {
        let expected = totp.generate(step * STEP_SECS);
        // Compared in constant time: the time taken says nothing about the digits.
        expected
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
    }))
}

/// The code of a step, for tests and for people who check their app's clock.
pub fn code_at(secret: &str, now_secs: u64) -> Result<String, AppError> {
    Ok(totp(secret)?.generate(now_secs))
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &str, email: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    let issuer = utf8_percent_encode(PLATFORM_NAME, NON_ALPHANUMERIC).to_string();
    let account = utf8_percent_encode(email, NON_ALPHANUMERIC).to_string();
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}"
    )
}

/// The QR code of `text` as SVG, dark modules as one path, with a quiet zone of 4 modules.
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).map_err(|error| {
        AppError::internal("the QR code could not be made", format!("{error:?}"))
    })?;
    let size = code.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let full = size + 2 * border;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" \
         shape-rendering=\"crispEdges\" width=\"240\" height=\"240\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// The secret in groups of four, as people type it.
pub fn grouped(secret: &str) -> String {
    secret
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|chunk| chunk.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What is stored of a recovery code: the hash of its normalized form.
pub(super) fn recovery_hash(code: &str) -> String {
    crate::services::sha256_hex(&normalize_recovery(code))
}

/// A recovery code as people type it: letters and digits only, lower case.
fn normalize_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Ten new recovery codes of 10 characters (50 bits each), shown as `xxxxx-xxxxx`.
pub(super) fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let code: String = bytes
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &code[..5], &code[5..])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238, appendix B: the SHA-1 key "12345678901234567890".
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_follow_rfc_6238() {
        assert_eq!(code_at(RFC_SECRET, 59).unwrap(), "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109).unwrap(), "081804");
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000).unwrap(), "279037");
    }

    #[test]
    fn a_code_is_accepted_one_step_early_or_late_and_not_further() {
        let now = 1_111_111_109;
        let step = now / 30;
        for (offset, accepted) in [
            (-60i64, false),
            (-30, true),
            (0, true),
            (30, true),
            (60, false),
        ] {
            let code = code_at(RFC_SECRET, (now as i64 + offset) as u64).unwrap();
            let found = matching_step(RFC_SECRET, &code, now).unwrap();
            assert_eq!(found.is_some(), accepted, "offset {offset}");
            if accepted {
                assert_eq!(found, Some((step as i64 + offset / 30) as u64));
            }
        }
        assert_eq!(matching_step(RFC_SECRET, "12345", now).unwrap(), None);
        assert_eq!(matching_step(RFC_SECRET, "abcdef", now).unwrap(), None);
        let spaced = code_at(RFC_SECRET, now).unwrap();
        let spaced = format!("{} {}", &spaced[..3], &spaced[3..]);
        assert!(matching_step(RFC_SECRET, &spaced, now).unwrap().is_some());
    }

    #[test]
    fn setup_material() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        assert_ne!(secret, new_secret());
        let url = otpauth_url(&secret, "bea@nad.example");
        assert!(url.starts_with(
            "otpauth://totp/Monitor%20Eerst%20een%20Thuis:bea%40nad%2Eexample?secret="
        ));
        assert!(url.contains(&format!("secret={secret}&")));
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<path d=\"M"));
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(codes
            .iter()
            .all(|code| code.len() == 11 && code.as_bytes()[5] == b'-'));
        assert_eq!(normalize_recovery(" ABCDE-fghij "), "abcdefghij");
    }
}
