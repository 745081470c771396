//! The same file committed at the same moment by several requests (a double click, two tabs,
//! two app servers) goes in once: one batch and one set of entries; every other request gets
//! "already imported" or a clear Vietnamese message, never a server error.

use chamlo::domain::audit::Actor;
use chamlo::domain::import_commit::{FileMeta, commit_import};
use chamlo::domain::scope::UnitScope;
use chamlo::entities::states::ListStatus;
use chamlo::entities::{entry, import_batch, person, ward_list};
use chamlo::error::AppError;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

use crate::helpers::TestApp;
use crate::import::{check_file_with_former, district_campaign, sample_path};

async fn commit_same_file_at_once(list_exists: bool) {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let name = "02-tang-nhon-phu-a-ho-ngheo.xlsx";
    let bytes = std::fs::read(sample_path(name)).unwrap();
    let (parsed, former) =
        check_file_with_former(&app, &campaign, name, &bytes, None, &UnitScope::All)
            .await
            .unwrap();
    if list_exists {
        // The ward's list is there already; the race is on the batch only.
        let ward_id = parsed.rows[0].ward.as_ref().expect("the ward").id;
        let now = chrono::Utc::now();
        ward_list::ActiveModel {
            campaign_id: Set(campaign.id),
            ward_id: Set(ward_id as i32),
            status: Set(ListStatus::Draft),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let sha = chamlo::domain::pending_uploads::sha256_hex(&bytes);
    let (persons_before, entries_before) = (
        person::Entity::find().count(&app.db).await.unwrap(),
        entry::Entity::find().count(&app.db).await.unwrap(),
    );
    let actor = Actor::system("test");
    let commit = || {
        commit_import(
            &app.db,
            &actor,
            &campaign,
            &parsed,
            &former,
            FileMeta {
                file_name: name,
                sha256: &sha,
                size_bytes: bytes.len() as i64,
            },
        )
    };
    let results = {
        let (a, b, c, d) = tokio::join!(commit(), commit(), commit(), commit());
        [a, b, c, d]
    };
    let mut fresh = 0;
    for result in &results {
        match result {
            Ok(parts) if parts.iter().all(|p| p.already_imported) => {}
            Ok(_) => fresh += 1,
            Err(AppError::Invalid(message)) => {
                assert!(message.contains("Tệp này"), "a clear message: {message}")
            }
            Err(other) => panic!("a concurrent commit failed with {other:?}"),
        }
    }
    assert_eq!(fresh, 1, "exactly one commit stores the file: {results:?}");
    assert_eq!(
        import_batch::Entity::find().count(&app.db).await.unwrap(),
        1
    );
    assert_eq!(ward_list::Entity::find().count(&app.db).await.unwrap(), 1);
    let added_entries = entry::Entity::find().count(&app.db).await.unwrap() - entries_before;
    let added_persons = person::Entity::find().count(&app.db).await.unwrap() - persons_before;
    let accepted = parsed.count(chamlo::import::RowStatus::Accepted) as u64;
    assert_eq!(added_entries, accepted, "one set of entries");
    assert_eq!(added_persons, accepted, "each person once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_file_committed_four_times_at_once_goes_in_once() {
    commit_same_file_at_once(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_file_committed_at_once_into_an_existing_list_goes_in_once() {
    commit_same_file_at_once(true).await;
}
