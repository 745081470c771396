//! Logging in and out, and how passwords are kept.

use axum::http::{StatusCode, header};
use chamlo::domain::accounts::change_password;
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::entities::{audit_event, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn login_page_is_in_vietnamese() {
    let app = TestApp::spawn().await;
    let page = app.get("/login", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Đăng nhập"));
    assert!(page.body.contains("Tên đăng nhập"));
    assert!(page.body.contains("Mật khẩu"));
    assert!(page.body.contains(r#"name="username""#) && page.body.contains(r#"name="password""#));
}

#[tokio::test]
async fn pages_redirect_to_login_without_a_session() {
    let app = TestApp::spawn().await;
    for path in ["/", "/units"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(response.location(), "/login");
    }
    let forged = app.get("/", Some("chamlo_session=not-a-real-token")).await;
    assert_eq!(forged.location(), "/login");
}

#[tokio::test]
async fn login_sets_an_httponly_samesite_strict_cookie_and_shows_the_home_page() {
    let app = TestApp::spawn().await;
    app.create_user("hiepphu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    let response = app
        .post_form(
            "/login",
            &[("username", "HiepPhu"), ("password", PASSWORD)],
            None,
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), "/");
    let cookie = response
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");

    let session = cookie.split(';').next().unwrap();
    let home = app.get("/", Some(session)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("hiepphu"));
    assert!(home.body.contains("Cán bộ phường"));
    assert!(home.body.contains("Phường Hiệp Phú"));
    assert!(
        home.body.contains("Chưa có đợt quà Tết nào"),
        "honest empty state"
    );
}

#[tokio::test]
async fn wrong_password_is_refused_with_a_clear_message_and_no_cookie() {
    let app = TestApp::spawn().await;
    app.create_user("tanphu", Role::Ward, Some((UnitLevel::Ward, "Tân Phú")))
        .await;
    for (username, password) in [("tanphu", "sai-mat-khau"), ("khong-co-ai", PASSWORD)] {
        let response = app
            .post_form(
                "/login",
                &[("username", username), ("password", password)],
                None,
            )
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert!(
            response
                .body
                .contains("Tên đăng nhập hoặc mật khẩu không đúng.")
        );
        assert!(response.headers.get(header::SET_COOKIE).is_none());
    }
    let failures = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("login.failed"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(failures.len(), 2);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let cookie = app
        .login_as("longbinh", Role::Ward, Some((UnitLevel::Ward, "Long Bình")))
        .await;
    assert_eq!(app.get("/", Some(&cookie)).await.status, StatusCode::OK);
    let response = app.post_form("/logout", &[], Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), "/login");
    // The old cookie, replayed, no longer opens anything.
    assert_eq!(app.get("/", Some(&cookie)).await.location(), "/login");
}

#[tokio::test]
async fn a_changed_password_ends_every_session() {
    let app = TestApp::spawn().await;
    let cookie = app
        .login_as("phuhuu", Role::Ward, Some((UnitLevel::Ward, "Phú Hữu")))
        .await;
    let account = user::Entity::find()
        .filter(user::Column::Username.eq("phuhuu"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    change_password(&app.db, &account, "mat-khau-moi-2026")
        .await
        .unwrap();
    assert_eq!(app.get("/", Some(&cookie)).await.location(), "/login");
    app.login("phuhuu", "mat-khau-moi-2026").await;
}

#[tokio::test]
async fn passwords_are_never_stored_plain() {
    let app = TestApp::spawn().await;
    let account = app
        .create_user(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    assert_ne!(account.password_hash, PASSWORD);
    assert!(!account.password_hash.contains(PASSWORD));
    assert!(
        account.password_hash.starts_with("$argon2id$"),
        "{}",
        account.password_hash
    );
    let stored = user::Entity::find_by_id(account.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.password_hash.starts_with("$argon2id$"));
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused() {
    let app = TestApp::spawn().await;
    let request = axum::http::Request::post("/login")
        .header(header::HOST, "chamlo.local")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("username=admin&password=x"))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn health_check_reports_the_database() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.contains(r#""status":"ok""#));
}

#[tokio::test]
async fn a_user_changes_their_password_on_the_account_page() {
    let app = TestApp::spawn().await;
    let cookie = app
        .login_as(
            "longtruong",
            Role::Ward,
            Some((UnitLevel::Ward, "Long Trường")),
        )
        .await;
    let form = app.get("/account/password", Some(&cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Đổi mật khẩu"));

    let wrong = app
        .post_form(
            "/account/password",
            &[
                ("current_password", "khong-dung"),
                ("new_password", "mat-khau-moi-2026"),
                ("confirm_password", "mat-khau-moi-2026"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Mật khẩu hiện tại không đúng."));

    let mismatch = app
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "mat-khau-moi-2026"),
                ("confirm_password", "mat-khau-khac-2026"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("không giống nhau"));

    let changed = app
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "mat-khau-moi-2026"),
                ("confirm_password", "mat-khau-moi-2026"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(changed.location(), "/login");
    assert_eq!(app.get("/", Some(&cookie)).await.location(), "/login");
    app.login("longtruong", "mat-khau-moi-2026").await;
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("user.password_change"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
}
