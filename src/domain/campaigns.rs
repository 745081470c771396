//! Campaigns (one Tết each) and who may see them.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionSession, TransactionTrait,
};

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, ancestry};
use crate::entities::states::{CampaignStatus, FundingSource, UnitLevel};
use crate::entities::{campaign, gift_program, unit, user};
use crate::error::{AppError, AppResult};
use crate::vn::lunar::{campaign_slug, can_chi, lunar_year_label, tet_title};

/// The campaigns a user may see, newest first: all for an administrator; otherwise those run
/// by a unit the user serves or by a unit above it (a ward officer sees their district's).
pub async fn visible_campaigns(
    db: &impl ConnectionTrait,
    user: &user::Model,
    scope: &UnitScope,
) -> Result<Vec<campaign::Model>, DbErr> {
    let query = campaign::Entity::find()
        .order_by_desc(campaign::Column::Year)
        .order_by_desc(campaign::Column::Id);
    let query = match scope {
        UnitScope::All => query,
        UnitScope::Units(ids) => {
            let mut visible = ids.clone();
            if let Some(unit_id) = user.unit_id {
                let units = all_units(db).await?;
                visible.extend(ancestry(&units, unit_id).iter().map(|unit| unit.id));
            }
            query.filter(campaign::Column::UnitId.is_in(visible))
        }
    };
    query.all(db).await
}

/// What is needed to create a campaign.
pub struct NewCampaign {
    /// The Gregorian year of the Tết (2021 for Tết Tân Sửu).
    pub year: i32,
    /// A title; defaults to "Tết Nguyên đán <Can Chi> <year>".
    pub title: Option<String>,
    /// The unit (district or city) running it.
    pub unit_id: i32,
}

/// Creates a campaign with its lunar name and one default program "Quà Tết <lunar year>"
/// that takes the amounts typed in the wards' files, so a ward can import and print before
/// anyone configures programs. The slug is `tet-<year>`, with a suffix when taken.
pub async fn create_campaign<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    new: NewCampaign,
) -> AppResult<campaign::Model> {
    if !(1900..=2200).contains(&new.year) {
        return Err(AppError::Invalid(format!(
            "Năm {} không hợp lệ: hãy nhập năm dương lịch của Tết, ví dụ 2026.",
            new.year
        )));
    }
    let unit = unit::Entity::find_by_id(new.unit_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Invalid("Không tìm thấy đơn vị tổ chức đợt quà.".into()))?;
    let txn = begin_write(db).await?;
    let base_slug = campaign_slug(new.year);
    let taken = campaign::Entity::find()
        .filter(campaign::Column::Slug.starts_with(&base_slug))
        .all(&txn)
        .await?;
    let slug = (1..)
        .map(|n| {
            if n == 1 {
                base_slug.clone()
            } else {
                format!("{base_slug}-{n}")
            }
        })
        .find(|candidate| taken.iter().all(|c| &c.slug != candidate))
        .unwrap_or(base_slug);
    let title = new
        .title
        .map(|t| crate::vn::text::collapse_spaces(&t))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| tet_title(new.year));
    let now = Utc::now();
    let created = campaign::ActiveModel {
        unit_id: Set(unit.id),
        year: Set(new.year),
        lunar_name: Set(can_chi(new.year)),
        title: Set(title),
        slug: Set(slug),
        status: Set(CampaignStatus::Open),
        previous_campaign_id: Set(None),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    gift_program::ActiveModel {
        campaign_id: Set(created.id),
        name: Set(format!("Quà Tết {}", lunar_year_label(new.year))),
        funding_source: Set(default_funding_source(unit.level)),
        sponsor_name: Set(None),
        goods_description: Set(None),
        goods_quantity: Set(None),
        one_per_person: Set(true),
        one_per_household: Set(false),
        use_file_amounts: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record::<(), _>(
        &txn,
        actor,
        AuditEvent {
            action: "campaign.create",
            entity_type: "campaign",
            entity_id: Some(created.id.to_string()),
            unit_id: Some(unit.id),
        },
        None,
        Some(&created),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// The budget a unit's own default program is paid from.
fn default_funding_source(level: UnitLevel) -> FundingSource {
    match level {
        UnitLevel::City => FundingSource::City,
        UnitLevel::District => FundingSource::District,
        UnitLevel::Ward => FundingSource::Ward,
    }
}

/// Finds a campaign by slug, refusing one the user may not see.
pub async fn find_campaign(db: &impl ConnectionTrait, slug: &str) -> AppResult<campaign::Model> {
    campaign::Entity::find()
        .filter(campaign::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Không tìm thấy đợt quà “{}”.", slug.trim())))
}

/// The campaign status a form or a request names (`open`, `locked`, `closed`), refused with
/// a message for the user otherwise.
pub fn parse_campaign_status(text: &str) -> AppResult<CampaignStatus> {
    CampaignStatus::parse(text)
        .ok_or_else(|| AppError::Invalid(format!("Trạng thái “{}” không hợp lệ.", text.trim())))
}

/// Moves a campaign to open, locked or closed, audited. A locked or closed campaign takes no
/// imports or list changes.
pub async fn set_campaign_status(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign: &campaign::Model,
    status: CampaignStatus,
) -> AppResult<campaign::Model> {
    let mut active: campaign::ActiveModel = campaign.clone().into();
    active.status = Set(status);
    let updated = active.update(db).await?;
    audit::record(
        db,
        actor,
        AuditEvent {
            action: "campaign.status",
            entity_type: "campaign",
            entity_id: Some(campaign.id.to_string()),
            unit_id: Some(campaign.unit_id),
        },
        Some(campaign),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}

/// Refuses changes to a campaign that is locked or closed.
pub fn ensure_campaign_open(campaign: &campaign::Model) -> AppResult<()> {
    if campaign.status == CampaignStatus::Open {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "Đợt quà “{}” đã khóa hoặc đã kết thúc: không thể thay đổi danh sách.",
            campaign.title
        )))
    }
}
