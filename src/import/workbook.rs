//! Opening the uploaded bytes as a workbook (format decided by the file's signature, never
//! its name) and turning each sheet into [`SheetText`]: every cell once as Unicode text in
//! one buffer, legacy encodings converted per column.

use super::ReadError;
use super::legacy_encoding::{EncodingEvidence, LegacyEncoding, push_decoded};
use calamine::{Data, Range, Reader, SheetType, SheetVisible, Sheets};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Cursor;

/// The container format found in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// Office Open XML workbook (.xlsx, .xlsm).
    Xlsx,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// Excel 97–2003 BIFF8 (.xls).
    Xls,
    /// OpenDocument spreadsheet (.ods).
    Ods,
}

/// What a cell held before it became text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Nothing.
    Empty,
    /// Text (decoded to Unicode).
    Text,
    /// A number, written without a fractional part when it has none.
    Number,
    /// A date, written dd/mm/yyyy.
    Date,
    /// TRUE or FALSE.
    Bool,
    /// A formula error such as #N/A.
    Error,
}

/// One sheet's cells as text, row-major in a single buffer (one allocation per sheet, not
/// per cell). Text cells are decoded from TCVN3/VNI where their column was typed so, but not
/// otherwise changed: this is what the ward typed, for showing and for the annotated copy.
#[derive(Debug, Clone, Default)]
pub struct SheetText {
    first_row: u32,
    first_col: u32,
    width: usize,
    height: usize,
    text: String,
    ends: Vec<u32>,
    kinds: Vec<CellKind>,
    encodings: Vec<LegacyEncoding>,
}

/// Columns past this are ignored: no ward list is that wide, and a stray cell far to the
/// right must not make every row enormous.
const MAX_COLUMNS: usize = 200;

impl SheetText {
    /// Converts a calamine range, deciding the legacy encoding of each column from all its
    /// text cells (falling back on the sheet's when a column alone says nothing).
    pub(crate) fn from_range(range: &Range<Data>) -> Result<Self, ReadError> {
        let Some((first_row, first_col)) = range.start() else {
            return Ok(SheetText::default());
        };
        let (height, full_width) = range.get_size();
        let width = full_width.min(MAX_COLUMNS);

        let mut columns = vec![EncodingEvidence::default(); width];
        for row in range.rows() {
            for (c, cell) in row.iter().take(width).enumerate() {
                if let Data::String(s) = cell {
                    columns[c].add(s);
                }
            }
        }
        let mut sheet = EncodingEvidence::default();
        for c in &columns {
            sheet.merge(c);
        }
        let sheet_enc = sheet_fallback(&sheet);
        let encodings: Vec<LegacyEncoding> = columns
            .iter()
            .map(|c| column_encoding(c, sheet_enc))
            .collect();

        let cells = height.saturating_mul(width);
        let mut out = SheetText {
            first_row,
            first_col,
            width,
            height,
            text: String::new(),
            ends: Vec::with_capacity(cells),
            kinds: Vec::with_capacity(cells),
            encodings,
        };
        for row in range.rows() {
            for c in 0..width {
                let cell = row.get(c).unwrap_or(&Data::Empty);
                let kind = out.push_cell(cell, out.encodings[c]);
                let end = u32::try_from(out.text.len()).map_err(|_| ReadError::TooLarge)?;
                out.ends.push(end);
                out.kinds.push(kind);
            }
        }
        Ok(out)
    }

    fn push_cell(&mut self, cell: &Data, enc: LegacyEncoding) -> CellKind {
        let t = &mut self.text;
        match cell {
            Data::Empty => CellKind::Empty,
            Data::String(s) if s.trim().is_empty() => CellKind::Empty,
            Data::String(s) => {
                push_decoded(t, s, enc);
                CellKind::Text
            }
            Data::Int(i) => {
                let _ = write!(t, "{i}");
                CellKind::Number
            }
            Data::Float(f) => {
                push_number(t, *f);
                CellKind::Number
            }
            Data::Bool(b) => {
                t.push_str(if *b { "TRUE" } else { "FALSE" });
                CellKind::Bool
            }
            Data::DateTime(dt) if dt.is_datetime() => {
                let (y, m, d, hh, mm, _, _) = dt.to_ymd_hms_milli();
                let _ = write!(t, "{d:02}/{m:02}/{y:04}");
                if hh != 0 || mm != 0 {
                    let _ = write!(t, " {hh:02}:{mm:02}");
                }
                CellKind::Date
            }
            Data::DateTime(dt) => {
                push_number(t, dt.as_f64());
                CellKind::Number
            }
            Data::DateTimeIso(s) => {
                // "yyyy-mm-dd[Thh:mm:ss]" from ODS: written like the Excel dates.
                let b = s.as_bytes();
                if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && s.is_char_boundary(10) {
                    let _ = write!(t, "{}/{}/{}", &s[8..10], &s[5..7], &s[0..4]);
                    CellKind::Date
                } else {
                    t.push_str(s);
                    CellKind::Text
                }
            }
            Data::DurationIso(s) => {
                t.push_str(s);
                CellKind::Text
            }
            Data::Error(e) => {
                let _ = write!(t, "{e}");
                CellKind::Error
            }
        }
    }

    /// The sheet's first row number (1-based) held here.
    pub fn first_row(&self) -> u32 {
        self.first_row + 1
    }

    /// The sheet's last row number (1-based) held here; less than `first_row` when empty.
    pub fn last_row(&self) -> u32 {
        self.first_row + self.height as u32
    }

    /// The index (0-based, A = 0) of the first column held.
    pub fn first_col(&self) -> u32 {
        self.first_col
    }

    /// How many columns each row has.
    pub fn width(&self) -> usize {
        self.width
    }

    /// How many rows are held.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The legacy encoding decided for the column at `offset` from [`Self::first_col`].
    pub fn column_encoding(&self, offset: usize) -> LegacyEncoding {
        self.encodings
            .get(offset)
            .copied()
            .unwrap_or(LegacyEncoding::Unicode)
    }

    /// Whether any column was converted from a legacy encoding.
    pub fn legacy_encoding(&self) -> LegacyEncoding {
        self.encodings
            .iter()
            .copied()
            .find(|e| *e != LegacyEncoding::Unicode)
            .unwrap_or(LegacyEncoding::Unicode)
    }

    fn index(&self, row_idx: usize, col_idx: usize) -> Option<usize> {
        (row_idx < self.height && col_idx < self.width).then(|| row_idx * self.width + col_idx)
    }

    /// Text of the cell at a 0-based (row, column) offset from the first held cell.
    pub(crate) fn at(&self, row_idx: usize, col_idx: usize) -> &str {
        match self.index(row_idx, col_idx) {
            Some(i) => {
                let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
                self.text.get(start..self.ends[i] as usize).unwrap_or("")
            }
            None => "",
        }
    }

    /// Kind of the cell at a 0-based offset from the first held cell.
    pub(crate) fn kind_at(&self, row_idx: usize, col_idx: usize) -> CellKind {
        self.index(row_idx, col_idx)
            .map_or(CellKind::Empty, |i| self.kinds[i])
    }

    /// Text of the cell in sheet row `row` (1-based) and column `col` (0-based, A = 0);
    /// "" outside the held area.
    pub fn cell(&self, row: u32, col: u32) -> &str {
        match (
            row.checked_sub(self.first_row + 1),
            col.checked_sub(self.first_col),
        ) {
            (Some(r), Some(c)) => self.at(r as usize, c as usize),
            _ => "",
        }
    }

    /// The cells of sheet row `row` (1-based), from column [`Self::first_col`] on.
    pub fn row_cells(&self, row: u32) -> impl Iterator<Item = &str> + '_ {
        let r = row
            .checked_sub(self.first_row + 1)
            .map_or(usize::MAX, |r| r as usize);
        (0..self.width).map(move |c| self.at(r, c))
    }

    /// Whether the row at a 0-based offset has no content at all.
    pub(crate) fn row_is_blank(&self, row_idx: usize) -> bool {
        (0..self.width).all(|c| self.kind_at(row_idx, c) == CellKind::Empty)
    }
}

/// A column's encoding. A sheet is typed in one legacy encoding or none (mixing TCVN3 and
/// VNI in one sheet does not happen), and a few cells can mislead ("ñ" is TCVN3 "ủ" but VNI
/// "đ"), so a legacy sheet decides for its columns, except a column clearly typed in Unicode
/// (a header retyped later). A Unicode sheet lets a column with its own legacy evidence
/// (pasted from an old file) be decoded.
fn column_encoding(col: &EncodingEvidence, sheet_enc: LegacyEncoding) -> LegacyEncoding {
    if col.unicode > 0 && col.unicode >= col.tcvn3 + col.vni {
        return LegacyEncoding::Unicode;
    }
    match sheet_enc {
        LegacyEncoding::Unicode => col.verdict().unwrap_or(LegacyEncoding::Unicode),
        legacy => legacy,
    }
}

/// The encoding the sheet's text as a whole points to.
fn sheet_fallback(sheet: &EncodingEvidence) -> LegacyEncoding {
    if sheet.tcvn3 > sheet.unicode && sheet.tcvn3 >= sheet.vni {
        LegacyEncoding::Tcvn3
    } else if sheet.vni > sheet.unicode {
        LegacyEncoding::Vni
    } else {
        LegacyEncoding::Unicode
    }
}

/// Writes a number as a person would read it: integers without ".0", no exponent.
fn push_number(t: &mut String, f: f64) {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        let _ = write!(t, "{}", f as i64);
    } else {
        let _ = write!(t, "{f}");
    }
}

/// A merged area as ((first row, first col), (last row, last col)), 0-based sheet
/// coordinates.
pub(crate) type MergedArea = ((u32, u32), (u32, u32));

/// One worksheet of the opened workbook.
pub(crate) struct LoadedSheet {
    pub name: String,
    pub visible: bool,
    pub cells: SheetText,
}

/// The opened workbook with its worksheets as text.
pub(crate) struct LoadedWorkbook {
    pub format: FileFormat,
    pub sheets: Vec<LoadedSheet>,
    book: Sheets<Cursor<Vec<u8>>>,
}

impl LoadedWorkbook {
    /// Merged areas of a sheet as ((first row, first col), (last row, last col)), 0-based
    /// sheet coordinates; empty where the format does not record them.
    pub fn merged_areas(&mut self, sheet: &str) -> Vec<MergedArea> {
        let dims = match &mut self.book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).ok(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).ok(),
            _ => None,
        };
        dims.unwrap_or_default()
            .into_iter()
            .map(|d| (d.start, d.end))
            .collect()
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Opens `bytes` as a workbook and reads every worksheet.
pub(crate) fn open(bytes: &[u8]) -> Result<LoadedWorkbook, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    // calamine's readers need an owned `Read + Seek`; one copy of the upload is acceptable.
    let cursor = || Cursor::new(bytes.to_vec());
    let (format, book) = if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(b"PK\x05\x06") {
        if contains(
            bytes,
            b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
        ) {
            let b = calamine::Ods::new(cursor()).map_err(|e| corrupt(&e))?;
            (FileFormat::Ods, Sheets::Ods(b))
        } else if contains(bytes, b"xl/workbook.bin") {
            let b = calamine::Xlsb::new(cursor()).map_err(|e| corrupt(&e))?;
            (FileFormat::Xlsb, Sheets::Xlsb(b))
        } else if contains(bytes, b"xl/") {
            let b = calamine::Xlsx::new(cursor()).map_err(|e| match e {
                calamine::XlsxError::Password => ReadError::Encrypted,
                e => corrupt(&e),
            })?;
            (FileFormat::Xlsx, Sheets::Xlsx(b))
        } else {
            // A zip without a workbook: a .docx, an archive of several files…
            return Err(ReadError::NotSpreadsheet);
        }
    } else if bytes.starts_with(OLE_MAGIC) {
        // Encrypted .xlsx files are OLE containers holding an "EncryptedPackage" stream.
        if contains(bytes, &utf16le("EncryptedPackage")) {
            return Err(ReadError::Encrypted);
        }
        match calamine::Xls::new(cursor()) {
            Ok(b) => (FileFormat::Xls, Sheets::Xls(b)),
            Err(calamine::XlsError::Password) => return Err(ReadError::Encrypted),
            Err(e) => {
                if contains(bytes, &utf16le("Workbook")) || contains(bytes, &utf16le("Book")) {
                    return Err(corrupt(&e));
                }
                // A Word document or another OLE file.
                return Err(ReadError::NotSpreadsheet);
            }
        }
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_lowercase();
        if head.contains("<html") || head.contains("<table") || head.contains("<!doctype html") {
            return Err(ReadError::WebPage);
        }
        return Err(ReadError::NotSpreadsheet);
    };

    let mut book = book;
    let metas: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    let mut sheets = Vec::with_capacity(metas.len());
    for (name, visible) in metas {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(calamine::Error::Xls(calamine::XlsError::Password))
            | Err(calamine::Error::Xlsx(calamine::XlsxError::Password)) => {
                return Err(ReadError::Encrypted);
            }
            Err(e) => return Err(corrupt(&e)),
        };
        let cells = SheetText::from_range(&range)?;
        sheets.push(LoadedSheet {
            name,
            visible,
            cells,
        });
    }
    Ok(LoadedWorkbook {
        format,
        sheets,
        book,
    })
}

fn corrupt(e: &dyn std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        detail: e.to_string(),
    }
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
