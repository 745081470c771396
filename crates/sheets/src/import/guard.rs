//! The checks an uploaded file passes before a spreadsheet reader opens it.
//!
//! calamine believes the sizes and counts a file declares: a shared-strings count of a
//! trillion makes it reserve terabytes, an .xls DIMENSIONS record or two cells far apart make
//! it allocate a grid of billions of cells. When such an allocation fails the process aborts,
//! which no `catch_unwind` can stop, and one upload would take the whole service down; a zip
//! bomb would keep a worker busy for minutes. So, before calamine sees the bytes, this module
//! reads only the containers' own tables (the zip central directory, the OLE directory, the
//! BIFF record headers, the ODS row and cell tags, the start of the shared strings) and refuses
//! what goes beyond the limits below. Within them any file is read in a few seconds and a few
//! hundred MB. Files that are not workbooks at all (a PDF, a CSV, a web page renamed .xlsx)
//! are told apart here too, each with its own reason.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read};

use super::ReadError;

/// The largest total the entries of a zip workbook (.xlsx, .xlsm, .xlsb, .ods) may inflate to.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 200 * 1024 * 1024;

/// The most entries a zip workbook may hold (a real one has a few dozen).
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// The highest compression ratio allowed for an entry (or the whole archive) larger than
/// [`COMPRESSION_RATIO_FLOOR`]. Spreadsheet XML deflates 5–30:1; a bomb of zeros 1000:1.
pub const MAX_COMPRESSION_RATIO: u64 = 100;

/// Entries up to this size are not held to [`MAX_COMPRESSION_RATIO`]: a small, very regular
/// part (an empty sheet, a styles part) may compress better without being dangerous.
pub const COMPRESSION_RATIO_FLOOR: u64 = 1024 * 1024;

/// The largest uploaded file read at all, any format. The web form has its own, smaller,
/// limit (`CHAMLO_MAX_UPLOAD_MB`); this one protects the command line too.
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;

/// Rows from this one on (0-based, so sheet rows past 200,000) are not read.
pub const MAX_ROWS: u32 = 200_000;

/// Columns from this one on (0-based, so past column CV) are not read.
pub const MAX_COLUMNS: u32 = 100;

/// The most cells the sheets of one workbook may span together (each sheet counted as the
/// rectangle from its first to its last cell). A ward list of 5,000 people in 20 columns is
/// 100,000; four million cells is a few hundred MB at most while reading. (The message of
/// [`ReadError::SheetTooLarge`] says "4 triệu ô": change both together.)
pub const MAX_WORKBOOK_CELLS: u64 = 4_000_000;

/// The largest shared-strings count believed (calamine reserves room for as many strings).
pub const MAX_SHARED_STRINGS: u64 = 1_000_000;

/// calamine's own limit on ODS columns (it caps repeated cells there).
const ODS_MAX_COLUMNS: u64 = 16_384;
/// calamine's own limit on ODS rows.
const ODS_MAX_ROWS: u64 = 1_048_576;

/// The zip local-file-header signature that starts an .xlsx, .xlsb or .ods.
pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The zip end-of-central-directory signature (starts an empty zip).
pub(crate) const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
/// The OLE compound-file signature that starts an .xls (and an encrypted .xlsx).
pub(crate) const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Checks `bytes` (not empty) before any reader opens them: a zip or OLE container must be
/// within the limits, anything else is refused with the reason that fits it.
pub(crate) fn inspect(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) {
        check_file_size(bytes)?;
        check_zip(bytes)
    } else if bytes.starts_with(OLE_MAGIC) {
        check_file_size(bytes)?;
        check_ole(bytes)
    } else {
        Err(classify_other(bytes))
    }
}

fn check_file_size(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(())
}

/// Names what a file that is neither a zip nor an OLE container is.
fn classify_other(bytes: &[u8]) -> ReadError {
    let start = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    let start = trim_ascii_start(start);
    if start.starts_with(b"%PDF-") {
        return ReadError::Pdf;
    }
    let head = String::from_utf8_lossy(&start[..start.len().min(2048)]).to_lowercase();
    if head.contains("<html") || head.contains("<table") || head.contains("<!doctype html") {
        return ReadError::WebPage;
    }
    if looks_like_csv(start) {
        return ReadError::Csv;
    }
    ReadError::NotSpreadsheet
}

fn trim_ascii_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[skip..]
}

/// Text (UTF-8, or a legacy 8-bit code page: no control bytes) whose lines are cut by
/// commas, semicolons or tabs.
fn looks_like_csv(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    let is_text = sample
        .iter()
        .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'));
    if !is_text || sample.is_empty() {
        return false;
    }
    let lines: Vec<&[u8]> = sample
        .split(|&b| b == b'\n')
        .filter(|l| !trim_ascii_start(l).is_empty())
        .take(20)
        .collect();
    let separated = lines
        .iter()
        .filter(|l| l.iter().any(|b| matches!(b, b',' | b';' | b'\t')))
        .count();
    separated > 0 && separated * 2 >= lines.len()
}

fn corrupt(detail: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        detail: detail.to_string(),
    }
}

fn unsafe_file(detail: String) -> ReadError {
    ReadError::Unsafe { detail }
}

/// Reads the zip central directory (no entry is inflated for this) and refuses archives
/// with too many entries, too much data once inflated, or bomb-like compression ratios;
/// then looks at the few parts whose declared counts calamine trusts.
fn check_zip(bytes: &[u8]) -> Result<(), ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(unsafe_file(format!(
            "{} zip entries (limit {MAX_ZIP_ENTRIES})",
            archive.len()
        )));
    }
    let mut total: u64 = 0;
    let mut total_compressed: u64 = 0;
    let mut shared_strings = Vec::new();
    let mut ods_content = None;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(corrupt)?;
        if entry.encrypted() {
            return Err(ReadError::Encrypted);
        }
        let size = entry.size();
        let compressed = entry.compressed_size();
        if size > COMPRESSION_RATIO_FLOOR && size / compressed.max(1) > MAX_COMPRESSION_RATIO {
            return Err(unsafe_file(format!(
                "zip entry {i} inflates {compressed} bytes to {size}"
            )));
        }
        total = total.saturating_add(size);
        total_compressed = total_compressed.saturating_add(compressed);
        let raw_name = entry.name_raw();
        let name = String::from_utf8_lossy(raw_name)
            .replace('\\', "/")
            .to_ascii_lowercase();
        if name.ends_with("sharedstrings.xml") {
            shared_strings.push(i);
        }
        if raw_name == b"content.xml" {
            ods_content = Some(i);
        }
    }
    if total > COMPRESSION_RATIO_FLOOR && total / total_compressed.max(1) > MAX_COMPRESSION_RATIO {
        return Err(unsafe_file(format!(
            "zip inflates {total_compressed} bytes to {total}"
        )));
    }
    if total > MAX_UNCOMPRESSED_BYTES {
        return Err(ReadError::TooLarge);
    }
    for i in shared_strings {
        let entry = archive.by_index(i).map_err(corrupt)?;
        check_shared_strings_count(BufReader::new(entry.take(64 * 1024)))?;
    }
    if let Some(i) = ods_content {
        let entry = archive.by_index(i).map_err(corrupt)?;
        check_ods_content(BufReader::new(entry))?;
    }
    Ok(())
}

/// Refuses a shared-strings part whose `<sst uniqueCount>` is beyond belief.
fn check_shared_strings_count(reader: impl BufRead) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                for attr in e.attributes().flatten() {
                    if attr.key.local_name().as_ref() == "uniqueCount"
                        && declared_count(attr.value.as_bytes()) > MAX_SHARED_STRINGS
                    {
                        return Err(ReadError::TooLarge);
                    }
                }
                return Ok(());
            }
            // Whatever calamine makes of a broken or truncated part, it is not a count.
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
    }
}

/// A count as calamine would parse it (digits only), saturating; 0 when it would not parse.
fn declared_count(value: &[u8]) -> u64 {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    value.iter().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

/// What one ODS table will cost calamine, estimated as it reads it: every row element's cells
/// up to its last non-empty one (column repeats expanded), then the rectangle from the first to
/// the last non-empty row with row repeats expanded.
#[derive(Default)]
struct OdsTable {
    name: String,
    rows: u64,
    first_filled_row: Option<u64>,
    last_filled_row: u64,
    width: u64,
    raw_cells: u64,
    text_bytes: u64,
}

#[derive(Default)]
struct OdsRow {
    repeats: u64,
    columns: u64,
    pending_empty: u64,
    extent: u64,
    text_bytes: u64,
}

struct OdsCell {
    repeats: u64,
    filled: bool,
    start: u64,
    depth: u32,
}

/// Refuses an ODS content.xml whose tables would make calamine hold more than
/// [`MAX_WORKBOOK_CELLS`] cells or clone more than [`MAX_UNCOMPRESSED_BYTES`] of text
/// (a cell repeated over thousands of columns and rows costs a few bytes in the file).
fn check_ods_content(reader: impl BufRead) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(reader);
    {
        // The same reading as calamine's, so that both see the same elements.
        let config = xml.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
    }
    let mut buf = Vec::new();
    let mut table: Option<OdsTable> = None;
    let mut row: Option<OdsRow> = None;
    let mut cell: Option<OdsCell> = None;
    let mut workbook_cells: u64 = 0;
    let mut workbook_text: u64 = 0;
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf).map_err(corrupt)?;
        let position = xml.buffer_position();
        if let Some(c) = cell.as_mut() {
            // Inside a cell: anything at all makes it a filled cell; only its end matters.
            match &event {
                Event::Start(e) if is_cell(e.name().as_ref()) => {
                    c.depth += 1;
                    c.filled = true;
                }
                Event::End(e) if is_cell(e.name().as_ref()) => {
                    if c.depth == 0 {
                        let bytes = position.saturating_sub(c.start).saturating_add(32);
                        if let (Some(c), Some(r)) = (cell.take(), row.as_mut()) {
                            r.add_cell(&c, bytes);
                        }
                    } else {
                        c.depth -= 1;
                    }
                }
                Event::Eof => break,
                _ => c.filled = true,
            }
            continue;
        }
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => {
                    table = Some(OdsTable {
                        name: attribute(&e, "table:name").unwrap_or_default(),
                        ..OdsTable::default()
                    });
                }
                "table:table-row" => {
                    let repeats = attribute(&e, "table:number-rows-repeated")
                        .map_or(1, |v| declared_count(v.as_bytes()));
                    row = Some(OdsRow {
                        repeats,
                        ..OdsRow::default()
                    });
                }
                name if is_cell(name) && row.is_some() => {
                    let repeats = attribute(&e, "table:number-columns-repeated")
                        .map_or(1, |v| declared_count(v.as_bytes()));
                    let filled = e.attributes().flatten().any(|a| {
                        matches!(
                            a.key.as_ref(),
                            "office:value"
                                | "office:string-value"
                                | "office:date-value"
                                | "office:time-value"
                                | "office:boolean-value"
                                | "office:value-type"
                                | "table:formula"
                        )
                    });
                    cell = Some(OdsCell {
                        repeats,
                        filled,
                        start: position,
                        depth: 0,
                    });
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => {
                    if let (Some(r), Some(t)) = (row.take(), table.as_mut()) {
                        t.add_row(&r);
                        if t.raw_cells > MAX_WORKBOOK_CELLS || t.text_bytes > MAX_UNCOMPRESSED_BYTES
                        {
                            return Err(sheet_too_large(&t.name));
                        }
                    }
                }
                "table:table" => {
                    if let Some(t) = table.take() {
                        workbook_cells = workbook_cells.saturating_add(t.grid());
                        workbook_text = workbook_text.saturating_add(t.text_bytes);
                        if workbook_cells > MAX_WORKBOOK_CELLS
                            || workbook_text > MAX_UNCOMPRESSED_BYTES
                        {
                            return Err(sheet_too_large(&t.name));
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

fn is_cell(name: &str) -> bool {
    name == "table:table-cell" || name == "table:covered-table-cell"
}

fn attribute(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.to_string())
}

impl OdsRow {
    fn add_cell(&mut self, cell: &OdsCell, bytes: u64) {
        if cell.filled {
            let columns = self
                .columns
                .saturating_add(self.pending_empty)
                .saturating_add(cell.repeats)
                .min(ODS_MAX_COLUMNS);
            let added = columns - self.columns.min(columns);
            self.columns = columns;
            self.pending_empty = 0;
            self.extent = columns;
            self.text_bytes = self
                .text_bytes
                .saturating_add(bytes.saturating_mul(added.max(1)));
        } else {
            self.pending_empty = self.pending_empty.saturating_add(cell.repeats);
        }
    }
}

impl OdsTable {
    fn add_row(&mut self, row: &OdsRow) {
        let repeats = row
            .repeats
            .min(ODS_MAX_ROWS.saturating_sub(self.rows))
            .max(1);
        self.raw_cells = self.raw_cells.saturating_add(row.extent);
        if row.extent > 0 {
            self.first_filled_row.get_or_insert(self.rows);
            self.last_filled_row = self.rows.saturating_add(repeats);
            self.width = self.width.max(row.extent);
            self.text_bytes = self
                .text_bytes
                .saturating_add(row.text_bytes.saturating_mul(repeats));
        }
        self.rows = self.rows.saturating_add(repeats);
    }

    fn grid(&self) -> u64 {
        match self.first_filled_row {
            Some(first) => self
                .last_filled_row
                .saturating_sub(first)
                .saturating_mul(self.width),
            None => 0,
        }
    }
}

fn sheet_too_large(name: &str) -> ReadError {
    ReadError::SheetTooLarge {
        sheet: if name.trim().is_empty() {
            "(không rõ tên)".to_owned()
        } else {
            name.to_owned()
        },
    }
}

/// Opens the OLE container (without calamine) and refuses an encrypted workbook, then
/// checks the BIFF records of the workbook stream.
fn check_ole(bytes: &[u8]) -> Result<(), ReadError> {
    let Ok(mut ole) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        // Too damaged to name its streams; an encrypted package is still recognisable.
        if contains(bytes, &utf16le("EncryptedPackage")) {
            return Err(ReadError::Encrypted);
        }
        return Err(corrupt("the OLE container cannot be opened"));
    };
    let names: Vec<String> = ole
        .read_root_storage()
        .map(|e| e.name().to_owned())
        .collect();
    let has = |wanted: &str| names.iter().any(|n| n.eq_ignore_ascii_case(wanted));
    // An .xlsx saved with a password to open is an OLE container with these two streams.
    if has("EncryptionInfo") || has("EncryptedPackage") {
        return Err(ReadError::Encrypted);
    }
    // calamine reads the first stream named "Workbook" (BIFF8), else "Book" (BIFF5), that its
    // directory lists, in any storage: every stream so named is checked, wherever it is.
    let workbook_streams: Vec<std::path::PathBuf> = ole
        .walk()
        .filter(|e| {
            e.is_stream()
                && (e.name().eq_ignore_ascii_case("Workbook")
                    || e.name().eq_ignore_ascii_case("Book"))
        })
        .map(|e| e.path().to_owned())
        .collect();
    if workbook_streams.is_empty() {
        // A Word document or another OLE file.
        return Err(ReadError::NotSpreadsheet);
    }
    for path in workbook_streams {
        let mut stream = ole.open_stream(&path).map_err(corrupt)?;
        let mut workbook = Vec::new();
        (&mut stream)
            .take(MAX_FILE_BYTES as u64)
            .read_to_end(&mut workbook)
            .map_err(corrupt)?;
        check_biff(&workbook)?;
    }
    Ok(())
}

/// Where a BIFF sheet's cells lie, gathered record by record.
#[derive(Default)]
struct BiffSection {
    offset: usize,
    bounds: Option<(u32, u32, u32, u32)>,
}

impl BiffSection {
    fn add(&mut self, row: u32, first_col: u32, last_col: u32) {
        self.bounds = Some(match self.bounds {
            None => (row, row, first_col, last_col),
            Some((r0, r1, c0, c1)) => (
                r0.min(row),
                r1.max(row),
                c0.min(first_col),
                c1.max(last_col),
            ),
        });
    }

    fn grid(&self) -> u64 {
        self.bounds.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

/// Walks the BIFF records: a FILEPASS record means the workbook is encrypted; each sheet's
/// DIMENSIONS record and the positions of its cells must keep calamine's grids (it builds
/// every sheet's at once, as it opens the file) within [`MAX_WORKBOOK_CELLS`] together.
fn check_biff(stream: &[u8]) -> Result<(), ReadError> {
    let mut sheet_names: HashMap<usize, String> = HashMap::new();
    let mut section = BiffSection::default();
    let mut total: u64 = 0;
    let mut pos = 0usize;
    let finish = |section: &mut BiffSection,
                  total: &mut u64,
                  names: &HashMap<usize, String>|
     -> Result<(), ReadError> {
        let grid = section.grid();
        *total = total.saturating_add(grid);
        if *total > MAX_WORKBOOK_CELLS {
            return Err(sheet_too_large(&biff_sheet_name(names, section.offset)));
        }
        section.bounds = None;
        Ok(())
    };
    while let Some(header) = stream.get(pos..pos + 4) {
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let end = (pos + 4 + len).min(stream.len());
        let data = &stream[pos + 4..end];
        match typ {
            // BOF: a new substream (the globals, then one per sheet).
            0x0809 => {
                finish(&mut section, &mut total, &sheet_names)?;
                section.offset = pos;
            }
            // EOF of a substream.
            0x000A => finish(&mut section, &mut total, &sheet_names)?,
            // FILEPASS: the records that follow are encrypted or obfuscated.
            0x002F => return Err(ReadError::Encrypted),
            // BOUNDSHEET: where a sheet's substream starts, and its name.
            0x0085 if data.len() >= 8 => {
                let offset = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                sheet_names.insert(offset, boundsheet_name(&data[6..]));
            }
            // DIMENSIONS: calamine reserves rows × columns cells from it.
            0x0200 => {
                let reserved = biff_dimensions_cells(data);
                if reserved > MAX_WORKBOOK_CELLS {
                    return Err(sheet_too_large(&biff_sheet_name(
                        &sheet_names,
                        section.offset,
                    )));
                }
            }
            // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: row, column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if data.len() >= 4 => {
                let row = u32::from(u16::from_le_bytes([data[0], data[1]]));
                let col = u32::from(u16::from_le_bytes([data[2], data[3]]));
                section.add(row, col, col);
            }
            // MULRK: a row, the first column, 6 bytes per cell, the last column.
            0x00BD if data.len() >= 6 => {
                let row = u32::from(u16::from_le_bytes([data[0], data[1]]));
                let first = u32::from(u16::from_le_bytes([data[2], data[3]]));
                let n = data[data.len() - 2..]
                    .try_into()
                    .map(u16::from_le_bytes)
                    .map_or(first, u32::from);
                let last = first.max(n).max(first + ((data.len() - 6) / 6) as u32);
                section.add(row, first, last);
            }
            _ => {}
        }
        pos = pos + 4 + len;
    }
    finish(&mut section, &mut total, &sheet_names)
}

/// The cells calamine reserves for a DIMENSIONS record, computed as it does (with its
/// wrapping arithmetic), saturating.
fn biff_dimensions_cells(data: &[u8]) -> u64 {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let (rf, rl, mut cf, cl) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return 0,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    if rl < 1 || cl < 1 {
        return 0;
    }
    let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1);
    let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1);
    u64::from(rows).saturating_mul(u64::from(cols))
}

/// A BOUNDSHEET record's sheet name (from its byte 6 on), for messages only.
fn boundsheet_name(data: &[u8]) -> String {
    let Some((&cch, rest)) = data.split_first() else {
        return String::new();
    };
    let cch = usize::from(cch);
    match rest.split_first() {
        // BIFF8: a flags byte, then UTF-16 or compressed 8-bit characters.
        Some((&flags, chars)) if flags & 1 == 1 && chars.len() >= cch * 2 => chars[..cch * 2]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .map(|u| char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'))
            .collect(),
        Some((0, chars)) if chars.len() >= cch => chars[..cch].iter().map(|&b| b as char).collect(),
        _ => rest.iter().take(cch).map(|&b| b as char).collect(),
    }
}

fn biff_sheet_name(names: &HashMap<usize, String>, offset: usize) -> String {
    names.get(&offset).cloned().unwrap_or_default()
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

    #[test]
    fn a_pdf_a_csv_a_web_page_and_noise_are_told_apart() {
        assert_eq!(classify_other(b"%PDF-1.7\n%\xE2\xE3"), ReadError::Pdf);
        assert_eq!(
            classify_other("STT,Họ và tên,Năm sinh\n1,Nguyễn Văn A,1950\n".as_bytes()),
            ReadError::Csv
        );
        assert_eq!(
            classify_other(b"\xEF\xBB\xBFSTT;Ho ten\r\n1;A\r\n"),
            ReadError::Csv
        );
        assert_eq!(
            classify_other(b"<html><body><table><tr><td>1</td></tr></table>"),
            ReadError::WebPage
        );
        assert_eq!(
            classify_other(b"\x00\x01\x02\x89PNG"),
            ReadError::NotSpreadsheet
        );
    }

    #[test]
    fn a_forged_dimensions_record_counts_as_what_calamine_would_reserve() {
        // BIFF8: first row 10, last row + 1 = 5 (before the first: calamine wraps around).
        let mut d = Vec::new();
        d.extend_from_slice(&10u32.to_le_bytes());
        d.extend_from_slice(&5u32.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&3u16.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        assert!(biff_dimensions_cells(&d) > MAX_WORKBOOK_CELLS);
        // An honest one: rows 0..100, columns 0..8.
        let mut d = Vec::new();
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&100u32.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&8u16.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        assert_eq!(biff_dimensions_cells(&d), 800);
    }

    #[test]
    fn declared_counts_saturate() {
        assert_eq!(declared_count(b"42"), 42);
        assert_eq!(declared_count(b"99999999999999999999999"), u64::MAX);
        assert_eq!(declared_count(b"-1"), 0);
    }
}
