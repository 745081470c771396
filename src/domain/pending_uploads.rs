//! Uploaded ward files between the preview and the commit. The bytes are kept in the
//! `pending_uploads` table (any app server can show the preview or commit it) and read again
//! for every preview, so what is committed is exactly what was previewed. Rows go away on
//! commit, on discard, or a day after the upload.

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
use crate::import::{KnownWard, ParsedList, read_ward_file};

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

/// Reads the stored file (off the async runtime) and checks it against the campaign: the
/// preview, and the very same rows the commit stores.
pub async fn read_upload(
    db: &impl ConnectionTrait,
    upload: &pending_upload::Model,
    campaign: &campaign::Model,
    scope: &UnitScope,
) -> AppResult<ParsedList> {
    Ok(read_and_check(db, upload, campaign, scope).await?.0)
}

/// [`read_upload`] with the old wards the rows named (what the commit records).
async fn read_and_check(
    db: &impl ConnectionTrait,
    upload: &pending_upload::Model,
    campaign: &campaign::Model,
    scope: &UnitScope,
) -> AppResult<(ParsedList, FormerWards)> {
    let year = if campaign.year > 0 {
        campaign.year
    } else {
        Utc::now().year()
    };
    let setup = load_import_setup(db, year).await?;
    let name = upload.file_name.clone();
    let bytes = upload.bytes.clone();
    let context = setup.context;
    let mut parsed = tokio::task::spawn_blocking(move || read_ward_file(&name, &bytes, &context))
        .await
        .map_err(|err| AppError::Other(anyhow::anyhow!("import reader stopped: {err}")))?
        .map_err(|err| AppError::Invalid(err.to_string()))?;
    let ward = chosen_ward(db, upload).await?;
    let former = check_against_campaign(db, campaign, &mut parsed, ward.as_ref(), scope).await?;
    Ok((parsed, former))
}

/// Commits a previewed upload into the campaign's lists and deletes it.
pub async fn commit_upload<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    upload: &pending_upload::Model,
    campaign: &campaign::Model,
    scope: &UnitScope,
) -> AppResult<Vec<WardCommit>> {
    let (parsed, former) = read_and_check(db, upload, campaign, scope).await?;
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
    Ok(committed)
}
