//! Reviewing possible duplicates across a campaign's lists: keep one of the two, or both.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Redirect;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::campaigns::visible_campaign;
use crate::domain::duplicates::{
    Decision, DuplicatePair, WardPairs, decide_duplicate, find_kept_duplicates, find_pair,
    find_ward_duplicates, pairs_by_ward,
};
use crate::domain::list_review::gifts_removed_with;
use crate::domain::units::display_name;
use crate::entities::campaign;
use crate::entities::states::ListStatus;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, money, operator};
use crate::web::session::CurrentUser;

/// `/campaigns/{slug}/duplicates`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{slug}/duplicates", get(show_duplicates))
        .route(
            "/campaigns/{slug}/duplicates/decide",
            get(confirm_decision).post(decide_pair),
        )
}

/// The review page.
#[derive(Template, WebTemplate)]
#[template(path = "duplicates.html")]
struct DuplicatesPage {
    chrome: Chrome,
    campaign: campaign::Model,
    pairs: Vec<PairView>,
    decided: bool,
    /// The ward the page is limited to, if any.
    ward_name: Option<String>,
    /// Every pair of the campaign, when it has more than [`PAIRS_ON_ONE_PAGE`]: the page
    /// then lists the wards with their pairs instead of the pairs themselves.
    total_pairs: String,
    /// Those pairs by ward (empty when the pairs are shown).
    wards: Vec<WardPairs>,
}

/// The most pairs the campaign's page shows one by one; above it (a city's thousands), it
/// lists the wards, each a link to its own review.
const PAIRS_ON_ONE_PAGE: usize = 200;

/// One side of a pair as shown.
pub struct SideView {
    /// The entry's id.
    pub entry_id: i32,
    /// Name.
    pub full_name: String,
    /// Year of birth.
    pub birth_year: String,
    /// Address.
    pub address: String,
    /// Ward.
    pub ward_name: String,
    /// Category.
    pub category_name: String,
    /// Amount, formatted.
    pub amount: String,
    /// The ward's id, for the link to its list.
    pub ward_id: i32,
    /// Whether its list is approved, so this side cannot be removed until the list is
    /// reopened: the page says so instead of offering a button that would be refused.
    pub locked: bool,
}

/// A pair as shown.
pub struct PairView {
    /// The program.
    pub program_name: String,
    /// Why they may be one recipient.
    pub evidence: String,
    /// Already judged "keep both".
    pub decided: bool,
    /// The two sides.
    pub sides: Vec<SideView>,
}

fn side_view(side: &crate::domain::duplicates::DuplicateSide) -> SideView {
    SideView {
        entry_id: side.entry_id,
        full_name: side.full_name.clone(),
        birth_year: side.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        address: side.address.clone().unwrap_or_default(),
        ward_name: side.ward_name.clone(),
        category_name: side.category_name.clone(),
        amount: money(side.amount),
        ward_id: side.ward_id,
        locked: side.list_status == ListStatus::Approved,
    }
}

fn pair_view(pair: &DuplicatePair) -> PairView {
    PairView {
        program_name: pair.program_name.clone(),
        evidence: pair.evidence_labels.join("; "),
        decided: pair.decision.is_some(),
        sides: vec![side_view(&pair.a), side_view(&pair.b)],
    }
}

/// Whether the page follows a decision.
#[derive(Deserialize)]
struct DoneQuery {
    #[serde(default)]
    notice: String,
    /// One ward's review: only the pairs with a side in this ward (the city's way through a
    /// million entries, one ward at a time).
    ward: Option<i32>,
}

async fn show_duplicates(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    axum::extract::Query(query): axum::extract::Query<DoneQuery>,
) -> AppResult<DuplicatesPage> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let (mut pairs, ward_name) = match query.ward {
        Some(ward_id) => {
            let pairs =
                find_ward_duplicates(&state.db, &state.pairs, &op, &campaign, ward_id).await?;
            let name = user
                .units
                .iter()
                .find(|u| u.id == ward_id)
                .map(display_name);
            (pairs, name)
        }
        None => (
            find_kept_duplicates(&state.db, &state.pairs, &op, &campaign).await?,
            None,
        ),
    };
    let total_pairs = pairs.len();
    let wards = if ward_name.is_none() && total_pairs > PAIRS_ON_ONE_PAGE {
        let wards = pairs_by_ward(&pairs);
        pairs.clear();
        wards
    } else {
        Vec::new()
    };
    Ok(DuplicatesPage {
        chrome: Chrome::for_user(&user),
        campaign,
        ward_name,
        pairs: pairs.iter().map(pair_view).collect(),
        decided: query.notice == "da-quyet-dinh",
        total_pairs: crate::vn::money_words::format_thousands(total_pairs as i64),
        wards,
    })
}

/// A decision on one pair.
#[derive(Deserialize)]
struct DecisionForm {
    a: i32,
    b: i32,
    /// `keep_a`, `keep_b` or `keep_both`.
    decision: String,
    #[serde(default)]
    note: String,
}

async fn decide_pair(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Redirect> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let decision = match form.decision.as_str() {
        "keep_a" => Decision::KeepOne {
            keep_entry_id: form.a,
        },
        "keep_b" => Decision::KeepOne {
            keep_entry_id: form.b,
        },
        "keep_both" => Decision::KeepBoth,
        _ => return Err(AppError::BadRequest("Quyết định không hợp lệ.".into())),
    };
    decide_duplicate(
        &state.db,
        &op,
        &campaign,
        (form.a, form.b),
        decision,
        Some(&form.note),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/campaigns/{slug}/duplicates?notice=da-quyet-dinh"
    )))
}

/// The confirmation before keeping one side, which removes the other side's gifts.
#[derive(Template, WebTemplate)]
#[template(path = "duplicate_confirm.html")]
struct ConfirmDecisionPage {
    chrome: Chrome,
    campaign: campaign::Model,
    form: DecisionForm,
    program_name: String,
    kept: SideView,
    removed: SideView,
    gifts_removed: u64,
}

/// `GET …/duplicates/decide?a=&b=&decision=keep_a|keep_b`: says what keeping one side
/// removes, with the count, and carries the real POST. Nothing changes here.
async fn confirm_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    axum::extract::Query(form): axum::extract::Query<DecisionForm>,
) -> AppResult<ConfirmDecisionPage> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let pair = find_pair(&state.db, &op, &campaign, (form.a, form.b))
        .await?
        .ok_or_else(|| AppError::NotFound("Không còn cặp nghi trùng này.".into()))?;
    let kept_id = match form.decision.as_str() {
        "keep_a" => form.a,
        "keep_b" => form.b,
        _ => return Err(AppError::BadRequest("Quyết định không hợp lệ.".into())),
    };
    let (kept, removed) = if pair.a.entry_id == kept_id {
        (&pair.a, &pair.b)
    } else {
        (&pair.b, &pair.a)
    };
    let gifts_removed = gifts_removed_with(&state.db, &pair, removed.entry_id).await?;
    Ok(ConfirmDecisionPage {
        chrome: Chrome::for_user(&user),
        program_name: pair.program_name.clone(),
        kept: side_view(kept),
        removed: side_view(removed),
        gifts_removed,
        form,
        campaign,
    })
}
