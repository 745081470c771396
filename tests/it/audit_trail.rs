//! The audit log: every kind of change made through the app leaves an append-only event
//! naming the actor and the unit, and no code in src/ edits or deletes those events.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamlo::domain::pending_uploads::{NewUpload, store_upload};
use chamlo::entities::states::UnitLevel;
use chamlo::entities::{audit_event, campaign, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::access_matrix::World;
use crate::helpers::PASSWORD;
use crate::import::ward_file;

const OWN: usize = 1;
const DISTRICT: usize = 3;

#[tokio::test]
async fn each_kind_of_change_leaves_an_event_with_its_actor_and_unit() {
    let world = World::build().await;
    let app = &world.app;
    let officer = find_user(app, "can.bo.hiepphu").await;
    let district = find_user(app, "can.bo.quan9").await;
    let own_ward = app.unit(UnitLevel::Ward, "Hiệp Phú").await.id;
    let own = world.cookies[OWN].clone().unwrap();
    let staff = world.cookies[DISTRICT].clone().unwrap();
    let slug = world.fill("{slug}");

    // Login.
    app.login("can.bo.hiepphu", PASSWORD).await;

    // Import: a new Hiệp Phú file, uploaded and committed by its officer.
    let file = ward_file(
        "HIỆP PHÚ",
        &[("Trần Văn Bình", 1948, "", "12 Lê Văn Việt", "TNLS")],
    );
    let campaign = campaign::Entity::find()
        .filter(campaign::Column::Slug.eq(&slug))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let upload = store_upload(
        &app.db,
        NewUpload {
            user_id: officer.id,
            campaign_id: campaign.id,
            ward_id: Some(own_ward),
            file_name: "hiep-phu-bo-sung.xlsx".into(),
            bytes: file,
        },
    )
    .await
    .unwrap();
    let commit = app
        .post_form(&format!("/imports/{}/commit", upload.id), &[], Some(&own))
        .await;
    assert_eq!(commit.status, StatusCode::SEE_OTHER, "{}", commit.body);

    // Edit of a person.
    let edit = app
        .post_form(
            &world.fill("/people/{person}/edit"),
            &[
                ("full_name", "Nguyễn Văn Sửa"),
                ("birth_year", "1950"),
                ("address", "3 Lê Văn Việt"),
            ],
            Some(&own),
        )
        .await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER, "{}", edit.body);

    // Approval: the ward submits, the district approves.
    let transition = world.fill("/campaigns/{slug}/wards/{own}/transition");
    let submit = app
        .post_form(&transition, &[("action", "submit")], Some(&own))
        .await;
    assert_eq!(submit.status, StatusCode::SEE_OTHER, "{}", submit.body);
    let approve = app
        .post_form(&transition, &[("action", "approve")], Some(&staff))
        .await;
    assert_eq!(approve.status, StatusCode::SEE_OTHER, "{}", approve.body);

    // Distribution, through the API.
    let request = Request::post("/api/entries/distribution")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, &own)
        .body(Body::from(
            world.fill(r#"{"entry_ids": [{entry_a}], "action": "received"}"#),
        ))
        .unwrap();
    let distributed = app.send(request).await;
    assert_eq!(distributed.status, StatusCode::OK, "{}", distributed.body);

    // Export of personal data: the ward's signing sheet, by the district.
    let sheet = app
        .get(
            &world.fill("/campaigns/{slug}/wards/{own}/signing-sheet"),
            Some(&staff),
        )
        .await;
    assert_eq!(sheet.status, StatusCode::OK, "{}", sheet.body);

    // A new account, by the district for its ward.
    let own_ward_text = own_ward.to_string();
    let created = app
        .post_form(
            "/users",
            &[
                ("username", "can.bo.moi"),
                ("full_name", "Lê Thị Mới"),
                ("role", "ward"),
                ("unit_id", &own_ward_text),
                ("password", "mat-khau-moi-2026"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);

    let events = audit_event::Entity::find().all(&app.db).await.unwrap();
    for (action, actor) in [
        ("login", &officer),
        ("import.commit", &officer),
        ("person.update", &officer),
        ("list.submit", &officer),
        ("list.approve", &district),
        ("distribution.received", &officer),
        ("export.signing_sheet", &district),
        ("user.create", &district),
    ] {
        let found = events.iter().find(|event| {
            event.action == action
                && event.actor_user_id == Some(actor.id)
                && event.unit_id == Some(own_ward)
        });
        let found = found.unwrap_or_else(|| {
            panic!(
                "no {action} event by {} for Hiệp Phú among {:?}",
                actor.username,
                events
                    .iter()
                    .map(|e| (&e.action, e.actor_user_id, e.unit_id))
                    .collect::<Vec<_>>()
            )
        });
        assert_eq!(found.actor_name, actor.username);
    }
    // Changes carry the state before and after.
    let edited = events.iter().find(|e| e.action == "person.update").unwrap();
    assert!(edited.before_json.is_some() && edited.after_json.is_some());
    let approved = events.iter().find(|e| e.action == "list.approve").unwrap();
    assert!(approved.before_json.is_some() && approved.after_json.is_some());
}

async fn find_user(app: &crate::helpers::TestApp, username: &str) -> user::Model {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

#[test]
fn nothing_in_the_sources_updates_or_deletes_audit_events() {
    let forbidden = [
        "audit_event::entity::delete",
        "audit_event::entity::update",
        "audit_event::activemodel::delete",
        "update audit_events",
        "delete from audit_events",
        "truncate audit_events",
        "truncate table audit_events",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("src"), root.join("migrations/src")];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for item in std::fs::read_dir(&dir).unwrap() {
            let path = item.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Whitespace and case do not hide a statement.
            let flat: String = text
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            for pattern in forbidden {
                if flat.contains(pattern) {
                    found.push(format!("{}: {pattern}", path.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the audit log must stay append-only: {found:?}"
    );
}
