//! Who acts in a domain call: the audit actor with the role and the units it may touch, the
//! same for a web session, an API token and the command line. Domain functions take an
//! [`Operator`] and check it themselves, so a page, the API and the CLI cannot differ on who
//! may do what.

use sea_orm::ConnectionTrait;

use crate::domain::audit::Actor;
use crate::domain::scope::UnitScope;
use crate::entities::states::Role;
use crate::entities::{campaign, user};
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
}

impl Operator {
    /// The command line or another trusted system process: administrator rights everywhere.
    pub fn system(name: &str) -> Self {
        Self {
            actor: Actor::system(name),
            role: Role::Admin,
            scope: UnitScope::All,
        }
    }

    /// A user with the role and scope of their account.
    pub async fn for_user(db: &impl ConnectionTrait, user: &user::Model) -> AppResult<Self> {
        Ok(Self {
            actor: Actor::user(user),
            role: user.role,
            scope: UnitScope::for_user(db, user).await?,
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

    /// Refuses unless the operator supervises the campaign: district staff (or an
    /// administrator) whose units include the unit running it.
    pub fn ensure_manages(&self, campaign: &campaign::Model) -> AppResult<()> {
        self.require_role(&[Role::Admin, Role::District])?;
        self.scope.ensure(campaign.unit_id)
    }
}
