//! The synthetic programme the benchmarks share: a questionnaire of 300 items in two
//! versions (renamed and recoded items in version 2, two in every 10 items conditional, one
//! of them on a change since the compared round) and
//! deterministic answers of any number of organisations.
#![allow(dead_code)]

use app::domain::questionnaire::answer::{Answer, AnswerValue};

pub const ITEMS: usize = 300;

pub fn argument(name: &str, default: usize) -> usize {
    std::env::args()
        .skip_while(|a| a != name)
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// A migrated database at `url` with the state the server would have.
pub async fn open_state(url: &str) -> app::services::state::AppState {
    server::build_state(
        url,
        app::services::state::Config::default(),
        server::leptos_options(([127, 0, 0, 1], 3000).into()),
    )
    .await
    .expect("database")
}

/// Regions `O0001`… for `organisations` organisations, in files of 4,000 (a region file may
/// hold 5,000 lines).
pub async fn import_organisations(state: &app::services::state::AppState, organisations: usize) {
    let numbers: Vec<usize> = (1..=organisations).collect();
    for batch in numbers.chunks(4000) {
        let regions: String = std::iter::once("code,region,lead_gemeente\n".to_string())
            .chain(
                batch
                    .iter()
                    .map(|n| format!("O{n:04},Organisatie {n},Gemeente {n}\n")),
            )
            .collect();
        let regions = app::services::regions::parse_csv(regions.as_bytes()).unwrap();
        app::services::regions::import(
            &state.pool,
            &app::services::audit::Actor::CommandLine,
            "nad",
            &regions,
        )
        .await
        .unwrap();
    }
}

/// Stores both versions of the synthetic questionnaire, as `toml` writes them.
pub async fn import_versions(state: &app::services::state::AppState, toml: fn(u32) -> String) {
    for version in [1, 2] {
        app::services::questionnaires::import(
            &state.pool,
            &state.questionnaires,
            &app::services::audit::Actor::CommandLine,
            &format!("groot-{version}.toml"),
            &toml(version),
        )
        .await
        .unwrap_or_else(|problems| panic!("version {version}: {problems:?}"));
    }
}

/// The kind of item `n`: a mix like the NAD questionnaire's.
#[derive(Clone, Copy)]
pub enum Kind {
    YesNo,
    YesPartlyNo,
    Choice,
    Multiple,
    Integer,
    Percentage,
    Text,
}

pub fn kind(n: usize) -> Kind {
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
pub fn key(n: usize, version: u32) -> String {
    if version == 2 && n % 25 == 1 {
        format!("v{n}_nieuw")
    } else {
        format!("v{n}")
    }
}

/// A questionnaire of 300 items in 10 sections; of every 10 items, one is asked only when the
/// item before it is "ja" and one when the first is "nee" or changed since the compared
/// round. Version 2 renames some items and merges two codes of every choice.
pub fn questionnaire(version: u32) -> String {
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
        // Like the explanations the NAD asks for when an answer changed since the compared
        // round: whether it is asked depends on the previous round too.
        if n % 10 == 2 {
            let steering = key(n - 2, version);
            toml.push_str(&format!(
                "visible_if = \"{steering} == 'nee' or changed({steering})\"\n"
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
pub fn noise(organisation: usize, item: usize, round: usize) -> u64 {
    let mut x = (organisation as u64) << 32 ^ (item as u64) << 12 ^ round as u64;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// The answer of one organisation to item `n` in `round` (version `version`): mostly real
/// answers, 3% onbekend.
pub fn answer(organisation: usize, n: usize, round: usize, version: u32) -> Answer {
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
pub fn raw(answer: &Answer) -> String {
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

/// Stores the submitted responses of `organisations` organisations (regions `O0001`…) to
/// round `id` (the `round`-th, on questionnaire `version`), all saved by `author`.
pub async fn store_round(
    pool: &sqlx::AnyPool,
    id: &str,
    organisations: usize,
    round: usize,
    version: u32,
    author: &str,
) {
    let mut tx = pool.begin().await.unwrap();
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
}

/// Inserts the collected answer rows in one statement.
pub async fn insert(tx: &mut sqlx::Transaction<'_, sqlx::Any>, rows: &mut Vec<String>) {
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
