//! Which units a user may see. Every query of people, lists, entries, exports and reports goes
//! through [`UnitScope`], so no page, export or API call can reach outside it.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr};

use crate::domain::accounts::Role;
use crate::domain::units::{all_units, subtree_ids};
use crate::entities::user;
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
        if Role::parse(&user.role) == Some(Role::Admin) {
            return Ok(UnitScope::All);
        }
        let Some(unit_id) = user.unit_id else {
            return Ok(UnitScope::Units(Vec::new()));
        };
        let units = all_units(db).await?;
        Ok(UnitScope::Units(subtree_ids(&units, unit_id)))
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
