//! The ward list page: the list's state and totals, its rows searched (without diacritics),
//! filtered and paged, with the forms for the distribution and the list's transitions. The
//! handlers of those forms draw this page again with their errors.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use super::distribution::DistributionValues;
use super::{ListContext, load_context};
use crate::domain::approvers::{self, Approvers};
use crate::domain::list_entries::{ListFilter, RowNames, list_page, sheet_offers};
use crate::domain::progress::list_tally_with_gifts;
use crate::domain::sector_approvals::{SectorState, sector_states};
use crate::domain::units::display_name;
use crate::entities::states::{CampaignStatus, EntryStatus, ListStatus, NotReceivedReason};
use crate::entities::{campaign, category, gift_program};
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::layout::{Chrome, FormErrors, money, operator, url_encode};
use crate::web::session::CurrentUser;

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
    if let Some(n) = code.strip_prefix("huy-")
        && let Ok(n) = n.parse::<u32>()
    {
        return format!("Đã hủy ghi nhận cho {n} suất quà: các suất này trở về “chưa nhận”.");
    }
    if let Some(n) = code.strip_prefix("khong-nhan-")
        && let Ok(n) = n.parse::<u32>()
    {
        return format!("Đã ghi {n} suất quà là không nhận, kèm lý do.");
    }
    match code {
        "da-nhap-truoc" => "Tệp này đã được nhập vào danh sách trước đây; không thêm gì.",
        "submit" => "Đã gửi danh sách đi duyệt.",
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
    /// "Phường cũ": the ward that listed the person before a merger, or empty.
    pub former_ward: String,
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

fn status_text(row: &crate::domain::list_entries::ListRow) -> String {
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

/// The ward list page.
#[derive(Template, WebTemplate)]
#[template(path = "ward_list.html")]
pub(super) struct WardListPage {
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
    /// Whether the user approves, returns and reopens this campaign's lists
    /// (`domain::approvers`).
    approves: bool,
    /// Who approves this campaign's lists, in words.
    approvers_label: String,
    /// Where the list goes when the ward sends it ("Gửi thành phố duyệt").
    submit_label: &'static str,
    /// For a campaign reviewed by sector, a submitted or approved list's sectors: each
    /// approved or awaited.
    sector_states: Vec<SectorState>,
    editable: bool,
    approved: bool,
    query: ListQuery,
    categories: Vec<category::Model>,
    /// Programs with gifts on the list: the only ones whose signing sheet is offered.
    programs: Vec<gift_program::Model>,
    /// Why each other program has no signing sheet here.
    no_sheet: Vec<String>,
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

pub(super) async fn build_page(
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
        categories_version,
        list_name_version,
    } = context;
    let (summary, gifts) = match &list {
        Some(list) => {
            let (tally, gifts) = list_tally_with_gifts(&state.db, &user.scope, list).await?;
            (Some(tally), gifts)
        }
        None => (None, Default::default()),
    };
    // Every category, for the rows' names; the active ones are the filter's.
    let all_categories = state
        .categories
        .categories(&state.db, categories_version)
        .await?;
    let page = match (&list, &summary) {
        (Some(list), Some(summary)) => {
            let size = u64::try_from(summary.planned_people).ok();
            let names = RowNames {
                categories: &all_categories,
                programs: &programs,
            };
            let filter = query.filter();
            let kept = if filter.searches_kept_names() {
                Some(
                    state
                        .list_names
                        .names(&state.db, list.id, list_name_version)
                        .await?,
                )
            } else {
                None
            };
            Some(
                list_page(
                    &state.db,
                    &user.scope,
                    list,
                    &filter,
                    size,
                    &names,
                    kept.as_deref(),
                )
                .await?,
            )
        }
        _ => None,
    };
    let offers = match &list {
        Some(list) => sheet_offers(list, programs, &gifts),
        None => Vec::new(),
    };
    let (with_gifts, without): (Vec<_>, Vec<_>) = offers.into_iter().partition(|o| o.gifts > 0);
    let programs = with_gifts.into_iter().map(|o| o.program).collect();
    let no_sheet = without.into_iter().map(|o| o.why_none).collect();
    let status = list.as_ref().map_or(ListStatus::Draft, |l| l.status);
    let who = approvers::approvers_of(&user.units, &campaign);
    let sector_states = match &list {
        Some(list)
            if !matches!(who, Approvers::WardLeader { .. })
                && matches!(status, ListStatus::Submitted | ListStatus::Approved) =>
        {
            sector_states(&state.db, list).await?
        }
        _ => Vec::new(),
    };
    let (rows, total, current, pages) = match page {
        Some(page) => {
            let first = (page.page - 1) * crate::domain::list_entries::PAGE_SIZE;
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
                    former_ward: row.former_ward.clone().unwrap_or_default(),
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
        approves: approvers::approves(&operator(user), &campaign),
        approvers_label: who.label(),
        submit_label: match who {
            Approvers::WardLeader { .. } => "Gửi lãnh đạo phường duyệt",
            Approvers::CityBySector => "Gửi thành phố duyệt",
            Approvers::District { .. } => "Gửi quận duyệt",
        },
        sector_states,
        editable,
        approved: status == ListStatus::Approved,
        categories: all_categories
            .iter()
            .filter(|c| c.active)
            .cloned()
            .collect(),
        programs,
        no_sheet,
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
        today: crate::domain::clock::vietnam_today()
            .format("%Y-%m-%d")
            .to_string(),
        errors,
        values,
        signed_action: format!("{base}/signed-sheet"),
        upload_max_mb: state.config.max_upload_mb,
        upload_max_bytes: state.config.max_upload_mb.saturating_mul(1024 * 1024),
        signed_date: crate::domain::clock::vietnam_today().to_string(),
        query,
        campaign,
    })
}

pub(super) async fn show_ward_list(
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
