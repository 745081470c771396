//! The rules of the domain and the queries that apply them.

pub mod accounts;
pub mod audit;
pub mod campaigns;
pub mod scope;
pub mod text;
pub mod units;
