//! Ward lists move draft → submitted → approved (or returned), and back only by reopening;
//! every transition refused for the wrong role, the wrong unit or the wrong state.

use axum::http::StatusCode;
use chamlo::domain::api_tokens::create_api_token;
use chamlo::domain::audit::Actor;
use chamlo::domain::campaigns::set_campaign_status;
use chamlo::domain::operator::Operator;
use chamlo::domain::ward_lists::{ListAction, ensure_list_editable, transition_list};
use chamlo::entities::states::{CampaignStatus, ListStatus, Role, UnitLevel};
use chamlo::entities::{audit_event, campaign, unit, ward_list};
use chamlo::error::AppError;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::cycle_support::{
    Auth, NewPerson, api, default_program, list_entry, new_person, ward_list_of,
};
use crate::helpers::TestApp;
use crate::import::district_campaign;

/// A campaign with one listed person in Hiệp Phú and one in Tân Phú.
async fn campaign_with_two_lists(app: &TestApp) -> campaign::Model {
    let campaign = district_campaign(app, 2021).await;
    let program = default_program(app, campaign.id).await;
    for (ward, name) in [("Hiệp Phú", "Nguyễn Văn Hùng"), ("Tân Phú", "Trần Thị Mai")]
    {
        let person = new_person(
            app,
            ward,
            NewPerson {
                name,
                birth_year: 1950,
                address: "1 Lê Văn Việt",
                national_id: None,
                household_id: None,
            },
        )
        .await;
        list_entry(app, campaign.id, program.id, ward, person.id, "TB", 300_000).await;
    }
    campaign
}

async fn token(
    app: &TestApp,
    username: &str,
    role: Role,
    unit: Option<(UnitLevel, &str)>,
) -> String {
    let user = app.create_user(username, role, unit).await;
    create_api_token(&app.db, &Actor::system("test"), &user, "t")
        .await
        .unwrap()
        .1
}

fn path(campaign: &campaign::Model, ward_id: i32, action: &str) -> String {
    format!("/api/campaigns/{}/lists/{ward_id}/{action}", campaign.slug)
}

async fn move_list(app: &TestApp, campaign: &campaign::Model, ward: &str, action: ListAction) {
    let ward = app.unit(UnitLevel::Ward, ward).await;
    transition_list(
        &app.db,
        &Operator::system("test"),
        campaign,
        ward.id,
        action,
        Some("ghi chú"),
    )
    .await
    .expect("transition");
}

async fn status_of(app: &TestApp, campaign: &campaign::Model, ward: &str) -> ListStatus {
    ward_list_of(app, campaign.id, ward).await.status
}

#[tokio::test]
async fn ward_officer_cannot_approve_return_or_reopen_even_their_own_list() {
    let app = TestApp::spawn().await;
    let campaign = campaign_with_two_lists(&app).await;
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let officer = token(
        &app,
        "hiepphu",
        Role::Ward,
        Some((UnitLevel::Ward, "Hiệp Phú")),
    )
    .await;
    move_list(&app, &campaign, "Hiệp Phú", ListAction::Submit).await;
    for action in ["approve", "return"] {
        let (status, body) = api(
            &app,
            "POST",
            &path(&campaign, hiep_phu.id, action),
            Auth::Token(&officer),
            Some(json!({ "comment": "tự duyệt" })),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{action}");
        assert!(body["error"].as_str().unwrap().contains("không có quyền"));
    }
    move_list(&app, &campaign, "Hiệp Phú", ListAction::Approve).await;
    let (status, _) = api(
        &app,
        "POST",
        &path(&campaign, hiep_phu.id, "reopen"),
        Auth::Token(&officer),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        status_of(&app, &campaign, "Hiệp Phú").await,
        ListStatus::Approved
    );
}

#[tokio::test]
async fn ward_officer_cannot_submit_another_wards_list() {
    let app = TestApp::spawn().await;
    let campaign = campaign_with_two_lists(&app).await;
    let tan_phu = app.unit(UnitLevel::Ward, "Tân Phú").await;
    let officer = token(
        &app,
        "hiepphu",
        Role::Ward,
        Some((UnitLevel::Ward, "Hiệp Phú")),
    )
    .await;
    let (status, body) = api(
        &app,
        "POST",
        &path(&campaign, tan_phu.id, "submit"),
        Auth::Token(&officer),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("Bạn không có quyền truy cập")
    );
    assert_eq!(
        status_of(&app, &campaign, "Tân Phú").await,
        ListStatus::Draft
    );
    // Their own goes through.
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let (status, body) = api(
        &app,
        "POST",
        &path(&campaign, hiep_phu.id, "submit"),
        Auth::Token(&officer),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn district_staff_of_another_district_cannot_touch_the_lists() {
    let app = TestApp::spawn().await;
    let campaign = campaign_with_two_lists(&app).await;
    let city = app.unit(UnitLevel::City, "Hồ Chí Minh").await;
    let now = Utc::now();
    let other = unit::ActiveModel {
        code: Set("769".into()),
        name: Set("Thủ Đức".into()),
        level: Set(UnitLevel::District),
        parent_id: Set(Some(city.id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let user = chamlo::domain::accounts::create_user(
        &app.db,
        chamlo::domain::accounts::NewUser {
            username: "thuduc",
            password: crate::helpers::PASSWORD,
            role: Role::District,
            unit_id: Some(other.id),
            full_name: None,
        },
    )
    .await
    .unwrap();
    move_list(&app, &campaign, "Hiệp Phú", ListAction::Submit).await;
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;

    // In the domain: the ward is outside their units.
    let operator = Operator::for_user(&app.db, &user).await.unwrap();
    for action in [ListAction::Approve, ListAction::Return] {
        let refused = transition_list(
            &app.db,
            &operator,
            &campaign,
            hiep_phu.id,
            action,
            Some("không thuộc quận"),
        )
        .await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{action:?}");
    }
    // Over the API: they cannot even see the campaign.
    let (_, secret) = create_api_token(&app.db, &Actor::system("test"), &user, "t")
        .await
        .unwrap();
    let (status, _) = api(
        &app,
        "POST",
        &path(&campaign, hiep_phu.id, "approve"),
        Auth::Token(&secret),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        status_of(&app, &campaign, "Hiệp Phú").await,
        ListStatus::Submitted
    );
}

#[tokio::test]
async fn transitions_from_the_wrong_state_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let campaign = campaign_with_two_lists(&app).await;
    let district = token(
        &app,
        "quan9",
        Role::District,
        Some((UnitLevel::District, "Quận 9")),
    )
    .await;
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let post = |action: &'static str, comment: Option<&'static str>| {
        let app = &app;
        let url = path(&campaign, hiep_phu.id, action);
        let district = district.clone();
        async move {
            api(
                app,
                "POST",
                &url,
                Auth::Token(&district),
                Some(json!({ "comment": comment })),
            )
            .await
        }
    };
    // A draft can be neither approved, returned nor reopened.
    for action in ["approve", "return", "reopen"] {
        let (status, body) = post(action, Some("x")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{action}: {body}");
    }
    let (status, _) = post("submit", None).await;
    assert_eq!(status, StatusCode::OK);
    // Submitted twice, reopened while waiting, returned without a reason: refused.
    for (action, comment) in [("submit", None), ("reopen", None), ("return", None)] {
        let (status, body) = post(action, comment).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{action}: {body}");
    }
    let (status, body) = post("return", Some("   ")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"].as_str().unwrap().contains("lý do"));
    assert_eq!(
        status_of(&app, &campaign, "Hiệp Phú").await,
        ListStatus::Submitted
    );
    // An unknown action is a 404.
    let (status, _) = post("publish", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A ward without a list: 404.
    let phu_huu = app.unit(UnitLevel::Ward, "Phú Hữu").await;
    let (status, body) = api(
        &app,
        "POST",
        &path(&campaign, phu_huu.id, "submit"),
        Auth::Token(&district),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn an_empty_list_cannot_be_submitted() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let list = ward_list_of(&app, campaign.id, "Long Bình").await;
    let refused = transition_list(
        &app.db,
        &Operator::system("test"),
        &campaign,
        list.ward_id,
        ListAction::Submit,
        None,
    )
    .await;
    assert!(matches!(refused, Err(AppError::Invalid(_))));
}

#[tokio::test]
async fn an_approved_list_changes_only_after_the_district_reopens_it() {
    let app = TestApp::spawn().await;
    let campaign = campaign_with_two_lists(&app).await;
    let list = ward_list_of(&app, campaign.id, "Hiệp Phú").await;
    assert!(ensure_list_editable(&app.db, list.id).await.is_ok());
    move_list(&app, &campaign, "Hiệp Phú", ListAction::Submit).await;
    assert!(matches!(
        ensure_list_editable(&app.db, list.id).await,
        Err(AppError::Invalid(_))
    ));
    move_list(&app, &campaign, "Hiệp Phú", ListAction::Return).await;
    assert!(ensure_list_editable(&app.db, list.id).await.is_ok());
    move_list(&app, &campaign, "Hiệp Phú", ListAction::Submit).await;
    move_list(&app, &campaign, "Hiệp Phú", ListAction::Approve).await;
    let refused = ensure_list_editable(&app.db, list.id).await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(m)) if m.contains("mở lại")),
        "{refused:?}"
    );
    move_list(&app, &campaign, "Hiệp Phú", ListAction::Reopen).await;
    let reopened = ensure_list_editable(&app.db, list.id).await.unwrap();
    assert_eq!(reopened.status, ListStatus::Draft);
    assert_eq!(reopened.comment.as_deref(), Some("ghi chú"));

    // Every step is in the audit log, with the state before and after.
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::EntityType.eq("ward_list"))
        .filter(audit_event::Column::EntityId.eq(list.id.to_string()))
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "list.submit",
            "list.return",
            "list.submit",
            "list.approve",
            "list.reopen"
        ]
    );
    let approve = &events[3];
    assert!(
        approve
            .before_json
            .as_deref()
            .unwrap()
            .contains("\"submitted\"")
    );
    assert!(
        approve
            .after_json
            .as_deref()
            .unwrap()
            .contains("\"approved\"")
    );
    assert_eq!(approve.actor_name, "test");
}

#[tokio::test]
async fn a_locked_campaign_refuses_list_transitions_and_edits() {
    let app = TestApp::spawn().await;
    let campaign = campaign_with_two_lists(&app).await;
    let locked = set_campaign_status(
        &app.db,
        &Operator::system("test"),
        &campaign,
        CampaignStatus::Locked.as_str(),
    )
    .await
    .unwrap();
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let refused = transition_list(
        &app.db,
        &Operator::system("test"),
        &locked,
        ward.id,
        ListAction::Submit,
        None,
    )
    .await;
    assert!(matches!(refused, Err(AppError::Invalid(_))));
    let list = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .filter(ward_list::Column::WardId.eq(ward.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(ensure_list_editable(&app.db, list.id).await.is_err());
    assert_eq!(list.status, ListStatus::Draft);
}
