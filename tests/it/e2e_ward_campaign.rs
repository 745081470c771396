//! Campaigns at any level in Chromium, at 1366 px and at 390 px: a ward's leader creates the
//! ward's own campaign on the home page (the form offers their ward as the unit), its page says
//! the ward's leader approves it; and the list page of the city's campaign shows which sectors
//! approved and which are awaited. Screenshots go to target/screenshots/ (e2e-ward-campaign-*).
//!
//!     CHAMLO_E2E=1 cargo test --test it e2e_ward_campaign -- --nocapture

use chamlo::domain::ward_lists::{ListAction, transition_list};
use chamlo::entities::states::{Role, Sector, UnitLevel};
use fantoccini::{Client, Locator};

use crate::e2e::{body_text, click, login, serve_and_browse, shoot, wait_for_path};
use crate::helpers::TestApp;
use crate::two_tier_import::campaign_2027;
use crate::ward_campaigns::{import_tang_nhon_phu, supervisor_account};

/// Fails when the page scrolls sideways.
async fn assert_no_sideways_scroll(client: &Client, width: u32) {
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_ward_campaign_created_by_the_leader_and_sector_approvals_at_both_widths() {
    if std::env::var("CHAMLO_E2E").as_deref() != Ok("1") {
        eprintln!("skipped: run with CHAMLO_E2E=1 (needs Chromium and chromedriver)");
        return;
    }
    let app = TestApp::spawn().await;
    let ward = app.unit(UnitLevel::Ward, "Tăng Nhơn Phú").await;
    // The city's campaign, with Tăng Nhơn Phú's list sent up and its merit part approved.
    let city_campaign = campaign_2027(&app).await;
    import_tang_nhon_phu(&app, &city_campaign).await;
    let officer = app
        .operator(
            "canbo.tangnhonphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tăng Nhơn Phú")),
        )
        .await;
    transition_list(
        &app.db,
        &officer,
        &city_campaign,
        ward.id,
        ListAction::Submit,
        None,
    )
    .await
    .expect("submitted");
    let (_, merit) = supervisor_account(
        &app,
        "sonoivu",
        (UnitLevel::City, "Hồ Chí Minh"),
        &[Sector::Merit],
    )
    .await;
    transition_list(
        &app.db,
        &merit,
        &city_campaign,
        ward.id,
        ListAction::Approve,
        None,
    )
    .await
    .expect("merit part approved");
    supervisor_account(
        &app,
        "lanhdao.tangnhonphu",
        (UnitLevel::Ward, "Tăng Nhơn Phú"),
        &[],
    )
    .await;

    let (base, _driver, client) = serve_and_browse(&app, "e2e-ward-campaign").await;
    client.set_window_size(1366, 900).await.unwrap();
    login(&client, &base, "lanhdao.tangnhonphu").await;

    // The leader creates the ward's own campaign: the form offers their ward alone.
    for (width, name) in [
        (390, "e2e-ward-campaign-form-390"),
        (1366, "e2e-ward-campaign-form-1366"),
    ] {
        client.set_window_size(width, 900).await.unwrap();
        client.goto(&format!("{base}/")).await.unwrap();
        let options = client.find_all(Locator::Css("#unit option")).await.unwrap();
        assert_eq!(options.len(), 1);
        assert_eq!(options[0].text().await.unwrap(), "Phường Tăng Nhơn Phú");
        assert_no_sideways_scroll(&client, width).await;
        shoot(&client, name).await;
    }
    client
        .find(Locator::Id("year"))
        .await
        .unwrap()
        .send_keys("2027")
        .await
        .unwrap();
    client
        .find(Locator::Id("title"))
        .await
        .unwrap()
        .send_keys("Quà Tết của nhà tài trợ phường Tăng Nhơn Phú")
        .await
        .unwrap();
    click(&client, "form.inline-form button[type=submit]").await;
    let campaign_path = wait_for_path(&client, "/campaigns/tet-2027-2").await;
    for (width, name) in [
        (1366, "e2e-ward-campaign-page-1366"),
        (390, "e2e-ward-campaign-page-390"),
    ] {
        client.set_window_size(width, 900).await.unwrap();
        client.goto(&campaign_path).await.unwrap();
        let text = body_text(&client).await;
        assert!(
            text.contains("Lãnh đạo UBND phường Tăng Nhơn Phú duyệt danh sách"),
            "{text}"
        );
        assert!(text.contains("Quản lý đợt quà"), "{text}");
        assert_no_sideways_scroll(&client, width).await;
        shoot(&client, name).await;
    }

    // The list of the city's campaign: merit approved, social protection awaited; the leader
    // sees it but has no approve button in the city's campaign.
    let list_path = format!("{base}/campaigns/{}/wards/{}", city_campaign.slug, ward.id);
    for (width, name) in [
        (1366, "e2e-ward-campaign-sectors-1366"),
        (390, "e2e-ward-campaign-sectors-390"),
    ] {
        client.set_window_size(width, 900).await.unwrap();
        client.goto(&list_path).await.unwrap();
        let text = body_text(&client).await;
        assert!(text.contains("Thành phố duyệt theo lĩnh vực"), "{text}");
        assert!(text.contains("Duyệt theo lĩnh vực"), "{text}");
        assert!(text.contains("Đã duyệt Người có công"), "{text}");
        assert!(text.contains("Chờ duyệt Bảo trợ xã hội"), "{text}");
        assert!(
            client
                .find_all(Locator::Css("input[name=action][value=approve]"))
                .await
                .unwrap()
                .is_empty()
        );
        assert_no_sideways_scroll(&client, width).await;
        shoot(&client, name).await;
    }
}
