//! The open data: per publication and edition four files with stable addresses, and one
//! machine-readable index of them all, with field names after DCAT-AP-NL (title, issued,
//! modified, license, distribution with downloadURL, mediaType, byteSize and checksum).

use serde::{Deserialize, Serialize};

/// A file of an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OpenFile {
    /// One row per region × public item (× matrix row).
    Long,
    /// One row per region, one column per public item (per matrix row).
    Wide,
    /// Everything in one document, regions with their gemeenten and answers.
    Json,
    /// The public items: question, type, codes, units, missing-value codes, lineage.
    Codebook,
}

impl OpenFile {
    pub const ALL: [OpenFile; 4] = [
        OpenFile::Long,
        OpenFile::Wide,
        OpenFile::Json,
        OpenFile::Codebook,
    ];

    /// The last part of its address.
    pub fn name(self) -> &'static str {
        match self {
            OpenFile::Long => "lang.csv",
            OpenFile::Wide => "breed.csv",
            OpenFile::Json => "gegevens.json",
            OpenFile::Codebook => "codeboek.csv",
        }
    }

    pub fn from_name(name: &str) -> Option<OpenFile> {
        OpenFile::ALL.into_iter().find(|file| file.name() == name)
    }

    pub fn media_type(self) -> &'static str {
        match self {
            OpenFile::Json => "application/json",
            _ => "text/csv",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            OpenFile::Long => "Lang formaat (CSV): een regel per regio en vraag",
            OpenFile::Wide => "Breed formaat (CSV): een regel per regio",
            OpenFile::Json => "Alle gegevens (JSON)",
            OpenFile::Codebook => "Codeboek (CSV): vragen, codes en herkomst",
        }
    }
}

/// The address of an edition's file: `/open-data/2026-06/1/lang.csv`.
pub fn file_path(slug: &str, edition: i64, file: OpenFile) -> String {
    format!("/open-data/{slug}/{edition}/{}", file.name())
}

/// Where the index is.
pub const INDEX_PATH: &str = "/open-data/index.json";

/// One downloadable file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    pub file: OpenFile,
    /// The address on this site (`file_path`).
    pub path: String,
    pub bytes: usize,
    /// SHA-256 of the file, hex.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEdition {
    pub edition: i64,
    pub published_at: i64,
    pub note: String,
    pub files: Vec<Distribution>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CataloguePublication {
    pub slug: String,
    /// The programme whose round was published.
    pub programme: crate::domain::programme::Programme,
    pub round_name: String,
    pub period: String,
    pub questionnaire: String,
    /// The first edition first.
    pub editions: Vec<CatalogueEdition>,
}

/// Every publication's files, newest publication first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub title: String,
    pub publisher: String,
    pub licence_name: String,
    pub licence_url: String,
    pub publications: Vec<CataloguePublication>,
}

/// A date as ISO 8601 (`2026-07-03`), in Dutch time.
pub fn iso_date(utc_ms: i64) -> String {
    let (year, month, day, ..) = crate::domain::time::local_parts(utc_ms);
    format!("{year:04}-{month:02}-{day:02}")
}

/// "NAD-monitor – juni 2026"; another programme's publication names its programme:
/// "NAD-monitor – Beschermd Thuis – december 2026".
fn dataset_title(catalogue_title: &str, publication: &CataloguePublication) -> String {
    let programme = &publication.programme;
    if programme.code == crate::domain::programme::DEFAULT_PROGRAMME {
        format!("{catalogue_title} – {}", publication.period)
    } else {
        format!(
            "{catalogue_title} – {} – {}",
            programme.name, publication.period
        )
    }
}

/// The index as JSON: a catalogue of datasets (one per publication) after DCAT-AP-NL, every
/// address absolute (`base` is the site's public address).
pub fn index_json(catalogue: &Catalogue, base: &str) -> serde_json::Value {
    let base = base.trim_end_matches('/');
    let distribution = |file: &Distribution, issued: i64| {
        serde_json::json!({
            "title": file.file.title(),
            "downloadURL": format!("{base}{}", file.path),
            "accessURL": format!("{base}/open-data"),
            "mediaType": file.file.media_type(),
            "format": if file.file == OpenFile::Json { "JSON" } else { "CSV" },
            "byteSize": file.bytes,
            "checksum": { "algorithm": "sha256", "checksumValue": file.sha256 },
            "issued": iso_date(issued),
            "license": catalogue.licence_url,
        })
    };
    let datasets: Vec<serde_json::Value> = catalogue
        .publications
        .iter()
        .filter_map(|publication| {
            let first = publication.editions.first()?;
            let latest = publication.editions.last()?;
            let versions: Vec<serde_json::Value> = publication
                .editions
                .iter()
                .map(|edition| {
                    serde_json::json!({
                        "version": edition.edition,
                        "issued": iso_date(edition.published_at),
                        "versionNotes": edition.note,
                        "distribution": edition.files.iter().map(|f| distribution(f, edition.published_at)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            Some(serde_json::json!({
                "identifier": format!("{base}/dashboard/{}", publication.slug),
                "title": dataset_title(&catalogue.title, publication),
                "description": format!(
                    "Antwoorden van de regio's op de openbare vragen van {} (vragenlijst {}), zoals gepubliceerd; alleen goedgekeurde antwoorden.",
                    publication.round_name, publication.questionnaire
                ),
                "issued": iso_date(first.published_at),
                "modified": iso_date(latest.published_at),
                "version": latest.edition,
                "versionNotes": latest.note,
                "language": "nl",
                "license": catalogue.licence_url,
                "publisher": { "name": catalogue.publisher },
                "landingPage": format!("{base}/dashboard/{}", publication.slug),
                "temporal": publication.period,
                "keyword": [publication.programme.name, publication.programme.short_name],
                "distribution": latest.files.iter().map(|f| distribution(f, latest.published_at)).collect::<Vec<_>>(),
                "hasVersion": versions,
            }))
        })
        .collect();
    serde_json::json!({
        "title": format!("Open data – {}", catalogue.title),
        "publisher": { "name": catalogue.publisher },
        "license": { "name": catalogue.licence_name, "url": catalogue.licence_url },
        "homepage": format!("{base}/open-data"),
        "dataset": datasets,
    })
}
