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
//! the export itself must do), and column widths, row heights, merges and print setup;
//! formulas are written as the numbers they cache.
//!
//! Cell formats, two ways:
//! - `--faithful` (the floor the export is judged against: the same cells are the cells
//!   with their formats): every cell gets the very format the export gave it, recovered
//!   from the file, also untimed: `xl/styles.xml` (`cellXfs` with their fonts, borders,
//!   alignment, wrap, number formats and quote prefix) and each cell's `s` attribute, so
//!   the formatted empty cells that box the table are written too. The timed part
//!   writes the values as below, then each column's runs of cells with the same format
//!   with one `set_range_format` each, the cheapest way rust_xlsxwriter offers (one
//!   format lookup per run instead of one per cell).
//! - default, the strict floor: no cell formats at all, which writes less than the
//!   export and so is stricter than "the same cells"; bench.sh shows it as an extra row.
//!
//! ```text
//! cargo run --release --example export_floor -- all.xlsx [OUT.xlsx] [--faithful]
//! ```
//! prints one line, `floor_seconds=<f64>`, for a bench script to parse.

use std::error::Error;
use std::time::Instant;

use calamine::{Data, Reader, Xlsx, open_workbook};
use quick_xml::events::{BytesStart, Event};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, FormatUnderline, Workbook};

/// A cell's value as it is written back.
enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
}

/// A non-empty cell: row, column, value.
type Cell = (u32, u16, Value);

/// A formatted cell, empty or not: column, row, index into the workbook's formats.
type Styled = (u16, u32, usize);

/// The formatted cells of each sheet.
type SheetsStyled = Vec<Vec<Styled>>;

fn main() -> Result<(), Box<dyn Error>> {
    let (flags, mut args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let faithful = flags.iter().any(|f| f == "--faithful");
    let mut args = args.drain(..);
    let Some(input) = args.next() else {
        eprintln!("usage: export_floor EXPORTED.xlsx [OUT.xlsx] [--faithful]");
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
    let (formats, styled) = if faithful {
        read_formats(&input, &sheets)?
    } else {
        (Vec::new(), vec![Vec::new(); sheets.len()])
    };

    // Write the same cells, timed from an empty workbook to the saved file.
    let start = Instant::now();
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(3);
    for ((name, cells), styled) in sheets.iter().zip(&styled) {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(name)?;
        for (row, col, value) in cells {
            let (row, col) = (*row, *col);
            match value {
                Value::Text(text) => worksheet.write_string(row, col, text)?,
                Value::Number(number) => worksheet.write_number(row, col, *number)?,
                Value::Bool(flag) => worksheet.write_boolean(row, col, *flag)?,
            };
        }
        // `styled` is sorted by column, then row: format each run of equal formats.
        let mut cells = styled.iter().peekable();
        while let Some(&(col, first, xf)) = cells.next() {
            let mut last = first;
            while let Some(&&(c, r, x)) = cells.peek() {
                if c != col || r != last + 1 || x != xf {
                    break;
                }
                last = r;
                cells.next();
            }
            worksheet.set_range_format(first, col, last, col, &formats[xf])?;
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

/// The formats of the exported workbook (`cellXfs`, as rust_xlsxwriter formats) and, per
/// sheet of `sheets`, its formatted cells (`s` > 0) sorted by column and row.
fn read_formats(
    path: &str,
    sheets: &[(String, Vec<Cell>)],
) -> Result<(Vec<Format>, SheetsStyled), Box<dyn Error>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let formats = cell_formats(&read_part(&mut zip, "xl/styles.xml")?)?;
    // Sheet name → part, through the workbook and its relationships.
    let mut targets = std::collections::HashMap::new();
    for_each_element(&read_part(&mut zip, "xl/_rels/workbook.xml.rels")?, |e| {
        if e.local_name().as_ref() == "Relationship" {
            targets.insert(attr(e, "Id"), attr(e, "Target"));
        }
    })?;
    let mut parts = std::collections::HashMap::new();
    for_each_element(&read_part(&mut zip, "xl/workbook.xml")?, |e| {
        if e.local_name().as_ref() == "sheet" {
            let target = targets.get(&attr(e, "r:id")).cloned().unwrap_or_default();
            let target = target.trim_start_matches('/').trim_start_matches("xl/");
            parts.insert(attr(e, "name"), format!("xl/{target}"));
        }
    })?;
    let mut styled = Vec::with_capacity(sheets.len());
    for (name, _) in sheets {
        let part = parts.get(name).ok_or(format!("no part for sheet {name}"))?;
        let mut cells: Vec<Styled> = Vec::new();
        let mut bad = None;
        for_each_element(&read_part(&mut zip, part)?, |e| {
            if e.local_name().as_ref() != "c" {
                return;
            }
            let xf: usize = attr(e, "s").parse().unwrap_or(0);
            if xf == 0 {
                return;
            }
            match cell_position(&attr(e, "r")) {
                Some((row, col)) if xf < formats.len() => cells.push((col, row, xf)),
                _ => bad = Some(attr(e, "r")),
            }
        })?;
        if let Some(cell) = bad {
            return Err(format!("cell {cell} of {name}: bad reference or format").into());
        }
        cells.sort_unstable();
        styled.push(cells);
    }
    Ok((formats, styled))
}

/// A part of the package, as text.
fn read_part(
    zip: &mut zip::ZipArchive<std::fs::File>,
    name: &str,
) -> Result<String, Box<dyn Error>> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name)?, &mut text)?;
    Ok(text)
}

/// Calls `visit` on every element of `xml` with its name: with the element when it opens
/// (or is empty), then without it when it closes (an empty one closes at once).
fn walk(xml: &str, mut visit: impl FnMut(Option<&BytesStart>, &str)) -> Result<(), Box<dyn Error>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event()? {
            Event::Start(e) => visit(Some(&e), e.local_name().as_ref()),
            Event::Empty(e) => {
                visit(Some(&e), e.local_name().as_ref());
                visit(None, e.local_name().as_ref());
            }
            Event::End(e) => visit(None, e.local_name().as_ref()),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// Calls `visit` on every element of `xml` as it opens.
fn for_each_element(xml: &str, mut visit: impl FnMut(&BytesStart)) -> Result<(), Box<dyn Error>> {
    walk(xml, |element, _| {
        if let Some(e) = element {
            visit(e);
        }
    })
}

/// An attribute's value, "" when absent.
fn attr(e: &BytesStart, name: &str) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            quick_xml::escape::unescape(&a.value)
                .ok()
                .map(|v| v.into_owned())
        })
        .unwrap_or_default()
}

/// "K12" as (row 11, column 10).
fn cell_position(reference: &str) -> Option<(u32, u16)> {
    let letters = reference.bytes().take_while(u8::is_ascii_uppercase).count();
    let row: u32 = reference[letters..].parse().ok()?;
    let col = reference[..letters]
        .bytes()
        .try_fold(0u32, |n, c| Some(n * 26 + u32::from(c - b'A') + 1))?;
    Some((
        row.checked_sub(1)?,
        u16::try_from(col.checked_sub(1)?).ok()?,
    ))
}

/// A font of `<fonts>`.
#[derive(Default, Clone)]
struct Font {
    name: String,
    size: f64,
    bold: bool,
    italic: bool,
    underline: bool,
    rgb: Option<u32>,
}

/// Every `<xf>` of `<cellXfs>` as a rust_xlsxwriter format: font, borders, alignment,
/// wrap, number format and quote prefix (what the export uses; fills it does not use).
fn cell_formats(styles: &str) -> Result<Vec<Format>, Box<dyn Error>> {
    let mut section = String::new();
    let mut num_formats = std::collections::HashMap::new();
    let mut fonts: Vec<Font> = Vec::new();
    let mut borders: Vec<[FormatBorder; 4]> = Vec::new();
    // Per xf: numFmtId, fontId, borderId, quote prefix, then its alignment.
    let mut xfs: Vec<(u16, usize, usize, bool, Vec<FormatAlign>, bool)> = Vec::new();
    walk(styles, |element, tag| {
        let Some(e) = element else {
            if tag == section {
                section.clear();
            }
            return;
        };
        {
            match (section.as_str(), tag) {
                (_, "numFmts" | "fonts" | "borders" | "cellXfs" | "cellStyleXfs" | "dxfs") => {
                    section = tag.to_owned()
                }
                ("numFmts", "numFmt") => {
                    num_formats.insert(attr(e, "numFmtId"), attr(e, "formatCode"));
                }
                ("fonts", "font") => fonts.push(Font::default()),
                ("fonts", _) => {
                    if let Some(font) = fonts.last_mut() {
                        let val = attr(e, "val");
                        match tag {
                            "b" => font.bold = val != "0",
                            "i" => font.italic = val != "0",
                            "u" => font.underline = val != "none",
                            "sz" => font.size = val.parse().unwrap_or(11.0),
                            "name" => font.name = val,
                            "color" => {
                                let rgb = attr(e, "rgb");
                                font.rgb = u32::from_str_radix(rgb.get(2..).unwrap_or(""), 16).ok();
                            }
                            _ => {}
                        }
                    }
                }
                ("borders", "border") => borders.push([FormatBorder::None; 4]),
                ("borders", "left" | "right" | "top" | "bottom") => {
                    let side = match tag {
                        "left" => 0,
                        "right" => 1,
                        "top" => 2,
                        _ => 3,
                    };
                    let style = match attr(e, "style").as_str() {
                        "" => FormatBorder::None,
                        "medium" => FormatBorder::Medium,
                        "dashed" => FormatBorder::Dashed,
                        "dotted" => FormatBorder::Dotted,
                        "thick" => FormatBorder::Thick,
                        "double" => FormatBorder::Double,
                        "hair" => FormatBorder::Hair,
                        "mediumDashed" => FormatBorder::MediumDashed,
                        _ => FormatBorder::Thin,
                    };
                    if let Some(border) = borders.last_mut() {
                        border[side] = style;
                    }
                }
                ("cellXfs", "xf") => xfs.push((
                    attr(e, "numFmtId").parse().unwrap_or(0),
                    attr(e, "fontId").parse().unwrap_or(0),
                    attr(e, "borderId").parse().unwrap_or(0),
                    attr(e, "quotePrefix") == "1",
                    Vec::new(),
                    false,
                )),
                ("cellXfs", "alignment") => {
                    if let Some(xf) = xfs.last_mut() {
                        xf.4.extend(match attr(e, "horizontal").as_str() {
                            "center" => Some(FormatAlign::Center),
                            "left" => Some(FormatAlign::Left),
                            "right" => Some(FormatAlign::Right),
                            "justify" => Some(FormatAlign::Justify),
                            "fill" => Some(FormatAlign::Fill),
                            "centerContinuous" => Some(FormatAlign::CenterAcross),
                            _ => None,
                        });
                        xf.4.extend(match attr(e, "vertical").as_str() {
                            "center" => Some(FormatAlign::VerticalCenter),
                            "top" => Some(FormatAlign::Top),
                            "bottom" => Some(FormatAlign::Bottom),
                            "justify" => Some(FormatAlign::VerticalJustify),
                            _ => None,
                        });
                        xf.5 = attr(e, "wrapText") == "1";
                    }
                }
                _ => {}
            }
        }
    })?;
    let mut formats = Vec::with_capacity(xfs.len());
    for (num_format, font, border, quoted, align, wrap) in xfs {
        let font = fonts.get(font).cloned().unwrap_or_default();
        let mut format = Format::new()
            .set_font_name(&font.name)
            .set_font_size(font.size);
        if font.bold {
            format = format.set_bold();
        }
        if font.italic {
            format = format.set_italic();
        }
        if font.underline {
            format = format.set_underline(FormatUnderline::Single);
        }
        if let Some(rgb) = font.rgb {
            format = format.set_font_color(Color::RGB(rgb));
        }
        if let Some([left, right, top, bottom]) = borders.get(border).copied() {
            format = format
                .set_border_left(left)
                .set_border_right(right)
                .set_border_top(top)
                .set_border_bottom(bottom);
        }
        for align in align {
            format = format.set_align(align);
        }
        if wrap {
            format = format.set_text_wrap();
        }
        if let Some(code) = num_formats.get(&num_format.to_string()) {
            format = format.set_num_format(code);
        } else if num_format > 0 {
            format = format.set_num_format_index(u8::try_from(num_format)?);
        }
        if quoted {
            format = format.set_quote_prefix();
        }
        formats.push(format);
    }
    Ok(formats)
}
