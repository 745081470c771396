//! A person's payment account on its own page, reached from the person's edit page: the
//! ward's officers see and change the full number, supervisors see it masked.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::payments::{AccountInput, AccountView, account_of, banks, save_account};
use crate::domain::people::find_person;
use crate::entities::payment_states::AccountKind;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, FormErrors, operator, safe_back, url_encode};
use crate::web::session::CurrentUser;

/// `/people/{id}/payment-account`.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/people/{id}/payment-account",
        get(show_payment_account).post(save_payment_account),
    )
}

/// Where to go back to.
#[derive(Deserialize)]
struct BackQuery {
    #[serde(default)]
    back: String,
}

/// The account form as typed.
#[derive(Debug, Default, Deserialize)]
struct AccountForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    bank: String,
    #[serde(default)]
    account_number: String,
    #[serde(default)]
    holder_name: String,
}

/// The account page.
#[derive(Template, WebTemplate)]
#[template(path = "payment_account.html")]
struct AccountPage {
    chrome: Chrome,
    person_id: i32,
    person_name: String,
    back: String,
    back_encoded: String,
    current: Option<AccountView>,
    /// (stored form, label, chosen)
    kinds: Vec<(&'static str, &'static str, bool)>,
    /// Short names for the bank field's suggestions.
    bank_names: Vec<String>,
    form: AccountForm,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    person_id: i32,
    back: String,
    form: AccountForm,
    errors: FormErrors,
) -> AppResult<AccountPage> {
    let op = operator(user);
    let person = find_person(&state.db, &op, person_id).await?;
    let current = account_of(&state.db, &op, person_id).await?;
    let chosen = if form.kind.is_empty() {
        current.as_ref().map_or("bank", |c| c.kind.as_str())
    } else {
        form.kind.as_str()
    };
    let kinds = [
        AccountKind::SocialSecurity,
        AccountKind::Bank,
        AccountKind::EWallet,
    ]
    .into_iter()
    .map(|k| (k.as_str(), k.label(), k.as_str() == chosen))
    .collect();
    Ok(AccountPage {
        chrome: Chrome::for_user(user),
        person_id,
        person_name: person.full_name,
        back_encoded: url_encode(&back),
        back,
        current,
        kinds,
        bank_names: banks(&state.db)
            .await?
            .into_iter()
            .map(|b| b.short_name)
            .collect(),
        form,
        errors,
    })
}

async fn show_payment_account(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Query(query): Query<BackQuery>,
) -> AppResult<AccountPage> {
    let back = safe_back(Some(&query.back), "/");
    page(
        &state,
        &user,
        id,
        back,
        AccountForm::default(),
        FormErrors::default(),
    )
    .await
}

async fn save_payment_account(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Query(query): Query<BackQuery>,
    Form(form): Form<AccountForm>,
) -> AppResult<Response> {
    let back = safe_back(Some(&query.back), "/");
    let Some(kind) = AccountKind::parse(&form.kind) else {
        let errors = FormErrors::new(vec![("kind", "Hãy chọn loại tài khoản.".to_owned())]);
        let shown = page(&state, &user, id, back, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response());
    };
    let input = AccountInput {
        kind,
        bank: form.bank.clone(),
        account_number: form.account_number.clone(),
        holder_name: Some(form.holder_name.clone()),
    };
    match save_account(&state.db, &operator(&user), id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/people/{id}/payment-account?back={}&notice=luu",
            url_encode(&back)
        ))
        .into_response()),
        Err(AppError::Invalid(message)) => {
            let errors = FormErrors::new(vec![("", message)]);
            let shown = page(&state, &user, id, back, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
        Err(other) => Err(other),
    }
}
