//! Who acts in a domain call: the audit actor with the role and the units it may touch, the
//! same for a web session, an API token and the command line. Domain functions take an
//! [`Operator`] and check it themselves, so a page, the API and the CLI cannot differ on who
//! may do what.

use std::sync::Arc;

use sea_orm::ConnectionTrait;

use crate::domain::audit::Actor;
use crate::domain::scope::UnitScope;
use crate::domain::units::all_units;
use crate::entities::states::Role;
use crate::entities::{campaign, unit, user};
use crate::error::{AppError, AppResult};

/// Who acts in a domain call: the audit actor, the role that decides the actions and the
/// scope that decides the units.
#[derive(Debug, Clone)]
pub struct Operator {
    /// Recorded in the audit log.
    pub actor: Actor,
    /// What the operator may do.
    pub role: Role,
    /// Which units' data the operator may touch.
    pub scope: UnitScope,
    /// Every unit (a few dozen rows, shared with the session that read them): the rules that
    /// depend on a unit's level, such as who runs a ward's own campaign
    /// (`domain::approvers`), read the tree from here instead of the database.
    pub units: Arc<Vec<unit::Model>>,
}

impl Operator {
    /// The command line or another trusted system process: administrator rights everywhere.
    pub fn system(name: &str) -> Self {
        Self {
            actor: Actor::system(name),
            role: Role::Admin,
            scope: UnitScope::All,
            units: Arc::new(Vec::new()),
        }
    }

    /// A user with the role and scope of their account.
    pub async fn for_user(db: &impl ConnectionTrait, user: &user::Model) -> AppResult<Self> {
        let units = all_units(db).await?;
        let scope = if user.role == Role::Admin {
            UnitScope::All
        } else {
            let sectors = crate::domain::scope::sectors_of(db, user).await?;
            UnitScope::for_user_in(user, &units, sectors)
        };
        Ok(Self {
            actor: Actor::user(user),
            role: user.role,
            scope,
            units: Arc::new(units),
        })
    }

    /// Refuses with 403 unless the operator has one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> AppResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "Tài khoản của bạn không có quyền thực hiện thao tác này.".into(),
            ))
        }
    }

    /// Refuses unless the operator runs the campaign: an administrator, or supervising staff
    /// of the unit running it (or above it, unless it is a ward's own campaign: that one is
    /// its leader's alone). The rule is `domain::approvers`'.
    pub fn ensure_manages(&self, campaign: &campaign::Model) -> AppResult<()> {
        self.require_role(&[Role::Admin, Role::District])?;
        self.scope.ensure(campaign.unit_id)?;
        crate::domain::approvers::ensure_approves(self, campaign)
    }
}
