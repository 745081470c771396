//! Issue 14, what officers hit in their first hour: the quiet wrong outcomes of adding and
//! editing people, locked lists that say so before the user types, the signing sheet's note
//! and place line, and English words in a ward officer's menu. Each test drives the pages
//! over HTTP as the officer would.

use std::collections::HashMap;
use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Reader, open_workbook_auto_from_rs};
use chamlo::entities::states::{EntryStatus, Gender, ListStatus, Role, UnitLevel};
use chamlo::entities::{campaign, category, entry, gift_program, person, ward_list};
use chamlo::web::layout::url_encode;
use http_body_util::BodyExt;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use tower::ServiceExt;

use crate::cycle_support::{
    NewPerson, category_id, default_program, list_entry, new_person, ward_list_of,
};
use crate::helpers::{PASSWORD, TestApp};
use crate::import::district_campaign;
use crate::pages_ward::{upload, upload_and_commit};
use crate::signed_sheet::{export_ward, fill_in};

/// A campaign of Quận 9 with Hiệp Phú's sample list imported by its officer: the app, the
/// officer's cookie, the campaign's slug and id, and the list's path.
async fn hiep_phu_list() -> (TestApp, String, String, i32, String) {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let list = upload_and_commit(
        &app,
        &campaign.slug,
        "01-hiep-phu-nguoi-co-cong.xlsx",
        &cookie,
    )
    .await;
    (app, cookie, campaign.slug, campaign.id, list)
}

async fn person_by_id(app: &TestApp, national_id: &str) -> person::Model {
    person::Entity::find()
        .filter(person::Column::NationalId.eq(national_id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("person listed")
}

/// Every cell of every sheet of a workbook, as text.
fn workbook_cells(bytes: &[u8]) -> Vec<String> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).expect("a workbook");
    let mut cells = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("a sheet");
        cells.extend(range.cells().map(|(_, _, c)| c.to_string()));
    }
    cells
}

/// The signing sheet of the default program, as the ward downloads it.
async fn signing_sheet_cells(
    app: &TestApp,
    cookie: &str,
    list: &str,
    campaign_id: i32,
) -> Vec<String> {
    let program = default_program(app, campaign_id).await;
    let request = Request::get(format!("{list}/signing-sheet?program={}", program.id))
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    let response = app.router().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    workbook_cells(&bytes)
}

#[tokio::test]
async fn adding_a_person_already_on_the_list_says_so_and_links_to_them() {
    let (app, cookie, _slug, _campaign_id, list) = hiep_phu_list().await;
    let hung = person_by_id(&app, "079047000231").await;
    let before = entry::Entity::find().count(&app.db).await.unwrap();
    let category = category_id(&app, "HN").await.to_string();
    let again = app
        .post_form(
            &format!("{list}/people/new"),
            &[
                ("full_name", "Nguyễn Văn Hùng Khác"),
                ("national_id", "079047000231"),
                ("category", &category),
                ("amount", ""),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    assert!(
        again.body.contains("Người này đã có trong danh sách (dòng"),
        "{}",
        again.body
    );
    assert!(
        again.body.contains(&format!(
            "/people/{}/edit?back={}",
            hung.id,
            url_encode(&list)
        )),
        "{}",
        again.body
    );
    assert_eq!(entry::Entity::find().count(&app.db).await.unwrap(), before);
    assert_eq!(
        person_by_id(&app, "079047000231").await.full_name,
        hung.full_name
    );
}

#[tokio::test]
async fn a_blank_amount_is_never_recorded_as_nothing() {
    let (app, cookie, _slug, campaign_id, list) = hiep_phu_list().await;
    let program = default_program(&app, campaign_id).await;
    let category = category_id(&app, "HN").await.to_string();
    let before = entry::Entity::find().count(&app.db).await.unwrap();
    let blank = app
        .post_form(
            &format!("{list}/people/new"),
            &[
                ("full_name", "Đỗ Thị Đào"),
                ("birth_year", "1960"),
                ("category", &category),
                ("amount", ""),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        blank.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        blank.body
    );
    assert!(blank.body.contains("id=\"amount-error\""), "{}", blank.body);
    assert!(
        blank
            .body
            .contains(&format!("Chương trình “{}” chưa có mức quà", program.name)),
        "{}",
        blank.body
    );
    assert_eq!(entry::Entity::find().count(&app.db).await.unwrap(), before);
    let zero = entry::Entity::find()
        .filter(entry::Column::Amount.eq(0))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(zero, 0);
}

#[tokio::test]
async fn a_note_typed_on_the_edit_page_reaches_the_signing_sheet() {
    let (app, cookie, _slug, campaign_id, list) = hiep_phu_list().await;
    let hung = person_by_id(&app, "079047000231").await;
    let saved = app
        .post_form(
            &format!("/people/{}/edit?back={}", hung.id, url_encode(&list)),
            &[
                ("full_name", "Nguyễn Văn Hùng"),
                ("birth_year", "1947"),
                ("national_id", "079047000231"),
                ("address", "12/3 Lê Văn Việt"),
                ("khu_pho", "Khu phố 3"),
                ("notes", "Nhận tại nhà, đi lại khó khăn"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let cells = signing_sheet_cells(&app, &cookie, &list, campaign_id).await;
    assert!(
        cells
            .iter()
            .any(|c| c.contains("Nhận tại nhà, đi lại khó khăn")),
        "{cells:?}"
    );
}

#[tokio::test]
async fn a_ward_signing_sheet_is_dated_at_the_ward() {
    let (app, cookie, _slug, campaign_id, list) = hiep_phu_list().await;
    let cells = signing_sheet_cells(&app, &cookie, &list, campaign_id).await;
    assert!(
        cells.iter().any(|c| c.starts_with("Phường Hiệp Phú, ngày")),
        "{cells:?}"
    );
    assert!(
        !cells.iter().any(|c| c.starts_with("Quận 9, ngày")),
        "{cells:?}"
    );
}

#[tokio::test]
async fn a_list_waiting_for_approval_says_it_is_locked_before_the_user_types() {
    let (app, cookie, _slug, _campaign_id, list) = hiep_phu_list().await;
    let submitted = app
        .post_form(
            &format!("{list}/transition"),
            &[("action", "submit")],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );

    let add = app.get(&format!("{list}/people/new"), Some(&cookie)).await;
    assert_eq!(add.status, StatusCode::OK);
    assert!(add.body.contains("Danh sách đang khóa"), "{}", add.body);
    assert!(add.body.contains("đang chờ duyệt"), "{}", add.body);
    assert!(!add.body.contains("name=\"full_name\""), "{}", add.body);

    let hung = person_by_id(&app, "079047000231").await;
    let edit_path = format!("/people/{}/edit?back={}", hung.id, url_encode(&list));
    let edit = app.get(&edit_path, Some(&cookie)).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("đang chờ duyệt"), "{}", edit.body);
    assert!(!edit.body.contains("name=\"full_name\""), "{}", edit.body);

    // The server refuses as well, and nothing changes.
    let sent = app
        .post_form(
            &edit_path,
            &[("full_name", "Tên Khác"), ("national_id", "079047000231")],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        sent.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        sent.body
    );
    assert!(sent.body.contains("đang chờ duyệt"), "{}", sent.body);
    assert_eq!(
        person_by_id(&app, "079047000231").await.full_name,
        hung.full_name
    );
}

#[tokio::test]
async fn the_person_form_has_gender_tidies_khu_pho_and_names_the_birth_year_range() {
    let (app, cookie, _slug, _campaign_id, list) = hiep_phu_list().await;
    let category = category_id(&app, "HN").await.to_string();
    let new_path = format!("{list}/people/new");
    let form = app.get(&new_path, Some(&cookie)).await;
    assert!(form.body.contains("name=\"gender\""), "{}", form.body);

    let old = app
        .post_form(
            &new_path,
            &[
                ("full_name", "Lê Văn Cũ"),
                ("birth_year", "1890"),
                ("category", &category),
                ("amount", "500.000"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        old.body
            .contains("Năm sinh 1890 không hợp lệ: năm sinh phải từ 1900 đến"),
        "{}",
        old.body
    );
    assert!(!old.body.contains("nhập 4 chữ số"), "{}", old.body);

    let added = app
        .post_form(
            &new_path,
            &[
                ("full_name", "Đỗ Thị Đào"),
                ("birth_year", "1960"),
                ("gender", "female"),
                ("khu_pho", "KP 2"),
                ("category", &category),
                ("amount", "500.000"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let dao = person::Entity::find()
        .filter(person::Column::FullName.eq("Đỗ Thị Đào"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("added");
    assert_eq!(dao.khu_pho.as_deref(), Some("Khu phố 2"));
    assert_eq!(dao.gender, Some(Gender::Female));

    let edit = app
        .get(&format!("/people/{}/edit", dao.id), Some(&cookie))
        .await;
    assert!(
        edit.body
            .contains("<option value=\"female\" selected>Nữ</option>"),
        "{}",
        edit.body
    );
}

#[tokio::test]
async fn a_ward_officer_reads_no_english_in_the_menu_and_ids_are_cccd_or_cmnd() {
    let (app, cookie, _slug, _campaign_id, list) = hiep_phu_list().await;
    let page = app.get(&list, Some(&cookie)).await;
    let menu = page
        .body
        .split("<nav aria-label=\"Menu chính\">")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("the menu");
    for word in ["API", "script", "Bearer"] {
        assert!(!menu.contains(word), "{word} in {menu}");
    }
    // The developer page stays reachable from the menu.
    assert!(menu.contains("href=\"/tokens\""), "{menu}");
    assert!(
        page.body.contains("<th scope=\"col\">Số CCCD/CMND</th>"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_duplicate_on_an_approved_list_says_up_front_to_reopen_it_with_a_link() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let program = default_program(&app, campaign.id).await;
    for ward in ["Hiệp Phú", "Tân Phú"] {
        let person = new_person(
            &app,
            ward,
            NewPerson {
                name: "Trần Thị Bé",
                birth_year: 1950,
                address: "5 Lê Văn Việt",
                national_id: None,
                household_id: None,
            },
        )
        .await;
        list_entry(
            &app,
            campaign.id,
            program.id,
            ward,
            person.id,
            "HN",
            500_000,
        )
        .await;
    }
    let tan_phu = ward_list_of(&app, campaign.id, "Tân Phú").await;
    let mut approved: ward_list::ActiveModel = tan_phu.clone().into();
    approved.status = Set(ListStatus::Approved);
    approved.update(&app.db).await.unwrap();
    let cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;

    let page = app
        .get(
            &format!("/campaigns/{}/duplicates", campaign.slug),
            Some(&cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(&format!(
            "<a href=\"/campaigns/{}/wards/{}\">mở lại danh sách Phường Tân Phú</a>",
            campaign.slug, tan_phu.ward_id
        )),
        "{}",
        page.body
    );
    // Only the side on the open list can be dropped; keeping both stays offered.
    let offered = ["value=\"keep_a\"", "value=\"keep_b\""]
        .iter()
        .filter(|b| page.body.contains(*b))
        .count();
    assert_eq!(offered, 1, "{}", page.body);
    assert!(page.body.contains("value=\"keep_both\""));

    // Keeping the side on the approved list is confirmed first, with what goes.
    let pair = chamlo::domain::duplicates::find_duplicates(
        &app.db,
        &chamlo::domain::operator::Operator::system("test"),
        &campaign,
    )
    .await
    .unwrap()
    .remove(0);
    let keep = if pair.a.ward_name.contains("Tân Phú") {
        "keep_a"
    } else {
        "keep_b"
    };
    assert!(
        page.body
            .contains(&format!("value=\"{keep}\" formmethod=\"get\""))
    );
    let before = entry::Entity::find().count(&app.db).await.unwrap();
    let confirm = app
        .get(
            &format!(
                "/campaigns/{}/duplicates/decide?a={}&b={}&decision={keep}&note=",
                campaign.slug, pair.a.entry_id, pair.b.entry_id
            ),
            Some(&cookie),
        )
        .await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    assert!(
        confirm.body.contains(
            "Bỏ <strong>1</strong> suất quà của Trần Thị Bé trong danh sách Phường Hiệp Phú"
        ),
        "{}",
        confirm.body
    );
    assert_eq!(entry::Entity::find().count(&app.db).await.unwrap(), before);
    let done = app
        .post_form(
            &format!("/campaigns/{}/duplicates/decide", campaign.slug),
            &[
                ("a", &pair.a.entry_id.to_string()),
                ("b", &pair.b.entry_id.to_string()),
                ("decision", keep),
                ("note", ""),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        entry::Entity::find().count(&app.db).await.unwrap(),
        before - 1
    );
}

/// Hiệp Phú's list submitted by its officer and approved by the district: the app, the
/// officer's cookie, the campaign and the list's path.
async fn approved_hiep_phu_list() -> (TestApp, String, campaign::Model, String) {
    let (app, cookie, slug, _campaign_id, list) = hiep_phu_list().await;
    let submitted = app
        .post_form(
            &format!("{list}/transition"),
            &[("action", "submit")],
            Some(&cookie),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER);
    let district = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let approved = app
        .post_form(
            &format!("{list}/transition"),
            &[("action", "approve")],
            Some(&district),
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let campaign = campaign::Entity::find()
        .filter(campaign::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    (app, cookie, campaign, list)
}

async fn list_entry_ids(app: &TestApp, campaign_id: i32) -> Vec<i32> {
    entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign_id))
        .order_by_asc(entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect()
}

#[tokio::test]
async fn a_bulk_recording_with_a_problem_keeps_the_ticks_and_says_so_at_the_top() {
    let (app, cookie, campaign, list) = approved_hiep_phu_list().await;
    let ids = list_entry_ids(&app, campaign.id).await;
    let (a, b) = (ids[0].to_string(), ids[1].to_string());
    let sent = app
        .post_form(
            &format!("{list}/distribution"),
            &[
                ("back", &list),
                ("entry_ids", &a),
                ("entry_ids", &b),
                ("mode", "proxy"),
                ("proxy_name", ""),
                ("proxy_relationship", "con"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = sent
        .body
        .find("class=\"error-summary\"")
        .expect("an error summary");
    let table = sent.body.find("<table class=\"list\">").expect("the table");
    assert!(summary < table);
    assert!(
        sent.body
            .contains("<a href=\"#proxy_name\">Hãy ghi họ tên người nhận thay.</a>")
    );
    for id in [&a, &b] {
        assert!(
            sent.body
                .contains(&format!("value=\"{id}\" id=\"e{id}\" checked")),
            "{}",
            sent.body
        );
    }
    assert!(sent.body.contains("value=\"proxy\" checked"));
}

#[tokio::test]
async fn the_list_on_a_phone_labels_every_value_and_keeps_the_bulk_form_in_reach() {
    let (app, cookie, _campaign, list) = approved_hiep_phu_list().await;
    let page = app.get(&list, Some(&cookie)).await;
    for label in [
        "Họ và tên",
        "Năm sinh",
        "Số CCCD/CMND",
        "Địa chỉ",
        "Đối tượng",
        "Số tiền",
        "Tình trạng",
    ] {
        assert!(
            page.body.contains(&format!("data-label=\"{label}\"")),
            "{label}"
        );
    }
    // The bulk form comes before the rows, and its button stays on screen below them.
    let form = page
        .body
        .find("class=\"card distribution\"")
        .expect("bulk form");
    let table = page.body.find("<table class=\"list\">").expect("table");
    assert!(form < table);
    assert!(page.body.contains("class=\"sticky-actions\""));
    // Each checkbox sits in a label big enough to tap.
    assert!(page.body.contains("<label class=\"tap\""));
}

#[tokio::test]
async fn undoing_a_recording_says_it_was_undone() {
    let (app, cookie, campaign, list) = approved_hiep_phu_list().await;
    let id = list_entry_ids(&app, campaign.id).await[0].to_string();
    let given = app
        .post_form(
            &format!("{list}/distribution"),
            &[("back", &list), ("only", &id)],
            Some(&cookie),
        )
        .await;
    assert_eq!(given.location(), format!("{list}?notice=phat-1"));
    let undone = app
        .post_form(
            &format!("{list}/distribution"),
            &[("back", &list), ("entry_ids", &id), ("mode", "undo")],
            Some(&cookie),
        )
        .await;
    assert_eq!(undone.location(), format!("{list}?notice=huy-1"));
    let page = app.get(undone.location(), Some(&cookie)).await;
    assert!(
        page.body.contains("Đã hủy ghi nhận cho 1 suất quà"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Đã ghi nhận cấp phát"), "{}", page.body);
}

#[tokio::test]
async fn a_signed_sheet_reads_co_as_a_signature_and_warns_when_rows_need_checking() {
    let (app, cookie, campaign, list) = approved_hiep_phu_list().await;
    let ids = list_entry_ids(&app, campaign.id).await;
    let exported = export_ward(&app, &campaign, "Hiệp Phú").await;
    let marks = HashMap::from([(ids[0], "có"), (ids[1], "?")]);
    let signed = fill_in(&exported, &marks, |_, _, _| {});
    let sent = upload(
        &app,
        &format!("{list}/signed-sheet"),
        "da-ky.xlsx",
        &signed,
        &[("date", "2021-02-05")],
        &cookie,
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let first = entry::Entity::find_by_id(ids[0])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.status, EntryStatus::Received);
    assert_eq!(first.receiver_name, None, "“có” is not a proxy's name");
    // One row needs checking: the banner is not the green one.
    assert!(
        !sent
            .body
            .contains("<p class=\"notice\" role=\"status\">Đã đọc"),
        "{}",
        sent.body
    );
    assert!(
        sent.body.contains("Còn 1 dòng cần kiểm tra"),
        "{}",
        sent.body
    );
}

#[tokio::test]
async fn submitting_approving_and_reopening_are_confirmed_with_the_counts_first() {
    let (app, cookie, _slug, campaign_id, list) = hiep_phu_list().await;
    let page = app.get(&list, Some(&cookie)).await;
    // The list page's button opens the confirmation; it does not submit.
    assert!(page.body.contains(&format!(
        "<form method=\"get\" action=\"{list}/transition\">"
    )));
    let confirm = app
        .get(&format!("{list}/transition?action=submit"), Some(&cookie))
        .await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    assert!(
        confirm.body.contains("Gửi <strong>12</strong> suất quà"),
        "{}",
        confirm.body
    );
    assert!(confirm.body.contains("không thêm, sửa hay nhập thêm"));
    let still = ward_list_of(&app, campaign_id, "Hiệp Phú").await;
    assert_eq!(
        still.status,
        ListStatus::Draft,
        "opening the step changes nothing"
    );
    let sent = app
        .post_form(
            &format!("{list}/transition"),
            &[("action", "submit")],
            Some(&cookie),
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);

    // Approving names the open duplicates and the rows the ward's file had problems with.
    let district = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let program = default_program(&app, campaign_id).await;
    let twin = new_person(
        &app,
        "Tân Phú",
        NewPerson {
            name: "Nguyễn Văn Hùng",
            birth_year: 1947,
            address: "12/3 Lê Văn Việt",
            national_id: None,
            household_id: None,
        },
    )
    .await;
    list_entry(
        &app,
        campaign_id,
        program.id,
        "Tân Phú",
        twin.id,
        "HN",
        500_000,
    )
    .await;
    let approve = app
        .get(
            &format!("{list}/transition?action=approve"),
            Some(&district),
        )
        .await;
    assert_eq!(approve.status, StatusCode::OK, "{}", approve.body);
    assert!(
        approve.body.contains("Duyệt <strong>12</strong> suất quà"),
        "{}",
        approve.body
    );
    assert!(
        approve.body.contains("Còn 1 cặp nghi trùng chưa xét"),
        "{}",
        approve.body
    );
    assert!(
        approve
            .body
            .contains("Các tệp phường đã nhập không có dòng nào bị loại vì lỗi."),
        "{}",
        approve.body
    );
    let approved = app
        .post_form(
            &format!("{list}/transition"),
            &[("action", "approve")],
            Some(&district),
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);

    // Reopening after gifts were handed out says how many.
    let id = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign_id))
        .filter(entry::Column::WardId.eq(still.ward_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    app.post_form(
        &format!("{list}/distribution"),
        &[("back", &list), ("only", &id)],
        Some(&cookie),
    )
    .await;
    let reopen = app
        .get(&format!("{list}/transition?action=reopen"), Some(&district))
        .await;
    assert!(
        reopen.body.contains("Đã ghi nhận cấp phát 1 suất"),
        "{}",
        reopen.body
    );
}

#[tokio::test]
async fn a_program_added_after_approval_names_the_lists_it_skipped_and_reopening_includes_them() {
    let (app, _cookie, campaign, list) = approved_hiep_phu_list().await;
    let district = app.login("quan9", PASSWORD).await;
    let codes: Vec<String> = category::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| format!("amount_{}", c.code))
        .collect();
    let mut form: Vec<(&str, &str)> =
        vec![("name", "Quà của thành phố"), ("funding_source", "city")];
    form.extend(codes.iter().map(|k| (k.as_str(), "200.000")));
    let path = format!("/campaigns/{}/programs", campaign.slug);
    let added = app.post_form(&path, &form, Some(&district)).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert!(added.location().contains("bo-qua="), "{}", added.location());
    let page = app.get(added.location(), Some(&district)).await;
    assert!(
        page.body.contains("chưa tặng cho 1 danh sách đã duyệt"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("<a href=\"{list}\">Phường Hiệp Phú</a>: 12 người")),
        "{}",
        page.body
    );
    assert!(page.body.contains("mở lại danh sách"));
    let program = gift_program::Entity::find()
        .filter(gift_program::Column::Name.eq("Quà của thành phố"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let of_program = || {
        entry::Entity::find()
            .filter(entry::Column::ProgramId.eq(program.id))
            .count(&app.db)
    };
    assert_eq!(of_program().await.unwrap(), 0);

    // The list page offers no empty signing sheet of the new program and says why.
    let list_page = app.get(&list, Some(&district)).await;
    let offered = |body: &str| {
        body.contains(&format!(
            "<option value=\"{}\">Quà của thành phố",
            program.id
        )) || body.contains(&format!("name=\"program\" value=\"{}\"", program.id))
    };
    assert!(!offered(&list_page.body), "{}", list_page.body);
    assert!(
        list_page
            .body
            .contains("Chương trình “Quà của thành phố” chưa tặng ai trong danh sách này"),
        "{}",
        list_page.body
    );
    assert!(list_page.body.contains("Quận mở lại danh sách"));
    // A download asked for anyway (an old tab) is refused with the same reason.
    let sheet = app
        .get(
            &format!("{list}/signing-sheet?program={}", program.id),
            Some(&district),
        )
        .await;
    assert_eq!(
        sheet.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        sheet.body
    );
    assert!(sheet.body.contains("chưa tặng ai trong danh sách này"));

    // Reopening the list gives its people the program, as the page said.
    let reopened = app
        .post_form(
            &format!("{list}/transition"),
            &[("action", "reopen")],
            Some(&district),
        )
        .await;
    assert_eq!(reopened.status, StatusCode::SEE_OTHER, "{}", reopened.body);
    assert_eq!(of_program().await.unwrap(), 12);
    let list_page = app.get(&list, Some(&district)).await;
    assert!(
        offered(&list_page.body),
        "the program's sheet is offered once the list holds its gifts"
    );
    assert!(!list_page.body.contains("chưa tặng ai trong danh sách này"));
}

#[tokio::test]
async fn the_import_page_of_a_list_waiting_for_approval_says_so_before_a_file_is_chosen() {
    let (app, cookie, slug, _campaign_id, list) = hiep_phu_list().await;
    let import_path = format!("/campaigns/{slug}/import");
    let open = app.get(&import_path, Some(&cookie)).await;
    assert!(
        open.body.contains("multipart/form-data"),
        "a draft list takes a file"
    );

    let submitted = app
        .post_form(
            &format!("{list}/transition"),
            &[("action", "submit")],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    let page = app.get(&import_path, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("đang chờ duyệt"), "{}", page.body);
    assert!(
        !page.body.contains("multipart/form-data"),
        "no form to fill in"
    );
    assert!(
        page.body.contains(&format!("href=\"{list}\"")),
        "{}",
        page.body
    );

    // A file sent anyway (an old tab) is refused at once and nothing is kept for preview.
    let uploads_before = chamlo::entities::pending_upload::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    let bytes =
        std::fs::read(crate::import::sample_path("01-hiep-phu-nguoi-co-cong.xlsx")).unwrap();
    let sent = upload(&app, &import_path, "01.xlsx", &bytes, &[], &cookie).await;
    assert_eq!(sent.status, StatusCode::CONFLICT, "{}", sent.body);
    assert!(sent.body.contains("đang chờ duyệt"), "{}", sent.body);
    assert_eq!(
        chamlo::entities::pending_upload::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        uploads_before
    );
}

#[tokio::test]
async fn locking_closing_and_reopening_a_campaign_are_confirmed_with_the_counts_first() {
    let (app, _cookie, slug, campaign_id, _list) = hiep_phu_list().await;
    let district = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let status_of = || async {
        campaign::Entity::find_by_id(campaign_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .status
    };
    let page = app
        .get(&format!("/campaigns/{slug}"), Some(&district))
        .await;
    // The campaign page's buttons open the confirmation; they change nothing.
    assert!(
        page.body.contains(&format!(
            "<form method=\"get\" action=\"/campaigns/{slug}/status\"><input type=\"hidden\" name=\"status\" value=\"locked\">"
        )),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!(
        "<form method=\"post\" action=\"/campaigns/{slug}/status\">"
    )));

    let lock = app
        .get(
            &format!("/campaigns/{slug}/status?status=locked"),
            Some(&district),
        )
        .await;
    assert_eq!(lock.status, StatusCode::OK, "{}", lock.body);
    assert!(
        lock.body
            .contains("<strong>1 danh sách phường đang soạn</strong> và <strong>0 danh sách đang chờ duyệt</strong> sẽ bị khóa"),
        "{}",
        lock.body
    );
    assert!(
        lock.body.contains("<strong>12</strong> suất quà"),
        "{}",
        lock.body
    );
    assert!(lock.body.contains("còn 12 suất chưa ghi nhận"));
    assert_eq!(
        status_of().await.as_str(),
        "open",
        "opening the step changes nothing"
    );

    let close = app
        .get(
            &format!("/campaigns/{slug}/status?status=closed"),
            Some(&district),
        )
        .await;
    assert!(
        close
            .body
            .contains("Còn 12 suất quà chưa ghi nhận cấp phát"),
        "{}",
        close.body
    );
    assert!(close.body.contains("không ghi nhận thay đổi nào nữa"));

    let locked = app
        .post_form(
            &format!("/campaigns/{slug}/status"),
            &[("status", "locked")],
            Some(&district),
        )
        .await;
    assert_eq!(locked.status, StatusCode::SEE_OTHER, "{}", locked.body);
    assert_eq!(status_of().await.as_str(), "locked");
    let reopen = app
        .get(
            &format!("/campaigns/{slug}/status?status=open"),
            Some(&district),
        )
        .await;
    assert!(reopen.body.contains("Đợt quà mở lại"), "{}", reopen.body);
    // The status the campaign already has is nothing to confirm.
    let same = app
        .get(
            &format!("/campaigns/{slug}/status?status=locked"),
            Some(&district),
        )
        .await;
    assert_eq!(
        same.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        same.body
    );
    assert!(same.body.contains("đã ở trạng thái “Đã khóa danh sách”"));
}

#[tokio::test]
async fn the_campaign_page_reopens_an_approved_list_through_its_confirmation() {
    let (app, _cookie, campaign, list) = approved_hiep_phu_list().await;
    let district = app.login("quan9", PASSWORD).await;
    let page = app
        .get(&format!("/campaigns/{}", campaign.slug), Some(&district))
        .await;
    assert!(
        page.body.contains(&format!(
            "<form method=\"get\" action=\"{list}/transition\" class=\"inline\">"
        )),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!(
        "<form method=\"post\" action=\"{list}/transition\""
    )));
}

#[tokio::test]
async fn the_edit_page_changes_a_listing_s_category_and_amount_never_to_nothing() {
    use chamlo::entities::{audit_event, program_amount};
    let (app, cookie, _slug, campaign_id, list) = hiep_phu_list().await;
    let program = default_program(&app, campaign_id).await;
    let hn = category_id(&app, "HN").await;
    program_amount::ActiveModel {
        program_id: Set(program.id),
        category_id: Set(hn),
        amount: Set(500_000),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let hung = person_by_id(&app, "079047000231").await;
    let gifts_of_hung = || {
        entry::Entity::find()
            .filter(entry::Column::PersonId.eq(hung.id))
            .all(&app.db)
    };
    let gift = gifts_of_hung().await.unwrap().remove(0);
    assert_ne!(gift.category_id, hn);

    // The list row opens the edit page of that gift, with its category chosen.
    let page = app.get(&list, Some(&cookie)).await;
    let edit_path = format!(
        "/people/{}/edit?entry={}&back={}",
        hung.id,
        gift.id,
        url_encode(&list)
    );
    assert!(
        page.body.contains(&format!(
            "/people/{}/edit?entry={}&amp;back=",
            hung.id, gift.id
        )),
        "{}",
        page.body
    );
    let form = app.get(&edit_path, Some(&cookie)).await;
    assert!(
        form.body
            .contains(&format!("<option value=\"{}\" selected>", gift.category_id)),
        "{}",
        form.body
    );
    assert!(form.body.contains("name=\"amount\""));

    let fields = |category: String, amount: &'static str, name: &'static str| {
        vec![
            ("full_name", name.to_owned()),
            ("birth_year", "1947".to_owned()),
            ("national_id", "079047000231".to_owned()),
            ("entry", gift.id.to_string()),
            ("category", category),
            ("amount", amount.to_owned()),
        ]
    };
    let send = |values: Vec<(&'static str, String)>| {
        let app = &app;
        let cookie = &cookie;
        let path = format!("/people/{}/edit?back={}", hung.id, url_encode(&list));
        async move {
            let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&path, &pairs, Some(cookie)).await
        }
    };

    // A blank amount under a category the program has no amount for is refused, and the
    // name typed with it is not saved either.
    let other = category_id(&app, "HCN").await;
    let refused = send(fields(other.to_string(), "", "Nguyễn Văn Hùng Sửa")).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"amount-error\""),
        "{}",
        refused.body
    );
    assert_eq!(
        person_by_id(&app, "079047000231").await.full_name,
        hung.full_name
    );
    assert_eq!(gifts_of_hung().await.unwrap(), vec![gift.clone()]);

    // Blank takes the program's amount for the category, never 0.
    let blank = send(fields(hn.to_string(), "", "Nguyễn Văn Hùng")).await;
    assert_eq!(blank.status, StatusCode::SEE_OTHER, "{}", blank.body);
    let now = gifts_of_hung().await.unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].category_id, hn);
    assert_eq!(now[0].amount, 500_000);
    assert_eq!(now[0].file_amount, None);
    assert_eq!(now[0].source_row, gift.source_row, "the file's row stays");

    // A typed amount is the person's.
    let typed = send(vec![
        ("full_name", "Nguyễn Văn Hùng".to_owned()),
        ("birth_year", "1947".to_owned()),
        ("national_id", "079047000231".to_owned()),
        ("entry", now[0].id.to_string()),
        ("category", hn.to_string()),
        ("amount", "700.000".to_owned()),
    ])
    .await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER, "{}", typed.body);
    let now = gifts_of_hung().await.unwrap();
    assert_eq!(now[0].amount, 700_000);
    assert_eq!(now[0].file_amount, Some(700_000));
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("entry.change_listing"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 2);
}
