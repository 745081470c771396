//! Looking after accounts: editing a user's name and unit, locking (a locked user cannot log
//! in and their open sessions end) and unlocking, resetting a password (shown once, never
//! audited); district staff manage only their wards' officers; and the audit log reads in
//! Vietnamese, names what was touched, shows before and after, in Vietnam time.

use axum::http::StatusCode;
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::entities::{audit_event, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::helpers::{PASSWORD, TestApp};

/// Whether `cookie` still opens a page (a dead session is sent to the login page).
async fn session_alive(app: &TestApp, cookie: &str) -> bool {
    app.get("/", Some(cookie)).await.status == StatusCode::OK
}

async fn user_named(app: &TestApp, username: &str) -> user::Model {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the account exists")
}

/// The Tân Phú ward officer, logged in: (cookie, account).
async fn tan_phu_officer(app: &TestApp) -> (String, user::Model) {
    let cookie = app
        .login_as(
            "canbo.tanphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tân Phú")),
        )
        .await;
    (cookie, user_named(app, "canbo.tanphu").await)
}

/// Quận 9's district staff, logged in: their cookie.
async fn district_staff(app: &TestApp) -> String {
    app.login_as(
        "quan9",
        Role::District,
        Some((UnitLevel::District, "Quận 9")),
    )
    .await
}

async fn login_status(app: &TestApp, username: &str, password: &str) -> StatusCode {
    app.post_form(
        "/login",
        &[("username", username), ("password", password)],
        None,
    )
    .await
    .status
}

#[tokio::test]
async fn an_administrator_edits_a_user_and_the_audit_log_says_what_changed() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("quantri", Role::Admin, None).await;
    let officer = app
        .create_user(
            "canbo.tanphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tân Phú")),
        )
        .await;
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;

    let list = app.get("/users", Some(&admin)).await;
    assert!(
        list.body
            .contains(&format!("href=\"/users/{}\"", officer.id))
    );
    let page = app
        .get(&format!("/users/{}", officer.id), Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("(giờ VN)"), "{}", page.body);

    let saved = app
        .post_form(
            &format!("/users/{}", officer.id),
            &[
                ("full_name", "Lê Thị Hoa"),
                ("role", "ward"),
                ("unit_id", &hiep_phu.id.to_string()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let changed = user::Entity::find_by_id(officer.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed.full_name.as_deref(), Some("Lê Thị Hoa"));
    assert_eq!(changed.unit_id, Some(hiep_phu.id));

    // A ward officer cannot be put on a district.
    let district = app.unit(UnitLevel::District, "Quận 9").await;
    let refused = app
        .post_form(
            &format!("/users/{}", officer.id),
            &[
                ("full_name", "Lê Thị Hoa"),
                ("role", "ward"),
                ("unit_id", &district.id.to_string()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("phải được gắn với một phường"));

    let log = app
        .get("/admin/audit?action=user.update", Some(&admin))
        .await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(log.body.contains("Sửa tài khoản"), "{}", log.body);
    assert!(!log.body.contains(">user.update<"));
    assert!(log.body.contains("Tài khoản canbo.tanphu (Lê Thị Hoa)"));
    assert!(log.body.contains("họ tên: (trống)"), "{}", log.body);
    assert!(log.body.contains("họ tên: Lê Thị Hoa"));
    assert!(log.body.contains("đơn vị: Phường Tân Phú"));
    assert!(log.body.contains("đơn vị: Phường Hiệp Phú"));
    assert!(log.body.contains("Trước: "));
    assert!(log.body.contains("Sau: "));
    assert!(log.body.contains("(giờ VN)"));
    assert!(log.body.contains("giờ Việt Nam (UTC+7)"));
}

#[tokio::test]
async fn a_locked_user_cannot_log_in_and_their_sessions_end() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("quantri", Role::Admin, None).await;
    let (officer_cookie, officer) = tan_phu_officer(&app).await;
    assert!(session_alive(&app, &officer_cookie).await);

    let locked = app
        .post_form(&format!("/users/{}/lock", officer.id), &[], Some(&admin))
        .await;
    assert_eq!(locked.status, StatusCode::SEE_OTHER);
    assert!(!session_alive(&app, &officer_cookie).await);
    let refused = app
        .post_form(
            "/login",
            &[("username", "canbo.tanphu"), ("password", PASSWORD)],
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body.contains("đã bị khóa"), "{}", refused.body);
    // A wrong password on a locked account says nothing about the lock.
    let guessed = app
        .post_form(
            "/login",
            &[("username", "canbo.tanphu"), ("password", "doan-bua-1")],
            None,
        )
        .await;
    assert!(!guessed.body.contains("đã bị khóa"));
    let page = app
        .get(
            &format!("/users/{}?notice=da-khoa", officer.id),
            Some(&admin),
        )
        .await;
    assert!(page.body.contains("Đã khóa tài khoản"));

    let unlocked = app
        .post_form(&format!("/users/{}/unlock", officer.id), &[], Some(&admin))
        .await;
    assert_eq!(unlocked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        login_status(&app, "canbo.tanphu", PASSWORD).await,
        StatusCode::SEE_OTHER
    );

    // An administrator cannot lock themselves out.
    let me = user_named(&app, "quantri").await;
    let refused = app
        .post_form(&format!("/users/{}/lock", me.id), &[], Some(&admin))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(session_alive(&app, &admin).await);

    let actions: Vec<String> = audit_event::Entity::find()
        .filter(audit_event::Column::Action.starts_with("user."))
        .filter(audit_event::Column::EntityId.eq(officer.id.to_string()))
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["user.lock", "user.unlock"]);
}

#[tokio::test]
async fn a_reset_password_is_shown_once_works_and_is_never_audited() {
    let app = TestApp::spawn().await;
    let district = district_staff(&app).await;
    let (officer_cookie, officer) = tan_phu_officer(&app).await;
    let reset = app
        .post_form(
            &format!("/users/{}/reset-password", officer.id),
            &[],
            Some(&district),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    let password = reset
        .body
        .split("<code class=\"secret\">")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .expect("the new password is shown")
        .to_owned();
    assert!(password.len() >= 12);
    assert!(!session_alive(&app, &officer_cookie).await);
    assert_ne!(
        login_status(&app, "canbo.tanphu", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    app.login("canbo.tanphu", &password).await;
    // Shown once: the page opened again does not show it.
    let again = app
        .get(&format!("/users/{}", officer.id), Some(&district))
        .await;
    assert!(!again.body.contains(&password));
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("user.password_reset"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    let stored = format!("{:?}", events[0]);
    assert!(!stored.contains(&password));
}

#[tokio::test]
async fn district_staff_manage_only_their_wards_officers_and_ward_officers_none() {
    let app = TestApp::spawn().await;
    let district = district_staff(&app).await;
    let other_district = app
        .create_user(
            "quan9.b",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let admin = app.create_user("quantri", Role::Admin, None).await;
    let (officer_cookie, officer) = tan_phu_officer(&app).await;

    // District staff may not touch an administrator or other district staff…
    for target in [admin.id, other_district.id] {
        let page = app.get(&format!("/users/{target}"), Some(&district)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let lock = app
            .post_form(&format!("/users/{target}/lock"), &[], Some(&district))
            .await;
        assert_eq!(lock.status, StatusCode::FORBIDDEN);
    }
    // …nor make a ward officer district staff.
    let tan_phu = app.unit(UnitLevel::Ward, "Tân Phú").await;
    let promote = app
        .post_form(
            &format!("/users/{}", officer.id),
            &[
                ("full_name", ""),
                ("role", "district"),
                ("unit_id", &tan_phu.id.to_string()),
            ],
            Some(&district),
        )
        .await;
    assert_eq!(promote.status, StatusCode::SEE_OTHER);
    let still = user::Entity::find_by_id(officer.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.role, Role::Ward);

    // A ward officer manages nobody, not even themselves through these pages.
    for path in [
        format!("/users/{}", officer.id),
        format!("/users/{}", admin.id),
    ] {
        assert_eq!(
            app.get(&path, Some(&officer_cookie)).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let reset = app
        .post_form(
            &format!("/users/{}/reset-password", admin.id),
            &[],
            Some(&officer_cookie),
        )
        .await;
    assert_eq!(reset.status, StatusCode::FORBIDDEN);
    assert_eq!(
        login_status(&app, "quantri", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}
