//! Importing ward lists into a campaign: the commit, duplicates across wards, the same file
//! twice, failures that change nothing, and the `chamlo import` command's contract.

use std::path::PathBuf;

use chamlo::domain::audit::Actor;
use chamlo::domain::campaigns::{NewCampaign, RequestedUnit, create_campaign};
use chamlo::domain::import_check::{FormerWards, check_against_campaign, load_import_setup};
use chamlo::domain::import_commit::{FileMeta, WardCommit, commit_import};
use chamlo::domain::operator::Operator;
use chamlo::domain::scope::UnitScope;
use chamlo::entities::states::{EntryStatus, FundingSource, ListStatus, UnitLevel};
use chamlo::entities::{campaign, entry, household, import_batch, person, ward_list};
use chamlo::error::AppError;
use chamlo::import::{KnownWard, ParsedList, RowStatus, read_ward_file};
use rust_xlsxwriter::Workbook;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::cli::run_chamlo;
use crate::helpers::TestApp;

/// The path of a file in import-samples/.
pub fn sample_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("import-samples")
        .join(name)
}

/// A campaign of the former Quận 9 for `year`, created as the district would.
pub async fn district_campaign(app: &TestApp, year: i32) -> campaign::Model {
    let district = app.unit(UnitLevel::District, "Quận 9").await;
    create_campaign(
        &app.db,
        &Operator::system("test"),
        NewCampaign {
            year,
            title: None,
            unit: Some(RequestedUnit::Id(district.id)),
        },
    )
    .await
    .expect("campaign created")
}

/// Reads `bytes` and checks them against the campaign as `scope` sees it.
pub async fn check_file(
    app: &TestApp,
    campaign: &campaign::Model,
    name: &str,
    bytes: &[u8],
    ward: Option<&str>,
    scope: &UnitScope,
) -> Result<ParsedList, AppError> {
    Ok(
        check_file_with_former(app, campaign, name, bytes, ward, scope)
            .await?
            .0,
    )
}

/// [`check_file`] with the old wards the rows named, as the commit takes them.
pub async fn check_file_with_former(
    app: &TestApp,
    campaign: &campaign::Model,
    name: &str,
    bytes: &[u8],
    ward: Option<&str>,
    scope: &UnitScope,
) -> Result<(ParsedList, FormerWards), AppError> {
    let setup = load_import_setup(&app.db, campaign.year).await.unwrap();
    let mut parsed = read_ward_file(name, bytes, &setup.context).expect("file readable");
    let chosen = match ward {
        Some(ward) => {
            let unit = app.unit(UnitLevel::Ward, ward).await;
            Some(KnownWard {
                id: i64::from(unit.id),
                code: unit.code.into(),
                name: unit.name.into(),
            })
        }
        None => None,
    };
    let former =
        check_against_campaign(&app.db, campaign, &mut parsed, chosen.as_ref(), scope).await?;
    Ok((parsed, former))
}

/// Checks and commits `bytes` as the command line would (admin scope).
pub async fn import_bytes(
    app: &TestApp,
    campaign: &campaign::Model,
    name: &str,
    bytes: &[u8],
    ward: Option<&str>,
) -> Result<(ParsedList, Vec<WardCommit>), AppError> {
    let (parsed, former) =
        check_file_with_former(app, campaign, name, bytes, ward, &UnitScope::All).await?;
    let sha: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let committed = commit_import(
        &app.db,
        &Actor::system("test"),
        campaign,
        &parsed,
        &former,
        FileMeta {
            file_name: name,
            sha256: &sha,
            size_bytes: bytes.len() as i64,
        },
    )
    .await?;
    Ok((parsed, committed))
}

/// Imports a file of import-samples/ into the campaign.
pub async fn import_sample(
    app: &TestApp,
    campaign: &campaign::Model,
    name: &str,
    ward: Option<&str>,
) -> (ParsedList, Vec<WardCommit>) {
    let bytes = std::fs::read(sample_path(name)).expect("sample exists");
    import_bytes(app, campaign, name, &bytes, ward)
        .await
        .expect("import commits")
}

async fn count_rows(app: &TestApp) -> (u64, u64, u64, u64) {
    (
        person::Entity::find().count(&app.db).await.unwrap(),
        entry::Entity::find().count(&app.db).await.unwrap(),
        import_batch::Entity::find().count(&app.db).await.unwrap(),
        ward_list::Entity::find().count(&app.db).await.unwrap(),
    )
}

/// A small Tân Phú list in the usual shape: title block, header, two people, a total.
pub fn tan_phu_file(people: &[(&str, i32, &str, &str, &str)]) -> Vec<u8> {
    ward_file("TÂN PHÚ", people)
}

/// A small list of the ward named `ward` (upper case, e.g. "HIỆP PHÚ") in the usual shape.
pub fn ward_file(ward: &str, people: &[(&str, i32, &str, &str, &str)]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write(0, 0, "UBND QUẬN 9").unwrap();
    sheet.write(1, 0, format!("UBND PHƯỜNG {ward}")).unwrap();
    sheet
        .write(0, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        .unwrap();
    sheet.write(1, 5, "Độc lập - Tự do - Hạnh phúc").unwrap();
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
        "Số CCCD",
        "Địa chỉ",
        "Đối tượng",
        "Số tiền",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write(5, col as u16, *header).unwrap();
    }
    for (index, (name, year, id, address, category)) in people.iter().enumerate() {
        let row = 6 + index as u32;
        sheet.write(row, 0, index as u32 + 1).unwrap();
        sheet.write(row, 1, *name).unwrap();
        sheet.write(row, 2, *year).unwrap();
        if !id.is_empty() {
            sheet.write(row, 3, *id).unwrap();
        }
        sheet.write(row, 4, *address).unwrap();
        sheet.write(row, 5, *category).unwrap();
        sheet.write(row, 6, 600_000).unwrap();
    }
    let total_row = 6 + people.len() as u32;
    sheet.write(total_row, 1, "Tổng cộng").unwrap();
    workbook.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_new_campaign_has_its_lunar_title_a_slug_and_a_default_program() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    assert_eq!(campaign.title, "Tết Nguyên đán Tân Sửu 2021");
    assert_eq!(campaign.lunar_name, "Tân Sửu");
    assert_eq!(campaign.slug, "tet-2021");
    let second = district_campaign(&app, 2021).await;
    assert_eq!(second.slug, "tet-2021-2");
    let programs = chamlo::entities::gift_program::Entity::find()
        .filter(chamlo::entities::gift_program::Column::CampaignId.eq(campaign.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(programs.len(), 1);
    assert_eq!(programs[0].name, "Quà Tết Tân Sửu 2021");
    assert!(programs[0].use_file_amounts);
}

#[tokio::test]
async fn committing_a_ward_file_stores_every_accepted_row_with_its_amount() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let (parsed, committed) =
        import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx", None).await;
    assert_eq!(parsed.count(RowStatus::Accepted), 12);
    assert_eq!(committed.len(), 1);
    assert_eq!(committed[0].ward, "Hiệp Phú");
    assert_eq!((committed[0].added, committed[0].entries), (12, 12));
    assert!(!committed[0].already_imported);

    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let list = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a ward list");
    assert_eq!(
        (list.ward_id, list.status),
        (hiep_phu.id, ListStatus::Draft)
    );

    let entries = entry::Entity::find().all(&app.db).await.unwrap();
    let typed_total: i64 = parsed.rows.iter().filter_map(|r| r.amount).sum();
    assert_eq!(entries.iter().map(|e| e.amount).sum::<i64>(), typed_total);
    assert!(
        entries
            .iter()
            .all(|e| e.status == EntryStatus::Pending && e.ward_id == hiep_phu.id)
    );

    // The stored people are exactly the file's, normalised.
    let people = person::Entity::find().all(&app.db).await.unwrap();
    for row in &parsed.rows {
        let stored = people
            .iter()
            .find(|p| Some(&p.full_name) == row.full_name.as_ref())
            .unwrap_or_else(|| panic!("row {} stored", row.row));
        assert_eq!(stored.birth_year, row.birth_year);
        assert_eq!(
            stored.national_id.as_deref(),
            row.national_id.as_ref().map(|id| id.as_str())
        );
        assert_eq!(stored.ward_id, hiep_phu.id);
    }

    let batch = import_batch::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("a batch");
    assert_eq!(batch.file_name, "01-hiep-phu-nguoi-co-cong.xlsx");
    assert_eq!(batch.sha256.len(), 64);
    assert_eq!(
        (batch.accepted, batch.rejected, batch.duplicates),
        (12, 0, 0)
    );
}

/// The rows reach PostgreSQL as one array literal per column (`db::bulk_insert`): text with
/// the literal's own characters (quotes, backslashes, braces, commas, the word NULL) and
/// empty cells are stored exactly as read, on both engines; and each entry carries its
/// person's search key, set by the import rather than the database's trigger.
#[tokio::test]
async fn text_that_looks_like_array_syntax_is_stored_as_written() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    // Array syntax (PostgreSQL gets the rows as array literals), and the other characters a
    // text format reads specially: backslashes, tabs, line breaks, a NULL marker.
    let addresses = [
        r#"12 "Hẻm" {A}, B\C"#,
        "NULL",
        r#"{}"#,
        "  ,,\\\"\" ",
        r"\N",
        "Tổ 1\tKhu 2",
        "Dòng 1\nDòng 2\r\\.",
    ];
    let people: Vec<(&str, i32, &str, &str, &str)> = vec![
        ("Đặng Văn Đức", 1950, "", addresses[0], "Hộ nghèo"),
        (
            "Trần Thị Bé",
            1951,
            "079050000111",
            addresses[1],
            "Hộ nghèo",
        ),
        ("Lê Văn Tám", 1952, "", addresses[2], "Hộ nghèo"),
        ("Phạm Thị Nga", 1953, "", addresses[3], "Hộ nghèo"),
        ("Võ Văn Năm", 1954, "", addresses[4], "Hộ nghèo"),
        ("Ngô Thị Sáu", 1955, "", addresses[5], "Hộ nghèo"),
        ("Huỳnh Văn Bảy", 1956, "", addresses[6], "Hộ nghèo"),
    ];
    let file = ward_file("HIỆP PHÚ", &people);
    let (parsed, committed) = import_bytes(&app, &campaign, "ky-tu.xlsx", &file, None)
        .await
        .unwrap();
    assert_eq!(parsed.count(RowStatus::Accepted), 7);
    assert_eq!(committed[0].entries, 7);
    let stored = person::Entity::find().all(&app.db).await.unwrap();
    for row in &parsed.rows {
        let person = stored
            .iter()
            .find(|p| Some(&p.full_name) == row.full_name.as_ref())
            .expect("stored");
        assert_eq!(person.address, row.address, "{:?}", row.full_name);
        assert_eq!(
            person.national_id.as_deref(),
            row.national_id.as_ref().map(|id| id.as_str())
        );
    }
    for gift in entry::Entity::find().all(&app.db).await.unwrap() {
        let person = stored.iter().find(|p| p.id == gift.person_id).unwrap();
        assert_eq!(
            gift.name_key.as_deref(),
            Some(chamlo::vn::text::entry_name_key(&person.name_key).as_str())
        );
    }
}

#[tokio::test]
async fn the_same_file_committed_twice_adds_nothing_the_second_time() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx", None).await;
    let before = count_rows(&app).await;
    let (parsed, committed) =
        import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx", None).await;
    assert!(committed[0].already_imported);
    assert_eq!(committed[0].added, 0);
    assert_eq!(count_rows(&app).await, before);
    // The preview already told the officer: every row is on the list.
    assert_eq!(parsed.count(RowStatus::Duplicate), 12);
}

#[tokio::test]
async fn a_household_list_keeps_each_household_with_its_head_and_size() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let (parsed, _) =
        import_sample(&app, &campaign, "02-tang-nhon-phu-a-ho-ngheo.xlsx", None).await;
    let households = household::Entity::find().all(&app.db).await.unwrap();
    let with_code: Vec<_> = parsed
        .rows
        .iter()
        .filter(|r| r.status == RowStatus::Accepted && r.household_code.is_some())
        .collect();
    assert_eq!(households.len(), with_code.len());
    for row in with_code {
        let stored = households
            .iter()
            .find(|h| h.code == row.household_code)
            .expect("household stored");
        assert_eq!(stored.size, row.household_size);
        let head = person::Entity::find_by_id(stored.head_person_id.expect("a head"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(Some(head.full_name), row.full_name);
        assert_eq!(head.household_id, Some(stored.id));
        let gift = entry::Entity::find()
            .filter(entry::Column::PersonId.eq(head.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(gift.household_id, Some(stored.id));
    }
}

#[tokio::test]
async fn a_person_already_listed_by_another_ward_is_a_duplicate_naming_that_ward() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let (hiep_phu, _) =
        import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx", None).await;
    let listed = hiep_phu
        .rows
        .iter()
        .find(|r| r.national_id.is_some())
        .expect("a row with an ID");
    let id = listed.national_id.as_ref().unwrap().as_str().to_owned();
    let name = listed.full_name.clone().unwrap();
    let file = tan_phu_file(&[
        (
            &name,
            listed.birth_year.unwrap(),
            &id,
            "5 Lê Văn Việt",
            "TNLS",
        ),
        ("Nguyễn Thị Hoa", 1950, "", "7 Lê Văn Việt", "TNLS"),
    ]);
    let before = count_rows(&app).await;
    let (parsed, committed) = import_bytes(&app, &campaign, "tan-phu.xlsx", &file, None)
        .await
        .unwrap();
    let repeated = &parsed.rows[0];
    assert_eq!(repeated.status, RowStatus::Duplicate);
    assert!(
        repeated
            .issues
            .iter()
            .any(|i| i.message.contains("Hiệp Phú")),
        "{:?}",
        repeated.issues
    );
    assert_eq!(parsed.rows[1].status, RowStatus::Accepted);
    assert_eq!(committed[0].ward, "Tân Phú");
    assert_eq!(committed[0].added, 1);
    let after = count_rows(&app).await;
    assert_eq!(after.0, before.0 + 1, "one new person");
    assert_eq!(
        after.1,
        before.1 + 1,
        "one new entry, never the same person twice"
    );
}

#[tokio::test]
async fn a_failed_commit_leaves_the_database_as_it_was() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2020).await;
    // The district-wide file touches several wards; one of them has already submitted.
    let bytes = std::fs::read(sample_path("05-quan-9-toan-quan.xlsx")).unwrap();
    let parsed = check_file(&app, &campaign, "05.xlsx", &bytes, None, &UnitScope::All)
        .await
        .unwrap();
    let wards: Vec<i64> = parsed
        .rows
        .iter()
        .filter(|r| r.status == RowStatus::Accepted)
        .filter_map(|r| r.ward.as_ref().map(|w| w.id))
        .collect();
    assert!(wards.len() > 3);
    let last_ward = *wards.iter().max().unwrap() as i32;
    let now = chrono::Utc::now();
    sea_orm::ActiveModelTrait::insert(
        ward_list::ActiveModel {
            campaign_id: sea_orm::Set(campaign.id),
            ward_id: sea_orm::Set(last_ward),
            status: sea_orm::Set(ListStatus::Submitted),
            created_at: sea_orm::Set(now),
            updated_at: sea_orm::Set(now),
            ..Default::default()
        },
        &app.db,
    )
    .await
    .unwrap();
    let before = count_rows(&app).await;
    let failed = import_bytes(&app, &campaign, "05.xlsx", &bytes, None).await;
    let Err(AppError::Invalid(message)) = failed else {
        panic!("the commit must be refused");
    };
    assert!(message.contains("đã gửi duyệt"), "{message}");
    assert_eq!(
        count_rows(&app).await,
        before,
        "nothing stored for any ward"
    );
}

#[tokio::test]
async fn a_ward_officer_cannot_import_rows_of_another_ward() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2020).await;
    let hiep_phu = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let scope = UnitScope::Units(vec![hiep_phu.id]);
    let bytes = std::fs::read(sample_path("05-quan-9-toan-quan.xlsx")).unwrap();
    let parsed = check_file(&app, &campaign, "05.xlsx", &bytes, None, &scope)
        .await
        .unwrap();
    for row in parsed
        .rows
        .iter()
        .filter(|r| r.status == RowStatus::Accepted)
    {
        assert_eq!(
            &*row.ward.as_ref().unwrap().name,
            "Hiệp Phú",
            "row {}",
            row.row
        );
    }
    assert!(parsed.rows.iter().any(|r| {
        r.issues
            .iter()
            .any(|i| i.field == "ward" && i.message.contains("Bạn không phụ trách phường"))
    }));
}

#[tokio::test]
async fn a_file_amount_that_differs_from_a_program_is_flagged_but_kept() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let tnls = chamlo::entities::category::Entity::find()
        .filter(chamlo::entities::category::Column::Code.eq("TNLS"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let program = sea_orm::ActiveModelTrait::insert(
        chamlo::entities::gift_program::ActiveModel {
            campaign_id: sea_orm::Set(campaign.id),
            name: sea_orm::Set("Quà của Chủ tịch nước".into()),
            funding_source: sea_orm::Set(FundingSource::Central),
            one_per_person: sea_orm::Set(true),
            one_per_household: sea_orm::Set(false),
            use_file_amounts: sea_orm::Set(false),
            created_at: sea_orm::Set(chrono::Utc::now()),
            ..Default::default()
        },
        &app.db,
    )
    .await
    .unwrap();
    sea_orm::ActiveModelTrait::insert(
        chamlo::entities::program_amount::ActiveModel {
            program_id: sea_orm::Set(program.id),
            category_id: sea_orm::Set(tnls.id),
            amount: sea_orm::Set(300_000),
            ..Default::default()
        },
        &app.db,
    )
    .await
    .unwrap();
    let file = tan_phu_file(&[("Nguyễn Thị Hoa", 1950, "", "7 Lê Văn Việt", "TNLS")]);
    let (parsed, _) = import_bytes(&app, &campaign, "tan-phu.xlsx", &file, None)
        .await
        .unwrap();
    let row = &parsed.rows[0];
    assert_eq!(row.status, RowStatus::Accepted);
    assert!(row.issues.iter().any(|i| i.field == "amount"
        && i.message.contains("600.000 đ")
        && i.message.contains("300.000 đ")));
    let gift = entry::Entity::find()
        .filter(entry::Column::ProgramId.eq(program.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an entry of the configured program");
    assert_eq!((gift.amount, gift.file_amount), (300_000, Some(600_000)));
}

#[tokio::test]
async fn chamlo_import_json_follows_the_contract_for_every_sample() {
    let app = TestApp::spawn().await;
    // The samples are lists of 2020 and 2021: read them as the 2020 campaign does, before
    // the five wards of 1 July 2025 existed (the expectations say "Phước Long" is no ward).
    let created = run_chamlo(&app, &["campaign", "create", "--year", "2020"], &[]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("import-samples");
    let mut samples: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xlsx") || n.ends_with(".xls") || n.ends_with(".ods"))
        .collect();
    samples.sort();
    assert!(samples.len() >= 7);
    for sample in samples {
        let path = dir.join(&sample);
        let output = run_chamlo(
            &app,
            &["import", path.to_str().unwrap(), "--dry-run", "--json"],
            &[],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{sample}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("expected").join(format!("{sample}.json"))).unwrap(),
        )
        .unwrap();
        for key in [
            "file",
            "sheet",
            "header_row",
            "accepted",
            "rejected",
            "duplicates",
            "rows",
        ] {
            assert!(report.get(key).is_some(), "{sample}: missing {key}");
        }
        assert_eq!(report["sheet"], expected["sheet"], "{sample}");
        assert_eq!(report["header_row"], expected["header_row"], "{sample}");
        let rows = report["rows"].as_array().unwrap();
        let wanted = expected["rows"].as_array().unwrap();
        assert_eq!(
            rows.len(),
            wanted.len(),
            "{sample}: one entry per person row"
        );
        let count = |status: &str| wanted.iter().filter(|r| r["status"] == status).count() as u64;
        assert_eq!(report["accepted"], count("accepted"), "{sample}");
        assert_eq!(report["rejected"], count("rejected"), "{sample}");
        assert_eq!(report["duplicates"], count("duplicate"), "{sample}");
        for (row, want) in rows.iter().zip(wanted) {
            for key in [
                "row",
                "status",
                "full_name",
                "birth_year",
                "gender",
                "national_id",
                "address",
                "khu_pho",
                "ward",
                "category",
                "category_kind",
                "amount",
                "note",
                "household_code",
                "household_size",
            ] {
                assert_eq!(row[key], want[key], "{sample} row {}: {key}", want["row"]);
            }
            for issue in row["issues"].as_array().unwrap() {
                assert!(issue["field"].is_string());
                assert!(matches!(
                    issue["severity"].as_str(),
                    Some("error" | "warning")
                ));
                assert!(!issue["message"].as_str().unwrap().is_empty());
            }
        }
    }
}

#[tokio::test]
async fn chamlo_import_commits_once_and_says_so_the_second_time() {
    let app = TestApp::spawn().await;
    district_campaign(&app, 2021).await;
    let path = sample_path("02-tang-nhon-phu-a-ho-ngheo.xlsx");
    let args = [
        "import",
        path.to_str().unwrap(),
        "--ward",
        "tang nhon phu a",
        "--campaign",
        "tet-2021",
        "--json",
    ];
    let first = run_chamlo(&app, &args, &[]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let report: Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(report["ward_source"], "argument");
    assert_eq!(report["committed"][0]["already_imported"], false);
    let stored = entry::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(stored, report["accepted"].as_u64().unwrap());

    let second = run_chamlo(&app, &args[..args.len() - 1], &[]);
    assert_eq!(second.status.code(), Some(0));
    let text = String::from_utf8_lossy(&second.stdout);
    assert!(text.contains("đã được nhập"), "{text}");
    assert_eq!(entry::Entity::find().count(&app.db).await.unwrap(), stored);
}

#[tokio::test]
async fn chamlo_import_writes_the_annotated_copy_with_every_problem() {
    let app = TestApp::spawn().await;
    let out = std::env::temp_dir().join(format!("annotated-{}.xlsx", std::process::id()));
    let path = sample_path("06-phuoc-binh-nhieu-loi.xlsx");
    let output = run_chamlo(
        &app,
        &[
            "import",
            path.to_str().unwrap(),
            "--dry-run",
            "--annotated",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    use calamine::{Reader, open_workbook_auto};
    let mut workbook = open_workbook_auto(&out).expect("an xlsx");
    let sheet = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&sheet).unwrap();
    let _ = std::fs::remove_file(&out);
    let (first_row, first_col) = range.start().unwrap();
    // `row` is the sheet's own 1-based number, `col` the 0-based column.
    let text = |row: usize, col: usize| {
        range
            .get((row - 1 - first_row as usize, col - first_col as usize))
            .map(|c| c.to_string())
            .unwrap_or_default()
    };
    let width = range.end().unwrap().1 as usize;
    let (status_col, problems_col) = (width - 1, width);
    let header_row = 6;
    assert_eq!(text(header_row, status_col), "Trạng thái nhập");
    assert_eq!(text(header_row, problems_col), "Lỗi và cảnh báo");
    let bytes = std::fs::read(path).unwrap();
    // Without a campaign the command checks birth years against the current year.
    let year = chrono::Datelike::year(&chrono::Local::now());
    let setup = load_import_setup(&app.db, year).await.unwrap();
    let parsed = read_ward_file("06.xlsx", &bytes, &setup.context).unwrap();
    for row in &parsed.rows {
        let r = row.row as usize;
        let expected = match row.status {
            RowStatus::Accepted => "Hợp lệ",
            RowStatus::Rejected => "Bị loại",
            RowStatus::Duplicate => "Trùng",
        };
        assert_eq!(text(r, status_col), expected, "row {r}");
        for issue in &row.issues {
            assert!(text(r, problems_col).contains(&issue.message), "row {r}");
        }
        // The original cells are kept.
        if let Some(name) = &row.full_name {
            let original = text(r, 1);
            assert!(!original.is_empty(), "row {r}: {name}");
        }
    }
}

#[tokio::test]
async fn chamlo_import_exits_2_with_one_line_for_a_file_it_cannot_read() {
    let app = TestApp::spawn().await;
    let path = std::env::temp_dir().join(format!("not-a-sheet-{}.xlsx", std::process::id()));
    std::fs::write(&path, "Họ và tên,Năm sinh\nNguyễn Văn An,1950\n").unwrap();
    let output = run_chamlo(&app, &["import", path.to_str().unwrap(), "--json"], &[]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("Excel"), "{stderr}");
}
