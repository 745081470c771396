//! Stored vocabularies that the pure crates need as well as the service: the level of an
//! administrative unit, who pays for a gift program, and where a gift stands in the
//! distribution. Each is stored as the string its `as_str` gives (the service's tables and
//! its JSON use the same words), and each has one Vietnamese `label` for people.
//!
//! With the `sea-orm` feature the enums are sea-orm active enums, so entity fields hold them
//! directly; with `utoipa` the API documents them. The pure crates leave both off.

#[cfg(feature = "sea-orm")]
use sea_orm::sea_query::StringLen;
use serde::{Deserialize, Serialize};

use crate::text::fold_key;

/// The level of an administrative unit, as `units.level` stores it. Units themselves are
/// data (codes get reused, units merge); only the three levels are fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter)
)]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(rs_type = "String", db_type = "String(StringLen::None)")
)]
pub enum UnitLevel {
    /// A province-level city (thành phố trực thuộc trung ương) or a province.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "city"))]
    City,
    /// A district (quận, huyện, thành phố thuộc thành phố); none since 1 July 2025.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "district"))]
    District,
    /// A ward or commune (phường, xã).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "ward"))]
    Ward,
}

impl UnitLevel {
    /// Parses the stored form (`city`, `district`, `ward`), as forms send it.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "city" => Some(Self::City),
            "district" => Some(Self::District),
            "ward" => Some(Self::Ward),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::City => "city",
            Self::District => "district",
            Self::Ward => "ward",
        }
    }

    /// The Vietnamese word for the level, as the unit pages show it.
    pub fn label(self) -> &'static str {
        match self {
            Self::City => "Thành phố",
            Self::District => "Quận/Huyện",
            Self::Ward => "Phường/Xã",
        }
    }
}

/// Who pays for a gift program, as `gift_programs.funding_source` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter)
)]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(rs_type = "String", db_type = "String(StringLen::None)")
)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub enum FundingSource {
    /// The central budget (trung ương), e.g. the President's gift.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "central"))]
    Central,
    /// The city budget (thành phố).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "city"))]
    City,
    /// The district budget (quận).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "district"))]
    District,
    /// The ward budget (phường).
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "ward"))]
    Ward,
    /// Sponsors and community funds (xã hội hóa / nhà tài trợ); the program names the sponsor.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "sponsor"))]
    Sponsor,
}

impl FundingSource {
    /// Parses the stored form or what a person types, in any case, with or without
    /// diacritics: `city`, "thành phố", "TP", "xã hội hóa", "nhà tài trợ"…
    pub fn parse(text: &str) -> Option<Self> {
        let folded = fold_key(text);
        match folded.as_str() {
            "central" | "trung uong" | "tw" | "ngan sach trung uong" => Some(Self::Central),
            "city" | "thanh pho" | "tp" | "ngan sach thanh pho" => Some(Self::City),
            "district" | "quan" | "huyen" | "ngan sach quan" => Some(Self::District),
            "ward" | "phuong" | "xa" | "ngan sach phuong" => Some(Self::Ward),
            "sponsor" | "xa hoi hoa" | "nha tai tro" | "tai tro" | "xhh" => Some(Self::Sponsor),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Central => "central",
            Self::City => "city",
            Self::District => "district",
            Self::Ward => "ward",
            Self::Sponsor => "sponsor",
        }
    }

    /// The Vietnamese name of the source, without the sponsor's name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Central => "Ngân sách trung ương",
            Self::City => "Ngân sách thành phố",
            Self::District => "Ngân sách quận",
            Self::Ward => "Ngân sách phường",
            Self::Sponsor => "Xã hội hóa / nhà tài trợ",
        }
    }
}

/// Where one gift (a list entry) stands in the distribution, as `entries.status` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter)
)]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(rs_type = "String", db_type = "String(StringLen::None)")
)]
pub enum EntryStatus {
    /// On the list, not handed out yet.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "pending"))]
    Pending,
    /// Handed out, to the person or to a proxy.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "received"))]
    Received,
    /// Closed without handing out (died, moved away, absent, refused), with a reason.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "not_received"))]
    NotReceived,
}

impl EntryStatus {
    /// Parses the stored form (`pending`, `received`, `not_received`), as filters send it.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "pending" => Some(Self::Pending),
            "received" => Some(Self::Received),
            "not_received" => Some(Self::NotReceived),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Received => "received",
            Self::NotReceived => "not_received",
        }
    }

    /// The Vietnamese words for the state, as lists show it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Chưa nhận",
            Self::Received => "Đã nhận",
            Self::NotReceived => "Không nhận",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::CategoryKind;
    use crate::identity::Gender;

    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap_or_default()
    }

    /// The serde form is the stored form, so the API's JSON and the tables say the same.
    #[test]
    fn stored_forms_parse_back_and_are_the_json_forms() {
        for level in [UnitLevel::City, UnitLevel::District, UnitLevel::Ward] {
            assert_eq!(UnitLevel::parse(level.as_str()), Some(level));
            assert_eq!(json(&level), format!("\"{}\"", level.as_str()));
        }
        for status in [
            EntryStatus::Pending,
            EntryStatus::Received,
            EntryStatus::NotReceived,
        ] {
            assert_eq!(EntryStatus::parse(status.as_str()), Some(status));
            assert_eq!(json(&status), format!("\"{}\"", status.as_str()));
        }
        for source in [
            FundingSource::Central,
            FundingSource::City,
            FundingSource::District,
            FundingSource::Ward,
            FundingSource::Sponsor,
        ] {
            assert_eq!(FundingSource::parse(source.as_str()), Some(source));
            assert_eq!(json(&source), format!("\"{}\"", source.as_str()));
        }
        for gender in [Gender::Male, Gender::Female] {
            assert_eq!(json(&gender), format!("\"{}\"", gender.as_str()));
        }
        for kind in [CategoryKind::Merit, CategoryKind::Hardship] {
            assert_eq!(CategoryKind::parse(kind.as_str()), Some(kind));
            assert_eq!(json(&kind), format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn funding_sources_parse_what_people_type() {
        assert_eq!(FundingSource::parse("Thành phố"), Some(FundingSource::City));
        assert_eq!(
            FundingSource::parse("xã hội hóa"),
            Some(FundingSource::Sponsor)
        );
        assert_eq!(
            FundingSource::parse("TRUNG UONG"),
            Some(FundingSource::Central)
        );
        assert_eq!(FundingSource::parse("ngân hàng"), None);
    }
}
