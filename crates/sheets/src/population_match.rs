//! Matching a ward's list against the resident extract of its police (DOMAIN.md, "Population
//! data") and flagging what the extract contradicts, each flag with its evidence.
//!
//! Pure: the listed people and the residents in, one verdict per listed person out, so the
//! page, the API and `chamlo verify` give the same answer. A person is matched by ID; without
//! an ID (or when the ID is not in the extract) by name without diacritics and case plus
//! birth year, and then address or khu phố; a match by name is "probable", never certain.

use crate::import::extract::{Resident, ResidentStatus};
use chamlo_vn::identity::Gender;
use chamlo_vn::text::{collapse_spaces, fold_key};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the extract contradicts. The snake_case names are the `kind` of `chamlo verify`'s
/// JSON and of the API; they are a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// The listed ID is not in the extract.
    IdNotFound,
    /// The name differs beyond case, spacing and diacritics.
    NameDiffers,
    /// The name differs by its diacritics only.
    NameDiacritics,
    /// The birth year differs.
    BirthYearDiffers,
    /// The gender differs.
    GenderDiffers,
    /// The extract says the person died.
    Deceased,
    /// The extract says the person moved away.
    MovedAway,
    /// The person lives in another ward.
    OtherWard,
    /// The head or the size of the household differs, for a household gift.
    HouseholdDiffers,
}

impl FlagKind {
    /// Every kind, in the order pages and reports show them.
    pub const ALL: [FlagKind; 9] = [
        FlagKind::IdNotFound,
        FlagKind::NameDiffers,
        FlagKind::NameDiacritics,
        FlagKind::BirthYearDiffers,
        FlagKind::GenderDiffers,
        FlagKind::Deceased,
        FlagKind::MovedAway,
        FlagKind::OtherWard,
        FlagKind::HouseholdDiffers,
    ];

    /// The stored and JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::IdNotFound => "id_not_found",
            FlagKind::NameDiffers => "name_differs",
            FlagKind::NameDiacritics => "name_diacritics",
            FlagKind::BirthYearDiffers => "birth_year_differs",
            FlagKind::GenderDiffers => "gender_differs",
            FlagKind::Deceased => "deceased",
            FlagKind::MovedAway => "moved_away",
            FlagKind::OtherWard => "other_ward",
            FlagKind::HouseholdDiffers => "household_differs",
        }
    }

    /// Parses [`FlagKind::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }

    /// The Vietnamese name for pages and reports.
    pub fn label(self) -> &'static str {
        match self {
            FlagKind::IdNotFound => "Số định danh không có trong dữ liệu dân cư",
            FlagKind::NameDiffers => "Họ tên khác",
            FlagKind::NameDiacritics => "Họ tên khác dấu",
            FlagKind::BirthYearDiffers => "Năm sinh khác",
            FlagKind::GenderDiffers => "Giới tính khác",
            FlagKind::Deceased => "Đã chết",
            FlagKind::MovedAway => "Đã chuyển đi",
            FlagKind::OtherWard => "Cư trú ở phường khác",
            FlagKind::HouseholdDiffers => "Chủ hộ hoặc số nhân khẩu khác",
        }
    }
}

impl FlagKind {
    /// A short column heading for the report's table (the full [`FlagKind::label`] goes in
    /// its tooltip), so that nine kinds fit a desktop screen without scrolling.
    pub fn short_label(self) -> &'static str {
        match self {
            FlagKind::IdNotFound => "Sai số định danh",
            FlagKind::NameDiffers => "Sai tên",
            FlagKind::NameDiacritics => "Khác dấu",
            FlagKind::BirthYearDiffers => "Sai năm sinh",
            FlagKind::GenderDiffers => "Sai giới tính",
            FlagKind::Deceased => "Đã chết",
            FlagKind::MovedAway => "Chuyển đi",
            FlagKind::OtherWard => "Phường khác",
            FlagKind::HouseholdDiffers => "Khác hộ",
        }
    }
}

/// How strongly a flag holds the list back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagWeight {
    /// The list cannot be submitted until it is resolved (a death before Tết).
    Stop,
    /// To be checked and resolved, but it does not block the list.
    Check,
    /// For information (a death after Tết: the gift was due).
    Note,
}

/// What the list holds about one recipient, as the matcher needs it.
#[derive(Debug, Clone, Default)]
pub struct ListedPerson {
    /// The entry (gift) the verdict belongs to.
    pub entry_id: i32,
    /// The name on the list.
    pub full_name: String,
    /// The birth year on the list.
    pub birth_year: Option<i32>,
    /// The gender on the list.
    pub gender: Option<Gender>,
    /// The CCCD/CMND on the list.
    pub national_id: Option<String>,
    /// The address on the list.
    pub address: Option<String>,
    /// The khu phố on the list.
    pub khu_pho: Option<String>,
    /// For a household gift: the head's name and the household's size.
    pub household: Option<ListedHousehold>,
}

/// A household gift's household as listed.
#[derive(Debug, Clone, Default)]
pub struct ListedHousehold {
    /// The head's name, when known.
    pub head_name: Option<String>,
    /// Số nhân khẩu, when known.
    pub size: Option<i32>,
}

/// How a listed person was found in the extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Found by ID: certain.
    Id,
    /// Found by name and birth year (and address): probable.
    Probable,
    /// Not found.
    None,
}

/// Values from the extract that "correct from the extract" copies onto the person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The extract's name, when it differs.
    pub full_name: Option<String>,
    /// The extract's birth year, when it differs.
    pub birth_year: Option<i32>,
    /// The extract's birth date, copied with the year.
    pub birth_date: Option<NaiveDate>,
    /// The extract's gender, when it differs.
    pub gender: Option<Gender>,
    /// The extract's ID, when the listed one was not found and the person was found by name.
    pub national_id: Option<String>,
}

/// One contradiction, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// What is contradicted.
    pub kind: FlagKind,
    /// Whether it blocks the list.
    pub weight: FlagWeight,
    /// The evidence from the extract, in Vietnamese (row, values found).
    pub detail: String,
    /// What "correct from the extract" would copy, for the kinds that can be corrected.
    pub correction: Option<Correction>,
}

/// The verdict on one listed person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The entry.
    pub entry_id: i32,
    /// How the person was found.
    pub matched: MatchKind,
    /// The extract's row of the resident found.
    pub extract_row: Option<u32>,
    /// What the extract contradicts.
    pub flags: Vec<Flag>,
}

/// The ward whose list is checked, and when its Tết falls.
#[derive(Debug, Clone)]
pub struct CheckContext {
    /// The ward's name without "Phường" ("Tân Phú").
    pub ward_name: String,
    /// The first day of Tết of the campaign.
    pub tet: NaiveDate,
}

/// The first day of Tết (lunar new year) in Gregorian `year`, for 2020–2040; 1 February
/// (within a fortnight of every Tết) for a year outside the table.
pub fn tet_date(year: i32) -> NaiveDate {
    const DAYS: [(u32, u32); 21] = [
        (1, 25),
        (2, 12),
        (2, 1),
        (1, 22),
        (2, 10),
        (1, 29),
        (2, 17),
        (2, 6),
        (1, 26),
        (2, 13),
        (2, 3),
        (1, 23),
        (2, 11),
        (1, 31),
        (2, 19),
        (2, 8),
        (1, 28),
        (2, 15),
        (2, 4),
        (1, 24),
        (2, 12),
    ];
    let (m, d) = usize::try_from(year - 2020)
        .ok()
        .and_then(|i| DAYS.get(i).copied())
        .unwrap_or((2, 1));
    NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default()
}

/// Matches every listed person against the extract; one verdict per person, in order.
pub fn match_list(
    people: &[ListedPerson],
    residents: &[Resident],
    ctx: &CheckContext,
) -> Vec<Verdict> {
    let by_id: HashMap<&str, usize> = residents
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.national_id.as_deref().map(|id| (id, i)))
        .collect();
    let mut by_name: HashMap<(String, Option<i32>), Vec<usize>> = HashMap::new();
    for (i, r) in residents.iter().enumerate() {
        by_name
            .entry((fold_key(&r.full_name), r.birth_year))
            .or_default()
            .push(i);
    }
    // Households: members by the folded head name and permanent address.
    let mut household_sizes: HashMap<(String, String), i32> = HashMap::new();
    for r in residents {
        if let Some(head) = &r.household_head
            && !matches!(
                r.status,
                ResidentStatus::Deceased { .. } | ResidentStatus::MovedAway { .. }
            )
        {
            *household_sizes
                .entry(household_key(head, r.permanent_address.as_deref()))
                .or_default() += 1;
        }
    }
    let ward_key = fold_key(&ctx.ward_name);
    people
        .iter()
        .map(|p| {
            let mut flags = Vec::new();
            let listed_id = p.national_id.as_deref().filter(|s| !s.is_empty());
            let mut found = listed_id
                .and_then(|id| by_id.get(id).copied())
                .map(|i| (i, MatchKind::Id));
            if let Some(id) = listed_id
                && found.is_none()
            {
                let by_name = name_match(p, residents, &by_name);
                flags.push(Flag {
                    kind: FlagKind::IdNotFound,
                    weight: FlagWeight::Check,
                    detail: match by_name {
                        Some(i) => format!(
                            "Số {} không có trong dữ liệu dân cư; có thể là {} (dòng {}, số {}).",
                            masked(id),
                            residents[i].full_name,
                            residents[i].row,
                            residents[i]
                                .national_id
                                .as_deref()
                                .map_or("(không có)".to_owned(), masked)
                        ),
                        None => format!("Số {} không có trong dữ liệu dân cư.", masked(id)),
                    },
                    correction: by_name.and_then(|i| {
                        residents[i].national_id.clone().map(|id| Correction {
                            national_id: Some(id),
                            ..Correction::default()
                        })
                    }),
                });
                found = by_name.map(|i| (i, MatchKind::Probable));
            } else if found.is_none() {
                found = name_match(p, residents, &by_name).map(|i| (i, MatchKind::Probable));
            }
            let Some((i, matched)) = found else {
                return Verdict {
                    entry_id: p.entry_id,
                    matched: MatchKind::None,
                    extract_row: None,
                    flags,
                };
            };
            let r = &residents[i];
            compare(p, r, ctx, &ward_key, &household_sizes, &mut flags);
            Verdict {
                entry_id: p.entry_id,
                matched,
                extract_row: Some(r.row),
                flags,
            }
        })
        .collect()
}

/// An ID shown in evidence: the last four digits only, as on every page.
fn masked(id: &str) -> String {
    chamlo_vn::identity::mask_id(id)
}

fn household_key(head: &str, address: Option<&str>) -> (String, String) {
    (fold_key(head), fold_key(address.unwrap_or("")))
}

/// The resident with the same folded name and birth year; among several, the one whose
/// address or khu phố agrees. `None` when no one, or several equally, fit.
fn name_match(
    p: &ListedPerson,
    residents: &[Resident],
    by_name: &HashMap<(String, Option<i32>), Vec<usize>>,
) -> Option<usize> {
    p.birth_year?;
    let candidates = by_name.get(&(fold_key(&p.full_name), p.birth_year))?;
    if let [only] = candidates.as_slice() {
        return Some(*only);
    }
    let fits = |r: &Resident| {
        let places = [&r.permanent_address, &r.current_address, &r.khu_pho];
        let listed = [&p.address, &p.khu_pho];
        listed.iter().filter_map(|l| l.as_deref()).any(|l| {
            let l = fold_key(l);
            places
                .iter()
                .filter_map(|x| x.as_deref())
                .any(|x| fold_key(x).contains(&l) || l.contains(&fold_key(x)))
        })
    };
    let fitting: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| fits(&residents[i]))
        .collect();
    match fitting.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

fn compare(
    p: &ListedPerson,
    r: &Resident,
    ctx: &CheckContext,
    ward_key: &str,
    household_sizes: &HashMap<(String, String), i32>,
    flags: &mut Vec<Flag>,
) {
    let at = format!("dòng {} của dữ liệu dân cư", r.row);
    let spaced = |s: &str| collapse_spaces(s.trim()).to_lowercase();
    if spaced(&p.full_name) != spaced(&r.full_name) {
        let kind = if fold_key(&p.full_name) == fold_key(&r.full_name) {
            FlagKind::NameDiacritics
        } else {
            FlagKind::NameDiffers
        };
        flags.push(Flag {
            kind,
            weight: FlagWeight::Check,
            detail: format!("Dữ liệu dân cư ghi “{}” ({at}).", r.full_name),
            correction: Some(Correction {
                full_name: Some(r.full_name.clone()),
                ..Correction::default()
            }),
        });
    }
    if let (Some(listed), Some(found)) = (p.birth_year, r.birth_year)
        && listed != found
    {
        flags.push(Flag {
            kind: FlagKind::BirthYearDiffers,
            weight: FlagWeight::Check,
            detail: format!("Dữ liệu dân cư ghi năm sinh {found} ({at})."),
            correction: Some(Correction {
                birth_year: Some(found),
                birth_date: r.birth_date,
                ..Correction::default()
            }),
        });
    }
    if let (Some(listed), Some(found)) = (p.gender, r.gender)
        && listed != found
    {
        flags.push(Flag {
            kind: FlagKind::GenderDiffers,
            weight: FlagWeight::Check,
            detail: format!("Dữ liệu dân cư ghi giới tính {} ({at}).", found.label()),
            correction: Some(Correction {
                gender: Some(found),
                ..Correction::default()
            }),
        });
    }
    match &r.status {
        ResidentStatus::Deceased { date } => {
            let before_tet = date.is_none_or(|d| d < ctx.tet);
            let when = date.map_or("không rõ ngày".to_owned(), |d| {
                format!("ngày {}", d.format("%d/%m/%Y"))
            });
            flags.push(Flag {
                kind: FlagKind::Deceased,
                weight: if before_tet {
                    FlagWeight::Stop
                } else {
                    FlagWeight::Note
                },
                detail: if before_tet {
                    format!("Đã chết {when}, trước Tết ({at}).")
                } else {
                    format!("Đã chết {when}, sau Tết: quà vẫn thuộc về người này ({at}).")
                },
                correction: None,
            });
        }
        ResidentStatus::MovedAway { note } => flags.push(Flag {
            kind: FlagKind::MovedAway,
            weight: FlagWeight::Check,
            detail: format!("Dữ liệu dân cư ghi “{note}” ({at})."),
            correction: None,
        }),
        ResidentStatus::Living => {}
    }
    if let Some(other) = r.current_address.as_deref().and_then(named_ward)
        && fold_key(&other) != ward_key
    {
        flags.push(Flag {
            kind: FlagKind::OtherWard,
            weight: FlagWeight::Check,
            detail: format!(
                "Đang ở phường {other}: “{}” ({at}).",
                r.current_address.as_deref().unwrap_or("")
            ),
            correction: None,
        });
    }
    if let Some(h) = &p.household {
        let head = r.household_head.as_deref();
        let size = head.and_then(|head| {
            household_sizes
                .get(&household_key(head, r.permanent_address.as_deref()))
                .copied()
        });
        let head_differs = matches!((h.head_name.as_deref(), head), (Some(a), Some(b)) if fold_key(a) != fold_key(b));
        let size_differs = matches!((h.size, size), (Some(a), Some(b)) if a != b);
        if head_differs || size_differs {
            flags.push(Flag {
                kind: FlagKind::HouseholdDiffers,
                weight: FlagWeight::Check,
                detail: format!(
                    "Dữ liệu dân cư ghi chủ hộ {}, {} nhân khẩu đang cư trú ({at}).",
                    head.unwrap_or("(không rõ)"),
                    size.map_or("không rõ".to_owned(), |s| s.to_string())
                ),
                correction: None,
            });
        }
    }
}

/// The ward an address names ("…, phường Long Trường, TP Thủ Đức" → "Long Trường"), with its
/// diacritics as written.
fn named_ward(address: &str) -> Option<String> {
    address.rsplit([',', ';', '-']).find_map(|part| {
        let part = chamlo_vn::text::normalize(part);
        let key = fold_key(&part);
        let prefix = ["phuong ", "p. ", "p."]
            .into_iter()
            .find(|p| key.starts_with(p))?;
        // The prefix is ASCII in the key and one character per letter in the text.
        let rest: String = part.chars().skip(prefix.chars().count()).collect();
        let rest = rest.trim();
        (!rest.is_empty()).then(|| rest.to_owned())
    })
}

/// The counts of a check, for the report and `chamlo verify`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckCounts {
    /// Listed people checked.
    pub checked: usize,
    /// Found by ID.
    pub matched: usize,
    /// Found by name alone.
    pub probable: usize,
}

/// Counts verdicts.
pub fn count(verdicts: &[Verdict]) -> CheckCounts {
    CheckCounts {
        checked: verdicts.len(),
        matched: verdicts
            .iter()
            .filter(|v| v.matched == MatchKind::Id)
            .count(),
        probable: verdicts
            .iter()
            .filter(|v| v.matched == MatchKind::Probable)
            .count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resident(row: u32, name: &str, year: i32, id: Option<&str>) -> Resident {
        Resident {
            row,
            full_name: name.to_owned(),
            birth_year: Some(year),
            birth_date: None,
            gender: Some(Gender::Male),
            national_id: id.map(str::to_owned),
            household_head: Some(name.to_owned()),
            relation: Some("Chủ hộ".to_owned()),
            permanent_address: Some("1 Lê Văn Việt, KP 1".to_owned()),
            current_address: Some("1 Lê Văn Việt, KP 1, phường Tân Phú".to_owned()),
            khu_pho: None,
            status: ResidentStatus::Living,
        }
    }

    fn listed(entry_id: i32, name: &str, year: i32, id: Option<&str>) -> ListedPerson {
        ListedPerson {
            entry_id,
            full_name: name.to_owned(),
            birth_year: Some(year),
            gender: Some(Gender::Male),
            national_id: id.map(str::to_owned),
            ..ListedPerson::default()
        }
    }

    fn ctx() -> CheckContext {
        CheckContext {
            ward_name: "Tân Phú".to_owned(),
            tet: tet_date(2027),
        }
    }

    fn kinds(v: &Verdict) -> Vec<FlagKind> {
        v.flags.iter().map(|f| f.kind).collect()
    }

    #[test]
    fn tet_2027_is_the_sixth_of_february() {
        assert_eq!(tet_date(2027), NaiveDate::from_ymd_opt(2027, 2, 6).unwrap());
        assert_eq!(
            tet_date(2026),
            NaiveDate::from_ymd_opt(2026, 2, 17).unwrap()
        );
    }

    #[test]
    fn a_clean_match_by_id_has_no_flag_and_case_or_spacing_is_no_difference() {
        let rs = [resident(5, "Nguyễn Văn An", 1950, Some("079050000123"))];
        let v = match_list(
            &[listed(1, "NGUYỄN  VĂN AN", 1950, Some("079050000123"))],
            &rs,
            &ctx(),
        );
        assert_eq!(v[0].matched, MatchKind::Id);
        assert!(v[0].flags.is_empty(), "{:?}", v[0].flags);
    }

    #[test]
    fn names_differ_by_diacritics_or_by_letters() {
        let rs = [
            resident(5, "Nguyễn Văn An", 1950, Some("079050000123")),
            resident(6, "Trần Văn Bình", 1951, Some("079051000124")),
        ];
        let v = match_list(
            &[
                listed(1, "Nguyên Văn Ân", 1950, Some("079050000123")),
                listed(2, "Trần Văn Minh", 1951, Some("079051000124")),
            ],
            &rs,
            &ctx(),
        );
        assert_eq!(kinds(&v[0]), [FlagKind::NameDiacritics]);
        assert_eq!(kinds(&v[1]), [FlagKind::NameDiffers]);
        assert_eq!(
            v[1].flags[0]
                .correction
                .as_ref()
                .and_then(|c| c.full_name.as_deref()),
            Some("Trần Văn Bình")
        );
    }

    #[test]
    fn without_an_id_a_name_match_is_only_probable() {
        let rs = [resident(5, "Nguyễn Văn An", 1950, Some("079050000123"))];
        let v = match_list(&[listed(1, "nguyen van an", 1950, None)], &rs, &ctx());
        assert_eq!(v[0].matched, MatchKind::Probable);
        assert_eq!(kinds(&v[0]), [FlagKind::NameDiacritics]);
    }

    #[test]
    fn a_death_before_tet_stops_and_after_tet_is_a_note() {
        let mut before = resident(5, "Lê Văn Chết", 1930, Some("079030000001"));
        before.status = ResidentStatus::Deceased {
            date: NaiveDate::from_ymd_opt(2026, 12, 1),
        };
        let mut after = resident(6, "Lê Văn Sau", 1931, Some("079031000001"));
        after.status = ResidentStatus::Deceased {
            date: NaiveDate::from_ymd_opt(2027, 3, 1),
        };
        let v = match_list(
            &[
                listed(1, "Lê Văn Chết", 1930, Some("079030000001")),
                listed(2, "Lê Văn Sau", 1931, Some("079031000001")),
            ],
            &[before, after],
            &ctx(),
        );
        assert_eq!(v[0].flags[0].weight, FlagWeight::Stop);
        assert!(v[0].flags[0].detail.contains("01/12/2026"));
        assert_eq!(v[1].flags[0].weight, FlagWeight::Note);
    }

    #[test]
    fn another_ward_is_named() {
        let mut r = resident(5, "Phạm Văn Đi", 1960, Some("079060000001"));
        r.current_address = Some("9 Nguyễn Duy Trinh, phường Long Trường, TP Thủ Đức".to_owned());
        let v = match_list(
            &[listed(1, "Phạm Văn Đi", 1960, Some("079060000001"))],
            &[r],
            &ctx(),
        );
        assert_eq!(kinds(&v[0]), [FlagKind::OtherWard]);
        assert!(v[0].flags[0].detail.contains("Long Trường"));
    }

    #[test]
    fn an_unknown_id_is_flagged_and_the_name_suggests_the_right_one() {
        let rs = [resident(5, "Võ Thị Em", 1970, Some("079170000555"))];
        let v = match_list(
            &[listed(1, "Võ Thị Em", 1970, Some("079170000556"))],
            &rs,
            &ctx(),
        );
        assert_eq!(v[0].matched, MatchKind::Probable);
        assert_eq!(kinds(&v[0]), [FlagKind::IdNotFound]);
        assert!(
            !v[0].flags[0].detail.contains("079170000555"),
            "IDs are masked"
        );
        assert_eq!(
            v[0].flags[0]
                .correction
                .as_ref()
                .and_then(|c| c.national_id.as_deref()),
            Some("079170000555")
        );
    }
}
