//! Checking a parsed ward file against a campaign before anything is written: loading what
//! the import needs (categories with their synonyms, wards), giving each row its ward, marking
//! people already listed by another ward, and flagging amounts that differ from the programs.
//! A dry run shows exactly this; `domain::import_commit` then stores the accepted rows.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::domain::entitlements::{ProgramRules, load_program_rules};
use crate::domain::scope::UnitScope;
use crate::entities::states::UnitLevel;
use crate::entities::{
    campaign, category, category_synonym, entry, household, person, unit, ward_synonym,
};
use crate::error::{AppError, AppResult};
use crate::import::duplicates::{PersonKey, mark_listed_elsewhere, name_birth_address_key};
use crate::import::{ImportContext, ImportRow, KnownWard, ParsedList, RowStatus};
use crate::vn::catalogue::{Catalogue, Category};
use crate::vn::money_words::format_vnd;

/// The catalogue and wards as the import needs them, plus the category ids behind the codes.
pub struct ImportSetup {
    /// What `import::read_ward_file` needs.
    pub context: ImportContext,
    /// Category id by catalogue code.
    pub category_ids: HashMap<String, i32>,
}

/// Loads the active categories with their synonyms and the wards from the database.
pub async fn load_import_setup(
    db: &impl ConnectionTrait,
    current_year: i32,
) -> Result<ImportSetup, DbErr> {
    let categories = category::Entity::find()
        .filter(category::Column::Active.eq(true))
        .all(db)
        .await?;
    let synonyms = category_synonym::Entity::find().all(db).await?;
    let mut synonyms_by_category: HashMap<i32, Vec<String>> = HashMap::new();
    for synonym in synonyms {
        synonyms_by_category
            .entry(synonym.category_id)
            .or_default()
            .push(synonym.synonym);
    }
    let category_ids = categories.iter().map(|c| (c.code.clone(), c.id)).collect();
    let catalogue = Catalogue::new(
        categories
            .into_iter()
            .map(|c| Category {
                synonyms: synonyms_by_category.remove(&c.id).unwrap_or_default(),
                kind: c.kind,
                code: c.code,
                name: c.name,
                rank: c.rank,
                per_household: c.per_household,
                sensitive: c.sensitive,
            })
            .collect(),
    );
    let wards: Vec<KnownWard> = unit::Entity::find()
        .filter(unit::Column::Level.eq(UnitLevel::Ward))
        .all(db)
        .await?
        .into_iter()
        // A ward created by a later reform cannot be named by a list of an earlier year
        // ("Phước Long" in a 2021 list is the old Phước Long A or B, not the 2025 ward).
        .filter(|w| {
            let last_day = chrono::NaiveDate::from_ymd_opt(current_year, 12, 31);
            w.valid_from
                .is_none_or(|from| last_day.is_none_or(|day| from <= day))
        })
        .map(|w| KnownWard {
            id: i64::from(w.id),
            code: w.code.into(),
            name: w.name.into(),
        })
        .collect();
    // Spellings mapped from a preview (`domain::value_mappings`), by the index of their ward.
    let ward_synonyms = ward_synonym::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|s| {
            let i = wards.iter().position(|w| w.id == i64::from(s.unit_id))?;
            Some((s.synonym, i))
        })
        .collect();
    Ok(ImportSetup {
        context: ImportContext {
            catalogue,
            wards,
            current_year,
            ward_synonyms,
            banks: crate::domain::payments::known_banks(db).await?,
        },
        category_ids,
    })
}

/// Turns an accepted row into a rejected one with an error on `field`.
fn reject(row: &mut ImportRow, field: &'static str, message: String) {
    row.error(field, message);
    if row.status == RowStatus::Accepted {
        row.status = RowStatus::Rejected;
    }
}

/// Checks a parsed file against a campaign, in place, without writing anything (a dry run
/// shows exactly this):
/// - each row gets its ward: `chosen_ward` (the user's choice), else the row's "Phường"
///   column, else the ward the title block names; rows outside the user's units are refused;
/// - a person (or household) already on any ward's list of the campaign becomes `duplicate`,
///   naming that ward;
/// - an amount typed in the file that differs from a program's amount is flagged.
///
/// Fails as a whole only when no row can be given a ward.
pub async fn check_against_campaign(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    parsed: &mut ParsedList,
    chosen_ward: Option<&KnownWard>,
    scope: &UnitScope,
) -> AppResult<()> {
    let file_ward = parsed.ward.clone();
    let mut any_ward = false;
    for row in parsed.rows.iter_mut() {
        if let (Some(chosen), Some(own)) = (chosen_ward, row.ward.as_ref())
            && chosen.id != own.id
        {
            let message = format!(
                "Dòng này ghi phường {}, khác với phường {} đã chọn khi nhập.",
                own.name, chosen.name
            );
            reject(row, "ward", message);
            continue;
        }
        let ward = chosen_ward
            .or(row.ward.as_ref())
            .or(file_ward.as_ref())
            .cloned();
        match ward {
            Some(ward) => {
                any_ward = true;
                let ward_id = i32::try_from(ward.id).unwrap_or(i32::MAX);
                if !scope.allows(ward_id) {
                    let message = format!(
                        "Bạn không phụ trách phường {}: không thể nhập dòng này.",
                        ward.name
                    );
                    reject(row, "ward", message);
                }
                row.ward = Some(ward);
            }
            None if row.status == RowStatus::Accepted => reject(
                row,
                "ward",
                "Không xác định được phường của dòng này: hãy chọn phường khi nhập, \
                 hoặc thêm cột “Phường”."
                    .into(),
            ),
            None => {}
        }
    }
    if !any_ward && !parsed.rows.is_empty() {
        return Err(AppError::Invalid(
            "Không xác định được phường của danh sách: tiêu đề tệp không ghi “UBND PHƯỜNG …” \
             và không có cột “Phường”. Hãy chọn phường khi nhập."
                .into(),
        ));
    }

    let listed = listed_keys(db, campaign.id).await?;
    // A campaign's first file meets an empty campaign: no need to work out every row's keys.
    if !listed.is_empty() {
        mark_listed_elsewhere(&mut parsed.rows, |key| {
            listed.get(&key.storage_key()).cloned()
        });
    }

    let programs = load_program_rules(db, campaign.id).await?;
    let setup_ids = category_ids_by_code(db).await?;
    flag_amount_differences(&mut parsed.rows, &programs, &setup_ids);
    Ok(())
}

pub(super) async fn category_ids_by_code(
    db: &impl ConnectionTrait,
) -> Result<HashMap<String, i32>, DbErr> {
    Ok(category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.code, c.id))
        .collect())
}

/// Warns where the file's amount differs from what a configured program gives.
fn flag_amount_differences(
    rows: &mut [ImportRow],
    programs: &[ProgramRules],
    category_ids: &HashMap<String, i32>,
) {
    for row in rows.iter_mut().filter(|r| r.status == RowStatus::Accepted) {
        let (Some(typed), Some(category)) = (row.amount, row.category.as_ref()) else {
            continue;
        };
        let Some(category_id) = category_ids.get(&category.code) else {
            continue;
        };
        for rules in programs.iter().filter(|p| !p.program.use_file_amounts) {
            if let Some(own) = rules.amounts.get(category_id)
                && *own != typed
            {
                let message = format!(
                    "Số tiền trong tệp ({}) khác mức của chương trình “{}” ({}); \
                     hệ thống dùng mức của chương trình.",
                    format_vnd(typed),
                    rules.program.name,
                    format_vnd(*own)
                );
                row.warning("amount", message);
            }
        }
    }
}

/// Every key under which someone is already listed in the campaign, with the ward's name.
async fn listed_keys(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<HashMap<String, String>, DbErr> {
    let (e, p, h, u) = (
        Alias::new("e"),
        Alias::new("p"),
        Alias::new("h"),
        Alias::new("u"),
    );
    let query = Query::select()
        .distinct()
        .column((p.clone(), person::Column::NationalId))
        .column((p.clone(), person::Column::NameKey))
        .column((p.clone(), person::Column::BirthYear))
        .column((p.clone(), person::Column::Address))
        .column((p.clone(), person::Column::KhuPho))
        .expr_as(
            Expr::col((h.clone(), household::Column::Code)),
            Alias::new("household_code"),
        )
        .expr_as(
            Expr::col((u.clone(), unit::Column::Name)),
            Alias::new("ward_name"),
        )
        .from_as(entry::Entity, e.clone())
        .join_as(
            JoinType::InnerJoin,
            person::Entity,
            p.clone(),
            Expr::col((p.clone(), person::Column::Id)).equals((e.clone(), entry::Column::PersonId)),
        )
        .join_as(
            JoinType::LeftJoin,
            household::Entity,
            h.clone(),
            Expr::col((h.clone(), household::Column::Id))
                .equals((e.clone(), entry::Column::HouseholdId)),
        )
        .join_as(
            JoinType::InnerJoin,
            unit::Entity,
            u.clone(),
            Expr::col((u, unit::Column::Id)).equals((e.clone(), entry::Column::WardId)),
        )
        .and_where(Expr::col((e, entry::Column::CampaignId)).eq(campaign_id))
        .to_owned();
    let rows = db.query_all(&query).await?;
    let mut keys = HashMap::with_capacity(rows.len() * 2);
    for row in rows {
        let ward: String = row.try_get("", "ward_name")?;
        let national_id: Option<String> = row.try_get("", "national_id")?;
        let name: String = row.try_get("", "name_key")?;
        let year: Option<i32> = row.try_get("", "birth_year")?;
        let address: Option<String> = row.try_get("", "address")?;
        let khu_pho: Option<String> = row.try_get("", "khu_pho")?;
        let household_code: Option<String> = row.try_get("", "household_code")?;
        if let Some(id) = national_id {
            keys.insert(PersonKey::NationalId(id).storage_key(), ward.clone());
        }
        if let Some(year) = year {
            let place = address.or(khu_pho).unwrap_or_default();
            let key = PersonKey::NameBirthAddress(name_birth_address_key(&name, year, &place));
            keys.insert(key.storage_key(), ward.clone());
        }
        if let Some(code) = household_code {
            let key = PersonKey::Household(crate::vn::text::fold_key(&code));
            keys.insert(key.storage_key(), ward.clone());
        }
    }
    Ok(keys)
}
