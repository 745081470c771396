//! The annotated copy read back with calamine and compared with the file it annotates:
//! every original cell keeps its value and its type, merged areas and column widths stay,
//! and the status and problems columns are added.

use super::annotated::{PROBLEMS_HEADER, STATUS_HEADER, write_annotated_copy};
use crate::import::layout::xlsx_column_widths;
use crate::import::seed_context::seed_context;
use crate::import::{ParsedList, read_ward_file};
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::Cursor;

/// A ward list as wards make it: a merged title, a header merged over two rows with "Năm
/// sinh" split into Nam/Nữ, years and a CCCD typed as numbers, a date, a money amount, set
/// column widths.
fn ward_list() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.merge_range(0, 0, 0, 7, "UBND PHƯỜNG TÂN PHÚ", &Format::new())
        .unwrap();
    ws.merge_range(1, 0, 1, 7, "DANH SÁCH NHẬN QUÀ TẾT", &Format::new())
        .unwrap();
    for (c, h) in [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "",
        "Số CCCD",
        "Đối tượng",
        "Số tiền",
        "Ngày lập",
    ]
    .iter()
    .enumerate()
    {
        if c != 2 && c != 3 {
            ws.merge_range(3, c as u16, 4, c as u16, h, &Format::new())
                .unwrap();
        }
    }
    ws.merge_range(3, 2, 3, 3, "Năm sinh", &Format::new())
        .unwrap();
    ws.write_string(4, 2, "Nam").unwrap();
    ws.write_string(4, 3, "Nữ").unwrap();
    let people: [(&str, u16, f64, &str, f64); 3] = [
        ("Nguyễn Văn An", 2, 79_048_000_123.0, "TNLS", 600_000.0),
        (
            "Trần Thị Bình",
            3,
            79_151_000_456.0,
            "Cựu chiến binh",
            300_000.0,
        ),
        ("Lê Văn Cường", 2, 79_052_000_789.0, "TB 2/4", 300_000.0),
    ];
    for (i, (name, year_col, id, category, amount)) in people.iter().enumerate() {
        let r = 5 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_number(r, *year_col, 1948.0 + i as f64).unwrap();
        ws.write_number(r, 4, *id).unwrap();
        ws.write_string(r, 5, *category).unwrap();
        ws.write_number(r, 6, *amount).unwrap();
        let day = ExcelDateTime::from_ymd(2021, 1, 5).unwrap();
        ws.write_datetime_with_format(r, 7, &day, &date).unwrap();
    }
    ws.set_column_width(1, 28.5).unwrap();
    ws.set_column_width(4, 17).unwrap();
    ws.set_column_width(5, 22).unwrap();
    wb.save_to_buffer().unwrap()
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<&[u8]>> {
    Xlsx::new(Cursor::new(bytes)).unwrap()
}

/// Every cell of the source sheet is in the copy with the same value and type.
fn assert_cells_kept(source: &[u8], copy: &[u8]) {
    let mut src = open(source);
    let name = src.sheet_names()[0].clone();
    let src_range = src.worksheet_range(&name).unwrap();
    let mut out = open(copy);
    let out_name = out.sheet_names()[0].clone();
    let out_range = out.worksheet_range(&out_name).unwrap();
    let mut compared = 0;
    for (r, c, cell) in src_range.used_cells() {
        let (row, col) = (
            src_range.start().unwrap().0 + r as u32,
            src_range.start().unwrap().1 + c as u32,
        );
        let copied = out_range.get_value((row, col)).unwrap_or(&Data::Empty);
        match (cell, copied) {
            (Data::Float(a), Data::Float(b)) => assert_eq!(a, b, "{row},{col}"),
            (Data::Int(a), Data::Float(b)) => assert_eq!(*a as f64, *b, "{row},{col}"),
            (Data::DateTime(a), Data::DateTime(b)) => {
                assert_eq!(a.as_f64(), b.as_f64(), "{row},{col}")
            }
            (Data::String(a), Data::String(b)) => assert_eq!(a.trim(), b.trim(), "{row},{col}"),
            (Data::Bool(a), Data::Bool(b)) => assert_eq!(a, b, "{row},{col}"),
            (a, b) => panic!("cell {row},{col}: {a:?} became {b:?}"),
        }
        compared += 1;
    }
    assert!(compared > 10);
}

fn annotate(name: &str, bytes: &[u8]) -> (ParsedList, Vec<u8>) {
    let parsed = read_ward_file(name, bytes, &seed_context(2021)).unwrap();
    let copy = write_annotated_copy(&parsed).unwrap();
    (parsed, copy)
}

#[test]
fn the_copy_keeps_values_types_merges_and_widths_and_adds_two_columns() {
    let source = ward_list();
    let (parsed, copy) = annotate("tan-phu.xlsx", &source);
    assert_cells_kept(&source, &copy);

    let mut out = open(&copy);
    let name = out.sheet_names()[0].clone();
    let mut merges: Vec<String> = out
        .merge_cells_by_sheet_name(&name)
        .unwrap()
        .iter()
        .map(|d| format!("{:?}-{:?}", d.start, d.end))
        .collect();
    merges.sort();
    let mut src = open(&source);
    let mut expected: Vec<String> = src
        .merge_cells_by_sheet_name("Sheet1")
        .unwrap()
        .iter()
        .map(|d| format!("{:?}-{:?}", d.start, d.end))
        .collect();
    expected.sort();
    assert_eq!(merges, expected);

    let widths = xlsx_column_widths(&copy, &name);
    let source_widths = xlsx_column_widths(&source, "Sheet1");
    assert_eq!(source_widths.len(), 3);
    for (col, width) in source_widths {
        let got = widths.iter().find(|(c, _)| *c == col).map(|(_, w)| *w);
        assert!(
            got.is_some_and(|w| (w - width).abs() < 0.01),
            "column {col}: {got:?}, the source has {width}"
        );
    }

    // The status and problems columns beside the header and the person rows.
    let range = out.worksheet_range(&name).unwrap();
    let header = parsed.header_row - 1;
    assert_eq!(
        range.get_value((header, 8)),
        Some(&Data::String(STATUS_HEADER.into()))
    );
    assert_eq!(
        range.get_value((header, 9)),
        Some(&Data::String(PROBLEMS_HEADER.into()))
    );
    assert_eq!(
        range.get_value((5, 8)),
        Some(&Data::String("Hợp lệ".into()))
    );
    assert_eq!(
        range.get_value((6, 8)),
        Some(&Data::String("Bị loại".into()))
    );
    let problem = range.get_value((6, 9)).unwrap().to_string();
    assert!(problem.contains("Cựu chiến binh"), "{problem}");
}

#[test]
fn the_samples_keep_their_cell_types_in_the_copy() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../import-samples"));
    for sample in [
        "01-hiep-phu-nguoi-co-cong.xlsx",
        "06-phuoc-binh-nhieu-loi.xlsx",
    ] {
        let source = std::fs::read(dir.join(sample)).unwrap();
        let (_, copy) = annotate(sample, &source);
        assert_cells_kept(&source, &copy);
    }
}
