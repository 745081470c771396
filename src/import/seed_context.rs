//! The seeded catalogue and wards as an [`ImportContext`], without a database: what the unit
//! tests, the hostile-file tests, the fuzz target and the benchmarks read files with. The one
//! place outside the migrations that turns the seed data into import values.

use super::{ImportContext, KnownWard};
use crate::domain::catalogue::{Catalogue, Category, CategoryKind};
use migration::seed_data as seed;

/// The seeded catalogue of categories with their synonyms.
pub fn seed_catalogue() -> Catalogue {
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
pub fn seed_wards() -> Vec<KnownWard> {
    seed::UNITS
        .iter()
        .filter(|u| u.level == "ward")
        .enumerate()
        .map(|(i, u)| KnownWard {
            id: i as i64 + 1,
            code: u.code.into(),
            name: u.name.into(),
        })
        .collect()
}

/// A context for a campaign of `year`.
pub fn seed_context(year: i32) -> ImportContext {
    ImportContext {
        catalogue: seed_catalogue(),
        wards: seed_wards(),
        current_year: year,
    }
}
