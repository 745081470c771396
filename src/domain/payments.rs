//! Paying gifts by transfer (DOMAIN.md "How the state's gifts are paid"): how a program
//! pays, each person's payment account, the transfer batch (a list sent to the bank or the
//! Treasury) and the bank's results coming back.
//!
//! An entry's transfer lives in `payment_items`, one row per entry ever sent (unique), so an
//! entry is never in two batches. A confirmed transfer also marks the entry received (on the
//! transfer's date), so the distribution states and every count built on them keep working;
//! a failed or returned transfer leaves the entry pending, for the ward's cash round.
//! Account numbers are personal data: they leave this module in full only in a transfer
//! list, and never reach a log or the audit trail.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, RelationDef, Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::operator::Operator;
use crate::domain::programs::program_and_campaign;
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, display_name};
use crate::entities::payment_states::{AccountKind, PaymentMethod, PaymentState};
use crate::entities::states::{EntryStatus, ListStatus, Role, Sector};
use crate::entities::{
    bank, campaign, category, entry, gift_program, payment_account, payment_batch, payment_item,
    person, ward_list,
};
use crate::error::{AppError, AppResult};
use crate::export::{
    Outcome, Program, SettlementFigures, Signers, TransferGroup, TransferList, TransferRow,
    TransferState, write_transfer_csv, write_transfer_list,
};
use crate::import::payment_results::{ResultRow, TransferOutcome};
use crate::import::{KnownBank, TypedAccount};
use crate::vn::banks::{BankNames, mask_account, match_bank, parse_account_number};

/// Sets how a program pays (`chamlo program edit --payment`, the program page). District
/// staff of the campaign's unit or an administrator.
pub async fn set_payment_method<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    program_id: i32,
    method: PaymentMethod,
) -> AppResult<gift_program::Model> {
    let (program, campaign) = program_and_campaign(db, program_id).await?;
    operator.ensure_manages(&campaign)?;
    let txn = begin_write(db).await?;
    let before = program.payment_method;
    let mut active: gift_program::ActiveModel = program.into();
    active.payment_method = Set(method);
    let program = active.update(&txn).await?;
    audit::record(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "program.payment_method",
            entity_type: "gift_program",
            entity_id: Some(program.id.to_string()),
            unit_id: Some(campaign.unit_id),
        },
        Some(&before),
        Some(&method),
    )
    .await?;
    txn.commit().await?;
    Ok(program)
}

/// The campaign's default program (the one taking the wards' file amounts), or its first.
pub async fn default_program(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> AppResult<gift_program::Model> {
    let programs = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign_id))
        .order_by_asc(gift_program::Column::Id)
        .all(db)
        .await?;
    programs
        .iter()
        .find(|p| p.use_file_amounts)
        .or(programs.first())
        .cloned()
        .ok_or_else(|| AppError::NotFound("Đợt quà chưa có chương trình nào.".into()))
}

/// A payment account as typed on the person's page or read from a ward file.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AccountInput {
    /// social_security, bank or e_wallet.
    pub kind: AccountKind,
    /// The bank as typed: a BIN, a short name or a common name ("VCB", "NH Ngoại thương").
    #[serde(default)]
    pub bank: String,
    /// The account number (digits; spaces and dots are dropped).
    pub account_number: String,
    /// The holder's name, when it differs from the person's.
    #[serde(default)]
    pub holder_name: Option<String>,
}

/// A payment account as pages and the API show it: the number masked unless the viewer
/// pays (see [`sees_full_accounts`]).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    /// The kind of account.
    pub kind: AccountKind,
    /// Its Vietnamese label.
    pub kind_label: String,
    /// The bank's NAPAS BIN.
    pub bank_bin: Option<String>,
    /// The bank's short name.
    pub bank_name: Option<String>,
    /// The number, masked to its last four digits for whoever does not pay.
    pub account_number: String,
    /// The holder's name.
    pub holder_name: Option<String>,
}

/// Whether the operator sees account numbers in full: a ward's own officers and the
/// administrators who export payments. District supervisors see them masked.
pub fn sees_full_accounts(operator: &Operator, ward_id: i32) -> bool {
    match operator.role {
        Role::Admin => true,
        Role::Ward => operator.scope.allows(ward_id),
        _ => false,
    }
}

/// The banks, in the order of their short names.
pub async fn banks(db: &impl ConnectionTrait) -> AppResult<Vec<bank::Model>> {
    Ok(bank::Entity::find()
        .order_by_asc(bank::Column::ShortName)
        .all(db)
        .await?)
}

/// The banks as the import matches a file's "Ngân hàng" column against them.
pub async fn known_banks(db: &impl ConnectionTrait) -> Result<Vec<KnownBank>, sea_orm::DbErr> {
    Ok(bank::Entity::find()
        .all(db)
        .await?
        .iter()
        .map(|b| KnownBank {
            bin: b.bin.clone(),
            names: b.names().into_iter().map(str::to_owned).collect(),
        })
        .collect())
}

/// Stores the accounts a committed ward file gave, inside the import's transaction, after its
/// people are stored: each `(person id, ward id, account)` replaces the person's account when
/// it differs, audited with the number masked, never logged. Unchanged accounts write nothing,
/// so the same file committed again changes nothing.
pub async fn store_imported_accounts(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    accounts: &[(i32, i32, &TypedAccount)],
) -> AppResult<()> {
    for &(person_id, ward_id, typed) in accounts {
        let kind = if typed.social_security {
            AccountKind::SocialSecurity
        } else {
            AccountKind::Bank
        };
        let existing = payment_account::Entity::find()
            .filter(payment_account::Column::PersonId.eq(person_id))
            .one(txn)
            .await?;
        if let Some(known) = &existing
            && known.kind == kind
            && known.account_number == typed.number
            && known.bank_bin == typed.bank_bin
            && known.holder_name == typed.holder
        {
            continue;
        }
        let before = existing.as_ref().map(audited);
        let mut active = match existing {
            Some(account) => account.into(),
            None => payment_account::ActiveModel {
                person_id: Set(person_id),
                ..Default::default()
            },
        };
        active.kind = Set(kind);
        active.bank_bin = Set(typed.bank_bin.clone());
        active.account_number = Set(typed.number.clone());
        active.holder_name = Set(typed.holder.clone());
        active.updated_at = Set(Utc::now());
        let saved: payment_account::Model = active.save(txn).await?.try_into()?;
        audit::record(
            txn,
            actor,
            AuditEvent {
                action: "payment_account.import",
                entity_type: "person",
                entity_id: Some(person_id.to_string()),
                unit_id: Some(ward_id),
            },
            before.as_ref(),
            Some(&audited(&saved)),
        )
        .await?;
    }
    Ok(())
}

/// A checked account, ready to store: the matched bank and the digits.
struct CheckedAccount {
    kind: AccountKind,
    bank_bin: Option<String>,
    number: String,
    holder: Option<String>,
}

fn check_account(input: &AccountInput, banks: &[bank::Model]) -> AppResult<CheckedAccount> {
    let number = parse_account_number(&input.account_number)
        .map_err(|p| AppError::Invalid(p.message()))?
        .ok_or_else(|| AppError::Invalid("Hãy nhập số tài khoản.".into()))?;
    let bank_text = input.bank.trim();
    let bank_bin = if bank_text.is_empty() {
        if input.kind == AccountKind::Bank {
            return Err(AppError::Invalid(
                "Hãy nhập ngân hàng của tài khoản (tên viết tắt như “VCB” hoặc mã BIN như “970436”)."
                    .into(),
            ));
        }
        None
    } else {
        Some(
            match_bank(bank_text, banks)
                .ok_or_else(|| {
                    AppError::Invalid(format!(
                        "Không nhận ra ngân hàng “{bank_text}”. Hãy nhập tên viết tắt (VCB, BIDV, Agribank…) hoặc mã BIN gồm 6 chữ số."
                    ))
                })?
                .bin
                .clone(),
        )
    };
    let holder = input
        .holder_name
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_owned);
    Ok(CheckedAccount {
        kind: input.kind,
        bank_bin,
        number,
        holder,
    })
}

/// What the audit trail keeps of an account: never the full number.
fn audited(account: &payment_account::Model) -> serde_json::Value {
    serde_json::json!({
        "kind": account.kind,
        "bank_bin": account.bank_bin,
        "account_number": mask_account(&account.account_number),
        "holder_name": account.holder_name,
    })
}

/// Saves a person's payment account (one per person), in one transaction, audited with the
/// number masked. The ward's officers, district staff over the ward, or an administrator.
pub async fn save_account<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    person_id: i32,
    input: &AccountInput,
) -> AppResult<payment_account::Model> {
    // The person as the operator may see them (a sector reviewer: only their sectors').
    let person = crate::domain::people::find_person(db, operator, person_id).await?;
    let banks = banks(db).await?;
    let checked = check_account(input, &banks)?;
    let txn = begin_write(db).await?;
    let existing = payment_account::Entity::find()
        .filter(payment_account::Column::PersonId.eq(person_id))
        .one(&txn)
        .await?;
    let before = existing.as_ref().map(audited);
    let mut active = match existing {
        Some(account) => account.into(),
        None => payment_account::ActiveModel {
            person_id: Set(person_id),
            ..Default::default()
        },
    };
    active.kind = Set(checked.kind);
    active.bank_bin = Set(checked.bank_bin);
    active.account_number = Set(checked.number);
    active.holder_name = Set(checked.holder);
    active.updated_at = Set(Utc::now());
    let saved = active.save(&txn).await?;
    let saved: payment_account::Model = saved.try_into()?;
    audit::record(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "payment_account.save",
            entity_type: "person",
            entity_id: Some(person_id.to_string()),
            unit_id: Some(person.ward_id),
        },
        before.as_ref(),
        Some(&audited(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A person's payment account as the operator may see it.
pub async fn account_of(
    db: &impl ConnectionTrait,
    operator: &Operator,
    person_id: i32,
) -> AppResult<Option<AccountView>> {
    // The person as the operator may see them (a sector reviewer: only their sectors').
    let person = crate::domain::people::find_person(db, operator, person_id).await?;
    let Some(account) = payment_account::Entity::find()
        .filter(payment_account::Column::PersonId.eq(person_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let bank = match &account.bank_bin {
        Some(bin) => bank::Entity::find_by_id(bin.clone()).one(db).await?,
        None => None,
    };
    let full = sees_full_accounts(operator, person.ward_id);
    Ok(Some(AccountView {
        kind: account.kind,
        kind_label: account.kind.label().to_owned(),
        bank_bin: account.bank_bin.clone(),
        bank_name: bank.map(|b| b.short_name),
        account_number: if full {
            account.account_number.clone()
        } else {
            mask_account(&account.account_number)
        },
        holder_name: account.holder_name,
    }))
}

/// A transfer batch just made: its row and the list to write.
pub struct MadeBatch {
    /// The stored batch.
    pub batch: payment_batch::Model,
    /// The rows, full account numbers included.
    pub list: TransferList,
    /// The transfer list workbook.
    pub xlsx: Vec<u8>,
    /// The same rows as CSV for a bank's batch upload.
    pub csv: String,
}

/// Makes the transfer batch of a program (for one ward, or every ward the operator
/// supervises): every entry still to pay whose person has an account and that was never
/// sent before. One transaction: the batch, its items and the audit event, or nothing.
/// Administrators and district staff over the campaign (the payment exporters).
pub async fn make_transfer_batch<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    program_id: i32,
    ward_id: Option<i32>,
) -> AppResult<MadeBatch> {
    operator.ensure_manages(campaign)?;
    let (program, program_campaign) = program_and_campaign(db, program_id).await?;
    if program_campaign.id != campaign.id {
        return Err(AppError::NotFound(
            "Chương trình không thuộc đợt quà này.".into(),
        ));
    }
    if !program.payment_method.transfers() {
        return Err(AppError::Invalid(format!(
            "Chương trình “{}” chi trả bằng {}, không chuyển khoản. Hãy đổi cách chi trả của chương trình trước khi lập danh sách chuyển khoản.",
            program.name,
            program.payment_method.label().to_lowercase()
        )));
    }
    if let Some(ward) = ward_id {
        operator.scope.ensure(ward)?;
    }
    let txn = begin_write(db).await?;
    let mut query = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .filter(entry::Column::ProgramId.eq(program.id))
        .filter(entry::Column::Status.eq(EntryStatus::Pending))
        .filter(operator.scope.entry_condition())
        // Only approved lists are paid: a draft can still change.
        .filter(
            entry::Column::WardListId.in_subquery(
                Query::select()
                    .column(ward_list::Column::Id)
                    .from(ward_list::Entity)
                    .and_where(ward_list::Column::CampaignId.eq(campaign.id))
                    .and_where(ward_list::Column::Status.eq(ListStatus::Approved))
                    .to_owned(),
            ),
        )
        .order_by_asc(entry::Column::WardId)
        .order_by_asc(entry::Column::Id);
    if let Some(ward) = ward_id {
        query = query.filter(entry::Column::WardId.eq(ward));
    }
    let entries = query.all(&txn).await?;
    let sent: std::collections::HashSet<i32> = payment_item::Entity::find()
        .filter(payment_item::Column::EntryId.is_in(entries.iter().map(|e| e.id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|i| i.entry_id)
        .collect();
    let person_ids: Vec<i32> = entries.iter().map(|e| e.person_id).collect();
    let accounts: HashMap<i32, payment_account::Model> = payment_account::Entity::find()
        .filter(payment_account::Column::PersonId.is_in(person_ids.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.person_id, a))
        .collect();
    let people: HashMap<i32, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let bank_names: HashMap<String, String> = banks(&txn)
        .await?
        .into_iter()
        .map(|b| (b.bin, b.short_name))
        .collect();
    let to_send: Vec<(&entry::Model, &person::Model, &payment_account::Model)> = entries
        .iter()
        .filter(|e| !sent.contains(&e.id) && e.amount > 0)
        .filter_map(|e| Some((e, people.get(&e.person_id)?, accounts.get(&e.person_id)?)))
        .collect();
    if to_send.is_empty() {
        return Err(AppError::Invalid(
            "Không còn ai để chuyển khoản: mọi người có tài khoản trong danh sách đã duyệt đều đã được đưa vào một đợt chuyển khoản hoặc đã nhận quà (hoặc chưa ai có tài khoản, hoặc danh sách chưa được duyệt).".into(),
        ));
    }
    let total: i64 = to_send.iter().map(|(e, _, _)| e.amount).sum();
    let batch = payment_batch::ActiveModel {
        campaign_id: Set(campaign.id),
        program_id: Set(program.id),
        ward_id: Set(ward_id),
        entry_count: Set(i32::try_from(to_send.len()).unwrap_or(i32::MAX)),
        total_amount: Set(total),
        created_by: Set(operator.actor.name.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let now = Utc::now();
    payment_item::Entity::insert_many(to_send.iter().map(|(e, _, _)| {
        payment_item::ActiveModel {
            entry_id: Set(e.id),
            batch_id: Set(batch.id),
            amount: Set(e.amount),
            state: Set(PaymentState::Sent),
            paid_on: Set(None),
            reason: Set(None),
            updated_at: Set(now),
            ..Default::default()
        }
    }))
    .exec_without_returning(&txn)
    .await
    .map_err(|err| {
        AppError::on_unique_violation(
            err,
            "Một người trong danh sách vừa được đưa vào đợt chuyển khoản khác. Hãy lập lại danh sách.",
        )
    })?;
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "payment.batch_export",
            entity_type: "payment_batch",
            entity_id: Some(batch.id.to_string()),
            unit_id: Some(ward_id.unwrap_or(campaign.unit_id)),
        },
        None,
        Some(&serde_json::json!({
            "program_id": program.id,
            "ward_id": ward_id,
            "entries": batch.entry_count,
            "total_amount": total,
        })),
    )
    .await?;

    let units = all_units(&txn).await?;
    let unit_name = |id: i32| units.iter().find(|u| u.id == id);
    let issuing = ward_id.and_then(unit_name);
    let parent = issuing
        .and_then(|w| w.parent_id)
        .or(Some(campaign.unit_id))
        .and_then(unit_name)
        .map(display_name)
        .unwrap_or_default();
    let list = TransferList {
        place: parent.clone(),
        parent_unit: parent,
        unit: issuing.map(display_name),
        date: None,
        program: Program {
            id: i64::from(program.id),
            name: program.name.clone(),
            funding: program.funding_source,
            sponsor_name: program.sponsor_name.clone(),
            budget: None,
        },
        batch_id: i64::from(batch.id),
        rows: to_send
            .iter()
            .map(|(e, p, a)| TransferRow {
                entry_id: i64::from(e.id),
                full_name: p.full_name.clone(),
                id_number: p.national_id.clone(),
                account_number: a.account_number.clone(),
                bank_name: a
                    .bank_bin
                    .as_ref()
                    .and_then(|bin| bank_names.get(bin))
                    .cloned()
                    .unwrap_or_default(),
                bank_bin: a.bank_bin.clone().unwrap_or_default(),
                holder_name: a.holder_name.clone().unwrap_or_else(|| p.full_name.clone()),
                amount: e.amount,
            })
            .collect(),
        signers: Signers::default(),
    };
    // Written before the commit: a list that cannot be written leaves no batch behind.
    let xlsx = write_transfer_list(&list).map_err(|e| AppError::Other(e.into()))?;
    let csv = write_transfer_csv(&list);
    // Kept with the batch, in its transaction, so a re-download gives the very same bytes.
    crate::domain::payment_batches::store_batch_files(&txn, batch.id, &xlsx, &csv).await?;
    txn.commit().await?;
    Ok(MadeBatch {
        batch,
        list,
        xlsx,
        csv,
    })
}

/// A result row that changed nothing, with why (Vietnamese, for the officer).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnmatchedRow {
    /// The row's number in the file.
    pub row: u32,
    /// Why it was not applied.
    pub reason: String,
}

/// What a result file did: the `chamlo payments results --json` contract.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ResultsSummary {
    /// Transfers confirmed by this file.
    pub applied: usize,
    /// Transfers that failed, recorded by this file.
    pub failed: usize,
    /// Transfers returned, recorded by this file.
    pub returned: usize,
    /// Rows that could not be matched exactly, with the reason.
    pub unmatched: Vec<UnmatchedRow>,
    /// Rows already recorded the same way (the same file read twice).
    pub already_applied: usize,
}

const UNKNOWN_PERSON: &str = "Không tìm thấy người có số định danh hoặc số tài khoản này.";
const NOT_IN_BATCH: &str = "Người này không có trong đợt chuyển khoản nào.";
const OUTSIDE_WARDS: &str = "Người này thuộc đơn vị ngoài phạm vi của bạn.";
const OUTSIDE_SECTORS: &str =
    "Người này thuộc lĩnh vực ngoài phạm vi của bạn (đối tượng do sở, ngành khác xét duyệt).";

/// Applies a bank's result rows to the campaign's transfer batches, in one transaction.
/// A row is applied only when it matches exactly one item (by ID number, else account
/// number) with the same amount; every other row is reported with its reason. Rows already
/// recorded the same way count as `already_applied`, so reading a file twice changes
/// nothing. Administrators and district staff over the campaign.
pub async fn apply_results<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    rows: &[ResultRow],
    file_name: &str,
) -> AppResult<ResultsSummary> {
    operator.ensure_manages(campaign)?;
    let txn = begin_write(db).await?;
    let summary = record_results(&txn, operator, campaign, rows).await?;
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "payment.results_import",
            entity_type: "campaign",
            entity_id: Some(campaign.id.to_string()),
            unit_id: Some(campaign.unit_id),
        },
        None,
        Some(&serde_json::json!({ "file": file_name, "rows": rows.len(), "summary": &summary })),
    )
    .await?;
    txn.commit().await?;
    Ok(summary)
}

/// What [`apply_results`] would do with `rows`, storing nothing: the same work in a
/// transaction that is rolled back, so the preview and the applying can never disagree.
pub async fn preview_results<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    rows: &[ResultRow],
) -> AppResult<ResultsSummary> {
    operator.ensure_manages(campaign)?;
    let txn = begin_write(db).await?;
    let summary = record_results(&txn, operator, campaign, rows).await?;
    txn.rollback().await?;
    Ok(summary)
}

/// The work of [`apply_results`] inside the caller's transaction, without its audit event.
async fn record_results(
    txn: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    rows: &[ResultRow],
) -> AppResult<ResultsSummary> {
    let sectors: HashMap<i32, Sector> = category::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.sector))
        .collect();
    let batches: Vec<i32> = payment_batch::Entity::find()
        .filter(payment_batch::Column::CampaignId.eq(campaign.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect();
    let items = payment_item::Entity::find()
        .filter(payment_item::Column::BatchId.is_in(batches))
        .all(txn)
        .await?;
    let entries: HashMap<i32, entry::Model> = entry::Entity::find()
        .filter(entry::Column::Id.is_in(items.iter().map(|i| i.entry_id)))
        .all(txn)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut summary = ResultsSummary::default();
    let mut items: Vec<payment_item::Model> = items;
    // A row without a date was paid on the day it is read, in Vietnam (UTC+7).
    let today = crate::domain::clock::vietnam_today();
    for row in rows {
        let outcome = match row.outcome {
            Some(outcome) => outcome,
            None => {
                summary.unmatched.push(UnmatchedRow {
                    row: row.row,
                    reason: format!(
                        "Trạng thái “{}” không phải “Thành công”, “Thất bại” hay “Hoàn trả”.",
                        row.status_text
                    ),
                });
                continue;
            }
        };
        let Some(amount) = row.amount else {
            summary.unmatched.push(UnmatchedRow {
                row: row.row,
                reason: "Không đọc được số tiền.".into(),
            });
            continue;
        };
        let person_ids = people_matching(txn, row).await?;
        if person_ids.is_empty() {
            summary.unmatched.push(UnmatchedRow {
                row: row.row,
                reason: UNKNOWN_PERSON.into(),
            });
            continue;
        }
        let candidates: Vec<usize> = items
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                entries
                    .get(&i.entry_id)
                    .is_some_and(|e| person_ids.contains(&e.person_id))
            })
            .map(|(n, _)| n)
            .collect();
        if candidates.is_empty() {
            summary.unmatched.push(UnmatchedRow {
                row: row.row,
                reason: NOT_IN_BATCH.into(),
            });
            continue;
        }
        let same_amount: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&n| items[n].amount == amount)
            .collect();
        let index = match same_amount.as_slice() {
            [] => {
                summary.unmatched.push(UnmatchedRow {
                    row: row.row,
                    reason: format!(
                        "Số tiền {} khác số tiền đã gửi chuyển khoản ({}).",
                        crate::vn::money_words::format_vnd(amount),
                        crate::vn::money_words::format_vnd(items[candidates[0]].amount)
                    ),
                });
                continue;
            }
            [one] => *one,
            _ => {
                summary.unmatched.push(UnmatchedRow {
                    row: row.row,
                    reason: "Người này có nhiều khoản chuyển cùng số tiền; không thể biết dòng này ứng với khoản nào.".into(),
                });
                continue;
            }
        };
        let target = match outcome {
            TransferOutcome::Succeeded => PaymentState::Transferred,
            TransferOutcome::Failed => PaymentState::Failed,
            TransferOutcome::Returned => PaymentState::Returned,
        };
        let item = &items[index];
        let entry = &entries[&item.entry_id];
        // Checked before anything else is said about the entry, so a row outside the
        // operator's wards or sectors reveals nothing of it.
        let outside = if !operator.scope.allows(entry.ward_id) {
            Some(OUTSIDE_WARDS)
        } else if !sectors
            .get(&entry.category_id)
            .is_some_and(|&sector| operator.scope.allows_sector(sector))
        {
            Some(OUTSIDE_SECTORS)
        } else {
            None
        };
        if let Some(reason) = outside {
            summary.unmatched.push(UnmatchedRow {
                row: row.row,
                reason: reason.into(),
            });
            continue;
        }
        if item.state == target {
            summary.already_applied += 1;
            continue;
        }
        let refusal = match (item.state, target) {
            (PaymentState::Transferred, _) => {
                Some("Khoản này đã được ghi nhận chuyển khoản thành công.".to_owned())
            }
            // A return after a success was handled above; after a failure nothing came back.
            (PaymentState::Failed | PaymentState::Returned, _) => Some(format!(
                "Khoản này đã được ghi nhận “{}”.",
                item.state.label()
            )),
            (PaymentState::Sent, _) if entry.status != EntryStatus::Pending => {
                Some("Người này đã nhận quà (đã ghi nhận trên danh sách ký nhận).".to_owned())
            }
            (PaymentState::Sent, _) => None,
        };
        if let Some(reason) = refusal {
            summary.unmatched.push(UnmatchedRow {
                row: row.row,
                reason,
            });
            continue;
        }
        let date = row.date.unwrap_or(today);
        let mut active: payment_item::ActiveModel = item.clone().into();
        active.state = Set(target);
        active.reason = Set(row.reason.clone());
        active.paid_on = Set((target == PaymentState::Transferred).then_some(date));
        active.updated_at = Set(Utc::now());
        items[index] = active.update(txn).await?;
        match target {
            PaymentState::Transferred => {
                mark_transferred(txn, entry, date, items[index].batch_id).await?;
                summary.applied += 1;
            }
            PaymentState::Failed => summary.failed += 1,
            PaymentState::Returned => summary.returned += 1,
            PaymentState::Sent => {}
        }
    }
    Ok(summary)
}

/// The people a result row names: by ID number when it has one, else by account number.
async fn people_matching(db: &impl ConnectionTrait, row: &ResultRow) -> AppResult<Vec<i32>> {
    if let Some(id) = &row.id_number {
        return Ok(person::Entity::find()
            .filter(person::Column::NationalId.eq(id.as_str()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect());
    }
    if let Some(number) = &row.account_number {
        return Ok(payment_account::Entity::find()
            .filter(payment_account::Column::AccountNumber.eq(number.as_str()))
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.person_id)
            .collect());
    }
    Ok(Vec::new())
}

async fn mark_transferred(
    db: &impl ConnectionTrait,
    entry: &entry::Model,
    date: NaiveDate,
    batch_id: i32,
) -> AppResult<()> {
    let mut active: entry::ActiveModel = entry.clone().into();
    active.status = Set(EntryStatus::Received);
    active.received_date = Set(Some(date));
    active.distribution_note = Set(Some(format!("Chuyển khoản (đợt {batch_id})")));
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(())
}

/// Where each entry of a program stands in paying: the settlement's figures, by ward.
#[derive(Debug, Clone, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct Settlement {
    /// Program id.
    pub program_id: i32,
    /// Ward id.
    pub ward_id: i32,
    /// Gifts planned (every entry) and their money.
    pub planned: i64,
    /// Money of the planned gifts.
    pub planned_amount: i64,
    /// Paid by transfer.
    pub transferred: i64,
    /// Money transferred.
    pub transferred_amount: i64,
    /// Paid in cash (received, not by transfer).
    pub cash: i64,
    /// Money paid in cash.
    pub cash_amount: i64,
    /// Transfers failed or returned and not yet paid in cash.
    pub failed_or_returned: i64,
    /// Sent for transfer, no result yet.
    pub awaiting_result: i64,
    /// Not reached: pending without a transfer under way, or closed without receiving.
    pub not_reached: i64,
    /// Money to give back to the Treasury (hoàn ứng): planned money not paid out.
    pub refund_amount: i64,
}

impl Settlement {
    /// Adds `other`'s figures to these (a program's total over its wards); the ids stay.
    pub fn add(&mut self, other: &Settlement) {
        self.planned += other.planned;
        self.planned_amount += other.planned_amount;
        self.transferred += other.transferred;
        self.transferred_amount += other.transferred_amount;
        self.cash += other.cash;
        self.cash_amount += other.cash_amount;
        self.failed_or_returned += other.failed_or_returned;
        self.awaiting_result += other.awaiting_result;
        self.not_reached += other.not_reached;
        self.refund_amount += other.refund_amount;
    }
}

/// How a ward's gifts of one program were paid, as `chamlo progress --json` counts them.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct PaymentCounts {
    /// Paid by transfer.
    pub transferred: i64,
    /// Transfers failed or returned, not yet paid in cash.
    pub transfer_failed: i64,
    /// Paid in cash (received, not by transfer).
    pub paid_in_cash: i64,
    /// Not reached: pending with no transfer under way, or closed without receiving.
    pub not_reached: i64,
}

/// The payment counts of a campaign per (ward, program), within `scope`.
pub async fn payment_counts(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
) -> AppResult<HashMap<(i32, i32), PaymentCounts>> {
    Ok(settlement_in(db, scope, campaign_id)
        .await?
        .into_iter()
        .map(|s| {
            (
                (s.ward_id, s.program_id),
                PaymentCounts {
                    transferred: s.transferred,
                    transfer_failed: s.failed_or_returned,
                    paid_in_cash: s.cash,
                    not_reached: s.not_reached,
                },
            )
        })
        .collect())
}

/// The settlement of a campaign per program and ward, over the wards the operator sees.
pub async fn settlement(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
) -> AppResult<Vec<Settlement>> {
    settlement_in(db, &operator.scope, campaign.id).await
}

/// The settlement's figures of a campaign per (program, ward) within `scope`.
async fn settlement_figures(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
) -> AppResult<std::collections::BTreeMap<(i32, i32), SettlementFigures>> {
    let mut rows: std::collections::BTreeMap<(i32, i32), SettlementFigures> = Default::default();
    for group in payment_groups(db, scope, campaign_id, JoinType::LeftJoin).await? {
        rows.entry((group.program_id, group.ward_id))
            .or_default()
            .add(
                Outcome::of(group.status, group.state.map(transfer_state)),
                group.people,
                group.amount.unwrap_or(0),
            );
    }
    Ok(rows)
}

/// One program's settlement over the wards a user sees, for the dashboard.
#[derive(Debug, Clone)]
pub struct ProgramSettlement {
    /// The program.
    pub program: gift_program::Model,
    /// Its figures, every visible ward together.
    pub figures: SettlementFigures,
}

/// The settlement per program of `campaign_id` within `scope`, in program order, when any
/// of its programs pays by transfer (a campaign paid only in cash or goods settles on its
/// signing sheets, and the dashboard shows no settlement); `None` otherwise.
pub async fn program_settlements(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
) -> AppResult<Option<Vec<ProgramSettlement>>> {
    let programs = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign_id))
        .order_by_asc(gift_program::Column::Id)
        .all(db)
        .await?;
    if !programs.iter().any(|p| p.payment_method.transfers()) {
        return Ok(None);
    }
    let figures = settlement_figures(db, scope, campaign_id).await?;
    Ok(Some(
        programs
            .into_iter()
            .map(|program| {
                let mut total = SettlementFigures::default();
                for ((_, _), f) in figures.range((program.id, i32::MIN)..=(program.id, i32::MAX)) {
                    total.merge(f);
                }
                ProgramSettlement {
                    program,
                    figures: total,
                }
            })
            .collect(),
    ))
}

async fn settlement_in(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
) -> AppResult<Vec<Settlement>> {
    Ok(settlement_figures(db, scope, campaign_id)
        .await?
        .into_iter()
        .map(|((program_id, ward_id), f)| Settlement {
            program_id,
            ward_id,
            planned: f.planned.people,
            planned_amount: f.planned.money,
            transferred: f.transferred.people,
            transferred_amount: f.transferred.money,
            cash: f.cash.people,
            cash_amount: f.cash.money,
            failed_or_returned: f.failed_or_returned.people,
            awaiting_result: f.awaiting_result.people,
            not_reached: f.not_reached.people,
            refund_amount: f.refund(),
        })
        .collect())
}

/// Where a stored transfer stands, as the settlement counts it.
fn transfer_state(state: PaymentState) -> TransferState {
    match state {
        PaymentState::Sent => TransferState::Sent,
        PaymentState::Transferred => TransferState::Transferred,
        PaymentState::Failed => TransferState::Failed,
        PaymentState::Returned => TransferState::Returned,
    }
}

/// Entries of a campaign with the same ward, category, program, status and transfer state,
/// counted, as [`payment_groups`] selects them.
#[derive(Debug, FromQueryResult)]
struct PaymentGroup {
    ward_id: i32,
    category_id: i32,
    program_id: i32,
    status: EntryStatus,
    state: Option<PaymentState>,
    people: i64,
    amount: Option<i64>,
}

/// The entries of `campaign_id` in `scope` counted per ward, category, program, status and
/// transfer state: one grouped query (a campaign holds up to a million entries). With
/// `LeftJoin` every entry counts (`state` is `None` for those never sent); with `InnerJoin`
/// only those sent for transfer, which is cheap when nothing was.
async fn payment_groups(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
    join: JoinType,
) -> AppResult<Vec<PaymentGroup>> {
    let entries_to_items: RelationDef = entry::Entity::belongs_to(payment_item::Entity)
        .from(entry::Column::Id)
        .to(payment_item::Column::EntryId)
        .into();
    let grouped = [
        entry::Column::WardId,
        entry::Column::CategoryId,
        entry::Column::ProgramId,
        entry::Column::Status,
    ];
    let mut query = entry::Entity::find().select_only().columns(grouped);
    for column in grouped {
        query = query.group_by(column);
    }
    Ok(query
        .column_as(payment_item::Column::State, "state")
        .group_by(payment_item::Column::State)
        .column_as(
            Expr::col((entry::Entity, entry::Column::Id))
                .count()
                .cast_as("BIGINT"),
            "people",
        )
        .column_as(
            Expr::col((entry::Entity, entry::Column::Amount))
                .sum()
                .cast_as("BIGINT"),
            "amount",
        )
        .join(join, entries_to_items)
        .filter(entry::Column::CampaignId.eq(campaign_id))
        .filter(scope.entry_condition())
        .into_model::<PaymentGroup>()
        .all(db)
        .await?)
}

/// The transfers of a campaign's printable entries in `scope`, grouped as the reports
/// workbook takes them ([`crate::export::TransferGroup`]): the settlement sheet and the
/// reconciliation's payment columns. Sensitive categories are left out here already.
pub async fn report_transfers(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
) -> AppResult<Vec<TransferGroup>> {
    Ok(payment_groups(db, scope, campaign_id, JoinType::InnerJoin)
        .await?
        .into_iter()
        .filter_map(|g| {
            Some(TransferGroup {
                ward_id: i64::from(g.ward_id),
                category_id: i64::from(g.category_id),
                program_id: i64::from(g.program_id),
                status: g.status,
                transfer: transfer_state(g.state?),
                people: g.people,
                amount: g.amount.unwrap_or(0),
            })
        })
        .collect())
}

/// The entries of `program` that the ward pays in cash now: pending, and either never sent
/// for transfer or sent and failed or returned (a transfer awaiting its result is not).
async fn cash_round_entries(
    db: &impl ConnectionTrait,
    scope: &UnitScope,
    campaign_id: i32,
    program_id: i32,
    ward_id: Option<i32>,
) -> AppResult<Vec<entry::Model>> {
    let mut query = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign_id))
        .filter(entry::Column::ProgramId.eq(program_id))
        .filter(entry::Column::Status.eq(EntryStatus::Pending))
        .filter(scope.entry_condition());
    if let Some(ward) = ward_id {
        query = query.filter(entry::Column::WardId.eq(ward));
    }
    let entries = query.all(db).await?;
    let in_transfer: std::collections::HashSet<i32> = payment_item::Entity::find()
        .filter(payment_item::Column::EntryId.is_in(entries.iter().map(|e| e.id)))
        .filter(payment_item::Column::State.is_in([PaymentState::Sent, PaymentState::Transferred]))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.entry_id)
        .collect();
    Ok(entries
        .into_iter()
        .filter(|e| !in_transfer.contains(&e.id))
        .collect())
}

/// The program `program_id` of `campaign` and the ward `ward_id` in the operator's scope, as
/// the cash round and the follow-up list name them: 404 for a program of another campaign
/// or a unit that is no ward, 403 for a ward outside the operator's units.
pub async fn program_and_ward(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    program_id: i32,
    ward_id: i32,
) -> AppResult<(gift_program::Model, crate::entities::unit::Model)> {
    operator.scope.ensure(ward_id)?;
    let program = gift_program::Entity::find_by_id(program_id)
        .filter(gift_program::Column::CampaignId.eq(campaign.id))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::NotFound("Không tìm thấy chương trình này trong đợt quà.".into())
        })?;
    let ward = crate::entities::unit::Entity::find_by_id(ward_id)
        .filter(crate::entities::unit::Column::Level.eq(crate::entities::states::UnitLevel::Ward))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy phường đã chọn.".into()))?;
    Ok((program, ward))
}

/// The cash round's signing sheet ("Danh sách chi trả tiền mặt") of one ward and program:
/// everyone without an account and everyone whose transfer failed or came back. Recorded
/// as today: the signed sheet comes back through `chamlo distribute-sheet` or the page.
/// Audited as `export.cash_sheet`.
pub async fn cash_round_sheet(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    ward: &crate::entities::unit::Model,
    program: &gift_program::Model,
) -> AppResult<crate::domain::exports::ExportedFile> {
    operator.scope.ensure(ward.id)?;
    let cash: std::collections::HashSet<i64> =
        cash_round_entries(db, &operator.scope, campaign.id, program.id, Some(ward.id))
            .await?
            .into_iter()
            .map(|e| i64::from(e.id))
            .collect();
    let mut sheets = crate::domain::exports::load_signing_sheets(
        db,
        &operator.scope,
        campaign,
        Some(ward),
        program,
    )
    .await?;
    let mut sheet = sheets
        .pop()
        .ok_or_else(|| AppError::NotFound("Phường chưa có danh sách.".into()))?
        .sheet;
    sheet.entries.retain(|e| cash.contains(&e.entry_id));
    if sheet.entries.is_empty() {
        return Err(AppError::NotFound(format!(
            "Không còn ai cần chi trả tiền mặt trong chương trình “{}”.",
            program.name
        )));
    }
    let entries = sheet.entries.len();
    let bytes = tokio::task::spawn_blocking(move || crate::export::write_cash_sheet(&sheet))
        .await
        .map_err(|err| AppError::Other(anyhow::anyhow!("workbook writer stopped: {err}")))?
        .map_err(|err| AppError::Other(anyhow::anyhow!(err)))?;
    let file_name = format!("chi-tra-tien-mat-{}-{}.xlsx", campaign.slug, ward.code);
    audit::record::<(), _>(
        db,
        &operator.actor,
        AuditEvent {
            action: "export.cash_sheet",
            entity_type: "campaign",
            entity_id: Some(campaign.id.to_string()),
            unit_id: Some(ward.id),
        },
        None,
        Some(&serde_json::json!({
            "program_id": program.id,
            "entries": entries,
            "file_name": file_name,
        })),
    )
    .await?;
    Ok(crate::domain::exports::ExportedFile {
        file_name,
        bytes,
        sheets: 1,
        entries,
    })
}

/// One person still to reach after the deadline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUp {
    /// Khu phố / tổ dân phố.
    pub khu_pho: String,
    /// The person's name.
    pub full_name: String,
    /// Address.
    pub address: String,
    /// Phone number, if known.
    pub phone: Option<String>,
    /// The gift still owed, in đồng.
    pub amount: i64,
    /// Why it is still owed: no account, or the transfer's failure or return.
    pub reason: String,
}

/// Everyone of `program` not yet paid (pending, with no transfer under way), by khu phố
/// then name, with phone numbers: the list to follow up after the deadline.
pub async fn follow_up_list(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    program_id: i32,
    ward_id: Option<i32>,
) -> AppResult<Vec<FollowUp>> {
    if let Some(ward) = ward_id {
        operator.scope.ensure(ward)?;
    }
    let entries = cash_round_entries(db, &operator.scope, campaign.id, program_id, ward_id).await?;
    let items: HashMap<i32, payment_item::Model> = payment_item::Entity::find()
        .filter(payment_item::Column::EntryId.is_in(entries.iter().map(|e| e.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.entry_id, i))
        .collect();
    let people: HashMap<i32, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(entries.iter().map(|e| e.person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut rows: Vec<FollowUp> = entries
        .iter()
        .filter_map(|e| {
            let p = people.get(&e.person_id)?;
            let reason = match items.get(&e.id) {
                Some(item) => match &item.reason {
                    Some(why) => format!("{}: {why}", item.state.label()),
                    None => item.state.label().to_owned(),
                },
                None => "Chưa nhận tiền mặt".to_owned(),
            };
            Some(FollowUp {
                khu_pho: p.khu_pho.clone().unwrap_or_default(),
                full_name: p.full_name.clone(),
                address: p.address.clone().unwrap_or_default(),
                phone: p.phone.clone(),
                amount: e.amount,
                reason,
            })
        })
        .collect();
    rows.sort_by_cached_key(|r| {
        (
            crate::vn::collation::name_sort_key(&r.khu_pho),
            crate::vn::collation::name_sort_key(&r.full_name),
        )
    });
    Ok(rows)
}

/// A bank as an administrator adds or corrects it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BankInput {
    /// The 6-digit NAPAS BIN.
    pub bin: String,
    /// The short name bank files print.
    pub short_name: String,
    /// The full name.
    pub name: String,
    /// Other names officers type.
    #[serde(default)]
    pub synonyms: Vec<String>,
}

/// Adds a bank or changes one (by BIN), audited. Administrators only. A name that already
/// names another bank is refused, so matching never has to choose between two.
pub async fn save_bank<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    input: &BankInput,
) -> AppResult<bank::Model> {
    operator.require_role(&[Role::Admin])?;
    let bin = input.bin.trim();
    if bin.len() != 6 || !bin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::Invalid(
            "Mã BIN của ngân hàng gồm đúng 6 chữ số (ví dụ 970436).".into(),
        ));
    }
    let short_name = input.short_name.trim();
    let name = input.name.trim();
    if short_name.is_empty() || name.is_empty() {
        return Err(AppError::Invalid(
            "Hãy nhập tên viết tắt và tên đầy đủ của ngân hàng.".into(),
        ));
    }
    let synonyms: Vec<&str> = input
        .synonyms
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    let others: Vec<bank::Model> = banks(db)
        .await?
        .into_iter()
        .filter(|b| b.bin != bin)
        .collect();
    for typed in [short_name, name].iter().chain(synonyms.iter()) {
        if let Some(other) = match_bank(typed, &others) {
            return Err(AppError::Invalid(format!(
                "Tên “{typed}” đã dùng cho ngân hàng {} ({}).",
                other.short_name, other.bin
            )));
        }
    }
    let txn = begin_write(db).await?;
    let before = bank::Entity::find_by_id(bin.to_owned()).one(&txn).await?;
    let model = bank::ActiveModel {
        bin: Set(bin.to_owned()),
        short_name: Set(short_name.to_owned()),
        name: Set(name.to_owned()),
        synonyms: Set(synonyms.join("\n")),
    };
    let saved = if before.is_some() {
        model.update(&txn).await?
    } else {
        model.insert(&txn).await?
    };
    audit::record(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "bank.save",
            entity_type: "bank",
            entity_id: Some(saved.bin.clone()),
            unit_id: None,
        },
        before.as_ref(),
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Reads a result file's bytes into rows; an unreadable file is a 422 with the reader's
/// Vietnamese reason.
async fn read_result_file(bytes: Vec<u8>) -> AppResult<Vec<ResultRow>> {
    tokio::task::spawn_blocking(move || {
        crate::import::payment_results::read_payment_results(&bytes)
    })
    .await
    .map_err(|err| AppError::Other(anyhow::anyhow!("result reader stopped: {err}")))?
    .map_err(|err| AppError::Invalid(err.to_string()))
}

/// Reads a result file's bytes and applies them ([`apply_results`]), the permission checked
/// before the file is read. An unreadable file is a 422 with the reader's Vietnamese reason.
pub async fn apply_result_file<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    bytes: Vec<u8>,
    file_name: &str,
) -> AppResult<ResultsSummary> {
    operator.ensure_manages(campaign)?;
    let rows = read_result_file(bytes).await?;
    apply_results(db, operator, campaign, &rows, file_name).await
}

/// Reads a result file's bytes and says what applying them would do ([`preview_results`]),
/// storing nothing. The permission is checked before the file is read.
pub async fn preview_result_file<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    bytes: Vec<u8>,
) -> AppResult<ResultsSummary> {
    operator.ensure_manages(campaign)?;
    let rows = read_result_file(bytes).await?;
    preview_results(db, operator, campaign, &rows).await
}
