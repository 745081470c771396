//! Who runs a campaign and approves its lists: the unit that runs the campaign decides. A
//! city's (or a district's) campaign for all its wards is run by that unit's supervising
//! staff, each reviewer approving their sectors' part; a ward's own campaign (a sponsor's
//! gift for its people) is run by that ward's leader — a supervising account whose unit is
//! the ward — and by nobody above it: the city sees the ward's program but neither approves
//! its lists nor changes it, and a ward's leader never approves a city campaign's lists. An
//! administrator may do both. `Operator::ensure_manages` (programs, status, duplicates,
//! payments, carrying forward), `ward_lists::transition_list` (approve, return, reopen), the
//! pages (which buttons they show) and the API all ask this module, so they cannot disagree.

use crate::domain::operator::Operator;
use crate::domain::units::subtree_ids;
use crate::entities::states::{Role, UnitLevel};
use crate::entities::{campaign, unit};
use crate::error::{AppError, AppResult};

/// Who approves a campaign's lists, as a page says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approvers {
    /// A ward's own campaign: the leader of the ward's people's committee.
    WardLeader {
        /// The ward's name, without the level word ("Tăng Nhơn Phú").
        ward: String,
    },
    /// A city's campaign: its reviewers, each approving their sector's part of every list.
    CityBySector,
    /// A district's campaign (before the 2025 reform): its supervising staff.
    District {
        /// The district's name, without the level word ("9").
        district: String,
    },
}

impl Approvers {
    /// The sentence the campaign page shows: "Lãnh đạo UBND phường Tăng Nhơn Phú duyệt danh
    /// sách", "Thành phố duyệt theo lĩnh vực", …
    pub fn label(&self) -> String {
        match self {
            Approvers::WardLeader { ward } => {
                format!("Lãnh đạo UBND phường {ward} duyệt danh sách")
            }
            Approvers::CityBySector => {
                "Thành phố duyệt theo lĩnh vực (người có công, bảo trợ xã hội, giảm nghèo)".into()
            }
            Approvers::District { district } => format!("Quận {district} duyệt danh sách"),
        }
    }
}

/// The unit running `campaign`, among `units` (every unit).
pub fn campaign_unit<'a>(
    units: &'a [unit::Model],
    campaign: &campaign::Model,
) -> Option<&'a unit::Model> {
    units.iter().find(|u| u.id == campaign.unit_id)
}

/// Who approves the lists of `campaign`. `units` is every unit.
pub fn approvers_of(units: &[unit::Model], campaign: &campaign::Model) -> Approvers {
    match campaign_unit(units, campaign) {
        Some(u) if u.level == UnitLevel::Ward => Approvers::WardLeader {
            ward: u.name.clone(),
        },
        Some(u) if u.level == UnitLevel::District => Approvers::District {
            district: u.name.clone(),
        },
        _ => Approvers::CityBySector,
    }
}

/// Whether `operator` may run a campaign of `runner` (the unit running it, found among
/// `units`): an administrator always; a supervising account when the unit is its own, or is
/// below its own and is not a ward (a ward's own program is its leader's alone). A ward
/// officer never.
pub fn may_run(operator: &Operator, runner: &unit::Model) -> bool {
    match operator.role {
        Role::Admin => true,
        Role::Ward => false,
        Role::District => {
            operator.actor.unit_id == Some(runner.id)
                || (runner.level != UnitLevel::Ward && operator.scope.allows(runner.id))
        }
    }
}

/// Whether `operator` runs `campaign` and approves, returns and reopens its lists (see
/// [`may_run`]). A campaign whose unit is unknown (removed) is left to administrators and to
/// the supervising accounts whose units include it.
pub fn approves(operator: &Operator, campaign: &campaign::Model) -> bool {
    match campaign_unit(&operator.units, campaign) {
        Some(runner) => may_run(operator, runner),
        None => {
            operator.role == Role::Admin
                || (operator.role == Role::District && operator.scope.allows(campaign.unit_id))
        }
    }
}

/// Refuses (403) unless `operator` runs `campaign` (see [`approves`]), naming who does.
pub fn ensure_approves(operator: &Operator, campaign: &campaign::Model) -> AppResult<()> {
    if approves(operator, campaign) {
        return Ok(());
    }
    if operator.role == Role::District
        && operator.scope.allows(campaign.unit_id)
        && let Approvers::WardLeader { ward } = approvers_of(&operator.units, campaign)
    {
        // A city reviewer looking at a ward's own program: say who decides it.
        return Err(AppError::Forbidden(format!(
            "Đợt quà này là chương trình riêng của phường {ward}: lãnh đạo UBND phường duyệt \
             và quản lý, không phải thành phố."
        )));
    }
    Err(AppError::Forbidden(
        "Tài khoản của bạn không có quyền duyệt hay quản lý đợt quà này.".into(),
    ))
}

/// The ids of the wards (and other units) a campaign covers: the unit running it and every
/// unit below it. Only those can have a list in it: a ward's own campaign has that ward's
/// list alone.
pub fn covered_units(units: &[unit::Model], campaign: &campaign::Model) -> Vec<i32> {
    subtree_ids(units, campaign.unit_id)
}

/// Whether `campaign` covers the ward `ward_id` (see [`covered_units`]).
pub fn covers(units: &[unit::Model], campaign: &campaign::Model, ward_id: i32) -> bool {
    covered_units(units, campaign).contains(&ward_id)
}

/// Refuses (404) a ward the campaign does not cover: a ward's own campaign has no list of
/// another ward, so its page does not exist.
pub fn ensure_covers(
    units: &[unit::Model],
    campaign: &campaign::Model,
    ward_id: i32,
) -> AppResult<()> {
    if covers(units, campaign, ward_id) {
        Ok(())
    } else {
        Err(AppError::NotFound(format!(
            "Đợt quà “{}” không có danh sách của phường này.",
            campaign.title
        )))
    }
}
