//! Hostile and broken files: zip bombs, forged sizes and counts, encrypted workbooks, files
//! in disguise, truncated and random bytes. Each is refused with its own Vietnamese reason,
//! by the pure reader and by `chamlo import --dry-run` (exit status 2, one line). None may
//! abort the process, which is what several of them did before the guard (calamine trusted
//! their sizes). The files are generated here, so the repository stays small; what the fuzzer
//! found is kept in tests/fixtures/hostile/fuzz-regressions/ and replayed.

use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

use chamlo::import::guard::{MAX_WORKBOOK_CELLS, MAX_ZIP_ENTRIES};
use chamlo::import::seed_context::seed_context;
use chamlo::import::{ImportContext, ParsedList, ReadError, read_ward_file};
use zip::write::SimpleFileOptions;

use crate::cli::run_chamlo;
use crate::helpers::TestApp;

/// The seeded catalogue and wards, without a database.
fn context() -> ImportContext {
    seed_context(2026)
}

fn read(name: &str, bytes: &[u8]) -> Result<ParsedList, ReadError> {
    read_ward_file(name, bytes, &context())
}

fn refused(name: &str, bytes: &[u8]) -> ReadError {
    match read(name, bytes) {
        Ok(list) => panic!("{name} was read ({} rows)", list.rows.len()),
        Err(err) => err,
    }
}

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("import-samples")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---- building workbooks by hand -----------------------------------------------------------

/// The header and one person, as inline-string cells (row 1 and 2).
const LIST_ROWS: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c><c r="B1" t="inlineStr"><is><t>Họ và tên</t></is></c><c r="C1" t="inlineStr"><is><t>Năm sinh</t></is></c><c r="D1" t="inlineStr"><is><t>Đối tượng</t></is></c><c r="E1" t="inlineStr"><is><t>Số tiền</t></is></c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>Nguyễn Văn Tám</t></is></c><c r="C2"><v>1950</v></c><c r="D2" t="inlineStr"><is><t>Thương binh</t></is></c><c r="E2"><v>600000</v></c></row>"#;

fn sheet_xml(dimension: &str, rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>"#
    )
}

/// A minimal .xlsx: one sheet, optional shared strings, optional extra parts.
fn xlsx(sheet: &str, shared_strings: Option<&str>, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    let mut part = |name: &str, body: &[u8]| {
        zip.start_file(name, options).expect("zip part");
        zip.write_all(body).expect("zip write");
    };
    part(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>"#.as_bytes(),
    );
    part(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    part("xl/worksheets/sheet1.xml", sheet.as_bytes());
    if let Some(sst) = shared_strings {
        part("xl/sharedStrings.xml", sst.as_bytes());
    }
    for (name, body) in extra {
        part(name, body);
    }
    zip.finish().expect("zip finished").into_inner()
}

/// Rewrites the uncompressed size that the central directory (and the local header) declare
/// for the entry `name`.
fn forge_uncompressed_size(mut zip: Vec<u8>, name: &str, size: u32) -> Vec<u8> {
    let patch =
        |zip: &mut Vec<u8>, signature: &[u8], len_at: usize, name_at: usize, size_at: usize| {
            let mut at = 0;
            while let Some(found) = zip[at..]
                .windows(4)
                .position(|w| w == signature)
                .map(|p| p + at)
            {
                let name_len = u16::from_le_bytes([zip[found + len_at], zip[found + len_at + 1]]);
                let start = found + name_at;
                if zip.get(start..start + usize::from(name_len)) == Some(name.as_bytes()) {
                    zip[found + size_at..found + size_at + 4].copy_from_slice(&size.to_le_bytes());
                }
                at = found + 4;
            }
        };
    // Local header: uncompressed size at 22, name length at 26, name at 30.
    patch(&mut zip, b"PK\x03\x04", 26, 30, 22);
    // Central directory header: uncompressed size at 24, name length at 28, name at 46.
    patch(&mut zip, b"PK\x01\x02", 28, 46, 24);
    zip
}

/// An OLE compound file holding the given streams.
fn ole(streams: &[(&str, &[u8])]) -> Vec<u8> {
    // Version 3 (512-byte sectors), as Excel writes .xls files.
    let mut file =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
            .expect("cfb created");
    for (name, body) in streams {
        let mut stream = file.create_stream(format!("/{name}")).expect("stream");
        stream.write_all(body).expect("stream written");
    }
    file.flush().expect("cfb flushed");
    file.into_inner().into_inner()
}

/// The BIFF records of the sample .xls's workbook stream, to forge variants of it.
fn sample_xls_records() -> Vec<(u16, Vec<u8>)> {
    let bytes = sample("03-long-binh-tcvn3.xls");
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).expect("sample is OLE");
    let mut stream = Vec::new();
    file.open_stream("/Workbook")
        .expect("workbook stream")
        .read_to_end(&mut stream)
        .expect("stream read");
    let mut records = Vec::new();
    let mut pos = 0;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
        records.push((typ, stream[pos + 4..pos + 4 + len].to_vec()));
        pos += 4 + len;
    }
    records
}

/// An .xls whose workbook stream holds `records` (BOUNDSHEET offsets are recomputed so that
/// calamine still finds the sheets).
fn xls(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut records = records.to_vec();
    let offsets: Vec<usize> = records
        .iter()
        .scan(0, |at, (_, data)| {
            let here = *at;
            *at += 4 + data.len();
            Some(here)
        })
        .collect();
    let bofs: Vec<usize> = records
        .iter()
        .zip(&offsets)
        .filter(|((typ, _), _)| *typ == 0x0809)
        .map(|(_, at)| *at)
        .skip(1)
        .collect();
    for ((typ, data), bof) in records
        .iter_mut()
        .filter(|(typ, _)| *typ == 0x0085)
        .zip(bofs)
    {
        let _ = typ;
        data[..4].copy_from_slice(&(bof as u32).to_le_bytes());
    }
    let mut stream = Vec::new();
    for (typ, data) in &records {
        stream.extend_from_slice(&typ.to_le_bytes());
        stream.extend_from_slice(&(data.len() as u16).to_le_bytes());
        stream.extend_from_slice(data);
    }
    ole(&[("Workbook", &stream)])
}

fn is_cell_record(typ: u16) -> bool {
    matches!(typ, 0x0203 | 0x0204 | 0x00FD | 0x027E)
}

// ---- the pure reader --------------------------------------------------------------------

#[test]
fn the_hand_built_workbooks_are_read_when_honest() {
    let list = read(
        "honest.xlsx",
        &xlsx(&sheet_xml("A1:E2", LIST_ROWS), None, &[]),
    )
    .expect("an honest workbook is read");
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.rows[0].full_name.as_deref(), Some("Nguyễn Văn Tám"));
    let list = read("honest.xls", &xls(&sample_xls_records())).expect("rebuilt .xls is read");
    assert!(!list.rows.is_empty());
}

#[test]
fn a_zip_bomb_of_zeros_is_refused_before_it_is_inflated() {
    // 16 MB of zeros deflate to about 16 KB: a 1000:1 bomb in miniature (the same check
    // stops a 17 MB upload that would inflate to gigabytes).
    let zeros = vec![0u8; 16 * 1024 * 1024];
    let bomb = xlsx(
        &sheet_xml("A1:E2", LIST_ROWS),
        None,
        &[("xl/media/image1.bin", &zeros)],
    );
    assert!(bomb.len() < 200 * 1024, "the bomb is small: {}", bomb.len());
    let err = refused("bom.xlsx", &bomb);
    assert!(matches!(err, ReadError::Unsafe { .. }), "{err:?}");
    assert!(err.to_string().contains("nén bất thường"));
}

#[test]
fn a_sheet_declared_to_inflate_to_gigabytes_is_refused() {
    let forged = forge_uncompressed_size(
        xlsx(&sheet_xml("A1:E2", LIST_ROWS), None, &[]),
        "xl/worksheets/sheet1.xml",
        4_000_000_000,
    );
    assert!(matches!(
        refused("khai-gian.xlsx", &forged),
        ReadError::Unsafe { .. }
    ));
}

#[test]
fn a_sheet_that_inflates_beyond_its_declared_size_is_damaged_not_read() {
    // The central directory says 100 bytes; the stream holds more: the zip reader stops at
    // the declared size, so the lie costs nothing and the file is reported damaged.
    let forged = forge_uncompressed_size(
        xlsx(&sheet_xml("A1:E2", LIST_ROWS), None, &[]),
        "xl/worksheets/sheet1.xml",
        100,
    );
    assert!(matches!(
        refused("nho-gian.xlsx", &forged),
        ReadError::Corrupt { .. }
    ));
}

#[test]
fn a_workbook_inflating_past_the_total_limit_is_too_large() {
    // Three parts of 1 MB of noise (deflate cannot shrink it), each declared as 95 MB: every
    // ratio stays under 100:1 but the total is 285 MB.
    let mut noise = vec![0u8; 1024 * 1024];
    let mut x = 0x2545_f491_u32;
    for b in &mut noise {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    let names = ["xl/media/a.bin", "xl/media/b.bin", "xl/media/c.bin"];
    let mut book = xlsx(
        &sheet_xml("A1:E2", LIST_ROWS),
        None,
        &[(names[0], &noise), (names[1], &noise), (names[2], &noise)],
    );
    for name in names {
        book = forge_uncompressed_size(book, name, 95 * 1024 * 1024);
    }
    assert_eq!(refused("lon.xlsx", &book), ReadError::TooLarge);
}

#[test]
fn a_zip_with_too_many_parts_is_refused() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..=MAX_ZIP_ENTRIES {
        zip.start_file(format!("xl/p{i}.xml"), options)
            .expect("zip part");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    assert!(matches!(
        refused("nhieu-phan.xlsx", &bytes),
        ReadError::Unsafe { .. }
    ));
}

#[test]
fn a_forged_shared_strings_count_is_refused_instead_of_reserving_terabytes() {
    // calamine reserves room for uniqueCount strings as it opens the file: without the guard
    // this aborted the whole process.
    let sst = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000"><si><t>Họ và tên</t></si></sst>"#;
    let book = xlsx(&sheet_xml("A1:E2", LIST_ROWS), Some(sst), &[]);
    assert_eq!(refused("sst.xlsx", &book), ReadError::TooLarge);
}

#[test]
fn a_forged_dimension_and_a_stray_far_cell_do_not_allocate_the_whole_sheet() {
    // <dimension ref="A1:XFD1048576"/> and a cell in the very last one: calamine would
    // allocate 17 billion cells for the range between. Cells past the limits are not read,
    // so the list itself still comes through.
    let rows = format!(
        r#"{LIST_ROWS}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#
    );
    let list = read(
        "o-lac.xlsx",
        &xlsx(&sheet_xml("A1:XFD1048576", &rows), None, &[]),
    )
    .expect("the list is read");
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.cells.height(), 2);
}

#[test]
fn cells_spanning_more_than_the_cell_limit_within_the_read_area_are_refused() {
    // A1 and CV199999 are both within the rows and columns read, and span 20 million cells.
    let rows = format!(
        r#"{LIST_ROWS}<row r="199999"><c r="CV199999" t="inlineStr"><is><t>x</t></is></c></row>"#
    );
    let err = refused(
        "rong.xlsx",
        &xlsx(&sheet_xml("A1:CV199999", &rows), None, &[]),
    );
    assert_eq!(
        err,
        ReadError::SheetTooLarge {
            sheet: "Danh sách".to_owned()
        }
    );
    assert!(err.to_string().contains("“Danh sách”"));
    const { assert!(200_000u64 * 100 > MAX_WORKBOOK_CELLS) };
}

#[test]
fn an_xls_with_cells_far_apart_is_refused_before_calamine_builds_its_grid() {
    // Move the sheet's last cell to row 65536, column IV: calamine builds every sheet's
    // 65,536 × 256 grid as it opens the file.
    let mut records = sample_xls_records();
    let last = records
        .iter()
        .rposition(|(typ, _)| is_cell_record(*typ))
        .expect("a cell record");
    records[last].1[..4].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
    assert!(matches!(
        refused("xa.xls", &xls(&records)),
        ReadError::SheetTooLarge { .. }
    ));
}

#[test]
fn an_xls_with_a_forged_dimensions_record_is_refused() {
    // Last row before the first: calamine's subtraction wraps to four billion rows.
    let mut records = sample_xls_records();
    let dims = records
        .iter()
        .position(|(typ, _)| *typ == 0x0200)
        .expect("a DIMENSIONS record");
    records[dims].1[..8].copy_from_slice(&[0x10, 0, 0, 0, 0x05, 0, 0, 0]);
    assert!(matches!(
        refused("dimensions.xls", &xls(&records)),
        ReadError::SheetTooLarge { .. }
    ));
}

#[test]
fn an_xls_with_filepass_is_encrypted() {
    let mut records = sample_xls_records();
    // FILEPASS (RC4) right after the globals' BOF.
    records.insert(1, (0x002F, vec![1, 0, 1, 0, 1, 0]));
    let err = refused("mat-khau.xls", &xls(&records));
    assert_eq!(err, ReadError::Encrypted);
    assert!(err.to_string().contains("mật khẩu"));
}

#[test]
fn an_encrypted_xlsx_is_recognised_from_its_ole_streams() {
    // What Excel writes for "Encrypt with password": an OLE file with these two streams.
    let encrypted = ole(&[
        ("EncryptionInfo", &[4, 0, 4, 0, 0x40, 0, 0, 0][..]),
        ("EncryptedPackage", &[0x5A; 4096][..]),
    ]);
    assert_eq!(refused("mat-khau.xlsx", &encrypted), ReadError::Encrypted);
}

#[test]
fn an_ods_repeating_a_cell_over_a_million_rows_is_refused() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Bom"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" table:number-columns-repeated="1000"><text:p>Nguyễn Văn Tám</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).expect("part");
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("write");
    zip.start_file("content.xml", SimpleFileOptions::default())
        .expect("part");
    zip.write_all(content.as_bytes()).expect("write");
    let bytes = zip.finish().expect("zip").into_inner();
    assert_eq!(
        refused("lap.ods", &bytes),
        ReadError::SheetTooLarge {
            sheet: "Bom".to_owned()
        }
    );
}

#[test]
fn a_truncated_workbook_is_damaged() {
    for name in ["01-hiep-phu-nguoi-co-cong.xlsx", "03-long-binh-tcvn3.xls"] {
        let bytes = sample(name);
        let err = refused(name, &bytes[..bytes.len() / 2]);
        assert!(matches!(err, ReadError::Corrupt { .. }), "{name}: {err:?}");
    }
}

#[test]
fn files_in_disguise_empty_and_random_files_each_get_their_reason() {
    assert_eq!(refused("rong.xlsx", b""), ReadError::Empty);
    assert_eq!(refused("rong.xlsx", b" \r\n\t "), ReadError::Empty);
    assert_eq!(
        refused(
            "danh-sach.xlsx",
            "STT,Họ và tên,Năm sinh,Đối tượng\r\n1,Nguyễn Văn Tám,1950,TB\r\n".as_bytes()
        ),
        ReadError::Csv
    );
    assert_eq!(
        refused(
            "danh-sach.xlsx",
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n"
        ),
        ReadError::Pdf
    );
    assert_eq!(
        refused(
            "danh-sach.xlsx",
            b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>"
        ),
        ReadError::WebPage
    );
    assert_eq!(
        refused("danh-sach.xlsx", &random_bytes(4096)),
        ReadError::NotSpreadsheet
    );
    // A zip that is not a workbook (a Word document, say).
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("word/document.xml", SimpleFileOptions::default())
        .expect("part");
    zip.write_all(b"<w:document/>").expect("write");
    let docx = zip.finish().expect("zip").into_inner();
    assert_eq!(refused("thu.xlsx", &docx), ReadError::NotSpreadsheet);
}

#[test]
fn every_reason_is_one_line_of_vietnamese() {
    let reasons = [
        ReadError::Empty,
        ReadError::Csv,
        ReadError::Pdf,
        ReadError::WebPage,
        ReadError::NotSpreadsheet,
        ReadError::Encrypted,
        ReadError::TooLarge,
        ReadError::Unsafe {
            detail: String::new(),
        },
        ReadError::SheetTooLarge {
            sheet: "Danh sách".to_owned(),
        },
        ReadError::Corrupt {
            detail: String::new(),
        },
    ];
    let mut seen = std::collections::HashSet::new();
    for reason in reasons {
        let text = reason.to_string();
        assert!(!text.contains('\n'), "{text}");
        assert!(
            text.contains("Tệp") || text.contains("Trang tính"),
            "{text}"
        );
        assert!(
            seen.insert(text.clone()),
            "two kinds share a reason: {text}"
        );
    }
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut x = 0x9E37_79B9_u32;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// The crafted files worth keeping as seeds for the fuzzer and as fixtures replayed below:
/// each made calamine abort the process, or allocate gigabytes, before the guard. Regenerate
/// with `cargo test --test it -- --ignored write_crafted_fixtures`.
fn crafted() -> Vec<(&'static str, Vec<u8>)> {
    let sst = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000"><si><t>x</t></si></sst>"#;
    let far = format!(
        r#"{LIST_ROWS}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#
    );
    let mut far_xls = sample_xls_records();
    if let Some(last) = far_xls.iter().rposition(|(typ, _)| is_cell_record(*typ)) {
        far_xls[last].1[..4].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
    }
    let mut dims_xls = sample_xls_records();
    if let Some(dims) = dims_xls.iter().position(|(typ, _)| *typ == 0x0200) {
        dims_xls[dims].1[..8].copy_from_slice(&[0x10, 0, 0, 0, 0x05, 0, 0, 0]);
    }
    vec![
        (
            "shared-strings-count.xlsx",
            xlsx(&sheet_xml("A1:E2", LIST_ROWS), Some(sst), &[]),
        ),
        (
            "far-cell.xlsx",
            xlsx(&sheet_xml("A1:XFD1048576", &far), None, &[]),
        ),
        ("far-cell.xls", xls(&far_xls)),
        ("dimensions.xls", xls(&dims_xls)),
    ]
}

#[test]
#[ignore = "writes tests/fixtures/hostile/: run by hand to regenerate the crafted fixtures"]
fn write_crafted_fixtures() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/crafted");
    std::fs::create_dir_all(&dir).expect("folder");
    for (name, bytes) in crafted() {
        std::fs::write(dir.join(name), bytes).expect("fixture written");
    }
}

#[test]
fn the_crafted_fixtures_are_refused_or_read_safely() {
    for (name, bytes) in crafted() {
        match read(name, &bytes) {
            Ok(list) => assert_eq!(list.rows.len(), 1, "{name}"),
            Err(err) => assert!(
                matches!(err, ReadError::TooLarge | ReadError::SheetTooLarge { .. }),
                "{name}: {err:?}"
            ),
        }
    }
}

#[test]
fn every_hostile_fixture_and_fuzzer_finding_is_answered() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let mut count = 0;
    for folder in ["crafted", "fuzz-regressions"] {
        for entry in std::fs::read_dir(root.join(folder)).expect("fixtures folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("fixture");
            // Either answer will do; not answering (an abort, a hang, a panic escaping) is
            // the bug these files once triggered.
            let _ = read("fuzz.xlsx", &bytes);
            count += 1;
        }
    }
    assert!(count > 0, "no fixtures in {}", root.display());
}

// ---- the command line ---------------------------------------------------------------------

#[tokio::test]
async fn chamlo_import_refuses_each_hostile_file_with_its_reason_and_status_2() {
    let app = TestApp::spawn().await;
    let dir = std::env::temp_dir().join(format!("chamlo-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let zeros = vec![0u8; 16 * 1024 * 1024];
    let cases: Vec<(&str, Vec<u8>, ReadError)> = vec![
        ("rong.xlsx", Vec::new(), ReadError::Empty),
        (
            "csv.xlsx",
            b"STT,Ho va ten\n1,Nguyen Van Tam\n".to_vec(),
            ReadError::Csv,
        ),
        ("pdf.xlsx", b"%PDF-1.4\n".to_vec(), ReadError::Pdf),
        (
            "web.xls",
            b"<html><table><tr><td>1</td></tr></table></html>".to_vec(),
            ReadError::WebPage,
        ),
        (
            "ngau-nhien.xlsx",
            random_bytes(2048),
            ReadError::NotSpreadsheet,
        ),
        (
            "mat-khau.xlsx",
            ole(&[
                ("EncryptionInfo", &[4, 0, 4, 0][..]),
                ("EncryptedPackage", &[0x5A; 4096][..]),
            ]),
            ReadError::Encrypted,
        ),
        (
            "bom.xlsx",
            xlsx(
                &sheet_xml("A1:E2", LIST_ROWS),
                None,
                &[("xl/media/z.bin", &zeros)],
            ),
            ReadError::Unsafe {
                detail: String::new(),
            },
        ),
        (
            "cat-doi.xlsx",
            sample("01-hiep-phu-nguoi-co-cong.xlsx")[..3000].to_vec(),
            ReadError::Corrupt {
                detail: String::new(),
            },
        ),
    ];
    for (name, bytes, reason) in cases {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).expect("file written");
        let output = run_chamlo(
            &app,
            &["import", path.to_str().expect("utf-8 path"), "--dry-run"],
            &[],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!("chamlo: {name}: {reason}"),
            "{name}: the reason on one line"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
