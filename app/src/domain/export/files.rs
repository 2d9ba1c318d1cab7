//! What every file has in common: its name, its format, and CSV cells a spreadsheet will
//! not run as formulas.

/// A safe part of a file name: lower case ASCII letters and digits, everything else one `-`
/// ("6e meting – december 2026" → "6e-meting-december-2026"). Accented letters lose their
/// accent. Never empty.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' | 'ĳ' => 'y',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(80).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "export".to_string()
    } else {
        slug
    }
}

/// A text for a CSV cell that a spreadsheet will not run as a formula: text that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice against
/// CSV injection), unless it is a plain number such as `-3` or `+1.5e3`. Free text typed by
/// a region reaches a reviewer's spreadsheet this way; the XLSX file stores text as text and
/// needs it not, JSON neither. Every CSV the platform writes passes each cell through here,
/// through [`csv_row`].
pub fn csv_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A number as written in a file: an optional sign, digits with an optional decimal point,
/// an optional exponent; nothing else (no spaces, no `inf` or `NaN`, which Rust's own parser
/// would take but a spreadsheet reads as a formula's names).
fn is_plain_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// One cell of a CSV row, after the formula guard: what the `csv` writer takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvCell<'a>(std::borrow::Cow<'a, str>);

impl AsRef<[u8]> for CsvCell<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::ops::Deref for CsvCell<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// A CSV row with every cell through [`csv_safe`]: `writer.write_record(csv_row([...]))`.
/// Header rows, codes and keys too, so no cell of any CSV depends on where its text came
/// from.
pub fn csv_row<'a, I>(cells: I) -> impl Iterator<Item = CsvCell<'a>>
where
    I: IntoIterator<Item = &'a str>,
{
    cells.into_iter().map(|cell| CsvCell(csv_safe(cell)))
}

/// A worksheet name for a section: its key and title, without the characters Excel refuses
/// (`[ ] : * ? / \\`) and within Excel's 31 characters.
pub fn sheet_name(key: &str, title: &str) -> String {
    let name: String = format!("{key} {title}")
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '-',
            c => c,
        })
        .take(31)
        .collect();
    name.trim().trim_matches('\'').to_string()
}

/// The files of a round's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One row per region × item (× matrix row).
    Long,
    /// One row per region, one column per item (matrix: per row).
    Wide,
    Xlsx,
    Json,
    Codebook,
}

pub const FORMATS: [Format; 5] = [
    Format::Long,
    Format::Wide,
    Format::Xlsx,
    Format::Json,
    Format::Codebook,
];

impl Format {
    /// The last part of the URL, `/landelijk/ID/export/NAME`.
    pub fn url_name(self) -> &'static str {
        match self {
            Format::Long => "lang.csv",
            Format::Wide => "breed.csv",
            Format::Xlsx => "meting.xlsx",
            Format::Json => "meting.json",
            Format::Codebook => "codeboek.csv",
        }
    }

    pub fn from_url_name(name: &str) -> Option<Format> {
        FORMATS.into_iter().find(|format| format.url_name() == name)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Long | Format::Wide | Format::Codebook => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
        }
    }

    /// The download's file name: round, questionnaire version and what the file holds, e.g.
    /// `nad-6e-meting-december-2026_nad-2026-06_lang.csv`.
    pub fn file_name(self, round_name: &str, identifier: &str, version: &str) -> String {
        let what = match self {
            Format::Long => "lang.csv",
            Format::Wide => "breed.csv",
            Format::Xlsx => "tabellen.xlsx",
            Format::Json => "data.json",
            Format::Codebook => "codeboek.csv",
        };
        let round = slug(round_name);
        let prefix = slug(identifier);
        // The round's name usually says what it measures; the programme's name goes first
        // unless it is already there.
        let round = if round.starts_with(&format!("{prefix}-")) {
            round
        } else {
            format!("{prefix}-{round}")
        };
        format!(
            "{round}_{}_{what}",
            slug(&format!("{identifier} {version}"))
        )
    }

    /// The Dutch name of the link.
    pub fn label(self) -> &'static str {
        match self {
            Format::Long => "CSV, lang",
            Format::Wide => "CSV, breed",
            Format::Xlsx => "Excel (XLSX)",
            Format::Json => "JSON",
            Format::Codebook => "Codeboek (CSV)",
        }
    }

    /// One line about what the file holds, in Dutch.
    pub fn explanation(self) -> &'static str {
        match self {
            Format::Long => {
                "Eén regel per regio en vraag (bij een tabelvraag per rij), met een statuscode en de waarde."
            }
            Format::Wide => {
                "Eén regel per regio, één kolom per vraag (tabelvragen: vraag.rij; meerdere keuzes gescheiden door ;). Zonder antwoord staat er een code."
            }
            Format::Xlsx => {
                "Een tabblad per onderdeel (regio's × vragen), met een tabblad Info en het Codeboek."
            }
            Format::Json => {
                "Alle regio's met per vraag status en waarde, met de meting, de versie en de codes."
            }
            Format::Codebook => {
                "Per vraag: onderdeel, vraagtekst, type, antwoordcodes, eenheid, verplicht, voorwaarde en herkomst."
            }
        }
    }
}
