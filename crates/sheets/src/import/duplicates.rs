//! People listed twice: within one file, and against the lists already in the campaign (the
//! caller looks those up; this module only decides what counts as the same person).

use super::{ImportRow, RowIssue, RowStatus, Severity};
use chamlo_vn::text::{fold_key, push_name_key};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// What identifies a person (or a household) across lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PersonKey {
    /// The CCCD/CMND digits.
    NationalId(String),
    /// Normalised name, birth year and address, for people without an ID.
    NameBirthAddress(String),
    /// A household code from the poverty register.
    Household(String),
}

impl PersonKey {
    /// A single string for storing and looking the key up ("id:…", "nba:…", "hh:…").
    /// It contains the ID, so it is personal data: never log it.
    pub fn storage_key(&self) -> String {
        match self {
            PersonKey::NationalId(s) => format!("id:{s}"),
            PersonKey::NameBirthAddress(s) => format!("nba:{s}"),
            PersonKey::Household(s) => format!("hh:{s}"),
        }
    }

    fn field(&self) -> &'static str {
        match self {
            PersonKey::NationalId(_) => "national_id",
            PersonKey::NameBirthAddress(_) => "row",
            PersonKey::Household(_) => "household_code",
        }
    }

    fn reason(&self) -> &'static str {
        match self {
            PersonKey::NationalId(_) => "cùng số CCCD/CMND",
            PersonKey::NameBirthAddress(_) => "cùng họ tên, năm sinh và địa chỉ",
            PersonKey::Household(_) => "cùng mã hộ",
        }
    }
}

impl ImportRow {
    /// The keys this row's person is recognised by: the ID when there is one, otherwise
    /// name + birth year + address (when name and year are known); plus the household code.
    pub fn person_keys(&self) -> Vec<PersonKey> {
        let mut keys = Vec::with_capacity(2);
        if let Some(id) = &self.national_id {
            keys.push(PersonKey::NationalId(id.as_str().to_owned()));
        } else if let Some(k) = self.name_birth_address() {
            keys.push(PersonKey::NameBirthAddress(k));
        }
        if let Some(code) = &self.household_code {
            keys.push(PersonKey::Household(fold_key(code)));
        }
        keys
    }

    fn name_birth_address(&self) -> Option<String> {
        let name = self.full_name.as_deref()?;
        let year = self.birth_year?;
        let place = self
            .address
            .as_deref()
            .or(self.khu_pho.as_deref())
            .unwrap_or("");
        // name_birth_address_key(&name_key(name), year, place), built in one string.
        let mut key = String::with_capacity(name.len() + place.len() + 16);
        push_name_key(&mut key, name);
        push_name_birth_address_tail(&mut key, year, place);
        Some(key)
    }

    fn mark_duplicate(&mut self, field: &'static str, message: String) {
        self.issues.push(RowIssue {
            field,
            severity: Severity::Error,
            message,
        });
        self.status = RowStatus::Duplicate;
    }
}

/// Marks rows naming a person (or, in a household list, a household) already named on an
/// earlier accepted row of the same file, naming that row.
///
/// Two rows with different IDs are different people even with the same name; a row without
/// an ID matches an earlier row by name, birth year and address. Rows with errors take no
/// part: they stay rejected, and are never the earlier row (they will not be imported).
///
/// The list is marked batch by batch as it is read: this holds the people of the rows seen
/// so far, so that each batch is marked against every earlier row of the file. A row is only
/// ever the duplicate of an earlier one, so a batch's marks never change once passed on.
#[derive(Debug, Default)]
pub(crate) struct InFileDuplicates {
    household_list: bool,
    by_id: HashMap<String, u32>,
    by_nba: HashMap<String, (u32, bool)>,
    by_household: HashMap<String, u32>,
}

impl InFileDuplicates {
    /// Nobody seen yet; `household_list` when the list names households.
    pub(crate) fn new(household_list: bool) -> Self {
        InFileDuplicates {
            household_list,
            ..Default::default()
        }
    }

    /// Marks the rows of the next batch.
    pub(crate) fn mark(&mut self, rows: &mut [ImportRow]) {
        // Decided over the rows as read (a row's own status is all that changes, and only
        // after its turn); the marks are made afterwards.
        let mut nba_keys = name_birth_address_keys(rows);
        let mut marks: Vec<(usize, u32, PersonKey)> = Vec::new();
        for (index, row) in rows.iter().enumerate() {
            if row.status != RowStatus::Accepted {
                continue;
            }
            let mut found: Option<(u32, PersonKey)> = None;
            if let Some(id) = &row.national_id {
                match self.by_id.get(id.as_str()) {
                    Some(other) => found = Some((*other, PersonKey::NationalId(String::new()))),
                    None => {
                        self.by_id.insert(id.as_str().to_owned(), row.row);
                    }
                }
            }
            if found.is_none()
                && let Some(k) = nba_keys[index].take()
            {
                let has_id = row.national_id.is_some();
                match self.by_nba.entry(k) {
                    // Only when one of the two rows has no ID: two IDs already said "different".
                    Entry::Occupied(e) if !(has_id && e.get().1) => {
                        found = Some((e.get().0, PersonKey::NameBirthAddress(String::new())));
                    }
                    Entry::Occupied(_) => {}
                    Entry::Vacant(e) => {
                        e.insert((row.row, has_id));
                    }
                }
            }
            if found.is_none()
                && self.household_list
                && let Some(code) = &row.household_code
            {
                match self.by_household.entry(fold_key(code)) {
                    Entry::Occupied(e) => {
                        found = Some((*e.get(), PersonKey::Household(code.clone())));
                    }
                    Entry::Vacant(e) => {
                        e.insert(row.row);
                    }
                }
            }
            if let Some((other, key)) = found {
                marks.push((index, other, key));
            }
        }
        for (index, other, key) in marks {
            let message = match &key {
                PersonKey::Household(code) => format!(
                    "Trùng với dòng {other} (cùng mã hộ “{code}”); mỗi hộ chỉ ghi một lần, hãy xóa một trong hai dòng."
                ),
                k => format!(
                    "Trùng với dòng {other} ({}); mỗi người chỉ ghi một lần, hãy xóa một trong hai dòng.",
                    k.reason()
                ),
            };
            rows[index].mark_duplicate(key.field(), message);
        }
    }
}

/// Rows from which the keys are computed on two threads.
const PARALLEL_ROWS: usize = 4096;

/// Each accepted row's name + birth year + address key: the costly part of finding
/// duplicates, independent from row to row, so shared between two threads for a long list.
fn name_birth_address_keys(rows: &[ImportRow]) -> Vec<Option<String>> {
    let keys = |rows: &[ImportRow]| -> Vec<Option<String>> {
        rows.iter()
            .map(|row| {
                (row.status == RowStatus::Accepted)
                    .then(|| row.name_birth_address())
                    .flatten()
            })
            .collect()
    };
    if rows.len() < PARALLEL_ROWS {
        return keys(rows);
    }
    let (first, second) = rows.split_at(rows.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| keys(second));
        let mut out = keys(first);
        match other.join() {
            Ok(rest) => out.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        out
    })
}

/// The key of a person without an ID: the [`name_key`](chamlo_vn::text::name_key) of the name, the birth year and the
/// address (or khu phố). Stored people are keyed the same way from their columns.
pub fn name_birth_address_key(name_key_of_name: &str, year: i32, place: &str) -> String {
    let mut key = String::with_capacity(name_key_of_name.len() + place.len() + 16);
    key.push_str(name_key_of_name);
    push_name_birth_address_tail(&mut key, year, place);
    key
}

/// Appends "|{year}|{name_key(place)}".
fn push_name_birth_address_tail(key: &mut String, year: i32, place: &str) {
    use std::fmt::Write as _;
    let _ = write!(key, "|{year}|");
    push_name_key(key, place);
}

/// Marks rows whose person is already listed elsewhere in the campaign.
///
/// `listed_in` is the caller's lookup: given a key, the name of the ward whose list already
/// holds it, if any. Only accepted rows are checked: rejected rows will not be imported and
/// rows already marked duplicate say so.
pub fn mark_listed_elsewhere(
    rows: &mut [ImportRow],
    mut listed_in: impl FnMut(&PersonKey) -> Option<String>,
) {
    for row in rows.iter_mut() {
        if row.status != RowStatus::Accepted {
            continue;
        }
        for key in row.person_keys() {
            if let Some(ward) = listed_in(&key) {
                let who = if matches!(key, PersonKey::Household(_)) {
                    "Hộ này"
                } else {
                    "Người này"
                };
                row.mark_duplicate(
                    key.field(),
                    format!(
                        "{who} đã có trong danh sách của phường {ward} ({}); hãy kiểm tra lại, mỗi người (mỗi hộ) chỉ được ghi một lần.",
                        key.reason()
                    ),
                );
                break;
            }
        }
    }
}
