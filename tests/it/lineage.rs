//! Unit lineage across the 1 July 2025 reform: the seeded five wards and 13 old → new lines,
//! resolving an old ward on a campaign's Tết day, and `chamlo units lineage|link|quarter`.

use chamlo::domain::lineage::{self, Resolution};
use chamlo::domain::units::all_units;
use chamlo::entities::unit;
use chrono::NaiveDate;

use crate::cli::run_chamlo;
use crate::helpers::TestApp;

fn ward<'a>(units: &'a [unit::Model], name: &str, new: bool) -> &'a unit::Model {
    units
        .iter()
        .find(|u| u.name == name && u.valid_from.is_some() == new)
        .unwrap_or_else(|| panic!("ward {name} seeded"))
}

#[tokio::test]
async fn old_wards_resolve_to_their_successor_on_tet_2027_and_to_themselves_in_2021() {
    let app = TestApp::spawn().await;
    let units = all_units(&app.db).await.unwrap();
    let lineage = lineage::load(&app.db).await.unwrap();
    assert_eq!(lineage.lines.len(), 13);
    let tet_2027 = NaiveDate::from_ymd_opt(2027, 2, 6).unwrap();
    let tet_2021 = NaiveDate::from_ymd_opt(2021, 2, 12).unwrap();
    let tnp = ward(&units, "Tăng Nhơn Phú", true);
    assert_eq!(tnp.code, "26842");
    for old in ["Hiệp Phú", "Tân Phú", "Tăng Nhơn Phú A", "Tăng Nhơn Phú B"] {
        let id = ward(&units, old, false).id;
        assert_eq!(
            lineage.resolve(&units, id, tet_2027, None),
            Resolution::Successor(tnp.id),
            "{old}"
        );
        assert_eq!(
            lineage.resolve(&units, id, tet_2021, None),
            Resolution::Itself
        );
    }
    let phu_huu = ward(&units, "Phú Hữu", false).id;
    assert_eq!(
        lineage.resolve(&units, phu_huu, tet_2027, None),
        Resolution::Successor(ward(&units, "Long Trường", true).id)
    );
    let mut ancestry = lineage.ancestry(tnp.id);
    ancestry.sort_unstable();
    assert_eq!(ancestry.len(), 5);
    assert_eq!(
        lineage::units_on(&units, tet_2027)
            .iter()
            .filter(|u| u.level == chamlo::entities::states::UnitLevel::Ward)
            .count(),
        5
    );
}

#[tokio::test]
async fn units_lineage_json_lists_old_to_new_with_share_and_dates() {
    let app = TestApp::spawn().await;
    let output = run_chamlo(&app, &["units", "lineage", "--json"], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 13);
    let hiep_phu = rows
        .iter()
        .find(|row| row["from"] == "Phường Hiệp Phú")
        .expect("Hiệp Phú listed");
    assert_eq!(hiep_phu["to"], "Phường Tăng Nhơn Phú");
    assert_eq!(hiep_phu["share"], "whole");
    assert_eq!(hiep_phu["from_valid_to"], "2025-06-30");
    assert_eq!(hiep_phu["effective_on"], "2025-07-01");
    let text = run_chamlo(&app, &["units", "lineage"], &[]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Phường Phú Hữu"));
}

#[tokio::test]
async fn a_split_ward_resolves_by_khu_pho_entered_from_the_command_line() {
    let app = TestApp::spawn().await;
    // A ward that went whole somewhere cannot also go in part elsewhere.
    let refused = run_chamlo(
        &app,
        &[
            "units",
            "link",
            "--from",
            "Long Thạnh Mỹ",
            "--to",
            "Tăng Nhơn Phú",
            "--part",
        ],
        &[],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("nhập nguyên vẹn"));
    assert_eq!(lineage::load(&app.db).await.unwrap().lines.len(), 13);

    // A new ward (valid from 2026) split from the new Long Bình, in parts.
    let units = all_units(&app.db).await.unwrap();
    let long_binh = ward(&units, "Long Bình", true).id;
    let city = units.iter().find(|u| u.code == "79").unwrap().id;
    let actor = chamlo::domain::audit::Actor::system("test");
    let new_ward = chamlo::domain::units::save_unit(
        &app.db,
        &actor,
        None,
        chamlo::domain::units::UnitInput {
            code: "99001".into(),
            name: "Long Bình Tây".into(),
            level: "ward".into(),
            parent_id: Some(city),
            valid_from: NaiveDate::from_ymd_opt(2026, 7, 1),
            valid_to: None,
        },
    )
    .await
    .ok()
    .unwrap();
    let missing = run_chamlo(
        &app,
        &[
            "units",
            "quarter",
            "--from",
            "Long Bình",
            "--khu-pho",
            "Khu phố 3",
            "--to",
            "Long Bình Tây",
        ],
        &[],
    );
    assert!(
        !missing.status.success(),
        "a khu phố needs a part line first"
    );
    // Long Bình (2025) ends; two parts go to Long Bình Tây and to Long Trường.
    use sea_orm::{ActiveModelTrait, Set};
    let mut ended: unit::ActiveModel = ward(&units, "Long Bình", true).clone().into();
    ended.valid_to = Set(NaiveDate::from_ymd_opt(2026, 6, 30));
    ended.update(&app.db).await.unwrap();
    for to in ["Long Bình Tây", "Long Trường"] {
        let linked = run_chamlo(
            &app,
            &[
                "units",
                "link",
                "--from",
                "26833",
                "--to",
                to,
                "--part",
                "--effective-on",
                "2026-07-01",
            ],
            &[],
        );
        assert!(
            linked.status.success(),
            "{}",
            String::from_utf8_lossy(&linked.stderr)
        );
    }
    let set = run_chamlo(
        &app,
        &[
            "units",
            "quarter",
            "--from",
            "26833",
            "--khu-pho",
            "Khu phố 3",
            "--to",
            "Long Bình Tây",
        ],
        &[],
    );
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let units = all_units(&app.db).await.unwrap();
    let lineage = lineage::load(&app.db).await.unwrap();
    let tet_2027 = NaiveDate::from_ymd_opt(2027, 2, 6).unwrap();
    // Hiệp Phú → Tăng Nhơn Phú is unaffected; the old Long Thạnh Mỹ goes through Long Bình.
    let old_ltm = ward(&units, "Long Thạnh Mỹ", false).id;
    assert_eq!(
        lineage.resolve(&units, old_ltm, tet_2027, Some("khu pho 3")),
        Resolution::Successor(new_ward.id)
    );
    match lineage.resolve(&units, long_binh, tet_2027, None) {
        Resolution::Ambiguous(ids) => assert_eq!(ids.len(), 2),
        other => panic!("expected two possible wards, got {other:?}"),
    }
    let listed = run_chamlo(&app, &["units", "lineage"], &[]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("một phần: Khu phố 3"));
}
