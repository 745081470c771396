//! How far the distribution has come, per ward and program: planned, received, not received
//! and remaining, in gifts (people) and in money. One aggregate query, whatever the size.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::distribution::status;
use crate::domain::units::{all_units, display_name};
use crate::domain::ward_lists::{Operator, sum_bigint};
use crate::entities::{campaign, entry, gift_program};
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
    fn add(&mut self, entry_status: &str, people: i64, amount: i64) {
        self.planned_people += people;
        self.planned_amount += amount;
        match entry_status {
            status::RECEIVED => {
                self.received_people += people;
                self.received_amount += amount;
            }
            status::NOT_RECEIVED => {
                self.not_received_people += people;
                self.not_received_amount += amount;
            }
            _ => {
                self.remaining_people += people;
                self.remaining_amount += amount;
            }
        }
    }

    fn merge(&mut self, other: &Tally) {
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
struct Group {
    ward_id: i32,
    program_id: i32,
    status: String,
    people: i64,
    amount: Option<i64>,
}

/// The progress of `campaign` in the operator's units: one GROUP BY over the entries, folded.
pub async fn campaign_progress(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
) -> AppResult<Progress> {
    let groups = entry::Entity::find()
        .select_only()
        .column(entry::Column::WardId)
        .column(entry::Column::ProgramId)
        .column(entry::Column::Status)
        .column_as(entry::Column::Id.count().cast_as("BIGINT"), "people")
        .column_as(sum_bigint(entry::Column::Amount), "amount")
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .filter(operator.scope.condition(entry::Column::WardId))
        .group_by(entry::Column::WardId)
        .group_by(entry::Column::ProgramId)
        .group_by(entry::Column::Status)
        .into_model::<Group>()
        .all(db)
        .await?;
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
            .add(&group.status, group.people, group.amount.unwrap_or(0));
    }
    let mut rows: Vec<ProgressRow> = cells
        .into_iter()
        .map(|((ward_id, program_id), tally)| ProgressRow {
            ward_id,
            ward_name: ward_name(ward_id),
            program_id,
            program_name: programs.get(&program_id).cloned().unwrap_or_default(),
            tally,
        })
        .collect();
    rows.sort_by(|a, b| {
        crate::domain::text::fold_key(&a.ward_name)
            .cmp(&crate::domain::text::fold_key(&b.ward_name))
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
