//! A signed sheet comes back: the marks read from it by [`crate::export::read_signed_sheet`]
//! become distribution records. "x" means the person received the gift on the given date;
//! a name ("Trần Văn Bình - con") means someone received it for them.
//!
//! Rows are matched by the hidden "Mã dòng" (the entry id) only. Anything that does not fit
//! — no id, an unknown id, an entry outside the operator's units, of another ward or program
//! than the sheet, a list not yet approved, an entry already recorded differently, a mark
//! that is neither "x" nor a name — is reported row by row in Vietnamese and left alone:
//! nothing is guessed. What fits is recorded through
//! [`crate::domain::distribution::record_distribution`] in one transaction, and audited.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, TransactionSession,
    TransactionTrait,
};
use serde::Serialize;

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::clock::vietnam_date;
use crate::domain::distribution::{Distribution, record_distribution};
use crate::domain::operator::Operator;
use crate::domain::units::{all_units, display_name, find_unit};
use crate::entities::states::{CampaignStatus, EntryStatus, ListStatus, UnitLevel};
use crate::entities::{campaign, entry, gift_program, unit, ward_list};
use crate::error::{AppError, AppResult};
use crate::export::{EntryRef, Mark, SignedMark, read_signed_sheet};
use crate::vn::text::fold_key;

/// Ids per `IN (…)` list: well inside both engines' limits on bound parameters.
const IN_CHUNK: usize = 500;

/// Which ward and program the returned sheet is for, when the user says so (the upload
/// form of a ward list, `--ward` / `--program`). Left empty, each worksheet's ward is the
/// one its tab names ("Phường Hiệp Phú", as exported) or the one all its rows share, and
/// its program the one all its rows share.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SheetTarget {
    /// The ward every row must belong to.
    pub ward_id: Option<i32>,
    /// The program every row must belong to.
    pub program_id: Option<i32>,
}

/// A row left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// The worksheet.
    pub sheet: String,
    /// The row as Excel numbers it.
    pub row: u32,
    /// The name written on the row.
    pub name: String,
    /// The entry id on the row, when there is a usable one.
    pub entry_id: Option<i64>,
    /// What is wrong, in Vietnamese.
    pub message: String,
}

/// What applying a signed sheet did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SignedSheetReport {
    /// People's rows read from the workbook.
    pub rows: usize,
    /// Newly recorded as received by the person.
    pub received_by_self: usize,
    /// Newly recorded as received by a proxy.
    pub received_by_proxy: usize,
    /// Rows whose mark was already recorded exactly so (applying a sheet twice changes
    /// nothing).
    pub already_recorded: usize,
    /// Rows without a mark: nothing recorded.
    pub not_marked: usize,
    /// Rows left alone, for a person to look at.
    pub problems: Vec<RowProblem>,
}

impl SignedSheetReport {
    /// One Vietnamese sentence with the counts.
    pub fn summary(&self) -> String {
        format!(
            "Đã đọc {} dòng: ghi nhận mới {} người tự nhận, {} người được nhận thay; \
             {} dòng đã ghi nhận từ trước; {} dòng chưa đánh dấu; {} dòng có vấn đề cần kiểm tra.",
            self.rows,
            self.received_by_self,
            self.received_by_proxy,
            self.already_recorded,
            self.not_marked,
            self.problems.len()
        )
    }
}

/// Reads a returned signing sheet (.xlsx, .xls or .ods bytes) off the async runtime and
/// applies its marks (see [`apply_signed_sheet`]). The web upload and the command line both
/// come through here.
pub async fn apply_signed_workbook<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    bytes: Vec<u8>,
    target: SheetTarget,
    date: NaiveDate,
) -> AppResult<SignedSheetReport> {
    let marks = tokio::task::spawn_blocking(move || read_signed_sheet(&bytes))
        .await
        .map_err(|err| AppError::Other(anyhow::anyhow!("signed sheet reader stopped: {err}")))?
        .map_err(|err| AppError::Invalid(err.to_string()))?;
    apply_signed_sheet(db, operator, campaign, &marks, target, date).await
}

/// The ward and program a worksheet is for, by worksheet name (see [`SheetTarget`]).
type ExpectedPerSheet<'a> = HashMap<&'a str, (Option<i32>, Option<i32>)>;

/// What a row asks for, once it is known to be applicable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Wanted {
    BySelf,
    ByProxy { name: String, relationship: String },
}

/// Applies the marks of a returned signing sheet to the campaign's entries: "x" → received
/// by the person on `date`, a name with its relationship → received by that proxy on
/// `date`; unmarked rows change nothing. Every row that cannot be applied exactly is
/// reported, not guessed. All changes happen in one transaction and are audited (each entry
/// by the distribution, the sheet as `distribution.signed_sheet`).
pub async fn apply_signed_sheet<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    marks: &[SignedMark],
    target: SheetTarget,
    date: NaiveDate,
) -> AppResult<SignedSheetReport> {
    if campaign.status == CampaignStatus::Closed {
        return Err(AppError::Invalid(format!(
            "Đợt quà “{}” đã kết thúc: không thể ghi nhận cấp phát nữa.",
            campaign.title
        )));
    }
    if let Some(ward_id) = target.ward_id {
        operator.scope.ensure(ward_id)?;
    }
    let entries = load_entries(db, campaign, marks).await?;
    let lists = load_list_statuses(db, campaign).await?;
    let units = all_units(db).await?;
    let program_names: HashMap<i32, String> = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign.id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let unit_name = |id: i32| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(display_name)
            .unwrap_or_else(|| format!("đơn vị #{id}"))
    };
    let expected = expected_per_sheet(marks, &entries, operator, target, &lists, &units)?;

    let mut report = SignedSheetReport {
        rows: marks.len(),
        ..SignedSheetReport::default()
    };
    let mut wanted: BTreeMap<Wanted, Vec<i32>> = BTreeMap::new();
    for mark in marks {
        let problem = |entry_id: Option<i64>, message: String| RowProblem {
            sheet: mark.sheet.clone(),
            row: mark.row,
            name: mark.name.clone(),
            entry_id,
            message,
        };
        let id = match &mark.entry {
            EntryRef::Id(id) => *id,
            EntryRef::Missing => {
                report.problems.push(problem(
                    None,
                    "Dòng không có “Mã dòng” (dòng thêm bằng tay hoặc đã bị xóa mã): không \
                     biết là người nào nên chưa ghi nhận."
                        .into(),
                ));
                continue;
            }
            EntryRef::Invalid(text) => {
                report.problems.push(problem(
                    None,
                    format!(
                        "“Mã dòng” ghi “{text}”, không phải mã do hệ thống xuất ra: chưa ghi nhận."
                    ),
                ));
                continue;
            }
            EntryRef::Duplicate(id) => {
                report.problems.push(problem(
                    Some(*id),
                    format!(
                        "Mã dòng {id} có trên nhiều dòng (dòng bị sao chép): không ghi nhận dòng \
                         nào mang mã này."
                    ),
                ));
                continue;
            }
        };
        let Some(item) = i32::try_from(id).ok().and_then(|id| entries.get(&id)) else {
            report.problems.push(problem(
                Some(id),
                format!("Không có người nhận nào mang mã dòng {id} trong đợt quà này."),
            ));
            continue;
        };
        if !operator.scope.allows(item.ward_id) {
            report.problems.push(problem(
                Some(id),
                "Người nhận này thuộc đơn vị ngoài phạm vi tài khoản của bạn: chưa ghi nhận."
                    .into(),
            ));
            continue;
        }
        let (sheet_ward, sheet_program) = expected
            .get(mark.sheet.as_str())
            .copied()
            .unwrap_or((None, None));
        if let Some(ward_id) = sheet_ward
            && ward_id != item.ward_id
        {
            report.problems.push(problem(
                Some(id),
                format!(
                    "Dòng này thuộc danh sách của {}, không phải của {} (danh sách đang nhập).",
                    unit_name(item.ward_id),
                    unit_name(ward_id)
                ),
            ));
            continue;
        }
        if let Some(program_id) = sheet_program
            && program_id != item.program_id
        {
            let name = |id: i32| program_names.get(&id).cloned().unwrap_or_default();
            report.problems.push(problem(
                Some(id),
                format!(
                    "Dòng này thuộc chương trình “{}”, không phải chương trình “{}” của danh sách.",
                    name(item.program_id),
                    name(program_id)
                ),
            ));
            continue;
        }
        let asked = match &mark.mark {
            Mark::NotMarked => {
                report.not_marked += 1;
                continue;
            }
            Mark::Unclear(text) => {
                report.problems.push(problem(
                    Some(id),
                    format!(
                        "Ô “Ký nhận” ghi “{text}”: không rõ đã nhận hay ai nhận thay nên chưa \
                         ghi nhận."
                    ),
                ));
                continue;
            }
            Mark::ByProxy {
                name,
                relationship: None,
            } => {
                report.problems.push(problem(
                    Some(id),
                    format!(
                        "Ô “Ký nhận” ghi người nhận thay “{name}” nhưng thiếu quan hệ với người \
                         được nhận quà; hãy ghi dạng “Tên - quan hệ”, ví dụ “{name} - con”."
                    ),
                ));
                continue;
            }
            Mark::BySelf => Wanted::BySelf,
            Mark::ByProxy {
                name,
                relationship: Some(relationship),
            } => Wanted::ByProxy {
                name: name.clone(),
                relationship: relationship.clone(),
            },
        };
        match item.status {
            EntryStatus::Pending => {}
            EntryStatus::Received if same_receiver(item, &asked) => {
                report.already_recorded += 1;
                continue;
            }
            _ => {
                report.problems.push(problem(
                    Some(id),
                    format!(
                        "Đã ghi nhận trước đó là {}, khác với danh sách ký nhận ({}): giữ \
                         nguyên, hãy kiểm tra và sửa trực tiếp nếu cần.",
                        recorded_state(item),
                        asked_label(&asked)
                    ),
                ));
                continue;
            }
        }
        if lists.get(&item.ward_list_id) != Some(&ListStatus::Approved) {
            report.problems.push(problem(
                Some(id),
                format!(
                    "Danh sách của {} chưa được duyệt: chỉ ghi nhận cấp phát trên danh sách \
                     đã duyệt.",
                    unit_name(item.ward_id)
                ),
            ));
            continue;
        }
        match asked {
            Wanted::BySelf => report.received_by_self += 1,
            Wanted::ByProxy { .. } => report.received_by_proxy += 1,
        }
        wanted.entry(asked).or_default().push(item.id);
    }

    let txn = begin_write(db).await?;
    for (asked, ids) in &wanted {
        let proxy = match asked {
            Wanted::BySelf => None,
            Wanted::ByProxy { name, relationship } => Some((name.clone(), relationship.clone())),
        };
        record_distribution(&txn, operator, ids, &Distribution::Received { date, proxy }).await?;
    }
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "distribution.signed_sheet",
            entity_type: "campaign",
            entity_id: Some(campaign.id.to_string()),
            unit_id: target.ward_id.or(Some(campaign.unit_id)),
        },
        None,
        Some(&serde_json::json!({
            "campaign": campaign.slug,
            "date": date,
            "ward_id": target.ward_id,
            "program_id": target.program_id,
            "rows": report.rows,
            "received_by_self": report.received_by_self,
            "received_by_proxy": report.received_by_proxy,
            "already_recorded": report.already_recorded,
            "not_marked": report.not_marked,
            "problems": report.problems.len(),
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// The campaign's entries named by the marks, by id: one query per 500 ids.
async fn load_entries(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    marks: &[SignedMark],
) -> AppResult<HashMap<i32, entry::Model>> {
    let ids: Vec<i32> = marks
        .iter()
        .filter_map(|m| match m.entry {
            EntryRef::Id(id) => i32::try_from(id).ok(),
            _ => None,
        })
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        for item in entry::Entity::find()
            .filter(entry::Column::CampaignId.eq(campaign.id))
            .filter(entry::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            found.insert(item.id, item);
        }
    }
    Ok(found)
}

/// The status of every ward list of the campaign, by list id.
async fn load_list_statuses(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
) -> AppResult<HashMap<i32, ListStatus>> {
    Ok(ward_list::Entity::find()
        .select_only()
        .column(ward_list::Column::Id)
        .column(ward_list::Column::Status)
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .into_tuple::<(i32, ListStatus)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The ward and program each worksheet is for (see [`SheetTarget`]). A worksheet whose rows
/// span several wards or programs, with nothing else to tell which one is meant, is refused
/// as a whole: the user must say which.
fn expected_per_sheet<'a>(
    marks: &'a [SignedMark],
    entries: &HashMap<i32, entry::Model>,
    operator: &Operator,
    target: SheetTarget,
    lists: &HashMap<i32, ListStatus>,
    units: &[unit::Model],
) -> AppResult<ExpectedPerSheet<'a>> {
    // Only the campaign's wards are candidates for a tab's name: unit names get reused.
    let listed_wards: HashSet<i32> = entries
        .values()
        .filter(|e| lists.contains_key(&e.ward_list_id))
        .map(|e| e.ward_id)
        .collect();
    let candidates: Vec<unit::Model> = units
        .iter()
        .filter(|u| listed_wards.contains(&u.id))
        .cloned()
        .collect();
    let mut by_sheet: BTreeMap<&str, (HashSet<i32>, HashSet<i32>)> = BTreeMap::new();
    for mark in marks {
        let slot = by_sheet.entry(mark.sheet.as_str()).or_default();
        if let EntryRef::Id(id) = mark.entry
            && let Some(item) = i32::try_from(id).ok().and_then(|id| entries.get(&id))
            && operator.scope.allows(item.ward_id)
        {
            slot.0.insert(item.ward_id);
            slot.1.insert(item.program_id);
        }
    }
    let mut expected = HashMap::with_capacity(by_sheet.len());
    for (sheet, (wards, programs)) in by_sheet {
        let ward = match target.ward_id {
            Some(id) => Some(id),
            None => match find_unit(&candidates, UnitLevel::Ward, sheet) {
                Some(unit) => Some(unit.id),
                None => single(&wards).map_err(|()| {
                    AppError::Invalid(format!(
                        "Trang “{sheet}” có người nhận của nhiều phường: hãy chọn phường của \
                         danh sách ký nhận."
                    ))
                })?,
            },
        };
        let program = match target.program_id {
            Some(id) => Some(id),
            None => single(&programs).map_err(|()| {
                AppError::Invalid(format!(
                    "Trang “{sheet}” có người nhận của nhiều chương trình quà: hãy chọn chương \
                     trình của danh sách ký nhận."
                ))
            })?,
        };
        expected.insert(sheet, (ward, program));
    }
    Ok(expected)
}

/// The one element of a set; `None` for an empty set; an error for several.
fn single(set: &HashSet<i32>) -> Result<Option<i32>, ()> {
    match set.len() {
        0 => Ok(None),
        1 => Ok(set.iter().next().copied()),
        _ => Err(()),
    }
}

/// Whether a received entry was received the way the sheet says (the date is not on the
/// sheet, so it does not count).
fn same_receiver(item: &entry::Model, asked: &Wanted) -> bool {
    match asked {
        Wanted::BySelf => item.receiver_name.is_none(),
        Wanted::ByProxy { name, .. } => item
            .receiver_name
            .as_deref()
            .is_some_and(|recorded| fold_key(recorded) == fold_key(name)),
    }
}

/// How an entry stands, in words: "đã nhận ngày 05/02/2021", "không nhận (Đã mất)".
fn recorded_state(item: &entry::Model) -> String {
    let date = item
        .received_date
        .map(|d| format!(" ngày {}", vietnam_date(d)))
        .unwrap_or_default();
    match item.status {
        EntryStatus::Received => match &item.receiver_name {
            Some(name) => format!("“{name}” nhận thay{date}"),
            None => format!("đã tự nhận{date}"),
        },
        EntryStatus::NotReceived => {
            let reason = item
                .not_received_reason
                .map(|r| format!(" ({})", r.label()))
                .unwrap_or_default();
            format!("không nhận{reason}")
        }
        EntryStatus::Pending => EntryStatus::Pending.label().to_lowercase(),
    }
}

/// What the sheet says, in words.
fn asked_label(asked: &Wanted) -> String {
    match asked {
        Wanted::BySelf => "ghi “x”: tự nhận".to_owned(),
        Wanted::ByProxy { name, relationship } => {
            format!("ghi “{name} - {relationship}”: nhận thay")
        }
    }
}
