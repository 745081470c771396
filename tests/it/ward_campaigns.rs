//! Campaigns at any level (issue 15, item 5): a ward runs its own program, approved by its
//! leader (a supervising account of the ward) and by nobody at the city; a city's campaign
//! is approved by the city's reviewers sector by sector, never by a ward's leader. The list
//! page says who approves and, for a city campaign, which sectors approved and which are
//! awaited. `domain::approvers` holds the rule; the pages, the API and the domain agree.

use axum::http::StatusCode;
use chamlo::domain::accounts::NewUser;
use chamlo::domain::campaigns::visible_campaign;
use chamlo::domain::list_entries::{EntryFilter, campaign_entries};
use chamlo::domain::operator::Operator;
use chamlo::domain::sectors::create_user_in_sectors;
use chamlo::domain::ward_lists::{ListAction, transition_list};
use chamlo::entities::states::{ListStatus, Role, Sector, UnitLevel};
use chamlo::entities::{campaign, user, ward_list};
use chamlo::error::AppError;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::cli::run_chamlo;
use crate::cycle_support::{Auth, api};
use crate::helpers::{PASSWORD, TestApp};
use crate::import::{check_file, import_bytes, ward_file};
use crate::two_tier_import::campaign_2027;

/// A list of Tăng Nhơn Phú with a person of each sector.
fn tang_nhon_phu_file() -> Vec<u8> {
    ward_file(
        "TĂNG NHƠN PHÚ",
        &[
            (
                "Huỳnh Văn Lộc",
                1951,
                "079051000201",
                "40 Tăng Nhơn Phú",
                "Thương binh",
            ),
            (
                "Mai Thị Hoa",
                1972,
                "079172000202",
                "15 Dương Đình Hội",
                "Hộ nghèo",
            ),
            (
                "Trương Văn Khánh",
                1939,
                "079039000203",
                "7 Lò Lu",
                "Bảo trợ xã hội",
            ),
        ],
    )
}

/// Imports [`tang_nhon_phu_file`] into `campaign` as the command line would.
async fn import_tang_nhon_phu(app: &TestApp, campaign: &campaign::Model) {
    import_bytes(
        app,
        campaign,
        "tnp.xlsx",
        &tang_nhon_phu_file(),
        Some("Tăng Nhơn Phú"),
    )
    .await
    .expect("Tăng Nhơn Phú imported");
}

/// A supervising account of `unit` (`level`, name), limited to `sectors` (none = all), as
/// the domain sees it, with the account.
pub(crate) async fn supervisor_account(
    app: &TestApp,
    username: &str,
    unit: (UnitLevel, &str),
    sectors: &[Sector],
) -> (user::Model, Operator) {
    let unit = app.unit(unit.0, unit.1).await;
    let (created, _) = create_user_in_sectors(
        &app.db,
        NewUser {
            username,
            password: PASSWORD,
            role: Role::District,
            unit_id: Some(unit.id),
            full_name: None,
        },
        sectors,
    )
    .await
    .expect("supervisor created");
    let op = Operator::for_user(&app.db, &created)
        .await
        .expect("operator");
    (created, op)
}

/// [`supervisor_account`], logged in: its operator and its session cookie.
async fn supervisor(
    app: &TestApp,
    username: &str,
    unit: (UnitLevel, &str),
    sectors: &[Sector],
) -> (Operator, String) {
    let (_, op) = supervisor_account(app, username, unit, sectors).await;
    (op, app.login(username, PASSWORD).await)
}

async fn list_status(app: &TestApp, campaign: &campaign::Model, ward_id: i32) -> ListStatus {
    ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .filter(ward_list::Column::WardId.eq(ward_id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the ward's list")
        .status
}

async fn approve(
    app: &TestApp,
    op: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
) -> Result<ward_list::Model, AppError> {
    transition_list(&app.db, op, campaign, ward_id, ListAction::Approve, None).await
}

#[tokio::test]
async fn a_ward_runs_its_own_campaign_approved_by_its_leader_and_not_by_the_city() {
    let app = TestApp::spawn().await;
    let tnp = app.unit(UnitLevel::Ward, "Tăng Nhơn Phú").await;
    let phuoc_long = app.unit(UnitLevel::Ward, "Phước Long").await;

    // The ward's leader is a supervising account of the ward, made on the command line.
    let made = run_chamlo(
        &app,
        &[
            "user",
            "create",
            "--username",
            "lanhdao.tnp",
            "--role",
            "district",
            "--unit",
            "Tăng Nhơn Phú",
        ],
        &[("CHAMLO_PASSWORD", PASSWORD)],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let leader = user::Entity::find()
        .filter(user::Column::Username.eq("lanhdao.tnp"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the leader's account");
    assert_eq!(
        (leader.role, leader.unit_id),
        (Role::District, Some(tnp.id))
    );
    let leader_op = Operator::for_user(&app.db, &leader).await.unwrap();
    let leader_cookie = app.login("lanhdao.tnp", PASSWORD).await;

    // An administrator (the command line) starts the ward's own campaign.
    let made = run_chamlo(
        &app,
        &[
            "campaign",
            "create",
            "--year",
            "2027",
            "--unit",
            "Tăng Nhơn Phú",
            "--title",
            "Quà Tết nhà tài trợ phường Tăng Nhơn Phú 2027",
        ],
        &[],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let stdout = String::from_utf8_lossy(&made.stdout);
    let slug = stdout.lines().last().expect("the slug").trim().to_owned();
    let campaign = campaign::Entity::find()
        .filter(campaign::Column::Slug.eq(&slug))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the campaign");
    assert_eq!(campaign.unit_id, tnp.id);

    // The ward's officer imports its list as usual; another ward's file is refused row by
    // row, and no list of that ward appears in the campaign.
    import_tang_nhon_phu(&app, &campaign).await;
    let other = ward_file(
        "PHƯỚC LONG",
        &[(
            "Võ Văn Em",
            1948,
            "079048000105",
            "1 Đỗ Xuân Hợp",
            "Thương binh",
        )],
    );
    let checked = check_file(
        &app,
        &campaign,
        "phuoc-long.xlsx",
        &other,
        Some("Phước Long"),
        &chamlo::domain::scope::UnitScope::All,
    )
    .await
    .expect("checked");
    let row = &checked.rows[0];
    assert_ne!(row.status, chamlo::import::RowStatus::Accepted);
    let problems = format!("{:?}", row.issues);
    assert!(
        problems.contains("do Phường Tăng Nhơn Phú tổ chức"),
        "{problems}"
    );
    assert!(
        ward_list::Entity::find()
            .filter(ward_list::Column::CampaignId.eq(campaign.id))
            .filter(ward_list::Column::WardId.eq(phuoc_long.id))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    let officer = app
        .operator(
            "canbo.tnp",
            Role::Ward,
            Some((UnitLevel::Ward, "Tăng Nhơn Phú")),
        )
        .await;
    transition_list(
        &app.db,
        &officer,
        &campaign,
        tnp.id,
        ListAction::Submit,
        None,
    )
    .await
    .expect("the officer submits");

    // The city's reviewers see the ward's program but approve nothing in it, neither by the
    // domain, nor on the page (no approve button), nor through the API.
    let (city, city_cookie) =
        supervisor(&app, "giamsat.hcm", (UnitLevel::City, "Hồ Chí Minh"), &[]).await;
    let (merit, _) = supervisor(
        &app,
        "sonoivu",
        (UnitLevel::City, "Hồ Chí Minh"),
        &[Sector::Merit],
    )
    .await;
    for reviewer in [&city, &merit] {
        visible_campaign(&app.db, reviewer, &slug)
            .await
            .expect("the city sees the ward's program");
        let refused = approve(&app, reviewer, &campaign, tnp.id).await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(ref m)) if m.contains("lãnh đạo UBND phường")),
            "{refused:?}"
        );
    }
    let list_path = format!("/campaigns/{slug}/wards/{}", tnp.id);
    let page = app.get(&list_path, Some(&city_cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Lãnh đạo UBND phường Tăng Nhơn Phú duyệt danh sách")
    );
    assert!(!page.body.contains(r#"value="approve""#), "{}", page.body);
    let (status, body) = api(
        &app,
        "POST",
        &format!("/api/campaigns/{slug}/lists/{}/approve", tnp.id),
        Auth::Cookie(&city_cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let campaign_page = app
        .get(&format!("/campaigns/{slug}"), Some(&city_cookie))
        .await;
    assert!(
        campaign_page
            .body
            .contains("Lãnh đạo UBND phường Tăng Nhơn Phú duyệt danh sách")
    );
    assert!(!campaign_page.body.contains("Quản lý đợt quà"));
    assert_eq!(
        list_status(&app, &campaign, tnp.id).await,
        ListStatus::Submitted
    );

    // An officer or a leader of another ward sees nothing of it.
    let other_officer = app
        .operator(
            "canbo.phuoclong",
            Role::Ward,
            Some((UnitLevel::Ward, "Phước Long")),
        )
        .await;
    let (other_leader, other_cookie) =
        supervisor(&app, "lanhdao.pl", (UnitLevel::Ward, "Phước Long"), &[]).await;
    for outsider in [&other_officer, &other_leader] {
        assert!(visible_campaign(&app.db, outsider, &slug).await.is_err());
        assert!(
            campaign_entries(&app.db, &outsider.scope, &campaign, EntryFilter::default())
                .await
                .unwrap()
                .is_empty()
        );
        assert!(approve(&app, outsider, &campaign, tnp.id).await.is_err());
    }
    for path in [
        format!("/campaigns/{slug}"),
        list_path.clone(),
        format!("/campaigns/{slug}/wards/{}", phuoc_long.id),
    ] {
        let status = app.get(&path, Some(&other_cookie)).await.status;
        assert!(
            matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{path}: {status}"
        );
    }
    // Even the city sees no page of another ward's list in the ward's campaign.
    let status = app
        .get(
            &format!("/campaigns/{slug}/wards/{}", phuoc_long.id),
            Some(&city_cookie),
        )
        .await
        .status;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The leader sees the approve button and approves the whole list at once.
    let page = app.get(&list_path, Some(&leader_cookie)).await;
    assert!(page.body.contains(r#"value="approve""#), "{}", page.body);
    let approved = approve(&app, &leader_op, &campaign, tnp.id)
        .await
        .expect("the ward's leader approves");
    assert_eq!(approved.status, ListStatus::Approved);
    let campaign_page = app
        .get(&format!("/campaigns/{slug}"), Some(&leader_cookie))
        .await;
    assert!(campaign_page.body.contains("Quản lý đợt quà"));
}

#[tokio::test]
async fn a_city_campaign_is_approved_by_the_city_by_sector_and_not_by_the_ward_leader() {
    let app = TestApp::spawn().await;
    let tnp = app.unit(UnitLevel::Ward, "Tăng Nhơn Phú").await;
    let campaign = campaign_2027(&app).await;
    assert_eq!(
        campaign.unit_id,
        app.unit(UnitLevel::City, "Hồ Chí Minh").await.id
    );
    import_tang_nhon_phu(&app, &campaign).await;
    let officer_cookie = app
        .login_as(
            "canbo.tnp",
            Role::Ward,
            Some((UnitLevel::Ward, "Tăng Nhơn Phú")),
        )
        .await;
    let list_path = format!("/campaigns/{}/wards/{}", campaign.slug, tnp.id);
    let draft = app.get(&list_path, Some(&officer_cookie)).await;
    assert!(draft.body.contains("Gửi thành phố duyệt"), "{}", draft.body);
    assert!(draft.body.contains("Thành phố duyệt theo lĩnh vực"));
    let sent = app
        .post_form(
            &format!("{list_path}/transition"),
            &[("action", "submit")],
            Some(&officer_cookie),
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    // The ward's leader sees the list of their ward but approves nothing in the city's
    // campaign.
    let (leader, leader_cookie) =
        supervisor(&app, "lanhdao.tnp", (UnitLevel::Ward, "Tăng Nhơn Phú"), &[]).await;
    assert!(matches!(
        approve(&app, &leader, &campaign, tnp.id).await,
        Err(AppError::Forbidden(_))
    ));
    let page = app.get(&list_path, Some(&leader_cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(r#"value="approve""#));

    // The merit reviewer approves their part: the page shows it approved and the two other
    // sectors awaited, to the officer and to the reviewers.
    let (merit, merit_cookie) = supervisor(
        &app,
        "sonoivu",
        (UnitLevel::City, "Hồ Chí Minh"),
        &[Sector::Merit],
    )
    .await;
    let page = app.get(&list_path, Some(&merit_cookie)).await;
    assert!(page.body.contains(r#"value="approve""#));
    approve(&app, &merit, &campaign, tnp.id)
        .await
        .expect("merit approved");
    assert_eq!(
        list_status(&app, &campaign, tnp.id).await,
        ListStatus::Submitted
    );
    let (_, social_cookie) = supervisor(
        &app,
        "soyte",
        (UnitLevel::City, "Hồ Chí Minh"),
        &[Sector::SocialProtection],
    )
    .await;
    for cookie in [&officer_cookie, &merit_cookie, &social_cookie] {
        let page = app.get(&list_path, Some(cookie)).await;
        let part = sector_part(&page.body);
        assert!(part.contains("Đã duyệt</span> Người có công"), "{part}");
        assert!(part.contains("Chờ duyệt</span> Bảo trợ xã hội"), "{part}");
        assert!(part.contains("Chờ duyệt</span> Giảm nghèo"), "{part}");
    }

    // A supervisor of every sector approves the rest; every sector then reads approved.
    let (city, _) = supervisor(&app, "giamsat.hcm", (UnitLevel::City, "Hồ Chí Minh"), &[]).await;
    let approved = approve(&app, &city, &campaign, tnp.id)
        .await
        .expect("the city approves");
    assert_eq!(approved.status, ListStatus::Approved);
    let page = app.get(&list_path, Some(&officer_cookie)).await;
    let part = sector_part(&page.body);
    assert!(!part.contains("Chờ duyệt"), "{part}");
    assert_eq!(part.matches("Đã duyệt</span>").count(), 3, "{part}");
}

/// The "Duyệt theo lĩnh vực" part of a list page.
fn sector_part(body: &str) -> String {
    let start = body
        .find("Duyệt theo lĩnh vực")
        .unwrap_or_else(|| panic!("no sector approvals on the page: {body}"));
    let rest = &body[start..];
    rest[..rest.find("</ul>").unwrap_or(rest.len())].to_owned()
}
