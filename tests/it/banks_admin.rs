//! The bank list kept by administrators (issue 16 item 2): added and corrected on
//! `/admin/banks` and over the API, a new name matched at once when an officer types it, a
//! name that already names another bank refused in Vietnamese with nothing changed, and
//! nobody but an administrator allowed to change it.

use axum::http::StatusCode;
use chamlo::domain::payments::{AccountInput, account_of, banks, save_account};
use chamlo::entities::payment_states::AccountKind;
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::entities::{audit_event, bank};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::cycle_support::{Auth, api};
use crate::helpers::TestApp;
use crate::payments::{WARD, five_people};

#[tokio::test]
async fn an_administrator_adds_a_bank_on_the_page_and_officers_typing_its_name_find_it() {
    let app = TestApp::spawn().await;
    let paid = five_people(&app).await;
    let admin = app.login_as("banks.admin", Role::Admin, None).await;

    let page = app.get("/admin/banks", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("970436"), "{}", page.body);
    assert!(page.body.contains("Vietcombank"));

    let saved = app
        .post_form(
            "/admin/banks",
            &[
                ("bin", "970499"),
                ("short_name", "NH Thử nghiệm"),
                ("name", "Ngân hàng Thương mại Thử nghiệm"),
                ("synonyms", "TNBank\r\nNH Thử"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let listed = app.get("/admin/banks?saved=970499", Some(&admin)).await;
    assert!(
        listed
            .body
            .contains("Đã lưu ngân hàng NH Thử nghiệm (970499).")
    );
    assert!(listed.body.contains("TNBank, NH Thử"), "{}", listed.body);
    let stored = bank::Entity::find_by_id("970499".to_owned())
        .one(&app.db)
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(stored.synonyms, "TNBank\nNH Thử");

    // An officer typing the new name in lower case, without diacritics, gets that bank.
    let officer = app
        .operator("banks.officer", Role::Ward, Some((UnitLevel::Ward, WARD)))
        .await;
    let person = paid.entries[4].person_id;
    save_account(
        &app.db,
        &officer,
        person,
        &AccountInput {
            kind: AccountKind::Bank,
            bank: "nh thu".into(),
            account_number: "0123 456 789".into(),
            holder_name: None,
        },
    )
    .await
    .expect("account with the new bank");
    let account = account_of(&app.db, &officer, person)
        .await
        .unwrap()
        .expect("account");
    assert_eq!(account.bank_bin.as_deref(), Some("970499"));
    assert_eq!(account.bank_name.as_deref(), Some("NH Thử nghiệm"));

    // Corrected from the list's "Sửa" link: the form is filled, its BIN fixed.
    let edit = app.get("/admin/banks?bin=970499", Some(&admin)).await;
    assert!(edit.body.contains("Sửa ngân hàng NH Thử nghiệm"));
    assert!(
        edit.body.contains(r#"value="970499" readonly"#),
        "{}",
        edit.body
    );
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("bank.save"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_name_of_another_bank_or_a_bad_bin_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("banks.admin", Role::Admin, None).await;
    let before = banks(&app.db).await.unwrap();

    let taken = app
        .post_form(
            "/admin/banks",
            &[
                ("bin", "970499"),
                ("short_name", "NH Mới"),
                ("name", "Ngân hàng Mới"),
                ("synonyms", "VCB"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken
            .body
            .contains("Tên “VCB” đã dùng cho ngân hàng Vietcombank (970436)."),
        "{}",
        taken.body
    );
    // The form keeps what was typed.
    assert!(taken.body.contains(r#"value="NH Mới""#));

    let bad_bin = app
        .post_form(
            "/admin/banks",
            &[("bin", "97A4"), ("short_name", "X"), ("name", "Y")],
            Some(&admin),
        )
        .await;
    assert_eq!(bad_bin.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_bin
            .body
            .contains("Mã BIN của ngân hàng gồm đúng 6 chữ số")
    );

    assert_eq!(banks(&app.db).await.unwrap(), before);
}

#[tokio::test]
async fn the_api_lists_banks_to_every_caller_and_lets_only_administrators_change_them() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("banks.admin", Role::Admin, None).await;
    let officer = app
        .login_as("banks.officer", Role::Ward, Some((UnitLevel::Ward, WARD)))
        .await;

    let (status, listed) = api(&app, "GET", "/api/banks", Auth::Cookie(&officer), None).await;
    assert_eq!(status, StatusCode::OK);
    let vcb = listed
        .as_array()
        .expect("a list")
        .iter()
        .find(|b| b["bin"] == "970436")
        .expect("Vietcombank listed");
    assert_eq!(vcb["short_name"], "Vietcombank");
    assert!(vcb["synonyms"].as_array().is_some_and(|s| !s.is_empty()));

    let names = json!({"short_name": "NH Thử", "name": "Ngân hàng Thử", "synonyms": ["TNB"]});
    let (status, body) = api(
        &app,
        "PUT",
        "/api/banks/970499",
        Auth::Cookie(&officer),
        Some(names.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        bank::Entity::find_by_id("970499".to_owned())
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );

    let (status, body) = api(
        &app,
        "PUT",
        "/api/banks/970499",
        Auth::Cookie(&admin),
        Some(names),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["short_name"], "NH Thử");
    assert_eq!(body["synonyms"], json!(["TNB"]));

    let (status, body) = api(
        &app,
        "PUT",
        "/api/banks/970499",
        Auth::Cookie(&admin),
        Some(json!({"short_name": "BIDV", "name": "Trùng"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.to_string().contains("đã dùng cho ngân hàng BIDV"),
        "{body}"
    );
}
