//! The fixed vocabularies that columns hold, as enums stored as the same strings they always
//! were (`as_str`), with their Vietnamese labels. The ones defined here only the service
//! stores; the ones the pure crates need too (unit level, funding source, entry status,
//! gender, category kind) live in `chamlo_vn` and are re-exported here, so every stored state
//! is found in one place.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::vn::catalogue::{CategoryKind, Sector};
pub use crate::vn::identity::Gender;
pub use crate::vn::states::{EntryStatus, FundingSource, UnitLevel};

/// Where a ward list stands: draft → submitted (by the ward) → approved (locked) or
/// returned with a comment (by the district). `ward_lists.status`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema, DeriveActiveEnum, EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ListStatus {
    /// Being prepared by the ward (imports and edits allowed).
    #[sea_orm(string_value = "draft")]
    Draft,
    /// Sent to the district, waiting for a decision.
    #[sea_orm(string_value = "submitted")]
    Submitted,
    /// Approved by the district: locked; distribution happens on it.
    #[sea_orm(string_value = "approved")]
    Approved,
    /// Sent back by the district with a comment; the ward corrects and submits again.
    #[sea_orm(string_value = "returned")]
    Returned,
}

impl ListStatus {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Returned => "returned",
        }
    }

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Đang lập",
            Self::Submitted => "Chờ duyệt",
            Self::Approved => "Đã duyệt",
            Self::Returned => "Trả lại để chỉnh sửa",
        }
    }
}

/// Where a campaign stands: open (lists change), locked (lists fixed, distribution goes on)
/// or closed (nothing changes any more). `campaigns.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, DeriveActiveEnum, EnumIter)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum CampaignStatus {
    /// Wards upload, edit and submit their lists.
    #[sea_orm(string_value = "open")]
    Open,
    /// The lists are fixed; gifts are still handed out and recorded.
    #[sea_orm(string_value = "locked")]
    Locked,
    /// Over: no change is recorded any more.
    #[sea_orm(string_value = "closed")]
    Closed,
}

impl CampaignStatus {
    /// Parses the stored form (`open`, `locked`, `closed`), as forms, the API and the
    /// command line send it.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "open" => Some(Self::Open),
            "locked" => Some(Self::Locked),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Locked => "locked",
            Self::Closed => "closed",
        }
    }

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Đang mở",
            Self::Locked => "Đã khóa danh sách",
            Self::Closed => "Đã kết thúc",
        }
    }
}

/// What a user may do: the role decides the actions, the unit decides the data.
/// `users.role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, DeriveActiveEnum, EnumIter)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Role {
    /// Sees and manages everything.
    #[sea_orm(string_value = "admin")]
    Admin,
    /// Supervising staff of a district (or city): all wards below their unit.
    #[sea_orm(string_value = "district")]
    District,
    /// A ward officer: their own ward only.
    #[sea_orm(string_value = "ward")]
    Ward,
}

impl Role {
    /// Parses the stored or typed name (`admin`, `district`, `ward`, any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "admin" => Some(Role::Admin),
            "district" => Some(Role::District),
            "ward" => Some(Role::Ward),
            _ => None,
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::District => "district",
            Role::Ward => "ward",
        }
    }

    /// The Vietnamese label shown beside the user's name.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::District => "Cán bộ quận (giám sát)",
            Role::Ward => "Cán bộ phường",
        }
    }
}

/// Whether a person is still to be listed: deceased or moved people are left behind when
/// next year's lists are carried forward. `people.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, DeriveActiveEnum, EnumIter)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum PersonStatus {
    /// Living in the ward, as far as anyone knows.
    #[sea_orm(string_value = "active")]
    Active,
    /// Died (recorded when a gift was not received for that reason).
    #[sea_orm(string_value = "deceased")]
    Deceased,
    /// Moved away.
    #[sea_orm(string_value = "moved")]
    Moved,
}

impl PersonStatus {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Deceased => "deceased",
            Self::Moved => "moved",
        }
    }
}

/// Why a gift was not received. `entries.not_received_reason`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    DeriveActiveEnum,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum NotReceivedReason {
    /// The recipient has died (the person is marked deceased).
    #[sea_orm(string_value = "deceased")]
    Deceased,
    /// The recipient moved away (the person is marked moved).
    #[sea_orm(string_value = "moved")]
    Moved,
    /// Nobody came to receive it.
    #[sea_orm(string_value = "absent")]
    Absent,
    /// The recipient declined the gift.
    #[sea_orm(string_value = "refused")]
    Refused,
}

impl NotReceivedReason {
    /// Parses the stored form or a Vietnamese word ("đã mất", "chuyển đi", "vắng", "từ chối").
    pub fn parse(text: &str) -> Option<Self> {
        match crate::vn::text::fold_key(text).as_str() {
            "deceased" | "da mat" | "tu tran" | "mat" | "qua doi" => Some(Self::Deceased),
            "moved" | "chuyen di" | "chuyen di noi khac" | "chuyen noi o" => Some(Self::Moved),
            "absent" | "vang" | "vang mat" => Some(Self::Absent),
            "refused" | "tu choi" | "khong nhan" => Some(Self::Refused),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deceased => "deceased",
            Self::Moved => "moved",
            Self::Absent => "absent",
            Self::Refused => "refused",
        }
    }

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Deceased => "Đã mất",
            Self::Moved => "Chuyển đi nơi khác",
            Self::Absent => "Vắng mặt",
            Self::Refused => "Từ chối nhận",
        }
    }

    /// The status the person gets, for reasons that say the person is gone.
    pub fn person_status(self) -> Option<PersonStatus> {
        match self {
            Self::Deceased => Some(PersonStatus::Deceased),
            Self::Moved => Some(PersonStatus::Moved),
            Self::Absent | Self::Refused => None,
        }
    }
}

/// What the staff decided about two entries that may be one recipient. Only keep-both is
/// stored (`duplicate_decisions.decision`); keep-one removes an entry and is kept in the
/// audit log.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema, DeriveActiveEnum, EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum DuplicateDecision {
    /// One entry was kept and the other removed.
    #[sea_orm(string_value = "keep_one")]
    KeepOne,
    /// Different people: both entries stay.
    #[sea_orm(string_value = "keep_both")]
    KeepBoth,
}

impl DuplicateDecision {
    /// Parses the stored form (`keep_one`, `keep_both`), as the API sends it.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "keep_one" => Some(Self::KeepOne),
            "keep_both" => Some(Self::KeepBoth),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::KeepOne => "keep_one",
            Self::KeepBoth => "keep_both",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ActiveEnum, Iterable};

    /// Every value of `E` is stored as, and serialised to JSON as, what `as_str` gives: the
    /// tables, the API's answers and the hand-written SQL all say the same words.
    fn stored_and_serialised_as_str<E>(as_str: fn(E) -> &'static str)
    where
        E: ActiveEnum<Value = String> + Iterable + Serialize + Copy,
    {
        for value in E::iter() {
            assert_eq!(value.to_value(), as_str(value));
            assert_eq!(
                serde_json::to_string(&value).ok(),
                Some(format!("\"{}\"", as_str(value)))
            );
        }
    }

    /// What `parse` reads back from each stored form is the value that wrote it.
    fn parses_its_stored_form<E>(as_str: fn(E) -> &'static str, parse: fn(&str) -> Option<E>)
    where
        E: Iterable + PartialEq + std::fmt::Debug + Copy,
    {
        for value in E::iter() {
            assert_eq!(parse(as_str(value)), Some(value));
        }
    }

    #[test]
    fn every_state_is_stored_and_serialised_as_its_as_str() {
        stored_and_serialised_as_str(ListStatus::as_str);
        stored_and_serialised_as_str(CampaignStatus::as_str);
        stored_and_serialised_as_str(Role::as_str);
        stored_and_serialised_as_str(PersonStatus::as_str);
        stored_and_serialised_as_str(NotReceivedReason::as_str);
        stored_and_serialised_as_str(DuplicateDecision::as_str);
        stored_and_serialised_as_str(UnitLevel::as_str);
        stored_and_serialised_as_str(FundingSource::as_str);
        stored_and_serialised_as_str(EntryStatus::as_str);
        stored_and_serialised_as_str(Gender::as_str);
        stored_and_serialised_as_str(CategoryKind::as_str);
        stored_and_serialised_as_str(Sector::as_str);
    }

    #[test]
    fn states_that_are_typed_in_parse_their_stored_form() {
        parses_its_stored_form(CampaignStatus::as_str, CampaignStatus::parse);
        parses_its_stored_form(Role::as_str, Role::parse);
        parses_its_stored_form(NotReceivedReason::as_str, NotReceivedReason::parse);
        parses_its_stored_form(DuplicateDecision::as_str, DuplicateDecision::parse);
        parses_its_stored_form(Sector::as_str, Sector::parse);
    }
}
