//! How far the distribution has come, per ward and program: planned, received, not received
//! and remaining, in gifts (people) and in money.
//!
//! Every figure here is read from `entry_tallies`, which triggers keep in step with `entries`
//! in the same transaction as each change (see the `page_indexes` migration): a campaign's
//! progress is a few dozen rows whatever the number of entries, and it is right on every app
//! server at once, since no copy lives outside the database. A reviewer limited to sectors
//! reads `entry_category_tallies` instead, the same figures split by category (kept the same
//! way, see the `category_tallies` migration), so their dashboard does not count a city's
//! entries either.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::list_entries::program_gifts;
use crate::domain::operator::Operator;
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, display_name};
use crate::entities::states::EntryStatus;
use crate::entities::{campaign, gift_program, ward_list};
use crate::error::AppResult;

/// Counts and money of one slice of the distribution.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Tally {
    /// Gifts planned (entries).
    pub planned_people: i64,
    /// Their total, in đồng.
    pub planned_amount: i64,
    /// Gifts handed out.
    pub received_people: i64,
    /// Money handed out.
    pub received_amount: i64,
    /// Gifts that will not be handed out (deceased, moved, absent, refused).
    pub not_received_people: i64,
    /// Their money.
    pub not_received_amount: i64,
    /// Gifts still pending.
    pub remaining_people: i64,
    /// Their money.
    pub remaining_amount: i64,
}

impl Tally {
    fn add(&mut self, entry_status: EntryStatus, people: i64, amount: i64) {
        self.planned_people += people;
        self.planned_amount += amount;
        match entry_status {
            EntryStatus::Received => {
                self.received_people += people;
                self.received_amount += amount;
            }
            EntryStatus::NotReceived => {
                self.not_received_people += people;
                self.not_received_amount += amount;
            }
            EntryStatus::Pending => {
                self.remaining_people += people;
                self.remaining_amount += amount;
            }
        }
    }

    /// Adds `other`'s figures to these.
    pub fn merge(&mut self, other: &Tally) {
        self.planned_people += other.planned_people;
        self.planned_amount += other.planned_amount;
        self.received_people += other.received_people;
        self.received_amount += other.received_amount;
        self.not_received_people += other.not_received_people;
        self.not_received_amount += other.not_received_amount;
        self.remaining_people += other.remaining_people;
        self.remaining_amount += other.remaining_amount;
    }
}

/// One ward and program.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressRow {
    /// The ward's id.
    pub ward_id: i32,
    /// The ward's official name.
    pub ward_name: String,
    /// The program's id.
    pub program_id: i32,
    /// The program's name.
    pub program_name: String,
    /// The figures.
    #[serde(flatten)]
    pub tally: Tally,
    /// How the gifts were paid: transferred, transfer failed, in cash, not reached.
    #[serde(flatten)]
    pub payments: crate::domain::payments::PaymentCounts,
}

/// The progress of a campaign in the operator's units.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Progress {
    /// Per ward and program, by ward name then program.
    pub rows: Vec<ProgressRow>,
    /// Per ward, all programs together.
    pub wards: Vec<WardTotal>,
    /// Everything together.
    pub total: Tally,
}

/// One ward, all programs together.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WardTotal {
    /// The ward's id.
    pub ward_id: i32,
    /// The ward's official name.
    pub ward_name: String,
    /// The figures.
    #[serde(flatten)]
    pub tally: Tally,
}

#[derive(FromQueryResult)]
struct WardGroup {
    ward_id: i32,
    status: EntryStatus,
    people: i64,
    amount: Option<i64>,
}

/// Each ward's figures in `campaign` within `scope`, all programs together (wards without
/// entries are absent): one small query, for the dashboard.
pub async fn ward_tallies(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
) -> AppResult<HashMap<i32, Tally>> {
    let query = tally_query(campaign_id, scope, &["ward_id"]);
    let mut wards: HashMap<i32, Tally> = HashMap::new();
    for row in db.query_all(&query).await? {
        let group = WardGroup::from_query_result(&row, "")?;
        wards.entry(group.ward_id).or_default().add(
            group.status,
            group.people,
            group.amount.unwrap_or(0),
        );
    }
    Ok(wards)
}

/// One ward list's figures, all programs together. The caller has checked the operator may
/// see the list's ward; `scope` keeps a sector reviewer's figures to their sectors.
pub async fn list_tally(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
    ward_id: i32,
    ward_list_id: i32,
) -> AppResult<Tally> {
    let mut query = tally_query(campaign_id, &scope.narrowed_to(ward_id), &[]);
    query.and_where(Expr::col(Alias::new("ward_list_id")).eq(ward_list_id));
    let mut tally = Tally::default();
    for row in db.query_all(&query).await? {
        let status: EntryStatus = row.try_get("", "status")?;
        let people: i64 = row.try_get("", "people")?;
        let amount: Option<i64> = row.try_get("", "amount")?;
        tally.add(status, people, amount.unwrap_or(0));
    }
    Ok(tally)
}

/// [`list_tally`] of `list` and its gifts per program, every sector's (as
/// [`program_gifts`] reads them): for a viewer without a sector limit both come from one
/// read of the tallies, a statement less on every view of a list's page.
pub async fn list_tally_with_gifts(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    list: &ward_list::Model,
) -> AppResult<(Tally, HashMap<i32, u64>)> {
    if scope.sectors().is_some() {
        let tally = list_tally(db, scope, list.campaign_id, list.ward_id, list.id).await?;
        return Ok((tally, program_gifts(db, list).await?));
    }
    let mut query = tally_query(
        list.campaign_id,
        &scope.narrowed_to(list.ward_id),
        &["program_id"],
    );
    query.and_where(Expr::col(Alias::new("ward_list_id")).eq(list.id));
    let mut tally = Tally::default();
    let mut gifts: HashMap<i32, u64> = HashMap::new();
    for row in db.query_all(&query).await? {
        let status: EntryStatus = row.try_get("", "status")?;
        let people: i64 = row.try_get("", "people")?;
        let amount: Option<i64> = row.try_get("", "amount")?;
        tally.add(status, people, amount.unwrap_or(0));
        *gifts.entry(row.try_get("", "program_id")?).or_default() +=
            u64::try_from(people).unwrap_or(0);
    }
    Ok((tally, gifts))
}

#[derive(FromQueryResult)]
struct Group {
    ward_id: i32,
    program_id: i32,
    status: EntryStatus,
    people: i64,
    amount: Option<i64>,
}

/// The tallies table, kept by triggers on `entries`.
fn tallies() -> Alias {
    Alias::new("entry_tallies")
}

/// The same tallies split by category as well, for a reviewer limited to sectors (see the
/// `category_tallies` migration).
fn category_tallies() -> Alias {
    Alias::new("entry_category_tallies")
}

/// `SUM(column)` of the tallies as a 64-bit integer (PostgreSQL sums BIGINT into NUMERIC).
fn tally_sum(column: &str) -> Expr {
    Expr::col(Alias::new(column)).sum().cast_as("BIGINT")
}

/// The tallies of `campaign_id` in `scope`, summed per the columns of `group` (besides
/// `status`, which every caller needs).
fn tally_query(campaign_id: i32, scope: &UnitScope, group: &[&str]) -> SelectStatement {
    let mut query = Query::select();
    for column in group.iter().chain(&["status"]) {
        query
            .column(Alias::new(*column))
            .group_by_col(Alias::new(*column));
    }
    query.and_where(Expr::col(Alias::new("campaign_id")).eq(campaign_id));
    if scope.sectors().is_some() {
        // `entry_tallies` knows no category: a reviewer limited to sectors reads the same
        // figures split by category, keeping the categories of their sectors.
        query
            .from(category_tallies())
            .cond_where(scope.sector_condition_on((category_tallies(), Alias::new("category_id"))));
    } else {
        query.from(tallies());
    }
    query
        .expr_as(tally_sum("people"), Alias::new("people"))
        .expr_as(tally_sum("amount"), Alias::new("amount"))
        .and_where(Expr::col(Alias::new("people")).ne(0));
    if let UnitScope::Units(ids) | UnitScope::UnitsInSectors(ids, _) = scope {
        query.and_where(Expr::col(Alias::new("ward_id")).is_in(ids.iter().copied()));
    }
    query
}

/// The progress of `campaign` in the operator's units: its tallies, folded.
pub async fn campaign_progress(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
) -> AppResult<Progress> {
    let query = tally_query(campaign.id, &operator.scope, &["ward_id", "program_id"]);
    let groups = db
        .query_all(&query)
        .await?
        .iter()
        .map(|row| Group::from_query_result(row, ""))
        .collect::<Result<Vec<_>, _>>()?;
    let programs: HashMap<i32, String> = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign.id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let units = all_units(db).await?;
    let ward_name = |id: i32| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(display_name)
            .unwrap_or_default()
    };
    let mut cells: BTreeMap<(i32, i32), Tally> = BTreeMap::new();
    for group in &groups {
        cells
            .entry((group.ward_id, group.program_id))
            .or_default()
            .add(group.status, group.people, group.amount.unwrap_or(0));
    }
    let payments =
        crate::domain::payments::payment_counts(db, &operator.scope, campaign.id).await?;
    let mut rows: Vec<ProgressRow> = cells
        .into_iter()
        .map(|((ward_id, program_id), tally)| ProgressRow {
            ward_id,
            ward_name: ward_name(ward_id),
            program_id,
            program_name: programs.get(&program_id).cloned().unwrap_or_default(),
            tally,
            payments: payments
                .get(&(ward_id, program_id))
                .copied()
                .unwrap_or_default(),
        })
        .collect();
    rows.sort_by(|a, b| {
        crate::vn::text::fold_key(&a.ward_name)
            .cmp(&crate::vn::text::fold_key(&b.ward_name))
            .then(a.program_id.cmp(&b.program_id))
    });
    let mut wards: Vec<WardTotal> = Vec::new();
    let mut total = Tally::default();
    for row in &rows {
        total.merge(&row.tally);
        match wards.last_mut() {
            Some(last) if last.ward_id == row.ward_id => last.tally.merge(&row.tally),
            _ => wards.push(WardTotal {
                ward_id: row.ward_id,
                ward_name: row.ward_name.clone(),
                tally: row.tally,
            }),
        }
    }
    Ok(Progress { rows, wards, total })
}

#[cfg(test)]
mod tests {
    //! The triggers keeping `entry_tallies` must agree with a GROUP BY over `entries` after
    //! every kind of write: multi-row inserts, status and amount changes, moves between
    //! programs, deletes and a campaign's cascade. On SQLite by default, on PostgreSQL when
    //! `TEST_DATABASE_URL` names a server (a database is created and dropped for the test).

    use chrono::Utc;
    use sea_orm::sea_query::Expr;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
        QueryFilter, Set,
    };

    use crate::domain::campaigns::{NewCampaign, RequestedUnit, create_campaign};
    use crate::domain::operator::Operator;
    use crate::domain::units::all_units;
    use crate::entities::states::{EntryStatus, ListStatus, PersonStatus, UnitLevel};
    use crate::entities::{campaign, category, entry, gift_program, person, ward_list};

    type Rows = Vec<(i32, i32, i32, i32, i32, String, i64, i64)>;

    /// The rows of `sql`, naming its columns as the key of `entry_category_tallies` (the
    /// category is 0 where `sql` has none).
    async fn rows(db: &DatabaseConnection, sql: &str) -> Rows {
        let mut found = Vec::new();
        for row in db
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
        {
            found.push((
                row.try_get("", "campaign_id").unwrap(),
                row.try_get("", "ward_id").unwrap(),
                row.try_get("", "ward_list_id").unwrap(),
                row.try_get("", "program_id").unwrap(),
                row.try_get("", "category_id").unwrap(),
                row.try_get("", "status").unwrap(),
                row.try_get("", "people").unwrap(),
                row.try_get("", "amount").unwrap(),
            ));
        }
        found
    }

    /// Both tally tables against a GROUP BY over `entries`.
    async fn assert_tallies_match(db: &DatabaseConnection, step: &str) {
        for (table, key) in [
            (
                "entry_tallies",
                "campaign_id, ward_id, ward_list_id, program_id, 0 AS category_id, status",
            ),
            (
                "entry_category_tallies",
                "campaign_id, ward_id, ward_list_id, program_id, category_id, status",
            ),
        ] {
            let order = "campaign_id, ward_id, ward_list_id, program_id, category_id, status";
            let group = key.replace("0 AS category_id, ", "");
            let want = rows(
                db,
                &format!(
                    "SELECT {key}, CAST(COUNT(*) AS BIGINT) AS people, \
                     CAST(SUM(amount) AS BIGINT) AS amount FROM entries GROUP BY {group} \
                     ORDER BY {order}"
                ),
            )
            .await;
            let got = rows(
                db,
                &format!("SELECT {key}, people, amount FROM {table} ORDER BY {order}"),
            )
            .await;
            assert_eq!(got, want, "{table} differs from the entries after {step}");
        }
    }

    /// A fresh migrated database, and the PostgreSQL database to drop afterwards.
    async fn fresh_database() -> (DatabaseConnection, Option<(String, String)>) {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(server) if server.starts_with("postgres") => {
                let name = format!(
                    "chamlo_tally_{}",
                    &crate::domain::secret_tokens::new_token()[..12]
                );
                let admin = crate::db::connect(&server).await.unwrap();
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .unwrap();
                let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
                let db = crate::db::connect(&format!("{base}/{name}")).await.unwrap();
                crate::db::migrate(&db).await.unwrap();
                (db, Some((server, name)))
            }
            _ => {
                let db = crate::db::connect("sqlite::memory:").await.unwrap();
                crate::db::migrate(&db).await.unwrap();
                (db, None)
            }
        }
    }

    #[tokio::test]
    async fn tallies_follow_every_change_to_the_entries() {
        let (db, postgres) = fresh_database().await;
        let units = all_units(&db).await.unwrap();
        let district = units
            .iter()
            .find(|u| u.level == UnitLevel::District)
            .unwrap()
            .id;
        let wards: Vec<i32> = units
            .iter()
            .filter(|u| u.level == UnitLevel::Ward)
            .map(|u| u.id)
            .take(2)
            .collect();
        let made = create_campaign(
            &db,
            &Operator::system("test"),
            NewCampaign {
                year: 2030,
                title: None,
                unit: Some(RequestedUnit::Id(district)),
            },
        )
        .await
        .unwrap();
        let first_program = gift_program::Entity::find()
            .filter(gift_program::Column::CampaignId.eq(made.id))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let mut second_program: gift_program::ActiveModel = first_program.clone().into();
        second_program.id = sea_orm::ActiveValue::NotSet;
        second_program.name = Set("Quà nhà tài trợ".into());
        let second_program = second_program.insert(&db).await.unwrap();
        let categories = category::Entity::find().all(&db).await.unwrap();
        let (category_id, other_category_id) = (categories[0].id, categories[1].id);
        let now = Utc::now();
        let mut new_entries = Vec::new();
        for (w, ward_id) in wards.iter().enumerate() {
            let list = ward_list::ActiveModel {
                campaign_id: Set(made.id),
                ward_id: Set(*ward_id),
                status: Set(ListStatus::Approved),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&db)
            .await
            .unwrap();
            for n in 0..6 {
                let someone = person::ActiveModel {
                    full_name: Set(format!("Người {w} {n}")),
                    name_key: Set(format!("nguoi {w} {n}")),
                    ward_id: Set(*ward_id),
                    status: Set(PersonStatus::Active),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&db)
                .await
                .unwrap();
                for program in [&first_program, &second_program] {
                    new_entries.push(entry::ActiveModel {
                        campaign_id: Set(made.id),
                        ward_list_id: Set(list.id),
                        ward_id: Set(*ward_id),
                        program_id: Set(program.id),
                        person_id: Set(someone.id),
                        category_id: Set(category_id),
                        amount: Set(500_000 + 100_000 * i64::from(n)),
                        status: Set(EntryStatus::Pending),
                        source_row: Set(Some(n + 7)),
                        created_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    });
                }
            }
        }
        entry::Entity::insert_many(new_entries)
            .exec_without_returning(&db)
            .await
            .unwrap();
        assert_tallies_match(&db, "a multi-row insert").await;

        let ids: Vec<i32> = entry::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        entry::Entity::update_many()
            .col_expr(entry::Column::Status, Expr::value(EntryStatus::Received))
            .filter(entry::Column::Id.is_in(ids[..7].iter().copied()))
            .exec(&db)
            .await
            .unwrap();
        assert_tallies_match(&db, "marking gifts received").await;
        entry::Entity::update_many()
            .col_expr(entry::Column::Status, Expr::value(EntryStatus::NotReceived))
            .col_expr(entry::Column::Amount, Expr::value(123_456_i64))
            .filter(entry::Column::Id.is_in(ids[5..12].iter().copied()))
            .exec(&db)
            .await
            .unwrap();
        assert_tallies_match(&db, "a status and amount change").await;
        entry::Entity::update_many()
            .col_expr(entry::Column::Note, Expr::value("ghi chú"))
            .exec(&db)
            .await
            .unwrap();
        assert_tallies_match(&db, "a change of other columns").await;
        entry::Entity::update_many()
            .col_expr(entry::Column::CategoryId, Expr::value(other_category_id))
            .filter(entry::Column::Id.is_in(ids[2..9].iter().copied()))
            .exec(&db)
            .await
            .unwrap();
        assert_tallies_match(&db, "a change of category").await;
        entry::Entity::update_many()
            .col_expr(entry::Column::Status, Expr::value(EntryStatus::Pending))
            .filter(entry::Column::Id.is_in(ids[..3].iter().copied()))
            .exec(&db)
            .await
            .unwrap();
        assert_tallies_match(&db, "an undo").await;
        entry::Entity::delete_many()
            .filter(entry::Column::Id.is_in(ids[10..15].iter().copied()))
            .exec(&db)
            .await
            .unwrap();
        assert_tallies_match(&db, "deleting entries").await;
        entry::Entity::delete_by_id(ids[20])
            .exec(&db)
            .await
            .unwrap();
        assert_tallies_match(&db, "deleting one entry").await;

        campaign::Entity::delete_by_id(made.id)
            .exec(&db)
            .await
            .unwrap();
        assert_tallies_match(&db, "deleting the campaign").await;

        if let Some((server, name)) = postgres {
            db.close().await.unwrap();
            let admin = crate::db::connect(&server).await.unwrap();
            admin
                .execute_unprepared(&format!("DROP DATABASE {name}"))
                .await
                .unwrap();
        }
    }
}
