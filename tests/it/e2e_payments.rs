//! Paying by transfer in Chromium (issue 16), at 1366 px and 390 px: Tân Phú's approved list
//! on a "transfer, else cash" program with accounts in its file; the district makes the
//! transfer list on the payments page and downloads it (read back with calamine), uploads
//! the bank's result file, checks the preview, applies it, and sees the settlement change
//! and the failures on the cash round's sheet and the follow-up list; the ward officer sees
//! their ward's batch on a phone. Screenshots go to target/screenshots/. Skipped unless
//! `CHAMLO_E2E=1`.

use chamlo::entities::states::{Role, UnitLevel};
use fantoccini::{Client, Locator};

use crate::e2e::{body_text, click, login, logout, serve_and_browse, shoot, wait_for_text};
use crate::e2e_settlement::{assert_no_sideways_scroll, tan_phu_paying_by_transfer};
use crate::exports::{read_sheets, temp_dir};
use crate::helpers::TestApp;

/// Fetches `url` in the browser, with its session, and returns the bytes it gets.
async fn fetch_bytes(client: &Client, url: &str) -> Vec<u8> {
    let answer = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(Array.from(new Uint8Array(b))));",
            vec![serde_json::json!(url)],
        )
        .await
        .unwrap();
    answer
        .as_array()
        .expect("the file's bytes")
        .iter()
        .map(|b| u8::try_from(b.as_u64().unwrap_or(0)).unwrap_or(0))
        .collect()
}

/// Downloads the file the link `css` points to, as the browser gets it.
async fn download(client: &Client, base: &str, css: &str) -> Vec<u8> {
    let href = client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("a link");
    fetch_bytes(client, &format!("{base}{href}")).await
}

/// Shoots the page at 1366 and 390 px, checking the phone does not scroll sideways.
async fn shoot_both(client: &Client, name: &str) {
    client.set_window_size(1366, 900).await.unwrap();
    shoot(client, &format!("{name}-1366")).await;
    client.set_window_size(390, 900).await.unwrap();
    assert_no_sideways_scroll(client, name).await;
    shoot(client, &format!("{name}-390")).await;
    client.set_window_size(1366, 900).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_payments_transfer_list_results_and_cash_round() {
    if std::env::var("CHAMLO_E2E").as_deref() != Ok("1") {
        eprintln!("skipped: run with CHAMLO_E2E=1 (needs chromium and chromium-driver)");
        return;
    }
    let app = TestApp::spawn().await;
    let (campaign, program) = tan_phu_paying_by_transfer(&app).await;
    let ward = app.unit(UnitLevel::Ward, "Tân Phú").await;
    app.create_user(
        "quan9",
        Role::District,
        Some((UnitLevel::District, "Quận 9")),
    )
    .await;
    app.create_user(
        "canbo.tanphu",
        Role::Ward,
        Some((UnitLevel::Ward, "Tân Phú")),
    )
    .await;
    let slug = campaign.slug.clone();

    let (base, _driver, client) = serve_and_browse(&app, "e2e-payments").await;
    client.set_window_size(1366, 900).await.unwrap();
    login(&client, &base, "quan9").await;
    client
        .goto(&format!("{base}/campaigns/{slug}"))
        .await
        .unwrap();
    wait_for_text(&client, "Quyết toán chi trả theo chương trình").await;
    click(&client, &format!("a[href='/campaigns/{slug}/payments']")).await;
    wait_for_text(&client, "Chi trả: chuyển khoản và tiền mặt").await;
    shoot_both(&client, "payments-01-trang-chi-tra").await;

    // Make Tân Phú's transfer list and download it.
    client
        .execute(
            "document.getElementById('ward_id').value = arguments[0];",
            vec![serde_json::json!(ward.id.to_string())],
        )
        .await
        .unwrap();
    click(
        &client,
        "form[action$='/payments/batches'] button[type=submit]",
    )
    .await;
    wait_for_text(&client, "Đã lập đợt chuyển khoản số").await;
    let text = body_text(&client).await.replace('\u{a0}', " ");
    assert!(
        text.contains("4 người, tổng 2.200.000 đ"),
        "An, Bình, Cúc, Dũng have accounts:\n{text}"
    );
    shoot_both(&client, "payments-02-da-lap-danh-sach").await;
    let xlsx = download(&client, &base, ".notice a[href$='/xlsx']").await;
    let sheets = read_sheets(&xlsx);
    let cells = format!("{:?}", sheets[0].1);
    for holder in [
        "NGUYEN VAN AN",
        "TRAN VAN BAO",
        "LE THI CUC",
        "PHAM VAN DUNG",
    ] {
        assert!(cells.contains(holder), "{holder} on the transfer list");
    }
    assert!(!cells.contains("Võ Thị Em"), "Em has no account");
    let csv = download(&client, &base, ".notice a[href$='/csv']").await;
    assert!(String::from_utf8_lossy(&csv).contains("0071000123456"));

    // The bank's answer: An paid, Bình failed, Cúc returned, one unknown.
    let dir = temp_dir();
    let result_file = dir.join("ket-qua-ngan-hang.csv");
    std::fs::write(
        &result_file,
        "Số định danh,Số tiền,Trạng thái,Lý do\n\
         079050001234,600000,Thành công,\n\
         079151005678,600000,Thất bại,Sai tên chủ tài khoản\n\
         079152004321,400000,Hoàn trả,Tài khoản đã đóng\n\
         079999999999,600000,Thành công,\n",
    )
    .unwrap();
    client
        .find(Locator::Id("result-file"))
        .await
        .unwrap()
        .send_keys(&result_file.display().to_string())
        .await
        .unwrap();
    click(
        &client,
        "form[action$='/payments/results'] button[type=submit]",
    )
    .await;
    wait_for_text(&client, "Xem trước kết quả chuyển khoản").await;
    let text = body_text(&client).await.replace('\u{a0}', " ");
    assert!(text.contains("Chưa có gì được ghi nhận"), "{text}");
    assert!(
        text.contains("Không tìm thấy người có số định danh"),
        "{text}"
    );
    shoot_both(&client, "payments-03-xem-truoc-ket-qua").await;
    click(&client, "form[action$='/apply'] button[type=submit]").await;
    wait_for_text(&client, "Đã áp dụng kết quả chuyển khoản").await;
    assert!(
        body_text(&client)
            .await
            .contains("1 chuyển khoản thành công, 1 thất bại, 1 bị hoàn trả")
    );
    shoot_both(&client, "payments-04-da-ap-dung").await;

    // The settlement changed; the failures are on the cash round.
    client
        .goto(&format!("{base}/campaigns/{slug}/payments"))
        .await
        .unwrap();
    wait_for_text(&client, "Quyết toán:").await;
    let text = body_text(&client).await.replace('\u{a0}', " ");
    assert!(text.contains("1 người · 600.000 đ"), "transferred:\n{text}");
    assert!(
        text.contains("1 thành công · 1 thất bại · 1 hoàn trả · 1 chờ kết quả"),
        "{text}"
    );
    shoot_both(&client, "payments-05-quyet-toan-sau-ket-qua").await;
    let sheet = download(&client, &base, "a[href$='/payments/batches/1/xlsx']").await;
    assert_eq!(sheet, xlsx, "the batch downloads again as first made");
    let cash = fetch_bytes(
        &client,
        &format!(
            "{base}/campaigns/{slug}/payments/cash-sheet?program={}&ward={}",
            program.id, ward.id
        ),
    )
    .await;
    let cells = format!("{:?}", read_sheets(&cash)[0].1);
    for name in [
        "Trần Thị Bình",
        "Lê Thị Cúc",
        "Võ Thị Em",
        "Hoàng Văn Giang",
    ] {
        assert!(cells.contains(name), "{name} is paid in cash");
    }
    assert!(!cells.contains("Nguyễn Văn An") && !cells.contains("Phạm Văn Dũng"));

    client
        .goto(&format!(
            "{base}/campaigns/{slug}/payments/follow-up?program={}&ward={}",
            program.id, ward.id
        ))
        .await
        .unwrap();
    wait_for_text(&client, "Danh sách cần tiếp cận").await;
    let text = body_text(&client).await.replace('\u{a0}', " ");
    assert!(text.contains("Sai tên chủ tài khoản"), "{text}");
    shoot_both(&client, "payments-06-can-tiep-can").await;

    // The ward officer on a phone: their ward's batch, no forms to make one.
    logout(&client).await;
    client.set_window_size(390, 900).await.unwrap();
    login(&client, &base, "canbo.tanphu").await;
    client.goto(&format!("{base}/")).await.unwrap();
    wait_for_text(&client, "Quyết toán chi trả –").await;
    click(&client, &format!("a[href='/campaigns/{slug}/payments']")).await;
    wait_for_text(&client, "Các đợt chuyển khoản").await;
    let text = body_text(&client).await.replace('\u{a0}', " ");
    assert!(text.contains("Số 1") && !text.contains("Lập danh sách chuyển khoản"));
    shoot_both(&client, "payments-07-phuong").await;
    client.close().await.unwrap();
}

/// Types `text` into the field `css` after clearing it.
async fn type_into(client: &Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_banks_an_administrator_adds_a_bank_and_a_taken_name_is_refused() {
    if std::env::var("CHAMLO_E2E").as_deref() != Ok("1") {
        eprintln!("skipped: run with CHAMLO_E2E=1 (needs chromium and chromium-driver)");
        return;
    }
    let app = TestApp::spawn().await;
    app.create_user("quantri", Role::Admin, None).await;
    let (base, _driver, client) = serve_and_browse(&app, "e2e-banks").await;
    client.set_window_size(1366, 900).await.unwrap();
    login(&client, &base, "quantri").await;
    client.goto(&format!("{base}/admin")).await.unwrap();
    click(&client, "a[href='/admin/banks']").await;
    wait_for_text(&client, "Danh sách ngân hàng").await;
    shoot_both(&client, "banks-01-danh-sach").await;

    type_into(&client, "#bin", "970499").await;
    type_into(&client, "#short_name", "NH Thử nghiệm").await;
    type_into(&client, "#name", "Ngân hàng Thương mại Thử nghiệm").await;
    type_into(&client, "#synonyms", "TNBank\nVCB").await;
    click(&client, "#bank-form button[type=submit]").await;
    wait_for_text(
        &client,
        "Tên “VCB” đã dùng cho ngân hàng Vietcombank (970436).",
    )
    .await;
    shoot_both(&client, "banks-02-ten-da-dung").await;

    type_into(&client, "#synonyms", "TNBank").await;
    click(&client, "#bank-form button[type=submit]").await;
    wait_for_text(&client, "Đã lưu ngân hàng NH Thử nghiệm (970499).").await;
    let text = body_text(&client).await;
    assert!(text.contains("Ngân hàng Thương mại Thử nghiệm"), "{text}");
    shoot_both(&client, "banks-03-da-luu").await;

    click(&client, "a[aria-label='Sửa ngân hàng NH Thử nghiệm']").await;
    wait_for_text(&client, "Sửa ngân hàng NH Thử nghiệm").await;
    let bin = client.find(Locator::Css("#bin")).await.unwrap();
    assert_eq!(bin.attr("readonly").await.unwrap().as_deref(), Some("true"));
}
