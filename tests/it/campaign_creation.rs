//! Which unit runs a new campaign, and who may create one, is one rule
//! (`domain::campaigns::unit_for_new_campaign`): the page, the API and the command line agree.

use axum::http::StatusCode;
use chamlo::entities::campaign;
use chamlo::entities::states::{Role, UnitLevel};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::cli::run_chamlo;
use crate::cycle_support::{Auth, api};
use crate::helpers::TestApp;

/// The id of the unit that runs the campaign of `year`.
async fn runner_of(app: &TestApp, year: i32) -> i32 {
    campaign::Entity::find()
        .filter(campaign::Column::Year.eq(year))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("a campaign of {year}"))
        .unit_id
}

/// Creates the campaign of `year` on the home page's form.
async fn create_on_the_page(app: &TestApp, cookie: &str, year: i32) -> StatusCode {
    let year = year.to_string();
    app.post_form(
        "/campaigns",
        &[("year", year.as_str()), ("title", "")],
        Some(cookie),
    )
    .await
    .status
}

/// Creates the campaign of `year` through the API with a token of the logged-in user.
async fn create_through_the_api(app: &TestApp, cookie: &str, year: i32) -> StatusCode {
    let (status, made) = api(
        app,
        "POST",
        "/api/tokens",
        Auth::Cookie(cookie),
        Some(json!({"name": format!("tạo đợt {year}")})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let token = made["token"].as_str().expect("the new token").to_owned();
    api(
        app,
        "POST",
        "/api/campaigns",
        Auth::Token(&token),
        Some(json!({ "year": year })),
    )
    .await
    .0
}

/// Runs `chamlo campaign create --year YEAR [ARGS…]` and checks it succeeded.
fn create_on_the_command_line(app: &TestApp, year: i32, args: &[&str]) {
    let year = year.to_string();
    let mut all = vec!["campaign", "create", "--year", year.as_str()];
    all.extend_from_slice(args);
    let output = run_chamlo(app, &all, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn the_page_the_api_and_the_command_line_give_a_new_campaign_the_same_unit() {
    let app = TestApp::spawn().await;
    let city = app.unit(UnitLevel::City, "Hồ Chí Minh").await.id;
    let district = app.unit(UnitLevel::District, "Quận 9").await.id;

    // An administrator serves no unit, nor does the command line: all three choose the only
    // district that existed in the campaign's year, and the city once it had none (Quận 9
    // ended on 31 Dec 2020).
    let admin = app.login_as("quantri", Role::Admin, None).await;
    assert_eq!(
        create_on_the_page(&app, &admin, 2018).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        create_through_the_api(&app, &admin, 2019).await,
        StatusCode::CREATED
    );
    create_on_the_command_line(&app, 2020, &[]);
    for year in [2018, 2019, 2020] {
        assert_eq!(runner_of(&app, year).await, district, "{year}");
    }
    assert_eq!(
        create_on_the_page(&app, &admin, 2026).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        create_through_the_api(&app, &admin, 2027).await,
        StatusCode::CREATED
    );
    create_on_the_command_line(&app, 2028, &[]);
    for year in [2026, 2027, 2028] {
        assert_eq!(runner_of(&app, year).await, city, "{year}");
    }

    // District staff run their own district's campaigns; the command line names the district.
    let staff = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    assert_eq!(
        create_on_the_page(&app, &staff, 2030).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        create_through_the_api(&app, &staff, 2031).await,
        StatusCode::CREATED
    );
    create_on_the_command_line(&app, 2032, &["--unit", "quan 9"]);
    for year in [2030, 2031, 2032] {
        assert_eq!(runner_of(&app, year).await, district, "{year}");
    }
}

#[tokio::test]
async fn a_ward_officer_creates_no_campaign_anywhere_and_an_ended_ward_runs_none() {
    let app = TestApp::spawn().await;
    let officer = app
        .login_as("hiepphu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    assert_eq!(
        create_on_the_page(&app, &officer, 2027).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        create_through_the_api(&app, &officer, 2027).await,
        StatusCode::FORBIDDEN
    );
    let output = run_chamlo(
        &app,
        &["campaign", "create", "--year", "2027", "--unit", "Hiệp Phú"],
        &[],
    );
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("Hiệp Phú"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        campaign::Entity::find()
            .filter(campaign::Column::Year.eq(2027))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
}
