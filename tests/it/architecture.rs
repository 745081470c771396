//! The rooms of ARCHITECTURE.md use only the rooms below them. The pure crates (chamlo-vn,
//! chamlo-sheets) cannot reach the service at all, since they do not depend on it; inside the
//! service crate this test reads the sources and refuses an arrow that points up.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("the source folder is readable") {
            let path = entry.expect("a listed file").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The lines of the files under `room` (a path below the repository root) that name one of
/// `forbidden`, as "file:line: text". Comments are skipped: a doc comment may speak of a room
/// above without using it.
fn uses_of(room: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let path = root.join(room);
    let files = if path.is_dir() {
        rust_files(&path)
    } else {
        vec![path]
    };
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            if forbidden.iter().any(|name| code.contains(name)) {
                found.push(format!(
                    "{}:{}: {}",
                    file.strip_prefix(root).unwrap_or(&file).display(),
                    n + 1,
                    code
                ));
            }
        }
    }
    found
}

/// What no room below the web layer may name.
const WEB: [&str; 5] = ["crate::web", "crate::cli", "axum", "askama", "tower"];

#[test]
fn the_domain_uses_neither_the_web_nor_the_command_line() {
    assert_eq!(uses_of("src/domain", &WEB), Vec::<String>::new());
}

#[test]
fn errors_are_plain_data_that_the_web_layer_renders() {
    assert_eq!(uses_of("src/error.rs", &WEB), Vec::<String>::new());
}

#[test]
fn entities_and_database_plumbing_know_no_rule_and_no_page() {
    let above = [
        "crate::domain",
        "crate::error",
        "crate::import",
        "crate::export",
        "crate::web",
        "crate::cli",
        "axum",
    ];
    assert_eq!(uses_of("src/entities", &above), Vec::<String>::new());
    assert_eq!(uses_of("src/db", &above), Vec::<String>::new());
}

#[test]
fn the_web_layer_does_not_call_the_command_line() {
    assert_eq!(uses_of("src/web", &["crate::cli"]), Vec::<String>::new());
}

#[test]
fn the_pure_crates_depend_on_no_database_web_or_async_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for manifest in [
        "crates/vn/Cargo.toml",
        "crates/sheets/Cargo.toml",
        "crates/slips/Cargo.toml",
    ] {
        let text = std::fs::read_to_string(root.join(manifest)).expect("the manifest exists");
        let dependencies = text
            .split("[dependencies]")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .unwrap_or_default();
        for line in dependencies.lines() {
            let name = line.split('=').next().unwrap_or_default().trim();
            let optional = line.contains("optional = true");
            for service_crate in ["sea-orm", "sqlx", "axum", "tokio", "askama"] {
                assert!(
                    optional || !name.starts_with(service_crate),
                    "{manifest} depends on {name}"
                );
            }
            assert_ne!(name, "chamlo", "{manifest} depends on the service crate");
        }
    }
}
