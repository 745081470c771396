//! What the ward-list pages read and the small edits they make by hand: one ward list's
//! gifts with their people, searched without diacritics, filtered and paginated in one query
//! (plus one count); a person's details; adding one person to a list by hand.
//!
//! Approval, distribution, exports and imports live with their owners (`ward_lists`,
//! `distribution`, `exports`, `import_commit`); this module only reads and edits people.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{
    Alias, Cond, Expr, ExprTrait, Func, JoinType, LikeExpr, Order, Query, SelectStatement,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    IdenStatic, Iterable, QueryFilter, QueryOrder, QuerySelect, Set, Statement, TransactionSession,
    TransactionTrait,
};

use crate::db::sqlite_json_rows::sqlite_rows_as_json;
use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::entitlements::{entitlements_for, load_program_rules};
use crate::domain::operator::Operator;
use crate::domain::scope::UnitScope;
use crate::domain::ward_lists::ensure_list_editable;
use crate::entities::states::{EntryStatus, ListStatus, NotReceivedReason, PersonStatus};
use crate::entities::{campaign, category, entry, gift_program, person, ward_list};
use crate::error::{AppError, AppResult};
use crate::vn::identity::parse_national_id;
use crate::vn::text::{fold_key, name_key, tidy_person_name};

/// Rows on one page of a list.
pub const PAGE_SIZE: u64 = 50;

/// What the user searches and filters a list by.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Words of a name (any case, with or without diacritics) or digits of an ID.
    pub query: String,
    /// A category id.
    pub category_id: Option<i32>,
    /// Only gifts in this state.
    pub status: Option<EntryStatus>,
    /// 1-based page number.
    pub page: u64,
}

/// One gift on a ward's list, with its person.
#[derive(Debug, Clone)]
pub struct ListRow {
    /// The entry's id.
    pub entry_id: i32,
    /// The person's id.
    pub person_id: i32,
    /// The person's name.
    pub full_name: String,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// CCCD/CMND.
    pub national_id: Option<String>,
    /// Address, or else khu phố.
    pub address: String,
    /// The category's name.
    pub category_name: String,
    /// Whether the category is sensitive (never printed).
    pub sensitive: bool,
    /// The program's name.
    pub program_name: String,
    /// Amount in đồng.
    pub amount: i64,
    /// Where the gift stands in the distribution.
    pub status: EntryStatus,
    /// Who received for the person, with the relationship.
    pub receiver: Option<String>,
    /// Why not received.
    pub not_received_reason: Option<NotReceivedReason>,
    /// The day it was received.
    pub received_date: Option<chrono::NaiveDate>,
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct ListPage {
    /// The rows of this page.
    pub rows: Vec<ListRow>,
    /// Rows matching the filter on every page.
    pub total: u64,
    /// This page, 1-based.
    pub page: u64,
    /// How many pages there are (at least 1).
    pub pages: u64,
}

/// `text` with LIKE's wildcards escaped by a backslash.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The WHERE part shared by the page query and its count.
fn filter_condition(list_id: i32, filter: &ListFilter) -> Cond {
    let (e, p) = (Alias::new("e"), Alias::new("p"));
    let mut cond = Cond::all().add(Expr::col((e.clone(), entry::Column::WardListId)).eq(list_id));
    if let Some(category_id) = filter.category_id {
        cond = cond.add(Expr::col((e.clone(), entry::Column::CategoryId)).eq(category_id));
    }
    if let Some(status) = filter.status {
        cond = cond.add(Expr::col((e, entry::Column::Status)).eq(status));
    }
    let query = fold_key(&filter.query);
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() == query.replace(' ', "").len() {
        // An ID, or a part of one.
        let pattern = format!("%{}%", like_escape(&digits));
        cond = cond.add(
            Expr::col((p, person::Column::NationalId)).like(LikeExpr::new(pattern).escape('\\')),
        );
    } else {
        // name_key keeps each word's letters together (its marks follow the word) and only
        // "đ" stays apart from "d": every folded word of the query is a substring of it.
        for word in query.split_whitespace() {
            let pattern = format!("%{}%", like_escape(word));
            let folded = Func::cust("REPLACE").args([
                Expr::col((p.clone(), person::Column::NameKey)),
                Expr::val("đ"),
                Expr::val("d"),
            ]);
            cond = cond.add(Expr::expr(folded).like(LikeExpr::new(pattern).escape('\\')));
        }
    }
    cond
}

fn base_query(list_id: i32, filter: &ListFilter) -> SelectStatement {
    let (e, p) = (Alias::new("e"), Alias::new("p"));
    Query::select()
        .from_as(entry::Entity, e.clone())
        .join_as(
            JoinType::InnerJoin,
            person::Entity,
            p.clone(),
            Expr::col((p, person::Column::Id)).equals((e, entry::Column::PersonId)),
        )
        .cond_where(filter_condition(list_id, filter))
        .to_owned()
}

/// Whether `filter` keeps every gift of the list (no search, category or status).
fn keeps_everything(filter: &ListFilter) -> bool {
    fold_key(&filter.query).trim().is_empty()
        && filter.category_id.is_none()
        && filter.status.is_none()
}

/// One page of a ward list's gifts matching `filter`, in the order of the file (then as
/// added): one query for the rows, walking `ix_entries_ward_list_order`, and one for the
/// count, whatever the list's size. `list_size` is the number of the list's gifts when the
/// caller knows it already (from the tallies): without a filter it is the count, and the
/// count query is skipped. The count joins people only when searching by name or ID. The
/// caller has checked that the operator may see the list's ward.
pub async fn list_page(
    db: &impl ConnectionTrait,
    list: &ward_list::Model,
    filter: &ListFilter,
    list_size: Option<u64>,
) -> AppResult<ListPage> {
    let (e, p, c, g) = (
        Alias::new("e"),
        Alias::new("p"),
        Alias::new("c"),
        Alias::new("g"),
    );
    let total = match list_size {
        Some(size) if keeps_everything(filter) => size,
        _ => {
            let mut count_query = if fold_key(&filter.query).trim().is_empty() {
                Query::select()
                    .from_as(entry::Entity, e.clone())
                    .cond_where(filter_condition(list.id, filter))
                    .to_owned()
            } else {
                base_query(list.id, filter)
            };
            count_query.expr_as(
                Expr::col((e.clone(), entry::Column::Id)).count(),
                Alias::new("n"),
            );
            let total: i64 = match db.query_one(&count_query).await? {
                Some(row) => row.try_get("", "n")?,
                None => 0,
            };
            u64::try_from(total).unwrap_or(0)
        }
    };
    let pages = std::cmp::max(total.div_ceil(PAGE_SIZE), 1);
    let page = filter.page.clamp(1, pages);
    let query = base_query(list.id, filter)
        .column((e.clone(), entry::Column::Id))
        .column((e.clone(), entry::Column::PersonId))
        .column((e.clone(), entry::Column::ProgramId))
        .column((e.clone(), entry::Column::SourceRow))
        .column((e.clone(), entry::Column::Amount))
        .column((e.clone(), entry::Column::Status))
        .column((e.clone(), entry::Column::ReceiverName))
        .column((e.clone(), entry::Column::ReceiverRelationship))
        .column((e.clone(), entry::Column::NotReceivedReason))
        .column((e.clone(), entry::Column::ReceivedDate))
        .column((p.clone(), person::Column::FullName))
        .column((p.clone(), person::Column::BirthYear))
        .column((p.clone(), person::Column::NationalId))
        .column((p.clone(), person::Column::Address))
        .column((p.clone(), person::Column::KhuPho))
        .expr_as(
            Expr::col((c.clone(), category::Column::Name)),
            Alias::new("category_name"),
        )
        .column((c.clone(), category::Column::Sensitive))
        .expr_as(
            Expr::col((g.clone(), gift_program::Column::Name)),
            Alias::new("program_name"),
        )
        .join_as(
            JoinType::InnerJoin,
            category::Entity,
            c.clone(),
            Expr::col((c, category::Column::Id)).equals((e.clone(), entry::Column::CategoryId)),
        )
        .join_as(
            JoinType::InnerJoin,
            gift_program::Entity,
            g.clone(),
            Expr::col((g, gift_program::Column::Id)).equals((e.clone(), entry::Column::ProgramId)),
        )
        .order_by_expr(
            Expr::col((e.clone(), entry::Column::SourceRow)).is_null(),
            Order::Asc,
        )
        .order_by((e.clone(), entry::Column::SourceRow), Order::Asc)
        .order_by((e.clone(), entry::Column::PersonId), Order::Asc)
        .order_by((e, entry::Column::ProgramId), Order::Asc)
        .to_owned();
    // The page's bounds are written into the SQL as numbers (ours, never the user's text):
    // SQLite 3.47+ plans with a bound LIMIT's value and so prepares the statement again
    // each time one is bound, which cost more than the rest of the query.
    let mut statement = db.get_database_backend().build(&query);
    statement.sql = format!(
        "{} LIMIT {PAGE_SIZE} OFFSET {}",
        statement.sql,
        (page - 1) * PAGE_SIZE
    );
    let rows = page_rows(db, statement)
        .await?
        .into_iter()
        .map(PageRow::into_list_row)
        .collect();
    Ok(ListPage {
        rows,
        total,
        page,
        pages,
    })
}

/// One row of a list page as the query gives it, by column name on PostgreSQL and by
/// position (in [`PAGE_ROW_COLUMNS`]' order) out of SQLite's JSON.
#[derive(Debug, serde::Deserialize, FromQueryResult)]
struct PageRow {
    id: i32,
    person_id: i32,
    program_id: i32,
    source_row: Option<i32>,
    amount: i64,
    status: EntryStatus,
    receiver_name: Option<String>,
    receiver_relationship: Option<String>,
    not_received_reason: Option<NotReceivedReason>,
    received_date: Option<chrono::NaiveDate>,
    full_name: String,
    birth_year: Option<i32>,
    national_id: Option<String>,
    address: Option<String>,
    khu_pho: Option<String>,
    category_name: String,
    sensitive: bool,
    program_name: String,
}

/// The columns of [`PageRow`] in its fields' order, as SQLite's JSON gives them; the
/// category's flag as a JSON boolean, since SQLite keeps booleans as 0 and 1.
const PAGE_ROW_COLUMNS: &str = "id, person_id, program_id, source_row, amount, status, \
    receiver_name, receiver_relationship, not_received_reason, received_date, full_name, \
    birth_year, national_id, address, khu_pho, category_name, \
    json(CASE WHEN sensitive THEN 'true' ELSE 'false' END), program_name";

impl PageRow {
    /// The list's display order: file rows by their row, rows added by hand last.
    fn display_order(&self) -> (bool, Option<i32>, i32, i32) {
        (
            self.source_row.is_none(),
            self.source_row,
            self.person_id,
            self.program_id,
        )
    }

    fn into_list_row(self) -> ListRow {
        ListRow {
            entry_id: self.id,
            person_id: self.person_id,
            full_name: self.full_name,
            birth_year: self.birth_year,
            national_id: self.national_id,
            address: self.address.or(self.khu_pho).unwrap_or_default(),
            category_name: self.category_name,
            sensitive: self.sensitive,
            program_name: self.program_name,
            amount: self.amount,
            status: self.status,
            receiver: self
                .receiver_name
                .map(|name| match self.receiver_relationship {
                    Some(rel) if !rel.is_empty() => format!("{name} ({rel})"),
                    _ => name,
                }),
            not_received_reason: self.not_received_reason,
            received_date: self.received_date,
        }
    }
}

/// The rows of a page's `statement` (ordered, with its LIMIT). On SQLite they come back as
/// one JSON value ([`sqlite_rows_as_json`]; a page of one row answered 40% more requests
/// than one of 50 read row by row) and are put back in display order after decoding.
async fn page_rows(db: &impl ConnectionTrait, statement: Statement) -> AppResult<Vec<PageRow>> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return db
            .query_all_raw(statement)
            .await?
            .iter()
            .map(|row| PageRow::from_query_result(row, "").map_err(AppError::from))
            .collect();
    }
    let (_, json) = sqlite_rows_as_json(db, statement, PAGE_ROW_COLUMNS).await?;
    let mut rows: Vec<PageRow> = serde_json::from_str(&json)
        .map_err(|err| AppError::Other(anyhow::anyhow!("list page rows: {err}")))?;
    rows.sort_by_key(PageRow::display_order);
    Ok(rows)
}

/// Adds every column of `E`, read from the table aliased `table`, named `{prefix}{column}`:
/// several tables come back in one row (one query, one hand-off to the database's thread)
/// and each is read with `Model::from_query_result(row, prefix)`.
pub fn select_prefixed<E: EntityTrait>(query: &mut SelectStatement, table: &Alias, prefix: &str) {
    for column in E::Column::iter() {
        query.expr_as(
            Expr::col((table.clone(), column)),
            Alias::new(format!("{prefix}{}", column.as_str())),
        );
    }
}

/// A campaign by slug with the list of `ward_id` in it (if any) and its programs by id:
/// what every list page starts from, in one query (one row per program).
pub async fn campaign_with_list(
    db: &impl ConnectionTrait,
    slug: &str,
    ward_id: i32,
) -> AppResult<(
    campaign::Model,
    Option<ward_list::Model>,
    Vec<gift_program::Model>,
)> {
    let (c, l, g) = (Alias::new("c"), Alias::new("l"), Alias::new("g"));
    let mut query = Query::select();
    query.from_as(campaign::Entity, c.clone());
    select_prefixed::<campaign::Entity>(&mut query, &c, "c_");
    select_prefixed::<ward_list::Entity>(&mut query, &l, "l_");
    select_prefixed::<gift_program::Entity>(&mut query, &g, "g_");
    query
        .join_as(
            JoinType::LeftJoin,
            ward_list::Entity,
            l.clone(),
            Expr::col((l.clone(), ward_list::Column::CampaignId))
                .equals((c.clone(), campaign::Column::Id))
                .and(Expr::col((l, ward_list::Column::WardId)).eq(ward_id)),
        )
        .join_as(
            JoinType::LeftJoin,
            gift_program::Entity,
            g.clone(),
            Expr::col((g.clone(), gift_program::Column::CampaignId))
                .equals((c.clone(), campaign::Column::Id)),
        )
        .and_where(Expr::col((c, campaign::Column::Slug)).eq(slug.trim()))
        .order_by((g, gift_program::Column::Id), Order::Asc);
    let found = db.query_all(&query).await?;
    let Some(first) = found.first() else {
        return Err(AppError::NotFound(format!(
            "Không tìm thấy đợt quà “{}”.",
            slug.trim()
        )));
    };
    let campaign = campaign::Model::from_query_result(first, "c_")?;
    let list_id: Option<i32> = first.try_get("l_", "id")?;
    let list = match list_id {
        Some(_) => Some(ward_list::Model::from_query_result(first, "l_")?),
        None => None,
    };
    let mut programs = Vec::with_capacity(found.len());
    for row in &found {
        let program_id: Option<i32> = row.try_get("g_", "id")?;
        if program_id.is_some() {
            programs.push(gift_program::Model::from_query_result(row, "g_")?);
        }
    }
    Ok((campaign, list, programs))
}

/// Where each ward's list of `campaign_id` stands, by ward id, for the wards in `scope`
/// (wards without a list are absent): one query over `ward_lists`, for the dashboard.
pub async fn list_statuses(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
) -> AppResult<HashMap<i32, ListStatus>> {
    let rows: Vec<(i32, ListStatus)> = ward_list::Entity::find()
        .select_only()
        .column(ward_list::Column::WardId)
        .column(ward_list::Column::Status)
        .filter(ward_list::Column::CampaignId.eq(campaign_id))
        .filter(scope.condition(ward_list::Column::WardId))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The categories a list's filter offers: the active ones, highest rank first.
pub async fn active_categories(db: &impl ConnectionTrait) -> AppResult<Vec<category::Model>> {
    Ok(category::Entity::find()
        .filter(category::Column::Active.eq(true))
        .order_by_desc(category::Column::Rank)
        .order_by_asc(category::Column::Name)
        .all(db)
        .await?)
}

/// A person's details as typed on the form.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    /// Họ và tên.
    pub full_name: String,
    /// Năm sinh, as typed.
    pub birth_year: String,
    /// Số CCCD/CMND, as typed.
    pub national_id: String,
    /// Địa chỉ.
    pub address: String,
    /// Khu phố / tổ dân phố.
    pub khu_pho: String,
    /// Số điện thoại.
    pub phone: String,
    /// Ghi chú.
    pub notes: String,
}

/// Problems found on a person form, by field, in Vietnamese.
pub type FieldErrors = Vec<(&'static str, String)>;

/// A person form checked and tidied.
struct CleanPerson {
    full_name: String,
    birth_year: Option<i32>,
    national_id: Option<String>,
    address: Option<String>,
    khu_pho: Option<String>,
    phone: Option<String>,
    notes: Option<String>,
}

fn optional(text: &str) -> Option<String> {
    let text = crate::vn::text::normalize(text);
    (!text.is_empty()).then_some(text)
}

fn clean_person(input: &PersonInput) -> Result<CleanPerson, FieldErrors> {
    let mut errors = FieldErrors::new();
    let full_name = tidy_person_name(&input.full_name);
    if full_name.is_empty() {
        errors.push(("full_name", "Hãy nhập họ và tên.".into()));
    } else if let Some(c) = crate::vn::text::invalid_name_char(&full_name) {
        errors.push((
            "full_name",
            format!("Họ tên có ký tự “{c}” không có trong tên người; hãy sửa lại."),
        ));
    }
    let year_text = input.birth_year.trim();
    let this_year = chrono::Datelike::year(&Utc::now());
    let birth_year = if year_text.is_empty() {
        None
    } else {
        match year_text.parse::<i32>() {
            Ok(year) if (1900..=this_year).contains(&year) => Some(year),
            _ => {
                errors.push((
                    "birth_year",
                    format!("Năm sinh “{year_text}” không hợp lệ: hãy nhập 4 chữ số, ví dụ 1948."),
                ));
                None
            }
        }
    };
    let id_text: String = input
        .national_id
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let national_id = if id_text.is_empty() {
        None
    } else {
        match parse_national_id(&id_text) {
            Ok(id) => id.map(|id| id.as_str().to_owned()),
            Err(_) => {
                errors.push((
                    "national_id",
                    format!(
                        "Số “{id_text}” không phải CCCD (12 chữ số) hay CMND (9 chữ số); hãy kiểm tra lại."
                    ),
                ));
                None
            }
        }
    };
    if errors.is_empty() {
        Ok(CleanPerson {
            full_name,
            birth_year,
            national_id,
            address: optional(&input.address),
            khu_pho: optional(&input.khu_pho),
            phone: optional(&input.phone),
            notes: optional(&input.notes),
        })
    } else {
        Err(errors)
    }
}

/// Why saving a person failed: the form's fields, or anything else.
#[derive(Debug)]
pub enum PersonError {
    /// Problems to show next to the fields.
    Fields(FieldErrors),
    /// Refused or failed as a whole.
    App(AppError),
}

impl From<AppError> for PersonError {
    fn from(err: AppError) -> Self {
        PersonError::App(err)
    }
}

impl From<sea_orm::DbErr> for PersonError {
    fn from(err: sea_orm::DbErr) -> Self {
        PersonError::App(AppError::Db(err))
    }
}

const ID_TAKEN: &str = "Số CCCD/CMND này đã có ở một người khác trong hệ thống.";

fn id_taken(err: sea_orm::DbErr) -> PersonError {
    match AppError::on_unique_violation(err, ID_TAKEN) {
        AppError::Invalid(message) => PersonError::Fields(vec![("national_id", message)]),
        other => PersonError::App(other),
    }
}

/// A person the operator may see, else 403/404.
pub async fn find_person(
    db: &impl ConnectionTrait,
    operator: &Operator,
    person_id: i32,
) -> AppResult<person::Model> {
    let found = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy người này.".into()))?;
    operator.scope.ensure(found.ward_id)?;
    Ok(found)
}

/// Changes a person's details, audited with before and after.
pub async fn update_person(
    db: &impl ConnectionTrait,
    operator: &Operator,
    person_id: i32,
    input: &PersonInput,
) -> Result<person::Model, PersonError> {
    let found = find_person(db, operator, person_id).await?;
    let clean = clean_person(input).map_err(PersonError::Fields)?;
    let mut active: person::ActiveModel = found.clone().into();
    active.name_key = Set(name_key(&clean.full_name));
    active.full_name = Set(clean.full_name);
    active.birth_year = Set(clean.birth_year);
    active.national_id = Set(clean.national_id);
    active.address = Set(clean.address);
    active.khu_pho = Set(clean.khu_pho);
    active.phone = Set(clean.phone);
    active.notes = Set(clean.notes);
    active.updated_at = Set(Utc::now());
    let updated = active.update(db).await.map_err(id_taken)?;
    audit::record(
        db,
        &operator.actor,
        AuditEvent {
            action: "person.update",
            entity_type: "person",
            entity_id: Some(updated.id.to_string()),
            unit_id: Some(updated.ward_id),
        },
        Some(&found),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}

/// Adds one person typed by hand to a ward list under `category_id`, with `amount` for the
/// programs that take the amount typed in (the default one), in one transaction. The list
/// must be editable (a draft or returned); a person with the same ID already known is reused.
pub async fn add_person_to_list<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    list: &ward_list::Model,
    input: &PersonInput,
    category_id: Option<i32>,
    amount: Option<i64>,
) -> Result<person::Model, PersonError> {
    operator.scope.ensure(list.ward_id)?;
    let mut errors = match clean_person(input) {
        Ok(_) => FieldErrors::new(),
        Err(errors) => errors,
    };
    let category = match category_id {
        Some(id) => category::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    if category.is_none() {
        errors.push(("category", "Hãy chọn đối tượng.".into()));
    }
    if amount.is_some_and(|a| a < 0) {
        errors.push(("amount", "Số tiền không được âm.".into()));
    }
    let (Ok(clean), Some(category)) = (clean_person(input), category) else {
        return Err(PersonError::Fields(errors));
    };
    if !errors.is_empty() {
        return Err(PersonError::Fields(errors));
    }
    let txn = begin_write(db).await?;
    let list = ensure_list_editable(&txn, list.id).await?;
    let existing = match &clean.national_id {
        Some(id) => {
            person::Entity::find()
                .filter(person::Column::NationalId.eq(id.clone()))
                .one(&txn)
                .await?
        }
        None => None,
    };
    let now = Utc::now();
    let saved = match existing {
        Some(found) if found.ward_id != list.ward_id => {
            return Err(PersonError::Fields(vec![(
                "national_id",
                "Người có số CCCD/CMND này đang thuộc danh sách của phường khác.".into(),
            )]));
        }
        Some(found) => found,
        None => person::ActiveModel {
            name_key: Set(name_key(&clean.full_name)),
            full_name: Set(clean.full_name),
            birth_year: Set(clean.birth_year),
            birth_date: Set(None),
            gender: Set(None),
            national_id: Set(clean.national_id),
            address: Set(clean.address),
            khu_pho: Set(clean.khu_pho),
            ward_id: Set(list.ward_id),
            phone: Set(clean.phone),
            notes: Set(clean.notes),
            status: Set(PersonStatus::Active),
            created_at: Set(now),
            updated_at: Set(now),
            household_id: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(id_taken)?,
    };
    let programs = load_program_rules(&txn, list.campaign_id).await?;
    let gifts = entitlements_for(&programs, category.id, amount);
    if gifts.is_empty() {
        return Err(PersonError::Fields(vec![(
            "amount",
            "Không chương trình quà nào của đợt này tặng cho đối tượng đã chọn; hãy nhập số tiền \
             hoặc chọn đối tượng khác."
                .into(),
        )]));
    }
    for gift in &gifts {
        entry::ActiveModel {
            campaign_id: Set(list.campaign_id),
            ward_list_id: Set(list.id),
            ward_id: Set(list.ward_id),
            program_id: Set(gift.program_id),
            person_id: Set(saved.id),
            household_id: Set(saved.household_id),
            category_id: Set(category.id),
            amount: Set(gift.amount),
            file_amount: Set(amount),
            status: Set(EntryStatus::Pending),
            received_date: Set(None),
            receiver_name: Set(None),
            receiver_relationship: Set(None),
            not_received_reason: Set(None),
            distribution_note: Set(None),
            note: Set(None),
            import_batch_id: Set(None),
            source_row: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|err| {
            match AppError::on_unique_violation(
                err,
                "Người này đã có trong danh sách với đối tượng này.",
            ) {
                AppError::Invalid(message) => PersonError::Fields(vec![("full_name", message)]),
                other => PersonError::App(other),
            }
        })?;
    }
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "list.add_person",
            entity_type: "ward_list",
            entity_id: Some(list.id.to_string()),
            unit_id: Some(list.ward_id),
        },
        None,
        Some(&serde_json::json!({
            "person_id": saved.id,
            "category": category.code,
            "entries": gifts.len(),
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The list of `ward_id` in a campaign, if the ward has one; the caller checked the scope.
pub async fn ward_list_of(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    ward_id: i32,
) -> AppResult<Option<ward_list::Model>> {
    Ok(ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign_id))
        .filter(ward_list::Column::WardId.eq(ward_id))
        .one(db)
        .await?)
}
