//! Each app server keeps its own copy of the units and checks it with every session against
//! the database's `units_version` (issue 19). Two servers on one database: a unit renamed or
//! added by the other server, the CLI or plain SQL shows on the next page of this one, and a
//! scope that grows with a new ward grows at once, on SQLite and PostgreSQL.

use chamlo::domain::audit::Actor;
use chamlo::domain::units::{UnitInput, save_unit};
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::web::app;
use sea_orm::{ConnectionTrait, Statement};
use tower::ServiceExt;

use crate::helpers::{TestApp, TestResponse};

/// GET `path` through a router built on `state`, as a second app server would answer it.
async fn get_on(state: &chamlo::web::AppState, path: &str, cookie: &str) -> TestResponse {
    let request = axum::http::Request::get(path)
        .header(axum::http::header::COOKIE, cookie)
        .body(axum::body::Body::empty())
        .expect("request");
    let response = app(state.clone())
        .oneshot(request)
        .await
        .expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    TestResponse {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn version(app: &TestApp) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT version FROM units_version WHERE id = 1",
        ))
        .await
        .expect("version read")
        .expect("the version row");
    row.try_get("", "version").expect("version")
}

#[tokio::test]
async fn a_server_sees_units_changed_elsewhere_on_its_next_page() {
    let app = TestApp::spawn().await;
    // A second server on the same database: same pool, its own copy of the units.
    let mut other = app.state.clone();
    other.units = Default::default();
    let city = app.unit(UnitLevel::City, "Hồ Chí Minh").await;
    let ward = app.unit(UnitLevel::Ward, "Tân Phú").await;
    let cookie = app
        .login_as(
            "so-noi-vu",
            Role::District,
            Some((UnitLevel::City, "Hồ Chí Minh")),
        )
        .await;

    // Both servers have read the units once.
    let page = app.get(&format!("/units/{}", ward.id), Some(&cookie)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Tân Phú"));
    assert_eq!(get_on(&other, "/units", &cookie).await.status, 200);

    // Renamed by plain SQL (as an operator's script would): the version goes up in the same
    // statement, and each server's next page shows the new name.
    let before = version(&app).await;
    app.db
        .execute_unprepared(&format!(
            "UPDATE units SET name = 'Tân Phú Mới' WHERE id = {}",
            ward.id
        ))
        .await
        .expect("rename");
    assert!(
        version(&app).await > before,
        "the trigger raises the version"
    );
    for state in [&app.state, &other] {
        let page = get_on(state, &format!("/units/{}", ward.id), &cookie).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Tân Phú Mới"), "{}", page.body);
    }

    // A ward added through the other server's domain call: this server's city reviewer may
    // open it at once (the scope is worked out from the fresh copy), and a ward's account
    // of another ward still may not.
    let added = save_unit(
        &app.db,
        &Actor::system("test"),
        None,
        UnitInput {
            code: "99999".into(),
            name: "Phường Thử Nghiệm".into(),
            level: "ward".into(),
            parent_id: Some(city.id),
            valid_from: None,
            valid_to: None,
        },
    )
    .await
    .expect("a new ward");
    let page = app
        .get(&format!("/units/{}", added.id), Some(&cookie))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Thử Nghiệm"), "{}", page.body);
    let ward_cookie = app
        .login_as(
            "tan-phu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tân Phú Mới")),
        )
        .await;
    let refused = get_on(&other, &format!("/units/{}", added.id), &ward_cookie).await;
    assert_eq!(refused.status, 403, "{}", refused.body);

    // Removed by SQL: gone from the next list of either server.
    app.db
        .execute_unprepared(&format!("DELETE FROM units WHERE id = {}", added.id))
        .await
        .expect("remove");
    for state in [&app.state, &other] {
        let list = get_on(state, "/units", &cookie).await;
        assert_eq!(list.status, 200);
        assert!(!list.body.contains("Thử Nghiệm"), "{}", list.body);
    }
}

/// The categories are kept per server the same way (`domain::categories_copy`, checked
/// against `categories_version` with the campaign on every list page): a category renamed by
/// plain SQL, as another server or an administrator's script would, is named so on the next
/// list page.
#[tokio::test]
async fn a_category_renamed_by_sql_is_named_so_on_the_next_list_page() {
    let app = TestApp::spawn().await;
    let campaign = crate::import::district_campaign(&app, 2021).await;
    crate::import::import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx", None).await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            format!(
                "SELECT c.id, c.name, e.ward_id FROM entries e JOIN categories c \
                 ON c.id = e.category_id WHERE e.campaign_id = {} ORDER BY e.id LIMIT 1",
                campaign.id
            ),
        ))
        .await
        .unwrap()
        .expect("an entry");
    let (category_id, name, ward_id): (i32, String, i32) = (
        row.try_get("", "id").unwrap(),
        row.try_get("", "name").unwrap(),
        row.try_get("", "ward_id").unwrap(),
    );
    let path = format!("/campaigns/{}/wards/{ward_id}", campaign.slug);
    let before = app.get(&path, Some(&cookie)).await;
    assert!(before.body.contains(&name), "{}", before.body);
    let renamed = format!("{name} (tên mới)");
    app.db
        .execute_unprepared(&format!(
            "UPDATE categories SET name = '{renamed}' WHERE id = {category_id}"
        ))
        .await
        .unwrap();
    let after = app.get(&path, Some(&cookie)).await;
    assert!(after.body.contains(&renamed), "{}", after.body);
}
