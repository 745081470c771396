//! Reviewers by sector under the two-tier government: a city reviewer limited to a sector
//! sees and approves that sector's entries in every ward and nothing else; a ward's own
//! account still sees every sector; a ward can run its own campaign and approve it.

use axum::http::StatusCode;
use chamlo::domain::api_tokens::create_api_token;
use chamlo::domain::audit::Actor;
use chamlo::domain::exports::{find_program, load_report, load_signing_sheets};
use chamlo::domain::list_entries::{EntryFilter, campaign_entries};
use chamlo::domain::operator::Operator;
use chamlo::domain::people::find_person;
use chamlo::domain::progress::campaign_progress;
use chamlo::domain::sectors::user_sectors;
use chamlo::domain::ward_lists::{ListAction, list_ward_lists, transition_list};
use chamlo::entities::states::{ListStatus, Role, Sector, UnitLevel};
use chamlo::entities::{campaign, category, user};
use chamlo::error::AppError;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::cli::run_chamlo;
use crate::cycle_support::{Auth, api};
use crate::helpers::TestApp;
use crate::import::{district_campaign, import_bytes, tan_phu_file, ward_file};
use crate::ward_campaigns::supervisor_account;

/// Tết day of the campaign's year, for the report's "as of" date.
fn campaign_day(campaign: &campaign::Model) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(campaign.year, 2, 12).expect("a date")
}

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

/// Two wards' lists with every sector: Hiệp Phú with two merit people, one poor household
/// and one social-assistance person; Tân Phú with one merit and one social-assistance person.
async fn lists_of_every_sector(app: &TestApp) -> campaign::Model {
    let campaign = district_campaign(app, 2021).await;
    let hiep_phu = ward_file(
        "HIỆP PHÚ",
        &[
            (
                "Nguyễn Văn An",
                1950,
                "079050000101",
                "12 Lê Văn Việt",
                "Thương binh",
            ),
            (
                "Trần Thị Bình",
                1935,
                "079135000102",
                "5 Man Thiện",
                "Bà mẹ Việt Nam anh hùng",
            ),
            (
                "Lê Văn Cường",
                1970,
                "079070000103",
                "8 Đình Phong Phú",
                "Hộ nghèo",
            ),
            (
                "Phạm Thị Dung",
                1940,
                "079140000104",
                "3 Lã Xuân Oai",
                "Bảo trợ xã hội",
            ),
        ],
    );
    import_bytes(app, &campaign, "hiep-phu.xlsx", &hiep_phu, Some("Hiệp Phú"))
        .await
        .expect("Hiệp Phú imported");
    let tan_phu = tan_phu_file(&[
        (
            "Võ Văn Em",
            1948,
            "079048000105",
            "1 Tân Lập",
            "Thương binh",
        ),
        (
            "Đỗ Thị Giang",
            1938,
            "079138000106",
            "9 Tân Hòa",
            "Bảo trợ xã hội",
        ),
    ]);
    import_bytes(app, &campaign, "tan-phu.xlsx", &tan_phu, Some("Tân Phú"))
        .await
        .expect("Tân Phú imported");
    campaign
}

/// A supervising account of the city limited to `sectors`, as the domain sees it, with the
/// account.
async fn city_reviewer(
    app: &TestApp,
    username: &str,
    sectors: &[Sector],
) -> (user::Model, Operator) {
    supervisor_account(app, username, (UnitLevel::City, "Hồ Chí Minh"), sectors).await
}

/// The category codes of the entries `op` sees in the campaign, sorted.
async fn codes_seen(app: &TestApp, op: &Operator, campaign: &campaign::Model) -> Vec<String> {
    let mut codes: Vec<String> =
        campaign_entries(&app.db, &op.scope, campaign, EntryFilter::default())
            .await
            .expect("entries")
            .into_iter()
            .map(|e| e.category_code)
            .collect();
    codes.sort();
    codes
}

#[tokio::test]
async fn a_city_merit_reviewer_sees_only_merit_entries_of_every_ward() {
    let app = TestApp::spawn().await;
    let campaign = lists_of_every_sector(&app).await;
    let (merit_user, merit) = city_reviewer(&app, "sonoivu", &[Sector::Merit]).await;
    let (_, social) = city_reviewer(&app, "soyte", &[Sector::SocialProtection]).await;
    let ward = app
        .operator(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;

    // The API's entries and the lists' rows.
    assert_eq!(
        codes_seen(&app, &merit, &campaign).await,
        ["BMVNAH", "TB", "TB"]
    );
    assert_eq!(codes_seen(&app, &social, &campaign).await, ["BTXH", "BTXH"]);
    assert_eq!(
        codes_seen(&app, &ward, &campaign).await,
        ["BMVNAH", "BTXH", "HN", "TB"],
        "the ward's own account sees every sector of its ward"
    );

    // The lists page: both wards' lists, counted with the reviewer's entries only.
    let lists = list_ward_lists(&app.db, &merit, &campaign).await.unwrap();
    let mut counts: Vec<(String, i64)> = lists
        .iter()
        .map(|l| (l.ward_name.clone(), l.entries))
        .collect();
    counts.sort();
    assert_eq!(counts.len(), 2, "{counts:?}");
    assert_eq!(counts.iter().map(|c| c.1).sum::<i64>(), 3, "{counts:?}");

    // The dashboard's figures.
    let progress = campaign_progress(&app.db, &merit, &campaign).await.unwrap();
    assert_eq!(progress.total.planned_people, 3);
    assert_eq!(progress.wards.len(), 2);
    let progress = campaign_progress(&app.db, &social, &campaign)
        .await
        .unwrap();
    assert_eq!(progress.total.planned_people, 2);

    // The signing sheet of Hiệp Phú prints the reviewer's people only.
    let program = find_program(&app.db, &campaign, None).await.unwrap();
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let sheets = load_signing_sheets(&app.db, &merit.scope, &campaign, Some(&hiep_phu), &program)
        .await
        .unwrap();
    let mut names: Vec<&str> = sheets[0]
        .sheet
        .entries
        .iter()
        .map(|e| e.full_name.as_str())
        .collect();
    names.sort();
    assert_eq!(names, ["Nguyễn Văn An", "Trần Thị Bình"]);

    // The report counts the reviewer's entries only.
    let report = load_report(&app.db, &merit.scope, &campaign, campaign_day(&campaign))
        .await
        .unwrap();
    assert_eq!(report.entries.len(), 3);

    // The JSON API answers the same.
    let (_, token) = create_api_token(&app.db, &Actor::system("test"), &merit_user, "script")
        .await
        .unwrap();
    let (status, json) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{}/entries", campaign.slug),
        Auth::Token(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let text = json.to_string();
    assert!(
        text.contains("Nguyễn Văn An") && text.contains("Võ Văn Em"),
        "{text}"
    );
    for hidden in ["Lê Văn Cường", "Phạm Thị Dung", "Đỗ Thị Giang"] {
        assert!(
            !text.contains(hidden),
            "{hidden} leaked to the merit reviewer: {text}"
        );
    }
}

#[tokio::test]
async fn a_list_is_approved_when_every_sector_it_holds_is_approved() {
    let app = TestApp::spawn().await;
    let campaign = lists_of_every_sector(&app).await;
    let (_, merit) = city_reviewer(&app, "sonoivu", &[Sector::Merit]).await;
    let (_, social) = city_reviewer(&app, "soyte", &[Sector::SocialProtection]).await;
    let (_, poverty) = city_reviewer(&app, "sonongnghiep", &[Sector::Poverty]).await;
    let ward = app
        .operator(
            "canbo.tanphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tân Phú")),
        )
        .await;
    let tan_phu = app.unit(UnitLevel::Ward, "Tân Phú").await;
    transition_list(
        &app.db,
        &ward,
        &campaign,
        tan_phu.id,
        ListAction::Submit,
        None,
    )
    .await
    .unwrap();

    // Tân Phú holds merit and social protection: the poverty reviewer has nothing to approve.
    let refused = transition_list(
        &app.db,
        &poverty,
        &campaign,
        tan_phu.id,
        ListAction::Approve,
        None,
    )
    .await
    .unwrap_err();
    assert!(
        refused.user_message().contains("lĩnh vực"),
        "{}",
        refused.user_message()
    );

    let after_merit = transition_list(
        &app.db,
        &merit,
        &campaign,
        tan_phu.id,
        ListAction::Approve,
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        after_merit.status,
        ListStatus::Submitted,
        "waits for social protection"
    );
    let again = transition_list(
        &app.db,
        &merit,
        &campaign,
        tan_phu.id,
        ListAction::Approve,
        None,
    )
    .await
    .unwrap_err();
    assert!(again.user_message().contains("đã được duyệt"));

    let after_social = transition_list(
        &app.db,
        &social,
        &campaign,
        tan_phu.id,
        ListAction::Approve,
        None,
    )
    .await
    .unwrap();
    assert_eq!(after_social.status, ListStatus::Approved);

    // Reopening unlocks every sector: not for a sector reviewer.
    let reopen = transition_list(
        &app.db,
        &merit,
        &campaign,
        tan_phu.id,
        ListAction::Reopen,
        None,
    )
    .await
    .unwrap_err();
    assert!(matches!(reopen, AppError::Forbidden(_)));
}

#[tokio::test]
async fn a_return_by_one_sector_clears_the_parts_approved_so_far() {
    let app = TestApp::spawn().await;
    let campaign = lists_of_every_sector(&app).await;
    let (_, merit) = city_reviewer(&app, "sonoivu", &[Sector::Merit]).await;
    let (_, social) = city_reviewer(&app, "soyte", &[Sector::SocialProtection]).await;
    let ward = app
        .operator(
            "canbo.tanphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tân Phú")),
        )
        .await;
    let tan_phu = app.unit(UnitLevel::Ward, "Tân Phú").await;
    transition_list(
        &app.db,
        &ward,
        &campaign,
        tan_phu.id,
        ListAction::Submit,
        None,
    )
    .await
    .unwrap();
    transition_list(
        &app.db,
        &merit,
        &campaign,
        tan_phu.id,
        ListAction::Approve,
        None,
    )
    .await
    .unwrap();
    let returned = transition_list(
        &app.db,
        &social,
        &campaign,
        tan_phu.id,
        ListAction::Return,
        Some("Thiếu giấy xác nhận bảo trợ xã hội"),
    )
    .await
    .unwrap();
    assert_eq!(returned.status, ListStatus::Returned);
    transition_list(
        &app.db,
        &ward,
        &campaign,
        tan_phu.id,
        ListAction::Submit,
        None,
    )
    .await
    .unwrap();
    // The merit part must be approved again: the social one alone does not approve the list.
    let after_social = transition_list(
        &app.db,
        &social,
        &campaign,
        tan_phu.id,
        ListAction::Approve,
        None,
    )
    .await
    .unwrap();
    assert_eq!(after_social.status, ListStatus::Submitted);
}

#[tokio::test]
async fn the_user_admin_page_creates_and_edits_a_sector_reviewer() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("quantri", Role::Admin, None).await;
    let city = app.unit(UnitLevel::City, "Hồ Chí Minh").await;
    let city_id = city.id.to_string();
    let created = app
        .post_form(
            "/users",
            &[
                ("username", "soyte"),
                ("full_name", "Ngô Thị Hạnh"),
                ("role", "district"),
                ("unit_id", &city_id),
                ("password", "mat-khau-so-y-te"),
                ("sector_social_protection", "on"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let reviewer = stored_user(&app, "soyte").await.expect("created");
    assert_eq!(
        user_sectors(&app.db, reviewer.id).await.unwrap(),
        vec![Sector::SocialProtection]
    );
    let list = app.get("/users", Some(&admin)).await;
    assert!(list.body.contains("Bảo trợ xã hội"), "{}", list.body);

    let edited = app
        .post_form(
            &format!("/users/{}", reviewer.id),
            &[
                ("full_name", "Ngô Thị Hạnh"),
                ("role", "district"),
                ("unit_id", &city_id),
                ("sector_poverty", "on"),
                ("sector_social_protection", "on"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    assert_eq!(
        user_sectors(&app.db, reviewer.id).await.unwrap(),
        vec![Sector::SocialProtection, Sector::Poverty]
    );
    let page = app
        .get(&format!("/users/{}", reviewer.id), Some(&admin))
        .await;
    assert!(
        page.body.contains("name=\"sector_poverty\" checked"),
        "{}",
        page.body
    );

    // A ward officer cannot be limited to a sector: refused, nothing stored.
    let refused = app
        .post_form(
            "/users",
            &[
                ("username", "canbo.tnp"),
                ("role", "ward"),
                (
                    "unit_id",
                    &app.unit(UnitLevel::Ward, "Tăng Nhơn Phú")
                        .await
                        .id
                        .to_string(),
                ),
                ("password", "mat-khau-phuong"),
                ("sector_merit", "on"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("lĩnh vực"));
    assert!(stored_user(&app, "canbo.tnp").await.is_none());
}

#[tokio::test]
async fn a_merit_reviewer_opens_a_merit_persons_page_but_not_a_poor_households() {
    let app = TestApp::spawn().await;
    lists_of_every_sector(&app).await;
    let (_, merit) = city_reviewer(&app, "sonoivu", &[Sector::Merit]).await;
    let person_id = |name: &'static str| {
        let db = app.db.clone();
        async move {
            chamlo::entities::person::Entity::find()
                .filter(chamlo::entities::person::Column::FullName.eq(name))
                .one(&db)
                .await
                .unwrap()
                .expect("person imported")
                .id
        }
    };
    let merit_person = person_id("Nguyễn Văn An").await;
    let poor = person_id("Lê Văn Cường").await;
    assert!(find_person(&app.db, &merit, merit_person).await.is_ok());
    assert!(matches!(
        find_person(&app.db, &merit, poor).await,
        Err(AppError::Forbidden(_))
    ));
}

/// The number in the dashboard's "suất quà" figure.
fn dashboard_gifts(body: &str) -> i64 {
    let (before, _) = body
        .split_once(r#"</span><span class="stat-label">suất quà</span>"#)
        .unwrap_or_else(|| panic!("no gift count on the dashboard: {body}"));
    let (_, number) = before.rsplit_once('>').expect("the figure's opening tag");
    number.trim().parse().expect("a count")
}

/// The dashboard's figures kept by a server (issue 19): for the keeping time a view shows what
/// was read, after it the database's figures again, and a reviewer of one sector never gets
/// the figures kept for another scope, though every view hits the store.
#[tokio::test]
async fn kept_dashboard_figures_are_refreshed_after_their_time_and_never_cross_scopes() {
    use chamlo::entities::entry;
    use chamlo::web::campaigns::kept::KeptDashboards;
    use std::time::{Duration, Instant};

    const KEEP: Duration = Duration::from_secs(2);
    let mut app = TestApp::spawn().await;
    app.state.dashboards = KeptDashboards::new(KEEP);
    let campaign = lists_of_every_sector(&app).await;
    city_reviewer(&app, "sotc", &[]).await;
    city_reviewer(&app, "sonoivu", &[Sector::Merit]).await;
    city_reviewer(&app, "soyte", &[Sector::SocialProtection]).await;
    let city = app.login("sotc", crate::helpers::PASSWORD).await;
    let merit = app.login("sonoivu", crate::helpers::PASSWORD).await;
    let social = app.login("soyte", crate::helpers::PASSWORD).await;
    let path = format!("/campaigns/{}", campaign.slug);
    let gifts = |cookie: String| {
        let (app, path) = (&app, &path);
        async move {
            let page = app.get(path, Some(&cookie)).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            dashboard_gifts(&page.body)
        }
    };

    // One after the other, each from the store filled by the one before: every scope its own.
    let read_at = Instant::now();
    assert_eq!(gifts(city.clone()).await, 6);
    assert_eq!(gifts(merit.clone()).await, 3);
    assert_eq!(gifts(social.clone()).await, 2);
    assert_eq!(gifts(merit.clone()).await, 3);

    // A merit gift removed: within the keeping time the figures read stand, after it the
    // removal shows, in both scopes that hold it and not in the one that does not.
    let merit_category = category::Entity::find()
        .filter(category::Column::Code.eq("TB"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the TB category");
    let removed = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .filter(entry::Column::CategoryId.eq(merit_category.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a merit gift");
    entry::Entity::delete_by_id(removed.id)
        .exec(&app.db)
        .await
        .unwrap();
    let city_kept = gifts(city.clone()).await;
    let merit_kept = gifts(merit.clone()).await;
    if read_at.elapsed() < KEEP {
        assert_eq!((city_kept, merit_kept), (6, 3), "kept within their time");
    }
    // Whatever was kept so far was read before now.
    tokio::time::sleep(KEEP + Duration::from_millis(100)).await;
    assert_eq!(gifts(city).await, 5, "read again after their time");
    assert_eq!(gifts(merit).await, 2);
    assert_eq!(gifts(social).await, 2);
}
