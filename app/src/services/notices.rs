//! Who is told what: the notices that keep a round moving, each queued in the outbox in the
//! same transaction as its event (so a notice exists exactly when its event does), and the
//! deadline reminders, sent once per person, deadline and threshold however many instances
//! run the reminder job and however often they restart.
//!
//! Everything a notice says is also on a page (the task list, the review page, "Mijn
//! account"); the mail only points there.

use super::mail::{self, MailSettings, Recipient};
use super::now_ms;
use super::responses::Response;
use crate::domain::account::describe_user_agent;
use crate::domain::notice::{is_optional, Notice};
use crate::error::AppError;
use crate::paths;
use sqlx::{AnyConnection, AnyPool, FromRow};

/// Who a notice goes to.
enum Audience<'a> {
    /// The active coordinators of one region.
    Coordinators(&'a str),
    /// Every active reviewer.
    Reviewers,
}

#[derive(FromRow)]
struct Person {
    id: String,
    email: String,
    display_name: String,
}

/// The people of an audience who get a notice of `kind`: active, with a password chosen
/// (invited people have their invitation), and not switched off when the kind is optional.
async fn people(
    conn: &mut AnyConnection,
    audience: Audience<'_>,
    kind: &str,
    except_user: Option<&str>,
) -> Result<Vec<Person>, AppError> {
    let (condition, region) = match audience {
        // Its own coordinators and those who coordinate it beside a region in another programme.
        Audience::Coordinators(region) => (
            "u.role = 'coordinator' AND (u.region_code = $2 OR u.id IN \
             (SELECT ur.user_id FROM user_regions ur WHERE ur.region_code = $2))",
            region,
        ),
        // Reviewers belong to no region; the parameter is bound all the same.
        Audience::Reviewers => ("u.role = 'reviewer' AND $2 = ''", ""),
    };
    let people: Vec<Person> = sqlx::query_as(&format!(
        "SELECT u.id, u.email, u.display_name FROM users u \
         WHERE {condition} AND u.active = 1 AND u.password_hash <> '' \
         AND ($3 = 0 OR NOT EXISTS (SELECT 1 FROM notice_opt_outs o \
             WHERE o.user_id = u.id AND o.kind = $1)) \
         ORDER BY u.email"
    ))
    .bind(kind)
    .bind(region)
    .bind(i64::from(is_optional(kind)))
    .fetch_all(&mut *conn)
    .await?;
    Ok(people
        .into_iter()
        .filter(|person| Some(person.id.as_str()) != except_user)
        .collect())
}

/// Queues one notice per person of the audience, each addressed by name.
async fn tell(
    conn: &mut AnyConnection,
    audience: Audience<'_>,
    kind: &str,
    except_user: Option<&str>,
    notice_for: impl Fn(String) -> Notice,
) -> Result<(), AppError> {
    for person in people(conn, audience, kind, except_user).await? {
        let notice = notice_for(person.display_name);
        debug_assert_eq!(notice.kind(), kind);
        mail::enqueue(
            &mut *conn,
            Recipient {
                user_id: Some(&person.id),
                address: &person.email,
            },
            &notice,
        )
        .await?;
    }
    Ok(())
}

/// Reviewers: a region submitted its response (`again` after it was sent back).
pub async fn response_submitted(
    conn: &mut AnyConnection,
    settings: &MailSettings,
    response: &Response,
    again: bool,
) -> Result<(), AppError> {
    let link = settings.link(&paths::response_review(&response.id));
    tell(
        conn,
        Audience::Reviewers,
        "response_submitted",
        None,
        |name| Notice::ResponseSubmitted {
            name,
            round: response.round.name.clone(),
            region: response.region_name.clone(),
            again,
            link: link.clone(),
        },
    )
    .await
}

/// Coordinators: their response was sent back, with the reason and the open comments
/// ("question: last message" for each open thread).
pub async fn response_returned(
    conn: &mut AnyConnection,
    settings: &MailSettings,
    response: &Response,
    reason: &str,
    question_label: impl Fn(&str) -> String,
) -> Result<(), AppError> {
    let open: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.item_key, c.body FROM comment_threads t \
         JOIN comments c ON c.thread_id = t.id \
         WHERE t.response_id = $1 AND t.resolved = 0 \
         AND c.created_at = (SELECT MAX(l.created_at) FROM comments l WHERE l.thread_id = t.id) \
         ORDER BY t.created_at, t.id",
    )
    .bind(&response.id)
    .fetch_all(&mut *conn)
    .await?;
    let comments: Vec<String> = open
        .iter()
        .map(|(key, body)| format!("{}: {body}", question_label(key)))
        .collect();
    let link = settings.link(&paths::response(&response.id));
    tell(
        conn,
        Audience::Coordinators(&response.region_code),
        "response_returned",
        None,
        |name| Notice::ResponseReturned {
            name,
            round: response.round.name.clone(),
            region: response.region_name.clone(),
            reason: reason.to_string(),
            comments: comments.clone(),
            link: link.clone(),
        },
    )
    .await
}

/// Coordinators: their response was approved.
pub async fn response_approved(
    conn: &mut AnyConnection,
    settings: &MailSettings,
    response: &Response,
) -> Result<(), AppError> {
    let link = settings.link(&paths::response(&response.id));
    tell(
        conn,
        Audience::Coordinators(&response.region_code),
        "response_approved",
        None,
        |name| Notice::ResponseApproved {
            name,
            round: response.round.name.clone(),
            region: response.region_name.clone(),
            link: link.clone(),
        },
    )
    .await
}

/// Coordinators: someone else commented on an item of their response.
pub async fn comment_added(
    conn: &mut AnyConnection,
    settings: &MailSettings,
    response: &Response,
    question: &str,
    author: (&str, &str),
    body: &str,
) -> Result<(), AppError> {
    let (author_id, author_name) = author;
    let link = settings.link(&paths::response_review(&response.id));
    tell(
        conn,
        Audience::Coordinators(&response.region_code),
        "comment_added",
        Some(author_id),
        |name| Notice::CommentAdded {
            name,
            round: response.round.name.clone(),
            region: response.region_name.clone(),
            question: question.to_string(),
            author: author_name.to_string(),
            body: body.to_string(),
            link: link.clone(),
        },
    )
    .await
}

#[derive(FromRow)]
struct RegionDeadline {
    round_id: String,
    round_name: String,
    region_code: String,
    region_name: String,
    deadline: i64,
}

/// Coordinators of every region of a round that has just opened.
pub async fn round_opened(
    conn: &mut AnyConnection,
    settings: &MailSettings,
    round_id: &str,
) -> Result<(), AppError> {
    let regions: Vec<RegionDeadline> = sqlx::query_as(
        "SELECT r.id AS round_id, r.name AS round_name, rr.region_code, rr.region_name, \
         COALESCE(rr.deadline, r.deadline) AS deadline \
         FROM rounds r JOIN round_regions rr ON rr.round_id = r.id WHERE r.id = $1 \
         ORDER BY rr.region_code",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?;
    let link = settings.link(paths::FILL_START);
    for region in regions {
        tell(
            conn,
            Audience::Coordinators(&region.region_code),
            "round_opened",
            None,
            |name| Notice::RoundOpened {
                name,
                round: region.round_name.clone(),
                region: region.region_name.clone(),
                deadline_ms: region.deadline,
                link: link.clone(),
            },
        )
        .await?;
    }
    Ok(())
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Sends the deadline reminders that are due at `now`: for every region of an open round
/// whose response is not submitted, when its deadline is at most `thresholds` days away
/// (the nearest threshold only), each coordinator once per deadline and threshold. A later
/// deadline (an extension) starts again. Returns how many reminders were queued.
///
/// The claim row in `reminders_sent` and the mail are written in one transaction, and the
/// claim's key is unique: two instances running this at once, or one after a restart, queue
/// each reminder once.
pub async fn send_deadline_reminders(
    pool: &AnyPool,
    settings: &MailSettings,
    now: i64,
    thresholds: &[i64],
) -> Result<u32, AppError> {
    let mut thresholds: Vec<i64> = thresholds.iter().copied().filter(|d| *d > 0).collect();
    thresholds.sort_unstable();
    thresholds.dedup();
    let Some(&furthest) = thresholds.last() else {
        return Ok(0);
    };
    let link = settings.link(paths::FILL_START);
    let mut queued = 0;
    for region in due_regions(pool, now, now + furthest * DAY_MS).await? {
        let left_ms = region.deadline - now;
        let Some(&threshold) = thresholds.iter().find(|days| left_ms <= *days * DAY_MS) else {
            continue;
        };
        let due = Due {
            region: &region,
            threshold,
            days_left: (left_ms + DAY_MS - 1) / DAY_MS,
        };
        let people = people(
            &mut *pool.acquire().await?,
            Audience::Coordinators(&region.region_code),
            "deadline_reminder",
            None,
        )
        .await?;
        for person in people {
            if remind_once(pool, person, &due, now, &link).await? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// The regions of open rounds whose response is not submitted and whose deadline is after
/// `now` and at most `until`.
async fn due_regions(
    pool: &AnyPool,
    now: i64,
    until: i64,
) -> Result<Vec<RegionDeadline>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.id AS round_id, r.name AS round_name, rr.region_code, rr.region_name, \
         COALESCE(rr.deadline, r.deadline) AS deadline \
         FROM rounds r JOIN round_regions rr ON rr.round_id = r.id \
         LEFT JOIN responses p ON p.round_id = r.id AND p.region_code = rr.region_code \
         WHERE r.state = 'open' AND (p.status IS NULL OR p.status IN ('open', 'returned')) \
         AND COALESCE(rr.deadline, r.deadline) > $1 \
         AND COALESCE(rr.deadline, r.deadline) <= $2 \
         ORDER BY r.id, rr.region_code",
    )
    .bind(now)
    .bind(until)
    .fetch_all(pool)
    .await?)
}

/// A region's deadline that a reminder is due for: the threshold (in days) it passed, and
/// the days left.
struct Due<'a> {
    region: &'a RegionDeadline,
    threshold: i64,
    days_left: i64,
}

/// Claims the reminder of `due` for `person` and queues it, unless it was claimed before;
/// whether it was queued now.
async fn remind_once(
    pool: &AnyPool,
    person: Person,
    due: &Due<'_>,
    now: i64,
    link: &str,
) -> Result<bool, AppError> {
    let region = due.region;
    // Each transaction writes first: on SQLite a transaction that read before it
    // writes can't wait for another writer and would fail instead.
    let mut tx = pool.begin().await?;
    let claimed = sqlx::query(
        "INSERT INTO reminders_sent (user_id, round_id, deadline, days_before, sent_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(&person.id)
    .bind(&region.round_id)
    .bind(region.deadline)
    .bind(due.threshold)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(false);
    }
    mail::enqueue(
        &mut *tx,
        Recipient {
            user_id: Some(&person.id),
            address: &person.email,
        },
        &Notice::DeadlineReminder {
            name: person.display_name,
            round: region.round_name.clone(),
            region: region.region_name.clone(),
            deadline_ms: region.deadline,
            days_left: due.days_left,
            link: link.to_string(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Records the device of a login and, when the account was used before but never from this
/// device, tells its owner. The device is the browser and system in words ("Firefox op
/// Windows"), so a browser update is not a new device.
pub async fn login_from(
    conn: &mut AnyConnection,
    settings: &MailSettings,
    user_id: &str,
    origin: &super::sessions::Origin,
) -> Result<(), AppError> {
    let device = describe_user_agent(&origin.user_agent);
    let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM known_devices WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    let added = sqlx::query(
        "INSERT INTO known_devices (user_id, device, first_seen_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(&device)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    if known == 0 || added.rows_affected() != 1 {
        return Ok(());
    }
    let person: Person = sqlx::query_as("SELECT id, email, display_name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    mail::enqueue(
        &mut *conn,
        Recipient {
            user_id: Some(&person.id),
            address: &person.email,
        },
        &Notice::NewDevice {
            name: person.display_name,
            device,
            address: origin.address.map(|a| a.to_string()).unwrap_or_default(),
            at_ms: now_ms(),
            account_link: settings.link(paths::ACCOUNT),
        },
    )
    .await
}

/// The optional kinds a user has switched off.
pub async fn opted_out(pool: &AnyPool, user_id: &str) -> Result<Vec<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT kind FROM notice_opt_outs WHERE user_id = $1 ORDER BY kind")
            .bind(user_id)
            .fetch_all(pool)
            .await?,
    )
}

/// Sets which optional notices a user wants; unknown kinds are refused, nothing changes.
pub async fn set_wanted(pool: &AnyPool, user_id: &str, wanted: &[String]) -> Result<(), AppError> {
    use crate::domain::notice::OPTIONAL_KINDS;
    if let Some(unknown) = wanted.iter().find(|kind| !is_optional(kind)) {
        return Err(AppError::BadRequest(format!(
            "Onbekend soort bericht: '{}'.",
            unknown.chars().take(40).collect::<String>()
        )));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM notice_opt_outs WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for (kind, _) in OPTIONAL_KINDS {
        if !wanted.iter().any(|w| w == kind) {
            sqlx::query("INSERT INTO notice_opt_outs (user_id, kind) VALUES ($1, $2)")
                .bind(user_id)
                .bind(kind)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
