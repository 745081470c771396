//! The append-only audit log: who did what to which thing, with the state before and after,
//! and the page of it the administration reads. Nothing in the application updates or
//! deletes these rows.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use crate::entities::{audit_event, user};
use crate::error::AppResult;

/// Who acted: a logged-in user, or the command line / system.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user's id, when a user acted.
    pub user_id: Option<i32>,
    /// A readable name kept even if the user is later removed.
    pub name: String,
    /// The unit the user serves.
    pub unit_id: Option<i32>,
}

impl Actor {
    /// The actor for a user.
    pub fn user(user: &user::Model) -> Self {
        Self {
            user_id: Some(user.id),
            name: user.username.clone(),
            unit_id: user.unit_id,
        }
    }

    /// The actor for work done from the command line by the machine's operator.
    pub fn system(name: &str) -> Self {
        Self {
            user_id: None,
            name: name.to_owned(),
            unit_id: None,
        }
    }
}

/// One event to record.
pub struct AuditEvent<'a> {
    /// A short verb, e.g. `login`, `import.commit`, `list.approve`.
    pub action: &'a str,
    /// The kind of thing acted on, e.g. `ward_list`.
    pub entity_type: &'a str,
    /// Its id, if it has one.
    pub entity_id: Option<String>,
    /// The unit the thing belongs to (for filtering the log by ward); the actor's if `None`.
    pub unit_id: Option<i32>,
}

/// Appends an event; `before` and `after` are stored as JSON.
pub async fn record<B: Serialize, A: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    event: AuditEvent<'_>,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), DbErr> {
    audit_event::ActiveModel {
        actor_user_id: Set(actor.user_id),
        actor_name: Set(actor.name.clone()),
        unit_id: Set(event.unit_id.or(actor.unit_id)),
        action: Set(event.action.to_owned()),
        entity_type: Set(event.entity_type.to_owned()),
        entity_id: Set(event.entity_id),
        before_json: Set(before.and_then(|b| serde_json::to_string(b).ok())),
        after_json: Set(after.and_then(|a| serde_json::to_string(a).ok())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// `record` for events with no before/after state.
pub async fn record_action(
    db: &impl ConnectionTrait,
    actor: &Actor,
    event: AuditEvent<'_>,
) -> Result<(), DbErr> {
    record::<(), ()>(db, actor, event, None, None).await
}

/// Audit events on one page.
pub const AUDIT_PAGE_SIZE: u64 = 50;

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
