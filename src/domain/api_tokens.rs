//! Personal API tokens for scripts: created by a user, shown once, stored as a SHA-256,
//! revocable; a request with a token acts with exactly its user's role and units.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::secret_tokens::{new_token, token_digest};
use crate::entities::{api_token, user};
use crate::error::{AppError, AppResult};

/// Creates a token named `name` for `user`; returns the stored row and the token itself,
/// which is shown once and never stored.
pub async fn create_api_token(
    db: &impl ConnectionTrait,
    actor: &Actor,
    user: &user::Model,
    name: &str,
) -> AppResult<(api_token::Model, String)> {
    let name = crate::vn::text::normalize(name);
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Invalid(
            "Hãy đặt cho mã truy cập một tên ngắn (tối đa 100 ký tự) để nhận ra nó sau này.".into(),
        ));
    }
    if !user.active {
        return Err(AppError::Invalid("Tài khoản này đã bị khóa.".into()));
    }
    let token = new_token();
    let stored = api_token::ActiveModel {
        user_id: Set(user.id),
        name: Set(name),
        token_hash: Set(token_digest(&token)),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record::<(), _>(
        db,
        actor,
        AuditEvent {
            action: "api_token.create",
            entity_type: "api_token",
            entity_id: Some(stored.id.to_string()),
            unit_id: user.unit_id,
        },
        None,
        Some(&stored),
    )
    .await?;
    Ok((stored, token))
}

/// The user behind a token, if the token is known, not revoked and its user active; records
/// when it was last used (at most once a minute).
pub async fn user_for_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> AppResult<Option<user::Model>> {
    let Some(found) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_digest(token.trim())))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    if found
        .last_used_at
        .is_none_or(|last| now - last > chrono::Duration::minutes(1))
    {
        let mut active: api_token::ActiveModel = found.clone().into();
        active.last_used_at = Set(Some(now));
        active.update(db).await?;
    }
    Ok(user::Entity::find_by_id(found.user_id)
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?)
}

/// The tokens of a user, newest first (never the tokens themselves).
pub async fn tokens_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> AppResult<Vec<api_token::Model>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?)
}

/// Revokes a token of `owner_id` (an administrator may pass the token's real owner); audited.
pub async fn revoke_api_token(
    db: &impl ConnectionTrait,
    actor: &Actor,
    owner_id: i32,
    token_id: i32,
) -> AppResult<api_token::Model> {
    let found = api_token::Entity::find_by_id(token_id)
        .filter(api_token::Column::UserId.eq(owner_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy mã truy cập này.".into()))?;
    if found.revoked_at.is_some() {
        return Ok(found);
    }
    let mut active: api_token::ActiveModel = found.clone().into();
    active.revoked_at = Set(Some(Utc::now()));
    let revoked = active.update(db).await?;
    audit::record(
        db,
        actor,
        AuditEvent {
            action: "api_token.revoke",
            entity_type: "api_token",
            entity_id: Some(token_id.to_string()),
            unit_id: actor.unit_id,
        },
        Some(&found),
        Some(&revoked),
    )
    .await?;
    Ok(revoked)
}
