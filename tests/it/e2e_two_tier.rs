//! A merged ward's list in Chromium, at 1366 px and at 390 px: the people an old ward's file
//! brought in (Hiệp Phú into Tăng Nhơn Phú, Tết 2027) show "Phường cũ" under their address,
//! with no sideways scrolling on a phone. Screenshots go to target/screenshots/
//! (e2e-two-tier-*).
//!
//!     CHAMLO_E2E=1 cargo test --test it e2e_two_tier -- --nocapture

use chamlo::entities::states::{Role, UnitLevel};

use crate::e2e::{body_text, login, serve_and_browse, shoot};
use crate::helpers::TestApp;
use crate::import::{import_bytes, sample_path};
use crate::two_tier_import::campaign_2027;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_two_tier_list_shows_phuong_cu_at_both_widths() {
    if std::env::var("CHAMLO_E2E").as_deref() != Ok("1") {
        eprintln!("skipped: run with CHAMLO_E2E=1 (needs Chromium and chromedriver)");
        return;
    }
    let app = TestApp::spawn().await;
    let campaign = campaign_2027(&app).await;
    let file = "01-hiep-phu-nguoi-co-cong.xlsx";
    let bytes = std::fs::read(sample_path(file)).unwrap();
    let (_, committed) = import_bytes(&app, &campaign, file, &bytes, None)
        .await
        .expect("imported");
    let ward = app.unit(UnitLevel::Ward, "Tăng Nhơn Phú").await;
    app.create_user(
        "canbo.tangnhonphu",
        Role::Ward,
        Some((UnitLevel::Ward, "Tăng Nhơn Phú")),
    )
    .await;
    assert_eq!(committed.len(), 1);
    let (base, _driver, client) = serve_and_browse(&app, "e2e-two-tier").await;
    let path = format!("{base}/campaigns/{}/wards/{}", campaign.slug, ward.id);
    for (width, name) in [
        (1366, "e2e-two-tier-list-1366"),
        (390, "e2e-two-tier-list-390"),
    ] {
        client.set_window_size(width, 900).await.unwrap();
        if width == 1366 {
            login(&client, &base, "canbo.tangnhonphu").await;
        }
        client.goto(&path).await.unwrap();
        let text = body_text(&client).await;
        assert_eq!(text.matches("Phường cũ: Hiệp Phú").count(), 12, "{text}");
        let scroll = client
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap()
            .as_f64()
            .unwrap_or(0.0);
        assert!(
            scroll <= 1.0,
            "no sideways scrolling at {width} px ({scroll})"
        );
        shoot(&client, name).await;
    }
}
