//! What the administration pages read and the catalogue edits they make: users in a scope,
//! the audit log filtered and paginated, categories with their synonyms.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::scope::UnitScope;
use crate::entities::states::{CategoryKind, UnitLevel};
use crate::entities::{audit_event, category, category_synonym, unit, user};
use crate::error::{AppError, AppResult};

/// Audit events on one page.
pub const AUDIT_PAGE_SIZE: u64 = 50;

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

/// What the audit log is filtered by.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// The acting user's login name (exact).
    pub actor: Option<String>,
    /// The unit (ward) concerned.
    pub unit_id: Option<i32>,
    /// The action, or its prefix ("list." for every list step).
    pub action: Option<String>,
    /// 1-based page.
    pub page: u64,
}

/// One page of the audit log, newest first, and the number of matching events.
pub async fn audit_page(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
) -> AppResult<(Vec<audit_event::Model>, u64)> {
    let mut query = audit_event::Entity::find();
    if let Some(actor) = &filter.actor {
        query = query.filter(audit_event::Column::ActorName.eq(actor.clone()));
    }
    if let Some(unit_id) = filter.unit_id {
        query = query.filter(audit_event::Column::UnitId.eq(unit_id));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_event::Column::Action.starts_with(action.clone()));
    }
    let paginator = query
        .order_by_desc(audit_event::Column::Id)
        .paginate(db, AUDIT_PAGE_SIZE);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(filter.page.max(1) - 1).await?;
    Ok((rows, total))
}

/// Every category with its synonyms (two queries), highest rank first.
pub async fn categories_with_synonyms(
    db: &impl ConnectionTrait,
) -> AppResult<Vec<(category::Model, Vec<category_synonym::Model>)>> {
    let categories = category::Entity::find()
        .order_by_desc(category::Column::Rank)
        .order_by_asc(category::Column::Name)
        .all(db)
        .await?;
    let synonyms = category_synonym::Entity::find()
        .order_by_asc(category_synonym::Column::Synonym)
        .all(db)
        .await?;
    Ok(categories
        .into_iter()
        .map(|c| {
            let own = synonyms
                .iter()
                .filter(|s| s.category_id == c.id)
                .cloned()
                .collect();
            (c, own)
        })
        .collect())
}

/// Adds a synonym (as wards type the category in their files), audited. A synonym already
/// given to any category (compared without case and diacritics) is refused.
pub async fn add_synonym(
    db: &impl ConnectionTrait,
    actor: &Actor,
    category_id: i32,
    text: &str,
) -> AppResult<category_synonym::Model> {
    let text = crate::vn::text::normalize(text);
    if text.is_empty() {
        return Err(AppError::Invalid("Hãy nhập cách viết cần thêm.".into()));
    }
    category::Entity::find_by_id(category_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy đối tượng này.".into()))?;
    let key = crate::vn::text::fold_key(&text);
    let taken = category_synonym::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .any(|s| crate::vn::text::fold_key(&s.synonym) == key);
    if taken {
        return Err(AppError::Invalid(format!(
            "Cách viết “{text}” đã có trong danh mục."
        )));
    }
    let created = category_synonym::ActiveModel {
        category_id: Set(category_id),
        synonym: Set(text),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record::<(), _>(
        db,
        actor,
        AuditEvent {
            action: "category.synonym_add",
            entity_type: "category",
            entity_id: Some(category_id.to_string()),
            unit_id: None,
        },
        None,
        Some(&created.synonym),
    )
    .await?;
    Ok(created)
}

/// Removes a synonym, audited.
pub async fn remove_synonym(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<()> {
    let found = category_synonym::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy cách viết này.".into()))?;
    category_synonym::Entity::delete_by_id(id).exec(db).await?;
    audit::record::<_, ()>(
        db,
        actor,
        AuditEvent {
            action: "category.synonym_remove",
            entity_type: "category",
            entity_id: Some(found.category_id.to_string()),
            unit_id: None,
        },
        Some(&found.synonym),
        None,
    )
    .await?;
    Ok(())
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

/// A category as typed into the administration form.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    /// A short code ("TB81"), unique.
    pub code: String,
    /// The name ("Thương binh tỷ lệ từ 81% trở lên").
    pub name: String,
    /// merit or hardship.
    pub kind: String,
    /// The rank, as typed: higher ranks win when a person is in several categories.
    pub rank: String,
    /// Whether its gift goes to a household rather than a person.
    pub per_household: bool,
    /// Sensitive (health, HIV): never printed on any list.
    pub sensitive: bool,
    /// Whether imports may use it.
    pub active: bool,
}

/// Creates (`id` none) or changes a category, audited; a category is deactivated rather
/// than deleted, since past lists point at it.
pub async fn save_category(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Option<i32>,
    input: CategoryInput,
) -> Result<category::Model, EditError> {
    let before = match id {
        Some(id) => Some(
            category::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::NotFound("Không tìm thấy đối tượng này.".into()))?,
        ),
        None => None,
    };
    let code = input.code.trim().to_uppercase();
    let name = crate::vn::text::normalize(&input.name);
    let mut errors = Vec::new();
    if code.is_empty()
        || code.chars().count() > 30
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.push((
            "code",
            "Hãy nhập mã đối tượng (chữ cái không dấu, chữ số, “_” hoặc “-”; tối đa 30 ký tự)."
                .to_owned(),
        ));
    }
    if name.is_empty() || name.chars().count() > 200 {
        errors.push((
            "name",
            "Hãy nhập tên đối tượng (tối đa 200 ký tự).".to_owned(),
        ));
    }
    let kind = CategoryKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.push((
            "kind",
            "Hãy chọn nhóm: người có công hoặc hoàn cảnh khó khăn.".to_owned(),
        ));
    }
    let rank = match input.rank.trim().parse::<i32>() {
        Ok(rank) if (0..=1000).contains(&rank) => rank,
        _ => {
            errors.push((
                "rank",
                "Thứ hạng là một số nguyên từ 0 đến 1000 (cao hơn được ưu tiên).".to_owned(),
            ));
            0
        }
    };
    if errors.is_empty() {
        let taken = category::Entity::find()
            .filter(category::Column::Code.eq(code.clone()))
            .one(db)
            .await?;
        if taken.is_some_and(|t| Some(t.id) != id) {
            errors.push((
                "code",
                format!("Mã {code} đã được dùng cho đối tượng khác."),
            ));
        }
    }
    let Some(kind) = kind.filter(|_| errors.is_empty()) else {
        return Err(EditError::Fields(errors));
    };
    let mut active: category::ActiveModel = match &before {
        Some(found) => found.clone().into(),
        None => category::ActiveModel {
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        },
    };
    active.code = Set(code);
    active.name = Set(name);
    active.kind = Set(kind);
    active.rank = Set(rank);
    active.per_household = Set(input.per_household);
    active.sensitive = Set(input.sensitive);
    active.active = Set(before.is_none() || input.active);
    let saved = match &before {
        Some(_) => active.update(db).await,
        None => active.insert(db).await,
    }
    .map_err(|err| {
        AppError::on_unique_violation(err, "Mã đối tượng này đã được dùng cho đối tượng khác.")
    })?;
    audit::record(
        db,
        actor,
        AuditEvent {
            action: if before.is_some() {
                "category.update"
            } else {
                "category.create"
            },
            entity_type: "category",
            entity_id: Some(saved.id.to_string()),
            unit_id: None,
        },
        before.as_ref(),
        Some(&saved),
    )
    .await?;
    Ok(saved)
}
