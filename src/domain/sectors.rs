//! The sectors an account is limited to (merit, social protection, poverty; none = all), and
//! creating an account with them. Only supervising staff can be limited: a ward's own account
//! prepares every list of its ward, so it always works in every sector, and an administrator
//! sees everything. How the limit narrows what an account sees is `UnitScope`'s job.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

use crate::db::write_txn::begin_write;
use crate::domain::accounts::{NewUser, create_user};
use crate::entities::states::{Role, Sector};
use crate::entities::{user, user_sector};
use crate::error::{AppError, AppResult};

/// The sectors `user_id` is limited to, in [`Sector::ALL`] order; empty means every sector.
pub async fn user_sectors(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<Sector>, DbErr> {
    let mut sectors: Vec<Sector> = user_sector::Entity::find()
        .filter(user_sector::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.sector)
        .collect();
    sectors.sort();
    Ok(sectors)
}

/// The sector limits of every account that has one, by user id (one query, for the list of
/// accounts).
pub async fn sectors_by_user(
    db: &impl ConnectionTrait,
) -> Result<HashMap<i32, Vec<Sector>>, DbErr> {
    let mut by_user: HashMap<i32, Vec<Sector>> = HashMap::new();
    for row in user_sector::Entity::find().all(db).await? {
        by_user.entry(row.user_id).or_default().push(row.sector);
    }
    for sectors in by_user.values_mut() {
        sectors.sort();
    }
    Ok(by_user)
}

/// The sectors ticked on a form: one optional checkbox per sector, in [`Sector::ALL`] order.
pub fn ticked_sectors(merit: bool, social_protection: bool, poverty: bool) -> Vec<Sector> {
    Sector::ALL
        .into_iter()
        .zip([merit, social_protection, poverty])
        .filter_map(|(sector, ticked)| ticked.then_some(sector))
        .collect()
}

/// `sectors` sorted, without repeats, and with "all three" stored as none (the same meaning,
/// one spelling). Refuses a limit on a role that cannot have one.
pub fn normalise_sectors(role: Role, sectors: &[Sector]) -> AppResult<Vec<Sector>> {
    let mut sectors = sectors.to_vec();
    sectors.sort();
    sectors.dedup();
    if sectors.len() == Sector::ALL.len() {
        sectors.clear();
    }
    if !sectors.is_empty() && role != Role::District {
        return Err(AppError::Invalid(
            "Chỉ tài khoản cán bộ giám sát (thành phố, quận) mới giới hạn được theo lĩnh vực; \
             tài khoản phường và quản trị viên làm việc với mọi lĩnh vực."
                .into(),
        ));
    }
    Ok(sectors)
}

/// Replaces the sectors of `user_id` with `sectors` (already normalised).
pub async fn replace_user_sectors(
    db: &impl ConnectionTrait,
    user_id: i32,
    sectors: &[Sector],
) -> AppResult<()> {
    user_sector::Entity::delete_many()
        .filter(user_sector::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    for &sector in sectors {
        user_sector::ActiveModel {
            user_id: Set(user_id),
            sector: Set(sector),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Creates an account limited to `sectors` (none = all) in one transaction, after the checks
/// of [`create_user`] and [`normalise_sectors`]. Returns the account and its stored sectors.
pub async fn create_user_in_sectors<C>(
    db: &C,
    new: NewUser<'_>,
    sectors: &[Sector],
) -> AppResult<(user::Model, Vec<Sector>)>
where
    C: ConnectionTrait + TransactionTrait,
{
    let sectors = normalise_sectors(new.role, sectors)?;
    let txn = begin_write(db).await?;
    let user = create_user(&txn, new).await?;
    replace_user_sectors(&txn, user.id, &sectors).await?;
    txn.commit().await?;
    Ok((user, sectors))
}

/// How a sector limit reads on a page: "Mọi lĩnh vực" or the sectors' names.
pub fn sectors_label(sectors: &[Sector]) -> String {
    if sectors.is_empty() {
        "Mọi lĩnh vực".to_owned()
    } else {
        sectors
            .iter()
            .map(|s| s.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
