//! A second view of an upload's preview does not read the file again (issue 19): the server
//! keeps the parse by upload, hash and reading context, and still checks the rows against
//! the campaign every time.

use axum::http::StatusCode;
use chamlo::domain::pending_uploads::{NewUpload, ParsedUploads, read_upload, store_upload};
use chamlo::domain::scope::UnitScope;
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::import::RowStatus;

use crate::helpers::TestApp;
use crate::import::{district_campaign, import_sample, sample_path};

/// The preview as the page and the API see it: every row with its status and problems.
fn preview_json(parsed: &chamlo::import::ParsedList) -> serde_json::Value {
    serde_json::to_value(parsed).expect("the preview serialises")
}

#[tokio::test]
async fn a_second_preview_comes_from_the_kept_parse_and_equals_a_fresh_read() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2020).await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let officer = app
        .create_user("hiep.phu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    let bytes = std::fs::read(sample_path("01-hiep-phu-nguoi-co-cong.xlsx")).unwrap();
    let upload = store_upload(
        &app.db,
        NewUpload {
            user_id: officer.id,
            campaign_id: campaign.id,
            ward_id: Some(ward.id),
            file_name: "01.xlsx".into(),
            bytes: bytes.clone(),
        },
    )
    .await
    .unwrap();
    let cache = ParsedUploads::default();
    let first = read_upload(&app.db, &cache, &upload, &campaign, &UnitScope::All)
        .await
        .unwrap();
    assert_eq!(cache.len(), 1, "the first preview keeps its parse");

    // The same upload with its bytes gone from this copy: only the kept parse can answer.
    let mut without_bytes = upload.clone();
    without_bytes.bytes = Vec::new();
    let second = read_upload(&app.db, &cache, &without_bytes, &campaign, &UnitScope::All)
        .await
        .expect("the second preview does not read the bytes");
    let missed = read_upload(
        &app.db,
        &ParsedUploads::default(),
        &upload,
        &campaign,
        &UnitScope::All,
    )
    .await
    .unwrap();
    assert!(first.count(RowStatus::Accepted) > 0);
    assert_eq!(preview_json(&second), preview_json(&first));
    assert_eq!(preview_json(&second), preview_json(&missed));
    assert_eq!(second.cells.cell(7, 2), missed.cells.cell(7, 2));

    // A server that never read it (another app server) reads the stored bytes.
    let elsewhere = read_upload(
        &app.db,
        &ParsedUploads::default(),
        &without_bytes,
        &campaign,
        &UnitScope::All,
    )
    .await;
    assert!(elsewhere.is_err(), "a miss reads the file");
}

#[tokio::test]
async fn a_kept_parse_is_still_checked_against_the_campaign_as_it_is_now() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2020).await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let officer = app
        .create_user("hiep.phu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    let bytes = std::fs::read(sample_path("01-hiep-phu-nguoi-co-cong.xlsx")).unwrap();
    let upload = store_upload(
        &app.db,
        NewUpload {
            user_id: officer.id,
            campaign_id: campaign.id,
            ward_id: Some(ward.id),
            file_name: "01.xlsx".into(),
            bytes,
        },
    )
    .await
    .unwrap();
    let cache = ParsedUploads::default();
    let before = read_upload(&app.db, &cache, &upload, &campaign, &UnitScope::All)
        .await
        .unwrap();
    let accepted = before.count(RowStatus::Accepted);
    assert!(accepted > 0);
    assert_eq!(before.count(RowStatus::Duplicate), 0);

    // Meanwhile the same people are listed (the same file, committed another way).
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx", None).await;

    let after = read_upload(&app.db, &cache, &upload, &campaign, &UnitScope::All)
        .await
        .unwrap();
    assert_eq!(cache.len(), 1, "still the one kept parse");
    assert_eq!(after.count(RowStatus::Accepted), 0);
    assert_eq!(after.count(RowStatus::Duplicate), accepted);
    // The kept parse itself was not changed by the checks: a third view still finds them all.
    let again = read_upload(
        &app.db,
        &ParsedUploads::default(),
        &upload,
        &campaign,
        &UnitScope::All,
    )
    .await
    .unwrap();
    assert_eq!(preview_json(&again), preview_json(&after));
}

#[tokio::test]
async fn the_preview_page_keeps_the_parse_and_the_commit_forgets_it() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2020).await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let officer = app
        .create_user("hiep.phu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    let cookie = app.login("hiep.phu", crate::helpers::PASSWORD).await;
    let bytes = std::fs::read(sample_path("01-hiep-phu-nguoi-co-cong.xlsx")).unwrap();
    let upload = store_upload(
        &app.db,
        NewUpload {
            user_id: officer.id,
            campaign_id: campaign.id,
            ward_id: Some(ward.id),
            file_name: "01.xlsx".into(),
            bytes,
        },
    )
    .await
    .unwrap();
    let path = format!("/imports/{}", upload.id);
    let first = app.get(&path, Some(&cookie)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(app.state.parsed_uploads.len(), 1);
    let second = app.get(&path, Some(&cookie)).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(
        second.body, first.body,
        "the same preview from the kept parse"
    );
    assert_eq!(app.state.parsed_uploads.len(), 1);
    let commit = app
        .post_form(&format!("{path}/commit"), &[], Some(&cookie))
        .await;
    assert_eq!(commit.status, StatusCode::SEE_OTHER, "{}", commit.body);
    assert!(
        app.state.parsed_uploads.is_empty(),
        "a committed upload's parse is dropped"
    );
}
