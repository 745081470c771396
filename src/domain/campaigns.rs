//! Campaigns (one Tết each) and who may see them.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, ancestry};
use crate::entities::{campaign, user};

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
