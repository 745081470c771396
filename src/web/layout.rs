//! What every page's frame shows: the user's name, role and unit, and the menu for the role;
//! plus the small helpers the page modules share (the operator of a request, form errors,
//! safe "back" links and query values, download responses).

use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::audit::Actor;
use crate::domain::operator::Operator;
use crate::domain::units::display_name;
use crate::entities::campaign;
use crate::entities::states::Role;
use crate::error::{AppError, AppResult};
use crate::web::session::CurrentUser;

/// The header of every logged-in page.
pub struct Chrome {
    /// The user's name.
    pub user_name: String,
    /// The role in Vietnamese.
    pub role_label: &'static str,
    /// The unit served, as official papers name it ("Phường Hiệp Phú"); empty for admins.
    pub unit_name: String,
    /// Whether to show the administration menu.
    pub is_admin: bool,
    /// Whether to show the supervision menu.
    pub is_supervisor: bool,
}

impl Chrome {
    /// The frame for `user`.
    pub fn for_user(user: &CurrentUser) -> Self {
        Self {
            user_name: user.display_name().to_owned(),
            // A supervising account of a ward is the ward's leader, not district staff.
            role_label: match (user.role, user.unit.as_ref().map(|u| u.level)) {
                (Role::District, Some(crate::entities::states::UnitLevel::Ward)) => {
                    "Lãnh đạo phường (giám sát)"
                }
                (role, _) => role.label(),
            },
            unit_name: user.unit.as_ref().map(display_name).unwrap_or_default(),
            is_admin: user.role == Role::Admin,
            is_supervisor: matches!(user.role, Role::Admin | Role::District),
        }
    }
}

/// The operator behind a web request, for domain calls.
pub fn operator(user: &CurrentUser) -> Operator {
    Operator {
        actor: Actor::user(&user.user),
        role: user.role,
        scope: user.scope.clone(),
        units: user.units.clone(),
    }
}

/// A campaign by slug, refused (403) when the user may not see it: the rule of
/// `ward_lists::visible_campaign`, checked against the units read with the session, so a
/// page pays one query for it.
pub async fn visible_campaign_for(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    slug: &str,
) -> AppResult<campaign::Model> {
    // `.all()` on the unique slug rather than `.one()`: the LIMIT that `.one()` binds makes
    // SQLite 3.47+ prepare the statement again on every call.
    let found = campaign::Entity::find()
        .filter(campaign::Column::Slug.eq(slug.trim()))
        .all(db)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::NotFound(format!("Không tìm thấy đợt quà “{}”.", slug.trim())))?;
    ensure_sees_campaign(user, &found)?;
    Ok(found)
}

/// Refuses (403) a campaign the user may not see, by the rule of [`visible_campaign_for`].
pub fn ensure_sees_campaign(user: &CurrentUser, campaign: &campaign::Model) -> AppResult<()> {
    if user
        .scope
        .sees_campaign_of(&user.units, user.user.unit_id, campaign.unit_id)
    {
        Ok(())
    } else {
        Err(AppError::outside_scope())
    }
}

/// Problems of a submitted form, each next to its field.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    /// (field, message) pairs; the field "" is the form as a whole.
    pub items: Vec<(&'static str, String)>,
}

impl FormErrors {
    /// The errors given.
    pub fn new(items: Vec<(&'static str, String)>) -> Self {
        Self { items }
    }

    /// The message for `field`, or "" when it has none.
    pub fn get(&self, field: &str) -> &str {
        self.items
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, message)| message.as_str())
    }

    /// Whether there is any problem.
    pub fn any(&self) -> bool {
        !self.items.is_empty()
    }
}

/// The trimmed value of `key` in a form read as pairs, "" when it is absent: for forms whose
/// fields repeat (ticked rows, an amount per category), which a struct cannot hold.
pub fn form_value(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

/// A local path to go back to after a form, or `fallback` when `back` could lead elsewhere.
pub fn safe_back(back: Option<&str>, fallback: &str) -> String {
    match back {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => fallback.to_owned(),
    }
}

/// What a query value keeps unencoded: RFC 3986's unreserved characters, nothing else, so a
/// value never ends its parameter early whatever a user typed into a search box.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a value for a link's query string (search words, a "back" path).
pub fn url_encode(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// A workbook download with an ASCII file name.
pub fn xlsx_download(file_name: &str, bytes: Vec<u8>) -> Response {
    file_download(
        file_name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    )
}

/// A CSV download (a bank's batch upload) with an ASCII file name.
pub fn csv_download(file_name: &str, bytes: Vec<u8>) -> Response {
    file_download(file_name, "text/csv; charset=utf-8", bytes)
}

/// A download of `content_type`, never cached, its file name reduced to ASCII letters,
/// digits, `.`, `-` and `_` so that it cannot break the header.
fn file_download(file_name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// Money as Vietnamese papers print it: "1.200.000 đ".
pub fn money(amount: i64) -> String {
    crate::vn::money_words::format_vnd(amount)
}

#[cfg(test)]
mod tests {
    use super::url_encode;

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        assert_eq!(
            url_encode("Lê Thị&q=1/?#+~._-"),
            "L%C3%AA%20Th%E1%BB%8B%26q%3D1%2F%3F%23%2B~._-"
        );
    }
}
