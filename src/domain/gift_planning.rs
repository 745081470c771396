//! What each listed person receives from a program: the planning rule (one gift per person
//! at the highest level they qualify for; one per household for a one-per-household program)
//! and the computation that applies it to everyone already listed in the campaign, keeping
//! approved lists and gifts already handed out as they are.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::campaigns::ensure_campaign_open;
use crate::domain::entitlements::ProgramRules;
use crate::domain::operator::Operator;
use crate::domain::programs::program_and_campaign;
use crate::entities::states::{EntryStatus, ListStatus};
use crate::entities::{category, entry, household, person, program_amount, ward_list};
use crate::error::AppResult;

/// Rows per INSERT: well inside both engines' limits on bound parameters.
const INSERT_CHUNK: usize = 500;

/// What computing a program's entries changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ComputeSummary {
    /// Entries added.
    pub created: usize,
    /// Entries whose amount changed.
    pub updated: usize,
    /// Entries removed (no longer entitled, or beaten by a higher level or by the household's
    /// representative).
    pub removed: usize,
    /// People left as they were because their list is approved or their gift was handed out.
    pub frozen: usize,
    /// Approved lists with people this program would give to but, being locked, were given
    /// nothing: the page that saved the program names them, so no ward is left out quietly.
    #[serde(default)]
    pub skipped_lists: Vec<SkippedList>,
}

/// An approved list a program's computation left alone although it holds people the program
/// gives to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SkippedList {
    /// The list.
    pub ward_list_id: i32,
    /// Its ward.
    pub ward_id: i32,
    /// People on it the program would give to.
    pub people: usize,
}

/// Recomputes a program's entries on request (after lists changed), audited.
pub async fn recompute_program<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    program_id: i32,
) -> AppResult<ComputeSummary> {
    let (program, campaign) = program_and_campaign(db, program_id).await?;
    operator.ensure_manages(&campaign)?;
    ensure_campaign_open(&campaign)?;
    let txn = begin_write(db).await?;
    let summary = compute_program_entries(&txn, program.id).await?;
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "program.recompute",
            entity_type: "gift_program",
            entity_id: Some(program.id.to_string()),
            unit_id: Some(campaign.unit_id),
        },
        None,
        Some(&summary),
    )
    .await?;
    txn.commit().await?;
    Ok(summary)
}

/// One line of a campaign's lists, as the computation sees it.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The entry's id.
    pub entry_id: i32,
    /// The program it belongs to.
    pub program_id: i32,
    /// The recipient.
    pub person_id: i32,
    /// The category it was listed under.
    pub category_id: i32,
    /// The list and ward it stands on.
    pub ward_list_id: i32,
    /// The ward.
    pub ward_id: i32,
    /// The household: the entry's, else the person's.
    pub household_id: Option<i32>,
    /// The amount typed in the ward's file.
    pub file_amount: Option<i64>,
    /// The entry's amount.
    pub amount: i64,
    /// Where its gift stands in the distribution.
    pub status: EntryStatus,
    /// The pre-merger ward the row named ("Phường cũ"), kept when the gift is re-planned.
    pub former_ward_id: Option<i32>,
}

/// A gift the program should give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedGift {
    /// The recipient.
    pub person_id: i32,
    /// The category the gift is for (the highest the person qualifies under).
    pub category_id: i32,
    /// The list it goes on.
    pub ward_list_id: i32,
    /// The ward.
    pub ward_id: i32,
    /// The household, if any.
    pub household_id: Option<i32>,
    /// Whole đồng.
    pub amount: i64,
    /// The amount typed in the ward's file, kept for comparison.
    pub file_amount: Option<i64>,
    /// The pre-merger ward the listing named ("Phường cũ"), carried to the entry.
    pub former_ward_id: Option<i32>,
}

impl PlannedGift {
    /// The gift as a new entry of `program_id` in `campaign_id`, not handed out yet: every
    /// distribution detail empty, and the same columns set on every entry so that many can be
    /// inserted in one statement.
    pub fn pending_entry(
        &self,
        campaign_id: i32,
        program_id: i32,
        now: chrono::DateTime<chrono::Utc>,
    ) -> entry::ActiveModel {
        entry::ActiveModel {
            campaign_id: Set(campaign_id),
            ward_list_id: Set(self.ward_list_id),
            ward_id: Set(self.ward_id),
            program_id: Set(program_id),
            person_id: Set(self.person_id),
            household_id: Set(self.household_id),
            category_id: Set(self.category_id),
            amount: Set(self.amount),
            file_amount: Set(self.file_amount),
            status: Set(EntryStatus::Pending),
            received_date: Set(None),
            receiver_name: Set(None),
            receiver_relationship: Set(None),
            not_received_reason: Set(None),
            distribution_note: Set(None),
            note: Set(None),
            import_batch_id: Set(None),
            source_row: Set(None),
            former_ward_id: Set(self.former_ward_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
    }
}

/// Decides a program's gifts from the campaign's listings: for each listed person the
/// categories they are listed under; the program's entitlement for each (its own amount, or
/// the file's for the default program); one gift at the highest category rank (ties: the
/// larger amount, then the smaller category id); and, for a one-per-household program, one
/// representative per household: whoever already holds the program's gift, else the head,
/// else the highest rank, else the smallest person id. Pure: no database.
pub fn plan_gifts(
    rules: &ProgramRules,
    listings: &[Listing],
    ranks: &HashMap<i32, i32>,
    heads: &HashMap<i32, i32>,
) -> Vec<PlannedGift> {
    let program_id = rules.program.id;
    // The listing each (person, category) comes from: this program's own, else the oldest.
    let mut sources: HashMap<(i32, i32), &Listing> = HashMap::new();
    for listing in listings {
        sources
            .entry((listing.person_id, listing.category_id))
            .and_modify(|current| {
                let better = (listing.program_id == program_id, -listing.entry_id)
                    > (current.program_id == program_id, -current.entry_id);
                if better {
                    *current = listing;
                }
            })
            .or_insert(listing);
    }
    let rank = |category_id: i32| ranks.get(&category_id).copied().unwrap_or(0);
    let mut best: HashMap<i32, PlannedGift> = HashMap::new();
    let mut keys: Vec<_> = sources.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let source = sources[&key];
        let Some(entitled) = rules.entitlement(source.category_id, source.file_amount) else {
            continue;
        };
        let gift = PlannedGift {
            person_id: source.person_id,
            category_id: source.category_id,
            ward_list_id: source.ward_list_id,
            ward_id: source.ward_id,
            household_id: source.household_id,
            amount: entitled.amount,
            file_amount: source.file_amount,
            former_ward_id: source.former_ward_id,
        };
        match best.get(&gift.person_id) {
            Some(current)
                if (
                    rank(current.category_id),
                    current.amount,
                    -current.category_id,
                ) >= (rank(gift.category_id), gift.amount, -gift.category_id) => {}
            _ => {
                best.insert(gift.person_id, gift);
            }
        }
    }
    let mut gifts: Vec<PlannedGift> = best.into_values().collect();
    gifts.sort_by_key(|g| g.person_id);
    if !rules.program.one_per_household {
        return gifts;
    }
    let holders: HashSet<i32> = listings
        .iter()
        .filter(|l| l.program_id == program_id)
        .map(|l| l.person_id)
        .collect();
    let mut representative: HashMap<i32, usize> = HashMap::new();
    for (index, gift) in gifts.iter().enumerate() {
        let Some(household_id) = gift.household_id else {
            continue;
        };
        let score = |g: &PlannedGift| {
            (
                holders.contains(&g.person_id),
                heads.get(&household_id) == Some(&g.person_id),
                rank(g.category_id),
                -g.person_id,
            )
        };
        match representative.get(&household_id) {
            Some(&current) if score(&gifts[current]) >= score(gift) => {}
            _ => {
                representative.insert(household_id, index);
            }
        }
    }
    gifts
        .iter()
        .enumerate()
        .filter(|(index, gift)| {
            gift.household_id
                .is_none_or(|h| representative.get(&h) == Some(index))
        })
        .map(|(_, gift)| gift.clone())
        .collect()
}

/// (Re)computes the entries of a program for everyone listed in its campaign, honouring the
/// program's rules. Entries on approved lists and gifts already handed out (or refused) are
/// never touched, nor is anyone else of their person or household; pending entries that are
/// no longer due are removed. Runs on the connection given (callers wrap it in their
/// transaction); a fixed number of reads, whatever the number of people.
pub async fn compute_program_entries(
    db: &impl ConnectionTrait,
    program_id: i32,
) -> AppResult<ComputeSummary> {
    let (program, campaign) = program_and_campaign(db, program_id).await?;
    let amounts = program_amount::Entity::find()
        .filter(program_amount::Column::ProgramId.eq(program_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.category_id, a.amount))
        .collect();
    let rules = ProgramRules { program, amounts };
    let listings = campaign_listings(db, campaign.id).await?;
    let ranks: HashMap<i32, i32> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.rank))
        .collect();
    let household_ids: HashSet<i32> = listings.iter().filter_map(|l| l.household_id).collect();
    let heads: HashMap<i32, i32> = if household_ids.is_empty() {
        HashMap::new()
    } else {
        household::Entity::find()
            .filter(household_ids_condition(campaign.id))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|h| h.head_person_id.map(|head| (h.id, head)))
            .collect()
    };
    let approved: HashSet<i32> = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .filter(ward_list::Column::Status.eq(ListStatus::Approved))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();

    let existing: Vec<&Listing> = listings
        .iter()
        .filter(|l| l.program_id == program_id)
        .collect();
    // Anyone whose gift of this program is on an approved list or already handed out stays
    // exactly as they are, and so does their household.
    let mut frozen_people = HashSet::new();
    let mut frozen_households = HashSet::new();
    for listing in &existing {
        if approved.contains(&listing.ward_list_id) || listing.status != EntryStatus::Pending {
            frozen_people.insert(listing.person_id);
            if let Some(h) = listing.household_id {
                frozen_households.insert(h);
            }
        }
    }
    let is_frozen = |person_id: i32, household_id: Option<i32>, ward_list_id: i32| {
        frozen_people.contains(&person_id)
            || household_id.is_some_and(|h| frozen_households.contains(&h))
            || approved.contains(&ward_list_id)
    };

    let planned = plan_gifts(&rules, &listings, &ranks, &heads);
    let mut summary = ComputeSummary::default();
    let wanted: HashMap<(i32, i32), &PlannedGift> = planned
        .iter()
        .map(|g| ((g.person_id, g.category_id), g))
        .collect();
    let have: HashMap<(i32, i32), &Listing> = existing
        .iter()
        .map(|l| ((l.person_id, l.category_id), *l))
        .collect();

    let mut remove = Vec::new();
    let mut new_amounts: HashMap<i64, Vec<i32>> = HashMap::new();
    let mut frozen_seen = HashSet::new();
    let now = Utc::now();
    for listing in &existing {
        if is_frozen(
            listing.person_id,
            listing.household_id,
            listing.ward_list_id,
        ) {
            frozen_seen.insert(listing.person_id);
            continue;
        }
        match wanted.get(&(listing.person_id, listing.category_id)) {
            None => remove.push(listing.entry_id),
            Some(gift) if gift.amount != listing.amount => {
                new_amounts
                    .entry(gift.amount)
                    .or_default()
                    .push(listing.entry_id);
                summary.updated += 1;
            }
            Some(_) => {}
        }
    }
    // One UPDATE per new amount, not per entry.
    for (amount, ids) in &new_amounts {
        for chunk in ids.chunks(INSERT_CHUNK) {
            entry::Entity::update_many()
                .col_expr(entry::Column::Amount, Expr::value(*amount))
                .col_expr(entry::Column::UpdatedAt, Expr::value(now))
                .filter(entry::Column::Id.is_in(chunk.iter().copied()))
                .exec(db)
                .await?;
        }
    }
    for chunk in remove.chunks(INSERT_CHUNK) {
        entry::Entity::delete_many()
            .filter(entry::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    summary.removed = remove.len();

    let mut new_entries = Vec::new();
    for gift in &planned {
        if have.contains_key(&(gift.person_id, gift.category_id)) {
            continue;
        }
        if is_frozen(gift.person_id, gift.household_id, gift.ward_list_id) {
            frozen_seen.insert(gift.person_id);
            if approved.contains(&gift.ward_list_id) {
                match summary
                    .skipped_lists
                    .iter_mut()
                    .find(|l| l.ward_list_id == gift.ward_list_id)
                {
                    Some(list) => list.people += 1,
                    None => summary.skipped_lists.push(SkippedList {
                        ward_list_id: gift.ward_list_id,
                        ward_id: gift.ward_id,
                        people: 1,
                    }),
                }
            }
            continue;
        }
        new_entries.push(gift.pending_entry(campaign.id, program_id, now));
    }
    summary.created = new_entries.len();
    for chunk in new_entries.chunks(INSERT_CHUNK) {
        entry::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(db)
            .await?;
    }
    summary.frozen = frozen_seen.len();
    Ok(summary)
}

/// Households that any entry of the campaign, or any listed person, belongs to.
fn household_ids_condition(campaign_id: i32) -> Condition {
    Condition::any()
        .add(
            household::Column::Id.in_subquery(
                Query::select()
                    .column(entry::Column::HouseholdId)
                    .from(entry::Entity)
                    .and_where(entry::Column::CampaignId.eq(campaign_id))
                    .to_owned(),
            ),
        )
        .add(
            household::Column::Id.in_subquery(
                Query::select()
                    .column(person::Column::HouseholdId)
                    .from(person::Entity)
                    .and_where(person::Column::Id.in_subquery(listed_people(campaign_id)))
                    .to_owned(),
            ),
        )
}

/// `SELECT person_id FROM entries WHERE campaign_id = ?`: everyone listed in the campaign.
pub fn listed_people(campaign_id: i32) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(entry::Column::PersonId)
        .from(entry::Entity)
        .and_where(entry::Column::CampaignId.eq(campaign_id))
        .to_owned()
}

/// Every entry of a campaign as a [`Listing`], the household falling back to the person's
/// (two queries).
pub async fn campaign_listings(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> AppResult<Vec<Listing>> {
    let entries = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign_id))
        .order_by_asc(entry::Column::Id)
        .all(db)
        .await?;
    let person_households: HashMap<i32, i32> = person::Entity::find()
        .filter(person::Column::Id.in_subquery(listed_people(campaign_id)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.household_id.map(|h| (p.id, h)))
        .collect();
    Ok(entries
        .into_iter()
        .map(|e| Listing {
            entry_id: e.id,
            program_id: e.program_id,
            person_id: e.person_id,
            category_id: e.category_id,
            ward_list_id: e.ward_list_id,
            ward_id: e.ward_id,
            household_id: e
                .household_id
                .or_else(|| person_households.get(&e.person_id).copied()),
            file_amount: e.file_amount,
            amount: e.amount,
            status: e.status,
            former_ward_id: e.former_ward_id,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::gift_program;
    use crate::entities::states::FundingSource;

    fn rules(id: i32, per_household: bool, amounts: &[(i32, i64)]) -> ProgramRules {
        ProgramRules {
            program: gift_program::Model {
                id,
                campaign_id: 1,
                name: format!("P{id}"),
                funding_source: FundingSource::City,
                sponsor_name: None,
                goods_description: None,
                goods_quantity: None,
                one_per_person: true,
                one_per_household: per_household,
                use_file_amounts: false,
                payment_method: crate::entities::payment_states::PaymentMethod::Cash,
                created_at: Utc::now(),
            },
            amounts: amounts.iter().copied().collect(),
        }
    }

    fn listing(entry_id: i32, person_id: i32, category_id: i32, household: Option<i32>) -> Listing {
        Listing {
            entry_id,
            program_id: 1,
            person_id,
            category_id,
            ward_list_id: 10,
            ward_id: 100,
            household_id: household,
            file_amount: Some(123),
            amount: 123,
            status: EntryStatus::Pending,
            former_ward_id: None,
        }
    }

    #[test]
    fn a_person_in_two_categories_gets_one_gift_at_the_higher_rank() {
        let ranks = HashMap::from([(1, 80), (2, 40)]);
        let gifts = plan_gifts(
            &rules(2, false, &[(1, 600_000), (2, 500_000)]),
            &[listing(1, 7, 2, None), listing(2, 7, 1, None)],
            &ranks,
            &HashMap::new(),
        );
        assert_eq!(gifts.len(), 1);
        assert_eq!((gifts[0].category_id, gifts[0].amount), (1, 600_000));
        assert_eq!(gifts[0].file_amount, Some(123));
    }

    #[test]
    fn categories_without_an_amount_get_nothing() {
        let gifts = plan_gifts(
            &rules(2, false, &[(1, 600_000)]),
            &[listing(1, 7, 2, None)],
            &HashMap::new(),
            &HashMap::new(),
        );
        assert!(gifts.is_empty());
    }

    #[test]
    fn one_per_household_prefers_the_head_then_the_higher_rank() {
        let ranks = HashMap::from([(1, 80), (2, 40)]);
        let listings = [
            listing(1, 7, 2, Some(5)),
            listing(2, 8, 1, Some(5)),
            listing(3, 9, 2, Some(6)),
            listing(4, 10, 1, Some(6)),
        ];
        let gifts = plan_gifts(
            &rules(2, true, &[(1, 600_000), (2, 500_000)]),
            &listings,
            &ranks,
            &HashMap::from([(5, 7)]),
        );
        let people: Vec<i32> = gifts.iter().map(|g| g.person_id).collect();
        assert_eq!(people, vec![7, 10]);
    }
}
