//! Campaigns (one Tết each): who may see them, which unit runs a new one, creating it, and
//! moving it through open, locked and closed. The page, the API and the command line call
//! these functions and nothing else, so they cannot disagree on any of it.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionSession, TransactionTrait,
};

use crate::db::write_txn::begin_write;
use crate::domain::approvers::may_run;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::operator::Operator;
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, display_name, find_unit_on, valid_in_year, valid_on};
use crate::entities::states::{CampaignStatus, FundingSource, Role, UnitLevel};
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
        UnitScope::Units(_) | UnitScope::UnitsInSectors(..) => {
            let units = all_units(db).await?;
            let visible = scope.campaign_units(&units, user.unit_id);
            query.filter(campaign::Column::UnitId.is_in(visible))
        }
    };
    query.all(db).await
}

/// A campaign by slug, refused (403) when the operator may not see it (see
/// [`UnitScope::sees_campaign_of`]).
pub async fn visible_campaign(
    db: &impl ConnectionTrait,
    operator: &Operator,
    slug: &str,
) -> AppResult<campaign::Model> {
    let found = find_campaign(db, slug).await?;
    // Most callers serve the campaign's unit: only the others need the unit tree.
    if operator.scope.allows(found.unit_id)
        || operator.scope.sees_campaign_of(
            &all_units(db).await?,
            operator.actor.unit_id,
            found.unit_id,
        )
    {
        Ok(found)
    } else {
        Err(AppError::outside_scope())
    }
}

/// The unit someone asks to run a new campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestedUnit {
    /// By id (the API).
    Id(i32),
    /// By name or code, in any case, with or without diacritics (the command line).
    Named(String),
}

/// What is needed to create a campaign.
pub struct NewCampaign {
    /// The Gregorian year of the Tết (2021 for Tết Tân Sửu).
    pub year: i32,
    /// A title; defaults to "Tết Nguyên đán <Can Chi> <year>".
    pub title: Option<String>,
    /// The unit asked to run it; `None` lets [`unit_for_new_campaign`] choose.
    pub unit: Option<RequestedUnit>,
}

/// The unit that runs a new campaign of `year`: the unit asked for; else the operator's own
/// unit; else (an administrator or the command line, who serve no unit) the only district
/// that exists in that year, or else the city. A city or a district runs a campaign for all
/// its wards; a ward runs one for its own program (a sponsor's gift), approved by its leader.
/// Only an administrator or a supervising account that may run the unit's campaigns
/// (`domain::approvers::may_run`: its own unit, or a city's or district's below it) creates
/// one, so a city reviewer cannot start a ward's program and a ward's leader only their
/// ward's.
pub async fn unit_for_new_campaign(
    db: &impl ConnectionTrait,
    operator: &Operator,
    year: i32,
    requested: Option<&RequestedUnit>,
) -> AppResult<unit::Model> {
    operator.require_role(&[Role::Admin, Role::District])?;
    let units = all_units(db).await?;
    let by_id = |id: i32| units.iter().find(|u| u.id == id);
    let tet = chamlo_sheets::population_match::tet_date(year);
    let chosen = match (requested, operator.actor.unit_id) {
        (Some(RequestedUnit::Id(id)), _) => by_id(*id),
        (Some(RequestedUnit::Named(text)), _) => {
            find_unit_on(&units, UnitLevel::District, text, tet)
                .or_else(|| find_unit_on(&units, UnitLevel::City, text, tet))
                .or_else(|| find_unit_on(&units, UnitLevel::Ward, text, tet))
        }
        (None, Some(own)) => by_id(own),
        (None, None) => default_runner(&units, year),
    };
    let Some(chosen) = chosen else {
        return Err(match requested {
            Some(RequestedUnit::Named(text)) => AppError::Invalid(format!(
                "Không có thành phố, quận hay phường nào tên “{}”.",
                text.trim()
            )),
            Some(RequestedUnit::Id(_)) => {
                AppError::Invalid("Không tìm thấy đơn vị tổ chức đợt quà.".into())
            }
            None => AppError::Invalid(format!(
                "Chưa có quận hoặc thành phố nào trong năm {year} để tổ chức đợt quà."
            )),
        });
    };
    if chosen.level == UnitLevel::Ward && !valid_on(chosen, tet) {
        return Err(AppError::Invalid(format!(
            "{} không còn tồn tại vào Tết năm {year}: hãy chọn phường hiện hành.",
            display_name(chosen)
        )));
    }
    operator.scope.ensure(chosen.id)?;
    if !may_run(operator, chosen) {
        return Err(AppError::Forbidden(format!(
            "Chỉ lãnh đạo UBND {} hoặc quản trị viên mới tạo được đợt quà riêng của phường.",
            display_name(chosen).to_lowercase()
        )));
    }
    Ok(chosen.clone())
}

/// The units an operator may choose to run a new campaign (see [`unit_for_new_campaign`]):
/// the cities and districts, then the wards, that exist on `day` and that the operator may
/// run. For the creation form, which offers today's units.
pub fn units_for_new_campaign<'a>(
    operator: &Operator,
    units: &'a [unit::Model],
    day: chrono::NaiveDate,
) -> Vec<&'a unit::Model> {
    if !matches!(operator.role, Role::Admin | Role::District) {
        return Vec::new();
    }
    let tet = day;
    let mut offered: Vec<&unit::Model> = units
        .iter()
        .filter(|u| valid_on(u, tet) && operator.scope.allows(u.id) && may_run(operator, u))
        .collect();
    offered.sort_by_key(|u| {
        (
            match u.level {
                UnitLevel::City => 0,
                UnitLevel::District => 1,
                UnitLevel::Ward => 2,
            },
            crate::vn::text::fold_key(&u.name),
        )
    });
    offered
}

/// Who runs a campaign when nobody says: the only district that exists in `year`, else the
/// city (the top unit) that exists then.
fn default_runner(units: &[unit::Model], year: i32) -> Option<&unit::Model> {
    let current = |level: UnitLevel| {
        units
            .iter()
            .filter(move |u| u.level == level && valid_in_year(u, year))
    };
    let districts: Vec<&unit::Model> = current(UnitLevel::District).collect();
    match districts.as_slice() {
        [only] => Some(*only),
        _ => current(UnitLevel::City).find(|u| u.parent_id.is_none()),
    }
}

/// Creates a campaign with its lunar name and one default program "Quà Tết <lunar year>"
/// that takes the amounts typed in the wards' files, so a ward can import and print before
/// anyone configures programs. The slug is `tet-<year>`, with a suffix when taken. The unit
/// that runs it is [`unit_for_new_campaign`]'s choice.
pub async fn create_campaign<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    new: NewCampaign,
) -> AppResult<campaign::Model> {
    let unit = unit_for_new_campaign(db, operator, new.year, new.unit.as_ref()).await?;
    if !(1900..=2200).contains(&new.year) {
        return Err(AppError::Invalid(format!(
            "Năm {} không hợp lệ: hãy nhập năm dương lịch của Tết, ví dụ 2026.",
            new.year
        )));
    }
    let actor = &operator.actor;
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

/// Moves a campaign to the status `status` names (open, locked or closed), audited; only supervising staff of its unit
/// (or above) and administrators may. A locked or closed campaign takes no imports or list
/// changes.
pub async fn set_campaign_status(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    status: &str,
) -> AppResult<campaign::Model> {
    operator.ensure_manages(campaign)?;
    let status = CampaignStatus::parse(status).ok_or_else(|| {
        AppError::Invalid(format!("Trạng thái “{}” không hợp lệ.", status.trim()))
    })?;
    let actor = &operator.actor;
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

/// The first day of the campaign's Tết (6 February 2027 for the 2027 campaign): the day whose
/// units the campaign works with, so a list naming a ward that ended before it goes to the
/// ward that holds its people that day.
pub fn tet_day(campaign: &campaign::Model) -> chrono::NaiveDate {
    chamlo_sheets::population_match::tet_date(campaign.year)
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
