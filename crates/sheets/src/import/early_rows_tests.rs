//! Tests of the rows a long sheet hands over before the rest of it is parsed
//! (`read_ward_file_in_batches`): the caller always ends with what `read_ward_file` reads.

use super::seed_context::seed_context;
use super::*;
use rust_xlsxwriter::Workbook;

/// A one-sheet list with a title, a header on row 3 and one person per name from row 4, of
/// `category` where there is one.
fn long_list(names: &[String], category: Option<&str>) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "UBND PHƯỜNG TÂN PHÚ").unwrap();
    // Headers without diacritics, as some wards type them: read alike in every encoding.
    for (c, h) in ["STT", "Ho va ten", "Nam sinh", "Doi tuong", "So tien"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (i, name) in names.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, name).unwrap();
        ws.write_number(r, 2, 1940.0 + (i % 50) as f64).unwrap();
        if let Some(category) = category {
            ws.write_string(r, 3, category).unwrap();
        }
        ws.write_number(r, 4, 500000.0).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// What a storing caller ends with: the rows it keeps (forgetting them on a restart), how
/// many restarts it was told of, and the height of the sheet the first batch came from.
struct Taken {
    rows: Vec<ImportRow>,
    restarts: usize,
    first_height: usize,
    list: ParsedList,
}

fn take_in_batches(bytes: &[u8]) -> Taken {
    let mut rows = Vec::new();
    let mut restarts = 0;
    let mut first_height = None;
    let list = read_ward_file_in_batches(
        "long.xlsx",
        bytes,
        &seed_context(2021),
        4096,
        &mut |list, handed| {
            match handed {
                Handover::Rows(batch) => {
                    first_height.get_or_insert(list.cells.height());
                    rows.extend(batch);
                }
                Handover::Restart => {
                    restarts += 1;
                    rows.clear();
                }
            }
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    Taken {
        rows,
        restarts,
        first_height: first_height.unwrap(),
        list,
    }
}

fn names(count: usize, name: impl Fn(usize) -> String) -> Vec<String> {
    (0..count).map(name).collect()
}

#[test]
fn a_long_sheet_hands_its_first_rows_over_early_and_the_rest_once() {
    let bytes = long_list(
        &names(EARLY_ROWS as usize + 3000, |i| format!("Nguyễn Văn Số {i}")),
        Some("Hộ nghèo"),
    );
    let whole = read_ward_file("long.xlsx", &bytes, &seed_context(2021)).unwrap();
    let taken = take_in_batches(&bytes);
    assert_eq!(taken.restarts, 0);
    assert!(
        taken.first_height < whole.cells.height(),
        "the first batch came from the sheet's first {} rows, before the whole {} were read",
        taken.first_height,
        whole.cells.height()
    );
    assert_eq!(taken.rows.len(), EARLY_ROWS as usize + 3000);
    assert!(
        taken.rows == whole.rows,
        "the same rows, each once, in order"
    );
    assert_eq!(taken.list.cells.height(), whole.cells.height());
}

#[test]
fn later_rows_that_decide_another_encoding_restart_the_handover() {
    // The first rows' names are Unicode or TCVN3 alike ("Lê" has only a Latin-1 letter);
    // the rows after the cut are plainly TCVN3 ("Tr­¬ng ThÞ H­êng"), so the whole column
    // is, and the first rows' "ê" reads otherwise. (No category column: its Unicode
    // "Hộ nghèo" would outweigh the names.)
    let early = EARLY_ROWS as usize;
    let bytes = long_list(
        &names(early + 2000, |i| {
            if i < early {
                format!("Lê Hoa {i}")
            } else {
                format!("Tr\u{ad}¬ng ThÞ H\u{ad}êng {i}")
            }
        }),
        None,
    );
    let whole = read_ward_file("long.xlsx", &bytes, &seed_context(2021)).unwrap();
    assert_eq!(whole.encoding, LegacyEncoding::Tcvn3);
    assert_ne!(
        whole.rows[0].full_name.as_deref(),
        Some("Lê Hoa 0"),
        "the whole sheet decodes the first rows too"
    );
    let taken = take_in_batches(&bytes);
    assert_eq!(taken.restarts, 1);
    assert_eq!(taken.rows.len(), early + 2000);
    assert!(
        taken.rows == whole.rows,
        "after the restart, every row once"
    );
    assert_eq!(taken.list.encoding, LegacyEncoding::Tcvn3);
}

#[test]
fn a_short_sheet_is_handed_over_once_read_whole() {
    let bytes = long_list(&names(500, |i| format!("Trần Thị {i}")), Some("Hộ nghèo"));
    let whole = read_ward_file("long.xlsx", &bytes, &seed_context(2021)).unwrap();
    let taken = take_in_batches(&bytes);
    assert_eq!(taken.restarts, 0);
    assert_eq!(taken.first_height, whole.cells.height());
    assert!(taken.rows == whole.rows);
}
