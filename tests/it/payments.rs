//! Paying by transfer, else cash: accounts with banks typed three ways, a transfer list
//! checked cell by cell, a bank's result file with every kind of row, reading it twice, the
//! settlement figures by hand, masking, audit and the command line's JSON contract.

use calamine::Data;
use chamlo::domain::audit::AuditFilter;
use chamlo::domain::operator::Operator;
use chamlo::domain::payments::{
    AccountInput, account_of, apply_results, make_transfer_batch, save_account, set_payment_method,
    settlement,
};
use chamlo::domain::payments::{cash_round_sheet, follow_up_list};
use chamlo::entities::payment_states::{AccountKind, PaymentMethod};
use chamlo::entities::states::{EntryStatus, Role, UnitLevel};
use chamlo::entities::{entry, payment_item};
use chamlo::export::transfer_list::TRANSFER_HEADER_ROW;
use chamlo::import::payment_results::read_payment_results;
use sea_orm::EntityTrait;

use crate::cli::run_chamlo;
use crate::cycle_support::{NewPerson, list_entry, new_person};
use crate::exports::{approve_all, campaign_2021, default_program, read_sheets, temp_dir};
use crate::helpers::TestApp;

pub(crate) const WARD: &str = "Long Bình";

pub(crate) struct Paid {
    pub(crate) campaign: chamlo::entities::campaign::Model,
    pub(crate) program_id: i32,
    /// Entries of An, Bình, Cúc, Dũng (accounts) and Em (none), in that order.
    pub(crate) entries: Vec<entry::Model>,
}

/// Five people of Long Bình on a "transfer, else cash" program: four with accounts (the
/// bank typed "VCB", "Vietcombank", "NH Ngoại thương" and as a BIN), one without.
pub(crate) async fn five_people(app: &TestApp) -> Paid {
    let campaign = campaign_2021(app).await;
    let program = default_program(app, &campaign).await;
    let admin = Operator::system("test");
    set_payment_method(&app.db, &admin, program.id, PaymentMethod::TransferElseCash)
        .await
        .expect("payment method set");
    let people = [
        (
            "Nguyễn Văn An",
            "079150001234",
            Some(("VCB", "0071000123456", None)),
            400_000,
        ),
        (
            "Trần Thị Bình",
            "079150005678",
            Some(("Vietcombank", "0071000999888", Some("Lê Văn Bảo"))),
            400_000,
        ),
        (
            "Phạm Thị Cúc",
            "079150004321",
            Some(("NH Ngoại thương", "1012345678", None)),
            400_000,
        ),
        (
            "Đỗ Văn Dũng",
            "079150008765",
            Some(("970405", "5100205123456", None)),
            1_000_000,
        ),
        ("Lý Thị Em", "079150002468", None, 400_000),
    ];
    let mut entries = Vec::new();
    for (name, id, account, amount) in people {
        let person = new_person(
            app,
            WARD,
            NewPerson {
                name,
                birth_year: 1950,
                address: "12 Nguyễn Xiển",
                national_id: Some(id),
                household_id: None,
            },
        )
        .await;
        if let Some((bank, number, holder)) = account {
            save_account(
                &app.db,
                &admin,
                person.id,
                &AccountInput {
                    kind: AccountKind::Bank,
                    bank: bank.to_owned(),
                    account_number: number.to_owned(),
                    holder_name: holder.map(str::to_owned),
                },
            )
            .await
            .expect("account saved");
        }
        entries.push(list_entry(app, campaign.id, program.id, WARD, person.id, "HN", amount).await);
    }
    approve_all(app, &campaign).await;
    Paid {
        campaign,
        program_id: program.id,
        entries,
    }
}

fn text(value: &str) -> Data {
    Data::String(value.to_owned())
}

#[tokio::test]
async fn transfer_else_cash_runs_from_list_to_settlement() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let admin = Operator::system("test");
    let ward = app.unit(UnitLevel::Ward, WARD).await;

    let made = make_transfer_batch(
        &app.db,
        &admin,
        &paid.campaign,
        paid.program_id,
        Some(ward.id),
    )
    .await
    .expect("batch made");
    assert_eq!(made.batch.entry_count, 4, "Em has no account: cash");
    assert_eq!(made.batch.total_amount, 2_200_000);

    // The workbook, cell by cell.
    let sheets = read_sheets(&made.xlsx);
    let (_, range) = &sheets[0];
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let h = TRANSFER_HEADER_ROW;
    let headers: Vec<Data> = (0..9).map(|c| cell(h, c)).collect();
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
            "079150001234",
            "0071000123456",
            "Vietcombank",
            "970436",
            "NGUYEN VAN AN",
            400_000.0,
        ),
        (
            "Trần Thị Bình",
            "079150005678",
            "0071000999888",
            "Vietcombank",
            "970436",
            "LE VAN BAO",
            400_000.0,
        ),
        (
            "Phạm Thị Cúc",
            "079150004321",
            "1012345678",
            "Vietcombank",
            "970436",
            "PHAM THI CUC",
            400_000.0,
        ),
        (
            "Đỗ Văn Dũng",
            "079150008765",
            "5100205123456",
            "Agribank",
            "970405",
            "DO VAN DUNG",
            1_000_000.0,
        ),
    ];
    for (i, (name, id, number, bank, bin, holder, amount)) in expected.into_iter().enumerate() {
        let r = h + 1 + i as u32;
        assert_eq!(cell(r, 0), Data::Float((i + 1) as f64));
        assert_eq!(cell(r, 1), text(name));
        assert_eq!(cell(r, 2), text(id));
        assert_eq!(cell(r, 3), text(number));
        assert_eq!(cell(r, 4), text(bank));
        assert_eq!(cell(r, 5), text(bin));
        assert_eq!(cell(r, 6), text(holder));
        assert_eq!(cell(r, 7), Data::Float(amount));
        let Data::String(description) = cell(r, 8) else {
            panic!("a description on row {r}");
        };
        assert!(description.is_ascii() && description.len() <= 140);
        assert!(!description.contains("http") && !description.contains(id));
    }
    assert_eq!(cell(h + 5, 0), text("Tổng cộng: 4 người"));
    assert_eq!(cell(h + 5, 7), Data::Float(2_200_000.0));
    assert_eq!(
        cell(h + 6, 0),
        text("Bằng chữ: Hai triệu hai trăm nghìn đồng.")
    );
    assert!(made.csv.lines().nth(1).unwrap_or("").starts_with(
        "1,Nguyen Van An,079150001234,0071000123456,970436,Vietcombank,NGUYEN VAN AN,400000,"
    ));

    // Nobody goes into a second batch.
    let again = make_transfer_batch(
        &app.db,
        &admin,
        &paid.campaign,
        paid.program_id,
        Some(ward.id),
    )
    .await;
    assert!(again.is_err(), "the same entries in two batches");
    let items = payment_item::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(items.len(), 4);

    // The bank's answer: a success, a failure, a return, an unknown ID, a wrong amount.
    let csv = "STT,Số định danh,Số tài khoản,Số tiền,Trạng thái,Lý do,Ngày\n\
        1,079150001234,0071000123456,400000,Thành công,,21/01/2021\n\
        2,079150005678,0071000999888,400000,Thất bại,Sai tên chủ tài khoản,21/01/2021\n\
        3,079150004321,1012345678,400.000,Hoàn trả,Tài khoản đã đóng,22/01/2021\n\
        4,079999999999,0000111122,400000,Thành công,,21/01/2021\n\
        5,079150008765,5100205123456,500000,Thành công,,21/01/2021\n";
    let rows = read_payment_results(csv.as_bytes()).expect("result file reads");
    let summary = apply_results(&app.db, &admin, &paid.campaign, &rows, "ketqua.csv")
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
    assert_eq!(unmatched.len(), 2);
    assert_eq!(unmatched[0].0, 5);
    assert!(
        unmatched[0].1.contains("Không tìm thấy người"),
        "{}",
        unmatched[0].1
    );
    assert_eq!(unmatched[1].0, 6);
    assert!(
        unmatched[1].1.contains("Số tiền 500.000"),
        "{}",
        unmatched[1].1
    );

    let an = entry::Entity::find_by_id(paid.entries[0].id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(an.status, EntryStatus::Received);
    assert_eq!(
        an.received_date,
        chrono::NaiveDate::from_ymd_opt(2021, 1, 21)
    );

    // The same file again changes nothing.
    let twice = apply_results(&app.db, &admin, &paid.campaign, &rows, "ketqua.csv")
        .await
        .expect("read again");
    assert_eq!(
        (
            twice.applied,
            twice.failed,
            twice.returned,
            twice.already_applied
        ),
        (0, 0, 0, 3)
    );
    assert_eq!(twice.unmatched.len(), 2);

    // The failures and the person without an account form the cash round.
    let program = chamlo::entities::gift_program::Entity::find_by_id(paid.program_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let cash = cash_round_sheet(&app.db, &admin, &paid.campaign, &ward, &program)
        .await
        .expect("cash sheet");
    assert_eq!(cash.entries, 3);
    let sheets = read_sheets(&cash.bytes);
    let (name, range) = &sheets[0];
    assert_eq!(name, "Chi trả tiền mặt");
    let all_text: Vec<String> = range.rows().flatten().map(|c| c.to_string()).collect();
    assert!(
        all_text
            .iter()
            .any(|t| t.starts_with("DANH SÁCH CHI TRẢ TIỀN MẶT"))
    );
    for person in ["Trần Thị Bình", "Phạm Thị Cúc", "Lý Thị Em"] {
        assert!(
            all_text.iter().any(|t| t == person),
            "{person} on the cash sheet"
        );
    }
    for person in ["Nguyễn Văn An", "Đỗ Văn Dũng"] {
        assert!(
            !all_text.iter().any(|t| t == person),
            "{person} is not paid in cash"
        );
    }
    let follow = follow_up_list(
        &app.db,
        &admin,
        &paid.campaign,
        paid.program_id,
        Some(ward.id),
    )
    .await
    .expect("follow-up list");
    let reasons: Vec<(&str, &str)> = follow
        .iter()
        .map(|f| (f.full_name.as_str(), f.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            // Vietnamese order: by given name (Bình, Cúc, Em).
            (
                "Trần Thị Bình",
                "Chuyển khoản thất bại: Sai tên chủ tài khoản"
            ),
            ("Phạm Thị Cúc", "Bị hoàn trả: Tài khoản đã đóng"),
            ("Lý Thị Em", "Chưa nhận tiền mặt"),
        ]
    );

    // Settlement by hand: planned 5 gifts, 2,600,000 đ; An transferred 400,000; Bình and
    // Cúc failed/returned (cash round); Dũng awaits a result; Em not reached; nothing paid
    // in cash yet, so 2,200,000 đ would go back.
    let figures = settlement(&app.db, &admin, &paid.campaign)
        .await
        .expect("settlement");
    assert_eq!(figures.len(), 1);
    let s = &figures[0];
    assert_eq!((s.planned, s.planned_amount), (5, 2_600_000));
    assert_eq!((s.transferred, s.transferred_amount), (1, 400_000));
    assert_eq!((s.cash, s.cash_amount), (0, 0));
    assert_eq!(s.failed_or_returned, 2);
    assert_eq!(s.awaiting_result, 1);
    assert_eq!(s.not_reached, 1);
    assert_eq!(s.refund_amount, 2_200_000);

    // Audit: the batch and the result file (twice), never the account numbers.
    let audit = chamlo::domain::audit::audit_page(&app.db, &AuditFilter::default())
        .await
        .expect("audit");
    let text_of_audit = format!("{audit:?}");
    assert!(text_of_audit.contains("payment.batch_export"));
    assert!(text_of_audit.contains("payment.results_import"));
    assert!(text_of_audit.contains("payment_account.save"));
    assert!(!text_of_audit.contains("0071000123456"));
}

#[tokio::test]
async fn account_numbers_are_masked_for_supervisors_and_shown_to_the_ward() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let person_id = paid.entries[0].person_id;
    let ward = app
        .operator("canbo.longbinh", Role::Ward, Some((UnitLevel::Ward, WARD)))
        .await;
    let district = app
        .operator(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let seen = |view: Option<chamlo::domain::payments::AccountView>| {
        view.map(|v| v.account_number).unwrap_or_default()
    };
    assert_eq!(
        seen(account_of(&app.db, &ward, person_id).await.unwrap()),
        "0071000123456"
    );
    assert_eq!(
        seen(account_of(&app.db, &district, person_id).await.unwrap()),
        "*********3456"
    );
    // Another ward's officer does not see the person at all.
    let other = app
        .operator(
            "canbo.tanphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tân Phú")),
        )
        .await;
    assert!(account_of(&app.db, &other, person_id).await.is_err());
}

#[tokio::test]
async fn an_unknown_bank_is_refused_with_a_message_and_nothing_saved() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let person_id = paid.entries[4].person_id;
    let err = save_account(
        &app.db,
        &Operator::system("test"),
        person_id,
        &AccountInput {
            kind: AccountKind::Bank,
            bank: "Ngân hàng Mặt Trăng".into(),
            account_number: "0123456789".into(),
            holder_name: None,
        },
    )
    .await
    .expect_err("refused");
    assert!(err.user_message().contains("Không nhận ra ngân hàng"));
    let view = account_of(&app.db, &Operator::system("test"), person_id)
        .await
        .unwrap();
    assert!(view.is_none());
}

#[tokio::test]
async fn the_command_line_exports_a_batch_and_reads_results_as_json() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let dir = temp_dir();
    let out = dir.join("chuyenkhoan.xlsx");
    let csv = dir.join("chuyenkhoan.csv");
    let output = run_chamlo(
        &app,
        &[
            "payments",
            "export",
            "--campaign",
            &paid.campaign.slug,
            "--program",
            &paid.program_id.to_string(),
            "--ward",
            "long binh",
            "--out",
            out.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let batch_id: i32 = stdout
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .parse()
        .expect("batch id last");
    assert!(batch_id > 0);
    assert!(std::fs::read_to_string(&csv).unwrap().lines().count() == 5);

    let results = dir.join("ketqua.csv");
    std::fs::write(
        &results,
        "Số CCCD;Số tiền;Kết quả;Lý do\n079150001234;400000;Thành công;\n079150005678;400000;Hoàn trả;Tài khoản đóng\n;;Tổng;\n",
    )
    .unwrap();
    let output = run_chamlo(
        &app,
        &[
            "payments",
            "results",
            results.to_str().unwrap(),
            "--campaign",
            &paid.campaign.slug,
            "--json",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!({
            "applied": 1, "failed": 0, "returned": 1,
            "unmatched": [{"row": 4, "reason": "Trạng thái “Tổng” không phải “Thành công”, “Thất bại” hay “Hoàn trả”."}],
            "already_applied": 0
        })
    );

    // Progress counts the ways of paying per ward and program.
    let output = run_chamlo(
        &app,
        &["progress", "--campaign", &paid.campaign.slug, "--json"],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let progress: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let row = &progress["rows"][0];
    assert_eq!(row["transferred"], 1);
    assert_eq!(row["transfer_failed"], 1);
    assert_eq!(row["paid_in_cash"], 0);
    // Em has no account; Cúc and Dũng await their results.
    assert_eq!(row["not_reached"], 1);
}

#[tokio::test]
async fn program_add_and_edit_take_the_payment_flag() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2021(&app).await;
    let output = run_chamlo(
        &app,
        &[
            "program",
            "edit",
            "--campaign",
            &campaign.slug,
            "--payment",
            "transfer-else-cash",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let program = default_program(&app, &campaign).await;
    assert_eq!(program.payment_method, PaymentMethod::TransferElseCash);
    let output = run_chamlo(
        &app,
        &[
            "program",
            "add",
            "--campaign",
            &campaign.slug,
            "--name",
            "Quà 418",
            "--source",
            "central",
            "--amount",
            "HN=400000",
            "--payment",
            "transfer",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = run_chamlo(
        &app,
        &[
            "program",
            "edit",
            "--campaign",
            &campaign.slug,
            "--payment",
            "cheque",
        ],
        &[],
    );
    assert!(!output.status.success());
}

#[tokio::test]
async fn the_api_sets_accounts_makes_a_batch_reads_results_and_settles() {
    use crate::cycle_support::{Auth, api};
    use axum::http::{Request, StatusCode, header};

    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let ward = app.unit(UnitLevel::Ward, WARD).await;
    let officer = app
        .login_as("canbo.longbinh", Role::Ward, Some((UnitLevel::Ward, WARD)))
        .await;
    let district = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let person_id = paid.entries[0].person_id;
    let path = format!("/api/people/{person_id}/payment-account");

    let (status, body) = api(
        &app,
        "PUT",
        &path,
        Auth::Cookie(&officer),
        Some(serde_json::json!({
            "kind": "bank", "bank": "NH Đầu tư và Phát triển", "account_number": "1234 5678 901"
        })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["bank_bin"], "970418");
    assert_eq!(body["account_number"], "12345678901");
    let (_, seen) = api(&app, "GET", &path, Auth::Cookie(&district), None).await;
    assert_eq!(seen["account_number"], "*******8901");

    let (status, made) = api(
        &app,
        "POST",
        &format!("/api/campaigns/{}/transfer-batches", paid.campaign.slug),
        Auth::Cookie(&district),
        Some(serde_json::json!({ "program_id": paid.program_id, "ward_id": ward.id })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["entries"], 4);
    assert!(
        made["csv"]
            .as_str()
            .unwrap_or("")
            .contains("12345678901,970418")
    );

    let results = "Số tài khoản,Số tiền,Trạng thái\n12345678901,400000,Thành công\n";
    let request = Request::builder()
        .method("POST")
        .uri(format!(
            "/api/campaigns/{}/payment-results?file_name=kq.csv",
            paid.campaign.slug
        ))
        .header(header::COOKIE, &district)
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(axum::body::Body::from(results))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let summary: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(summary["applied"], 1);

    let (_, settled) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{}/settlement", paid.campaign.slug),
        Auth::Cookie(&district),
        None,
    )
    .await;
    assert_eq!(settled[0]["transferred"], 1);
    assert_eq!(settled[0]["refund_amount"], 2_200_000);

    let (_, doc) = api(&app, "GET", "/api/openapi.json", Auth::None, None).await;
    for path in [
        "/api/people/{id}/payment-account",
        "/api/campaigns/{slug}/transfer-batches",
        "/api/campaigns/{slug}/payment-results",
        "/api/campaigns/{slug}/settlement",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
}

#[tokio::test]
async fn a_bank_added_on_the_command_line_is_matched_and_a_taken_name_is_refused() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let output = run_chamlo(
        &app,
        &[
            "payments",
            "bank",
            "--bin",
            "970499",
            "--short-name",
            "Thử Nghiệm",
            "--name",
            "Ngân hàng TMCP Thử Nghiệm",
            "--synonym",
            "TNB",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let saved = save_account(
        &app.db,
        &Operator::system("test"),
        paid.entries[4].person_id,
        &AccountInput {
            kind: AccountKind::Bank,
            bank: "tnb".into(),
            account_number: "99887766".into(),
            holder_name: None,
        },
    )
    .await
    .expect("the new bank is matched");
    assert_eq!(saved.bank_bin.as_deref(), Some("970499"));
    let output = run_chamlo(
        &app,
        &[
            "payments",
            "bank",
            "--bin",
            "970498",
            "--short-name",
            "Khác",
            "--name",
            "Ngân hàng Khác",
            "--synonym",
            "VCB",
        ],
        &[],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Vietcombank"));
}

#[tokio::test]
async fn the_account_page_shows_the_ward_the_number_and_refuses_an_unknown_bank() {
    use axum::http::StatusCode;

    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let officer = app
        .login_as("canbo.longbinh", Role::Ward, Some((UnitLevel::Ward, WARD)))
        .await;
    let district = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let path = format!("/people/{}/payment-account", paid.entries[0].person_id);

    let page = app.get(&path, Some(&officer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("0071000123456"));
    assert!(page.body.contains("Vietcombank"));
    let page = app.get(&path, Some(&district)).await;
    assert!(page.body.contains("*********3456"));
    assert!(!page.body.contains("0071000123456"));

    let refused = app
        .post_form(
            &path,
            &[
                ("kind", "bank"),
                ("bank", "Ngân hàng Mặt Trăng"),
                ("account_number", "55554444"),
                ("holder_name", ""),
            ],
            Some(&officer),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Không nhận ra ngân hàng"));
    assert!(refused.body.contains("55554444"), "typed values kept");

    let saved = app
        .post_form(
            &path,
            &[
                ("kind", "social_security"),
                ("bank", "Agribank"),
                ("account_number", "5100 2051 99999"),
                ("holder_name", ""),
            ],
            Some(&officer),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = app.get(&path, Some(&officer)).await;
    assert!(page.body.contains("510020519999"));
    assert!(page.body.contains("Tài khoản an sinh xã hội"));
}

/// A Tân Phú list with the account columns: banks typed "VCB", "Vietcombank" and "NH Ngoại
/// thương", a social-security account without a bank, and an unknown bank.
fn ward_file_with_accounts() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write(1, 0, "UBND PHƯỜNG TÂN PHÚ").unwrap();
    let headers = [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "Địa chỉ",
        "Đối tượng",
        "Số tiền",
        "Số tài khoản",
        "Tài khoản an sinh xã hội",
        "Ngân hàng",
        "Chủ tài khoản",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write(3, col as u16, *header).unwrap();
    }
    let people = [
        ("Nguyễn Văn An", "0071000123456", "", "VCB", ""),
        (
            "Trần Thị Bình",
            "0071000654321",
            "",
            "Vietcombank",
            "Trần Văn Bảo",
        ),
        ("Lê Thị Cúc", "'0011002233445", "", "NH Ngoại thương", ""),
        ("Phạm Văn Dũng", "", "123456789012", "", ""),
        ("Võ Thị Em", "0123456789", "", "Ngân hàng Mặt Trăng", ""),
    ];
    for (i, (name, number, social, bank, holder)) in people.iter().enumerate() {
        let row = 4 + i as u32;
        sheet.write(row, 0, i as u32 + 1).unwrap();
        sheet.write(row, 1, *name).unwrap();
        sheet.write(row, 2, 1950 + i as u32).unwrap();
        sheet.write(row, 3, "7 Lê Văn Việt").unwrap();
        sheet.write(row, 4, "TNLS").unwrap();
        sheet.write(row, 5, 600_000).unwrap();
        for (col, text) in [(6, number), (7, social), (8, bank), (9, holder)] {
            if !text.is_empty() {
                sheet.write(row, col, *text).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_ward_file_with_accounts_stores_them_and_warns_of_an_unknown_bank() {
    use chamlo::entities::{payment_account, person};
    use chamlo::import::Severity;
    let app = TestApp::spawn().await;
    let campaign = crate::import::district_campaign(&app, 2021).await;
    let file = ward_file_with_accounts();
    let (parsed, committed) =
        crate::import::import_bytes(&app, &campaign, "tan-phu.xlsx", &file, None)
            .await
            .unwrap();
    assert_eq!(committed[0].added, 5, "every person is listed");
    let warned: Vec<(u32, &str)> = parsed
        .rows
        .iter()
        .flat_map(|r| r.issues.iter().map(move |i| (r.row, i)))
        .filter(|(_, i)| i.field == "payment_account" && i.severity == Severity::Warning)
        .map(|(row, i)| (row, i.message.as_str()))
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0].0, 9);
    assert!(
        warned[0]
            .1
            .contains("Không nhận ra ngân hàng “Ngân hàng Mặt Trăng”")
    );

    let people = person::Entity::find().all(&app.db).await.unwrap();
    let accounts = payment_account::Entity::find().all(&app.db).await.unwrap();
    let account_of_name = |name: &str| {
        let id = people.iter().find(|p| p.full_name == name).unwrap().id;
        accounts.iter().find(|a| a.person_id == id).map(|a| {
            (
                a.kind,
                a.bank_bin.clone(),
                a.account_number.clone(),
                a.holder_name.clone(),
            )
        })
    };
    let vcb = Some("970436".to_owned());
    assert_eq!(
        account_of_name("Nguyễn Văn An"),
        Some((AccountKind::Bank, vcb.clone(), "0071000123456".into(), None))
    );
    assert_eq!(
        account_of_name("Trần Thị Bình"),
        Some((
            AccountKind::Bank,
            vcb.clone(),
            "0071000654321".into(),
            Some("Trần Văn Bảo".into())
        ))
    );
    assert_eq!(
        account_of_name("Lê Thị Cúc"),
        Some((AccountKind::Bank, vcb, "0011002233445".into(), None))
    );
    assert_eq!(
        account_of_name("Phạm Văn Dũng"),
        Some((
            AccountKind::SocialSecurity,
            None,
            "123456789012".into(),
            None
        ))
    );
    assert_eq!(account_of_name("Võ Thị Em"), None, "nothing is guessed");

    // Audited with the number masked; the same file again writes nothing.
    let audit = chamlo::domain::audit::audit_page(&app.db, &AuditFilter::default())
        .await
        .expect("audit");
    let text = format!("{audit:?}");
    assert_eq!(text.matches("payment_account.import").count(), 4, "{text}");
    assert!(!text.contains("0071000123456"));
    crate::import::import_bytes(&app, &campaign, "tan-phu.xlsx", &file, None)
        .await
        .unwrap();
    assert_eq!(
        payment_account::Entity::find().all(&app.db).await.unwrap(),
        accounts
    );
}
