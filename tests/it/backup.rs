//! `chamlo backup` and `chamlo restore`: a database with data in it is backed up, restored
//! somewhere else and compared table by table. SQLite by default; on PostgreSQL through
//! pg_dump and pg_restore (skipped, saying why, when those are not installed).

use std::path::{Path, PathBuf};

use chamlo::domain::campaigns::{NewCampaign, RequestedUnit, create_campaign};
use chamlo::domain::operator::Operator;
use chamlo::entities::states::{Gender, PersonStatus, Role, UnitLevel};
use chamlo::entities::*;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use crate::cli::run_chamlo;
use crate::helpers::TestApp;

/// Users, a campaign (with its audit events) and a person, so that several tables hold rows.
async fn arrange_data(app: &TestApp) {
    app.create_user(
        "quan9",
        Role::District,
        Some((UnitLevel::District, "Quận 9")),
    )
    .await;
    app.create_user(
        "canbo.tanphu",
        Role::Ward,
        Some((UnitLevel::Ward, "Tân Phú")),
    )
    .await;
    let district = app.unit(UnitLevel::District, "Quận 9").await;
    create_campaign(
        &app.db,
        &Operator::system("test"),
        NewCampaign {
            year: 2026,
            title: None,
            unit: Some(RequestedUnit::Id(district.id)),
        },
    )
    .await
    .expect("campaign created");
    let ward = app.unit(UnitLevel::Ward, "Tân Phú").await;
    let now = chrono::Utc::now();
    person::ActiveModel {
        full_name: Set("Nguyễn Văn Tám".to_owned()),
        name_key: Set("nguyen van tam".to_owned()),
        birth_year: Set(Some(1950)),
        gender: Set(Some(Gender::Male)),
        national_id: Set(Some("079050000123".to_owned())),
        address: Set(Some("12 Lã Xuân Oai".to_owned())),
        ward_id: Set(ward.id),
        status: Set(PersonStatus::Active),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("person stored");
}

/// Every row of `E`, each written out, in a stable order.
async fn rows<E>(db: &DatabaseConnection) -> Vec<String>
where
    E: EntityTrait,
    E::Model: std::fmt::Debug,
{
    let mut rows: Vec<String> = E::find()
        .all(db)
        .await
        .expect("table read")
        .iter()
        .map(|m| format!("{m:?}"))
        .collect();
    rows.sort();
    rows
}

/// Compares every table of the two databases, returning how many rows were compared.
async fn assert_same_rows(original: &DatabaseConnection, restored: &DatabaseConnection) -> usize {
    let mut compared = 0;
    macro_rules! same {
        ($($entity:ident),*) => {$(
            let (a, b) = (
                rows::<$entity::Entity>(original).await,
                rows::<$entity::Entity>(restored).await,
            );
            assert_eq!(a, b, "table {}", stringify!($entity));
            compared += a.len();
        )*};
    }
    same!(
        api_token,
        audit_event,
        campaign,
        category,
        category_synonym,
        duplicate_decision,
        entry,
        gift_program,
        household,
        import_batch,
        pending_upload,
        person,
        program_amount,
        session,
        unit,
        user,
        ward_list
    );
    for (table, at_least) in [("users", 2), ("campaigns", 1), ("people", 1)] {
        let count = match table {
            "users" => rows::<user::Entity>(restored).await.len(),
            "campaigns" => rows::<campaign::Entity>(restored).await.len(),
            _ => rows::<person::Entity>(restored).await.len(),
        };
        assert!(count >= at_least, "{table}: {count} rows restored");
    }
    compared
}

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "chamlo_backup_{}_{}_{name}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    ))
}

fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal", ".restoring"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn a_backup_restored_elsewhere_holds_the_same_rows() {
    let app = TestApp::spawn().await;
    arrange_data(&app).await;
    if app.database_url.starts_with("postgres") {
        postgres_backup_and_restore(&app).await;
        return;
    }

    let backup = temp_path("backup.db");
    let output = run_chamlo(
        &app,
        &["backup", "--out", backup.to_str().expect("utf-8")],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(backup.is_file());

    // Never over an existing file.
    let again = run_chamlo(
        &app,
        &["backup", "--out", backup.to_str().expect("utf-8")],
        &[],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("đã có sẵn"), "{}", stderr(&again));

    let target = temp_path("restored.db");
    let target_url = format!("sqlite://{}?mode=rwc", target.display());
    let output = run_chamlo(
        &app,
        &["restore", backup.to_str().expect("utf-8")],
        &[("DATABASE_URL", &target_url)],
    );
    assert!(output.status.success(), "{}", stderr(&output));

    let restored = chamlo::db::connect(&target_url)
        .await
        .expect("restored opens");
    let compared = assert_same_rows(&app.db, &restored).await;
    assert!(compared > 20, "only {compared} rows compared");
    // The restored database is current: migrating it again is a no-op that succeeds.
    chamlo::db::migrate(&restored).await.expect("migrations");
    restored.close().await.ok();

    remove_sqlite(&backup);
    remove_sqlite(&target);
}

#[tokio::test]
async fn restore_refuses_a_running_database_and_files_that_are_not_backups() {
    let app = TestApp::spawn().await;
    if app.database_url.starts_with("postgres") {
        let junk = temp_path("junk.dump");
        std::fs::write(&junk, b"not a dump").expect("written");
        let output = run_chamlo(&app, &["restore", junk.to_str().expect("utf-8")], &[]);
        if pg_tools_missing() {
            return;
        }
        assert_eq!(output.status.code(), Some(1));
        assert!(stderr(&output).contains("không phải bản sao lưu"));
        let _ = std::fs::remove_file(&junk);
        return;
    }
    let backup = temp_path("backup.db");
    let output = run_chamlo(
        &app,
        &["backup", "--out", backup.to_str().expect("utf-8")],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));

    // The test's pool holds the database open, as a running service would.
    let output = run_chamlo(&app, &["restore", backup.to_str().expect("utf-8")], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("dừng dịch vụ"),
        "{}",
        stderr(&output)
    );

    // Text, and a SQLite database that is not Chamlo's.
    let text = temp_path("text.db");
    std::fs::write(&text, "Họ và tên,Năm sinh\n").expect("written");
    let foreign = temp_path("foreign.db");
    let other = chamlo::db::connect(&format!("sqlite://{}?mode=rwc", foreign.display()))
        .await
        .expect("foreign db");
    sea_orm::ConnectionTrait::execute_unprepared(&other, "CREATE TABLE t (x INTEGER)")
        .await
        .expect("table");
    other.close().await.ok();
    let target = temp_path("target.db");
    let target_url = format!("sqlite://{}?mode=rwc", target.display());
    for file in [&text, &foreign] {
        let output = run_chamlo(
            &app,
            &["restore", file.to_str().expect("utf-8")],
            &[("DATABASE_URL", &target_url)],
        );
        assert_eq!(output.status.code(), Some(1), "{}", file.display());
        assert!(
            stderr(&output).contains("không phải bản sao lưu cơ sở dữ liệu Chamlo"),
            "{}",
            stderr(&output)
        );
        assert!(!target.exists(), "nothing is written on refusal");
    }
    for path in [&backup, &text, &foreign, &target] {
        remove_sqlite(path);
    }
}

fn pg_tools_missing() -> bool {
    for tool in ["pg_dump", "pg_restore"] {
        if std::process::Command::new(tool)
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!("skipped: {tool} is not installed (install postgresql-client)");
            return true;
        }
    }
    false
}

async fn postgres_backup_and_restore(app: &TestApp) {
    if pg_tools_missing() {
        return;
    }
    let backup = temp_path("backup.dump");
    let output = run_chamlo(
        app,
        &["backup", "--out", backup.to_str().expect("utf-8")],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));

    // A second fresh database (migrated and seeded: --clean replaces what is there).
    let target = TestApp::spawn().await;
    let output = run_chamlo(&target, &["restore", backup.to_str().expect("utf-8")], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    // A new pool: the harness's may hold plans of the tables that were replaced.
    let restored = chamlo::db::connect(&target.database_url)
        .await
        .expect("restored opens");
    let compared = assert_same_rows(&app.db, &restored).await;
    assert!(compared > 20, "only {compared} rows compared");
    chamlo::db::migrate(&restored).await.expect("migrations");
    restored.close().await.ok();
    let _ = std::fs::remove_file(&backup);
}
