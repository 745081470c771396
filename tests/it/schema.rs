//! The migrations build the whole model and seed the units and the catalogue.

use chamlo::domain::accounts::ensure_first_admin;
use chamlo::entities::states::{CategoryKind, UnitLevel};
use chamlo::entities::{category, category_synonym, unit, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::TestApp;

#[tokio::test]
async fn migrations_create_every_table_of_the_model() {
    let app = TestApp::spawn().await;
    for table in [
        "units",
        "categories",
        "category_synonyms",
        "users",
        "sessions",
        "api_tokens",
        "people",
        "households",
        "campaigns",
        "gift_programs",
        "program_amounts",
        "ward_lists",
        "import_batches",
        "entries",
        "duplicate_decisions",
        "audit_events",
    ] {
        let counted = app
            .db
            .execute_unprepared(&format!("SELECT COUNT(*) FROM {table}"))
            .await;
        assert!(counted.is_ok(), "table {table} is missing: {counted:?}");
    }
}

#[tokio::test]
async fn migrations_run_twice_without_harm() {
    let app = TestApp::spawn().await;
    chamlo::db::migrate(&app.db)
        .await
        .expect("second run is a no-op");
    assert_eq!(unit::Entity::find().count(&app.db).await.unwrap(), 20);
}

#[tokio::test]
async fn seed_has_the_city_the_former_quan_9_and_its_13_wards() {
    let app = TestApp::spawn().await;
    let district = app.unit(UnitLevel::District, "Quận 9").await;
    assert_eq!(district.code, "763");
    let city = unit::Entity::find_by_id(district.parent_id.unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (city.code.as_str(), city.name.as_str(), city.level.as_str()),
        ("79", "Hồ Chí Minh", "city")
    );
    assert_eq!(
        district.valid_to.map(|d| d.to_string()).as_deref(),
        Some("2020-12-31")
    );

    let wards = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(district.id))
        .all(&app.db)
        .await
        .unwrap();
    let mut seen: Vec<(String, String)> = wards
        .iter()
        .map(|w| (w.code.clone(), w.name.clone()))
        .collect();
    seen.sort();
    let expected = [
        ("26830", "Long Bình"),
        ("26833", "Long Thạnh Mỹ"),
        ("26836", "Tân Phú"),
        ("26839", "Hiệp Phú"),
        ("26842", "Tăng Nhơn Phú A"),
        ("26845", "Tăng Nhơn Phú B"),
        ("26848", "Phước Long B"),
        ("26851", "Phước Long A"),
        ("26854", "Trường Thạnh"),
        ("26857", "Long Phước"),
        ("26860", "Long Trường"),
        ("26863", "Phước Bình"),
        ("26866", "Phú Hữu"),
    ];
    assert_eq!(
        seen,
        expected
            .iter()
            .map(|(c, n)| (c.to_string(), n.to_string()))
            .collect::<Vec<_>>()
    );
    assert!(wards.iter().all(|w| w.level == UnitLevel::Ward));
}

#[tokio::test]
async fn seed_has_the_category_catalogue_with_synonyms_and_a_sensitive_flag() {
    let app = TestApp::spawn().await;
    let categories = category::Entity::find().all(&app.db).await.unwrap();
    let by_code = |code: &str| {
        categories
            .iter()
            .find(|c| c.code == code)
            .unwrap_or_else(|| panic!("{code}"))
    };
    assert_eq!(by_code("BMVNAH").name, "Bà mẹ Việt Nam anh hùng");
    assert_eq!(by_code("BMVNAH").kind, CategoryKind::Merit);
    assert_eq!(by_code("HN").kind, CategoryKind::Hardship);
    assert!(by_code("HN").per_household);
    assert!(by_code("HIV").sensitive);
    assert!(!by_code("TNLS").sensitive);
    assert!(
        categories
            .iter()
            .filter(|c| c.kind == CategoryKind::Merit)
            .count()
            >= 10
    );

    let tnls_synonyms: Vec<String> = category_synonym::Entity::find()
        .filter(category_synonym::Column::CategoryId.eq(by_code("TNLS").id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.synonym)
        .collect();
    assert!(tnls_synonyms.contains(&"TNLS".to_owned()));
    assert!(tnls_synonyms.contains(&"LS".to_owned()));
}

#[tokio::test]
async fn first_start_creates_one_admin_and_later_starts_create_none() {
    let app = TestApp::spawn().await;
    let password = ensure_first_admin(&app.db, None)
        .await
        .unwrap()
        .expect("a new admin");
    assert_eq!(password.len(), 16);
    assert!(ensure_first_admin(&app.db, None).await.unwrap().is_none());
    let admins = user::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(admins.len(), 1);
    assert_eq!(
        (admins[0].username.as_str(), admins[0].role.as_str()),
        ("admin", "admin")
    );
    app.login("admin", &password).await;
}
