//! Login sessions kept in the database, so several app servers behind one balancer share them.
//! The cookie holds a random token; the table holds only its SHA-256, so a copy of the
//! database is no key to anyone's account.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{DateTime, Duration, Utc};
use cookie::CookieBuilder;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, Set,
};

use crate::db::prefixed_columns::select_prefixed;
use crate::domain::scope::{UnitScope, sectors_of};
use crate::domain::secret_tokens::{new_token, token_digest};
use crate::domain::units_copy::{UnitsCopy, VERSION_COLUMN, units_version, version_expr};
use crate::entities::states::{Role, Sector};
use crate::entities::{session, unit, user, user_sector};
use crate::error::AppError;
use crate::web::AppState;

/// The prefix of the user's columns in the session query.
const USER_PREFIX: &str = "u_";

/// The column of a sector limit in the session query.
const SECTOR_COLUMN: &str = "limit_sector";

/// The name of the session cookie.
pub const COOKIE_NAME: &str = "chamlo_session";

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
pub fn session_token(cookies: &CookieJar) -> Option<String> {
    cookies
        .get(COOKIE_NAME)
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| !value.is_empty())
}

/// The session cookie for `token`: HttpOnly (no script reads it), SameSite=Strict (no other
/// site's form carries it), for `hours`, and Secure when the service is served over HTTPS.
pub fn session_cookie(token: String, hours: i64, secure: bool) -> Cookie<'static> {
    session_cookie_lasting(token, cookie::time::Duration::hours(hours))
        .secure(secure)
        .build()
}

/// The cookie that removes the session cookie from the browser: empty and already expired.
pub fn clear_session_cookie() -> Cookie<'static> {
    session_cookie_lasting(String::new(), cookie::time::Duration::ZERO).build()
}

/// The session cookie's attributes, set and cleared alike.
fn session_cookie_lasting(
    value: String,
    max_age: cookie::time::Duration,
) -> CookieBuilder<'static> {
    Cookie::build((COOKIE_NAME, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(max_age)
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
    /// Every unit (a few hundred rows at city size), from the server's copy checked with the
    /// session (`domain::units_copy`), so pages name wards and check campaigns without reading
    /// them again.
    pub units: Arc<Vec<unit::Model>>,
}

impl CurrentUser {
    /// Loads the user behind a session token, or `None` if the session is unknown or expired.
    /// Every page pays for this, and each query costs a hand-off to the database's thread, so
    /// it is one query of one to three rows: the session, its (active) user, the sectors the
    /// user is limited to (a row each) and the version of the units. The units come from the
    /// server's copy while that version holds (`domain::units_copy`), read again when not.
    pub async fn from_session(
        db: &impl ConnectionTrait,
        units: &UnitsCopy,
        token: &str,
        hours: i64,
    ) -> Result<Option<Self>, DbErr> {
        let (s, u, us) = (Alias::new("s"), Alias::new("u"), Alias::new("us"));
        let mut query = Query::select();
        query
            .from_as(session::Entity, s.clone())
            .column((s.clone(), session::Column::Id))
            .column((s.clone(), session::Column::ExpiresAt))
            .column((s.clone(), session::Column::LastSeenAt))
            .expr_as(
                Expr::col((us.clone(), user_sector::Column::Sector)),
                Alias::new(SECTOR_COLUMN),
            )
            .expr_as(version_expr(), Alias::new(VERSION_COLUMN));
        select_prefixed::<user::Entity>(&mut query, &u, USER_PREFIX);
        query
            .join_as(
                JoinType::InnerJoin,
                user::Entity,
                u.clone(),
                Expr::col((u.clone(), user::Column::Id))
                    .equals((s.clone(), session::Column::UserId))
                    .and(Expr::col((u.clone(), user::Column::Active)).eq(true)),
            )
            // The user's sector limits, a row each; LEFT so an unlimited user has one row.
            .join_as(
                JoinType::LeftJoin,
                user_sector::Entity,
                us.clone(),
                Expr::col((us, user_sector::Column::UserId)).equals((u, user::Column::Id)),
            )
            .and_where(Expr::col((s, session::Column::Id)).eq(token_digest(token)));
        let found = db.query_all(&query).await?;
        let Some(row) = found.first() else {
            return Ok(None);
        };
        let session_id: String = row.try_get("", "id")?;
        let expires_at: DateTime<Utc> = row.try_get("", "expires_at")?;
        let last_seen_at: DateTime<Utc> = row.try_get("", "last_seen_at")?;
        let version: i64 = row.try_get("", VERSION_COLUMN)?;
        let user = user::Model::from_query_result(row, USER_PREFIX)?;
        let mut sectors = Vec::new();
        for sector_row in &found {
            if let Some(sector) = sector_row.try_get::<Option<Sector>>("", SECTOR_COLUMN)? {
                sectors.push(sector);
            }
        }
        sectors.sort();
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
        // Only supervising staff can be limited (`scope::sectors_of`): rows left from another
        // role do not limit.
        if user.role != Role::District {
            sectors.clear();
        }
        let units = units.units(db, version).await?;
        Ok(Self::with_units(user, units, sectors))
    }

    /// Loads an active user by id with its unit and scope.
    pub async fn load(
        db: &impl ConnectionTrait,
        units: &UnitsCopy,
        user_id: i32,
    ) -> Result<Option<Self>, DbErr> {
        let Some(user) = user::Entity::find_by_id(user_id)
            .filter(user::Column::Active.eq(true))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let sectors = sectors_of(db, &user).await?;
        let version = units_version(db).await?;
        Ok(Self::with_units(
            user,
            units.units(db, version).await?,
            sectors,
        ))
    }

    /// Completes a user with every unit: its own unit and its scope. Always `Some` now that
    /// the role is typed (a stored role outside the vocabulary fails when the user is read).
    fn with_units(
        user: user::Model,
        units: Arc<Vec<unit::Model>>,
        sectors: Vec<Sector>,
    ) -> Option<Self> {
        let role = user.role;
        let unit = user
            .unit_id
            .and_then(|id| units.iter().find(|unit| unit.id == id).cloned());
        let scope = UnitScope::for_user_in(&user, &units, sectors);
        Some(Self {
            user,
            role,
            unit,
            scope,
            units,
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
        let token = session_token(&CookieJar::from_headers(&parts.headers))
            .ok_or(AppError::Unauthorized)?;
        let user =
            CurrentUser::from_session(&state.db, &state.units, &token, state.config.session_hours)
                .await?
                .ok_or(AppError::Unauthorized)?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_keeps_its_attributes_and_is_secure_when_configured() {
        assert_eq!(
            session_cookie("ab12".to_owned(), 8, true).to_string(),
            "chamlo_session=ab12; HttpOnly; SameSite=Strict; Secure; Path=/; Max-Age=28800"
        );
        assert_eq!(
            session_cookie("ab12".to_owned(), 8, false).to_string(),
            "chamlo_session=ab12; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800"
        );
        assert_eq!(
            clear_session_cookie().to_string(),
            "chamlo_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
        );
    }

    #[test]
    fn the_session_token_is_read_among_other_cookies() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            axum::http::HeaderValue::from_static("theme=dark; chamlo_session=ab12; lang=vi"),
        );
        let jar = CookieJar::from_headers(&headers);
        assert_eq!(session_token(&jar).as_deref(), Some("ab12"));
        let empty = CookieJar::new().add(Cookie::new(COOKIE_NAME, ""));
        assert_eq!(session_token(&empty), None);
    }
}
