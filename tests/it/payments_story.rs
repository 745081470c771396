//! Issue 16's "Done when", as one story on both engines: a program paid "transfer, else
//! cash"; a ward file with accounts for some people (the bank typed "VCB", "Vietcombank",
//! "NH Ngoại thương"); the transfer list made from those imported accounts, checked cell by
//! cell; the bank's result file with successes, a failure, a return, an unknown ID and a
//! wrong amount, read twice; the failures on the cash sheet; and the settlement (domain,
//! `chamlo progress --json`, the report's sheets) against figures worked out by hand.

use calamine::{Data, Range};
use chamlo::domain::distribution::{Distribution, record_distribution};
use chamlo::domain::exports::export_report;
use chamlo::domain::operator::Operator;
use chamlo::domain::payments::{
    apply_results, cash_round_sheet, make_transfer_batch, set_payment_method, settlement,
};
use chamlo::entities::payment_states::{PaymentMethod, PaymentState};
use chamlo::entities::states::{NotReceivedReason, UnitLevel};
use chamlo::entities::{entry, gift_program, payment_item, person};
use chamlo::export::transfer_list::TRANSFER_HEADER_ROW;
use chamlo::import::payment_results::read_payment_results;
use chrono::NaiveDate;
use sea_orm::{EntityTrait, QueryOrder};

use crate::cli::run_chamlo;
use crate::exports::{approve_all, default_program, read_sheets};
use crate::helpers::TestApp;
use crate::import::{district_campaign, import_bytes};

/// (name, birth year, CCCD, category, amount, account number, bank as typed, holder).
type Row = (
    &'static str,
    u32,
    &'static str,
    &'static str,
    u32,
    &'static str,
    &'static str,
    &'static str,
);

/// Tân Phú's list as a ward types it: a title block, the account columns, four people with
/// an account (Vietcombank typed three ways, and Agribank) and two without.
const PEOPLE: [Row; 6] = [
    (
        "Nguyễn Văn An",
        1950,
        "079050001234",
        "TNLS",
        600_000,
        "0071000123456",
        "VCB",
        "",
    ),
    (
        "Trần Thị Bình",
        1951,
        "079151005678",
        "TNLS",
        600_000,
        "0071000654321",
        "Vietcombank",
        "Trần Văn Bảo",
    ),
    (
        "Lê Thị Cúc",
        1952,
        "079152004321",
        "HN",
        400_000,
        "1012345678",
        "NH Ngoại thương",
        "",
    ),
    (
        "Phạm Văn Dũng",
        1953,
        "079053008765",
        "TNLS",
        600_000,
        "5100205123456",
        "Agribank",
        "",
    ),
    ("Võ Thị Em", 1954, "079154002468", "HN", 400_000, "", "", ""),
    (
        "Hoàng Văn Giang",
        1955,
        "079055001357",
        "HN",
        400_000,
        "",
        "",
        "",
    ),
];

/// The ward's file as bytes (also the browser test's).
pub(crate) fn ward_file() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write(0, 0, "UBND THÀNH PHỐ THỦ ĐỨC").unwrap();
    sheet.write(1, 0, "UBND PHƯỜNG TÂN PHÚ").unwrap();
    sheet
        .write(2, 0, "DANH SÁCH TẶNG QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021")
        .unwrap();
    let headers = [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "Số định danh",
        "Địa chỉ",
        "Đối tượng",
        "Số tiền",
        "Số tài khoản",
        "Ngân hàng",
        "Chủ tài khoản",
    ];
    for (col, header) in (0u16..).zip(headers) {
        sheet.write(4, col, header).unwrap();
    }
    for (i, (name, year, id, category, amount, number, bank, holder)) in (0u32..).zip(PEOPLE) {
        let row = 5 + i;
        sheet.write(row, 0, i + 1).unwrap();
        sheet.write(row, 1, name).unwrap();
        sheet.write(row, 2, year).unwrap();
        sheet.write(row, 3, id).unwrap();
        sheet.write(row, 4, "7 Lê Văn Việt").unwrap();
        sheet.write(row, 5, category).unwrap();
        sheet.write(row, 6, amount).unwrap();
        for (col, value) in [(7, number), (8, bank), (9, holder)] {
            if !value.is_empty() {
                sheet.write(row, col, value).unwrap();
            }
        }
    }
    sheet.write(11, 1, "Tổng cộng").unwrap();
    sheet.write(11, 6, 3_000_000).unwrap();
    workbook.save_to_buffer().unwrap()
}

fn cell(range: &Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn text(value: &str) -> Data {
    Data::String(value.to_owned())
}

fn numbers(values: &[f64]) -> Vec<Data> {
    values.iter().map(|v| Data::Float(*v)).collect()
}

/// The payment states and entry states of the campaign, to show a second reading changed
/// nothing.
async fn states(app: &TestApp) -> (Vec<payment_item::Model>, Vec<entry::Model>) {
    (
        payment_item::Entity::find()
            .order_by_asc(payment_item::Column::Id)
            .all(&app.db)
            .await
            .unwrap(),
        entry::Entity::find()
            .order_by_asc(entry::Column::Id)
            .all(&app.db)
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn a_ward_is_paid_by_transfer_else_cash_from_its_file_to_the_settlement() {
    let app = TestApp::spawn().await;
    let admin = Operator::system("test");
    let campaign = district_campaign(&app, 2021).await;
    let program = default_program(&app, &campaign).await;
    set_payment_method(&app.db, &admin, program.id, PaymentMethod::TransferElseCash)
        .await
        .expect("payment method set");
    let program = gift_program::Entity::find_by_id(program.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    // The ward's file, accounts and all.
    let (_, committed) = import_bytes(&app, &campaign, "tan-phu.xlsx", &ward_file(), None)
        .await
        .expect("the ward file commits");
    assert_eq!(committed[0].added, 6);
    approve_all(&app, &campaign).await;
    let ward = app.unit(UnitLevel::Ward, "Tân Phú").await;
    let people = person::Entity::find().all(&app.db).await.unwrap();
    let mut entries = entry::Entity::find().all(&app.db).await.unwrap();
    let name_of = |e: &entry::Model| {
        people
            .iter()
            .find(|p| p.id == e.person_id)
            .map(|p| p.full_name.clone())
            .unwrap()
    };
    entries.sort_by_key(|e| PEOPLE.iter().position(|p| p.0 == name_of(e)));
    let amounts: Vec<i64> = entries.iter().map(|e| e.amount).collect();
    assert_eq!(
        amounts,
        [600_000, 600_000, 400_000, 600_000, 400_000, 400_000]
    );

    // The transfer list from the imported accounts, cell by cell.
    let made = make_transfer_batch(&app.db, &admin, &campaign, program.id, Some(ward.id))
        .await
        .expect("transfer list made");
    assert_eq!(made.batch.entry_count, 4, "Em and Giang have no account");
    // 600.000 + 600.000 + 400.000 + 600.000
    assert_eq!(made.batch.total_amount, 2_200_000);
    let sheets = read_sheets(&made.xlsx);
    let (_, list) = &sheets[0];
    let h = TRANSFER_HEADER_ROW;
    let headers: Vec<Data> = (0..9).map(|c| cell(list, h, c)).collect();
    assert_eq!(
        headers,
        [
            "STT",
            "Họ và tên",
            "Số định danh cá nhân",
            "Số tài khoản",
            "Ngân hàng",
            "Mã ngân hàng (BIN)",
            "Chủ tài khoản",
            "Số tiền (đồng)",
            "Nội dung chuyển khoản"
        ]
        .map(text)
    );
    let expected = [
        (
            "Nguyễn Văn An",
            "079050001234",
            "0071000123456",
            "Vietcombank",
            "970436",
            "NGUYEN VAN AN",
            600_000.0,
            "Nguyen Van An",
        ),
        (
            "Trần Thị Bình",
            "079151005678",
            "0071000654321",
            "Vietcombank",
            "970436",
            "TRAN VAN BAO",
            600_000.0,
            "Tran Thi Binh",
        ),
        (
            "Lê Thị Cúc",
            "079152004321",
            "1012345678",
            "Vietcombank",
            "970436",
            "LE THI CUC",
            400_000.0,
            "Le Thi Cuc",
        ),
        (
            "Phạm Văn Dũng",
            "079053008765",
            "5100205123456",
            "Agribank",
            "970405",
            "PHAM VAN DUNG",
            600_000.0,
            "Pham Van Dung",
        ),
    ];
    for (i, (name, id, number, bank, bin, holder, amount, ascii_name)) in (0u32..).zip(expected) {
        let r = h + 1 + i;
        assert_eq!(cell(list, r, 0), Data::Float(f64::from(i + 1)), "STT {r}");
        assert_eq!(cell(list, r, 1), text(name));
        assert_eq!(cell(list, r, 2), text(id));
        assert_eq!(cell(list, r, 3), text(number));
        assert_eq!(cell(list, r, 4), text(bank));
        assert_eq!(cell(list, r, 5), text(bin));
        assert_eq!(cell(list, r, 6), text(holder));
        assert_eq!(cell(list, r, 7), Data::Float(amount));
        let Data::String(description) = cell(list, r, 8) else {
            panic!("a description on row {r}");
        };
        assert!(description.is_ascii(), "{description}");
        assert!(description.len() <= 140, "{description}");
        assert!(
            description.starts_with(&format!("Chamlo dot {} ", made.batch.id)),
            "{description}"
        );
        assert!(description.ends_with(ascii_name), "{description}");
        assert!(!description.contains("http") && !description.contains(id));
    }
    assert_eq!(cell(list, h + 5, 0), text("Tổng cộng: 4 người"));
    assert_eq!(cell(list, h + 5, 7), Data::Float(2_200_000.0));
    assert_eq!(
        cell(list, h + 6, 0),
        text("Bằng chữ: Hai triệu hai trăm nghìn đồng.")
    );
    let csv: Vec<&str> = made.csv.lines().collect();
    assert_eq!(csv.len(), 5, "a heading and four rows: {csv:?}");
    assert!(csv[2].starts_with(
        "2,Tran Thi Binh,079151005678,0071000654321,970436,Vietcombank,TRAN VAN BAO,600000,"
    ));

    // The bank's answer: An transferred, Bình failed, Cúc returned, an ID nobody has, and
    // Dũng with 500.000 instead of 600.000.
    let result_file = "STT,Số định danh,Số tài khoản,Số tiền,Trạng thái,Lý do,Ngày\n\
        1,079050001234,0071000123456,600000,Thành công,,25/01/2021\n\
        2,079151005678,0071000654321,600000,Thất bại,Sai tên chủ tài khoản,25/01/2021\n\
        3,079152004321,1012345678,400.000,Hoàn trả,Tài khoản đã đóng,26/01/2021\n\
        4,079999999999,0000111122,600000,Thành công,,25/01/2021\n\
        5,079053008765,5100205123456,500000,Thành công,,25/01/2021\n";
    let rows = read_payment_results(result_file.as_bytes()).expect("the result file reads");
    let summary = apply_results(&app.db, &admin, &campaign, &rows, "ket-qua.csv")
        .await
        .expect("results applied");
    assert_eq!(
        (
            summary.applied,
            summary.failed,
            summary.returned,
            summary.already_applied
        ),
        (1, 1, 1, 0)
    );
    let unmatched: Vec<(u32, &str)> = summary
        .unmatched
        .iter()
        .map(|u| (u.row, u.reason.as_str()))
        .collect();
    assert_eq!(unmatched.len(), 2, "{unmatched:?}");
    assert_eq!(unmatched[0].0, 5, "the unknown ID, on the file's row 5");
    assert!(
        unmatched[0].1.contains("Không tìm thấy người"),
        "{}",
        unmatched[0].1
    );
    assert_eq!(unmatched[1].0, 6, "the wrong amount, on the file's row 6");
    assert!(
        unmatched[1].1.contains("Số tiền 500.000"),
        "{}",
        unmatched[1].1
    );
    let dung = payment_item::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.entry_id == entries[3].id)
        .unwrap();
    assert_eq!(dung.state, PaymentState::Sent, "nothing guessed for Dũng");

    let before = states(&app).await;
    let twice = apply_results(&app.db, &admin, &campaign, &rows, "ket-qua.csv")
        .await
        .expect("read again");
    assert_eq!(
        (twice.applied, twice.failed, twice.returned),
        (0, 0, 0),
        "the same file twice applies nothing"
    );
    assert_eq!(twice.already_applied, 3);
    assert_eq!(twice.unmatched.len(), 2);
    assert_eq!(states(&app).await, before, "and changes nothing stored");

    // The cash round: Bình (failed), Cúc (returned), Em and Giang (no account).
    let cash = cash_round_sheet(&app.db, &admin, &campaign, &ward, &program)
        .await
        .expect("cash sheet");
    assert_eq!(cash.entries, 4);
    let sheets = read_sheets(&cash.bytes);
    let (_, range) = &sheets[0];
    let texts: Vec<String> = range.rows().flatten().map(|c| c.to_string()).collect();
    for name in [
        "Trần Thị Bình",
        "Lê Thị Cúc",
        "Võ Thị Em",
        "Hoàng Văn Giang",
    ] {
        assert!(texts.iter().any(|t| t == name), "{name} is paid in cash");
    }
    for name in ["Nguyễn Văn An", "Phạm Văn Dũng"] {
        assert!(!texts.iter().any(|t| t == name), "{name} is not");
    }

    // Em is paid in cash; Giang has died.
    let cash_day = NaiveDate::from_ymd_opt(2021, 2, 5).unwrap();
    record_distribution(
        &app.db,
        &admin,
        &[entries[4].id],
        &Distribution::Received {
            date: cash_day,
            proxy: None,
        },
    )
    .await
    .expect("Em paid in cash");
    record_distribution(
        &app.db,
        &admin,
        &[entries[5].id],
        &Distribution::NotReceived {
            reason: NotReceivedReason::Deceased,
            note: None,
        },
    )
    .await
    .expect("Giang not received");

    // The settlement, by hand. Planned: 6 gifts, 600.000 × 3 + 400.000 × 3 = 3.000.000.
    // Transferred: An, 600.000. Cash: Em, 400.000. Failed or returned: Bình and Cúc.
    // Awaiting a result: Dũng (his row did not match). Not reached: Giang.
    // To give back: 3.000.000 − 600.000 − 400.000 = 2.000.000.
    let figures = settlement(&app.db, &admin, &campaign)
        .await
        .expect("settlement");
    assert_eq!(figures.len(), 1);
    let s = &figures[0];
    assert_eq!((s.program_id, s.ward_id), (program.id, ward.id));
    assert_eq!((s.planned, s.planned_amount), (6, 3_000_000));
    assert_eq!((s.transferred, s.transferred_amount), (1, 600_000));
    assert_eq!((s.cash, s.cash_amount), (1, 400_000));
    assert_eq!(s.failed_or_returned, 2);
    assert_eq!(s.awaiting_result, 1);
    assert_eq!(s.not_reached, 1);
    assert_eq!(s.refund_amount, 2_000_000);

    // `chamlo progress --json`: the same counts per ward and program.
    let output = run_chamlo(
        &app,
        &["progress", "--campaign", &campaign.slug, "--json"],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let progress: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let row = &progress["rows"][0];
    assert_eq!(row["ward_id"], ward.id);
    assert_eq!(row["program_id"], program.id);
    assert_eq!(row["planned_people"], 6);
    assert_eq!(row["transferred"], 1);
    assert_eq!(row["transfer_failed"], 2);
    assert_eq!(row["paid_in_cash"], 1);
    assert_eq!(row["not_reached"], 1);

    // The report: the reconciliation's payment columns and the settlement sheet.
    let report = export_report(&app.db, &admin, &campaign, cash_day)
        .await
        .expect("report");
    let sheets = read_sheets(&report.bytes);
    let (name, reconciliation) = &sheets[2];
    assert_eq!(name, "Quyết toán");
    let paid: Vec<Data> = (13..18).map(|c| cell(reconciliation, 8, c)).collect();
    // Transferred 600.000, cash 400.000, failed or returned 2, not reached 1, back
    // 2.000.000.
    assert_eq!(
        paid,
        numbers(&[600_000.0, 400_000.0, 2.0, 1.0, 2_000_000.0])
    );
    let (name, sheet) = &sheets[3];
    assert_eq!(name, "Quyết toán chi trả");
    assert_eq!(
        cell(sheet, 3, 0),
        text("QUYẾT TOÁN CHI TRẢ QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021")
    );
    assert_eq!(cell(sheet, 9, 1), text("Phường Tân Phú"));
    // Planned, transferred, cash, failed or returned (Bình 600.000 + Cúc 400.000),
    // awaiting (Dũng 600.000), not reached (Giang 400.000): people and money; the refund.
    let want = numbers(&[
        6.0,
        3_000_000.0,
        1.0,
        600_000.0,
        1.0,
        400_000.0,
        2.0,
        1_000_000.0,
        1.0,
        600_000.0,
        1.0,
        400_000.0,
        2_000_000.0,
    ]);
    let figures_at = |row: u32| (2..15).map(|c| cell(sheet, row, c)).collect::<Vec<_>>();
    assert_eq!(figures_at(9), want, "Tân Phú");
    assert_eq!(cell(sheet, 10, 0), text("Cộng chương trình"));
    assert_eq!(figures_at(10), want);
    assert_eq!(figures_at(12), want, "the grand total");
    assert_eq!(
        cell(sheet, 14, 0),
        text(
            "Đã chi: 1.000.000 đồng (chuyển khoản 600.000 đồng, tiền mặt 400.000 đồng). Số \
             tiền hoàn ứng: 2.000.000 đồng. Bằng chữ: Hai triệu đồng."
        )
    );
}
