//! Benchmark of the national picture at the scale of a bigger programme: 1,000
//! organisations × 300 items × 10 rounds (3 million answers), every response submitted.
//! A synthetic generator fills the database (rounds 1–5 on version 1 of a questionnaire,
//! rounds 6–10 on version 2, with renamed and recoded items); then the picture of the last
//! round beside the one before it is computed repeatedly, as a reviewer's request does.
//!
//! Run: `cargo run --release -p server --example national_picture`
//! (`-- --organisations 200 --rounds 4` for a smaller set; `DATABASE_URL` for another
//! database, e.g. PostgreSQL, which must be empty and is filled by this run).

use app::domain::access::SignedInUser;
use app::domain::questionnaire::answer::{Answer, AnswerValue};
use app::domain::role::Role;
use app::server::audit::Actor;
use std::time::{Duration, Instant};

const ITEMS: usize = 300;

fn argument(name: &str, default: usize) -> usize {
    std::env::args()
        .skip_while(|a| a != name)
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// The kind of item `n`: a mix like the NAD questionnaire's.
#[derive(Clone, Copy)]
enum Kind {
    YesNo,
    YesPartlyNo,
    Choice,
    Multiple,
    Integer,
    Percentage,
    Text,
}

fn kind(n: usize) -> Kind {
    match n % 10 {
        0..=2 => Kind::YesNo,
        3 => Kind::YesPartlyNo,
        4 | 5 => Kind::Choice,
        6 => Kind::Multiple,
        7 => Kind::Integer,
        8 => Kind::Percentage,
        _ => Kind::Text,
    }
}

/// Item `n`'s key in `version`: version 2 renamed every 25th item.
fn key(n: usize, version: u32) -> String {
    if version == 2 && n % 25 == 1 {
        format!("v{n}_nieuw")
    } else {
        format!("v{n}")
    }
}

/// A questionnaire of 300 items in 10 sections; every 10th item is asked only when the item
/// before it is "ja". Version 2 renames some items and merges two codes of every choice.
fn questionnaire(version: u32) -> String {
    let mut toml = format!(
        "identifier = \"groot\"\nversion = \"{version}\"\ntitle = \"Grote monitor\"\nintroduction = \"Synthetisch.\"\n{}",
        if version == 2 { "previous_version = \"1\"\n" } else { "" }
    );
    for n in 0..ITEMS {
        if n % 30 == 0 {
            toml.push_str(&format!(
                "\n[[section]]\nkey = \"S{}\"\ntitle = \"Onderdeel {}\"\n",
                n / 30,
                n / 30 + 1
            ));
        }
        let item_key = key(n, version);
        toml.push_str(&format!(
            "\n[[section.item]]\nkey = \"{item_key}\"\nlabel = \"Vraag {n}\"\nunknown = true\n"
        ));
        let body = match kind(n) {
            Kind::YesNo => "type = \"yes_no\"\n".to_string(),
            Kind::YesPartlyNo => "type = \"yes_partly_no\"\n".to_string(),
            Kind::Choice if version == 1 => "type = \"single_choice\"\noptions = [{ code = \"a\", label = \"A\" }, { code = \"b\", label = \"B\" }, { code = \"c\", label = \"C\" }, { code = \"d\", label = \"D\" }]\n".to_string(),
            Kind::Choice => "type = \"single_choice\"\noptions = [{ code = \"a\", label = \"A\" }, { code = \"bc\", label = \"B of C\" }, { code = \"d\", label = \"D\" }]\n".to_string(),
            Kind::Multiple => "type = \"multiple_choice\"\noptions = [{ code = \"a\", label = \"A\" }, { code = \"b\", label = \"B\" }, { code = \"c\", label = \"C\" }, { code = \"d\", label = \"D\" }, { code = \"e\", label = \"E\" }]\n".to_string(),
            Kind::Integer => "type = \"integer\"\nmin = 0\n".to_string(),
            Kind::Percentage => "type = \"percentage\"\n".to_string(),
            Kind::Text => "type = \"short_text\"\n".to_string(),
        };
        toml.push_str(&body);
        if n % 10 == 1 {
            toml.push_str(&format!(
                "visible_if = \"{} == 'ja'\"\n",
                key(n - 1, version)
            ));
        }
        if version == 2 {
            let lineage = match (kind(n), n % 25 == 1) {
                (Kind::Choice, renamed) => format!(
                    "lineage = {{ {}recoded = {{ a = \"a\", b = \"bc\", c = \"bc\", d = \"d\" }} }}\n",
                    if renamed { format!("renamed_from = \"v{n}\", ") } else { String::new() }
                ),
                (_, true) => format!("lineage = {{ renamed_from = \"v{n}\" }}\n"),
                _ => "lineage = \"unchanged\"\n".to_string(),
            };
            toml.push_str(&lineage);
        }
    }
    toml
}

/// A cheap deterministic pseudo-random number for (organisation, item, round).
fn noise(organisation: usize, item: usize, round: usize) -> u64 {
    let mut x = (organisation as u64) << 32 ^ (item as u64) << 12 ^ round as u64;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// The answer of one organisation to item `n` in `round` (version `version`): mostly real
/// answers, 3% onbekend.
fn answer(organisation: usize, n: usize, round: usize, version: u32) -> Answer {
    let r = noise(organisation, n, round);
    if r % 100 < 3 {
        return Answer::Unknown;
    }
    // "ja" grows over the rounds, like Wonen Eerst in the regional plans.
    let yes = r % 100 < 50 + 4 * round as u64;
    Answer::Given(match kind(n) {
        Kind::YesNo => AnswerValue::Code(if yes { "ja" } else { "nee" }.into()),
        Kind::YesPartlyNo => AnswerValue::Code(["ja", "deels", "nee"][(r % 3) as usize].into()),
        Kind::Choice if version == 1 => {
            AnswerValue::Code(["a", "b", "c", "d"][(r % 4) as usize].into())
        }
        Kind::Choice => AnswerValue::Code(["a", "bc", "d"][(r % 3) as usize].into()),
        Kind::Multiple => AnswerValue::Codes(
            ["a", "b", "c", "d", "e"]
                .iter()
                .enumerate()
                .filter(|(i, _)| (r >> (8 + i)) & 1 == 1)
                .map(|(_, c)| c.to_string())
                .collect(),
        ),
        Kind::Integer => AnswerValue::Integer((r % 500) as i64),
        Kind::Percentage => AnswerValue::Number((r % 1000) as f64 / 10.0),
        Kind::Text => AnswerValue::Text(format!("Toelichting {}", r % 50)),
    })
}

/// The raw input that parses to `answer`, as the form sends it.
fn raw(answer: &Answer) -> String {
    let (values, special): (Vec<String>, Option<&str>) = match answer {
        Answer::Unknown => (vec![], Some("onbekend")),
        Answer::NotApplicable => (vec![], Some("nvt")),
        Answer::Given(AnswerValue::Code(c)) => (vec![c.clone()], None),
        Answer::Given(AnswerValue::Codes(list)) => (list.clone(), None),
        Answer::Given(AnswerValue::Integer(n)) => (vec![n.to_string()], None),
        Answer::Given(AnswerValue::Number(n)) => (vec![n.to_string()], None),
        Answer::Given(AnswerValue::Text(t)) => (vec![t.clone()], None),
        Answer::Given(_) => (vec![], None),
    };
    serde_json::json!({ "values": values, "rows": {}, "special": special }).to_string()
}

#[tokio::main]
async fn main() {
    let organisations = argument("--organisations", 1000);
    let rounds = argument("--rounds", 10);
    let repeats = argument("--repeats", 20);
    let folder = std::env::temp_dir().join(format!("nad-landelijk-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/landelijk.db", folder.display()));
    let state = server::build_state(
        &url,
        app::server::state::Config::default(),
        server::leptos_options(([127, 0, 0, 1], 3000).into()),
    )
    .await
    .expect("database");

    let regions: String = std::iter::once("code,region,lead_gemeente\n".to_string())
        .chain((1..=organisations).map(|n| format!("O{n:04},Organisatie {n},Gemeente {n}\n")))
        .collect();
    let regions = app::server::regions::parse_csv(regions.as_bytes()).unwrap();
    app::server::regions::import(&state.pool, &Actor::CommandLine, &regions)
        .await
        .unwrap();
    for version in [1, 2] {
        app::server::questionnaires::import(
            &state.pool,
            &state.questionnaires,
            &Actor::CommandLine,
            &format!("groot-{version}.toml"),
            &questionnaire(version),
        )
        .await
        .unwrap_or_else(|problems| panic!("version {version}: {problems:?}"));
    }
    let author = app::server::users::create(
        &state.pool,
        &Actor::CommandLine,
        app::server::users::NewUser {
            email: "invuller@groot.nl".into(),
            display_name: "Invuller".into(),
            role: "admin".into(),
            region_code: None,
            password: "een lang genoeg wachtwoord".into(),
        },
    )
    .await
    .unwrap();

    let generating = Instant::now();
    let day = 86_400_000;
    let mut round_ids = Vec::new();
    for round in 0..rounds {
        let version = if round < rounds / 2 { 1 } else { 2 };
        let id = app::server::rounds::create(
            &state.pool,
            &Actor::CommandLine,
            app::server::rounds::NewRound {
                name: format!("Meting {}", round + 1),
                questionnaire_id: "groot".into(),
                questionnaire_version: version.to_string(),
                state: app::domain::round::RoundState::Closed,
                opens_at: 1_700_000_000_000 + round as i64 * 180 * day,
                deadline: 1_700_000_000_000 + (round as i64 * 180 + 60) * day,
                compared_round_id: None,
                region_codes: None,
            },
        )
        .await
        .unwrap();
        let mut tx = state.pool.begin().await.unwrap();
        let mut rows: Vec<String> = Vec::with_capacity(200);
        for organisation in 1..=organisations {
            let response = format!("{id}-{organisation}");
            sqlx::query(&format!(
                "INSERT INTO responses (id, round_id, region_code, status, created_at, submitted_at) \
                 VALUES ('{response}', '{id}', 'O{organisation:04}', 'submitted', 0, 0)"
            ))
            .execute(&mut *tx)
            .await
            .unwrap();
            let mut hide_next = false;
            for n in 0..ITEMS {
                let answer = answer(organisation, n, round, version);
                // Items asked only after "ja" are left empty otherwise, as the form does.
                if n % 10 == 1 && hide_next {
                    continue;
                }
                hide_next = n % 10 == 0 && answer != Answer::Given(AnswerValue::Code("ja".into()));
                rows.push(format!(
                    "('{response}', '{}', '{}', '{}', 1, 1, 0, '{author}', 0)",
                    key(n, version),
                    raw(&answer),
                    serde_json::to_string(&answer).unwrap()
                ));
                if rows.len() == 200 {
                    insert(&mut tx, &mut rows).await;
                }
            }
        }
        insert(&mut tx, &mut rows).await;
        tx.commit().await.unwrap();
        round_ids.push(id);
        eprintln!("round {} of {rounds} stored", round + 1);
    }
    // Statistics and (on PostgreSQL) the visibility map, as a database in use has them after
    // autovacuum: the planners choose by them, and index-only scans need the map.
    let maintenance = if url.starts_with("postgres") {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    sqlx::query(maintenance).execute(&state.pool).await.unwrap();
    let answers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answers")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    println!(
        "{answers} answers of {organisations} organisations × {ITEMS} items × {rounds} rounds, generated in {:.0} s",
        generating.elapsed().as_secs_f64()
    );

    let reviewer = SignedInUser {
        id: author.clone(),
        email: "invuller@groot.nl".into(),
        display_name: "Invuller".into(),
        role: Role::Reviewer,
        region_code: None,
        region_name: None,
    };
    let last = round_ids.last().unwrap();
    let mut samples: Vec<Duration> = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let started = Instant::now();
        let picture = app::server::national::picture(&state, &reviewer, last, None)
            .await
            .unwrap();
        samples.push(started.elapsed());
        assert_eq!(picture.submitted, organisations);
        assert!(picture.compared_round.is_some());
    }
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    println!(
        "national picture of the last round beside the one before ({ITEMS} items, {organisations} organisations each): \
         n={} p50={:.0} ms p95={:.0} ms max={:.0} ms",
        samples.len(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.95).as_secs_f64() * 1000.0,
        samples.last().unwrap().as_secs_f64() * 1000.0
    );
    state.pool.close().await;
    if std::env::var_os("NAD_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&folder);
    }
}

async fn insert(tx: &mut sqlx::Transaction<'_, sqlx::Any>, rows: &mut Vec<String>) {
    if rows.is_empty() {
        return;
    }
    sqlx::query(&format!(
        "INSERT INTO answers (response_id, item_key, raw, value, valid, version, prefilled, updated_by, updated_at) VALUES {}",
        rows.join(", ")
    ))
    .execute(&mut **tx)
    .await
    .unwrap();
    rows.clear();
}
