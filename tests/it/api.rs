//! The JSON API: tokens (created, shown once, stored hashed, revoked), the session as an
//! alternative, JSON errors with the right status, and the OpenAPI document.

use axum::http::StatusCode;
use chamlo::entities::api_token;
use chamlo::entities::states::{Role, UnitLevel};
use sea_orm::EntityTrait;
use serde_json::json;

use crate::cli::run_chamlo;
use crate::cycle_support::{Auth, api};
use crate::helpers::TestApp;
use crate::import::district_campaign;

#[tokio::test]
async fn requests_without_a_valid_token_get_a_json_401() {
    let app = TestApp::spawn().await;
    for auth in [Auth::None, Auth::Token("khong-phai-ma-that")] {
        let (status, body) = api(&app, "GET", "/api/campaigns", auth, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body["error"].as_str().unwrap().contains("mã truy cập"));
    }
}

#[tokio::test]
async fn a_token_made_on_the_command_line_acts_with_its_users_scope_until_revoked() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    app.create_user("hiepphu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    let output = run_chamlo(
        &app,
        &[
            "token",
            "create",
            "--username",
            "hiepphu",
            "--name",
            "bảng tính",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert_eq!(token.len(), 64);
    let stored = api_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(stored.token_hash, token, "only the hash is stored");

    let (status, campaigns) = api(&app, "GET", "/api/campaigns", Auth::Token(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(campaigns[0]["slug"], campaign.slug);
    // A ward officer's token cannot do district work, nor look at another ward.
    let (status, body) = api(
        &app,
        "POST",
        "/api/campaigns",
        Auth::Token(&token),
        Some(json!({ "year": 2022 })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["error"].is_string());
    let tan_phu = app.unit(UnitLevel::Ward, "Tân Phú").await;
    let (status, _) = api(
        &app,
        "GET",
        &format!(
            "/api/campaigns/{}/entries?ward_id={}",
            campaign.slug, tan_phu.id
        ),
        Auth::Token(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A token cannot mint tokens.
    let (status, _) = api(
        &app,
        "POST",
        "/api/tokens",
        Auth::Token(&token),
        Some(json!({ "name": "khác" })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Revoked: refused from then on.
    let output = run_chamlo(
        &app,
        &[
            "token",
            "revoke",
            "--username",
            "hiepphu",
            "--id",
            &stored.id.to_string(),
        ],
        &[],
    );
    assert!(output.status.success());
    let (status, _) = api(&app, "GET", "/api/campaigns", Auth::Token(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_logged_in_user_creates_lists_and_revokes_their_tokens() {
    let app = TestApp::spawn().await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let (status, created) = api(
        &app,
        "POST",
        "/api/tokens",
        Auth::Cookie(&cookie),
        Some(json!({ "name": "Báo cáo hằng ngày" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let token = created["token"].as_str().unwrap().to_owned();
    let id = created["id"].as_i64().unwrap();

    // The district creates a campaign with its token.
    let (status, campaign) = api(
        &app,
        "POST",
        "/api/campaigns",
        Auth::Token(&token),
        Some(json!({ "year": 2026 })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{campaign}");
    assert_eq!(campaign["title"], "Tết Nguyên đán Bính Ngọ 2026");
    assert_eq!(campaign["slug"], "tet-2026");

    let (_, listed) = api(&app, "GET", "/api/tokens", Auth::Cookie(&cookie), None).await;
    assert_eq!(listed[0]["name"], "Báo cáo hằng ngày");
    assert!(listed[0].get("token").is_none() && listed[0].get("token_hash").is_none());
    let (status, revoked) = api(
        &app,
        "DELETE",
        &format!("/api/tokens/{id}"),
        Auth::Cookie(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(revoked["revoked_at"].is_string());
    let (status, _) = api(&app, "GET", "/api/campaigns", Auth::Token(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn errors_are_json_with_the_right_status() {
    let app = TestApp::spawn().await;
    district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let (status, body) = api(
        &app,
        "GET",
        "/api/campaigns/tet-1999/progress",
        Auth::Cookie(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().unwrap().contains("tet-1999"));
    let (status, body) = api(
        &app,
        "POST",
        "/api/campaigns/tet-2021/programs",
        Auth::Cookie(&cookie),
        Some(json!({ "name": "Quà", "funding_source": "mặt trăng", "amounts": [] })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"].is_string());
    let (status, body) = api(
        &app,
        "POST",
        "/api/campaigns/tet-2021/programs",
        Auth::Cookie(&cookie),
        Some(json!({ "name": "Quà", "funding_source": "city",
                     "amounts": [{ "category": "TNLS", "amount": -1 }] })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"].as_str().unwrap().contains("âm"));
    let (status, _) = api(
        &app,
        "POST",
        "/api/entries/distribution",
        Auth::Cookie(&cookie),
        Some(json!({ "entry_ids": [], "action": "received" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn malformed_bodies_queries_and_paths_get_a_json_422() {
    let app = TestApp::spawn().await;
    district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let calls = [
        (
            "POST",
            "/api/campaigns",
            Some(json!({ "year": "hai nghìn" })),
        ),
        ("POST", "/api/campaigns", None),
        ("GET", "/api/campaigns/tet-2021/entries?ward_id=abc", None),
        ("POST", "/api/campaigns/tet-2021/lists/abc/submit", None),
        (
            "POST",
            "/api/campaigns/tet-2021/lists/1/return",
            Some(json!({ "comment": 5 })),
        ),
        ("DELETE", "/api/tokens/abc", None),
    ];
    for (method, path, body) in calls {
        let (status, body) = api(&app, method, path, Auth::Cookie(&cookie), body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{method} {path}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(
            error.starts_with("Yêu cầu không hợp lệ"),
            "{method} {path}: {error}"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_endpoints() {
    let app = TestApp::spawn().await;
    let (status, doc) = api(&app, "GET", "/api/openapi.json", Auth::None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/campaigns",
        "/api/campaigns/{slug}/programs",
        "/api/campaigns/{slug}/lists",
        "/api/campaigns/{slug}/lists/{ward_id}/{action}",
        "/api/campaigns/{slug}/entries",
        "/api/entries/distribution",
        "/api/campaigns/{slug}/progress",
        "/api/campaigns/{slug}/duplicates",
        "/api/campaigns/{slug}/duplicates/decision",
        "/api/tokens",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("ProgramInput").is_some());
    assert!(doc["components"]["securitySchemes"].get("bearer").is_some());
}
