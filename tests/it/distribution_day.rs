//! Distribution day: slips whose QR codes read back to each entry's code, checking in by
//! code from the command line and the API (recorded once, refused the second time with who
//! and when, a retried offline scan answered "repeated"), points and slots with their counts,
//! home visits, the not-yet-reached list and the message list.

use std::collections::HashSet;
use std::process::Command;

use chamlo::domain::operator::Operator;
use chamlo::domain::progress::campaign_progress;
use chamlo::entities::states::{EntryStatus, Role, UnitLevel};
use chamlo::entities::{audit_event, campaign, entry, invitation, person};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

use crate::cli::run_chamlo;
use crate::cycle_support::{Auth, api};
use crate::distribution::approved_ward;
use crate::helpers::TestApp;

/// Gives the four people of Hiệp Phú khu phố and phones (two in "Khu phố 1", two in
/// "Khu phố 2"), as the ward's file would.
async fn with_khu_pho_and_phones(app: &TestApp) {
    let people = person::Entity::find().all(&app.db).await.unwrap();
    for (i, found) in people.into_iter().enumerate() {
        let mut model = found.into_active_model();
        model.khu_pho = Set(Some(format!("Khu phố {}", i % 2 + 1)));
        model.phone = Set(Some(format!("090900000{i}")));
        model.update(&app.db).await.unwrap();
    }
}

/// A directory of its own for one test, removed when it ends.
struct ScratchDir(std::path::PathBuf);

impl ScratchDir {
    fn new() -> Self {
        let path = std::env::temp_dir().join(format!(
            "chamlo-distribution-day-{}-{}",
            std::process::id(),
            chamlo::domain::secret_tokens::new_token()
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn codes_by_entry(app: &TestApp) -> Vec<(i32, String)> {
    let mut codes: Vec<(i32, String)> = invitation::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|i| (i.entry_id, i.code))
        .collect();
    codes.sort();
    codes
}

async fn received_count(app: &TestApp, campaign: &campaign::Model) -> i64 {
    campaign_progress(&app.db, &Operator::system("test"), campaign)
        .await
        .unwrap()
        .total
        .received_people
}

#[tokio::test]
async fn the_slips_pdf_has_one_qr_per_gift_and_each_reads_back_to_its_entrys_code() {
    let app = TestApp::spawn().await;
    let campaign = approved_ward(&app).await;
    let dir = ScratchDir::new();
    let pdf = dir.path().join("slips.pdf");
    let output = run_chamlo(
        &app,
        &[
            "invitations",
            "--campaign",
            &campaign.slug,
            "--ward",
            "hiep phu",
            "--out",
            pdf.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let codes = codes_by_entry(&app).await;
    assert_eq!(codes.len(), 4, "one code per gift on the approved list");
    for (_, code) in &codes {
        assert_eq!(code.len(), 10);
    }

    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-png"])
        .arg(&pdf)
        .arg(dir.path().join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    let pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    assert_eq!(pages.len(), 2, "four slips, three to an A4 page");
    let output = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .args(&pages)
        .output()
        .expect("zbarimg (zbar-tools) is installed");
    let read: HashSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    let expected: HashSet<String> = codes.iter().map(|(_, c)| c.clone()).collect();
    assert_eq!(read, expected);

    // The text is real Vietnamese (the font is embedded and mapped back to Unicode).
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("GIẤY MỜI NHẬN QUÀ"), "{text}");
    assert!(text.contains("Nguyễn Văn An"));
    assert!(text.contains("PHƯỜNG HIỆP PHÚ"));

    // A reprint keeps the codes, and the HTML page carries the same codes for typing.
    let html = dir.path().join("slips.html");
    let output = run_chamlo(
        &app,
        &[
            "invitations",
            "--campaign",
            &campaign.slug,
            "--ward",
            "Hiệp Phú",
            "--out",
            html.to_str().unwrap(),
        ],
        &[],
    );
    assert!(output.status.success());
    assert_eq!(codes_by_entry(&app).await, codes);
    let page = std::fs::read_to_string(&html).unwrap();
    for (_, code) in &codes {
        assert!(page.contains(&format!("{}-{}", &code[..5], &code[5..])));
    }
    assert!(!page.contains("http"), "no link on a slip");
}

#[tokio::test]
async fn checkin_on_the_command_line_records_once_then_refuses_with_who_and_when() {
    let app = TestApp::spawn().await;
    let campaign = approved_ward(&app).await;
    let dir = ScratchDir::new();
    let out = dir.path().join("s.html");
    run_chamlo(
        &app,
        &[
            "invitations",
            "--campaign",
            &campaign.slug,
            "--ward",
            "Hiệp Phú",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let codes = codes_by_entry(&app).await;
    let (entry_id, code) = codes[0].clone();
    assert_eq!(received_count(&app, &campaign).await, 0);

    let typed = format!("{}-{}", code[..5].to_lowercase(), &code[5..]);
    let first = run_chamlo(
        &app,
        &["checkin", &typed, "--campaign", &campaign.slug],
        &[],
    );
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let gift = entry::Entity::find_by_id(entry_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gift.status, EntryStatus::Received);
    assert_eq!(
        received_count(&app, &campaign).await,
        1,
        "the dashboard's count moves"
    );

    let second = run_chamlo(&app, &["checkin", &code, "--campaign", &campaign.slug], &[]);
    assert_eq!(second.status.code(), Some(1));
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("đã nhận quà lúc"), "{said}");
    assert!(said.contains("cli"), "says by whom: {said}");
    assert_eq!(received_count(&app, &campaign).await, 1);

    let unknown = run_chamlo(
        &app,
        &["checkin", "ZZZZZ-ZZZZZ", "--campaign", &campaign.slug],
        &[],
    );
    assert_eq!(unknown.status.code(), Some(2));

    let (proxy_entry, proxy_code) = codes[1].clone();
    let by_proxy = run_chamlo(
        &app,
        &[
            "checkin",
            &proxy_code,
            "--campaign",
            &campaign.slug,
            "--proxy",
            "Trần Văn Bé",
            "--relationship",
            "con",
        ],
        &[],
    );
    assert_eq!(by_proxy.status.code(), Some(0));
    let gift = entry::Entity::find_by_id(proxy_entry)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gift.receiver_name.as_deref(), Some("Trần Văn Bé"));
    assert_eq!(gift.receiver_relationship.as_deref(), Some("con"));

    // Every check-in is audited twice: the distribution (as the list's buttons write it)
    // and the check-in itself.
    let checkins = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("distribution.checkin"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(checkins.len(), 2);
    let received = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("distribution.received"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(received.len(), 2);
}

#[tokio::test]
async fn the_api_checks_in_once_answers_a_retried_scan_as_repeated_and_refuses_another() {
    let app = TestApp::spawn().await;
    let campaign = approved_ward(&app).await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let slug = &campaign.slug;
    let (status, plan) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{slug}/wards/{}/distribution-plan", ward.id),
        Auth::Cookie(&cookie),
        None,
    )
    .await;
    assert_eq!(status, 200, "{plan}");
    assert_eq!(plan["unassigned"], 4);
    let code = codes_by_entry(&app).await[0].1.clone();

    let (status, card) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{slug}/checkin/{code}"),
        Auth::Cookie(&cookie),
        None,
    )
    .await;
    assert_eq!(status, 200, "{card}");
    assert_eq!(card["status"], "pending");
    assert_eq!(card["person_name"], "Nguyễn Văn An");

    let scan = json!({"code": code, "point": "Nhà văn hóa khu phố 1", "client_key": "scan-1"});
    let (status, outcome) = api(
        &app,
        "POST",
        &format!("/api/campaigns/{slug}/checkin"),
        Auth::Cookie(&cookie),
        Some(scan.clone()),
    )
    .await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["result"], "recorded");
    // The same scan again, as an offline queue resends it: nothing new is recorded.
    let (status, outcome) = api(
        &app,
        "POST",
        &format!("/api/campaigns/{slug}/checkin"),
        Auth::Cookie(&cookie),
        Some(scan),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(outcome["result"], "repeated");
    // Another phone scanning the same slip is refused, with who, when and where.
    let other = json!({"code": code, "client_key": "scan-2"});
    let (status, outcome) = api(
        &app,
        "POST",
        &format!("/api/campaigns/{slug}/checkin"),
        Auth::Cookie(&cookie),
        Some(other),
    )
    .await;
    assert_eq!(status, 409, "{outcome}");
    assert_eq!(outcome["result"], "already_received");
    let received = &outcome["card"]["received"];
    assert_eq!(received["recorded_by"], "canbo.hiepphu");
    assert_eq!(received["point"], "Nhà văn hóa khu phố 1");
    assert!(
        received["recorded_at"]
            .as_str()
            .is_some_and(|t| t.len() == 16)
    );
    assert_eq!(received_count(&app, &campaign).await, 1);

    // An officer of another ward cannot check a Hiệp Phú gift in.
    let stranger = app
        .login_as(
            "canbo.tanphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tân Phú")),
        )
        .await;
    let code2 = codes_by_entry(&app).await[1].1.clone();
    let (status, _) = api(
        &app,
        "POST",
        &format!("/api/campaigns/{slug}/checkin"),
        Auth::Cookie(&stranger),
        Some(json!({"code": code2})),
    )
    .await;
    assert_eq!(status, 404, "another ward's code reads as unknown");
    assert_eq!(received_count(&app, &campaign).await, 1);

    let (status, doc) = api(&app, "GET", "/api/openapi.json", Auth::None, None).await;
    assert_eq!(status, 200);
    assert!(doc["paths"]["/api/campaigns/{slug}/checkin"]["post"].is_object());
}

#[tokio::test]
async fn points_slots_home_visits_and_the_follow_up_lists_work_by_khu_pho() {
    let app = TestApp::spawn().await;
    let campaign = approved_ward(&app).await;
    with_khu_pho_and_phones(&app).await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let base = format!(
        "/campaigns/{}/wards/{}/distribution-day",
        campaign.slug, ward.id
    );

    let page = app
        .post_form(
            &format!("{base}/points"),
            &[
                ("name", "Nhà văn hóa khu phố 1"),
                ("address", "12 Lê Văn Việt"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("Đã thêm điểm phát Nhà văn hóa khu phố 1")
    );
    let point_id = chamlo::entities::distribution_point::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let bad = app
        .post_form(
            &format!("{base}/slots"),
            &[
                ("point_id", point_id.as_str()),
                ("day", "2021-02-08"),
                ("starts_at", "10:00"),
                ("ends_at", "08:00"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Giờ kết thúc phải sau giờ bắt đầu"));
    let page = app
        .post_form(
            &format!("{base}/slots"),
            &[
                ("point_id", point_id.as_str()),
                ("day", "2021-02-08"),
                ("starts_at", "08:00"),
                ("ends_at", "10:00"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let slot_id = chamlo::entities::distribution_slot::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let page = app
        .post_form(
            &format!("{base}/assign"),
            &[("slot_id", slot_id.as_str()), ("khu_pho", "Khu phố 1")],
            Some(&cookie),
        )
        .await;
    assert!(
        page.body.contains("Đã mời 2 suất quà của Khu phố 1"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("<td class=\"num\">2</td>"),
        "the slot's count shows"
    );

    // The slip of someone in Khu phố 1 names the point and the time.
    let slips = app
        .get(&format!("{base}/invitations.html"), Some(&cookie))
        .await;
    assert!(slips.body.contains("Nhà văn hóa khu phố 1, 12 Lê Văn Việt"));
    assert!(slips.body.contains("08/02/2021, 08:00–10:00"));

    // The message list: phone and text with name, point, date and time; no link, no ID.
    let csv = app
        .get(&format!("{base}/messages.csv"), Some(&cookie))
        .await;
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0].trim_start_matches('\u{feff}'), "phone,message");
    assert_eq!(lines.len(), 5);
    assert!(csv.body.contains("ngày 08/02/2021, từ 08:00 đến 10:00"));
    assert!(!csv.body.contains("http") && !csv.body.contains("www"));

    // One person cannot come: visited at home, on the visit list with address and phone.
    let gift = entry::Entity::find().one(&app.db).await.unwrap().unwrap();
    let entry_id = gift.id.to_string();
    let done = app
        .post_form(
            &format!("{base}/home-visit"),
            &[
                ("entry_id", entry_id.as_str()),
                ("visit", "1"),
                ("reason", "nằm liệt giường"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(done.status, 303);
    let visits = app.get(&format!("{base}/home-visits"), Some(&cookie)).await;
    assert!(
        visits.body.contains("Phát tại nhà: nằm liệt giường"),
        "{}",
        visits.body
    );
    assert!(visits.body.contains("0909000000"));
    assert_eq!(visits.body.matches("<li>").count(), 1);

    // After the day: one received, the rest on the not-yet-reached list by khu phố.
    let code = invitation::Entity::find()
        .filter(invitation::Column::EntryId.ne(gift.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .code;
    let (status, _) = api(
        &app,
        "POST",
        &format!("/api/campaigns/{}/checkin", campaign.slug),
        Auth::Cookie(&cookie),
        Some(json!({"code": code})),
    )
    .await;
    assert_eq!(status, 200);
    let left = app.get(&format!("{base}/not-reached"), Some(&cookie)).await;
    assert_eq!(left.status, 200);
    assert_eq!(left.body.matches("<li>").count(), 3, "{}", left.body);
    assert!(left.body.contains("Khu phố 1") && left.body.contains("Khu phố 2"));
    assert!(left.body.contains("Chưa đến nhận"));
    let (status, groups) = api(
        &app,
        "GET",
        &format!(
            "/api/campaigns/{}/wards/{}/follow-up/not-reached",
            campaign.slug, ward.id
        ),
        Auth::Cookie(&cookie),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let rows: usize = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["rows"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows, 3);

    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.is_in([
            "distribution_point.create",
            "distribution_slot.create",
            "distribution_slot.assign",
            "invitation.home_visit",
        ]))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 4);
}
