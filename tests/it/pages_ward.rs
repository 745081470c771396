//! The ward officer's pages: upload, preview, annotated copy, commit, the list with search,
//! filters and pages, editing and adding people, submitting; the district's approval, the
//! signing sheet and the distribution; and every refusal of another ward's pages.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamlo::config::Config;
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::entities::{campaign, category, entry, pending_upload, person};
use chamlo::web::AppState;
use chamlo::web::layout::url_encode;
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, TransactionTrait,
};

use crate::helpers::{TestApp, TestResponse};
use crate::import::{district_campaign, sample_path};

const BOUNDARY: &str = "chamlo-test-boundary-7e3f";

/// A multipart body with a file field (and optional other fields).
pub fn multipart_body(file_name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Uploads `bytes` to `path` as a browser would.
pub async fn upload(
    app: &TestApp,
    path: &str,
    file_name: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
    cookie: &str,
) -> TestResponse {
    let request = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, cookie)
        .body(Body::from(multipart_body(file_name, bytes, fields)))
        .expect("request");
    app.send(request).await
}

/// Uploads a sample as `cookie`'s user and commits it; returns the list page's path.
pub async fn upload_and_commit(app: &TestApp, slug: &str, sample: &str, cookie: &str) -> String {
    let bytes = std::fs::read(sample_path(sample)).expect("sample exists");
    let sent = upload(
        app,
        &format!("/campaigns/{slug}/import"),
        sample,
        &bytes,
        &[],
        cookie,
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let preview = sent.location().to_owned();
    let committed = app
        .post_form(&format!("{preview}/commit"), &[], Some(cookie))
        .await;
    assert_eq!(
        committed.status,
        StatusCode::SEE_OTHER,
        "{}",
        committed.body
    );
    committed
        .location()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn ward_officer_uploads_previews_downloads_the_annotated_copy_and_commits() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;

    let form = app
        .get(
            &format!("/campaigns/{}/import", campaign.slug),
            Some(&cookie),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Phường Hiệp Phú"), "{}", form.body);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));

    let name = "01-hiep-phu-nguoi-co-cong.xlsx";
    let bytes = std::fs::read(sample_path(name)).unwrap();
    let sent = upload(
        &app,
        &format!("/campaigns/{}/import", campaign.slug),
        name,
        &bytes,
        &[],
        &cookie,
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let preview_path = sent.location().to_owned();
    assert!(preview_path.starts_with("/imports/"));
    // The bytes wait in the database, not in this process.
    let stored = pending_upload::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].bytes, bytes);
    assert_eq!(stored[0].ward_id, Some(ward.id));

    let preview = app.get(&preview_path, Some(&cookie)).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview.body.contains("<strong>12</strong> dòng hợp lệ"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("Nguyễn Văn Hùng"));
    assert!(preview.body.contains("Phường Hiệp Phú"));

    let annotated = app
        .get(&format!("{preview_path}/annotated"), Some(&cookie))
        .await;
    assert_eq!(annotated.status, StatusCode::OK);
    assert!(
        annotated.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );

    // Nothing is stored before the commit.
    assert_eq!(entry::Entity::find().count(&app.db).await.unwrap(), 0);
    let committed = app
        .post_form(&format!("{preview_path}/commit"), &[], Some(&cookie))
        .await;
    assert_eq!(
        committed.status,
        StatusCode::SEE_OTHER,
        "{}",
        committed.body
    );
    assert_eq!(
        committed.location(),
        format!(
            "/campaigns/{}/wards/{}?notice=da-nhap-12",
            campaign.slug, ward.id
        )
    );
    assert_eq!(entry::Entity::find().count(&app.db).await.unwrap(), 12);
    assert_eq!(
        pending_upload::Entity::find().count(&app.db).await.unwrap(),
        0
    );

    let list = app.get(committed.location(), Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Đã ghi 12 người vào danh sách."));
    assert!(list.body.contains("Nguyễn Văn Hùng"));

    // The preview is gone once committed.
    let again = app.get(&preview_path, Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unreadable_file_is_explained_on_the_upload_form() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let sent = upload(
        &app,
        &format!("/campaigns/{}/import", campaign.slug),
        "danh-sach.pdf",
        b"%PDF-1.4 not a list",
        &[],
        &cookie,
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let preview = app.get(sent.location(), Some(&cookie)).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(preview.body.contains("PDF"), "{}", preview.body);

    let empty = upload(
        &app,
        &format!("/campaigns/{}/import", campaign.slug),
        "",
        b"",
        &[],
        &cookie,
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Hãy chọn tệp danh sách"));
}

#[tokio::test]
async fn an_upload_over_the_limit_gets_a_vietnamese_413_page() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let mut config = Config::for_database(&app.database_url);
    config.max_upload_mb = 1;
    let small = AppState {
        db: app.db.clone(),
        config: Arc::new(config),
        parsed_uploads: Default::default(),
        units: Default::default(),
        dashboards: Default::default(),
        pairs: Default::default(),
        categories: Default::default(),
        list_names: Default::default(),
    };
    let body = multipart_body("lon.xlsx", &vec![b'x'; 2 * 1024 * 1024], &[]);
    let request = Request::post(format!("/campaigns/{}/import", campaign.slug))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, &cookie)
        .body(Body::from(body))
        .unwrap();
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = chamlo::web::app(small).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("lớn hơn giới hạn 1 MB"), "{text}");
    // Other routes keep their own (smaller) limit; the upload page still shows the limit.
    let form = app
        .get(
            &format!("/campaigns/{}/import", campaign.slug),
            Some(&cookie),
        )
        .await;
    assert!(form.body.contains("tối đa 20 MB"));
}

#[tokio::test]
async fn a_cross_site_upload_is_refused() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let request = Request::post(format!("/campaigns/{}/import", campaign.slug))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, "https://evil.example")
        .header(header::HOST, "chamlo.example")
        .body(Body::from(multipart_body("a.xlsx", b"x", &[])))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(
        pending_upload::Entity::find().count(&app.db).await.unwrap(),
        0
    );
}

/// A 2021 district campaign with Hiệp Phú's list of merit recipients committed by the ward's
/// officer: the app, the campaign, the officer's cookie and the list's address.
async fn hiep_phu_list() -> (TestApp, campaign::Model, String, String) {
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
    (app, campaign, cookie, list)
}

#[tokio::test]
async fn the_list_searches_without_diacritics_filters_and_edits_people() {
    let (app, _, cookie, list) = hiep_phu_list().await;

    let found = app
        .get(&format!("{list}?q=nguyen+van+hung"), Some(&cookie))
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains("Nguyễn Văn Hùng"), "{}", found.body);
    assert!(!found.body.contains("Trần Văn Lộc"));
    assert!(found.body.contains("1 dòng phù hợp"));

    let by_id = app
        .get(&format!("{list}?q=079050001842"), Some(&cookie))
        .await;
    assert!(by_id.body.contains("Trần Văn Lộc"));
    assert!(by_id.body.contains("1 dòng phù hợp"));

    // The search reads each entry's person by a subquery (no join): capitals, diacritics,
    // a part of an ID and a search with a filter still find the same people.
    let capitals = app
        .get(
            &format!("{list}?q=NGUY%E1%BB%84N+v%C4%83n+H%C3%99NG"),
            Some(&cookie),
        )
        .await;
    assert!(
        capitals.body.contains("Nguyễn Văn Hùng"),
        "{}",
        capitals.body
    );
    assert!(capitals.body.contains("1 dòng phù hợp"));
    let part_of_id = app.get(&format!("{list}?q=0500018"), Some(&cookie)).await;
    assert!(part_of_id.body.contains("Trần Văn Lộc"));
    assert!(part_of_id.body.contains("1 dòng phù hợp"));
    let filtered = app
        .get(
            &format!("{list}?q=nguyen+van+hung&status=received"),
            Some(&cookie),
        )
        .await;
    assert!(filtered.body.contains("0 dòng phù hợp"));

    let none = app
        .get(&format!("{list}?status=received"), Some(&cookie))
        .await;
    assert!(none.body.contains("0 dòng phù hợp"));
    let pending = app
        .get(&format!("{list}?status=pending&page=9"), Some(&cookie))
        .await;
    assert!(pending.body.contains("12 dòng phù hợp · trang 1/1"));

    // Editing: an error stays next to its field; a good save goes back with 303.
    let hung = person::Entity::find()
        .filter(person::Column::NationalId.eq("079047000231"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let edit_path = format!("/people/{}/edit?back={}", hung.id, url_encode(&list));
    let page = app.get(&edit_path, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"Nguyễn Văn Hùng\""));
    let fields = |id: &'static str| {
        [
            ("full_name", "Nguyễn Văn Hùng"),
            ("birth_year", "1947"),
            ("national_id", id),
            ("address", "12/3 Lê Văn Việt"),
            ("khu_pho", "Khu phố 3"),
            ("phone", ""),
            ("notes", ""),
        ]
    };
    let bad = app
        .post_form(&edit_path, &fields("12345"), Some(&cookie))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("id=\"national_id-error\""),
        "{}",
        bad.body
    );
    let good = app
        .post_form(&edit_path, &fields("079047000231"), Some(&cookie))
        .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.body);
    assert_eq!(good.location(), format!("{list}?notice=sua"));

    // Adding someone by hand.
    let new_path = format!("{list}/people/new");
    assert_eq!(
        app.get(&new_path, Some(&cookie)).await.status,
        StatusCode::OK
    );
    let missing = app
        .post_form(
            &new_path,
            &[("full_name", ""), ("category", "")],
            Some(&cookie),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("id=\"full_name-error\""));
    assert!(missing.body.contains("id=\"category-error\""));
    let category = chamlo::entities::category::Entity::find()
        .filter(chamlo::entities::category::Column::Code.eq("HN"))
        .one(&app.db)
        .await
        .unwrap()
        .map(|c| c.id.to_string())
        .unwrap_or_else(|| "1".into());
    let added = app
        .post_form(
            &new_path,
            &[
                ("full_name", "ĐỖ THỊ ĐÀO"),
                ("birth_year", "1960"),
                ("national_id", ""),
                ("address", "3 Lê Văn Việt"),
                ("category", &category),
                ("amount", "500.000"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let search = app
        .get(&format!("{list}?q=do+thi+dao"), Some(&cookie))
        .await;
    assert!(search.body.contains("Đỗ Thị Đào"), "{}", search.body);
    assert!(search.body.contains("500.000 đ"));

    // The list in the file's order, the person added by hand last.
    let whole = app.get(&list, Some(&cookie)).await;
    let at = |name: &str| {
        whole
            .body
            .find(name)
            .unwrap_or_else(|| panic!("{name} missing from the list"))
    };
    let order = [
        at("Nguyễn Văn Hùng"),
        at("Trần Văn Lộc"),
        at("Lê Thị Hồng"),
        at("Ngô Thị Xuân"),
        at("Đỗ Thị Đào"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

/// The search of a list reads the entries' own copy of their person's name key: every writer
/// of entries and of names keeps it right (triggers of `m20261207_110001_entry_name_key`).
#[tokio::test]
async fn the_list_search_finds_gifts_of_every_writer_and_people_by_their_new_name() {
    // An import commit.
    let (app, campaign, cookie, list) = hiep_phu_list().await;
    let found = app
        .get(&format!("{list}?q=nguyen+van+hung"), Some(&cookie))
        .await;
    assert!(found.body.contains("1 dòng phù hợp"), "{}", found.body);

    // A computed program: a second gift for everyone listed, found by the same search.
    let mut codes: Vec<String> = Vec::new();
    for listed in entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .all(&app.db)
        .await
        .unwrap()
    {
        let code = category::Entity::find_by_id(listed.category_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .code;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let (_, computed) = crate::helpers::add_city_gift(&app.db, &campaign, codes).await;
    assert!(computed.created > 0);
    let both = app
        .get(&format!("{list}?q=NGUYEN+VAN+HUNG"), Some(&cookie))
        .await;
    assert!(both.body.contains("2 dòng phù hợp"), "{}", both.body);

    // Renamed after being listed: found by the new name ("Đ" folded), not by the old one.
    let hung = person::Entity::find()
        .filter(person::Column::NationalId.eq("079047000231"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let edit_path = format!("/people/{}/edit?back={}", hung.id, url_encode(&list));
    let renamed = app
        .post_form(
            &edit_path,
            &[
                ("full_name", "Phạm Văn Đức"),
                ("birth_year", "1947"),
                ("national_id", "079047000231"),
                ("address", "12/3 Lê Văn Việt"),
                ("khu_pho", "Khu phố 3"),
                ("phone", ""),
                ("notes", ""),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
    let by_new_name = app
        .get(&format!("{list}?q=pham+van+duc"), Some(&cookie))
        .await;
    assert!(
        by_new_name.body.contains("Phạm Văn Đức"),
        "{}",
        by_new_name.body
    );
    assert!(by_new_name.body.contains("2 dòng phù hợp"));
    let by_old_name = app
        .get(&format!("{list}?q=nguyen+van+hung"), Some(&cookie))
        .await;
    assert!(
        by_old_name.body.contains("0 dòng phù hợp"),
        "{}",
        by_old_name.body
    );

    // Added by hand on the web: one gift per program the category has an amount in.
    let category_id = entry::Entity::find()
        .filter(entry::Column::PersonId.eq(hung.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .category_id;
    let added = app
        .post_form(
            &format!("{list}/people/new"),
            &[
                ("full_name", "Đặng Thị Đoan"),
                ("birth_year", "1950"),
                ("national_id", ""),
                ("address", "5 Lê Văn Việt"),
                ("category", &category_id.to_string()),
                ("amount", "500.000"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let by_hand = app.get(&format!("{list}?q=dang+doan"), Some(&cookie)).await;
    assert!(by_hand.body.contains("Đặng Thị Đoan"), "{}", by_hand.body);

    // Every entry carries its person's key, folded as the search folds it.
    let people: std::collections::HashMap<i32, String> = person::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.name_key.replace('đ', "d")))
        .collect();
    let entries = entry::Entity::find().all(&app.db).await.unwrap();
    assert!(entries.len() > 20);
    for gift in entries {
        assert_eq!(
            gift.name_key.as_ref(),
            people.get(&gift.person_id),
            "{gift:?}"
        );
    }
}

/// The migration fills the key of the entries a database already has: the test puts the
/// database back as it was before the migration (triggers, column and index of
/// `m20261207_110001_entry_name_key` removed, the migration forgotten, and so the later
/// `m20261209_090001_list_name_versions`, whose triggers read the column) and migrates again.
#[tokio::test]
async fn the_name_key_migration_fills_the_entries_already_listed() {
    let (app, _, cookie, list) = hiep_phu_list().await;
    let undo: &[&str] = match app.db.get_database_backend() {
        DbBackend::Postgres => &[
            "DROP FUNCTION list_name_versions_entries() CASCADE",
            "DROP TABLE list_name_versions",
            "DROP FUNCTION entries_name_key_from_person() CASCADE",
            "DROP FUNCTION people_name_key_to_entries() CASCADE",
        ],
        _ => &[
            "DROP TRIGGER tr_entries_names_insert",
            "DROP TRIGGER tr_entries_names_delete",
            "DROP TRIGGER tr_entries_names_update",
            "DROP TABLE list_name_versions",
            "DROP TRIGGER tr_entries_name_key_insert",
            "DROP TRIGGER tr_entries_name_key_person",
            "DROP TRIGGER tr_people_name_key_entries",
        ],
    };
    // The undoing and the migration on one connection of their own, the undoing in one
    // transaction: another of the pool's SQLite connections, its schema read before the
    // column was dropped, refuses to add it again ("duplicate column name").
    let mut options = ConnectOptions::new(app.database_url.clone());
    options.max_connections(1).sqlx_logging(false);
    let alone = Database::connect(options).await.unwrap();
    let txn = alone.begin().await.unwrap();
    for statement in undo.iter().chain(&[
        "DROP INDEX ix_entries_ward_list_order",
        "ALTER TABLE entries DROP COLUMN name_key",
        "CREATE INDEX ix_entries_ward_list_order ON entries \
         (ward_list_id, (source_row IS NULL), source_row, person_id, program_id)",
        "DELETE FROM seaql_migrations WHERE version IN ('m20261207_110001_entry_name_key', \
         'm20261209_090001_list_name_versions')",
    ]) {
        txn.execute_unprepared(statement)
            .await
            .unwrap_or_else(|err| panic!("{statement}: {err}"));
    }
    txn.commit().await.unwrap();
    chamlo::db::migrate(&alone).await.expect("migrated again");
    alone.close().await.unwrap();

    let missing = entry::Entity::find()
        .filter(entry::Column::NameKey.is_null())
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(missing, 0);
    let found = app
        .get(&format!("{list}?q=nguyen+van+hung"), Some(&cookie))
        .await;
    assert!(found.body.contains("Nguyễn Văn Hùng"), "{}", found.body);
    assert!(found.body.contains("1 dòng phù hợp"));
}

#[tokio::test]
async fn a_list_goes_up_is_returned_with_a_comment_then_approved_and_handed_out() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let ward_cookie = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let district_cookie = app
        .login_as(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let list = upload_and_commit(
        &app,
        &campaign.slug,
        "01-hiep-phu-nguoi-co-cong.xlsx",
        &ward_cookie,
    )
    .await;
    let transition = format!("{list}/transition");

    let submitted = app
        .post_form(&transition, &[("action", "submit")], Some(&ward_cookie))
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    // A ward officer cannot approve their own list.
    let refused = app
        .post_form(&transition, &[("action", "approve")], Some(&ward_cookie))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Returning needs a reason, shown next to the field.
    let page = app.get(&list, Some(&district_cookie)).await;
    assert!(page.body.contains("Duyệt danh sách"));
    let no_reason = app
        .post_form(
            &transition,
            &[("action", "return"), ("comment", " ")],
            Some(&district_cookie),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("id=\"comment-error\""));
    let returned = app
        .post_form(
            &transition,
            &[
                ("action", "return"),
                ("comment", "Thiếu số CCCD của ông Hùng"),
            ],
            Some(&district_cookie),
        )
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER);
    let seen = app.get(&list, Some(&ward_cookie)).await;
    assert!(seen.body.contains("Thiếu số CCCD của ông Hùng"));

    app.post_form(&transition, &[("action", "submit")], Some(&ward_cookie))
        .await;
    let approved = app
        .post_form(
            &transition,
            &[("action", "approve")],
            Some(&district_cookie),
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);

    let sheet = app
        .get(&format!("{list}/signing-sheet"), Some(&district_cookie))
        .await;
    assert_eq!(sheet.status, StatusCode::OK, "{}", sheet.body);
    assert!(
        sheet.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("ky-nhan-")
    );

    // Distribution: one row by its own button, a proxy needs a name, then a bulk mark.
    let ids: Vec<i32> = entry::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    let distribution = format!("{list}/distribution");
    let one = app
        .post_form(
            &distribution,
            &[("only", &ids[0].to_string()), ("back", &list)],
            Some(&ward_cookie),
        )
        .await;
    assert_eq!(one.status, StatusCode::SEE_OTHER, "{}", one.body);
    assert_eq!(one.location(), format!("{list}?notice=phat-1"));
    let no_proxy = app
        .post_form(
            &distribution,
            &[
                ("entry_ids", &ids[1].to_string()),
                ("mode", "proxy"),
                ("proxy_name", ""),
                ("proxy_relationship", "con"),
            ],
            Some(&ward_cookie),
        )
        .await;
    assert_eq!(no_proxy.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_proxy.body.contains("id=\"proxy_name-error\""));
    let bulk = app
        .post_form(
            &distribution,
            &[
                ("entry_ids", &ids[1].to_string()),
                ("entry_ids", &ids[2].to_string()),
                ("mode", "proxy"),
                ("date", "2021-02-05"),
                ("proxy_name", "Nguyễn Thị Mai"),
                ("proxy_relationship", "con gái"),
            ],
            Some(&ward_cookie),
        )
        .await;
    assert_eq!(bulk.status, StatusCode::SEE_OTHER, "{}", bulk.body);
    let absent = app
        .post_form(
            &distribution,
            &[
                ("entry_ids", &ids[3].to_string()),
                ("mode", "not_received"),
                ("reason", "absent"),
            ],
            Some(&ward_cookie),
        )
        .await;
    assert_eq!(absent.status, StatusCode::SEE_OTHER, "{}", absent.body);
    let received = app
        .get(&format!("{list}?status=received"), Some(&ward_cookie))
        .await;
    assert!(received.body.contains("3 dòng phù hợp"));
    assert!(
        received
            .body
            .contains("nhận thay: Nguyễn Thị Mai (con gái)")
    );

    let dashboard = app
        .get(
            &format!("/campaigns/{}", campaign.slug),
            Some(&district_cookie),
        )
        .await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("<svg class=\"bar\""));
    assert!(dashboard.body.contains("25% (3/12)"), "{}", dashboard.body);
}

#[tokio::test]
async fn ward_officer_is_refused_another_wards_pages_and_lists() {
    let app = TestApp::spawn().await;
    let campaign = district_campaign(&app, 2021).await;
    let own = app
        .login_as(
            "canbo.hiepphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Hiệp Phú")),
        )
        .await;
    let other_cookie = app
        .login_as(
            "canbo.tanphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tân Phú")),
        )
        .await;
    let list =
        upload_and_commit(&app, &campaign.slug, "01-hiep-phu-nguoi-co-cong.xlsx", &own).await;
    let person = person::Entity::find().one(&app.db).await.unwrap().unwrap();

    for path in [
        list.clone(),
        format!("{list}/signing-sheet"),
        format!("{list}/people/new"),
        format!("/people/{}/edit", person.id),
    ] {
        let response = app.get(&path, Some(&other_cookie)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "GET {path}");
        assert!(
            response.body.contains("không có quyền"),
            "{}",
            response.body
        );
        assert!(!response.body.contains("Nguyễn Văn Hùng"));
    }
    for path in [
        format!("{list}/transition"),
        format!("{list}/distribution"),
        format!("{list}/people/new"),
        format!("/people/{}/edit", person.id),
    ] {
        let response = app
            .post_form(
                &path,
                &[("action", "submit"), ("full_name", "X")],
                Some(&other_cookie),
            )
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "POST {path}");
    }
    // Their campaign page leads to their own ward only.
    let campaign_page = app
        .get(
            &format!("/campaigns/{}", campaign.slug),
            Some(&other_cookie),
        )
        .await;
    assert_eq!(campaign_page.status, StatusCode::SEE_OTHER);
    let tan_phu = app.unit(UnitLevel::Ward, "Tân Phú").await;
    assert!(
        campaign_page
            .location()
            .ends_with(&format!("/wards/{}", tan_phu.id))
    );

    // Someone else's upload cannot be previewed or committed.
    let bytes = std::fs::read(sample_path("01-hiep-phu-nguoi-co-cong.xlsx")).unwrap();
    let sent = upload(
        &app,
        &format!("/campaigns/{}/import", campaign.slug),
        "x.xlsx",
        &bytes,
        &[],
        &own,
    )
    .await;
    let preview = sent.location().to_owned();
    assert_eq!(
        app.get(&preview, Some(&other_cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_form(&format!("{preview}/commit"), &[], Some(&other_cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Not logged in: to the login page.
    let anonymous = app.get(&list, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location(), "/login");
}
