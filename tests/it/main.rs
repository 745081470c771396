//! The one integration-test binary. Every test runs on a fresh database: SQLite by default,
//! PostgreSQL when `TEST_DATABASE_URL=postgres://…`.

mod access_matrix;
mod accounts;
mod api;
mod architecture;
mod audit_trail;
mod backup;
mod campaign_creation;
mod campaign_cycle;
mod cli;
mod concurrent_import;
mod cycle_support;
mod distribution;
mod e2e;
mod exports;
mod helpers;
mod hostile_files;
mod import;
mod lineage;
mod pages_more;
mod pages_supervision;
mod pages_ward;
mod schema;
mod scope;
mod sessions;
mod signed_sheet;
mod transitions;
