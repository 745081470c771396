//! The dashboard's table of wards, a page at a time and narrowed by where each ward's list
//! stands: at city size 168 wards made a 131 KB page rendered on every view, and what a
//! reviewer looks for is a status ("Chờ duyệt": the lists waiting for them) and then a ward.
//! The figures above the table still count every ward in scope.

use serde::Deserialize;

use crate::entities::states::ListStatus;
use crate::web::layout::url_encode;

/// Wards on one page of the dashboard's table.
pub const WARDS_PER_PAGE: usize = 25;

/// The status code of a ward without a list.
pub const NO_LIST: &str = "none";

/// One ward on the dashboard.
#[derive(Clone)]
pub struct WardProgress {
    /// The ward's id, for links.
    pub ward_id: i32,
    /// Its official name.
    pub name: String,
    /// The list's status code ([`NO_LIST`] without a list).
    pub status: String,
    /// The status in Vietnamese.
    pub status_label: String,
    /// Gifts on the list.
    pub people: i64,
    /// Their money, formatted.
    pub amount: String,
    /// Gifts received.
    pub received: i64,
    /// Percent received, 0–100.
    pub received_pct: i64,
    /// Percent not received, 0–100 (drawn after the received part).
    pub not_received_pct: i64,
}

/// What the query string asks of the table: `?wards=submitted&page=2`. Text, so a mistyped
/// address shows the first page of every ward rather than an error.
#[derive(Debug, Default, Deserialize)]
pub struct WardTableQuery {
    /// A list status code, or [`NO_LIST`]; anything else: every ward.
    #[serde(default)]
    pub wards: String,
    /// The 1-based page.
    #[serde(default)]
    pub page: String,
}

/// One choice of the status filter, with how many wards it holds.
pub struct StatusChoice {
    /// The link that shows it.
    pub link: String,
    /// Its words.
    pub label: &'static str,
    /// Wards in it.
    pub count: usize,
    /// Whether it is the one shown.
    pub current: bool,
}

/// The table as the page shows it.
pub struct WardTable {
    /// The wards of this page.
    pub rows: Vec<WardProgress>,
    /// Every ward, then each status that has wards.
    pub choices: Vec<StatusChoice>,
    /// Wards the filter keeps (on every page).
    pub matching: usize,
    /// The position of this page's first and last ward among them (1-based; 0 when none).
    pub first: usize,
    pub last: usize,
    /// Links to the pages before and after (empty at either end).
    pub prev_link: String,
    pub next_link: String,
}

/// The page of `wards` (sorted as shown) that `query` asks for, on the dashboard of `slug`.
pub fn ward_table(slug: &str, wards: &[WardProgress], query: &WardTableQuery) -> WardTable {
    // Each status with its code and words; `None` is a ward without a list.
    let statuses = [
        None,
        Some(ListStatus::Draft),
        Some(ListStatus::Returned),
        Some(ListStatus::Submitted),
        Some(ListStatus::Approved),
    ]
    .map(|status| {
        (
            status.map_or(NO_LIST, ListStatus::as_str),
            status.map_or("Chưa có danh sách", ListStatus::label),
        )
    });
    let filter = statuses
        .iter()
        .map(|(code, _)| *code)
        .find(|code| *code == query.wards)
        .unwrap_or("");
    let link = |status: &str, page: usize| {
        let mut link = format!("/campaigns/{}", url_encode(slug));
        let mut sep = '?';
        if !status.is_empty() {
            link.push_str(&format!("{sep}wards={status}"));
            sep = '&';
        }
        if page > 1 {
            link.push_str(&format!("{sep}page={page}"));
        }
        link.push_str("#phuong");
        link
    };
    let mut choices = vec![StatusChoice {
        link: link("", 1),
        label: "Tất cả",
        count: wards.len(),
        current: filter.is_empty(),
    }];
    for (code, label) in statuses {
        let count = wards.iter().filter(|w| w.status == code).count();
        if count > 0 || code == filter {
            choices.push(StatusChoice {
                link: link(code, 1),
                label,
                count,
                current: code == filter,
            });
        }
    }
    let kept: Vec<&WardProgress> = wards
        .iter()
        .filter(|w| filter.is_empty() || w.status == filter)
        .collect();
    let matching = kept.len();
    let pages = matching.div_ceil(WARDS_PER_PAGE).max(1);
    let page = query
        .page
        .trim()
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, pages);
    let skip = (page - 1) * WARDS_PER_PAGE;
    let rows: Vec<WardProgress> = kept
        .into_iter()
        .skip(skip)
        .take(WARDS_PER_PAGE)
        .cloned()
        .collect();
    WardTable {
        first: if rows.is_empty() { 0 } else { skip + 1 },
        last: skip + rows.len(),
        rows,
        choices,
        matching,
        prev_link: if page > 1 {
            link(filter, page - 1)
        } else {
            String::new()
        },
        next_link: if page < pages {
            link(filter, page + 1)
        } else {
            String::new()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ward(id: i32, status: &str) -> WardProgress {
        WardProgress {
            ward_id: id,
            name: format!("Phường {id:03}"),
            status: status.to_owned(),
            status_label: String::new(),
            people: 1,
            amount: String::new(),
            received: 0,
            received_pct: 0,
            not_received_pct: 0,
        }
    }

    fn query(wards: &str, page: &str) -> WardTableQuery {
        WardTableQuery {
            wards: wards.to_owned(),
            page: page.to_owned(),
        }
    }

    fn city() -> Vec<WardProgress> {
        (1..=60)
            .map(|id| ward(id, if id % 3 == 0 { "submitted" } else { "draft" }))
            .collect()
    }

    #[test]
    fn pages_hold_every_ward_once_in_order() {
        let mut seen = Vec::new();
        for page in 1..=3 {
            let table = ward_table("tet-2026", &city(), &query("", &page.to_string()));
            assert_eq!(table.matching, 60);
            seen.extend(table.rows.iter().map(|w| w.ward_id));
        }
        assert_eq!(seen, (1..=60).collect::<Vec<_>>());
        let last = ward_table("tet-2026", &city(), &query("", "3"));
        assert_eq!((last.first, last.last), (51, 60));
        assert_eq!(last.prev_link, "/campaigns/tet-2026?page=2#phuong");
        assert!(last.next_link.is_empty());
    }

    #[test]
    fn a_status_keeps_its_wards_and_counts_every_status() {
        let table = ward_table("tet-2026", &city(), &query("submitted", ""));
        assert_eq!(table.matching, 20);
        assert!(table.rows.iter().all(|w| w.status == "submitted"));
        assert!(table.next_link.is_empty(), "20 wards fit one page");
        let counts: Vec<(&str, usize, bool)> = table
            .choices
            .iter()
            .map(|c| (c.label, c.count, c.current))
            .collect();
        assert_eq!(
            counts,
            [
                ("Tất cả", 60, false),
                ("Đang lập", 40, false),
                ("Chờ duyệt", 20, true)
            ]
        );
    }

    #[test]
    fn a_mistyped_address_shows_the_first_page_of_every_ward() {
        for (wards, page) in [("bogus", "x"), ("", "0"), ("", "-3")] {
            let table = ward_table("tet-2026", &city(), &query(wards, page));
            assert_eq!((table.matching, table.first), (60, 1));
        }
        let beyond = ward_table("tet-2026", &city(), &query("", "99"));
        assert_eq!(beyond.first, 51, "past the end: the last page");
    }
}
