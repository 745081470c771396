//! Which units, and within them which sectors, a user may see. Every query of people, lists,
//! entries, exports and reports goes through [`UnitScope`], so no page, export or API call can
//! reach outside it.
//!
//! A sector limit (a city department reviewing merit, say) narrows the *entries*: the
//! reviewer sees every ward under their unit and every list of those wards, but only the
//! entries whose category belongs to one of their sectors ([`UnitScope::entry_condition`],
//! [`UnitScope::sector_condition`]), and the people of those entries.

use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr};

use crate::domain::sectors::user_sectors;
use crate::domain::units::{all_units, ancestry, subtree_ids};
use crate::entities::states::{Role, Sector};
use crate::entities::{category, entry, unit, user};
use crate::error::{AppError, AppResult};

/// The units a user serves: everything (admin), a unit and all units below it, or those units
/// limited to some sectors (supervising staff of one department).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitScope {
    /// An administrator sees every unit.
    All,
    /// The sorted ids of the units the user may see.
    Units(Vec<i32>),
    /// The sorted ids of the units the user may see, and the sectors (sorted, never empty
    /// and never all three) whose entries they see there.
    UnitsInSectors(Vec<i32>, Vec<Sector>),
}

/// The sectors `user` is limited to (empty: every sector). Only supervising staff can be
/// limited: a ward's own account and an administrator always work in every sector.
pub async fn sectors_of(
    db: &impl ConnectionTrait,
    user: &user::Model,
) -> Result<Vec<Sector>, DbErr> {
    if user.role != Role::District {
        return Ok(Vec::new());
    }
    user_sectors(db, user.id).await
}

impl UnitScope {
    /// The scope of `user`: admin sees all; district staff their district (or city) and every
    /// ward under it, in their sectors; a ward officer their ward. A non-admin without a unit
    /// sees nothing.
    pub async fn for_user(db: &impl ConnectionTrait, user: &user::Model) -> Result<Self, DbErr> {
        if user.role == Role::Admin {
            return Ok(UnitScope::All);
        }
        if user.unit_id.is_none() {
            return Ok(UnitScope::Units(Vec::new()));
        }
        let sectors = sectors_of(db, user).await?;
        Ok(Self::for_user_in(user, &all_units(db).await?, sectors))
    }

    /// The scope of `user` worked out from `units` (every unit, as [`all_units`] returns
    /// them) and `sectors` (as [`sectors_of`] returns them): for callers that hold the units
    /// already, so a request reads them once.
    pub fn for_user_in(user: &user::Model, units: &[unit::Model], sectors: Vec<Sector>) -> Self {
        if user.role == Role::Admin {
            return UnitScope::All;
        }
        let ids = match user.unit_id {
            Some(unit_id) => subtree_ids(units, unit_id),
            None => Vec::new(),
        };
        if user.role == Role::District && !sectors.is_empty() && sectors.len() < Sector::ALL.len() {
            UnitScope::UnitsInSectors(ids, sectors)
        } else {
            UnitScope::Units(ids)
        }
    }

    /// The sectors this scope is limited to, or `None` for every sector.
    pub fn sectors(&self) -> Option<&[Sector]> {
        match self {
            UnitScope::UnitsInSectors(_, sectors) => Some(sectors),
            _ => None,
        }
    }

    /// This scope narrowed to the one unit `unit_id`, keeping its sectors: for the figures of
    /// one ward the caller has checked is visible.
    pub fn narrowed_to(&self, unit_id: i32) -> Self {
        match self.sectors() {
            Some(sectors) => UnitScope::UnitsInSectors(vec![unit_id], sectors.to_vec()),
            None => UnitScope::Units(vec![unit_id]),
        }
    }

    /// Whether entries of a category in `sector` are visible.
    pub fn allows_sector(&self, sector: Sector) -> bool {
        self.sectors()
            .is_none_or(|sectors| sectors.contains(&sector))
    }

    /// A query condition on `entries` keeping the entries whose category is in the scope's
    /// sectors (no condition without a sector limit). For entry queries already narrowed to
    /// one visible list or ward.
    pub fn sector_condition(&self) -> Condition {
        self.sector_condition_on((entry::Entity, entry::Column::CategoryId))
    }

    /// [`UnitScope::sector_condition`] on the category id column `category_id`, for a query
    /// that names the entries table by an alias.
    pub fn sector_condition_on(&self, category_id: impl IntoColumnRef) -> Condition {
        match self.sectors() {
            None => Condition::all(),
            Some(sectors) => Condition::all().add(
                Expr::col(category_id).in_subquery(
                    Query::select()
                        .column(category::Column::Id)
                        .from(category::Entity)
                        .and_where(category::Column::Sector.is_in(sectors.iter().copied()))
                        .to_owned(),
                ),
            ),
        }
    }

    /// A query condition on `entries` keeping the visible ones: in a visible ward and, for a
    /// sector limit, of a category in the scope's sectors. Every query of entries across
    /// wards goes through it.
    pub fn entry_condition(&self) -> Condition {
        self.condition(entry::Column::WardId)
            .add(self.sector_condition())
    }

    /// Whether a campaign run by `campaign_unit` is visible to a user of this scope serving
    /// `own_unit`: the campaigns of a unit the user serves, or of a unit above their own (a
    /// ward officer sees the district's campaign). `units` is every unit ([`all_units`]).
    pub fn sees_campaign_of(
        &self,
        units: &[unit::Model],
        own_unit: Option<i32>,
        campaign_unit: i32,
    ) -> bool {
        // Asked on every page: most users serve the campaign's unit, so the walk up the tree
        // happens only for the others.
        self.allows(campaign_unit) || units_above(units, own_unit).any(|id| id == campaign_unit)
    }

    /// The ids of the units whose campaigns [`UnitScope::sees_campaign_of`] lets through, for
    /// a query of every visible campaign.
    pub fn campaign_units(&self, units: &[unit::Model], own_unit: Option<i32>) -> Vec<i32> {
        let above: Vec<i32> = units_above(units, own_unit).collect();
        units
            .iter()
            .map(|unit| unit.id)
            .filter(|&id| self.allows(id) || above.contains(&id))
            .collect()
    }

    /// Whether data of `unit_id` is visible.
    pub fn allows(&self, unit_id: i32) -> bool {
        match self {
            UnitScope::All => true,
            UnitScope::Units(ids) | UnitScope::UnitsInSectors(ids, _) => {
                ids.binary_search(&unit_id).is_ok()
            }
        }
    }

    /// Refuses with 403 unless `unit_id` is visible.
    pub fn ensure(&self, unit_id: i32) -> AppResult<()> {
        if self.allows(unit_id) {
            Ok(())
        } else {
            Err(AppError::outside_scope())
        }
    }

    /// A query condition keeping rows whose `column` (a unit id) is visible.
    pub fn condition<C: ColumnTrait>(&self, column: C) -> Condition {
        match self {
            UnitScope::All => Condition::all(),
            UnitScope::Units(ids) | UnitScope::UnitsInSectors(ids, _) => {
                Condition::all().add(column.is_in(ids.iter().copied()))
            }
        }
    }
}

/// The ids of `own_unit` and every unit above it (none without a unit).
fn units_above(units: &[unit::Model], own_unit: Option<i32>) -> impl Iterator<Item = i32> + '_ {
    own_unit
        .map_or_else(Vec::new, |own| ancestry(units, own))
        .into_iter()
        .map(|unit| unit.id)
}
