//! Imports every sample in import-samples/ and checks every expected value, row by row,
//! against `import-samples/expected/<file>.json`.

use super::read_ward_file;
use super::seed_context::seed_context;
use serde_json::Value;
use std::path::PathBuf;

/// The import-samples directory, found by walking up from the crate (so that the test runs
/// in the main crate and in any crate that includes these files).
fn samples_dir() -> Option<PathBuf> {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let candidate = dir.join("import-samples");
        if candidate.join("expected").is_dir() {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// The campaign year of a sample (README: file 05 is Tết Canh Tý 2020, the others 2021).
fn campaign_year(file: &str) -> i32 {
    if file.starts_with("05-") { 2020 } else { 2021 }
}

fn compare_sample(dir: &std::path::Path, file: &str, expected: &Value, problems: &mut Vec<String>) {
    let bytes = match std::fs::read(dir.join(file)) {
        Ok(b) => b,
        Err(e) => {
            problems.push(format!("{file}: cannot read: {e}"));
            return;
        }
    };
    let ctx = seed_context(campaign_year(file));
    let list = match read_ward_file(file, &bytes, &ctx) {
        Ok(l) => l,
        Err(e) => {
            problems.push(format!("{file}: read error: {e}"));
            return;
        }
    };
    let actual = match serde_json::to_value(&list) {
        Ok(v) => v,
        Err(e) => {
            problems.push(format!("{file}: cannot serialise: {e}"));
            return;
        }
    };
    for key in ["file", "sheet", "header_row", "ward"] {
        if expected.get(key) != actual.get(key) {
            problems.push(format!(
                "{file}: {key}: expected {}, got {}",
                expected.get(key).unwrap_or(&Value::Null),
                actual.get(key).unwrap_or(&Value::Null)
            ));
        }
    }
    let empty = Vec::new();
    let exp_rows = expected["rows"].as_array().unwrap_or(&empty);
    let act_rows = actual["rows"].as_array().unwrap_or(&empty);
    let exp_numbers: Vec<&Value> = exp_rows.iter().map(|r| &r["row"]).collect();
    let act_numbers: Vec<&Value> = act_rows.iter().map(|r| &r["row"]).collect();
    if exp_numbers != act_numbers {
        problems.push(format!(
            "{file}: person rows: expected {exp_numbers:?}, got {act_numbers:?}"
        ));
    }
    for exp in exp_rows {
        let Some(act) = act_rows.iter().find(|a| a["row"] == exp["row"]) else {
            continue;
        };
        let row = &exp["row"];
        let Some(fields) = exp.as_object() else {
            continue;
        };
        for (key, want) in fields {
            if key == "issue_fields" {
                let mut got: Vec<String> = act["issues"]
                    .as_array()
                    .unwrap_or(&empty)
                    .iter()
                    .filter_map(|i| i["field"].as_str().map(str::to_owned))
                    .collect();
                got.sort();
                got.dedup();
                let mut want: Vec<String> = want
                    .as_array()
                    .unwrap_or(&empty)
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                want.sort();
                if got != want {
                    problems.push(format!(
                        "{file} row {row}: issue fields: expected {want:?}, got {got:?} ({})",
                        act["issues"]
                    ));
                }
            } else if act.get(key) != Some(want) {
                problems.push(format!(
                    "{file} row {row}: {key}: expected {want}, got {}",
                    act.get(key).unwrap_or(&Value::Null)
                ));
            }
        }
    }
}

#[test]
fn every_sample_imports_to_its_expected_rows() {
    let Some(dir) = samples_dir() else {
        panic!("import-samples/expected not found above CARGO_MANIFEST_DIR");
    };
    let mut expected_files: Vec<PathBuf> = std::fs::read_dir(dir.join("expected"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    expected_files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    expected_files.sort();
    assert!(!expected_files.is_empty(), "no expected/*.json files");
    let mut problems = Vec::new();
    for path in &expected_files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let expected: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{}: bad JSON: {e}", path.display()));
                continue;
            }
        };
        let Some(file) = expected["file"].as_str() else {
            problems.push(format!("{}: no \"file\"", path.display()));
            continue;
        };
        compare_sample(&dir, file, &expected, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
