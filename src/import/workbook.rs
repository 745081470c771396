//! Opening the uploaded bytes as a workbook (format decided by the file's signature, never
//! its name) and turning each sheet into [`SheetText`]: every cell once as Unicode text in
//! one buffer, legacy encodings converted per column.

use super::ReadError;
use super::guard::{self, MAX_COLUMNS, MAX_ROWS, MAX_WORKBOOK_CELLS, OLE_MAGIC, ZIP_MAGIC};
use super::legacy_encoding::{EncodingEvidence, LegacyEncoding, push_decoded};
use calamine::{Cell, Data, DataRef, Range, Reader, SheetType, SheetVisible, Sheets};
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

impl SheetText {
    /// Converts a calamine range, deciding the legacy encoding of each column from all its
    /// text cells (falling back on the sheet's when a column alone says nothing).
    pub(crate) fn from_range(range: &Range<Data>) -> Result<Self, ReadError> {
        let Some((first_row, first_col)) = range.start() else {
            return Ok(SheetText::default());
        };
        // Cells past guard::MAX_ROWS / MAX_COLUMNS are not read: no ward list is that long or
        // wide, and a stray cell far away must not make every row enormous.
        let (full_height, full_width) = range.get_size();
        let height = full_height.min(MAX_ROWS.saturating_sub(first_row) as usize);
        let width = full_width.min(MAX_COLUMNS.saturating_sub(first_col) as usize);

        let mut columns = vec![EncodingEvidence::default(); width];
        for row in range.rows().take(height) {
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
        for row in range.rows().take(height) {
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
        let mut areas: Vec<MergedArea> = dims
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.start, d.end))
            .filter(|&((r1, c1), (r2, c2))| r1 <= r2 && c1 <= c2 && r1 < MAX_ROWS)
            .collect();
        // Excel never lets merged areas overlap. A forged file whose areas do could make the
        // fill-down of merged cells walk the same rows again for each of thousands of areas,
        // so of the areas starting in one column only those that do not overlap are kept.
        areas.sort_unstable_by_key(|&((r1, c1), _)| (c1, r1));
        let mut last: Option<(u32, u32)> = None;
        areas.retain(|&((r1, c1), (r2, _))| match last {
            Some((col, end)) if col == c1 && r1 <= end => false,
            _ => {
                last = Some((c1, r2));
                true
            }
        });
        areas
    }
}

/// Opens `bytes` as a workbook and reads every worksheet.
pub(crate) fn open(bytes: &[u8]) -> Result<LoadedWorkbook, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    // Sizes, counts and compression ratios, before calamine trusts them.
    guard::inspect(bytes)?;
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
    let mut budget = MAX_WORKBOOK_CELLS;
    for (name, visible) in metas {
        let range = read_sheet(&mut book, &name, &mut budget)?;
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

/// Reads one worksheet, holding the workbook to `budget` cells. .xlsx and .xlsb sheets are
/// streamed cell by cell, skipping cells past [`MAX_ROWS`] / [`MAX_COLUMNS`], so that two cells
/// far apart never make calamine allocate the grid between them; .xls and .ods sheets were
/// read whole by calamine, within the limits the guard checked beforehand.
fn read_sheet(
    book: &mut Sheets<Cursor<Vec<u8>>>,
    name: &str,
    budget: &mut u64,
) -> Result<Range<Data>, ReadError> {
    let xlsx_error = |e: calamine::XlsxError| match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        e => corrupt(&e),
    };
    let range = match book {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(xlsx_error)?;
            collect_cells(|| reader.next_cell().map_err(xlsx_error), name, budget)?
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| corrupt(&e))?;
            collect_cells(|| reader.next_cell().map_err(|e| corrupt(&e)), name, budget)?
        }
        book => match book.worksheet_range(name) {
            Ok(r) => r,
            Err(calamine::Error::Xls(calamine::XlsError::Password))
            | Err(calamine::Error::Xlsx(calamine::XlsxError::Password)) => {
                return Err(ReadError::Encrypted);
            }
            Err(e) => return Err(corrupt(&e)),
        },
    };
    let (height, width) = range.get_size();
    let cells = (height as u64).saturating_mul(width as u64);
    *budget = budget.checked_sub(cells).ok_or_else(|| too_large(name))?;
    Ok(range)
}

/// Gathers a streamed sheet's non-empty cells within the row and column limits into a range,
/// refusing once they (or the rectangle they span) would exceed `budget` cells.
fn collect_cells<'a>(
    mut next: impl FnMut() -> Result<Option<Cell<DataRef<'a>>>, ReadError>,
    name: &str,
    budget: &u64,
) -> Result<Range<Data>, ReadError> {
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    while let Some(cell) = next()? {
        let (row, col) = cell.get_position();
        if row >= MAX_ROWS || col >= MAX_COLUMNS || matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (r0, r1, c0, c1) = bounds.unwrap_or((row, row, col, col));
        let b = (r0.min(row), r1.max(row), c0.min(col), c1.max(col));
        let grid = u64::from(b.1 - b.0 + 1) * u64::from(b.3 - b.2 + 1);
        if grid > *budget || cells.len() as u64 >= *budget {
            return Err(too_large(name));
        }
        bounds = Some(b);
        cells.push(Cell::new((row, col), Data::from(cell.get_value().clone())));
    }
    Ok(Range::from_sparse(cells))
}

fn too_large(sheet: &str) -> ReadError {
    ReadError::SheetTooLarge {
        sheet: sheet.to_owned(),
    }
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
