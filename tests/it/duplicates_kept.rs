//! A ward's duplicate pairs, and a whole campaign's, kept per server (`domain::pairs_copy`):
//! found again after every change that makes or breaks a pair, whoever makes it (plain SQL
//! here, as another server or the CLI would), shown with the entries as they are now, and
//! only within the viewer's scope.

use chamlo::domain::duplicates::{find_duplicates, find_kept_duplicates, find_ward_duplicates};
use chamlo::domain::operator::Operator;
use chamlo::domain::pairs_copy::pairing_versions;
use chamlo::entities::states::{Sector, UnitLevel};
use chamlo::entities::{campaign, household};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::cycle_support::{NewPerson, default_program, list_entry, new_person};
use crate::helpers::TestApp;
use crate::import::district_campaign;

/// The ward's pairs as the review shows them (through the app's kept copy), after checking
/// they are the campaign-wide pairs with a side in the ward.
async fn review(
    app: &TestApp,
    operator: &Operator,
    campaign: &campaign::Model,
    ward: i32,
) -> Vec<(i32, i32)> {
    let found: Vec<(i32, i32)> =
        find_ward_duplicates(&app.db, &app.state.pairs, operator, campaign, ward)
            .await
            .unwrap()
            .iter()
            .map(|p| (p.a.entry_id, p.b.entry_id))
            .collect();
    let everywhere = find_duplicates(&app.db, operator, campaign).await.unwrap();
    let expected: Vec<(i32, i32)> = everywhere
        .iter()
        .filter(|p| p.a.ward_id == ward || p.b.ward_id == ward)
        .map(|p| (p.a.entry_id, p.b.entry_id))
        .collect();
    assert_eq!(found, expected, "kept pairs against the campaign's");
    // The whole campaign's kept pairs (the campaign's page and the API) are its pairs too.
    let kept_everywhere: Vec<(i32, i32)> =
        find_kept_duplicates(&app.db, &app.state.pairs, operator, campaign)
            .await
            .unwrap()
            .iter()
            .map(|p| (p.a.entry_id, p.b.entry_id))
            .collect();
    let everywhere: Vec<(i32, i32)> = everywhere
        .iter()
        .map(|p| (p.a.entry_id, p.b.entry_id))
        .collect();
    assert_eq!(kept_everywhere, everywhere, "kept campaign pairs");
    found
}

async fn sql(app: &TestApp, statement: &str) {
    app.db.execute_unprepared(statement).await.unwrap();
}

fn person<'a>(name: &'a str, address: &'a str) -> NewPerson<'a> {
    NewPerson {
        name,
        birth_year: 1950,
        address,
        national_id: None,
        household_id: None,
    }
}

#[tokio::test]
async fn a_wards_kept_pairs_follow_every_change_that_makes_or_breaks_one() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let program = default_program(&app, campaign.id).await;
    let operator = Operator::system("test");
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await.id;

    let a = new_person(&app, "Hiệp Phú", person("Trần Thị Bé", "5 Lê Văn Việt")).await;
    let e1 = list_entry(
        &app,
        campaign.id,
        program.id,
        "Hiệp Phú",
        a.id,
        "HN",
        500_000,
    )
    .await;
    assert!(
        review(&app, &operator, &campaign, hiep_phu)
            .await
            .is_empty()
    );

    // Listed by a second ward: the pair is there on the next view.
    let e2 = list_entry(
        &app,
        campaign.id,
        program.id,
        "Tân Phú",
        a.id,
        "HCN",
        400_000,
    )
    .await;
    assert_eq!(
        review(&app, &operator, &campaign, hiep_phu).await,
        vec![(e1.id, e2.id)]
    );

    // A gift recorded and an amount changed move no version (the pairs are not looked for
    // again), yet the page shows the entry as it is now.
    let before = pairing_versions(&app.db, campaign.id).await.unwrap();
    sql(
        &app,
        &format!(
            "UPDATE entries SET status = 'received', amount = 123000 WHERE id = {}",
            e2.id
        ),
    )
    .await;
    assert_eq!(
        pairing_versions(&app.db, campaign.id).await.unwrap(),
        before
    );
    let pairs = find_ward_duplicates(&app.db, &app.state.pairs, &operator, &campaign, hiep_phu)
        .await
        .unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].b.amount, 123_000);

    // A namesake born the same year elsewhere: a pair only once their folded addresses agree
    // (an address changed by SQL, as another server would).
    let b = new_person(&app, "Phước Bình", person("Trần Thị Bé", "9 Đỗ Xuân Hợp")).await;
    let e3 = list_entry(
        &app,
        campaign.id,
        program.id,
        "Phước Bình",
        b.id,
        "HN",
        500_000,
    )
    .await;
    assert_eq!(
        review(&app, &operator, &campaign, hiep_phu).await,
        vec![(e1.id, e2.id)]
    );
    sql(
        &app,
        &format!(
            "UPDATE people SET address_key = (SELECT address_key FROM people WHERE id = {}) \
             WHERE id = {}",
            a.id, b.id
        ),
    )
    .await;
    assert_eq!(
        review(&app, &operator, &campaign, hiep_phu).await,
        vec![(e1.id, e2.id), (e1.id, e3.id)]
    );

    // The second ward's entry deleted by SQL: its pair goes.
    sql(&app, &format!("DELETE FROM entries WHERE id = {}", e2.id)).await;
    assert_eq!(
        review(&app, &operator, &campaign, hiep_phu).await,
        vec![(e1.id, e3.id)]
    );

    // Two members of one household are a pair only in a one-per-household program: the
    // program turned to one per household makes it.
    let c = new_person(&app, "Hiệp Phú", person("Lê Văn Hai", "7 Man Thiện")).await;
    let e4 = list_entry(
        &app,
        campaign.id,
        program.id,
        "Hiệp Phú",
        c.id,
        "HN",
        500_000,
    )
    .await;
    let now = chrono::Utc::now();
    let home = household::ActiveModel {
        ward_id: Set(hiep_phu),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    sql(
        &app,
        &format!(
            "UPDATE people SET household_id = {} WHERE id IN ({}, {})",
            home.id, a.id, c.id
        ),
    )
    .await;
    assert_eq!(
        review(&app, &operator, &campaign, hiep_phu).await,
        vec![(e1.id, e3.id)]
    );
    sql(
        &app,
        &format!(
            "UPDATE gift_programs SET one_per_household = true WHERE id = {}",
            program.id
        ),
    )
    .await;
    assert_eq!(
        review(&app, &operator, &campaign, hiep_phu).await,
        vec![(e1.id, e3.id), (e1.id, e4.id)]
    );
}

#[tokio::test]
async fn a_sector_reviewer_sees_only_pairs_whose_two_sides_are_in_their_sectors() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let program = default_program(&app, campaign.id).await;
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await.id;
    let poor = new_person(&app, "Hiệp Phú", person("Nguyễn Văn Một", "1 Lê Văn Việt")).await;
    let e1 = list_entry(
        &app,
        campaign.id,
        program.id,
        "Hiệp Phú",
        poor.id,
        "HN",
        500_000,
    )
    .await;
    let e2 = list_entry(
        &app,
        campaign.id,
        program.id,
        "Tân Phú",
        poor.id,
        "HCN",
        400_000,
    )
    .await;
    let limited_to = async |sector| {
        let mut operator = Operator::system("test");
        operator.scope = app.every_unit_in(vec![sector]).await;
        operator
    };
    // The merit reviewer looks first, so the poverty reviewer is answered from the same kept
    // pairs: each sees only their own.
    assert!(
        review(&app, &limited_to(Sector::Merit).await, &campaign, hiep_phu)
            .await
            .is_empty()
    );
    assert_eq!(
        review(
            &app,
            &limited_to(Sector::Poverty).await,
            &campaign,
            hiep_phu
        )
        .await,
        vec![(e1.id, e2.id)]
    );
}
