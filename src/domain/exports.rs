//! What the signing sheets, the all-wards workbook and the reports need from the database,
//! and the exports themselves: load through the operator's [`UnitScope`] (so nobody exports
//! a ward they do not serve), write the workbook off the async runtime, and record in the
//! audit log who exported which personal data (Nghị định 13/2023/NĐ-CP).
//!
//! Entries of sensitive categories (HIV status) are left out of the queries already; the
//! pure writers in [`crate::export`] drop them again, so neither layer alone has to be right.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, JoinType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationDef,
};
use serde::Serialize;

use crate::db::sqlite_json_rows::sqlite_rows_as_json;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::campaigns::tet_day;
use crate::domain::list_entries::why_no_gift;
use crate::domain::operator::Operator;
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, display_name, find_unit, find_unit_on};
use crate::entities::states::{EntryStatus, Gender, ListStatus, UnitLevel};
use crate::entities::{campaign, category, entry, gift_program, person, unit, ward_list};
use crate::error::{AppError, AppResult};
use crate::export::{
    self, Program, ReportEntry, ReportInput, Signers, SigningEntry, SigningSheet, Ward,
};
use crate::vn::lunar::slugify;
use crate::vn::text::fold_key;

/// A written workbook and what it holds, for the caller to save or send.
#[derive(Debug, Clone)]
pub struct ExportedFile {
    /// A suggested file name, ASCII: "ky-nhan-tet-2021-phuong-hiep-phu.xlsx".
    pub file_name: String,
    /// The .xlsx bytes.
    pub bytes: Vec<u8>,
    /// Ward sheets in the workbook (0 for the reports).
    pub sheets: usize,
    /// People (entries) the workbook prints or counts, sensitive ones excluded.
    pub entries: usize,
}

/// The program a user names: its id or its name (any case, with or without diacritics);
/// without a name, the campaign's first program (the default "Quà Tết …" one).
pub async fn find_program(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    wanted: Option<&str>,
) -> AppResult<gift_program::Model> {
    let programs = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign.id))
        .order_by_asc(gift_program::Column::Id)
        .all(db)
        .await?;
    let wanted = wanted.map(str::trim).filter(|w| !w.is_empty());
    let found = match wanted {
        None => programs.into_iter().next(),
        Some(text) => {
            let by_id = text.parse::<i32>().ok();
            let key = fold_key(text);
            programs
                .into_iter()
                .find(|p| Some(p.id) == by_id || fold_key(&p.name) == key)
        }
    };
    found.ok_or_else(|| match wanted {
        Some(text) => AppError::NotFound(format!(
            "Đợt quà “{}” không có chương trình “{text}”.",
            campaign.title
        )),
        None => AppError::NotFound(format!(
            "Đợt quà “{}” chưa có chương trình quà nào.",
            campaign.title
        )),
    })
}

/// The ward a user names: its code or its name, any case, with or without diacritics.
pub async fn find_ward(db: &impl ConnectionTrait, wanted: &str) -> AppResult<unit::Model> {
    let units = all_units(db).await?;
    find_unit(&units, UnitLevel::Ward, wanted)
        .cloned()
        .ok_or_else(|| no_ward_named(wanted))
}

/// [`find_ward`] for a campaign: where an old and a new ward share a name or a code, the one
/// that exists at the campaign's Tết ("Long Trường" in `tet-2027` is the merged ward).
pub async fn find_campaign_ward(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    wanted: &str,
) -> AppResult<unit::Model> {
    let units = all_units(db).await?;
    find_unit_on(&units, UnitLevel::Ward, wanted, tet_day(campaign))
        .cloned()
        .ok_or_else(|| no_ward_named(wanted))
}

fn no_ward_named(wanted: &str) -> AppError {
    AppError::NotFound(format!("Không tìm thấy phường “{}”.", wanted.trim()))
}

/// A program as the workbooks take it.
fn export_program(program: &gift_program::Model) -> Program {
    Program {
        id: i64::from(program.id),
        name: program.name.clone(),
        funding: program.funding_source,
        sponsor_name: program.sponsor_name.clone(),
        budget: None,
    }
}

/// Every category of the catalogue with its sensitive flag; higher ranks print first.
async fn export_categories(db: &impl ConnectionTrait) -> AppResult<Vec<export::Category>> {
    Ok(category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| export::Category {
            id: i64::from(c.id),
            name: c.name,
            sort_order: -c.rank,
            sensitive: c.sensitive,
        })
        .collect())
}

/// `entries.<from> = <to>.id`, for joins (the entities declare no relations).
fn join_on<R: EntityTrait>(from: entry::Column, related: R, to: R::Column) -> RelationDef {
    entry::Entity::belongs_to(related).from(from).to(to).into()
}

/// One printable entry with its person, as [`sheet_rows`] selects it: entry id, category,
/// amount, note, then the person's name, birth year, gender, ID number, address, khu
/// phố and notes, then the name of the ward the entry was listed by before a merger (the
/// columns of [`ENTRY_COLUMNS`], in that order). A tuple read by position rather
/// than a model read by column name: decoding 100,000 rows by name costs more than the
/// query.
type EntryTuple = (
    i32,
    i32,
    i64,
    Option<String>,
    String,
    Option<i32>,
    Option<Gender>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The columns of an [`EntryTuple`].
const ENTRY_COLUMNS: [(&str, &str); 12] = [
    ("entries", "id"),
    ("entries", "category_id"),
    ("entries", "amount"),
    ("entries", "note"),
    ("people", "full_name"),
    ("people", "birth_year"),
    ("people", "gender"),
    ("people", "national_id"),
    ("people", "address"),
    ("people", "khu_pho"),
    ("people", "notes"),
    (FORMER_WARD, "name"),
];

/// The alias of the units table joined as an entry's former ward.
const FORMER_WARD: &str = "former_ward";

fn into_signing_entry(row: EntryTuple) -> SigningEntry {
    let (
        entry_id,
        category_id,
        amount,
        note,
        full_name,
        birth_year,
        gender,
        id_number,
        address,
        quarter,
        person_notes,
        former_ward,
    ) = row;
    SigningEntry {
        entry_id: i64::from(entry_id),
        full_name,
        birth_year,
        gender,
        address: address.unwrap_or_default(),
        quarter: quarter.unwrap_or_default(),
        id_number,
        category_id: i64::from(category_id),
        amount,
        note: sheet_note(note, person_notes),
        former_ward,
    }
}

/// The "Ghi chú" of a signing sheet row: the note the ward's file gave this entry and the
/// note typed on the person's page (adding or editing them by hand), each once.
fn sheet_note(entry_note: Option<String>, person_notes: Option<String>) -> String {
    let entry_note = entry_note.unwrap_or_default();
    match person_notes {
        Some(person) if !person.is_empty() && !entry_note.contains(&person) => {
            if entry_note.is_empty() {
                person
            } else {
                format!("{entry_note}; {person}")
            }
        }
        _ => entry_note,
    }
}

/// The printable entries of one list as [`sheet_rows`] loads them, turned into
/// [`SigningEntry`]s by [`SheetRows::entries`] on the thread that writes the sheet.
enum SheetRows {
    /// SQLite: how many, and all of them in one JSON array of [`EntryTuple`]s.
    Json { count: usize, json: String },
    /// Other databases: the rows as the driver decoded them.
    Rows(Vec<EntryTuple>),
}

impl SheetRows {
    /// How many entries there are.
    fn count(&self) -> usize {
        match self {
            SheetRows::Json { count, .. } => *count,
            SheetRows::Rows(rows) => rows.len(),
        }
    }

    /// The entries, decoded.
    fn entries(self) -> AppResult<Vec<SigningEntry>> {
        let rows: Vec<EntryTuple> = match self {
            SheetRows::Json { json, .. } => serde_json::from_str(&json)
                .map_err(|err| AppError::Other(anyhow::anyhow!("signing sheet rows: {err}")))?,
            SheetRows::Rows(rows) => rows,
        };
        Ok(rows.into_iter().map(into_signing_entry).collect())
    }
}

/// The printable entries of `program` on the list `list_id`, with their people, in one
/// query. Sensitive categories are left out here already. No ORDER BY: the sheet sorts its
/// people by name (ties by entry id) whatever order they come in.
///
/// On SQLite the rows come back as one JSON value ([`sqlite_rows_as_json`]), which the
/// writer threads decode; other engines give plain rows.
async fn sheet_rows(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    list_id: i32,
    program_id: i32,
) -> AppResult<SheetRows> {
    let query = entry::Entity::find()
        .select_only()
        .join(
            JoinType::InnerJoin,
            join_on(entry::Column::PersonId, person::Entity, person::Column::Id),
        )
        .join(
            JoinType::InnerJoin,
            join_on(
                entry::Column::CategoryId,
                category::Entity,
                category::Column::Id,
            ),
        )
        .join_as(
            JoinType::LeftJoin,
            join_on(entry::Column::FormerWardId, unit::Entity, unit::Column::Id),
            Alias::new(FORMER_WARD),
        )
        .filter(category::Column::Sensitive.eq(false))
        .filter(entry::Column::WardListId.eq(list_id))
        .filter(entry::Column::ProgramId.eq(program_id))
        .filter(scope.sector_condition());
    let query = ENTRY_COLUMNS.iter().fold(query, |query, &(table, column)| {
        query.expr(Expr::col((Alias::new(table), Alias::new(column))))
    });
    if db.get_database_backend() != DbBackend::Sqlite {
        let rows = query.into_tuple::<EntryTuple>().all(db).await?;
        return Ok(SheetRows::Rows(rows));
    }
    // The inner query's result columns are named by their column alone.
    let columns: Vec<&str> = ENTRY_COLUMNS.iter().map(|(_, column)| *column).collect();
    let (count, json) =
        sqlite_rows_as_json(db, query.build(DbBackend::Sqlite), &columns.join(", ")).await?;
    Ok(SheetRows::Json { count, json })
}

/// The printable entries of `program` on the list `list_id` (see [`sheet_rows`]).
async fn sheet_entries(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    list_id: i32,
    program_id: i32,
) -> AppResult<Vec<SigningEntry>> {
    sheet_rows(db, scope, list_id, program_id).await?.entries()
}

/// One ward's signing sheet with the ward's id.
#[derive(Debug, Clone)]
pub struct WardSheet {
    /// The ward (unit) the sheet is for.
    pub ward_id: i32,
    /// What the sheet prints.
    pub sheet: SigningSheet,
}

/// A ward list to print: its id, and its sheet with everything but the entries.
struct PlannedSheet {
    list_id: i32,
    sheet: WardSheet,
}

/// The lists whose signing sheets an export prints (one ward's, or every ward's the scope
/// allows), in ward code order, each with its sheet's heading, program and categories
/// filled in and no entries yet: a list's entries are loaded when its turn comes.
async fn plan_signing_sheets(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign: &campaign::Model,
    ward: Option<&unit::Model>,
    program: &gift_program::Model,
) -> AppResult<Vec<PlannedSheet>> {
    if program.campaign_id != campaign.id {
        return Err(AppError::NotFound(format!(
            "Chương trình “{}” không thuộc đợt quà “{}”.",
            program.name, campaign.title
        )));
    }
    if let Some(ward) = ward {
        scope.ensure(ward.id)?;
    }
    let mut query = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .filter(scope.condition(ward_list::Column::WardId))
        .order_by_asc(ward_list::Column::Id);
    if let Some(ward) = ward {
        query = query.filter(ward_list::Column::WardId.eq(ward.id));
    }
    let lists = query.all(db).await?;
    if lists.is_empty() {
        return Err(AppError::NotFound(match ward {
            Some(ward) => format!(
                "{} chưa có danh sách trong đợt quà “{}”.",
                display_name(ward),
                campaign.title
            ),
            None => format!(
                "Đợt quà “{}” chưa có danh sách nào để xuất.",
                campaign.title
            ),
        }));
    }

    let units = all_units(db).await?;
    let units_by_id: HashMap<i32, &unit::Model> = units.iter().map(|u| (u.id, u)).collect();
    let campaign_unit = units_by_id
        .get(&campaign.unit_id)
        .map(|u| display_name(u))
        .unwrap_or_default();
    let categories = export_categories(db).await?;
    let export_program = export_program(program);

    let mut sheets: Vec<(&str, PlannedSheet)> = Vec::with_capacity(lists.len());
    for list in lists {
        let Some(ward_unit) = units_by_id.get(&list.ward_id) else {
            continue;
        };
        let parent = ward_unit
            .parent_id
            .and_then(|id| units_by_id.get(&id))
            .map(|u| display_name(u))
            .unwrap_or_else(|| campaign_unit.clone());
        sheets.push((
            ward_unit.code.as_str(),
            PlannedSheet {
                list_id: list.id,
                sheet: WardSheet {
                    ward_id: ward_unit.id,
                    sheet: SigningSheet {
                        // The ward signs the sheet, so the date line names the ward.
                        place: display_name(ward_unit),
                        parent_unit: parent,
                        ward: display_name(ward_unit),
                        date: None,
                        campaign_year: campaign.year,
                        program: export_program.clone(),
                        approved: list.status == ListStatus::Approved,
                        reference: None,
                        categories: categories.clone(),
                        entries: Vec::new(),
                        signers: Signers::default(),
                    },
                },
            },
        ));
    }
    sheets.sort_by(|a, b| {
        a.0.cmp(b.0)
            .then_with(|| a.1.sheet.ward_id.cmp(&b.1.sheet.ward_id))
    });
    Ok(sheets.into_iter().map(|(_, sheet)| sheet).collect())
}

/// The error when no sheet has anyone of the program on it.
fn nobody_to_export(program: &gift_program::Model) -> AppError {
    AppError::NotFound(format!(
        "Không có người nhận nào của chương trình “{}” để xuất.",
        program.name
    ))
}

/// The signing sheets of `program` in `campaign`: of one ward, or (without `ward`) of every
/// ward with a list that the scope allows and that has entries of the program, in ward code
/// order. A ward outside the scope is refused (403).
pub async fn load_signing_sheets(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign: &campaign::Model,
    ward: Option<&unit::Model>,
    program: &gift_program::Model,
) -> AppResult<Vec<WardSheet>> {
    let mut sheets = Vec::new();
    for mut planned in plan_signing_sheets(db, scope, campaign, ward, program).await? {
        let entries = sheet_entries(db, scope, planned.list_id, program.id).await?;
        // The all-wards workbook leaves out wards with nobody on this program; one ward's
        // sheet of a program its list holds no gift of is refused with the reason (a list
        // whose only gifts are sensitive ones still gets its sheet, which prints none).
        if entries.is_empty() {
            if ward.is_none() {
                continue;
            }
            if let Some(why) = why_list_has_no_gift(db, planned.list_id, program).await? {
                return Err(AppError::Invalid(why));
            }
        }
        planned.sheet.sheet.entries = entries;
        sheets.push(planned.sheet);
    }
    if sheets.is_empty() {
        return Err(nobody_to_export(program));
    }
    Ok(sheets)
}

/// Why the list `list_id` holds no gift of `program`, or `None` when it holds some.
async fn why_list_has_no_gift(
    db: &impl ConnectionTrait,
    list_id: i32,
    program: &gift_program::Model,
) -> AppResult<Option<String>> {
    let gifts = entry::Entity::find()
        .filter(entry::Column::WardListId.eq(list_id))
        .filter(entry::Column::ProgramId.eq(program.id))
        .count(db)
        .await?;
    if gifts > 0 {
        return Ok(None);
    }
    let list = ward_list::Entity::find_by_id(list_id).one(db).await?;
    Ok(list.map(|list| why_no_gift(&list, program)))
}

/// What an export event records: which campaign, wards and program, and how many people.
#[derive(Serialize)]
struct ExportAudit<'a> {
    campaign: &'a str,
    ward_ids: Vec<i32>,
    program_id: Option<i32>,
    entries: usize,
    file_name: &'a str,
}

/// Exports the signing sheet of one ward, or (without `ward`) the workbook of all wards the
/// operator serves with its summary sheet, for one program; audited as
/// `export.signing_sheet`.
pub async fn export_signing_sheets(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    ward: Option<&unit::Model>,
    program: &gift_program::Model,
) -> AppResult<ExportedFile> {
    let file_name = match ward {
        Some(ward) => format!(
            "ky-nhan-{}-{}-{}.xlsx",
            campaign.slug,
            slugify(&display_name(ward)),
            slugify(&program.name)
        ),
        None => format!(
            "ky-nhan-{}-tat-ca-phuong-{}.xlsx",
            campaign.slug,
            slugify(&program.name)
        ),
    };
    let (bytes, ward_ids, entries) = match ward {
        Some(_) => {
            let loaded = load_signing_sheets(db, &operator.scope, campaign, ward, program).await?;
            let ward_ids: Vec<i32> = loaded.iter().map(|s| s.ward_id).collect();
            let entries: usize = loaded.iter().map(|s| s.sheet.entries.len()).sum();
            let bytes = spawn_blocking_write(move || match loaded.first() {
                Some(first) => export::write_signing_sheet(&first.sheet),
                None => Err(export::ExportError::NothingToExport),
            })
            .await?;
            (bytes, ward_ids, entries)
        }
        None => write_all_wards(db, &operator.scope, campaign, program).await?,
    };
    let count = ward_ids.len();
    audit::record::<(), _>(
        db,
        &operator.actor,
        AuditEvent {
            action: "export.signing_sheet",
            entity_type: "campaign",
            entity_id: Some(campaign.id.to_string()),
            unit_id: Some(ward.map_or(campaign.unit_id, |w| w.id)),
        },
        None,
        Some(&ExportAudit {
            campaign: &campaign.slug,
            ward_ids,
            program_id: Some(program.id),
            entries,
            file_name: &file_name,
        }),
    )
    .await?;
    Ok(ExportedFile {
        file_name,
        bytes,
        sheets: count,
        entries,
    })
}

/// The all-wards workbook of `program`: each ward's rows are loaded (one query per list,
/// see [`sheet_rows`]) while one writer on the blocking pool decodes and writes the ward
/// before into the workbook's constant-memory sheets ([`export::AllWardsWorkbook`]), in
/// ward order; the writer then fills in the summary and saves. Loading and writing overlap,
/// and at most three wards of rows are in memory at once (one loading, one waiting, one
/// being written), whatever the number of wards. Returns the bytes, the wards printed and
/// the people counted.
async fn write_all_wards(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign: &campaign::Model,
    program: &gift_program::Model,
) -> AppResult<(Vec<u8>, Vec<i32>, usize)> {
    let planned = plan_signing_sheets(db, scope, campaign, None, program).await?;
    // One ward waiting while the writer writes another: enough to keep it busy.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<(SigningSheet, SheetRows)>(1);
    let writer = tokio::task::spawn_blocking(move || {
        let mut workbook = export::AllWardsWorkbook::new().map_err(writer_failed)?;
        let mut wards = 0usize;
        while let Some((mut sheet, rows)) = receiver.blocking_recv() {
            sheet.entries = rows.entries()?;
            workbook.add_ward(&sheet).map_err(writer_failed)?;
            wards += 1;
        }
        if wards == 0 {
            return Ok(None);
        }
        Ok::<_, AppError>(Some(workbook.finish().map_err(writer_failed)?))
    });
    let mut ward_ids = Vec::new();
    let mut entries = 0;
    for next in planned {
        let rows = sheet_rows(db, scope, next.list_id, program.id).await?;
        // The all-wards workbook leaves out wards with nobody on this program.
        if rows.count() == 0 {
            continue;
        }
        ward_ids.push(next.sheet.ward_id);
        entries += rows.count();
        if sender.send((next.sheet.sheet, rows)).await.is_err() {
            // The writer stopped early; its error is the one to report.
            break;
        }
    }
    drop(sender);
    let written = writer
        .await
        .map_err(|err| AppError::Other(anyhow::anyhow!("workbook writer stopped: {err}")))??;
    match written {
        Some(bytes) => Ok((bytes, ward_ids, entries)),
        None => Err(nobody_to_export(program)),
    }
}

/// One entry as the reports count it.
#[derive(Debug, FromQueryResult)]
struct ReportRow {
    ward_id: i32,
    category_id: i32,
    program_id: i32,
    amount: i64,
    status: EntryStatus,
}

/// The figures of the reports workbook for `campaign`, as of `as_of`: every program, the
/// wards with a list or an entry in the scope (in ward code order), and their entries.
pub async fn load_report(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign: &campaign::Model,
    as_of: NaiveDate,
) -> AppResult<ReportInput> {
    let rows = entry::Entity::find()
        .select_only()
        .column(entry::Column::WardId)
        .column(entry::Column::CategoryId)
        .column(entry::Column::ProgramId)
        .column(entry::Column::Amount)
        .column(entry::Column::Status)
        .join(
            JoinType::InnerJoin,
            join_on(
                entry::Column::CategoryId,
                category::Entity,
                category::Column::Id,
            ),
        )
        .filter(category::Column::Sensitive.eq(false))
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .filter(scope.entry_condition())
        .into_model::<ReportRow>()
        .all(db)
        .await?;
    let list_wards: Vec<i32> = ward_list::Entity::find()
        .select_only()
        .column(ward_list::Column::WardId)
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .filter(scope.condition(ward_list::Column::WardId))
        .into_tuple::<i32>()
        .all(db)
        .await?;
    let ward_ids: BTreeSet<i32> = list_wards
        .into_iter()
        .chain(rows.iter().map(|r| r.ward_id))
        .collect();

    let units = all_units(db).await?;
    let mut wards: Vec<&unit::Model> = units.iter().filter(|u| ward_ids.contains(&u.id)).collect();
    wards.sort_by(|a, b| a.code.cmp(&b.code).then_with(|| a.id.cmp(&b.id)));
    let issuing_unit = units
        .iter()
        .find(|u| u.id == campaign.unit_id)
        .map(display_name)
        .unwrap_or_default();
    let programs = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign.id))
        .order_by_asc(gift_program::Column::Id)
        .all(db)
        .await?;

    Ok(ReportInput {
        issuing_unit,
        campaign_year: campaign.year,
        as_of,
        wards: wards
            .iter()
            .map(|w| Ward {
                id: i64::from(w.id),
                name: display_name(w),
            })
            .collect(),
        categories: export_categories(db).await?,
        programs: programs.iter().map(export_program).collect(),
        entries: rows
            .into_iter()
            .map(|r| ReportEntry {
                ward_id: i64::from(r.ward_id),
                category_id: i64::from(r.category_id),
                program_id: i64::from(r.program_id),
                amount: r.amount,
                status: r.status,
            })
            .collect(),
        transfers: crate::domain::payments::report_transfers(db, scope, campaign.id).await?,
    })
}

/// Exports the reports workbook of `campaign` over the operator's units; audited as
/// `export.report`.
pub async fn export_report(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    as_of: NaiveDate,
) -> AppResult<ExportedFile> {
    let input = load_report(db, &operator.scope, campaign, as_of).await?;
    let entries = input.entries.len();
    let ward_ids: Vec<i32> = input
        .wards
        .iter()
        .filter_map(|w| i32::try_from(w.id).ok())
        .collect();
    let file_name = format!("bao-cao-{}.xlsx", campaign.slug);
    let bytes = spawn_blocking_write(move || export::write_reports(&input)).await?;
    audit::record::<(), _>(
        db,
        &operator.actor,
        AuditEvent {
            action: "export.report",
            entity_type: "campaign",
            entity_id: Some(campaign.id.to_string()),
            unit_id: Some(campaign.unit_id),
        },
        None,
        Some(&ExportAudit {
            campaign: &campaign.slug,
            ward_ids,
            program_id: None,
            entries,
            file_name: &file_name,
        }),
    )
    .await?;
    Ok(ExportedFile {
        file_name,
        bytes,
        sheets: 0,
        entries,
    })
}

/// Runs a workbook writer on the blocking pool: writing is CPU work.
async fn spawn_blocking_write<F>(write: F) -> AppResult<Vec<u8>>
where
    F: FnOnce() -> Result<Vec<u8>, export::ExportError> + Send + 'static,
{
    tokio::task::spawn_blocking(write)
        .await
        .map_err(|err| AppError::Other(anyhow::anyhow!("workbook writer stopped: {err}")))?
        .map_err(writer_failed)
}

/// A workbook writer's refusal, as the application's error.
fn writer_failed(err: export::ExportError) -> AppError {
    AppError::Other(anyhow::anyhow!(err))
}
