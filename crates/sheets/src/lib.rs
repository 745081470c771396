//! Chamlo's spreadsheet rooms, pure: bytes in, values out.
//!
//! `import` reads a ward's workbook into rows with their problems; `export` writes signing
//! sheets, reports and annotated copies. Neither knows a database or the web, so the service,
//! the command line, the benches and the fuzz target share them as they are.

pub mod export;
pub mod import;
pub mod population_match;
