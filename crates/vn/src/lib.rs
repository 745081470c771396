//! The bottom room of Chamlo: the language and identity of the domain.
//!
//! Vietnamese text (normalising, folding, names), collation, CCCD/CMND numbers, amounts in
//! words, lunar years, the category vocabulary with its seed data, and the states that rows
//! are stored in. Nothing here touches a database, the web or async code, so the file reader,
//! the workbook writer, the benches and the fuzz target build on it alone.

pub mod banks;
pub mod catalogue;
pub mod collation;
pub mod identity;
pub mod lunar;
pub mod money_words;
pub mod seed;
pub mod states;
pub mod text;
