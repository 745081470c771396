//! Which units a user may see. Every query of people, lists, entries, exports and reports goes
//! through [`UnitScope`], so no page, export or API call can reach outside it.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr};

use crate::domain::units::{all_units, ancestry, subtree_ids};
use crate::entities::states::Role;
use crate::entities::{unit, user};
use crate::error::{AppError, AppResult};

/// The units a user serves: everything (admin), or a unit and all units below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitScope {
    /// An administrator sees every unit.
    All,
    /// The sorted ids of the units the user may see.
    Units(Vec<i32>),
}

impl UnitScope {
    /// The scope of `user`: admin sees all; district staff their district and every ward under
    /// it; a ward officer their ward. A non-admin without a unit sees nothing.
    pub async fn for_user(db: &impl ConnectionTrait, user: &user::Model) -> Result<Self, DbErr> {
        if user.role == Role::Admin {
            return Ok(UnitScope::All);
        }
        if user.unit_id.is_none() {
            return Ok(UnitScope::Units(Vec::new()));
        }
        Ok(Self::for_user_in(user, &all_units(db).await?))
    }

    /// The scope of `user` worked out from `units` (every unit, as [`all_units`] returns
    /// them): for callers that hold the units already, so a request reads them once.
    pub fn for_user_in(user: &user::Model, units: &[unit::Model]) -> Self {
        if user.role == Role::Admin {
            return UnitScope::All;
        }
        match user.unit_id {
            Some(unit_id) => UnitScope::Units(subtree_ids(units, unit_id)),
            None => UnitScope::Units(Vec::new()),
        }
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
            UnitScope::Units(ids) => ids.binary_search(&unit_id).is_ok(),
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
            UnitScope::Units(ids) => Condition::all().add(column.is_in(ids.iter().copied())),
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
