//! Administrators keep the bank list: the banks by NAPAS BIN, their short names and the other
//! names officers type ("VCB", "NH Ngoại thương"), which the import and the payment account
//! form match against. The rule (a name never names two banks; audited) is
//! `domain::payments::save_bank`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::payments::{BankInput, banks, save_bank};
use crate::entities::bank;
use crate::entities::states::Role;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, FormErrors, operator, url_encode};
use crate::web::session::CurrentUser;

/// `/admin/banks`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/banks", get(show_banks).post(save))
}

/// The bank form as typed: other names one per line.
#[derive(Debug, Default, Deserialize)]
struct BankForm {
    #[serde(default)]
    bin: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    synonyms: String,
}

impl BankForm {
    /// The form filled with a stored bank, to correct it.
    fn of(bank: &bank::Model) -> Self {
        Self {
            bin: bank.bin.clone(),
            short_name: bank.short_name.clone(),
            name: bank.name.clone(),
            synonyms: bank.synonyms.clone(),
        }
    }

    fn input(&self) -> BankInput {
        BankInput {
            bin: self.bin.clone(),
            short_name: self.short_name.clone(),
            name: self.name.clone(),
            synonyms: self.synonyms.lines().map(str::to_owned).collect(),
        }
    }
}

/// Which bank the form corrects (`?bin=`), and the one just saved (`?saved=`).
#[derive(Deserialize)]
struct BanksQuery {
    #[serde(default)]
    bin: String,
    #[serde(default)]
    saved: String,
}

/// A bank as the list shows it.
struct BankLine {
    bin: String,
    short_name: String,
    name: String,
    other_names: String,
    edit_href: String,
}

/// The bank list with the form to add or correct one.
#[derive(Template, WebTemplate)]
#[template(path = "banks.html")]
struct BanksPage {
    chrome: Chrome,
    banks: Vec<BankLine>,
    /// Whether the form corrects a stored bank (its BIN is then fixed).
    editing: bool,
    form: BankForm,
    errors: FormErrors,
    saved: Option<String>,
}

fn page(
    user: &CurrentUser,
    stored: Vec<bank::Model>,
    form: BankForm,
    editing: bool,
    errors: FormErrors,
    saved: Option<String>,
) -> AppResult<BanksPage> {
    user.require_role(&[Role::Admin])?;
    let banks = stored
        .into_iter()
        .map(|b| BankLine {
            edit_href: format!("/admin/banks?bin={}#bank-form", url_encode(&b.bin)),
            other_names: b.other_names().collect::<Vec<_>>().join(", "),
            bin: b.bin,
            short_name: b.short_name,
            name: b.name,
        })
        .collect();
    Ok(BanksPage {
        chrome: Chrome::for_user(user),
        banks,
        editing,
        form,
        errors,
        saved,
    })
}

async fn show_banks(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<BanksQuery>,
) -> AppResult<BanksPage> {
    user.require_role(&[Role::Admin])?;
    let stored = banks(&state.db).await?;
    let find = |bin: &str| stored.iter().find(|b| !bin.is_empty() && b.bin == bin);
    let saved =
        find(&query.saved).map(|b| format!("Đã lưu ngân hàng {} ({}).", b.short_name, b.bin));
    let editing = find(&query.bin);
    let form = editing.map(BankForm::of).unwrap_or_default();
    let editing = editing.is_some();
    page(&user, stored, form, editing, FormErrors::default(), saved)
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<BankForm>,
) -> AppResult<Response> {
    match save_bank(&state.db, &operator(&user), &form.input()).await {
        Ok(saved) => Ok(
            Redirect::to(&format!("/admin/banks?saved={}", url_encode(&saved.bin))).into_response(),
        ),
        Err(AppError::Invalid(message)) => {
            let stored = banks(&state.db).await?;
            let editing = stored.iter().any(|b| b.bin == form.bin);
            let errors = FormErrors::new(vec![("", message)]);
            let body = page(&user, stored, form, editing, errors, None)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(other) => Err(other),
    }
}
