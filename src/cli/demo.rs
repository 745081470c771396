//! `chamlo demo`: a sample campaign to try the whole flow by hand, as it runs today: Tết Đinh
//! Mùi 2027 under the city, with the five wards of 1 July 2025. The 2021 sample lists of the
//! old Quận 9 wards (compiled into the binary) are loaded into a 2021 campaign and carried
//! forward into 2027 through the unit lineage, so the new wards start from their
//! predecessors' lists. One account per role; running it again changes nothing.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::accounts::NewUser;
use crate::domain::campaigns::{NewCampaign, RequestedUnit, create_campaign};
use crate::domain::carry_forward::start_next_campaign;
use crate::domain::import_check::{check_against_campaign, load_import_setup};
use crate::domain::import_commit::{FileMeta, commit_import};
use crate::domain::lineage::units_on;
use crate::domain::operator::Operator;
use crate::domain::pending_uploads::sha256_hex;
use crate::domain::scope::UnitScope;
use crate::domain::sectors::create_user_in_sectors;
use crate::domain::units::{all_units, find_unit};
use crate::domain::ward_lists::{ListAction, transition_list};
use crate::entities::states::{Role, Sector, UnitLevel};
use crate::entities::user;
use crate::import::read_ward_file;

/// The samples loaded by the demo: every old ward's 2021 file.
const SAMPLES: [(&str, &[u8]); 7] = [
    (
        "01-hiep-phu-nguoi-co-cong.xlsx",
        include_bytes!("../../import-samples/01-hiep-phu-nguoi-co-cong.xlsx"),
    ),
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

/// A demo account: username, role, unit (level, name), full name, the sectors it is limited
/// to (none: every sector).
type DemoAccount = (
    &'static str,
    Role,
    Option<(UnitLevel, &'static str)>,
    &'static str,
    &'static [Sector],
);

/// The demo accounts: the ward officer of the merged Tăng Nhơn Phú, the city's merit reviewer
/// (Sở Nội vụ) and social-protection reviewer, each seeing only their sector of every ward,
/// and an administrator.
const ACCOUNTS: [DemoAccount; 4] = [
    (
        "demo.tangnhonphu",
        Role::Ward,
        Some((UnitLevel::Ward, "Tăng Nhơn Phú")),
        "Nguyễn Thị Thu (cán bộ phường Tăng Nhơn Phú, mẫu)",
        &[],
    ),
    (
        "demo.nguoicocong",
        Role::District,
        Some((UnitLevel::City, "Hồ Chí Minh")),
        "Trần Văn Minh (Sở Nội vụ, duyệt người có công, mẫu)",
        &[Sector::Merit],
    ),
    (
        "demo.baotroxahoi",
        Role::District,
        Some((UnitLevel::City, "Hồ Chí Minh")),
        "Lê Thị Hoa (duyệt bảo trợ xã hội, mẫu)",
        &[Sector::SocialProtection],
    ),
    ("demo.admin", Role::Admin, None, "Quản trị (mẫu)", &[]),
];

/// The demo's password unless `CHAMLO_DEMO_PASSWORD` says otherwise.
const DEFAULT_PASSWORD: &str = "chamlo-demo-2021";

/// The title of the sample lists' own campaign.
const SOURCE_TITLE: &str = "Tết Nguyên đán Tân Sửu 2021 (dữ liệu mẫu)";

/// The demo campaign's title.
const TITLE: &str = "Tết Nguyên đán Đinh Mùi 2027 (dữ liệu mẫu)";

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
    let all = all_units(&db).await?;
    // Accounts and lists name the units of today (an old ward may share a new one's name).
    let units: Vec<_> = units_on(&all, chamlo_sheets::population_match::tet_date(2027))
        .into_iter()
        .cloned()
        .collect();
    let unit_id = |level: UnitLevel, name: &str| {
        find_unit(&units, level, name).map(|u| u.id).ok_or_else(|| {
            CliError::from(format!("the seed data has no {} {name}", level.as_str()))
        })
    };
    let district_id = find_unit(&all, UnitLevel::District, "Quận 9")
        .map(|u| u.id)
        .ok_or_else(|| CliError::from("the seed data has no district Quận 9"))?;
    let operator = Operator::system("demo");
    let actor = operator.actor.clone();
    let source = create_campaign(
        &db,
        &operator,
        NewCampaign {
            year: 2021,
            title: Some(SOURCE_TITLE.to_owned()),
            unit: Some(RequestedUnit::Id(district_id)),
        },
    )
    .await
    .map_err(|e| CliError::from(e.user_message()))?;
    for (username, role, unit, full_name, sectors) in ACCOUNTS {
        let unit_id = match unit {
            Some((level, name)) => Some(unit_id(level, name)?),
            None => None,
        };
        create_user_in_sectors(
            &db,
            NewUser {
                username,
                password: &password,
                role,
                unit_id,
                full_name: Some(full_name),
            },
            sectors,
        )
        .await
        .map_err(|e| CliError::from(e.user_message()))?;
    }

    let setup = load_import_setup(&db, source.year).await?;
    let mut imported = 0;
    for (name, bytes) in SAMPLES {
        let context = setup.context.clone();
        let mut parsed = tokio::task::spawn_blocking(move || read_ward_file(name, bytes, &context))
            .await
            .map_err(|e| CliError::from(format!("{name}: {e}")))?
            .map_err(|e| CliError::from(format!("{name}: {e}")))?;
        let former = check_against_campaign(&db, &source, &mut parsed, None, &UnitScope::All)
            .await
            .map_err(|e| CliError::from(format!("{name}: {}", e.user_message())))?;
        let committed = commit_import(
            &db,
            &actor,
            &source,
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

    // Tết 2027 is run by the city (Quận 9 ended), starting from the old wards' lists.
    let (campaign, carried) = start_next_campaign(
        &db,
        &operator,
        &source,
        NewCampaign {
            year: 2027,
            title: Some(TITLE.to_owned()),
            unit: None,
        },
    )
    .await
    .map_err(|e| CliError::from(e.user_message()))?;

    // Some wards further along, so the dashboard has something to show.
    for (ward, actions) in [
        ("Long Bình", &[ListAction::Submit, ListAction::Approve][..]),
        ("Phước Long", &[ListAction::Submit][..]),
    ] {
        let ward_id = unit_id(UnitLevel::Ward, ward)?;
        for action in actions {
            transition_list(&db, &operator, &campaign, ward_id, *action, None)
                .await
                .map_err(|e| CliError::from(format!("{ward}: {}", e.user_message())))?;
        }
    }

    println!(
        "Demo campaign “{}” created: {imported} people of {} sample files of 2021, carried \
         forward into {} lists of the new wards ({} gifts).",
        campaign.title,
        SAMPLES.len(),
        carried.lists_created,
        carried.entries_copied
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
    for (username, role, unit, _, sectors) in ACCOUNTS {
        let unit = unit
            .map(|(_, name)| format!(", {name}"))
            .unwrap_or_default();
        let sectors: Vec<&str> = sectors.iter().map(|s| s.label()).collect();
        let sectors = if sectors.is_empty() {
            String::new()
        } else {
            format!(" ({})", sectors.join(", "))
        };
        println!("  {username:<18} {}{unit}{sectors}", role.label());
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
    println!(
        "As demo.tangnhonphu, review the list carried forward from the four old wards, submit."
    );
    println!("As demo.nguoicocong, review duplicates and approve it on the campaign's page.");
    println!("The demo accounts share a published password: never run `chamlo demo` on real data.");
}
