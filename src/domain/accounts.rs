//! Accounts: roles, password hashing (argon2), the rules for creating users, and the users
//! an administrator of a unit sees.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use chrono::Utc;
use rand::Rng;
use rand::distr::Alphanumeric;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

use crate::domain::scope::UnitScope;
use crate::entities::states::{Role, UnitLevel};
use crate::entities::{session, unit, user};
use crate::error::{AppError, AppResult};

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("argon2: {err}"))
}

/// Checks a password against a stored PHC hash; a malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random 16-character password for the first administrator.
pub fn random_password() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(16)
        .map(char::from)
        .collect()
}

/// What is needed to create an account.
pub struct NewUser<'a> {
    /// Login name; stored in lower case.
    pub username: &'a str,
    /// The plain password, hashed before it is stored.
    pub password: &'a str,
    /// The role.
    pub role: Role,
    /// The unit served (none for an administrator).
    pub unit_id: Option<i32>,
    /// The person's name, shown in the header and the audit log.
    pub full_name: Option<&'a str>,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;

/// Creates a user after checking the name, the password and that the unit fits the role.
pub async fn create_user(db: &impl ConnectionTrait, new: NewUser<'_>) -> AppResult<user::Model> {
    let username = new.username.trim().to_lowercase();
    let valid_name = (3..=32).contains(&username.chars().count())
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !valid_name {
        return Err(AppError::Invalid(
            "Tên đăng nhập phải dài 3–32 ký tự, chỉ gồm chữ không dấu, số và các dấu . _ -".into(),
        ));
    }
    if new.password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AppError::Invalid(format!(
            "Mật khẩu phải có ít nhất {MIN_PASSWORD_LEN} ký tự."
        )));
    }
    check_unit_fits_role(db, new.role, new.unit_id).await?;
    let now = Utc::now();
    let model = user::ActiveModel {
        username: Set(username),
        password_hash: Set(hash_password(new.password)?),
        full_name: Set(new
            .full_name
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)),
        role: Set(new.role),
        unit_id: Set(new.unit_id),
        active: Set(true),
        password_changed_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    };
    model
        .insert(db)
        .await
        .map_err(|err| AppError::on_unique_violation(err, "Tên đăng nhập này đã có người dùng."))
}

/// Refuses a unit that does not fit the role (a ward officer needs a ward; supervising staff
/// a city, a district, or a ward: a ward's supervising account is its leader, who approves
/// the ward's own campaigns, see `domain::approvers`); shared by creating and editing an
/// account.
pub(crate) async fn check_unit_fits_role(
    db: &impl ConnectionTrait,
    role: Role,
    unit_id: Option<i32>,
) -> AppResult<()> {
    let unit = match unit_id {
        Some(id) => Some(
            unit::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::Invalid("Không tìm thấy đơn vị đã chọn.".into()))?,
        ),
        None => None,
    };
    match (role, unit.as_ref().map(|u| u.level)) {
        (Role::Admin, _) => Ok(()),
        (Role::Ward, Some(UnitLevel::Ward)) => Ok(()),
        (Role::District, Some(_)) => Ok(()),
        (Role::Ward, _) => Err(AppError::Invalid(
            "Cán bộ phường phải được gắn với một phường.".into(),
        )),
        (Role::District, _) => Err(AppError::Invalid(
            "Cán bộ giám sát phải được gắn với một đơn vị: thành phố, quận hoặc phường (lãnh đạo \
             phường)."
                .into(),
        )),
    }
}

/// Checks a login. Unknown names cost the same time as wrong passwords, so the answer does
/// not reveal which accounts exist.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    username: &str,
    password: &str,
) -> Result<Option<user::Model>, DbErr> {
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(username.trim().to_lowercase()))
        .one(db)
        .await?;
    match found {
        Some(user) if user.active && verify_password(&user.password_hash, password) => {
            Ok(Some(user))
        }
        Some(_) => Ok(None),
        None => {
            let _ = verify_password(DUMMY_HASH, password);
            Ok(None)
        }
    }
}

/// A valid argon2 hash of a random string, verified against when the user does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$Qq8VrN6V2Oq5u0fZ3bX0A0b2wqHcQbA8Rz3vA3o2xJY";

/// Sets a new password and ends every session of the user (a changed password logs out everywhere).
pub async fn change_password(
    db: &impl ConnectionTrait,
    user: &user::Model,
    new_password: &str,
) -> AppResult<()> {
    if new_password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AppError::Invalid(format!(
            "Mật khẩu phải có ít nhất {MIN_PASSWORD_LEN} ký tự."
        )));
    }
    let mut model: user::ActiveModel = user.clone().into();
    model.password_hash = Set(hash_password(new_password)?);
    model.password_changed_at = Set(Utc::now());
    model.update(db).await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user.id))
        .exec(db)
        .await?;
    Ok(())
}

/// On a database without users, creates `admin` with `password` (or a random one) and returns
/// the password so it can be shown once. Returns `None` when users already exist.
pub async fn ensure_first_admin(
    db: &impl ConnectionTrait,
    password: Option<String>,
) -> AppResult<Option<String>> {
    if user::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let password = password
        .filter(|p| !p.is_empty())
        .unwrap_or_else(random_password);
    create_user(
        db,
        NewUser {
            username: "admin",
            password: &password,
            role: Role::Admin,
            unit_id: None,
            full_name: Some("Quản trị hệ thống"),
        },
    )
    .await?;
    Ok(Some(password))
}

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
