//! Administration: the users of one's units (district staff add ward officers; administrators
//! anyone), the category catalogue with its synonyms, and the audit log filtered by user, ward
//! and action. Units are listed at `/units`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::accounts::{NewUser, users_in_scope};
use crate::domain::audit::{AUDIT_PAGE_SIZE, AuditFilter, audit_page};
use crate::domain::audit_view::{ACTIONS, AuditLine, describe_events};
use crate::domain::categories::{add_synonym, categories_with_synonyms, remove_synonym};
use crate::domain::sectors::{
    create_user_in_sectors, sectors_by_user, sectors_label, ticked_sectors,
};
use crate::domain::units::{all_units, display_name};
use crate::domain::user_admin::assignable_units;
use crate::entities::states::{Role, Sector, UnitLevel};
use crate::entities::{category, category_synonym};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, FormErrors, operator, url_encode};
use crate::web::session::CurrentUser;

/// `/users` and `/admin/…`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(show_users).post(add_user))
        .route("/admin", get(show_admin))
        .route(
            "/admin/categories",
            get(show_categories).post(add_category_synonym),
        )
        .route("/admin/synonyms/{id}/delete", post(delete_category_synonym))
        .route("/admin/audit", get(show_audit_log))
}

/// One account as listed.
pub struct UserRow {
    /// The account's id, for its page.
    pub id: i32,
    /// Whether the viewer may open the account's page (administrators: every account;
    /// district staff: ward officers).
    pub manageable: bool,
    /// Login name.
    pub username: String,
    /// Full name.
    pub full_name: String,
    /// Role in Vietnamese.
    pub role: &'static str,
    /// Unit served.
    pub unit: String,
    /// The sectors it works in ("Mọi lĩnh vực" or their names).
    pub sectors: String,
    /// Whether it may log in.
    pub active: bool,
}

/// A unit that can be chosen for a new account.
pub struct UnitChoice {
    /// Its id.
    pub id: i32,
    /// Its name with its level.
    pub name: String,
}

/// The users page.
#[derive(Template, WebTemplate)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserRow>,
    units: Vec<UnitChoice>,
    is_admin: bool,
    form: NewUserForm,
    errors: FormErrors,
    created: bool,
}

/// The fields of the new-account form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewUserForm {
    /// Login name.
    #[serde(default)]
    pub username: String,
    /// Full name.
    #[serde(default)]
    pub full_name: String,
    /// admin, district or ward.
    #[serde(default)]
    pub role: String,
    /// Unit id.
    #[serde(default)]
    pub unit_id: String,
    /// The first password.
    #[serde(default)]
    pub password: String,
    /// Present when ticked: a supervising account limited to merit.
    #[serde(default)]
    pub sector_merit: Option<String>,
    /// Present when ticked: limited to social protection.
    #[serde(default)]
    pub sector_social_protection: Option<String>,
    /// Present when ticked: limited to poverty.
    #[serde(default)]
    pub sector_poverty: Option<String>,
}

impl NewUserForm {
    /// The sectors ticked (none: every sector).
    pub fn sectors(&self) -> Vec<Sector> {
        ticked_sectors(
            self.sector_merit.is_some(),
            self.sector_social_protection.is_some(),
            self.sector_poverty.is_some(),
        )
    }

    /// Whether `sector` (its stored form) is ticked, for the form shown again.
    pub fn has_sector(&self, sector: &str) -> bool {
        self.sectors().iter().any(|s| s.as_str() == sector)
    }
}

/// After a good POST.
#[derive(Deserialize)]
struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

async fn users_page(
    state: &AppState,
    user: &CurrentUser,
    form: NewUserForm,
    errors: FormErrors,
    created: bool,
) -> AppResult<UsersPage> {
    user.require_role(&[Role::Admin, Role::District])?;
    let units = all_units(&state.db).await?;
    let name_of = |id: Option<i32>| {
        id.and_then(|id| units.iter().find(|u| u.id == id))
            .map(display_name)
            .unwrap_or_default()
    };
    let sectors = sectors_by_user(&state.db).await?;
    let users = users_in_scope(&state.db, &user.scope)
        .await?
        .into_iter()
        .map(|u| UserRow {
            sectors: sectors_label(sectors.get(&u.id).map_or(&[], Vec::as_slice)),
            id: u.id,
            manageable: user.role == Role::Admin || u.role == Role::Ward,
            role: u.role.label(),
            unit: name_of(u.unit_id),
            full_name: u.full_name.unwrap_or_default(),
            username: u.username,
            active: u.active,
        })
        .collect();
    // Today's units and the ended ones (saying since when), as the account page offers them:
    // an officer may be needed for an old ward while a campaign of its time is closed out.
    let choices: Vec<UnitChoice> = assignable_units(&state.db, &operator(user))
        .await?
        .into_iter()
        .map(|(id, name)| UnitChoice { id, name })
        .collect();
    Ok(UsersPage {
        chrome: Chrome::for_user(user),
        users,
        units: choices,
        is_admin: user.role == Role::Admin,
        form,
        errors,
        created,
    })
}

async fn show_users(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<NoticeQuery>,
) -> AppResult<UsersPage> {
    users_page(
        &state,
        &user,
        NewUserForm::default(),
        FormErrors::default(),
        query.notice == "da-tao",
    )
    .await
}

async fn add_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewUserForm>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin, Role::District])?;
    let mut errors = Vec::new();
    // District staff create ward officers of their own wards only.
    let role = if user.role == Role::Admin {
        Role::parse(&form.role)
    } else {
        Some(Role::Ward)
    };
    if role.is_none() {
        errors.push(("role", "Hãy chọn vai trò.".to_owned()));
    }
    let unit_id: Option<i32> = form.unit_id.trim().parse().ok();
    if let Some(id) = unit_id {
        user.scope.ensure(id)?;
    } else if role != Some(Role::Admin) {
        errors.push(("unit_id", "Hãy chọn đơn vị của tài khoản.".to_owned()));
    }
    if let (true, Some(role)) = (errors.is_empty(), role) {
        let full_name = form.full_name.trim();
        let result = create_user_in_sectors(
            &state.db,
            NewUser {
                username: &form.username,
                password: &form.password,
                role,
                unit_id: if role == Role::Admin { None } else { unit_id },
                full_name: (!full_name.is_empty()).then_some(full_name),
            },
            &form.sectors(),
        )
        .await;
        match result {
            Ok((created, sectors)) => {
                // A new account is a change like any other: it goes in the audit log.
                crate::domain::audit::record::<(), _>(
                    &state.db,
                    &crate::domain::audit::Actor::user(&user.user),
                    crate::domain::audit::AuditEvent {
                        action: "user.create",
                        entity_type: "user",
                        entity_id: Some(created.id.to_string()),
                        unit_id: created.unit_id,
                    },
                    None,
                    Some(&serde_json::json!({
                        "username": created.username,
                        "role": created.role,
                        "unit_id": created.unit_id,
                        "full_name": created.full_name,
                        "sectors": sectors,
                    })),
                )
                .await?;
                return Ok(Redirect::to("/users?notice=da-tao").into_response());
            }
            Err(AppError::Invalid(message)) => {
                let folded = crate::vn::text::fold_key(&message);
                let field = if folded.contains("mat khau") {
                    "password"
                } else if folded.contains("linh vuc") {
                    "sectors"
                } else if folded.contains("don vi") || folded.contains("phuong") {
                    "unit_id"
                } else {
                    "username"
                };
                errors.push((field, message));
            }
            Err(other) => return Err(other),
        }
    }
    let form = NewUserForm {
        password: String::new(),
        ..form
    };
    let page = users_page(&state, &user, form, FormErrors::new(errors), false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The administration index.
#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
}

async fn show_admin(user: CurrentUser) -> AppResult<AdminPage> {
    user.require_role(&[Role::Admin])?;
    Ok(AdminPage {
        chrome: Chrome::for_user(&user),
    })
}

/// The catalogue page.
#[derive(Template, WebTemplate)]
#[template(path = "categories.html")]
struct CategoriesPage {
    chrome: Chrome,
    categories: Vec<(category::Model, Vec<category_synonym::Model>)>,
    error_category: i32,
    error: String,
}

async fn categories_page(
    state: &AppState,
    user: &CurrentUser,
    error_category: i32,
    error: String,
) -> AppResult<CategoriesPage> {
    user.require_role(&[Role::Admin])?;
    Ok(CategoriesPage {
        chrome: Chrome::for_user(user),
        categories: categories_with_synonyms(&state.db).await?,
        error_category,
        error,
    })
}

async fn show_categories(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<CategoriesPage> {
    categories_page(&state, &user, 0, String::new()).await
}

/// A synonym to add.
#[derive(Deserialize)]
struct SynonymForm {
    category_id: i32,
    synonym: String,
}

async fn add_category_synonym(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<SynonymForm>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    match add_synonym(
        &state.db,
        &operator(&user).actor,
        form.category_id,
        &form.synonym,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/admin/categories").into_response()),
        Err(AppError::Invalid(message)) => {
            let page = categories_page(&state, &user, form.category_id, message).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other),
    }
}

async fn delete_category_synonym(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<Redirect> {
    user.require_role(&[Role::Admin])?;
    remove_synonym(&state.db, &operator(&user).actor, id).await?;
    Ok(Redirect::to("/admin/categories"))
}

/// The audit log's filters, as typed.
#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    #[serde(default)]
    user: String,
    #[serde(default)]
    ward: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    page: Option<u64>,
}

/// The audit log page.
#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    rows: Vec<AuditLine>,
    actions: &'static [(&'static str, &'static str)],
    total: u64,
    page: u64,
    pages: u64,
    user: String,
    ward: String,
    action: String,
    wards: Vec<UnitChoice>,
    next_link: String,
    prev_link: String,
}

async fn show_audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<AuditQuery>,
) -> AppResult<AuditPage> {
    user.require_role(&[Role::Admin])?;
    let page = query.page.unwrap_or(1).max(1);
    let filter = AuditFilter {
        actor: Some(query.user.trim().to_lowercase()).filter(|s| !s.is_empty()),
        unit_id: query.ward.trim().parse().ok(),
        action: Some(query.action.trim().to_owned()).filter(|s| !s.is_empty()),
        page,
    };
    let (events, total) = audit_page(&state.db, &filter).await?;
    let units = all_units(&state.db).await?;
    let rows = describe_events(&state.db, &events).await?;
    let pages = std::cmp::max(total.div_ceil(AUDIT_PAGE_SIZE), 1);
    let link = |p: u64| {
        format!(
            "/admin/audit?user={}&ward={}&action={}&page={p}",
            url_encode(&query.user),
            url_encode(&query.ward),
            url_encode(&query.action)
        )
    };
    let mut wards: Vec<UnitChoice> = units
        .iter()
        .filter(|u| u.level == UnitLevel::Ward)
        .map(|u| UnitChoice {
            id: u.id,
            name: display_name(u),
        })
        .collect();
    wards.sort_by_key(|w| crate::vn::text::fold_key(&w.name));
    Ok(AuditPage {
        chrome: Chrome::for_user(&user),
        rows,
        actions: ACTIONS,
        total,
        page,
        pages,
        prev_link: if page > 1 {
            link(page - 1)
        } else {
            String::new()
        },
        next_link: if page < pages {
            link(page + 1)
        } else {
            String::new()
        },
        user: query.user,
        ward: query.ward,
        action: query.action,
        wards,
    })
}
