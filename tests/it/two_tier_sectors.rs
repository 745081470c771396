//! Reviewers by sector under the two-tier government: a city reviewer limited to a sector
//! sees and approves that sector's entries in every ward and nothing else; a ward's own
//! account still sees every sector; a ward can run its own campaign and approve it.

use chamlo::domain::sectors::user_sectors;
use chamlo::entities::states::{Role, Sector, UnitLevel};
use chamlo::entities::{category, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::cli::run_chamlo;
use crate::helpers::TestApp;

async fn stored_user(app: &TestApp, username: &str) -> Option<user::Model> {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn cli_user_create_limits_a_city_reviewer_to_the_sectors_given() {
    let app = TestApp::spawn().await;
    let output = run_chamlo(
        &app,
        &[
            "user",
            "create",
            "--username",
            "sonoivu",
            "--role",
            "district",
            "--unit",
            "Hồ Chí Minh",
            "--sector",
            "merit",
        ],
        &[("CHAMLO_PASSWORD", "mat-khau-so-noi-vu")],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let created = stored_user(&app, "sonoivu").await.expect("user stored");
    assert_eq!(created.role, Role::District);
    assert_eq!(
        created.unit_id,
        Some(app.unit(UnitLevel::City, "Hồ Chí Minh").await.id)
    );
    assert_eq!(
        user_sectors(&app.db, created.id).await.unwrap(),
        vec![Sector::Merit]
    );

    let output = run_chamlo(
        &app,
        &[
            "user",
            "create",
            "--username",
            "soyte",
            "--role",
            "district",
            "--unit",
            "Hồ Chí Minh",
            "--sector",
            "social_protection",
            "--sector",
            "poverty",
        ],
        &[("CHAMLO_PASSWORD", "mat-khau-so-y-te")],
    );
    assert!(output.status.success());
    let both = stored_user(&app, "soyte").await.expect("user stored");
    assert_eq!(
        user_sectors(&app.db, both.id).await.unwrap(),
        vec![Sector::SocialProtection, Sector::Poverty]
    );
}

#[tokio::test]
async fn cli_user_create_without_sector_works_in_every_sector() {
    let app = TestApp::spawn().await;
    let output = run_chamlo(
        &app,
        &[
            "user",
            "create",
            "--username",
            "giamsat",
            "--role",
            "district",
            "--unit",
            "Hồ Chí Minh",
        ],
        &[("CHAMLO_PASSWORD", "mat-khau-giam-sat")],
    );
    assert!(output.status.success());
    let created = stored_user(&app, "giamsat").await.expect("user stored");
    assert!(user_sectors(&app.db, created.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn cli_user_create_refuses_a_sector_for_a_ward_officer_or_an_unknown_sector() {
    let app = TestApp::spawn().await;
    let ward = run_chamlo(
        &app,
        &[
            "user",
            "create",
            "--username",
            "canbo.tnp",
            "--role",
            "ward",
            "--unit",
            "Tăng Nhơn Phú",
            "--sector",
            "merit",
        ],
        &[("CHAMLO_PASSWORD", "mat-khau-phuong")],
    );
    assert_eq!(ward.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&ward.stderr).contains("lĩnh vực"));
    assert!(stored_user(&app, "canbo.tnp").await.is_none());

    let unknown = run_chamlo(
        &app,
        &[
            "user",
            "create",
            "--username",
            "ai.do",
            "--role",
            "district",
            "--unit",
            "Hồ Chí Minh",
            "--sector",
            "health",
        ],
        &[("CHAMLO_PASSWORD", "mat-khau-ai-do")],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("health"));
    assert!(stored_user(&app, "ai.do").await.is_none());
}

#[tokio::test]
async fn seeded_categories_belong_to_their_sector() {
    let app = TestApp::spawn().await;
    let sector_of = |code: &'static str| {
        let db = app.db.clone();
        async move {
            category::Entity::find()
                .filter(category::Column::Code.eq(code))
                .one(&db)
                .await
                .unwrap()
                .expect("seeded category")
                .sector
        }
    };
    assert_eq!(sector_of("TB").await, Sector::Merit);
    assert_eq!(sector_of("BMVNAH").await, Sector::Merit);
    assert_eq!(sector_of("HN").await, Sector::Poverty);
    assert_eq!(sector_of("HCN").await, Sector::Poverty);
    assert_eq!(sector_of("BTXH").await, Sector::SocialProtection);
    assert_eq!(sector_of("HCKK").await, Sector::SocialProtection);
}
