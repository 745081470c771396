//! A ward's list in a campaign: search (without diacritics), filters and pages; submitting
//! for approval, approving or returning it; recording the distribution row by row or many
//! rows at once; downloading the signing sheet; adding a person by hand.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::accounts::Role;
use crate::domain::distribution::{Distribution, NotReceivedReason, record_distribution};
use crate::domain::exports::{export_signing_sheets, find_program};
use crate::domain::list_queries::{
    ListFilter, PersonError, PersonInput, active_categories, add_person_to_list,
    campaign_with_list, list_page,
};
use crate::domain::progress::list_tally;
use crate::domain::units::display_name;
use crate::domain::ward_lists::{ListAction, ListStatus, transition_list};
use crate::entities::states::{CampaignStatus, EntryStatus};
use crate::entities::{campaign, category, gift_program, unit, ward_list};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{
    Chrome, FormErrors, ensure_sees_campaign, money, operator, xlsx_download,
};
use crate::web::session::CurrentUser;

/// The list routes, all under `/campaigns/{slug}/wards/{ward_id}`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{slug}/wards/{ward_id}", get(show_ward_list))
        .route(
            "/campaigns/{slug}/wards/{ward_id}/transition",
            post(change_list_status),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution",
            post(record_list_distribution),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/signing-sheet",
            get(download_signing_sheet),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/people/new",
            get(show_new_person).post(add_person),
        )
}

/// The query string of the list page.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Search words.
    #[serde(default)]
    pub q: String,
    /// Category id ("" for all).
    #[serde(default)]
    pub category: String,
    /// Entry status ("" for all).
    #[serde(default)]
    pub status: String,
    /// Page number.
    #[serde(default)]
    pub page: Option<u64>,
    /// A short code saying what was just done.
    #[serde(default)]
    pub notice: String,
}

impl ListQuery {
    fn filter(&self) -> ListFilter {
        ListFilter {
            query: self.q.chars().take(100).collect(),
            category_id: self.category.trim().parse().ok(),
            status: EntryStatus::parse(&self.status),
            page: self.page.unwrap_or(1),
        }
    }

    /// The query string for page `page` with the same search and filters.
    fn page_link(&self, page: u64) -> String {
        let mut parts = vec![format!("page={page}")];
        if !self.q.is_empty() {
            parts.push(format!("q={}", url_encode(&self.q)));
        }
        if !self.category.is_empty() {
            parts.push(format!("category={}", url_encode(&self.category)));
        }
        if !self.status.is_empty() {
            parts.push(format!("status={}", url_encode(&self.status)));
        }
        format!("?{}", parts.join("&"))
    }
}

/// Percent-encodes a query value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The message for a notice code put in the address after a good POST.
fn notice_text(code: &str) -> String {
    if let Some(n) = code.strip_prefix("da-nhap-")
        && let Ok(n) = n.parse::<u32>()
    {
        return format!("Đã ghi {n} người vào danh sách.");
    }
    if let Some(n) = code.strip_prefix("phat-")
        && let Ok(n) = n.parse::<u32>()
    {
        return format!("Đã ghi nhận cấp phát cho {n} suất quà.");
    }
    match code {
        "da-nhap-truoc" => "Tệp này đã được nhập vào danh sách trước đây; không thêm gì.",
        "submit" => "Đã gửi danh sách lên quận để duyệt.",
        "approve" => "Đã duyệt danh sách. Danh sách được khóa; có thể in danh sách ký nhận.",
        "return" => "Đã trả lại danh sách cho phường kèm lý do.",
        "reopen" => "Đã mở lại danh sách để chỉnh sửa.",
        "them" => "Đã thêm người vào danh sách.",
        "sua" => "Đã lưu thông tin người nhận.",
        _ => "",
    }
    .to_owned()
}

/// One row of the list table.
pub struct RowView {
    /// The entry's id.
    pub entry_id: i32,
    /// The person's id.
    pub person_id: i32,
    /// The number on this page's list.
    pub number: u64,
    /// The person's name.
    pub name: String,
    /// Year of birth.
    pub birth_year: String,
    /// CCCD/CMND.
    pub national_id: String,
    /// Address.
    pub address: String,
    /// Category.
    pub category: String,
    /// Program.
    pub program: String,
    /// Amount, formatted.
    pub amount: String,
    /// Where the gift stands in the distribution.
    pub status: EntryStatus,
    /// The distribution state in words.
    pub status_text: String,
}

fn status_text(row: &crate::domain::list_queries::ListRow) -> String {
    match row.status {
        EntryStatus::Received => {
            let date = row
                .received_date
                .map(|d| format!(" ngày {}", d.format("%d/%m/%Y")))
                .unwrap_or_default();
            match &row.receiver {
                Some(who) => format!("Đã nhận{date}, nhận thay: {who}"),
                None => format!("Đã nhận{date}"),
            }
        }
        EntryStatus::NotReceived => {
            let reason = row
                .not_received_reason
                .map(|r| r.label())
                .unwrap_or("không rõ lý do");
            format!("Không nhận: {reason}")
        }
        EntryStatus::Pending => EntryStatus::Pending.label().to_owned(),
    }
}

/// Values typed into the distribution form, kept when it is shown again with errors.
#[derive(Debug, Clone, Default)]
pub struct DistributionValues {
    /// received, proxy, not_received or undo.
    pub mode: String,
    /// yyyy-mm-dd.
    pub date: String,
    /// The proxy's name.
    pub proxy_name: String,
    /// The proxy's relationship.
    pub proxy_relationship: String,
    /// A reason code.
    pub reason: String,
    /// A note.
    pub note: String,
}

/// The ward list page.
#[derive(Template, WebTemplate)]
#[template(path = "ward_list.html")]
struct WardListPage {
    chrome: Chrome,
    campaign: campaign::Model,
    ward_id: i32,
    ward_name: String,
    has_list: bool,
    status: ListStatus,
    status_label: String,
    comment: String,
    entries: i64,
    amount: String,
    notice: String,
    is_supervisor: bool,
    editable: bool,
    approved: bool,
    query: ListQuery,
    categories: Vec<category::Model>,
    programs: Vec<gift_program::Model>,
    rows: Vec<RowView>,
    total: u64,
    page: u64,
    pages: u64,
    prev_link: String,
    next_link: String,
    self_link: String,
    reasons: Vec<(&'static str, &'static str)>,
    today: String,
    errors: FormErrors,
    values: DistributionValues,
    /// Where the signed sheet of this ward is uploaded.
    signed_action: String,
    upload_max_mb: usize,
    upload_max_bytes: usize,
    signed_date: String,
}

struct ListContext {
    campaign: campaign::Model,
    ward: unit::Model,
    list: Option<ward_list::Model>,
    /// The campaign's programs, by id.
    programs: Vec<gift_program::Model>,
}

async fn load_context(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    ward_id: i32,
) -> AppResult<ListContext> {
    // The ward first: another ward's list is refused whatever the campaign.
    user.scope.ensure(ward_id)?;
    let (campaign, list, programs) = campaign_with_list(&state.db, slug, ward_id).await?;
    ensure_sees_campaign(user, &campaign)?;
    let ward = user
        .find_unit(ward_id)
        .cloned()
        .ok_or_else(|| AppError::NotFound("Không tìm thấy phường này.".into()))?;
    Ok(ListContext {
        campaign,
        ward,
        list,
        programs,
    })
}

async fn build_page(
    state: &AppState,
    user: &CurrentUser,
    context: ListContext,
    query: ListQuery,
    errors: FormErrors,
    values: DistributionValues,
) -> AppResult<WardListPage> {
    let ListContext {
        campaign,
        ward,
        list,
        programs,
    } = context;
    let summary = match &list {
        Some(list) => Some(list_tally(&state.db, campaign.id, ward.id, list.id).await?),
        None => None,
    };
    let page = match (&list, &summary) {
        (Some(list), Some(summary)) => {
            let size = u64::try_from(summary.planned_people).ok();
            Some(list_page(&state.db, list, &query.filter(), size).await?)
        }
        _ => None,
    };
    let status = list.as_ref().map_or(ListStatus::Draft, |l| l.status);
    let (rows, total, current, pages) = match page {
        Some(page) => {
            let first = (page.page - 1) * crate::domain::list_queries::PAGE_SIZE;
            let rows = page
                .rows
                .iter()
                .enumerate()
                .map(|(i, row)| RowView {
                    entry_id: row.entry_id,
                    person_id: row.person_id,
                    number: first + i as u64 + 1,
                    name: row.full_name.clone(),
                    birth_year: row.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                    national_id: row.national_id.clone().unwrap_or_default(),
                    address: row.address.clone(),
                    category: row.category_name.clone(),
                    program: row.program_name.clone(),
                    amount: money(row.amount),
                    status: row.status,
                    status_text: status_text(row),
                })
                .collect();
            (rows, page.total, page.page, page.pages)
        }
        None => (Vec::new(), 0, 1, 1),
    };
    let base = format!("/campaigns/{}/wards/{}", campaign.slug, ward.id);
    let prev_link = if current > 1 {
        format!("{base}{}", query.page_link(current - 1))
    } else {
        String::new()
    };
    let next_link = if current < pages {
        format!("{base}{}", query.page_link(current + 1))
    } else {
        String::new()
    };
    let self_link = format!("{base}{}", query.page_link(current));
    let editable = campaign.status == CampaignStatus::Open
        && list.is_some()
        && matches!(status, ListStatus::Draft | ListStatus::Returned);
    Ok(WardListPage {
        chrome: Chrome::for_user(user),
        ward_id: ward.id,
        ward_name: display_name(&ward),
        has_list: list.is_some(),
        status,
        status_label: status.label().to_owned(),
        comment: list
            .as_ref()
            .and_then(|l| l.comment.clone())
            .unwrap_or_default(),
        entries: summary.as_ref().map_or(0, |s| s.planned_people),
        amount: money(summary.as_ref().map_or(0, |s| s.planned_amount)),
        notice: notice_text(&query.notice),
        is_supervisor: matches!(user.role, Role::Admin | Role::District),
        editable,
        approved: status == ListStatus::Approved,
        categories: active_categories(&state.db).await?,
        programs,
        rows,
        total,
        page: current,
        pages,
        prev_link,
        next_link,
        self_link,
        reasons: [
            NotReceivedReason::Absent,
            NotReceivedReason::Deceased,
            NotReceivedReason::Moved,
            NotReceivedReason::Refused,
        ]
        .iter()
        .map(|r| (r.as_str(), r.label()))
        .collect(),
        today: chrono::Local::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string(),
        errors,
        values,
        signed_action: format!("{base}/signed-sheet"),
        upload_max_mb: state.config.max_upload_mb,
        upload_max_bytes: state.config.max_upload_mb.saturating_mul(1024 * 1024),
        signed_date: chrono::Local::now().date_naive().to_string(),
        query,
        campaign,
    })
}

async fn show_ward_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Query(query): Query<ListQuery>,
) -> AppResult<WardListPage> {
    let context = load_context(&state, &user, &slug, ward_id).await?;
    build_page(
        &state,
        &user,
        context,
        query,
        FormErrors::default(),
        DistributionValues::default(),
    )
    .await
}

/// The approval form.
#[derive(Deserialize)]
struct TransitionForm {
    action: String,
    #[serde(default)]
    comment: String,
}

async fn change_list_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Form(form): Form<TransitionForm>,
) -> AppResult<Response> {
    let context = load_context(&state, &user, &slug, ward_id).await?;
    let action = ListAction::parse(&form.action)
        .ok_or_else(|| AppError::BadRequest("Thao tác không hợp lệ.".into()))?;
    let op = operator(&user);
    let result = transition_list(
        &state.db,
        &op,
        &context.campaign,
        ward_id,
        action,
        Some(&form.comment),
    )
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/campaigns/{slug}/wards/{ward_id}?notice={}",
            action.as_str()
        ))
        .into_response()),
        Err(AppError::Invalid(message)) => {
            let field = if action == ListAction::Return {
                "comment"
            } else {
                "transition"
            };
            let page = build_page(
                &state,
                &user,
                context,
                ListQuery::default(),
                FormErrors::new(vec![(field, message)]),
                DistributionValues::default(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other),
    }
}

/// Reads the distribution form: (checked entry ids, what to record, the values typed, the
/// page to go back to).
fn read_distribution_form(
    pairs: &[(String, String)],
) -> (
    Vec<i32>,
    Result<Distribution, FormErrors>,
    DistributionValues,
    String,
) {
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let only: Option<i32> = get("only").parse().ok();
    let ids: Vec<i32> = match only {
        Some(id) => vec![id],
        None => pairs
            .iter()
            .filter(|(k, _)| k == "entry_ids")
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect(),
    };
    let values = DistributionValues {
        mode: if only.is_some() {
            "received".to_owned()
        } else {
            get("mode")
        },
        date: get("date"),
        proxy_name: get("proxy_name"),
        proxy_relationship: get("proxy_relationship"),
        reason: get("reason"),
        note: get("note"),
    };
    let back = get("back");
    let mut errors = Vec::new();
    if ids.is_empty() {
        errors.push((
            "entry_ids",
            "Hãy đánh dấu ít nhất một người trong bảng.".to_owned(),
        ));
    }
    let date = if values.date.is_empty() {
        Some(chrono::Local::now().date_naive())
    } else {
        NaiveDate::parse_from_str(&values.date, "%Y-%m-%d").ok()
    };
    let what = match values.mode.as_str() {
        "received" | "proxy" => {
            let proxy = if values.mode == "proxy" {
                if values.proxy_name.is_empty() {
                    errors.push(("proxy_name", "Hãy ghi họ tên người nhận thay.".to_owned()));
                }
                if values.proxy_relationship.is_empty() {
                    errors.push((
                        "proxy_relationship",
                        "Hãy ghi quan hệ với người được nhận quà (con, vợ, cháu…).".to_owned(),
                    ));
                }
                Some((values.proxy_name.clone(), values.proxy_relationship.clone()))
            } else {
                None
            };
            match date {
                Some(date) => Some(Distribution::Received { date, proxy }),
                None => {
                    errors.push(("date", "Ngày nhận không hợp lệ.".to_owned()));
                    None
                }
            }
        }
        "not_received" => match NotReceivedReason::parse(&values.reason) {
            Some(reason) => Some(Distribution::NotReceived {
                reason,
                note: (!values.note.is_empty()).then(|| values.note.clone()),
            }),
            None => {
                errors.push(("reason", "Hãy chọn lý do không nhận.".to_owned()));
                None
            }
        },
        "undo" => Some(Distribution::Undo),
        _ => {
            errors.push(("mode", "Hãy chọn cần ghi nhận điều gì.".to_owned()));
            None
        }
    };
    let what = match what {
        Some(what) if errors.is_empty() => Ok(what),
        _ => Err(FormErrors::new(errors)),
    };
    (ids, what, values, back)
}

async fn record_list_distribution(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let context = load_context(&state, &user, &slug, ward_id).await?;
    let (ids, what, values, back) = read_distribution_form(&pairs);
    let base = format!("/campaigns/{slug}/wards/{ward_id}");
    let back = crate::web::layout::safe_back(Some(&back), &base);
    let errors = match what {
        Ok(what) => match record_distribution(&state.db, &operator(&user), &ids, &what).await {
            Ok(done) => {
                let join = if back.contains('?') { '&' } else { '?' };
                let back = if back.starts_with(&base) {
                    back
                } else {
                    base.clone()
                };
                return Ok(
                    Redirect::to(&format!("{back}{join}notice=phat-{}", done.len()))
                        .into_response(),
                );
            }
            Err(AppError::Invalid(message)) => FormErrors::new(vec![("", message)]),
            Err(other) => return Err(other),
        },
        Err(errors) => errors,
    };
    let page = build_page(&state, &user, context, ListQuery::default(), errors, values).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Which program's sheet to download.
#[derive(Deserialize)]
struct SheetQuery {
    #[serde(default)]
    program: String,
}

async fn download_signing_sheet(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Query(query): Query<SheetQuery>,
) -> AppResult<Response> {
    let context = load_context(&state, &user, &slug, ward_id).await?;
    let program = find_program(&state.db, &context.campaign, Some(&query.program)).await?;
    let file = export_signing_sheets(
        &state.db,
        &operator(&user),
        &context.campaign,
        Some(&context.ward),
        &program,
    )
    .await?;
    Ok(xlsx_download(&file.file_name, file.bytes))
}

/// The form to add a person by hand.
#[derive(Template, WebTemplate)]
#[template(path = "person_new.html")]
struct NewPersonPage {
    chrome: Chrome,
    campaign: campaign::Model,
    ward_id: i32,
    ward_name: String,
    categories: Vec<category::Model>,
    form: NewPersonForm,
    errors: FormErrors,
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
}

impl NewPersonForm {
    /// Whether `id` is the chosen category (for the select box).
    pub fn is_category(&self, id: &i32) -> bool {
        self.category.trim() == id.to_string()
    }
}

async fn new_person_page(
    state: &AppState,
    user: &CurrentUser,
    context: ListContext,
    form: NewPersonForm,
    errors: FormErrors,
) -> AppResult<NewPersonPage> {
    Ok(NewPersonPage {
        chrome: Chrome::for_user(user),
        ward_id: context.ward.id,
        ward_name: display_name(&context.ward),
        campaign: context.campaign,
        categories: active_categories(&state.db).await?,
        form,
        errors,
    })
}

async fn show_new_person(
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
    )
    .await
}

async fn add_person(
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
    let amount_text: String = form.amount.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut errors = Vec::new();
    let amount = if amount_text.is_empty() {
        None
    } else {
        match amount_text.parse::<i64>() {
            Ok(amount) => Some(amount),
            Err(_) => {
                errors.push(("amount", "Số tiền quá lớn.".to_owned()));
                None
            }
        }
    };
    let input = PersonInput {
        full_name: form.full_name.clone(),
        birth_year: form.birth_year.clone(),
        national_id: form.national_id.clone(),
        address: form.address.clone(),
        khu_pho: form.khu_pho.clone(),
        phone: form.phone.clone(),
        notes: form.notes.clone(),
    };
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
        }
    }
    let page = new_person_page(&state, &user, context, form, FormErrors::new(errors)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
