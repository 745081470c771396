//! What officers really type, read through the service: categories with abbreviations inside
//! longer names (a likely reading warns in `chamlo import --json`'s issues), a household
//! list's category heading, an unknown category or ward spelling mapped once from the preview
//! by district staff (never by a ward officer), and an empty chosen file named as empty.

use axum::http::StatusCode;
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::entities::{audit_event, category, category_synonym, ward_synonym};
use rust_xlsxwriter::Workbook;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::cli::run_chamlo;
use crate::helpers::TestApp;
use crate::import::district_campaign;
use crate::pages_ward::upload;

/// A Phước Bình list with a "Phường" column, one person per (name, category, ward) row.
fn ward_file(rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "UBND PHƯỜNG PHƯỚC BÌNH").unwrap();
    ws.write_string(1, 0, "DANH SÁCH NHẬN QUÀ TẾT").unwrap();
    for (c, h) in ["STT", "Họ và tên", "Năm sinh", "Đối tượng", "Phường"]
        .iter()
        .enumerate()
    {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    for (i, (name, category, ward)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_number(r, 2, 1950.0 + i as f64).unwrap();
        ws.write_string(r, 3, *category).unwrap();
        ws.write_string(r, 4, *ward).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn import_json_reads_abbreviated_categories_and_warns_on_a_likely_one() {
    let app = TestApp::spawn().await;
    let path = std::env::temp_dir().join(format!("chamlo-names-{}.xlsx", std::process::id()));
    std::fs::write(
        &path,
        ward_file(&[
            ("Nguyễn Văn An", "Người HĐKC bị nhiễm CĐHH", "Phước Bình"),
            ("Trần Thị Bình", "Vợ LS", "Phước Bình"),
            ("Lê Văn Cường", "TB hạng 1/4", "Phước Bình"),
            (
                "Phạm Văn Dũng",
                "Hộ nghèo có người khuyết tật",
                "Phước Bình",
            ),
            ("Võ Thị Em", "Diện XYZ", "Phước Bình"),
        ]),
    )
    .unwrap();
    let output = run_chamlo(
        &app,
        &["import", path.to_str().unwrap(), "--dry-run", "--json"],
        &[],
    );
    let _ = std::fs::remove_file(&path);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = report["rows"].as_array().unwrap();
    let categories: Vec<&str> = rows
        .iter()
        .map(|r| r["category"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        categories,
        [
            "Người hoạt động kháng chiến bị nhiễm chất độc hóa học",
            "Thân nhân liệt sĩ",
            "Thương binh, người hưởng chính sách như thương binh suy giảm khả năng lao động từ 81% trở lên",
            "Hộ nghèo",
            "-",
        ]
    );
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["accepted", "accepted", "accepted", "accepted", "rejected"]
    );
    let warning = &rows[3]["issues"][0];
    assert_eq!(warning["field"], "category");
    assert_eq!(warning["severity"], "warning");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("được hiểu là “Hộ nghèo”")
    );
    assert!(rows[0]["issues"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_empty_chosen_file_is_said_to_be_empty() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "canbo.phuocbinh",
            Role::Ward,
            Some((UnitLevel::Ward, "Phước Bình")),
        )
        .await;
    let sent = upload(
        &app,
        &format!("/campaigns/{}/import", campaign.slug),
        "danh-sach.xlsx",
        b"",
        &[],
        &cookie,
    )
    .await;
    assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        sent.body.contains("Tệp “danh-sach.xlsx” trống (0 byte)"),
        "{}",
        sent.body
    );
    assert!(!sent.body.contains("Hãy chọn tệp"));
}

/// Uploads the file as `cookie`'s user; returns the preview's path.
async fn preview_path(app: &TestApp, slug: &str, bytes: &[u8], cookie: &str) -> String {
    let sent = upload(
        app,
        &format!("/campaigns/{slug}/import"),
        "phuoc-binh.xlsx",
        bytes,
        &[],
        cookie,
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    sent.location().to_owned()
}

#[tokio::test]
async fn district_staff_map_an_unknown_category_and_ward_spelling_once_from_the_preview() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let file = ward_file(&[
        ("Nguyễn Văn An", "Diện XYZ", "Phước Bình"),
        ("Trần Thị Bình", "Diện XYZ", "P. Phuoc Binh cu"),
        ("Lê Văn Cường", "TNLS", "Phước Bình"),
    ]);
    let preview = preview_path(&app, &campaign.slug, &file, &cookie).await;
    let page = app.get(&preview, Some(&cookie)).await;
    assert!(
        page.body.contains("“Diện XYZ” (2 dòng) là đối tượng"),
        "{}",
        page.body
    );
    assert!(page.body.contains("“P. Phuoc Binh cu” (1 dòng) là"));
    assert!(page.body.contains("<strong>1</strong> dòng hợp lệ"));

    let hckk = category::Entity::find()
        .filter(category::Column::Code.eq("HCKK"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mapped = app
        .post_form(
            &format!("{preview}/map-category"),
            &[("text", "Diện XYZ"), ("target", &hckk.id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(mapped.status, StatusCode::SEE_OTHER, "{}", mapped.body);
    let ward = app.unit(UnitLevel::Ward, "Phước Bình").await;
    let mapped = app
        .post_form(
            &format!("{preview}/map-ward"),
            &[
                ("text", "P. Phuoc Binh cu"),
                ("target", &ward.id.to_string()),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(mapped.status, StatusCode::SEE_OTHER, "{}", mapped.body);

    // The preview checks the file again at once: every row is accepted.
    let page = app.get(&preview, Some(&cookie)).await;
    assert!(
        page.body.contains("<strong>3</strong> dòng hợp lệ"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Giá trị chưa nhận ra"));

    // Both are audited.
    for action in ["category.synonym_add", "ward.synonym_add"] {
        let events = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(action))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(events, 1, "{action}");
    }

    // Mapping the same spelling twice is refused with a clear message, nothing added.
    let again = app
        .post_form(
            &format!("{preview}/map-ward"),
            &[
                ("text", "p. phuoc binh cu"),
                ("target", &ward.id.to_string()),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("đã được gán cho một phường"),
        "{}",
        again.body
    );
    assert_eq!(
        ward_synonym::Entity::find().count(&app.db).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn a_ward_officer_cannot_map_a_value() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "canbo.phuocbinh",
            Role::Ward,
            Some((UnitLevel::Ward, "Phước Bình")),
        )
        .await;
    let file = ward_file(&[("Nguyễn Văn An", "Diện XYZ", "Phước Bình")]);
    let preview = preview_path(&app, &campaign.slug, &file, &cookie).await;
    let page = app.get(&preview, Some(&cookie)).await;
    assert!(page.body.contains("Đối tượng “Diện XYZ” (1 dòng)"));
    assert!(!page.body.contains("/map-category"));
    let synonyms_before = category_synonym::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    let refused = app
        .post_form(
            &format!("{preview}/map-category"),
            &[("text", "Diện XYZ"), ("target", "1")],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let ward = app.unit(UnitLevel::Ward, "Phước Bình").await;
    let refused = app
        .post_form(
            &format!("{preview}/map-ward"),
            &[("text", "Phuoc Binh cu"), ("target", &ward.id.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        category_synonym::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        synonyms_before
    );
    assert_eq!(
        ward_synonym::Entity::find().count(&app.db).await.unwrap(),
        0
    );
}
