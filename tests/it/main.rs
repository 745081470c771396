//! The one integration-test binary. Every test runs on a fresh database: SQLite by default,
//! PostgreSQL when `TEST_DATABASE_URL=postgres://…`.

mod accounts;
mod cli;
mod helpers;
mod import;
mod schema;
mod scope;
