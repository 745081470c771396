//! The tree of administrative units: finding a ward by what a person types, walking down a
//! district to its wards, naming units the way official papers do, and creating or changing
//! a unit from the administration form (with the catalogue's edit error, which categories
//! share).

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, QueryOrder, Set};

use crate::domain::audit::{self, Actor, AuditEvent};
use crate::entities::states::UnitLevel;
use crate::entities::unit;
use crate::error::AppError;
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
    units.iter().find(|unit| is_named(unit, level, &wanted))
}

/// Whether `unit` is of `level` and has the code or the (folded, level word dropped) name
/// `wanted`.
fn is_named(unit: &unit::Model, level: UnitLevel, wanted: &str) -> bool {
    unit.level == level
        && (unit.code == wanted || strip_level_word(&fold_key(&unit.name)) == wanted)
}

/// [`find_unit`], preferring a unit valid on `day` when several share the name: after the
/// 2025 reform "Long Trường" is both the old ward and the new one, and a 2027 campaign means
/// the new one.
pub fn find_unit_on<'a>(
    units: &'a [unit::Model],
    level: UnitLevel,
    text: &str,
    day: chrono::NaiveDate,
) -> Option<&'a unit::Model> {
    let wanted = strip_level_word(&fold_key(text));
    if wanted.is_empty() {
        return None;
    }
    let mut matching = units.iter().filter(|unit| is_named(unit, level, &wanted));
    let first = matching.next()?;
    if valid_on(first, day) {
        return Some(first);
    }
    Some(matching.find(|unit| valid_on(unit, day)).unwrap_or(first))
}

/// Whether the unit exists on `day` (between its first and last day, both included).
pub fn valid_on(unit: &unit::Model, day: chrono::NaiveDate) -> bool {
    unit.valid_from.is_none_or(|from| from <= day) && unit.valid_to.is_none_or(|to| to >= day)
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

/// A catalogue edit refused: the problems next to their fields, or a failure.
#[derive(Debug)]
pub enum EditError {
    /// (field, Vietnamese message) pairs.
    Fields(Vec<(&'static str, String)>),
    /// Anything else.
    App(AppError),
}

impl<E: Into<AppError>> From<E> for EditError {
    fn from(err: E) -> Self {
        EditError::App(err.into())
    }
}

/// A unit as typed into the administration form.
#[derive(Debug, Clone, Default)]
pub struct UnitInput {
    /// The official code (mã đơn vị hành chính).
    pub code: String,
    /// The name without its level word ("Hiệp Phú").
    pub name: String,
    /// city, district or ward.
    pub level: String,
    /// The unit above it, if any.
    pub parent_id: Option<i32>,
    /// The first day it exists, if known.
    pub valid_from: Option<chrono::NaiveDate>,
    /// The last day it exists; none while it does.
    pub valid_to: Option<chrono::NaiveDate>,
}

/// How high a level sits in the tree (a parent sits higher than its children).
fn level_rank(level: UnitLevel) -> u8 {
    match level {
        UnitLevel::City => 0,
        UnitLevel::District => 1,
        UnitLevel::Ward => 2,
    }
}

/// Whether two validity spans share a day (an open end runs forever).
fn spans_overlap(a: &UnitInput, b: &unit::Model) -> bool {
    let starts_before_b_ends = match (a.valid_from, b.valid_to) {
        (Some(from), Some(to)) => from <= to,
        _ => true,
    };
    let b_starts_before_a_ends = match (b.valid_from, a.valid_to) {
        (Some(from), Some(to)) => from <= to,
        _ => true,
    };
    starts_before_b_ends && b_starts_before_a_ends
}

/// Creates (`id` none) or changes a unit, audited. Units are data with validity dates: a code
/// may be reused, but not by two units of one level valid on the same day; the parent must
/// sit higher in the tree and may not be the unit itself or a unit below it (no cycles).
pub async fn save_unit(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Option<i32>,
    input: UnitInput,
) -> Result<unit::Model, EditError> {
    let units = crate::domain::units::all_units(db).await?;
    let before = match id {
        Some(id) => Some(
            units
                .iter()
                .find(|u| u.id == id)
                .cloned()
                .ok_or_else(|| AppError::NotFound("Không tìm thấy đơn vị này.".into()))?,
        ),
        None => None,
    };
    let input = UnitInput {
        code: input.code.trim().to_owned(),
        name: crate::vn::text::normalize(&input.name),
        ..input
    };
    let mut errors = Vec::new();
    if input.code.is_empty()
        || input.code.chars().count() > 20
        || !input.code.chars().all(|c| c.is_ascii_alphanumeric())
    {
        errors.push((
            "code",
            "Hãy nhập mã đơn vị (chữ số hoặc chữ cái không dấu, tối đa 20 ký tự).".to_owned(),
        ));
    }
    if input.name.is_empty() || input.name.chars().count() > 200 {
        errors.push(("name", "Hãy nhập tên đơn vị (tối đa 200 ký tự).".to_owned()));
    }
    let level = UnitLevel::parse(&input.level);
    if level.is_none() {
        errors.push((
            "level",
            "Hãy chọn cấp: thành phố, quận/huyện hoặc phường/xã.".to_owned(),
        ));
    }
    if let Some(parent_id) = input.parent_id {
        match units.iter().find(|u| u.id == parent_id) {
            None => errors.push(("parent_id", "Không tìm thấy đơn vị cấp trên.".to_owned())),
            Some(parent) => {
                let below = id.map(|id| crate::domain::units::subtree_ids(&units, id));
                if below.is_some_and(|ids| ids.contains(&parent_id)) {
                    errors.push((
                        "parent_id",
                        format!(
                            "“{}” là chính đơn vị này hoặc trực thuộc nó: chọn làm cấp trên sẽ \
                             tạo vòng lặp.",
                            crate::domain::units::display_name(parent)
                        ),
                    ));
                } else if let Some(level) = level
                    && level_rank(parent.level) >= level_rank(level)
                {
                    errors.push((
                        "parent_id",
                        "Đơn vị cấp trên phải ở cấp cao hơn (thành phố › quận › phường)."
                            .to_owned(),
                    ));
                }
            }
        }
    } else if level == Some(UnitLevel::Ward) {
        errors.push((
            "parent_id",
            "Phường/xã phải trực thuộc một đơn vị cấp trên.".to_owned(),
        ));
    }
    if let (Some(from), Some(to)) = (input.valid_from, input.valid_to)
        && from > to
    {
        errors.push((
            "valid_to",
            "Ngày hết hiệu lực phải sau ngày bắt đầu.".to_owned(),
        ));
    }
    if !input.code.is_empty()
        && let Some(clash) = units.iter().find(|u| {
            Some(u.id) != id
                && u.code == input.code
                && Some(u.level) == level
                && spans_overlap(&input, u)
        })
    {
        errors.push((
            "code",
            format!(
                "Mã {} đang được dùng cho {} trong cùng thời gian hiệu lực. Mã có thể dùng lại \
                 sau khi đơn vị cũ hết hiệu lực.",
                input.code,
                crate::domain::units::display_name(clash)
            ),
        ));
    }
    let Some(level) = level.filter(|_| errors.is_empty()) else {
        return Err(EditError::Fields(errors));
    };
    let mut active: unit::ActiveModel = match &before {
        Some(found) => found.clone().into(),
        None => unit::ActiveModel {
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        },
    };
    active.code = Set(input.code);
    active.name = Set(input.name);
    active.level = Set(level);
    active.parent_id = Set(input.parent_id);
    active.valid_from = Set(input.valid_from);
    active.valid_to = Set(input.valid_to);
    let saved = match &before {
        Some(_) => active.update(db).await?,
        None => active.insert(db).await?,
    };
    audit::record(
        db,
        actor,
        AuditEvent {
            action: if before.is_some() {
                "unit.update"
            } else {
                "unit.create"
            },
            entity_type: "unit",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(saved.id),
        },
        before.as_ref(),
        Some(&saved),
    )
    .await?;
    Ok(saved)
}
