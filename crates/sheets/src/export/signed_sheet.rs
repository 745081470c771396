//! Reading a signing sheet that comes back from a ward with the "Ký nhận" column filled in.
//!
//! The ward marks "x" when the person received the gift, or writes the proxy's name
//! ("Trần Văn Bình" or "Trần Văn Bình - con") when someone received it for them. Rows are
//! matched by the hidden "Mã dòng" column we wrote, never by name or position: a row
//! without a usable id is reported as such, for a person to look at, instead of guessed.
//! Applying the marks to the database is the caller's business.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chamlo_vn::text::fold_key;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::{ENTRY_ID_HEADERS, ExportError, SIGNATURE_HEADER};

/// What the "Ký nhận" cell of a row says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mark {
    /// Empty: not handed out (yet).
    NotMarked,
    /// "x" (or ✓): the person received it.
    BySelf,
    /// A name: someone received it for the person, with the relationship when written
    /// after a dash ("Trần Văn Bình - con").
    ByProxy {
        /// The proxy's name, NFC, single-spaced.
        name: String,
        /// The relationship to the recipient ("con", "vợ"), if given.
        relationship: Option<String>,
    },
    /// Something that is neither a mark nor a name (a number, a date, "?"), as written:
    /// for a person to decide.
    Unclear(String),
}

/// Which entry a row belongs to, as far as its "Mã dòng" cell tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryRef {
    /// The entry with this id.
    Id(i64),
    /// The row looks like a person's (it has a number or a mark) but has no id: added by
    /// hand, or the id was deleted.
    Missing,
    /// The id cell holds something that is not an id, as written.
    Invalid(String),
    /// The same id is on several rows (a row copied in Excel); none of them is applied.
    Duplicate(i64),
}

/// One person's row of a returned signing sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedMark {
    /// The sheet the row is on (the all-wards workbook has one per ward).
    pub sheet: String,
    /// The row number as Excel shows it (1-based).
    pub row: u32,
    /// The entry the row belongs to, or why that is not known.
    pub entry: EntryRef,
    /// The name on the row, to show the user next to the mark.
    pub name: String,
    /// What the "Ký nhận" cell says.
    pub mark: Mark,
}

/// Reads the marks of every person's row on every signing sheet in the workbook (.xlsx,
/// and .xls or .ods if the ward saved it so), in sheet and row order. Sheets without our
/// header row (the summary sheet) are skipped; a workbook without any is refused with
/// [`ExportError::NotASigningSheet`].
pub fn read_signed_sheet(bytes: &[u8]) -> Result<Vec<SignedMark>, ExportError> {
    // The spreadsheet readers parse untrusted bytes: a panic inside them is a damaged file.
    std::panic::catch_unwind(|| read_marks(bytes)).unwrap_or(Err(ExportError::Damaged))
}

/// [`read_signed_sheet`] without the guard against a reader's panic.
fn read_marks(bytes: &[u8]) -> Result<Vec<SignedMark>, ExportError> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))?;
    let mut marks = Vec::new();
    let mut found_any = false;
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name)?;
        if read_sheet(&name, &range, &mut marks) {
            found_any = true;
        }
    }
    if !found_any {
        return Err(ExportError::NotASigningSheet);
    }
    flag_duplicates(&mut marks);
    Ok(marks)
}

/// The columns found on the header row.
struct Columns {
    number: Option<usize>,
    name: Option<usize>,
    signature: usize,
    entry_id: usize,
}

/// Appends the sheet's rows to `marks`; false if the sheet has no header row of ours.
fn read_sheet(sheet: &str, range: &calamine::Range<Data>, marks: &mut Vec<SignedMark>) -> bool {
    let first_row = range.start().map_or(0, |(row, _)| row);
    let first_col = range.start().map_or(0, |(_, col)| col as usize);
    let mut rows = range.rows().enumerate();
    let columns = loop {
        let Some((_, cells)) = rows.next() else {
            return false;
        };
        if let Some(columns) = header_columns(cells, first_col) {
            break columns;
        }
    };
    for (index, cells) in rows {
        let cell = |col: Option<usize>| {
            col.and_then(|c| c.checked_sub(first_col))
                .and_then(|c| cells.get(c))
                .unwrap_or(&Data::Empty)
        };
        let name = cell_text(cell(columns.name));
        if normalise(&name).starts_with("tổng cộng") {
            break;
        }
        let mark = parse_mark(cell(Some(columns.signature)));
        let entry = parse_entry_id(cell(Some(columns.entry_id)));
        let numbered = matches!(cell(columns.number), Data::Int(_) | Data::Float(_));
        if entry.is_none() && !numbered && mark == Mark::NotMarked {
            // Section, subtotal and blank rows.
            continue;
        }
        let entry = entry.unwrap_or(EntryRef::Missing);
        let row = first_row.saturating_add(u32::try_from(index).unwrap_or(u32::MAX));
        marks.push(SignedMark {
            sheet: sheet.to_owned(),
            row: row.saturating_add(1),
            entry,
            name,
            mark,
        });
    }
    true
}

/// The column positions (absolute) if this is our header row: it has both the entry id
/// header and "Ký nhận".
fn header_columns(cells: &[Data], first_col: usize) -> Option<Columns> {
    let mut columns = Columns {
        number: None,
        name: None,
        signature: usize::MAX,
        entry_id: usize::MAX,
    };
    for (i, cell) in cells.iter().enumerate() {
        let Data::String(text) = cell else { continue };
        let text = normalise(text);
        let col = first_col + i;
        if ENTRY_ID_HEADERS.iter().any(|h| normalise(h) == text) {
            columns.entry_id = col;
        } else if text == normalise(SIGNATURE_HEADER) {
            columns.signature = col;
        } else if text == "stt" {
            columns.number = Some(col);
        } else if text == "họ và tên" || text == "họ tên" {
            columns.name = Some(col);
        }
    }
    (columns.signature != usize::MAX && columns.entry_id != usize::MAX).then_some(columns)
}

/// `None` for an empty cell; otherwise the id or why it is not one.
fn parse_entry_id(cell: &Data) -> Option<EntryRef> {
    match cell {
        Data::Empty => None,
        Data::String(text) if text.trim().is_empty() => None,
        Data::String(text) => Some(match text.trim().parse::<i64>() {
            Ok(id) if id > 0 => EntryRef::Id(id),
            _ => EntryRef::Invalid(text.trim().to_owned()),
        }),
        Data::Int(id) if *id > 0 => Some(EntryRef::Id(*id)),
        // A ward's Excel may turn the text id into a number; accept it only when whole
        // and within the range where f64 holds integers exactly.
        Data::Float(f) if f.fract() == 0.0 && *f > 0.0 && *f < 9_007_199_254_740_992.0 => {
            Some(EntryRef::Id(*f as i64))
        }
        other => Some(EntryRef::Invalid(cell_text(other))),
    }
}

/// Reads the "Ký nhận" cell.
fn parse_mark(cell: &Data) -> Mark {
    let text = match cell {
        Data::Empty => return Mark::NotMarked,
        Data::String(text) => collapse_spaces(text),
        other => return Mark::Unclear(cell_text(other)),
    };
    if text.is_empty() {
        return Mark::NotMarked;
    }
    if matches!(text.as_str(), "x" | "X" | "✓" | "✔" | "√" | "☑" | "✗" | "×") {
        return Mark::BySelf;
    }
    // Wards also answer the column in words: "có", "Đã nhận", "đã ký" say the person
    // signed, not that someone named "Có" came for them.
    if matches!(
        fold_key(&text).trim_end_matches('.'),
        "co" | "da nhan" | "nhan" | "da ky" | "ky" | "ok" | "roi" | "da nhan qua"
    ) {
        return Mark::BySelf;
    }
    // A name has letters; "?", "-", "1/2" are for a person to read.
    if !text.chars().any(char::is_alphabetic) {
        return Mark::Unclear(text);
    }
    let (name, relationship) = split_proxy(&text);
    if !name.chars().any(char::is_alphabetic) {
        return Mark::Unclear(text);
    }
    Mark::ByProxy { name, relationship }
}

/// "Trần Văn Bình - con" → ("Trần Văn Bình", Some("con")); a dash (-, –, —) separates the
/// name from the relationship, as do brackets: "Trần Văn Bình (con)".
fn split_proxy(text: &str) -> (String, Option<String>) {
    if let Some(open) = text.find('(')
        && text.ends_with(')')
    {
        let name = text[..open].trim();
        let relationship = text[open + 1..text.len() - 1].trim();
        if !name.is_empty() {
            return (
                name.to_owned(),
                (!relationship.is_empty()).then(|| relationship.to_owned()),
            );
        }
    }
    match text.find(['-', '–', '—']) {
        Some(dash) => {
            let name = text[..dash].trim();
            let dash_len = text[dash..].chars().next().map_or(1, char::len_utf8);
            let relationship = text[dash + dash_len..].trim();
            (
                name.to_owned(),
                (!relationship.is_empty()).then(|| relationship.to_owned()),
            )
        }
        None => (text.to_owned(), None),
    }
}

/// NFC, single spaces, trimmed.
fn collapse_spaces(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// For comparing headers: NFC, single spaces, lower case.
fn normalise(text: &str) -> String {
    collapse_spaces(text).to_lowercase()
}

/// A cell's value as text, for names and for showing what was written.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => collapse_spaces(text),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// Turns every row sharing an id into [`EntryRef::Duplicate`]: which of them is right is
/// for a person to say.
fn flag_duplicates(marks: &mut [SignedMark]) {
    let mut seen: HashMap<i64, usize> = HashMap::new();
    for mark in marks.iter() {
        if let EntryRef::Id(id) = mark.entry {
            *seen.entry(id).or_default() += 1;
        }
    }
    for mark in marks.iter_mut() {
        if let EntryRef::Id(id) = mark.entry
            && seen.get(&id).copied().unwrap_or(0) > 1
        {
            mark.entry = EntryRef::Duplicate(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Data {
        Data::String(s.to_owned())
    }

    #[test]
    fn marks_are_read_as_a_ward_writes_them() {
        assert_eq!(parse_mark(&Data::Empty), Mark::NotMarked);
        assert_eq!(parse_mark(&text("  ")), Mark::NotMarked);
        for x in ["x", "X", " x ", "✓", "có", "Có", "CÓ", "Đã nhận", "đã ký"] {
            assert_eq!(parse_mark(&text(x)), Mark::BySelf, "{x}");
        }
        assert_eq!(
            parse_mark(&text("Trần Văn  Bình - con")),
            Mark::ByProxy {
                name: "Trần Văn Bình".into(),
                relationship: Some("con".into())
            }
        );
        assert_eq!(
            parse_mark(&text("Lê Thị Hoa – vợ")),
            Mark::ByProxy {
                name: "Lê Thị Hoa".into(),
                relationship: Some("vợ".into())
            }
        );
        assert_eq!(
            parse_mark(&text("Lê Thị Hoa (con dâu)")),
            Mark::ByProxy {
                name: "Lê Thị Hoa".into(),
                relationship: Some("con dâu".into())
            }
        );
        assert_eq!(
            parse_mark(&text("Phạm Văn Tư")),
            Mark::ByProxy {
                name: "Phạm Văn Tư".into(),
                relationship: None
            }
        );
        assert_eq!(parse_mark(&text("?")), Mark::Unclear("?".into()));
        assert_eq!(parse_mark(&text("- con")), Mark::Unclear("- con".into()));
        assert_eq!(parse_mark(&Data::Float(1.0)), Mark::Unclear("1".into()));
        assert_eq!(parse_mark(&Data::Bool(true)), Mark::Unclear("true".into()));
    }

    #[test]
    fn ids_are_read_strictly() {
        assert_eq!(parse_entry_id(&Data::Empty), None);
        assert_eq!(parse_entry_id(&text(" 42 ")), Some(EntryRef::Id(42)));
        assert_eq!(parse_entry_id(&Data::Float(42.0)), Some(EntryRef::Id(42)));
        assert_eq!(parse_entry_id(&Data::Int(42)), Some(EntryRef::Id(42)));
        assert_eq!(
            parse_entry_id(&Data::Float(42.5)),
            Some(EntryRef::Invalid("42.5".into()))
        );
        assert_eq!(
            parse_entry_id(&text("abc")),
            Some(EntryRef::Invalid("abc".into()))
        );
        assert_eq!(
            parse_entry_id(&text("-3")),
            Some(EntryRef::Invalid("-3".into()))
        );
        assert_eq!(
            parse_entry_id(&Data::Float(-1.0)),
            Some(EntryRef::Invalid("-1".into()))
        );
    }
}
