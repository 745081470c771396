//! The database schema of Chamlo, as sea-orm migrations that run on SQLite and PostgreSQL.
//!
//! Migrations run at every start of the service (and in every test), so they must stay
//! idempotent through `seaql_migrations` and portable: only statements both engines accept.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_create_schema;
mod m20261126_000002_seed_units_and_categories;
mod m20261127_000001_create_pending_uploads;
mod m20261201_000001_create_login_attempts;
mod m20261201_000002_import_speed;
mod m20261201_000003_page_indexes;
mod m20261204_140101_create_ward_synonyms;
mod m20261204_150001_unit_lineage;
mod m20261204_160001_create_payments;
mod m20261204_170001_create_distribution_day;
mod m20261204_180001_create_population_check;
mod m20261204_190001_entry_former_ward;
mod m20261204_240001_sectors;
mod m20261204_240002_list_sector_approvals;
mod m20261205_190001_category_tallies;
mod m20261205_200001_person_address_key;

pub use m20261205_200001_person_address_key::backfill as backfill_address_keys;
mod m20261205_200101_units_version;
mod m20261206_160001_create_payment_batch_files;
mod m20261207_110001_entry_name_key;
mod m20261208_090001_pairing_versions;
mod m20261208_100001_categories_version;
mod m20261209_090001_list_name_versions;

/// Runs every migration in order; `Migrator::up(&db, None)` brings a database to the latest schema.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_schema::Migration),
            Box::new(m20261126_000002_seed_units_and_categories::Migration),
            Box::new(m20261127_000001_create_pending_uploads::Migration),
            Box::new(m20261201_000001_create_login_attempts::Migration),
            Box::new(m20261201_000002_import_speed::Migration),
            Box::new(m20261201_000003_page_indexes::Migration),
            Box::new(m20261204_140101_create_ward_synonyms::Migration),
            Box::new(m20261204_150001_unit_lineage::Migration),
            Box::new(m20261204_160001_create_payments::Migration),
            Box::new(m20261204_170001_create_distribution_day::Migration),
            Box::new(m20261204_180001_create_population_check::Migration),
            Box::new(m20261204_190001_entry_former_ward::Migration),
            Box::new(m20261204_240001_sectors::Migration),
            Box::new(m20261204_240002_list_sector_approvals::Migration),
            Box::new(m20261205_190001_category_tallies::Migration),
            Box::new(m20261205_200001_person_address_key::Migration),
            Box::new(m20261205_200101_units_version::Migration),
            Box::new(m20261206_160001_create_payment_batch_files::Migration),
            Box::new(m20261207_110001_entry_name_key::Migration),
            Box::new(m20261208_090001_pairing_versions::Migration),
            Box::new(m20261208_100001_categories_version::Migration),
            Box::new(m20261209_090001_list_name_versions::Migration),
        ]
    }
}
