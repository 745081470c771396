//! Feeds arbitrary bytes to `chamlo_sheets::import::read_ward_file`, the reader behind every upload
//! and `chamlo import`: it must answer a `ParsedList` or a `ReadError`, never abort, hang or
//! exhaust memory.
//!
//! Panics inside the spreadsheet libraries are caught by `read_ward_file` and reported as a
//! damaged file, which is the intended behaviour, so the panic hook below ignores them; a panic
//! anywhere else (our own reading and normalising code) still aborts and counts as a crash.

#![no_main]

use std::sync::{Arc, OnceLock};

use chamlo_sheets::import::seed_context::seed_context;
use chamlo_sheets::import::{ImportContext, read_ward_file};
use libfuzzer_sys::fuzz_target;

/// The seeded catalogue and wards, as a real import sees them.
fn context() -> &'static ImportContext {
    static CONTEXT: OnceLock<ImportContext> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        install_panic_hook();
        seed_context(2026)
    })
}

/// Library panics (caught and reported as a damaged file) pass silently; any other panic
/// aborts, as libfuzzer's own hook would.
fn install_panic_hook() {
    let libfuzzer_hook = Arc::new(std::panic::take_hook());
    std::panic::set_hook(Box::new(move |info| {
        let in_library = info.location().is_some_and(|l| {
            let file = l.file();
            [
                "/calamine-",
                "/zip-",
                "/cfb-",
                "/quick-xml-",
                "/encoding_rs-",
                "/codepage-",
            ]
            .iter()
            .any(|lib| file.contains(lib))
        });
        if !in_library {
            libfuzzer_hook(info);
            std::process::abort();
        }
    }));
}

fuzz_target!(|data: &[u8]| {
    let ctx = context();
    if let Ok(list) = read_ward_file("fuzz.xlsx", data, ctx) {
        // Formatting walks every row and field, as the preview page does.
        std::hint::black_box(format!("{list:?}"));
    }
});
