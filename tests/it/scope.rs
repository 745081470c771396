//! Users see only their units: the scope is applied where data is queried.

use axum::http::StatusCode;
use chamlo::entities::states::{Role, UnitLevel};

use crate::helpers::TestApp;

#[tokio::test]
async fn ward_officer_opens_their_own_ward() {
    let app = TestApp::spawn().await;
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let cookie = app
        .login_as("hiepphu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    let page = app
        .get(&format!("/units/{}", hiep_phu.id), Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Phường Hiệp Phú"));
    assert!(page.body.contains("26839"));
}

#[tokio::test]
async fn ward_officer_cannot_open_another_wards_page() {
    let app = TestApp::spawn().await;
    let tan_phu = app.unit(UnitLevel::Ward, "Tân Phú").await;
    let district = app.unit(UnitLevel::District, "Quận 9").await;
    let cookie = app
        .login_as("hiepphu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    for id in [tan_phu.id, district.id] {
        let page = app.get(&format!("/units/{id}"), Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "unit {id}");
        assert!(page.body.contains("Bạn không có quyền truy cập"));
        assert!(!page.body.contains("Tân Phú"));
    }
}

#[tokio::test]
async fn ward_officer_lists_only_their_own_ward() {
    let app = TestApp::spawn().await;
    let cookie = app
        .login_as("hiepphu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    let page = app.get("/units", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Phường Hiệp Phú"));
    assert_eq!(page.body.matches("<tr><td>").count(), 1, "one unit listed");
    for other in ["Tân Phú", "Long Bình", "Phú Hữu"] {
        assert!(!page.body.contains(other), "{other} leaked");
    }
}

#[tokio::test]
async fn district_staff_see_every_ward_under_their_district() {
    let app = TestApp::spawn().await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let page = app.get("/units", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("<tr><td>268").count(), 13, "13 wards");
    let phu_huu = app.unit(UnitLevel::Ward, "Phú Hữu").await;
    assert_eq!(
        app.get(&format!("/units/{}", phu_huu.id), Some(&cookie))
            .await
            .status,
        StatusCode::OK
    );
    // Not the city above them.
    let district = app.unit(UnitLevel::District, "Quận 9").await;
    let city_id = district.parent_id.unwrap();
    assert_eq!(
        app.get(&format!("/units/{city_id}"), Some(&cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn admin_sees_every_unit() {
    let app = TestApp::spawn().await;
    let cookie = app.login_as("quantri", Role::Admin, None).await;
    let page = app.get("/units", Some(&cookie)).await;
    // The city, Quận 9, its 13 wards and the five wards of 1 July 2025.
    assert_eq!(page.body.matches("<tr><td>").count(), 20);
}

#[tokio::test]
async fn a_ward_officer_must_be_attached_to_a_ward() {
    let app = TestApp::spawn().await;
    let district = app.unit(UnitLevel::District, "Quận 9").await;
    let refused = chamlo::domain::accounts::create_user(
        &app.db,
        chamlo::domain::accounts::NewUser {
            username: "sai",
            password: crate::helpers::PASSWORD,
            role: Role::Ward,
            unit_id: Some(district.id),
            full_name: None,
        },
    )
    .await;
    assert!(refused.is_err());
}
