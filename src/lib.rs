//! Chamlo ("chăm lo Tết"): Tết welfare gift lists for a Vietnamese district and its wards.
//!
//! The folders follow the data: `import` reads ward spreadsheets into rows, `domain` holds the
//! rules and the queries, `export` writes workbooks, and `web` and `cli` are thin layers on top.

pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod entities;
pub mod error;
pub mod logging;
pub mod web;

pub use chamlo_sheets::{export, import};
pub use chamlo_vn as vn;
pub use web::{AppState, app};
