//! Gift programs of a campaign: a program as it is typed in, its checks, adding, changing and
//! listing programs, and their cash per category. What each listed person then receives is
//! `domain::gift_planning`.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::campaigns::ensure_campaign_open;
use crate::domain::gift_planning::{ComputeSummary, compute_program_entries};
use crate::domain::operator::Operator;
use crate::entities::payment_states::PaymentMethod;
use crate::entities::states::FundingSource;
use crate::entities::{campaign, category, gift_program, program_amount};
use crate::error::{AppError, AppResult};

/// A program as it is typed in: the fields and the cash amount per category code.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProgramInput {
    /// The program's name, unique in the campaign ("Quà của Chủ tịch nước").
    pub name: String,
    /// Who pays.
    pub funding_source: FundingSource,
    /// The sponsor's name; required when the source is `sponsor`.
    #[serde(default)]
    pub sponsor_name: Option<String>,
    /// Goods given with (or instead of) the cash ("1 phần quà gồm gạo, dầu ăn").
    #[serde(default)]
    pub goods_description: Option<String>,
    /// How many of the goods each recipient gets.
    #[serde(default)]
    pub goods_quantity: Option<i32>,
    /// One gift per household (a martyr's family: one representative).
    #[serde(default)]
    pub one_per_household: bool,
    /// Cash per category code (whole đồng); a goods-only program lists its categories with 0.
    pub amounts: Vec<CategoryAmount>,
    /// How the gifts are paid; none keeps a program's method (a new one pays cash).
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
}

/// The cash a program gives one category.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CategoryAmount {
    /// The category's code in the catalogue (TNLS, HN, BMVNAH…).
    pub category: String,
    /// Whole đồng.
    pub amount: i64,
}

/// A program with its amounts, as shown and returned by the API.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgramDetail {
    /// Its id.
    pub id: i32,
    /// Its name.
    pub name: String,
    /// Who pays.
    pub funding_source: FundingSource,
    /// The funding source in Vietnamese.
    pub funding_label: String,
    /// The sponsor, for sponsored programs.
    pub sponsor_name: Option<String>,
    /// The goods, if any.
    pub goods_description: Option<String>,
    /// How many goods per recipient.
    pub goods_quantity: Option<i32>,
    /// One gift per person, at the highest level.
    pub one_per_person: bool,
    /// One gift per household.
    pub one_per_household: bool,
    /// Takes the amounts typed in the wards' files (the default program).
    pub use_file_amounts: bool,
    /// Cash per category.
    /// How the gifts are paid: cash, goods, transfer, or transfer else cash.
    pub payment_method: PaymentMethod,
    pub amounts: Vec<CategoryAmount>,
}

/// The programs of a campaign with their amounts, in creation order (two queries).
pub async fn programs_of(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> AppResult<Vec<ProgramDetail>> {
    let programs = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign_id))
        .order_by_asc(gift_program::Column::Id)
        .all(db)
        .await?;
    let amounts = program_amount::Entity::find()
        .filter(
            program_amount::Column::ProgramId.in_subquery(
                Query::select()
                    .column(gift_program::Column::Id)
                    .from(gift_program::Entity)
                    .and_where(gift_program::Column::CampaignId.eq(campaign_id))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?;
    let codes: HashMap<i32, String> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    Ok(programs
        .into_iter()
        .map(|program| detail(program, &amounts, &codes))
        .collect())
}

fn detail(
    program: gift_program::Model,
    amounts: &[program_amount::Model],
    codes: &HashMap<i32, String>,
) -> ProgramDetail {
    ProgramDetail {
        id: program.id,
        funding_source: program.funding_source,
        funding_label: program.funding_source.label().to_owned(),
        payment_method: program.payment_method,
        amounts: amounts
            .iter()
            .filter(|a| a.program_id == program.id)
            .map(|a| CategoryAmount {
                category: codes.get(&a.category_id).cloned().unwrap_or_default(),
                amount: a.amount,
            })
            .collect(),
        name: program.name,
        sponsor_name: program.sponsor_name,
        goods_description: program.goods_description,
        goods_quantity: program.goods_quantity,
        one_per_person: program.one_per_person,
        one_per_household: program.one_per_household,
        use_file_amounts: program.use_file_amounts,
    }
}

/// The checked, cleaned input with category codes resolved to ids.
struct CheckedInput {
    name: String,
    sponsor_name: Option<String>,
    goods_description: Option<String>,
    amounts: Vec<(i32, i64)>,
}

async fn check_input(db: &impl ConnectionTrait, input: &ProgramInput) -> AppResult<CheckedInput> {
    let clean = |text: &Option<String>| {
        text.as_deref()
            .map(crate::vn::text::normalize)
            .filter(|t| !t.is_empty())
    };
    let name = crate::vn::text::normalize(&input.name);
    if name.is_empty() {
        return Err(AppError::Invalid(
            "Hãy đặt tên cho chương trình quà.".into(),
        ));
    }
    let sponsor_name = clean(&input.sponsor_name);
    if input.funding_source == FundingSource::Sponsor && sponsor_name.is_none() {
        return Err(AppError::Invalid(
            "Chương trình xã hội hóa cần ghi tên nhà tài trợ.".into(),
        ));
    }
    let goods_description = clean(&input.goods_description);
    if input.goods_quantity.is_some_and(|q| q <= 0) {
        return Err(AppError::Invalid(
            "Số lượng hiện vật phải là số nguyên dương.".into(),
        ));
    }
    if input.amounts.is_empty() {
        return Err(AppError::Invalid(
            "Hãy nhập mức quà cho ít nhất một đối tượng (ghi 0 nếu chỉ tặng hiện vật).".into(),
        ));
    }
    let categories: HashMap<String, i32> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (crate::vn::text::fold_key(&c.code), c.id))
        .collect();
    let mut amounts = Vec::with_capacity(input.amounts.len());
    let mut seen = HashSet::new();
    for item in &input.amounts {
        let Some(&category_id) = categories.get(&crate::vn::text::fold_key(&item.category)) else {
            return Err(AppError::Invalid(format!(
                "Không có đối tượng mã “{}” trong danh mục.",
                item.category.trim()
            )));
        };
        if item.amount < 0 {
            return Err(AppError::Invalid(format!(
                "Mức quà của “{}” không được âm.",
                item.category.trim()
            )));
        }
        if !seen.insert(category_id) {
            return Err(AppError::Invalid(format!(
                "Đối tượng “{}” được nhập mức quà hai lần.",
                item.category.trim()
            )));
        }
        amounts.push((category_id, item.amount));
    }
    Ok(CheckedInput {
        name,
        sponsor_name,
        goods_description,
        amounts,
    })
}

const DUPLICATE_NAME: &str = "Đợt quà đã có một chương trình trùng tên.";

/// Adds a program to a campaign with its amounts and computes its entries for everyone
/// already listed, in one transaction. District staff (or an administrator) of the unit
/// running the campaign only; the campaign must be open.
pub async fn add_program<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    input: &ProgramInput,
) -> AppResult<(ProgramDetail, ComputeSummary)> {
    operator.ensure_manages(campaign)?;
    ensure_campaign_open(campaign)?;
    let checked = check_input(db, input).await?;
    let txn = begin_write(db).await?;
    let program = gift_program::ActiveModel {
        campaign_id: Set(campaign.id),
        name: Set(checked.name),
        funding_source: Set(input.funding_source),
        sponsor_name: Set(checked.sponsor_name),
        goods_description: Set(checked.goods_description),
        goods_quantity: Set(input.goods_quantity),
        one_per_person: Set(true),
        one_per_household: Set(input.one_per_household),
        use_file_amounts: Set(false),
        payment_method: Set(input.payment_method.unwrap_or(PaymentMethod::Cash)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| AppError::on_unique_violation(err, DUPLICATE_NAME))?;
    store_amounts(&txn, program.id, &checked.amounts).await?;
    let summary = compute_program_entries(&txn, program.id).await?;
    let shown = program_detail(&txn, program.id).await?;
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "program.create",
            entity_type: "gift_program",
            entity_id: Some(program.id.to_string()),
            unit_id: Some(campaign.unit_id),
        },
        None,
        Some(&serde_json::json!({ "program": &shown, "computed": &summary })),
    )
    .await?;
    txn.commit().await?;
    Ok((shown, summary))
}

/// Changes a program's fields and amounts and recomputes its entries, in one transaction.
/// The default program keeps taking the amounts typed in the wards' files.
pub async fn update_program<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    program_id: i32,
    input: &ProgramInput,
) -> AppResult<(ProgramDetail, ComputeSummary)> {
    let (program, campaign) = program_and_campaign(db, program_id).await?;
    operator.ensure_manages(&campaign)?;
    ensure_campaign_open(&campaign)?;
    let checked = check_input(db, input).await?;
    let txn = begin_write(db).await?;
    let before = program_detail(&txn, program.id).await?;
    let mut active: gift_program::ActiveModel = program.clone().into();
    active.name = Set(checked.name);
    active.funding_source = Set(input.funding_source);
    active.sponsor_name = Set(checked.sponsor_name);
    active.goods_description = Set(checked.goods_description);
    active.goods_quantity = Set(input.goods_quantity);
    active.one_per_household = Set(input.one_per_household);
    if let Some(method) = input.payment_method {
        active.payment_method = Set(method);
    }
    active
        .update(&txn)
        .await
        .map_err(|err| AppError::on_unique_violation(err, DUPLICATE_NAME))?;
    program_amount::Entity::delete_many()
        .filter(program_amount::Column::ProgramId.eq(program.id))
        .exec(&txn)
        .await?;
    store_amounts(&txn, program.id, &checked.amounts).await?;
    let summary = compute_program_entries(&txn, program.id).await?;
    let after = program_detail(&txn, program.id).await?;
    audit::record(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "program.update",
            entity_type: "gift_program",
            entity_id: Some(program.id.to_string()),
            unit_id: Some(campaign.unit_id),
        },
        Some(&before),
        Some(&serde_json::json!({ "program": &after, "computed": &summary })),
    )
    .await?;
    txn.commit().await?;
    Ok((after, summary))
}

pub(crate) async fn program_and_campaign(
    db: &impl ConnectionTrait,
    program_id: i32,
) -> AppResult<(gift_program::Model, campaign::Model)> {
    let program = gift_program::Entity::find_by_id(program_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy chương trình quà.".into()))?;
    let campaign = campaign::Entity::find_by_id(program.campaign_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy đợt quà.".into()))?;
    Ok((program, campaign))
}

async fn program_detail(db: &impl ConnectionTrait, program_id: i32) -> AppResult<ProgramDetail> {
    let (program, _) = program_and_campaign(db, program_id).await?;
    let amounts = program_amount::Entity::find()
        .filter(program_amount::Column::ProgramId.eq(program_id))
        .all(db)
        .await?;
    let codes = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    Ok(detail(program, &amounts, &codes))
}

async fn store_amounts(
    db: &impl ConnectionTrait,
    program_id: i32,
    amounts: &[(i32, i64)],
) -> AppResult<()> {
    if amounts.is_empty() {
        return Ok(());
    }
    program_amount::Entity::insert_many(amounts.iter().map(|&(category_id, amount)| {
        program_amount::ActiveModel {
            program_id: Set(program_id),
            category_id: Set(category_id),
            amount: Set(amount),
            ..Default::default()
        }
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}
