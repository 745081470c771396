//! The 1 July 2025 merger seen from the lists: a 2025 campaign of Quận 9 with the lists of
//! Hiệp Phú, Tăng Nhơn Phú A and Phú Hữu, carried into the city's 2027 campaign. The lists
//! land in Tăng Nhơn Phú and Long Trường, the person both old wards listed is one duplicate
//! to review inside Tăng Nhơn Phú, the export of Tăng Nhơn Phú holds them, and a person's
//! page shows both years.

use chamlo::domain::campaigns::{NewCampaign, find_campaign};
use chamlo::domain::carry_forward::start_next_campaign;
use chamlo::domain::duplicates::find_duplicates;
use chamlo::domain::operator::Operator;
use chamlo::domain::units::all_units;
use chamlo::entities::states::{ListStatus, Role, UnitLevel};
use chamlo::entities::{person, ward_list};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::cli::run_chamlo;
use crate::cycle_support::{NewPerson, default_program, entries, list_entry, new_person};
use crate::exports::{read_sheets, temp_dir};
use crate::helpers::TestApp;
use crate::import::district_campaign;

/// Someone listed in `ward` of the 2025 campaign under "TB" with 500 000 đ.
async fn listed(
    app: &TestApp,
    campaign_id: i32,
    program_id: i32,
    ward: &str,
    name: &str,
) -> person::Model {
    let who = new_person(
        app,
        ward,
        NewPerson {
            name,
            birth_year: 1950,
            address: "12 Lê Văn Việt",
            national_id: None,
            household_id: None,
        },
    )
    .await;
    list_entry(app, campaign_id, program_id, ward, who.id, "TB", 500_000).await;
    who
}

#[tokio::test]
async fn a_2025_campaign_carried_into_2027_lands_in_the_merged_wards() {
    let app = TestApp::spawn().await;
    let old = district_campaign(&app, 2025).await;
    let program = default_program(&app, old.id).await;
    let an = listed(&app, old.id, program.id, "Hiệp Phú", "Nguyễn Văn An").await;
    let binh = listed(&app, old.id, program.id, "Tăng Nhơn Phú A", "Trần Thị Bình").await;
    // The same man listed by both Hiệp Phú and Tăng Nhơn Phú A.
    let cuong_hp = listed(&app, old.id, program.id, "Hiệp Phú", "Lê Văn Cường").await;
    let cuong_tnpa = listed(&app, old.id, program.id, "Tăng Nhơn Phú A", "Lê Văn Cường").await;
    listed(&app, old.id, program.id, "Phú Hữu", "Phạm Thị Dung").await;

    let admin = app.create_user("quantri", Role::Admin, None).await;
    let operator = Operator::for_user(&app.db, &admin).await.unwrap();
    let (made, summary) = start_next_campaign(
        &app.db,
        &operator,
        &old,
        NewCampaign {
            year: 2027,
            title: None,
            unit: None,
        },
    )
    .await
    .expect("carried into 2027");
    assert_eq!(made.slug, "tet-2027");
    let city = app.unit(UnitLevel::City, "Hồ Chí Minh").await;
    assert_eq!(made.unit_id, city.id, "Quận 9 no longer exists in 2027");
    assert_eq!(summary.lists_created, 2, "{summary:?}");
    assert_eq!(summary.entries_copied, 5);
    assert_eq!(summary.moved_to_successor, 5);
    assert!(summary.unresolved.is_empty());

    let tnp = app.unit(UnitLevel::Ward, "Tăng Nhơn Phú").await;
    // The old Long Trường went into the new ward of the same name.
    let long_truong = all_units(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Long Trường" && u.valid_from.is_some())
        .unwrap();
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let lists = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(made.id))
        .all(&app.db)
        .await
        .unwrap();
    let mut wards: Vec<i32> = lists.iter().map(|l| l.ward_id).collect();
    wards.sort_unstable();
    let mut want = vec![tnp.id, long_truong.id];
    want.sort_unstable();
    assert_eq!(wards, want);
    assert!(lists.iter().all(|l| l.status == ListStatus::Draft));

    let in_tnp = entries(&app, made.id, Some("Tăng Nhơn Phú"), None).await;
    assert_eq!(in_tnp.len(), 4);
    let an_entry = in_tnp.iter().find(|e| e.person_id == an.id).unwrap();
    assert_eq!(an_entry.former_ward_id, Some(hiep_phu.id));
    assert_eq!(an_entry.amount, 500_000);
    let all = entries(&app, made.id, None, None).await;
    assert_eq!(
        all.iter().filter(|e| e.ward_id == long_truong.id).count(),
        1
    );
    let moved = person::Entity::find_by_id(binh.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        moved.ward_id, tnp.id,
        "the people now belong to the new ward"
    );

    // Cường: one pair to review, both sides in Tăng Nhơn Phú.
    let pairs = find_duplicates(&app.db, &operator, &made).await.unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let pair = &pairs[0];
    let mut people = vec![pair.a.person_id, pair.b.person_id];
    people.sort_unstable();
    assert_eq!(people, vec![cuong_hp.id, cuong_tnpa.id]);
    assert_eq!((pair.a.ward_id, pair.b.ward_id), (tnp.id, tnp.id));

    // Carrying again copies nothing new.
    let again = chamlo::domain::carry_forward::carry_forward(&app.db, &operator, &old, &made)
        .await
        .unwrap();
    assert_eq!((again.lists_created, again.entries_copied), (0, 0));

    // The export of Tăng Nhơn Phú holds the people of its predecessors.
    let sheet = temp_dir().join("tnp.xlsx");
    let output = run_chamlo(
        &app,
        &[
            "export",
            "--campaign",
            "tet-2027",
            "--ward",
            "Tăng Nhơn Phú",
            "--out",
            sheet.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text: String = read_sheets(&std::fs::read(&sheet).unwrap())
        .into_iter()
        .flat_map(|(_, range)| {
            range
                .rows()
                .flat_map(|row| row.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .join("|");
    for name in ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"] {
        assert!(text.contains(name), "{name} exported");
    }
    assert!(
        !text.contains("Phạm Thị Dung"),
        "Phú Hữu went to Long Trường"
    );

    // Tăng Nhơn Phú's officer sees An's gifts of both years on An's page.
    let cookie = app
        .login_as("tnp", Role::Ward, Some((UnitLevel::Ward, "Tăng Nhơn Phú")))
        .await;
    let page = app
        .get(&format!("/people/{}/edit", an.id), Some(&cookie))
        .await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert!(page.body.contains("Quà đã nhận qua các năm"));
    assert!(page.body.contains("2025") && page.body.contains("2027"));
    assert!(page.body.contains("Phường cũ: Phường Hiệp Phú"));
    assert!(find_campaign(&app.db, "tet-2025").await.is_ok());
}

#[tokio::test]
async fn the_units_page_shows_predecessors_and_successors_with_dates() {
    let app = TestApp::spawn().await;
    let cookie = app.login_as("quantri", Role::Admin, None).await;
    let list = app.get("/units", Some(&cookie)).await;
    assert_eq!(list.status, axum::http::StatusCode::OK);
    assert!(
        list.body
            .contains("Nay thuộc: Phường Tăng Nhơn Phú (toàn bộ, từ 01/07/2025)"),
        "{}",
        list.body
    );
    let tnp = app.unit(UnitLevel::Ward, "Tăng Nhơn Phú").await;
    let page = app.get(&format!("/units/{}", tnp.id), Some(&cookie)).await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    for old in ["Hiệp Phú", "Tân Phú", "Tăng Nhơn Phú A", "Tăng Nhơn Phú B"] {
        assert!(
            page.body
                .contains(&format!("Phường {old} (toàn bộ, từ 01/07/2025)")),
            "{old}"
        );
    }
}
