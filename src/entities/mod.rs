//! sea-orm entities, one per table, and the states their columns hold ([`states`]).

pub mod api_token;
pub mod audit_event;
pub mod campaign;
pub mod category;
pub mod category_synonym;
pub mod duplicate_decision;
pub mod entry;
pub mod gift_program;
pub mod household;
pub mod import_batch;
pub mod login_attempt;
pub mod pending_upload;
pub mod person;
pub mod program_amount;
pub mod session;
pub mod states;
pub mod unit;
pub mod unit_lineage;
pub mod unit_lineage_quarter;
pub mod user;
pub mod ward_list;
