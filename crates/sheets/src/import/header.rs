//! Finding the header row of a ward's list (anywhere in its first rows, possibly merged over
//! two rows with "Năm sinh" split into Nam/Nữ) and mapping its columns to fields.

use super::workbook::SheetText;
use chamlo_vn::identity::Gender;
use chamlo_vn::text::fold_key;
use serde::Serialize;

/// How many rows from the top of a sheet are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// What a column of the list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Số thứ tự (ignored, but tells people from section rows).
    Stt,
    /// Họ và tên (of the person or the head of household).
    FullName,
    /// Năm sinh / ngày sinh.
    BirthYear,
    /// A "Năm sinh" sub-column for one gender: the year written here gives the gender.
    BirthYearOf(Gender),
    /// Giới tính.
    Gender,
    /// Số CCCD / CMND / định danh.
    NationalId,
    /// Đối tượng / diện.
    Category,
    /// Số tiền / mức quà.
    Amount,
    /// Địa chỉ.
    Address,
    /// Khu phố / tổ dân phố.
    KhuPho,
    /// Ghi chú.
    Note,
    /// Ký nhận: the signature column, ignored.
    Signature,
    /// Số điện thoại.
    Phone,
    /// Phường (in district-wide files).
    Ward,
    /// Mã hộ / mã số hộ nghèo.
    HouseholdCode,
    /// Số nhân khẩu.
    HouseholdSize,
    /// Số tài khoản (a bank account).
    AccountNumber,
    /// Tài khoản an sinh xã hội: the person's social-security account in VNeID.
    SocialSecurityAccount,
    /// Ngân hàng: the bank of the account, as typed ("VCB", "NH Ngoại thương").
    Bank,
    /// Chủ tài khoản: the holder's name when it is not the person's.
    AccountHolder,
}

impl Field {
    /// The usual Vietnamese header, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Field::Stt => "STT",
            Field::FullName => "Họ và tên",
            Field::BirthYear => "Năm sinh",
            Field::BirthYearOf(Gender::Male) => "Năm sinh (Nam)",
            Field::BirthYearOf(Gender::Female) => "Năm sinh (Nữ)",
            Field::Gender => "Giới tính",
            Field::NationalId => "Số CCCD/CMND",
            Field::Category => "Đối tượng",
            Field::Amount => "Số tiền",
            Field::Address => "Địa chỉ",
            Field::KhuPho => "Khu phố",
            Field::Note => "Ghi chú",
            Field::Signature => "Ký nhận",
            Field::Phone => "Số điện thoại",
            Field::Ward => "Phường",
            Field::HouseholdCode => "Mã hộ",
            Field::HouseholdSize => "Số nhân khẩu",
            Field::AccountNumber => "Số tài khoản",
            Field::SocialSecurityAccount => "Tài khoản an sinh xã hội",
            Field::Bank => "Ngân hàng",
            Field::AccountHolder => "Chủ tài khoản",
        }
    }
}

/// One recognised column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappedColumn {
    /// 0-based column index in the sheet (A = 0).
    pub column: u32,
    /// The column letter(s) as Excel shows them.
    pub letter: String,
    /// What it holds.
    pub field: Field,
    /// The header text as found (both rows of a two-row header, joined).
    pub header: String,
}

/// The header found on a sheet.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// Offset of the first header row from the sheet text's first row.
    pub first_idx: usize,
    /// Offset of the first row after the header.
    pub data_idx: usize,
    /// Recognised columns by offset from the sheet text's first column.
    pub columns: Vec<(usize, Field, String)>,
    /// Whether the name column names the head of a household.
    pub names_household_head: bool,
}

impl Header {
    /// The column offset holding `field`.
    pub fn col(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(_, f, _)| *f == field)
            .map(|(c, _, _)| *c)
    }

    /// How many distinct fields were recognised (the signature column does not count).
    pub fn score(&self) -> usize {
        self.columns
            .iter()
            .filter(|(_, f, _)| !matches!(f, Field::Signature | Field::Stt))
            .count()
    }
}

/// The folded words of a header label, text in parentheses dropped ("Số tiền (đồng)").
pub(crate) fn label_words(label: &str) -> String {
    let folded = fold_key(label);
    let mut depth = 0u32;
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() => out.push(c),
            _ => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    // "Số tiền (đồng)" has its unit in parentheses, but "(1)" alone is a column number.
    if out.is_empty() && !folded.contains('(') {
        return String::new();
    }
    out
}

/// The field a header label names, if any.
pub(crate) fn header_field(label: &str) -> Option<Field> {
    let w = label_words(label);
    let w = w.as_str();
    if w.is_empty() {
        return None;
    }
    let has = |p: &str| {
        w == p
            || w.starts_with(&format!("{p} "))
            || w.ends_with(&format!(" {p}"))
            || w.contains(&format!(" {p} "))
    };
    let f = if matches!(w, "stt" | "tt" | "so tt" | "so thu tu" | "thu tu") {
        Field::Stt
    } else if has("ky nhan") || has("ky ten") || has("chu ky") || w == "ky" {
        Field::Signature
    } else if let Some(field) = account_field(w, &has) {
        field
    } else if matches!(w, "nam" | "nam sinh nam" | "nam gioi") {
        Field::BirthYearOf(Gender::Male)
    } else if matches!(w, "nu" | "nam sinh nu" | "nu gioi") {
        Field::BirthYearOf(Gender::Female)
    } else if has("ma ho") || has("ma so ho") || has("ma so ho ngheo") || has("ma ho ngheo") {
        Field::HouseholdCode
    } else if has("nhan khau") || has("so khau") || has("so thanh vien") || w == "khau" {
        Field::HouseholdSize
    } else if has("ho va ten") || has("ho ten") || has("chu ho") || w == "ten" {
        Field::FullName
    } else if has("nam sinh") || has("ngay sinh") || has("sinh nam") || has("ngay thang nam sinh") {
        Field::BirthYear
    } else if has("gioi tinh") || matches!(w, "gioi" | "phai" | "nam nu" | "nam/nu") {
        Field::Gender
    } else if has("cccd")
        || has("cmnd")
        || has("dinh danh")
        || has("can cuoc")
        || has("chung minh")
        || has("cmnd/cccd")
    {
        Field::NationalId
    } else if has("doi tuong")
        || matches!(w, "dien" | "dien doi tuong" | "dien chinh sach")
        || is_household_category_heading(w)
    {
        Field::Category
    } else if has("so tien")
        || has("muc qua")
        || has("thanh tien")
        || has("muc tien")
        || has("tien")
        || has("gia tri qua")
        || has("muc ho tro")
    {
        Field::Amount
    } else if has("dien thoai") || matches!(w, "sdt" | "so dt" | "dt" | "đt") {
        Field::Phone
    } else if has("khu pho") || has("to dan pho") || matches!(w, "kp" | "ap" | "khu pho ap" | "to")
    {
        Field::KhuPho
    } else if has("dia chi") || has("noi o") || has("cho o") || has("thuong tru") {
        Field::Address
    } else if has("ghi chu") {
        Field::Note
    } else if matches!(
        w,
        "phuong" | "phuong xa" | "xa phuong" | "don vi" | "ten phuong" | "phuong/xa"
    ) {
        Field::Ward
    } else {
        return None;
    };
    Some(f)
}

/// The payment-account columns, checked before the name and amount columns so that "Họ tên
/// chủ tài khoản" is the holder, not the person, and "Số tài khoản ngân hàng" is the number,
/// not the bank.
fn account_field(w: &str, has: &impl Fn(&str) -> bool) -> Option<Field> {
    let account = has("tai khoan") || has("tk");
    if account && (has("an sinh") || has("asxh") || has("an sinh xa hoi") || has("vneid")) {
        Some(Field::SocialSecurityAccount)
    } else if has("chu tai khoan") || has("chu tk") || matches!(w, "ten tai khoan" | "ten tk") {
        Some(Field::AccountHolder)
    } else if has("so tai khoan")
        || has("so tk")
        || w == "stk"
        || matches!(
            w,
            "tai khoan" | "tai khoan ngan hang" | "tk ngan hang" | "tk nh" | "tai khoan nh"
        )
    {
        Some(Field::AccountNumber)
    } else if has("ngan hang") || matches!(w, "nh" | "ten nh" | "nh mo tk") {
        Some(Field::Bank)
    } else {
        None
    }
}

/// The headings household lists give their category column ("Phân loại hộ", "Loại hộ",
/// "Diện hộ", "Xếp loại", "Hộ nghèo/cận nghèo"), as folded words.
fn is_household_category_heading(w: &str) -> bool {
    matches!(
        w,
        "phan loai ho"
            | "phan loai"
            | "loai ho"
            | "dien ho"
            | "xep loai"
            | "xep loai ho"
            | "ho ngheo can ngheo"
            | "ho ngheo ho can ngheo"
            | "ngheo can ngheo"
            | "hn hcn"
    )
}

/// Maps the cells of one row (or a pair of header rows) to fields.
fn map_rows(sheet: &SheetText, top: usize, bottom: Option<usize>) -> Header {
    let mut columns: Vec<(usize, Field, String)> = Vec::new();
    let mut names_household_head = false;
    for c in 0..sheet.width() {
        let upper = sheet.at(top, c).trim();
        let lower = bottom.map_or("", |b| sheet.at(b, c).trim());
        let upper_field = if upper.is_empty() {
            None
        } else {
            header_field(upper)
        };
        let lower_field = if lower.is_empty() {
            None
        } else {
            header_field(lower)
        };
        // The lower label is the more specific: "Nam"/"Nữ" under a "Năm sinh" merged over
        // two columns (they hold years) or under "Giới tính" (they hold ticks); either way
        // the column gives the gender.
        let field = lower_field.or(upper_field);
        let Some(field) = field else { continue };
        if columns.iter().any(|(_, f, _)| *f == field) {
            continue;
        }
        if field == Field::FullName {
            let key = fold_key(if lower_field.is_some() { lower } else { upper });
            names_household_head = key.contains("chu ho");
        }
        let header = match (upper.is_empty(), lower.is_empty() || lower_field.is_none()) {
            (false, false) => format!("{upper} / {lower}"),
            (true, false) => lower.to_owned(),
            _ => upper.to_owned(),
        };
        columns.push((c, field, chamlo_vn::text::normalize(&header)));
    }
    Header {
        first_idx: top,
        data_idx: bottom.map_or(top + 1, |b| b + 1),
        columns,
        names_household_head,
    }
}

/// Whether every non-empty cell of a row is a header label (a second header row).
fn is_header_continuation(sheet: &SheetText, row: usize) -> bool {
    let mut any = false;
    for c in 0..sheet.width() {
        let t = sheet.at(row, c).trim();
        if t.is_empty() {
            continue;
        }
        if header_field(t).is_none() {
            return false;
        }
        any = true;
    }
    any
}

/// Finds the header in the first [`HEADER_SEARCH_ROWS`] rows: the row naming the most fields,
/// which must include the name column, extended by the next row when that row holds only
/// sub-labels ("Nam", "Nữ").
pub(crate) fn detect_header(sheet: &SheetText) -> Option<Header> {
    let mut best: Option<Header> = None;
    let rows = sheet.height().min(HEADER_SEARCH_ROWS);
    for r in 0..rows {
        let single = map_rows(sheet, r, None);
        if single.col(Field::FullName).is_none() || single.score() < 2 {
            continue;
        }
        let candidate = if r + 1 < sheet.height() && is_header_continuation(sheet, r + 1) {
            let two = map_rows(sheet, r, Some(r + 1));
            if two.score() >= single.score() {
                two
            } else {
                single
            }
        } else {
            single
        };
        if best.as_ref().is_none_or(|b| candidate.score() > b.score()) {
            best = Some(candidate);
        }
    }
    best
}

/// Excel's column letters for a 0-based index (0 → A, 27 → AB).
pub fn column_letter(mut index: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_synonyms_map_without_case_or_diacritics() {
        let cases = [
            ("Họ và tên", Field::FullName),
            ("HỌ VÀ TÊN", Field::FullName),
            ("Họ tên chủ hộ", Field::FullName),
            ("Chủ hộ", Field::FullName),
            ("Ngày tháng năm sinh", Field::BirthYear),
            ("Năm sinh", Field::BirthYear),
            ("Ngày sinh", Field::BirthYear),
            ("Giới tính", Field::Gender),
            ("CMND/CCCD", Field::NationalId),
            ("Số định danh", Field::NationalId),
            ("Số CCCD", Field::NationalId),
            ("Đối tượng", Field::Category),
            ("Diện", Field::Category),
            ("Số tiền (đồng)", Field::Amount),
            ("Mức quà", Field::Amount),
            ("Địa chỉ thường trú", Field::Address),
            ("Tổ dân phố", Field::KhuPho),
            ("KP", Field::KhuPho),
            ("Ghi chú", Field::Note),
            ("Ký nhận", Field::Signature),
            ("Số điện thoại", Field::Phone),
            ("Phường", Field::Ward),
            ("Mã hộ", Field::HouseholdCode),
            ("Mã số hộ nghèo", Field::HouseholdCode),
            ("Số nhân khẩu", Field::HouseholdSize),
            ("Số khẩu", Field::HouseholdSize),
            ("Phân loại hộ", Field::Category),
            ("Loại hộ", Field::Category),
            ("Diện hộ", Field::Category),
            ("Xếp loại", Field::Category),
            ("Hộ nghèo/cận nghèo", Field::Category),
            ("HỘ NGHÈO / CẬN NGHÈO", Field::Category),
            ("STT", Field::Stt),
            ("Nam", Field::BirthYearOf(Gender::Male)),
            ("Nữ", Field::BirthYearOf(Gender::Female)),
            ("Số tài khoản", Field::AccountNumber),
            ("Số TK", Field::AccountNumber),
            ("STK", Field::AccountNumber),
            ("Số tài khoản ngân hàng", Field::AccountNumber),
            ("Tài khoản ngân hàng", Field::AccountNumber),
            ("Ngân hàng", Field::Bank),
            ("Tên ngân hàng", Field::Bank),
            ("Ngân hàng mở tài khoản", Field::Bank),
            ("Chủ tài khoản", Field::AccountHolder),
            ("Họ tên chủ tài khoản", Field::AccountHolder),
            ("Tên tài khoản", Field::AccountHolder),
            ("Tài khoản an sinh xã hội", Field::SocialSecurityAccount),
            ("Số tài khoản an sinh xã hội", Field::SocialSecurityAccount),
            ("TK ASXH", Field::SocialSecurityAccount),
        ];
        for (label, field) in cases {
            assert_eq!(header_field(label), Some(field), "{label}");
        }
        assert_eq!(header_field("(1)"), None);
        assert_eq!(header_field("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), None);
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
