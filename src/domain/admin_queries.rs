//! What the administration pages read and the catalogue edits they make: users in a scope,
//! the audit log filtered and paginated, categories with their synonyms.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::scope::UnitScope;
use crate::entities::{audit_event, category, category_synonym, user};
use crate::error::{AppError, AppResult};

/// Audit events on one page.
pub const AUDIT_PAGE_SIZE: u64 = 50;

/// The users whose unit lies in `scope` (administrators see every account), by name.
pub async fn users_in_scope(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
) -> AppResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(scope.condition(user::Column::UnitId))
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?)
}

/// What the audit log is filtered by.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// The acting user's login name (exact).
    pub actor: Option<String>,
    /// The unit (ward) concerned.
    pub unit_id: Option<i32>,
    /// The action, or its prefix ("list." for every list step).
    pub action: Option<String>,
    /// 1-based page.
    pub page: u64,
}

/// One page of the audit log, newest first, and the number of matching events.
pub async fn audit_page(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
) -> AppResult<(Vec<audit_event::Model>, u64)> {
    let mut query = audit_event::Entity::find();
    if let Some(actor) = &filter.actor {
        query = query.filter(audit_event::Column::ActorName.eq(actor.clone()));
    }
    if let Some(unit_id) = filter.unit_id {
        query = query.filter(audit_event::Column::UnitId.eq(unit_id));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_event::Column::Action.starts_with(action.clone()));
    }
    let paginator = query
        .order_by_desc(audit_event::Column::Id)
        .paginate(db, AUDIT_PAGE_SIZE);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(filter.page.max(1) - 1).await?;
    Ok((rows, total))
}

/// Every category with its synonyms (two queries), highest rank first.
pub async fn categories_with_synonyms(
    db: &impl ConnectionTrait,
) -> AppResult<Vec<(category::Model, Vec<category_synonym::Model>)>> {
    let categories = category::Entity::find()
        .order_by_desc(category::Column::Rank)
        .order_by_asc(category::Column::Name)
        .all(db)
        .await?;
    let synonyms = category_synonym::Entity::find()
        .order_by_asc(category_synonym::Column::Synonym)
        .all(db)
        .await?;
    Ok(categories
        .into_iter()
        .map(|c| {
            let own = synonyms
                .iter()
                .filter(|s| s.category_id == c.id)
                .cloned()
                .collect();
            (c, own)
        })
        .collect())
}

/// Adds a synonym (as wards type the category in their files), audited. A synonym already
/// given to any category (compared without case and diacritics) is refused.
pub async fn add_synonym(
    db: &impl ConnectionTrait,
    actor: &Actor,
    category_id: i32,
    text: &str,
) -> AppResult<category_synonym::Model> {
    let text = crate::domain::text::normalize(text);
    if text.is_empty() {
        return Err(AppError::Invalid("Hãy nhập cách viết cần thêm.".into()));
    }
    category::Entity::find_by_id(category_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy đối tượng này.".into()))?;
    let key = crate::domain::text::fold_key(&text);
    let taken = category_synonym::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .any(|s| crate::domain::text::fold_key(&s.synonym) == key);
    if taken {
        return Err(AppError::Invalid(format!(
            "Cách viết “{text}” đã có trong danh mục."
        )));
    }
    let created = category_synonym::ActiveModel {
        category_id: Set(category_id),
        synonym: Set(text),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record::<(), _>(
        db,
        actor,
        AuditEvent {
            action: "category.synonym_add",
            entity_type: "category",
            entity_id: Some(category_id.to_string()),
            unit_id: None,
        },
        None,
        Some(&created.synonym),
    )
    .await?;
    Ok(created)
}

/// Removes a synonym, audited.
pub async fn remove_synonym(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<()> {
    let found = category_synonym::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy cách viết này.".into()))?;
    category_synonym::Entity::delete_by_id(id).exec(db).await?;
    audit::record::<_, ()>(
        db,
        actor,
        AuditEvent {
            action: "category.synonym_remove",
            entity_type: "category",
            entity_id: Some(found.category_id.to_string()),
            unit_id: None,
        },
        Some(&found.synonym),
        None,
    )
    .await?;
    Ok(())
}
