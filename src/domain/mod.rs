//! The rules of the domain and the queries that apply them.

pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod backup;
pub mod campaigns;
pub mod carry_forward;
pub mod categories;
pub mod distribution;
pub mod duplicates;
pub mod entitlements;
pub mod exports;
pub mod gift_planning;
pub mod import_check;
pub mod import_commit;
pub mod list_entries;
pub mod login_throttle;
pub mod operator;
pub mod pending_uploads;
pub mod people;
pub mod programs;
pub mod progress;
pub mod scope;
pub mod secret_tokens;
pub mod signed_sheet_apply;
pub mod units;
pub mod ward_lists;
