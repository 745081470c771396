//! From the rows under the header to people: skipping what is not a person, normalising
//! each field and reporting every problem.

use super::header::{Field, Header};
use super::values::{self, AmountProblem};
use super::workbook::{CellKind, MergedArea, SheetText};
use super::{
    ImportContext, ImportRow, KnownWard, RowStatus, Severity, ward_index_or_synonym,
    ward_synonym_index,
};
use chamlo_vn::catalogue::{Catalogue, Category, CategoryMatch};
use chamlo_vn::identity::{
    self, CccdMismatch, Gender, IdProblem, parse_national_id, restore_numeric_id,
};
use chamlo_vn::text::{fold_key, invalid_name_char, normalize, tidy_person_name};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;

/// Fields whose vertically merged cells hold the value of every row they span (a category
/// or an address written once for a group of people).
const FILL_DOWN_FIELDS: &[Field] = &[Field::Category, Field::Address, Field::KhuPho, Field::Ward];

/// The ward named in the title block above the header ("ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ",
/// "UBND P. TÂN PHÚ", "… TRÊN ĐỊA BÀN PHƯỜNG TÂN PHÚ"), by its name or a spelling district
/// staff mapped: the resolved ward, or, when it names a ward nobody knows, the cell's text and
/// the name after "Phường" as typed (what the preview offers to map).
pub(crate) fn title_ward(cells: &SheetText, header_idx: usize, ctx: &ImportContext) -> TitleWard {
    let mut unknown: Option<(String, String)> = None;
    for r in 0..header_idx {
        for c in 0..cells.width() {
            let text = cells.at(r, c);
            if text.is_empty() {
                continue;
            }
            let folded = fold_key(text);
            let tokens: Vec<&str> = folded
                .split(|ch: char| !ch.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .collect();
            for i in 0..tokens.len() {
                let is_marker = tokens[i] == "phuong"
                    || (tokens[i] == "p" && i > 0 && matches!(tokens[i - 1], "ubnd" | "dan"));
                if !is_marker {
                    continue;
                }
                let rest = &tokens[i + 1..];
                for k in (1..=rest.len().min(5)).rev() {
                    let candidate = rest[..k].join(" ");
                    if let Some(w) = ctx.wards.iter().find(|w| fold_key(&w.name) == candidate) {
                        return (Some(w.clone()), None);
                    }
                    if let Some(i) = ward_synonym_index(&candidate, ctx) {
                        return (Some(ctx.wards[i].clone()), None);
                    }
                }
                if !rest.is_empty() && unknown.is_none() {
                    unknown = Some((normalize(text), typed_words(text, i + 1)));
                }
            }
        }
    }
    match unknown {
        Some((text, name)) => (None, Some((text, name))),
        None => (None, None),
    }
}

/// What [`title_ward`] found: the ward, or the unknown title and the name it gives.
pub(crate) type TitleWard = (Option<KnownWard>, Option<(String, String)>);

/// The words of `text` from the `from`-th on, as typed (case and diacritics kept), at most
/// five: the name a title gives after "Phường".
fn typed_words(text: &str, from: usize) -> String {
    normalize(text)
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .skip(from)
        .take(5)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rows from which reading the people is shared between two threads: below this, a second
/// thread costs more than it saves.
const PARALLEL_ROWS: usize = 4096;

/// Reads each row under the header until the table ends, handing the people over `batch` at
/// a time, in the sheet's order, as each batch is read (so the caller can store one batch while the next is read); stops early when
/// `on_batch` breaks. `list` is whether the list names households, and the title's ward.
pub(crate) fn read_rows_in_batches(
    cells: &SheetText,
    header: &Header,
    merged: &[MergedArea],
    ctx: &ImportContext,
    (household_list, title_ward): (bool, Option<&KnownWard>),
    batch: usize,
    on_batch: &mut dyn FnMut(Vec<ImportRow>) -> ControlFlow<()>,
) {
    let new_reader = || {
        let mut reader = RowReader::new(cells, header, merged, ctx, household_list);
        reader.title_ward = title_ward;
        reader
    };
    let reader = new_reader();
    // First which rows are people, and under which section (this walks the rows in order);
    // then each person is read on its own, which can be shared between two threads.
    let mut people: Vec<(usize, Option<Arc<Category>>)> = Vec::new();
    let mut section: Option<Arc<Category>> = None;
    for r in header.data_idx..cells.height() {
        if cells.row_is_blank(r) || reader.is_numbering_row(r) {
            continue;
        }
        // A total may carry counts in the Nam/Nữ columns, so a marker in the number or name
        // column ends the table whatever else the row holds.
        let lead = reader.leading_text(r);
        if is_end_marker(&lead) {
            break;
        }
        if !reader.has_person_data(r) {
            if is_subtotal(&lead) {
                continue;
            }
            if reader.ends_table(r) {
                break;
            }
            if let Some(heading) = reader.section_heading(r) {
                section = ctx.catalogue.resolve_heading(&heading).cloned();
                continue;
            }
        }
        if !reader.has_content(r) {
            continue;
        }
        people.push((r, section.clone()));
    }
    let read = |reader: &RowReader<'_>, people: &[(usize, Option<Arc<Category>>)]| {
        people
            .iter()
            .map(|(r, section)| reader.read_person(*r, section.as_ref()))
            .collect::<Vec<ImportRow>>()
    };
    // The second thread's reader lives as long as the first, so that what each resolved
    // once (categories, wards, khu phố) stays resolved from batch to batch.
    let mut other_reader = (people.len() >= PARALLEL_ROWS).then(new_reader);
    for chunk in people.chunks(batch.max(1)) {
        let rows = match other_reader.take() {
            Some(other) if chunk.len() >= PARALLEL_ROWS / 2 => {
                let (first, second) = chunk.split_at(chunk.len() / 2);
                std::thread::scope(|scope| {
                    let spawned = scope.spawn(move || {
                        let rest = read(&other, second);
                        (other, rest)
                    });
                    let mut out = read(&reader, first);
                    match spawned.join() {
                        Ok((other, rest)) => {
                            other_reader = Some(other);
                            out.extend(rest);
                        }
                        // The caller reports a panic as a damaged file.
                        Err(panic) => std::panic::resume_unwind(panic),
                    }
                    out
                })
            }
            other => {
                other_reader = other;
                read(&reader, chunk)
            }
        };
        if on_batch(rows).is_break() {
            return;
        }
    }
}

struct RowReader<'a> {
    cells: &'a SheetText,
    ctx: &'a ImportContext,
    household_list: bool,
    title_ward: Option<&'a KnownWard>,
    /// Whether the khu phố column is a "Tổ dân phố" column (bare numbers become "Tổ n").
    khu_pho_is_to: bool,
    /// The column of each field, by [`field_slot`].
    col: [Option<usize>; FIELD_SLOTS],
    /// (row, col) offset of a cell inside a merged area → its area's first cell.
    fill_down: HashMap<(usize, usize), (usize, usize)>,
    /// A 100,000-row list holds few distinct category, ward and khu phố texts: each is
    /// resolved once.
    categories: RefCell<HashMap<&'a str, CategoryReading>>,
    wards: RefCell<HashMap<&'a str, Option<usize>>>,
    khu_pho: RefCell<HashMap<&'a str, Option<String>>>,
    /// The folded names of `ctx.wards`, for resolving a "Phường" cell.
    ward_keys: Vec<String>,
}

const FIELD_SLOTS: usize = 21;

/// A field's index in [`RowReader::col`].
fn field_slot(field: Field) -> usize {
    match field {
        Field::Stt => 0,
        Field::FullName => 1,
        Field::BirthYear => 2,
        Field::BirthYearOf(Gender::Male) => 3,
        Field::BirthYearOf(Gender::Female) => 4,
        Field::Gender => 5,
        Field::NationalId => 6,
        Field::Category => 7,
        Field::Amount => 8,
        Field::Address => 9,
        Field::KhuPho => 10,
        Field::Note => 11,
        Field::Signature => 12,
        Field::Phone => 13,
        Field::Ward => 14,
        Field::HouseholdCode => 15,
        Field::HouseholdSize => 16,
        Field::AccountNumber => 17,
        Field::SocialSecurityAccount => 18,
        Field::Bank => 19,
        Field::AccountHolder => 20,
    }
}

/// The fields whose cells [`RowReader::has_content`] looks at, by slot: not the account
/// columns, which alone do not make a person.
const CONTENT_SLOTS: [usize; 15] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16];

impl<'a> RowReader<'a> {
    fn new(
        cells: &'a SheetText,
        header: &Header,
        merged: &[MergedArea],
        ctx: &'a ImportContext,
        household_list: bool,
    ) -> Self {
        // A field mapped twice takes its last column.
        let mut col = [None; FIELD_SLOTS];
        for (c, f, _) in &header.columns {
            col[field_slot(*f)] = Some(*c);
        }
        let mut fill_down = HashMap::new();
        let row0 = cells.first_row() - 1;
        let col0 = cells.first_col();
        for &((r1, c1), (r2, c2)) in merged {
            if r2 <= r1 {
                continue;
            }
            for f in FILL_DOWN_FIELDS {
                let Some(c) = col[field_slot(*f)] else {
                    continue;
                };
                let abs_c = col0 + c as u32;
                if !(c1..=c2).contains(&abs_c) || c1 != abs_c {
                    continue;
                }
                let (Some(top), Some(bottom)) = (r1.checked_sub(row0), r2.checked_sub(row0)) else {
                    continue;
                };
                let (top, bottom) = (top as usize, (bottom as usize).min(cells.height()));
                if top < header.data_idx {
                    continue;
                }
                for r in top + 1..=bottom {
                    fill_down.insert((r, c), (top, c));
                }
            }
        }
        let khu_pho_is_to = header
            .columns
            .iter()
            .find(|(_, f, _)| *f == Field::KhuPho)
            .is_some_and(|(_, _, label)| {
                let l = fold_key(label);
                l.contains("to dan pho") || l == "to" || l.contains("tdp")
            });
        RowReader {
            cells,
            ctx,
            household_list,
            title_ward: None,
            khu_pho_is_to,
            col,
            fill_down,
            categories: RefCell::default(),
            wards: RefCell::default(),
            khu_pho: RefCell::default(),
            ward_keys: ctx.wards.iter().map(|w| fold_key(&w.name)).collect(),
        }
    }

    fn has_column(&self, field: Field) -> bool {
        self.col[field_slot(field)].is_some()
    }

    /// [`Catalogue::match_category`](chamlo_vn::catalogue::Catalogue::match_category), once
    /// per text.
    fn resolve_category(&self, text: &'a str) -> CategoryReading {
        self.categories
            .borrow_mut()
            .entry(text)
            .or_insert_with(|| read_category(&self.ctx.catalogue, text))
            .clone()
    }

    /// [`resolve_ward`], once per text.
    fn resolve_ward(&self, text: &'a str) -> Option<&'a KnownWard> {
        let index = *self
            .wards
            .borrow_mut()
            .entry(text)
            .or_insert_with(|| ward_index_or_synonym(text, self.ctx, &self.ward_keys));
        index.map(|i| &self.ctx.wards[i])
    }

    /// [`canonical_khu_pho`] of a non-empty cell, once per text.
    fn khu_pho(&self, text: &'a str) -> Option<String> {
        self.khu_pho
            .borrow_mut()
            .entry(text)
            .or_insert_with(|| non_empty(text).map(|k| canonical_khu_pho(&k, self.khu_pho_is_to)))
            .clone()
    }

    fn get(&self, r: usize, field: Field) -> (&'a str, CellKind) {
        let Some(c) = self.col[field_slot(field)] else {
            return ("", CellKind::Empty);
        };
        let (r, c) = match self.cells.kind_at(r, c) {
            CellKind::Empty => self.fill_down.get(&(r, c)).copied().unwrap_or((r, c)),
            _ => (r, c),
        };
        (self.cells.at(r, c).trim(), self.cells.kind_at(r, c))
    }

    fn text(&self, r: usize, field: Field) -> &'a str {
        self.get(r, field).0
    }

    /// The trimmed text of column `c` in row `r`, or of the merged area's first cell.
    fn cell_text(&self, r: usize, c: usize) -> &'a str {
        let (r, c) = match self.cells.kind_at(r, c) {
            CellKind::Empty => self.fill_down.get(&(r, c)).copied().unwrap_or((r, c)),
            _ => (r, c),
        };
        self.cells.at(r, c).trim()
    }

    /// Values only a person row has.
    fn has_person_data(&self, r: usize) -> bool {
        [
            Field::NationalId,
            Field::BirthYear,
            Field::BirthYearOf(Gender::Male),
            Field::BirthYearOf(Gender::Female),
            Field::Gender,
            Field::HouseholdCode,
        ]
        .iter()
        .any(|f| !self.text(r, *f).is_empty())
    }

    /// Anything a person row could hold, besides its number and signature.
    fn has_content(&self, r: usize) -> bool {
        CONTENT_SLOTS
            .iter()
            .any(|&slot| self.col[slot].is_some_and(|c| !self.cell_text(r, c).is_empty()))
    }

    /// A row such as "(1) (2) (3)…" or "A B 1 2…" under the header.
    fn is_numbering_row(&self, r: usize) -> bool {
        let mut count = 0;
        for c in 0..self.cells.width() {
            let t = self.cells.at(r, c).trim();
            if t.is_empty() {
                continue;
            }
            let inner = t.trim_start_matches('(').trim_end_matches(')');
            let ok = (!inner.is_empty()
                && inner.len() <= 2
                && inner.bytes().all(|b| b.is_ascii_digit()))
                || (inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_alphabetic()));
            if !ok {
                return false;
            }
            count += 1;
        }
        count >= 3
    }

    /// Texts of the row's non-empty text cells, folded.
    fn folded_texts(&self, r: usize) -> impl Iterator<Item = String> + '_ {
        (0..self.cells.width()).filter_map(move |c| {
            let t = self.cells.at(r, c);
            (self.cells.kind_at(r, c) == CellKind::Text && !t.trim().is_empty())
                .then(|| fold_key(t))
        })
    }

    /// "Tổng cộng", "Bằng chữ", a signature line or the place-and-date line: the table is over.
    fn ends_table(&self, r: usize) -> bool {
        self.folded_texts(r).any(|t| is_end_marker(&t))
    }

    /// The folded text of the STT cell, or else of the name cell.
    fn leading_text(&self, r: usize) -> String {
        let stt = self.text(r, Field::Stt);
        fold_key(if stt.is_empty() {
            self.text(r, Field::FullName)
        } else {
            stt
        })
    }

    /// The heading text of a section row ("I", "NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG", "II. HỘ NGHÈO").
    fn section_heading(&self, r: usize) -> Option<String> {
        let stt = self.text(r, Field::Stt);
        let name = self.text(r, Field::FullName);
        let first_text = (0..self.cells.width())
            .map(|c| self.cells.at(r, c).trim())
            .find(|t| !t.is_empty())
            .unwrap_or("");
        let heading = if name.is_empty() { first_text } else { name };
        if is_section_number(stt) {
            return Some(if name.is_empty() && heading == stt {
                String::new()
            } else {
                heading.to_owned()
            });
        }
        if heading.is_empty() {
            return None;
        }
        if self.ctx.catalogue.resolve_heading(heading).is_some()
            || starts_with_enumerator(heading)
            || is_generic_heading(&fold_key(heading))
        {
            return Some(heading.to_owned());
        }
        None
    }

    fn read_person(&self, r: usize, section: Option<&Arc<Category>>) -> ImportRow {
        let sheet_row = self.cells.first_row() + r as u32;
        let mut row = ImportRow::empty(sheet_row);
        let current_year = self.ctx.current_year;

        // Name.
        let name = self.text(r, Field::FullName);
        if name.is_empty() {
            row.error(
                "full_name",
                "Thiếu họ và tên; hãy ghi họ và tên người nhận.".to_owned(),
            );
        } else {
            let tidy = tidy_person_name(name);
            if let Some(bad) = invalid_name_char(&tidy) {
                row.error(
                    "full_name",
                    format!(
                        "Họ và tên “{tidy}” có ký tự “{bad}” không thể có trong tên người; hãy sửa lại tên."
                    ),
                );
            }
            row.full_name = Some(tidy);
        }

        // Birth year and gender.
        let mut row_gender: Option<Gender> = None;
        let (birth_text, birth_kind) = self.get(r, Field::BirthYear);
        let mut birth = None;
        if !birth_text.is_empty() {
            birth = values::parse_birth(birth_text, birth_kind);
            if birth.is_none() {
                row.error("birth_year", unreadable_birth(birth_text));
            }
        }
        let male = self.get(r, Field::BirthYearOf(Gender::Male));
        let female = self.get(r, Field::BirthYearOf(Gender::Female));
        match (male.0.is_empty(), female.0.is_empty()) {
            (false, false) => row.error(
                "gender",
                format!(
                    "Có ghi cả ở cột Nam (“{}”) và cột Nữ (“{}”); hãy chỉ ghi vào cột đúng giới tính.",
                    male.0, female.0
                ),
            ),
            (false, true) | (true, false) => {
                let (g, (t, k)) = if male.0.is_empty() {
                    (Gender::Female, female)
                } else {
                    (Gender::Male, male)
                };
                row_gender = Some(g);
                // A tick only gives the gender; anything else must be the year.
                if !values::is_tick(t) {
                    match values::parse_birth(t, k) {
                        Some(b) => birth = Some(b),
                        None => row.error("birth_year", unreadable_birth(t)),
                    }
                }
            }
            (true, true) => {}
        }
        if let Some(b) = birth {
            row.birth_year = Some(b.year);
            row.birth_date = b.date;
            if b.year < 1900 || b.year > current_year {
                row.error(
                    "birth_year",
                    format!(
                        "Năm sinh {} không hợp lệ: năm sinh phải từ 1900 đến {current_year}; hãy kiểm tra lại.",
                        b.year
                    ),
                );
            }
        }
        let gender_text = self.text(r, Field::Gender);
        if !gender_text.is_empty() {
            match values::parse_gender(gender_text) {
                Some(g) => {
                    if let Some(from_cols) = row_gender
                        && from_cols != g
                    {
                        row.warning(
                            "gender",
                            format!(
                                "Cột Giới tính ghi “{gender_text}” nhưng năm sinh lại ghi ở cột {}; hãy kiểm tra lại.",
                                from_cols.label()
                            ),
                        );
                    }
                    row_gender = Some(g);
                }
                None => row.warning(
                    "gender",
                    format!("Giới tính “{gender_text}” không rõ; hãy ghi “Nam” hoặc “Nữ”."),
                ),
            }
        }
        row.gender = row_gender;

        // Identity number.
        let (id_text, id_kind) = self.get(r, Field::NationalId);
        if !id_text.is_empty() {
            let restored;
            let candidate = if id_kind == CellKind::Number {
                restored = restore_numeric_id(id_text);
                restored.as_str()
            } else {
                id_text
            };
            match parse_national_id(candidate) {
                Ok(Some(id)) => {
                    let year = row.birth_year.filter(|y| (1900..=current_year).contains(y));
                    for m in identity::cross_check_cccd(&id, year, row_gender) {
                        row.warning("national_id", mismatch_message(&id, &m));
                    }
                    if row.gender.is_none() {
                        row.gender = id.cccd_birth_info().map(|i| i.gender);
                    }
                    row.national_id = Some(id);
                }
                Ok(None) => {}
                Err(problem) => {
                    row.national_id_as_typed = Some(candidate.to_owned());
                    row.error(
                        "national_id",
                        id_problem_message(id_text, candidate, &problem),
                    );
                }
            }
        }

        // Category: the row's own, else its section's.
        let cat_text = self.text(r, Field::Category);
        if cat_text.is_empty() {
            row.category = section.cloned();
            if row.category.is_none() {
                row.error(
                    "category",
                    "Thiếu đối tượng; hãy ghi đối tượng (ví dụ “Thân nhân liệt sĩ”, “Hộ nghèo”) hoặc đặt người này dưới dòng tiêu đề mục của đối tượng đó.".to_owned(),
                );
            }
        } else {
            let reading = self.resolve_category(cat_text);
            row.category = reading.category;
            match reading.issue {
                Some((Severity::Error, message)) => row.error("category", message),
                Some((Severity::Warning, message)) => row.warning("category", message),
                None => {}
            }
        }

        // Amount.
        let (amount_text, amount_kind) = self.get(r, Field::Amount);
        if !amount_text.is_empty() {
            match values::parse_amount(amount_text, amount_kind) {
                Ok(v) => row.amount = Some(v),
                Err(AmountProblem::NotANumber) => row.error(
                    "amount",
                    format!(
                        "Số tiền “{amount_text}” không phải là số; hãy ghi số tiền bằng chữ số, ví dụ 600000 hoặc 600.000."
                    ),
                ),
                Err(AmountProblem::Negative(v)) => {
                    row.amount = Some(v);
                    row.error(
                        "amount",
                        format!("Số tiền “{amount_text}” là số âm; hãy ghi số tiền không âm."),
                    );
                }
                Err(AmountProblem::Fractional) => row.error(
                    "amount",
                    format!(
                        "Số tiền “{amount_text}” có phần lẻ dưới một đồng; hãy ghi số tiền tròn đồng."
                    ),
                ),
            }
        }

        row.address = non_empty(self.text(r, Field::Address));
        row.khu_pho = self.khu_pho(self.text(r, Field::KhuPho));
        row.note = non_empty(self.text(r, Field::Note));
        let (phone, phone_kind) = self.get(r, Field::Phone);
        row.phone = if phone_kind == CellKind::Number && phone.len() == 9 {
            Some(format!("0{phone}"))
        } else {
            non_empty(phone)
        };
        super::account_columns::read_account(
            &mut row,
            self.ctx,
            super::account_columns::AccountCells {
                number: self.text(r, Field::AccountNumber),
                social_security: self.text(r, Field::SocialSecurityAccount),
                bank: self.text(r, Field::Bank),
                holder: self.text(r, Field::AccountHolder),
            },
        );

        let ward_text = self.text(r, Field::Ward);
        if !self.has_column(Field::Ward) {
            row.ward = self.title_ward.cloned();
        } else if ward_text.is_empty() {
            row.error(
                "ward",
                "Thiếu tên phường; hãy ghi phường của người này vào cột Phường.".to_owned(),
            );
        } else {
            match self.resolve_ward(ward_text) {
                Some(w) => row.ward = Some(w.clone()),
                None => row.error(
                    "ward",
                    format!(
                        "Phường “{}” không có trong danh sách các phường; hãy ghi đúng tên phường.",
                        normalize(ward_text)
                    ),
                ),
            }
        }

        if self.household_list {
            self.read_household(r, &mut row);
        }

        row.status = if row.has_errors() {
            RowStatus::Rejected
        } else {
            RowStatus::Accepted
        };
        row
    }

    fn read_household(&self, r: usize, row: &mut ImportRow) {
        row.household_code = non_empty(self.text(r, Field::HouseholdCode));
        if row.household_code.is_none() && self.has_column(Field::HouseholdCode) {
            row.warning(
                "household_code",
                "Thiếu mã hộ; hãy ghi mã hộ theo sổ theo dõi hộ nghèo, cận nghèo của phường (nếu là hộ mới, ghi chú rõ).".to_owned(),
            );
        }
        let (size_text, size_kind) = self.get(r, Field::HouseholdSize);
        if !size_text.is_empty() {
            match values::parse_count(size_text, size_kind) {
                Some(n) => row.household_size = Some(n),
                None => row.warning(
                    "household_size",
                    format!(
                        "Số nhân khẩu “{size_text}” không phải là số; hãy ghi số người trong hộ."
                    ),
                ),
            }
        }
    }
}

fn id_problem_message(typed: &str, digits: &str, problem: &IdProblem) -> String {
    match problem {
        IdProblem::NotDigits => format!(
            "Số CCCD/CMND “{typed}” có ký tự không phải chữ số; hãy ghi đủ 12 chữ số của CCCD (hoặc 9 chữ số của CMND)."
        ),
        IdProblem::WrongLength(n) => format!(
            "Số CCCD/CMND “{digits}” có {n} chữ số; CCCD phải có 12 chữ số, CMND có 9 chữ số. Hãy kiểm tra lại (nếu ô đang định dạng số, hãy đổi sang định dạng văn bản để giữ số 0 ở đầu)."
        ),
    }
}

/// "KP 3", "KP.4", "Khu phố 5", "Tổ 12", "TDP 10" and a bare number, written the one way:
/// "Khu phố 3", "Tổ 10". A bare number takes the column's kind (`is_to`: a "Tổ dân phố"
/// column). Anything else ("Ấp Long Thạnh") is kept as typed.
pub fn canonical_khu_pho(value: &str, is_to: bool) -> String {
    let folded = fold_key(value);
    const PREFIXES: &[(&str, bool)] = &[
        ("khu pho", false),
        ("to dan pho", true),
        ("tdp", true),
        ("k.p", false),
        ("kp", false),
        ("khu", false),
        ("to", true),
    ];
    let (rest, to) = PREFIXES
        .iter()
        .find_map(|(p, to)| folded.strip_prefix(p).map(|rest| (rest, *to)))
        .unwrap_or((folded.as_str(), is_to));
    let number = rest.trim_start_matches([' ', '.', ':', '-']).trim();
    let number = number.strip_prefix("so ").unwrap_or(number);
    let digits = number.trim_start_matches(|c: char| c.is_ascii_digit());
    let well_formed = !number.is_empty()
        && number.len() - digits.len() >= 1
        && number.len() <= 4
        && digits.chars().all(|c| c.is_ascii_alphabetic());
    if !well_formed {
        return value.to_owned();
    }
    format!(
        "{} {}",
        if to { "Tổ" } else { "Khu phố" },
        number.to_uppercase()
    )
}

/// "Cộng", "Cộng mục I" (folded): a subtotal inside the table.
fn is_subtotal(folded: &str) -> bool {
    let Some(rest) = folded.strip_prefix("cong") else {
        return false;
    };
    if rest.starts_with(char::is_alphabetic) {
        return false;
    }
    let rest = rest.trim_start_matches([' ', ':', '.', '-']);
    let first = rest.split([' ', ':', '.']).next().unwrap_or("");
    rest.is_empty()
        || rest.starts_with(|c: char| c.is_ascii_digit() || c == '(')
        || matches!(
            first,
            "muc" | "phan" | "nhom" | "i" | "ii" | "iii" | "iv" | "v" | "vi" | "a" | "b" | "c"
        )
}

fn non_empty(s: &str) -> Option<String> {
    let n = normalize(s);
    (!n.is_empty()).then_some(n)
}

fn unreadable_birth(text: &str) -> String {
    format!(
        "Năm sinh “{text}” không đọc được; hãy ghi năm sinh (ví dụ 1950) hoặc ngày sinh dạng ngày/tháng/năm (ví dụ 05/03/1950)."
    )
}

fn mismatch_message(id: &identity::NationalId, m: &CccdMismatch) -> String {
    let masked = id.masked();
    match m {
        CccdMismatch::BirthYear { from_id, on_row } => format!(
            "Số CCCD {masked} cho biết năm sinh {from_id} (chữ số thứ 4–6) nhưng dòng này ghi năm sinh {on_row}; hãy kiểm tra lại năm sinh hoặc số CCCD."
        ),
        CccdMismatch::Gender { from_id, on_row } => format!(
            "Số CCCD {masked} cho biết giới tính {} (chữ số thứ 4) nhưng dòng này ghi {}; hãy kiểm tra lại giới tính hoặc số CCCD.",
            from_id.label(),
            on_row.label()
        ),
    }
}

/// Roman numerals and letters numbering sections ("I", "II.", "B", "a)").
fn is_section_number(stt: &str) -> bool {
    let t = stt.trim().trim_end_matches(['.', ')', ':', '-']).trim();
    if t.is_empty() {
        return false;
    }
    let upper = t.to_ascii_uppercase();
    (upper.len() <= 5 && upper.bytes().all(|b| matches!(b, b'I' | b'V' | b'X')))
        || (t.len() == 1 && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// "I.", "II -", "III/": a heading that starts with a roman numeral.
fn starts_with_enumerator(text: &str) -> bool {
    let t = text.trim_start();
    let end = t
        .find(|c: char| !matches!(c, 'I' | 'V' | 'X'))
        .unwrap_or(t.len());
    end > 0 && t[end..].starts_with(['.', ' ', '-', '/', ')', ':'])
}

/// Section words that name no single category.
fn is_generic_heading(folded: &str) -> bool {
    const HEADINGS: &[&str] = &[
        "nguoi co cong",
        "doi tuong",
        "gia dinh chinh sach",
        "gia dinh co cong",
        "bao tro xa hoi",
        "thanh phan",
        "nhom ",
        "phan ",
        "muc ",
        "danh sach",
        "ho ngheo",
        "ho can ngheo",
        "ho gia dinh",
    ];
    HEADINGS.iter().any(|h| folded.starts_with(h))
}

/// Whether a folded text ends the table: a total, the amount in words, a signature line, or
/// the place-and-date line.
fn is_end_marker(t: &str) -> bool {
    const WHOLE_WORDS: &[&str] = &[
        "tong cong",
        "tong so",
        "tong tien",
        "tong",
        "chu tich",
        "pho chu tich",
        "ke toan",
        "ke toan truong",
        "thu quy",
        "thu truong",
        "thu truong don vi",
        "xac nhan",
        "nguoi nhan",
        "truong phong",
        "pho truong phong",
    ];
    const PREFIXES: &[&str] = &[
        "bang chu",
        "so tien bang chu",
        "nguoi lap",
        "lap bieu",
        "tm.",
        "tm ",
        "t/m",
        "tm/",
        "kt.",
        "kt ",
        "kt/",
        "(ky",
        "ky ten",
        "noi nhan",
        "can bo lap",
        "nguoi duyet",
    ];
    let t = t.trim();
    if PREFIXES.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    if WHOLE_WORDS.iter().any(|w| {
        t.strip_prefix(w)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphabetic()))
            && !(*w == "tong" && t.len() > 4 && !t[4..].trim_start().starts_with([':', '(']))
    }) {
        return true;
    }
    // "Tân Phú, ngày 15 tháng 01 năm 2026"
    if !t.contains("ngay") {
        return false;
    }
    let words: Vec<&str> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).any(|w| w[0] == "ngay")
        && words.contains(&"thang")
        && words.contains(&"nam")
        && words
            .iter()
            .any(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_signatures_and_date_lines_end_the_table() {
        for t in [
            "Tổng cộng",
            "TỔNG CỘNG:",
            "Tổng cộng (I+II)",
            "Bằng chữ: Một triệu đồng",
            "Người lập biểu",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            "Tân Phú, ngày 15 tháng 01 năm 2026",
        ] {
            assert!(is_end_marker(&fold_key(t)), "{t}");
        }
        for t in ["Tống Văn Minh", "Nguyễn Văn Chủ", "Tổng Thị Hoa"] {
            assert!(!is_end_marker(&fold_key(t)), "{t}");
        }
    }

    #[test]
    fn khu_pho_is_written_one_way() {
        assert_eq!(canonical_khu_pho("KP 3", false), "Khu phố 3");
        assert_eq!(canonical_khu_pho("KP.4", false), "Khu phố 4");
        assert_eq!(canonical_khu_pho("Khu phố 5", false), "Khu phố 5");
        assert_eq!(canonical_khu_pho("khu pho 2a", false), "Khu phố 2A");
        assert_eq!(canonical_khu_pho("1", false), "Khu phố 1");
        assert_eq!(canonical_khu_pho("8", true), "Tổ 8");
        assert_eq!(canonical_khu_pho("TDP 10", true), "Tổ 10");
        assert_eq!(canonical_khu_pho("Tổ 12", false), "Tổ 12");
        assert_eq!(canonical_khu_pho("Ấp Long Thạnh", false), "Ấp Long Thạnh");
    }

    #[test]
    fn subtotals_are_told_from_names() {
        assert!(is_subtotal(&fold_key("Cộng")));
        assert!(is_subtotal(&fold_key("Cộng mục I:")));
        assert!(!is_subtotal(&fold_key("Cống Quỳnh")));
    }

    #[test]
    fn section_numbers_and_enumerated_headings() {
        assert!(is_section_number("I"));
        assert!(is_section_number("II."));
        assert!(is_section_number("B"));
        assert!(!is_section_number("1"));
        assert!(starts_with_enumerator("II. HỘ NGHÈO"));
        assert!(!starts_with_enumerator("Võ Văn Kiệt"));
        assert!(!starts_with_enumerator("IVAN"));
    }
}

/// A category cell read once for every row that holds the same text: the category taken
/// and what the officer is told about it.
#[derive(Debug, Clone)]
struct CategoryReading {
    category: Option<Arc<Category>>,
    issue: Option<(Severity, String)>,
}

/// Reads a category cell: a sure match is taken quietly, a likely one with a warning that
/// names the category chosen, an unknown one is refused with the closest category suggested.
fn read_category(catalogue: &Catalogue, text: &str) -> CategoryReading {
    let typed = normalize(text);
    match catalogue.match_category(text) {
        CategoryMatch::Sure(c) => CategoryReading {
            category: Some(c.clone()),
            issue: None,
        },
        CategoryMatch::Likely {
            category,
            confidence,
        } => CategoryReading {
            category: Some(category.clone()),
            issue: Some((
                Severity::Warning,
                format!(
                    "Đối tượng “{typed}” được hiểu là “{}” (độ tin cậy {}%); hãy kiểm tra lại, nếu không đúng thì sửa ô này.",
                    category.name,
                    (confidence * 100.0).round() as u32
                ),
            )),
        },
        CategoryMatch::Unknown { closest } => CategoryReading {
            category: None,
            issue: Some((
                Severity::Error,
                match closest {
                    Some(c) => format!(
                        "Đối tượng “{typed}” không có trong danh mục; có phải là “{}”? Hãy ghi đúng tên đối tượng hoặc đề nghị cán bộ quận, quản trị viên thêm tên gọi này.",
                        c.name
                    ),
                    None => format!(
                        "Đối tượng “{typed}” không có trong danh mục; hãy ghi đúng tên đối tượng (ví dụ “Thân nhân liệt sĩ”, “Hộ nghèo”) hoặc đề nghị quản trị viên thêm tên gọi này."
                    ),
                },
            )),
        },
    }
}
