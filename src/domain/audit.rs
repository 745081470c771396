//! The append-only audit log: who did what to which thing, with the state before and after.
//! Nothing in the application updates or deletes these rows.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde::Serialize;

use crate::entities::{audit_event, user};

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
