//! Adding a person to a ward's list by hand, for someone the ward's file missed. The form's
//! fields (`NewPersonForm`) serve the edit form of `web::people` as well.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{ListContext, load_context};
use crate::domain::list_entries::active_categories;
use crate::domain::people::{PersonError, PersonInput, add_person_to_list};
use crate::domain::units::display_name;
use crate::domain::ward_lists::ensure_list_editable;
use crate::entities::{campaign, category};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, FormErrors, operator, url_encode};
use crate::web::session::CurrentUser;

/// The form to add a person by hand.
#[derive(Template, WebTemplate)]
#[template(path = "person_new.html")]
pub(super) struct NewPersonPage {
    chrome: Chrome,
    campaign: campaign::Model,
    ward_id: i32,
    ward_name: String,
    categories: Vec<category::Model>,
    form: NewPersonForm,
    errors: FormErrors,
    /// Why the list cannot take anyone now ("" when it can): said before the user types.
    locked: String,
    /// The edit page of the person already on the list, when the form named them.
    existing_link: String,
}

/// The fields of the add-a-person form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewPersonForm {
    /// Họ và tên.
    #[serde(default)]
    pub full_name: String,
    /// Năm sinh.
    #[serde(default)]
    pub birth_year: String,
    /// CCCD/CMND.
    #[serde(default)]
    pub national_id: String,
    /// Địa chỉ.
    #[serde(default)]
    pub address: String,
    /// Khu phố.
    #[serde(default)]
    pub khu_pho: String,
    /// Điện thoại.
    #[serde(default)]
    pub phone: String,
    /// Ghi chú.
    #[serde(default)]
    pub notes: String,
    /// Category id.
    #[serde(default)]
    pub category: String,
    /// Amount, as typed ("600.000").
    #[serde(default)]
    pub amount: String,
    /// Giới tính: "male", "female" or "".
    #[serde(default)]
    pub gender: String,
    /// On the edit page: the gift of the listing whose category and amount the form changes
    /// ("" when the page was opened without one).
    #[serde(default)]
    pub entry: String,
}

impl NewPersonForm {
    /// The person's fields as typed, for the domain to check and tidy (adding and editing
    /// alike).
    pub fn person_input(&self) -> PersonInput {
        PersonInput {
            full_name: self.full_name.clone(),
            birth_year: self.birth_year.clone(),
            national_id: self.national_id.clone(),
            address: self.address.clone(),
            khu_pho: self.khu_pho.clone(),
            phone: self.phone.clone(),
            notes: self.notes.clone(),
            gender: self.gender.clone(),
        }
    }

    /// Whether `id` is the chosen category (for the select box).
    pub fn is_category(&self, id: &i32) -> bool {
        self.category.trim() == id.to_string()
    }

    /// The amount typed, digits only ("600.000" → 600000); `None` when blank (the programs'
    /// amounts), an error for the amount field when it does not fit.
    pub fn typed_amount(&self) -> Result<Option<i64>, String> {
        let digits: String = self.amount.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return Ok(None);
        }
        digits
            .parse::<i64>()
            .map(Some)
            .map_err(|_| "Số tiền quá lớn.".to_owned())
    }
}

async fn new_person_page(
    state: &AppState,
    user: &CurrentUser,
    context: ListContext,
    form: NewPersonForm,
    errors: FormErrors,
    existing_link: String,
) -> AppResult<NewPersonPage> {
    let locked = match &context.list {
        Some(list) => match ensure_list_editable(&state.db, list.id).await {
            Ok(_) => String::new(),
            Err(AppError::Invalid(message)) => message,
            Err(other) => return Err(other),
        },
        None => String::new(),
    };
    Ok(NewPersonPage {
        locked,
        existing_link,
        chrome: Chrome::for_user(user),
        ward_id: context.ward.id,
        ward_name: display_name(&context.ward),
        campaign: context.campaign,
        categories: active_categories(&state.db).await?,
        form,
        errors,
    })
}

pub(super) async fn show_new_person(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
) -> AppResult<NewPersonPage> {
    let context = load_context(&state, &user, &slug, ward_id).await?;
    if context.list.is_none() {
        return Err(AppError::Invalid(
            "Phường chưa có danh sách trong đợt này: hãy tải lên danh sách trước.".into(),
        ));
    }
    new_person_page(
        &state,
        &user,
        context,
        NewPersonForm::default(),
        FormErrors::default(),
        String::new(),
    )
    .await
}

pub(super) async fn add_person(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Form(form): Form<NewPersonForm>,
) -> AppResult<Response> {
    let context = load_context(&state, &user, &slug, ward_id).await?;
    let list = context.list.clone().ok_or_else(|| {
        AppError::Invalid(
            "Phường chưa có danh sách trong đợt này: hãy tải lên danh sách trước.".into(),
        )
    })?;
    let mut errors = Vec::new();
    let amount = form.typed_amount().unwrap_or_else(|message| {
        errors.push(("amount", message));
        None
    });
    let input = form.person_input();
    let mut existing_link = String::new();
    if errors.is_empty() {
        match add_person_to_list(
            &state.db,
            &operator(&user),
            &list,
            &input,
            form.category.trim().parse().ok(),
            amount,
        )
        .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/campaigns/{slug}/wards/{ward_id}?notice=them"))
                        .into_response(),
                );
            }
            Err(PersonError::Fields(found)) => errors = found,
            Err(PersonError::App(AppError::Invalid(message))) => errors.push(("", message)),
            Err(PersonError::App(other)) => return Err(other),
            Err(listed @ PersonError::AlreadyListed { person_id, .. }) => {
                let list_path = format!("/campaigns/{slug}/wards/{ward_id}");
                existing_link = format!("/people/{person_id}/edit?back={}", url_encode(&list_path));
                errors.push(("", listed.already_listed_message().unwrap_or_default()));
            }
        }
    }
    let page = new_person_page(
        &state,
        &user,
        context,
        form,
        FormErrors::new(errors),
        existing_link,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
