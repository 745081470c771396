//! Checking a parsed ward file against a campaign before anything is written: loading what
//! the import needs (categories with their synonyms, wards), giving each row its ward, marking
//! people already listed by another ward, and flagging amounts that differ from the programs.
//! A dry run shows exactly this; `domain::import_commit` then stores the accepted rows.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::domain::campaigns::tet_day;
use crate::domain::entitlements::{ProgramRules, load_program_rules};
use crate::domain::lineage::{self, Lineage, Resolution};
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, display_name, valid_on};
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
    let mut ward_units = unit::Entity::find()
        .filter(unit::Column::Level.eq(UnitLevel::Ward))
        .all(db)
        .await?;
    // Where an old and a new ward share a name ("Long Trường" before and after 1 July 2025),
    // the name means the one that exists at the year's Tết: those come first.
    let tet = chamlo_sheets::population_match::tet_date(current_year);
    ward_units.sort_by_key(|w| (!valid_on(w, tet), w.id));
    let wards: Vec<KnownWard> = ward_units
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

/// The ward a row named (its "Phường" column, the title block or the user's choice) where it
/// differs from the ward the row now belongs to: an old ward that had ended by the
/// campaign's Tết and whose people went to a successor. Kept beside the rows, by the
/// sheet's row number, so that the commit records it on the entries ("Phường cũ").
#[derive(Debug, Clone, Default)]
pub struct FormerWards(HashMap<u32, KnownWard>);

impl FormerWards {
    /// The former ward of the sheet's row `row`, if it had one.
    pub fn of_row(&self, row: u32) -> Option<&KnownWard> {
        self.0.get(&row)
    }

    /// Whether no row named a former ward.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Where a ward's people belong on a campaign's Tết day.
enum Placement {
    /// The ward exists that day.
    Current,
    /// It had ended; its people (of this khu phố) are in this ward that day.
    Moved(i32),
    /// It was split and the khu phố does not say which of these wards.
    Split(Vec<i32>),
    /// It does not exist that day and no lineage says where its people went.
    Gone,
}

/// The units and their lineage, to place wards on one campaign's Tết day.
struct WardPlacer {
    units: Vec<unit::Model>,
    lineage: Lineage,
    day: NaiveDate,
}

impl WardPlacer {
    async fn load(db: &impl ConnectionTrait, day: NaiveDate) -> Result<Self, DbErr> {
        Ok(WardPlacer {
            units: all_units(db).await?,
            lineage: lineage::load(db).await?,
            day,
        })
    }

    fn unit(&self, id: i64) -> Option<&unit::Model> {
        self.units.iter().find(|u| i64::from(u.id) == id)
    }

    /// Where the people of `ward` (in khu phố `quarter`) belong on the day.
    fn place(&self, ward: &KnownWard, quarter: Option<&str>) -> Placement {
        let Some(unit) = self.unit(ward.id) else {
            return Placement::Current;
        };
        if valid_on(unit, self.day) {
            return Placement::Current;
        }
        match self
            .lineage
            .resolve(&self.units, unit.id, self.day, quarter)
        {
            Resolution::Successor(id) => Placement::Moved(id),
            Resolution::Ambiguous(ids) => Placement::Split(ids),
            Resolution::Itself => Placement::Gone,
        }
    }

    /// Whether a row naming `ward` may belong to the ward `target` on the day.
    fn may_land_in(&self, ward: &KnownWard, quarter: Option<&str>, target: i64) -> bool {
        match self.place(ward, quarter) {
            Placement::Current => ward.id == target,
            Placement::Moved(id) => i64::from(id) == target,
            Placement::Split(ids) => ids.iter().any(|id| i64::from(*id) == target),
            Placement::Gone => false,
        }
    }

    fn known(&self, id: i32) -> Option<KnownWard> {
        self.unit(i64::from(id)).map(|u| KnownWard {
            id: i64::from(u.id),
            code: u.code.as_str().into(),
            name: u.name.as_str().into(),
        })
    }

    /// "Phường Hiệp Phú", by id.
    fn name(&self, id: i64) -> String {
        self.unit(id).map(display_name).unwrap_or_default()
    }

    /// Why a row naming `ward` cannot be placed: it did not exist on the day and nothing
    /// says where its people went.
    fn gone_message(&self, ward: &KnownWard) -> String {
        let name = self.name(ward.id);
        let tet = self.day.format("%d/%m/%Y");
        match self.unit(ward.id) {
            Some(unit) if unit.valid_from.is_some_and(|from| from > self.day) => format!(
                "{name} được thành lập từ ngày {}, sau Tết của đợt quà này ({tet}): \
                 không thể nhận danh sách trong đợt quà này.",
                unit.valid_from
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default()
            ),
            Some(unit) => format!(
                "{name} đã kết thúc từ ngày {}, trước Tết của đợt quà này ({tet}), và chưa có \
                 đơn vị kế thừa: không thể có danh sách riêng. Hãy chọn phường hiện nay khi nhập.",
                unit.valid_to
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default()
            ),
            None => format!("{name} không còn tồn tại vào Tết của đợt quà này ({tet})."),
        }
    }

    /// Why a row naming a split ward cannot be placed, naming the possible wards.
    fn split_message(&self, ward: &KnownWard, quarter: Option<&str>, ids: &[i32]) -> String {
        let options = ids
            .iter()
            .map(|id| self.name(i64::from(*id)))
            .collect::<Vec<_>>()
            .join(", ");
        let quarter = match quarter.map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => format!("khu phố “{q}” chưa được phân về phường nào"),
            None => "dòng này không ghi khu phố".to_owned(),
        };
        format!(
            "{} (cũ) đã được chia cho {options}; {quarter}: hãy ghi khu phố của người này, \
             hoặc chọn phường mới khi nhập.",
            self.name(ward.id)
        )
    }
}

/// Checks a parsed file against a campaign, in place, without writing anything (a dry run
/// shows exactly this):
/// - each row gets its ward: `chosen_ward` (the user's choice), else the row's "Phường"
///   column, else the ward the title block names; rows outside the user's units are refused;
/// - the campaign uses the units valid on its Tết day: a row naming a ward that had ended
///   goes to its successor (through the lineage, by khu phố for a split ward) with a
///   warning naming both, and the old ward is returned as the row's former ward; a split
///   ward without a khu phố that resolves it, or an ended ward without a successor, is a
///   row problem;
/// - a person (or household) already on any ward's list of the campaign becomes `duplicate`,
///   naming that ward;
/// - an amount typed in the file that differs from a program's amount is flagged.
///
/// Returns the rows' former wards for the commit. Fails as a whole only when no row names a
/// ward.
pub async fn check_against_campaign(
    db: &impl ConnectionTrait,
    campaign: &campaign::Model,
    parsed: &mut ParsedList,
    chosen_ward: Option<&KnownWard>,
    scope: &UnitScope,
) -> AppResult<FormerWards> {
    let mut check =
        CampaignCheck::load(db, campaign, parsed.ward.clone(), chosen_ward, scope).await?;
    check.check_rows(&mut parsed.rows);
    check.finish()
}

/// [`check_against_campaign`] for a file whose rows come in batches while it is read (the
/// import that stores while it reads): what the checks need is loaded once, each batch is
/// checked as it comes, and [`CampaignCheck::finish`] gives the verdict on the whole file.
/// Each row's checks depend only on the row and the campaign as loaded, so checking in
/// batches marks every row exactly as checking the whole list at once does.
pub struct CampaignCheck<'a> {
    file_ward: Option<KnownWard>,
    placer: WardPlacer,
    chosen_as_named: Option<KnownWard>,
    chosen_ward: Option<KnownWard>,
    scope: &'a UnitScope,
    listed: HashMap<String, String>,
    programs: Vec<ProgramRules>,
    category_ids: HashMap<String, i32>,
    former: FormerWards,
    any_ward: bool,
    any_row: bool,
    /// The wards the campaign covers: a ward's own campaign takes that ward's rows alone
    /// (`domain::approvers::covered_units`).
    covered: Vec<i32>,
    /// Who runs the campaign and its title, for the refusal of a row outside it.
    runner: String,
    campaign_title: String,
}

impl<'a> CampaignCheck<'a> {
    /// Loads the units and lineage, the people already listed in the campaign and its
    /// programs. `file_ward` is the ward the file's title block names.
    pub async fn load(
        db: &impl ConnectionTrait,
        campaign: &campaign::Model,
        file_ward: Option<KnownWard>,
        chosen_ward: Option<&KnownWard>,
        scope: &'a UnitScope,
    ) -> AppResult<Self> {
        let placer = WardPlacer::load(db, tet_day(campaign)).await?;
        // An old ward chosen by the user means the ward its people belong to at Tết.
        let chosen_as_named = chosen_ward.cloned();
        let chosen_ward = chosen_ward.map(|chosen| match placer.place(chosen, None) {
            Placement::Moved(id) => placer.known(id).unwrap_or_else(|| chosen.clone()),
            _ => chosen.clone(),
        });
        let units = all_units(db).await?;
        let covered = crate::domain::approvers::covered_units(&units, campaign);
        let runner = crate::domain::approvers::campaign_unit(&units, campaign)
            .map(display_name)
            .unwrap_or_default();
        Ok(CampaignCheck {
            file_ward,
            placer,
            chosen_as_named,
            chosen_ward,
            scope,
            listed: listed_keys(db, campaign.id).await?,
            programs: load_program_rules(db, campaign.id).await?,
            category_ids: category_ids_by_code(db).await?,
            former: FormerWards::default(),
            any_ward: false,
            any_row: false,
            covered,
            runner,
            campaign_title: campaign.title.clone(),
        })
    }

    /// The ward the file's title block names, once the reader has found it (before the
    /// first batch).
    pub fn set_file_ward(&mut self, ward: Option<KnownWard>) {
        self.file_ward = ward;
    }

    /// Checks the next batch of rows, in place.
    pub fn check_rows(&mut self, rows: &mut [ImportRow]) {
        self.any_row |= !rows.is_empty();
        self.place_rows(rows);
        // A campaign's first file meets an empty campaign: no need to work out every row's keys.
        if !self.listed.is_empty() {
            let listed = &self.listed;
            mark_listed_elsewhere(rows, |key| listed.get(&key.storage_key()).cloned());
        }
        flag_amount_differences(rows, &self.programs, &self.category_ids);
    }

    /// The verdict on the whole file: the rows' former wards, or the refusal of a file in
    /// which no row names a ward.
    pub fn finish(self) -> AppResult<FormerWards> {
        if !self.any_ward && self.any_row {
            return Err(AppError::Invalid(
                "Không xác định được phường của danh sách: tiêu đề tệp không ghi “UBND PHƯỜNG …” \
                 và không có cột “Phường”. Hãy chọn phường khi nhập."
                    .into(),
            ));
        }
        Ok(self.former)
    }

    /// Gives each row its ward (see [`check_against_campaign`]).
    fn place_rows(&mut self, rows: &mut [ImportRow]) {
        let placer = &self.placer;
        let former = &mut self.former;
        let scope = self.scope;
        let file_ward = self.file_ward.as_ref();
        let chosen_as_named = self.chosen_as_named.as_ref();
        let chosen_ward = self.chosen_ward.as_ref();
        let mut any_ward = false;
        for row in rows.iter_mut() {
            let quarter = row.khu_pho.clone();
            let quarter = quarter.as_deref();
            let own = row.ward.take();
            if let (Some(chosen), Some(own)) = (chosen_ward, own.as_ref())
                && chosen.id != own.id
                && !placer.may_land_in(own, quarter, chosen.id)
            {
                let message = format!(
                    "Dòng này ghi phường {}, khác với phường {} đã chọn khi nhập.",
                    own.name, chosen.name
                );
                reject(row, "ward", message);
                // Kept for the report, unless it is a ward the campaign cannot have a list of.
                if matches!(placer.place(own, quarter), Placement::Current) {
                    row.ward = Some(own.clone());
                }
                continue;
            }
            // The ward the row names: its own column, else a title block naming a ward that
            // became the chosen one, else the user's choice, else the title block.
            let named = match (chosen_ward, own, file_ward) {
                (_, Some(own), _) => Some(own),
                (Some(chosen), None, Some(title))
                    if title.id != chosen.id && placer.may_land_in(title, quarter, chosen.id) =>
                {
                    Some(title.clone())
                }
                (Some(_), None, _) => chosen_as_named.cloned(),
                (None, None, title) => title.cloned(),
            };
            let Some(named) = named else {
                if row.status == RowStatus::Accepted {
                    reject(
                        row,
                        "ward",
                        "Không xác định được phường của dòng này: hãy chọn phường khi nhập, \
                     hoặc thêm cột “Phường”."
                            .into(),
                    );
                }
                continue;
            };
            any_ward = true;
            let moved_to = match placer.place(&named, quarter) {
                Placement::Current => None,
                Placement::Moved(id) => placer.known(id),
                // The user chose which part of a split ward the list belongs to.
                Placement::Split(ids)
                    if chosen_ward.is_some_and(|c| ids.iter().any(|id| i64::from(*id) == c.id)) =>
                {
                    chosen_ward.cloned()
                }
                Placement::Split(ids) => {
                    let message = placer.split_message(&named, quarter, &ids);
                    reject(row, "ward", message);
                    continue;
                }
                Placement::Gone => {
                    let message = placer.gone_message(&named);
                    reject(row, "ward", message);
                    continue;
                }
            };
            let ward = match moved_to {
                Some(successor) => {
                    row.warning(
                        "ward",
                        format!(
                            "{} (cũ) nay thuộc {}: người này được đưa vào danh sách của {}.",
                            placer.name(named.id),
                            placer.name(successor.id),
                            placer.name(successor.id)
                        ),
                    );
                    former.0.insert(row.row, named);
                    successor
                }
                None => named,
            };
            let ward_id = i32::try_from(ward.id).unwrap_or(i32::MAX);
            if !scope.allows(ward_id) {
                let message = format!(
                    "Bạn không phụ trách phường {}: không thể nhập dòng này.",
                    ward.name
                );
                reject(row, "ward", message);
            } else if !self.covered.contains(&ward_id) {
                let message = format!(
                    "Đợt quà “{}” do {} tổ chức: không có danh sách của phường {}.",
                    self.campaign_title, self.runner, ward.name
                );
                reject(row, "ward", message);
            }
            row.ward = Some(ward);
        }
        self.any_ward |= any_ward;
    }
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
