//! An administrator's account pages and audit log in Chromium at 1366 px and 390 px: editing
//! a ward officer, locking them, resetting their password, then reading what was done in the
//! audit log (Vietnamese labels, names, before/after, Vietnam time). Screenshots go to
//! target/screenshots/ (e2e-users-*).
//!
//!     CHAMLO_E2E=1 cargo test --test it e2e_admin_users -- --nocapture

use chamlo::entities::states::{Role, UnitLevel};
use fantoccini::Locator;

use crate::e2e::{body_text, click, login, serve_and_browse, shoot, wait_for_text};
use crate::helpers::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_admin_users_edit_lock_reset_and_audit_at_both_widths() {
    if std::env::var("CHAMLO_E2E").as_deref() != Ok("1") {
        eprintln!("skipped: run with CHAMLO_E2E=1 (needs Chromium and chromedriver)");
        return;
    }
    let app = TestApp::spawn().await;
    app.create_user("quantri", Role::Admin, None).await;
    let officer = app
        .create_user(
            "canbo.tanphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tân Phú")),
        )
        .await;
    let (base, _driver, client) = serve_and_browse(&app, "e2e-users").await;

    client.set_window_size(1366, 900).await.unwrap();
    login(&client, &base, "quantri").await;
    client.goto(&format!("{base}/users")).await.unwrap();
    click(&client, &format!("a[href='/users/{}']", officer.id)).await;
    wait_for_text(&client, "Sửa thông tin").await;
    client
        .find(Locator::Id("full_name"))
        .await
        .unwrap()
        .send_keys("Lê Thị Hoa")
        .await
        .unwrap();
    click(&client, "form.form button[type=submit]").await;
    wait_for_text(&client, "Đã lưu thay đổi").await;
    click(&client, "form[action$='/lock'] button").await;
    wait_for_text(&client, "Đã khóa tài khoản").await;
    click(&client, "form[action$='/reset-password'] button").await;
    wait_for_text(&client, "Mật khẩu mới của").await;
    shoot(&client, "e2e-users-account-1366").await;
    client.set_window_size(390, 844).await.unwrap();
    shoot(&client, "e2e-users-account-390").await;

    client.goto(&format!("{base}/admin/audit")).await.unwrap();
    let log = body_text(&client).await;
    assert!(log.contains("Khóa tài khoản"), "{log}");
    assert!(log.contains("Đặt lại mật khẩu"));
    assert!(log.contains("Tài khoản canbo.tanphu (Lê Thị Hoa)"));
    assert!(log.contains("(giờ VN)"));
    let page = client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(
        page <= 1.0,
        "the audit page scrolls sideways by {page} px at 390 px"
    );
    shoot(&client, "e2e-users-audit-390").await;
    client.set_window_size(1366, 900).await.unwrap();
    client.refresh().await.unwrap();
    shoot(&client, "e2e-users-audit-1366").await;
    client.close().await.unwrap();
}
