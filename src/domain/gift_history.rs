//! A person's gifts over the years, for their page: every campaign's gift, whatever ward it
//! was listed in then. A ward that merged into another keeps its past gifts under its old
//! name, so they are found through the unit lineage rather than the ward of today.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::lineage;
use crate::domain::operator::Operator;
use crate::domain::people::find_person;
use crate::domain::units::{all_units, display_name};
use crate::entities::{campaign, category, entry, gift_program};
use crate::error::AppResult;

/// One gift of the person in one campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastGift {
    /// The campaign's year.
    pub year: i32,
    /// The campaign's title ("Tết Nguyên đán Ất Tỵ 2025").
    pub campaign_title: String,
    /// The program's name.
    pub program_name: String,
    /// The ward that listed the person that year ("Phường Hiệp Phú").
    pub ward_name: String,
    /// The pre-merger ward the row named, when it differs from the ward.
    pub former_ward_name: Option<String>,
    /// The category's name.
    pub category_name: String,
    /// Whole đồng.
    pub amount: i64,
    /// Whether it was handed out, in Vietnamese.
    pub status_label: &'static str,
}

/// Every gift of `person_id` the operator may see, newest year first: gifts listed in a
/// ward of the operator's units, or in a ward that went into the person's ward today (their
/// old ward before a merger). Refuses a person outside the operator's units.
pub async fn gift_history(
    db: &impl ConnectionTrait,
    operator: &Operator,
    person_id: i32,
) -> AppResult<Vec<PastGift>> {
    let person = find_person(db, operator, person_id).await?;
    let units = all_units(db).await?;
    let lineage = lineage::load(db).await?;
    let own_past = lineage.ancestry(person.ward_id);
    let entries: Vec<entry::Model> = entry::Entity::find()
        .filter(entry::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|e| operator.scope.allows(e.ward_id) || own_past.contains(&e.ward_id))
        .collect();
    let campaign_ids: Vec<i32> = entries.iter().map(|e| e.campaign_id).collect();
    let campaigns: HashMap<i32, campaign::Model> = campaign::Entity::find()
        .filter(campaign::Column::Id.is_in(campaign_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let programs: HashMap<i32, String> = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.is_in(campaign_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let categories: HashMap<i32, String> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let name = |id: i32| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(display_name)
            .unwrap_or_default()
    };
    let mut gifts: Vec<(i32, PastGift)> = entries
        .into_iter()
        .filter_map(|e| {
            let campaign = campaigns.get(&e.campaign_id)?;
            Some((
                e.id,
                PastGift {
                    year: campaign.year,
                    campaign_title: campaign.title.clone(),
                    program_name: programs.get(&e.program_id).cloned().unwrap_or_default(),
                    ward_name: name(e.ward_id),
                    former_ward_name: e
                        .former_ward_id
                        .filter(|&former| former != e.ward_id)
                        .map(name),
                    category_name: categories.get(&e.category_id).cloned().unwrap_or_default(),
                    amount: e.amount,
                    status_label: e.status.label(),
                },
            ))
        })
        .collect();
    gifts.sort_by(|(a_id, a), (b_id, b)| b.year.cmp(&a.year).then(a_id.cmp(b_id)));
    Ok(gifts.into_iter().map(|(_, gift)| gift).collect())
}
