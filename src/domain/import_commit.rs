//! From a parsed ward file to stored lists: checking the rows against the campaign (which ward
//! each row belongs to, people already listed by another ward, amounts that differ from the
//! programs) and committing the accepted rows in one transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    Set, Statement, TransactionSession, TransactionTrait, Value,
};
use serde::Serialize;
use std::fmt::Write as _;

use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::campaigns::ensure_campaign_open;
use crate::domain::catalogue::{Catalogue, Category, CategoryKind};
use crate::domain::entitlements::{ProgramRules, entitlements_for, load_program_rules};
use crate::domain::money_words::format_vnd;
use crate::domain::programs::compute_program_entries;
use crate::domain::scope::UnitScope;
use crate::domain::text::name_key;
use crate::entities::{
    campaign, category, category_synonym, entry, household, import_batch, person, unit, ward_list,
};
use crate::error::{AppError, AppResult};
use crate::import::duplicates::{PersonKey, mark_listed_elsewhere, name_birth_address_key};
use crate::import::{ImportContext, ImportRow, KnownWard, ParsedList, RowStatus};

/// IDs per `IN (…)` lookup: well inside SQLite's 32,766 and PostgreSQL's 65,535 bound
/// parameters.
const INSERT_CHUNK: usize = 1000;

/// Longest multi-row INSERT: past a couple of thousand rows a longer statement saves
/// nothing and only costs memory.
const MAX_ROWS_PER_INSERT: usize = 2000;

/// The catalogue and wards as the import needs them, plus the category ids behind the codes.
pub struct ImportSetup {
    /// What `import::read_ward_file` needs.
    pub context: ImportContext,
    /// Category id by catalogue code.
    pub category_ids: HashMap<String, i32>,
}

/// Loads the active categories with their synonyms and the wards from the database.
pub async fn load_import_setup(
    db: &impl ConnectionTrait,
    current_year: i32,
) -> Result<ImportSetup, DbErr> {
    let categories = category::Entity::find()
        .filter(category::Column::Active.eq(true))
        .all(db)
        .await?;
    let synonyms = category_synonym::Entity::find().all(db).await?;
    let mut synonyms_by_category: HashMap<i32, Vec<String>> = HashMap::new();
    for synonym in synonyms {
        synonyms_by_category
            .entry(synonym.category_id)
            .or_default()
            .push(synonym.synonym);
    }
    let category_ids = categories.iter().map(|c| (c.code.clone(), c.id)).collect();
    let catalogue = Catalogue::new(
        categories
            .into_iter()
            .map(|c| Category {
                synonyms: synonyms_by_category.remove(&c.id).unwrap_or_default(),
                kind: CategoryKind::parse(&c.kind).unwrap_or(CategoryKind::Hardship),
                code: c.code,
                name: c.name,
                rank: c.rank,
                per_household: c.per_household,
                sensitive: c.sensitive,
            })
            .collect(),
    );
    let wards = unit::Entity::find()
        .filter(unit::Column::Level.eq("ward"))
        .all(db)
        .await?
        .into_iter()
        .map(|w| KnownWard {
            id: i64::from(w.id),
            code: w.code,
            name: w.name,
        })
        .collect();
    Ok(ImportSetup {
        context: ImportContext {
            catalogue,
            wards,
            current_year,
        },
        category_ids,
    })
}

/// Turns an accepted row into a rejected one with an error on `field`.
fn reject(row: &mut ImportRow, field: &'static str, message: String) {
    row.error(field, message);
    if row.status == RowStatus::Accepted {
        row.status = RowStatus::Rejected;
    }
}

/// Checks a parsed file against a campaign, in place, without writing anything (a dry run
/// shows exactly this):
/// - each row gets its ward: `chosen_ward` (the user's choice), else the row's "Phường"
///   column, else the ward the title block names; rows outside the user's units are refused;
/// - a person (or household) already on any ward's list of the campaign becomes `duplicate`,
///   naming that ward;
/// - an amount typed in the file that differs from a program's amount is flagged.
///
/// Fails as a whole only when no row can be given a ward.
pub async fn check_against_campaign(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    parsed: &mut ParsedList,
    chosen_ward: Option<&KnownWard>,
    scope: &UnitScope,
) -> AppResult<()> {
    let file_ward = parsed.ward.clone();
    let mut any_ward = false;
    for row in parsed.rows.iter_mut() {
        if let (Some(chosen), Some(own)) = (chosen_ward, row.ward.as_ref())
            && chosen.id != own.id
        {
            let message = format!(
                "Dòng này ghi phường {}, khác với phường {} đã chọn khi nhập.",
                own.name, chosen.name
            );
            reject(row, "ward", message);
            continue;
        }
        let ward = chosen_ward
            .or(row.ward.as_ref())
            .or(file_ward.as_ref())
            .cloned();
        match ward {
            Some(ward) => {
                any_ward = true;
                let ward_id = i32::try_from(ward.id).unwrap_or(i32::MAX);
                if !scope.allows(ward_id) {
                    let message = format!(
                        "Bạn không phụ trách phường {}: không thể nhập dòng này.",
                        ward.name
                    );
                    reject(row, "ward", message);
                }
                row.ward = Some(ward);
            }
            None if row.status == RowStatus::Accepted => reject(
                row,
                "ward",
                "Không xác định được phường của dòng này: hãy chọn phường khi nhập, \
                 hoặc thêm cột “Phường”."
                    .into(),
            ),
            None => {}
        }
    }
    if !any_ward && !parsed.rows.is_empty() {
        return Err(AppError::Invalid(
            "Không xác định được phường của danh sách: tiêu đề tệp không ghi “UBND PHƯỜNG …” \
             và không có cột “Phường”. Hãy chọn phường khi nhập."
                .into(),
        ));
    }

    let listed = listed_keys(db, campaign.id).await?;
    mark_listed_elsewhere(&mut parsed.rows, |key| {
        listed.get(&key.storage_key()).cloned()
    });

    let programs = load_program_rules(db, campaign.id).await?;
    let setup_ids = category_ids_by_code(db).await?;
    flag_amount_differences(&mut parsed.rows, &programs, &setup_ids);
    Ok(())
}

async fn category_ids_by_code(db: &impl ConnectionTrait) -> Result<HashMap<String, i32>, DbErr> {
    Ok(category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.code, c.id))
        .collect())
}

/// Warns where the file's amount differs from what a configured program gives.
fn flag_amount_differences(
    rows: &mut [ImportRow],
    programs: &[ProgramRules],
    category_ids: &HashMap<String, i32>,
) {
    for row in rows.iter_mut().filter(|r| r.status == RowStatus::Accepted) {
        let (Some(typed), Some(category)) = (row.amount, row.category.as_ref()) else {
            continue;
        };
        let Some(category_id) = category_ids.get(&category.code) else {
            continue;
        };
        for rules in programs.iter().filter(|p| !p.program.use_file_amounts) {
            if let Some(own) = rules.amounts.get(category_id)
                && *own != typed
            {
                let message = format!(
                    "Số tiền trong tệp ({}) khác mức của chương trình “{}” ({}); \
                     hệ thống dùng mức của chương trình.",
                    format_vnd(typed),
                    rules.program.name,
                    format_vnd(*own)
                );
                row.warning("amount", message);
            }
        }
    }
}

/// Every key under which someone is already listed in the campaign, with the ward's name.
async fn listed_keys(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<HashMap<String, String>, DbErr> {
    let (e, p, h, u) = (
        Alias::new("e"),
        Alias::new("p"),
        Alias::new("h"),
        Alias::new("u"),
    );
    let query = Query::select()
        .distinct()
        .column((p.clone(), person::Column::NationalId))
        .column((p.clone(), person::Column::NameKey))
        .column((p.clone(), person::Column::BirthYear))
        .column((p.clone(), person::Column::Address))
        .column((p.clone(), person::Column::KhuPho))
        .expr_as(
            Expr::col((h.clone(), household::Column::Code)),
            Alias::new("household_code"),
        )
        .expr_as(
            Expr::col((u.clone(), unit::Column::Name)),
            Alias::new("ward_name"),
        )
        .from_as(entry::Entity, e.clone())
        .join_as(
            JoinType::InnerJoin,
            person::Entity,
            p.clone(),
            Expr::col((p.clone(), person::Column::Id)).equals((e.clone(), entry::Column::PersonId)),
        )
        .join_as(
            JoinType::LeftJoin,
            household::Entity,
            h.clone(),
            Expr::col((h.clone(), household::Column::Id))
                .equals((e.clone(), entry::Column::HouseholdId)),
        )
        .join_as(
            JoinType::InnerJoin,
            unit::Entity,
            u.clone(),
            Expr::col((u, unit::Column::Id)).equals((e.clone(), entry::Column::WardId)),
        )
        .and_where(Expr::col((e, entry::Column::CampaignId)).eq(campaign_id))
        .to_owned();
    let rows = db.query_all(&query).await?;
    let mut keys = HashMap::with_capacity(rows.len() * 2);
    for row in rows {
        let ward: String = row.try_get("", "ward_name")?;
        let national_id: Option<String> = row.try_get("", "national_id")?;
        let name: String = row.try_get("", "name_key")?;
        let year: Option<i32> = row.try_get("", "birth_year")?;
        let address: Option<String> = row.try_get("", "address")?;
        let khu_pho: Option<String> = row.try_get("", "khu_pho")?;
        let household_code: Option<String> = row.try_get("", "household_code")?;
        if let Some(id) = national_id {
            keys.insert(PersonKey::NationalId(id).storage_key(), ward.clone());
        }
        if let Some(year) = year {
            let place = address.or(khu_pho).unwrap_or_default();
            let key = PersonKey::NameBirthAddress(name_birth_address_key(&name, year, &place));
            keys.insert(key.storage_key(), ward.clone());
        }
        if let Some(code) = household_code {
            let key = PersonKey::Household(crate::domain::text::fold_key(&code));
            keys.insert(key.storage_key(), ward.clone());
        }
    }
    Ok(keys)
}

/// What one ward's part of a committed file did.
#[derive(Debug, Clone, Serialize)]
pub struct WardCommit {
    /// The ward's name.
    pub ward: String,
    /// Its list in the campaign.
    pub ward_list_id: i32,
    /// People added to the list by this commit.
    pub added: usize,
    /// Gifts (entries) created across programs.
    pub entries: usize,
    /// True when this very file had already been committed into this list: nothing added.
    pub already_imported: bool,
}

/// The file's identity, recorded with each batch.
pub struct FileMeta<'a> {
    /// The file's name as uploaded.
    pub file_name: &'a str,
    /// SHA-256 of the bytes, hex.
    pub sha256: &'a str,
    /// Size in bytes.
    pub size_bytes: i64,
}

/// Commits the accepted rows of a checked file (see [`check_against_campaign`]) into the
/// wards' lists of the campaign, all in one transaction: any failure leaves the database as it
/// was. The same file committed twice into a list adds nothing the second time.
pub async fn commit_import<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    campaign: &campaign::Model,
    parsed: &ParsedList,
    file: FileMeta<'_>,
) -> AppResult<Vec<WardCommit>> {
    ensure_campaign_open(campaign)?;
    let mut by_ward: BTreeMap<i32, (String, Vec<&ImportRow>)> = BTreeMap::new();
    for row in &parsed.rows {
        if let Some(ward) = &row.ward {
            let ward_id =
                i32::try_from(ward.id).map_err(|_| AppError::BadRequest("phường".into()))?;
            let slot = by_ward
                .entry(ward_id)
                .or_insert_with(|| (ward.name.clone(), Vec::new()));
            slot.1.push(row);
        }
    }
    let category_ids = category_ids_by_code(db).await?;
    // Programs that take the wards' figures get their entries here, row by row; programs with
    // their own amounts and rules are computed once the rows are in (one place for the rules).
    let (file_programs, rule_programs): (Vec<ProgramRules>, Vec<ProgramRules>) =
        load_program_rules(db, campaign.id)
            .await?
            .into_iter()
            .partition(|p| p.program.use_file_amounts);
    let txn = db.begin().await?;
    lock_campaign(&txn, campaign.id).await?;
    let mut outcome = Vec::with_capacity(by_ward.len());
    for (ward_id, (ward_name, rows)) in by_ward {
        let list = list_for_import(&txn, campaign, ward_id, &ward_name).await?;
        let already = import_batch::Entity::find()
            .filter(import_batch::Column::WardListId.eq(list.id))
            .filter(import_batch::Column::Sha256.eq(file.sha256))
            .one(&txn)
            .await?;
        if already.is_some() {
            outcome.push(WardCommit {
                ward: ward_name,
                ward_list_id: list.id,
                added: 0,
                entries: 0,
                already_imported: true,
            });
            continue;
        }
        let count = |status| rows.iter().filter(|r| r.status == status).count() as i32;
        let batch = import_batch::ActiveModel {
            campaign_id: Set(campaign.id),
            ward_id: Set(ward_id),
            ward_list_id: Set(list.id),
            file_name: Set(file.file_name.to_owned()),
            sha256: Set(file.sha256.to_owned()),
            size_bytes: Set(file.size_bytes),
            sheet_name: Set(parsed.sheet.clone()),
            header_row: Set(parsed.header_row as i32),
            total_rows: Set(rows.len() as i32),
            accepted: Set(count(RowStatus::Accepted)),
            rejected: Set(count(RowStatus::Rejected)),
            duplicates: Set(count(RowStatus::Duplicate)),
            user_id: Set(actor.user_id),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|err| {
            AppError::on_unique_violation(
                err,
                "Tệp này vừa được nhập vào danh sách này bởi một yêu cầu khác; không thêm gì.",
            )
        })?;
        let accepted: Vec<&ImportRow> = rows
            .into_iter()
            .filter(|r| r.status == RowStatus::Accepted)
            .collect();
        let stored = store_rows(
            &txn,
            campaign,
            &list,
            &batch,
            &accepted,
            &file_programs,
            &category_ids,
        )
        .await?;
        audit::record::<(), _>(
            &txn,
            actor,
            AuditEvent {
                action: "import.commit",
                entity_type: "ward_list",
                entity_id: Some(list.id.to_string()),
                unit_id: Some(ward_id),
            },
            None,
            Some(&serde_json::json!({
                "file": file.file_name,
                "sha256": file.sha256,
                "batch": batch.id,
                "accepted": batch.accepted,
                "rejected": batch.rejected,
                "duplicates": batch.duplicates,
                "entries": stored,
            })),
        )
        .await?;
        outcome.push(WardCommit {
            ward: ward_name,
            ward_list_id: list.id,
            added: accepted.len(),
            entries: stored,
            already_imported: false,
        });
    }
    if outcome.iter().any(|part| !part.already_imported) {
        for rules in &rule_programs {
            compute_program_entries(&txn, rules.program.id).await?;
        }
    }
    txn.commit().await?;
    Ok(outcome)
}

/// The ward's list in the campaign, created as a draft on first import; refused while it is
/// submitted or approved (the district must return or reopen it first).
/// Makes concurrent commits into one campaign take turns, so the same file sent twice at
/// once is seen as "already imported" by the second instead of racing it. The first statement
/// of the transaction is a write: on SQLite it takes the write lock at once (waiting out the
/// busy timeout) rather than failing with "database is locked" when a read transaction later
/// tries to write; on PostgreSQL it locks the campaign's row until the commit.
async fn lock_campaign(txn: &impl ConnectionTrait, campaign_id: i32) -> AppResult<()> {
    campaign::Entity::update_many()
        .col_expr(campaign::Column::Id, Expr::col(campaign::Column::Id))
        .filter(campaign::Column::Id.eq(campaign_id))
        .exec(txn)
        .await?;
    Ok(())
}

async fn list_for_import(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    ward_id: i32,
    ward_name: &str,
) -> AppResult<ward_list::Model> {
    let existing = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .filter(ward_list::Column::WardId.eq(ward_id))
        .one(db)
        .await?;
    if let Some(list) = existing {
        return match list.status.as_str() {
            "draft" | "returned" => Ok(list),
            "submitted" => Err(AppError::Invalid(format!(
                "Danh sách của phường {ward_name} đã gửi duyệt: không thể nhập thêm cho đến khi \
                 quận trả lại danh sách."
            ))),
            _ => Err(AppError::Invalid(format!(
                "Danh sách của phường {ward_name} đã được duyệt và khóa: chỉ thay đổi được khi \
                 quận mở lại danh sách."
            ))),
        };
    }
    let now = Utc::now();
    Ok(ward_list::ActiveModel {
        campaign_id: Set(campaign.id),
        ward_id: Set(ward_id),
        status: Set("draft".into()),
        comment: Set(None),
        submitted_at: Set(None),
        submitted_by: Set(None),
        decided_at: Set(None),
        decided_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Stores people, households and entries for the accepted rows of one ward; returns the number
/// of entries created.
async fn store_rows(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    list: &ward_list::Model,
    batch: &import_batch::Model,
    rows: &[&ImportRow],
    programs: &[ProgramRules],
    category_ids: &HashMap<String, i32>,
) -> AppResult<usize> {
    let ward_id = list.ward_id;
    let now = Utc::now();

    // People already known: by ID anywhere (IDs are unique), by name + year + place in the ward.
    let ids: Vec<String> = rows
        .iter()
        .filter_map(|r| r.national_id.as_ref().map(|id| id.as_str().to_owned()))
        .collect();
    let mut by_id: HashMap<String, person::Model> = HashMap::new();
    for chunk in ids.chunks(INSERT_CHUNK) {
        for found in person::Entity::find()
            .filter(person::Column::NationalId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            if let Some(id) = found.national_id.clone() {
                by_id.insert(id, found);
            }
        }
    }
    let mut by_nba: HashMap<String, person::Model> = HashMap::new();
    for found in person::Entity::find()
        .filter(person::Column::WardId.eq(ward_id))
        .filter(person::Column::NationalId.is_null())
        .all(db)
        .await?
    {
        if let Some(year) = found.birth_year {
            let place = found
                .address
                .clone()
                .or(found.khu_pho.clone())
                .unwrap_or_default();
            by_nba.insert(name_birth_address_key(&found.name_key, year, &place), found);
        }
    }

    // Households by code in the ward; missing ones are created.
    let mut households: HashMap<String, household::Model> = household::Entity::find()
        .filter(household::Column::WardId.eq(ward_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|h| h.code.clone().map(|code| (code, h)))
        .collect();
    for row in rows {
        let Some(code) = &row.household_code else {
            continue;
        };
        if households.contains_key(code) {
            continue;
        }
        let created = household::ActiveModel {
            ward_id: Set(ward_id),
            code: Set(Some(code.clone())),
            head_person_id: Set(None),
            size: Set(row.household_size),
            address: Set(row.address.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        households.insert(code.clone(), created);
    }

    // Resolve or create each row's person.
    let mut person_ids: Vec<i32> = Vec::with_capacity(rows.len());
    let mut new_people: Vec<(usize, NewPerson)> = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let household_id = row
            .household_code
            .as_ref()
            .and_then(|code| households.get(code))
            .map(|h| h.id);
        let existing = match &row.national_id {
            Some(id) => by_id.get(id.as_str()),
            None => row_nba_key(row).and_then(|key| by_nba.get(&key)),
        };
        match existing {
            Some(found) => {
                person_ids.push(found.id);
                update_person(db, found, row, ward_id, household_id).await?;
            }
            None => {
                person_ids.push(0);
                new_people.push((index, new_person(row, ward_id, household_id, now)));
            }
        }
    }
    let mut inserts = BulkInsert::new(db.get_database_backend());
    for chunk in new_people.chunks(inserts.rows_per_statement(PERSON_COLUMNS.len())) {
        let mut values = Vec::with_capacity(chunk.len() * PERSON_COLUMNS.len());
        for (_, person) in chunk {
            person.push_values(&mut values);
        }
        let ids = inserts
            .insert_returning_ids(db, "people", PERSON_COLUMNS, chunk.len(), values)
            .await?;
        if ids.len() != chunk.len() {
            return Err(AppError::Other(anyhow::anyhow!(
                "people insert returned a different count"
            )));
        }
        for ((index, _), id) in chunk.iter().zip(ids) {
            person_ids[*index] = id;
        }
    }

    // Heads of households: the row's person.
    for (row, person_id) in rows.iter().zip(&person_ids) {
        let Some(found) = row
            .household_code
            .as_ref()
            .and_then(|code| households.get(code))
        else {
            continue;
        };
        if found.head_person_id.is_none() {
            let mut active: household::ActiveModel = found.clone().into();
            active.head_person_id = Set(Some(*person_id));
            active.updated_at = Set(now);
            let updated = active.update(db).await?;
            if let Some(code) = &updated.code {
                households.insert(code.clone(), updated.clone());
            }
        }
    }

    // Entries: one per program that gives something to the row's category.
    let mut values = Vec::new();
    let mut pending = 0;
    let mut created = 0;
    let per_statement = inserts.rows_per_statement(ENTRY_COLUMNS.len());
    for (row, person_id) in rows.iter().zip(&person_ids) {
        let Some(category_id) = row
            .category
            .as_ref()
            .and_then(|c| category_ids.get(&c.code))
            .copied()
        else {
            continue;
        };
        let household_id = row
            .household_code
            .as_ref()
            .and_then(|code| households.get(code))
            .map(|h| h.id);
        for entitlement in entitlements_for(programs, category_id, row.amount) {
            values.extend([
                campaign.id.into(),
                list.id.into(),
                ward_id.into(),
                entitlement.program_id.into(),
                (*person_id).into(),
                household_id.into(),
                category_id.into(),
                entitlement.amount.into(),
                row.amount.into(),
                "pending".into(),
                row.note.clone().into(),
                Some(batch.id).into(),
                Some(row.row as i32).into(),
                now.into(),
                now.into(),
            ]);
            pending += 1;
            if pending == per_statement {
                insert_entries(db, &mut inserts, pending, std::mem::take(&mut values)).await?;
                created += pending;
                pending = 0;
            }
        }
    }
    if pending > 0 {
        insert_entries(db, &mut inserts, pending, values).await?;
        created += pending;
    }
    Ok(created)
}

/// The entry columns an import sets, in the order `store_rows` gives their values; the
/// others (distribution details) start empty.
const ENTRY_COLUMNS: &[&str] = &[
    "campaign_id",
    "ward_list_id",
    "ward_id",
    "program_id",
    "person_id",
    "household_id",
    "category_id",
    "amount",
    "file_amount",
    "status",
    "note",
    "import_batch_id",
    "source_row",
    "created_at",
    "updated_at",
];

async fn insert_entries(
    db: &impl ConnectionTrait,
    inserts: &mut BulkInsert,
    rows: usize,
    values: Vec<Value>,
) -> AppResult<()> {
    inserts
        .insert(db, "entries", ENTRY_COLUMNS, rows, values)
        .await
        .map_err(|err| {
            AppError::on_unique_violation(
                err,
                "Một người trong tệp đã có trong chương trình quà này; không thêm gì.",
            )
        })
}

/// The person columns an import sets, in the order of [`NewPerson::push_values`].
const PERSON_COLUMNS: &[&str] = &[
    "full_name",
    "name_key",
    "birth_year",
    "birth_date",
    "gender",
    "national_id",
    "address",
    "khu_pho",
    "ward_id",
    "phone",
    "status",
    "created_at",
    "updated_at",
    "household_id",
];

/// A person to create, as the import knows them.
struct NewPerson {
    full_name: String,
    name_key: String,
    birth_year: Option<i32>,
    birth_date: Option<chrono::NaiveDate>,
    gender: Option<String>,
    national_id: Option<String>,
    address: Option<String>,
    khu_pho: Option<String>,
    ward_id: i32,
    phone: Option<String>,
    household_id: Option<i32>,
    now: chrono::DateTime<Utc>,
}

impl NewPerson {
    /// Appends the values of [`PERSON_COLUMNS`].
    fn push_values(&self, values: &mut Vec<Value>) {
        values.extend([
            self.full_name.clone().into(),
            self.name_key.clone().into(),
            self.birth_year.into(),
            self.birth_date.into(),
            self.gender.clone().into(),
            self.national_id.clone().into(),
            self.address.clone().into(),
            self.khu_pho.clone().into(),
            self.ward_id.into(),
            self.phone.clone().into(),
            "active".into(),
            self.now.into(),
            self.now.into(),
            self.household_id.into(),
        ]);
    }
}

/// Multi-row INSERT statements, their SQL written once per table and row count (so the
/// driver prepares each once and reuses it), as many rows per statement as the engine's
/// limit on bound parameters allows: 32,766 on SQLite, 65,535 on PostgreSQL.
struct BulkInsert {
    backend: DbBackend,
    sql: HashMap<(&'static str, usize, bool), String>,
}

impl BulkInsert {
    fn new(backend: DbBackend) -> Self {
        BulkInsert {
            backend,
            sql: HashMap::new(),
        }
    }

    /// Rows per statement for a table of `columns` columns.
    fn rows_per_statement(&self, columns: usize) -> usize {
        let limit = match self.backend {
            DbBackend::Postgres => 65_535,
            _ => 32_766,
        };
        (limit / columns.max(1)).clamp(1, MAX_ROWS_PER_INSERT)
    }

    fn statement(
        &mut self,
        table: &'static str,
        columns: &[&str],
        rows: usize,
        returning: bool,
        values: Vec<Value>,
    ) -> Statement {
        let backend = self.backend;
        let sql = self.sql.entry((table, rows, returning)).or_insert_with(|| {
            let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
            let mut n = 0;
            for row in 0..rows {
                sql.push_str(if row == 0 { "(" } else { ", (" });
                for column in 0..columns.len() {
                    if column > 0 {
                        sql.push_str(", ");
                    }
                    n += 1;
                    match backend {
                        DbBackend::Postgres => {
                            let _ = write!(sql, "${n}");
                        }
                        _ => sql.push('?'),
                    }
                }
                sql.push(')');
            }
            if returning {
                sql.push_str(" RETURNING id");
            }
            sql
        });
        Statement::from_sql_and_values(backend, sql.as_str(), values)
    }

    /// Inserts `rows` rows whose values, row after row, are `values`.
    async fn insert(
        &mut self,
        db: &impl ConnectionTrait,
        table: &'static str,
        columns: &[&str],
        rows: usize,
        values: Vec<Value>,
    ) -> Result<(), DbErr> {
        let statement = self.statement(table, columns, rows, false, values);
        db.execute_raw(statement).await.map(|_| ())
    }

    /// Inserts like [`Self::insert`] and returns the new ids in the order of the rows.
    ///
    /// Both engines number the rows of one INSERT in the order of its VALUES, but neither
    /// promises to return them in that order: the ids are sorted to match the rows.
    async fn insert_returning_ids(
        &mut self,
        db: &impl ConnectionTrait,
        table: &'static str,
        columns: &[&str],
        rows: usize,
        values: Vec<Value>,
    ) -> Result<Vec<i32>, DbErr> {
        let statement = self.statement(table, columns, rows, true, values);
        let mut ids = db
            .query_all_raw(statement)
            .await?
            .iter()
            .map(|row| row.try_get::<i32>("", "id"))
            .collect::<Result<Vec<_>, _>>()?;
        ids.sort_unstable();
        Ok(ids)
    }
}

fn row_nba_key(row: &ImportRow) -> Option<String> {
    let name = row.full_name.as_deref()?;
    let year = row.birth_year?;
    let place = row
        .address
        .as_deref()
        .or(row.khu_pho.as_deref())
        .unwrap_or("");
    Some(name_birth_address_key(&name_key(name), year, place))
}

fn new_person(
    row: &ImportRow,
    ward_id: i32,
    household_id: Option<i32>,
    now: chrono::DateTime<Utc>,
) -> NewPerson {
    let full_name = row.full_name.clone().unwrap_or_default();
    NewPerson {
        name_key: name_key(&full_name),
        full_name,
        birth_year: row.birth_year,
        birth_date: row.birth_date,
        gender: row.gender.map(gender_code),
        national_id: row.national_id.as_ref().map(|id| id.as_str().to_owned()),
        address: row.address.clone(),
        khu_pho: row.khu_pho.clone(),
        ward_id,
        phone: row.phone.clone(),
        household_id,
        now,
    }
}

/// The stored form of a gender.
pub fn gender_code(gender: crate::domain::identity::Gender) -> String {
    match gender {
        crate::domain::identity::Gender::Male => "male".into(),
        crate::domain::identity::Gender::Female => "female".into(),
    }
}

/// The ward's newest file is the truth about a known person: fill in what changed.
async fn update_person(
    db: &impl ConnectionTrait,
    found: &person::Model,
    row: &ImportRow,
    ward_id: i32,
    household_id: Option<i32>,
) -> Result<(), DbErr> {
    let mut changed = false;
    let mut active: person::ActiveModel = found.clone().into();
    let mut set_if = |differs: bool, apply: &mut dyn FnMut(&mut person::ActiveModel)| {
        if differs {
            apply(&mut active);
            changed = true;
        }
    };
    set_if(found.ward_id != ward_id, &mut |a| a.ward_id = Set(ward_id));
    set_if(
        row.address.is_some() && row.address != found.address,
        &mut |a| a.address = Set(row.address.clone()),
    );
    set_if(
        row.khu_pho.is_some() && row.khu_pho != found.khu_pho,
        &mut |a| a.khu_pho = Set(row.khu_pho.clone()),
    );
    set_if(row.phone.is_some() && row.phone != found.phone, &mut |a| {
        a.phone = Set(row.phone.clone())
    });
    set_if(
        household_id.is_some() && household_id != found.household_id,
        &mut |a| a.household_id = Set(household_id),
    );
    set_if(found.status != "active", &mut |a| {
        a.status = Set("active".into())
    });
    if changed {
        active.updated_at = Set(Utc::now());
        active.update(db).await?;
    }
    Ok(())
}
