//! A campaign's gift programs: each with its funding source and amount per category; adding
//! one computes its gifts for everyone already listed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::campaigns::visible_campaign;
use crate::domain::list_entries::active_categories;
use crate::domain::programs::{
    CategoryAmount, ProgramDetail, ProgramInput, add_program, programs_of,
};
use crate::domain::units::display_name;
use crate::entities::states::{CampaignStatus, FundingSource};
use crate::entities::{campaign, category};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, FormErrors, form_value, money, operator};
use crate::web::session::CurrentUser;

/// `/campaigns/{slug}/programs`.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/campaigns/{slug}/programs",
        get(show_programs).post(create_program),
    )
}

/// A program as listed.
pub struct ProgramView {
    /// Its name.
    pub name: String,
    /// Who pays, in words (with the sponsor).
    pub funding: String,
    /// The amounts, in words ("Hộ nghèo: 500.000 đ").
    pub amounts: Vec<String>,
    /// Rules in words.
    pub rules: String,
    /// How it pays, in words.
    pub method: &'static str,
    /// Whether it pays by transfer (the payments page is linked).
    pub transfers: bool,
}

fn program_view(p: &ProgramDetail, categories: &[category::Model]) -> ProgramView {
    let name_of = |code: &str| {
        categories
            .iter()
            .find(|c| c.code == code)
            .map_or(code.to_owned(), |c| c.name.clone())
    };
    let mut rules = Vec::new();
    if p.use_file_amounts {
        rules.push("mức quà theo tệp của phường".to_owned());
    }
    if p.one_per_household {
        rules.push("mỗi hộ một suất".to_owned());
    } else if p.one_per_person {
        rules.push("mỗi người một suất, theo mức cao nhất".to_owned());
    }
    if let Some(goods) = &p.goods_description {
        rules.push(format!("hiện vật: {goods}"));
    }
    ProgramView {
        name: p.name.clone(),
        funding: match &p.sponsor_name {
            Some(sponsor) if !sponsor.is_empty() => format!("{} ({sponsor})", p.funding_label),
            _ => p.funding_label.clone(),
        },
        amounts: p
            .amounts
            .iter()
            .map(|a| format!("{}: {}", name_of(&a.category), money(a.amount)))
            .collect(),
        rules: rules.join("; "),
        method: p.payment_method.label(),
        transfers: p.payment_method.transfers(),
    }
}

/// The programs page with the form to add one.
#[derive(Template, WebTemplate)]
#[template(path = "programs.html")]
struct ProgramsPage {
    chrome: Chrome,
    campaign: campaign::Model,
    programs: Vec<ProgramView>,
    categories: Vec<category::Model>,
    sources: Vec<(&'static str, &'static str)>,
    values: Vec<(String, String)>,
    errors: FormErrors,
    can_edit: bool,
    /// Approved lists the program just added gave nothing to: (ward name, its list's page,
    /// people left out).
    skipped: Vec<(String, String, usize)>,
}

/// `?bo-qua=ward:people,…` after adding a program.
#[derive(Deserialize, Default)]
struct ProgramsQuery {
    #[serde(default, rename = "bo-qua")]
    skipped: String,
}

impl ProgramsPage {
    /// The value typed for `field`.
    fn value(&self, field: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == field)
            .map_or("", |(_, v)| v.as_str())
    }
}

async fn programs_page(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    values: Vec<(String, String)>,
    errors: FormErrors,
) -> AppResult<ProgramsPage> {
    let op = operator(user);
    let campaign = visible_campaign(&state.db, &op, slug).await?;
    let categories = active_categories(&state.db).await?;
    let programs = programs_of(&state.db, campaign.id)
        .await?
        .iter()
        .map(|p| program_view(p, &categories))
        .collect();
    Ok(ProgramsPage {
        chrome: Chrome::for_user(user),
        can_edit: op.ensure_manages(&campaign).is_ok() && campaign.status == CampaignStatus::Open,
        skipped: Vec::new(),
        campaign,
        programs,
        categories,
        sources: [
            FundingSource::Central,
            FundingSource::City,
            FundingSource::District,
            FundingSource::Ward,
            FundingSource::Sponsor,
        ]
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .collect(),
        values,
        errors,
    })
}

async fn show_programs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(query): Query<ProgramsQuery>,
) -> AppResult<ProgramsPage> {
    let mut page = programs_page(&state, &user, &slug, Vec::new(), FormErrors::default()).await?;
    page.skipped = query
        .skipped
        .split(',')
        .filter_map(|pair| {
            let (ward, people) = pair.split_once(':')?;
            let ward = user.find_unit(ward.parse().ok()?)?;
            Some((
                display_name(ward),
                format!("/campaigns/{slug}/wards/{}", ward.id),
                people.parse().ok()?,
            ))
        })
        .collect();
    Ok(page)
}

async fn create_program(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    op.ensure_manages(&campaign)?;
    let get = |key: &str| form_value(&pairs, key);
    let optional = |key: &str| Some(get(key)).filter(|v| !v.is_empty());
    let mut errors = Vec::new();
    if get("name").is_empty() {
        errors.push(("name", "Hãy đặt tên chương trình.".to_owned()));
    }
    let funding = FundingSource::parse(&get("funding_source"));
    if funding.is_none() {
        errors.push(("funding_source", "Hãy chọn nguồn kinh phí.".to_owned()));
    }
    let mut amounts = Vec::new();
    for (key, value) in &pairs {
        let Some(code) = key.strip_prefix("amount_") else {
            continue;
        };
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            continue;
        }
        match digits.parse::<i64>() {
            Ok(amount) => amounts.push(CategoryAmount {
                category: code.to_owned(),
                amount,
            }),
            Err(_) => errors.push(("amounts", format!("Số tiền “{value}” quá lớn."))),
        }
    }
    if amounts.is_empty() {
        errors.push((
            "amounts",
            "Hãy nhập số tiền cho ít nhất một đối tượng.".to_owned(),
        ));
    }
    let goods_quantity = match optional("goods_quantity") {
        Some(text) => match text.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(("goods_quantity", "Số lượng hiện vật phải là số.".to_owned()));
                None
            }
        },
        None => None,
    };
    if let (true, Some(funding)) = (errors.is_empty(), funding) {
        let input = ProgramInput {
            name: get("name"),
            funding_source: funding,
            sponsor_name: optional("sponsor_name"),
            goods_description: optional("goods_description"),
            goods_quantity,
            one_per_household: get("one_per_household") == "on",
            amounts,
            payment_method: None,
        };
        match add_program(&state.db, &op, &campaign, &input).await {
            Ok((_, computed)) => {
                // Approved lists the new program left out travel to the page as
                // "ward:people" pairs, to be named there.
                let skipped: Vec<String> = computed
                    .skipped_lists
                    .iter()
                    .map(|l| format!("{}:{}", l.ward_id, l.people))
                    .collect();
                let query = if skipped.is_empty() {
                    String::new()
                } else {
                    format!("?bo-qua={}", skipped.join(","))
                };
                return Ok(
                    Redirect::to(&format!("/campaigns/{slug}/programs{query}")).into_response()
                );
            }
            Err(AppError::Invalid(message)) => errors.push(("", message)),
            Err(other) => return Err(other),
        }
    }
    let page = programs_page(&state, &user, &slug, pairs, FormErrors::new(errors)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
