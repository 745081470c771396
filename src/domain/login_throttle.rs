//! Slowing down password guessing: after [`MAX_FAILURES_PER_ACCOUNT`] failed logins for one
//! name, or [`MAX_FAILURES_PER_ADDRESS`] from one address, within [`WINDOW_MINUTES`], further
//! attempts are refused — even with the right password — until the oldest of those failures
//! is [`WINDOW_MINUTES`] old. Failures live in the database, so every app server shares them.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

use crate::entities::login_attempt;

/// Failed logins for one account within the window before it is refused.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed logins from one address within the window before it is refused.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
/// The window, and so the longest wait, in minutes.
pub const WINDOW_MINUTES: i64 = 15;
/// How long failures are kept at all (older rows are deleted on the way).
const KEEP_HOURS: i64 = 24;

/// The message shown on the login page while attempts are refused.
pub fn refusal_message() -> String {
    format!(
        "Đăng nhập sai quá nhiều lần. Để bảo vệ tài khoản, hệ thống tạm khóa đăng nhập; \
         vui lòng thử lại sau {WINDOW_MINUTES} phút hoặc liên hệ quản trị viên."
    )
}

/// The login name as stored and compared: trimmed, lower case, at most 100 characters.
fn account_key(username: &str) -> String {
    username.trim().to_lowercase().chars().take(100).collect()
}

/// Whether a login for `username` from `address` (unknown: `None`, then only the account
/// counts) must be refused now without checking the password.
pub async fn is_refused(
    db: &impl ConnectionTrait,
    username: &str,
    address: Option<&str>,
) -> Result<bool, DbErr> {
    is_refused_at(db, username, address, Utc::now()).await
}

/// [`is_refused`] at a given moment (for tests of the window).
pub async fn is_refused_at(
    db: &impl ConnectionTrait,
    username: &str,
    address: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let for_account = login_attempt::Entity::find()
        .filter(login_attempt::Column::Username.eq(account_key(username)))
        .filter(login_attempt::Column::AttemptedAt.gt(since))
        .count(db)
        .await?;
    if for_account >= MAX_FAILURES_PER_ACCOUNT {
        return Ok(true);
    }
    let Some(address) = address else {
        return Ok(false);
    };
    let for_address = login_attempt::Entity::find()
        .filter(login_attempt::Column::Address.eq(address))
        .filter(login_attempt::Column::AttemptedAt.gt(since))
        .count(db)
        .await?;
    Ok(for_address >= MAX_FAILURES_PER_ADDRESS)
}

/// Records a failed login (and forgets failures older than a day).
pub async fn record_failure(
    db: &impl ConnectionTrait,
    username: &str,
    address: Option<&str>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::AttemptedAt.lt(now - Duration::hours(KEEP_HOURS)))
        .exec(db)
        .await?;
    login_attempt::ActiveModel {
        username: Set(account_key(username)),
        address: Set(address.map(|a| a.chars().take(100).collect())),
        attempted_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// After a successful login, the account's earlier failures no longer count against it.
pub async fn record_success(db: &impl ConnectionTrait, username: &str) -> Result<(), DbErr> {
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::Username.eq(account_key(username)))
        .exec(db)
        .await
        .map(|_| ())
}
