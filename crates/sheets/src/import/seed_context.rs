//! The seeded catalogue and wards as an [`ImportContext`], without a database: what the unit
//! tests, the hostile-file tests, the fuzz target and the benchmarks read files with. The one
//! place outside the migrations that turns the seed data into import values.

use super::{ImportContext, KnownWard, seed_banks};
use chamlo_vn::seed;
pub use chamlo_vn::seed::seed_catalogue;
use chamlo_vn::states::UnitLevel;

/// The 13 seeded wards of the former Quận 9, with made-up ids.
pub fn seed_wards() -> Vec<KnownWard> {
    seed::UNITS
        .iter()
        .filter(|u| u.level == UnitLevel::Ward)
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
        ward_synonyms: Vec::new(),
        banks: seed_banks(),
    }
}
