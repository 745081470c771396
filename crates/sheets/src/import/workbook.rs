//! Opening the uploaded bytes as a workbook (format decided by the file's signature, never
//! its name) and turning each sheet into [`SheetText`]: every cell once as Unicode text in
//! one buffer, legacy encodings converted per column.

use super::ReadError;
use super::guard::{self, MAX_COLUMNS, MAX_ROWS, MAX_WORKBOOK_CELLS, OLE_MAGIC, ZIP_MAGIC};
use super::legacy_encoding::{EncodingEvidence, LegacyEncoding, push_decoded};
use calamine::{Cell, Data, DataRef, Dimensions, Range, Reader, SheetType, SheetVisible, Sheets};
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
            Data::String(s) if s.trim().is_empty() => CellKind::Empty,
            Data::String(s) => {
                push_decoded(t, s, enc);
                CellKind::Text
            }
            Data::Int(i) => push_value(t, &DataRef::Int(*i)),
            Data::Float(f) => push_value(t, &DataRef::Float(*f)),
            Data::Bool(b) => push_value(t, &DataRef::Bool(*b)),
            Data::DateTime(dt) => push_value(t, &DataRef::DateTime(*dt)),
            Data::DateTimeIso(s) => push_date_time_iso(t, s),
            Data::DurationIso(s) => push_value(t, &DataRef::SharedString(s)),
            Data::Error(e) => push_value(t, &DataRef::Error(e.clone())),
            Data::Empty => CellKind::Empty,
        }
    }

    pub fn first_row(&self) -> u32 {
        self.first_row + 1
    }

    /// The memory the text and the per-cell tables hold.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * std::mem::size_of::<u32>()
            + self.kinds.capacity() * std::mem::size_of::<CellKind>()
            + self.encodings.capacity() * std::mem::size_of::<LegacyEncoding>()
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
        push_int(t, f as i64);
    } else {
        let _ = write!(t, "{f}");
    }
}

/// Writes an integer in decimal (what `write!` writes, without the formatting machinery
/// that a hundred thousand rows of numbers notice).
fn push_int(t: &mut String, i: i64) {
    let mut digits = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        t.push('-');
    }
    for &d in &digits[at..] {
        t.push(char::from(d));
    }
}

/// Writes an Excel date as dd/mm/yyyy (with the time when it has one); a duration as its
/// number.
fn push_date_time(t: &mut String, dt: &calamine::ExcelDateTime) -> CellKind {
    if dt.is_datetime() {
        let (y, m, d, hh, mm, _, _) = dt.to_ymd_hms_milli();
        let _ = write!(t, "{d:02}/{m:02}/{y:04}");
        if hh != 0 || mm != 0 {
            let _ = write!(t, " {hh:02}:{mm:02}");
        }
        CellKind::Date
    } else {
        push_number(t, dt.as_f64());
        CellKind::Number
    }
}

/// Writes "yyyy-mm-dd[Thh:mm:ss]" (from ODS) like the Excel dates.
fn push_date_time_iso(t: &mut String, s: &str) -> CellKind {
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && s.is_char_boundary(10) {
        let _ = write!(t, "{}/{}/{}", &s[8..10], &s[5..7], &s[0..4]);
        CellKind::Date
    } else {
        t.push_str(s);
        CellKind::Text
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
pub(crate) struct LoadedWorkbook<'a> {
    pub format: FileFormat,
    pub sheets: Vec<LoadedSheet>,
    book: Sheets<Cursor<&'a [u8]>>,
    /// Each .xlsx worksheet's merged areas, read on a second thread while the cells streamed;
    /// `None` where that failed (calamine is then asked again, and says the same).
    xlsx_merges: Vec<(String, Option<Vec<Dimensions>>)>,
}

impl LoadedWorkbook<'_> {
    /// Merged areas of a sheet as ((first row, first col), (last row, last col)), 0-based
    /// sheet coordinates; empty where the format does not record them.
    pub fn merged_areas(&mut self, sheet: &str) -> Vec<MergedArea> {
        let known = self
            .xlsx_merges
            .iter_mut()
            .find(|(name, m)| name == sheet && m.is_some())
            .and_then(|(_, m)| m.take());
        let dims = match (known, &mut self.book) {
            (Some(d), _) => Some(d),
            (None, Sheets::Xlsx(x)) => x.merge_cells_by_sheet_name(sheet).ok(),
            (None, Sheets::Xls(x)) => x.merge_cells_by_sheet_name(sheet).ok(),
            _ => None,
        };
        usable_merged_areas(dims.unwrap_or_default())
    }
}

/// Merged areas as ((first row, first col), (last row, last col)), 0-based sheet
/// coordinates, of those the file records that the reader can use.
fn usable_merged_areas(dims: Vec<Dimensions>) -> Vec<MergedArea> {
    let mut areas: Vec<MergedArea> = dims
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

/// The merged areas of each worksheet, from a second reader of the same bytes: calamine
/// finds them only by parsing the whole sheet again, which is done here in parallel with
/// the first reader streaming the cells.
fn xlsx_merges(bytes: &[u8], names: &[String]) -> Vec<(String, Option<Vec<Dimensions>>)> {
    if let [name] = names
        && let Some(merges) = only_sheet_merges(bytes)
    {
        return vec![(name.clone(), Some(merges))];
    }
    let Ok(mut book) = calamine::Xlsx::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    names
        .iter()
        .map(|n| (n.clone(), book.merge_cells_by_sheet_name(n).ok()))
        .collect()
}

/// The merged areas of a workbook's only worksheet, found by scanning its XML for the
/// `<mergeCells>` element (after the cells) rather than parsing every cell a second time.
/// This scanner stays beside calamine for the one case the streaming reader needs it:
/// calamine's `merge_cells_by_sheet_name` parses the whole sheet again, 1.0–1.4 s on the
/// 100,000-row district list (crates/sheets/examples/bench_data.rs), more than the whole
/// streamed read (0.7 s), where inflating the sheet and finding the tag takes about 0.1 s.
/// Workbooks of several sheets, and .xls, use calamine's reading.
/// `None` unless the layout is the usual one: a single part in xl/worksheets/ that the
/// workbook's relationships name, and a well-formed list; calamine is asked then.
fn only_sheet_merges(bytes: &[u8]) -> Option<Vec<Dimensions>> {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let parts: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| {
            n.strip_prefix("xl/worksheets/")
                .is_some_and(|f| f.ends_with(".xml") && !f.contains('/'))
        })
        .map(|n| n.into_owned())
        .collect();
    let [path] = parts.as_slice() else {
        return None;
    };
    let mut rels = Vec::new();
    zip.by_name("xl/_rels/workbook.xml.rels")
        .ok()?
        .take(1 << 20)
        .read_to_end(&mut rels)
        .ok()?;
    let relative = format!("\"{}\"", path.strip_prefix("xl/")?);
    let absolute = format!("\"/{path}\"");
    if !contains(&rels, relative.as_bytes()) && !contains(&rels, absolute.as_bytes()) {
        return None;
    }
    let sheet = zip.by_name(path).ok()?;
    let tail = merge_cells_tail(sheet)?;
    parse_merge_cells(&tail)
}

/// The sheet XML from its `<mergeCells` tag (any namespace prefix) to the end; empty when
/// there is none. `None` past 16 MB of tail or on a read error.
fn merge_cells_tail(mut sheet: impl std::io::Read) -> Option<Vec<u8>> {
    use std::io::Read as _;
    const TAG: &[u8] = b"mergeCells";
    const MAX_TAIL: u64 = 16 << 20;
    let mut window: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = sheet.read(&mut chunk).ok()?;
        if n == 0 {
            return Some(Vec::new());
        }
        // Keep a few bytes of the previous chunk so that a tag split between two is found.
        let keep = window.len().min(256);
        window.drain(..window.len() - keep);
        window.extend_from_slice(&chunk[..n]);
        let mut at = 0;
        while let Some(i) = window[at..].iter().position(|&b| b == b'<') {
            let lt = at + i;
            at = lt + 1;
            let rest = &window[lt + 1..];
            // "<mergeCells" or "<x:mergeCells", followed by a space, ">" or "/".
            let name_start = rest
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
                .filter(|&p| rest[p] == b':')
                .map_or(0, |p| p + 1);
            let Some(after) = rest.get(name_start..) else {
                continue;
            };
            if after.starts_with(TAG)
                && after
                    .get(TAG.len())
                    .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/'))
            {
                let mut tail = window[lt..].to_vec();
                let limit = MAX_TAIL.saturating_sub(tail.len() as u64);
                let read = sheet.take(limit + 1).read_to_end(&mut tail).ok()?;
                return (read as u64 <= limit).then_some(tail);
            }
        }
    }
}

/// The areas of a `<mergeCells>` list, read as calamine reads them; `None` where calamine
/// would fail.
fn parse_merge_cells(tail: &[u8]) -> Option<Vec<Dimensions>> {
    use quick_xml::events::Event;
    let mut areas = Vec::new();
    if tail.is_empty() {
        return Some(areas);
    }
    let mut xml = quick_xml::Reader::from_reader(tail);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "mergeCell" => {
                let mut reference = None;
                for attr in e.attributes() {
                    let attr = attr.ok()?;
                    if attr.key.as_ref() == "ref" {
                        reference = Some(attr.value.to_string());
                        break;
                    }
                }
                if let Some(r) = reference {
                    areas.push(dimension(&r)?);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "mergeCells" => return Some(areas),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// "A1:B3" (or "A1") as calamine's dimensions; `None` where calamine refuses it.
fn dimension(reference: &str) -> Option<Dimensions> {
    let cell = |s: &str| -> Option<(u32, u32)> {
        let b = s.as_bytes();
        let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let digits = &b[letters..];
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let col = b[..letters].iter().fold(0u32, |n, c| {
            n.wrapping_mul(26)
                .wrapping_add(u32::from(c.to_ascii_uppercase() - b'A') + 1)
        });
        let row = digits.iter().fold(0u32, |n, d| {
            n.wrapping_mul(10).wrapping_add(u32::from(d - b'0'))
        });
        Some((row.checked_sub(1)?, col.checked_sub(1)?))
    };
    let parts: Vec<&str> = reference.split(':').collect();
    match parts.as_slice() {
        [one] => {
            let p = cell(one)?;
            Some(Dimensions { start: p, end: p })
        }
        [a, b] => Some(Dimensions {
            start: cell(a)?,
            end: cell(b)?,
        }),
        _ => None,
    }
}

/// The first rows of a workbook's only worksheet, handed over while the rest of it is still
/// being read: a reader that stores rows can start on these (see
/// `read_ward_file_in_batches`) instead of waiting for the whole parse.
pub(crate) struct SheetPrefix<'s> {
    pub name: &'s str,
    /// The sheet's rows above the cut, every one of them complete; their legacy encodings
    /// decided on these rows alone.
    pub cells: SheetText,
    pub merged: Vec<MergedArea>,
}

/// Where to cut a [`SheetPrefix`] (the sheet's 0-based row at which it ends), and who takes
/// it. It is cut only from an .xlsx workbook of one worksheet whose merged areas were found
/// by [`only_sheet_merges`], and only from a sheet that reaches that row.
pub(crate) struct PrefixHook<'h> {
    pub cut_at_row: u32,
    pub on_prefix: &'h mut dyn FnMut(SheetPrefix<'_>),
}

/// Opens `bytes` as a workbook and reads every worksheet.
pub(crate) fn open(bytes: &[u8]) -> Result<LoadedWorkbook<'_>, ReadError> {
    open_with_prefix(bytes, None)
}

/// [`open`], handing the only worksheet's first rows to `prefix` as soon as they are read.
pub(crate) fn open_with_prefix<'b>(
    bytes: &'b [u8],
    prefix: Option<PrefixHook<'_>>,
) -> Result<LoadedWorkbook<'b>, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    // Sizes, counts and compression ratios, before calamine trusts them.
    guard::inspect(bytes)?;
    // calamine reads from the caller's bytes: no copy of the upload.
    let cursor = || Cursor::new(bytes);
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
    let read_all = |book: &mut Sheets<Cursor<&[u8]>>,
                    mut cut: Option<Cut<'_>>|
     -> Result<Vec<LoadedSheet>, ReadError> {
        let mut sheets = Vec::with_capacity(metas.len());
        let mut budget = MAX_WORKBOOK_CELLS;
        for (name, visible) in &metas {
            let cells = read_sheet(book, name, &mut budget, cut.take())?;
            sheets.push(LoadedSheet {
                name: name.clone(),
                visible: *visible,
                cells,
            });
        }
        Ok(sheets)
    };
    let (sheets, xlsx_merges) = if format == FileFormat::Xlsx {
        let names: Vec<String> = metas.iter().map(|(n, _)| n.clone()).collect();
        std::thread::scope(|scope| {
            let running = scope.spawn(|| xlsx_merges(bytes, &names));
            // A panic over there only loses the head start: calamine is asked again later.
            let mut running = Some(running);
            let mut merges = None;
            let join = |running: Option<std::thread::ScopedJoinHandle<'_, _>>| {
                running
                    .map(|r| r.join().unwrap_or_default())
                    .unwrap_or_default()
            };
            let sheets = match (prefix, names.as_slice()) {
                (Some(hook), [name]) => {
                    // The prefix needs the sheet's merged areas: the scanner's, which are
                    // ready about when the first rows are; never calamine's second parse.
                    let mut hand_over = |cells: SheetText| {
                        let scanned = merges
                            .get_or_insert_with(|| join(running.take()))
                            .iter()
                            .find(|(n, m)| n == name && m.is_some())
                            .and_then(|(_, m)| m.clone());
                        if let Some(dims) = scanned {
                            (hook.on_prefix)(SheetPrefix {
                                name,
                                cells,
                                merged: usable_merged_areas(dims),
                            });
                        }
                    };
                    read_all(&mut book, Some((hook.cut_at_row, &mut hand_over)))
                }
                _ => read_all(&mut book, None),
            };
            let merges = merges.unwrap_or_else(|| join(running.take()));
            (sheets, merges)
        })
    } else {
        (read_all(&mut book, None), Vec::new())
    };
    Ok(LoadedWorkbook {
        format,
        sheets: sheets?,
        book,
        xlsx_merges,
    })
}

/// Reads one worksheet, holding the workbook to `budget` cells. .xlsx and .xlsb sheets are
/// streamed cell by cell, skipping cells past [`MAX_ROWS`] / [`MAX_COLUMNS`], so that two cells
/// far apart never make calamine allocate the grid between them; .xls and .ods sheets were
/// read whole by calamine, within the limits the guard checked beforehand.
fn read_sheet(
    book: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
    cut: Option<Cut<'_>>,
) -> Result<SheetText, ReadError> {
    let xlsx_error = |e: calamine::XlsxError| match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        e => corrupt(&e),
    };
    let sheet = match book {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(xlsx_error)?;
            collect_cells(|| reader.next_cell().map_err(xlsx_error), name, budget, cut)?
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| corrupt(&e))?;
            collect_cells(
                || reader.next_cell().map_err(|e| corrupt(&e)),
                name,
                budget,
                None,
            )?
        }
        book => match book.worksheet_range(name) {
            Ok(r) => SheetText::from_range(&r)?,
            Err(calamine::Error::Xls(calamine::XlsError::Password))
            | Err(calamine::Error::Xlsx(calamine::XlsxError::Password)) => {
                return Err(ReadError::Encrypted);
            }
            Err(e) => return Err(corrupt(&e)),
        },
    };
    let cells = (sheet.height as u64).saturating_mul(sheet.width as u64);
    *budget = budget.checked_sub(cells).ok_or_else(|| too_large(name))?;
    Ok(sheet)
}

/// A row at which to hand the sheet read so far (as [`StreamedSheet::finish`] lays it out)
/// to someone, once.
type Cut<'c> = (u32, &'c mut dyn FnMut(SheetText));

/// Gathers a streamed sheet's non-empty cells within the row and column limits, refusing once
/// they (or the rectangle they span) would exceed `budget` cells. Each cell's text is written
/// as it arrives (strings borrowed from the shared-string table, not copied per cell); the
/// legacy encodings are decided once the whole sheet is known. With a `cut`, the rows above
/// its row are laid out and handed over when the first cell at or below it arrives (cells in
/// row order, as Excel writes them; never from a sheet whose cells came out of order).
fn collect_cells<'a>(
    mut next: impl FnMut() -> Result<Option<Cell<DataRef<'a>>>, ReadError>,
    name: &str,
    budget: &u64,
    mut cut: Option<Cut<'_>>,
) -> Result<SheetText, ReadError> {
    let mut sheet = StreamedSheet::default();
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    while let Some(cell) = next()? {
        let (row, col) = cell.get_position();
        if row >= MAX_ROWS || col >= MAX_COLUMNS || matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        if cut.as_ref().is_some_and(|(at, _)| row >= *at)
            && let Some((_, hand_over)) = cut.take()
            && !sheet.out_of_order
            && let Ok(above) = sheet.clone().finish(bounds)
        {
            hand_over(above);
        }
        let (r0, r1, c0, c1) = bounds.unwrap_or((row, row, col, col));
        let b = (r0.min(row), r1.max(row), c0.min(col), c1.max(col));
        let grid = u64::from(b.1 - b.0 + 1) * u64::from(b.3 - b.2 + 1);
        if grid > *budget || sheet.cells.len() as u64 >= *budget {
            return Err(too_large(name));
        }
        bounds = Some(b);
        sheet.push(row, col, cell.get_value())?;
    }
    sheet.finish(bounds)
}

/// How a streamed cell's text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// A string as the file holds it: decoded later if its column is in a legacy encoding.
    String,
    /// Final text of this kind.
    As(CellKind),
}

/// One streamed cell: its position and where its text ends in [`StreamedSheet::text`] (it
/// starts where the previous cell's ends).
#[derive(Debug, Clone, Copy)]
struct StreamedCell {
    row: u32,
    col: u32,
    end: u32,
    written: Written,
}

/// A sheet's cells in the order the file gives them, before the rectangle is known.
#[derive(Debug, Default, Clone)]
struct StreamedSheet {
    text: String,
    cells: Vec<StreamedCell>,
    /// Whether every cell came after the previous one in row-major order (as Excel writes
    /// them): then the text is already laid out as [`SheetText`] holds it.
    out_of_order: bool,
}

impl StreamedSheet {
    fn push(&mut self, row: u32, col: u32, value: &DataRef<'_>) -> Result<(), ReadError> {
        if let Some(last) = self.cells.last()
            && (row, col) <= (last.row, last.col)
        {
            self.out_of_order = true;
        }
        let t = &mut self.text;
        let written = match value {
            DataRef::String(s) => push_string(t, s),
            DataRef::SharedString(s) => push_string(t, s),
            value => Written::As(push_value(t, value)),
        };
        let end = u32::try_from(self.text.len()).map_err(|_| ReadError::TooLarge)?;
        self.cells.push(StreamedCell {
            row,
            col,
            end,
            written,
        });
        Ok(())
    }

    /// The cells as streamed, each with where its text starts.
    fn in_stream_order(&self) -> impl Iterator<Item = (StreamedCell, u32)> + '_ {
        self.cells.iter().scan(0u32, |start, cell| {
            let this = *start;
            *start = cell.end;
            Some((*cell, this))
        })
    }

    /// Lays the cells out in their rectangle, decoding the columns typed in a legacy
    /// encoding (decided as [`SheetText::from_range`] decides them).
    fn finish(self, bounds: Option<(u32, u32, u32, u32)>) -> Result<SheetText, ReadError> {
        let Some((r0, r1, c0, c1)) = bounds else {
            return Ok(SheetText::default());
        };
        let height = (r1 - r0 + 1) as usize;
        let width = (c1 - c0 + 1) as usize;
        // Out of order, the cells are sorted (each keeping where its text starts), and a later
        // cell at the same position wins, as in calamine's ranges. In order (the usual case),
        // they are walked as they are.
        let sorted: Option<Vec<(StreamedCell, u32)>> = self.out_of_order.then(|| {
            let mut v: Vec<(StreamedCell, u32)> = self.in_stream_order().collect();
            v.sort_by_key(|(c, _)| (c.row, c.col));
            v.dedup_by(|later, earlier| {
                let same = (later.0.row, later.0.col) == (earlier.0.row, earlier.0.col);
                if same {
                    *earlier = *later;
                }
                same
            });
            v
        });
        let cells_in_order = || -> Box<dyn Iterator<Item = (StreamedCell, u32)> + '_> {
            match &sorted {
                Some(v) => Box::new(v.iter().copied()),
                None => Box::new(self.in_stream_order()),
            }
        };
        let slice = |cell: &StreamedCell, start: u32| -> &str {
            self.text
                .get(start as usize..cell.end as usize)
                .unwrap_or("")
        };

        let mut columns = vec![EncodingEvidence::default(); width];
        for (cell, start) in cells_in_order() {
            if cell.written == Written::String {
                columns[(cell.col - c0) as usize].add(slice(&cell, start));
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

        // When the cells came in order and no column needs decoding, the streamed text is
        // already the sheet's text.
        let rewrite = self.out_of_order || encodings.iter().any(|e| *e != LegacyEncoding::Unicode);
        let mut text = String::new();
        let cells = height.saturating_mul(width);
        let mut ends: Vec<u32> = Vec::with_capacity(cells);
        let mut kinds: Vec<CellKind> = Vec::with_capacity(cells);
        let mut pos: usize = 0;
        for (cell, start) in cells_in_order() {
            let idx = (cell.row - r0) as usize * width + (cell.col - c0) as usize;
            let filler = if rewrite { text.len() } else { start as usize };
            let filler = u32::try_from(filler).map_err(|_| ReadError::TooLarge)?;
            ends.resize(idx, filler);
            kinds.resize(idx, CellKind::Empty);
            let kind = match cell.written {
                Written::String => CellKind::Text,
                Written::As(k) => k,
            };
            let end = if rewrite {
                match cell.written {
                    Written::String => push_decoded(
                        &mut text,
                        slice(&cell, start),
                        encodings[(cell.col - c0) as usize],
                    ),
                    Written::As(_) => text.push_str(slice(&cell, start)),
                }
                text.len()
            } else {
                cell.end as usize
            };
            ends.push(u32::try_from(end).map_err(|_| ReadError::TooLarge)?);
            kinds.push(kind);
            pos = idx + 1;
        }
        debug_assert_eq!(pos, ends.len());
        drop(sorted);
        if !rewrite {
            text = self.text;
        }
        let last = u32::try_from(text.len()).map_err(|_| ReadError::TooLarge)?;
        ends.resize(cells, last);
        kinds.resize(cells, CellKind::Empty);
        Ok(SheetText {
            first_row: r0,
            first_col: c0,
            width,
            height,
            text,
            ends,
            kinds,
            encodings,
        })
    }
}

/// Writes a cell's value as text, the same way for streamed (.xlsx) and whole-range
/// (.xls, .ods) sheets. Text arrives here only as a duration's ISO text: each reader writes
/// string cells itself, since only they know about legacy encodings.
fn push_value(t: &mut String, value: &DataRef<'_>) -> CellKind {
    match value {
        DataRef::Int(i) => {
            push_int(t, *i);
            CellKind::Number
        }
        DataRef::Float(f) => {
            push_number(t, *f);
            CellKind::Number
        }
        DataRef::Bool(b) => {
            t.push_str(if *b { "TRUE" } else { "FALSE" });
            CellKind::Bool
        }
        DataRef::DateTime(dt) => push_date_time(t, dt),
        DataRef::DateTimeIso(s) => push_date_time_iso(t, s),
        DataRef::DurationIso(s) | DataRef::String(s) => {
            t.push_str(s);
            CellKind::Text
        }
        DataRef::SharedString(s) => {
            t.push_str(s);
            CellKind::Text
        }
        DataRef::Error(e) => {
            let _ = write!(t, "{e}");
            CellKind::Error
        }
        DataRef::Empty => CellKind::Empty,
    }
}

/// Writes a string cell; one of only whitespace is an empty cell (it still counts for the
/// sheet's extent, as calamine's ranges count it).
fn push_string(t: &mut String, s: &str) -> Written {
    if s.trim().is_empty() {
        Written::As(CellKind::Empty)
    } else {
        t.push_str(s);
        Written::String
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Streams `cells` as calamine's cell reader would give them, and also lays them out the
    /// way a whole calamine range is converted: both must give the same sheet text.
    fn streamed_and_ranged(cells: &[((u32, u32), Data)]) -> (SheetText, SheetText) {
        let mut queue = cells.iter().map(|(pos, value)| {
            let value = match value {
                Data::String(s) => DataRef::String(s.clone()),
                Data::Float(f) => DataRef::Float(*f),
                Data::Int(i) => DataRef::Int(*i),
                Data::Bool(b) => DataRef::Bool(*b),
                other => panic!("not used here: {other:?}"),
            };
            Cell::new(*pos, value)
        });
        let streamed = collect_cells(|| Ok(queue.next()), "Sheet1", &MAX_WORKBOOK_CELLS, None)
            .expect("within the limits");
        let range = Range::from_sparse(
            cells
                .iter()
                .map(|(pos, value)| Cell::new(*pos, value.clone()))
                .collect(),
        );
        (
            streamed,
            SheetText::from_range(&range).expect("within the limits"),
        )
    }

    fn assert_same(a: &SheetText, b: &SheetText) {
        assert_eq!(
            (a.first_row(), a.first_col(), a.width(), a.height()),
            (b.first_row(), b.first_col(), b.width(), b.height())
        );
        assert_eq!(a.legacy_encoding(), b.legacy_encoding());
        for r in 0..a.height() {
            for c in 0..a.width() {
                assert_eq!(a.at(r, c), b.at(r, c), "({r}, {c})");
                assert_eq!(a.kind_at(r, c), b.kind_at(r, c), "({r}, {c})");
            }
        }
    }

    #[test]
    fn merged_areas_scanned_from_the_xml_are_calamines() {
        // The repository root, two floors above this crate.
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        for folder in ["import-samples", "tests/fixtures/hostile/crafted"] {
            for entry in std::fs::read_dir(dir.join(folder)).expect("the folder exists") {
                let path = entry.expect("a listed file").path();
                if path.extension().is_some_and(|e| e == "xlsx") {
                    files.push(path);
                }
            }
        }
        let mut scanned = 0;
        for path in files {
            let bytes = std::fs::read(&path).expect("readable");
            // What the guard refuses never reaches calamine.
            if guard::inspect(&bytes).is_err() {
                continue;
            }
            let Some(ours) = only_sheet_merges(&bytes) else {
                continue;
            };
            let Ok(mut book) = calamine::Xlsx::new(Cursor::new(bytes.as_slice())) else {
                continue;
            };
            let names = book.sheet_names();
            let [name] = names.as_slice() else {
                panic!(
                    "{}: one worksheet part but {} sheets",
                    path.display(),
                    names.len()
                );
            };
            let theirs = book.merge_cells_by_sheet_name(name).ok();
            assert_eq!(Some(ours), theirs, "{}", path.display());
            scanned += 1;
        }
        assert!(scanned > 0);
    }

    #[test]
    fn merge_cell_lists_are_read_as_calamine_reads_them() {
        let tail = br#"<mergeCells count="2"><mergeCell ref="A7:A9"/><mergeCell ref="c10"/></mergeCells><pageMargins/>"#;
        let areas = parse_merge_cells(tail).expect("well formed");
        assert_eq!(areas.len(), 2);
        assert_eq!((areas[0].start, areas[0].end), ((6, 0), (8, 0)));
        assert_eq!((areas[1].start, areas[1].end), ((9, 2), (9, 2)));
        assert!(parse_merge_cells(br#"<mergeCells><mergeCell ref="7:9"/></mergeCells>"#).is_none());
        assert!(parse_merge_cells(br#"<mergeCells><mergeCell ref="A1:B2"/>"#).is_none());
        let sheet = b"<worksheet><sheetData><row r=\"1\"/></sheetData><x:mergeCells><x:mergeCell ref=\"B2:C2\"/></x:mergeCells></worksheet>";
        let tail = merge_cells_tail(&sheet[..]).expect("small");
        assert!(tail.starts_with(b"<x:mergeCells>"));
        assert_eq!(parse_merge_cells(&tail).map(|a| a.len()), Some(1));
        assert_eq!(
            merge_cells_tail(&b"<worksheet><sheetData/></worksheet>"[..]),
            Some(Vec::new())
        );
    }

    #[test]
    fn streamed_cells_in_order_give_the_range_text() {
        let s = |t: &str| Data::String(t.to_owned());
        let cells = vec![
            ((2, 1), s("Họ và tên")),
            ((2, 3), s("Năm sinh")),
            ((3, 1), s("Nguyễn Văn An")),
            ((3, 2), s(" \u{a0} ")),
            ((3, 3), Data::Float(1950.0)),
            ((4, 1), s("Trần Thị Bé")),
            ((4, 3), Data::Int(-1948)),
            ((5, 4), Data::Bool(true)),
        ];
        let (streamed, ranged) = streamed_and_ranged(&cells);
        assert_same(&streamed, &ranged);
        assert_eq!(streamed.cell(5, 3), "-1948");
    }

    #[test]
    fn streamed_cells_out_of_order_or_repeated_give_the_range_text() {
        let s = |t: &str| Data::String(t.to_owned());
        // TCVN3 names, a cell given twice (the later wins) and rows out of order.
        let cells = vec![
            ((4, 1), s("NguyÔn V¨n Tr\u{ad}êng")),
            ((1, 1), s("Hä vµ tªn")),
            ((1, 2), s("N¨m sinh")),
            ((2, 1), s("Lª ThÞ Hoa")),
            ((2, 2), Data::Float(1950.0)),
            ((2, 1), s("TrÇn V¨n Quèc")),
            ((3, 0), Data::Int(7)),
        ];
        let (streamed, ranged) = streamed_and_ranged(&cells);
        assert_same(&streamed, &ranged);
        assert_eq!(streamed.legacy_encoding(), LegacyEncoding::Tcvn3);
        assert_eq!(streamed.cell(3, 1), "Trần Văn Quốc");
    }
}
