//! Editing a person's details (name, birth year, ID, address…) from a ward list and, when
//! opened from one of their gifts there, the category and amount of that listing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::gift_history::{PastGift, gift_history};
use crate::domain::list_entries::active_categories;
use crate::domain::listing_edit::{ListingChange, listing_entry, save_person_and_listing};
use crate::domain::people::{PersonError, ensure_person_editable, find_person};
use crate::entities::category;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, FormErrors, money, operator, safe_back, url_encode};
use crate::web::lists::NewPersonForm;
use crate::web::session::CurrentUser;

/// `/people/{id}/edit`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/people/{id}/edit", get(show_edit_person).post(save_person))
}

/// Where to go back to, and which gift of the person the list row was.
#[derive(Deserialize)]
struct BackQuery {
    #[serde(default)]
    back: String,
    #[serde(default)]
    entry: Option<i32>,
}

/// The edit form.
#[derive(Template, WebTemplate)]
#[template(path = "person_edit.html")]
struct EditPersonPage {
    chrome: Chrome,
    person_id: i32,
    back: String,
    back_encoded: String,
    form: NewPersonForm,
    errors: FormErrors,
    /// Why this person cannot be changed now ("" when they can): said before the user types.
    locked: String,
    /// The catalogue, for the listing's category (shown when `form.entry` names a gift).
    categories: Vec<category::Model>,
    /// Their gifts of every year, across the wards that merged into theirs.
    history: Vec<PastGift>,
}

impl EditPersonPage {
    /// An amount as the page writes it ("500.000 đ").
    fn money(&self, amount: &i64) -> String {
        money(*amount)
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    person_id: i32,
    back: String,
    form: NewPersonForm,
    errors: FormErrors,
) -> AppResult<EditPersonPage> {
    let categories = if form.entry.is_empty() {
        Vec::new()
    } else {
        active_categories(&state.db).await?
    };
    Ok(EditPersonPage {
        chrome: Chrome::for_user(user),
        person_id,
        back_encoded: url_encode(&back),
        back,
        form,
        errors,
        locked: String::new(),
        categories,
        history: gift_history(&state.db, &operator(user), person_id).await?,
    })
}

async fn show_edit_person(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Query(query): Query<BackQuery>,
) -> AppResult<EditPersonPage> {
    let found = find_person(&state.db, &operator(&user), id).await?;
    let form = NewPersonForm {
        full_name: found.full_name,
        birth_year: found.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        national_id: found.national_id.unwrap_or_default(),
        address: found.address.unwrap_or_default(),
        khu_pho: found.khu_pho.unwrap_or_default(),
        phone: found.phone.unwrap_or_default(),
        notes: found.notes.unwrap_or_default(),
        gender: found
            .gender
            .map(|g| g.as_str().to_owned())
            .unwrap_or_default(),
        ..Default::default()
    };
    let mut form = form;
    if let Some(entry_id) = query.entry {
        let listed = listing_entry(&state.db, id, entry_id).await?;
        form.entry = listed.id.to_string();
        form.category = listed.category_id.to_string();
        // Blank unless an amount was typed for the person: blank is the programs' amount.
        form.amount = listed
            .file_amount
            .map(crate::vn::money_words::format_thousands)
            .unwrap_or_default();
    }
    let mut shown = page(
        &state,
        &user,
        id,
        safe_back(Some(&query.back), "/"),
        form,
        FormErrors::default(),
    )
    .await?;
    match ensure_person_editable(&state.db, id).await {
        Ok(()) => {}
        Err(AppError::Invalid(message)) => shown.locked = message,
        Err(other) => return Err(other),
    }
    Ok(shown)
}

async fn save_person(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Query(query): Query<BackQuery>,
    Form(form): Form<NewPersonForm>,
) -> AppResult<Response> {
    let back = safe_back(Some(&query.back), "/");
    let input = form.person_input();
    let listing = match form.entry.trim().parse::<i32>() {
        Ok(entry_id) => match form.typed_amount() {
            Ok(amount) => Some(ListingChange {
                entry_id,
                category_id: form.category.trim().parse().ok(),
                amount,
            }),
            Err(message) => {
                let shown = page(
                    &state,
                    &user,
                    id,
                    back,
                    form,
                    FormErrors::new(vec![("amount", message)]),
                )
                .await?;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response());
            }
        },
        Err(_) => None,
    };
    let saved = save_person_and_listing(&state.db, &operator(&user), id, &input, listing).await;
    let errors = match saved {
        Ok(_) => {
            let join = if back.contains('?') { '&' } else { '?' };
            return Ok(Redirect::to(&format!("{back}{join}notice=sua")).into_response());
        }
        Err(PersonError::Fields(errors)) => errors,
        Err(PersonError::App(AppError::Invalid(message))) => vec![("", message)],
        Err(PersonError::App(other)) => return Err(other),
        Err(listed @ PersonError::AlreadyListed { .. }) => {
            vec![("", listed.already_listed_message().unwrap_or_default())]
        }
    };
    let shown = page(&state, &user, id, back, form, FormErrors::new(errors)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
}
