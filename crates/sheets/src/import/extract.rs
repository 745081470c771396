//! Reading a resident extract: the file the ward police give the ward from the national
//! population database (Họ và tên, Ngày sinh, Giới tính, Số định danh cá nhân, Họ tên chủ hộ,
//! Quan hệ với chủ hộ, Nơi thường trú, Nơi ở hiện tại, a status such as "Đã chết" with a date
//! or "Đã chuyển đi").
//!
//! The workbook is opened by the same code as a ward's list ([`super::workbook`]: format by
//! signature, TCVN3/VNI decoded per column, Excel dates as dd/mm/yyyy), and values are read by
//! the same parsers ([`super::values`]); only the columns differ, so the header table here is
//! the extract's own. A CSV export is read too: police systems produce one as often as a
//! workbook. Pure: bytes in, residents out.

use super::ReadError;
use super::header::{HEADER_SEARCH_ROWS, label_words};
use super::legacy_encoding::LegacyEncoding;
use super::values::{parse_birth, parse_gender};
use super::workbook::{self, CellKind, FileFormat, SheetText};
use calamine::{Data, Range};
use chamlo_vn::identity::{Gender, parse_national_id, restore_numeric_id};
use chamlo_vn::text::{fold_key, normalize, tidy_person_name};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a column of the extract holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExtractField {
    FullName,
    Birth,
    Gender,
    NationalId,
    HeadName,
    Relation,
    Permanent,
    Current,
    KhuPho,
    Status,
    DeathDate,
}

/// The field a header label of an extract names.
fn extract_field(label: &str) -> Option<ExtractField> {
    use ExtractField::*;
    let w = label_words(label);
    let w = w.as_str();
    if w.is_empty() {
        return None;
    }
    let f = if w.contains("chu ho") && (w.starts_with("ho") || w.starts_with("ten")) {
        HeadName
    } else if w.starts_with("quan he") {
        Relation
    } else if matches!(w, "ho va ten" | "ho ten" | "ten" | "ho va ten cong dan") {
        FullName
    } else if w.contains("ngay chet") || w.contains("ngay mat") || w.contains("tu vong") {
        DeathDate
    } else if w.contains("sinh") {
        Birth
    } else if w.starts_with("gioi tinh") {
        Gender
    } else if w.contains("dinh danh") || w.contains("cccd") || w.contains("cmnd") {
        NationalId
    } else if w.contains("thuong tru") {
        Permanent
    } else if w.contains("hien tai") || w == "dia chi" || w == "noi o" {
        Current
    } else if matches!(w, "khu pho" | "kp" | "to dan pho" | "khu pho to dan pho") {
        KhuPho
    } else if w.starts_with("tinh trang") || w.starts_with("trang thai") || w == "ghi chu" {
        Status
    } else {
        return None;
    };
    Some(f)
}

/// Where a resident stands according to the extract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResidentStatus {
    /// Living here, as far as the extract says.
    Living,
    /// "Đã chết", with the date when the extract gives one.
    Deceased {
        /// The date of death.
        date: Option<NaiveDate>,
    },
    /// "Đã chuyển đi", with where to when the extract says.
    MovedAway {
        /// The status text as written (it often names the destination).
        note: String,
    },
}

/// One resident of the extract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    /// The sheet's row number, 1-based, for evidence.
    pub row: u32,
    /// The name, normalised (NFC, single spaces, title case when typed in capitals).
    pub full_name: String,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Full date of birth when given.
    pub birth_date: Option<NaiveDate>,
    /// Giới tính.
    pub gender: Option<Gender>,
    /// Số định danh cá nhân (a lost leading zero restored), when well formed.
    pub national_id: Option<String>,
    /// Họ tên chủ hộ.
    pub household_head: Option<String>,
    /// Quan hệ với chủ hộ.
    pub relation: Option<String>,
    /// Nơi thường trú.
    pub permanent_address: Option<String>,
    /// Nơi ở hiện tại.
    pub current_address: Option<String>,
    /// Khu phố / tổ dân phố, when the extract has the column.
    pub khu_pho: Option<String>,
    /// Living, deceased or moved away.
    pub status: ResidentStatus,
}

/// A resident extract as read.
#[derive(Debug, Clone, Serialize)]
pub struct ResidentExtract {
    /// The container format (CSV is `None`).
    pub format: Option<FileFormat>,
    /// The legacy encoding converted, if any.
    pub encoding: LegacyEncoding,
    /// The header row, 1-based.
    pub header_row: u32,
    /// Every resident found under the header.
    pub residents: Vec<Resident>,
}

/// Reads a resident extract (xlsx, xls, ods or CSV). Never panics on any input.
pub fn read_resident_extract(bytes: &[u8]) -> Result<ResidentExtract, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_inner(bytes))).unwrap_or_else(
        |_| {
            Err(ReadError::Corrupt {
                detail: "the extract reader panicked".to_owned(),
            })
        },
    )
}

fn read_inner(bytes: &[u8]) -> Result<ResidentExtract, ReadError> {
    let (format, sheets) = match workbook::open(bytes) {
        Ok(book) => (
            Some(book.format),
            book.sheets.into_iter().map(|s| s.cells).collect::<Vec<_>>(),
        ),
        Err(ReadError::Csv | ReadError::NotSpreadsheet) if looks_like_csv(bytes) => {
            (None, vec![csv_sheet(bytes)?])
        }
        Err(e) => return Err(e),
    };
    if sheets.iter().all(|s| s.height() == 0) {
        return Err(ReadError::NoData);
    }
    let best = sheets
        .iter()
        .enumerate()
        .filter_map(|(i, s)| find_header(s).map(|h| (i, h)))
        .max_by_key(|(_, h)| h.columns.len());
    let Some((index, header)) = best else {
        return Err(ReadError::NoHeader {
            sheets: "của tệp trích xuất dân cư".to_owned(),
        });
    };
    let sheet = &sheets[index];
    let residents = (header.data_idx..sheet.height())
        .filter_map(|r| read_resident(sheet, &header, r))
        .collect();
    Ok(ResidentExtract {
        format,
        encoding: sheet.legacy_encoding(),
        header_row: sheet.first_row() + header.first_idx as u32,
        residents,
    })
}

struct ExtractHeader {
    first_idx: usize,
    data_idx: usize,
    columns: Vec<(usize, ExtractField)>,
}

impl ExtractHeader {
    fn col(&self, field: ExtractField) -> Option<usize> {
        self.columns
            .iter()
            .find(|(_, f)| *f == field)
            .map(|(c, _)| *c)
    }
}

/// The header: the row in the first rows naming the name column and the most other columns
/// (at least a birth date or an ID), wherever the title block puts it.
fn find_header(sheet: &SheetText) -> Option<ExtractHeader> {
    let mut best: Option<ExtractHeader> = None;
    for r in 0..sheet.height().min(HEADER_SEARCH_ROWS) {
        let mut columns: Vec<(usize, ExtractField)> = Vec::new();
        for c in 0..sheet.width() {
            if let Some(f) = extract_field(sheet.at(r, c))
                && !columns.iter().any(|(_, g)| *g == f)
            {
                columns.push((c, f));
            }
        }
        let has = |f| columns.iter().any(|(_, g)| *g == f);
        if !has(ExtractField::FullName)
            || !(has(ExtractField::Birth) || has(ExtractField::NationalId))
        {
            continue;
        }
        if best
            .as_ref()
            .is_none_or(|b| columns.len() > b.columns.len())
        {
            // A numbering row ("(1)", "(2)"…) under the header is not a resident.
            let mut data_idx = r + 1;
            while data_idx < sheet.height()
                && (0..sheet.width()).all(|c| {
                    let t = sheet.at(data_idx, c).trim();
                    t.is_empty() || (t.starts_with('(') && t.ends_with(')'))
                })
            {
                data_idx += 1;
            }
            best = Some(ExtractHeader {
                first_idx: r,
                data_idx,
                columns,
            });
        }
    }
    best
}

fn read_resident(sheet: &SheetText, header: &ExtractHeader, r: usize) -> Option<Resident> {
    let cell = |f| {
        header
            .col(f)
            .map(|c| (sheet.at(r, c).trim(), sheet.kind_at(r, c)))
            .filter(|(t, _)| !t.is_empty())
    };
    let text = |f| cell(f).map(|(t, _)| normalize(t));
    let name = text(ExtractField::FullName)?;
    let birth = cell(ExtractField::Birth).and_then(|(t, k)| parse_birth(t, k));
    let national_id = cell(ExtractField::NationalId).and_then(|(t, k)| {
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        let typed = if k == CellKind::Number || digits.len() == 11 {
            restore_numeric_id(&digits)
        } else {
            t.to_owned()
        };
        parse_national_id(&typed).ok().flatten()
    });
    // Signature lines and notes under the table have a name-like cell but neither a birth
    // nor an ID: they are not residents.
    if birth.is_none() && national_id.is_none() {
        return None;
    }
    let death_date = cell(ExtractField::DeathDate)
        .and_then(|(t, k)| parse_birth(t, k))
        .and_then(|b| b.date);
    let status = resident_status(text(ExtractField::Status).as_deref(), death_date);
    Some(Resident {
        row: sheet.first_row() + r as u32,
        full_name: tidy_person_name(&name),
        birth_year: birth.as_ref().map(|b| b.year),
        birth_date: birth.and_then(|b| b.date),
        gender: cell(ExtractField::Gender).and_then(|(t, _)| parse_gender(t)),
        national_id: national_id.map(|id| id.as_str().to_owned()),
        household_head: text(ExtractField::HeadName).map(|n| tidy_person_name(&n)),
        relation: text(ExtractField::Relation),
        permanent_address: text(ExtractField::Permanent),
        current_address: text(ExtractField::Current),
        khu_pho: text(ExtractField::KhuPho),
        status,
    })
}

/// The status column's words: "Đã chết (12/01/2027)", "Chết ngày…", "Đã chuyển đi Long An".
fn resident_status(text: Option<&str>, death_date: Option<NaiveDate>) -> ResidentStatus {
    let Some(text) = text else {
        return match death_date {
            Some(date) => ResidentStatus::Deceased { date: Some(date) },
            None => ResidentStatus::Living,
        };
    };
    let key = fold_key(text);
    if key.contains("chet") || key.contains("tu vong") || key.contains("da mat") {
        let in_text = text
            .split(|c: char| !(c.is_ascii_digit() || c == '/' || c == '-' || c == '.'))
            .find_map(|w| parse_birth(w, CellKind::Text).and_then(|b| b.date));
        ResidentStatus::Deceased {
            date: death_date.or(in_text),
        }
    } else if key.contains("chuyen di") || key.contains("da chuyen") || key.contains("xoa dang ky")
    {
        ResidentStatus::MovedAway {
            note: text.to_owned(),
        }
    } else {
        ResidentStatus::Living
    }
}

/// Whether the bytes read as delimited text: printable lines, several with a delimiter.
fn looks_like_csv(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    !head.contains(&0)
        && head
            .split(|b| *b == b'\n')
            .take(5)
            .any(|l| l.iter().any(|b| matches!(b, b',' | b';' | b'\t')))
}

/// A CSV file as one sheet of text cells. UTF-8 (with or without a BOM) is read as is; other
/// bytes are taken one per character, as a TCVN3 file's bytes are, so the sheet's legacy
/// decoding converts them like an .xls typed in .VnTime.
fn csv_sheet(bytes: &[u8]) -> Result<SheetText, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    // The title lines above the header have no delimiter: judge by the first ten lines.
    let delimiter = [',', ';', '\t']
        .into_iter()
        .max_by_key(|d| {
            text.lines()
                .take(10)
                .map(|l| l.matches(*d).count())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(',');
    let rows = split_csv(&text, delimiter);
    let height = rows.len().min(super::guard::MAX_ROWS as usize);
    let width = rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .min(super::guard::MAX_COLUMNS as usize);
    if height == 0 || width == 0 {
        return Err(ReadError::NoData);
    }
    let mut range = Range::new((0, 0), (height as u32 - 1, width as u32 - 1));
    for (r, row) in rows.into_iter().take(height).enumerate() {
        for (c, value) in row.into_iter().take(width).enumerate() {
            range.set_value((r as u32, c as u32), Data::String(value));
        }
    }
    SheetText::from_range(&range)
}

/// RFC 4180 fields: quotes around a field, doubled quotes inside it, line breaks in quotes.
fn split_csv(text: &str, delimiter: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => row.push(std::mem::take(&mut field)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "\u{feff}CÔNG AN PHƯỜNG TÂN PHÚ\n\
        DANH SÁCH CÔNG DÂN\n\
        STT,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Họ tên chủ hộ,Quan hệ với chủ hộ,Nơi thường trú,Nơi ở hiện tại,Tình trạng\n\
        1,NGUYỄN VĂN AN,12/03/1950,Nam,79050000123,Nguyễn Văn An,Chủ hộ,\"12 Lê Văn Việt, KP 3\",\"12 Lê Văn Việt, KP 3, phường Tân Phú\",\n\
        2,Trần Thị Bé,1948,Nữ,079148000456,Nguyễn Văn An,Vợ,\"12 Lê Văn Việt, KP 3\",,Đã chết ngày 05/01/2027\n\
        3,Lê Văn Cường,01/01/1960,Nam,079060000789,Lê Văn Cường,Chủ hộ,5 Đình Phong Phú,,Đã chuyển đi Bình Dương\n\
        ,Người lập biểu,,,,,,,,\n";

    #[test]
    fn reads_a_csv_extract_with_a_title_block_numeric_ids_and_statuses() {
        let x = read_resident_extract(CSV.as_bytes()).expect("read");
        assert_eq!(x.format, None);
        assert_eq!(x.header_row, 3);
        assert_eq!(x.residents.len(), 3);
        let an = &x.residents[0];
        assert_eq!(an.full_name, "Nguyễn Văn An");
        assert_eq!(an.national_id.as_deref(), Some("079050000123"));
        assert_eq!(an.birth_year, Some(1950));
        assert_eq!(an.gender, Some(Gender::Male));
        assert_eq!(an.relation.as_deref(), Some("Chủ hộ"));
        assert_eq!(an.status, ResidentStatus::Living);
        assert_eq!(
            x.residents[1].status,
            ResidentStatus::Deceased {
                date: NaiveDate::from_ymd_opt(2027, 1, 5)
            }
        );
        assert!(matches!(
            x.residents[2].status,
            ResidentStatus::MovedAway { ref note } if note.contains("Bình Dương")
        ));
    }

    #[test]
    fn a_file_without_an_extract_header_is_refused_in_vietnamese() {
        let err = read_resident_extract(b"a,b,c\n1,2,3\n").expect_err("no header");
        assert!(matches!(err, ReadError::NoHeader { .. }));
    }

    #[test]
    fn extract_headers_are_told_apart_from_the_household_head() {
        assert_eq!(extract_field("Họ tên chủ hộ"), Some(ExtractField::HeadName));
        assert_eq!(extract_field("HỌ VÀ TÊN"), Some(ExtractField::FullName));
        assert_eq!(
            extract_field("Số định danh cá nhân"),
            Some(ExtractField::NationalId)
        );
        assert_eq!(extract_field("Nơi ở hiện tại"), Some(ExtractField::Current));
    }
}
