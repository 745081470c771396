//! Uploaded ward files between the preview and the commit. The bytes are kept in the
//! `pending_uploads` table (any app server can show the preview or commit it), so what is
//! committed is exactly what was previewed. Each server also keeps the parse of the last few
//! uploads it read ([`ParsedUploads`]): a second view of the preview, the annotated copy and
//! the commit skip reading the file again, while the checks against the campaign still run
//! every time (the database may have changed). Rows go away on commit, on discard, or a day
//! after the upload.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Duration, Utc};
use rand::Rng;
use rand::distr::Alphanumeric;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::domain::audit::Actor;
use crate::domain::import_check::{FormerWards, check_against_campaign, load_import_setup};
use crate::domain::import_commit::{FileMeta, WardCommit, commit_import};
use crate::domain::scope::UnitScope;
use crate::entities::states::{Role, UnitLevel};
use crate::entities::{campaign, pending_upload, unit};
use crate::error::{AppError, AppResult};
use crate::import::{ImportContext, KnownWard, ParsedList, read_ward_file};

/// How long an upload waits for its commit.
pub const KEEP_HOURS: i64 = 24;

/// A new upload: who sent which file for which campaign and ward.
pub struct NewUpload {
    /// The uploading user.
    pub user_id: i32,
    /// The campaign the list is for.
    pub campaign_id: i32,
    /// The ward chosen on the form (a ward officer's own ward), if any.
    pub ward_id: Option<i32>,
    /// The file's name as sent by the browser.
    pub file_name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stores an upload and returns its row; older uploads past [`KEEP_HOURS`] are deleted on the way.
pub async fn store_upload(
    db: &impl ConnectionTrait,
    new: NewUpload,
) -> AppResult<pending_upload::Model> {
    if new.bytes.is_empty() {
        return Err(AppError::Invalid(
            "Tệp rỗng, không có dữ liệu. Hãy chọn đúng tệp danh sách và tải lên lại.".into(),
        ));
    }
    purge_expired(db).await?;
    let id: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    let file_name = crate::vn::text::normalize(&new.file_name);
    let file_name = if file_name.is_empty() {
        "danh-sach.xlsx".to_owned()
    } else {
        file_name.chars().take(200).collect()
    };
    Ok(pending_upload::ActiveModel {
        id: Set(id),
        user_id: Set(new.user_id),
        campaign_id: Set(new.campaign_id),
        ward_id: Set(new.ward_id),
        sha256: Set(sha256_hex(&new.bytes)),
        size_bytes: Set(i64::try_from(new.bytes.len()).unwrap_or(i64::MAX)),
        file_name: Set(file_name),
        bytes: Set(new.bytes),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?)
}

/// Deletes uploads older than [`KEEP_HOURS`].
pub async fn purge_expired(db: &impl ConnectionTrait) -> AppResult<u64> {
    let cutoff = Utc::now() - Duration::hours(KEEP_HOURS);
    Ok(pending_upload::Entity::delete_many()
        .filter(pending_upload::Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}

/// The upload `id` of `user_id`, refused to anyone else; gone or expired uploads are 404.
pub async fn find_upload(
    db: &impl ConnectionTrait,
    id: &str,
    user_id: i32,
) -> AppResult<pending_upload::Model> {
    let gone = || {
        AppError::NotFound(
            "Không tìm thấy tệp đã tải lên: tệp đã được ghi vào danh sách, đã bị hủy hoặc đã quá \
             một ngày. Hãy tải tệp lên lại."
                .into(),
        )
    };
    let found = pending_upload::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or_else(gone)?;
    if found.created_at < Utc::now() - Duration::hours(KEEP_HOURS) {
        return Err(gone());
    }
    if found.user_id != user_id {
        return Err(AppError::Forbidden(
            "Tệp này do người khác tải lên; bạn không thể xem hay ghi nó.".into(),
        ));
    }
    Ok(found)
}

/// Deletes an upload (after its commit, or when the user discards it).
pub async fn delete_upload(db: &impl ConnectionTrait, id: &str) -> AppResult<()> {
    pending_upload::Entity::delete_by_id(id.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// The ward an upload is for, as the import knows it, when one was chosen.
async fn chosen_ward(
    db: &impl ConnectionTrait,
    upload: &pending_upload::Model,
) -> AppResult<Option<KnownWard>> {
    let Some(ward_id) = upload.ward_id else {
        return Ok(None);
    };
    let ward = unit::Entity::find_by_id(ward_id)
        .filter(unit::Column::Level.eq(UnitLevel::Ward))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy phường đã chọn.".into()))?;
    Ok(Some(KnownWard {
        id: i64::from(ward.id),
        code: ward.code.into(),
        name: ward.name.into(),
    }))
}

/// The ward a user's upload goes to: a ward officer's own ward always; district staff and
/// administrators choose one in their units or let the file say.
pub fn upload_ward(role: Role, own_unit: Option<i32>, chosen: Option<i32>) -> Option<i32> {
    match role {
        Role::Ward => own_unit,
        Role::District | Role::Admin => chosen,
    }
}

/// Most parsed uploads one server keeps.
const CACHED_UPLOADS: usize = 16;

/// Most memory (as [`ParsedList::approx_bytes`] counts it) the kept parses take together: a
/// ward file of 10,000 rows takes a few megabytes (its cells' text and the rows).
const CACHED_BYTES: usize = 128 * 1024 * 1024;

/// What a kept parse was made from: the upload, its bytes (by hash) and everything the reader
/// was told besides the file ([`context_fingerprint`]). A spelling mapped from the preview
/// changes the context, so the next preview reads the file again with it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ParseKey {
    upload_id: String,
    sha256: String,
    context: [u8; 32],
}

/// One kept parse and its approximate size.
struct ParsedEntry {
    key: ParseKey,
    parsed: Arc<ParsedList>,
    bytes: usize,
}

/// The parse (rows as read, before any check against a campaign) of the uploads this server
/// read last, at most [`CACHED_UPLOADS`] of them and [`CACHED_BYTES`] together, the oldest
/// dropped first. Per server and in memory only: another server, or this one after a restart,
/// misses and reads the file from the stored bytes, which stay the truth. Cloning shares the
/// same cache.
#[derive(Clone, Default)]
pub struct ParsedUploads(Arc<Mutex<VecDeque<ParsedEntry>>>);

impl ParsedUploads {
    fn get(&self, key: &ParseKey) -> Option<Arc<ParsedList>> {
        let entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .iter()
            .find(|e| e.key == *key)
            .map(|e| Arc::clone(&e.parsed))
    }

    fn put(&self, key: ParseKey, parsed: Arc<ParsedList>) {
        let bytes = parsed.approx_bytes();
        if bytes > CACHED_BYTES {
            return;
        }
        let mut entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|e| e.key.upload_id != key.upload_id);
        let mut total: usize = entries.iter().map(|e| e.bytes).sum::<usize>() + bytes;
        while entries.len() >= CACHED_UPLOADS || total > CACHED_BYTES {
            match entries.pop_front() {
                Some(oldest) => total -= oldest.bytes,
                None => break,
            }
        }
        entries.push_back(ParsedEntry { key, parsed, bytes });
    }

    /// Drops the parse of upload `id` (committed or discarded).
    pub fn forget(&self, id: &str) {
        let mut entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|e| e.key.upload_id != id);
    }

    /// How many parses are kept (for tests and the bench's log).
    pub fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A digest of everything besides the bytes that decides what the reader makes of a file:
/// the categories with their synonyms (the catalogue is built from them alone), the wards,
/// the mapped ward spellings, the banks and the year, from their debug forms (which print
/// every field; the catalogue's own lookup tables are hash maps, whose order varies, so they
/// are left out). Compared only within one server's run, so the forms need not be stable
/// across versions.
fn context_fingerprint(context: &ImportContext) -> [u8; 32] {
    let mut digest = Sha256::new();
    digest.update(format!("{:?}", context.catalogue.categories()).as_bytes());
    digest.update(format!("{:?}", context.wards).as_bytes());
    digest.update(format!("{:?}", context.ward_synonyms).as_bytes());
    digest.update(format!("{:?}", context.banks).as_bytes());
    digest.update(context.current_year.to_le_bytes());
    digest.finalize().into()
}

/// Reads the stored file (off the async runtime) and checks it against the campaign: the
/// preview, and the very same rows the commit stores. The reading is skipped when this
/// server kept the parse of the same bytes under the same context (`cache`); the checks
/// against the campaign run every time.
pub async fn read_upload(
    db: &impl ConnectionTrait,
    cache: &ParsedUploads,
    upload: &pending_upload::Model,
    campaign: &campaign::Model,
    scope: &UnitScope,
) -> AppResult<ParsedList> {
    Ok(read_upload_timed(db, cache, upload, campaign, scope)
        .await?
        .0)
}

/// Where a preview's time went: whether the parse was kept (the file not read) and how long
/// getting the rows and checking them took. The preview page sends it as `Server-Timing`,
/// which the city bench reads.
#[derive(Debug, Clone, Copy)]
pub struct PreviewTiming {
    /// The parse came from this server's [`ParsedUploads`]: the file was not read.
    pub kept: bool,
    /// Getting the rows: reading the file, or taking the kept parse.
    pub read: std::time::Duration,
    /// Checking them against the campaign.
    pub check: std::time::Duration,
}

/// [`read_upload`] with where its time went.
pub async fn read_upload_timed(
    db: &impl ConnectionTrait,
    cache: &ParsedUploads,
    upload: &pending_upload::Model,
    campaign: &campaign::Model,
    scope: &UnitScope,
) -> AppResult<(ParsedList, PreviewTiming)> {
    let start = std::time::Instant::now();
    let (read, kept) = parsed_upload(db, cache, upload, campaign).await?;
    let read_took = start.elapsed();
    let (parsed, _) = check_parsed(db, read, upload, campaign, scope).await?;
    Ok((
        parsed,
        PreviewTiming {
            kept,
            read: read_took,
            check: start.elapsed() - read_took,
        },
    ))
}

/// The rows of the stored file as read, from `cache` when it holds them (then `true`).
async fn parsed_upload(
    db: &impl ConnectionTrait,
    cache: &ParsedUploads,
    upload: &pending_upload::Model,
    campaign: &campaign::Model,
) -> AppResult<(Arc<ParsedList>, bool)> {
    let year = if campaign.year > 0 {
        campaign.year
    } else {
        Utc::now().year()
    };
    let context = load_import_setup(db, year).await?.context;
    let key = ParseKey {
        upload_id: upload.id.clone(),
        sha256: upload.sha256.clone(),
        context: context_fingerprint(&context),
    };
    if let Some(parsed) = cache.get(&key) {
        return Ok((parsed, true));
    }
    let name = upload.file_name.clone();
    let bytes = upload.bytes.clone();
    let parsed = tokio::task::spawn_blocking(move || read_ward_file(&name, &bytes, &context))
        .await
        .map_err(|err| AppError::Other(anyhow::anyhow!("import reader stopped: {err}")))?
        .map_err(|err| AppError::Invalid(err.to_string()))?;
    let parsed = Arc::new(parsed);
    cache.put(key, Arc::clone(&parsed));
    Ok((parsed, false))
}

/// [`read_upload`] with the old wards the rows named (what the commit records).
async fn read_and_check(
    db: &impl ConnectionTrait,
    cache: &ParsedUploads,
    upload: &pending_upload::Model,
    campaign: &campaign::Model,
    scope: &UnitScope,
) -> AppResult<(ParsedList, FormerWards)> {
    let (read, _) = parsed_upload(db, cache, upload, campaign).await?;
    check_parsed(db, read, upload, campaign, scope).await
}

/// Checks the rows as read against the campaign.
async fn check_parsed(
    db: &impl ConnectionTrait,
    read: Arc<ParsedList>,
    upload: &pending_upload::Model,
    campaign: &campaign::Model,
    scope: &UnitScope,
) -> AppResult<(ParsedList, FormerWards)> {
    // The checks change the rows: they work on a copy, the kept parse stays as read.
    let mut parsed = Arc::unwrap_or_clone(read);
    let ward = chosen_ward(db, upload).await?;
    let former = check_against_campaign(db, campaign, &mut parsed, ward.as_ref(), scope).await?;
    Ok((parsed, former))
}

/// Commits a previewed upload into the campaign's lists and deletes it.
pub async fn commit_upload<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    cache: &ParsedUploads,
    actor: &Actor,
    upload: &pending_upload::Model,
    campaign: &campaign::Model,
    scope: &UnitScope,
) -> AppResult<Vec<WardCommit>> {
    let (parsed, former) = read_and_check(db, cache, upload, campaign, scope).await?;
    let committed = commit_import(
        db,
        actor,
        campaign,
        &parsed,
        &former,
        FileMeta {
            file_name: &upload.file_name,
            sha256: &upload.sha256,
            size_bytes: upload.size_bytes,
        },
    )
    .await?;
    delete_upload(db, &upload.id).await?;
    cache.forget(&upload.id);
    Ok(committed)
}
