//! Every workbook is read back with calamine (values) and unzipped (print setup, styles),
//! the way a ward's Excel or LibreOffice would see it.

use std::io::{Cursor, Read};

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};

use super::*;
use chamlo_vn::identity::Gender;
use chamlo_vn::money_words::amount_in_words;
use chamlo_vn::states::EntryStatus;

mod constant_memory;

const MERIT: i64 = 1;
const MARTYR_FAMILY: i64 = 2;
const POOR: i64 = 3;
const HIV: i64 = 4;

fn categories() -> Vec<Category> {
    vec![
        Category {
            id: POOR,
            name: "Hộ nghèo".into(),
            sort_order: 3,
            sensitive: false,
        },
        Category {
            id: MERIT,
            name: "Người có công với cách mạng".into(),
            sort_order: 1,
            sensitive: false,
        },
        Category {
            id: HIV,
            name: "Người nhiễm HIV thuộc hộ nghèo".into(),
            sort_order: 4,
            sensitive: true,
        },
        Category {
            id: MARTYR_FAMILY,
            name: "Thân nhân liệt sĩ".into(),
            sort_order: 2,
            sensitive: false,
        },
    ]
}

#[expect(
    clippy::too_many_arguments,
    reason = "a table of test rows reads best flat"
)]
fn entry(
    entry_id: i64,
    full_name: &str,
    birth_year: Option<i32>,
    gender: Option<Gender>,
    id_number: Option<&str>,
    category_id: i64,
    amount: i64,
    note: &str,
) -> SigningEntry {
    SigningEntry {
        entry_id,
        full_name: full_name.into(),
        birth_year,
        gender,
        address: format!("{} Lã Xuân Oai", 10 + entry_id),
        quarter: "KP 3".into(),
        id_number: id_number.map(Into::into),
        category_id,
        amount,
        note: note.into(),
        former_ward: None,
    }
}

fn program() -> Program {
    Program {
        id: 7,
        name: "Quà của Thành phố".into(),
        funding: FundingSource::City,
        sponsor_name: None,
        budget: Some(20_000_000),
    }
}

fn long_binh() -> SigningSheet {
    use Gender::{Female, Male};
    SigningSheet {
        parent_unit: "Quận 9".into(),
        ward: "Phường Long Bình".into(),
        place: "Quận 9".into(),
        date: NaiveDate::from_ymd_opt(2021, 2, 5),
        campaign_year: 2021,
        program: program(),
        approved: true,
        reference: Some("(Kèm theo Quyết định số 12/QĐ-UBND ngày 20/01/2021)".into()),
        categories: categories(),
        entries: vec![
            entry(
                101,
                "Trần Thị Bình",
                Some(1950),
                Some(Female),
                Some("079150000123"),
                MERIT,
                1_500_000,
                "",
            ),
            entry(
                102,
                "Nguyễn Văn An",
                Some(1948),
                Some(Male),
                Some("079048000456"),
                MERIT,
                1_500_000,
                "+ Con liệt sĩ",
            ),
            entry(
                103,
                "Lê Văn Đức",
                Some(1960),
                Some(Male),
                None,
                MARTYR_FAMILY,
                1_005_000,
                "=1+1",
            ),
            entry(
                104,
                "Phạm Thị Dung",
                None,
                None,
                Some("079160000789"),
                MARTYR_FAMILY,
                1_050_000,
                "@ghi chú",
            ),
            entry(
                105,
                "Võ Văn Tư",
                Some(1970),
                Some(Male),
                None,
                POOR,
                600_000,
                "-",
            ),
            entry(
                106,
                "Huỳnh Thị Ánh",
                Some(1980),
                Some(Female),
                None,
                POOR,
                600_000,
                "Hộ có 4 nhân khẩu",
            ),
            entry(
                107,
                "Đỗ Văn Kín",
                Some(1975),
                Some(Male),
                Some("079075000999"),
                HIV,
                600_000,
                "Không được in",
            ),
        ],
        signers: Signers {
            preparer: Some("Nguyễn Thị Lập".into()),
            accountant: None,
            chairman: Some("Trần Văn Chủ".into()),
        },
    }
}

/// All sheets of a workbook: name and values.
fn read_back(bytes: &[u8]) -> Vec<(String, Range<Data>)> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("readable workbook");
    workbook
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).expect("readable sheet");
            (name, range)
        })
        .collect()
}

fn at(range: &Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn s(text: &str) -> Data {
    Data::String(text.into())
}

fn n(value: f64) -> Data {
    Data::Float(value)
}

/// Every cell's text, to search for things that must not be there.
fn all_text(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (name, range) in read_back(bytes) {
        out.push_str(&name);
        out.push('\n');
        for row in range.rows() {
            for cell in row {
                out.push_str(&cell.to_string());
                out.push('\t');
            }
            out.push('\n');
        }
    }
    out
}

/// A file of the xlsx package, as text.
fn unzip(bytes: &[u8], path: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("xlsx is a zip");
    let mut file = archive.by_name(path).expect("part present");
    let mut text = String::new();
    file.read_to_string(&mut text).expect("utf-8 part");
    text
}

/// The `<xf>` entries of `cellXfs` in styles.xml, in index order.
fn cell_xfs(styles: &str) -> Vec<String> {
    let start = styles.find("<cellXfs").expect("cellXfs");
    let end = styles[start..].find("</cellXfs>").expect("cellXfs end") + start;
    styles[start..end]
        .split("<xf ")
        .skip(1)
        .map(str::to_owned)
        .collect()
}

/// The style index of a cell in a sheet's XML.
fn cell_style(sheet_xml: &str, cell_ref: &str) -> usize {
    let needle = format!("<c r=\"{cell_ref}\"");
    let start = sheet_xml.find(&needle).expect("cell present");
    let tag_end = sheet_xml[start..].find('>').expect("tag end") + start;
    let tag = &sheet_xml[start..tag_end];
    tag.split(" s=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn signing_sheet_reads_back_with_every_value_in_place() {
    let bytes = write_signing_sheet(&long_binh()).expect("written");
    let sheets = read_back(&bytes);
    assert_eq!(sheets.len(), 1);
    let (name, r) = &sheets[0];
    assert_eq!(name, "Phường Long Bình");

    // Heading block.
    assert_eq!(at(r, 0, 0), s("ỦY BAN NHÂN DÂN QUẬN 9"));
    assert_eq!(at(r, 1, 0), s("ỦY BAN NHÂN DÂN PHƯỜNG LONG BÌNH"));
    assert_eq!(at(r, 0, 6), s("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert_eq!(at(r, 1, 6), s("Độc lập - Tự do - Hạnh phúc"));
    assert_eq!(
        at(r, 3, 0),
        s("DANH SÁCH KÝ NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021")
    );
    assert_eq!(at(r, 4, 0), s("Chương trình: Quà của Thành phố"));
    assert_eq!(at(r, 5, 0), s("Nguồn kinh phí: Ngân sách thành phố"));
    assert_eq!(
        at(r, 6, 0),
        s("(Kèm theo Quyết định số 12/QĐ-UBND ngày 20/01/2021)")
    );

    let headers: Vec<Data> = (0..12).map(|c| at(r, 8, c)).collect();
    let expected: Vec<Data> = [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "Giới tính",
        "Địa chỉ",
        "Khu phố",
        "Số CCCD",
        "Đối tượng",
        "Số tiền (đồng)",
        "Ký nhận",
        "Ghi chú",
        "Mã dòng",
    ]
    .into_iter()
    .map(s)
    .collect();
    assert_eq!(headers, expected);

    // Rows: section, people (sorted by given name), subtotal; per category in order.
    let row = |r_: u32| -> Vec<Data> { (0..12).map(|c| at(r, r_, c)).collect() };
    let person = |stt: f64,
                  name: &str,
                  year: Option<f64>,
                  gender: &str,
                  addr: &str,
                  cccd: &str,
                  cat: &str,
                  amount: f64,
                  note: &str,
                  id: &str| {
        vec![
            n(stt),
            s(name),
            year.map_or(Data::Empty, n),
            if gender.is_empty() {
                Data::Empty
            } else {
                s(gender)
            },
            s(addr),
            s("KP 3"),
            if cccd.is_empty() {
                Data::Empty
            } else {
                s(cccd)
            },
            s(cat),
            n(amount),
            Data::Empty,
            if note.is_empty() {
                Data::Empty
            } else {
                s(note)
            },
            s(id),
        ]
    };
    let merit = "Người có công với cách mạng";
    let martyr = "Thân nhân liệt sĩ";
    let poor = "Hộ nghèo";
    assert_eq!(at(r, 9, 0), s("I"));
    assert_eq!(at(r, 9, 1), s(merit));
    assert_eq!(
        row(10),
        person(
            1.0,
            "Nguyễn Văn An",
            Some(1948.0),
            "Nam",
            "112 Lã Xuân Oai",
            "079048000456",
            merit,
            1_500_000.0,
            "+ Con liệt sĩ",
            "102"
        )
    );
    assert_eq!(
        row(11),
        person(
            2.0,
            "Trần Thị Bình",
            Some(1950.0),
            "Nữ",
            "111 Lã Xuân Oai",
            "079150000123",
            merit,
            1_500_000.0,
            "",
            "101"
        )
    );
    assert_eq!(at(r, 12, 1), s("Cộng"));
    assert_eq!(at(r, 12, 2), s("Số người: 2"));
    assert_eq!(at(r, 12, 8), n(3_000_000.0));

    assert_eq!(at(r, 13, 0), s("II"));
    assert_eq!(at(r, 13, 1), s(martyr));
    // d before đ: Dung before Đức.
    assert_eq!(
        row(14),
        person(
            3.0,
            "Phạm Thị Dung",
            None,
            "",
            "114 Lã Xuân Oai",
            "079160000789",
            martyr,
            1_050_000.0,
            "@ghi chú",
            "104"
        )
    );
    assert_eq!(
        row(15),
        person(
            4.0,
            "Lê Văn Đức",
            Some(1960.0),
            "Nam",
            "113 Lã Xuân Oai",
            "",
            martyr,
            1_005_000.0,
            "=1+1",
            "103"
        )
    );
    assert_eq!(at(r, 16, 8), n(2_055_000.0));

    assert_eq!(at(r, 17, 0), s("III"));
    assert_eq!(at(r, 17, 1), s(poor));
    assert_eq!(
        row(18),
        person(
            5.0,
            "Huỳnh Thị Ánh",
            Some(1980.0),
            "Nữ",
            "116 Lã Xuân Oai",
            "",
            poor,
            600_000.0,
            "Hộ có 4 nhân khẩu",
            "106"
        )
    );
    assert_eq!(
        row(19),
        person(
            6.0,
            "Võ Văn Tư",
            Some(1970.0),
            "Nam",
            "115 Lã Xuân Oai",
            "",
            poor,
            600_000.0,
            "-",
            "105"
        )
    );
    assert_eq!(at(r, 20, 8), n(1_200_000.0));

    // Total, words, date, signatures.
    assert_eq!(at(r, 21, 1), s("Tổng cộng"));
    assert_eq!(at(r, 21, 2), s("Số người: 6"));
    assert_eq!(at(r, 21, 8), n(6_255_000.0));
    assert_eq!(
        at(r, 22, 0),
        s("Bằng chữ: Sáu triệu hai trăm năm mươi lăm nghìn đồng.")
    );
    assert_eq!(at(r, 24, 6), s("Quận 9, ngày 05 tháng 02 năm 2021"));
    assert_eq!(at(r, 25, 1), s("Người lập biểu"));
    assert_eq!(at(r, 25, 4), s("Kế toán"));
    assert_eq!(at(r, 25, 6), s("TM. ỦY BAN NHÂN DÂN"));
    assert_eq!(at(r, 26, 1), s("(Ký, ghi rõ họ tên)"));
    assert_eq!(at(r, 26, 4), s("(Ký, ghi rõ họ tên)"));
    assert_eq!(at(r, 26, 6), s("CHỦ TỊCH"));
    assert_eq!(at(r, 31, 1), s("Nguyễn Thị Lập"));
    assert_eq!(at(r, 31, 4), Data::Empty);
    assert_eq!(at(r, 31, 6), s("Trần Văn Chủ"));
    assert_eq!(r.end().map(|(row, _)| row), Some(31));
}

#[test]
fn totals_are_formulas_with_their_results_cached() {
    let bytes = write_signing_sheet(&long_binh()).expect("written");
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(&bytes)).expect("readable");
    let formulas = workbook
        .worksheet_formula("Phường Long Bình")
        .expect("formulas");
    assert_eq!(
        formulas.get_value((12, 8)).map(String::as_str),
        Some("SUBTOTAL(9,I11:I12)")
    );
    assert_eq!(
        formulas.get_value((21, 8)).map(String::as_str),
        Some("SUBTOTAL(9,I10:I21)")
    );
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains("<f>SUBTOTAL(9,I10:I21)</f><v>6255000</v>"),
        "{xml}"
    );
}

#[test]
fn bang_chu_is_right_for_many_totals() {
    for amount in [
        0,
        15,
        21,
        105,
        1_005_000,
        1_050_000,
        13_900_000,
        1_000_000_000,
    ] {
        let mut sheet = long_binh();
        sheet.entries = vec![entry(
            1,
            "Nguyễn Văn An",
            None,
            None,
            None,
            MERIT,
            amount,
            "",
        )];
        let bytes = write_signing_sheet(&sheet).expect("written");
        let (_, r) = &read_back(&bytes)[0];
        // Section, person, subtotal, total, words.
        assert_eq!(at(r, 12, 1), s("Tổng cộng"));
        assert_eq!(at(r, 12, 8), n(amount as f64));
        assert_eq!(
            at(r, 13, 0),
            s(&format!("Bằng chữ: {}.", amount_in_words(amount)))
        );
    }
    let words = [
        (0, "Không đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm linh năm đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
        (13_900_000, "Mười ba triệu chín trăm nghìn đồng"),
        (1_000_000_000, "Một tỷ đồng"),
    ];
    for (amount, expected) in words {
        assert_eq!(amount_in_words(amount), expected);
    }
}

#[test]
fn an_empty_list_still_prints_a_zero_total() {
    let mut sheet = long_binh();
    sheet.entries.clear();
    let bytes = write_signing_sheet(&sheet).expect("written");
    let (_, r) = &read_back(&bytes)[0];
    assert_eq!(at(r, 9, 1), s("Tổng cộng"));
    assert_eq!(at(r, 9, 8), n(0.0));
    assert_eq!(at(r, 10, 0), s("Bằng chữ: Không đồng."));
}

#[test]
fn an_unapproved_list_says_du_thao() {
    let mut sheet = long_binh();
    sheet.approved = false;
    sheet.date = None;
    let bytes = write_signing_sheet(&sheet).expect("written");
    let (_, r) = &read_back(&bytes)[0];
    assert_eq!(
        at(r, 3, 0),
        s("DANH SÁCH KÝ NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021 (DỰ THẢO)")
    );
    assert_eq!(at(r, 24, 6), s("Quận 9, ngày …… tháng …… năm ………"));
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("<oddHeader>") && xml.contains("DỰ THẢO</oddHeader>"));
}

#[test]
fn sponsor_funding_is_named() {
    let mut sheet = long_binh();
    sheet.program.funding = FundingSource::Sponsor;
    sheet.program.sponsor_name = Some("Công ty TNHH Bình An".into());
    let bytes = write_signing_sheet(&sheet).expect("written");
    let (_, r) = &read_back(&bytes)[0];
    assert_eq!(
        at(r, 5, 0),
        s("Nguồn kinh phí: Xã hội hóa – Nhà tài trợ: Công ty TNHH Bình An")
    );
}

#[test]
fn sensitive_categories_never_appear_in_any_export() {
    let sheet = long_binh();
    let mut other_ward = long_binh();
    other_ward.ward = "Phường Tân Phú".into();
    let outputs = [
        write_signing_sheet(&sheet).expect("signing sheet"),
        write_all_wards_workbook(&[sheet.clone(), other_ward]).expect("all wards"),
        write_reports(&report_input()).expect("reports"),
    ];
    for bytes in &outputs {
        let text = all_text(bytes);
        assert!(!text.contains("HIV"), "{text}");
        assert!(!text.contains("Đỗ Văn Kín"), "{text}");
        assert!(!text.contains("079075000999"), "{text}");
        assert!(!text.contains("Không được in"), "{text}");
        assert!(!text.contains("107"), "{text}");
        // The raw package neither (no hidden cell, comment or shared string).
        let shared = unzip(bytes, "xl/sharedStrings.xml");
        assert!(!shared.contains("HIV") && !shared.contains("Kín"));
    }
}

#[test]
fn an_unknown_category_is_refused_not_printed() {
    let mut sheet = long_binh();
    sheet.entries[0].category_id = 99;
    assert!(matches!(
        write_signing_sheet(&sheet),
        Err(ExportError::UnknownCategory(99))
    ));
}

#[test]
fn user_text_that_looks_like_a_formula_gets_the_quote_prefix() {
    let bytes = write_signing_sheet(&long_binh()).expect("written");
    let styles = unzip(&bytes, "xl/styles.xml");
    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let xfs = cell_xfs(&styles);
    let quoted = |cell: &str| xfs[cell_style(&sheet, cell)].contains("quotePrefix=\"1\"");
    // Notes "+ Con liệt sĩ", "@ghi chú", "=1+1", "-" on rows 11, 15, 16, 20 (column K).
    for cell in ["K11", "K15", "K16", "K20"] {
        assert!(quoted(cell), "{cell} should have the quote prefix");
    }
    // Ordinary text and labels do not.
    for cell in ["K19", "B11", "B12", "H11"] {
        assert!(!quoted(cell), "{cell} should not have the quote prefix");
    }
    // No cell is a formula except the totals.
    assert_eq!(sheet.matches("<f>").count(), 4);
}

#[test]
fn print_setup_is_a4_landscape_one_page_wide_with_titles_and_page_numbers() {
    let bytes = write_signing_sheet(&long_binh()).expect("written");
    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let workbook = unzip(&bytes, "xl/workbook.xml");
    let styles = unzip(&bytes, "xl/styles.xml");
    assert!(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{sheet}");
    let page_setup = &sheet[sheet.find("<pageSetup ").expect("pageSetup")..];
    let page_setup = &page_setup[..page_setup.find("/>").expect("end")];
    assert!(page_setup.contains("paperSize=\"9\""), "{page_setup}");
    assert!(
        page_setup.contains("orientation=\"landscape\""),
        "{page_setup}"
    );
    assert!(page_setup.contains("fitToHeight=\"0\""), "{page_setup}");
    // fitToWidth is 1 by default in the schema; if written it must be 1.
    assert!(!page_setup.contains("fitToWidth=") || page_setup.contains("fitToWidth=\"1\""));
    assert!(
        workbook.contains(
            "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'Phường Long Bình'!$9:$9</definedName>"
        ),
        "{workbook}"
    );
    assert!(sheet.contains("Trang &amp;P/&amp;N</oddFooter>"), "{sheet}");
    // The id column (L = 12th) is hidden.
    assert!(
        sheet.contains(
            "<col min=\"12\" max=\"12\" width=\"10.7109375\" hidden=\"1\" customWidth=\"1\"/>"
        ) || sheet
            .split("<col ")
            .any(|c| c.contains("min=\"12\" max=\"12\"") && c.contains("hidden=\"1\"")),
        "{sheet}"
    );
    // Times New Roman throughout: every font in the styles is it.
    let fonts =
        &styles[styles.find("<fonts").expect("fonts")..styles.find("</fonts>").expect("end")];
    let names: Vec<&str> = fonts.split("<name val=\"").skip(1).collect();
    assert!(!names.is_empty());
    assert!(
        names.iter().all(|n| n.starts_with("Times New Roman\"")),
        "{fonts}"
    );
}

#[test]
fn money_cells_are_numbers_with_a_thousands_format_and_ids_are_text() {
    let bytes = write_signing_sheet(&long_binh()).expect("written");
    let styles = unzip(&bytes, "xl/styles.xml");
    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let xfs = cell_xfs(&styles);
    let format_id = |cell: &str| {
        let xf = &xfs[cell_style(&sheet, cell)];
        xf.split("numFmtId=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_owned)
    };
    // 3 is Excel's built-in "#,##0".
    assert_eq!(format_id("I11").as_deref(), Some("3"));
    assert_eq!(format_id("I22").as_deref(), Some("3"));
    let (_, r) = &read_back(&bytes)[0];
    assert_eq!(at(r, 10, 6), s("079048000456"));
    assert_eq!(at(r, 10, 11), s("102"));
}

#[test]
fn all_wards_workbook_has_a_summary_and_a_valid_sheet_per_ward() {
    let mut wards = Vec::new();
    for (i, ward) in [
        "Phường Long Bình",
        "Phường Tăng Nhơn Phú A",
        "Phường Tăng Nhơn Phú B",
        "Phường Long Thạnh Mỹ: khu [mới]/cũ * rất dài tên",
    ]
    .into_iter()
    .enumerate()
    {
        let mut sheet = long_binh();
        sheet.ward = ward.into();
        sheet.entries.truncate(i + 2);
        for e in &mut sheet.entries {
            e.entry_id += 100 * i as i64;
        }
        wards.push(sheet);
    }
    wards[2].approved = false;
    let bytes = write_all_wards_workbook(&wards).expect("written");
    let sheets = read_back(&bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Tổng hợp",
            "Phường Long Bình",
            "Phường Tăng Nhơn Phú A",
            "Phường Tăng Nhơn Phú B",
            "Phường Long Thạnh Mỹ- khu -mới-",
        ]
    );
    for name in &names {
        assert!(rust_xlsxwriter::utility::check_sheet_name(name).is_ok());
    }

    let (_, r) = &sheets[0];
    assert_eq!(at(r, 0, 0), s("ỦY BAN NHÂN DÂN QUẬN 9"));
    assert_eq!(
        at(r, 3, 0),
        s("TỔNG HỢP DANH SÁCH KÝ NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021 (DỰ THẢO)")
    );
    assert_eq!(at(r, 4, 0), s("Chương trình: Quà của Thành phố"));
    // Header: STT, Đơn vị, Tổng cộng, then categories in order, over two rows.
    assert_eq!(at(r, 7, 0), s("STT"));
    assert_eq!(at(r, 7, 1), s("Đơn vị"));
    assert_eq!(at(r, 7, 2), s("Tổng cộng"));
    assert_eq!(at(r, 7, 4), s("Người có công với cách mạng"));
    assert_eq!(at(r, 7, 6), s("Thân nhân liệt sĩ"));
    assert_eq!(at(r, 7, 8), s("Hộ nghèo"));
    assert_eq!(at(r, 7, 10), Data::Empty);
    assert_eq!(at(r, 8, 2), s("Số người"));
    assert_eq!(at(r, 8, 3), s("Số tiền (đồng)"));
    // Long Bình has entries 101, 102 (merit): 2 people, 3.000.000.
    let expect_row = |row: u32, values: [f64; 8]| {
        for (i, v) in values.iter().enumerate() {
            assert_eq!(at(r, row, 2 + i as u32), n(*v), "row {row} col {}", 2 + i);
        }
    };
    assert_eq!(at(r, 9, 1), s("Phường Long Bình"));
    expect_row(9, [2.0, 3_000_000.0, 2.0, 3_000_000.0, 0.0, 0.0, 0.0, 0.0]);
    expect_row(
        10,
        [
            3.0,
            4_005_000.0,
            2.0,
            3_000_000.0,
            1.0,
            1_005_000.0,
            0.0,
            0.0,
        ],
    );
    expect_row(
        11,
        [
            4.0,
            5_055_000.0,
            2.0,
            3_000_000.0,
            2.0,
            2_055_000.0,
            0.0,
            0.0,
        ],
    );
    expect_row(
        12,
        [
            5.0,
            5_655_000.0,
            2.0,
            3_000_000.0,
            2.0,
            2_055_000.0,
            1.0,
            600_000.0,
        ],
    );
    assert_eq!(at(r, 13, 1), s("Tổng cộng"));
    expect_row(
        13,
        [
            14.0,
            17_715_000.0,
            8.0,
            12_000_000.0,
            5.0,
            5_115_000.0,
            1.0,
            600_000.0,
        ],
    );
    assert_eq!(
        at(r, 14, 0),
        s(&format!("Bằng chữ: {}.", amount_in_words(17_715_000)))
    );

    // Each ward sheet is a full signing sheet.
    let (_, r) = &sheets[4];
    assert_eq!(
        at(r, 1, 0),
        s(&format!(
            "ỦY BAN NHÂN DÂN {}",
            "PHƯỜNG LONG THẠNH MỸ: KHU [MỚI]/CŨ * RẤT DÀI TÊN"
        ))
    );
    assert_eq!(at(r, 8, 11), s("Mã dòng"));

    let workbook = unzip(&bytes, "xl/workbook.xml");
    assert_eq!(workbook.matches("_xlnm.Print_Titles").count(), 5);
}

#[test]
fn all_wards_workbook_refuses_mixed_programs_and_nothing() {
    let mut other = long_binh();
    other.program.id = 8;
    assert!(matches!(
        write_all_wards_workbook(&[long_binh(), other]),
        Err(ExportError::MixedPrograms)
    ));
    assert!(matches!(
        write_all_wards_workbook(&[]),
        Err(ExportError::NothingToExport)
    ));
}

fn report_input() -> ReportInput {
    let programs = vec![
        program(),
        Program {
            id: 8,
            name: "Quà của Chủ tịch nước".into(),
            funding: FundingSource::Central,
            sponsor_name: None,
            budget: None,
        },
        Program {
            id: 9,
            name: "Quà Xuân yêu thương".into(),
            funding: FundingSource::Sponsor,
            sponsor_name: Some("Công ty TNHH Bình An".into()),
            budget: Some(5_000_000),
        },
        Program {
            id: 10,
            name: "Quà của Thành phố (bổ sung)".into(),
            funding: FundingSource::City,
            sponsor_name: None,
            budget: Some(1_000_000),
        },
    ];
    use EntryStatus::{NotReceived, Pending, Received};
    let e = |ward_id, category_id, program_id, amount, status| ReportEntry {
        ward_id,
        category_id,
        program_id,
        amount,
        status,
    };
    ReportInput {
        issuing_unit: "Quận 9".into(),
        campaign_year: 2021,
        as_of: NaiveDate::from_ymd_opt(2021, 2, 10).expect("date"),
        wards: vec![
            Ward {
                id: 26830,
                name: "Phường Long Bình".into(),
            },
            Ward {
                id: 26836,
                name: "Phường Tân Phú".into(),
            },
        ],
        categories: categories(),
        programs,
        entries: vec![
            e(26830, MERIT, 7, 1_500_000, Received),
            e(26830, MERIT, 7, 1_500_000, Pending),
            e(26830, MERIT, 8, 600_000, Received),
            e(26830, POOR, 7, 600_000, NotReceived),
            e(26830, HIV, 7, 600_000, Received),
            e(26836, MARTYR_FAMILY, 7, 1_000_000, Received),
            e(26836, POOR, 9, 500_000, Received),
            e(26836, POOR, 9, 500_000, Received),
            e(26836, HIV, 9, 500_000, Pending),
        ],
        // Of program 7 in Long Bình, the received merit gift went by transfer and the
        // pending one's transfer failed; the sensitive gift's transfer is left out.
        transfers: vec![
            transfer(
                26830,
                MERIT,
                7,
                Received,
                TransferState::Transferred,
                1_500_000,
            ),
            transfer(26830, MERIT, 7, Pending, TransferState::Failed, 1_500_000),
            transfer(26830, HIV, 7, Received, TransferState::Transferred, 600_000),
        ],
    }
}

fn transfer(
    ward_id: i64,
    category_id: i64,
    program_id: i64,
    status: EntryStatus,
    transfer: TransferState,
    amount: i64,
) -> TransferGroup {
    TransferGroup {
        ward_id,
        category_id,
        program_id,
        status,
        transfer,
        people: 1,
        amount,
    }
}

#[test]
fn reports_count_planned_received_not_received_and_remaining() {
    let bytes = write_reports(&report_input()).expect("written");
    let sheets = read_back(&bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Theo phường",
            "Theo nguồn kinh phí",
            "Quyết toán",
            "Quyết toán chi trả"
        ]
    );

    let check = |r: &Range<Data>, row: u32, first: u32, values: [f64; 8]| {
        for (i, v) in values.iter().enumerate() {
            let col = first + i as u32;
            assert_eq!(at(r, row, col), n(*v), "row {row} col {col}");
        }
    };

    let (_, r) = &sheets[0];
    assert_eq!(
        at(r, 3, 0),
        s("BÁO CÁO KẾT QUẢ PHÁT QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021")
    );
    assert_eq!(
        at(r, 4, 0),
        s("Theo phường, đối tượng và chương trình – Số liệu đến ngày 10/02/2021")
    );
    assert_eq!(at(r, 6, 4), s("Dự kiến"));
    assert_eq!(at(r, 6, 6), s("Đã nhận"));
    assert_eq!(at(r, 6, 8), s("Không nhận"));
    assert_eq!(at(r, 6, 10), s("Còn lại (chưa phát)"));
    assert_eq!(at(r, 7, 4), s("Số người"));
    assert_eq!(at(r, 7, 5), s("Số tiền (đồng)"));
    let labels = |row: u32| (1..4).map(|c| at(r, row, c)).collect::<Vec<_>>();
    assert_eq!(
        labels(8),
        [
            s("Phường Long Bình"),
            s("Người có công với cách mạng"),
            s("Quà của Thành phố")
        ]
    );
    check(
        r,
        8,
        4,
        [
            2.0,
            3_000_000.0,
            1.0,
            1_500_000.0,
            0.0,
            0.0,
            1.0,
            1_500_000.0,
        ],
    );
    assert_eq!(
        labels(9),
        [
            s("Phường Long Bình"),
            s("Người có công với cách mạng"),
            s("Quà của Chủ tịch nước")
        ]
    );
    check(
        r,
        9,
        4,
        [1.0, 600_000.0, 1.0, 600_000.0, 0.0, 0.0, 0.0, 0.0],
    );
    assert_eq!(
        labels(10),
        [s("Phường Long Bình"), s("Hộ nghèo"), s("Quà của Thành phố")]
    );
    check(
        r,
        10,
        4,
        [1.0, 600_000.0, 0.0, 0.0, 1.0, 600_000.0, 0.0, 0.0],
    );
    assert_eq!(at(r, 11, 0), s("Cộng Phường Long Bình"));
    check(
        r,
        11,
        4,
        [
            4.0,
            4_200_000.0,
            2.0,
            2_100_000.0,
            1.0,
            600_000.0,
            1.0,
            1_500_000.0,
        ],
    );
    assert_eq!(
        labels(12),
        [
            s("Phường Tân Phú"),
            s("Thân nhân liệt sĩ"),
            s("Quà của Thành phố")
        ]
    );
    check(
        r,
        12,
        4,
        [1.0, 1_000_000.0, 1.0, 1_000_000.0, 0.0, 0.0, 0.0, 0.0],
    );
    assert_eq!(
        labels(13),
        [s("Phường Tân Phú"), s("Hộ nghèo"), s("Quà Xuân yêu thương")]
    );
    check(
        r,
        13,
        4,
        [2.0, 1_000_000.0, 2.0, 1_000_000.0, 0.0, 0.0, 0.0, 0.0],
    );
    assert_eq!(at(r, 14, 0), s("Cộng Phường Tân Phú"));
    check(
        r,
        14,
        4,
        [3.0, 2_000_000.0, 3.0, 2_000_000.0, 0.0, 0.0, 0.0, 0.0],
    );
    assert_eq!(at(r, 15, 0), s("Tổng cộng"));
    check(
        r,
        15,
        4,
        [
            7.0,
            6_200_000.0,
            5.0,
            4_100_000.0,
            1.0,
            600_000.0,
            1.0,
            1_500_000.0,
        ],
    );
    assert_eq!(r.end().map(|(row, _)| row), Some(15));

    let (_, r) = &sheets[1];
    let source = |row: u32| (1..3).map(|c| at(r, row, c)).collect::<Vec<_>>();
    assert_eq!(source(8), [s("Ngân sách thành phố"), n(2.0)]);
    check(
        r,
        8,
        3,
        [
            4.0,
            4_600_000.0,
            2.0,
            2_500_000.0,
            1.0,
            600_000.0,
            1.0,
            1_500_000.0,
        ],
    );
    assert_eq!(source(9), [s("Ngân sách trung ương"), n(1.0)]);
    check(
        r,
        9,
        3,
        [1.0, 600_000.0, 1.0, 600_000.0, 0.0, 0.0, 0.0, 0.0],
    );
    assert_eq!(
        source(10),
        [s("Xã hội hóa – Nhà tài trợ: Công ty TNHH Bình An"), n(1.0)]
    );
    check(
        r,
        10,
        3,
        [2.0, 1_000_000.0, 2.0, 1_000_000.0, 0.0, 0.0, 0.0, 0.0],
    );
    assert_eq!(at(r, 11, 0), s("Tổng cộng"));
    assert_eq!(at(r, 11, 2), n(4.0));
    check(
        r,
        11,
        3,
        [
            7.0,
            6_200_000.0,
            5.0,
            4_100_000.0,
            1.0,
            600_000.0,
            1.0,
            1_500_000.0,
        ],
    );

    let (_, r) = &sheets[2];
    assert_eq!(at(r, 6, 3), s("Kinh phí được duyệt (đồng)"));
    assert_eq!(at(r, 6, 12), s("Kinh phí còn lại (đồng)"));
    let program_row = |row: u32| (1..4).map(|c| at(r, row, c)).collect::<Vec<_>>();
    assert_eq!(
        program_row(8),
        [
            s("Quà của Thành phố"),
            s("Ngân sách thành phố"),
            n(20_000_000.0)
        ]
    );
    check(
        r,
        8,
        4,
        [
            4.0,
            4_600_000.0,
            2.0,
            2_500_000.0,
            1.0,
            600_000.0,
            1.0,
            1_500_000.0,
        ],
    );
    assert_eq!(at(r, 8, 12), n(17_500_000.0));
    // No budget: what is left is planned minus paid.
    assert_eq!(
        program_row(9),
        [
            s("Quà của Chủ tịch nước"),
            s("Ngân sách trung ương"),
            Data::Empty
        ]
    );
    assert_eq!(at(r, 9, 12), n(0.0));
    assert_eq!(at(r, 10, 12), n(4_000_000.0));
    // A program without entries still appears, with zeros.
    assert_eq!(
        program_row(11),
        [
            s("Quà của Thành phố (bổ sung)"),
            s("Ngân sách thành phố"),
            n(1_000_000.0)
        ]
    );
    check(r, 11, 4, [0.0; 8]);
    assert_eq!(at(r, 11, 12), n(1_000_000.0));
    assert_eq!(at(r, 12, 0), s("Tổng cộng"));
    assert_eq!(at(r, 12, 3), n(26_000_000.0));
    check(
        r,
        12,
        4,
        [
            7.0,
            6_200_000.0,
            5.0,
            4_100_000.0,
            1.0,
            600_000.0,
            1.0,
            1_500_000.0,
        ],
    );
    assert_eq!(at(r, 12, 12), n(22_500_000.0));
    assert_eq!(
        at(r, 14, 0),
        s("Tổng số tiền đã chi: 4.100.000 đồng. Bằng chữ: Bốn triệu một trăm nghìn đồng.")
    );
    // How it was paid: transferred and cash money, failed or returned and not reached
    // people, the refund. Program 7: 1.500.000 transferred, 2.500.000 received so
    // 1.000.000 in cash, one failed transfer, one not received, 4.600.000 − 2.500.000 back.
    let paid = |row: u32| (13..18).map(|c| at(r, row, c)).collect::<Vec<_>>();
    assert_eq!(at(r, 6, 13), s("Đã chuyển khoản (đồng)"));
    assert_eq!(at(r, 6, 17), s("Hoàn ứng (đồng)"));
    assert_eq!(
        paid(8),
        [
            n(1_500_000.0),
            n(1_000_000.0),
            n(1.0),
            n(1.0),
            n(2_100_000.0)
        ]
    );
    assert_eq!(paid(9), [n(0.0), n(600_000.0), n(0.0), n(0.0), n(0.0)]);
    assert_eq!(paid(11), vec![n(0.0); 5]);
    assert_eq!(
        paid(12),
        [
            n(1_500_000.0),
            n(2_600_000.0),
            n(1.0),
            n(1.0),
            n(2_100_000.0)
        ]
    );
}

#[test]
fn the_settlement_sheet_has_a_section_per_program_a_row_per_ward_and_the_refund() {
    let bytes = write_reports(&report_input()).expect("written");
    let sheets = read_back(&bytes);
    let (name, r) = &sheets[3];
    assert_eq!(name, "Quyết toán chi trả");
    assert_eq!(
        at(r, 3, 0),
        s("QUYẾT TOÁN CHI TRẢ QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021")
    );
    assert_eq!(at(r, 6, 2), s("Dự kiến"));
    assert_eq!(at(r, 6, 4), s("Đã chuyển khoản"));
    assert_eq!(at(r, 6, 14), s("Hoàn ứng (đồng)"));
    // Planned, transferred, cash, failed or returned, awaiting, not reached (people and
    // money each), then the refund.
    let figures = |row: u32| (2..15).map(|c| at(r, row, c)).collect::<Vec<_>>();
    let want = |values: [f64; 13]| values.map(n).to_vec();
    assert_eq!(
        at(r, 8, 0),
        s("I. Quà của Thành phố – Nguồn kinh phí: Ngân sách thành phố")
    );
    assert_eq!(at(r, 9, 1), s("Phường Long Bình"));
    // 3 planned (1.500.000 + 1.500.000 + 600.000); one transferred, one failed, one not
    // received; 3.600.000 − 1.500.000 to give back.
    assert_eq!(
        figures(9),
        want([
            3.0,
            3_600_000.0,
            1.0,
            1_500_000.0,
            0.0,
            0.0,
            1.0,
            1_500_000.0,
            0.0,
            0.0,
            1.0,
            600_000.0,
            2_100_000.0
        ])
    );
    assert_eq!(at(r, 10, 1), s("Phường Tân Phú"));
    assert_eq!(
        figures(10),
        want([
            1.0,
            1_000_000.0,
            0.0,
            0.0,
            1.0,
            1_000_000.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0
        ])
    );
    assert_eq!(at(r, 11, 0), s("Cộng chương trình"));
    assert_eq!(
        figures(11),
        want([
            4.0,
            4_600_000.0,
            1.0,
            1_500_000.0,
            1.0,
            1_000_000.0,
            1.0,
            1_500_000.0,
            0.0,
            0.0,
            1.0,
            600_000.0,
            2_100_000.0
        ])
    );
    assert_eq!(
        at(r, 12, 0),
        s("II. Quà của Chủ tịch nước – Nguồn kinh phí: Ngân sách trung ương")
    );
    assert_eq!(
        at(r, 18, 0),
        s("IV. Quà của Thành phố (bổ sung) – Nguồn kinh phí: Ngân sách thành phố")
    );
    assert_eq!(at(r, 19, 0), s("Cộng chương trình"));
    assert_eq!(figures(19), want([0.0; 13]));
    assert_eq!(at(r, 20, 0), s("Cộng nguồn: Ngân sách thành phố"));
    assert_eq!(figures(20), figures(11));
    assert_eq!(at(r, 23, 0), s("Tổng cộng"));
    // 7 gifts, 6.200.000; cash 600.000 + 1.000.000 + 1.000.000.
    assert_eq!(
        figures(23),
        want([
            7.0,
            6_200_000.0,
            1.0,
            1_500_000.0,
            4.0,
            2_600_000.0,
            1.0,
            1_500_000.0,
            0.0,
            0.0,
            1.0,
            600_000.0,
            2_100_000.0
        ])
    );
    assert_eq!(
        at(r, 25, 0),
        s(
            "Đã chi: 4.100.000 đồng (chuyển khoản 1.500.000 đồng, tiền mặt 2.600.000 đồng). \
           Số tiền hoàn ứng: 2.100.000 đồng. Bằng chữ: Hai triệu một trăm nghìn đồng."
        )
    );
    assert_eq!(at(r, 27, 10), s("Quận 9, ngày 10 tháng 02 năm 2021"));
}

#[test]
fn reports_refuse_entries_that_point_nowhere() {
    let mut input = report_input();
    input.entries[0].ward_id = 1;
    assert!(matches!(
        write_reports(&input),
        Err(ExportError::UnknownWard(1))
    ));
    let mut input = report_input();
    input.entries[0].program_id = 1;
    assert!(matches!(
        write_reports(&input),
        Err(ExportError::UnknownProgram(1))
    ));
}

/// Copies a workbook's values into a new xlsx, as a ward's Excel would save it after
/// filling in marks: `marks` are (sheet index, 0-based row, text for "Ký nhận").
fn fill_in(
    bytes: &[u8],
    marks: &[(usize, u32, &str)],
    edit: impl Fn(&mut rust_xlsxwriter::Worksheet, usize),
) -> Vec<u8> {
    let mut out = Workbook::new();
    let hidden = Format::new();
    for (index, (name, range)) in read_back(bytes).into_iter().enumerate() {
        let ws = out.add_worksheet();
        ws.set_name(&name).expect("name");
        ws.set_column_hidden(11).expect("hidden");
        for (r, c, cell) in range.cells() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Data::String(t) => ws.write_string_with_format(r, c, t, &hidden),
                Data::Float(f) => ws.write_number(r, c, *f),
                Data::Int(i) => ws.write_number(r, c, *i as f64),
                Data::Empty => continue,
                other => ws.write_string(r, c, other.to_string()),
            }
            .expect("copied");
        }
        for (sheet, row, text) in marks {
            if *sheet == index {
                ws.write_string(*row, 9, *text).expect("mark");
            }
        }
        edit(ws, index);
    }
    out.save_to_buffer().expect("saved")
}

#[test]
fn a_signed_sheet_round_trips() {
    let bytes = write_signing_sheet(&long_binh()).expect("written");
    // Rows (0-based): 10 An, 11 Bình, 14 Dung, 15 Đức, 18 Ánh, 19 Tư.
    let filled = fill_in(
        &bytes,
        &[
            (0, 10, "x"),
            (0, 11, "Trần Văn Bình - con"),
            (0, 15, "X"),
            (0, 18, "?"),
        ],
        |ws, _| {
            // A person added by hand at the end, and an id overwritten by mistake.
            ws.write_number(19, 11, 0.0).expect("bad id");
        },
    );
    let marks = read_signed_sheet(&filled).expect("read");
    let got: Vec<(u32, EntryRef, &str, Mark)> = marks
        .iter()
        .map(|m| (m.row, m.entry.clone(), m.name.as_str(), m.mark.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (11, EntryRef::Id(102), "Nguyễn Văn An", Mark::BySelf),
            (
                12,
                EntryRef::Id(101),
                "Trần Thị Bình",
                Mark::ByProxy {
                    name: "Trần Văn Bình".into(),
                    relationship: Some("con".into())
                }
            ),
            (15, EntryRef::Id(104), "Phạm Thị Dung", Mark::NotMarked),
            (16, EntryRef::Id(103), "Lê Văn Đức", Mark::BySelf),
            (
                19,
                EntryRef::Id(106),
                "Huỳnh Thị Ánh",
                Mark::Unclear("?".into())
            ),
            (
                20,
                EntryRef::Invalid("0".into()),
                "Võ Văn Tư",
                Mark::NotMarked
            ),
        ]
    );
    assert!(marks.iter().all(|m| m.sheet == "Phường Long Bình"));
}

#[test]
fn rows_without_ids_and_copied_ids_are_reported_not_guessed() {
    let bytes = write_signing_sheet(&long_binh()).expect("written");
    let filled = fill_in(&bytes, &[], |ws, _| {
        // Row 11 (Bình) gets An's id by a copy; a new person typed over the subtotal row.
        ws.write_string(11, 11, "102").expect("copy");
        ws.write_number(12, 0, 99.0).expect("stt");
        ws.write_string(12, 1, "Người Mới Thêm").expect("name");
        ws.write_string(12, 9, "x").expect("mark");
    });
    let marks = read_signed_sheet(&filled).expect("read");
    let by_row = |row: u32| marks.iter().find(|m| m.row == row).expect("row present");
    assert_eq!(by_row(11).entry, EntryRef::Duplicate(102));
    assert_eq!(by_row(12).entry, EntryRef::Duplicate(102));
    assert_eq!(by_row(13).entry, EntryRef::Missing);
    assert_eq!(by_row(13).name, "Người Mới Thêm");
    assert_eq!(by_row(13).mark, Mark::BySelf);
    // Section rows, subtotals and the rows after "Tổng cộng" are not people.
    assert_eq!(marks.len(), 7);
}

#[test]
fn the_all_wards_workbook_reads_back_per_sheet() {
    let mut second = long_binh();
    second.ward = "Phường Tân Phú".into();
    for e in &mut second.entries {
        e.entry_id += 1000;
    }
    let bytes = write_all_wards_workbook(&[long_binh(), second]).expect("written");
    let filled = fill_in(&bytes, &[(2, 10, "x")], |_, _| {});
    let marks = read_signed_sheet(&filled).expect("read");
    assert_eq!(marks.len(), 12);
    let marked: Vec<_> = marks.iter().filter(|m| m.mark != Mark::NotMarked).collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0].sheet, "Phường Tân Phú");
    assert_eq!(marked[0].entry, EntryRef::Id(1102));
}

#[test]
fn the_exported_file_itself_reads_back_unmarked() {
    let bytes = write_signing_sheet(&long_binh()).expect("written");
    let marks = read_signed_sheet(&bytes).expect("read");
    assert_eq!(marks.len(), 6);
    assert!(marks.iter().all(|m| m.mark == Mark::NotMarked));
    assert!(marks.iter().all(|m| matches!(m.entry, EntryRef::Id(_))));
}

#[test]
fn a_workbook_that_is_not_ours_is_refused() {
    let mut other = Workbook::new();
    let ws = other.add_worksheet();
    ws.write_string(0, 0, "Họ và tên").expect("write");
    ws.write_string(0, 1, "Ký nhận").expect("write");
    let bytes = other.save_to_buffer().expect("saved");
    assert!(matches!(
        read_signed_sheet(&bytes),
        Err(ExportError::NotASigningSheet)
    ));
    assert!(matches!(
        read_signed_sheet(b"not a workbook"),
        Err(ExportError::Read(_))
    ));
    assert!(matches!(read_signed_sheet(&[]), Err(ExportError::Read(_))));
}

#[test]
fn place_and_date_pads_days_and_the_first_two_months() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
    assert_eq!(
        place_and_date("Quận 9", d(2021, 1, 5)),
        "Quận 9, ngày 05 tháng 01 năm 2021"
    );
    assert_eq!(
        place_and_date("Quận 9", d(2021, 2, 15)),
        "Quận 9, ngày 15 tháng 02 năm 2021"
    );
    assert_eq!(
        place_and_date("Quận 9", d(2021, 3, 15)),
        "Quận 9, ngày 15 tháng 3 năm 2021"
    );
    assert_eq!(
        place_and_date("Quận 9", d(2020, 12, 25)),
        "Quận 9, ngày 25 tháng 12 năm 2020"
    );
}

#[test]
fn a_phuong_cu_column_appears_only_when_some_row_names_a_former_ward() {
    let plain = read_back(&write_signing_sheet(&long_binh()).expect("written"));
    let (_, r) = &plain[0];
    assert!(
        (0..14).all(|c| at(r, 8, c) != s("Phường cũ")),
        "no former ward, no column"
    );

    let mut sheet = long_binh();
    sheet.entries[0].former_ward = Some("Long Thạnh Mỹ".into());
    let first_id = sheet.entries[0].entry_id;
    let bytes = write_signing_sheet(&sheet).expect("written");
    let (_, r) = &read_back(&bytes)[0];
    assert_eq!(at(r, 8, 10), s("Ghi chú"));
    assert_eq!(at(r, 8, 11), s("Phường cũ"));
    assert_eq!(at(r, 8, 12), s("Mã dòng"));
    let rows: Vec<u32> = (9..40)
        .filter(|row| at(r, *row, 11) == s("Long Thạnh Mỹ"))
        .collect();
    assert_eq!(rows.len(), 1, "one person has a former ward");
    assert_eq!(at(r, rows[0], 12), s(&first_id.to_string()));
    // The signed sheet still finds every entry by its id column.
    let marks = read_signed_sheet(&bytes).expect("read");
    assert!(
        marks
            .iter()
            .any(|m| m.entry == EntryRef::Id(first_id) && m.row == rows[0] + 1)
    );
}
