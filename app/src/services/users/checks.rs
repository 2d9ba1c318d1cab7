//! The checks every new or changed account passes, reporting every problem at once in the
//! order of the form.

use super::*;

/// Turns validator's errors into field messages, in the order of the form.
pub(super) fn field_errors(errors: &validator::ValidationErrors, order: &[&str]) -> FieldErrors {
    let fields = errors.field_errors();
    order
        .iter()
        .filter_map(|name| {
            fields.get(*name).map(|list| {
                let messages = list
                    .iter()
                    .map(|error| {
                        error
                            .message
                            .as_ref()
                            .map(|m| m.to_string())
                            .unwrap_or_else(|| "Deze waarde is ongeldig.".to_string())
                    })
                    .collect();
                (name.to_string(), messages)
            })
        })
        .collect()
}

fn push(errors: &mut FieldErrors, field: &str, message: String) {
    match errors.iter_mut().find(|(name, _)| name == field) {
        Some((_, messages)) => messages.push(message),
        None => errors.push((field.to_string(), vec![message])),
    }
}

const FORM_ORDER: [&str; 5] = ["email", "display_name", "role", "region_code", "password"];

/// Checks every field, reporting all problems at once, and returns the parsed role and the
/// region (only for coordinators). `password` is checked against the rules when given;
/// `existing` is the account being edited, whose own address is not "in use".
pub(super) async fn check_account(
    pool: &AnyPool,
    input: &NewAccount,
    password: Option<&str>,
    existing: Option<&str>,
) -> Result<(Role, Option<String>), AppError> {
    let trimmed = NewAccount {
        email: input.email.trim().to_string(),
        display_name: input.display_name.trim().to_string(),
        ..input.clone()
    };
    let mut errors = match trimmed.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => field_errors(&errors, &FORM_ORDER),
    };
    let role = match input.role.parse::<Role>() {
        Ok(role) => Some(role),
        Err(_) => {
            push(
                &mut errors,
                "role",
                "Kies een rol: beheerder, reviewer of regiocoördinator.".to_string(),
            );
            None
        }
    };
    let region = input
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(str::to_string);
    check_region(pool, role, region.as_deref(), &mut errors).await?;
    if email_in_use(pool, &trimmed.email, existing).await? {
        push(
            &mut errors,
            "email",
            "Er is al een gebruiker met dit e-mailadres.".to_string(),
        );
    }
    if let Some(password) = password {
        check_password(password, &trimmed.email, &mut errors);
    }
    errors.sort_by_key(|(field, _)| FORM_ORDER.iter().position(|f| f == field));
    match role {
        Some(role) if errors.is_empty() => Ok((role, region)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Whether the region fits the role (only coordinators have one) and exists.
async fn check_region(
    pool: &AnyPool,
    role: Option<Role>,
    region: Option<&str>,
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    match (role, region) {
        (Some(role), None) if role.needs_region() => push(
            errors,
            "region_code",
            "Kies de regio van deze regiocoördinator.".to_string(),
        ),
        (Some(role), Some(_)) if !role.needs_region() => push(
            errors,
            "region_code",
            "Alleen regiocoördinatoren horen bij een regio. Laat de regio leeg.".to_string(),
        ),
        (_, Some(code)) => {
            let known: Option<String> =
                sqlx::query_scalar("SELECT code FROM regions WHERE code = $1")
                    .bind(code)
                    .fetch_optional(pool)
                    .await?;
            if known.is_none() {
                push(
                    errors,
                    "region_code",
                    format!("De regio '{code}' bestaat niet."),
                );
            }
        }
        _ => {}
    }
    Ok(())
}

/// The password policy's problems, added to the form's.
fn check_password(password: &str, email: &str, errors: &mut FieldErrors) {
    if let Err(AppError::Validation(problems)) =
        passwords::check_policy(password, email, "password")
    {
        for (field, messages) in problems {
            for message in messages {
                push(errors, &field, message);
            }
        }
    }
}

/// A failed write of an account: two admins giving the same address at once lose to the
/// unique index, and are told so; anything else is the database's error.
pub(super) async fn write_error(
    pool: &AnyPool,
    email: &str,
    existing: Option<&str>,
    error: sqlx::Error,
) -> AppError {
    if email_in_use(pool, email, existing).await.unwrap_or(false) {
        AppError::field("email", "Er is al een gebruiker met dit e-mailadres.")
    } else {
        error.into()
    }
}

async fn email_in_use(
    pool: &AnyPool,
    email: &str,
    existing: Option<&str>,
) -> Result<bool, AppError> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE email_normalized = $1")
            .bind(normalize_email(email))
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some_and(|id| Some(id.as_str()) != existing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validator_messages_are_dutch_and_ordered() {
        let input = NewAccount {
            email: "geen-adres".into(),
            display_name: String::new(),
            role: "coordinator".into(),
            region_code: None,
        };
        let errors = field_errors(&input.validate().unwrap_err(), &FORM_ORDER);
        assert_eq!(errors[0].0, "email");
        assert!(errors[0].1[0].contains("geldig e-mailadres"));
        assert_eq!(errors[1].0, "display_name");
    }
}
