//! Finding the category column of a list by what it holds when its heading is not one the
//! header reader knows ("Ghi chú 2", "Cột 7", an empty cell over a column of "Hộ nghèo").

use super::header::{Field, Header, column_letter};
use super::workbook::SheetText;
use chamlo_vn::catalogue::{Catalogue, CategoryMatch};
use std::collections::HashMap;

/// How many data rows are looked at: enough to judge a column, cheap on a 100,000-row list.
const SAMPLE_ROWS: usize = 300;
/// The fewest filled cells a column needs before its values are trusted.
const MIN_FILLED: usize = 3;

/// When the header maps no category column, looks for the unmapped column whose filled cells
/// are mostly categories (more than half read as one, surely or likely) and maps it as
/// "Đối tượng". Returns the remark for the preview when a column was taken.
pub(crate) fn recognise_category_column(
    sheet: &SheetText,
    header: &mut Header,
    catalogue: &Catalogue,
) -> Option<String> {
    if header.col(Field::Category).is_some() {
        return None;
    }
    let last = sheet.height().min(header.data_idx + SAMPLE_ROWS);
    let mut known: HashMap<&str, bool> = HashMap::new();
    let mut best: Option<(usize, usize, usize)> = None;
    for c in 0..sheet.width() {
        if header.columns.iter().any(|(col, _, _)| *col == c) {
            continue;
        }
        let (mut filled, mut categories) = (0usize, 0usize);
        for r in header.data_idx..last {
            let text = sheet.at(r, c).trim();
            if text.is_empty() {
                continue;
            }
            filled += 1;
            let is_category = *known.entry(text).or_insert_with(|| {
                !matches!(
                    catalogue.match_category(text),
                    CategoryMatch::Unknown { .. }
                )
            });
            if is_category {
                categories += 1;
            }
        }
        if filled >= MIN_FILLED
            && categories * 2 > filled
            && best.is_none_or(|(_, n, _)| categories > n)
        {
            best = Some((c, categories, filled));
        }
    }
    let (c, categories, filled) = best?;
    let label = sheet.at(header.first_idx, c).trim();
    let letter = column_letter(sheet.first_col() + c as u32);
    let shown = if label.is_empty() {
        format!("cột {letter}")
    } else {
        format!("cột {letter} “{label}”")
    };
    header.columns.push((
        c,
        Field::Category,
        if label.is_empty() {
            Field::Category.label().to_owned()
        } else {
            chamlo_vn::text::normalize(label)
        },
    ));
    Some(format!(
        "Không thấy cột “Đối tượng”; {shown} ghi tên đối tượng ở {categories}/{filled} dòng đầu nên được dùng làm cột đối tượng. Nếu không đúng, hãy đặt tiêu đề cột là “Đối tượng”."
    ))
}
