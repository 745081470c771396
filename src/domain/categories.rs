//! The category catalogue as the administration edits it: every category with its synonyms,
//! adding and removing a synonym, and creating or changing a category. Each change is
//! audited. How free text becomes a category is `vn::catalogue`.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::units::EditError;
use crate::entities::states::{CategoryKind, Sector};
use crate::entities::{category, category_synonym};
use crate::error::{AppError, AppResult};

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

/// A category as typed into the administration form.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    /// A short code ("TB81"), unique.
    pub code: String,
    /// The name ("Thương binh tỷ lệ từ 81% trở lên").
    pub name: String,
    /// merit or hardship.
    pub kind: String,
    /// merit, social_protection or poverty; empty: the seed's rule for the kind and code
    /// (`Sector::for_category`).
    pub sector: String,
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
    let sector = match (kind, input.sector.trim()) {
        (Some(kind), "") => Some(Sector::for_category(kind, &code)),
        (kind, text) => match (kind, Sector::parse(text)) {
            (Some(CategoryKind::Merit), Some(Sector::Merit))
            | (Some(CategoryKind::Hardship), Some(Sector::SocialProtection | Sector::Poverty))
            | (None, Some(_)) => Sector::parse(text),
            (Some(CategoryKind::Merit), Some(_)) => {
                errors.push((
                    "sector",
                    "Đối tượng người có công thuộc lĩnh vực người có công.".to_owned(),
                ));
                None
            }
            (Some(CategoryKind::Hardship), Some(_)) => {
                errors.push((
                    "sector",
                    "Đối tượng hoàn cảnh khó khăn thuộc lĩnh vực bảo trợ xã hội hoặc giảm nghèo."
                        .to_owned(),
                ));
                None
            }
            (_, None) => {
                errors.push((
                    "sector",
                    "Hãy chọn lĩnh vực: người có công, bảo trợ xã hội hoặc giảm nghèo.".to_owned(),
                ));
                None
            }
        },
    };
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
    let (Some(kind), Some(sector)) = (kind, sector) else {
        return Err(EditError::Fields(errors));
    };
    if !errors.is_empty() {
        return Err(EditError::Fields(errors));
    }
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
    active.sector = Set(sector);
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
