//! Committing a checked ward file (see `domain::import_check`): the accepted rows become
//! people, households and entries in the wards' lists of the campaign, one batch per ward, all
//! in one transaction; a file committed twice into a list adds nothing the second time.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait, Value,
};
use serde::Serialize;

use crate::db::bulk_insert::{BulkInsert, InsertShape};
use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::campaigns::ensure_campaign_open;
use crate::domain::campaigns::tet_day;
use crate::domain::entitlements::{
    Entitlement, ProgramRules, entitlements_for, load_program_rules,
};
use crate::domain::gift_planning::compute_program_entries;
use crate::domain::import_check::{FormerWards, category_ids_by_code};
use crate::domain::payments::store_imported_accounts;
use crate::domain::units::{display_name, valid_on};
use crate::entities::states::{EntryStatus, ListStatus, PersonStatus};
use crate::entities::{campaign, entry, household, import_batch, person, unit, ward_list};
use crate::error::{AppError, AppResult};
use crate::import::duplicates::name_birth_address_key;
use crate::import::{ImportRow, ParsedList, RowStatus, TypedAccount};
use crate::vn::text::name_key;

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
/// was. The same file committed twice into a list adds nothing the second time. `former` is
/// what the check returned: the old ward each moved row named, recorded on its entries.
///
/// [`check_against_campaign`]: crate::domain::import_check::check_against_campaign
pub async fn commit_import<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    campaign: &campaign::Model,
    parsed: &ParsedList,
    former: &FormerWards,
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
                .or_insert_with(|| (ward.name.to_string(), Vec::new()));
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
    let txn = begin_write(db).await?;
    lock_campaign(&txn, campaign.id).await?;
    let mut outcome = Vec::with_capacity(by_ward.len());
    // The wards that take the file, with the index of their line in `outcome`.
    let mut parts: Vec<(usize, WardPart)> = Vec::with_capacity(by_ward.len());
    for (ward_id, (ward_name, rows)) in by_ward {
        let list = list_for_import(&txn, campaign, ward_id, &ward_name).await?;
        let already = import_batch::Entity::find()
            .filter(import_batch::Column::WardListId.eq(list.id))
            .filter(import_batch::Column::Sha256.eq(file.sha256))
            .one(&txn)
            .await?;
        let accepted: Vec<&ImportRow> = rows
            .iter()
            .copied()
            .filter(|r| r.status == RowStatus::Accepted)
            .collect();
        outcome.push(WardCommit {
            ward: ward_name,
            ward_list_id: list.id,
            added: if already.is_some() { 0 } else { accepted.len() },
            entries: 0,
            already_imported: already.is_some(),
        });
        if already.is_some() {
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
        parts.push((
            outcome.len() - 1,
            WardPart {
                ward_id,
                list,
                batch,
                rows: accepted,
            },
        ));
    }
    let (indexes, parts): (Vec<usize>, Vec<WardPart>) = parts.into_iter().unzip();
    let (stored, stored_people) =
        store_rows(&txn, actor, campaign, &parts, &file_programs, &category_ids).await?;
    for ((index, part), entries) in indexes.into_iter().zip(&parts).zip(stored) {
        outcome[index].entries = entries;
        audit::record::<(), _>(
            &txn,
            actor,
            AuditEvent {
                action: "import.commit",
                entity_type: "ward_list",
                entity_id: Some(part.list.id.to_string()),
                unit_id: Some(part.ward_id),
            },
            None,
            Some(&serde_json::json!({
                "file": file.file_name,
                "sha256": file.sha256,
                "batch": part.batch.id,
                "accepted": part.batch.accepted,
                "rejected": part.batch.rejected,
                "duplicates": part.batch.duplicates,
                "entries": entries,
            })),
        )
        .await?;
    }
    if outcome.iter().any(|part| !part.already_imported) {
        for rules in &rule_programs {
            compute_program_entries(&txn, rules.program.id).await?;
        }
    }
    record_former_wards(&txn, campaign, &parts, former, &stored_people).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Records on the entries of the stored rows' people in this campaign and ward the old ward
/// each row named (`entries.former_ward_id`): after the program rules have made their
/// entries too, so every gift of the person shows it. `people` holds, per ward part, the
/// person stored for each of its accepted rows.
async fn record_former_wards(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    parts: &[WardPart<'_>],
    former: &FormerWards,
    people: &[Vec<i32>],
) -> AppResult<()> {
    if former.is_empty() {
        return Ok(());
    }
    let mut by_former: BTreeMap<(i32, i32), Vec<i32>> = BTreeMap::new();
    for (part, person_ids) in parts.iter().zip(people) {
        for (row, person_id) in part.rows.iter().zip(person_ids) {
            if let Some(old) = former.of_row(row.row)
                && let Ok(old_id) = i32::try_from(old.id)
                && old_id != part.ward_id
            {
                by_former
                    .entry((part.ward_id, old_id))
                    .or_default()
                    .push(*person_id);
            }
        }
    }
    for ((ward_id, old_id), person_ids) in by_former {
        for chunk in person_ids.chunks(500) {
            entry::Entity::update_many()
                .col_expr(entry::Column::FormerWardId, Expr::value(old_id))
                .filter(entry::Column::CampaignId.eq(campaign.id))
                .filter(entry::Column::WardId.eq(ward_id))
                .filter(entry::Column::PersonId.is_in(chunk.iter().copied()))
                .filter(entry::Column::FormerWardId.is_null())
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// Refuses a list of its own for a ward that does not exist on the campaign's Tết day (an
/// old ward in a campaign after the merger: its people belong to its successor's list).
async fn ensure_ward_exists_at_tet(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    ward_id: i32,
) -> AppResult<()> {
    let day = tet_day(campaign);
    match unit::Entity::find_by_id(ward_id).one(db).await? {
        Some(ward) if !valid_on(&ward, day) => Err(AppError::Invalid(format!(
            "{} không tồn tại vào Tết của đợt quà “{}” ({}): không thể có danh sách riêng. \
             Người của phường này thuộc danh sách của phường kế thừa.",
            display_name(&ward),
            campaign.title,
            day.format("%d/%m/%Y")
        ))),
        _ => Ok(()),
    }
}

/// One ward's share of a file being committed: its list, its new batch and its accepted rows.
struct WardPart<'a> {
    ward_id: i32,
    list: ward_list::Model,
    batch: import_batch::Model,
    rows: Vec<&'a ImportRow>,
}

/// Makes concurrent commits into one campaign take turns, so the same file sent twice at
/// once is seen as "already imported" by the second instead of racing it. On PostgreSQL this
/// locks the campaign's row until the commit; on SQLite the transaction already holds the
/// write lock from its `BEGIN IMMEDIATE` ([`begin_write`]), so the statement changes nothing.
async fn lock_campaign(txn: &impl ConnectionTrait, campaign_id: i32) -> AppResult<()> {
    campaign::Entity::update_many()
        .col_expr(campaign::Column::Id, Expr::col(campaign::Column::Id))
        .filter(campaign::Column::Id.eq(campaign_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The ward's list in the campaign, created as a draft on first import; refused while it is
/// submitted or approved (the district must return or reopen it first).
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
        return match list.status {
            ListStatus::Draft | ListStatus::Returned => Ok(list),
            ListStatus::Submitted => Err(AppError::Invalid(format!(
                "Danh sách của phường {ward_name} đã gửi duyệt: không thể nhập thêm cho đến khi \
                 quận trả lại danh sách."
            ))),
            ListStatus::Approved => Err(AppError::Invalid(format!(
                "Danh sách của phường {ward_name} đã được duyệt và khóa: chỉ thay đổi được khi \
                 quận mở lại danh sách."
            ))),
        };
    }
    ensure_ward_exists_at_tet(db, campaign, ward_id).await?;
    let now = Utc::now();
    Ok(ward_list::ActiveModel {
        campaign_id: Set(campaign.id),
        ward_id: Set(ward_id),
        status: Set(ListStatus::Draft),
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

/// A row's person before the people are inserted: known already, or the n-th new one.
#[derive(Clone, Copy)]
enum RowPerson {
    Known(i32),
    New(usize),
}

/// A person to create: the row that describes them, in which ward and household.
struct NewPerson<'a> {
    row: &'a ImportRow,
    ward_id: i32,
    household_id: Option<i32>,
}

/// A household to create: the first row that names it, in which ward.
struct NewHousehold<'a> {
    row: &'a ImportRow,
    ward_id: i32,
}

/// One entry to create, as the entries' INSERTs need it.
struct NewEntry<'a> {
    part: &'a WardPart<'a>,
    row: &'a ImportRow,
    person_id: i32,
    household_id: Option<i32>,
    category_id: i32,
    entitlement: Entitlement,
}

/// Stores households, people and entries for the accepted rows of every ward part, all wards
/// at once so that each table is written by a few long statements of the same few shapes
/// (prepared once) rather than by a tail of odd-sized ones per ward; returns the number of
/// entries created per part.
async fn store_rows(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign: &campaign::Model,
    parts: &[WardPart<'_>],
    programs: &[ProgramRules],
    category_ids: &HashMap<String, i32>,
) -> AppResult<(Vec<usize>, Vec<Vec<i32>>)> {
    let now = Utc::now();
    let mut inserts = BulkInsert::new(db.get_database_backend());
    let ward_ids: Vec<i32> = parts.iter().map(|p| p.ward_id).collect();
    // Every accepted row with its part, in a plain vector: iterator adaptors held across the
    // awaits below would make the future's type too intricate for the compiler to prove `Send`.
    let mut all_rows: Vec<(&WardPart, &ImportRow)> = Vec::new();
    for part in parts {
        for row in &part.rows {
            all_rows.push((part, *row));
        }
    }

    // People already known: by ID anywhere (IDs are unique), by name + year + place in the ward.
    let ids: Vec<&str> = all_rows
        .iter()
        .filter_map(|(_, r)| r.national_id.as_ref().map(|id| id.as_str()))
        .collect();
    let mut by_id: HashMap<String, person::Model> = HashMap::new();
    for chunk in ids.chunks(inserts.lookup_chunk()) {
        for found in person::Entity::find()
            .filter(person::Column::NationalId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if let Some(id) = found.national_id.clone() {
                by_id.insert(id, found);
            }
        }
    }
    let mut by_nba: HashMap<(i32, String), person::Model> = HashMap::new();
    for found in person::Entity::find()
        .filter(person::Column::WardId.is_in(ward_ids.iter().copied()))
        .filter(person::Column::NationalId.is_null())
        .all(db)
        .await?
    {
        if let Some(year) = found.birth_year {
            let place = found
                .address
                .as_deref()
                .or(found.khu_pho.as_deref())
                .unwrap_or_default();
            let key = name_birth_address_key(&found.name_key, year, place);
            by_nba.insert((found.ward_id, key), found);
        }
    }

    // Households by code in their ward: (id, head) of the known ones; missing ones are created.
    let mut households: HashMap<(i32, &str), (i32, Option<i32>)> = HashMap::new();
    let known_households = household::Entity::find()
        .filter(household::Column::WardId.is_in(ward_ids.iter().copied()))
        .all(db)
        .await?;
    let mut known_codes: HashMap<(i32, String), (i32, Option<i32>)> = known_households
        .into_iter()
        .filter_map(|h| {
            h.code
                .map(|code| ((h.ward_id, code), (h.id, h.head_person_id)))
        })
        .collect();
    let mut new_households: Vec<NewHousehold> = Vec::new();
    for &(part, row) in &all_rows {
        let Some(code) = row.household_code.as_deref() else {
            continue;
        };
        if households.contains_key(&(part.ward_id, code)) {
            continue;
        }
        match known_codes.remove(&(part.ward_id, code.to_owned())) {
            Some(known) => {
                households.insert((part.ward_id, code), known);
            }
            None => {
                // Placeholder until the insert gives the id.
                households.insert((part.ward_id, code), (0, None));
                new_households.push(NewHousehold {
                    row,
                    ward_id: part.ward_id,
                });
            }
        }
    }
    let household_ids = inserts
        .insert_all(
            db,
            &HOUSEHOLDS,
            vec![now.into(), now.into()],
            new_households.len(),
            true,
            |range, values| {
                for new in &new_households[range] {
                    values.extend([
                        new.ward_id.into(),
                        new.row.household_code.clone().into(),
                        new.row.household_size.into(),
                        new.row.address.clone().into(),
                    ]);
                }
            },
        )
        .await?;
    check_count(household_ids.len(), new_households.len(), "households")?;
    for (new, id) in new_households.iter().zip(household_ids) {
        if let Some(code) = new.row.household_code.as_deref() {
            households.insert((new.ward_id, code), (id, None));
        }
    }

    // Resolve or create each row's person. An ID twice in the file (which the reader marks
    // as a duplicate, so only for safety) means one person.
    let mut row_people: Vec<RowPerson> = Vec::new();
    let mut new_people: Vec<NewPerson> = Vec::new();
    let mut new_by_id: HashMap<&str, usize> = HashMap::new();
    for &(part, row) in &all_rows {
        let household_id = household_of(&households, part.ward_id, row);
        let existing = match &row.national_id {
            Some(id) => by_id.get(id.as_str()),
            None => row_nba_key(row).and_then(|key| by_nba.get(&(part.ward_id, key))),
        };
        if let Some(found) = existing {
            row_people.push(RowPerson::Known(found.id));
            update_person(db, found, row, part.ward_id, household_id).await?;
            continue;
        }
        let national_id = row.national_id.as_ref().map(|id| id.as_str());
        if let Some(index) = national_id.and_then(|id| new_by_id.get(id)) {
            row_people.push(RowPerson::New(*index));
            continue;
        }
        if let Some(id) = national_id {
            new_by_id.insert(id, new_people.len());
        }
        row_people.push(RowPerson::New(new_people.len()));
        new_people.push(NewPerson {
            row,
            ward_id: part.ward_id,
            household_id,
        });
    }
    let new_ids = inserts
        .insert_all(
            db,
            &PEOPLE,
            vec![PersonStatus::Active.into(), now.into(), now.into()],
            new_people.len(),
            true,
            |range, values| {
                for new in &new_people[range] {
                    push_person_values(new, values);
                }
            },
        )
        .await?;
    check_count(new_ids.len(), new_people.len(), "people")?;
    let person_ids: Vec<i32> = row_people
        .iter()
        .map(|p| match p {
            RowPerson::Known(id) => *id,
            RowPerson::New(index) => new_ids[*index],
        })
        .collect();
    // Accounts from the file's account columns, once the people have ids.
    let accounts: Vec<(i32, i32, &TypedAccount)> = all_rows
        .iter()
        .zip(&person_ids)
        .filter_map(|(&(part, row), &id)| row.account.as_ref().map(|a| (id, part.ward_id, a)))
        .collect();
    store_imported_accounts(db, actor, &accounts).await?;

    // Heads of households: the person of the first row that names the household.
    let mut heads: Vec<(i32, i32)> = Vec::new();
    for (&(part, row), person_id) in all_rows.iter().zip(&person_ids) {
        let Some(code) = row.household_code.as_deref() else {
            continue;
        };
        if let Some((household_id, head @ None)) = households.get_mut(&(part.ward_id, code)) {
            *head = Some(*person_id);
            heads.push((*household_id, *person_id));
        }
    }
    for (household_id, person_id) in heads {
        household::Entity::update_many()
            .col_expr(household::Column::HeadPersonId, Expr::value(person_id))
            .col_expr(household::Column::UpdatedAt, Expr::value(now))
            .filter(household::Column::Id.eq(household_id))
            .exec(db)
            .await?;
    }

    // Entries: one per program that gives something to the row's category.
    let mut entries: Vec<NewEntry> = Vec::with_capacity(person_ids.len());
    let mut created = vec![0; parts.len()];
    let part_index: HashMap<i32, usize> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| (p.ward_id, i))
        .collect();
    for (&(part, row), person_id) in all_rows.iter().zip(&person_ids) {
        let Some(category_id) = row
            .category
            .as_ref()
            .and_then(|c| category_ids.get(&c.code))
            .copied()
        else {
            continue;
        };
        let household_id = household_of(&households, part.ward_id, row);
        for entitlement in entitlements_for(programs, category_id, row.amount) {
            if let Some(count) = part_index
                .get(&part.ward_id)
                .and_then(|i| created.get_mut(*i))
            {
                *count += 1;
            }
            entries.push(NewEntry {
                part,
                row,
                person_id: *person_id,
                household_id,
                category_id,
                entitlement,
            });
        }
    }
    inserts
        .insert_all(
            db,
            &ENTRIES,
            vec![
                campaign.id.into(),
                EntryStatus::Pending.into(),
                now.into(),
                now.into(),
            ],
            entries.len(),
            false,
            |range, values| {
                for entry in &entries[range] {
                    values.extend([
                        entry.part.list.id.into(),
                        entry.part.ward_id.into(),
                        entry.entitlement.program_id.into(),
                        entry.person_id.into(),
                        entry.household_id.into(),
                        entry.category_id.into(),
                        entry.entitlement.amount.into(),
                        entry.row.amount.into(),
                        entry.row.note.clone().into(),
                        Some(entry.part.batch.id).into(),
                        Some(entry.row.row as i32).into(),
                    ]);
                }
            },
        )
        .await
        .map_err(|err| {
            AppError::on_unique_violation(
                err,
                "Một người trong tệp đã có trong chương trình quà này; không thêm gì.",
            )
        })?;
    // The person of each accepted row, per part, in the parts' row order.
    let mut people: Vec<Vec<i32>> = parts
        .iter()
        .map(|p| Vec::with_capacity(p.rows.len()))
        .collect();
    for (&(part, _), person_id) in all_rows.iter().zip(&person_ids) {
        if let Some(list) = part_index
            .get(&part.ward_id)
            .and_then(|i| people.get_mut(*i))
        {
            list.push(*person_id);
        }
    }
    Ok((created, people))
}

/// The id of the household a row names in its ward.
fn household_of(
    households: &HashMap<(i32, &str), (i32, Option<i32>)>,
    ward_id: i32,
    row: &ImportRow,
) -> Option<i32> {
    row.household_code
        .as_deref()
        .and_then(|code| households.get(&(ward_id, code)))
        .map(|(id, _)| *id)
}

fn check_count(returned: usize, sent: usize, table: &str) -> AppResult<()> {
    if returned == sent {
        Ok(())
    } else {
        Err(AppError::Other(anyhow::anyhow!(
            "{table} insert returned {returned} ids for {sent} rows"
        )))
    }
}

/// Households an import creates; the head is set once the people exist.
const HOUSEHOLDS: InsertShape = InsertShape {
    table: "households",
    shared_columns: &["created_at", "updated_at"],
    row_columns: &[
        ("ward_id", "integer"),
        ("code", "varchar"),
        ("size", "integer"),
        ("address", "varchar"),
    ],
};

/// People an import creates, in the order of [`push_person_values`].
const PEOPLE: InsertShape = InsertShape {
    table: "people",
    shared_columns: &["status", "created_at", "updated_at"],
    row_columns: &[
        ("full_name", "varchar"),
        ("name_key", "varchar"),
        ("birth_year", "integer"),
        ("birth_date", "date"),
        ("gender", "varchar"),
        ("national_id", "varchar"),
        ("address", "varchar"),
        ("khu_pho", "varchar"),
        ("ward_id", "integer"),
        ("phone", "varchar"),
        ("household_id", "integer"),
    ],
};

/// The entry columns an import sets, in the order `store_rows` gives their values; the
/// others (distribution details) start empty.
const ENTRIES: InsertShape = InsertShape {
    table: "entries",
    shared_columns: &["campaign_id", "status", "created_at", "updated_at"],
    row_columns: &[
        ("ward_list_id", "integer"),
        ("ward_id", "integer"),
        ("program_id", "integer"),
        ("person_id", "integer"),
        ("household_id", "integer"),
        ("category_id", "integer"),
        ("amount", "bigint"),
        ("file_amount", "bigint"),
        ("note", "text"),
        ("import_batch_id", "integer"),
        ("source_row", "integer"),
    ],
};

/// Appends the values of [`PEOPLE`]'s row columns for a new person.
fn push_person_values(new: &NewPerson, values: &mut Vec<Value>) {
    let row = new.row;
    let full_name = row.full_name.as_deref().unwrap_or_default();
    values.extend([
        full_name.into(),
        name_key(full_name).into(),
        row.birth_year.into(),
        row.birth_date.into(),
        row.gender.into(),
        row.national_id.as_ref().map(|id| id.as_str()).into(),
        row.address.as_deref().into(),
        row.khu_pho.as_deref().into(),
        new.ward_id.into(),
        row.phone.as_deref().into(),
        new.household_id.into(),
    ]);
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
    set_if(found.status != PersonStatus::Active, &mut |a| {
        a.status = Set(PersonStatus::Active)
    });
    if changed {
        active.updated_at = Set(Utc::now());
        active.update(db).await?;
    }
    Ok(())
}
