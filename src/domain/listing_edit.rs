//! Changing what a listed person receives from their edit page: the category they are listed
//! under and the amount typed for them, saved together with their details in one
//! transaction. A blank amount takes each program's amount for the category (never 0 đ);
//! the list must still be editable and no gift of the listing handed out; the change is
//! audited with the category and amounts before and after.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession,
    TransactionTrait,
};
use serde::Serialize;

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::gift_planning::PlannedGift;
use crate::domain::operator::Operator;
use crate::domain::people::{PersonError, PersonInput, gifts_for_category, update_person};
use crate::domain::ward_lists::ensure_list_editable;
use crate::entities::states::EntryStatus;
use crate::entities::{category, entry, person};
use crate::error::{AppError, AppResult};

/// The listing fields of the edit form: which of the person's gifts the user came from, and
/// the category and amount as chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingChange {
    /// One gift of the listing (the row the user clicked on the list).
    pub entry_id: i32,
    /// The category chosen (`None`: none chosen).
    pub category_id: Option<i32>,
    /// The amount typed (`None`: blank, the programs' amounts).
    pub amount: Option<i64>,
}

/// The gift `entry_id` of `person_id`, which the edit page shows the category and amount of;
/// 404 when it is not that person's.
pub async fn listing_entry(
    db: &impl ConnectionTrait,
    person_id: i32,
    entry_id: i32,
) -> AppResult<entry::Model> {
    entry::Entity::find_by_id(entry_id)
        .filter(entry::Column::PersonId.eq(person_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy suất quà này của người này.".into()))
}

/// Saves a person's details and, when given, their listing's category and amount, in one
/// transaction: a refused listing change leaves the details unchanged too.
pub async fn save_person_and_listing<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    person_id: i32,
    input: &PersonInput,
    listing: Option<ListingChange>,
) -> Result<person::Model, PersonError> {
    let txn = begin_write(db).await?;
    let saved = update_person(&txn, operator, person_id, input).await?;
    if let Some(change) = listing {
        change_listing(&txn, operator, &saved, change).await?;
    }
    txn.commit().await?;
    Ok(saved)
}

/// What the audit records of a listing, before and after.
#[derive(Serialize)]
struct ListingAudit {
    category: String,
    typed_amount: Option<i64>,
    gifts: Vec<(i32, i64)>,
}

async fn change_listing(
    db: &impl ConnectionTrait,
    operator: &Operator,
    person: &person::Model,
    change: ListingChange,
) -> Result<(), PersonError> {
    let clicked = listing_entry(db, person.id, change.entry_id).await?;
    operator.scope.ensure(clicked.ward_id)?;
    let Some(category_id) = change.category_id else {
        return Err(PersonError::Fields(vec![(
            "category",
            "Hãy chọn đối tượng.".into(),
        )]));
    };
    let Some(category) = category::Entity::find_by_id(category_id).one(db).await? else {
        return Err(PersonError::Fields(vec![(
            "category",
            "Hãy chọn đối tượng.".into(),
        )]));
    };
    if change.amount.is_some_and(|a| a < 0) {
        return Err(PersonError::Fields(vec![(
            "amount",
            "Số tiền không được âm.".into(),
        )]));
    }
    if category.id == clicked.category_id && change.amount == clicked.file_amount {
        return Ok(());
    }
    let list = ensure_list_editable(db, clicked.ward_list_id).await?;
    let of_list = entry::Entity::find()
        .filter(entry::Column::WardListId.eq(list.id))
        .filter(entry::Column::PersonId.eq(person.id))
        .all(db)
        .await?;
    let listing: Vec<&entry::Model> = of_list
        .iter()
        .filter(|e| e.category_id == clicked.category_id)
        .collect();
    if listing.iter().any(|e| e.status != EntryStatus::Pending) {
        return Err(PersonError::Fields(vec![(
            "category",
            "Suất quà của người này đã được ghi nhận cấp phát: không đổi đối tượng hay số tiền \
             được nữa (hãy hoàn tác ghi nhận trước)."
                .into(),
        )]));
    }
    if category.id != clicked.category_id && of_list.iter().any(|e| e.category_id == category.id) {
        return Err(PersonError::Fields(vec![(
            "category",
            format!(
                "Người này đã có trong danh sách với đối tượng “{}”.",
                category.name
            ),
        )]));
    }
    let gifts = gifts_for_category(db, list.campaign_id, &category, change.amount).await?;
    let before_category = category::Entity::find_by_id(clicked.category_id)
        .one(db)
        .await?
        .map(|c| c.code)
        .unwrap_or_default();
    let before = ListingAudit {
        category: before_category,
        typed_amount: clicked.file_amount,
        gifts: listing.iter().map(|e| (e.program_id, e.amount)).collect(),
    };
    entry::Entity::delete_many()
        .filter(entry::Column::Id.is_in(listing.iter().map(|e| e.id)))
        .exec(db)
        .await?;
    let now = Utc::now();
    for gift in &gifts {
        let mut row = PlannedGift {
            person_id: person.id,
            category_id: category.id,
            ward_list_id: list.id,
            ward_id: list.ward_id,
            household_id: clicked.household_id,
            amount: gift.amount,
            file_amount: change.amount,
            former_ward_id: clicked.former_ward_id,
        }
        .pending_entry(list.campaign_id, gift.program_id, now);
        // What the ward's file said of the row stays with it.
        row.note = sea_orm::Set(clicked.note.clone());
        row.import_batch_id = sea_orm::Set(clicked.import_batch_id);
        row.source_row = sea_orm::Set(clicked.source_row);
        row.insert(db).await?;
    }
    let after = ListingAudit {
        category: category.code,
        typed_amount: change.amount,
        gifts: gifts.iter().map(|g| (g.program_id, g.amount)).collect(),
    };
    audit::record(
        db,
        &operator.actor,
        AuditEvent {
            action: "entry.change_listing",
            entity_type: "person",
            entity_id: Some(person.id.to_string()),
            unit_id: Some(list.ward_id),
        },
        Some(&before),
        Some(&after),
    )
    .await?;
    Ok(())
}
