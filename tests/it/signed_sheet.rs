//! The round trip: a signing sheet exported from the database, filled in as a ward fills it
//! ("x", proxy names) in a copy written by rust_xlsxwriter from the cells calamine reads,
//! and applied back: entries change exactly as marked, and every row that does not fit is
//! reported, never guessed.

use std::collections::HashMap;

use calamine::{Data, Range};
use chamlo::domain::distribution::{Distribution, record_distribution};
use chamlo::domain::exports::{export_signing_sheets, find_ward};
use chamlo::domain::operator::Operator;
use chamlo::domain::signed_sheet_apply::{SheetTarget, SignedSheetReport, apply_signed_workbook};
use chamlo::entities::states::{EntryStatus, NotReceivedReason, Role, UnitLevel};
use chamlo::entities::{audit_event, campaign, entry};
use chamlo::error::AppError;
use rust_xlsxwriter::{Workbook, Worksheet};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::cli::run_chamlo;
use crate::exports::{
    PrintedRow, approve_all, campaign_2021, default_program, header, import_sample, printed_rows,
    read_sheets, temp_dir,
};
use crate::helpers::TestApp;

/// The day the sheets say the gifts were handed out.
fn handed_out() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2021, 2, 5).expect("a date")
}

/// A copy of an exported workbook as a ward returns it: every cell copied with its type,
/// the "Ký nhận" cell of the entries in `marks` filled in, then `edit` for anything else.
pub fn fill_in(
    bytes: &[u8],
    marks: &HashMap<i32, &str>,
    edit: impl Fn(&mut Worksheet, &str, &Range<Data>),
) -> Vec<u8> {
    let mut out = Workbook::new();
    for (name, range) in read_sheets(bytes) {
        let ws = out.add_worksheet();
        ws.set_name(&name).expect("sheet name");
        let (row0, col0) = range.start().unwrap_or((0, 0));
        for (r, c, cell) in range.cells() {
            let (r, c) = (row0 + r as u32, (col0 as usize + c) as u16);
            match cell {
                Data::String(t) => ws.write_string(r, c, t),
                Data::Float(f) => ws.write_number(r, c, *f),
                Data::Int(i) => ws.write_number(r, c, *i as f64),
                Data::Empty => continue,
                other => ws.write_string(r, c, other.to_string()),
            }
            .expect("copied");
        }
        if name != "Tổng hợp" {
            let (_, cols) = header(&range);
            for row in printed_rows(&range) {
                if let Some(mark) = marks.get(&row.entry_id) {
                    ws.write_string(row.row, cols["Ký nhận"] as u16, *mark)
                        .expect("mark");
                }
            }
        }
        edit(ws, &name, &range);
    }
    out.save_to_buffer().expect("saved")
}

/// Exports the signing sheet of one ward of the campaign's default program.
pub async fn export_ward(app: &TestApp, campaign: &campaign::Model, ward: &str) -> Vec<u8> {
    let ward = find_ward(&app.db, ward).await.unwrap();
    let program = default_program(app, campaign).await;
    export_signing_sheets(
        &app.db,
        &Operator::system("test"),
        campaign,
        Some(&ward),
        &program,
    )
    .await
    .expect("exported")
    .bytes
}

async fn entry_by_id(app: &TestApp, id: i32) -> entry::Model {
    entry::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("entry")
}

async fn apply(
    app: &TestApp,
    operator: &Operator,
    campaign: &campaign::Model,
    bytes: Vec<u8>,
) -> Result<SignedSheetReport, AppError> {
    apply_signed_workbook(
        &app.db,
        operator,
        campaign,
        bytes,
        SheetTarget::default(),
        handed_out(),
    )
    .await
}

#[tokio::test]
async fn a_signed_sheet_records_the_distribution_exactly_and_reports_the_rest() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    approve_all(&app, &campaign).await;
    let exported = export_ward(&app, &campaign, "Hiệp Phú").await;
    let rows: Vec<PrintedRow> = printed_rows(&read_sheets(&exported)[0].1);
    assert_eq!(rows.len(), 12);
    let id = |i: usize| rows[i].entry_id;

    let marks = HashMap::from([
        (id(0), "x"),
        (id(1), "Trần Văn Bình - con"),
        (id(2), "Lê Thị Hoa (vợ)"),
        (id(3), "?"),
        (id(4), "Phạm Văn Tư"),
        (id(6), "x"),
        (id(7), "X"),
        (id(8), "x"),
    ]);
    let (_, cols) = header(&read_sheets(&exported)[0].1);
    let id_col = cols["Mã dòng"] as u16;
    let (row6, row8) = (rows[6].row, rows[8].row);
    let id7 = id(7);
    let last_row = rows[11].row;
    let filled = fill_in(&exported, &marks, |ws, _, _| {
        // An id typed over, an id copied onto another row, and a row added by hand.
        ws.write_string(row6, id_col, "999999").unwrap();
        ws.write_string(row8, id_col, id7.to_string()).unwrap();
        ws.write_number(last_row + 1, 0, 99).unwrap();
        ws.write_string(last_row + 1, 1, "Người Thêm Tay").unwrap();
        ws.write_string(last_row + 1, cols["Ký nhận"] as u16, "x")
            .unwrap();
    });
    let report = apply(&app, &Operator::system("test"), &campaign, filled.clone())
        .await
        .expect("applied");
    assert_eq!(report.rows, 13);
    assert_eq!(report.received_by_self, 1);
    assert_eq!(report.received_by_proxy, 2);
    assert_eq!(report.already_recorded, 0);
    assert_eq!(report.not_marked, 4, "{report:#?}");
    let problem_rows: Vec<(u32, Option<i64>)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.entry_id))
        .collect();
    assert_eq!(
        problem_rows,
        [
            (rows[3].row + 1, Some(i64::from(id(3)))),
            (rows[4].row + 1, Some(i64::from(id(4)))),
            (row6 + 1, Some(999_999)),
            (rows[7].row + 1, Some(i64::from(id7))),
            (row8 + 1, Some(i64::from(id7))),
            (last_row + 2, None),
        ]
    );
    let messages: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(messages[0].contains("“?”"), "{}", messages[0]);
    assert!(messages[1].contains("thiếu quan hệ"), "{}", messages[1]);
    assert!(messages[2].contains("999999"), "{}", messages[2]);
    assert!(messages[3].contains("nhiều dòng"), "{}", messages[3]);
    assert!(messages[5].contains("Mã dòng"), "{}", messages[5]);
    assert_eq!(report.problems[5].name, "Người Thêm Tay");
    assert!(report.summary().starts_with("Đã đọc 13 dòng"));

    // Exactly the three marked entries changed, as marked.
    let by_self = entry_by_id(&app, id(0)).await;
    assert_eq!(by_self.status, EntryStatus::Received);
    assert_eq!(by_self.received_date, Some(handed_out()));
    assert_eq!(by_self.receiver_name, None);
    let proxy = entry_by_id(&app, id(1)).await;
    assert_eq!(proxy.status, EntryStatus::Received);
    assert_eq!(proxy.received_date, Some(handed_out()));
    assert_eq!(proxy.receiver_name.as_deref(), Some("Trần Văn Bình"));
    assert_eq!(proxy.receiver_relationship.as_deref(), Some("con"));
    let bracketed = entry_by_id(&app, id(2)).await;
    assert_eq!(bracketed.receiver_name.as_deref(), Some("Lê Thị Hoa"));
    assert_eq!(bracketed.receiver_relationship.as_deref(), Some("vợ"));
    let received: Vec<i32> = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .filter(entry::Column::Status.ne(EntryStatus::Pending))
        .order_by_asc(entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut expected = vec![id(0), id(1), id(2)];
    expected.sort_unstable();
    assert_eq!(received, expected);

    let audited = |action: &'static str| {
        let db = app.db.clone();
        async move {
            audit_event::Entity::find()
                .filter(audit_event::Column::Action.eq(action))
                .all(&db)
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(audited("distribution.received").await, 3);
    assert_eq!(audited("distribution.signed_sheet").await, 1);

    // The same sheet again changes nothing.
    let again = apply(&app, &Operator::system("test"), &campaign, filled)
        .await
        .expect("applied again");
    assert_eq!(again.received_by_self + again.received_by_proxy, 0);
    assert_eq!(again.already_recorded, 3);
    assert_eq!(again.problems.len(), 6);
    assert_eq!(entry_by_id(&app, id(1)).await, proxy);
    assert_eq!(audited("distribution.received").await, 3);
    assert_eq!(audited("distribution.signed_sheet").await, 2);
}

#[tokio::test]
async fn rows_of_another_ward_or_already_recorded_differently_are_reported_and_left_alone() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    import_sample(&app, &campaign, "02-tang-nhon-phu-a-ho-ngheo.xlsx").await;
    approve_all(&app, &campaign).await;
    let hiep_phu = export_ward(&app, &campaign, "Hiệp Phú").await;
    let rows = printed_rows(&read_sheets(&hiep_phu)[0].1);
    let other =
        printed_rows(&read_sheets(&export_ward(&app, &campaign, "Tăng Nhơn Phú A").await)[0].1);
    let foreign = other[0].entry_id;

    let operator = Operator::system("test");
    record_distribution(
        &app.db,
        &operator,
        &[rows[1].entry_id],
        &Distribution::NotReceived {
            reason: NotReceivedReason::Absent,
            note: None,
        },
    )
    .await
    .unwrap();
    let absent_before = entry_by_id(&app, rows[1].entry_id).await;

    let (_, cols) = header(&read_sheets(&hiep_phu)[0].1);
    let id_col = cols["Mã dòng"] as u16;
    let row0 = rows[0].row;
    let filled = fill_in(
        &hiep_phu,
        &HashMap::from([
            (rows[0].entry_id, "x"),
            (rows[1].entry_id, "x"),
            (rows[2].entry_id, "x"),
        ]),
        |ws, _, _| {
            // A row of another ward pasted over the first one.
            ws.write_string(row0, id_col, foreign.to_string()).unwrap();
        },
    );

    // A ward officer of Tăng Nhơn Phú A may touch none of Hiệp Phú's rows.
    let officer = app
        .operator(
            "canbo.tnpa",
            Role::Ward,
            Some((UnitLevel::Ward, "Tăng Nhơn Phú A")),
        )
        .await;
    let refused = apply(&app, &officer, &campaign, filled.clone())
        .await
        .expect("read");
    assert_eq!(refused.received_by_self, 0);
    // Every row is reported, marked or not: the sheet is not theirs to return.
    assert_eq!(refused.problems.len(), 12, "{refused:#?}");
    assert!(
        refused.problems[0]
            .message
            .contains("không phải của Phường Hiệp Phú")
    );
    assert!(
        refused.problems[1..]
            .iter()
            .all(|p| p.message.contains("ngoài phạm vi"))
    );

    let report = apply(&app, &operator, &campaign, filled)
        .await
        .expect("applied");
    assert_eq!(report.received_by_self, 1);
    assert_eq!(report.problems.len(), 2, "{report:#?}");
    assert_eq!(report.problems[0].entry_id, Some(i64::from(foreign)));
    assert!(
        report.problems[0]
            .message
            .contains("thuộc danh sách của Phường Tăng Nhơn Phú A"),
        "{}",
        report.problems[0].message
    );
    assert!(
        report.problems[1].message.contains("không nhận (Vắng mặt)"),
        "{}",
        report.problems[1].message
    );
    assert_eq!(
        entry_by_id(&app, foreign).await.status,
        EntryStatus::Pending
    );
    assert_eq!(
        entry_by_id(&app, rows[0].entry_id).await.status,
        EntryStatus::Pending
    );
    assert_eq!(entry_by_id(&app, rows[1].entry_id).await, absent_before);
    assert_eq!(
        entry_by_id(&app, rows[2].entry_id).await.status,
        EntryStatus::Received
    );
}

#[tokio::test]
async fn a_sheet_of_a_list_not_yet_approved_records_nothing() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    let exported = export_ward(&app, &campaign, "Hiệp Phú").await;
    let rows = printed_rows(&read_sheets(&exported)[0].1);
    let marks: HashMap<i32, &str> = rows.iter().map(|r| (r.entry_id, "x")).collect();
    let report = apply(
        &app,
        &Operator::system("test"),
        &campaign,
        fill_in(&exported, &marks, |_, _, _| {}),
    )
    .await
    .expect("read");
    assert_eq!(report.received_by_self, 0);
    assert_eq!(report.problems.len(), 12);
    assert!(report.problems[0].message.contains("chưa được duyệt"));
    let pending = entry::Entity::find()
        .filter(entry::Column::Status.eq(EntryStatus::Pending))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(pending.len(), 12);
}

#[tokio::test]
async fn the_all_wards_workbook_comes_back_sheet_by_sheet() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    import_sample(&app, &campaign, "02-tang-nhon-phu-a-ho-ngheo.xlsx").await;
    approve_all(&app, &campaign).await;
    let program = default_program(&app, &campaign).await;
    let exported = export_signing_sheets(
        &app.db,
        &Operator::system("test"),
        &campaign,
        None,
        &program,
    )
    .await
    .unwrap()
    .bytes;
    let sheets = read_sheets(&exported);
    let first_hp = printed_rows(&sheets[1].1)[0].entry_id;
    let first_tnpa = printed_rows(&sheets[2].1)[0].entry_id;
    let filled = fill_in(
        &exported,
        &HashMap::from([(first_hp, "x"), (first_tnpa, "Nguyễn Thị Lan - con dâu")]),
        |_, _, _| {},
    );
    let report = apply(&app, &Operator::system("test"), &campaign, filled)
        .await
        .expect("applied");
    assert_eq!(report.received_by_self, 1);
    assert_eq!(report.received_by_proxy, 1);
    assert!(report.problems.is_empty(), "{report:#?}");
    let lan = entry_by_id(&app, first_tnpa).await;
    assert_eq!(lan.receiver_name.as_deref(), Some("Nguyễn Thị Lan"));
    assert_eq!(lan.receiver_relationship.as_deref(), Some("con dâu"));
}

#[tokio::test]
async fn a_workbook_that_is_not_a_signing_sheet_is_refused() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    let path = format!(
        "{}/import-samples/01-hiep-phu-nguoi-co-cong.xlsx",
        env!("CARGO_MANIFEST_DIR")
    );
    let refused = apply(
        &app,
        &Operator::system("test"),
        &campaign,
        std::fs::read(path).unwrap(),
    )
    .await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(m)) if m.contains("không phải danh sách ký nhận")),
        "{refused:?}"
    );
    let garbage = apply(
        &app,
        &Operator::system("test"),
        &campaign,
        b"PK\x03\x04 not really".to_vec(),
    )
    .await;
    assert!(matches!(garbage, Err(AppError::Invalid(_))), "{garbage:?}");
}

#[tokio::test]
async fn distribute_sheet_command_applies_a_signed_sheet() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx").await;
    approve_all(&app, &campaign).await;
    let exported = export_ward(&app, &campaign, "Hiệp Phú").await;
    let rows = printed_rows(&read_sheets(&exported)[0].1);
    let dir = temp_dir();
    let clean = dir.join("signed.xlsx");
    std::fs::write(
        &clean,
        fill_in(
            &exported,
            &HashMap::from([
                (rows[0].entry_id, "x"),
                (rows[1].entry_id, "Lê Văn C - cháu"),
            ]),
            |_, _, _| {},
        ),
    )
    .unwrap();
    let output = run_chamlo(
        &app,
        &[
            "distribute-sheet",
            "--campaign",
            "tet-2021",
            "--date",
            "05/02/2021",
            "--ward",
            "hiep phu",
            clean.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 người tự nhận, 1 người"));
    let first = entry_by_id(&app, rows[0].entry_id).await;
    assert_eq!(first.status, EntryStatus::Received);
    assert_eq!(first.received_date, Some(handed_out()));

    // A sheet with a row left alone: reported on stderr, exit status 3.
    let troubled = dir.join("troubled.xlsx");
    std::fs::write(
        &troubled,
        fill_in(
            &exported,
            &HashMap::from([(rows[2].entry_id, "??")]),
            |_, _, _| {},
        ),
    )
    .unwrap();
    let output = run_chamlo(
        &app,
        &[
            "distribute-sheet",
            "--campaign",
            "tet-2021",
            troubled.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("dòng {}", rows[2].row + 1)),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
