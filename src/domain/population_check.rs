//! Checking a ward's list against the resident extract of its police (issue 18, DOMAIN.md
//! "Population data"): storing the extract only as long as the check needs it, raising the
//! flags the pure matcher (`chamlo_sheets::population_match`) finds, resolving them, the
//! submit gate and the per-ward report.
//!
//! The extract is personal data of every resident: it is stored as parsed residents (never
//! the file), never exported, deleted when the list is approved or 7 days after the upload
//! (whichever first, by [`sweep_expired_extracts`] at startup and every hour and by
//! [`delete_extract`] on approval); its upload and its deletion are audited with counts only.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::operator::Operator;
use crate::domain::ward_lists::ensure_status_editable;
use crate::entities::states::{EntryStatus, PersonStatus, Role, UnitLevel};
use crate::entities::{
    campaign, entry, household, person, population_check, population_extract, population_flag,
    unit, ward_list,
};
use crate::error::{AppError, AppResult};
use crate::import::extract::{Resident, read_resident_extract};
use crate::vn::text::name_key;
use chamlo_sheets::population_match::{
    CheckContext, CheckCounts, Correction, FlagKind, FlagWeight, ListedHousehold, ListedPerson,
    count, match_list, tet_date,
};

/// How long an extract is kept when the list is not approved sooner.
pub const KEEP_DAYS: i64 = 7;

/// Who may upload an extract and resolve flags: the ward, and the district for its wards.
const CHECKERS: &[Role] = &[Role::Admin, Role::District, Role::Ward];

/// One flag as the page, the API and `chamlo verify` show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlagView {
    /// The flag's id (0 when the check was not stored, as with `chamlo verify`).
    pub id: i32,
    /// The entry (gift) flagged.
    pub entry_id: i32,
    /// The recipient's name on the list.
    pub full_name: String,
    /// `id_not_found`, `name_differs`, `name_diacritics`, `birth_year_differs`,
    /// `gender_differs`, `deceased`, `moved_away`, `other_ward` or `household_differs`.
    pub kind: String,
    /// The kind in Vietnamese.
    pub kind_label: String,
    /// `stop` (blocks the list), `check` or `note`.
    pub weight: String,
    /// The evidence from the extract.
    pub detail: String,
    /// Whether "correct from the extract" can apply.
    pub correctable: bool,
    /// `keep`, `correct` or `remove` once resolved.
    pub resolution: Option<String>,
    /// The reason given when kept.
    pub reason: Option<String>,
}

impl FlagView {
    fn from_row(f: &population_flag::Model) -> Self {
        Self {
            id: f.id,
            entry_id: f.entry_id,
            full_name: f.full_name.clone(),
            kind: f.kind.clone(),
            kind_label: FlagKind::parse(&f.kind).map_or(f.kind.clone(), |k| k.label().to_owned()),
            weight: f.weight.clone(),
            detail: f.detail.clone(),
            correctable: f.correction_json.is_some(),
            resolution: f.resolution.clone(),
            reason: f.reason.clone(),
        }
    }

    /// Whether this flag still holds the list back.
    pub fn is_open_stop(&self) -> bool {
        self.weight == "stop" && self.resolution.is_none()
    }
}

/// A check's outcome: its counts and its flags.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckOutcome {
    /// Entries checked.
    pub checked: usize,
    /// Found in the extract by ID.
    pub matched: usize,
    /// Found by name and birth year alone.
    pub probable: usize,
    /// The flags, by recipient.
    pub flags: Vec<FlagView>,
}

/// The ward's check as its page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WardCheck {
    /// The latest counts, when the list was ever checked.
    pub counts: Option<CheckCountsView>,
    /// Whether an extract is stored, and until when (Vietnam time, dd/mm/yyyy hh:mm).
    pub extract_until: Option<String>,
    /// Residents in the stored extract.
    pub extract_residents: Option<i32>,
    /// The flags, unresolved first.
    pub flags: Vec<FlagView>,
    /// Unresolved stop flags: the list cannot be submitted while this is not 0.
    pub open_stops: usize,
    /// Unresolved flags of any weight.
    pub open: usize,
}

/// Stored counts of a check.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckCountsView {
    /// Entries checked.
    pub checked: i32,
    /// Found by ID.
    pub matched: i32,
    /// Found by name alone.
    pub probable: i32,
}

/// The ward a check is for, with its Tết: the same for the page and the CLI.
async fn check_context(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    ward_id: i32,
) -> AppResult<CheckContext> {
    let ward = unit::Entity::find_by_id(ward_id)
        .filter(unit::Column::Level.eq(UnitLevel::Ward))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy phường này.".into()))?;
    Ok(CheckContext {
        ward_name: ward.name,
        tet: tet_date(campaign.year),
    })
}

/// The list of the ward in the campaign, or a message saying to import it first.
async fn ward_list(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    ward_id: i32,
) -> AppResult<ward_list::Model> {
    crate::domain::list_entries::ward_list_of(db, campaign_id, ward_id)
        .await?
        .ok_or_else(|| {
            AppError::Invalid(
                "Phường này chưa có danh sách trong đợt quà: hãy nhập danh sách trước khi đối chiếu."
                    .into(),
            )
        })
}

/// The people of a list as the matcher takes them, with each entry's person id.
async fn listed_people(
    db: &impl ConnectionTrait,
    list_id: i32,
) -> AppResult<Vec<(ListedPerson, i32)>> {
    let entries = entry::Entity::find()
        .filter(entry::Column::WardListId.eq(list_id))
        .order_by_asc(entry::Column::Id)
        .all(db)
        .await?;
    let mut person_ids: Vec<i32> = entries.iter().map(|e| e.person_id).collect();
    let household_ids: Vec<i32> = entries.iter().filter_map(|e| e.household_id).collect();
    let households: HashMap<i32, household::Model> = household::Entity::find()
        .filter(household::Column::Id.is_in(household_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    person_ids.extend(households.values().filter_map(|h| h.head_person_id));
    person_ids.sort_unstable();
    person_ids.dedup();
    let mut people = HashMap::new();
    for chunk in person_ids.chunks(500) {
        for p in person::Entity::find()
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            people.insert(p.id, p);
        }
    }
    Ok(entries
        .iter()
        .filter_map(|e| {
            let p = people.get(&e.person_id)?;
            let household =
                e.household_id
                    .and_then(|id| households.get(&id))
                    .map(|h| ListedHousehold {
                        head_name: h
                            .head_person_id
                            .and_then(|id| people.get(&id))
                            .map(|head| head.full_name.clone()),
                        size: h.size,
                    });
            Some((
                ListedPerson {
                    entry_id: e.id,
                    full_name: p.full_name.clone(),
                    birth_year: p.birth_year,
                    gender: p.gender,
                    national_id: p.national_id.clone(),
                    address: p.address.clone(),
                    khu_pho: p.khu_pho.clone(),
                    household,
                },
                p.id,
            ))
        })
        .collect())
}

/// Reads an extract's bytes, or a Vietnamese message saying what to do.
pub fn read_extract(bytes: &[u8]) -> AppResult<Vec<Resident>> {
    let extract = read_resident_extract(bytes).map_err(|e| AppError::Invalid(e.to_string()))?;
    if extract.residents.is_empty() {
        return Err(AppError::Invalid(
            "Tệp trích xuất không có người nào dưới dòng tiêu đề (cần họ tên và ngày sinh hoặc số định danh). Hãy kiểm tra lại tệp công an phường cung cấp."
                .into(),
        ));
    }
    Ok(extract.residents)
}

/// Checks a list against residents without storing anything: `chamlo verify`.
pub async fn verify_list(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
    residents: &[Resident],
) -> AppResult<CheckOutcome> {
    operator.require_role(CHECKERS)?;
    operator.scope.ensure(ward_id)?;
    let ctx = check_context(db, campaign, ward_id).await?;
    let list = ward_list(db, campaign.id, ward_id).await?;
    let listed = listed_people(db, list.id).await?;
    let people: Vec<ListedPerson> = listed.iter().map(|(p, _)| p.clone()).collect();
    let verdicts = match_list(&people, residents, &ctx);
    let CheckCounts {
        checked,
        matched,
        probable,
    } = count(&verdicts);
    let names: HashMap<i32, &str> = people
        .iter()
        .map(|p| (p.entry_id, p.full_name.as_str()))
        .collect();
    let flags = verdicts
        .iter()
        .flat_map(|v| {
            v.flags.iter().map(|f| FlagView {
                id: 0,
                entry_id: v.entry_id,
                full_name: names.get(&v.entry_id).copied().unwrap_or("").to_owned(),
                kind: f.kind.as_str().to_owned(),
                kind_label: f.kind.label().to_owned(),
                weight: weight_str(f.weight).to_owned(),
                detail: f.detail.clone(),
                correctable: f.correction.is_some(),
                resolution: None,
                reason: None,
            })
        })
        .collect();
    audit::record_action(
        db,
        &operator.actor,
        AuditEvent {
            action: "population.verify",
            entity_type: "ward_list",
            entity_id: Some(list.id.to_string()),
            unit_id: Some(ward_id),
        },
    )
    .await?;
    Ok(CheckOutcome {
        checked,
        matched,
        probable,
        flags,
    })
}

fn weight_str(w: FlagWeight) -> &'static str {
    match w {
        FlagWeight::Stop => "stop",
        FlagWeight::Check => "check",
        FlagWeight::Note => "note",
    }
}

/// Stores a ward's extract (replacing an earlier one) and checks the list against it, in one
/// transaction; audited with the number of residents, never their data.
pub async fn upload_extract<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<CheckOutcome> {
    operator.require_role(CHECKERS)?;
    operator.scope.ensure(ward_id)?;
    // Reading a workbook is CPU work: off the async workers.
    let owned = bytes.to_vec();
    let residents = tokio::task::spawn_blocking(move || read_extract(&owned))
        .await
        .map_err(|e| AppError::Other(anyhow::anyhow!("the extract reader stopped: {e}")))??;
    let list = ward_list(db, campaign.id, ward_id).await?;
    ensure_status_editable(&list)?;
    let json = serde_json::to_string(&residents)
        .map_err(|e| AppError::Other(anyhow::anyhow!("extract json: {e}")))?;
    let txn = begin_write(db).await?;
    population_extract::Entity::delete_many()
        .filter(population_extract::Column::CampaignId.eq(campaign.id))
        .filter(population_extract::Column::WardId.eq(ward_id))
        .exec(&txn)
        .await?;
    let now = Utc::now();
    let stored = population_extract::ActiveModel {
        campaign_id: Set(campaign.id),
        ward_id: Set(ward_id),
        file_name: Set(crate::vn::text::normalize(file_name)
            .chars()
            .take(200)
            .collect()),
        uploaded_by: Set(operator.actor.user_id),
        resident_count: Set(i32::try_from(residents.len()).unwrap_or(i32::MAX)),
        residents_json: Set(json),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(KEEP_DAYS)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "population.extract_upload",
            entity_type: "population_extract",
            entity_id: Some(stored.id.to_string()),
            unit_id: Some(ward_id),
        },
        None,
        Some(&serde_json::json!({
            "file_name": stored.file_name,
            "residents": stored.resident_count,
            "expires_at": stored.expires_at,
        })),
    )
    .await?;
    let outcome = run_check(&txn, operator, campaign, ward_id, &list, &residents).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Checks the list again against the stored extract (after the list changed).
pub async fn recheck<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
) -> AppResult<CheckOutcome> {
    operator.require_role(CHECKERS)?;
    operator.scope.ensure(ward_id)?;
    let list = ward_list(db, campaign.id, ward_id).await?;
    ensure_status_editable(&list)?;
    let stored = stored_extract(db, campaign.id, ward_id).await?.ok_or_else(|| {
        AppError::Invalid(
            "Chưa có dữ liệu dân cư (hoặc đã bị xóa sau 7 ngày hay khi duyệt): hãy tải tệp trích xuất lên lại."
                .into(),
        )
    })?;
    let residents: Vec<Resident> = serde_json::from_str(&stored.residents_json)
        .map_err(|e| AppError::Other(anyhow::anyhow!("stored extract: {e}")))?;
    let txn = begin_write(db).await?;
    let outcome = run_check(&txn, operator, campaign, ward_id, &list, &residents).await?;
    txn.commit().await?;
    Ok(outcome)
}

async fn stored_extract(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    ward_id: i32,
) -> AppResult<Option<population_extract::Model>> {
    Ok(population_extract::Entity::find()
        .filter(population_extract::Column::CampaignId.eq(campaign_id))
        .filter(population_extract::Column::WardId.eq(ward_id))
        .filter(population_extract::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?)
}

/// Matches and stores the flags: unresolved flags are replaced, resolved ones stay (and the
/// same flag on the same entry is not raised again).
async fn run_check(
    txn: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
    list: &ward_list::Model,
    residents: &[Resident],
) -> AppResult<CheckOutcome> {
    let ctx = check_context(txn, campaign, ward_id).await?;
    let listed = listed_people(txn, list.id).await?;
    let person_of: HashMap<i32, (i32, String)> = listed
        .iter()
        .map(|(p, person_id)| (p.entry_id, (*person_id, p.full_name.clone())))
        .collect();
    let people: Vec<ListedPerson> = listed.into_iter().map(|(p, _)| p).collect();
    let verdicts = match_list(&people, residents, &ctx);
    let counts = count(&verdicts);
    population_flag::Entity::delete_many()
        .filter(population_flag::Column::CampaignId.eq(campaign.id))
        .filter(population_flag::Column::WardId.eq(ward_id))
        .filter(population_flag::Column::Resolution.is_null())
        .exec(txn)
        .await?;
    let resolved: Vec<(i32, String)> = population_flag::Entity::find()
        .filter(population_flag::Column::CampaignId.eq(campaign.id))
        .filter(population_flag::Column::WardId.eq(ward_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|f| (f.entry_id, f.kind))
        .collect();
    let now = Utc::now();
    for v in &verdicts {
        let Some((person_id, full_name)) = person_of.get(&v.entry_id) else {
            continue;
        };
        for f in &v.flags {
            if resolved
                .iter()
                .any(|(e, k)| *e == v.entry_id && k == f.kind.as_str())
            {
                continue;
            }
            population_flag::ActiveModel {
                campaign_id: Set(campaign.id),
                ward_id: Set(ward_id),
                entry_id: Set(v.entry_id),
                person_id: Set(*person_id),
                full_name: Set(full_name.clone()),
                kind: Set(f.kind.as_str().to_owned()),
                weight: Set(weight_str(f.weight).to_owned()),
                detail: Set(f.detail.clone()),
                correction_json: Set(f
                    .correction
                    .as_ref()
                    .and_then(|c| serde_json::to_string(c).ok())),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    population_check::Entity::delete_many()
        .filter(population_check::Column::CampaignId.eq(campaign.id))
        .filter(population_check::Column::WardId.eq(ward_id))
        .exec(txn)
        .await?;
    let as_i32 = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    population_check::ActiveModel {
        campaign_id: Set(campaign.id),
        ward_id: Set(ward_id),
        checked: Set(as_i32(counts.checked)),
        matched: Set(as_i32(counts.matched)),
        probable: Set(as_i32(counts.probable)),
        checked_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let flags = ward_flags(txn, campaign.id, ward_id).await?;
    audit::record::<(), _>(
        txn,
        &operator.actor,
        AuditEvent {
            action: "population.check",
            entity_type: "ward_list",
            entity_id: Some(list.id.to_string()),
            unit_id: Some(ward_id),
        },
        None,
        Some(&serde_json::json!({
            "checked": counts.checked,
            "matched": counts.matched,
            "probable": counts.probable,
            "flags": flags.len(),
        })),
    )
    .await?;
    Ok(CheckOutcome {
        checked: counts.checked,
        matched: counts.matched,
        probable: counts.probable,
        flags,
    })
}

async fn ward_flags(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    ward_id: i32,
) -> AppResult<Vec<FlagView>> {
    let mut flags: Vec<FlagView> = population_flag::Entity::find()
        .filter(population_flag::Column::CampaignId.eq(campaign_id))
        .filter(population_flag::Column::WardId.eq(ward_id))
        .order_by_asc(population_flag::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(FlagView::from_row)
        .collect();
    // Open stops first, then the other open flags, then the resolved ones.
    flags.sort_by_key(|f| (f.resolution.is_some(), !f.is_open_stop()));
    Ok(flags)
}

/// The ward's check for its page: counts, whether an extract is kept, the flags.
pub async fn ward_check(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
) -> AppResult<WardCheck> {
    operator.scope.ensure(ward_id)?;
    let counts = population_check::Entity::find()
        .filter(population_check::Column::CampaignId.eq(campaign.id))
        .filter(population_check::Column::WardId.eq(ward_id))
        .one(db)
        .await?
        .map(|c| CheckCountsView {
            checked: c.checked,
            matched: c.matched,
            probable: c.probable,
        });
    let extract = stored_extract(db, campaign.id, ward_id).await?;
    let flags = ward_flags(db, campaign.id, ward_id).await?;
    Ok(WardCheck {
        counts,
        extract_until: extract.as_ref().map(|x| {
            (x.expires_at + Duration::hours(7))
                .format("%d/%m/%Y %H:%M")
                .to_string()
        }),
        extract_residents: extract.map(|x| x.resident_count),
        open_stops: flags.iter().filter(|f| f.is_open_stop()).count(),
        open: flags.iter().filter(|f| f.resolution.is_none()).count(),
        flags,
    })
}

/// How a flag is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Keep the entry as it is, for this reason.
    Keep(String),
    /// Copy the extract's values onto the person.
    Correct,
    /// Remove the gift; the person is marked deceased or moved (for those flags).
    Remove,
}

impl Resolution {
    /// Parses `keep` (with its reason), `correct` or `remove`.
    pub fn parse(action: &str, reason: Option<&str>) -> AppResult<Self> {
        match action.trim() {
            "keep" => {
                let reason = reason.map(crate::vn::text::normalize).unwrap_or_default();
                if reason.is_empty() {
                    return Err(AppError::Invalid(
                        "Hãy ghi lý do giữ nguyên người này trong danh sách (ví dụ: đã xác minh tại nhà)."
                            .into(),
                    ));
                }
                Ok(Self::Keep(reason))
            }
            "correct" => Ok(Self::Correct),
            "remove" => Ok(Self::Remove),
            _ => Err(AppError::BadRequest(
                "Cách xử lý phải là keep, correct hoặc remove.".into(),
            )),
        }
    }

    fn as_str(&self) -> &'static str {
        match self {
            Self::Keep(_) => "keep",
            Self::Correct => "correct",
            Self::Remove => "remove",
        }
    }
}

/// Resolves one flag, in one transaction, audited with the flag before and after (and the
/// person or the entry changed).
pub async fn resolve_flag<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    flag_id: i32,
    resolution: Resolution,
) -> AppResult<FlagView> {
    operator.require_role(CHECKERS)?;
    let txn = begin_write(db).await?;
    let flag = population_flag::Entity::find_by_id(flag_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy cảnh báo này.".into()))?;
    operator.scope.ensure(flag.ward_id)?;
    if flag.resolution.is_some() {
        return Err(AppError::Invalid(
            "Cảnh báo này đã được xử lý; hãy tải lại trang.".into(),
        ));
    }
    let list = ward_list(&txn, flag.campaign_id, flag.ward_id).await?;
    crate::domain::ward_lists::ensure_list_editable(&txn, list.id).await?;
    let mut changed = serde_json::Value::Null;
    match &resolution {
        Resolution::Keep(_) => {}
        Resolution::Correct => {
            let correction: Correction = flag
                .correction_json
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
                .ok_or_else(|| {
                    AppError::Invalid(
                        "Cảnh báo này không có giá trị nào để sửa theo dữ liệu dân cư; hãy chọn giữ nguyên hoặc bỏ quà."
                            .into(),
                    )
                })?;
            let before = person::Entity::find_by_id(flag.person_id)
                .one(&txn)
                .await?
                .ok_or_else(|| AppError::NotFound("Không tìm thấy người này.".into()))?;
            let mut active: person::ActiveModel = before.clone().into();
            if let Some(name) = correction.full_name {
                active.name_key = Set(name_key(&name));
                active.full_name = Set(name);
            }
            if let Some(year) = correction.birth_year {
                active.birth_year = Set(Some(year));
                active.birth_date = Set(correction.birth_date.filter(|d| d.year() == year));
            }
            if let Some(g) = correction.gender {
                active.gender = Set(Some(g));
            }
            if let Some(id) = correction.national_id {
                active.national_id = Set(Some(id));
            }
            active.updated_at = Set(Utc::now());
            let after = active.update(&txn).await.map_err(|e| {
                AppError::on_unique_violation(
                    e,
                    "Số định danh trong dữ liệu dân cư đã thuộc về một người khác trong hệ thống; hãy kiểm tra lại trước khi sửa.",
                )
            })?;
            audit::record(
                &txn,
                &operator.actor,
                AuditEvent {
                    action: "person.update",
                    entity_type: "person",
                    entity_id: Some(after.id.to_string()),
                    unit_id: Some(after.ward_id),
                },
                Some(&before),
                Some(&after),
            )
            .await?;
            changed = serde_json::json!({ "person_id": after.id });
        }
        Resolution::Remove => {
            let gift = entry::Entity::find_by_id(flag.entry_id)
                .one(&txn)
                .await?
                .ok_or_else(|| {
                    AppError::Invalid("Mục quà này đã được bỏ khỏi danh sách.".into())
                })?;
            if gift.status != EntryStatus::Pending {
                return Err(AppError::Invalid(
                    "Quà này đã được ghi nhận cấp phát; hãy hoàn tác trước khi bỏ.".into(),
                ));
            }
            entry::Entity::delete_by_id(gift.id).exec(&txn).await?;
            let status = match FlagKind::parse(&flag.kind) {
                Some(FlagKind::Deceased) => Some(PersonStatus::Deceased),
                Some(FlagKind::MovedAway | FlagKind::OtherWard) => Some(PersonStatus::Moved),
                _ => None,
            };
            if let Some(status) = status {
                person::Entity::update_many()
                    .col_expr(person::Column::Status, Expr::value(status))
                    .col_expr(person::Column::UpdatedAt, Expr::value(Utc::now()))
                    .filter(person::Column::Id.eq(flag.person_id))
                    .exec(&txn)
                    .await?;
            }
            // The person's other flags on this gift go with it.
            population_flag::Entity::update_many()
                .col_expr(population_flag::Column::Resolution, Expr::value("remove"))
                .col_expr(
                    population_flag::Column::ResolvedBy,
                    Expr::value(operator.actor.user_id),
                )
                .col_expr(population_flag::Column::ResolvedAt, Expr::value(Utc::now()))
                .filter(population_flag::Column::EntryId.eq(flag.entry_id))
                .filter(population_flag::Column::Id.ne(flag.id))
                .filter(population_flag::Column::Resolution.is_null())
                .exec(&txn)
                .await?;
            audit::record::<_, ()>(
                &txn,
                &operator.actor,
                AuditEvent {
                    action: "entry.remove",
                    entity_type: "entry",
                    entity_id: Some(gift.id.to_string()),
                    unit_id: Some(gift.ward_id),
                },
                Some(&gift),
                None,
            )
            .await?;
            changed = serde_json::json!({ "entry_id": gift.id, "person_status": status.map(PersonStatus::as_str) });
        }
    }
    let mut active: population_flag::ActiveModel = flag.clone().into();
    active.resolution = Set(Some(resolution.as_str().to_owned()));
    active.reason = Set(match &resolution {
        Resolution::Keep(reason) => Some(reason.clone()),
        _ => None,
    });
    active.resolved_by = Set(operator.actor.user_id);
    active.resolved_at = Set(Some(Utc::now()));
    let updated = active.update(&txn).await?;
    audit::record(
        &txn,
        &operator.actor,
        AuditEvent {
            action: &format!("population.flag_{}", resolution.as_str()),
            entity_type: "population_flag",
            entity_id: Some(flag.id.to_string()),
            unit_id: Some(flag.ward_id),
        },
        Some(&flag),
        Some(&serde_json::json!({ "flag": &updated, "changed": changed })),
    )
    .await?;
    txn.commit().await?;
    Ok(FlagView::from_row(&updated))
}

/// Unresolved stop flags on a ward's list: the submit gate of `ward_lists::transition_list`
/// and the count the district sees before approving.
pub async fn open_stop_count(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    ward_id: i32,
) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(population_flag::Entity::find()
        .filter(population_flag::Column::CampaignId.eq(campaign_id))
        .filter(population_flag::Column::WardId.eq(ward_id))
        .filter(population_flag::Column::Weight.eq("stop"))
        .filter(population_flag::Column::Resolution.is_null())
        .count(db)
        .await?)
}

/// Refuses to submit a list while a stop flag (a death before Tết) is unresolved.
pub async fn ensure_no_open_stops(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    ward_id: i32,
) -> AppResult<()> {
    let open = open_stop_count(db, campaign_id, ward_id).await?;
    if open > 0 {
        return Err(AppError::Invalid(format!(
            "Còn {open} người được dữ liệu dân cư ghi là đã chết trước Tết mà chưa xử lý: hãy mở trang “Đối chiếu dữ liệu dân cư” và xử lý từng người trước khi gửi danh sách."
        )));
    }
    Ok(())
}

/// Deletes a ward's extract (on approval), audited; nothing when none is stored.
pub async fn delete_extract(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: i32,
    ward_id: i32,
    why: &str,
) -> AppResult<()> {
    let found = population_extract::Entity::find()
        .filter(population_extract::Column::CampaignId.eq(campaign_id))
        .filter(population_extract::Column::WardId.eq(ward_id))
        .all(db)
        .await?;
    for x in found {
        erase(db, actor, &x, why).await?;
    }
    Ok(())
}

async fn erase(
    db: &impl ConnectionTrait,
    actor: &Actor,
    x: &population_extract::Model,
    why: &str,
) -> AppResult<()> {
    population_extract::Entity::delete_by_id(x.id)
        .exec(db)
        .await?;
    audit::record::<(), _>(
        db,
        actor,
        AuditEvent {
            action: "population.extract_delete",
            entity_type: "population_extract",
            entity_id: Some(x.id.to_string()),
            unit_id: Some(x.ward_id),
        },
        None,
        Some(&serde_json::json!({ "reason": why, "residents": x.resident_count })),
    )
    .await?;
    Ok(())
}

/// Deletes every extract kept past its 7 days, audited; returns how many went. Run at
/// startup and every hour by `chamlo serve`.
pub async fn sweep_expired_extracts(db: &impl ConnectionTrait) -> AppResult<usize> {
    let expired = population_extract::Entity::find()
        .filter(population_extract::Column::ExpiresAt.lte(Utc::now()))
        .all(db)
        .await?;
    let actor = Actor::system("hệ thống (xóa dữ liệu dân cư quá 7 ngày)");
    for x in &expired {
        erase(db, &actor, x, "expired").await?;
    }
    Ok(expired.len())
}

/// One ward's line of the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WardReportLine {
    /// The ward's id.
    pub ward_id: i32,
    /// The ward's name.
    pub ward_name: String,
    /// Entries checked.
    pub checked: i32,
    /// Found by ID.
    pub matched: i32,
    /// Found by name alone.
    pub probable: i32,
    /// Flags by kind (`deceased` → 2…), every kind present.
    pub flagged: BTreeMap<String, i64>,
    /// Flags resolved.
    pub resolved: i64,
    /// Flags still open.
    pub open: i64,
    /// Open stop flags.
    pub open_stops: i64,
}

impl WardReportLine {
    /// The flags of one kind (0 when none).
    pub fn count_of(&self, kind: impl AsRef<str>) -> i64 {
        self.flagged.get(kind.as_ref()).copied().unwrap_or(0)
    }
}

/// The report: per ward in the operator's units, the latest check's counts and its flags
/// by kind and resolved.
pub async fn campaign_report(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
) -> AppResult<Vec<WardReportLine>> {
    let checks = population_check::Entity::find()
        .filter(population_check::Column::CampaignId.eq(campaign.id))
        .filter(operator.scope.condition(population_check::Column::WardId))
        .all(db)
        .await?;
    let flags = population_flag::Entity::find()
        .filter(population_flag::Column::CampaignId.eq(campaign.id))
        .filter(operator.scope.condition(population_flag::Column::WardId))
        .all(db)
        .await?;
    let names: HashMap<i32, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(checks.iter().map(|c| c.ward_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut lines: Vec<WardReportLine> = checks
        .iter()
        .map(|c| {
            let mine = flags.iter().filter(|f| f.ward_id == c.ward_id);
            let mut flagged: BTreeMap<String, i64> = FlagKind::ALL
                .iter()
                .map(|k| (k.as_str().to_owned(), 0))
                .collect();
            let (mut resolved, mut open, mut open_stops) = (0, 0, 0);
            for f in mine {
                *flagged.entry(f.kind.clone()).or_default() += 1;
                if f.resolution.is_some() {
                    resolved += 1;
                } else {
                    open += 1;
                    if f.weight == "stop" {
                        open_stops += 1;
                    }
                }
            }
            WardReportLine {
                ward_id: c.ward_id,
                ward_name: names.get(&c.ward_id).cloned().unwrap_or_default(),
                checked: c.checked,
                matched: c.matched,
                probable: c.probable,
                flagged,
                resolved,
                open,
                open_stops,
            }
        })
        .collect();
    lines.sort_by(|a, b| a.ward_name.cmp(&b.ward_name));
    Ok(lines)
}
