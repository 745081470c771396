//! Importing into a campaign after the 1 July 2025 reform: a list naming an old ward goes to
//! its successor with a warning naming both, a split ward needs a khu phố that resolves it,
//! the old ward is recorded and printed ("Phường cũ"), and a 2027 campaign has no list of
//! its own for a ward that had ended.

use std::io::Cursor;

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};
use chamlo::domain::audit::Actor;
use chamlo::domain::campaigns::{NewCampaign, create_campaign};
use chamlo::domain::exports::{export_signing_sheets, find_program};
use chamlo::domain::import_check::FormerWards;
use chamlo::domain::import_commit::{FileMeta, commit_import};
use chamlo::domain::lineage::{self, LineageInput};
use chamlo::domain::operator::Operator;
use chamlo::domain::scope::UnitScope;
use chamlo::domain::units::all_units;
use chamlo::entities::states::{Role, UnitLevel};
use chamlo::entities::{campaign, category, entry, unit, unit_lineage, ward_list};
use chamlo::error::AppError;
use chamlo::import::{KnownWard, ParsedList, RowStatus, Severity};
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::cli::run_chamlo;
use crate::helpers::TestApp;
use crate::import::{check_file_with_former, import_bytes, sample_path};
use crate::pages_ward::upload;

const HIEP_PHU_FILE: &str = "01-hiep-phu-nguoi-co-cong.xlsx";

/// The ward named `name` that exists after the reform (`new`) or before it.
fn ward<'a>(units: &'a [unit::Model], name: &str, new: bool) -> &'a unit::Model {
    units
        .iter()
        .find(|u| u.level == UnitLevel::Ward && u.name == name && u.valid_from.is_some() == new)
        .unwrap_or_else(|| panic!("ward {name} seeded"))
}

/// How many entries record a former ward.
async fn entries_with_a_former_ward(app: &TestApp) -> u64 {
    entry::Entity::find()
        .filter(entry::Column::FormerWardId.is_not_null())
        .count(&app.db)
        .await
        .unwrap()
}

/// The Tết Đinh Mùi 2027 campaign, run by whoever the domain picks (the city).
pub(crate) async fn campaign_2027(app: &TestApp) -> campaign::Model {
    create_campaign(
        &app.db,
        &Operator::system("test"),
        NewCampaign {
            year: 2027,
            title: None,
            unit: None,
        },
    )
    .await
    .expect("campaign 2027 created")
}

/// The signing sheet of `ward` for the campaign's default program, read back.
async fn signing_sheet_of(
    app: &TestApp,
    campaign: &campaign::Model,
    ward: &unit::Model,
) -> Range<Data> {
    let program = find_program(&app.db, campaign, None).await.unwrap();
    let file = export_signing_sheets(
        &app.db,
        &Operator::system("test"),
        campaign,
        Some(ward),
        &program,
    )
    .await
    .expect("exported");
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(file.bytes)).unwrap();
    let name = workbook.sheet_names()[0].clone();
    workbook.worksheet_range(&name).unwrap()
}

fn warnings(row: &chamlo::import::ImportRow) -> Vec<&str> {
    row.issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .map(|i| i.message.as_str())
        .collect()
}

#[tokio::test]
async fn campaign_create_2027_on_a_fresh_install_is_run_by_the_city_and_prints_the_slug_last() {
    let app = TestApp::spawn().await;
    let output = run_chamlo(&app, &["campaign", "create", "--year", "2027"], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().last(), Some("tet-2027"));
    let made = campaign::Entity::find()
        .filter(campaign::Column::Slug.eq("tet-2027"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("stored");
    let runner = unit::Entity::find_by_id(made.unit_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(runner.level, UnitLevel::City);
    assert_eq!(runner.code, "79");
    assert_eq!(made.lunar_name, "Đinh Mùi");
}

#[tokio::test]
async fn import_json_names_the_successor_ward_and_the_former_one_with_a_warning() {
    let app = TestApp::spawn().await;
    let created = run_chamlo(&app, &["campaign", "create", "--year", "2027"], &[]);
    assert!(created.status.success());
    let file = sample_path(HIEP_PHU_FILE);
    let output = run_chamlo(
        &app,
        &[
            "import",
            file.to_str().unwrap(),
            "--ward",
            "Hiệp Phú",
            "--campaign",
            "tet-2027",
            "--json",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 12);
    for row in rows {
        assert_eq!(row["status"], "accepted", "{row}");
        assert_eq!(row["ward"], "Tăng Nhơn Phú");
        assert_eq!(row["former_ward"], "Hiệp Phú");
        let issues = row["issues"].as_array().unwrap();
        assert!(
            issues.iter().any(|i| i["severity"] == "warning"
                && i["message"]
                    .as_str()
                    .unwrap()
                    .contains("Phường Hiệp Phú (cũ) nay thuộc Phường Tăng Nhơn Phú")),
            "{issues:?}"
        );
        // Existing fields stay.
        assert!(row.get("full_name").is_some() && row.get("category_code").is_some());
    }
    assert_eq!(report["campaign"], "tet-2027");
    assert_eq!(report["ward_source"], "argument");
    let committed = report["committed"].as_array().unwrap();
    assert_eq!(committed.len(), 1);
    assert_eq!(committed[0]["ward"], "Tăng Nhơn Phú");
    assert_eq!(committed[0]["added"], 12);

    // Stored in Tăng Nhơn Phú's list, each entry remembering Hiệp Phú.
    let units = all_units(&app.db).await.unwrap();
    let tnp = ward(&units, "Tăng Nhơn Phú", true);
    let hiep_phu = ward(&units, "Hiệp Phú", false);
    let entries = entry::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(entries.len(), 12);
    assert!(
        entries
            .iter()
            .all(|e| e.ward_id == tnp.id && e.former_ward_id == Some(hiep_phu.id))
    );
    let lists = ward_list::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].ward_id, tnp.id);
}

#[tokio::test]
async fn a_2027_import_naming_hiep_phu_lands_in_tang_nhon_phu_and_prints_phuong_cu() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2027(&app).await;
    let bytes = std::fs::read(sample_path(HIEP_PHU_FILE)).unwrap();
    // The title block says "UBND PHƯỜNG HIỆP PHÚ": no ward chosen.
    let (parsed, committed) = import_bytes(&app, &campaign, HIEP_PHU_FILE, &bytes, None)
        .await
        .expect("imported");
    assert_eq!(committed.len(), 1);
    assert_eq!(committed[0].ward, "Tăng Nhơn Phú");
    for row in &parsed.rows {
        assert_eq!(row.status, RowStatus::Accepted);
        assert_eq!(row.ward.as_ref().map(|w| &*w.name), Some("Tăng Nhơn Phú"));
        assert!(
            warnings(row)
                .iter()
                .any(|w| w.starts_with("Phường Hiệp Phú (cũ) nay thuộc Phường Tăng Nhơn Phú")),
            "{:?}",
            row.issues
        );
    }

    // The list page shows the old ward on each person's row.
    let units = all_units(&app.db).await.unwrap();
    let tnp = ward(&units, "Tăng Nhơn Phú", true);
    let cookie = app.login_as("admin", Role::Admin, None).await;
    let page = app
        .get(
            &format!("/campaigns/{}/wards/{}", campaign.slug, tnp.id),
            Some(&cookie),
        )
        .await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert_eq!(page.body.matches("Phường cũ: Hiệp Phú").count(), 12);

    // The signing sheet has a "Phường cũ" column holding Hiệp Phú on every person's row.
    let range = signing_sheet_of(&app, &campaign, tnp).await;
    let header = range
        .rows()
        .position(|cells| cells.iter().any(|c| *c == Data::String("Ký nhận".into())))
        .expect("header row");
    let cells: Vec<&Data> = range.rows().nth(header).unwrap().iter().collect();
    let column = cells
        .iter()
        .position(|c| **c == Data::String("Phường cũ".into()))
        .expect("a Phường cũ column");
    let marked = range
        .rows()
        .skip(header + 1)
        .filter(|cells| cells.get(column) == Some(&Data::String("Hiệp Phú".into())))
        .count();
    assert_eq!(marked, 12);
}

/// A program added after the import plans its gifts from the listings: each new gift keeps
/// the old ward its listing named.
#[tokio::test]
async fn a_program_added_later_keeps_phuong_cu_on_its_gifts() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2027(&app).await;
    let bytes = std::fs::read(sample_path(HIEP_PHU_FILE)).unwrap();
    import_bytes(&app, &campaign, HIEP_PHU_FILE, &bytes, None)
        .await
        .expect("imported");
    let listed = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .all(&app.db)
        .await
        .unwrap();
    let mut codes: Vec<String> = Vec::new();
    for e in &listed {
        let found = category::Entity::find_by_id(e.category_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        if !codes.contains(&found.code) {
            codes.push(found.code);
        }
    }
    let (program, computed) = crate::helpers::add_city_gift(&app.db, &campaign, codes).await;
    assert_eq!(computed.created, 12);
    let units = all_units(&app.db).await.unwrap();
    let hiep_phu = ward(&units, "Hiệp Phú", false);
    let gifts = entry::Entity::find()
        .filter(entry::Column::ProgramId.eq(program.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(gifts.len(), 12);
    assert!(
        gifts.iter().all(|g| g.former_ward_id == Some(hiep_phu.id)),
        "{gifts:?}"
    );
}

#[tokio::test]
async fn choosing_the_successor_records_the_ward_the_title_names_and_a_2021_list_has_no_phuong_cu()
{
    let app = TestApp::spawn().await;
    let campaign = campaign_2027(&app).await;
    let units = all_units(&app.db).await.unwrap();
    let tnp = ward(&units, "Tăng Nhơn Phú", true);
    let bytes = std::fs::read(sample_path(HIEP_PHU_FILE)).unwrap();
    // Chosen as Tăng Nhơn Phú by the user, the title block still names Hiệp Phú: moved.
    let (parsed, _) = import_bytes(
        &app,
        &campaign,
        HIEP_PHU_FILE,
        &bytes,
        Some("Tăng Nhơn Phú"),
    )
    .await
    .expect("imported");
    assert!(parsed.rows.iter().all(|r| !warnings(r).is_empty()));
    assert_eq!(entries_with_a_former_ward(&app).await, 12);
    // A 2021 campaign: Hiệp Phú is itself, no warning, nothing recorded, no column.
    let old = crate::import::district_campaign(&app, 2021).await;
    let (parsed, _) = import_bytes(&app, &old, HIEP_PHU_FILE, &bytes, None)
        .await
        .expect("imported into 2021");
    assert!(parsed.rows.iter().all(|r| warnings(r).is_empty()));
    assert!(
        parsed
            .rows
            .iter()
            .all(|r| r.ward.as_ref().map(|w| &*w.name) == Some("Hiệp Phú"))
    );
    let hiep_phu = ward(&units, "Hiệp Phú", false);
    let range = signing_sheet_of(&app, &old, hiep_phu).await;
    assert!(
        !range
            .used_cells()
            .any(|(_, _, c)| *c == Data::String("Phường cũ".into()))
    );
    assert_ne!(tnp.id, hiep_phu.id);
}

/// Makes Hiệp Phú a split ward: Khu phố 3 to Tăng Nhơn Phú, Khu phố 5 to the new Long Bình,
/// the other khu phố not entered.
async fn split_hiep_phu(app: &TestApp) {
    let units = all_units(&app.db).await.unwrap();
    let hiep_phu = ward(&units, "Hiệp Phú", false).id;
    let tnp = ward(&units, "Tăng Nhơn Phú", true).id;
    let long_binh = ward(&units, "Long Bình", true).id;
    let line = unit_lineage::Entity::find()
        .filter(unit_lineage::Column::PredecessorId.eq(hiep_phu))
        .one(&app.db)
        .await
        .unwrap()
        .expect("Hiệp Phú's line");
    let mut part: unit_lineage::ActiveModel = line.into();
    part.whole = Set(false);
    part.update(&app.db).await.unwrap();
    let actor = Actor::system("test");
    lineage::add_line(
        &app.db,
        &actor,
        LineageInput {
            predecessor_id: hiep_phu,
            successor_id: long_binh,
            whole: false,
            effective_on: NaiveDate::from_ymd_opt(2025, 7, 1),
        },
    )
    .await
    .expect("part line");
    lineage::set_quarter(&app.db, &actor, hiep_phu, "Khu phố 3", tnp)
        .await
        .expect("KP3");
    lineage::set_quarter(&app.db, &actor, hiep_phu, "khu pho 5", long_binh)
        .await
        .expect("KP5");
}

/// Splits Hiệp Phú ([`split_hiep_phu`]), creates the 2027 campaign and checks the Hiệp Phú
/// file against it with `chosen` as the ward chosen on import.
async fn check_split_hiep_phu(
    app: &TestApp,
    chosen: &str,
) -> (campaign::Model, Vec<u8>, ParsedList, FormerWards) {
    split_hiep_phu(app).await;
    let campaign = campaign_2027(app).await;
    let bytes = std::fs::read(sample_path(HIEP_PHU_FILE)).unwrap();
    let (parsed, former) = check_file_with_former(
        app,
        &campaign,
        HIEP_PHU_FILE,
        &bytes,
        Some(chosen),
        &UnitScope::All,
    )
    .await
    .expect("checked");
    (campaign, bytes, parsed, former)
}

#[tokio::test]
async fn a_split_ward_places_rows_by_khu_pho_and_refuses_those_it_cannot_place() {
    let app = TestApp::spawn().await;
    let (campaign, bytes, parsed, former) = check_split_hiep_phu(&app, "Hiệp Phú").await;
    for row in &parsed.rows {
        let quarter = row.khu_pho.as_deref().unwrap_or_default();
        match quarter {
            "Khu phố 3" | "Khu phố 5" => {
                let to = if quarter == "Khu phố 3" {
                    "Tăng Nhơn Phú"
                } else {
                    "Long Bình"
                };
                assert_eq!(row.status, RowStatus::Accepted, "{:?}", row.issues);
                assert_eq!(row.ward.as_ref().map(|w| &*w.name), Some(to));
                assert!(
                    warnings(row)
                        .iter()
                        .any(|w| w.contains(&format!("Phường Hiệp Phú (cũ) nay thuộc Phường {to}")))
                );
                assert_eq!(former.of_row(row.row).map(|w| &*w.name), Some("Hiệp Phú"));
            }
            _ => {
                assert_eq!(row.status, RowStatus::Rejected, "{quarter}");
                assert!(row.ward.is_none());
                let problem = row
                    .issues
                    .iter()
                    .find(|i| i.field == "ward" && i.severity == Severity::Error)
                    .expect("a ward problem");
                assert!(
                    problem.message.contains("Phường Tăng Nhơn Phú"),
                    "{}",
                    problem.message
                );
                assert!(
                    problem.message.contains("Phường Long Bình"),
                    "{}",
                    problem.message
                );
                assert!(problem.message.contains(quarter), "{}", problem.message);
                assert!(former.of_row(row.row).is_none());
            }
        }
    }
    assert_eq!(
        parsed
            .rows
            .iter()
            .filter(|r| r.status == RowStatus::Accepted)
            .count(),
        5
    );

    // Committed: two lists, of the new wards only.
    let (_, committed) = import_bytes(&app, &campaign, HIEP_PHU_FILE, &bytes, Some("Hiệp Phú"))
        .await
        .expect("committed");
    let mut wards: Vec<&str> = committed.iter().map(|c| c.ward.as_str()).collect();
    wards.sort_unstable();
    assert_eq!(wards, ["Long Bình", "Tăng Nhơn Phú"]);
    assert_eq!(committed.iter().map(|c| c.added).sum::<usize>(), 5);
    let units = all_units(&app.db).await.unwrap();
    let lists = ward_list::Entity::find().all(&app.db).await.unwrap();
    assert!(
        lists
            .iter()
            .all(|l| l.ward_id != ward(&units, "Hiệp Phú", false).id)
    );
}

#[tokio::test]
async fn choosing_the_new_ward_resolves_a_split_ward_but_not_against_an_entered_khu_pho() {
    let app = TestApp::spawn().await;
    // The title names Hiệp Phú; the user says the list is Long Bình's part.
    let (_, _, parsed, former) = check_split_hiep_phu(&app, "Long Bình").await;
    // "Long Bình" chosen in a 2027 campaign is the new ward (the old one shares its name).
    let units = all_units(&app.db).await.unwrap();
    let new_long_binh = ward(&units, "Long Bình", true);
    for row in &parsed.rows {
        if row.khu_pho.as_deref() == Some("Khu phố 3") {
            // Entered as going to Tăng Nhơn Phú: not Long Bình's.
            assert_eq!(row.status, RowStatus::Rejected);
            assert!(
                row.issues
                    .iter()
                    .any(|i| i.message.contains("khác với phường"))
            );
            continue;
        }
        assert_eq!(row.status, RowStatus::Accepted, "{:?}", row.issues);
        assert_eq!(
            row.ward.as_ref().map(|w| w.id),
            Some(i64::from(new_long_binh.id))
        );
        assert_eq!(former.of_row(row.row).map(|w| &*w.name), Some("Hiệp Phú"));
    }
}

#[tokio::test]
async fn a_2027_campaign_has_no_list_of_its_own_for_a_ward_that_ended() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2027(&app).await;
    let units = all_units(&app.db).await.unwrap();
    let hiep_phu = ward(&units, "Hiệp Phú", false);
    let bytes = std::fs::read(sample_path(HIEP_PHU_FILE)).unwrap();

    // Rows handed to the commit as Hiệp Phú's (not through the check) are refused whole.
    let mut parsed = chamlo::import::read_ward_file(
        HIEP_PHU_FILE,
        &bytes,
        &chamlo::domain::import_check::load_import_setup(&app.db, 2027)
            .await
            .unwrap()
            .context,
    )
    .unwrap();
    for row in parsed.rows.iter_mut() {
        row.ward = Some(KnownWard {
            id: i64::from(hiep_phu.id),
            code: hiep_phu.code.as_str().into(),
            name: hiep_phu.name.as_str().into(),
        });
    }
    let refused = commit_import(
        &app.db,
        &Actor::system("test"),
        &campaign,
        &parsed,
        &Default::default(),
        FileMeta {
            file_name: HIEP_PHU_FILE,
            sha256: "00",
            size_bytes: bytes.len() as i64,
        },
    )
    .await;
    match refused {
        Err(AppError::Invalid(message)) => {
            assert!(
                message.contains("Phường Hiệp Phú không tồn tại vào Tết"),
                "{message}"
            );
            assert!(message.contains("06/02/2027"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(ward_list::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(entry::Entity::find().count(&app.db).await.unwrap(), 0);

    // An ended ward with no successor: every row is a problem, nothing is stored.
    unit_lineage::Entity::delete_many()
        .filter(unit_lineage::Column::PredecessorId.eq(hiep_phu.id))
        .exec(&app.db)
        .await
        .unwrap();
    let (parsed, committed) = import_bytes(&app, &campaign, HIEP_PHU_FILE, &bytes, None)
        .await
        .expect("checked and committed what could be");
    assert!(committed.is_empty());
    for row in &parsed.rows {
        assert_eq!(row.status, RowStatus::Rejected);
        assert!(
            row.issues.iter().any(|i| i
                .message
                .contains("Phường Hiệp Phú đã kết thúc từ ngày 30/06/2025")),
            "{:?}",
            row.issues
        );
    }
    assert_eq!(ward_list::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn a_ward_officer_of_the_merged_ward_previews_the_old_wards_file_with_the_warning() {
    let app = TestApp::spawn().await;
    let campaign = campaign_2027(&app).await;
    // District staff and administrators choose among the wards of the campaign's Tết.
    let admin = app.login_as("admin", Role::Admin, None).await;
    let form = app
        .get(
            &format!("/campaigns/{}/import", campaign.slug),
            Some(&admin),
        )
        .await;
    assert!(form.body.contains("Phường Tăng Nhơn Phú"), "{}", form.body);
    assert!(!form.body.contains("Phường Hiệp Phú"));

    let officer = app
        .login_as(
            "canbo.tangnhonphu",
            Role::Ward,
            Some((UnitLevel::Ward, "Tăng Nhơn Phú")),
        )
        .await;
    let bytes = std::fs::read(sample_path(HIEP_PHU_FILE)).unwrap();
    let sent = upload(
        &app,
        &format!("/campaigns/{}/import", campaign.slug),
        HIEP_PHU_FILE,
        &bytes,
        &[],
        &officer,
    )
    .await;
    assert_eq!(
        sent.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        sent.body
    );
    let preview_path = sent.location().to_owned();
    let preview = app.get(&preview_path, Some(&officer)).await;
    assert_eq!(
        preview
            .body
            .matches("Phường Hiệp Phú (cũ) nay thuộc Phường Tăng Nhơn Phú")
            .count(),
        12,
        "{}",
        preview.body
    );
    let committed = app
        .post_form(&format!("{preview_path}/commit"), &[], Some(&officer))
        .await;
    assert_eq!(committed.status, axum::http::StatusCode::SEE_OTHER);
    let list = app
        .get(
            committed.location().split('?').next().unwrap(),
            Some(&officer),
        )
        .await;
    assert_eq!(list.body.matches("Phường cũ: Hiệp Phú").count(), 12);
    assert_eq!(entries_with_a_former_ward(&app).await, 12);
}

#[tokio::test]
async fn chamlo_export_of_the_merged_ward_prints_phuong_cu() {
    let app = TestApp::spawn().await;
    assert!(
        run_chamlo(&app, &["campaign", "create", "--year", "2027"], &[])
            .status
            .success()
    );
    let file = sample_path(HIEP_PHU_FILE);
    let imported = run_chamlo(
        &app,
        &["import", file.to_str().unwrap(), "--campaign", "tet-2027"],
        &[],
    );
    assert!(imported.status.success());
    let out = std::env::temp_dir().join(format!("tnp-2027-{}.xlsx", std::process::id()));
    let exported = run_chamlo(
        &app,
        &[
            "export",
            "--campaign",
            "tet-2027",
            "--ward",
            "Tăng Nhơn Phú",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
    let name = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&name).unwrap();
    let cells: Vec<&Data> = range.used_cells().map(|(_, _, c)| c).collect();
    assert!(cells.contains(&&Data::String("Phường cũ".into())));
    assert_eq!(
        cells
            .iter()
            .filter(|c| ***c == Data::String("Hiệp Phú".into()))
            .count(),
        12
    );
}
