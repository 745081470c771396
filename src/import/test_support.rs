//! The seeded catalogue and wards, for tests.
//!
//! The only place tests reach the seed data. The scratch crate that builds these files alone
//! sees it as `crate::seed_data`; in the main crate the `use` line reads
//! `use migration::seed_data as seed;`.

use super::{ImportContext, KnownWard};
use crate::domain::catalogue::{Catalogue, Category, CategoryKind};
use migration::seed_data as seed;

/// The seeded catalogue of categories with their synonyms.
pub(crate) fn test_catalogue() -> Catalogue {
    Catalogue::new(
        seed::CATEGORIES
            .iter()
            .map(|c| Category {
                code: c.code.to_owned(),
                name: c.name.to_owned(),
                kind: CategoryKind::parse(c.kind).unwrap_or(CategoryKind::Hardship),
                rank: c.rank,
                per_household: c.per_household,
                sensitive: c.sensitive,
                synonyms: c.synonyms.iter().map(|s| (*s).to_owned()).collect(),
            })
            .collect(),
    )
}

/// The 13 seeded wards of the former Quận 9, with made-up ids.
pub(crate) fn test_wards() -> Vec<KnownWard> {
    seed::UNITS
        .iter()
        .filter(|u| u.level == "ward")
        .enumerate()
        .map(|(i, u)| KnownWard {
            id: i as i64 + 1,
            code: u.code.to_owned(),
            name: u.name.to_owned(),
        })
        .collect()
}

/// A context for a campaign of `year`.
pub(crate) fn test_context(year: i32) -> ImportContext {
    ImportContext {
        catalogue: test_catalogue(),
        wards: test_wards(),
        current_year: year,
    }
}
