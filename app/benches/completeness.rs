//! How long completeness takes for a large response: a synthetic questionnaire of 2,000
//! items (20 sections of 100, every item type, conditions chaining within each section, and
//! rules comparing with the previous round), fully answered.
//!
//! Run: `cargo bench -p app --features definitions --bench completeness`

use app::domain::questionnaire::answer::{Answer, AnswerValue};
use app::domain::questionnaire::completeness::{evaluate, ResponseAnswers};
use app::domain::questionnaire::load::load;
use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write;
use std::hint::black_box;

const SECTIONS: usize = 20;
const ITEMS_PER_SECTION: usize = 100;

/// A definition file with 2,000 items.
fn definition() -> String {
    let mut toml = String::from("identifier = \"bench\"\nversion = \"1\"\ntitle = \"Benchmark\"\n");
    for s in 0..SECTIONS {
        let _ = write!(
            toml,
            "\n[[section]]\nkey = \"S{s}\"\ntitle = \"Sectie {s}\"\n"
        );
        for i in 0..ITEMS_PER_SECTION {
            let key = format!("s{s}_v{i}");
            let _ = write!(toml, "\n[[section.item]]\nkey = \"{key}\"\nlabel = \"Vraag {i}\"\nrequired = true\nunknown = true\n");
            match i % 5 {
                0 => toml.push_str("type = \"yes_partly_no\"\n"),
                1 => {
                    let _ = write!(toml, "type = \"integer\"\nmin = 0\nvisible_if = \"s{s}_v{} in ['ja', 'deels']\"\n", i - 1);
                    let _ = write!(toml, "[[section.item.rule]]\nseverity = \"warning\"\ncheck = \"change_pct({key}) <= 50\"\nmessage = \"Grote verandering\"\n");
                }
                2 => {
                    let _ = write!(toml, "type = \"integer\"\nmin = 0\n[[section.item.rule]]\nseverity = \"blocking\"\ncheck = \"{key} <= s{s}_v{} + 1000\"\nmessage = \"Te groot\"\n", i - 1);
                }
                3 => toml.push_str("type = \"multiple_choice\"\noptions = [{ code = \"a\", label = \"A\" }, { code = \"b\", label = \"B\" }, { code = \"c\", label = \"C\" }]\n"),
                _ => {
                    let _ = write!(toml, "type = \"long_text\"\nvisible_if = \"s{s}_v{} contains 'a' or not changed(s{s}_v{})\"\n", i - 1, i - 4);
                }
            }
        }
    }
    toml
}

fn answers(questionnaire: &app::domain::questionnaire::model::Questionnaire) -> ResponseAnswers {
    let mut answers = ResponseAnswers::default();
    for (n, item) in questionnaire.items().enumerate() {
        let value = match item.kind.type_name() {
            "yes_partly_no" => AnswerValue::Code(if n % 2 == 0 { "ja" } else { "deels" }.into()),
            "integer" => AnswerValue::Integer(n as i64),
            "multiple_choice" => AnswerValue::Codes(vec!["a".into(), "c".into()]),
            _ => AnswerValue::Text("Een toelichting van een paar woorden.".into()),
        };
        answers
            .current
            .insert(item.key.clone(), Answer::Given(value.clone()));
        answers
            .previous
            .insert(item.key.clone(), Answer::Given(value));
    }
    answers
}

fn bench(c: &mut Criterion) {
    let source = definition();
    let questionnaire = load(&source, None).expect("the synthetic definition loads");
    assert_eq!(questionnaire.items().count(), SECTIONS * ITEMS_PER_SECTION);
    let index = questionnaire.index().unwrap();
    let answers = answers(&questionnaire);

    c.bench_function("load and check a 2,000-item definition", |b| {
        b.iter(|| load(black_box(&source), None).unwrap())
    });
    c.bench_function("completeness of a 2,000-item response", |b| {
        b.iter(|| evaluate(black_box(&questionnaire), &index, black_box(&answers)))
    });
    let mut evaluation = evaluate(&questionnaire, &index, &answers);
    c.bench_function("re-evaluate after one answer changes (2,000 items)", |b| {
        b.iter(|| evaluation.update(&questionnaire, &index, &answers, black_box("s7_v0")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
