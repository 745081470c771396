//! Committing a checked ward file (see `domain::import_check`): the accepted rows become
//! people, households and entries in the wards' lists of the campaign, one batch per ward, all
//! in one transaction; a file committed twice into a list adds nothing the second time.

use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait, Value,
};
use serde::Serialize;

use crate::db::bulk_insert::{BulkInsert, InsertShape, one_of};
use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::campaigns::ensure_campaign_open;
use crate::domain::campaigns::tet_day;
use crate::domain::entitlements::{
    Entitlement, ProgramRules, entitlements_for, load_program_rules,
};
use crate::domain::gift_planning::compute_program_entries;
use crate::domain::import_check::{CampaignCheck, FormerWards, category_ids_by_code};
use crate::domain::payments::store_imported_accounts;
use crate::domain::scope::UnitScope;
use crate::domain::units::{display_name, valid_on};
use crate::entities::states::{EntryStatus, ListStatus, PersonStatus};
use crate::entities::{campaign, entry, household, import_batch, person, unit, ward_list};
use crate::error::{AppError, AppResult};
use crate::import::duplicates::name_birth_address_key;
use crate::import::{
    Handover, ImportContext, ImportRow, KnownWard, ParsedList, ReadError, RowStatus, TypedAccount,
    read_ward_file_in_batches,
};
use crate::vn::text::{address_key, entry_name_key, name_key};

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
#[derive(Clone, Copy)]
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
    let mut commit = BatchedCommit::begin(db, actor, campaign, file).await?;
    commit
        .store_batch(&parsed.sheet, parsed.header_row, &parsed.rows, None)
        .await?;
    commit.finish(former).await
}

/// A commit that takes a checked file's rows in batches, as they are read and checked
/// (`import_while_reading`), inside one write transaction: each ward's list and batch are
/// opened when its first row arrives, each batch's accepted rows are stored at once, and
/// [`BatchedCommit::finish`] writes the batches' counts, the audit events, the program rules'
/// entries and the former wards, then commits. Dropped before `finish` (a row problem that
/// refuses the file, a reading error, a database error), the transaction rolls back: nothing
/// of the file is stored.
pub struct BatchedCommit<'a, T> {
    txn: T,
    actor: &'a Actor,
    campaign: &'a campaign::Model,
    file: FileMeta<'a>,
    category_ids: HashMap<String, i32>,
    file_programs: Vec<ProgramRules>,
    rule_programs: Vec<ProgramRules>,
    parts: Vec<WardPart>,
    part_of_ward: HashMap<i32, usize>,
    store: RowStore,
    /// (part, sheet row, person) of every stored row, for the former wards.
    stored: Vec<(usize, u32, i32)>,
}

impl<'a, T: ConnectionTrait + TransactionSession> BatchedCommit<'a, T> {
    /// Opens the write transaction (refused when the campaign is closed) and makes concurrent
    /// commits into the campaign wait for this one.
    pub async fn begin<C>(
        db: &C,
        actor: &'a Actor,
        campaign: &'a campaign::Model,
        file: FileMeta<'a>,
    ) -> AppResult<Self>
    where
        C: ConnectionTrait + TransactionTrait<Transaction = T>,
    {
        ensure_campaign_open(campaign)?;
        let category_ids = category_ids_by_code(db).await?;
        // Programs that take the wards' figures get their entries here, row by row; programs
        // with their own amounts and rules are computed once the rows are in (one place for
        // the rules).
        let (file_programs, rule_programs): (Vec<ProgramRules>, Vec<ProgramRules>) =
            load_program_rules(db, campaign.id)
                .await?
                .into_iter()
                .partition(|p| p.program.use_file_amounts);
        let txn = begin_write(db).await?;
        lock_campaign(&txn, campaign.id).await?;
        let store = RowStore::new(txn.get_database_backend());
        Ok(BatchedCommit {
            txn,
            actor,
            campaign,
            file,
            category_ids,
            file_programs,
            rule_programs,
            parts: Vec::new(),
            part_of_ward: HashMap::new(),
            store,
            stored: Vec::new(),
        })
    }

    /// Stores the next checked rows of the file: its sheet and header row (recorded with each
    /// ward's batch), and the rows, of which the accepted ones are stored. `known` are the
    /// people the rows' IDs found, when they were looked up beforehand ([`KnownPeople`]);
    /// otherwise they are looked up here.
    pub async fn store_batch(
        &mut self,
        sheet: &str,
        header_row: u32,
        rows: &[ImportRow],
        known: Option<KnownPeople>,
    ) -> AppResult<()> {
        let mut accepted: Vec<(usize, &ImportRow)> = Vec::new();
        for row in rows {
            let Some(ward) = &row.ward else {
                continue;
            };
            let ward_id =
                i32::try_from(ward.id).map_err(|_| AppError::BadRequest("phường".into()))?;
            let index = match self.part_of_ward.get(&ward_id) {
                Some(index) => *index,
                None => {
                    self.open_part(ward_id, &ward.name, sheet, header_row)
                        .await?
                }
            };
            let part = &mut self.parts[index];
            part.total += 1;
            match row.status {
                RowStatus::Accepted => part.accepted += 1,
                RowStatus::Rejected => part.rejected += 1,
                RowStatus::Duplicate => part.duplicates += 1,
            }
            if part.batch.is_some() && row.status == RowStatus::Accepted {
                accepted.push((index, row));
            }
        }
        let stored = self
            .store
            .store(
                &self.txn,
                self.actor,
                self.campaign,
                &self.parts,
                &accepted,
                &self.file_programs,
                &self.category_ids,
                known,
            )
            .await?;
        for ((index, row), (person_id, entries)) in accepted.iter().zip(stored) {
            self.parts[*index].entries += entries;
            self.stored.push((*index, row.row, person_id));
        }
        Ok(())
    }

    /// The list of the ward in the campaign (refused while submitted or approved) and, unless
    /// this very file was already committed into it, the file's new batch there.
    async fn open_part(
        &mut self,
        ward_id: i32,
        ward_name: &str,
        sheet: &str,
        header_row: u32,
    ) -> AppResult<usize> {
        let list = list_for_import(&self.txn, self.campaign, ward_id, ward_name).await?;
        let already = import_batch::Entity::find()
            .filter(import_batch::Column::WardListId.eq(list.id))
            .filter(import_batch::Column::Sha256.eq(self.file.sha256))
            .one(&self.txn)
            .await?;
        let batch = match already {
            Some(_) => None,
            // The counts are written once the whole file is in (`finish`).
            None => Some(
                import_batch::ActiveModel {
                    campaign_id: Set(self.campaign.id),
                    ward_id: Set(ward_id),
                    ward_list_id: Set(list.id),
                    file_name: Set(self.file.file_name.to_owned()),
                    sha256: Set(self.file.sha256.to_owned()),
                    size_bytes: Set(self.file.size_bytes),
                    sheet_name: Set(sheet.to_owned()),
                    header_row: Set(header_row as i32),
                    total_rows: Set(0),
                    accepted: Set(0),
                    rejected: Set(0),
                    duplicates: Set(0),
                    user_id: Set(self.actor.user_id),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&self.txn)
                .await
                .map_err(|err| {
                    AppError::on_unique_violation(
                        err,
                        "Tệp này vừa được nhập vào danh sách này bởi một yêu cầu khác; không thêm gì.",
                    )
                })?,
            ),
        };
        if batch.is_some() {
            self.store.load_ward(&self.txn, ward_id).await?;
        }
        self.parts.push(WardPart {
            ward_id,
            ward_name: ward_name.to_owned(),
            list,
            batch,
            total: 0,
            accepted: 0,
            rejected: 0,
            duplicates: 0,
            entries: 0,
        });
        self.part_of_ward.insert(ward_id, self.parts.len() - 1);
        Ok(self.parts.len() - 1)
    }

    /// Gives up: nothing of the file stays stored.
    pub async fn rollback(self) -> AppResult<()> {
        Ok(self.txn.rollback().await?)
    }

    /// Writes each batch's counts and its audit event, lets the programs with their own rules
    /// make their entries, records the former wards, and commits. Returns what each ward's
    /// part did, in the order of the wards' ids.
    pub async fn finish(self, former: &FormerWards) -> AppResult<Vec<WardCommit>> {
        let txn = self.txn;
        let mut outcome = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            let Some(batch) = &part.batch else {
                outcome.push((part.ward_id, part.commit(true)));
                continue;
            };
            let mut counted: import_batch::ActiveModel = batch.clone().into();
            counted.total_rows = Set(part.total);
            counted.accepted = Set(part.accepted);
            counted.rejected = Set(part.rejected);
            counted.duplicates = Set(part.duplicates);
            counted.update(&txn).await?;
            audit::record::<(), _>(
                &txn,
                self.actor,
                AuditEvent {
                    action: "import.commit",
                    entity_type: "ward_list",
                    entity_id: Some(part.list.id.to_string()),
                    unit_id: Some(part.ward_id),
                },
                None,
                Some(&serde_json::json!({
                    "file": self.file.file_name,
                    "sha256": self.file.sha256,
                    "batch": batch.id,
                    "accepted": part.accepted,
                    "rejected": part.rejected,
                    "duplicates": part.duplicates,
                    "entries": part.entries,
                })),
            )
            .await?;
            outcome.push((part.ward_id, part.commit(false)));
        }
        if self.parts.iter().any(|part| part.batch.is_some()) {
            for rules in &self.rule_programs {
                compute_program_entries(&txn, rules.program.id).await?;
            }
        }
        record_former_wards(&txn, self.campaign, &self.parts, former, &self.stored).await?;
        txn.commit().await?;
        outcome.sort_by_key(|(ward_id, _)| *ward_id);
        Ok(outcome.into_iter().map(|(_, part)| part).collect())
    }
}

/// Rows handed from the reader to the writer at a time: large enough that each batch is a
/// few long INSERTs, small enough that the first is stored while most of the file is still
/// being read. PostgreSQL takes twice as many: each batch costs the writer a lookup of known
/// IDs and the building of its first statement while the server waits, and halving the
/// batches took the 100,000-row import from 5.32 s to 5.12 s (median of seven alternated runs
/// each); on SQLite the larger batches cost 20 MB more memory at the peak for no time.
fn batch_rows(backend: sea_orm::DbBackend) -> usize {
    match backend {
        sea_orm::DbBackend::Postgres => 16_384,
        _ => 8192,
    }
}

/// Batches waiting between the reader and the writer: the reader reads the next one while
/// the writer stores this one, and stops when the writer is that far behind.
const BATCHES_IN_FLIGHT: usize = 2;

/// Why [`import_while_reading`] stored nothing.
#[derive(Debug)]
pub enum ImportRefused {
    /// The file could not be read at all.
    Unreadable(ReadError),
    /// The file was read but refused (no row names a ward, a list is locked, the campaign
    /// closed, the database failed): nothing was stored.
    Refused(AppError),
}

impl From<AppError> for ImportRefused {
    fn from(err: AppError) -> Self {
        ImportRefused::Refused(err)
    }
}

impl From<DbErr> for ImportRefused {
    fn from(err: DbErr) -> Self {
        ImportRefused::Refused(err.into())
    }
}

/// What [`import_while_reading`] read and stored.
pub struct ImportedFile {
    /// The whole list as read and checked, every row with its problems.
    pub parsed: ParsedList,
    /// The old wards the rows named.
    pub former: FormerWards,
    /// What each ward's part did.
    pub committed: Vec<WardCommit>,
}

/// Reads, checks and commits a ward file in one pass, storing while it reads: a reader
/// thread reads the people [`batch_rows`] at a time (each batch already marked for people
/// listed twice in the file up to its rows) and hands them over a bounded channel; here each
/// batch is checked against the campaign and its accepted rows stored while the reader reads
/// the next. Everything goes into one write transaction, opened when the first batch arrives
/// (the campaign's checks are loaded while the file is parsed) and committed only once the
/// whole file is in and the checks that need every row have passed (a file in which no row
/// names a ward is refused): a file that fails anywhere, reading, checking or storing,
/// stores nothing. Every row is in the result with its problems, as `read_ward_file` and
/// `check_against_campaign` give them.
#[expect(
    clippy::too_many_arguments,
    reason = "who commits what into which campaign, as whom, for which ward"
)]
pub async fn import_while_reading<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    campaign: &campaign::Model,
    context: ImportContext,
    file_name: &str,
    bytes: std::sync::Arc<Vec<u8>>,
    chosen_ward: Option<&KnownWard>,
    scope: &UnitScope,
) -> Result<ImportedFile, ImportRefused> {
    /// The file's list so far (sent with its first batch) and a batch of rows; `None` when
    /// the rows sent so far are to be forgotten ([`Handover::Restart`]).
    type Batch = Option<(Option<(Option<KnownWard>, String, u32)>, Vec<ImportRow>)>;
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Batch>(BATCHES_IN_FLIGHT);
    let digest = {
        let bytes = std::sync::Arc::clone(&bytes);
        tokio::task::spawn_blocking(move || crate::domain::pending_uploads::sha256_hex(&bytes))
    };
    let size_bytes = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let name = file_name.to_owned();
    let batch = batch_rows(db.get_database_backend());
    let reader = tokio::task::spawn_blocking(move || {
        let mut first = true;
        read_ward_file_in_batches(&name, &bytes, &context, batch, &mut |list, handed| {
            let batch = match handed {
                Handover::Rows(rows) => {
                    let head =
                        first.then(|| (list.ward.clone(), list.sheet.clone(), list.header_row));
                    first = false;
                    Some((head, rows))
                }
                Handover::Restart => {
                    first = true;
                    None
                }
            };
            match sender.blocking_send(batch) {
                Ok(()) => ControlFlow::Continue(()),
                // The writer gave up: its error is the answer.
                Err(_) => ControlFlow::Break(()),
            }
        })
    });
    let stopped = |err: tokio::task::JoinError| {
        AppError::Other(anyhow::anyhow!("import reader stopped: {err}"))
    };
    // Loaded while the reader parses the file.
    let mut check = CampaignCheck::load(db, campaign, None, chosen_ward, scope).await?;
    let sha256 = digest.await.map_err(stopped)?;
    let file = FileMeta {
        file_name,
        sha256: &sha256,
        size_bytes,
    };
    let mut rows: Vec<ImportRow> = Vec::new();
    let mut commit: Option<BatchedCommit<'_, C::Transaction>> = None;
    let mut sheet = (String::new(), 0);
    let mut written: Result<(), AppError> = Ok(());
    // On PostgreSQL the people of the next batch's IDs are looked up on a connection of
    // their own while this batch is stored: the lookup reads only what is committed, which
    // is all it needs (the people this file creates are known by ID to the store already),
    // and the server runs it beside the transaction's INSERTs instead of between them.
    // SQLite's pool may be one connection (an in-memory database), and its lookups are
    // cheap.
    let look_ahead = db.get_database_backend() == sea_orm::DbBackend::Postgres;
    let mut next = batches.recv().await;
    let mut next_known: Option<KnownPeople> = None;
    while let Some(handed) = next.take() {
        // Set when the look-ahead checked the batch and looked its IDs up.
        let known = next_known.take();
        let Some((head, mut batch)) = handed else {
            // The reader read the first rows again otherwise: start over with what it sends.
            rows.clear();
            if let Some(open) = commit.take() {
                open.rollback().await?;
            }
            check = CampaignCheck::load(db, campaign, None, chosen_ward, scope).await?;
            next = batches.recv().await;
            continue;
        };
        if let Some((ward, sheet_name, header_row)) = head {
            check.set_file_ward(ward);
            sheet = (sheet_name, header_row);
        }
        if known.is_none() {
            check.check_rows(&mut batch);
        }
        let step = async {
            let open = match commit.as_mut() {
                Some(open) => open,
                None => commit.insert(BatchedCommit::begin(db, actor, campaign, file).await?),
            };
            open.store_batch(&sheet.0, sheet.1, &batch, known).await
        };
        let ahead = async {
            let mut handed = batches.recv().await;
            let mut looked_up = None;
            // A batch that brings the file's list (the first after a restart) is left to the
            // loop, which sets the file's ward before checking it.
            if look_ahead && let Some(Some((None, rows))) = &mut handed {
                check.check_rows(rows);
                let accepted = rows.iter().filter(|row| row.status == RowStatus::Accepted);
                looked_up = Some(known_people(db, accepted).await);
            }
            (handed, looked_up)
        };
        let (stored, (handed, looked_up)) = tokio::join!(biased; step, ahead);
        next = handed;
        written = stored;
        if let Some(looked_up) = looked_up {
            match looked_up {
                Ok(found) => next_known = Some(found),
                Err(err) => written = written.and(Err(err)),
            }
        }
        rows.extend(batch);
        if written.is_err() {
            break;
        }
    }
    // Dropping the receiver stops a reader still reading.
    drop(batches);
    let read = reader.await.map_err(stopped)?;
    let verdict = match (written, read) {
        (Err(err), _) => Err(ImportRefused::Refused(err)),
        (Ok(()), Err(err)) => Err(ImportRefused::Unreadable(err)),
        (Ok(()), Ok(parsed)) => check
            .finish()
            .map(|former| (parsed, former))
            .map_err(ImportRefused::Refused),
    };
    match verdict {
        Ok((mut parsed, former)) => {
            parsed.rows = rows;
            let committed = match commit {
                Some(commit) => commit.finish(&former).await?,
                None => Vec::new(),
            };
            Ok(ImportedFile {
                parsed,
                former,
                committed,
            })
        }
        Err(refused) => {
            if let Some(commit) = commit {
                commit.rollback().await?;
            }
            Err(refused)
        }
    }
}

/// Records on the entries of the stored rows' people in this campaign and ward the old ward
/// each row named (`entries.former_ward_id`): after the program rules have made their
/// entries too, so every gift of the person shows it. `stored` holds (part, sheet row,
/// person) of every stored row.
async fn record_former_wards(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    parts: &[WardPart],
    former: &FormerWards,
    stored: &[(usize, u32, i32)],
) -> AppResult<()> {
    if former.is_empty() {
        return Ok(());
    }
    let mut by_former: BTreeMap<(i32, i32), Vec<i32>> = BTreeMap::new();
    for &(index, row, person_id) in stored {
        let ward_id = parts[index].ward_id;
        if let Some(old) = former.of_row(row)
            && let Ok(old_id) = i32::try_from(old.id)
            && old_id != ward_id
        {
            by_former
                .entry((ward_id, old_id))
                .or_default()
                .push(person_id);
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

/// One ward's share of a file being committed: its list, the file's new batch there (none
/// when this file was already committed into the list) and the rows counted so far.
struct WardPart {
    ward_id: i32,
    ward_name: String,
    list: ward_list::Model,
    batch: Option<import_batch::Model>,
    total: i32,
    accepted: i32,
    rejected: i32,
    duplicates: i32,
    entries: usize,
}

impl WardPart {
    fn commit(&self, already_imported: bool) -> WardCommit {
        WardCommit {
            ward: self.ward_name.clone(),
            ward_list_id: self.list.id,
            added: if already_imported {
                0
            } else {
                self.accepted as usize
            },
            entries: self.entries,
            already_imported,
        }
    }
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
    list_id: i32,
    ward_id: i32,
    batch_id: Option<i32>,
    row: &'a ImportRow,
    person_id: i32,
    household_id: Option<i32>,
    category_id: i32,
    entitlement: Entitlement,
    /// The index among the batch's new people of the entry's person, when this import
    /// created them: the entry then carries its copy of the person's name key
    /// ([`entry_name_key`]); a known person's is left to the database's trigger, which reads
    /// it from the person.
    new_person: Option<usize>,
}

/// A household by its code: (id, head person) once known.
type HouseholdSlot = (i32, Option<i32>);

/// What storing a file's rows learns as it goes, kept from batch to batch: the people and
/// households already in each ward the file names (loaded when the ward's first row comes),
/// the households met so far by code and whether they have their head, and the people this
/// file created by ID. Each batch is written by a few long statements of the same few shapes,
/// prepared once ([`BulkInsert`]).
struct RowStore {
    inserts: BulkInsert,
    /// People without an ID already in the wards, by ward and name + year + place key.
    by_nba: HashMap<(i32, String), person::Model>,
    /// Households by ward and code, known before this file or created by it.
    households: HashMap<i32, HashMap<String, HouseholdSlot>>,
    /// People this file created, by ID (an ID twice in the file means one person).
    new_by_id: HashMap<String, i32>,
}

impl RowStore {
    fn new(backend: sea_orm::DbBackend) -> Self {
        RowStore {
            inserts: BulkInsert::new(backend),
            by_nba: HashMap::new(),
            households: HashMap::new(),
            new_by_id: HashMap::new(),
        }
    }

    /// Loads the ward's people without an ID and its households, once, before its rows.
    async fn load_ward(&mut self, db: &impl ConnectionTrait, ward_id: i32) -> AppResult<()> {
        for found in person::Entity::find()
            .filter(person::Column::WardId.eq(ward_id))
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
                self.by_nba.insert((found.ward_id, key), found);
            }
        }
        let codes = self.households.entry(ward_id).or_default();
        for known in household::Entity::find()
            .filter(household::Column::WardId.eq(ward_id))
            .all(db)
            .await?
        {
            if let Some(code) = known.code {
                codes.insert(code, (known.id, known.head_person_id));
            }
        }
        Ok(())
    }

    /// The id of the household a row names in its ward.
    fn household_of(&self, ward_id: i32, row: &ImportRow) -> Option<i32> {
        let code = row.household_code.as_deref()?;
        self.households
            .get(&ward_id)
            .and_then(|codes| codes.get(code))
            .map(|(id, _)| *id)
    }

    /// Stores households, people and entries for one batch of accepted rows, each with the
    /// index of its ward's part; returns, per row, its person and the entries created.
    #[expect(
        clippy::too_many_arguments,
        reason = "the transaction, who, where, what, and the two lookups of the commit"
    )]
    async fn store(
        &mut self,
        db: &impl ConnectionTrait,
        actor: &Actor,
        campaign: &campaign::Model,
        parts: &[WardPart],
        rows: &[(usize, &ImportRow)],
        programs: &[ProgramRules],
        category_ids: &HashMap<String, i32>,
        known: Option<KnownPeople>,
    ) -> AppResult<Vec<(i32, usize)>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let now = Utc::now();
        // Every accepted row with its ward, in a plain vector: iterator adaptors held across
        // the awaits below would make the future's type too intricate to prove `Send`.
        let all_rows: Vec<(i32, &ImportRow)> = rows
            .iter()
            .map(|(index, row)| (parts[*index].ward_id, *row))
            .collect();

        // People already known by ID anywhere (IDs are unique), unless looked up already.
        let by_id = match known {
            Some(known) => known,
            None => known_people(db, all_rows.iter().map(|(_, row)| *row)).await?,
        };

        // Households by code in their ward; missing ones are created.
        let mut new_households: Vec<NewHousehold> = Vec::new();
        for &(ward_id, row) in &all_rows {
            let Some(code) = row.household_code.as_deref() else {
                continue;
            };
            let codes = self.households.entry(ward_id).or_default();
            if !codes.contains_key(code) {
                // Placeholder until the insert gives the id.
                codes.insert(code.to_owned(), (0, None));
                new_households.push(NewHousehold { row, ward_id });
            }
        }
        let household_ids = self
            .inserts
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
                self.households
                    .entry(new.ward_id)
                    .or_default()
                    .insert(code.to_owned(), (id, None));
            }
        }

        // Resolve or create each row's person. An ID twice in the file (which the reader
        // marks as a duplicate, so only for safety) means one person.
        let mut row_people: Vec<RowPerson> = Vec::with_capacity(all_rows.len());
        let mut new_people: Vec<NewPerson> = Vec::new();
        let mut batch_new_by_id: HashMap<&str, usize> = HashMap::new();
        for &(ward_id, row) in &all_rows {
            let household_id = self.household_of(ward_id, row);
            let national_id = row.national_id.as_ref().map(|id| id.as_str());
            let existing = match national_id {
                Some(id) => by_id.get(id),
                None => row_nba_key(row).and_then(|key| self.by_nba.get(&(ward_id, key))),
            };
            if let Some(found) = existing {
                row_people.push(RowPerson::Known(found.id));
                update_person(db, found, row, ward_id, household_id).await?;
                continue;
            }
            if let Some(id) = national_id.and_then(|id| self.new_by_id.get(id)) {
                row_people.push(RowPerson::Known(*id));
                continue;
            }
            if let Some(index) = national_id.and_then(|id| batch_new_by_id.get(id)) {
                row_people.push(RowPerson::New(*index));
                continue;
            }
            if let Some(id) = national_id {
                batch_new_by_id.insert(id, new_people.len());
            }
            row_people.push(RowPerson::New(new_people.len()));
            new_people.push(NewPerson {
                row,
                ward_id,
                household_id,
            });
        }
        let mut name_keys: Vec<String> = Vec::with_capacity(new_people.len());
        let new_ids = self
            .inserts
            .insert_all(
                db,
                &PEOPLE,
                vec![PersonStatus::Active.into(), now.into(), now.into()],
                new_people.len(),
                true,
                // The name keys are worked out here, while the previous statement runs, not
                // before the batch's first: the server would wait for them. Kept for the
                // entries' copies.
                |range, values| {
                    for new in &new_people[range] {
                        let key = name_key(new.row.full_name.as_deref().unwrap_or_default());
                        push_person_values(new, &key, values);
                        name_keys.push(key);
                    }
                },
            )
            .await?;
        check_count(new_ids.len(), new_people.len(), "people")?;
        for (new, id) in new_people.iter().zip(&new_ids) {
            if let Some(national_id) = &new.row.national_id {
                self.new_by_id.insert(national_id.as_str().to_owned(), *id);
            }
        }
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
            .filter_map(|(&(ward_id, row), &id)| row.account.as_ref().map(|a| (id, ward_id, a)))
            .collect();
        store_imported_accounts(db, actor, &accounts).await?;

        // Heads of households: the person of the first row that names the household.
        let mut heads: Vec<(i32, i32)> = Vec::new();
        for (&(ward_id, row), person_id) in all_rows.iter().zip(&person_ids) {
            let Some(code) = row.household_code.as_deref() else {
                continue;
            };
            if let Some((household_id, head @ None)) = self
                .households
                .get_mut(&ward_id)
                .and_then(|codes| codes.get_mut(code))
            {
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
        let mut created = vec![0; rows.len()];
        for ((((index, row), person_id), count), person) in rows
            .iter()
            .zip(&person_ids)
            .zip(&mut created)
            .zip(&row_people)
        {
            let part = &parts[*index];
            let Some(category_id) = row
                .category
                .as_ref()
                .and_then(|c| category_ids.get(&c.code))
                .copied()
            else {
                continue;
            };
            let household_id = self.household_of(part.ward_id, row);
            for entitlement in entitlements_for(programs, category_id, row.amount) {
                *count += 1;
                entries.push(NewEntry {
                    list_id: part.list.id,
                    ward_id: part.ward_id,
                    batch_id: part.batch.as_ref().map(|b| b.id),
                    row,
                    person_id: *person_id,
                    household_id,
                    category_id,
                    entitlement,
                    new_person: match person {
                        RowPerson::New(index) => Some(*index),
                        RowPerson::Known(_) => None,
                    },
                });
            }
        }
        self.inserts
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
                // The entry's copy of its new person's name key is set here, while the
                // previous statement runs, rather than by the database's per-row trigger,
                // which reads the person back for each entry (0.45 s of a 100,000-row import
                // on PostgreSQL).
                |range, values| {
                    for entry in &entries[range] {
                        let name_key = entry
                            .new_person
                            .map(|index| entry_name_key(&name_keys[index]));
                        values.extend([
                            entry.list_id.into(),
                            entry.ward_id.into(),
                            entry.entitlement.program_id.into(),
                            entry.person_id.into(),
                            entry.household_id.into(),
                            entry.category_id.into(),
                            entry.entitlement.amount.into(),
                            entry.row.amount.into(),
                            entry.row.note.clone().into(),
                            entry.batch_id.into(),
                            Some(entry.row.row as i32).into(),
                            name_key.into(),
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
        Ok(person_ids.into_iter().zip(created).collect())
    }
}

/// People already stored, by their ID.
pub type KnownPeople = HashMap<String, person::Model>;

/// The people already stored under the IDs of `rows`, by ID.
async fn known_people<'r>(
    db: &impl ConnectionTrait,
    rows: impl Iterator<Item = &'r ImportRow>,
) -> AppResult<KnownPeople> {
    let ids: Vec<&str> = rows
        .filter_map(|row| row.national_id.as_ref().map(|id| id.as_str()))
        .collect();
    let mut by_id = HashMap::new();
    for condition in one_of(db.get_database_backend(), person::Column::NationalId, &ids) {
        for found in person::Entity::find().filter(condition).all(db).await? {
            if let Some(id) = found.national_id.clone() {
                by_id.insert(id, found);
            }
        }
    }
    Ok(by_id)
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
        ("address_key", "varchar"),
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
        ("name_key", "varchar"),
    ],
};

/// Appends the values of [`PEOPLE`]'s row columns for a new person.
fn push_person_values(new: &NewPerson, name_key: &str, values: &mut Vec<Value>) {
    let row = new.row;
    let full_name = row.full_name.as_deref().unwrap_or_default();
    values.extend([
        full_name.into(),
        name_key.into(),
        row.birth_year.into(),
        row.birth_date.into(),
        row.gender.into(),
        row.national_id.as_ref().map(|id| id.as_str()).into(),
        row.address.as_deref().into(),
        row.khu_pho.as_deref().into(),
        new.ward_id.into(),
        row.phone.as_deref().into(),
        new.household_id.into(),
        row.address.as_deref().and_then(address_key).into(),
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
