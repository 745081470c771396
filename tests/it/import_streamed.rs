//! The import that stores while it reads (issue 19): the rows are read in batches and each
//! batch is stored while the next is read, in one transaction. Stored and reported exactly as
//! the one-pass import (read everything, check, then commit) does; a refusal that comes
//! after some batches were stored leaves nothing stored.

use std::sync::Arc;

use chamlo::domain::audit::Actor;
use chamlo::domain::import_check::load_import_setup;
use chamlo::domain::import_commit::{ImportRefused, import_while_reading};
use chamlo::domain::scope::UnitScope;
use chamlo::entities::states::{ListStatus, UnitLevel};
use chamlo::entities::{campaign, entry, import_batch, person, ward_list};
use chamlo::error::AppError;
use chamlo::import::RowStatus;
use rust_xlsxwriter::Workbook;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

use crate::helpers::TestApp;
use crate::import::{district_campaign, import_bytes};

/// More rows than the reader hands over before the rest of the sheet is parsed (16,384) and
/// than two of its batches on SQLite (8,192 rows each; 16,384 on PostgreSQL), so that storing
/// begins long before the file's last row is read.
const ROWS: usize = 17_000;

/// The sheet row (1-based) of the `index`-th person of [`district_file`].
fn sheet_row(index: usize) -> u32 {
    7 + index as u32
}

/// A district list of `ROWS` people with a "Phường" column: Hiệp Phú, then the last ten in
/// `last_ward`. Near the end, one person born in 2999 (a row problem) and one listed twice
/// (the same name, year and address as the tenth).
fn district_file(last_ward: &str) -> Vec<u8> {
    district_sheet(last_ward, false, false)
}

/// [`district_file`] with a "Số CCCD" column: each person's [`citizen_id`] (the one listed
/// twice has the tenth person's).
fn district_file_with_ids(last_ward: &str) -> Vec<u8> {
    district_sheet(last_ward, false, true)
}

/// The `index`-th person's CCCD in [`district_file_with_ids`]: a man of Hồ Chí Minh City
/// born in their year.
fn citizen_id(index: usize) -> String {
    format!("0790{:02}{:06}", (40 + index % 50) % 100, index + 1)
}

fn district_file_with_notes(last_ward: &str, late_tcvn3_notes: bool) -> Vec<u8> {
    district_sheet(last_ward, late_tcvn3_notes, false)
}

/// [`district_file`], with `late_tcvn3_notes` a "Ghi chú" column whose first rows read
/// alike in Unicode and TCVN3 ("Lê") and whose last rows are plainly TCVN3 ("®· mÊt"):
/// the whole column is TCVN3, which only its last rows tell; with `ids` a "Số CCCD" column.
fn district_sheet(last_ward: &str, late_tcvn3_notes: bool, ids: bool) -> Vec<u8> {
    const SURNAMES: [&str; 10] = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    ];
    const MIDDLE: [&str; 10] = [
        "Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Kim", "Đức", "Xuân",
    ];
    const GIVEN: [&str; 10] = [
        "An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Phúc", "Quang",
    ];
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write(0, 0, "UBND QUẬN 9").unwrap();
    sheet
        .write(
            3,
            0,
            "DANH SÁCH ĐỀ NGHỊ TẶNG QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021",
        )
        .unwrap();
    let headers = [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "Địa chỉ",
        "Phường",
        "Đối tượng",
        "Số tiền",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write(5, col as u16, *header).unwrap();
    }
    if late_tcvn3_notes {
        // "Ghi chú" typed in TCVN3, as the whole column is.
        sheet.write(5, 7, "Ghi chó").unwrap();
    }
    if ids {
        sheet.write(5, 8, "Số CCCD").unwrap();
    }
    let person = |i: usize| {
        let name = format!(
            "{} {} {}",
            SURNAMES[i % 10],
            MIDDLE[(i / 10) % 10],
            GIVEN[(i / 100) % 10]
        );
        (
            name,
            1940 + (i % 50) as i32,
            format!("{} Lê Văn Việt", i + 1),
        )
    };
    for i in 0..ROWS {
        let row = sheet_row(i) - 1;
        let (name, mut year, mut address) = person(i);
        if i == ROWS - 20 {
            year = 2999;
        }
        if i == ROWS - 15 {
            (_, year, address) = person(9);
        }
        let name = if i == ROWS - 15 { person(9).0 } else { name };
        let ward = if i >= ROWS - 10 {
            last_ward
        } else {
            "Hiệp Phú"
        };
        sheet.write(row, 0, i as u32 + 1).unwrap();
        sheet.write(row, 1, name).unwrap();
        sheet.write(row, 2, year).unwrap();
        sheet.write(row, 3, address).unwrap();
        sheet.write(row, 4, ward).unwrap();
        sheet.write(row, 5, "TNLS").unwrap();
        sheet.write(row, 6, 600_000).unwrap();
        if late_tcvn3_notes {
            let note = if i < ROWS - 500 {
                "Lê"
            } else {
                "Con liÖt sÜ, ®· mÊt"
            };
            sheet.write(row, 7, note).unwrap();
        }
        if ids {
            let listed = if i == ROWS - 15 { 9 } else { i };
            sheet.write(row, 8, citizen_id(listed)).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// Stores `bytes` the way `chamlo import` does: read, checked and stored in one pass.
async fn import_streamed(
    app: &TestApp,
    campaign: &campaign::Model,
    bytes: &[u8],
) -> Result<chamlo::domain::import_commit::ImportedFile, ImportRefused> {
    let setup = load_import_setup(&app.db, campaign.year).await.unwrap();
    import_while_reading(
        &app.db,
        &Actor::system("test"),
        campaign,
        setup.context,
        "quan-9.xlsx",
        Arc::new(bytes.to_vec()),
        None,
        &UnitScope::All,
    )
    .await
}

/// People, entries, batches and lists stored.
async fn stored(app: &TestApp) -> [u64; 4] {
    [
        person::Entity::find().count(&app.db).await.unwrap(),
        entry::Entity::find().count(&app.db).await.unwrap(),
        import_batch::Entity::find().count(&app.db).await.unwrap(),
        ward_list::Entity::find().count(&app.db).await.unwrap(),
    ]
}

/// A file stored both ways, each into a campaign of its own fresh application.
struct BothWays {
    streamed_app: TestApp,
    campaign: campaign::Model,
    streamed: chamlo::domain::import_commit::ImportedFile,
    one_pass_app: TestApp,
    one_pass: chamlo::import::ParsedList,
    committed: Vec<chamlo::domain::import_commit::WardCommit>,
}

/// Stores `bytes` while reading it, and again the one-pass way (read, check, commit).
async fn both_ways(bytes: &[u8]) -> BothWays {
    let streamed_app = TestApp::spawn().await;
    let campaign = district_campaign(&streamed_app, 2021).await;
    let streamed = import_streamed(&streamed_app, &campaign, bytes)
        .await
        .expect("the file is stored");

    let one_pass_app = TestApp::spawn().await;
    let one_pass_campaign = district_campaign(&one_pass_app, 2021).await;
    let (one_pass, committed) = import_bytes(
        &one_pass_app,
        &one_pass_campaign,
        "quan-9.xlsx",
        bytes,
        None,
    )
    .await
    .expect("the file is stored");
    BothWays {
        streamed_app,
        campaign,
        streamed,
        one_pass_app,
        one_pass,
        committed,
    }
}

#[tokio::test]
async fn a_file_stored_while_read_is_reported_and_stored_as_the_one_pass_import() {
    let bytes = district_file("Tân Phú");

    let ways = both_ways(&bytes).await;
    let (streamed_app, campaign, streamed) = (ways.streamed_app, ways.campaign, ways.streamed);
    let (one_pass_app, one_pass, committed) = (ways.one_pass_app, ways.one_pass, ways.committed);

    let parsed = &streamed.parsed;
    assert_eq!(parsed.rows.len(), ROWS, "every row is reported");
    assert_eq!(
        serde_json::to_value(parsed).unwrap(),
        serde_json::to_value(&one_pass).unwrap(),
        "the same rows, statuses and problems as the one-pass import"
    );
    // The row problem and the duplicate near the end, read after storing began.
    let late = |index: usize| {
        parsed
            .rows
            .iter()
            .find(|r| r.row == sheet_row(index))
            .expect("the row is reported")
    };
    let born_later = late(ROWS - 20);
    assert_eq!(born_later.status, RowStatus::Rejected);
    assert!(
        born_later.issues.iter().any(|i| i.field == "birth_year"),
        "{:?}",
        born_later.issues
    );
    let twice = late(ROWS - 15);
    assert_eq!(twice.status, RowStatus::Duplicate);
    assert!(
        twice.issues[0]
            .message
            .contains(&format!("dòng {}", sheet_row(9))),
        "{:?}",
        twice.issues
    );
    assert_eq!(parsed.count(RowStatus::Accepted), ROWS - 2);

    // Stored alike: the same people, entries, batches (with their counts) and lists.
    assert_eq!(stored(&streamed_app).await, stored(&one_pass_app).await);
    assert_eq!(stored(&streamed_app).await[0], (ROWS - 2) as u64);
    let outcome = |c: &[chamlo::domain::import_commit::WardCommit]| {
        c.iter()
            .map(|p| (p.ward.clone(), p.added, p.entries, p.already_imported))
            .collect::<Vec<_>>()
    };
    assert_eq!(outcome(&streamed.committed), outcome(&committed));
    let counts = |batches: Vec<import_batch::Model>| {
        let mut counts: Vec<_> = batches
            .into_iter()
            .map(|b| (b.total_rows, b.accepted, b.rejected, b.duplicates))
            .collect();
        counts.sort();
        counts
    };
    assert_eq!(
        counts(
            import_batch::Entity::find()
                .all(&streamed_app.db)
                .await
                .unwrap()
        ),
        counts(
            import_batch::Entity::find()
                .all(&one_pass_app.db)
                .await
                .unwrap()
        ),
    );

    // The same file again adds nothing.
    let again = import_streamed(&streamed_app, &campaign, &bytes)
        .await
        .expect("read again");
    assert!(again.committed.iter().all(|p| p.already_imported));
    assert_eq!(stored(&streamed_app).await[0], (ROWS - 2) as u64);
}

#[tokio::test]
async fn a_refusal_after_batches_were_stored_leaves_nothing_stored() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    // Tân Phú's list, named only by the file's last rows, was already sent for approval.
    let tan_phu = app.unit(UnitLevel::Ward, "Tân Phú").await;
    let now = chrono::Utc::now();
    ward_list::ActiveModel {
        campaign_id: Set(campaign.id),
        ward_id: Set(tan_phu.id),
        status: Set(ListStatus::Submitted),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let before = stored(&app).await;

    let refused = import_streamed(&app, &campaign, &district_file("Tân Phú")).await;
    let Err(ImportRefused::Refused(AppError::Invalid(message))) = refused else {
        panic!("the file must be refused");
    };
    assert!(message.contains("đã gửi duyệt"), "{message}");
    assert_eq!(stored(&app).await, before, "nothing of the file is stored");

    // A file that cannot be read is refused before anything is stored.
    let unreadable = import_streamed(&app, &campaign, b"not a workbook").await;
    assert!(matches!(unreadable, Err(ImportRefused::Unreadable(_))));
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn first_rows_that_the_whole_file_reads_otherwise_are_stored_as_it_reads_them() {
    // The reader hands over the first 16,384 rows before the rest is parsed; the last rows
    // then make the notes column TCVN3, so those first rows read otherwise, and the import
    // starts again from the first row: stored once, as the one-pass import stores them.
    let bytes = district_file_with_notes("Tân Phú", true);

    let BothWays {
        streamed_app,
        streamed,
        one_pass_app,
        one_pass,
        ..
    } = both_ways(&bytes).await;

    assert_eq!(
        serde_json::to_value(&streamed.parsed).unwrap(),
        serde_json::to_value(&one_pass).unwrap(),
    );
    assert_eq!(streamed.parsed.rows.len(), ROWS);
    assert_eq!(stored(&streamed_app).await, stored(&one_pass_app).await);
    assert_eq!(stored(&streamed_app).await[0], (ROWS - 2) as u64);
    let notes = |entries: Vec<entry::Model>| {
        let mut notes: Vec<Option<String>> = entries.into_iter().map(|e| e.note).collect();
        notes.sort();
        notes.dedup();
        notes
    };
    let streamed_notes = notes(entry::Entity::find().all(&streamed_app.db).await.unwrap());
    assert_eq!(
        streamed_notes,
        notes(entry::Entity::find().all(&one_pass_app.db).await.unwrap())
    );
    assert!(
        streamed_notes.contains(&Some("Con liệt sĩ, đã mất".to_owned())),
        "{streamed_notes:?}"
    );
    assert!(
        !streamed_notes.contains(&Some("Lê".to_owned())),
        "the first rows' notes are read as the whole column is: {streamed_notes:?}"
    );
}

#[tokio::test]
async fn people_stored_before_are_found_by_their_id_in_every_batch() {
    // Three people of the file got last year's gift: in the first batch, in a middle one and
    // in the last (on PostgreSQL the later batches' IDs are looked up while the batch before
    // is stored, on a connection of their own). Each stays one person, this year's entry
    // theirs, as the one-pass import stores them.
    let known = [3, 9_000, 16_500];
    let bytes = district_file_with_ids("Tân Phú");
    let mut apps = Vec::new();
    for streamed in [true, false] {
        let app = TestApp::spawn().await;
        let last_year = district_campaign(&app, 2020).await;
        let people: Vec<(String, i32, String)> = known
            .iter()
            .zip(["An", "Bình", "Cường"])
            .map(|(&i, given)| {
                (
                    format!("Lê Văn {given}"),
                    1940 + (i % 50) as i32,
                    citizen_id(i),
                )
            })
            .collect();
        let rows: Vec<(&str, i32, &str, &str, &str)> = people
            .iter()
            .map(|(name, year, id)| {
                (
                    name.as_str(),
                    *year,
                    id.as_str(),
                    "1 Lê Văn Việt",
                    "Hộ nghèo",
                )
            })
            .collect();
        let old_file = crate::import::ward_file("HIỆP PHÚ", &rows);
        import_bytes(&app, &last_year, "nam-truoc.xlsx", &old_file, None)
            .await
            .expect("last year's list is stored");
        let before: Vec<person::Model> = person::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(before.len(), known.len());

        let campaign = district_campaign(&app, 2021).await;
        if streamed {
            import_streamed(&app, &campaign, &bytes)
                .await
                .expect("the file is stored");
        } else {
            import_bytes(&app, &campaign, "quan-9.xlsx", &bytes, None)
                .await
                .expect("the file is stored");
        }
        for person in &before {
            let id = person.national_id.clone().unwrap();
            let same_id = person::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .into_iter()
                .filter(|p| p.national_id.as_deref() == Some(id.as_str()))
                .count();
            assert_eq!(same_id, 1, "{id} is one person");
            let theirs: Vec<i32> = entry::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .into_iter()
                .filter(|e| e.campaign_id == campaign.id && e.person_id == person.id)
                .map(|e| e.source_row.unwrap())
                .collect();
            let index = *known.iter().find(|&&i| citizen_id(i) == id).unwrap();
            assert_eq!(
                theirs,
                vec![sheet_row(index) as i32],
                "{id}'s entry this year"
            );
        }
        apps.push(app);
    }
    assert_eq!(stored(&apps[0]).await, stored(&apps[1]).await);
    // Last year's three, and this year's rows but the rejected one, the one listed twice and
    // the three found.
    assert_eq!(stored(&apps[0]).await[0], (ROWS - 2) as u64);
}
