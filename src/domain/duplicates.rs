//! Duplicate review for the supervising staff: everyone listed twice in one program of a
//! campaign — across wards, under two categories, or two members of one household in a
//! one-per-household program — with the evidence, and the staff's decision: keep one (the
//! other entry is removed, audited) or keep both (different people), recorded with who
//! decided and when.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    Statement, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::gift_planning::compute_program_entries;
use crate::domain::operator::Operator;
use crate::domain::pairs_copy::{PairsCopy, WHOLE_CAMPAIGN, pairing_versions};
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, display_name};
use crate::entities::states::{DuplicateDecision, EntryStatus, ListStatus};
use crate::entities::{
    campaign, category, duplicate_decision, entry, gift_program, person, ward_list,
};
use crate::error::{AppError, AppResult};

/// Why two entries may name the same recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Both entries name the same person record with the same national ID.
    SameNationalId,
    /// Both entries name the same person record (no ID on file).
    SamePerson,
    /// Two person records with the same normalised name, birth year and address.
    SameNameBirthYearAddress,
    /// Two members of one household in a one-per-household program.
    SameHousehold,
}

impl Evidence {
    /// The Vietnamese explanation.
    pub fn label(self) -> &'static str {
        match self {
            Self::SameNationalId => "Cùng số CCCD/CMND",
            Self::SamePerson => "Cùng một người nhận",
            Self::SameNameBirthYearAddress => "Trùng họ tên, năm sinh và địa chỉ",
            Self::SameHousehold => "Cùng một hộ trong chương trình mỗi hộ một suất",
        }
    }
}

/// One side of a possible duplicate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuplicateSide {
    /// The entry's id.
    pub entry_id: i32,
    /// The person's id.
    pub person_id: i32,
    /// The person's name.
    pub full_name: String,
    /// The birth year, if known.
    pub birth_year: Option<i32>,
    /// The address, if known.
    pub address: Option<String>,
    /// The ward's id.
    pub ward_id: i32,
    /// The ward's official name.
    pub ward_name: String,
    /// The category's code.
    pub category_code: String,
    /// The category's name.
    pub category_name: String,
    /// The entry's amount.
    pub amount: i64,
    /// The household, if any.
    pub household_id: Option<i32>,
    /// The status of the list it stands on.
    pub list_status: ListStatus,
}

/// Two entries of one program that may be the same recipient.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuplicatePair {
    /// The program.
    pub program_id: i32,
    /// Its name.
    pub program_name: String,
    /// The entry with the smaller id.
    pub a: DuplicateSide,
    /// The other entry.
    pub b: DuplicateSide,
    /// Why they look the same.
    pub evidence: Vec<Evidence>,
    /// The evidence in Vietnamese.
    pub evidence_labels: Vec<String>,
    /// `keep_both` when the staff already decided they are different people.
    pub decision: Option<DuplicateDecision>,
    /// When that was decided.
    pub decided_at: Option<chrono::DateTime<Utc>>,
}

/// The staff's decision on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Keep this entry; the other one is removed.
    KeepOne {
        /// The entry to keep (one of the pair).
        keep_entry_id: i32,
    },
    /// Different people: keep both.
    KeepBoth,
}

struct Row {
    entry: entry::Model,
    person: Option<person::Model>,
    household_id: Option<i32>,
}

/// The evidence that two entries of one program are the same recipient (empty: none).
fn evidence_between(a: &Row, b: &Row, one_per_household: bool) -> Vec<Evidence> {
    let mut found = Vec::new();
    if a.entry.person_id == b.entry.person_id {
        let has_id = a
            .person
            .as_ref()
            .and_then(|p| p.national_id.as_deref())
            .is_some_and(|id| !id.is_empty());
        found.push(if has_id {
            Evidence::SameNationalId
        } else {
            Evidence::SamePerson
        });
    } else {
        if let (Some(pa), Some(pb)) = (&a.person, &b.person)
            && let (Some(ka), Some(kb)) = (name_birth_address(pa), name_birth_address(pb))
            && ka == kb
        {
            found.push(Evidence::SameNameBirthYearAddress);
        }
        if one_per_household && a.household_id.is_some() && a.household_id == b.household_id {
            found.push(Evidence::SameHousehold);
        }
    }
    found
}

/// Normalised name + birth year + folded address (the stored
/// [`address_key`](crate::vn::text::address_key)), when all three are known.
fn name_birth_address(p: &person::Model) -> Option<String> {
    let year = p.birth_year?;
    let address = p.address_key.as_deref()?;
    if p.name_key.is_empty() {
        return None;
    }
    Some(format!("{}|{year}|{address}", p.name_key))
}

/// The entries of the campaign that could be a side of a pair, found by the database: those of
/// a person listed twice in one program, of people sharing a name key, birth year and folded
/// address, and (for a one-per-household program) of a household listed twice in it. The
/// server then reads only those, where it read every entry and every listed person before:
/// 12 s and 1.4 GB of server memory for a city's million entries.
async fn campaign_candidate_ids(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> AppResult<Vec<i32>> {
    let c = campaign_id;
    let mut queries = vec![
        format!(
            "SELECT e.id FROM entries e WHERE e.campaign_id = {c} \
             AND (e.program_id, e.person_id) IN (SELECT program_id, person_id FROM entries \
             WHERE campaign_id = {c} GROUP BY program_id, person_id HAVING COUNT(*) > 1)"
        ),
        // The keys shared by two people anywhere (the grouping reads the people's index of
        // name key, birth year and folded address alone), then the campaign's entries of them.
        format!(
            "SELECT e.id FROM entries e JOIN people p ON p.id = e.person_id \
             WHERE e.campaign_id = {c} AND (p.name_key, p.birth_year, p.address_key) IN \
             (SELECT name_key, birth_year, address_key FROM people \
             WHERE birth_year IS NOT NULL AND address_key IS NOT NULL \
             GROUP BY name_key, birth_year, address_key HAVING COUNT(*) > 1)"
        ),
    ];
    let one_per_household = format!(
        "SELECT id FROM gift_programs WHERE campaign_id = {c} AND one_per_household = {}",
        match db.get_database_backend() {
            sea_orm::DbBackend::Postgres => "true",
            _ => "1",
        }
    );
    queries.push(format!(
        "SELECT e.id FROM entries e LEFT JOIN people p ON p.id = e.person_id \
         WHERE e.campaign_id = {c} AND e.program_id IN ({one_per_household}) \
         AND (e.program_id, COALESCE(e.household_id, p.household_id)) IN \
         (SELECT x.program_id, COALESCE(x.household_id, q.household_id) FROM entries x \
         LEFT JOIN people q ON q.id = x.person_id \
         WHERE x.campaign_id = {c} AND x.program_id IN ({one_per_household}) \
         GROUP BY x.program_id, COALESCE(x.household_id, q.household_id) HAVING COUNT(*) > 1)"
    ));
    let mut ids = Vec::new();
    for sql in queries {
        for row in db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await?
        {
            ids.push(row.try_get::<i32>("", "id")?);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Each entry with its person and the household it counts in (its own, else its person's).
fn join_people(entries: Vec<entry::Model>, people: &HashMap<i32, person::Model>) -> Vec<Row> {
    entries
        .into_iter()
        .map(|entry| {
            let person = people.get(&entry.person_id).cloned();
            let household_id = entry
                .household_id
                .or_else(|| person.as_ref().and_then(|p| p.household_id));
            Row {
                entry,
                person,
                household_id,
            }
        })
        .collect()
}

/// `FROM entries w WHERE …`: the entries of `ward_id` in the campaign.
fn ward_entries(campaign_id: i32, ward_id: i32) -> String {
    format!("FROM entries w WHERE w.campaign_id = {campaign_id} AND w.ward_id = {ward_id}")
}

/// The households of the ward's entries (theirs, else their people's), as a subquery.
fn ward_households(campaign_id: i32, ward_id: i32) -> String {
    let ward_entries = ward_entries(campaign_id, ward_id);
    format!(
        "SELECT w.household_id {ward_entries} AND w.household_id IS NOT NULL \
         UNION SELECT p.household_id FROM people p JOIN entries w ON w.person_id = p.id \
         WHERE w.campaign_id = {campaign_id} AND w.ward_id = {ward_id} AND p.household_id IS NOT NULL"
    )
}

/// Ids per statement when a ward's review reads by lists of ids: short enough that
/// PostgreSQL's planner probes the indexes for them rather than scanning the city's
/// million entries or 700,000 people (it weighs a probe at `random_page_cost`), and under
/// either engine's limit on bound values.
const ID_CHUNK: usize = 500;

/// The name twins of the people `listed` (ids): other people with the same name key, birth
/// year and folded address, found by one probe of `people (name_key, birth_year,
/// address_key)` per listed person.
async fn name_twins(db: &impl ConnectionTrait, listed: &[i32]) -> AppResult<Vec<i32>> {
    let mut twins = Vec::new();
    for chunk in listed.chunks(ID_CHUNK) {
        let ids: Vec<String> = chunk.iter().map(i32::to_string).collect();
        let sql = format!(
            "SELECT t.id FROM people q JOIN people t ON t.name_key = q.name_key \
               AND t.birth_year = q.birth_year AND t.address_key = q.address_key \
             WHERE q.id IN ({}) AND q.address_key IS NOT NULL AND t.id <> q.id",
            ids.join(",")
        );
        for row in db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await?
        {
            twins.push(row.try_get::<i32>("", "id")?);
        }
    }
    Ok(twins)
}

/// The entries that could pair with an entry of `ward_id`, its own included, in every ward:
/// entries of the ward's people, of their name twins ([`name_twins`]) and of the ward's
/// households (theirs and their people's). Read by lists of ids from the indexes on `entries
/// (campaign_id, ward_id)`, `(campaign_id, person_id)` and `(household_id)`, so a ward's
/// review reads its own few thousand rows and their partners instead of the whole city's
/// million. Every ward's: the pairs found are kept for every reviewer of the ward
/// ([`PairsCopy`]), each seeing those whose two sides are in their scope.
async fn ward_candidate_entries(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    ward_id: i32,
) -> AppResult<Vec<entry::Model>> {
    let of_campaign = || entry::Entity::find().filter(entry::Column::CampaignId.eq(campaign_id));
    let mut listed: Vec<i32> = entry::Entity::find()
        .select_only()
        .column(entry::Column::PersonId)
        .filter(entry::Column::CampaignId.eq(campaign_id))
        .filter(entry::Column::WardId.eq(ward_id))
        .into_tuple()
        .all(db)
        .await?;
    listed.sort_unstable();
    listed.dedup();
    let households = ward_households(campaign_id, ward_id);
    let mut people = name_twins(db, &listed).await?;
    people.extend(listed);
    let household_people: Vec<i32> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(Expr::cust(format!("people.household_id IN ({households})")))
        .into_tuple()
        .all(db)
        .await?;
    people.extend(household_people);
    people.sort_unstable();
    people.dedup();
    let mut found: BTreeMap<i32, entry::Model> = BTreeMap::new();
    for chunk in people.chunks(ID_CHUNK) {
        for e in of_campaign()
            .filter(entry::Column::PersonId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            found.insert(e.id, e);
        }
    }
    for e in of_campaign()
        .filter(Expr::cust(format!(
            "entries.household_id IN ({households})"
        )))
        .all(db)
        .await?
    {
        found.insert(e.id, e);
    }
    Ok(found.into_values().collect())
}

/// `entries` with their people (read by id, in chunks that stay under either engine's limit
/// on bound values).
async fn with_people(db: &impl ConnectionTrait, entries: Vec<entry::Model>) -> AppResult<Vec<Row>> {
    let mut ids: Vec<i32> = entries.iter().map(|e| e.person_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut people: HashMap<i32, person::Model> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(ID_CHUNK) {
        for p in person::Entity::find()
            .filter(person::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            people.insert(p.id, p);
        }
    }
    Ok(join_people(entries, &people))
}

/// The entries `ids` of the campaign that `scope` sees (their ward, and their category's
/// sector for a sector limit), with their people.
async fn load_rows_by_ids(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
    ids: &[i32],
) -> AppResult<Vec<Row>> {
    let mut entries = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(ID_CHUNK) {
        entries.extend(
            entry::Entity::find()
                .filter(entry::Column::CampaignId.eq(campaign_id))
                .filter(entry::Column::Id.is_in(chunk.iter().copied()))
                .filter(scope.entry_condition())
                .all(db)
                .await?,
        );
    }
    with_people(db, entries).await
}

/// Every possible duplicate in the campaign's lists within the operator's units, by program
/// then entry ids; pairs already judged "keep both" carry that decision. District staff and
/// administrators only. The database finds the entries that could pair
/// ([`campaign_candidate_ids`]); only those are read.
pub async fn find_duplicates(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
) -> AppResult<Vec<DuplicatePair>> {
    operator.ensure_manages(campaign)?;
    let ids = campaign_candidate_ids(db, campaign.id).await?;
    let rows = load_rows_by_ids(db, &operator.scope, campaign.id, &ids).await?;
    pairs_among(db, operator, campaign, rows).await
}

/// The possible duplicates with at least one side in `ward_id` and both sides in the
/// operator's scope, as [`find_duplicates`] finds them but reading only that ward's entries
/// and their possible partners, and only when the campaign's pairing versions moved since
/// this server last looked (`copy`): a city's review of one ward, and a ward list's
/// approval, stay fast with a million entries in the campaign.
pub async fn find_ward_duplicates(
    db: &impl ConnectionTrait,
    copy: &PairsCopy,
    operator: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
) -> AppResult<Vec<DuplicatePair>> {
    operator.ensure_manages(campaign)?;
    operator.scope.ensure(ward_id)?;
    let versions = pairing_versions(db, campaign.id).await?;
    let found = copy
        .ward_pairs(campaign.id, ward_id, versions, || {
            ward_pair_ids(db, campaign, ward_id)
        })
        .await?;
    let mut pairs = pairs_of_ids(db, operator, campaign, &found).await?;
    pairs.retain(|p| p.a.ward_id == ward_id || p.b.ward_id == ward_id);
    Ok(pairs)
}

/// Every possible duplicate of the campaign within the operator's scope, as
/// [`find_duplicates`] finds them, from this server's kept pairs of the whole campaign
/// (`copy`, [`WHOLE_CAMPAIGN`]): the campaign's candidates are looked for again only when its
/// pairing versions moved. At city size looking for them takes about 2 s; the page and the
/// API read the kept pairs' entries by id instead.
pub async fn find_kept_duplicates(
    db: &impl ConnectionTrait,
    copy: &PairsCopy,
    operator: &Operator,
    campaign: &campaign::Model,
) -> AppResult<Vec<DuplicatePair>> {
    operator.ensure_manages(campaign)?;
    let versions = pairing_versions(db, campaign.id).await?;
    let found = copy
        .ward_pairs(campaign.id, WHOLE_CAMPAIGN, versions, || {
            campaign_pair_ids(db, campaign)
        })
        .await?;
    pairs_of_ids(db, operator, campaign, &found).await
}

/// The pairs `found` (entry ids) as the operator sees them now: their entries and people read
/// fresh by id, within the operator's scope, with their evidence and decisions.
async fn pairs_of_ids(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    found: &[(i32, i32)],
) -> AppResult<Vec<DuplicatePair>> {
    let mut ids: Vec<i32> = found.iter().flat_map(|&(a, b)| [a, b]).collect();
    ids.sort_unstable();
    ids.dedup();
    let rows = load_rows_by_ids(db, &operator.scope, campaign.id, &ids).await?;
    pairs_among(db, operator, campaign, rows).await
}

/// Every pair of the campaign, across every ward and sector, as entry ids.
async fn campaign_pair_ids(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
) -> AppResult<Vec<(i32, i32)>> {
    let ids = campaign_candidate_ids(db, campaign.id).await?;
    let rows = load_rows_by_ids(db, &UnitScope::All, campaign.id, &ids).await?;
    let programs = campaign_programs(db, campaign.id).await?;
    Ok(pairs_in(&rows, &programs)
        .into_iter()
        .map(|(x, y, _)| (rows[x].entry.id, rows[y].entry.id))
        .collect())
}

/// Every pair with a side in `ward_id`, across every ward and sector, as entry ids.
async fn ward_pair_ids(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    ward_id: i32,
) -> AppResult<Vec<(i32, i32)>> {
    let entries = ward_candidate_entries(db, campaign.id, ward_id).await?;
    let rows = with_people(db, entries).await?;
    let programs = campaign_programs(db, campaign.id).await?;
    Ok(pairs_in(&rows, &programs)
        .into_iter()
        .filter(|&(x, y, _)| rows[x].entry.ward_id == ward_id || rows[y].entry.ward_id == ward_id)
        .map(|(x, y, _)| (rows[x].entry.id, rows[y].entry.id))
        .collect())
}

/// The pair of entries `entry_ids`, if the operator sees both and they may be one recipient:
/// what a decision's confirmation shows, read by id instead of through every pair of the
/// campaign.
pub async fn find_pair(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    entry_ids: (i32, i32),
) -> AppResult<Option<DuplicatePair>> {
    operator.ensure_manages(campaign)?;
    let (a, b) = (entry_ids.0.min(entry_ids.1), entry_ids.0.max(entry_ids.1));
    let rows = load_rows_by_ids(db, &operator.scope, campaign.id, &[a, b]).await?;
    Ok(pairs_among(db, operator, campaign, rows)
        .await?
        .into_iter()
        .find(|p| (p.a.entry_id, p.b.entry_id) == (a, b)))
}

/// The campaign's programs by id.
async fn campaign_programs(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> AppResult<HashMap<i32, gift_program::Model>> {
    Ok(gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// The pairs among `rows` (indices, the smaller entry id first) that share a person, a
/// name-birth-address key or (in a one-per-household program) a household, with their
/// evidence, in entry id order.
fn pairs_in(
    rows: &[Row],
    programs: &HashMap<i32, gift_program::Model>,
) -> Vec<(usize, usize, Vec<Evidence>)> {
    // Candidate pairs come from grouping on each kind of key; the evidence is then computed
    // for the pair as a whole.
    let mut groups: HashMap<(i32, String), Vec<usize>> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let program_id = row.entry.program_id;
        groups
            .entry((program_id, format!("p:{}", row.entry.person_id)))
            .or_default()
            .push(index);
        if let Some(key) = row.person.as_ref().and_then(name_birth_address) {
            groups
                .entry((program_id, format!("n:{key}")))
                .or_default()
                .push(index);
        }
        if let Some(household) = row.household_id
            && programs
                .get(&program_id)
                .is_some_and(|p| p.one_per_household)
        {
            groups
                .entry((program_id, format!("h:{household}")))
                .or_default()
                .push(index);
        }
    }
    let mut pairs: BTreeMap<(i32, i32), (usize, usize)> = BTreeMap::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        for (i, &x) in members.iter().enumerate() {
            for &y in &members[i + 1..] {
                let (x, y) = if rows[x].entry.id < rows[y].entry.id {
                    (x, y)
                } else {
                    (y, x)
                };
                pairs.insert((rows[x].entry.id, rows[y].entry.id), (x, y));
            }
        }
    }
    pairs
        .into_values()
        .filter_map(|(x, y)| {
            let one_per_household = programs
                .get(&rows[x].entry.program_id)
                .is_some_and(|p| p.one_per_household);
            let evidence = evidence_between(&rows[x], &rows[y], one_per_household);
            (!evidence.is_empty()).then_some((x, y, evidence))
        })
        .collect()
}

/// The pairs among `rows` that share a person, a name-birth-address key or (in a
/// one-per-household program) a household, with their evidence and decisions.
async fn pairs_among(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    rows: Vec<Row>,
) -> AppResult<Vec<DuplicatePair>> {
    // Every unit, for the wards' names: the operator's, read with their session (the system
    // operator of the CLI carries none).
    let units = if operator.units.is_empty() {
        std::sync::Arc::new(all_units(db).await?)
    } else {
        std::sync::Arc::clone(&operator.units)
    };
    let programs = campaign_programs(db, campaign.id).await?;
    let found = pairs_in(&rows, &programs);
    let decisions: HashMap<(i32, i32), duplicate_decision::Model> =
        duplicate_decision::Entity::find()
            .filter(duplicate_decision::Column::CampaignId.eq(campaign.id))
            .all(db)
            .await?
            .into_iter()
            .map(|d| ((d.entry_a_id, d.entry_b_id), d))
            .collect();
    let categories: HashMap<i32, category::Model> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut list_ids: Vec<i32> = rows.iter().map(|r| r.entry.ward_list_id).collect();
    list_ids.sort_unstable();
    list_ids.dedup();
    let lists: HashMap<i32, ListStatus> = ward_list::Entity::find()
        .select_only()
        .column(ward_list::Column::Id)
        .column(ward_list::Column::Status)
        .filter(ward_list::Column::Id.is_in(list_ids))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let side = |row: &Row| {
        let category = categories.get(&row.entry.category_id);
        DuplicateSide {
            entry_id: row.entry.id,
            person_id: row.entry.person_id,
            full_name: row
                .person
                .as_ref()
                .map(|p| p.full_name.clone())
                .unwrap_or_default(),
            birth_year: row.person.as_ref().and_then(|p| p.birth_year),
            address: row.person.as_ref().and_then(|p| p.address.clone()),
            ward_id: row.entry.ward_id,
            ward_name: units
                .iter()
                .find(|u| u.id == row.entry.ward_id)
                .map(display_name)
                .unwrap_or_default(),
            category_code: category.map(|c| c.code.clone()).unwrap_or_default(),
            category_name: category.map(|c| c.name.clone()).unwrap_or_default(),
            amount: row.entry.amount,
            household_id: row.household_id,
            // An entry's list is in its campaign; a missing one reads as still being drawn up.
            list_status: lists
                .get(&row.entry.ward_list_id)
                .copied()
                .unwrap_or(ListStatus::Draft),
        }
    };
    let mut out = Vec::new();
    for (x, y, evidence) in found {
        let (a_id, b_id) = (rows[x].entry.id, rows[y].entry.id);
        let program = programs.get(&rows[x].entry.program_id);
        let decision = decisions.get(&(a_id, b_id));
        out.push(DuplicatePair {
            program_id: rows[x].entry.program_id,
            program_name: program.map(|p| p.name.clone()).unwrap_or_default(),
            a: side(&rows[x]),
            b: side(&rows[y]),
            evidence_labels: evidence.iter().map(|e| e.label().to_owned()).collect(),
            evidence,
            decision: decision.map(|d| d.decision),
            decided_at: decision.map(|d| d.decided_at),
        });
    }
    out.sort_by_key(|p| (p.program_id, p.a.entry_id, p.b.entry_id));
    Ok(out)
}

/// The pairs touching one ward, for a campaign's overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct WardPairs {
    /// The ward's id.
    pub ward_id: i32,
    /// Its official name.
    pub ward_name: String,
    /// Pairs with a side in the ward.
    pub pairs: usize,
    /// Of those, not yet judged "keep both".
    pub undecided: usize,
}

/// `pairs` per ward, a pair across two wards counted in each, wards by name: a city's
/// thousands of pairs are reviewed ward by ward.
pub fn pairs_by_ward(pairs: &[DuplicatePair]) -> Vec<WardPairs> {
    let mut wards: BTreeMap<i32, WardPairs> = BTreeMap::new();
    for pair in pairs {
        let mut sides = vec![&pair.a];
        if pair.b.ward_id != pair.a.ward_id {
            sides.push(&pair.b);
        }
        for side in sides {
            let ward = wards.entry(side.ward_id).or_insert_with(|| WardPairs {
                ward_id: side.ward_id,
                ward_name: side.ward_name.clone(),
                pairs: 0,
                undecided: 0,
            });
            ward.pairs += 1;
            ward.undecided += usize::from(pair.decision.is_none());
        }
    }
    let mut wards: Vec<WardPairs> = wards.into_values().collect();
    wards.sort_by_cached_key(|w| crate::vn::text::fold_key(&w.ward_name));
    wards
}

/// What a decision did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionOutcome {
    /// `keep_one` or `keep_both`.
    pub decision: DuplicateDecision,
    /// The entry kept (for keep-one).
    pub kept_entry_id: Option<i32>,
    /// The entry removed (for keep-one).
    pub removed_entry_id: Option<i32>,
}

/// Records the staff's decision on two entries that may be one recipient, in one transaction.
/// Keep-both is stored in `duplicate_decisions` with who decided and when. Keep-one removes
/// the other entry — for the same recipient, the whole other listing (that person and
/// category on that list, in every program) and the computed programs are recomputed; for two
/// members of one household, only that household gift. A decision row is deleted with its
/// entries, so the audit log keeps a keep-one decision (who, when, the removed entries as they
/// were). The removed entries must be pending and not on an approved list.
pub async fn decide_duplicate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    entry_ids: (i32, i32),
    decision: Decision,
    note: Option<&str>,
) -> AppResult<DecisionOutcome> {
    operator.ensure_manages(campaign)?;
    let (a_id, b_id) = if entry_ids.0 <= entry_ids.1 {
        entry_ids
    } else {
        (entry_ids.1, entry_ids.0)
    };
    if a_id == b_id {
        return Err(AppError::Invalid("Hãy chọn hai mục khác nhau.".into()));
    }
    let txn = begin_write(db).await?;
    let rows = load_rows_by_ids(&txn, &operator.scope, campaign.id, &[a_id, b_id]).await?;
    let (Some(a), Some(b)) = (
        rows.iter().find(|r| r.entry.id == a_id),
        rows.iter().find(|r| r.entry.id == b_id),
    ) else {
        return Err(AppError::NotFound(
            "Không tìm thấy hai mục này trong danh sách của đợt quà.".into(),
        ));
    };
    let program = gift_program::Entity::find_by_id(a.entry.program_id)
        .one(&txn)
        .await?;
    let evidence = if a.entry.program_id == b.entry.program_id {
        evidence_between(a, b, program.is_some_and(|p| p.one_per_household))
    } else {
        Vec::new()
    };
    if evidence.is_empty() {
        return Err(AppError::Invalid(
            "Hai mục này không bị nghi trùng nên không cần quyết định.".into(),
        ));
    }
    let note = note
        .map(crate::vn::text::normalize)
        .filter(|n| !n.is_empty());
    let now = Utc::now();
    let outcome = match decision {
        Decision::KeepBoth => {
            let stored = duplicate_decision::ActiveModel {
                campaign_id: Set(campaign.id),
                entry_a_id: Set(a_id),
                entry_b_id: Set(b_id),
                decision: Set(DuplicateDecision::KeepBoth),
                note: Set(note),
                decided_by: Set(operator.actor.user_id),
                decided_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(|err| {
                AppError::on_unique_violation(err, "Cặp này đã có quyết định trước đó.")
            })?;
            audit::record::<(), _>(
                &txn,
                &operator.actor,
                AuditEvent {
                    action: "duplicate.keep_both",
                    entity_type: "duplicate_decision",
                    entity_id: Some(stored.id.to_string()),
                    unit_id: Some(campaign.unit_id),
                },
                None,
                Some(&stored),
            )
            .await?;
            DecisionOutcome {
                decision: DuplicateDecision::KeepBoth,
                kept_entry_id: None,
                removed_entry_id: None,
            }
        }
        Decision::KeepOne { keep_entry_id } => {
            let (kept, removed) = if keep_entry_id == a_id {
                (a, b)
            } else if keep_entry_id == b_id {
                (b, a)
            } else {
                return Err(AppError::Invalid(
                    "Mục được giữ lại phải là một trong hai mục đang xét.".into(),
                ));
            };
            // The same recipient listed twice: the other listing goes, with every gift derived
            // from it (same person, category and list in any program). Two members of one
            // household are different people: only the household gift goes.
            let same_recipient = evidence.iter().any(|e| *e != Evidence::SameHousehold);
            let mut doomed = vec![removed.entry.clone()];
            if same_recipient {
                doomed = entry::Entity::find()
                    .filter(entry::Column::WardListId.eq(removed.entry.ward_list_id))
                    .filter(entry::Column::PersonId.eq(removed.entry.person_id))
                    .filter(entry::Column::CategoryId.eq(removed.entry.category_id))
                    .all(&txn)
                    .await?;
            }
            let list = ward_list::Entity::find_by_id(removed.entry.ward_list_id)
                .one(&txn)
                .await?
                .ok_or_else(|| AppError::NotFound("Không tìm thấy danh sách.".into()))?;
            if list.status == ListStatus::Approved {
                return Err(AppError::Invalid(
                    "Mục cần bỏ nằm trong danh sách đã duyệt; hãy mở lại danh sách trước.".into(),
                ));
            }
            if doomed.iter().any(|e| e.status != EntryStatus::Pending) {
                return Err(AppError::Invalid(
                    "Mục cần bỏ đã được ghi nhận cấp phát; hãy hoàn tác trước.".into(),
                ));
            }
            let doomed_ids: Vec<i32> = doomed.iter().map(|e| e.id).collect();
            entry::Entity::delete_many()
                .filter(entry::Column::Id.is_in(doomed_ids.clone()))
                .exec(&txn)
                .await?;
            // The programs' gifts follow the listings that remain (a person still listed under
            // another category may now get that one).
            if same_recipient {
                let computed = gift_program::Entity::find()
                    .filter(gift_program::Column::CampaignId.eq(campaign.id))
                    .filter(gift_program::Column::UseFileAmounts.eq(false))
                    .all(&txn)
                    .await?;
                for program in computed {
                    compute_program_entries(&txn, program.id).await?;
                }
            }
            audit::record(
                &txn,
                &operator.actor,
                AuditEvent {
                    action: "duplicate.keep_one",
                    entity_type: "entry",
                    entity_id: Some(removed.entry.id.to_string()),
                    unit_id: Some(removed.entry.ward_id),
                },
                Some(&doomed),
                Some(&serde_json::json!({
                    "decision": DuplicateDecision::KeepOne,
                    "kept_entry_id": kept.entry.id,
                    "removed_entry_id": removed.entry.id,
                    "removed_entry_ids": doomed_ids,
                    "evidence": evidence,
                    "note": note,
                    "decided_at": now,
                })),
            )
            .await?;
            DecisionOutcome {
                decision: DuplicateDecision::KeepOne,
                kept_entry_id: Some(kept.entry.id),
                removed_entry_id: Some(removed.entry.id),
            }
        }
    };
    txn.commit().await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(entry_id: i32, ward_id: i32, ward_name: &str) -> DuplicateSide {
        DuplicateSide {
            entry_id,
            person_id: entry_id,
            full_name: "Trần Thị Bé".into(),
            birth_year: Some(1950),
            address: None,
            ward_id,
            ward_name: ward_name.into(),
            category_code: "HN".into(),
            category_name: "Hộ nghèo".into(),
            amount: 500_000,
            household_id: None,
            list_status: ListStatus::Draft,
        }
    }

    fn pair(a: DuplicateSide, b: DuplicateSide, decided: bool) -> DuplicatePair {
        DuplicatePair {
            program_id: 1,
            program_name: "Quà Tết".into(),
            a,
            b,
            evidence: vec![Evidence::SamePerson],
            evidence_labels: Vec::new(),
            decision: decided.then_some(DuplicateDecision::KeepBoth),
            decided_at: None,
        }
    }

    #[test]
    fn pairs_by_ward_counts_a_pair_in_each_of_its_wards_and_sorts_by_name() {
        let pairs = [
            pair(side(1, 10, "Tăng Nhơn Phú"), side(2, 20, "An Khánh"), false),
            pair(side(3, 20, "An Khánh"), side(4, 20, "An Khánh"), true),
            pair(
                side(5, 30, "Bình Trưng"),
                side(6, 10, "Tăng Nhơn Phú"),
                false,
            ),
        ];
        let counts: Vec<(i32, usize, usize)> = pairs_by_ward(&pairs)
            .iter()
            .map(|w| (w.ward_id, w.pairs, w.undecided))
            .collect();
        assert_eq!(counts, vec![(20, 2, 1), (30, 1, 1), (10, 2, 2)]);
    }
}
