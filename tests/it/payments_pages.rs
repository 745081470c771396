//! The payments page of a campaign and its API (issue 16): transfer lists made from the page
//! and downloaded again byte for byte, who sees which batch, the bank's results previewed
//! (storing nothing) then applied once, the cash round's sheet and the follow-up list, and
//! the refusals in Vietnamese.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamlo::domain::operator::Operator;
use chamlo::domain::payment_batches::{BatchFileKind, batch_file, visible_batches};
use chamlo::domain::payments::{AccountInput, apply_results, make_transfer_batch, save_account};
use chamlo::entities::payment_states::AccountKind;
use chamlo::entities::states::{Role, Sector, UnitLevel};
use chamlo::entities::{audit_event, entry, payment_item, pending_upload};
use chamlo::import::payment_results::read_payment_results;
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use tower::ServiceExt;

use crate::cycle_support::{Auth, api};
use crate::exports::read_sheets;
use crate::helpers::TestApp;
use crate::payments::{Paid, WARD, five_people};
use crate::ward_campaigns::supervisor_account;

/// The bank's answer to the first batch (An, Bình, Cúc, Dũng): An paid, Bình failed, Cúc
/// returned, an unknown ID, and Dũng's row with a wrong amount.
const RESULTS: &str = "STT,Số định danh,Số tài khoản,Số tiền,Trạng thái,Lý do,Ngày\n\
    1,079150001234,0071000123456,400000,Thành công,,21/01/2021\n\
    2,079150005678,0071000999888,400000,Thất bại,Sai tên chủ tài khoản,21/01/2021\n\
    3,079150004321,1012345678,400000,Hoàn trả,Tài khoản đã đóng,22/01/2021\n\
    4,079999999999,0000111122,400000,Thành công,,21/01/2021\n\
    5,079150008765,5100205123456,500000,Thành công,,21/01/2021\n";

/// A request's status and raw body (workbooks are not text).
async fn send_raw(app: &TestApp, request: Request<Body>) -> (StatusCode, Vec<u8>) {
    let response = app.router().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, bytes.to_vec())
}

async fn get_raw(app: &TestApp, path: &str, cookie: &str) -> (StatusCode, Vec<u8>) {
    send_raw(
        app,
        Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

/// Uploads `bytes` as the result file on the payments page.
async fn upload_results(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    file_name: &str,
    bytes: &[u8],
) -> (StatusCode, String) {
    let boundary = "----chamlo-results";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (status, body) = send_raw(
        app,
        Request::post(format!("/campaigns/{slug}/payments/results"))
            .header(header::COOKIE, cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request"),
    )
    .await;
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Everything paying changes: every item and every entry of the campaign, in id order.
async fn payment_state(app: &TestApp) -> String {
    let items = payment_item::Entity::find()
        .order_by_asc(payment_item::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let entries = entry::Entity::find()
        .order_by_asc(entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    format!("{items:?}\n{entries:?}")
}

async fn audit_count(app: &TestApp, action: &str) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .count(&app.db)
        .await
        .unwrap()
}

/// The upload id in the preview's "Áp dụng" form.
fn apply_action(page: &str) -> String {
    let start = page.find("/results/").expect("an apply form") + "/results/".len();
    let id: String = page[start..].chars().take_while(|c| *c != '/').collect();
    id
}

/// The transfer batch of Long Bình, made by the system.
async fn ward_batch(app: &TestApp, paid: &Paid) -> chamlo::domain::payments::MadeBatch {
    let ward = app.unit(UnitLevel::Ward, WARD).await;
    make_transfer_batch(
        &app.db,
        &Operator::system("test"),
        &paid.campaign,
        paid.program_id,
        Some(ward.id),
    )
    .await
    .expect("batch")
}

async fn district_cookie(app: &TestApp) -> String {
    app.login_as(
        "can.bo.quan9",
        Role::District,
        Some((UnitLevel::District, "Quận 9")),
    )
    .await
}

#[tokio::test]
async fn a_batch_made_on_the_page_downloads_again_byte_for_byte() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let ward = app.unit(UnitLevel::Ward, WARD).await;
    let cookie = district_cookie(&app).await;
    let slug = paid.campaign.slug.clone();

    let page = app
        .get(&format!("/campaigns/{slug}/payments"), Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Lập danh sách chuyển khoản"));
    assert!(page.body.contains("Chưa có đợt chuyển khoản nào"));

    let made = app
        .post_form(
            &format!("/campaigns/{slug}/payments/batches"),
            &[
                ("program_id", &paid.program_id.to_string()),
                ("ward_id", &ward.id.to_string()),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let batch = payment_item::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("items sent")
        .batch_id;
    assert!(made.location().contains(&format!("dot={batch}")));
    let page = app.get(made.location(), Some(&cookie)).await;
    assert!(
        page.body
            .contains(&format!("Đã lập đợt chuyển khoản số {batch}"))
    );
    assert!(page.body.contains("4 người, tổng 2.200.000\u{a0}đ"));
    assert!(page.body.contains("Phường Long Bình"));

    let xlsx_path = format!("/campaigns/{slug}/payments/batches/{batch}/xlsx");
    let (status, first) = get_raw(&app, &xlsx_path, &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let sheets = read_sheets(&first);
    let cells = format!("{:?}", sheets[0].1);
    assert!(cells.contains("NGUYEN VAN AN") && cells.contains("0071000123456"));

    // Changed since: the list downloads as it was made, not as it would be made now.
    save_account(
        &app.db,
        &Operator::system("test"),
        paid.entries[0].person_id,
        &AccountInput {
            kind: AccountKind::Bank,
            bank: "VCB".into(),
            account_number: "0071000555555".into(),
            holder_name: None,
        },
    )
    .await
    .expect("account changed");
    let (_, again) = get_raw(&app, &xlsx_path, &cookie).await;
    assert_eq!(first, again, "the same bytes as first made");
    let (_, csv) = get_raw(
        &app,
        &format!("/campaigns/{slug}/payments/batches/{batch}/csv"),
        &cookie,
    )
    .await;
    let csv = String::from_utf8(csv).expect("UTF-8 CSV");
    assert!(csv.contains("0071000123456") && !csv.contains("0071000555555"));
    assert_eq!(audit_count(&app, "export.transfer_batch").await, 3);

    // The page lists the batch with its counts and links.
    let page = app
        .get(&format!("/campaigns/{slug}/payments"), Some(&cookie))
        .await;
    assert!(page.body.contains(&format!("Số {batch}")));
    assert!(
        page.body
            .contains("0 thành công · 0 thất bại · 0 hoàn trả · 4 chờ kết quả")
    );
}

#[tokio::test]
async fn a_ward_officer_sees_only_their_wards_batches_and_reviewers_only_their_sectors() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let admin = Operator::system("test");
    let ward = app.unit(UnitLevel::Ward, WARD).await;
    let own_ward = make_transfer_batch(
        &app.db,
        &admin,
        &paid.campaign,
        paid.program_id,
        Some(ward.id),
    )
    .await
    .expect("ward batch");
    // Em gets an account: an all-wards batch takes her.
    save_account(
        &app.db,
        &admin,
        paid.entries[4].person_id,
        &AccountInput {
            kind: AccountKind::SocialSecurity,
            bank: "VCB".into(),
            account_number: "0071000222333".into(),
            holder_name: None,
        },
    )
    .await
    .expect("account");
    let all_wards = make_transfer_batch(&app.db, &admin, &paid.campaign, paid.program_id, None)
        .await
        .expect("all-wards batch");

    let ids = |batches: Vec<chamlo::domain::payment_batches::BatchSummary>| {
        batches.into_iter().map(|b| b.id).collect::<Vec<_>>()
    };
    let officer = app
        .operator("can.bo.longbinh", Role::Ward, Some((UnitLevel::Ward, WARD)))
        .await;
    let other = app
        .operator(
            "can.bo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let district = app
        .operator(
            "can.bo.quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let (_, merit) = supervisor_account(
        &app,
        "so.noi.vu",
        (UnitLevel::City, "Hồ Chí Minh"),
        &[Sector::Merit],
    )
    .await;
    let (_, poverty) = supervisor_account(
        &app,
        "so.giam.ngheo",
        (UnitLevel::City, "Hồ Chí Minh"),
        &[Sector::Poverty],
    )
    .await;
    let seen = |op: Operator| {
        let app = &app;
        let campaign = paid.campaign.clone();
        async move { ids(visible_batches(&app.db, &op, &campaign).await.unwrap()) }
    };
    assert_eq!(seen(officer.clone()).await, [own_ward.batch.id]);
    assert!(seen(other).await.is_empty());
    assert_eq!(
        seen(district).await,
        [all_wards.batch.id, own_ward.batch.id]
    );
    assert!(
        seen(merit.clone()).await.is_empty(),
        "hộ nghèo is not merit"
    );
    assert_eq!(seen(poverty).await, [all_wards.batch.id, own_ward.batch.id]);

    // Downloads follow the same rule, as a 404 that reveals nothing.
    let refused = batch_file(
        &app.db,
        &officer,
        &paid.campaign,
        all_wards.batch.id,
        BatchFileKind::Xlsx,
    )
    .await;
    assert!(matches!(refused, Err(chamlo::error::AppError::NotFound(_))));
    let refused = batch_file(
        &app.db,
        &merit,
        &paid.campaign,
        own_ward.batch.id,
        BatchFileKind::Csv,
    )
    .await;
    assert!(matches!(refused, Err(chamlo::error::AppError::NotFound(_))));
    let mine = batch_file(
        &app.db,
        &officer,
        &paid.campaign,
        own_ward.batch.id,
        BatchFileKind::Csv,
    )
    .await
    .expect("own ward's batch");
    assert_eq!(mine.bytes, own_ward.csv.as_bytes());

    // The same through the page: the officer's list and a refused download.
    let cookie = app.login("can.bo.longbinh", crate::helpers::PASSWORD).await;
    let slug = &paid.campaign.slug;
    let page = app
        .get(&format!("/campaigns/{slug}/payments"), Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("Số {}", own_ward.batch.id)));
    assert!(!page.body.contains("Tất cả phường"));
    assert!(!page.body.contains("Lập danh sách chuyển khoản</button>"));
    let (status, _) = get_raw(
        &app,
        &format!(
            "/campaigns/{slug}/payments/batches/{}/xlsx",
            all_wards.batch.id
        ),
        &cookie,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let refused = app
        .post_form(
            &format!("/campaigns/{slug}/payments/batches"),
            &[
                ("program_id", &paid.program_id.to_string()),
                ("ward_id", ""),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("không có quyền"), "{}", refused.body);
}

#[tokio::test]
async fn a_result_preview_stores_nothing_and_applying_twice_changes_nothing_more() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    ward_batch(&app, &paid).await;
    let cookie = district_cookie(&app).await;
    let slug = paid.campaign.slug.clone();

    let before = payment_state(&app).await;
    let (status, page) =
        upload_results(&app, &slug, &cookie, "ketqua.csv", RESULTS.as_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Xem trước kết quả chuyển khoản"));
    assert!(page.contains("Chưa có gì được ghi nhận"));
    assert!(page.contains("<dt>Chuyển khoản thành công</dt><dd>1 người</dd>"));
    assert!(page.contains("<dt>Chuyển khoản thất bại</dt><dd>1 người</dd>"));
    assert!(page.contains("<dt>Bị hoàn trả</dt><dd>1 người</dd>"));
    assert!(page.contains("Không tìm thấy người có số định danh hoặc số tài khoản này."));
    assert!(page.contains("Số tiền 500.000 đ khác số tiền đã gửi chuyển khoản (1.000.000 đ)."));
    assert!(page.contains("<td data-label=\"Dòng\">5</td>"));
    assert_eq!(
        payment_state(&app).await,
        before,
        "a preview stores nothing"
    );
    assert_eq!(audit_count(&app, "payment.results_import").await, 0);

    let upload = apply_action(&page);
    let applied = app
        .post_form(
            &format!("/campaigns/{slug}/payments/results/{upload}/apply"),
            &[],
            Some(&cookie),
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert!(applied.body.contains("Đã áp dụng kết quả chuyển khoản"));
    assert!(
        applied
            .body
            .contains("1 chuyển khoản thành công, 1 thất bại, 1 bị hoàn trả")
    );
    let after = payment_state(&app).await;
    assert_ne!(after, before);
    let an = entry::Entity::find_by_id(paid.entries[0].id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(an.status, chamlo::entities::states::EntryStatus::Received);
    assert_eq!(
        pending_upload::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    // The kept upload is gone: applying it again is refused.
    let again = app
        .post_form(
            &format!("/campaigns/{slug}/payments/results/{upload}/apply"),
            &[],
            Some(&cookie),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // The same file twice: previewed as already applied, applying changes nothing.
    let (_, page) = upload_results(&app, &slug, &cookie, "ketqua.csv", RESULTS.as_bytes()).await;
    assert!(page.contains("<dt>Chuyển khoản thành công</dt><dd>0 người</dd>"));
    assert!(page.contains("<dt>Đã ghi nhận từ trước (bỏ qua)</dt><dd>3 dòng</dd>"));
    let upload = apply_action(&page);
    app.post_form(
        &format!("/campaigns/{slug}/payments/results/{upload}/apply"),
        &[],
        Some(&cookie),
    )
    .await;
    assert_eq!(payment_state(&app).await, after);

    // The settlement table on the page.
    let page = app
        .get(&format!("/campaigns/{slug}/payments"), Some(&cookie))
        .await;
    assert!(page.body.contains(
        "<td data-label=\"Đã chuyển khoản\" class=\"money\">1 người · 400.000\u{a0}đ</td>"
    ));
    assert!(
        page.body
            .contains("<td data-label=\"Lỗi, bị hoàn trả\">2 người</td>")
    );
    assert!(
        page.body
            .contains("1 thành công · 1 thất bại · 1 hoàn trả · 1 chờ kết quả")
    );
}

#[tokio::test]
async fn an_unreadable_result_file_is_refused_in_vietnamese_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let cookie = district_cookie(&app).await;
    let before = payment_state(&app).await;
    let (status, page) = upload_results(
        &app,
        &paid.campaign.slug,
        &cookie,
        "ketqua.xlsx",
        b"PK\x03\x04 khong phai bang tinh",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Không đọc được tệp “ketqua.xlsx”"), "{page}");
    let (status, page) = upload_results(&app, &paid.campaign.slug, &cookie, "", b"").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Hãy chọn tệp kết quả chuyển khoản"));
    assert_eq!(payment_state(&app).await, before);
    assert_eq!(
        pending_upload::Entity::find().count(&app.db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn results_for_entries_outside_a_reviewers_sectors_are_reported_not_applied() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    ward_batch(&app, &paid).await;
    // A city reviewer of merit: the campaign is the district's, below the city.
    let (_, merit) = supervisor_account(
        &app,
        "so.noi.vu",
        (UnitLevel::City, "Hồ Chí Minh"),
        &[Sector::Merit],
    )
    .await;
    let before = payment_state(&app).await;
    let rows = read_payment_results(RESULTS.as_bytes()).expect("reads");
    let summary = apply_results(&app.db, &merit, &paid.campaign, &rows, "ketqua.csv")
        .await
        .expect("read, nothing applied");
    assert_eq!(
        (summary.applied, summary.failed, summary.returned),
        (0, 0, 0)
    );
    let outside: Vec<u32> = summary
        .unmatched
        .iter()
        .filter(|u| u.reason.contains("ngoài phạm vi"))
        .map(|u| u.row)
        .collect();
    assert_eq!(outside, [2, 3, 4], "An, Bình, Cúc are hộ nghèo, not merit");
    assert_eq!(payment_state(&app).await, before);
}

#[tokio::test]
async fn the_cash_sheet_and_follow_up_list_hold_failures_and_people_without_accounts() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let admin = Operator::system("test");
    let ward = app.unit(UnitLevel::Ward, WARD).await;
    ward_batch(&app, &paid).await;
    let rows = read_payment_results(RESULTS.as_bytes()).expect("reads");
    apply_results(&app.db, &admin, &paid.campaign, &rows, "ketqua.csv")
        .await
        .expect("applied");
    let cookie = app
        .login_as("can.bo.longbinh", Role::Ward, Some((UnitLevel::Ward, WARD)))
        .await;
    let slug = &paid.campaign.slug;
    let program = paid.program_id;

    let (status, sheet) = get_raw(
        &app,
        &format!("/campaigns/{slug}/payments/cash-sheet?program={program}"),
        &cookie,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&sheet)
    );
    let cells = format!("{:?}", read_sheets(&sheet)[0].1);
    for name in ["Trần Thị Bình", "Phạm Thị Cúc", "Lý Thị Em"] {
        assert!(cells.contains(name), "{name} is paid in cash");
    }
    for name in ["Nguyễn Văn An", "Đỗ Văn Dũng"] {
        assert!(!cells.contains(name), "{name}: transferred or awaiting");
    }
    assert!(
        cells.contains("DANH SÁCH CHI TRẢ TIỀN MẶT")
            || cells.contains("Danh sách chi trả tiền mặt")
    );

    let page = app
        .get(
            &format!("/campaigns/{slug}/payments/follow-up?program={program}"),
            Some(&cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("Danh sách cần tiếp cận · Phường Long Bình")
    );
    assert!(page.body.contains("3 người chưa nhận, tổng 1.200.000 đ"));
    assert!(
        page.body
            .contains("Lý do: Chuyển khoản thất bại: Sai tên chủ tài khoản")
    );
    assert!(page.body.contains("Lý do: Chưa nhận tiền mặt"));
    assert!(!page.body.contains("Nguyễn Văn An"));

    // Another ward's officer: refused in Vietnamese.
    let other = app
        .login_as(
            "can.bo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let refused = app
        .get(
            &format!(
                "/campaigns/{slug}/payments/follow-up?program={program}&ward={}",
                ward.id
            ),
            Some(&other),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains("ngoài phạm vi") || refused.body.contains("không"),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn the_api_lists_batches_downloads_them_previews_results_and_follows_up() {
    let app = TestApp::spawn().await;
    let Paid {
        campaign,
        program_id,
        ..
    } = five_people(&app).await;
    let ward = app.unit(UnitLevel::Ward, WARD).await;
    let made = make_transfer_batch(
        &app.db,
        &Operator::system("test"),
        &campaign,
        program_id,
        Some(ward.id),
    )
    .await
    .expect("batch");
    let cookie = district_cookie(&app).await;
    let slug = &campaign.slug;
    let (status, list) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{slug}/transfer-batches"),
        Auth::Cookie(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["id"], made.batch.id);
    assert_eq!(list[0]["entries"], 4);
    assert_eq!(list[0]["awaiting"], 4);
    assert_eq!(list[0]["ward"], "Phường Long Bình");

    let (status, csv) = get_raw(
        &app,
        &format!(
            "/api/campaigns/{slug}/transfer-batches/{}/csv",
            made.batch.id
        ),
        &cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(csv, made.csv.as_bytes());

    let before = payment_state(&app).await;
    let (status, body) = send_raw(
        &app,
        Request::post(format!("/api/campaigns/{slug}/payment-results/preview"))
            .header(header::COOKIE, &cookie)
            .body(Body::from(RESULTS))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let summary: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(summary["applied"], 1);
    assert_eq!(summary["failed"], 1);
    assert_eq!(summary["returned"], 1);
    assert_eq!(summary["unmatched"].as_array().map(Vec::len), Some(2));
    assert_eq!(payment_state(&app).await, before);

    let (status, people) = api(
        &app,
        "GET",
        &format!(
            "/api/campaigns/{slug}/payment-follow-up?program_id={program_id}&ward_id={}",
            ward.id
        ),
        Auth::Cookie(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["full_name"].as_str())
        .collect();
    assert_eq!(names, ["Lý Thị Em"], "the others await the bank");

    let (status, sheet) = get_raw(
        &app,
        &format!(
            "/api/campaigns/{slug}/cash-sheet?program_id={program_id}&ward_id={}",
            ward.id
        ),
        &cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(format!("{:?}", read_sheets(&sheet)[0].1).contains("Lý Thị Em"));

    let (_, doc) = api(&app, "GET", "/api/openapi.json", Auth::None, None).await;
    for path in [
        "/api/campaigns/{slug}/transfer-batches/{id}/{kind}",
        "/api/campaigns/{slug}/payment-results/preview",
        "/api/campaigns/{slug}/cash-sheet",
        "/api/campaigns/{slug}/payment-follow-up",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(
        doc["paths"]["/api/campaigns/{slug}/transfer-batches"]
            .get("get")
            .is_some()
    );
}
