//! The XLSX workbook: the wide sheet, the long sheet and the codebook, written row by row
//! to temporary files and zipped into the channel.

use super::csv_files::{codebook_rows, CODEBOOK_HEADER};
use super::json_file::now_rfc3339;
use super::*;
use rust_xlsxwriter::{DocProperties, Format as CellFormat, Workbook};

/// Hands the zipped workbook to the channel from a blocking thread, a chunk at a time.
struct ChannelWriter {
    sender: mpsc::Sender<Chunk>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES));
        self.sender
            .blocking_send(Ok(bytes))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// A sheet per section (regions × items), an Info sheet naming round and version with the
/// codes, the Codeboek sheet, and the Regio's sheet (who filled in, the region's agreement).
/// Section sheets keep their rows in temporary files.
pub(super) async fn xlsx(state: &AppState, export: &Export, sink: Sink) -> Result<(), Failure> {
    let questionnaire = &export.version.questionnaire;
    let bold = CellFormat::new().set_bold();
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} – {} {}",
                export.round.name, questionnaire.identifier, questionnaire.version
            ))
            .set_subject("NAD-monitor export"),
    );
    info_sheet(&mut workbook, export, &bold)?;
    section_sheets(&mut workbook, export, &bold)?;
    codebook_sheet(&mut workbook, export, &bold)?;
    regions_sheet(&mut workbook, &bold)?;
    region_rows(&mut workbook, state, export).await?;
    zip_into(workbook, sink).await
}

/// The first sheet: round, version and the codes a cell may hold instead of an answer.
fn info_sheet(workbook: &mut Workbook, export: &Export, bold: &CellFormat) -> Result<(), Failure> {
    let questionnaire = &export.version.questionnaire;
    let info = workbook.add_worksheet();
    info.set_name("Info").map_err(internal)?;
    let facts = [
        ("Meting", export.round.name.clone()),
        ("Vragenlijst", questionnaire.identifier.clone()),
        ("Versie", questionnaire.version.clone()),
        ("Titel", questionnaire.title.clone()),
        ("Geëxporteerd op", now_rfc3339()),
        ("Regio's", export.participants.len().to_string()),
    ];
    for (row, (name, value)) in facts.iter().enumerate() {
        info.write_string_with_format(row as u32, 0, *name, bold)
            .map_err(internal)?;
        info.write_string(row as u32, 1, value).map_err(internal)?;
    }
    let mut row = facts.len() as u32 + 1;
    info.write_string(
        row,
        0,
        "Elk tabblad met een onderdeel heeft één regel per regio en één kolom per vraag \
         (tabelvragen: vraag.rij; meerdere keuzes gescheiden door ;). Een cel zonder \
         antwoord bevat een van deze codes:",
    )
    .map_err(internal)?;
    row += 1;
    info.write_string_with_format(row, 0, "Code", bold)
        .map_err(internal)?;
    info.write_string_with_format(row, 1, "Betekenis", bold)
        .map_err(internal)?;
    for status in STATUSES.into_iter().filter(|s| *s != Status::Answered) {
        row += 1;
        info.write_string(row, 0, status.code()).map_err(internal)?;
        info.write_string(row, 1, status.meaning())
            .map_err(internal)?;
    }
    info.set_column_width(0, 18).map_err(internal)?;
    info.set_column_width(1, 60).map_err(internal)?;
    Ok(())
}

/// The index of the first section's sheet: right after Info.
const FIRST_SECTION_SHEET: usize = 1;

/// A sheet per section, in the order of the questionnaire, with its header row.
fn section_sheets(
    workbook: &mut Workbook,
    export: &Export,
    bold: &CellFormat,
) -> Result<(), Failure> {
    for section in &export.version.questionnaire.sections {
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(internal)?;
        sheet
            .set_name(sheet_name(&section.key, &section.title))
            .map_err(internal)?;
        let mut column = 0u16;
        for name in ["regio_code", "regio_naam", "status_respons"] {
            sheet
                .write_string_with_format(0, column, name, bold)
                .map_err(internal)?;
            column += 1;
        }
        for item in &section.items {
            for c in columns(item) {
                sheet
                    .write_string_with_format(0, column, &c.name, bold)
                    .map_err(internal)?;
                column += 1;
            }
        }
        sheet.set_freeze_panes(1, 2).map_err(internal)?;
    }
    Ok(())
}

/// The Codeboek sheet: the codebook's lines, as in its CSV file.
fn codebook_sheet(
    workbook: &mut Workbook,
    export: &Export,
    bold: &CellFormat,
) -> Result<(), Failure> {
    let codebook = workbook
        .add_worksheet_with_constant_memory()
        .map_err(internal)?;
    codebook.set_name("Codeboek").map_err(internal)?;
    for (column, name) in CODEBOOK_HEADER.iter().enumerate() {
        codebook
            .write_string_with_format(0, column as u16, *name, bold)
            .map_err(internal)?;
    }
    for (n, line) in codebook_rows(export).iter().enumerate() {
        for (column, text) in line.iter().enumerate() {
            if !text.is_empty() {
                codebook
                    .write_string(n as u32 + 1, column as u16, text)
                    .map_err(internal)?;
            }
        }
    }
    Ok(())
}

/// The columns of the Regio's sheet, the last one: a response's facts beside its answers.
const REGIONS_HEADER: [&str; 6] = [
    "regio_code",
    "regio_naam",
    "status_respons",
    "ingevuld_door",
    "afgestemd_met",
    "afgestemd_op",
];

fn regions_sheet(workbook: &mut Workbook, bold: &CellFormat) -> Result<(), Failure> {
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(internal)?;
    sheet.set_name("Regio's").map_err(internal)?;
    for (column, name) in REGIONS_HEADER.iter().enumerate() {
        sheet
            .write_string_with_format(0, column as u16, *name, bold)
            .map_err(internal)?;
    }
    Ok(())
}

/// Every region's row on every section's sheet (numbers as numbers, the rest as text), and
/// on the Regio's sheet.
async fn region_rows(
    workbook: &mut Workbook,
    state: &AppState,
    export: &Export,
) -> Result<(), Failure> {
    let questionnaire = &export.version.questionnaire;
    let mut regions = read_round(state, export);
    for (n, participant) in export.participants.iter().enumerate() {
        let answers = next_region(&mut regions).await?;
        let (status_code, _) = response_status(participant.status.as_deref());
        let row = n as u32 + 1;
        for (s, section) in questionnaire.sections.iter().enumerate() {
            let sheet = workbook
                .worksheet_from_index(FIRST_SECTION_SHEET + s)
                .map_err(internal)?;
            sheet
                .write_string(row, 0, &participant.region_code)
                .map_err(internal)?;
            sheet
                .write_string(row, 1, &participant.region_name)
                .map_err(internal)?;
            sheet.write_string(row, 2, status_code).map_err(internal)?;
            let mut column = 3u16;
            for item in &section.items {
                for value in export_item(item, answers.status(&item.key), answers.stored(&item.key))
                {
                    match (value.status, value.number) {
                        (Status::Answered, Some(number)) => {
                            sheet.write_number(row, column, number).map_err(internal)?;
                        }
                        _ => {
                            sheet
                                .write_string(row, column, value.cell())
                                .map_err(internal)?;
                        }
                    }
                    column += 1;
                }
            }
        }
        let regions = workbook
            .worksheet_from_index(FIRST_SECTION_SHEET + questionnaire.sections.len() + 1)
            .map_err(internal)?;
        let agreement = participant.agreement.as_ref();
        let facts = [
            participant.region_code.clone(),
            participant.region_name.clone(),
            status_code.to_string(),
            participant.filled_in_by.code().to_string(),
            agreement.map(|a| a.with.clone()).unwrap_or_default(),
            agreement.map(|a| input_date(a.on)).unwrap_or_default(),
        ];
        for (column, text) in facts.iter().enumerate() {
            if !text.is_empty() {
                regions
                    .write_string(row, column as u16, text)
                    .map_err(internal)?;
            }
        }
        // Yield now and then: the rows go to temporary files, nothing is sent yet.
        tokio::task::yield_now().await;
    }
    Ok(())
}

/// Zips the workbook into the channel from a blocking thread; a client that went away ends
/// it as `Gone`.
async fn zip_into(workbook: Workbook, sink: Sink) -> Result<(), Failure> {
    let sender = sink.sender.clone();
    let saved = tokio::task::spawn_blocking(move || {
        let mut workbook = workbook;
        let mut writer = ChannelWriter {
            sender,
            buffer: Vec::with_capacity(CHUNK_BYTES),
        };
        workbook.save_to_writer(&mut writer)?;
        writer.flush()?;
        Ok::<_, rust_xlsxwriter::XlsxError>(())
    })
    .await
    .map_err(internal)?;
    match saved {
        Ok(()) => Ok(()),
        Err(rust_xlsxwriter::XlsxError::IoError(error))
            if error.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            Err(Failure::Gone)
        }
        Err(error) => Err(internal(error)),
    }
}
