//! An administrator's account pages and audit log in Chromium at 1366 px and 390 px: editing
//! a ward officer, locking them, resetting their password, then reading what was done in the
//! audit log (Vietnamese labels, names, before/after, Vietnam time). Screenshots go to
//! target/screenshots/ (e2e-users-*).
//!
//!     CHAMLO_E2E=1 cargo test --test it e2e_admin_users -- --nocapture

use chamlo::entities::states::{Role, UnitLevel};
use fantoccini::Locator;

use crate::e2e::{body_text, click, login, logout, serve_and_browse, shoot, wait_for_text};
use crate::helpers::{PASSWORD, TestApp};

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

/// On a fresh install the administrator creates an officer for a ward of 1 July 2025 (Tăng
/// Nhơn Phú, a merged ward): the unit list offers it as a current ward, and the officer then
/// logs in and works in it. At 1366 px and 390 px.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_admin_creates_an_officer_for_a_new_ward_on_a_fresh_install() {
    if std::env::var("CHAMLO_E2E").as_deref() != Ok("1") {
        eprintln!("skipped: run with CHAMLO_E2E=1 (needs Chromium and chromedriver)");
        return;
    }
    let app = TestApp::spawn().await;
    app.create_user("quantri", Role::Admin, None).await;
    let (base, _driver, client) = serve_and_browse(&app, "e2e-users-new-ward").await;

    for (width, height, username) in [(1366, 900, "canbo.tnp1366"), (390, 844, "canbo.tnp390")] {
        client.set_window_size(width, height).await.unwrap();
        login(&client, &base, "quantri").await;
        client.goto(&format!("{base}/users")).await.unwrap();
        // The merged ward is offered as it is today, not as an ended unit.
        let offered: Vec<String> = {
            let mut names = Vec::new();
            for option in client
                .find_all(Locator::Css("#unit_id option"))
                .await
                .unwrap()
            {
                names.push(option.text().await.unwrap());
            }
            names
        };
        assert!(
            offered.iter().any(|n| n == "Phường Tăng Nhơn Phú"),
            "{offered:?}"
        );
        assert!(
            offered
                .iter()
                .any(|n| n.starts_with("Phường Hiệp Phú (đến")),
            "an old ward says since when it ended: {offered:?}"
        );
        client
            .find(Locator::Id("username"))
            .await
            .unwrap()
            .send_keys(username)
            .await
            .unwrap();
        client
            .find(Locator::Id("full_name"))
            .await
            .unwrap()
            .send_keys("Nguyễn Thị Thu")
            .await
            .unwrap();
        client
            .find(Locator::XPath(
                "//select[@id='unit_id']/option[normalize-space()='Phường Tăng Nhơn Phú']",
            ))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .find(Locator::Id("password"))
            .await
            .unwrap()
            .send_keys(PASSWORD)
            .await
            .unwrap();
        shoot(&client, &format!("e2e-users-new-ward-form-{width}")).await;
        click(&client, "form[action='/users'] button[type=submit]").await;
        wait_for_text(&client, "Đã tạo tài khoản").await;
        let listed = body_text(&client).await;
        assert!(listed.contains(username), "{listed}");

        logout(&client).await;
        login(&client, &base, username).await;
        let home = body_text(&client).await;
        assert!(home.contains("Tăng Nhơn Phú"), "{home}");
        shoot(&client, &format!("e2e-users-new-ward-officer-{width}")).await;
        logout(&client).await;
    }
    client.close().await.unwrap();
}
