//! A person's details and the edits made to them by hand: the person form, its cleaning and
//! its errors, finding a person the operator may see, changing their details, and adding one
//! person typed by hand to a ward list.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionSession, TransactionTrait,
};

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::entitlements::{Entitlement, entitlements_for, load_program_rules};
use crate::domain::gift_planning::PlannedGift;
use crate::domain::operator::Operator;
use crate::domain::ward_lists::{ensure_list_editable, ensure_status_editable};
use crate::entities::campaign;
use crate::entities::states::{CampaignStatus, PersonStatus};
use crate::entities::{category, entry, person, ward_list};
use crate::error::{AppError, AppResult};
use crate::import::canonical_khu_pho;
use crate::vn::identity::Gender;
use crate::vn::identity::parse_national_id;
use crate::vn::text::{name_key, tidy_person_name};

/// A person's details as typed on the form.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    /// Họ và tên.
    pub full_name: String,
    /// Năm sinh, as typed.
    pub birth_year: String,
    /// Số CCCD/CMND, as typed.
    pub national_id: String,
    /// Địa chỉ.
    pub address: String,
    /// Khu phố / tổ dân phố.
    pub khu_pho: String,
    /// Số điện thoại.
    pub phone: String,
    /// Ghi chú.
    pub notes: String,
    /// Giới tính: "male", "female" or "" (not known).
    pub gender: String,
}

/// Problems found on a person form, by field, in Vietnamese.
pub type FieldErrors = Vec<(&'static str, String)>;

/// A person form checked and tidied.
struct CleanPerson {
    full_name: String,
    birth_year: Option<i32>,
    national_id: Option<String>,
    address: Option<String>,
    khu_pho: Option<String>,
    phone: Option<String>,
    notes: Option<String>,
    gender: Option<Gender>,
}

fn optional(text: &str) -> Option<String> {
    let text = crate::vn::text::normalize(text);
    (!text.is_empty()).then_some(text)
}

fn clean_person(input: &PersonInput) -> Result<CleanPerson, FieldErrors> {
    let mut errors = FieldErrors::new();
    let full_name = tidy_person_name(&input.full_name);
    if full_name.is_empty() {
        errors.push(("full_name", "Hãy nhập họ và tên.".into()));
    } else if let Some(c) = crate::vn::text::invalid_name_char(&full_name) {
        errors.push((
            "full_name",
            format!("Họ tên có ký tự “{c}” không có trong tên người; hãy sửa lại."),
        ));
    }
    let year_text = input.birth_year.trim();
    let this_year = chrono::Datelike::year(&Utc::now());
    let birth_year = if year_text.is_empty() {
        None
    } else {
        match year_text.parse::<i32>() {
            Ok(year) if (1900..=this_year).contains(&year) => Some(year),
            Ok(year) if year_text.len() == 4 => {
                errors.push((
                    "birth_year",
                    format!(
                        "Năm sinh {year} không hợp lệ: năm sinh phải từ 1900 đến {this_year}; hãy kiểm tra lại."
                    ),
                ));
                None
            }
            _ => {
                errors.push((
                    "birth_year",
                    format!("Năm sinh “{year_text}” không hợp lệ: hãy nhập 4 chữ số, ví dụ 1948."),
                ));
                None
            }
        }
    };
    let id_text: String = input
        .national_id
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let national_id = if id_text.is_empty() {
        None
    } else {
        match parse_national_id(&id_text) {
            Ok(id) => id.map(|id| id.as_str().to_owned()),
            Err(_) => {
                errors.push((
                    "national_id",
                    format!(
                        "Số “{id_text}” không phải CCCD (12 chữ số) hay CMND (9 chữ số); hãy kiểm tra lại."
                    ),
                ));
                None
            }
        }
    };
    let gender = match input.gender.trim() {
        "" => None,
        "male" => Some(Gender::Male),
        "female" => Some(Gender::Female),
        _ => {
            errors.push(("gender", "Hãy chọn giới tính Nam hoặc Nữ.".into()));
            None
        }
    };
    if errors.is_empty() {
        Ok(CleanPerson {
            full_name,
            birth_year,
            national_id,
            address: optional(&input.address),
            // Written the one way the import writes it ("KP 2" → "Khu phố 2"), so the
            // signing sheet and the filters group a hand-added person with their neighbours.
            khu_pho: optional(&input.khu_pho).map(|k| canonical_khu_pho(&k, false)),
            phone: optional(&input.phone),
            notes: optional(&input.notes),
            gender,
        })
    } else {
        Err(errors)
    }
}

/// Why saving a person failed: the form's fields, or anything else.
#[derive(Debug)]
pub enum PersonError {
    /// Problems to show next to the fields.
    Fields(FieldErrors),
    /// Refused or failed as a whole.
    App(AppError),
    /// The person typed (by ID number) is already on this list: adding them again would
    /// give them a second gift under a name nobody typed.
    AlreadyListed {
        /// The person on the list.
        person_id: i32,
        /// Their name as the list holds it.
        full_name: String,
        /// The row of the ward's file they came from, when imported.
        source_row: Option<i32>,
    },
}

impl PersonError {
    /// The message for the whole form when the person is already listed, else `None`.
    pub fn already_listed_message(&self) -> Option<String> {
        match self {
            PersonError::AlreadyListed {
                full_name,
                source_row,
                ..
            } => Some(match source_row {
                Some(row) => format!(
                    "Người này đã có trong danh sách (dòng {row} của tệp đã nhập): {full_name}. \
                     Không thêm lần nữa; hãy sửa thông tin của người đó nếu cần."
                ),
                None => format!(
                    "Người này đã có trong danh sách (thêm bằng tay): {full_name}. Không thêm lần \
                     nữa; hãy sửa thông tin của người đó nếu cần."
                ),
            }),
            _ => None,
        }
    }
}

impl From<AppError> for PersonError {
    fn from(err: AppError) -> Self {
        PersonError::App(err)
    }
}

impl From<sea_orm::DbErr> for PersonError {
    fn from(err: sea_orm::DbErr) -> Self {
        PersonError::App(AppError::Db(err))
    }
}

const ID_TAKEN: &str = "Số CCCD/CMND này đã có ở một người khác trong hệ thống.";

fn id_taken(err: sea_orm::DbErr) -> PersonError {
    match AppError::on_unique_violation(err, ID_TAKEN) {
        AppError::Invalid(message) => PersonError::Fields(vec![("national_id", message)]),
        other => PersonError::App(other),
    }
}

/// A person the operator may see, else 403/404.
pub async fn find_person(
    db: &impl ConnectionTrait,
    operator: &Operator,
    person_id: i32,
) -> AppResult<person::Model> {
    let found = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy người này.".into()))?;
    operator.scope.ensure(found.ward_id)?;
    // A reviewer limited to sectors sees the people of their sectors' entries only.
    if operator.scope.sectors().is_some() {
        let listed = entry::Entity::find()
            .filter(entry::Column::PersonId.eq(person_id))
            .filter(operator.scope.sector_condition())
            .one(db)
            .await?;
        if listed.is_none() {
            return Err(AppError::outside_scope());
        }
    }
    Ok(found)
}

/// Refuses changing a person who is on a list that is locked in a campaign still open:
/// waiting for approval or approved. The edit page asks this before the user types.
pub async fn ensure_person_editable(db: &impl ConnectionTrait, person_id: i32) -> AppResult<()> {
    let list_ids: Vec<i32> = entry::Entity::find()
        .select_only()
        .column(entry::Column::WardListId)
        .distinct()
        .filter(entry::Column::PersonId.eq(person_id))
        .into_tuple()
        .all(db)
        .await?;
    let lists = ward_list::Entity::find()
        .filter(ward_list::Column::Id.is_in(list_ids))
        .all(db)
        .await?;
    for list in lists {
        let open = campaign::Entity::find_by_id(list.campaign_id)
            .one(db)
            .await?
            .is_some_and(|c| c.status == CampaignStatus::Open);
        if open {
            ensure_status_editable(&list)?;
        }
    }
    Ok(())
}

/// Changes a person's details, audited with before and after.
pub async fn update_person(
    db: &impl ConnectionTrait,
    operator: &Operator,
    person_id: i32,
    input: &PersonInput,
) -> Result<person::Model, PersonError> {
    let found = find_person(db, operator, person_id).await?;
    ensure_person_editable(db, person_id).await?;
    let clean = clean_person(input).map_err(PersonError::Fields)?;
    let mut active: person::ActiveModel = found.clone().into();
    active.name_key = Set(name_key(&clean.full_name));
    active.full_name = Set(clean.full_name);
    active.birth_year = Set(clean.birth_year);
    active.national_id = Set(clean.national_id);
    active.address = Set(clean.address);
    active.khu_pho = Set(clean.khu_pho);
    active.phone = Set(clean.phone);
    active.notes = Set(clean.notes);
    if clean.gender.is_some() {
        active.gender = Set(clean.gender);
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(db).await.map_err(id_taken)?;
    audit::record(
        db,
        &operator.actor,
        AuditEvent {
            action: "person.update",
            entity_type: "person",
            entity_id: Some(updated.id.to_string()),
            unit_id: Some(updated.ward_id),
        },
        Some(&found),
        Some(&updated),
    )
    .await?;
    Ok(updated)
}

/// Adds one person typed by hand to a ward list under `category_id`, with `amount` for the
/// programs that take the amount typed in (the default one), in one transaction. The list
/// must be editable (a draft or returned); a person with the same ID already known is reused.
pub async fn add_person_to_list<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    list: &ward_list::Model,
    input: &PersonInput,
    category_id: Option<i32>,
    amount: Option<i64>,
) -> Result<person::Model, PersonError> {
    operator.scope.ensure(list.ward_id)?;
    let mut errors = match clean_person(input) {
        Ok(_) => FieldErrors::new(),
        Err(errors) => errors,
    };
    let category = match category_id {
        Some(id) => category::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    if category.is_none() {
        errors.push(("category", "Hãy chọn đối tượng.".into()));
    }
    if amount.is_some_and(|a| a < 0) {
        errors.push(("amount", "Số tiền không được âm.".into()));
    }
    let (Ok(clean), Some(category)) = (clean_person(input), category) else {
        return Err(PersonError::Fields(errors));
    };
    if !errors.is_empty() {
        return Err(PersonError::Fields(errors));
    }
    let txn = begin_write(db).await?;
    let list = ensure_list_editable(&txn, list.id).await?;
    let existing = match &clean.national_id {
        Some(id) => {
            person::Entity::find()
                .filter(person::Column::NationalId.eq(id.clone()))
                .one(&txn)
                .await?
        }
        None => None,
    };
    let now = Utc::now();
    let saved = match existing {
        Some(found) if found.ward_id != list.ward_id => {
            return Err(PersonError::Fields(vec![(
                "national_id",
                "Người có số CCCD/CMND này đang thuộc danh sách của phường khác.".into(),
            )]));
        }
        Some(found) => {
            let listed = entry::Entity::find()
                .filter(entry::Column::WardListId.eq(list.id))
                .filter(entry::Column::PersonId.eq(found.id))
                .order_by_asc(entry::Column::Id)
                .one(&txn)
                .await?;
            if let Some(listed) = listed {
                return Err(PersonError::AlreadyListed {
                    person_id: found.id,
                    full_name: found.full_name,
                    source_row: listed.source_row,
                });
            }
            found
        }
        None => person::ActiveModel {
            name_key: Set(name_key(&clean.full_name)),
            full_name: Set(clean.full_name),
            birth_year: Set(clean.birth_year),
            birth_date: Set(None),
            gender: Set(clean.gender),
            national_id: Set(clean.national_id),
            address: Set(clean.address),
            khu_pho: Set(clean.khu_pho),
            ward_id: Set(list.ward_id),
            phone: Set(clean.phone),
            notes: Set(clean.notes),
            status: Set(PersonStatus::Active),
            created_at: Set(now),
            updated_at: Set(now),
            household_id: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(id_taken)?,
    };
    let gifts = gifts_for_category(&txn, list.campaign_id, &category, amount).await?;
    for gift in &gifts {
        PlannedGift {
            person_id: saved.id,
            category_id: category.id,
            ward_list_id: list.id,
            ward_id: list.ward_id,
            household_id: saved.household_id,
            amount: gift.amount,
            file_amount: amount,
            former_ward_id: None,
        }
        .pending_entry(list.campaign_id, gift.program_id, now)
        .insert(&txn)
        .await
        .map_err(|err| {
            match AppError::on_unique_violation(
                err,
                "Người này đã có trong danh sách với đối tượng này.",
            ) {
                AppError::Invalid(message) => PersonError::Fields(vec![("full_name", message)]),
                other => PersonError::App(other),
            }
        })?;
    }
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "list.add_person",
            entity_type: "ward_list",
            entity_id: Some(list.id.to_string()),
            unit_id: Some(list.ward_id),
        },
        None,
        Some(&serde_json::json!({
            "person_id": saved.id,
            "category": category.code,
            "entries": gifts.len(),
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The gifts of `campaign_id`'s programs for one listing under `category` with `amount` as
/// typed: a blank amount takes each program's amount for the category, never 0 đ, and a
/// category no program gives to is refused (the same rule adding and editing a listing use).
pub(crate) async fn gifts_for_category(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    category: &category::Model,
    amount: Option<i64>,
) -> Result<Vec<Entitlement>, PersonError> {
    let programs = load_program_rules(db, campaign_id).await?;
    // A program that takes the wards' figures and has none for the category would otherwise
    // record 0 đ.
    if amount.is_none()
        && let Some(rules) = programs
            .iter()
            .find(|p| p.program.use_file_amounts && !p.amounts.contains_key(&category.id))
    {
        return Err(PersonError::Fields(vec![(
            "amount",
            format!(
                "Chương trình “{}” chưa có mức quà cho đối tượng “{}”; hãy nhập số tiền.",
                rules.program.name, category.name
            ),
        )]));
    }
    let gifts = entitlements_for(&programs, category.id, amount);
    if gifts.is_empty() {
        return Err(PersonError::Fields(vec![(
            "amount",
            "Không chương trình quà nào của đợt này tặng cho đối tượng đã chọn; hãy nhập số tiền \
             hoặc chọn đối tượng khác."
                .into(),
        )]));
    }
    Ok(gifts)
}
