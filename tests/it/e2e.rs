//! The whole flow in a real browser (headless Chromium through chromedriver): a ward officer
//! logs in, uploads an import sample, sees the preview, commits and submits; the district
//! approves, downloads the signing sheet and records a gift; another ward's officer is
//! refused. Screenshots of the main pages go to target/screenshots/.
//!
//! Skipped unless `CHAMLO_E2E=1` (it needs `apt-get install -y chromium chromium-driver`):
//!
//!     CHAMLO_E2E=1 cargo test --test it e2e -- --nocapture

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chamlo::entities::states::{Role, UnitLevel};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};
use crate::import::{district_campaign, sample_path};

/// chromedriver, stopped when the test ends however it ends.
pub(crate) struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub(crate) fn start_driver() -> Driver {
    let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let port = free_port();
    let child = Command::new(&binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|err| {
            panic!("cannot start {binary} ({err}): apt-get install -y chromium chromium-driver")
        });
    let driver = Driver { child, port };
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

pub(crate) async fn browser(driver: &Driver, profile: &std::path::Path) -> Client {
    browser_with(driver, profile, &[]).await
}

/// A browser session with extra Chromium flags (the check-in test's fake camera).
pub(crate) async fn browser_with(
    driver: &Driver,
    profile: &std::path::Path,
    extra_args: &[String],
) -> Client {
    let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": binary,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=vi-VN",
                format!("--user-data-dir={}", profile.display()),
                "--window-size=1280,1000",
            ],
        }),
    );
    if let Some(args) = caps
        .get_mut("goog:chromeOptions")
        .and_then(|o| o.get_mut("args"))
        .and_then(|a| a.as_array_mut())
    {
        args.extend(extra_args.iter().map(|a| json!(a)));
    }
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session")
}

pub(crate) fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot directory");
    dir
}

pub(crate) async fn shoot(client: &Client, name: &str) {
    // The whole page: grow the window to the document's height first.
    let height = client
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(1000)
        .clamp(600, 4000);
    let width = client
        .execute("return window.outerWidth;", vec![])
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(1280);
    let _ = client
        .set_window_size(width as u32, height as u32 + 120)
        .await;
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).expect("screenshot saved");
}

/// The page's visible text. A click may still be loading the next page when
/// this runs, so the body found can go stale before its text is read: the
/// read is retried on the new page rather than failing the test.
pub(crate) async fn body_text(client: &Client) -> String {
    let started = Instant::now();
    loop {
        let read = match client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await,
            Err(error) => Err(error),
        };
        match read {
            Ok(text) => return text,
            Err(error) => {
                assert!(
                    started.elapsed() < Duration::from_secs(15),
                    "the page's text could not be read: {error}"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Waits until the address contains `part`.
pub(crate) async fn wait_for_path(client: &Client, part: &str) -> String {
    let started = Instant::now();
    loop {
        let url = client.current_url().await.expect("url").to_string();
        if url.contains(part) {
            return url;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "waited for {part}, still at {url}:\n{}",
            body_text(client).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn wait_for_text(client: &Client, text: &str) {
    let started = Instant::now();
    loop {
        let shown = body_text(client).await;
        if shown.contains(text) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "never showed {text}; the page shows:\n{shown}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn login(client: &Client, base: &str, username: &str) {
    client.goto(&format!("{base}/login")).await.unwrap();
    client
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    client
        .find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let started = Instant::now();
    while client.current_url().await.unwrap().path() != "/" {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "login of {username} failed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn logout(client: &Client) {
    client
        .find(Locator::Css(".who button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(client, "/login").await;
}

pub(crate) async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css}"))
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_ward_officer_to_signing_sheet_in_chromium() {
    if std::env::var("CHAMLO_E2E").as_deref() != Ok("1") {
        eprintln!(
            "skipped: the browser test needs Chromium. Run it with\n    \
             apt-get install -y chromium chromium-driver\n    \
             CHAMLO_E2E=1 cargo test --test it e2e -- --nocapture"
        );
        return;
    }
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    app.create_user(
        "canbo.hiepphu",
        Role::Ward,
        Some((UnitLevel::Ward, "Hiệp Phú")),
    )
    .await;
    app.create_user(
        "canbo.tanphu",
        Role::Ward,
        Some((UnitLevel::Ward, "Tân Phú")),
    )
    .await;
    app.create_user(
        "quan9",
        Role::District,
        Some((UnitLevel::District, "Quận 9")),
    )
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app.router();
    tokio::spawn(async move { axum::serve(listener, router).await });

    let driver = start_driver();
    let profile = std::env::temp_dir().join(format!("chamlo-e2e-{}", std::process::id()));
    let client = browser(&driver, &profile).await;
    let slug = &campaign.slug;

    // The ward officer: log in, upload, preview, commit, search, submit.
    client.goto(&format!("{base}/login")).await.unwrap();
    shoot(&client, "01-dang-nhap").await;
    login(&client, &base, "canbo.hiepphu").await;
    let home = body_text(&client).await;
    assert!(home.contains("Cán bộ phường"), "{home}");
    assert!(home.contains("Phường Hiệp Phú"));
    shoot(&client, "02-trang-chu-phuong").await;

    client
        .goto(&format!("{base}/campaigns/{slug}/import"))
        .await
        .unwrap();
    shoot(&client, "03-tai-len").await;
    let sample = sample_path("01-hiep-phu-nguoi-co-cong.xlsx");
    client
        .find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(&sample.display().to_string())
        .await
        .unwrap();
    click(&client, "form[data-busy] button[type=submit]").await;
    wait_for_path(&client, "/imports/").await;
    wait_for_text(&client, "dòng hợp lệ").await;
    let preview = body_text(&client).await;
    assert!(preview.contains("12 dòng hợp lệ"), "{preview}");
    assert!(preview.contains("Nguyễn Văn Hùng"));
    shoot(&client, "04-xem-truoc").await;

    click(&client, "form[action$='/commit'] button").await;
    let list_url = wait_for_path(&client, "/wards/").await;
    let list_path = list_url
        .split_once("/campaigns/")
        .map(|(_, rest)| format!("/campaigns/{}", rest.split('?').next().unwrap_or(rest)))
        .unwrap();
    wait_for_text(&client, "Đã ghi").await;
    let list = body_text(&client).await;
    assert!(list.contains("Đã ghi 12 người vào danh sách."), "{list}");
    shoot(&client, "05-danh-sach-phuong").await;

    let search = client.find(Locator::Id("q")).await.unwrap();
    search.send_keys("tran van loc").await.unwrap();
    click(&client, "form[role=search] button").await;
    wait_for_path(&client, "q=tran").await;
    wait_for_text(&client, "Trần Văn Lộc").await;
    let found = body_text(&client).await;
    assert!(found.contains("Trần Văn Lộc"), "{found}");
    assert!(!found.contains("Nguyễn Văn Hùng"));

    client.goto(&format!("{base}{list_path}")).await.unwrap();
    click(&client, "form[action$='/transition'] button").await;
    // A confirmation step says what submitting does before it is done.
    wait_for_path(&client, "transition?action=submit").await;
    wait_for_text(&client, "Việc sẽ xảy ra").await;
    click(&client, "form[method=post][action$='/transition'] button").await;
    wait_for_path(&client, "notice=submit").await;
    wait_for_text(&client, "Đã gửi danh sách đi duyệt.").await;
    logout(&client).await;

    // The district: dashboard, approve, signing sheet, one gift handed out.
    login(&client, &base, "quan9").await;
    client
        .goto(&format!("{base}/campaigns/{slug}"))
        .await
        .unwrap();
    let dashboard = body_text(&client).await;
    assert!(dashboard.contains("Phường Hiệp Phú"), "{dashboard}");
    assert!(dashboard.contains("Chờ duyệt"));
    shoot(&client, "06-bang-dieu-khien-quan").await;
    client.goto(&format!("{base}{list_path}")).await.unwrap();
    shoot(&client, "07-duyet-danh-sach").await;
    click(&client, "form input[value=approve] + button").await;
    wait_for_path(&client, "transition?action=approve").await;
    wait_for_text(&client, "Việc sẽ xảy ra").await;
    click(&client, "form[method=post] input[value=approve] + button").await;
    wait_for_path(&client, "notice=approve").await;
    wait_for_text(&client, "Đã duyệt danh sách.").await;

    let download = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const form = document.querySelector(\"form[action$='/signing-sheet']\");
             const url = form.action + '?' + new URLSearchParams(new FormData(form));
             fetch(url).then(r => r.blob().then(b => done(r.status + '|' +
               r.headers.get('content-type') + '|' + r.headers.get('content-disposition') + '|' + b.size)));",
            vec![],
        )
        .await
        .unwrap();
    let download = download.as_str().unwrap_or_default().to_owned();
    assert!(download.starts_with("200|"), "{download}");
    assert!(download.contains("spreadsheetml"), "{download}");
    assert!(download.contains("ky-nhan-"), "{download}");

    click(&client, "button[name=only]").await;
    wait_for_path(&client, "notice=phat-1").await;
    wait_for_text(&client, "Đã ghi nhận cấp phát cho 1 suất quà.").await;
    shoot(&client, "08-cap-phat").await;
    client
        .goto(&format!("{base}{list_path}/signed-sheet"))
        .await
        .unwrap();
    assert!(
        body_text(&client)
            .await
            .contains("Nhận lại danh sách ký nhận")
    );
    shoot(&client, "08b-nhan-lai-danh-sach-da-ky").await;
    client.set_window_size(390, 844).await.unwrap();
    client
        .goto(&format!("{base}/campaigns/{slug}"))
        .await
        .unwrap();
    shoot(&client, "09-bang-dieu-khien-dien-thoai").await;
    client.set_window_size(1280, 1000).await.unwrap();
    logout(&client).await;

    // Another ward's officer cannot open Hiệp Phú's list.
    login(&client, &base, "canbo.tanphu").await;
    client.goto(&format!("{base}{list_path}")).await.unwrap();
    let refused = body_text(&client).await;
    assert!(refused.contains("Không có quyền truy cập"), "{refused}");
    assert!(!refused.contains("Nguyễn Văn Hùng"));
    assert!(
        refused.contains("Cán bộ phường"),
        "the frame stays: {refused}"
    );
    shoot(&client, "10-tu-choi-phuong-khac").await;

    // A personal API token, shown once.
    client.goto(&format!("{base}/tokens")).await.unwrap();
    client
        .find(Locator::Id("name"))
        .await
        .unwrap()
        .send_keys("script báo cáo")
        .await
        .unwrap();
    click(&client, "form[action='/tokens'] button").await;
    wait_for_text(&client, "mã chỉ hiện một lần").await;
    shoot(&client, "11-ma-truy-cap").await;

    client.close().await.ok();
    drop(driver);
    let _ = std::fs::remove_dir_all(&profile);
    eprintln!("screenshots: {}", screenshot_dir().display());
}

/// Serves `app` on a free local port and opens a browser on it: (base URL, the driver to keep
/// alive for the test, the browser). `profile` names the browser's throw-away profile.
pub(crate) async fn serve_and_browse(app: &TestApp, profile: &str) -> (String, Driver, Client) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let driver = start_driver();
    let dir = std::env::temp_dir().join(format!("chamlo-{profile}-{}", std::process::id()));
    let client = browser(&driver, &dir).await;
    (base, driver, client)
}
