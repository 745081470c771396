//! A ward list's search by name answered from each server's kept copy of the list's keys
//! (`domain::list_search`): the same page as the database's own search, for every filter and
//! scope, and read again after every change to what a search reads, whoever makes it (plain
//! SQL here, as another server or the CLI would); recording a gift keeps the copy.

use chamlo::domain::list_entries::{
    CampaignWithList, ListFilter, RowNames, campaign_with_list, categories, list_page,
};
use chamlo::domain::scope::UnitScope;
use chamlo::entities::states::{EntryStatus, Sector, UnitLevel};
use chamlo::entities::{campaign, ward_list};
use sea_orm::ConnectionTrait;

use crate::cycle_support::{NewPerson, default_program, list_entry, new_person};
use crate::helpers::TestApp;
use crate::import::district_campaign;

/// The list as every list page reads it first.
async fn current(app: &TestApp, campaign: &campaign::Model, ward: i32) -> CampaignWithList {
    campaign_with_list(&app.db, &campaign.slug, ward)
        .await
        .unwrap()
}

/// The page of `filter` as a searcher sees it through the server's kept keys, after checking
/// it is the database's own answer: `(entry ids on the page, total, pages)`.
async fn search(
    app: &TestApp,
    campaign: &campaign::Model,
    ward: i32,
    scope: &UnitScope,
    filter: &ListFilter,
) -> (Vec<i32>, u64, u64) {
    let now = current(app, campaign, ward).await;
    let list: ward_list::Model = now.list.clone().expect("a list");
    let all_categories = categories(&app.db).await.unwrap();
    let names = RowNames {
        categories: &all_categories,
        programs: &now.programs,
    };
    assert!(filter.searches_kept_names());
    let kept = app
        .state
        .list_names
        .names(&app.db, list.id, now.list_name_version)
        .await
        .unwrap();
    let from_copy = list_page(&app.db, scope, &list, filter, None, &names, Some(&kept))
        .await
        .unwrap();
    let from_database = list_page(&app.db, scope, &list, filter, None, &names, None)
        .await
        .unwrap();
    let ids = |rows: &[chamlo::domain::list_entries::ListRow]| {
        rows.iter().map(|r| r.entry_id).collect::<Vec<_>>()
    };
    assert_eq!(
        (ids(&from_copy.rows), from_copy.total, from_copy.page),
        (
            ids(&from_database.rows),
            from_database.total,
            from_database.page
        ),
        "the kept keys' page against the database's for {filter:?}"
    );
    assert_eq!(from_copy.pages, from_database.pages);
    (ids(&from_copy.rows), from_copy.total, from_copy.pages)
}

fn named(query: &str) -> ListFilter {
    ListFilter {
        query: query.to_owned(),
        page: 1,
        ..Default::default()
    }
}

async fn sql(app: &TestApp, statement: &str) {
    app.db.execute_unprepared(statement).await.unwrap();
}

#[tokio::test]
async fn a_search_from_the_kept_keys_is_the_databases_search_after_every_change() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let program = default_program(&app, campaign.id).await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await.id;
    let all = UnitScope::All;

    let mut ids = Vec::new();
    for (i, (name, category)) in [
        ("Nguyễn Văn An", "HN"),
        ("Trần Thị Vân", "BTXH"),
        ("Lê Văn Nguyên", "BMVNAH"),
        ("Phạm Thị Nga", "HN"),
        ("Đặng Văn Đức", "BMVNAH"),
        ("Nguyễn Thị Bích", "BTXH"),
    ]
    .into_iter()
    .enumerate()
    {
        let address = format!("{i} Lê Văn Việt");
        let person = new_person(
            &app,
            "Hiệp Phú",
            NewPerson {
                name,
                birth_year: 1950 + i as i32,
                address: &address,
                national_id: None,
                household_id: None,
            },
        )
        .await;
        ids.push(
            list_entry(
                &app,
                campaign.id,
                program.id,
                "Hiệp Phú",
                person.id,
                category,
                500_000,
            )
            .await
            .id,
        );
    }
    let [an, van, nguyen, nga, duc, bich] = ids[..] else {
        unreachable!()
    };

    // Words in any order, without marks; "đ" found as "d".
    assert_eq!(
        search(&app, &campaign, ward, &all, &named("văn nguyen")).await,
        (vec![an, nguyen], 2, 1)
    );
    assert_eq!(
        search(&app, &campaign, ward, &all, &named("DUC dang")).await,
        (vec![duc], 1, 1)
    );
    assert_eq!(
        search(&app, &campaign, ward, &all, &named("xuân")).await,
        (vec![], 0, 1)
    );
    // The category filter and a sector reviewer's sectors.
    let merit = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id FROM categories WHERE code = 'BMVNAH'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i32>("", "id")
        .unwrap();
    let merit_filter = ListFilter {
        category_id: Some(merit),
        ..named("van")
    };
    assert_eq!(
        search(&app, &campaign, ward, &all, &merit_filter).await,
        (vec![nguyen, duc], 2, 1)
    );
    let poverty = app.every_unit_in(vec![Sector::Poverty]).await;
    assert_eq!(
        search(&app, &campaign, ward, &poverty, &named("thi")).await,
        (vec![nga], 1, 1)
    );

    // A gift recorded moves no version: the copy stays.
    let before = current(&app, &campaign, ward).await.list_name_version;
    sql(
        &app,
        &format!(
            "UPDATE entries SET status = '{}', amount = 1 WHERE id = {an}",
            EntryStatus::Received.as_str()
        ),
    )
    .await;
    assert_eq!(
        current(&app, &campaign, ward).await.list_name_version,
        before
    );
    // A state filter reads the states of the matches fresh.
    let received = ListFilter {
        status: Some(EntryStatus::Received),
        ..named("nguyen")
    };
    assert_eq!(
        search(&app, &campaign, ward, &all, &received).await,
        (vec![an], 1, 1)
    );
    let pending = ListFilter {
        status: Some(EntryStatus::Pending),
        ..named("van")
    };
    assert_eq!(
        search(&app, &campaign, ward, &all, &pending).await,
        (vec![van, nguyen, duc], 3, 1)
    );

    // A person renamed by SQL: their entry's key follows, the version moves, the new name is
    // found and the old one is not.
    sql(
        &app,
        &format!(
            "UPDATE people SET full_name = 'Phạm Thị Xuân', name_key = 'pham thi xuan' \
             WHERE id = (SELECT person_id FROM entries WHERE id = {nga})"
        ),
    )
    .await;
    let renamed = current(&app, &campaign, ward).await.list_name_version;
    assert!(renamed > before);
    assert_eq!(
        search(&app, &campaign, ward, &all, &named("xuan")).await,
        (vec![nga], 1, 1)
    );
    assert_eq!(
        search(&app, &campaign, ward, &all, &named("nga")).await,
        (vec![], 0, 1)
    );

    // A category changed: the sector reviewer's search follows.
    sql(
        &app,
        &format!(
            "UPDATE entries SET category_id = (SELECT category_id FROM entries WHERE id = {an}) \
             WHERE id = {bich}"
        ),
    )
    .await;
    assert_eq!(
        search(&app, &campaign, ward, &poverty, &named("nguyen")).await,
        (vec![an, bich], 2, 1)
    );

    // The file's order changed: the search's order follows.
    sql(
        &app,
        &format!("UPDATE entries SET source_row = 1 WHERE id = {bich}"),
    )
    .await;
    assert_eq!(
        search(&app, &campaign, ward, &all, &named("nguyen")).await,
        (vec![bich, an, nguyen], 3, 1)
    );

    // An entry deleted, then one added: neither is missed.
    sql(&app, &format!("DELETE FROM entries WHERE id = {van}")).await;
    assert_eq!(
        search(&app, &campaign, ward, &all, &named("van")).await,
        (vec![an, nguyen, duc], 3, 1)
    );
    let added = new_person(
        &app,
        "Hiệp Phú",
        NewPerson {
            name: "Võ Văn Tần",
            birth_year: 1960,
            address: "9 Lê Văn Việt",
            national_id: None,
            household_id: None,
        },
    )
    .await;
    let tan = list_entry(
        &app,
        campaign.id,
        program.id,
        "Hiệp Phú",
        added.id,
        "HN",
        500_000,
    )
    .await
    .id;
    assert_eq!(
        search(&app, &campaign, ward, &all, &named("van")).await,
        (vec![an, nguyen, duc, tan], 4, 1)
    );
}

#[tokio::test]
async fn a_long_search_is_paged_as_the_database_pages_it() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let program = default_program(&app, campaign.id).await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await.id;
    for i in 0..57 {
        let name = if i % 3 == 0 {
            format!("Trần Thị Số {i}")
        } else {
            format!("Nguyễn Văn Số {i}")
        };
        let address = format!("{i} Lê Văn Việt");
        let person = new_person(
            &app,
            "Hiệp Phú",
            NewPerson {
                name: &name,
                birth_year: 1940 + i,
                address: &address,
                national_id: None,
                household_id: None,
            },
        )
        .await;
        list_entry(
            &app,
            campaign.id,
            program.id,
            "Hiệp Phú",
            person.id,
            "HN",
            500_000,
        )
        .await;
    }
    let (first, total, pages) = search(&app, &campaign, ward, &UnitScope::All, &named("so")).await;
    assert_eq!((first.len(), total, pages), (50, 57, 2));
    let second = ListFilter {
        page: 2,
        ..named("so")
    };
    let (rest, _, _) = search(&app, &campaign, ward, &UnitScope::All, &second).await;
    assert_eq!(rest.len(), 7);
    // A page past the end shows the last one, as the database's search does.
    let beyond = ListFilter {
        page: 9,
        ..named("van so")
    };
    let (last, total, pages) = search(&app, &campaign, ward, &UnitScope::All, &beyond).await;
    assert_eq!((total, pages), (38, 1));
    assert_eq!(last.len(), 38);
}
