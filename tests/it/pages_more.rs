//! The pages that make the rest reachable from a browser: error pages inside the user's
//! frame, the signed sheet coming back, the campaign's life (open, lock, close, next year),
//! personal API tokens, and the administration of units and categories.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamlo::config::Config;
use chamlo::entities::states::{CampaignStatus, EntryStatus, ListStatus, Role, UnitLevel};
use chamlo::entities::{api_token, audit_event, campaign, entry, ward_list};
use chamlo::web::AppState;
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tower::ServiceExt;

use crate::exports::{approve_all, campaign_2021, import_sample, printed_rows, read_sheets};
use crate::helpers::TestApp;
use crate::pages_ward::{multipart_body, upload};
use crate::signed_sheet::{export_ward, fill_in};

/// The frame's tell-tales: the user's role and unit at the top, and the menu.
fn assert_framed(body: &str, role: &str, unit: &str) {
    assert!(body.contains("class=\"who-role\""), "no frame: {body}");
    assert!(body.contains(role), "no role {role}: {body}");
    assert!(body.contains(unit), "no unit {unit}: {body}");
    assert!(body.contains("Đăng xuất"), "no logout: {body}");
}

#[tokio::test]
async fn error_pages_keep_the_users_frame() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let other = app.unit(UnitLevel::Ward, "Long Bình").await;

    let forbidden = app
        .get(
            &format!("/campaigns/{}/wards/{}", campaign.slug, other.id),
            Some(&cookie),
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_framed(&forbidden.body, "Cán bộ phường", "Phường Hiệp Phú");
    assert!(forbidden.body.contains("Không có quyền truy cập"));

    let missing = app.get("/khong-co-trang-nay", Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_framed(&missing.body, "Cán bộ phường", "Phường Hiệp Phú");
    assert!(missing.body.contains("Không tìm thấy trang này"));

    let no_campaign = app.get("/campaigns/tet-1999", Some(&cookie)).await;
    assert_eq!(no_campaign.status, StatusCode::NOT_FOUND);
    assert_framed(&no_campaign.body, "Cán bộ phường", "Phường Hiệp Phú");

    // A form the user can fix, refused with 422: framed too.
    let district = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let invalid = app
        .post_form(
            &format!("/campaigns/{}/next", campaign.slug),
            &[("year", "năm sau")],
            Some(&district),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_framed(&invalid.body, "Cán bộ quận (giám sát)", "Quận 9");
    assert!(invalid.body.contains("không hợp lệ"), "{}", invalid.body);
}

#[tokio::test]
async fn without_a_session_pages_redirect_and_the_api_answers_json() {
    let app = TestApp::spawn().await;
    let page = app.get("/tokens", None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login");

    let unknown = app.get("/khong-co-trang-nay", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(!unknown.body.contains("who-role"));

    let api = app.get("/api/khong-co", None).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.body.starts_with("{\"error\":"), "{}", api.body);
    let api = app.get("/api/campaigns", None).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert!(api.body.starts_with("{\"error\":"), "{}", api.body);
}

#[tokio::test]
async fn a_too_large_signed_sheet_is_refused_inside_the_frame() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let mut config = Config::for_database(&app.database_url);
    config.max_upload_mb = 1;
    let small = AppState {
        db: app.db.clone(),
        config: Arc::new(config),
        parsed_uploads: Default::default(),
        units: Default::default(),
        dashboards: Default::default(),
        pairs: Default::default(),
        categories: Default::default(),
        list_names: Default::default(),
    };
    let body = multipart_body("da-ky.xlsx", &vec![b'x'; 2 * 1024 * 1024], &[]);
    let request = Request::post(format!(
        "/campaigns/{}/wards/{}/signed-sheet",
        campaign.slug, ward.id
    ))
    .header(
        header::CONTENT_TYPE,
        "multipart/form-data; boundary=chamlo-test-boundary-7e3f",
    )
    .header(header::COOKIE, &cookie)
    .body(Body::from(body))
    .expect("request");
    let response = chamlo::web::app(small)
        .oneshot(request)
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("lớn hơn giới hạn 1 MB"), "{text}");
    assert_framed(&text, "Cán bộ phường", "Phường Hiệp Phú");
}

#[tokio::test]
async fn a_ward_officer_uploads_the_signed_sheet_and_sees_what_was_recorded() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    approve_all(&app, &campaign).await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let list_page = format!("/campaigns/{}/wards/{}", campaign.slug, ward.id);

    // The approved list offers the upload, with the file control and its limit.
    let page = app.get(&list_page, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("{list_page}/signed-sheet")));
    assert!(page.body.contains("Nhận lại danh sách ký nhận đã ký"));
    assert!(page.body.contains("data-max-bytes=\"20971520\""));

    let exported = export_ward(&app, &campaign, "Hiệp Phú").await;
    let rows = printed_rows(&read_sheets(&exported)[0].1);
    let marks = HashMap::from([
        (rows[0].entry_id, "x"),
        (rows[1].entry_id, "Trần Văn Bình - con"),
        (rows[2].entry_id, "?"),
    ]);
    let filled = fill_in(&exported, &marks, |_, _, _| {});
    let sent = upload(
        &app,
        &format!("{list_page}/signed-sheet"),
        "da-ky.xlsx",
        &filled,
        &[("date", "2021-02-05")],
        &cookie,
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(
        sent.body
            .contains("ghi nhận mới 1 người tự nhận, 1 người được nhận thay"),
        "{}",
        sent.body
    );
    assert!(sent.body.contains("1 dòng có vấn đề cần kiểm tra"));
    assert!(
        sent.body.contains(&rows[2].name),
        "the problem row is named"
    );
    assert_framed(&sent.body, "Cán bộ phường", "Phường Hiệp Phú");

    let received = entry::Entity::find_by_id(rows[1].entry_id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("entry");
    assert_eq!(received.status, EntryStatus::Received);
    assert_eq!(
        received.received_date,
        chrono::NaiveDate::from_ymd_opt(2021, 2, 5)
    );

    // Without a file: said above the form, nothing recorded.
    let empty = upload(
        &app,
        &format!("{list_page}/signed-sheet"),
        "",
        b"",
        &[],
        &cookie,
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Hãy chọn tệp danh sách ký nhận"));

    // Not a spreadsheet: the reason in Vietnamese, on the form.
    let junk = upload(
        &app,
        &format!("{list_page}/signed-sheet"),
        "ghi-chu.xlsx",
        b"khong phai bang tinh",
        &[],
        &cookie,
    )
    .await;
    assert_eq!(
        junk.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        junk.body
    );
    assert!(junk.body.contains("class=\"error\""), "{}", junk.body);

    // Another ward's sheet address is refused.
    let other = app.unit(UnitLevel::Ward, "Long Bình").await;
    let refused = upload(
        &app,
        &format!(
            "/campaigns/{}/wards/{}/signed-sheet",
            campaign.slug, other.id
        ),
        "da-ky.xlsx",
        &filled,
        &[],
        &cookie,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn district_staff_upload_every_wards_signed_sheet_from_the_exports_page() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    approve_all(&app, &campaign).await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let exports = app
        .get(
            &format!("/campaigns/{}/exports", campaign.slug),
            Some(&cookie),
        )
        .await;
    assert_eq!(exports.status, StatusCode::OK);
    assert!(exports.body.contains(&format!(
        "/campaigns/{}/exports/signed-sheet",
        campaign.slug
    )));

    let exported = export_ward(&app, &campaign, "Hiệp Phú").await;
    let rows = printed_rows(&read_sheets(&exported)[0].1);
    let marks: HashMap<i32, &str> = rows.iter().map(|r| (r.entry_id, "x")).collect();
    let filled = fill_in(&exported, &marks, |_, _, _| {});
    let sent = upload(
        &app,
        &format!("/campaigns/{}/exports/signed-sheet", campaign.slug),
        "tat-ca.xlsx",
        &filled,
        &[("date", "2021-02-06")],
        &cookie,
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(
        sent.body
            .contains(&format!("ghi nhận mới {} người tự nhận", rows.len())),
        "{}",
        sent.body
    );

    // A ward officer has no campaign-wide upload.
    let ward = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let refused = app
        .get(
            &format!("/campaigns/{}/exports/signed-sheet", campaign.slug),
            Some(&ward),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn campaign_by_slug(app: &TestApp, slug: &str) -> campaign::Model {
    campaign::Entity::find()
        .filter(campaign::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .expect("query")
        .expect("campaign")
}

#[tokio::test]
async fn district_staff_lock_close_and_reopen_a_campaign_audited() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let page = app
        .get(&format!("/campaigns/{}", campaign.slug), Some(&cookie))
        .await;
    assert!(page.body.contains("Khóa danh sách"));
    assert!(page.body.contains("Bắt đầu đợt quà năm sau"));

    for (status, said) in [
        ("locked", "Đã khóa đợt quà"),
        ("closed", "Đã kết thúc đợt quà"),
        ("open", "Đã mở đợt quà"),
    ] {
        let sent = app
            .post_form(
                &format!("/campaigns/{}/status", campaign.slug),
                &[("status", status)],
                Some(&cookie),
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let shown = app.get(sent.location(), Some(&cookie)).await;
        assert!(shown.body.contains(said), "{}", shown.body);
        assert_eq!(
            campaign_by_slug(&app, &campaign.slug).await.status.as_str(),
            status
        );
    }
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("campaign.status"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(audited, 3);

    // A ward officer sees no such buttons and is refused.
    let ward = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let refused = app
        .post_form(
            &format!("/campaigns/{}/status", campaign.slug),
            &[("status", "closed")],
            Some(&ward),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        campaign_by_slug(&app, &campaign.slug).await.status,
        CampaignStatus::Open
    );
}

#[tokio::test]
async fn next_years_campaign_starts_with_the_lists_carried_forward() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    approve_all(&app, &campaign).await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let sent = app
        .post_form(
            &format!("/campaigns/{}/next", campaign.slug),
            &[("year", "2022"), ("title", "")],
            Some(&cookie),
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(sent.location().starts_with("/campaigns/tet-2022?"));
    let next = campaign_by_slug(&app, "tet-2022").await;
    assert_eq!(next.unit_id, campaign.unit_id);
    let lists = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(next.id))
        .all(&app.db)
        .await
        .expect("lists");
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].status, ListStatus::Draft);
    let shown = app.get(sent.location(), Some(&cookie)).await;
    assert!(
        shown
            .body
            .contains("Đã tạo đợt quà mới và chuyển 1 danh sách"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("Tết Nguyên đán Nhâm Dần 2022"));

    // A year not after this one: refused, and no campaign half made.
    let refused = app
        .post_form(
            &format!("/campaigns/{}/next", campaign.slug),
            &[("year", "2020")],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let campaigns = campaign::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(campaigns, 2);
}

#[tokio::test]
async fn an_approved_list_can_be_reopened_from_the_dashboard() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    approve_all(&app, &campaign).await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let dashboard = app
        .get(&format!("/campaigns/{}", campaign.slug), Some(&cookie))
        .await;
    let action = format!("/campaigns/{}/wards/{}/transition", campaign.slug, ward.id);
    assert!(dashboard.body.contains(&action), "{}", dashboard.body);
    assert!(dashboard.body.contains("Mở lại danh sách Phường Hiệp Phú"));
    let sent = app
        .post_form(&action, &[("action", "reopen")], Some(&cookie))
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let list = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .one(&app.db)
        .await
        .expect("query")
        .expect("list");
    assert_ne!(list.status, ListStatus::Approved);
}

#[tokio::test]
async fn every_user_creates_sees_once_and_revokes_a_personal_token() {
    let app = TestApp::spawn().await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let home = app.get("/", Some(&cookie)).await;
    assert!(
        home.body.contains("href=\"/tokens\""),
        "linked from the menu"
    );

    let empty = app.get("/tokens", Some(&cookie)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Bạn chưa có mã truy cập nào"));

    let blank = app
        .post_form("/tokens", &[("name", "  ")], Some(&cookie))
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("id=\"name-error\""), "{}", blank.body);

    let made = app
        .post_form("/tokens", &[("name", "script báo cáo")], Some(&cookie))
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(
        made.headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert!(made.body.contains("mã chỉ hiện một lần"));
    let token = made
        .body
        .split("id=\"new-token\" class=\"token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the token is shown")
        .to_owned();
    assert_eq!(token.len(), 64);

    // The token works for the API as this user…
    let api = app
        .send(
            Request::get("/api/campaigns")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);

    // …is never shown again…
    let listed = app.get("/tokens", Some(&cookie)).await;
    assert!(listed.body.contains("script báo cáo"));
    assert!(!listed.body.contains(&token));

    // …and stops working once revoked.
    let stored = api_token::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("token");
    let revoked = app
        .post_form(&format!("/tokens/{}/revoke", stored.id), &[], Some(&cookie))
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let after = app.get(revoked.location(), Some(&cookie)).await;
    assert!(after.body.contains("Đã thu hồi"));
    let api = app
        .send(
            Request::get("/api/campaigns")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);

    // Another user cannot revoke it.
    let other = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let refused = app
        .post_form(&format!("/tokens/{}/revoke", stored.id), &[], Some(&other))
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_administrator_adds_and_edits_units_without_cycles_audited() {
    let app = TestApp::spawn().await;
    let cookie = app.login_as("quantri", Role::Admin, None).await;
    let units = app.get("/units", Some(&cookie)).await;
    assert!(units.body.contains("href=\"/admin/units/new\""));
    let district = app.unit(UnitLevel::District, "Quận 9").await;

    // A missing name and an inverted validity: each said next to its field.
    let parent = district.id.to_string();
    let bad = app
        .post_form(
            "/admin/units/new",
            &[
                ("code", "26999"),
                ("name", ""),
                ("level", "ward"),
                ("parent_id", &parent),
                ("valid_from", "2025-07-01"),
                ("valid_to", "2025-01-01"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"name-error\""), "{}", bad.body);
    assert!(bad.body.contains("id=\"valid_to-error\""), "{}", bad.body);
    assert_framed(&bad.body, "Quản trị hệ thống", "Quản trị");

    let made = app
        .post_form(
            "/admin/units/new",
            &[
                ("code", "26999"),
                ("name", "Thử Nghiệm"),
                ("level", "ward"),
                ("parent_id", &parent),
                ("valid_from", "2025-07-01"),
                ("valid_to", ""),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let ward = app.unit(UnitLevel::Ward, "Thử Nghiệm").await;
    assert_eq!(ward.parent_id, Some(district.id));
    let shown = app.get(made.location(), Some(&cookie)).await;
    assert!(shown.body.contains("Phường Thử Nghiệm"));

    // The same code on another ward valid at the same time is refused; a code of a unit
    // gone before is reusable.
    let clash = app
        .post_form(
            "/admin/units/new",
            &[
                ("code", "26999"),
                ("name", "Trùng Mã"),
                ("level", "ward"),
                ("parent_id", &parent),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(clash.body.contains("id=\"code-error\""), "{}", clash.body);

    // The district cannot be put under one of its own wards, nor under itself.
    let city = app.unit(UnitLevel::City, "Hồ Chí Minh").await;
    let district_form = |parent: String| {
        vec![
            ("code", district.code.clone()),
            ("name", district.name.clone()),
            ("level", "district".to_owned()),
            ("parent_id", parent),
        ]
    };
    for parent in [ward.id, district.id] {
        let form = district_form(parent.to_string());
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let cycle = app
            .post_form(
                &format!("/admin/units/{}/edit", district.id),
                &pairs,
                Some(&cookie),
            )
            .await;
        assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            cycle.body.contains("id=\"parent_id-error\""),
            "{}",
            cycle.body
        );
    }
    let form = district_form(city.id.to_string());
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let fine = app
        .post_form(
            &format!("/admin/units/{}/edit", district.id),
            &pairs,
            Some(&cookie),
        )
        .await;
    assert_eq!(fine.status, StatusCode::SEE_OTHER, "{}", fine.body);

    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.is_in(["unit.create", "unit.update"]))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(audited, 2);

    // District staff cannot edit units.
    let staff = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let refused = app.get("/admin/units/new", Some(&staff)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_administrator_adds_edits_and_deactivates_a_category_audited() {
    let app = TestApp::spawn().await;
    let cookie = app.login_as("quantri", Role::Admin, None).await;
    let list = app.get("/admin/categories", Some(&cookie)).await;
    assert!(list.body.contains("href=\"/admin/categories/new\""));

    let bad = app
        .post_form(
            "/admin/categories/new",
            &[
                ("code", "mồ côi"),
                ("name", ""),
                ("kind", "khac"),
                ("rank", "-3"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["code", "name", "kind", "rank"] {
        assert!(
            bad.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            bad.body
        );
    }

    let made = app
        .post_form(
            "/admin/categories/new",
            &[
                ("code", "tre_mo_coi"),
                ("name", "Trẻ em mồ côi"),
                ("kind", "hardship"),
                ("rank", "40"),
                ("sensitive", "on"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let stored = chamlo::entities::category::Entity::find()
        .filter(chamlo::entities::category::Column::Code.eq("TRE_MO_COI"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("category");
    assert!(stored.sensitive && stored.active && !stored.per_household);
    assert_eq!(stored.rank, 40);

    // The code of another category is refused next to the field.
    let taken = app
        .post_form(
            "/admin/categories/new",
            &[
                ("code", "TRE_MO_COI"),
                ("name", "Khác"),
                ("kind", "hardship"),
                ("rank", "1"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("đã được dùng"), "{}", taken.body);

    // Deactivated: the checkbox unticked.
    let edit = format!("/admin/categories/{}/edit", stored.id);
    let form = app.get(&edit, Some(&cookie)).await;
    assert!(form.body.contains("Trẻ em mồ côi"));
    let saved = app
        .post_form(
            &edit,
            &[
                ("code", "TRE_MO_COI"),
                ("name", "Trẻ em mồ côi cả cha lẫn mẹ"),
                ("kind", "hardship"),
                ("rank", "45"),
                ("sensitive", "on"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = chamlo::entities::category::Entity::find_by_id(stored.id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("category");
    assert!(!after.active);
    assert_eq!(after.name, "Trẻ em mồ côi cả cha lẫn mẹ");
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.is_in(["category.create", "category.update"]))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn the_campaign_page_title_is_plain_text() {
    let app = TestApp::spawn().await;
    let campaign = crate::import::district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "quan9.title",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let page = app
        .get(&format!("/campaigns/{}", campaign.slug), Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let title = page
        .body
        .split("<title>")
        .nth(1)
        .and_then(|rest| rest.split("</title>").next())
        .unwrap_or_default();
    assert!(!title.contains('<'), "{title}");
    assert!(title.contains("Tết Nguyên đán Tân Sửu 2021"));
    assert_eq!(page.body.matches(r#"id="quan-ly-dot""#).count(), 1);
}
