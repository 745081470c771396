//! Mapping an unknown value of an import preview once: a category or a ward spelled in a way
//! the catalogue does not hold ("Diện XYZ", "P. Long Thanh My cũ") becomes a synonym, so
//! this file and every later one are read. District staff and administrators only: a ward
//! officer's spelling must not quietly change how every ward's files are read.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::categories::add_synonym;
use crate::domain::operator::Operator;
use crate::domain::user_admin::unit_choices;
use crate::entities::states::{Role, UnitLevel};
use crate::entities::{category, unit, ward_synonym};
use crate::error::{AppError, AppResult};
use crate::vn::text::{fold_key, normalize};

/// Who may map a value: the people who keep the catalogue for every ward.
const MAPPERS: &[Role] = &[Role::Admin, Role::District];

/// Whether `op` may map unknown values (the preview offers the form only to them).
pub fn may_map_values(op: &Operator) -> bool {
    MAPPERS.contains(&op.role)
}

/// Makes `text` a synonym of the category `category_id`, audited
/// (`category.synonym_add`). Refused for ward officers.
pub async fn map_category_spelling<C>(
    db: &C,
    op: &Operator,
    text: &str,
    category_id: i32,
) -> AppResult<()>
where
    C: ConnectionTrait + TransactionTrait,
{
    op.require_role(MAPPERS)?;
    let txn = begin_write(db).await?;
    add_synonym(&txn, &op.actor, category_id, text).await?;
    txn.commit().await?;
    Ok(())
}

/// Makes `text` another spelling of the ward `ward_id`, audited (`ward.synonym_add`).
/// Refused for ward officers, for a unit that is not a ward or outside the operator's units,
/// and for a spelling already given to a ward.
pub async fn map_ward_spelling<C>(db: &C, op: &Operator, text: &str, ward_id: i32) -> AppResult<()>
where
    C: ConnectionTrait + TransactionTrait,
{
    op.require_role(MAPPERS)?;
    op.scope.ensure(ward_id)?;
    let text = normalize(text);
    if text.is_empty() {
        return Err(AppError::Invalid(
            "Hãy nhập cách viết tên phường cần thêm.".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let ward = unit::Entity::find_by_id(ward_id)
        .filter(unit::Column::Level.eq(UnitLevel::Ward))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy phường này.".into()))?;
    let key = fold_key(&text);
    let taken = ward_synonym::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .any(|s| fold_key(&s.synonym) == key);
    if taken {
        return Err(AppError::Invalid(format!(
            "Cách viết “{text}” đã được gán cho một phường."
        )));
    }
    let created = ward_synonym::ActiveModel {
        unit_id: Set(ward.id),
        synonym: Set(text),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record::<(), _>(
        &txn,
        &op.actor,
        AuditEvent {
            action: "ward.synonym_add",
            entity_type: "unit",
            entity_id: Some(ward.id.to_string()),
            unit_id: Some(ward.id),
        },
        None,
        Some(&created.synonym),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What an unknown value may be mapped to: the active categories (id, name), highest rank
/// first, and the wards the operator serves (id, name with its level and, for a ward that
/// no longer exists, the day it ended), by name.
pub async fn mapping_choices(
    db: &impl ConnectionTrait,
    op: &Operator,
) -> AppResult<(Vec<(i32, String)>, Vec<(i32, String)>)> {
    let categories = category::Entity::find()
        .filter(category::Column::Active.eq(true))
        .order_by_desc(category::Column::Rank)
        .order_by_asc(category::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let wards = unit_choices(db, op, &[UnitLevel::Ward]).await?;
    Ok((categories, wards))
}
