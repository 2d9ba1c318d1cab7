//! `questionnaire import` of XLSForm workbooks and REDCap dictionaries, and `questionnaire
//! export`, run as a user would: the real binary and real files, on SQLite and PostgreSQL.

use crate::cli::{count, nad_monitor};
use crate::support::databases;
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};

/// A fresh folder for one test's files, removed at the end.
fn folder() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn workbook(path: &Path, sheets: &[(&str, &[&[&str]])]) {
    let mut workbook = Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    workbook.save(path).unwrap();
}

const SURVEY: &[&str] = &[
    "type",
    "name",
    "label::Nederlands (nl)",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
];

fn small_workbook(path: &Path, relevant: &str) {
    let survey: &[&[&str]] = &[
        SURVEY,
        &["begin_group", "A", "Algemeen", "", "", "", ""],
        &[
            "select_one jn",
            "a_plan",
            "Is er een plan?",
            "yes",
            "",
            "",
            "",
        ],
        &[
            "integer",
            "a_plekken",
            "Hoeveel plekken?",
            "",
            relevant,
            ". >= 0",
            "Niet negatief.",
        ],
        &["end_group", "", "", "", "", "", ""],
    ];
    let choices: &[&[&str]] = &[
        &["list_name", "name", "label"],
        &["jn", "ja", "Ja"],
        &["jn", "nee", "Nee"],
    ];
    let settings: &[&[&str]] = &[
        &["form_id", "version", "form_title"],
        &["proef", "2026-01", "Proefvragenlijst"],
    ];
    workbook(
        path,
        &[
            ("survey", survey),
            ("choices", choices),
            ("settings", settings),
        ],
    );
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[tokio::test]
async fn an_xlsform_workbook_is_imported_and_a_malformed_one_stores_nothing() {
    for database in databases().await {
        let url = &database.url;
        let dir = folder();
        let good = dir.path().join("proef.xlsx");
        small_workbook(&good, "${a_plan} = 'ja'");
        let loaded = nad_monitor(url, &["questionnaire", "import", &text(&good)], "");
        assert!(loaded.success, "{}", loaded.output);
        assert!(
            loaded
                .output
                .contains("versie 2026-01 van 'proef' geladen (2 vragen)"),
            "{}",
            loaded.output
        );

        let broken = dir.path().join("kapot.xlsx");
        small_workbook(&broken, "string-length(${a_plan}) > 1 or ${a_weg} = 'x'");
        let refused = nad_monitor(
            url,
            &[
                "questionnaire",
                "import",
                &text(&broken),
                "--version",
                "2026-02",
            ],
            "",
        );
        assert!(!refused.success);
        assert!(
            refused.output.contains(
                "kapot.xlsx: survey, rij 4, kolom relevant: kan 'string-length(…)' niet vertalen"
            ),
            "{}",
            refused.output
        );
        assert!(
            refused.output.contains("Er is niets opgeslagen."),
            "{}",
            refused.output
        );

        small_workbook(&broken, "${a_weg} = 'x'");
        let refused = nad_monitor(
            url,
            &[
                "questionnaire",
                "import",
                &text(&broken),
                "--version",
                "2026-02",
            ],
            "",
        );
        assert!(!refused.success);
        assert!(
            refused.output.contains("kapot.xlsx: survey, rij 4, kolom relevant: vraag a_plekken: visible_if: verwijst naar een onbekende vraag 'a_weg'"),
            "{}",
            refused.output
        );
        assert_eq!(count(url, "questionnaire_versions").await, 1);

        let toml = dir.path().join("proef.toml");
        let exported = nad_monitor(
            url,
            &[
                "questionnaire",
                "export",
                "proef/2026-01",
                "--format",
                "toml",
                "--output",
                &text(&toml),
            ],
            "",
        );
        assert!(exported.success, "{}", exported.output);
        let source = std::fs::read_to_string(&toml).unwrap();
        assert!(
            source.contains("[[section.item]]") && source.contains("a_plan == 'ja'"),
            "{source}"
        );
        let with_names = nad_monitor(
            url,
            &["questionnaire", "import", &text(&toml), "--version", "x"],
            "",
        );
        assert!(
            !with_names.success && with_names.output.contains("gelden alleen voor XLSForm"),
            "{}",
            with_names.output
        );
    }
}

#[tokio::test]
async fn a_redcap_dictionary_needs_its_names_and_names_every_problem() {
    for database in databases().await {
        let url = &database.url;
        let dir = folder();
        let csv = dir.path().join("proef.csv");
        std::fs::write(
            &csv,
            "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,\"Choices, Calculations, OR Slider Labels\",Field Note,Text Validation Type OR Show Slider Number,Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),Required Field?\n\
             plan,regio,Regionale aanpak,yesno,Is er een plan?,,,,,,,,y\n\
             vormen,regio,,checkbox,Welke vormen?,\"1, Eigen woning | 2, Kamer\",,,,,,[plan] = '1',\n\
             plekken,regio,,text,Hoeveel plekken?,,,integer,0,500,,[vormen(2)] = '1',\n",
        )
        .unwrap();
        let missing = nad_monitor(url, &["questionnaire", "import", &text(&csv)], "");
        assert!(!missing.success);
        assert!(
            missing.output.contains("--identifier"),
            "{}",
            missing.output
        );
        let names = [
            "--identifier",
            "proef",
            "--version",
            "1",
            "--title",
            "Proef",
        ];
        let args = |file: &PathBuf| {
            let mut args = vec![
                "questionnaire".to_string(),
                "import".to_string(),
                text(file),
            ];
            args.extend(names.iter().map(|s| s.to_string()));
            args
        };
        let loaded = nad_monitor(
            url,
            &args(&csv).iter().map(String::as_str).collect::<Vec<_>>(),
            "",
        );
        assert!(loaded.success, "{}", loaded.output);
        assert!(loaded.output.contains("(3 vragen)"), "{}", loaded.output);

        let broken = dir.path().join("kapot.csv");
        std::fs::write(
            &broken,
            "Variable / Field Name,Form Name,Field Type,Field Label,Branching Logic (Show field only if...)\n\
             som,regio,calc,Som,\n\
             getal,regio,text,Getal,[event_1][som] = '1'\n",
        )
        .unwrap();
        let refused = nad_monitor(
            url,
            &args(&broken).iter().map(String::as_str).collect::<Vec<_>>(),
            "",
        );
        assert!(!refused.success);
        assert!(
            refused
                .output
                .contains("kapot.csv: regel 2, kolom field type: het veldtype 'calc'"),
            "{}",
            refused.output
        );
        assert!(
            refused
                .output
                .contains("kapot.csv: regel 3, kolom branching logic: kan '[event_1]"),
            "{}",
            refused.output
        );
        assert_eq!(count(url, "questionnaire_versions").await, 1);
    }
}

#[tokio::test]
async fn the_nad_questionnaire_goes_out_as_xlsform_and_redcap_and_comes_back() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../questionnaires");
    for database in databases().await {
        let url = &database.url;
        let dir = folder();
        let loaded = nad_monitor(
            url,
            &[
                "questionnaire",
                "import",
                &text(&root.join("nad-2025-12.toml")),
            ],
            "",
        );
        assert!(loaded.success, "{}", loaded.output);
        let items = loaded
            .output
            .split(" (")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap()
            .to_string();
        for (format, file, version) in [
            ("xlsform", "nad.xlsx", "kopie-xlsform"),
            ("redcap", "nad.csv", "kopie-redcap"),
        ] {
            let path = dir.path().join(file);
            let exported = nad_monitor(
                url,
                &[
                    "questionnaire",
                    "export",
                    "nad/2025-12",
                    "--format",
                    format,
                    "--output",
                    &text(&path),
                ],
                "",
            );
            assert!(exported.success, "{}", exported.output);
            let again = nad_monitor(
                url,
                &[
                    "questionnaire",
                    "import",
                    &text(&path),
                    "--version",
                    version,
                ],
                "",
            );
            assert!(again.success, "{format}: {}", again.output);
            assert!(
                again.output.contains(&format!(
                    "versie {version} van 'nad' geladen ({items} vragen)"
                )),
                "{format}: {}",
                again.output
            );
        }
        let unknown = nad_monitor(
            url,
            &["questionnaire", "export", "nad/1999", "--format", "redcap"],
            "",
        );
        assert!(
            !unknown.success && unknown.output.contains("niet geladen"),
            "{}",
            unknown.output
        );
        let list = nad_monitor(url, &["questionnaire", "list"], "");
        assert!(
            list.output.contains("nad kopie-xlsform") && list.output.contains("nad kopie-redcap"),
            "{}",
            list.output
        );
    }
}
