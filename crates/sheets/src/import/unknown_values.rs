//! The values of a read list that name nothing known (a category or a ward spelled in a way
//! the catalogue does not hold), each once with how many rows it stops, so that the preview
//! can offer to map it once instead of the officer fixing every row.

use super::header::Field;
use super::{ParsedList, Severity};

/// One unknown text of a column and the rows refused because of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// The text as typed (trimmed).
    pub text: String,
    /// How many rows hold it.
    pub rows: usize,
}

impl ParsedList {
    /// The distinct texts of the `field` column (a category or a ward column) on rows refused
    /// for that field, most frequent first; for wards, also the name an unknown title gives
    /// when rows are left without a ward.
    pub fn unknown_values(&self, field: Field) -> Vec<UnknownValue> {
        let mut found = self.unknown_column_values(field);
        if field == Field::Ward
            && self.ward.is_none()
            && let Some(name) = &self.title_ward_name
        {
            let rows = self.rows.iter().filter(|r| r.ward.is_none()).count();
            if rows > 0 && !found.iter().any(|v| &v.text == name) {
                found.push(UnknownValue {
                    text: name.clone(),
                    rows,
                });
            }
        }
        found
    }

    fn unknown_column_values(&self, field: Field) -> Vec<UnknownValue> {
        let issue_field = match field {
            Field::Category => "category",
            Field::Ward => "ward",
            _ => return Vec::new(),
        };
        let Some(column) = self.columns.iter().find(|c| c.field == field) else {
            return Vec::new();
        };
        let Some(col) = column.column.checked_sub(self.cells.first_col()) else {
            return Vec::new();
        };
        let mut found: Vec<UnknownValue> = Vec::new();
        for row in &self.rows {
            let refused = row
                .issues
                .iter()
                .any(|i| i.field == issue_field && i.severity == Severity::Error);
            let Some(r) = row.row.checked_sub(self.cells.first_row()) else {
                continue;
            };
            if !refused {
                continue;
            }
            let text = self.cells.at(r as usize, col as usize).trim();
            if text.is_empty() {
                continue;
            }
            match found.iter_mut().find(|v| v.text == text) {
                Some(v) => v.rows += 1,
                None => found.push(UnknownValue {
                    text: text.to_owned(),
                    rows: 1,
                }),
            }
        }
        found.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.text.cmp(&b.text)));
        found
    }
}
