//! The settlement on the dashboards in Chromium (issue 16), at a phone's 390 px and a
//! desktop's 1366 px: Tân Phú's gifts paid "transfer, else cash" from its own file, one
//! transfer confirmed and one failed; the district reads the settlement per program on the
//! campaign page, the ward officer their ward's on the home page. Screenshots go to
//! target/screenshots/. Skipped unless `CHAMLO_E2E=1`.

use chamlo::domain::operator::Operator;
use chamlo::domain::payments::{apply_results, make_transfer_batch, set_payment_method};
use chamlo::entities::payment_states::PaymentMethod;
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::import::payment_results::read_payment_results;

use crate::e2e::{body_text, login, logout, serve_and_browse, shoot, wait_for_text};
use crate::exports::{approve_all, default_program};
use crate::helpers::TestApp;
use crate::import::{district_campaign, import_bytes};

/// Fails when the page scrolls sideways at the window's width.
pub(crate) async fn assert_no_sideways_scroll(client: &fantoccini::Client, page: &str) {
    let overflow = client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overflow,
        serde_json::json!(false),
        "{page} scrolls sideways"
    );
}

/// The district's 2021 campaign paid "transfer, else cash", with Tân Phú's approved list
/// from its own file (accounts for four of six people), and the district's two accounts.
pub(crate) async fn tan_phu_paying_by_transfer(
    app: &TestApp,
) -> (
    chamlo::entities::campaign::Model,
    chamlo::entities::gift_program::Model,
) {
    let campaign = district_campaign(app, 2021).await;
    let program = default_program(app, &campaign).await;
    set_payment_method(
        &app.db,
        &Operator::system("test"),
        program.id,
        PaymentMethod::TransferElseCash,
    )
    .await
    .unwrap();
    import_bytes(
        app,
        &campaign,
        "tan-phu.xlsx",
        &crate::payments_story::ward_file(),
        None,
    )
    .await
    .unwrap();
    approve_all(app, &campaign).await;
    (campaign, program)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_settlement_on_the_dashboards() {
    if std::env::var("CHAMLO_E2E").as_deref() != Ok("1") {
        eprintln!("skipped: run with CHAMLO_E2E=1 (needs chromium and chromium-driver)");
        return;
    }
    let app = TestApp::spawn().await;
    let admin = Operator::system("test");
    let (campaign, program) = tan_phu_paying_by_transfer(&app).await;
    let ward = app.unit(UnitLevel::Ward, "Tân Phú").await;
    make_transfer_batch(&app.db, &admin, &campaign, program.id, Some(ward.id))
        .await
        .unwrap();
    let results = "Số định danh,Số tiền,Trạng thái,Lý do\n\
        079050001234,600000,Thành công,\n\
        079151005678,600000,Thất bại,Sai tên chủ tài khoản\n";
    let rows = read_payment_results(results.as_bytes()).unwrap();
    apply_results(&app.db, &admin, &campaign, &rows, "ket-qua.csv")
        .await
        .unwrap();
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

    let (base, _driver, client) = serve_and_browse(&app, "e2e-settlement").await;
    // The district on a desktop, then a phone.
    client.set_window_size(1366, 900).await.unwrap();
    login(&client, &base, "quan9").await;
    client
        .goto(&format!("{base}/campaigns/{}", campaign.slug))
        .await
        .unwrap();
    wait_for_text(&client, "Quyết toán chi trả theo chương trình").await;
    let text = body_text(&client).await;
    // 6 gifts, 3.000.000 đ; An's 600.000 transferred; Bình's failed; Cúc and Dũng await
    // the bank; Em and Giang have no account; nothing in cash yet, so all but 600.000 back.
    for figure in [
        "6 suất · 3.000.000 đ",
        "1 suất · 600.000 đ",
        "1 suất (chờ chi tiền mặt)",
        "2.400.000 đ",
    ] {
        assert!(text.contains(figure), "{figure} on the dashboard:\n{text}");
    }
    shoot(&client, "settlement-01-quan-1366").await;
    client.set_window_size(390, 900).await.unwrap();
    assert_no_sideways_scroll(&client, "the campaign page").await;
    shoot(&client, "settlement-02-quan-390").await;

    // The ward officer on a phone, then a desktop: their ward's own figures at home.
    logout(&client).await;
    client.set_window_size(390, 900).await.unwrap();
    login(&client, &base, "canbo.tanphu").await;
    client.goto(&format!("{base}/")).await.unwrap();
    wait_for_text(&client, "Quyết toán chi trả –").await;
    assert!(body_text(&client).await.contains("2.400.000 đ"));
    assert_no_sideways_scroll(&client, "the home page").await;
    shoot(&client, "settlement-03-phuong-390").await;
    client.set_window_size(1366, 900).await.unwrap();
    shoot(&client, "settlement-04-phuong-1366").await;
    client.close().await.unwrap();
}
