//! Handing gifts out: received (by the person or a proxy), not received with a reason, bulk
//! marking, undo, the person's status, the audit log, and the rules about which lists.

use chamlo::domain::distribution::{Distribution, pending_entry_ids, record_distribution};
use chamlo::domain::operator::Operator;
use chamlo::domain::programs::{CategoryAmount, ProgramInput, add_program};
use chamlo::domain::progress::campaign_progress;
use chamlo::domain::ward_lists::{ListAction, transition_list};
use chamlo::entities::states::{
    EntryStatus, FundingSource, NotReceivedReason, PersonStatus, Role, UnitLevel,
};
use chamlo::entities::{audit_event, campaign, entry, household, person};
use chamlo::error::AppError;
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::cycle_support::{
    NewPerson, default_program, entries, list_entry, new_person, person_named,
};
use crate::helpers::TestApp;
use crate::import::district_campaign;

/// A campaign with four people on Hiệp Phú's approved list (300.000 đ each, TB).
pub async fn approved_ward(app: &TestApp) -> campaign::Model {
    let campaign = district_campaign(app, 2021).await;
    let program = default_program(app, campaign.id).await;
    for (name, year) in [
        ("Nguyễn Văn An", 1950),
        ("Trần Thị Bình", 1951),
        ("Lê Văn Cường", 1952),
        ("Phạm Thị Dung", 1953),
    ] {
        let person = new_person(
            app,
            "Hiệp Phú",
            NewPerson {
                name,
                birth_year: year,
                address: "1 Lê Văn Việt",
                national_id: None,
                household_id: None,
            },
        )
        .await;
        list_entry(
            app,
            campaign.id,
            program.id,
            "Hiệp Phú",
            person.id,
            "TB",
            300_000,
        )
        .await;
    }
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let system = Operator::system("test");
    for action in [ListAction::Submit, ListAction::Approve] {
        transition_list(&app.db, &system, &campaign, ward.id, action, None)
            .await
            .unwrap();
    }
    campaign
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 2, d).unwrap()
}

#[tokio::test]
async fn gifts_are_marked_received_by_proxy_refused_or_deceased_and_undone() {
    let app = TestApp::spawn().await;
    let campaign = approved_ward(&app).await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let user = app
        .create_user("hiepphu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    let officer = Operator::for_user(&app.db, &user).await.unwrap();
    let list = entries(&app, campaign.id, Some("Hiệp Phú"), None).await;
    let (an, binh, cuong, dung) = (list[0].id, list[1].id, list[2].id, list[3].id);

    let proxy = Distribution::Received {
        date: day(5),
        proxy: Some(("Nguyễn Văn Tí".into(), "con".into())),
    };
    let done = record_distribution(&app.db, &officer, &[an], &proxy)
        .await
        .unwrap();
    assert_eq!(done[0].status, EntryStatus::Received);
    assert_eq!(done[0].received_date, Some(day(5)));
    assert_eq!(done[0].receiver_name.as_deref(), Some("Nguyễn Văn Tí"));
    assert_eq!(done[0].receiver_relationship.as_deref(), Some("con"));

    let refused = Distribution::NotReceived {
        reason: NotReceivedReason::Refused,
        note: Some("  Xin nhường   cho hộ khác ".into()),
    };
    record_distribution(&app.db, &officer, &[binh], &refused)
        .await
        .unwrap();
    let deceased = Distribution::NotReceived {
        reason: NotReceivedReason::Deceased,
        note: None,
    };
    record_distribution(&app.db, &officer, &[cuong], &deceased)
        .await
        .unwrap();
    let cuong_person = person_named(&app, "Lê Văn Cường").await;
    assert_eq!(cuong_person.status, PersonStatus::Deceased);

    // Marking again without undoing first is refused, and nothing changes (all or nothing).
    let again = record_distribution(&app.db, &officer, &[dung, an], &proxy).await;
    assert!(matches!(again, Err(AppError::Invalid(_))), "{again:?}");
    let dung_now = entry::Entity::find_by_id(dung)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dung_now.status, EntryStatus::Pending);

    // The rest in bulk.
    let pending = pending_entry_ids(&app.db, campaign.id, ward.id, None)
        .await
        .unwrap();
    assert_eq!(pending, vec![dung]);
    let received = Distribution::Received {
        date: day(6),
        proxy: None,
    };
    record_distribution(&app.db, &officer, &pending, &received)
        .await
        .unwrap();

    // Undo the death: the gift is pending again and the person active again.
    let undone = record_distribution(&app.db, &officer, &[cuong], &Distribution::Undo)
        .await
        .unwrap();
    assert_eq!(undone[0].status, EntryStatus::Pending);
    assert_eq!(undone[0].not_received_reason, None);
    assert_eq!(
        person_named(&app, "Lê Văn Cường").await.status,
        PersonStatus::Active
    );
    let nothing_to_undo =
        record_distribution(&app.db, &officer, &[cuong], &Distribution::Undo).await;
    assert!(matches!(nothing_to_undo, Err(AppError::Invalid(_))));

    let binh_now = entry::Entity::find_by_id(binh)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        binh_now.not_received_reason,
        Some(NotReceivedReason::Refused)
    );
    assert_eq!(
        binh_now.distribution_note.as_deref(),
        Some("Xin nhường cho hộ khác")
    );

    // Audited, one event per entry and change, with before and after.
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.starts_with("distribution."))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(events, 5);
    let undo = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("distribution.undo"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(undo.actor_user_id, Some(user.id));
    assert!(undo.before_json.unwrap().contains("deceased"));

    // Progress: 4 planned; An and Dũng received, Bình refused, Cường pending.
    let progress = campaign_progress(&app.db, &officer, &campaign)
        .await
        .unwrap();
    let t = progress.total;
    assert_eq!(
        (
            t.planned_people,
            t.received_people,
            t.not_received_people,
            t.remaining_people
        ),
        (4, 2, 1, 1)
    );
    assert_eq!(
        (
            t.planned_amount,
            t.received_amount,
            t.not_received_amount,
            t.remaining_amount
        ),
        (1_200_000, 600_000, 300_000, 300_000)
    );
}

#[tokio::test]
async fn a_proxy_needs_a_name_and_a_relationship() {
    let app = TestApp::spawn().await;
    let campaign = approved_ward(&app).await;
    let first = entries(&app, campaign.id, None, None).await[0].id;
    let half = Distribution::Received {
        date: day(5),
        proxy: Some(("Nguyễn Văn Tí".into(), " ".into())),
    };
    let refused = record_distribution(&app.db, &Operator::system("t"), &[first], &half).await;
    assert!(matches!(refused, Err(AppError::Invalid(m)) if m.contains("quan hệ")));
}

#[tokio::test]
async fn gifts_on_a_list_not_yet_approved_cannot_be_handed_out() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let program = default_program(&app, campaign.id).await;
    let person = new_person(
        &app,
        "Tân Phú",
        NewPerson {
            name: "Võ Thị Hoa",
            birth_year: 1960,
            address: "2 Đường số 1",
            national_id: None,
            household_id: None,
        },
    )
    .await;
    let listed = list_entry(
        &app,
        campaign.id,
        program.id,
        "Tân Phú",
        person.id,
        "HN",
        500_000,
    )
    .await;
    let refused = record_distribution(
        &app.db,
        &Operator::system("t"),
        &[listed.id],
        &Distribution::Received {
            date: day(5),
            proxy: None,
        },
    )
    .await;
    assert!(matches!(refused, Err(AppError::Invalid(m)) if m.contains("đã được quận duyệt")));
    let missing = record_distribution(
        &app.db,
        &Operator::system("t"),
        &[listed.id + 1000],
        &Distribution::Undo,
    )
    .await;
    assert!(matches!(missing, Err(AppError::NotFound(_))));
}

#[tokio::test]
async fn a_ward_officer_cannot_mark_another_wards_gifts() {
    let app = TestApp::spawn().await;
    let campaign = approved_ward(&app).await;
    let other = app
        .operator("tanphu", Role::Ward, Some((UnitLevel::Ward, "Tân Phú")))
        .await;
    let first = entries(&app, campaign.id, None, None).await[0].id;
    let refused = record_distribution(
        &app.db,
        &other,
        &[first],
        &Distribution::Received {
            date: day(5),
            proxy: None,
        },
    )
    .await;
    assert!(matches!(refused, Err(AppError::Forbidden(_))));
}

#[tokio::test]
async fn a_program_gives_one_gift_per_person_at_the_highest_level_and_one_per_household() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let program = default_program(&app, campaign.id).await;
    let ward = app.unit(UnitLevel::Ward, "Phú Hữu").await;
    let now = Utc::now();
    let family = household::ActiveModel {
        ward_id: Set(ward.id),
        code: Set(Some("LS-01".into())),
        size: Set(Some(3)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let mut people = Vec::new();
    for (name, year) in [("Lý Thị Sen", 1940), ("Lý Văn Hòa", 1965)] {
        people.push(
            new_person(
                &app,
                "Phú Hữu",
                NewPerson {
                    name,
                    birth_year: year,
                    address: "7 Nguyễn Duy Trinh",
                    national_id: None,
                    household_id: Some(family.id),
                },
            )
            .await,
        );
    }
    // The mother: martyr's relative and poor household; the son: martyr's relative.
    list_entry(
        &app,
        campaign.id,
        program.id,
        "Phú Hữu",
        people[0].id,
        "HN",
        500_000,
    )
    .await;
    list_entry(
        &app,
        campaign.id,
        program.id,
        "Phú Hữu",
        people[0].id,
        "TNLS",
        300_000,
    )
    .await;
    list_entry(
        &app,
        campaign.id,
        program.id,
        "Phú Hữu",
        people[1].id,
        "TNLS",
        300_000,
    )
    .await;
    let mut head: household::ActiveModel = family.clone().into();
    head.head_person_id = Set(Some(people[1].id));
    head.update(&app.db).await.unwrap();

    let amounts = |pairs: &[(&str, i64)]| {
        pairs
            .iter()
            .map(|(c, a)| CategoryAmount {
                category: (*c).into(),
                amount: *a,
            })
            .collect()
    };
    let system = Operator::system("test");
    let (city, computed) = add_program(
        &app.db,
        &system,
        &campaign,
        &ProgramInput {
            name: "Quà Thành phố".into(),
            funding_source: FundingSource::City,
            sponsor_name: None,
            goods_description: None,
            goods_quantity: None,
            one_per_household: false,
            amounts: amounts(&[("TNLS", 600_000), ("HN", 400_000)]),
            payment_method: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(computed.created, 2);
    let gifts = entries(&app, campaign.id, None, Some(city.id)).await;
    let sen = gifts.iter().find(|e| e.person_id == people[0].id).unwrap();
    assert_eq!(sen.amount, 600_000, "the higher-ranked category wins");
    assert_eq!(sen.file_amount, Some(300_000), "the file's amount is kept");

    let (sponsor, _) = add_program(
        &app.db,
        &system,
        &campaign,
        &ProgramInput {
            name: "Quà nhà tài trợ".into(),
            funding_source: FundingSource::Sponsor,
            sponsor_name: Some("Công ty Bình Minh".into()),
            goods_description: Some("Thùng quà Tết".into()),
            goods_quantity: Some(2),
            one_per_household: true,
            amounts: amounts(&[("TNLS", 0), ("HN", 0)]),
            payment_method: None,
        },
    )
    .await
    .unwrap();
    let gifts = entries(&app, campaign.id, None, Some(sponsor.id)).await;
    assert_eq!(gifts.len(), 1, "one representative for the martyr's family");
    assert_eq!(gifts[0].person_id, people[1].id, "the head of household");

    // A sponsor program without a sponsor is refused; so is an unknown category.
    let refused = add_program(
        &app.db,
        &system,
        &campaign,
        &ProgramInput {
            name: "Quà khác".into(),
            funding_source: FundingSource::Sponsor,
            sponsor_name: None,
            goods_description: None,
            goods_quantity: None,
            one_per_household: false,
            amounts: amounts(&[("TNLS", 100_000)]),
            payment_method: None,
        },
    )
    .await;
    assert!(matches!(refused, Err(AppError::Invalid(m)) if m.contains("nhà tài trợ")));
    let refused = add_program(
        &app.db,
        &system,
        &campaign,
        &ProgramInput {
            name: "Quà khác".into(),
            funding_source: FundingSource::Ward,
            sponsor_name: None,
            goods_description: None,
            goods_quantity: None,
            one_per_household: false,
            amounts: amounts(&[("XYZ", 100_000)]),
            payment_method: None,
        },
    )
    .await;
    assert!(matches!(refused, Err(AppError::Invalid(m)) if m.contains("XYZ")));
    let count = person::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(count, 2);
}

/// Four officers record four gifts at the same instant: every one lands, none is refused
/// with "database is locked" (on SQLite each writer takes the write lock before it reads).
#[tokio::test]
async fn gifts_recorded_at_the_same_moment_all_land() {
    let app = TestApp::spawn().await;
    let campaign = approved_ward(&app).await;
    let officer = app
        .operator("hiepphu", Role::Ward, Some((UnitLevel::Ward, "Hiệp Phú")))
        .await;
    let list = entries(&app, campaign.id, Some("Hiệp Phú"), None).await;
    let received = Distribution::Received {
        date: day(5),
        proxy: None,
    };
    let record = |id: i32| {
        let (db, officer, received) = (&app.db, &officer, &received);
        async move { record_distribution(db, officer, &[id], received).await }
    };
    let (a, b, c, d) = tokio::join!(
        record(list[0].id),
        record(list[1].id),
        record(list[2].id),
        record(list[3].id)
    );
    for result in [a, b, c, d] {
        assert_eq!(result.expect("every gift is recorded").len(), 1);
    }
    let after = entries(&app, campaign.id, Some("Hiệp Phú"), None).await;
    assert!(
        after.iter().all(|e| e.status == EntryStatus::Received),
        "{:?}",
        after.iter().map(|e| &e.status).collect::<Vec<_>>()
    );
}
