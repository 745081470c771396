//! The seed data of a fresh database: the administrative units of the former Quận 9 and the
//! catalogue of beneficiary categories with the abbreviations wards really type.
//!
//! Plain constants so that the migration that inserts them and the tests that check imports
//! against them read the same list. Everything here is editable data once seeded, never a
//! constant the application relies on.

use crate::catalogue::CategoryKind;
use crate::states::UnitLevel;

/// One administrative unit to seed: `parent_code` refers to another seeded unit.
pub struct SeedUnit {
    /// The official code (mã đơn vị hành chính); codes get reused, so it is not unique alone.
    pub code: &'static str,
    /// The Vietnamese name without its level prefix ("Hiệp Phú", not "Phường Hiệp Phú").
    pub name: &'static str,
    /// City, district or ward.
    pub level: UnitLevel,
    /// The code of the unit above, if any.
    pub parent_code: Option<&'static str>,
    /// First day the unit exists under this code and name (ISO date), if known.
    pub valid_from: Option<&'static str>,
    /// Last day it existed (ISO date), if it has been dissolved or merged.
    pub valid_to: Option<&'static str>,
}

const WARD_VALID_TO: Option<&str> = Some("2025-06-30");

/// Hồ Chí Minh City, the former Quận 9 and its 13 wards (DOMAIN.md, "Administrative units").
/// Quận 9 merged into Thủ Đức city on 1 Jan 2021; its wards lasted until the 1 July 2025 reform.
pub const UNITS: &[SeedUnit] = &[
    SeedUnit {
        code: "79",
        name: "Hồ Chí Minh",
        level: UnitLevel::City,
        parent_code: None,
        valid_from: None,
        valid_to: None,
    },
    SeedUnit {
        code: "763",
        name: "Quận 9",
        level: UnitLevel::District,
        parent_code: Some("79"),
        valid_from: None,
        valid_to: Some("2020-12-31"),
    },
    ward("26830", "Long Bình"),
    ward("26833", "Long Thạnh Mỹ"),
    ward("26836", "Tân Phú"),
    ward("26839", "Hiệp Phú"),
    ward("26842", "Tăng Nhơn Phú A"),
    ward("26845", "Tăng Nhơn Phú B"),
    ward("26848", "Phước Long B"),
    ward("26851", "Phước Long A"),
    ward("26854", "Trường Thạnh"),
    ward("26857", "Long Phước"),
    ward("26860", "Long Trường"),
    ward("26863", "Phước Bình"),
    ward("26866", "Phú Hữu"),
];

const fn ward(code: &'static str, name: &'static str) -> SeedUnit {
    SeedUnit {
        code,
        name,
        level: UnitLevel::Ward,
        parent_code: Some("763"),
        valid_from: None,
        valid_to: WARD_VALID_TO,
    }
}

/// The first day of the two-tier government (Nghị quyết 1685/NQ-UBTVQH15).
pub const REFORM_2025: &str = "2025-07-01";

/// The five wards that replaced the former Quận 9 on 1 July 2025, directly under the city
/// (DOMAIN.md, "Since 1 July 2025"). Their codes reuse old ward codes with new meanings, so
/// they are a second seed list, inserted after [`UNITS`] and told apart by their dates.
pub const WARDS_2025: &[SeedUnit] = &[
    new_ward("26833", "Long Bình"),
    new_ward("26842", "Tăng Nhơn Phú"),
    new_ward("26848", "Phước Long"),
    new_ward("26857", "Long Phước"),
    new_ward("26860", "Long Trường"),
];

const fn new_ward(code: &'static str, name: &'static str) -> SeedUnit {
    SeedUnit {
        code,
        name,
        level: UnitLevel::Ward,
        parent_code: Some("79"),
        valid_from: Some(REFORM_2025),
        valid_to: None,
    }
}

/// One line of lineage: an old ward (by its code in [`UNITS`]) went to a new ward (by its
/// code in [`WARDS_2025`]), whole or in part.
pub struct SeedLineage {
    /// The old ward's code before the reform.
    pub predecessor_code: &'static str,
    /// The new ward's code after the reform.
    pub successor_code: &'static str,
    /// False when only some khu phố went there (then an administrator enters which).
    pub whole: bool,
}

/// Each of the 13 old wards and the new ward it went to. The part of Long Thạnh Mỹ that some
/// sources give to Tăng Nhơn Phú is unverified, so it is not seeded: an administrator can
/// enter it as data once confirmed.
pub const LINEAGE_2025: &[SeedLineage] = &[
    whole("26830", "26833"),
    whole("26833", "26833"),
    whole("26839", "26842"),
    whole("26836", "26842"),
    whole("26842", "26842"),
    whole("26845", "26842"),
    whole("26863", "26848"),
    whole("26851", "26848"),
    whole("26848", "26848"),
    whole("26857", "26857"),
    whole("26854", "26857"),
    whole("26860", "26860"),
    whole("26866", "26860"),
];

const fn whole(predecessor_code: &'static str, successor_code: &'static str) -> SeedLineage {
    SeedLineage {
        predecessor_code,
        successor_code,
        whole: true,
    }
}

/// One category of beneficiary (đối tượng) to seed.
pub struct SeedCategory {
    /// Short stable code used by the programs' amount tables and exports.
    pub code: &'static str,
    /// The Vietnamese name printed on lists.
    pub name: &'static str,
    /// Merit (người có công and relatives) or hardship.
    pub kind: CategoryKind,
    /// Higher ranks win under "one gift per person at the highest level".
    pub rank: i32,
    /// Hardship gifts of this category go to a household rather than a person.
    pub per_household: bool,
    /// Health or HIV status: never printed or exported (Nghị định 20/2021 Điều 8).
    pub sensitive: bool,
    /// What wards type instead of the name; matched without case or diacritics.
    pub synonyms: &'static [&'static str],
}

/// The catalogue of categories from DOMAIN.md ("Categories"), with common abbreviations.
pub const CATEGORIES: &[SeedCategory] = &[
    SeedCategory {
        code: "BMVNAH",
        name: "Bà mẹ Việt Nam anh hùng",
        kind: CategoryKind::Merit,
        rank: 100,
        per_household: false,
        sensitive: false,
        synonyms: &["BMVNAH", "Mẹ VNAH", "Mẹ Việt Nam anh hùng", "Bà mẹ VNAH"],
    },
    SeedCategory {
        code: "AHLLVT",
        name: "Anh hùng lực lượng vũ trang nhân dân",
        kind: CategoryKind::Merit,
        rank: 95,
        per_household: false,
        sensitive: false,
        synonyms: &["AHLLVT", "AHLLVTND", "Anh hùng LLVT", "Anh hùng LLVTND"],
    },
    SeedCategory {
        code: "AHLD",
        name: "Anh hùng Lao động trong thời kỳ kháng chiến",
        kind: CategoryKind::Merit,
        rank: 95,
        per_household: false,
        sensitive: false,
        synonyms: &[
            "AHLĐ",
            "Anh hùng lao động",
            "Anh hùng lao động trong kháng chiến",
        ],
    },
    SeedCategory {
        code: "LTCM",
        name: "Người hoạt động cách mạng trước ngày 01/01/1945",
        kind: CategoryKind::Merit,
        rank: 95,
        per_household: false,
        sensitive: false,
        synonyms: &["LTCM", "Lão thành cách mạng", "Cán bộ lão thành cách mạng"],
    },
    SeedCategory {
        code: "TKN",
        name: "Người hoạt động cách mạng từ 01/01/1945 đến khởi nghĩa tháng Tám năm 1945",
        kind: CategoryKind::Merit,
        rank: 90,
        per_household: false,
        sensitive: false,
        synonyms: &["TKN", "Tiền khởi nghĩa", "Cán bộ tiền khởi nghĩa"],
    },
    SeedCategory {
        code: "TB81",
        name: "Thương binh, người hưởng chính sách như thương binh suy giảm khả năng lao động từ 81% trở lên",
        kind: CategoryKind::Merit,
        rank: 85,
        per_household: false,
        sensitive: false,
        synonyms: &[
            "TB 1/4",
            "TB1/4",
            "Thương binh 1/4",
            "TB từ 81%",
            "TB 81%",
            "Thương binh từ 81% trở lên",
        ],
    },
    SeedCategory {
        code: "BB81",
        name: "Bệnh binh suy giảm khả năng lao động từ 81% trở lên",
        kind: CategoryKind::Merit,
        rank: 84,
        per_household: false,
        sensitive: false,
        synonyms: &["BB 1/3", "BB1/3", "Bệnh binh 1/3", "BB từ 81%", "BB 81%"],
    },
    SeedCategory {
        code: "TNLS",
        name: "Thân nhân liệt sĩ",
        kind: CategoryKind::Merit,
        rank: 80,
        per_household: false,
        sensitive: false,
        synonyms: &[
            "TNLS",
            "LS",
            "Liệt sĩ",
            "Gia đình liệt sĩ",
            "GĐLS",
            "Thân nhân LS",
            "Vợ liệt sĩ",
            "Mẹ liệt sĩ",
            "Cha liệt sĩ",
            "Con liệt sĩ",
            "Người có công nuôi liệt sĩ",
        ],
    },
    SeedCategory {
        code: "TB",
        name: "Thương binh, người hưởng chính sách như thương binh",
        kind: CategoryKind::Merit,
        rank: 70,
        per_household: false,
        sensitive: false,
        synonyms: &[
            "TB",
            "Thương binh",
            "TB 2/4",
            "TB 3/4",
            "TB 4/4",
            "TB2/4",
            "TB3/4",
            "TB4/4",
            "CSNTB",
            "Người hưởng chính sách như thương binh",
        ],
    },
    SeedCategory {
        code: "BB",
        name: "Bệnh binh",
        kind: CategoryKind::Merit,
        rank: 65,
        per_household: false,
        sensitive: false,
        synonyms: &["BB", "BB 2/3", "BB 3/3", "BB2/3", "BB3/3"],
    },
    SeedCategory {
        code: "CDHH",
        name: "Người hoạt động kháng chiến bị nhiễm chất độc hóa học",
        kind: CategoryKind::Merit,
        rank: 60,
        per_household: false,
        sensitive: false,
        synonyms: &[
            "CĐHH",
            "Chất độc hóa học",
            "Nhiễm CĐHH",
            "Nhiễm chất độc hóa học",
            "NKCĐHH",
        ],
    },
    SeedCategory {
        code: "TUDAY",
        name: "Người hoạt động cách mạng, hoạt động kháng chiến bị địch bắt tù, đày",
        kind: CategoryKind::Merit,
        rank: 55,
        per_household: false,
        sensitive: false,
        synonyms: &[
            "Tù đày",
            "Bị địch bắt tù đày",
            "Bị địch bắt tù, đày",
            "BĐBTĐ",
        ],
    },
    SeedCategory {
        code: "HDKC",
        name: "Người hoạt động kháng chiến giải phóng dân tộc, bảo vệ Tổ quốc, làm nghĩa vụ quốc tế",
        kind: CategoryKind::Merit,
        rank: 50,
        per_household: false,
        sensitive: false,
        synonyms: &[
            "HĐKC",
            "Hoạt động kháng chiến",
            "Người hoạt động kháng chiến",
        ],
    },
    SeedCategory {
        code: "GDCM",
        name: "Người có công giúp đỡ cách mạng",
        kind: CategoryKind::Merit,
        rank: 45,
        per_household: false,
        sensitive: false,
        synonyms: &[
            "GĐCM",
            "CCGĐCM",
            "Có công giúp đỡ cách mạng",
            "Người có công giúp đỡ CM",
        ],
    },
    SeedCategory {
        code: "HN",
        name: "Hộ nghèo",
        kind: CategoryKind::Hardship,
        rank: 40,
        per_household: true,
        sensitive: false,
        synonyms: &["HN", "Nghèo", "Hộ nghèo"],
    },
    SeedCategory {
        code: "HCN",
        name: "Hộ cận nghèo",
        kind: CategoryKind::Hardship,
        rank: 35,
        per_household: true,
        sensitive: false,
        synonyms: &["HCN", "Cận nghèo", "Hộ cận nghèo"],
    },
    SeedCategory {
        code: "BTXH",
        name: "Đối tượng bảo trợ xã hội",
        kind: CategoryKind::Hardship,
        rank: 30,
        per_household: false,
        sensitive: false,
        synonyms: &[
            "BTXH",
            "Bảo trợ xã hội",
            "ĐTBTXH",
            "Trợ cấp xã hội",
            "TCXH",
            "Người cao tuổi",
            "Người khuyết tật nặng",
            "Trẻ mồ côi",
        ],
    },
    SeedCategory {
        code: "HIV",
        name: "Người nhiễm HIV thuộc hộ nghèo",
        kind: CategoryKind::Hardship,
        rank: 30,
        per_household: false,
        sensitive: true,
        synonyms: &["HIV", "Nhiễm HIV", "Người nhiễm HIV"],
    },
    SeedCategory {
        code: "HCKK",
        name: "Hộ có hoàn cảnh khó khăn",
        kind: CategoryKind::Hardship,
        rank: 20,
        per_household: true,
        sensitive: false,
        synonyms: &[
            "HCKK",
            "Hoàn cảnh khó khăn",
            "Khó khăn",
            "Hộ khó khăn",
            "HCĐBKK",
        ],
    },
];

/// The seeded catalogue of categories with their synonyms: what the tests, the benches and
/// the fuzz target read files with when there is no database to load it from.
pub fn seed_catalogue() -> crate::catalogue::Catalogue {
    use crate::catalogue::{Catalogue, Category};
    Catalogue::new(
        CATEGORIES
            .iter()
            .map(|c| Category {
                code: c.code.to_owned(),
                name: c.name.to_owned(),
                kind: c.kind,
                rank: c.rank,
                per_household: c.per_household,
                sensitive: c.sensitive,
                synonyms: c.synonyms.iter().map(|s| (*s).to_owned()).collect(),
            })
            .collect(),
    )
}
