//! Signing sheets, the all-wards workbook and the reports, filled from a campaign whose lists
//! were imported from the sample ward files, read back with calamine.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};
use chamlo::domain::audit::Actor;
use chamlo::domain::campaigns::{NewCampaign, RequestedUnit, create_campaign};
use chamlo::domain::exports::{export_report, export_signing_sheets, find_program, find_ward};
use chamlo::domain::import_check::{check_against_campaign, load_import_setup};
use chamlo::domain::import_commit::{FileMeta, commit_import};
use chamlo::domain::operator::Operator;
use chamlo::domain::scope::UnitScope;
use chamlo::domain::ward_lists::{ListAction, transition_list};
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::entities::{audit_event, campaign, category, entry, gift_program, person, ward_list};
use chamlo::error::AppError;
use chamlo::import::read_ward_file;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};

use crate::cli::run_chamlo;
use crate::helpers::TestApp;

/// The day the tests say the figures are taken.
pub fn tet_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2021, 2, 12).expect("a date")
}

/// A campaign of Quận 9 for Tết Tân Sửu 2021, with its default program.
pub async fn campaign_2021(app: &TestApp) -> campaign::Model {
    let district = app.unit(UnitLevel::District, "Quận 9").await;
    create_campaign(
        &app.db,
        &Operator::system("test"),
        NewCampaign {
            year: 2021,
            title: None,
            unit: Some(RequestedUnit::Id(district.id)),
        },
    )
    .await
    .expect("campaign created")
}

/// Imports a file of import-samples/ into the campaign the way the upload does.
pub async fn import_sample(app: &TestApp, campaign: &campaign::Model, file: &str) {
    let path = format!("{}/import-samples/{file}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("sample file");
    let setup = load_import_setup(&app.db, 2021).await.expect("setup");
    let mut parsed = read_ward_file(file, &bytes, &setup.context).expect("sample reads");
    let former = check_against_campaign(&app.db, campaign, &mut parsed, None, &UnitScope::All)
        .await
        .expect("checked");
    let sha = format!("{:x}", Sha256::digest(&bytes));
    commit_import(
        &app.db,
        &Actor::system("test"),
        campaign,
        &parsed,
        &former,
        FileMeta {
            file_name: file,
            sha256: &sha,
            size_bytes: bytes.len() as i64,
        },
    )
    .await
    .expect("committed");
}

/// Submits and approves every list of the campaign.
pub async fn approve_all(app: &TestApp, campaign: &campaign::Model) {
    let operator = Operator::system("test");
    let lists = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .all(&app.db)
        .await
        .expect("lists");
    for list in lists {
        for action in [ListAction::Submit, ListAction::Approve] {
            transition_list(&app.db, &operator, campaign, list.ward_id, action, None)
                .await
                .expect("list moves on");
        }
    }
}

/// The campaign's default program.
pub async fn default_program(app: &TestApp, campaign: &campaign::Model) -> gift_program::Model {
    find_program(&app.db, campaign, None)
        .await
        .expect("a program")
}

/// Every sheet of a workbook with its cells.
pub fn read_sheets(bytes: &[u8]) -> Vec<(String, Range<Data>)> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    workbook
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).expect("sheet");
            (name, range)
        })
        .collect()
}

/// A cell by absolute position.
pub fn at(range: &Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

/// A cell as a number (numbers, and cached formula results however calamine reads them).
pub fn number(cell: &Data) -> Option<f64> {
    match cell {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        Data::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A cell as text.
pub fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The header row of a signing sheet and its columns by header text.
pub fn header(range: &Range<Data>) -> (u32, HashMap<String, u32>) {
    for row in 0..range.height() as u32 {
        let cells: HashMap<String, u32> = (0..range.width() as u32)
            .filter_map(|col| match at(range, row, col) {
                Data::String(s) => Some((s, col)),
                _ => None,
            })
            .collect();
        if cells.contains_key("Mã dòng") && cells.contains_key("Ký nhận") {
            return (row, cells);
        }
    }
    panic!("no header row");
}

/// A person's row of a signing sheet.
#[derive(Debug, Clone)]
pub struct PrintedRow {
    /// 0-based row.
    pub row: u32,
    /// The entry id in "Mã dòng".
    pub entry_id: i32,
    /// "Họ và tên".
    pub name: String,
    /// "Số tiền (đồng)".
    pub amount: i64,
    /// "Đối tượng".
    pub category: String,
}

/// The people's rows of a signing sheet, top to bottom.
pub fn printed_rows(range: &Range<Data>) -> Vec<PrintedRow> {
    let (header_row, cols) = header(range);
    let col = |name: &str| cols[name];
    let mut rows = Vec::new();
    for row in header_row + 1..range.height() as u32 {
        let id = at(range, row, col("Mã dòng"));
        let Some(entry_id) = number(&id) else {
            continue;
        };
        rows.push(PrintedRow {
            row,
            entry_id: entry_id as i32,
            name: text(&at(range, row, col("Họ và tên"))),
            amount: number(&at(range, row, col("Số tiền (đồng)"))).expect("amount") as i64,
            category: text(&at(range, row, col("Đối tượng"))),
        });
    }
    rows
}

/// The row labelled `label` in column B and its amount.
fn total_of(range: &Range<Data>, label: &str) -> (String, f64) {
    let (_, cols) = header(range);
    for row in 0..range.height() as u32 {
        if at(range, row, 1) == Data::String(label.into()) {
            let people = text(&at(range, row, 2));
            let money = number(&at(range, row, cols["Số tiền (đồng)"])).expect("money");
            return (people, money);
        }
    }
    panic!("no {label} row");
}

/// Every text part of the .xlsx zip, concatenated: what "appears in the bytes".
pub fn xml_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("zip");
    let mut all = String::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("part");
        let mut part = String::new();
        if file.read_to_string(&mut part).is_ok() {
            all.push_str(&part);
        }
    }
    all
}

/// The non-sensitive entries of the ward's list for the program, by id.
async fn printable_entries(
    app: &TestApp,
    campaign: &campaign::Model,
    ward_id: i32,
    program_id: i32,
) -> BTreeMap<i32, entry::Model> {
    let sensitive: Vec<i32> = category::Entity::find()
        .filter(category::Column::Sensitive.eq(true))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .filter(entry::Column::WardId.eq(ward_id))
        .filter(entry::Column::ProgramId.eq(program_id))
        .filter(entry::Column::CategoryId.is_not_in(sensitive))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e))
        .collect()
}

#[tokio::test]
async fn a_wards_signing_sheet_prints_its_list_from_the_database() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    let program = default_program(&app, &campaign).await;
    let hiep_phu = find_ward(&app.db, "hiep phu").await.unwrap();
    let operator = Operator::system("test");

    let file = export_signing_sheets(&app.db, &operator, &campaign, Some(&hiep_phu), &program)
        .await
        .expect("exported");
    assert_eq!(
        file.file_name,
        "ky-nhan-tet-2021-phuong-hiep-phu-qua-tet-tan-suu-2021.xlsx"
    );
    let sheets = read_sheets(&file.bytes);
    assert_eq!(sheets.len(), 1);
    let (name, r) = &sheets[0];
    assert_eq!(name, "Phường Hiệp Phú");
    assert_eq!(at(r, 0, 0), Data::String("ỦY BAN NHÂN DÂN QUẬN 9".into()));
    assert_eq!(
        at(r, 1, 0),
        Data::String("ỦY BAN NHÂN DÂN PHƯỜNG HIỆP PHÚ".into())
    );
    assert_eq!(
        at(r, 3, 0),
        Data::String("DANH SÁCH KÝ NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021 (DỰ THẢO)".into())
    );
    assert_eq!(
        at(r, 4, 0),
        Data::String("Chương trình: Quà Tết Tân Sửu 2021".into())
    );
    assert_eq!(
        at(r, 5, 0),
        Data::String("Nguồn kinh phí: Ngân sách quận".into())
    );

    // Every entry of the list once, with its name and amount; the total is their sum.
    let stored = printable_entries(&app, &campaign, hiep_phu.id, program.id).await;
    assert_eq!(stored.len(), 12);
    let printed = printed_rows(r);
    assert_eq!(printed.len(), 12);
    let people: HashMap<i32, String> = person::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let categories: HashMap<i32, String> = category::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    for row in &printed {
        let entry = &stored[&row.entry_id];
        assert_eq!(row.amount, entry.amount, "{}", row.name);
        assert_eq!(row.name, people[&entry.person_id]);
        assert_eq!(row.category, categories[&entry.category_id]);
    }
    let ids: std::collections::BTreeSet<i32> = printed.iter().map(|r| r.entry_id).collect();
    assert_eq!(ids.len(), 12);
    assert!(ids.iter().eq(stored.keys()));
    let sum: i64 = stored.values().map(|e| e.amount).sum();
    assert!(sum > 0);
    let (people_label, money) = total_of(r, "Tổng cộng");
    assert_eq!(people_label, "Số người: 12");
    assert_eq!(money, sum as f64);
    assert!(xml_text(&file.bytes).contains("Bằng chữ: "));

    // Audited: who exported which ward and program.
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("export.signing_sheet"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor_name, "test");
    assert_eq!(events[0].unit_id, Some(hiep_phu.id));
    assert_eq!(events[0].entity_id, Some(campaign.id.to_string()));
    let after: serde_json::Value =
        serde_json::from_str(events[0].after_json.as_deref().unwrap()).unwrap();
    assert_eq!(after["ward_ids"], serde_json::json!([hiep_phu.id]));
    assert_eq!(after["program_id"], serde_json::json!(program.id));
    assert_eq!(after["entries"], serde_json::json!(12));

    // Approved, the draft mark goes.
    approve_all(&app, &campaign).await;
    let file = export_signing_sheets(&app.db, &operator, &campaign, Some(&hiep_phu), &program)
        .await
        .expect("exported");
    let sheets = read_sheets(&file.bytes);
    assert_eq!(
        at(&sheets[0].1, 3, 0),
        Data::String("DANH SÁCH KÝ NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021".into())
    );
    assert!(!xml_text(&file.bytes).contains("DỰ THẢO"));
}

#[tokio::test]
async fn the_all_wards_workbook_has_a_summary_and_a_sheet_per_ward_with_people() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    import_sample(&app, &campaign, "05-quan-9-toan-quan.xlsx").await;
    let program = default_program(&app, &campaign).await;

    let file = export_signing_sheets(
        &app.db,
        &Operator::system("test"),
        &campaign,
        None,
        &program,
    )
    .await
    .expect("exported");
    let sheets = read_sheets(&file.bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    // Ward code order; Long Thạnh Mỹ's only entry is sensitive, so it has no sheet.
    assert_eq!(
        names,
        [
            "Tổng hợp",
            "Phường Long Bình",
            "Phường Tân Phú",
            "Phường Hiệp Phú",
            "Phường Tăng Nhơn Phú A",
            "Phường Tăng Nhơn Phú B",
            "Phường Phước Long B",
            "Phường Phước Long A",
            "Phường Trường Thạnh",
            "Phường Long Phước",
            "Phường Long Trường",
            "Phường Phước Bình",
            "Phường Phú Hữu",
        ]
    );
    assert_eq!(file.sheets, 12);

    let mut grand_people = 0;
    let mut grand_money = 0;
    for (name, r) in &sheets[1..] {
        let ward = find_ward(&app.db, name).await.unwrap();
        let stored = printable_entries(&app, &campaign, ward.id, program.id).await;
        let printed = printed_rows(r);
        assert_eq!(printed.len(), stored.len(), "{name}");
        for row in &printed {
            assert_eq!(row.amount, stored[&row.entry_id].amount, "{name}");
        }
        let money: i64 = stored.values().map(|e| e.amount).sum();
        assert_eq!(total_of(r, "Tổng cộng").1, money as f64, "{name}");
        grand_people += stored.len();
        grand_money += money;
    }
    assert_eq!(file.entries, grand_people);
    assert!(grand_people >= 12 + 11);

    // The summary's total row: people and money over every ward.
    let (_, summary) = &sheets[0];
    let total_row = (0..summary.height() as u32)
        .find(|row| at(summary, *row, 1) == Data::String("Tổng cộng".into()))
        .expect("total row");
    assert_eq!(
        number(&at(summary, total_row, 2)),
        Some(grand_people as f64)
    );
    assert_eq!(number(&at(summary, total_row, 3)), Some(grand_money as f64));
}

#[tokio::test]
async fn a_sensitive_entry_never_appears_in_any_export() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "05-quan-9-toan-quan.xlsx").await;
    let program = default_program(&app, &campaign).await;
    let hiv = category::Entity::find()
        .filter(category::Column::Code.eq("HIV"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the HIV category");
    assert!(hiv.sensitive);
    let stored = entry::Entity::find()
        .filter(entry::Column::CategoryId.eq(hiv.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the sample's HIV entry is stored");
    let person = person::Entity::find_by_id(stored.person_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.full_name, "Võ Thị Kim");
    let ward = chamlo::entities::unit::Entity::find_by_id(stored.ward_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    let operator = Operator::system("test");
    let own_ward = export_signing_sheets(&app.db, &operator, &campaign, Some(&ward), &program)
        .await
        .expect("the ward's sheet");
    let all_wards = export_signing_sheets(&app.db, &operator, &campaign, None, &program)
        .await
        .expect("all wards");
    let report = export_report(&app.db, &operator, &campaign, tet_day())
        .await
        .expect("report");
    for (what, bytes) in [
        ("ward sheet", &own_ward.bytes),
        ("all wards", &all_wards.bytes),
        ("report", &report.bytes),
    ] {
        let xml = xml_text(bytes);
        assert!(!xml.contains("Võ Thị Kim"), "{what}");
        assert!(!xml.contains("HIV"), "{what}");
        assert!(!xml.contains(&hiv.name), "{what}");
        if let Some(id) = &person.national_id {
            assert!(!xml.contains(id.as_str()), "{what}");
        }
        for (_, range) in read_sheets(bytes) {
            for cell in range.used_cells() {
                let t = text(cell.2);
                assert!(
                    !t.contains("Võ Thị Kim") && !t.contains("HIV"),
                    "{what}: {t}"
                );
            }
        }
    }
    for (_, range) in &read_sheets(&all_wards.bytes)[1..] {
        assert!(printed_rows(range).iter().all(|r| r.entry_id != stored.id));
    }
    // The ward's own sheet is printed with nobody on it.
    let sheets = read_sheets(&own_ward.bytes);
    assert!(printed_rows(&sheets[0].1).is_empty());
    assert_eq!(total_of(&sheets[0].1, "Tổng cộng").0, "Số người: 0");
    assert_eq!(own_ward.entries, 0);
}

#[tokio::test]
async fn the_report_counts_planned_received_and_remaining_from_the_database() {
    use chamlo::domain::distribution::{Distribution, record_distribution};
    use chamlo::entities::states::NotReceivedReason;
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    import_sample(&app, &campaign, "02-tang-nhon-phu-a-ho-ngheo.xlsx").await;
    approve_all(&app, &campaign).await;
    let operator = Operator::system("test");
    let entries = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .order_by_asc(entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let planned: i64 = entries.iter().map(|e| e.amount).sum();
    let received = [entries[0].id, entries[1].id, entries[15].id];
    let received_money: i64 = [0, 1, 15].iter().map(|i| entries[*i].amount).sum();
    record_distribution(
        &app.db,
        &operator,
        &received,
        &Distribution::Received {
            date: tet_day(),
            proxy: None,
        },
    )
    .await
    .unwrap();
    record_distribution(
        &app.db,
        &operator,
        &[entries[2].id],
        &Distribution::NotReceived {
            reason: NotReceivedReason::Deceased,
            note: None,
        },
    )
    .await
    .unwrap();
    let not_received_money = entries[2].amount;

    let file = export_report(&app.db, &operator, &campaign, tet_day())
        .await
        .expect("report");
    assert_eq!(file.file_name, "bao-cao-tet-2021.xlsx");
    assert_eq!(file.entries, entries.len());
    let sheets = read_sheets(&file.bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Theo phường",
            "Theo nguồn kinh phí",
            "Quyết toán",
            "Quyết toán chi trả"
        ]
    );

    let (_, r) = &sheets[0];
    assert_eq!(
        at(r, 4, 0),
        Data::String("Theo phường, đối tượng và chương trình – Số liệu đến ngày 12/02/2021".into())
    );
    let expected = [
        entries.len() as f64,
        planned as f64,
        3.0,
        received_money as f64,
        1.0,
        not_received_money as f64,
        (entries.len() - 4) as f64,
        (planned - received_money - not_received_money) as f64,
    ];
    let total_row = |r: &Range<Data>| {
        (0..r.height() as u32)
            .find(|row| at(r, *row, 0) == Data::String("Tổng cộng".into()))
            .expect("total row")
    };
    let row = total_row(r);
    for (i, v) in expected.iter().enumerate() {
        assert_eq!(
            number(&at(r, row, 4 + i as u32)),
            Some(*v),
            "by ward, col {i}"
        );
    }
    // Both wards have their subtotal row.
    let labels: Vec<String> = (0..r.height() as u32)
        .map(|row| text(&at(r, row, 0)))
        .collect();
    assert!(labels.contains(&"Cộng Phường Hiệp Phú".to_owned()));
    assert!(labels.contains(&"Cộng Phường Tăng Nhơn Phú A".to_owned()));

    let (_, r) = &sheets[1];
    assert_eq!(at(r, 8, 1), Data::String("Ngân sách quận".into()));
    let row = total_row(r);
    for (i, v) in expected.iter().enumerate() {
        assert_eq!(
            number(&at(r, row, 3 + i as u32)),
            Some(*v),
            "by source, col {i}"
        );
    }
    let (_, r) = &sheets[2];
    assert_eq!(at(r, 8, 1), Data::String("Quà Tết Tân Sửu 2021".into()));
    let row = total_row(r);
    for (i, v) in expected.iter().enumerate() {
        assert_eq!(
            number(&at(r, row, 4 + i as u32)),
            Some(*v),
            "reconciliation, col {i}"
        );
    }

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("export.report"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
}

#[tokio::test]
async fn a_ward_officer_cannot_export_another_ward() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    import_sample(&app, &campaign, "02-tang-nhon-phu-a-ho-ngheo.xlsx").await;
    let program = default_program(&app, &campaign).await;
    let officer = app
        .create_user(
            "canbo.tnpa",
            Role::Ward,
            Some((UnitLevel::Ward, "Tăng Nhơn Phú A")),
        )
        .await;
    let operator = Operator::for_user(&app.db, &officer).await.unwrap();
    let hiep_phu = find_ward(&app.db, "Hiệp Phú").await.unwrap();

    let refused =
        export_signing_sheets(&app.db, &operator, &campaign, Some(&hiep_phu), &program).await;
    assert!(
        matches!(refused, Err(AppError::Forbidden(_))),
        "{refused:?}"
    );

    // "All wards" is all of their wards: their own only.
    let file = export_signing_sheets(&app.db, &operator, &campaign, None, &program)
        .await
        .expect("own wards");
    let sheets = read_sheets(&file.bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Tổng hợp", "Phường Tăng Nhơn Phú A"]);
    assert!(!xml_text(&file.bytes).contains("Hiệp Phú"));

    let report = export_report(&app.db, &operator, &campaign, tet_day())
        .await
        .expect("report");
    let xml = xml_text(&report.bytes);
    assert!(xml.contains("Phường Tăng Nhơn Phú A"));
    assert!(!xml.contains("Hiệp Phú"));

    // Nothing was exported, nothing audited, for the refusal; the others were audited as theirs.
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ActorUserId.eq(officer.id))
        .all(&app.db)
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["export.signing_sheet", "export.report"]);
}

#[tokio::test]
async fn a_program_is_found_by_id_or_name_and_an_unknown_one_is_refused() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    let program = default_program(&app, &campaign).await;
    let by_name = find_program(&app.db, &campaign, Some("qua tet TAN SUU 2021"))
        .await
        .unwrap();
    assert_eq!(by_name.id, program.id);
    let by_id = find_program(&app.db, &campaign, Some(&program.id.to_string()))
        .await
        .unwrap();
    assert_eq!(by_id.id, program.id);
    let missing = find_program(&app.db, &campaign, Some("Quà của Chủ tịch nước")).await;
    assert!(matches!(missing, Err(AppError::NotFound(m)) if m.contains("Quà của Chủ tịch nước")));
}

#[tokio::test]
async fn export_and_report_commands_write_the_workbooks() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    let dir = temp_dir();
    let sheet = dir.join("sheet.xlsx");
    let output = run_chamlo(
        &app,
        &[
            "export",
            "--campaign",
            "tet-2021",
            "--ward",
            "HIEP PHU",
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
    let bytes = std::fs::read(&sheet).unwrap();
    assert_eq!(printed_rows(&read_sheets(&bytes)[0].1).len(), 12);

    let all = dir.join("all.xlsx");
    let output = run_chamlo(
        &app,
        &[
            "export",
            "--campaign",
            "tet-2021",
            "--program",
            "Quà Tết Tân Sửu 2021",
            "--out",
            all.to_str().unwrap(),
        ],
        &[],
    );
    assert!(output.status.success());
    let names: Vec<String> = read_sheets(&std::fs::read(&all).unwrap())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["Tổng hợp", "Phường Hiệp Phú"]);

    let report = dir.join("report.xlsx");
    let output = run_chamlo(
        &app,
        &[
            "report",
            "--campaign",
            "tet-2021",
            "--out",
            report.to_str().unwrap(),
        ],
        &[],
    );
    assert!(output.status.success());
    assert_eq!(read_sheets(&std::fs::read(&report).unwrap()).len(), 4);

    // An unknown ward: a Vietnamese message, exit status 1, no file.
    let nowhere = dir.join("nowhere.xlsx");
    let output = run_chamlo(
        &app,
        &[
            "export",
            "--campaign",
            "tet-2021",
            "--ward",
            "Bến Nghé",
            "--out",
            nowhere.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Không tìm thấy phường “Bến Nghé”"));
    assert!(!nowhere.exists());

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::ActorName.eq("cli"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 3);
    let _ = std::fs::remove_dir_all(dir);
}

/// A fresh directory under the system's temporary directory.
pub fn temp_dir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "chamlo-export-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    dir
}
