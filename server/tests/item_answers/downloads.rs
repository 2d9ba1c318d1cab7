//! The CSV and XLSX downloads: the same rows in the same order as the table, every cell safe
//! for a spreadsheet.

use super::*;

#[tokio::test]
async fn the_downloads_hold_exactly_the_rows_the_table_shows() {
    on_every_database(|state| async move {
        let case = Case::start(state).await;
        let query = "?vraag=a_contactpersoon&sorteer=antwoord&volgorde=af";
        let reply = case.download("export.csv", query, Some(&case.reviewer)).await;
        assert_eq!(reply.status(), StatusCode::OK);
        assert_eq!(header_of(&reply, header::CONTENT_TYPE), "text/csv; charset=utf-8");
        assert_eq!(
            header_of(&reply, header::CONTENT_DISPOSITION),
            "attachment; filename=\"6e-meting_a-contactpersoon_antwoorden.csv\""
        );
        let csv_bytes = bytes(reply).await;
        let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, ["regio_code", "regio_naam", "status", "antwoord_status", "antwoord", "vorig_antwoord", "gewijzigd"]);
        let records: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        let table = case.rows(&[("item", "a_contactpersoon"), ("sort", "antwoord"), ("order", "af")]).await;
        assert_eq!(records.iter().map(|r| r[0].clone()).collect::<Vec<_>>(), codes(&table), "same rows, same order");
        let two = records.iter().find(|r| r[0] == "R02").unwrap();
        assert_eq!(two[4], "'=SOM(A1)", "no formula reaches a spreadsheet");
        assert_eq!(&two[1..4], ["Friesland", "bezig", "BEANTWOORD"]);
        let one = records.iter().find(|r| r[0] == "R01").unwrap();
        assert_eq!(one[4], "Bezwaren van Omwonenden vertragen de bouw");

        // Filtered: only what the page shows with the same query.
        let reply = case.download("export.csv", "?vraag=b_wonen_eerst&gewijzigd=ja", Some(&case.reviewer)).await;
        let text = String::from_utf8(bytes(reply).await).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "regio_code,regio_naam,status,antwoord_status,antwoord,antwoord_waarde,vorig_antwoord,vorig_waarde,gewijzigd");
        assert_eq!(lines[1..], ["R01,Groningen,bezig,BEANTWOORD,Ja,ja,Nee,nee,ja"]);

        // The workbook: a zip with the sheet Antwoorden, numbers as numbers.
        let reply = case.download("export.xlsx", "?vraag=e_wonen_eerst_plekken", Some(&case.admin)).await;
        assert_eq!(reply.status(), StatusCode::OK);
        assert_eq!(
            header_of(&reply, header::CONTENT_TYPE),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(header_of(&reply, header::CONTENT_DISPOSITION).ends_with("_e-wonen-eerst-plekken_antwoorden.xlsx\""));
        let workbook_bytes = bytes(reply).await;
        assert_eq!(&workbook_bytes[..2], b"PK", "a zip file");
        the_workbook_reads_back(workbook_bytes);
    })
    .await;
}

fn the_workbook_reads_back(bytes: Vec<u8>) {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(workbook.sheet_names(), ["Antwoorden", "Info"]);
    let sheet = workbook.worksheet_range("Antwoorden").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][0], Data::String("regio_code".into()));
    assert_eq!(rows.len(), 4, "a header and three regions");
    let two = rows
        .iter()
        .find(|r| r[0] == Data::String("R02".into()))
        .unwrap();
    assert_eq!(two[4], Data::String("Ongeldige invoer: veel".into()));
    assert_eq!(two[6], Data::String("12 plekken".into()));
    assert_eq!(two[7], Data::Float(12.0), "the previous number as a number");
    let info = workbook.worksheet_range("Info").unwrap();
    let text: Vec<String> = info.rows().flatten().map(|c| c.to_string()).collect();
    assert!(
        text.contains(&"6e meting".to_string())
            && text.contains(&"e_wonen_eerst_plekken".to_string())
    );
}
