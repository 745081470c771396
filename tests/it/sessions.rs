//! Sessions rotate on login and expire; repeated failed logins are refused for a while, per
//! account and per client address, even when the right password finally comes.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use chamlo::config::Config;
use chamlo::domain::login_throttle::{MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS};
use chamlo::domain::secret_tokens::token_digest;
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::entities::{audit_event, login_attempt, session};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::helpers::{PASSWORD, TestApp, TestResponse};

/// Posts the login form, from `peer` (as the server's connection would tell) and with an
/// `X-Forwarded-For` header if given.
async fn try_login(
    app: &TestApp,
    username: &str,
    password: &str,
    peer: Option<&str>,
    forwarded_for: Option<&str>,
) -> TestResponse {
    let mut request =
        Request::post("/login").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(forwarded) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded);
    }
    let mut request = request
        .body(Body::from(format!(
            "username={username}&password={password}"
        )))
        .unwrap();
    if let Some(peer) = peer {
        let address: SocketAddr = format!("{peer}:40000").parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(address));
    }
    app.send(request).await
}

fn cookie_of(response: &TestResponse) -> String {
    response
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

#[tokio::test]
async fn each_login_starts_a_new_session_and_ends_the_one_sent_with_it() {
    let app = TestApp::spawn().await;
    let first = app
        .login_as("hiepphu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    let response = app
        .post_form(
            "/login",
            &[("username", "hiepphu"), ("password", PASSWORD)],
            Some(&first),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let second = cookie_of(&response);
    assert_ne!(first, second, "a new token on every login");
    assert_eq!(app.get("/", Some(&first)).await.location(), "/login");
    assert_eq!(app.get("/", Some(&second)).await.status, StatusCode::OK);
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 1);
}

#[tokio::test]
async fn an_expired_session_is_refused_and_forgotten() {
    let app = TestApp::spawn().await;
    let cookie = app
        .login_as("tanphu", Role::Ward, Some((UnitLevel::Ward, "Tân Phú")))
        .await;
    let token = cookie.split_once('=').unwrap().1;
    let stored = session::Entity::find_by_id(token_digest(token))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the session row");
    let mut expired: session::ActiveModel = stored.into();
    expired.expires_at = Set(Utc::now() - Duration::minutes(1));
    expired.update(&app.db).await.unwrap();

    assert_eq!(app.get("/", Some(&cookie)).await.location(), "/login");
    let api = app.get("/api/campaigns", Some(&cookie)).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn five_failures_lock_the_account_even_for_the_right_password() {
    let app = TestApp::spawn().await;
    app.create_user("phuochuu", Role::Ward, Some((UnitLevel::Ward, "Phú Hữu")))
        .await;
    app.create_user("longbinh", Role::Ward, Some((UnitLevel::Ward, "Long Bình")))
        .await;
    for _ in 0..MAX_FAILURES_PER_ACCOUNT {
        let response = try_login(&app, "phuochuu", "sai-mat-khau", None, None).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let refused = try_login(&app, "PhuocHuu", PASSWORD, None, None).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused.body.contains("Đăng nhập sai quá nhiều lần"),
        "{}",
        refused.body
    );
    assert!(refused.headers.get(header::SET_COOKIE).is_none());
    let refusals = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("login.refused"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(refusals, 1);
    // Another account is not touched.
    app.login("longbinh", PASSWORD).await;

    // Fifteen minutes after those failures the account opens again.
    login_attempt::Entity::update_many()
        .col_expr(
            login_attempt::Column::AttemptedAt,
            sea_orm::sea_query::Expr::value(Utc::now() - Duration::minutes(16)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    app.login("phuochuu", PASSWORD).await;
}

#[tokio::test]
async fn a_successful_login_clears_the_accounts_earlier_failures() {
    let app = TestApp::spawn().await;
    app.create_user(
        "truongthanh",
        Role::Ward,
        Some((UnitLevel::Ward, "Trường Thạnh")),
    )
    .await;
    for _ in 0..2 {
        for _ in 1..MAX_FAILURES_PER_ACCOUNT {
            try_login(&app, "truongthanh", "sai-mat-khau", None, None).await;
        }
        app.login("truongthanh", PASSWORD).await;
    }
}

#[tokio::test]
async fn twenty_failures_from_one_address_lock_that_address_only() {
    let app = TestApp::spawn().await;
    app.create_user(
        "longphuoc",
        Role::Ward,
        Some((UnitLevel::Ward, "Long Phước")),
    )
    .await;
    for attempt in 0..MAX_FAILURES_PER_ADDRESS {
        let name = format!("doan-ten-{attempt}");
        let response = try_login(&app, &name, "sai-mat-khau", Some("203.0.113.7"), None).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let refused = try_login(&app, "longphuoc", PASSWORD, Some("203.0.113.7"), None).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = try_login(&app, "longphuoc", PASSWORD, Some("198.51.100.1"), None).await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    let mut app = TestApp::spawn().await;
    app.create_user("phuhuu", Role::Ward, Some((UnitLevel::Ward, "Phú Hữu")))
        .await;
    // Not trusted: the header is ignored, every failure comes from the proxy's own address.
    for attempt in 0..MAX_FAILURES_PER_ADDRESS {
        let name = format!("doan-ten-{attempt}");
        let forwarded = format!("10.9.8.{attempt}");
        try_login(&app, &name, "x", Some("127.0.0.1"), Some(&forwarded)).await;
    }
    let proxy = try_login(
        &app,
        "phuhuu",
        PASSWORD,
        Some("127.0.0.1"),
        Some("10.9.8.200"),
    )
    .await;
    assert_eq!(proxy.status, StatusCode::TOO_MANY_REQUESTS);

    // Trusted: the last entry (what our proxy appended) is the client; what the client wrote
    // before it does not help it escape.
    let mut config = Config::for_database(&app.database_url);
    config.trust_proxy = true;
    app.state.config = Arc::new(config);
    login_attempt::Entity::delete_many()
        .exec(&app.db)
        .await
        .unwrap();
    for attempt in 0..MAX_FAILURES_PER_ADDRESS {
        let name = format!("doan-ten-{attempt}");
        let forwarded = format!("1.1.1.{attempt}, 203.0.113.9");
        try_login(&app, &name, "x", Some("127.0.0.1"), Some(&forwarded)).await;
    }
    let client = try_login(
        &app,
        "phuhuu",
        PASSWORD,
        Some("127.0.0.1"),
        Some("203.0.113.9"),
    )
    .await;
    assert_eq!(client.status, StatusCode::TOO_MANY_REQUESTS);
    let other = try_login(
        &app,
        "phuhuu",
        PASSWORD,
        Some("127.0.0.1"),
        Some("203.0.113.10"),
    )
    .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
}
