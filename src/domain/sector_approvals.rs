//! Approving a ward list sector by sector. Under the two-tier government each city department
//! reviews its own sector (Sở Nội vụ merit, Sở Y tế social protection, …) in every ward, so a
//! reviewer limited to sectors approves *their part* of a submitted list: the sectors they
//! serve that the list holds. The list becomes approved (and locked) when every sector it
//! holds has been approved; until then it stays submitted and the ward cannot change it. A
//! sector reviewer may return the whole list (the ward corrects and sends it again), which
//! clears every part approved so far, as sending it again and reopening it do. Reopening an
//! approved list unlocks every sector at once, so only an administrator or a supervisor of
//! every sector may do it. `ward_lists::transition_list` calls these inside its transaction.

use std::collections::BTreeSet;

use chrono::Utc;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use crate::domain::operator::Operator;
use crate::entities::states::{ListStatus, Sector};
use crate::entities::{category, entry, list_sector_approval, ward_list};
use crate::error::{AppError, AppResult};

/// What a sector reviewer's approval did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorApproval {
    /// The sectors this approval recorded.
    pub approved_now: Vec<Sector>,
    /// The sectors the list holds that still wait for their reviewer.
    pub waiting: Vec<Sector>,
}

/// The sectors of the categories the list's entries are in.
pub async fn sectors_in_list(
    db: &impl ConnectionTrait,
    ward_list_id: i32,
) -> AppResult<BTreeSet<Sector>> {
    let sectors: Vec<Sector> = category::Entity::find()
        .select_only()
        .column(category::Column::Sector)
        .distinct()
        .filter(
            category::Column::Id.in_subquery(
                Query::select()
                    .column(entry::Column::CategoryId)
                    .from(entry::Entity)
                    .and_where(entry::Column::WardListId.eq(ward_list_id))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(sectors.into_iter().collect())
}

/// The sectors of the list approved so far.
pub async fn approved_sectors(
    db: &impl ConnectionTrait,
    ward_list_id: i32,
) -> AppResult<BTreeSet<Sector>> {
    Ok(list_sector_approval::Entity::find()
        .filter(list_sector_approval::Column::WardListId.eq(ward_list_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.sector)
        .collect())
}

/// Records the approval of `sectors` (the operator's) on the submitted `list`: the ones the
/// list holds and that were not approved yet. Refuses when the list holds none of them.
pub async fn approve_sectors(
    db: &impl ConnectionTrait,
    operator: &Operator,
    list: &ward_list::Model,
    sectors: &[Sector],
) -> AppResult<SectorApproval> {
    let held = sectors_in_list(db, list.id).await?;
    let mine: Vec<Sector> = sectors
        .iter()
        .copied()
        .filter(|s| held.contains(s))
        .collect();
    if mine.is_empty() {
        return Err(AppError::Invalid(
            "Danh sách này không có đối tượng nào thuộc lĩnh vực bạn phụ trách.".into(),
        ));
    }
    let already = approved_sectors(db, list.id).await?;
    let now = Utc::now();
    let mut approved_now = Vec::new();
    for sector in mine {
        if already.contains(&sector) {
            continue;
        }
        list_sector_approval::ActiveModel {
            ward_list_id: Set(list.id),
            sector: Set(sector),
            decided_by: Set(operator.actor.user_id),
            decided_at: Set(now),
        }
        .insert(db)
        .await?;
        approved_now.push(sector);
    }
    if approved_now.is_empty() {
        return Err(AppError::Invalid(
            "Phần danh sách thuộc lĩnh vực của bạn đã được duyệt.".into(),
        ));
    }
    let approved = approved_sectors(db, list.id).await?;
    let waiting = held.difference(&approved).copied().collect();
    Ok(SectorApproval {
        approved_now,
        waiting,
    })
}

/// Forgets the parts of the list approved so far (it was returned, sent again or reopened).
pub async fn clear_sector_approvals(db: &impl ConnectionTrait, ward_list_id: i32) -> AppResult<()> {
    list_sector_approval::Entity::delete_many()
        .filter(list_sector_approval::Column::WardListId.eq(ward_list_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Where one sector of a list stands: approved by its reviewer, or awaited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectorState {
    /// The sector (of at least one entry on the list).
    pub sector: Sector,
    /// Whether its part is approved.
    pub approved: bool,
}

/// The sectors the list holds, each approved or awaited, in [`Sector::ALL`] order: for the
/// list page of a campaign reviewed by sector. An approved list has every part approved
/// (also when a supervisor of every sector approved it at once, which records no part).
pub async fn sector_states(
    db: &impl ConnectionTrait,
    list: &ward_list::Model,
) -> AppResult<Vec<SectorState>> {
    let held = sectors_in_list(db, list.id).await?;
    let approved = if list.status == ListStatus::Approved {
        held.clone()
    } else {
        approved_sectors(db, list.id).await?
    };
    Ok(held
        .into_iter()
        .map(|sector| SectorState {
            sector,
            approved: approved.contains(&sector),
        })
        .collect())
}
