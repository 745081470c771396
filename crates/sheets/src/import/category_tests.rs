//! Category cells as officers type them, household headings, and a category column found by
//! its values: read through `read_ward_file` like a real upload.

use super::seed_context::seed_context;
use super::*;
use rust_xlsxwriter::Workbook;

/// A one-sheet list with a title line, `header` on row 3 and `rows` under it.
fn list(header: &[&str], rows: &[&[&str]]) -> ParsedList {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "UBND PHƯỜNG TÂN PHÚ").unwrap();
    ws.write_string(1, 0, "DANH SÁCH HỘ NHẬN QUÀ TẾT").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(3 + r as u32, c as u16, *v).unwrap();
            }
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    read_ward_file("phuong.xlsx", &bytes, &seed_context(2021)).unwrap()
}

fn category_code(r: &ImportRow) -> Option<&str> {
    r.category.as_ref().map(|c| c.code.as_str())
}

fn category_issue(r: &ImportRow) -> Option<&RowIssue> {
    r.issues.iter().find(|i| i.field == "category")
}

#[test]
fn abbreviations_inside_longer_names_are_read_and_unsure_readings_warn() {
    let l = list(
        &["STT", "Họ và tên", "Năm sinh", "Đối tượng"],
        &[
            &["1", "Nguyễn Văn An", "1950", "Người HĐKC bị nhiễm CĐHH"],
            &["2", "Trần Thị Bình", "1948", "Vợ LS"],
            &["3", "Lê Văn Cường", "1952", "TB hạng 1/4"],
            &["4", "Phạm Văn Dũng", "1955", "Hộ nghèo có người khuyết tật"],
            &["5", "Võ Thị Em", "1960", "Cựu chiến binh"],
        ],
    );
    let codes: Vec<Option<&str>> = l.rows.iter().map(category_code).collect();
    assert_eq!(
        codes,
        [Some("CDHH"), Some("TNLS"), Some("TB81"), Some("HN"), None]
    );
    for r in &l.rows[..3] {
        assert!(category_issue(r).is_none(), "{:?}", r.issues);
    }
    let unsure = category_issue(&l.rows[3]).unwrap();
    assert_eq!(unsure.severity, Severity::Warning);
    assert!(unsure.message.contains("được hiểu là “Hộ nghèo”"));
    assert_eq!(l.rows[3].status, RowStatus::Accepted);
    let unknown = category_issue(&l.rows[4]).unwrap();
    assert_eq!(unknown.severity, Severity::Error);
    assert!(unknown.message.contains("“Cựu chiến binh”"));
}

#[test]
fn household_category_headings_are_recognised() {
    for heading in [
        "Phân loại hộ",
        "Loại hộ",
        "Diện hộ",
        "Xếp loại",
        "Hộ nghèo/cận nghèo",
    ] {
        let l = list(
            &["STT", "Họ tên chủ hộ", "Số nhân khẩu", heading],
            &[
                &["1", "Nguyễn Văn An", "4", "Nghèo"],
                &["2", "Trần Thị Bình", "3", "Cận nghèo"],
            ],
        );
        assert!(
            l.columns.iter().any(|c| c.field == Field::Category),
            "{heading}"
        );
        // Known by its heading, not guessed from its values.
        assert!(l.warnings.is_empty(), "{heading}: {:?}", l.warnings);
        assert_eq!(category_code(&l.rows[0]), Some("HN"), "{heading}");
        assert_eq!(category_code(&l.rows[1]), Some("HCN"), "{heading}");
    }
}

#[test]
fn a_column_of_categories_under_an_unknown_heading_is_the_category_column() {
    let l = list(
        &["STT", "Họ tên chủ hộ", "Số nhân khẩu", "Tình trạng"],
        &[
            &["1", "Nguyễn Văn An", "4", "Hộ nghèo"],
            &["2", "Trần Thị Bình", "3", "HCN"],
            &["3", "Lê Văn Cường", "5", "Hộ cận nghèo"],
            &["4", "Phạm Thị Dung", "2", "hộ nghèo"],
        ],
    );
    let col = l
        .columns
        .iter()
        .find(|c| c.field == Field::Category)
        .expect("category column found by its values");
    assert_eq!(col.letter, "D");
    assert!(l.warnings.iter().any(|w| w.contains("cột D “Tình trạng”")));
    let codes: Vec<Option<&str>> = l.rows.iter().map(category_code).collect();
    assert_eq!(codes, [Some("HN"), Some("HCN"), Some("HCN"), Some("HN")]);
}

#[test]
fn a_column_of_other_words_is_not_taken_for_categories() {
    let l = list(
        &["STT", "Họ và tên", "Năm sinh", "Đối tượng", "Tình trạng"],
        &[
            &["1", "Nguyễn Văn An", "1950", "TNLS", "Đang ở"],
            &["2", "Trần Thị Bình", "1948", "TB", "Đã chuyển đi"],
            &["3", "Lê Văn Cường", "1952", "BB", "Đang ở"],
        ],
    );
    let cats: Vec<&MappedColumn> = l
        .columns
        .iter()
        .filter(|c| c.field == Field::Category)
        .collect();
    assert_eq!(cats.len(), 1);
    assert_eq!(cats[0].letter, "D");
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
}

#[test]
fn unknown_values_are_listed_once_with_their_rows() {
    let l = list(
        &["STT", "Họ và tên", "Năm sinh", "Đối tượng"],
        &[
            &["1", "Nguyễn Văn An", "1950", "Diện XYZ"],
            &["2", "Trần Thị Bình", "1948", "TNLS"],
            &["3", "Lê Văn Cường", "1952", "Diện XYZ"],
            &["4", "Phạm Văn Dũng", "1955", "Cựu chiến binh"],
        ],
    );
    let unknown = l.unknown_values(Field::Category);
    assert_eq!(
        unknown,
        [
            UnknownValue {
                text: "Diện XYZ".into(),
                rows: 2
            },
            UnknownValue {
                text: "Cựu chiến binh".into(),
                rows: 1
            },
        ]
    );
}

#[test]
fn a_ward_spelling_mapped_once_is_read() {
    let header = ["STT", "Họ và tên", "Năm sinh", "Đối tượng", "Phường"];
    let rows: &[&[&str]] = &[&["1", "Nguyễn Văn An", "1950", "TNLS", "P. Long Thanh My cu"]];
    let before = list(&header, rows);
    assert_eq!(before.unknown_values(Field::Ward).len(), 1);
    let mut ctx = seed_context(2021);
    let i = ctx
        .wards
        .iter()
        .position(|w| &*w.name == "Long Thạnh Mỹ")
        .unwrap();
    ctx.ward_synonyms.push(("Long Thạnh Mỹ cũ".into(), i));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in rows[0].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    let after = read_ward_file("x.xlsx", &wb.save_to_buffer().unwrap(), &ctx).unwrap();
    assert_eq!(
        after.rows[0].ward.as_ref().map(|w| &*w.name),
        Some("Long Thạnh Mỹ")
    );
    assert!(after.unknown_values(Field::Ward).is_empty());
}

#[test]
fn an_unknown_ward_in_the_title_is_offered_and_read_once_mapped() {
    let build = || {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "UBND PHƯỜNG PHƯỚC BIHN").unwrap();
        for (c, h) in ["STT", "Họ và tên", "Năm sinh", "Đối tượng"]
            .iter()
            .enumerate()
        {
            ws.write_string(2, c as u16, *h).unwrap();
        }
        for (c, v) in ["1", "Nguyễn Văn An", "1950", "TNLS"].iter().enumerate() {
            ws.write_string(3, c as u16, *v).unwrap();
        }
        wb.save_to_buffer().unwrap()
    };
    let before = read_ward_file("x.xlsx", &build(), &seed_context(2021)).unwrap();
    assert!(before.ward.is_none());
    assert_eq!(
        before.unknown_values(Field::Ward),
        [UnknownValue {
            text: "PHƯỚC BIHN".into(),
            rows: 1
        }]
    );
    let mut ctx = seed_context(2021);
    let i = ctx
        .wards
        .iter()
        .position(|w| &*w.name == "Phước Bình")
        .unwrap();
    ctx.ward_synonyms.push(("Phước Bihn".into(), i));
    let after = read_ward_file("x.xlsx", &build(), &ctx).unwrap();
    assert_eq!(after.ward.as_ref().map(|w| &*w.name), Some("Phước Bình"));
    assert!(after.unknown_values(Field::Ward).is_empty());
    assert!(after.warnings.is_empty(), "{:?}", after.warnings);
}
