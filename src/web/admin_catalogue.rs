//! Administrators edit the reference data: administrative units (code, name, level, parent,
//! validity dates; never a cycle) and beneficiary categories (code, name, kind, rank, per
//! household, sensitive; deactivated rather than deleted). Problems are shown next to their
//! fields; every change is audited by `domain::units` and `domain::categories`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::NaiveDate;
use sea_orm::EntityTrait;
use serde::Deserialize;

use crate::domain::categories::{CategoryInput, save_category};
use crate::domain::clock::vietnam_date;
use crate::domain::units::{EditError, UnitInput, all_units, display_name, save_unit};
use crate::entities::category;
use crate::entities::states::{CategoryKind, Role, UnitLevel};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::admin::UnitChoice;
use crate::web::layout::{Chrome, FormErrors, operator};
use crate::web::session::CurrentUser;

/// `/admin/units/…` and `/admin/categories/…` forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/units/new", get(show_new_unit).post(create_unit))
        .route(
            "/admin/units/{id}/edit",
            get(show_edit_unit).post(update_unit),
        )
        .route(
            "/admin/categories/new",
            get(show_new_category).post(create_category),
        )
        .route(
            "/admin/categories/{id}/edit",
            get(show_edit_category).post(update_category),
        )
}

/// The unit form's fields, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitForm {
    /// Mã đơn vị.
    #[serde(default)]
    pub code: String,
    /// Tên.
    #[serde(default)]
    pub name: String,
    /// city, district or ward.
    #[serde(default)]
    pub level: String,
    /// The parent's id, or "".
    #[serde(default)]
    pub parent_id: String,
    /// yyyy-mm-dd or "".
    #[serde(default)]
    pub valid_from: String,
    /// yyyy-mm-dd or "".
    #[serde(default)]
    pub valid_to: String,
}

impl UnitForm {
    /// Whether `id` is the chosen parent (for the select box).
    pub fn is_parent(&self, id: &i32) -> bool {
        self.parent_id.trim() == id.to_string()
    }
}

/// The unit form page (new or edit).
#[derive(Template, WebTemplate)]
#[template(path = "unit_form.html")]
struct UnitFormPage {
    chrome: Chrome,
    /// 0 for a new unit.
    id: i32,
    form: UnitForm,
    errors: FormErrors,
    parents: Vec<UnitChoice>,
    levels: Vec<(&'static str, &'static str)>,
}

async fn unit_form_page(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    form: UnitForm,
    errors: FormErrors,
) -> AppResult<UnitFormPage> {
    user.require_role(&[Role::Admin])?;
    let units = all_units(&state.db).await?;
    let mut parents: Vec<UnitChoice> = units
        .iter()
        .filter(|u| u.level != UnitLevel::Ward && u.id != id)
        .map(|u| UnitChoice {
            id: u.id,
            name: match u.valid_to {
                Some(to) => format!("{} (đến {})", display_name(u), vietnam_date(to)),
                None => display_name(u),
            },
        })
        .collect();
    parents.sort_by_key(|c| crate::vn::text::fold_key(&c.name));
    Ok(UnitFormPage {
        chrome: Chrome::for_user(user),
        id,
        form,
        errors,
        parents,
        levels: [UnitLevel::City, UnitLevel::District, UnitLevel::Ward]
            .iter()
            .map(|l| (l.as_str(), l.label()))
            .collect(),
    })
}

async fn show_new_unit(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<UnitFormPage> {
    let form = UnitForm {
        level: UnitLevel::Ward.as_str().into(),
        ..UnitForm::default()
    };
    unit_form_page(&state, &user, 0, form, FormErrors::default()).await
}

async fn show_edit_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<UnitFormPage> {
    user.require_role(&[Role::Admin])?;
    let found = crate::entities::unit::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy đơn vị này.".into()))?;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let form = UnitForm {
        code: found.code,
        name: found.name,
        level: found.level.as_str().into(),
        parent_id: found.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        valid_from: date(found.valid_from),
        valid_to: date(found.valid_to),
    };
    unit_form_page(&state, &user, id, form, FormErrors::default()).await
}

/// Reads the typed form into the domain's input; bad dates are field errors.
fn unit_input(form: &UnitForm) -> Result<UnitInput, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let mut date = |field: &'static str, text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                errors.push((
                    field,
                    format!("Ngày “{text}” không hợp lệ: hãy chọn trên lịch."),
                ));
                None
            }
        }
    };
    let valid_from = date("valid_from", &form.valid_from);
    let valid_to = date("valid_to", &form.valid_to);
    let input = UnitInput {
        code: form.code.clone(),
        name: form.name.clone(),
        level: form.level.trim().to_owned(),
        parent_id: form.parent_id.trim().parse().ok(),
        valid_from,
        valid_to,
    };
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

async fn save_unit_form(
    state: &AppState,
    user: &CurrentUser,
    id: Option<i32>,
    form: UnitForm,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let errors = match unit_input(&form) {
        Ok(input) => match save_unit(&state.db, &operator(user).actor, id, input).await {
            Ok(saved) => return Ok(Redirect::to(&format!("/units/{}", saved.id)).into_response()),
            Err(EditError::Fields(errors)) => errors,
            Err(EditError::App(AppError::Invalid(message))) => vec![("", message)],
            Err(EditError::App(other)) => return Err(other),
        },
        Err(errors) => errors,
    };
    let page = unit_form_page(state, user, id.unwrap_or(0), form, FormErrors::new(errors)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn create_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<UnitForm>,
) -> AppResult<Response> {
    save_unit_form(&state, &user, None, form).await
}

async fn update_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Form(form): Form<UnitForm>,
) -> AppResult<Response> {
    save_unit_form(&state, &user, Some(id), form).await
}

/// The category form's fields, as typed (a checkbox is absent when unticked).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CategoryForm {
    /// Mã.
    #[serde(default)]
    pub code: String,
    /// Tên.
    #[serde(default)]
    pub name: String,
    /// merit or hardship.
    #[serde(default)]
    pub kind: String,
    /// merit, social_protection, poverty, or empty for the kind's default.
    #[serde(default)]
    pub sector: String,
    /// Thứ hạng.
    #[serde(default)]
    pub rank: String,
    /// Present when ticked.
    #[serde(default)]
    pub per_household: Option<String>,
    /// Present when ticked.
    #[serde(default)]
    pub sensitive: Option<String>,
    /// Present when ticked.
    #[serde(default)]
    pub active: Option<String>,
}

/// The category form page (new or edit).
#[derive(Template, WebTemplate)]
#[template(path = "category_form.html")]
struct CategoryFormPage {
    chrome: Chrome,
    /// 0 for a new category.
    id: i32,
    form: CategoryForm,
    errors: FormErrors,
}

fn category_form_page(
    user: &CurrentUser,
    id: i32,
    form: CategoryForm,
    errors: FormErrors,
) -> AppResult<CategoryFormPage> {
    user.require_role(&[Role::Admin])?;
    Ok(CategoryFormPage {
        chrome: Chrome::for_user(user),
        id,
        form,
        errors,
    })
}

async fn show_new_category(user: CurrentUser) -> AppResult<CategoryFormPage> {
    let form = CategoryForm {
        kind: CategoryKind::Hardship.as_str().into(),
        rank: "10".into(),
        active: Some("on".into()),
        ..CategoryForm::default()
    };
    category_form_page(&user, 0, form, FormErrors::default())
}

async fn show_edit_category(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<CategoryFormPage> {
    user.require_role(&[Role::Admin])?;
    let found = category::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy đối tượng này.".into()))?;
    let ticked = |on: bool| on.then(|| "on".to_owned());
    let form = CategoryForm {
        code: found.code,
        name: found.name,
        kind: found.kind.as_str().into(),
        sector: found.sector.as_str().into(),
        rank: found.rank.to_string(),
        per_household: ticked(found.per_household),
        sensitive: ticked(found.sensitive),
        active: ticked(found.active),
    };
    category_form_page(&user, id, form, FormErrors::default())
}

async fn save_category_form(
    state: &AppState,
    user: &CurrentUser,
    id: Option<i32>,
    form: CategoryForm,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let input = CategoryInput {
        code: form.code.clone(),
        name: form.name.clone(),
        kind: form.kind.clone(),
        sector: form.sector.clone(),
        rank: form.rank.clone(),
        per_household: form.per_household.is_some(),
        sensitive: form.sensitive.is_some(),
        active: form.active.is_some(),
    };
    let errors = match save_category(&state.db, &operator(user).actor, id, input).await {
        Ok(_) => return Ok(Redirect::to("/admin/categories").into_response()),
        Err(EditError::Fields(errors)) => errors,
        Err(EditError::App(AppError::Invalid(message))) => vec![("code", message)],
        Err(EditError::App(other)) => return Err(other),
    };
    let page = category_form_page(user, id.unwrap_or(0), form, FormErrors::new(errors))?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn create_category(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CategoryForm>,
) -> AppResult<Response> {
    save_category_form(&state, &user, None, form).await
}

async fn update_category(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Form(form): Form<CategoryForm>,
) -> AppResult<Response> {
    save_category_form(&state, &user, Some(id), form).await
}
