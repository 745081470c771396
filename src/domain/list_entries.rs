//! What a ward list shows: one ward list's gifts with their people, searched without
//! diacritics, filtered and paginated in one query (plus one count); the campaign, list and
//! programs every list page starts from; where each ward's list stands; the categories a
//! list's filter offers. Reads only: a person's details and hand edits are `domain::people`.

use std::collections::{HashMap, HashSet};

use sea_orm::sea_query::{
    Alias, Cond, Expr, ExprTrait, JoinType, LikeExpr, Order, Query, QueryStatementBuilder,
    SelectStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};

use crate::db::prefixed_columns::select_prefixed;
use crate::db::sqlite_json_rows::sqlite_rows_as_json;
use crate::domain::list_search::{ListNames, SearchLimits};
use crate::domain::scope::UnitScope;
use crate::entities::states::{EntryStatus, ListStatus, NotReceivedReason};
use crate::entities::{campaign, category, entry, gift_program, person, unit, ward_list};
use crate::error::{AppError, AppResult};
use crate::vn::text::fold_key;

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
    /// The ward that listed the person before a merger ("Hiệp Phú"), when it differs from
    /// the list's ward.
    pub former_ward: Option<String>,
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

/// `(SELECT expr FROM people WHERE people.id = e.person_id)`: one value of the entry's
/// person, read by its primary key for each of the list's entries.
///
/// The search by ID filters on people through this rather than through a join: the planner
/// cannot know how many people a `LIKE '%digits%'` keeps and guesses a handful, so with a
/// join PostgreSQL scanned all 700,000 people of a city for them and probed the list's index
/// once per match. The list is what bounds a search (a few thousand entries), and a scalar
/// subquery makes every engine start from it. A search by ID is rare next to one by name
/// (the desk types a name; an ID is read off a card) and its digits need every entry's ID
/// either way, so it keeps this probe rather than copying IDs onto entries.
fn person_value(value: Expr) -> Expr {
    let (e, p) = (Alias::new("e"), Alias::new("p"));
    let select = Query::select()
        .expr(value)
        .from_as(person::Entity, p.clone())
        .and_where(Expr::col((p, person::Column::Id)).equals((e, entry::Column::PersonId)))
        .to_owned();
    Expr::SubQuery(None, Box::new(select.into_sub_query_statement()))
}

/// What a list's search box asks for.
enum Search {
    /// Nothing: every gift.
    Nothing,
    /// Digits of an ID (the query holds digits and spaces only).
    IdDigits(String),
    /// Words of a name, folded as the entries' `name_key` is.
    NameWords(Vec<String>),
}

impl ListFilter {
    /// What the search box asks for: the person's name_key keeps each word's letters together
    /// (its marks follow the word) and only "đ" stays apart from "d", which the entry's copy
    /// folds, so every folded word of the query is a substring of it.
    fn search(&self) -> Search {
        let query = fold_key(&self.query);
        let digits: String = query.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() && digits.len() == query.replace(' ', "").len() {
            Search::IdDigits(digits)
        } else if query.trim().is_empty() {
            Search::Nothing
        } else {
            Search::NameWords(query.split_whitespace().map(str::to_owned).collect())
        }
    }

    /// Whether this is a search by name, which a server's kept copy of the list's keys
    /// answers ([`list_search`](crate::domain::list_search)).
    pub fn searches_kept_names(&self) -> bool {
        matches!(self.search(), Search::NameWords(_))
    }
}

/// The WHERE part shared by the page query and its count. It names only the entries (`e`):
/// a search by name reads the entry's own `name_key` (the last column of
/// `ix_entries_ward_list_order`), one by ID the person's through [`person_value`].
fn filter_condition(scope: &UnitScope, list_id: i32, filter: &ListFilter) -> Cond {
    let p = Alias::new("p");
    let e = Alias::new("e");
    let mut cond = Cond::all()
        .add(Expr::col((e.clone(), entry::Column::WardListId)).eq(list_id))
        .add(scope.sector_condition_on((e.clone(), entry::Column::CategoryId)));
    if let Some(category_id) = filter.category_id {
        cond = cond.add(Expr::col((e.clone(), entry::Column::CategoryId)).eq(category_id));
    }
    if let Some(status) = filter.status {
        cond = cond.add(Expr::col((e.clone(), entry::Column::Status)).eq(status));
    }
    match filter.search() {
        Search::Nothing => {}
        Search::IdDigits(digits) => {
            let pattern = format!("%{}%", like_escape(&digits));
            let national_id = person_value(Expr::col((p, person::Column::NationalId)));
            cond = cond.add(national_id.like(LikeExpr::new(pattern).escape('\\')));
        }
        Search::NameWords(words) => {
            for word in words {
                let pattern = format!("%{}%", like_escape(&word));
                cond = cond.add(
                    Expr::col((e.clone(), entry::Column::NameKey))
                        .like(LikeExpr::new(pattern).escape('\\')),
                );
            }
        }
    }
    cond
}

/// Whether `filter` keeps every gift of the list (no search, category or status).
fn keeps_everything(filter: &ListFilter) -> bool {
    matches!(filter.search(), Search::Nothing)
        && filter.category_id.is_none()
        && filter.status.is_none()
}

/// The names a list page shows for the ids its rows carry: the page reads the entries and
/// their people only, and the caller has the campaign's programs and the categories already
/// (the filter offers them). Fewer tables in the query: PostgreSQL planned the five-table
/// join anew for each page (1 ms of the page's 1.2 ms in the database).
pub struct RowNames<'a> {
    /// Every category (an entry may keep one retired since).
    pub categories: &'a [category::Model],
    /// The campaign's programs.
    pub programs: &'a [gift_program::Model],
}

/// The list's display order: file rows by their row, rows added by hand (no row) last by
/// person and program; `ix_entries_ward_list_order`'s order, in the same expression text,
/// which both engines need to match an index on an expression.
pub(crate) fn order_by_list(query: &mut SelectStatement, table: &Alias) {
    query
        .order_by_expr(
            Expr::col((table.clone(), entry::Column::SourceRow)).is_null(),
            Order::Asc,
        )
        .order_by((table.clone(), entry::Column::SourceRow), Order::Asc)
        .order_by((table.clone(), entry::Column::PersonId), Order::Asc)
        .order_by((table.clone(), entry::Column::ProgramId), Order::Asc);
}

/// One page of a ward list's gifts matching `filter`, in the order of the file (then as
/// added): one query for the rows and one for the count, whatever the list's size. The page
/// takes its 50 entry ids from `ix_entries_ward_list_order` alone (its last columns are the
/// name key and the id, so a search by name filters there too), then reads those entries
/// and their people. `list_size` is the number of the list's gifts when the caller knows it
/// already (from the tallies): without a filter it is the count, and the count query is
/// skipped. The count reads only the list's index when searching by name, and one person
/// per entry of the list by primary key when searching by ID ([`person_value`]). The
/// caller has checked that the operator may see the list's ward; `scope` keeps a sector
/// reviewer to the gifts of their sectors.
pub async fn list_page(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    list: &ward_list::Model,
    filter: &ListFilter,
    list_size: Option<u64>,
    names: &RowNames<'_>,
    kept: Option<&ListNames>,
) -> AppResult<ListPage> {
    if let (Some(kept), Search::NameWords(words)) = (kept, filter.search()) {
        return kept_search_page(db, scope, list, filter, &words, kept, names).await;
    }
    let e = Alias::new("e");
    let total = match list_size {
        Some(size) if keeps_everything(filter) => size,
        _ => {
            let mut count_query = Query::select()
                .from_as(entry::Entity, e.clone())
                .cond_where(filter_condition(scope, list.id, filter))
                .to_owned();
            // COUNT(*), not of a column: the index holds all the filter reads, so
            // PostgreSQL can count without visiting the table.
            count_query.expr_as(Expr::cust("COUNT(*)"), Alias::new("n"));
            let total: i64 = match db.query_one(&count_query).await? {
                Some(row) => row.try_get("", "n")?,
                None => 0,
            };
            u64::try_from(total).unwrap_or(0)
        }
    };
    let pages = std::cmp::max(total.div_ceil(PAGE_SIZE), 1);
    let page = filter.page.clamp(1, pages);
    let mut keys = Query::select()
        .column((e.clone(), entry::Column::Id))
        .from_as(entry::Entity, e.clone())
        .cond_where(filter_condition(scope, list.id, filter))
        .to_owned();
    order_by_list(&mut keys, &e);
    // The page's bounds are written into the SQL as numbers (ours, never the user's text):
    // SQLite 3.47+ plans with a bound LIMIT's value and so prepares the statement again
    // each time one is bound, which cost more than the rest of the query.
    let mut keys = db.get_database_backend().build(&keys);
    keys.sql = format!(
        "{} LIMIT {PAGE_SIZE} OFFSET {}",
        keys.sql,
        (page - 1) * PAGE_SIZE
    );
    let rows = rows_of(db, keys, names).await?;
    Ok(ListPage {
        rows,
        total,
        page,
        pages,
    })
}

/// A search by name answered from the server's copy of the list's keys (`kept`, read at the
/// list's current version): the matching ids in the list's order come from memory, and the
/// database reads only the page's entries by id. Same answer as the query: the category
/// filter and the viewer's sectors are applied to the kept categories, and a state filter
/// ("Chưa nhận" on the distribution day, when states change by the minute and the copy
/// holds none) by reading the states of the matches alone, fresh.
async fn kept_search_page(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    list: &ward_list::Model,
    filter: &ListFilter,
    words: &[String],
    kept: &ListNames,
    names: &RowNames<'_>,
) -> AppResult<ListPage> {
    let in_sectors: Option<HashSet<i32>> = scope.sectors().map(|sectors| {
        names
            .categories
            .iter()
            .filter(|c| sectors.contains(&c.sector))
            .map(|c| c.id)
            .collect()
    });
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut ids = kept.matching(
        &words,
        SearchLimits {
            category_id: filter.category_id,
            categories: in_sectors.as_ref(),
        },
    );
    if let Some(status) = filter.status {
        ids = in_state(db, list.id, status, ids).await?;
    }
    let total = ids.len() as u64;
    let pages = std::cmp::max(total.div_ceil(PAGE_SIZE), 1);
    let page = filter.page.clamp(1, pages);
    let first = usize::try_from((page - 1) * PAGE_SIZE).unwrap_or(usize::MAX);
    let page_ids: Vec<i32> = ids
        .iter()
        .skip(first)
        .take(PAGE_SIZE as usize)
        .copied()
        .collect();
    let rows = if page_ids.is_empty() {
        Vec::new()
    } else {
        let e = Alias::new("e");
        let keys = Query::select()
            .column((e.clone(), entry::Column::Id))
            .from_as(entry::Entity, e.clone())
            .and_where(Expr::col((e.clone(), entry::Column::Id)).is_in(page_ids))
            .and_where(Expr::col((e, entry::Column::WardListId)).eq(list.id))
            .to_owned();
        rows_of(db, db.get_database_backend().build(&keys), names).await?
    };
    Ok(ListPage {
        rows,
        total,
        page,
        pages,
    })
}

/// Those of `ids` (entries of list `list_id`, in order) whose gift is in `status` now, in the
/// same order: by primary key, a thousand ids a statement (a name typed at the desk matches
/// a handful; "van" alone a few thousand).
async fn in_state(
    db: &impl ConnectionTrait,
    list_id: i32,
    status: EntryStatus,
    ids: Vec<i32>,
) -> AppResult<Vec<i32>> {
    let mut kept = HashSet::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        let found: Vec<i32> = entry::Entity::find()
            .select_only()
            .column(entry::Column::Id)
            .filter(entry::Column::WardListId.eq(list_id))
            .filter(entry::Column::Status.eq(status))
            .filter(entry::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        kept.extend(found);
    }
    Ok(ids.into_iter().filter(|id| kept.contains(id)).collect())
}

/// The rows of the entries whose ids `keys` selects (a statement naming `entries` as `e`),
/// with their people, in the list's display order.
async fn rows_of(
    db: &impl ConnectionTrait,
    keys: Statement,
    names: &RowNames<'_>,
) -> AppResult<Vec<ListRow>> {
    let (e, p, k) = (Alias::new("e"), Alias::new("p"), Alias::new("k"));
    let mut query = Query::select()
        .column((e.clone(), entry::Column::Id))
        .column((e.clone(), entry::Column::PersonId))
        .column((e.clone(), entry::Column::ProgramId))
        .column((e.clone(), entry::Column::CategoryId))
        .column((e.clone(), entry::Column::FormerWardId))
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
        .from(k.clone())
        .join_as(
            JoinType::InnerJoin,
            entry::Entity,
            e.clone(),
            Expr::col((e.clone(), entry::Column::Id)).equals((k, entry::Column::Id)),
        )
        .join_as(
            JoinType::InnerJoin,
            person::Entity,
            p.clone(),
            Expr::col((p, person::Column::Id)).equals((e.clone(), entry::Column::PersonId)),
        )
        .to_owned();
    order_by_list(&mut query, &e);
    // The ids as a common table expression, its LIMIT inside it on both engines; the rows'
    // part binds no value, so the ids' values are the statement's.
    let rows_sql = db.get_database_backend().build(&query);
    debug_assert!(rows_sql.values.is_none_or(|v| v.0.is_empty()));
    let statement = Statement::from_sql_and_values(
        db.get_database_backend(),
        format!("WITH k AS ({}) {}", keys.sql, rows_sql.sql),
        keys.values.map(|v| v.0).unwrap_or_default(),
    );
    let rows = page_rows(db, statement).await?;
    let former_wards = former_ward_names(db, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|row| row.into_list_row(names, &former_wards))
        .collect())
}

/// The names of the pre-merger wards the rows name, by id: no query when none does (a ward
/// that was never merged).
async fn former_ward_names(
    db: &impl ConnectionTrait,
    rows: &[PageRow],
) -> AppResult<HashMap<i32, String>> {
    let mut ids: Vec<i32> = rows.iter().filter_map(|row| row.former_ward_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(unit::Entity::find()
        .select_only()
        .column(unit::Column::Id)
        .column(unit::Column::Name)
        .filter(unit::Column::Id.is_in(ids))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// One row of a list page as the query gives it, by column name on PostgreSQL and by
/// position (in [`PAGE_ROW_COLUMNS`]' order) out of SQLite's JSON.
#[derive(Debug, serde::Deserialize, FromQueryResult)]
struct PageRow {
    id: i32,
    person_id: i32,
    program_id: i32,
    category_id: i32,
    former_ward_id: Option<i32>,
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
}

/// The columns of [`PageRow`] in its fields' order, as SQLite's JSON gives them.
const PAGE_ROW_COLUMNS: &str = "id, person_id, program_id, category_id, former_ward_id, \
    source_row, amount, status, receiver_name, receiver_relationship, not_received_reason, \
    received_date, full_name, birth_year, national_id, address, khu_pho";

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

    fn into_list_row(self, names: &RowNames<'_>, former_wards: &HashMap<i32, String>) -> ListRow {
        let category = names.categories.iter().find(|c| c.id == self.category_id);
        ListRow {
            entry_id: self.id,
            person_id: self.person_id,
            full_name: self.full_name,
            birth_year: self.birth_year,
            national_id: self.national_id,
            address: self.address.or(self.khu_pho).unwrap_or_default(),
            former_ward: self
                .former_ward_id
                .and_then(|id| former_wards.get(&id).cloned()),
            category_name: category.map(|c| c.name.clone()).unwrap_or_default(),
            // A category the page does not know is kept off the printed sheet.
            sensitive: category.is_none_or(|c| c.sensitive),
            program_name: names
                .programs
                .iter()
                .find(|g| g.id == self.program_id)
                .map(|g| g.name.clone())
                .unwrap_or_default(),
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

/// The rows of a page's `statement` (ordered). On SQLite they come back as one JSON value
/// ([`sqlite_rows_as_json`]; a page of one row answered 40% more requests than one of 50
/// read row by row) and are put back in display order after decoding.
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

/// What every list page starts from: a campaign, its list of one ward (if any), its programs
/// by id and the versions of what servers keep copies of.
#[derive(Debug, Clone)]
pub struct CampaignWithList {
    /// The campaign.
    pub campaign: campaign::Model,
    /// The ward's list in it, if the ward has one yet.
    pub list: Option<ward_list::Model>,
    /// The campaign's programs, by id.
    pub programs: Vec<gift_program::Model>,
    /// The categories' version ([`categories_copy`](crate::domain::categories_copy)).
    pub categories_version: i64,
    /// The list's name keys' version ([`list_search`](crate::domain::list_search)); 0 without
    /// a list.
    pub list_name_version: i64,
}

/// A campaign by slug with the list of `ward_id` in it (if any), its programs by id and the
/// versions of the categories and of the list's name keys: what every list page starts
/// from, in one query (one row per program).
pub async fn campaign_with_list(
    db: &impl ConnectionTrait,
    slug: &str,
    ward_id: i32,
) -> AppResult<CampaignWithList> {
    let (c, l, g) = (Alias::new("c"), Alias::new("l"), Alias::new("g"));
    let mut query = Query::select();
    query.from_as(campaign::Entity, c.clone());
    select_prefixed::<campaign::Entity>(&mut query, &c, "c_");
    select_prefixed::<ward_list::Entity>(&mut query, &l, "l_");
    select_prefixed::<gift_program::Entity>(&mut query, &g, "g_");
    query
        .expr_as(
            crate::domain::categories_copy::version_expr(),
            Alias::new(crate::domain::categories_copy::VERSION_COLUMN),
        )
        .expr_as(
            crate::domain::list_search::version_expr("l"),
            Alias::new(crate::domain::list_search::VERSION_COLUMN),
        )
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
    let categories_version: Option<i64> =
        first.try_get("", crate::domain::categories_copy::VERSION_COLUMN)?;
    let list_name_version: Option<i64> =
        first.try_get("", crate::domain::list_search::VERSION_COLUMN)?;
    Ok(CampaignWithList {
        campaign,
        list,
        programs,
        categories_version: categories_version.unwrap_or(0),
        list_name_version: list_name_version.unwrap_or(0),
    })
}

/// A program as a ward list's page offers its signing sheet: how many gifts of it the list
/// holds and, when none, why there is no sheet to print. An empty sheet is never offered:
/// printed, it would send a ward to a distribution day with nobody to give to.
#[derive(Debug, Clone)]
pub struct SheetOffer {
    /// The program.
    pub program: gift_program::Model,
    /// Gifts of the program on the list.
    pub gifts: u64,
    /// Why the list has no gift of the program (empty when it has some).
    pub why_none: String,
}

/// Gifts on `list` per program, every sector's.
pub async fn program_gifts(
    db: &impl ConnectionTrait,
    list: &ward_list::Model,
) -> AppResult<HashMap<i32, u64>> {
    // From the tallies the triggers keep (a few rows, found by their key), not a count of
    // the list's entries: 6–10 ms per page view for a 14,000-entry list at city size.
    let program_id = Alias::new("program_id");
    let query = Query::select()
        .column(program_id.clone())
        .expr_as(
            Expr::col(Alias::new("people")).sum().cast_as("BIGINT"),
            Alias::new("gifts"),
        )
        .from(Alias::new("entry_tallies"))
        .and_where(Expr::col(Alias::new("campaign_id")).eq(list.campaign_id))
        .and_where(Expr::col(Alias::new("ward_id")).eq(list.ward_id))
        .and_where(Expr::col(Alias::new("ward_list_id")).eq(list.id))
        .group_by_col(program_id)
        .to_owned();
    let mut counts = HashMap::new();
    for row in db.query_all(&query).await? {
        let gifts: i64 = row.try_get("", "gifts")?;
        counts.insert(
            row.try_get("", "program_id")?,
            u64::try_from(gifts).unwrap_or(0),
        );
    }
    Ok(counts)
}

/// Gifts of each program on `list` (`gifts`, as [`program_gifts`] reads them), with the
/// reason a program has none: a list approved before the program was added was left as it
/// was (reopening it computes the program for its people); otherwise nobody on it is of the
/// program's categories.
pub fn sheet_offers(
    list: &ward_list::Model,
    programs: Vec<gift_program::Model>,
    gifts: &HashMap<i32, u64>,
) -> Vec<SheetOffer> {
    programs
        .into_iter()
        .map(|program| {
            let gifts = gifts.get(&program.id).copied().unwrap_or(0);
            let why_none = if gifts > 0 {
                String::new()
            } else {
                why_no_gift(list, &program)
            };
            SheetOffer {
                program,
                gifts,
                why_none,
            }
        })
        .collect()
}

/// Why `list` holds no gift of `program`, in the words its page and the refused download
/// use.
pub fn why_no_gift(list: &ward_list::Model, program: &gift_program::Model) -> String {
    if list.status == ListStatus::Approved {
        format!(
            "Chương trình “{}” chưa tặng ai trong danh sách này: danh sách đã được duyệt \
             (khóa) khi chương trình được thêm nên chưa tính quà. Quận mở lại danh sách để \
             tính quà của chương trình cho người trong danh sách, rồi duyệt lại.",
            program.name
        )
    } else {
        format!(
            "Chương trình “{}” không tặng ai trong danh sách này: không người nào thuộc \
             đối tượng của chương trình, nên không có danh sách ký nhận.",
            program.name
        )
    }
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
    Ok(categories(db)
        .await?
        .into_iter()
        .filter(|c| c.active)
        .collect())
}

/// Every category, retired ones too, highest rank first: the list page names its rows'
/// categories from these and offers the active ones in its filter, from one query.
pub async fn categories(db: &impl ConnectionTrait) -> AppResult<Vec<category::Model>> {
    Ok(category::Entity::find()
        .order_by_desc(category::Column::Rank)
        .order_by_asc(category::Column::Name)
        .all(db)
        .await?)
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

/// Which of a campaign's entries a script asks for (the API's filters).
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryFilter {
    /// Only this ward (refused when outside the operator's units).
    pub ward_id: Option<i32>,
    /// Only gifts in this state.
    pub status: Option<EntryStatus>,
    /// Only this program.
    pub program_id: Option<i32>,
}

/// One gift of a campaign with what a script needs to know of its recipient and category.
#[derive(Debug, Clone)]
pub struct CampaignEntry {
    /// The gift.
    pub entry: entry::Model,
    /// The recipient's name ("" if the person is gone, which the schema does not allow).
    pub full_name: String,
    /// The recipient's birth year.
    pub birth_year: Option<i32>,
    /// The category's code ("TNLS", "HN").
    pub category_code: String,
}

/// The entry state a script names (`pending`, `received`, `not_received`), or a refusal
/// that lists the names.
pub fn parse_entry_status(text: &str) -> AppResult<EntryStatus> {
    EntryStatus::parse(text.trim()).ok_or_else(|| {
        AppError::Invalid(format!(
            "Trạng thái “{}” không hợp lệ: dùng {}, {} hoặc {}.",
            text.trim(),
            EntryStatus::Pending.as_str(),
            EntryStatus::Received.as_str(),
            EntryStatus::NotReceived.as_str()
        ))
    })
}

/// The entries of `campaign` in `scope`'s units that pass `filter`, in id order, each with
/// its recipient and category code: what the API lists. Asking for a ward outside the scope
/// is refused rather than answered with nothing.
pub async fn campaign_entries(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign: &campaign::Model,
    filter: EntryFilter,
) -> AppResult<Vec<CampaignEntry>> {
    if let Some(ward_id) = filter.ward_id {
        scope.ensure(ward_id)?;
    }
    let mut condition = Cond::all()
        .add(entry::Column::CampaignId.eq(campaign.id))
        .add(scope.entry_condition());
    if let Some(ward_id) = filter.ward_id {
        condition = condition.add(entry::Column::WardId.eq(ward_id));
    }
    if let Some(status) = filter.status {
        condition = condition.add(entry::Column::Status.eq(status));
    }
    if let Some(program_id) = filter.program_id {
        condition = condition.add(entry::Column::ProgramId.eq(program_id));
    }
    let entries = entry::Entity::find()
        .filter(condition.clone())
        .order_by_asc(entry::Column::Id)
        .all(db)
        .await?;
    let people: HashMap<i32, person::Model> = person::Entity::find()
        .filter(
            person::Column::Id.in_subquery(
                Query::select()
                    .column(entry::Column::PersonId)
                    .from(entry::Entity)
                    .cond_where(condition)
                    .to_owned(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let codes: HashMap<i32, String> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    Ok(entries
        .into_iter()
        .map(|entry| {
            let person = people.get(&entry.person_id);
            CampaignEntry {
                full_name: person.map(|p| p.full_name.clone()).unwrap_or_default(),
                birth_year: person.and_then(|p| p.birth_year),
                category_code: codes.get(&entry.category_id).cloned().unwrap_or_default(),
                entry,
            }
        })
        .collect())
}
