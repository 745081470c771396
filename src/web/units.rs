//! Pages about administrative units: the list of units a user serves and one unit's page.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::domain::clock::vietnam_date;
use crate::domain::lineage::{self, Lineage};
use crate::domain::units::display_name;
use crate::entities::{person, unit, ward_list};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::Chrome;
use crate::web::session::CurrentUser;

/// `/units` and `/units/{id}`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/units", get(list_units))
        .route("/units/{id}", get(show_unit))
}

/// One row of the unit list.
pub struct UnitRow {
    /// Its id.
    pub id: i32,
    /// Its code.
    pub code: String,
    /// Its official name.
    pub name: String,
    /// Its level in Vietnamese.
    pub level: &'static str,
    /// The unit above it, if any.
    pub parent: String,
    /// Validity, e.g. "đến 30/06/2025".
    pub validity: String,
    /// The units that went into it, with share and date ("Phường Hiệp Phú (toàn bộ, từ
    /// 01/07/2025)"): where its people's past lists were kept.
    pub predecessors: Vec<String>,
    /// The units it went into, with share and date: where its people are listed now.
    pub successors: Vec<String>,
}

/// "Phường Hiệp Phú (toàn bộ, từ 01/07/2025)", or with the khu phố of a part.
fn lineage_text(
    units: &[unit::Model],
    lineage: &Lineage,
    line: &crate::entities::unit_lineage::Model,
    other: i32,
) -> String {
    let name = units
        .iter()
        .find(|u| u.id == other)
        .map(display_name)
        .unwrap_or_default();
    let quarters: Vec<&str> = lineage
        .quarters
        .iter()
        .filter(|q| q.predecessor_id == line.predecessor_id && q.successor_id == line.successor_id)
        .map(|q| q.quarter.as_str())
        .collect();
    let share = if line.whole {
        "toàn bộ".to_owned()
    } else if quarters.is_empty() {
        "một phần".to_owned()
    } else {
        format!("một phần: {}", quarters.join(", "))
    };
    format!("{name} ({share}, từ {})", vietnam_date(line.effective_on))
}

fn unit_row(unit: &unit::Model, units: &[unit::Model], lineage: &Lineage) -> UnitRow {
    let parent = unit
        .parent_id
        .and_then(|id| units.iter().find(|u| u.id == id))
        .map(display_name)
        .unwrap_or_default();
    let validity = match (unit.valid_from, unit.valid_to) {
        (Some(from), Some(to)) => {
            format!("{} – {}", vietnam_date(from), vietnam_date(to))
        }
        (Some(from), None) => format!("từ {}", vietnam_date(from)),
        (None, Some(to)) => format!("đến {}", vietnam_date(to)),
        (None, None) => "đang hoạt động".into(),
    };
    UnitRow {
        id: unit.id,
        code: unit.code.clone(),
        name: display_name(unit),
        level: unit.level.label(),
        parent,
        validity,
        predecessors: lineage
            .predecessors_of(unit.id)
            .map(|line| lineage_text(units, lineage, line, line.predecessor_id))
            .collect(),
        successors: lineage
            .successors_of(unit.id)
            .map(|line| lineage_text(units, lineage, line, line.successor_id))
            .collect(),
    }
}

/// The units the user serves.
#[derive(Template, WebTemplate)]
#[template(path = "units.html")]
struct UnitsPage {
    chrome: Chrome,
    units: Vec<UnitRow>,
}

async fn list_units(State(state): State<AppState>, user: CurrentUser) -> AppResult<UnitsPage> {
    let units = &user.units;
    let lineage = lineage::load(&state.db).await?;
    let rows = units
        .iter()
        .filter(|unit| user.scope.allows(unit.id))
        .map(|unit| unit_row(unit, units, &lineage))
        .collect();
    Ok(UnitsPage {
        chrome: Chrome::for_user(&user),
        units: rows,
    })
}

/// One unit: what it is and how many people and lists it has.
#[derive(Template, WebTemplate)]
#[template(path = "unit.html")]
struct UnitPage {
    chrome: Chrome,
    unit: UnitRow,
    people: u64,
    lists: u64,
}

async fn show_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<UnitPage> {
    user.scope.ensure(id)?;
    let units = &user.units;
    let found = units
        .iter()
        .find(|unit| unit.id == id)
        .ok_or_else(|| AppError::NotFound("Không tìm thấy đơn vị này.".into()))?;
    let people = person::Entity::find()
        .filter(person::Column::WardId.eq(id))
        .count(&state.db)
        .await?;
    let lists = ward_list::Entity::find()
        .filter(ward_list::Column::WardId.eq(id))
        .count(&state.db)
        .await?;
    Ok(UnitPage {
        chrome: Chrome::for_user(&user),
        unit: unit_row(found, units, &lineage::load(&state.db).await?),
        people,
        lists,
    })
}
