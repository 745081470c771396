//! `chamlo demo`: a sample campaign to try the whole flow by hand. Loads the import samples
//! (compiled into the binary) of every ward but Hiệp Phú, whose officer uploads theirs in the
//! web pages, and creates one account per role. Running it again changes nothing.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::accounts::{NewUser, create_user};
use crate::domain::campaigns::{NewCampaign, RequestedUnit, create_campaign};
use crate::domain::import_check::{check_against_campaign, load_import_setup};
use crate::domain::import_commit::{FileMeta, commit_import};
use crate::domain::operator::Operator;
use crate::domain::pending_uploads::sha256_hex;
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, find_unit};
use crate::domain::ward_lists::{ListAction, transition_list};
use crate::entities::states::{Role, UnitLevel};
use crate::entities::user;
use crate::import::read_ward_file;

/// The samples loaded by the demo: every ward's file but Hiệp Phú's.
const SAMPLES: [(&str, &[u8]); 6] = [
    (
        "02-tang-nhon-phu-a-ho-ngheo.xlsx",
        include_bytes!("../../import-samples/02-tang-nhon-phu-a-ho-ngheo.xlsx"),
    ),
    (
        "03-long-binh-tcvn3.xls",
        include_bytes!("../../import-samples/03-long-binh-tcvn3.xls"),
    ),
    (
        "04-phuoc-long-b-vni.xlsx",
        include_bytes!("../../import-samples/04-phuoc-long-b-vni.xlsx"),
    ),
    (
        "06-phuoc-binh-nhieu-loi.xlsx",
        include_bytes!("../../import-samples/06-phuoc-binh-nhieu-loi.xlsx"),
    ),
    (
        "07-truong-thanh.ods",
        include_bytes!("../../import-samples/07-truong-thanh.ods"),
    ),
    (
        "08-long-phuoc-nhieu-sheet.xlsx",
        include_bytes!("../../import-samples/08-long-phuoc-nhieu-sheet.xlsx"),
    ),
];

/// Hiệp Phú's sample, for the ward officer to upload by hand.
pub const HIEP_PHU_SAMPLE: &str = "import-samples/01-hiep-phu-nguoi-co-cong.xlsx";

/// A demo account: username, role, unit (level, name), full name.
type DemoAccount = (
    &'static str,
    Role,
    Option<(UnitLevel, &'static str)>,
    &'static str,
);

/// The demo accounts.
const ACCOUNTS: [DemoAccount; 3] = [
    (
        "demo.hiepphu",
        Role::Ward,
        Some((UnitLevel::Ward, "Hiệp Phú")),
        "Nguyễn Thị Thu (cán bộ phường, mẫu)",
    ),
    (
        "demo.quan9",
        Role::District,
        Some((UnitLevel::District, "Quận 9")),
        "Trần Văn Minh (cán bộ quận, mẫu)",
    ),
    ("demo.admin", Role::Admin, None, "Quản trị (mẫu)"),
];

/// The demo's password unless `CHAMLO_DEMO_PASSWORD` says otherwise.
const DEFAULT_PASSWORD: &str = "chamlo-demo-2021";

/// The demo campaign's title.
const TITLE: &str = "Tết Nguyên đán Tân Sửu 2021 (dữ liệu mẫu)";

/// Runs `chamlo demo`.
pub async fn run(config: &Config) -> Result<(), CliError> {
    let db = open_database(config).await?;
    let password_from_env = std::env::var("CHAMLO_DEMO_PASSWORD").ok();
    let password = password_from_env
        .clone()
        .unwrap_or_else(|| DEFAULT_PASSWORD.to_owned());
    let existing = user::Entity::find()
        .filter(user::Column::Username.eq(ACCOUNTS[0].0))
        .one(&db)
        .await?;
    if existing.is_some() {
        println!("The demo already exists in this database: nothing changed.");
        print_logins(config, None);
        return Ok(());
    }
    let units = all_units(&db).await?;
    let unit_id = |level: UnitLevel, name: &str| {
        find_unit(&units, level, name).map(|u| u.id).ok_or_else(|| {
            CliError::from(format!("the seed data has no {} {name}", level.as_str()))
        })
    };
    let district_id = unit_id(UnitLevel::District, "Quận 9")?;
    let operator = Operator::system("demo");
    let actor = operator.actor.clone();
    let campaign = create_campaign(
        &db,
        &operator,
        NewCampaign {
            year: 2021,
            title: Some(TITLE.to_owned()),
            unit: Some(RequestedUnit::Id(district_id)),
        },
    )
    .await
    .map_err(|e| CliError::from(e.user_message()))?;
    for (username, role, unit, full_name) in ACCOUNTS {
        let unit_id = match unit {
            Some((level, name)) => Some(unit_id(level, name)?),
            None => None,
        };
        create_user(
            &db,
            NewUser {
                username,
                password: &password,
                role,
                unit_id,
                full_name: Some(full_name),
            },
        )
        .await
        .map_err(|e| CliError::from(e.user_message()))?;
    }

    let setup = load_import_setup(&db, campaign.year).await?;
    let mut imported = 0;
    for (name, bytes) in SAMPLES {
        let context = setup.context.clone();
        let mut parsed = tokio::task::spawn_blocking(move || read_ward_file(name, bytes, &context))
            .await
            .map_err(|e| CliError::from(format!("{name}: {e}")))?
            .map_err(|e| CliError::from(format!("{name}: {e}")))?;
        let former = check_against_campaign(&db, &campaign, &mut parsed, None, &UnitScope::All)
            .await
            .map_err(|e| CliError::from(format!("{name}: {}", e.user_message())))?;
        let committed = commit_import(
            &db,
            &actor,
            &campaign,
            &parsed,
            &former,
            FileMeta {
                file_name: name,
                sha256: &sha256_hex(bytes),
                size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            },
        )
        .await
        .map_err(|e| CliError::from(format!("{name}: {}", e.user_message())))?;
        imported += committed.iter().map(|c| c.added).sum::<usize>();
    }

    // Some wards further along, so the dashboard has something to show.
    for (ward, actions) in [
        (
            "Tăng Nhơn Phú A",
            &[ListAction::Submit, ListAction::Approve][..],
        ),
        ("Long Bình", &[ListAction::Submit][..]),
    ] {
        let ward_id = unit_id(UnitLevel::Ward, ward)?;
        for action in actions {
            transition_list(&db, &operator, &campaign, ward_id, *action, None)
                .await
                .map_err(|e| CliError::from(format!("{ward}: {}", e.user_message())))?;
        }
    }

    println!(
        "Demo campaign “{}” created with {imported} people from {} sample files.",
        campaign.title,
        SAMPLES.len()
    );
    print_logins(
        config,
        password_from_env.is_none().then_some(password.as_str()),
    );
    Ok(())
}

fn print_logins(config: &Config, password: Option<&str>) {
    println!();
    println!(
        "Start the service (`chamlo`, or `cargo run --release`), open http://{} and log in as:",
        config.bind
    );
    for (username, role, unit, _) in ACCOUNTS {
        let unit = unit
            .map(|(_, name)| format!(", {name}"))
            .unwrap_or_default();
        println!("  {username:<14} {}{unit}", role.label());
    }
    match password {
        Some(password) => println!("  password for each: {password}"),
        None => println!(
            "  password for each: {}",
            if std::env::var("CHAMLO_DEMO_PASSWORD").is_ok() {
                "the value of CHAMLO_DEMO_PASSWORD"
            } else {
                DEFAULT_PASSWORD
            }
        ),
    }
    println!();
    println!("As demo.hiepphu, upload {HIEP_PHU_SAMPLE}: preview, commit, submit.");
    println!("As demo.quan9, approve it on the campaign's page and download the signing sheet.");
    println!("The demo accounts share a published password: never run `chamlo demo` on real data.");
}
