//! Looking after accounts once they exist: changing a user's name, role and unit, locking
//! and unlocking (a locked user cannot log in and their sessions end at once), and setting a
//! new password for someone who forgot theirs. Administrators manage everyone; district staff
//! manage the ward officers of their own wards. Only administrators change the sectors a
//! supervising account is limited to. Every change is audited (never the password).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::json;

use crate::db::write_txn::begin_write;
use crate::domain::accounts::{
    check_unit_fits_role, hash_password, random_password, verify_password,
};
use crate::domain::audit::{self, AuditEvent};
use crate::domain::clock::vietnam_date;
use crate::domain::operator::Operator;
use crate::domain::sectors::{normalise_sectors, replace_user_sectors, user_sectors};
use crate::domain::units::{all_units, display_name};
use crate::entities::states::{Role, Sector, UnitLevel};
use crate::entities::{session, user};
use crate::error::{AppError, AppResult};

/// What an edit of an account may change.
pub struct UserChanges {
    /// The person's name ("" clears it).
    pub full_name: String,
    /// The new role (district staff cannot change it).
    pub role: Role,
    /// The unit served (none for an administrator).
    pub unit_id: Option<i32>,
    /// The sectors a supervising account is limited to (none: every sector).
    pub sectors: Vec<Sector>,
}

/// Refuses unless `op` may manage `target`: an administrator, or district staff for a ward
/// officer of one of their wards.
fn ensure_manages(op: &Operator, target: &user::Model) -> AppResult<()> {
    match op.role {
        Role::Admin => Ok(()),
        Role::District
            if target.role == Role::Ward && target.unit_id.is_some_and(|u| op.scope.allows(u)) =>
        {
            Ok(())
        }
        _ => Err(AppError::Forbidden(
            "Bạn không quản lý tài khoản này.".into(),
        )),
    }
}

/// The account `id` if `op` may manage it.
pub async fn managed_user(
    db: &impl ConnectionTrait,
    op: &Operator,
    id: i32,
) -> AppResult<user::Model> {
    let target = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy tài khoản này.".into()))?;
    ensure_manages(op, &target)?;
    Ok(target)
}

/// What the audit log keeps of an account (never its password).
fn snapshot(u: &user::Model, sectors: &[Sector]) -> serde_json::Value {
    json!({
        "full_name": u.full_name,
        "role": u.role.label(),
        "unit_id": u.unit_id,
        "sectors": sectors,
        "active": u.active,
    })
}

fn audit_event<'a>(action: &'a str, u: &user::Model) -> AuditEvent<'a> {
    AuditEvent {
        action,
        entity_type: "user",
        entity_id: Some(u.id.to_string()),
        unit_id: u.unit_id,
    }
}

/// Changes an account's name, role and unit, audited (`user.update`). District staff keep a
/// ward officer a ward officer, in one of their wards.
pub async fn update_user<C>(
    db: &C,
    op: &Operator,
    id: i32,
    changes: UserChanges,
) -> AppResult<user::Model>
where
    C: ConnectionTrait + TransactionTrait,
{
    let txn = begin_write(db).await?;
    let before = managed_user(&txn, op, id).await?;
    if op.role != Role::Admin && changes.role != Role::Ward {
        return Err(AppError::Forbidden(
            "Chỉ quản trị viên mới đổi được vai trò của tài khoản.".into(),
        ));
    }
    if before.id == op.actor.user_id.unwrap_or_default() && changes.role != before.role {
        return Err(AppError::Invalid(
            "Bạn không thể tự đổi vai trò của chính mình.".into(),
        ));
    }
    let unit_id = if changes.role == Role::Admin {
        None
    } else {
        changes.unit_id
    };
    if let Some(unit) = unit_id {
        op.scope.ensure(unit)?;
    }
    check_unit_fits_role(&txn, changes.role, unit_id).await?;
    let sectors_before = user_sectors(&txn, before.id).await?;
    let sectors = normalise_sectors(changes.role, &changes.sectors)?;
    if op.role != Role::Admin && sectors != sectors_before {
        return Err(AppError::Forbidden(
            "Chỉ quản trị viên mới đổi được lĩnh vực của tài khoản.".into(),
        ));
    }
    replace_user_sectors(&txn, before.id, &sectors).await?;
    let full_name = changes.full_name.trim();
    let mut model: user::ActiveModel = before.clone().into();
    model.full_name = Set((!full_name.is_empty()).then(|| full_name.to_owned()));
    model.role = Set(changes.role);
    model.unit_id = Set(unit_id);
    let after = model.update(&txn).await?;
    audit::record(
        &txn,
        &op.actor,
        audit_event("user.update", &after),
        Some(&snapshot(&before, &sectors_before)),
        Some(&snapshot(&after, &sectors)),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Locks (`locked`) or unlocks an account, audited (`user.lock` / `user.unlock`). A locked
/// account's sessions end at once; its API tokens stop working as its user is inactive. One
/// cannot lock oneself out.
pub async fn set_user_locked<C>(db: &C, op: &Operator, id: i32, locked: bool) -> AppResult<()>
where
    C: ConnectionTrait + TransactionTrait,
{
    let txn = begin_write(db).await?;
    let before = managed_user(&txn, op, id).await?;
    if locked && op.actor.user_id == Some(before.id) {
        return Err(AppError::Invalid(
            "Bạn không thể tự khóa tài khoản của chính mình.".into(),
        ));
    }
    let mut model: user::ActiveModel = before.clone().into();
    model.active = Set(!locked);
    let after = model.update(&txn).await?;
    let sectors = user_sectors(&txn, id).await?;
    if locked {
        end_sessions(&txn, id).await?;
    }
    audit::record(
        &txn,
        &op.actor,
        audit_event(if locked { "user.lock" } else { "user.unlock" }, &after),
        Some(&snapshot(&before, &sectors)),
        Some(&snapshot(&after, &sectors)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Gives an account a new random password, to be handed to its owner once, and ends its
/// sessions; audited (`user.password_reset`) without the password.
pub async fn reset_user_password<C>(db: &C, op: &Operator, id: i32) -> AppResult<String>
where
    C: ConnectionTrait + TransactionTrait,
{
    let txn = begin_write(db).await?;
    let target = managed_user(&txn, op, id).await?;
    let password = random_password();
    let mut model: user::ActiveModel = target.clone().into();
    model.password_hash = Set(hash_password(&password)?);
    model.password_changed_at = Set(Utc::now());
    model.update(&txn).await?;
    end_sessions(&txn, id).await?;
    audit::record::<(), ()>(
        &txn,
        &op.actor,
        audit_event("user.password_reset", &target),
        None,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(password)
}

async fn end_sessions(db: &impl ConnectionTrait, user_id: i32) -> AppResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The units `op` may give an account, (id, name), by name: every unit for an administrator,
/// the wards they serve for district staff. A unit that no longer exists says since when, so
/// that an officer of a former ward can still be kept on it while its lists are closed.
pub async fn assignable_units(
    db: &impl ConnectionTrait,
    op: &Operator,
) -> AppResult<Vec<(i32, String)>> {
    let levels: &[UnitLevel] = if op.role == Role::Admin {
        &[UnitLevel::City, UnitLevel::District, UnitLevel::Ward]
    } else {
        &[UnitLevel::Ward]
    };
    unit_choices(db, op, levels).await
}

/// The units of `levels` that `op` serves, (id, name with its level, and "(đến …)" for a
/// unit that has ended), by name.
pub async fn unit_choices(
    db: &impl ConnectionTrait,
    op: &Operator,
    levels: &[UnitLevel],
) -> AppResult<Vec<(i32, String)>> {
    let mut units: Vec<(i32, String)> = all_units(db)
        .await?
        .iter()
        .filter(|u| levels.contains(&u.level) && op.scope.allows(u.id))
        .map(|u| {
            let name = display_name(u);
            match u.valid_to {
                Some(end) => (u.id, format!("{name} (đến {})", vietnam_date(end))),
                None => (u.id, name),
            }
        })
        .collect();
    units.sort_by_key(|(_, name)| crate::vn::text::fold_key(name));
    Ok(units)
}

/// Whether `username` names a locked account whose password is `password`. The login page
/// then says the account is locked instead of "wrong password"; only someone who knows the
/// password learns it, so it reveals nothing to a guesser.
pub async fn is_locked_with_password(
    db: &impl ConnectionTrait,
    username: &str,
    password: &str,
) -> AppResult<bool> {
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(username.trim().to_lowercase()))
        .filter(user::Column::Active.eq(false))
        .one(db)
        .await?;
    Ok(found.is_some_and(|u| verify_password(&u.password_hash, password)))
}
