//! Login sessions kept in the database, so several app servers behind one balancer share them.
//! The cookie holds a random token; the table holds only its SHA-256, so a copy of the
//! database is no key to anyone's account.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use crate::domain::accounts::Role;
use crate::domain::list_queries::select_prefixed;
use crate::domain::scope::UnitScope;
use crate::domain::units::all_units;
use crate::entities::{session, unit, user};
use crate::error::AppError;
use crate::web::AppState;

/// The prefix of the user's columns in the session query.
const USER_PREFIX: &str = "u_";

/// The prefix of the units' columns in the session query.
const UNIT_PREFIX: &str = "n_";

/// The name of the session cookie.
pub const COOKIE_NAME: &str = "chamlo_session";

/// The SHA-256 of a token, hex encoded: what the tables store for sessions and API tokens.
pub fn token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A fresh random token (256 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Starts a session for `user_id` and returns the cookie token.
pub async fn start_session(
    db: &impl ConnectionTrait,
    user_id: i32,
    hours: i64,
) -> Result<String, DbErr> {
    let token = new_token();
    let now = Utc::now();
    session::ActiveModel {
        id: Set(token_digest(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(hours)),
        last_seen_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Ends the session behind `token`, if any.
pub async fn end_session(db: &impl ConnectionTrait, token: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(token_digest(token))
        .exec(db)
        .await?;
    Ok(())
}

/// The session token sent by the browser, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// The Set-Cookie header value for a session token: HttpOnly, SameSite=Strict.
pub fn session_cookie(token: &str, hours: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        hours * 3600
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The Set-Cookie header value that removes the session cookie.
pub fn clear_session_cookie() -> HeaderValue {
    HeaderValue::from_static("chamlo_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// Adds a Set-Cookie header to a response's headers.
pub fn set_cookie(headers: &mut HeaderMap, value: HeaderValue) {
    headers.append(SET_COOKIE, value);
}

/// The logged-in user of a request, with their role, unit and scope. Extracting it from a
/// request without a valid session answers "not logged in" (a redirect to the login page).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The account.
    pub user: user::Model,
    /// Its role.
    pub role: Role,
    /// The unit it serves, if any.
    pub unit: Option<unit::Model>,
    /// The units whose data it may see.
    pub scope: UnitScope,
    /// Every unit (a few dozen rows), read once per request with the session, so pages name
    /// wards and check campaigns without reading them again.
    pub units: Arc<Vec<unit::Model>>,
}

impl CurrentUser {
    /// Loads the user behind a session token, or `None` if the session is unknown or expired.
    /// Every page pays for this, and each query costs a hand-off to the database's thread, so
    /// it is one query: the session, its (active) user and every unit (a few dozen rows, one
    /// per unit), from which the user's unit and scope are worked out and which pages reuse.
    pub async fn from_session(
        db: &impl ConnectionTrait,
        token: &str,
        hours: i64,
    ) -> Result<Option<Self>, DbErr> {
        let (s, u, n) = (Alias::new("s"), Alias::new("u"), Alias::new("n"));
        let mut query = Query::select();
        query
            .from_as(session::Entity, s.clone())
            .column((s.clone(), session::Column::Id))
            .column((s.clone(), session::Column::ExpiresAt))
            .column((s.clone(), session::Column::LastSeenAt));
        select_prefixed::<user::Entity>(&mut query, &u, USER_PREFIX);
        select_prefixed::<unit::Entity>(&mut query, &n, UNIT_PREFIX);
        query
            .join_as(
                JoinType::InnerJoin,
                user::Entity,
                u.clone(),
                Expr::col((u.clone(), user::Column::Id))
                    .equals((s.clone(), session::Column::UserId))
                    .and(Expr::col((u, user::Column::Active)).eq(true)),
            )
            // Every unit beside the one session row; LEFT so a database without units
            // still logs its administrator in.
            .join_as(
                JoinType::LeftJoin,
                unit::Entity,
                n.clone(),
                Expr::val(1).eq(1),
            )
            .and_where(Expr::col((s, session::Column::Id)).eq(token_digest(token)))
            .order_by((n, unit::Column::Id), Order::Asc);
        let found = db.query_all(&query).await?;
        let Some(row) = found.first() else {
            return Ok(None);
        };
        let mut units = Vec::with_capacity(found.len());
        for unit_row in &found {
            let id: Option<i32> = unit_row.try_get(UNIT_PREFIX, "id")?;
            if id.is_some() {
                units.push(unit::Model::from_query_result(unit_row, UNIT_PREFIX)?);
            }
        }
        let session_id: String = row.try_get("", "id")?;
        let expires_at: DateTime<Utc> = row.try_get("", "expires_at")?;
        let last_seen_at: DateTime<Utc> = row.try_get("", "last_seen_at")?;
        let user = user::Model::from_query_result(row, USER_PREFIX)?;
        let now = Utc::now();
        if expires_at <= now {
            session::Entity::delete_by_id(session_id).exec(db).await?;
            return Ok(None);
        }
        // Sliding expiry, written at most once a minute to keep page loads read-only.
        if now - last_seen_at > Duration::minutes(1) {
            session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(now))
                .col_expr(
                    session::Column::ExpiresAt,
                    Expr::value(now + Duration::hours(hours)),
                )
                .filter(session::Column::Id.eq(session_id))
                .exec(db)
                .await?;
        }
        Ok(Self::with_units(user, units))
    }

    /// Loads an active user by id with its unit and scope.
    pub async fn load(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<Self>, DbErr> {
        let Some(user) = user::Entity::find_by_id(user_id)
            .filter(user::Column::Active.eq(true))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        Ok(Self::with_units(user, all_units(db).await?))
    }

    /// Completes a user with every unit: its own unit and its scope. Always `Some` now that
    /// the role is typed (a stored role outside the vocabulary fails when the user is read).
    fn with_units(user: user::Model, units: Vec<unit::Model>) -> Option<Self> {
        let role = user.role;
        let unit = user
            .unit_id
            .and_then(|id| units.iter().find(|unit| unit.id == id).cloned());
        let scope = UnitScope::for_user_in(&user, &units);
        Some(Self {
            user,
            role,
            unit,
            scope,
            units: Arc::new(units),
        })
    }

    /// A unit by id, from the units read with the session.
    pub fn find_unit(&self, id: i32) -> Option<&unit::Model> {
        self.units.iter().find(|unit| unit.id == id)
    }

    /// The name shown in the header: the full name, else the login name.
    pub fn display_name(&self) -> &str {
        self.user
            .full_name
            .as_deref()
            .unwrap_or(&self.user.username)
    }

    /// Refuses unless the user has one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "Tài khoản của bạn không có quyền thực hiện thao tác này.".into(),
            ))
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let token = session_token(&parts.headers).ok_or(AppError::Unauthorized)?;
        let user = CurrentUser::from_session(&state.db, &token, state.config.session_hours)
            .await?
            .ok_or(AppError::Unauthorized)?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}
