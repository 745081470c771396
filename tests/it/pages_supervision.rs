//! Supervising staff's pages (dashboard, duplicates, programs, exports, users) and the
//! administrator's (categories and synonyms, audit log), with who may open which; and
//! `chamlo demo`.

use axum::http::{StatusCode, header};
use chamlo::domain::sectors::user_sectors;
use chamlo::entities::states::{Role, Sector, UnitLevel};
use chamlo::entities::{campaign, category_synonym, gift_program, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::cli::run_chamlo;
use crate::cycle_support::{NewPerson, default_program, list_entry, new_person};
use crate::helpers::TestApp;
use crate::import::{district_campaign, import_sample};
use crate::pages_ward::upload_and_commit;

#[tokio::test]
async fn district_staff_see_the_dashboard_duplicates_programs_and_exports() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    // Two files that list one person twice (Tân Phú in the district-wide file, and again).
    import_sample(&app, &campaign, "05-quan-9-toan-quan.xlsx", None).await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let slug = &campaign.slug;

    let home = app.get("/", Some(&cookie)).await;
    assert!(home.body.contains(&format!("href=\"/campaigns/{slug}\"")));
    assert!(home.body.contains("Tạo đợt quà mới"));

    let dashboard = app.get(&format!("/campaigns/{slug}"), Some(&cookie)).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("Tiến độ theo phường"));
    assert!(dashboard.body.contains("Phường Phú Hữu"));
    assert!(dashboard.body.contains("Chưa có danh sách") || dashboard.body.contains("Đang lập"));

    let duplicates = app
        .get(&format!("/campaigns/{slug}/duplicates"), Some(&cookie))
        .await;
    assert_eq!(duplicates.status, StatusCode::OK, "{}", duplicates.body);
    assert!(duplicates.body.contains("Rà soát trùng lặp"));

    let programs = app
        .get(&format!("/campaigns/{slug}/programs"), Some(&cookie))
        .await;
    assert_eq!(programs.status, StatusCode::OK);
    assert!(programs.body.contains("Quà Tết"));
    let missing = app
        .post_form(
            &format!("/campaigns/{slug}/programs"),
            &[("name", ""), ("funding_source", "")],
            Some(&cookie),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("id=\"name-error\""));
    let added = app
        .post_form(
            &format!("/campaigns/{slug}/programs"),
            &[
                ("name", "Quà của Chủ tịch nước"),
                ("funding_source", "central"),
                ("amount_BMVNAH", "600.000"),
                ("amount_TNLS", "300000"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(
        gift_program::Entity::find()
            .filter(gift_program::Column::CampaignId.eq(campaign.id))
            .count(&app.db)
            .await
            .unwrap(),
        2
    );

    let exports = app
        .get(&format!("/campaigns/{slug}/exports"), Some(&cookie))
        .await;
    assert_eq!(exports.status, StatusCode::OK);
    let report = app
        .get(&format!("/campaigns/{slug}/exports/report"), Some(&cookie))
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert!(
        report.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("bao-cao-")
    );
    let program = gift_program::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let sheets = app
        .get(
            &format!(
                "/campaigns/{slug}/exports/signing-sheets?program={}",
                program.id
            ),
            Some(&cookie),
        )
        .await;
    assert_eq!(sheets.status, StatusCode::OK, "{}", sheets.body);

    // Creating a campaign from the home page.
    let created = app
        .post_form(
            "/campaigns",
            &[("year", "2026"), ("title", "")],
            Some(&cookie),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    assert_eq!(created.location(), "/campaigns/tet-2026");
    let bad_year = app
        .post_form("/campaigns", &[("year", "năm sau")], Some(&cookie))
        .await;
    assert_eq!(bad_year.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A ward's review (`?ward=`) reads only that ward's entries and their possible partners, yet
/// finds exactly the campaign-wide pairs with a side in that ward.
#[tokio::test]
async fn a_wards_duplicate_review_is_the_campaigns_pairs_touching_that_ward() {
    use chamlo::domain::duplicates::{DuplicatePair, find_duplicates, find_ward_duplicates};
    use chamlo::domain::operator::Operator;

    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    import_sample(&app, &campaign, "05-quan-9-toan-quan.xlsx", None).await;
    let program = default_program(&app, campaign.id).await;
    // Name twins in two wards, a name and birth year alike with another address (a candidate
    // the ward query reads, not a pair), and one person listed by two wards.
    for (ward, address) in [
        ("Hiệp Phú", "5 Lê Văn Việt"),
        // The same address written otherwise: still a pair once folded.
        ("Tân Phú", "5  LÊ VĂN VIỆT"),
        ("Phước Bình", "9 Đỗ Xuân Hợp"),
    ] {
        let twin = NewPerson {
            name: "Trần Thị Bé",
            birth_year: 1950,
            address,
            national_id: None,
            household_id: None,
        };
        let person = new_person(&app, ward, twin).await;
        list_entry(
            &app,
            campaign.id,
            program.id,
            ward,
            person.id,
            "HN",
            500_000,
        )
        .await;
    }
    let listed_twice = NewPerson {
        name: "Lê Văn Hai",
        birth_year: 1944,
        address: "1 Man Thiện",
        national_id: Some("079044000222"),
        household_id: None,
    };
    let person = new_person(&app, "Long Bình", listed_twice).await;
    list_entry(
        &app,
        campaign.id,
        program.id,
        "Long Bình",
        person.id,
        "HN",
        500_000,
    )
    .await;
    list_entry(
        &app,
        campaign.id,
        program.id,
        "Phú Hữu",
        person.id,
        "HCN",
        400_000,
    )
    .await;
    let operator = Operator::system("test");
    let all = find_duplicates(&app.db, &operator, &campaign)
        .await
        .unwrap();
    assert!(all.len() >= 2, "{all:?}");
    let key = |p: &DuplicatePair| (p.a.entry_id, p.b.entry_id);
    let mut wards: Vec<i32> = all
        .iter()
        .flat_map(|p| [p.a.ward_id, p.b.ward_id])
        .collect();
    for quiet in ["Long Phước", "Phước Bình"] {
        wards.push(app.unit(UnitLevel::Ward, quiet).await.id);
    }
    wards.sort_unstable();
    wards.dedup();
    for ward in wards {
        let expected: Vec<_> = all
            .iter()
            .filter(|p| p.a.ward_id == ward || p.b.ward_id == ward)
            .map(key)
            .collect();
        let found: Vec<_> =
            find_ward_duplicates(&app.db, &app.state.pairs, &operator, &campaign, ward)
                .await
                .unwrap()
                .iter()
                .map(key)
                .collect();
        assert_eq!(found, expected, "ward {ward}");
    }

    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let ward = all[0].a.ward_id;
    let page = app
        .get(
            &format!("/campaigns/{}/duplicates?ward={ward}", campaign.slug),
            Some(&cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains(&format!("Rà soát trùng lặp — {}", all[0].a.ward_name))
    );
    assert!(
        page.body
            .contains("Chỉ các cặp có ít nhất một bên thuộc phường này")
    );
    assert!(page.body.contains(&all[0].a.full_name));
}

/// The campaign's pairs (entry ids and evidence), after checking that each ward's review
/// finds exactly those with a side in that ward.
async fn pairs_checked_by_ward(
    app: &TestApp,
    campaign: &campaign::Model,
) -> Vec<(i32, i32, Vec<chamlo::domain::duplicates::Evidence>)> {
    use chamlo::domain::duplicates::{find_duplicates, find_ward_duplicates};
    let operator = chamlo::domain::operator::Operator::system("test");
    let all = find_duplicates(&app.db, &operator, campaign).await.unwrap();
    let key = |p: &chamlo::domain::duplicates::DuplicatePair| {
        (p.a.entry_id, p.b.entry_id, p.evidence.clone())
    };
    let mut wards: Vec<i32> = all
        .iter()
        .flat_map(|p| [p.a.ward_id, p.b.ward_id])
        .collect();
    for twin_ward in ["Hiệp Phú", "Tân Phú"] {
        wards.push(app.unit(UnitLevel::Ward, twin_ward).await.id);
    }
    wards.sort_unstable();
    wards.dedup();
    for ward in wards {
        let expected: Vec<_> = all
            .iter()
            .filter(|p| p.a.ward_id == ward || p.b.ward_id == ward)
            .map(key)
            .collect();
        let found: Vec<_> =
            find_ward_duplicates(&app.db, &app.state.pairs, &operator, campaign, ward)
                .await
                .unwrap()
                .iter()
                .map(key)
                .collect();
        assert_eq!(found, expected, "ward {ward}");
    }
    all.iter().map(key).collect()
}

/// The name twins of a ward are found by the folded address stored with each person: an
/// address edit makes or breaks a pair in the campaign's review and the ward's alike, and a
/// database whose people predate that column finds the same pairs once migrated.
#[tokio::test]
async fn a_wards_name_twins_follow_address_edits_and_the_address_key_backfill() {
    use chamlo::domain::duplicates::Evidence;
    use chamlo::domain::operator::Operator;
    use chamlo::domain::people::{PersonInput, update_person};
    use sea_orm::ConnectionTrait;

    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    import_sample(&app, &campaign, "05-quan-9-toan-quan.xlsx", None).await;
    let program = default_program(&app, campaign.id).await;
    let mut twins = Vec::new();
    for (ward, address) in [("Hiệp Phú", "5 Lê Văn Việt"), ("Tân Phú", "7 Lê Văn Việt")]
    {
        let twin = NewPerson {
            name: "Trần Thị Bé",
            birth_year: 1950,
            address,
            national_id: None,
            household_id: None,
        };
        let person = new_person(&app, ward, twin).await;
        let listed = list_entry(
            &app,
            campaign.id,
            program.id,
            ward,
            person.id,
            "HN",
            500_000,
        )
        .await;
        twins.push((person, listed.id));
    }
    let twin_pair = (
        twins[0].1,
        twins[1].1,
        vec![Evidence::SameNameBirthYearAddress],
    );
    let before = pairs_checked_by_ward(&app, &campaign).await;
    assert!(!before.contains(&twin_pair), "{before:?}");

    // The second twin's address corrected to the first's, written otherwise.
    let moved = &twins[1].0;
    let edit = |address: &str| PersonInput {
        full_name: moved.full_name.clone(),
        birth_year: "1950".into(),
        address: address.into(),
        ..Default::default()
    };
    let operator = Operator::system("test");
    let edited = update_person(&app.db, &operator, moved.id, &edit("5  LÊ VĂN VIỆT"))
        .await
        .unwrap();
    assert_eq!(edited.address_key.as_deref(), Some("5 le van viet"));
    let paired = pairs_checked_by_ward(&app, &campaign).await;
    assert!(paired.contains(&twin_pair), "{paired:?}");
    let mut expected = before.clone();
    expected.push(twin_pair.clone());
    expected.sort();
    let mut sorted = paired.clone();
    sorted.sort();
    assert_eq!(sorted, expected);

    // People written before the column existed: the migration's fill finds their keys again.
    app.db
        .execute_unprepared("UPDATE people SET address_key = NULL")
        .await
        .unwrap();
    migration::backfill_address_keys(&app.db).await.unwrap();
    assert_eq!(pairs_checked_by_ward(&app, &campaign).await, paired);

    // Moved away again: the pair goes.
    update_person(&app.db, &operator, moved.id, &edit("9 Đỗ Xuân Hợp"))
        .await
        .unwrap();
    assert_eq!(pairs_checked_by_ward(&app, &campaign).await, before);
}

#[tokio::test]
async fn ward_officers_cannot_open_supervision_or_administration_pages() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let slug = &campaign.slug;
    for path in [
        format!("/campaigns/{slug}/duplicates"),
        format!("/campaigns/{slug}/exports"),
        format!("/campaigns/{slug}/exports/report"),
        "/users".to_owned(),
        "/admin".to_owned(),
        "/admin/categories".to_owned(),
        "/admin/audit".to_owned(),
    ] {
        let response = app.get(&path, Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "GET {path}");
    }
    let program = app
        .post_form(
            &format!("/campaigns/{slug}/programs"),
            &[
                ("name", "X"),
                ("funding_source", "ward"),
                ("amount_HN", "1"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(program.status, StatusCode::FORBIDDEN);
    let campaign_post = app
        .post_form("/campaigns", &[("year", "2026")], Some(&cookie))
        .await;
    assert_eq!(campaign_post.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn district_staff_add_ward_officers_of_their_wards_only() {
    let app = TestApp::spawn().await;
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let page = app.get("/users", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("quan9"));
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let short = app
        .post_form(
            "/users",
            &[
                ("username", "canbo.moi"),
                ("unit_id", &hiep_phu.id.to_string()),
                ("password", "ngan"),
                ("role", "admin"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short.body.contains("id=\"password-error\""),
        "{}",
        short.body
    );
    let made = app
        .post_form(
            "/users",
            &[
                ("username", "canbo.moi"),
                ("full_name", "Lê Thị Mới"),
                ("unit_id", &hiep_phu.id.to_string()),
                ("password", "mat-khau-du-dai"),
                ("role", "admin"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let stored = user::Entity::find()
        .filter(user::Column::Username.eq("canbo.moi"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    // Asking for an admin account gives a ward officer all the same.
    assert_eq!(stored.role, Role::Ward);
    // A unit outside their district is refused.
    let outside = app
        .post_form(
            "/users",
            &[
                ("username", "x.y"),
                ("unit_id", "999999"),
                ("password", "mat-khau-du-dai"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn administrators_edit_synonyms_and_filter_the_audit_log() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let ward_cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    upload_and_commit(
        &app,
        &campaign.slug,
        "01-hiep-phu-nguoi-co-cong.xlsx",
        &ward_cookie,
    )
    .await;
    let cookie = app.login_as("quantri", Role::Admin, None).await;

    let admin = app.get("/admin", Some(&cookie)).await;
    assert_eq!(admin.status, StatusCode::OK);
    let categories = app.get("/admin/categories", Some(&cookie)).await;
    assert_eq!(categories.status, StatusCode::OK);
    assert!(categories.body.contains("Hộ nghèo"));
    let poor = chamlo::entities::category::Entity::find()
        .filter(chamlo::entities::category::Column::Code.eq("HN"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let added = app
        .post_form(
            "/admin/categories",
            &[
                ("category_id", &poor.id.to_string()),
                ("synonym", "Hộ nghèo diện A"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let again = app
        .post_form(
            "/admin/categories",
            &[
                ("category_id", &poor.id.to_string()),
                ("synonym", "HO NGHEO DIEN A"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .body
            .contains(&format!("id=\"syn-error-{}\"", poor.id))
    );
    let synonym = category_synonym::Entity::find()
        .filter(category_synonym::Column::Synonym.eq("Hộ nghèo diện A"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let removed = app
        .post_form(
            &format!("/admin/synonyms/{}/delete", synonym.id),
            &[],
            Some(&cookie),
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);

    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let log = app
        .get(
            &format!(
                "/admin/audit?user=canbo.hiepphu&ward={}&action=import.",
                hiep_phu.id
            ),
            Some(&cookie),
        )
        .await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(log.body.contains("import.commit"), "{}", log.body);
    assert!(log.body.contains("1 sự kiện"));
    let none = app.get("/admin/audit?user=nobody", Some(&cookie)).await;
    assert!(none.body.contains("0 sự kiện"));
    let users = app.get("/users", Some(&cookie)).await;
    assert!(users.body.contains("canbo.hiepphu"));
}

#[tokio::test]
async fn chamlo_demo_loads_samples_and_accounts_once() {
    let app = TestApp::spawn().await;
    let first = run_chamlo(&app, &["demo"], &[]);
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    for account in [
        "demo.tangnhonphu",
        "demo.nguoicocong",
        "demo.baotroxahoi",
        "demo.admin",
    ] {
        assert!(stdout.contains(account), "{stdout}");
    }
    assert!(stdout.contains("chamlo-demo-2021"));
    let second = run_chamlo(&app, &["demo"], &[]);
    let again = String::from_utf8_lossy(&second.stdout);
    assert!(second.status.success());
    assert!(again.contains("already exists"), "{again}");
    // The 2021 sample lists' campaign and Tết 2027 carried forward from it.
    assert_eq!(campaign::Entity::find().count(&app.db).await.unwrap(), 2);

    // The demo's ward officer of a new ward logs in and finds the 2027 campaign.
    let cookie = app.login("demo.tangnhonphu", "chamlo-demo-2021").await;
    let home = app.get("/", Some(&cookie)).await;
    assert!(home.body.contains("Đinh Mùi 2027"), "{}", home.body);
    let district = app.login("demo.nguoicocong", "chamlo-demo-2021").await;
    let slug = "tet-2027";
    let dashboard = app
        .get(&format!("/campaigns/{slug}"), Some(&district))
        .await;
    assert!(dashboard.body.contains("Đã duyệt"));
    assert!(dashboard.body.contains("Chờ duyệt"));
    // The two city reviewers are limited to their sectors.
    for (username, sector) in [
        ("demo.nguoicocong", Sector::Merit),
        ("demo.baotroxahoi", Sector::SocialProtection),
    ] {
        let account = user::Entity::find()
            .filter(user::Column::Username.eq(username))
            .one(&app.db)
            .await
            .unwrap()
            .expect("demo reviewer");
        assert_eq!(
            user_sectors(&app.db, account.id).await.unwrap(),
            vec![sector]
        );
    }
}
