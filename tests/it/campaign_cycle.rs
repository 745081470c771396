//! A whole Tết campaign on one database: three wards import their real files, people are
//! listed twice, the district adds a city program, reviews the duplicates, returns and
//! approves the lists; the wards hand the gifts out (proxies, a refusal, a death, an undo);
//! the progress equals what is computed here by hand; next year starts from these lists.

use std::collections::HashMap;

use axum::http::StatusCode;
use chamlo::domain::api_tokens::create_api_token;
use chamlo::domain::audit::Actor;
use chamlo::domain::campaigns::set_campaign_status;
use chamlo::domain::carry_forward::carry_forward;
use chamlo::domain::operator::Operator;
use chamlo::domain::ward_lists::ensure_list_editable;
use chamlo::entities::states::{
    CampaignStatus, EntryStatus, ListStatus, PersonStatus, Role, UnitLevel,
};
use chamlo::entities::{audit_event, category, duplicate_decision, entry, person};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::cycle_support::{
    Auth, NewPerson, api, default_program, entries, list_entry, new_person, person_named,
    ward_list_of,
};
use crate::helpers::TestApp;
use crate::import::{district_campaign, import_sample, sample_path};

const HIEP_PHU: &str = "Hiệp Phú";
const LONG_BINH: &str = "Long Bình";
const TRUONG_THANH: &str = "Trường Thạnh";

/// The city program's amounts, by category code.
const CITY: &[(&str, i64)] = &[
    ("BMVNAH", 1_000_000),
    ("AHLLVT", 1_000_000),
    ("TB81", 700_000),
    ("TNLS", 600_000),
    ("TB", 500_000),
];

/// One accepted row of a sample's expected JSON: name, category code, amount.
async fn sample_rows(app: &TestApp, file: &str) -> Vec<(String, String, i64)> {
    let path = sample_path(&format!("expected/{file}.json"));
    let expected: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let codes: HashMap<String, String> = category::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.name, c.code))
        .collect();
    expected["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "accepted")
        .map(|r| {
            (
                r["full_name"].as_str().unwrap().to_owned(),
                codes[r["category"].as_str().unwrap()].clone(),
                r["amount"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// A user with an API token.
async fn token_for(
    app: &TestApp,
    username: &str,
    role: Role,
    unit: Option<(UnitLevel, &str)>,
) -> String {
    let user = app.create_user(username, role, unit).await;
    create_api_token(&app.db, &Actor::system("test"), &user, "script")
        .await
        .unwrap()
        .1
}

/// Expected figures of one ward and program: (planned people, planned money, received
/// people, received money, not received people, not received money).
type Expected = (i64, i64, i64, i64, i64, i64);

fn check_row(progress: &Value, ward_id: i32, program_id: i64, want: Expected) {
    let row = progress["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ward_id"] == ward_id && r["program_id"] == program_id)
        .unwrap_or_else(|| panic!("no progress row for ward {ward_id}, program {program_id}"));
    let got = |k: &str| row[k].as_i64().unwrap();
    let (pp, pa, rp, ra, np, na) = want;
    assert_eq!(
        (
            got("planned_people"),
            got("planned_amount"),
            got("received_people"),
            got("received_amount"),
            got("not_received_people"),
            got("not_received_amount"),
            got("remaining_people"),
            got("remaining_amount"),
        ),
        (pp, pa, rp, ra, np, na, pp - rp - np, pa - ra - na),
        "ward {ward_id}, program {program_id}"
    );
}

#[tokio::test]
async fn a_whole_campaign_runs_from_the_wards_files_to_the_last_gift() {
    let app = TestApp::spawn().await;
    let hiep_phu = app.unit(UnitLevel::Ward, HIEP_PHU).await;
    let long_binh = app.unit(UnitLevel::Ward, LONG_BINH).await;
    let truong_thanh = app.unit(UnitLevel::Ward, TRUONG_THANH).await;
    let district_token = token_for(
        &app,
        "quan9",
        Role::District,
        Some((UnitLevel::District, "Quận 9")),
    )
    .await;
    let hiep_phu_token = token_for(
        &app,
        "hiepphu",
        Role::Ward,
        Some((UnitLevel::Ward, HIEP_PHU)),
    )
    .await;
    let long_binh_token = token_for(
        &app,
        "longbinh",
        Role::Ward,
        Some((UnitLevel::Ward, LONG_BINH)),
    )
    .await;
    let truong_thanh_token = token_for(
        &app,
        "truongthanh",
        Role::Ward,
        Some((UnitLevel::Ward, TRUONG_THANH)),
    )
    .await;

    // The campaign, with its lunar name and its default program.
    let campaign = district_campaign(&app, 2021).await;
    assert_eq!(campaign.title, "Tết Nguyên đán Tân Sửu 2021");
    let default = default_program(&app, campaign.id).await;
    assert_eq!(default.name, "Quà Tết Tân Sửu 2021");
    let slug = campaign.slug.clone();

    // Three wards import their real files.
    import_sample(
        &app,
        &campaign,
        "01-hiep-phu-nguoi-co-cong.xlsx",
        Some(HIEP_PHU),
    )
    .await;
    import_sample(&app, &campaign, "03-long-binh-tcvn3.xls", Some(LONG_BINH)).await;
    import_sample(&app, &campaign, "07-truong-thanh.ods", Some(TRUONG_THANH)).await;

    // People listed twice, typed in by hand after the imports:
    // (a) Long Bình lists Hiệp Phú's Ngô Thị Xuân again, as a new record without ID;
    let xuan = person_named(&app, "Ngô Thị Xuân").await;
    let xuan_again = new_person(
        &app,
        LONG_BINH,
        NewPerson {
            name: "NGÔ THỊ  XUÂN",
            birth_year: 1926,
            address: "4 đường số 4",
            national_id: None,
            household_id: None,
        },
    )
    .await;
    list_entry(
        &app,
        campaign.id,
        default.id,
        LONG_BINH,
        xuan_again.id,
        "BMVNAH",
        600_000,
    )
    .await;
    // (b) Trường Thạnh lists Võ Văn Chín a second time, under another category;
    let chin = person_named(&app, "Võ Văn Chín").await;
    let chin_twice = list_entry(
        &app,
        campaign.id,
        default.id,
        TRUONG_THANH,
        chin.id,
        "TB",
        300_000,
    )
    .await;
    // (c) two different women with the same name, year and street in two wards.
    for ward in [TRUONG_THANH, LONG_BINH] {
        let lan = new_person(
            &app,
            ward,
            NewPerson {
                name: "Phạm Thị Lan",
                birth_year: 1950,
                address: "10 Đường số 5",
                national_id: None,
                household_id: None,
            },
        )
        .await;
        list_entry(&app, campaign.id, default.id, ward, lan.id, "BTXH", 300_000).await;
    }

    // The district adds the city's program over the API; its gifts are computed at once.
    let amounts: Vec<Value> = CITY
        .iter()
        .map(|(code, amount)| json!({ "category": code, "amount": amount }))
        .collect();
    let (status, created) = api(
        &app,
        "POST",
        &format!("/api/campaigns/{slug}/programs"),
        Auth::Token(&district_token),
        Some(json!({
            "name": "Quà của Thành phố",
            "funding_source": "city",
            "goods_description": "Phần quà Tết (gạo, dầu ăn, bánh mứt)",
            "goods_quantity": 1,
            "amounts": amounts,
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let city_id = created["program"]["id"].as_i64().unwrap();
    // A ward officer may not add programs.
    let (status, refused) = api(
        &app,
        "POST",
        &format!("/api/campaigns/{slug}/programs"),
        Auth::Token(&hiep_phu_token),
        Some(json!({ "name": "Quà phường", "funding_source": "ward", "amounts": amounts })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("không có quyền")
    );
    let (_, programs) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{slug}/programs"),
        Auth::Token(&long_binh_token),
        None,
    )
    .await;
    assert_eq!(programs.as_array().unwrap().len(), 2);

    // Duplicate review: ward officers may not; the district sees the three cases (Xuân in
    // both programs, Chín under two categories, the two Lans).
    let (status, _) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{slug}/duplicates"),
        Auth::Token(&hiep_phu_token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, pairs) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{slug}/duplicates"),
        Auth::Token(&district_token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{pairs}");
    let pairs = pairs.as_array().unwrap().clone();
    let names = |p: &Value| {
        (
            p["a"]["full_name"].as_str().unwrap().to_owned(),
            p["b"]["full_name"].as_str().unwrap().to_owned(),
            p["program_id"].as_i64().unwrap(),
        )
    };
    let mut found: Vec<_> = pairs.iter().map(names).collect();
    found.sort();
    let mut want = vec![
        (
            "Ngô Thị Xuân".to_owned(),
            "NGÔ THỊ  XUÂN".to_owned(),
            i64::from(default.id),
        ),
        (
            "Ngô Thị Xuân".to_owned(),
            "NGÔ THỊ  XUÂN".to_owned(),
            city_id,
        ),
        (
            "Võ Văn Chín".to_owned(),
            "Võ Văn Chín".to_owned(),
            i64::from(default.id),
        ),
        (
            "Phạm Thị Lan".to_owned(),
            "Phạm Thị Lan".to_owned(),
            i64::from(default.id),
        ),
    ];
    want.sort();
    assert_eq!(found, want);
    let pair_of = |name: &str, program: i64| {
        pairs
            .iter()
            .find(|p| p["b"]["full_name"] == name && p["program_id"] == program)
            .unwrap()
            .clone()
    };
    let chin_pair = pair_of("Võ Văn Chín", i64::from(default.id));
    assert_eq!(chin_pair["evidence"], json!(["same_person"]));
    let xuan_pair = pair_of("NGÔ THỊ  XUÂN", i64::from(default.id));
    assert_eq!(
        xuan_pair["evidence"],
        json!(["same_name_birth_year_address"])
    );

    // Decisions: Xuân stays in Hiệp Phú (Long Bình's listing goes, from both programs); Chín
    // stays under the file's category; the two Lans are different people.
    let decide = |pair: &Value, decision: &str, keep: Option<i64>| {
        json!({
            "entry_a_id": pair["a"]["entry_id"],
            "entry_b_id": pair["b"]["entry_id"],
            "decision": decision,
            "keep_entry_id": keep,
            "note": "Đã xác minh với phường",
        })
    };
    let xuan_keep = if xuan_pair["a"]["full_name"] == "Ngô Thị Xuân" {
        xuan_pair["a"]["entry_id"].as_i64()
    } else {
        xuan_pair["b"]["entry_id"].as_i64()
    };
    let chin_keep = [&chin_pair["a"], &chin_pair["b"]]
        .into_iter()
        .find(|side| side["entry_id"] != chin_twice.id)
        .and_then(|side| side["entry_id"].as_i64());
    let lan_pair = pair_of("Phạm Thị Lan", i64::from(default.id));
    for body in [
        decide(&xuan_pair, "keep_one", xuan_keep),
        decide(&chin_pair, "keep_one", chin_keep),
        decide(&lan_pair, "keep_both", None),
    ] {
        let (status, outcome) = api(
            &app,
            "POST",
            &format!("/api/campaigns/{slug}/duplicates/decision"),
            Auth::Token(&district_token),
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{outcome}");
    }
    let (_, after) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{slug}/duplicates"),
        Auth::Token(&district_token),
        None,
    )
    .await;
    let after = after.as_array().unwrap();
    assert_eq!(after.len(), 1, "only the two Lans remain, judged different");
    assert_eq!(after[0]["decision"], "keep_both");
    let decision = duplicate_decision::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let quan9 = chamlo::entities::user::Entity::find()
        .filter(chamlo::entities::user::Column::Username.eq("quan9"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        decision.decided_by,
        Some(quan9.id),
        "the district user decided"
    );
    assert!(
        entry::Entity::find()
            .filter(entry::Column::PersonId.eq(xuan_again.id))
            .count(&app.db)
            .await
            .unwrap()
            == 0,
        "the second Xuân is gone from every program"
    );
    let keep_one_events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("duplicate.keep_one"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(keep_one_events, 2);
    assert_eq!(xuan.ward_id, hiep_phu.id);

    // Approval: wards submit; the district returns Long Bình with a comment, Long Bình fixes
    // and resubmits; the district approves the three lists.
    let list_action = |ward_id: i32, action: &'static str| {
        format!("/api/campaigns/{slug}/lists/{ward_id}/{action}")
    };
    for (ward_id, token) in [
        (hiep_phu.id, &hiep_phu_token),
        (long_binh.id, &long_binh_token),
        (truong_thanh.id, &truong_thanh_token),
    ] {
        let (status, body) = api(
            &app,
            "POST",
            &list_action(ward_id, "submit"),
            Auth::Token(token),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "submitted");
    }
    let (status, returned) = api(
        &app,
        "POST",
        &list_action(long_binh.id, "return"),
        Auth::Token(&district_token),
        Some(json!({ "comment": "Bổ sung địa chỉ cho bà Nguyễn Thị Thu" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{returned}");
    assert_eq!(returned["status"], "returned");
    assert_eq!(returned["comment"], "Bổ sung địa chỉ cho bà Nguyễn Thị Thu");
    let (status, _) = api(
        &app,
        "POST",
        &list_action(long_binh.id, "submit"),
        Auth::Token(&long_binh_token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for ward_id in [hiep_phu.id, long_binh.id, truong_thanh.id] {
        let (status, body) = api(
            &app,
            "POST",
            &list_action(ward_id, "approve"),
            Auth::Token(&district_token),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "approved");
    }
    let approved = ward_list_of(&app, campaign.id, HIEP_PHU).await;
    assert!(ensure_list_editable(&app.db, approved.id).await.is_err());
    let (_, lists) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{slug}/lists"),
        Auth::Token(&hiep_phu_token),
        None,
    )
    .await;
    assert_eq!(
        lists.as_array().unwrap().len(),
        1,
        "a ward sees its own list only"
    );

    // Distribution.
    let entry_of = |list: &[entry::Model], person_id: i32, program_id: i32| {
        list.iter()
            .find(|e| e.person_id == person_id && e.program_id == program_id)
            .unwrap()
            .id
    };
    let hp_entries = entries(&app, campaign.id, Some(HIEP_PHU), None).await;
    let loc = person_named(&app, "Trần Văn Lộc").await;
    let hung = person_named(&app, "Nguyễn Văn Hùng").await;
    let mark = |token: String, body: Value| {
        let app = &app;
        async move {
            let (status, answer) = api(
                app,
                "POST",
                "/api/entries/distribution",
                Auth::Token(&token),
                Some(body),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{answer}");
            answer["updated"].as_i64().unwrap()
        }
    };
    // Hùng refuses the default gift; Lộc's son receives both of Lộc's gifts.
    mark(
        hiep_phu_token.clone(),
        json!({ "entry_ids": [entry_of(&hp_entries, hung.id, default.id)],
                "action": "not_received", "reason": "refused", "note": "Gia đình xin nhường" }),
    )
    .await;
    let loc_gifts = [
        entry_of(&hp_entries, loc.id, default.id),
        entry_of(&hp_entries, loc.id, city_id as i32),
    ];
    assert_eq!(
        mark(
            hiep_phu_token.clone(),
            json!({ "entry_ids": loc_gifts, "action": "received", "date": "2021-02-05",
                    "proxy_name": "Trần Văn Minh", "relationship": "con" }),
        )
        .await,
        2
    );
    // Every other pending default gift of Hiệp Phú, in one go.
    let (_, pending) = api(
        &app,
        "GET",
        &format!(
            "/api/campaigns/{slug}/entries?ward_id={}&status=pending&program_id={}",
            hiep_phu.id, default.id
        ),
        Auth::Token(&hiep_phu_token),
        None,
    )
    .await;
    let pending_ids: Vec<i64> = pending
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(pending_ids.len(), 10);
    mark(
        hiep_phu_token.clone(),
        json!({ "entry_ids": pending_ids, "action": "received", "date": "2021-02-06" }),
    )
    .await;
    // Hùng changes his mind: the refusal is undone.
    mark(
        hiep_phu_token.clone(),
        json!({ "entry_ids": [entry_of(&hp_entries, hung.id, default.id)], "action": "undo" }),
    )
    .await;
    // Long Bình: Lê Văn Tâm has died (both gifts); Đặng Văn Lực receives his default gift.
    let lb_entries = entries(&app, campaign.id, Some(LONG_BINH), None).await;
    let tam = person_named(&app, "Lê Văn Tâm").await;
    let luc = person_named(&app, "Đặng Văn Lực").await;
    mark(
        long_binh_token.clone(),
        json!({ "entry_ids": [entry_of(&lb_entries, tam.id, default.id),
                              entry_of(&lb_entries, tam.id, city_id as i32)],
                "action": "not_received", "reason": "deceased", "note": "Mất ngày 02/01/2021" }),
    )
    .await;
    mark(
        long_binh_token.clone(),
        json!({ "entry_ids": [entry_of(&lb_entries, luc.id, default.id)],
                "action": "received", "date": "2021-02-07" }),
    )
    .await;
    let tam_now = person::Entity::find_by_id(tam.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tam_now.status, PersonStatus::Deceased);
    // A ward cannot mark another ward's gifts.
    let (status, _) = api(
        &app,
        "POST",
        "/api/entries/distribution",
        Auth::Token(&truong_thanh_token),
        Some(
            json!({ "entry_ids": [entry_of(&lb_entries, luc.id, city_id as i32)],
                     "action": "received" }),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Progress, against figures computed here from the files and the city's table.
    let city: HashMap<&str, i64> = CITY.iter().copied().collect();
    let mut expected: HashMap<(i32, i64), Expected> = HashMap::new();
    let wards = [
        (hiep_phu.id, "01-hiep-phu-nguoi-co-cong.xlsx"),
        (long_binh.id, "03-long-binh-tcvn3.xls"),
        (truong_thanh.id, "07-truong-thanh.ods"),
    ];
    for (ward_id, file) in wards {
        let mut rows = sample_rows(&app, file).await;
        // The hand-typed Lans (BTXH, 300.000 đ, no city gift) stay; the second Xuân and
        // Chín's second category went in the review.
        if ward_id != hiep_phu.id {
            rows.push(("Phạm Thị Lan".into(), "BTXH".into(), 300_000));
        }
        let planned_default = rows.iter().map(|r| r.2).sum::<i64>();
        let city_rows: Vec<i64> = rows
            .iter()
            .filter_map(|r| city.get(r.1.as_str()).copied())
            .collect();
        expected.insert(
            (ward_id, i64::from(default.id)),
            (rows.len() as i64, planned_default, 0, 0, 0, 0),
        );
        expected.insert(
            (ward_id, city_id),
            (city_rows.len() as i64, city_rows.iter().sum(), 0, 0, 0, 0),
        );
    }
    // Hiệp Phú default: all received but Hùng (300.000 đ, pending again).
    let e = expected
        .get_mut(&(hiep_phu.id, i64::from(default.id)))
        .unwrap();
    (e.2, e.3) = (e.0 - 1, e.1 - 300_000);
    // Hiệp Phú city: Lộc (TB81, 700.000 đ) received by his son.
    let e = expected.get_mut(&(hiep_phu.id, city_id)).unwrap();
    (e.2, e.3) = (1, 700_000);
    // Long Bình default: Lực received 300.000 đ, Tâm 300.000 đ not received.
    let e = expected
        .get_mut(&(long_binh.id, i64::from(default.id)))
        .unwrap();
    (e.2, e.3, e.4, e.5) = (1, 300_000, 1, 300_000);
    // Long Bình city: Tâm (TB, 500.000 đ) not received.
    let e = expected.get_mut(&(long_binh.id, city_id)).unwrap();
    (e.4, e.5) = (1, 500_000);
    // The figures by hand, for the record.
    assert_eq!(expected[&(hiep_phu.id, i64::from(default.id))].1, 4_200_000);
    assert_eq!(expected[&(hiep_phu.id, city_id)].1, 4_600_000);
    assert_eq!(
        expected[&(long_binh.id, i64::from(default.id))].1,
        3_800_000
    );
    assert_eq!(expected[&(long_binh.id, city_id)].1, 3_200_000);
    assert_eq!(
        expected[&(truong_thanh.id, i64::from(default.id))].1,
        3_300_000
    );
    assert_eq!(expected[&(truong_thanh.id, city_id)].1, 3_700_000);

    let (status, progress) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{slug}/progress"),
        Auth::Token(&district_token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert_eq!(progress["rows"].as_array().unwrap().len(), 6);
    for (&(ward_id, program_id), &want) in &expected {
        check_row(&progress, ward_id, program_id, want);
    }
    let total_planned: i64 = expected.values().map(|e| e.1).sum();
    assert_eq!(
        progress["total"]["planned_amount"].as_i64(),
        Some(total_planned)
    );
    assert_eq!(
        progress["total"]["received_amount"].as_i64(),
        Some(3_900_000 + 700_000 + 300_000)
    );
    // A ward officer's progress covers their ward only.
    let (_, own) = api(
        &app,
        "GET",
        &format!("/api/campaigns/{slug}/progress"),
        Auth::Token(&long_binh_token),
        None,
    )
    .await;
    assert_eq!(own["rows"].as_array().unwrap().len(), 2);
    assert_eq!(own["wards"][0]["ward_id"], long_binh.id);

    // Locked: lists are frozen but gifts are still handed out; closed: nothing changes.
    let operator = Operator::system("test");
    let locked = set_campaign_status(
        &app.db,
        &operator,
        &campaign,
        CampaignStatus::Locked.as_str(),
    )
    .await
    .unwrap();
    let (status, _) = api(
        &app,
        "POST",
        &list_action(hiep_phu.id, "reopen"),
        Auth::Token(&district_token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    mark(
        hiep_phu_token.clone(),
        json!({ "entry_ids": [entry_of(&hp_entries, hung.id, default.id)],
                "action": "received", "date": "2021-02-08" }),
    )
    .await;
    set_campaign_status(&app.db, &operator, &locked, CampaignStatus::Closed.as_str())
        .await
        .unwrap();
    let (status, _) = api(
        &app,
        "POST",
        "/api/entries/distribution",
        Auth::Token(&hiep_phu_token),
        Some(
            json!({ "entry_ids": [entry_of(&hp_entries, hung.id, default.id)],
                     "action": "undo" }),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Next Tết starts from these lists: Tâm, who died, stays behind.
    let next = district_campaign(&app, 2022).await;
    let previous = chamlo::domain::campaigns::find_campaign(&app.db, &slug)
        .await
        .unwrap();
    let summary = carry_forward(&app.db, &operator, &previous, &next)
        .await
        .unwrap();
    assert_eq!(summary.lists_created, 3);
    assert_eq!(summary.people_left_behind, 1);
    assert_eq!(summary.entries_copied, 12 + 10 + 9);
    let next_default = default_program(&app, next.id).await;
    let copied = entries(&app, next.id, None, Some(next_default.id)).await;
    assert!(copied.iter().all(|e| e.status == EntryStatus::Pending));
    assert!(copied.iter().all(|e| e.person_id != tam.id));
    assert_eq!(
        ward_list_of(&app, next.id, LONG_BINH).await.status,
        ListStatus::Draft
    );
    let again = carry_forward(&app.db, &operator, &previous, &next)
        .await
        .unwrap();
    assert_eq!((again.lists_created, again.entries_copied), (0, 0));
}

#[tokio::test]
async fn a_campaign_can_be_scripted_on_the_command_line() {
    let app = TestApp::spawn().await;
    let run = |args: &[&str]| {
        let output = crate::cli::run_chamlo(&app, args, &[]);
        assert!(
            output.status.success(),
            "chamlo {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let created = run(&["campaign", "create", "--year", "2021"]);
    let slug = created.lines().last().unwrap().trim().to_owned();
    assert_eq!(slug, "tet-2021");
    assert!(created.contains("Tết Nguyên đán Tân Sửu 2021"));
    let file = sample_path("07-truong-thanh.ods");
    run(&[
        "import",
        file.to_str().unwrap(),
        "--campaign",
        &slug,
        "--ward",
        "truong thanh",
    ]);
    run(&[
        "program",
        "add",
        "--campaign",
        &slug,
        "--name",
        "Quà Thành phố",
        "--source",
        "thành phố",
        "--amount",
        "TNLS=600000",
        "--amount",
        "BMVNAH=1.000.000đ",
        "--goods",
        "Bánh chưng",
        "--goods-quantity",
        "2",
    ]);
    assert!(run(&["campaign", "list"]).contains("tet-2021\t2021\topen"));
    for action in ["submit", "approve"] {
        run(&[
            "list",
            action,
            "--campaign",
            &slug,
            "--ward",
            "TRUONG THANH",
        ]);
    }
    let refused = crate::cli::run_chamlo(
        &app,
        &[
            "list",
            "return",
            "--campaign",
            &slug,
            "--ward",
            "26854",
            "--comment",
            "Thiếu chữ ký",
        ],
        &[],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Không thể trả lại"));

    let ngoc = person_named(&app, "Trần Thị Ngọc").await;
    let ngoc_entries: Vec<String> = entry::Entity::find()
        .filter(entry::Column::PersonId.eq(ngoc.id))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id.to_string())
        .collect();
    assert_eq!(ngoc_entries.len(), 2);
    run(&[
        "distribute",
        "--campaign",
        &slug,
        "--ward",
        "Trường Thạnh",
        "--entry",
        &ngoc_entries[0],
        "--entry",
        &ngoc_entries[1],
        "--received",
        "--date",
        "05/02/2021",
        "--proxy",
        "Lê Văn Tèo",
        "--relationship",
        "cháu",
    ]);
    let no = person_named(&app, "Ngô Thị Nở").await;
    let no_entry = entry::Entity::find()
        .filter(entry::Column::PersonId.eq(no.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    run(&[
        "distribute",
        "--campaign",
        &slug,
        "--ward",
        "Trường Thạnh",
        "--entry",
        &no_entry.id.to_string(),
        "--not-received",
        "moved",
        "--note",
        "Chuyển về quê",
    ]);
    assert_eq!(
        person_named(&app, "Ngô Thị Nở").await.status,
        PersonStatus::Moved
    );
    run(&[
        "distribute",
        "--campaign",
        &slug,
        "--ward",
        "Trường Thạnh",
        "--entry",
        &no_entry.id.to_string(),
        "--undo",
    ]);
    assert_eq!(
        person_named(&app, "Ngô Thị Nở").await.status,
        PersonStatus::Active
    );
    run(&[
        "distribute",
        "--campaign",
        &slug,
        "--ward",
        "Trường Thạnh",
        "--all-pending",
        "--received",
    ]);
    let progress: Value =
        serde_json::from_str(&run(&["progress", "--campaign", &slug, "--json"])).unwrap();
    // 8 default gifts (3.000.000 đ) and the city's: TNLS ×2, BMVNAH ×1 (2.200.000 đ).
    assert_eq!(progress["total"]["planned_people"], 11);
    assert_eq!(progress["total"]["planned_amount"], 5_200_000);
    assert_eq!(progress["total"]["received_people"], 11);
    assert_eq!(progress["total"]["remaining_amount"], 0);
    assert!(run(&["progress", "--campaign", &slug]).contains("Phường Trường Thạnh"));
    run(&["campaign", "lock", &slug]);
    run(&["campaign", "close", &slug]);
    assert!(run(&["campaign", "list"]).contains("tet-2021\t2021\tclosed"));
    let next = run(&[
        "campaign",
        "create",
        "--year",
        "2022",
        "--carry-from",
        &slug,
    ]);
    assert!(next.contains("8 gifts"), "{next}");
    assert_eq!(next.lines().last(), Some("tet-2022"));

    // Carrying the city's lists into a district campaign is refused, and no campaign is
    // left half made.
    let refused = crate::cli::run_chamlo(
        &app,
        &[
            "campaign",
            "create",
            "--year",
            "2023",
            "--unit",
            "Quận 9",
            "--carry-from",
            "tet-2022",
        ],
        &[],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("cùng đơn vị"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(!run(&["campaign", "list"]).contains("2023"));
}
