//! The lineage pages an administrator edits (`/admin/lineage…`): adding, correcting and
//! removing lines, the khu phố of a part, refusals that change nothing; and lineage from a
//! spreadsheet, on the page (preview, then apply) and with `chamlo units lineage-import`.

use chamlo::domain::lineage;
use chamlo::domain::units::all_units;
use chamlo::entities::states::Role;
use chamlo::entities::{audit_event, unit, unit_lineage};
use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::cli::run_chamlo;
use crate::helpers::TestApp;
use crate::pages_ward::upload;

/// A seeded ward by name: the one of 1 July 2025 (`new`) or the one that ended then.
pub(crate) fn ward<'a>(units: &'a [unit::Model], name: &str, new: bool) -> &'a unit::Model {
    units
        .iter()
        .find(|u| u.name == name && u.valid_from.is_some() == new)
        .unwrap_or_else(|| panic!("ward {name} seeded"))
}

async fn line_id(app: &TestApp, from: i32, to: i32) -> Option<i32> {
    unit_lineage::Entity::find()
        .filter(unit_lineage::Column::PredecessorId.eq(from))
        .filter(unit_lineage::Column::SuccessorId.eq(to))
        .one(&app.db)
        .await
        .unwrap()
        .map(|line| line.id)
}

/// The khu phố entered as going from `from` to `to`, sorted.
pub(crate) async fn quarters_of(app: &TestApp, from: i32, to: i32) -> Vec<String> {
    let loaded = lineage::load(&app.db).await.unwrap();
    let mut found: Vec<String> = loaded
        .quarters
        .iter()
        .filter(|q| q.predecessor_id == from && q.successor_id == to)
        .map(|q| q.quarter.clone())
        .collect();
    found.sort();
    found
}

async fn audit_count(app: &TestApp) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.starts_with("lineage."))
        .count(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_administrator_splits_a_ward_by_khu_pho_corrects_and_removes_lines() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("quantri", Role::Admin, None).await;
    let units = all_units(&app.db).await.unwrap();
    let hiep_phu = ward(&units, "Hiệp Phú", false).id;
    let tnp = ward(&units, "Tăng Nhơn Phú", true).id;
    let long_binh = ward(&units, "Long Bình", true).id;

    let page = app.get("/admin/lineage", Some(&admin)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Phường Hiệp Phú"));
    assert!(page.body.contains("Thêm dòng kế thừa"));

    // Refusals change nothing: a unit into itself, a cycle, a second place for a whole unit.
    let refusals = [
        (hiep_phu, hiep_phu, "whole", "", "hai đơn vị khác nhau"),
        (tnp, hiep_phu, "whole", "", "tiền thân"),
        (long_binh, tnp, "whole", "", "còn hiệu lực"),
        (hiep_phu, long_binh, "part", "", "nhập nguyên vẹn"),
    ];
    for (from, to, share, day, said) in refusals {
        let refused = app
            .post_form(
                "/admin/lineage",
                &[
                    ("from_id", &from.to_string()),
                    ("to_id", &to.to_string()),
                    ("share", share),
                    ("effective_on", day),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(refused.status, 422, "{said}");
        assert!(refused.body.contains(said), "{said}: {}", refused.body);
    }
    assert_eq!(lineage::load(&app.db).await.unwrap().lines.len(), 13);

    // Hiệp Phú's line becomes a part; a date that leaves a gap is refused.
    let hp_tnp = line_id(&app, hiep_phu, tnp).await.unwrap();
    let corrected = app
        .post_form(
            &format!("/admin/lineage/{hp_tnp}"),
            &[("share", "part"), ("effective_on", "2025-07-01")],
            Some(&admin),
        )
        .await;
    assert_eq!(corrected.status, 303, "{}", corrected.body);
    let gap = app
        .post_form(
            "/admin/lineage",
            &[
                ("from_id", &hiep_phu.to_string()),
                ("to_id", &long_binh.to_string()),
                ("share", "part"),
                ("effective_on", "2025-08-01"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(gap.status, 422);
    assert!(gap.body.contains("không nối liền"), "{}", gap.body);
    let added = app
        .post_form(
            "/admin/lineage",
            &[
                ("from_id", &hiep_phu.to_string()),
                ("to_id", &long_binh.to_string()),
                ("share", "part"),
                ("effective_on", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let hp_lb = line_id(&app, hiep_phu, long_binh).await.unwrap();
    assert_eq!(added.location(), format!("/admin/lineage/{hp_lb}"));

    // Khu phố typed the ways officers type them, stored one way; one moves between lines.
    let saved = app
        .post_form(
            &format!("/admin/lineage/{hp_tnp}/quarters"),
            &[("quarters", "KP 3, khu pho 4\nTổ 7")],
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        quarters_of(&app, hiep_phu, tnp).await,
        ["Khu phố 3", "Khu phố 4", "Tổ 7"]
    );
    let moved = app
        .post_form(
            &format!("/admin/lineage/{hp_lb}/quarters"),
            &[("quarters", "Khu phố 4")],
            Some(&admin),
        )
        .await;
    assert_eq!(moved.status, 303);
    assert_eq!(quarters_of(&app, hiep_phu, long_binh).await, ["Khu phố 4"]);
    assert_eq!(
        quarters_of(&app, hiep_phu, tnp).await,
        ["Khu phố 3", "Tổ 7"]
    );
    let units = all_units(&app.db).await.unwrap();
    let tet_2027 = NaiveDate::from_ymd_opt(2027, 2, 6).unwrap();
    assert_eq!(
        lineage::load(&app.db)
            .await
            .unwrap()
            .resolve(&units, hiep_phu, tet_2027, Some("KP4")),
        lineage::Resolution::Successor(long_binh)
    );
    // Correcting a khu phố: the box keeps what was typed and nothing changes on a bad name.
    let before = audit_count(&app).await;
    let bad = app
        .post_form(
            &format!("/admin/lineage/{hp_tnp}/quarters"),
            &[("quarters", "Khu phố 3, chợ cũ")],
            Some(&admin),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("không phải tên khu phố"), "{}", bad.body);
    assert!(bad.body.contains("Khu phố 3, chợ cũ"));
    assert_eq!(audit_count(&app).await, before);
    assert_eq!(
        quarters_of(&app, hiep_phu, tnp).await,
        ["Khu phố 3", "Tổ 7"]
    );
    let line_page = app
        .get(&format!("/admin/lineage/{hp_tnp}"), Some(&admin))
        .await;
    assert!(line_page.body.contains("Phần còn lại của Phường Hiệp Phú"));

    // A mistaken line goes, with its khu phố; the audit log says so.
    let removed = app
        .post_form(&format!("/admin/lineage/{hp_lb}/delete"), &[], Some(&admin))
        .await;
    assert_eq!(removed.status, 303);
    assert_eq!(line_id(&app, hiep_phu, long_binh).await, None);
    assert!(quarters_of(&app, hiep_phu, long_binh).await.is_empty());
    for action in [
        "lineage.update",
        "lineage.create",
        "lineage.quarter",
        "lineage.quarter_delete",
        "lineage.delete",
    ] {
        let count = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(action))
            .count(&app.db)
            .await
            .unwrap();
        assert!(count > 0, "{action} audited");
    }
}

/// A city's lineage file: the 2025 Long Bình ends on 30/06/2026 and is split between a new
/// Long Bình Tây and Long Trường; Hiệp Phú's line is already there. `extra` rows follow.
fn lineage_file(extra: &[[&str; 5]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write(0, 0, "DANH SÁCH SẮP XẾP PHƯỜNG, XÃ").unwrap();
    let header = [
        "STT",
        "Phường/xã cũ",
        "Phường/xã mới",
        "Toàn bộ/Một phần",
        "Khu phố",
        "Ngày hiệu lực",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write(2, c as u16, *h).unwrap();
    }
    let mut rows = vec![
        [
            "Phường Long Bình",
            "Long Bình Tây",
            "Một phần",
            "KP 3, KP 4",
            "01/07/2026",
        ],
        [
            "long binh",
            "Phường Long Trường",
            "",
            "Khu phố 5",
            "01/07/2026",
        ],
        ["Hiệp Phú", "Tăng Nhơn Phú", "Toàn bộ", "", "01/07/2025"],
    ];
    rows.extend_from_slice(extra);
    for (r, row) in rows.iter().enumerate() {
        let r = 3 + r as u32;
        sheet.write(r, 0, (r - 2) as f64).unwrap();
        for (c, value) in row.iter().enumerate() {
            sheet.write(r, 1 + c as u16, *value).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// Ends the 2025 Long Bình on 30/06/2026 and adds Long Bình Tây from 01/07/2026.
async fn split_long_binh_units(app: &TestApp) {
    let units = all_units(&app.db).await.unwrap();
    let city = units.iter().find(|u| u.code == "79").unwrap().id;
    let actor = chamlo::domain::audit::Actor::system("test");
    let saved = chamlo::domain::units::save_unit(
        &app.db,
        &actor,
        None,
        chamlo::domain::units::UnitInput {
            code: "99001".into(),
            name: "Long Bình Tây".into(),
            level: "ward".into(),
            parent_id: Some(city),
            valid_from: NaiveDate::from_ymd_opt(2026, 7, 1),
            valid_to: None,
        },
    )
    .await;
    assert!(saved.is_ok(), "new ward");
    let mut ended: unit::ActiveModel = ward(&units, "Long Bình", true).clone().into();
    ended.valid_to = Set(NaiveDate::from_ymd_opt(2026, 6, 30));
    ended.update(&app.db).await.unwrap();
}

#[tokio::test]
async fn a_lineage_spreadsheet_is_previewed_applied_once_and_refused_whole_when_a_row_is_wrong() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("quantri", Role::Admin, None).await;
    split_long_binh_units(&app).await;

    // A wrong row: nothing is stored, each bad row named with its number.
    let bad = lineage_file(&[
        ["Phường Không Có", "Long Trường", "Toàn bộ", "", ""],
        ["Long Bình", "Long Bình Tây", "Một phần", "chợ", ""],
    ]);
    let preview = upload(
        &app,
        "/admin/lineage/import",
        "ke-thua.xlsx",
        &bad,
        &[],
        &admin,
    )
    .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview
            .body
            .contains("Dòng 7: Không có phường/xã cũ “Phường Không Có”")
    );
    assert!(
        preview
            .body
            .contains("Dòng 8: “chợ” không phải tên khu phố")
    );
    assert!(!preview.body.contains("/admin/lineage/import/apply"));
    assert_eq!(lineage::load(&app.db).await.unwrap().lines.len(), 13);

    let good = lineage_file(&[]);
    let preview = upload(
        &app,
        "/admin/lineage/import",
        "ke-thua.xlsx",
        &good,
        &[],
        &admin,
    )
    .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains("Áp dụng 2 dòng, 3 khu phố"),
        "{}",
        preview.body
    );
    assert!(
        preview.body.contains("Không đổi"),
        "Hiệp Phú's line is already there"
    );
    assert_eq!(lineage::load(&app.db).await.unwrap().lines.len(), 13);
    let hex: String = good.iter().map(|b| format!("{b:02x}")).collect();
    let applied = app
        .post_form(
            "/admin/lineage/import/apply",
            &[("file_name", "ke-thua.xlsx"), ("file_hex", &hex)],
            Some(&admin),
        )
        .await;
    assert_eq!(applied.status, 303, "{}", applied.body);
    assert_eq!(applied.location(), "/admin/lineage?notice=da-nhap");
    let units = all_units(&app.db).await.unwrap();
    let long_binh = ward(&units, "Long Bình", true).id;
    let lbt = ward(&units, "Long Bình Tây", true).id;
    let long_truong = ward(&units, "Long Trường", true).id;
    assert_eq!(
        quarters_of(&app, long_binh, lbt).await,
        ["Khu phố 3", "Khu phố 4"]
    );
    assert_eq!(
        quarters_of(&app, long_binh, long_truong).await,
        ["Khu phố 5"]
    );
    let audited = audit_count(&app).await;

    // The same file again changes nothing.
    let again = app
        .post_form(
            "/admin/lineage/import/apply",
            &[("file_name", "ke-thua.xlsx"), ("file_hex", &hex)],
            Some(&admin),
        )
        .await;
    assert_eq!(again.location(), "/admin/lineage?notice=khong-doi");
    assert_eq!(lineage::load(&app.db).await.unwrap().lines.len(), 15);
    assert_eq!(audit_count(&app).await, audited);

    // A file that is no spreadsheet is refused on the lineage page.
    let junk = upload(
        &app,
        "/admin/lineage/import",
        "x.xlsx",
        b"khong phai",
        &[],
        &admin,
    )
    .await;
    assert_eq!(junk.status, 422);
    assert!(junk.body.contains("Nhập từ bảng tính"));
}

#[tokio::test]
async fn units_lineage_import_checks_with_dry_run_then_applies_all_or_nothing() {
    let app = TestApp::spawn().await;
    split_long_binh_units(&app).await;
    let dir = std::env::temp_dir().join(format!("chamlo-lineage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad_path = dir.join(format!("bad-{}.xlsx", rand_suffix()));
    std::fs::write(
        &bad_path,
        lineage_file(&[["Tăng Nhơn Phú", "Hiệp Phú", "Toàn bộ", "", ""]]),
    )
    .unwrap();
    let bad_file = bad_path.to_str().unwrap();
    let refused = run_chamlo(&app, &["units", "lineage-import", bad_file, "--json"], &[]);
    assert_eq!(refused.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(report["applied"], false);
    assert_eq!(report["problems"][0]["row"], 7);
    assert_eq!(lineage::load(&app.db).await.unwrap().lines.len(), 13);

    let good_path = dir.join(format!("good-{}.xlsx", rand_suffix()));
    std::fs::write(&good_path, lineage_file(&[])).unwrap();
    let good_file = good_path.to_str().unwrap();
    let dry = run_chamlo(
        &app,
        &["units", "lineage-import", good_file, "--json", "--dry-run"],
        &[],
    );
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(report["applied"], false);
    assert_eq!(report["lines_added"], 2);
    assert_eq!(report["quarters_set"], 3);
    assert_eq!(lineage::load(&app.db).await.unwrap().lines.len(), 13);

    let applied = run_chamlo(&app, &["units", "lineage-import", good_file, "--json"], &[]);
    assert!(applied.status.success());
    let report: serde_json::Value = serde_json::from_slice(&applied.stdout).unwrap();
    assert_eq!(report["applied"], true);
    assert_eq!(lineage::load(&app.db).await.unwrap().lines.len(), 15);
    let again = run_chamlo(&app, &["units", "lineage-import", good_file], &[]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("Sẽ thêm 0 dòng kế thừa, 0 khu phố."));
    let unreadable = run_chamlo(&app, &["units", "lineage-import", "/nonexistent.xlsx"], &[]);
    assert_eq!(unreadable.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}
