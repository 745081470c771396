//! The "no database" floor of the signing-sheet export: how long rust_xlsxwriter alone
//! takes to write the cells of an exported workbook.
//!
//! The target for `chamlo export` (all wards in one workbook) is a time within 1.5× of
//! this floor, so the floor has to be honest: it reads every sheet of a workbook that
//! `chamlo export` wrote back with calamine (not timed), then times writing exactly those
//! cells (the same sheets in the same order, with the same names, every non-empty cell
//! with the same value, text as text and numbers as numbers) into a new workbook, saved
//! to a file as the real export saves its own, at the same zip compression level (3).
//!
//! What it leaves out, on purpose: the database, sorting, grouping and totals (the work
//! the export itself must do), and column widths, row heights, merges and print setup
//! (a few hundred calls for the whole workbook); formulas are written as the numbers they
//! cache. Cell formats are left out too by default, which makes this the strict floor:
//! calamine does not give them back in a form rust_xlsxwriter takes, and a guessed set
//! would only make the floor look slower. `--formats` writes every cell with one shared
//! bordered Times New Roman format instead, the usual per-cell way, to show what cell
//! formats alone cost.
//!
//! ```text
//! cargo run --release --example export_floor -- all.xlsx [OUT.xlsx] [--formats]
//! ```
//! prints one line, `floor_seconds=<f64>`, for a bench script to parse.

use std::error::Error;
use std::time::Instant;

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{Format, FormatBorder, Workbook};

/// A cell's value as it is written back.
enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
}

/// A non-empty cell: row, column, value.
type Cell = (u32, u16, Value);

fn main() -> Result<(), Box<dyn Error>> {
    let (flags, mut args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let with_formats = flags.iter().any(|f| f == "--formats");
    let mut args = args.drain(..);
    let Some(input) = args.next() else {
        eprintln!("usage: export_floor EXPORTED.xlsx [OUT.xlsx] [--formats]");
        std::process::exit(2);
    };
    let output = args.next().unwrap_or_else(|| {
        std::env::temp_dir()
            .join("chamlo-export-floor.xlsx")
            .display()
            .to_string()
    });

    // Read back, untimed.
    let mut book: Xlsx<_> = open_workbook(&input)?;
    let mut sheets: Vec<(String, Vec<Cell>)> = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name)?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let first_col = u16::try_from(first_col)?;
        let mut cells = Vec::new();
        for (row, col, data) in range.cells() {
            let value = match data {
                Data::String(text) => Value::Text(text.clone()),
                Data::Float(number) => Value::Number(*number),
                Data::Int(number) => Value::Number(*number as f64),
                Data::Bool(flag) => Value::Bool(*flag),
                Data::DateTime(date) => Value::Number(date.as_f64()),
                Data::DateTimeIso(text) | Data::DurationIso(text) => Value::Text(text.clone()),
                Data::Error(_) | Data::Empty => continue,
            };
            let row = first_row + u32::try_from(row)?;
            let col = first_col + u16::try_from(col)?;
            cells.push((row, col, value));
        }
        sheets.push((name, cells));
    }

    // Write the same cells, timed from an empty workbook to the saved file.
    let start = Instant::now();
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(3);
    let boxed = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12)
        .set_border(FormatBorder::Thin);
    for (name, cells) in &sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(name)?;
        for (row, col, value) in cells {
            let (row, col) = (*row, *col);
            match (value, with_formats) {
                (Value::Text(text), false) => worksheet.write_string(row, col, text)?,
                (Value::Number(number), false) => worksheet.write_number(row, col, *number)?,
                (Value::Bool(flag), false) => worksheet.write_boolean(row, col, *flag)?,
                (Value::Text(text), true) => {
                    worksheet.write_string_with_format(row, col, text, &boxed)?
                }
                (Value::Number(number), true) => {
                    worksheet.write_number_with_format(row, col, *number, &boxed)?
                }
                (Value::Bool(flag), true) => {
                    worksheet.write_boolean_with_format(row, col, *flag, &boxed)?
                }
            };
        }
    }
    workbook.save(&output)?;
    let seconds = start.elapsed().as_secs_f64();

    let cells: usize = sheets.iter().map(|(_, cells)| cells.len()).sum();
    eprintln!(
        "{} sheets, {cells} cells, written to {output}",
        sheets.len()
    );
    println!("floor_seconds={seconds:.3}");
    Ok(())
}
