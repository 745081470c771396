//! The tree of administrative units: finding a ward by what a person types, walking down a
//! district to its wards, and naming units the way official papers do.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};

use crate::entities::states::UnitLevel;
use crate::entities::unit;
use crate::vn::text::fold_key;

/// Every unit, in id order (the table holds hundreds of rows at most).
pub async fn all_units(db: &impl ConnectionTrait) -> Result<Vec<unit::Model>, DbErr> {
    unit::Entity::find()
        .order_by_asc(unit::Column::Id)
        .all(db)
        .await
}

/// The ids of `root` and every unit below it.
pub fn subtree_ids(units: &[unit::Model], root: i32) -> Vec<i32> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for unit in units {
        if let Some(parent) = unit.parent_id {
            children.entry(parent).or_default().push(unit.id);
        }
    }
    let mut ids = vec![root];
    let mut seen = std::collections::HashSet::from([root]);
    let mut next = 0;
    while next < ids.len() {
        for kid in children.get(&ids[next]).into_iter().flatten() {
            // A cycle in bad data must not loop forever.
            if seen.insert(*kid) {
                ids.push(*kid);
            }
        }
        next += 1;
    }
    ids.sort_unstable();
    ids
}

/// The chain from `id` up to the root, starting with the unit itself.
pub fn ancestry(units: &[unit::Model], id: i32) -> Vec<&unit::Model> {
    let mut chain = Vec::new();
    let mut current = units.iter().find(|unit| unit.id == id);
    while let Some(unit) = current {
        if chain.iter().any(|seen: &&unit::Model| seen.id == unit.id) {
            break;
        }
        chain.push(unit);
        current = unit
            .parent_id
            .and_then(|parent| units.iter().find(|candidate| candidate.id == parent));
    }
    chain
}

/// Finds a unit of `level` by its code or its name, in any case, with or without diacritics
/// and with or without its level word ("Phường Hiệp Phú", "P. Hiệp Phú", "hiep phu", "26839").
pub fn find_unit<'a>(
    units: &'a [unit::Model],
    level: UnitLevel,
    text: &str,
) -> Option<&'a unit::Model> {
    let wanted = strip_level_word(&fold_key(text));
    if wanted.is_empty() {
        return None;
    }
    units
        .iter()
        .filter(|unit| unit.level == level)
        .find(|unit| unit.code == wanted || strip_level_word(&fold_key(&unit.name)) == wanted)
}

/// Drops a leading "phường", "p.", "quận", "thành phố"… from a folded name.
fn strip_level_word(folded: &str) -> String {
    const PREFIXES: &[&str] = &[
        "ubnd phuong ",
        "phuong ",
        "p. ",
        "p.",
        "p ",
        "quan ",
        "q. ",
        "q.",
        "thanh pho ",
        "tp. ",
        "tp.",
        "tp ",
    ];
    for prefix in PREFIXES {
        if let Some(rest) = folded.strip_prefix(prefix) {
            let rest = rest.trim();
            // "Quận 9" is a name, not a prefix plus "9".
            let is_numbered_name =
                prefix.starts_with('q') && rest.chars().all(|c| c.is_ascii_digit());
            if !rest.is_empty() && !is_numbered_name {
                return rest.to_owned();
            }
        }
    }
    folded.to_owned()
}

/// The unit's name as official papers write it: "Phường Hiệp Phú", "Quận 9", "Thành phố Hồ Chí Minh".
pub fn display_name(unit: &unit::Model) -> String {
    let prefix = match unit.level {
        UnitLevel::City => "Thành phố",
        UnitLevel::District => "Quận",
        UnitLevel::Ward => "Phường",
    };
    if fold_key(&unit.name).starts_with(&fold_key(prefix)) {
        unit.name.clone()
    } else {
        format!("{prefix} {}", unit.name)
    }
}

/// Whether a unit existed on the first day of `year` (the wards of a 2021 campaign are the
/// wards before the 2025 reform).
pub fn valid_in_year(unit: &unit::Model, year: i32) -> bool {
    let Some(day) = chrono::NaiveDate::from_ymd_opt(year, 1, 1) else {
        return unit.valid_to.is_none();
    };
    unit.valid_from.is_none_or(|from| from <= day) && unit.valid_to.is_none_or(|to| to >= day)
}
