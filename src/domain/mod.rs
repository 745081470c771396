//! The rules of the domain and the queries that apply them.

pub mod accounts;
pub mod audit;
pub mod campaigns;
pub mod catalogue;
pub mod collation;
pub mod entitlements;
pub mod identity;
pub mod import_commit;
pub mod lunar;
pub mod money_words;
pub mod scope;
pub mod text;
pub mod units;
