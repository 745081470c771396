//! What every page's frame shows: the user's name, role and unit, and the menu for the role.

use crate::domain::accounts::Role;
use crate::domain::units::display_name;
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
            role_label: user.role.label(),
            unit_name: user.unit.as_ref().map(display_name).unwrap_or_default(),
            is_admin: user.role == Role::Admin,
            is_supervisor: matches!(user.role, Role::Admin | Role::District),
        }
    }
}
