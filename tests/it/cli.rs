//! The `chamlo` binary's subcommands, run against the test's database.

use std::process::{Command, Output};

use chamlo::entities::states::{Role, UnitLevel};
use chamlo::entities::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::TestApp;

/// Runs `chamlo ARGS` on the test's database with extra environment variables.
pub fn run_chamlo(app: &TestApp, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chamlo"));
    command
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("CHAMLO_LOG", "warn")
        .env_remove("CHAMLO_PASSWORD");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the chamlo binary runs")
}

#[tokio::test]
async fn user_create_adds_a_ward_officer_for_a_ward_named_without_diacritics() {
    let app = TestApp::spawn().await;
    let output = run_chamlo(
        &app,
        &[
            "user",
            "create",
            "--username",
            "canbo.tanphu",
            "--role",
            "ward",
            "--unit",
            "TAN PHU",
        ],
        &[("CHAMLO_PASSWORD", "mat-khau-tan-phu")],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let created = user::Entity::find()
        .filter(user::Column::Username.eq("canbo.tanphu"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("user stored");
    assert_eq!(created.role, Role::Ward);
    assert_eq!(
        created.unit_id,
        Some(app.unit(UnitLevel::Ward, "Tân Phú").await.id)
    );
    app.login("canbo.tanphu", "mat-khau-tan-phu").await;
}

#[tokio::test]
async fn user_create_refuses_an_unknown_unit_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let output = run_chamlo(
        &app,
        &[
            "user",
            "create",
            "--username",
            "ai.do",
            "--role",
            "ward",
            "--unit",
            "Bến Nghé",
        ],
        &[("CHAMLO_PASSWORD", "mat-khau-ben-nghe")],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Bến Nghé"));
    assert!(
        user::Entity::find()
            .filter(user::Column::Username.eq("ai.do"))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
}
