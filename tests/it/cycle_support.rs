//! Helpers for the campaign-cycle tests: listing people by hand (as a ward typing into its
//! list would), finding entries, and calling the JSON API with a token or a session.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamlo::entities::states::{EntryStatus, ListStatus, PersonStatus, UnitLevel};
use chamlo::entities::{category, entry, gift_program, person, ward_list};
use chamlo::vn::text::name_key;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::Value;

use crate::helpers::TestApp;

/// The id of a catalogue category by code.
pub async fn category_id(app: &TestApp, code: &str) -> i32 {
    category::Entity::find()
        .filter(category::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no category {code}"))
        .id
}

/// The campaign's default program (the one taking the wards' file amounts).
pub async fn default_program(app: &TestApp, campaign_id: i32) -> gift_program::Model {
    gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign_id))
        .filter(gift_program::Column::UseFileAmounts.eq(true))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a default program")
}

/// The ward's list in the campaign, created as a draft when missing.
pub async fn ward_list_of(app: &TestApp, campaign_id: i32, ward: &str) -> ward_list::Model {
    let ward = app.unit(UnitLevel::Ward, ward).await;
    if let Some(found) = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign_id))
        .filter(ward_list::Column::WardId.eq(ward.id))
        .one(&app.db)
        .await
        .unwrap()
    {
        return found;
    }
    let now = Utc::now();
    ward_list::ActiveModel {
        campaign_id: Set(campaign_id),
        ward_id: Set(ward.id),
        status: Set(ListStatus::Draft),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
}

/// A person to list by hand.
pub struct NewPerson<'a> {
    /// Full name.
    pub name: &'a str,
    /// Birth year.
    pub birth_year: i32,
    /// Address.
    pub address: &'a str,
    /// National ID, if any.
    pub national_id: Option<&'a str>,
    /// Household, if any.
    pub household_id: Option<i32>,
}

/// Creates a person of `ward`.
pub async fn new_person(app: &TestApp, ward: &str, new: NewPerson<'_>) -> person::Model {
    let ward = app.unit(UnitLevel::Ward, ward).await;
    let now = Utc::now();
    person::ActiveModel {
        full_name: Set(new.name.to_owned()),
        name_key: Set(name_key(new.name)),
        birth_year: Set(Some(new.birth_year)),
        national_id: Set(new.national_id.map(str::to_owned)),
        address: Set(Some(new.address.to_owned())),
        ward_id: Set(ward.id),
        status: Set(PersonStatus::Active),
        household_id: Set(new.household_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
}

/// Lists `person_id` on `ward`'s list of the campaign under `category` in `program_id`, with
/// the amount typed in the file.
pub async fn list_entry(
    app: &TestApp,
    campaign_id: i32,
    program_id: i32,
    ward: &str,
    person_id: i32,
    category: &str,
    amount: i64,
) -> entry::Model {
    let list = ward_list_of(app, campaign_id, ward).await;
    let category_id = category_id(app, category).await;
    let now = Utc::now();
    entry::ActiveModel {
        campaign_id: Set(campaign_id),
        ward_list_id: Set(list.id),
        ward_id: Set(list.ward_id),
        program_id: Set(program_id),
        person_id: Set(person_id),
        category_id: Set(category_id),
        amount: Set(amount),
        file_amount: Set(Some(amount)),
        status: Set(EntryStatus::Pending),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
}

/// The entries of a campaign, optionally of one ward and one program, by id.
pub async fn entries(
    app: &TestApp,
    campaign_id: i32,
    ward: Option<&str>,
    program_id: Option<i32>,
) -> Vec<entry::Model> {
    let mut query = entry::Entity::find().filter(entry::Column::CampaignId.eq(campaign_id));
    if let Some(ward) = ward {
        query = query.filter(entry::Column::WardId.eq(app.unit(UnitLevel::Ward, ward).await.id));
    }
    if let Some(program_id) = program_id {
        query = query.filter(entry::Column::ProgramId.eq(program_id));
    }
    query
        .order_by_asc(entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The person of that name (the first, when several share it).
pub async fn person_named(app: &TestApp, name: &str) -> person::Model {
    person::Entity::find()
        .filter(person::Column::FullName.eq(name))
        .order_by_asc(person::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no person {name}"))
}

/// How the API is called: a bearer token, a session cookie, or nothing.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    /// `Authorization: Bearer …`
    Token(&'a str),
    /// The session cookie.
    Cookie(&'a str),
    /// No credentials.
    None,
}

/// Calls the API and reads the JSON answer (Null for an empty body).
pub async fn api(
    app: &TestApp,
    method: &str,
    path: &str,
    auth: Auth<'_>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(path);
    match auth {
        Auth::Token(token) => {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        Auth::Cookie(cookie) => request = request.header(header::COOKIE, cookie),
        Auth::None => {}
    }
    let body = match body {
        Some(json) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = app.send(request.body(body).unwrap()).await;
    let json = if response.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&response.body)
            .unwrap_or_else(|_| panic!("{method} {path}: not JSON: {}", response.body))
    };
    (response.status, json)
}
