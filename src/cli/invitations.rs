//! `chamlo invitations`: a ward's invitation slips with their QR codes, as PDF or HTML.

use std::path::PathBuf;

use clap::Args;

use crate::cli::list::ward_argument;
use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::campaigns::find_campaign;
use crate::domain::distribution_day::invitation_slips;
use crate::domain::operator::Operator;
use crate::domain::programs::programs_of;
use crate::domain::units::{all_units, display_name};

/// `chamlo invitations --campaign SLUG --ward W [--program P] --out slips.pdf|slips.html`
#[derive(Args)]
pub struct InvitationsArgs {
    /// The campaign's slug.
    #[arg(long)]
    campaign: String,
    /// The ward: code or name, any case, with or without diacritics.
    #[arg(long)]
    ward: String,
    /// Only this program's gifts: its id or its name.
    #[arg(long)]
    program: Option<String>,
    /// Where to write the slips; `.pdf` for a PDF, `.html` for a printable page.
    #[arg(long)]
    out: PathBuf,
}

/// Runs `chamlo invitations`.
pub async fn run(config: &Config, args: InvitationsArgs) -> Result<(), CliError> {
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let as_pdf = match extension.as_deref() {
        Some("pdf") => true,
        Some("html" | "htm") => false,
        _ => return Err(CliError::from("--out must end in .pdf or .html")),
    };
    let db = open_database(config).await?;
    let campaign = find_campaign(&db, &args.campaign).await?;
    let units = all_units(&db).await?;
    let ward = ward_argument(&units, &args.ward)?;
    let operator = Operator::system("cli");
    let program_id = match &args.program {
        None => None,
        Some(wanted) => {
            let programs = programs_of(&db, campaign.id).await?;
            let wanted_key = crate::vn::text::fold_key(wanted);
            let found = programs
                .iter()
                .find(|p| {
                    p.id.to_string() == wanted.trim()
                        || crate::vn::text::fold_key(&p.name) == wanted_key
                })
                .ok_or_else(|| {
                    CliError::from(format!("no program '{wanted}' in {}", campaign.slug))
                })?;
            Some(found.id)
        }
    };
    let slips = invitation_slips(&db, &operator, &campaign, ward, program_id).await?;
    let count = slips.len();
    let bytes = if as_pdf {
        tokio::task::spawn_blocking(move || chamlo_slips::render_pdf(&slips))
            .await
            .map_err(CliError::from)??
    } else {
        let title = format!("Giấy mời nhận quà – {}", display_name(ward));
        chamlo_slips::render_html(&title, &slips).into_bytes()
    };
    std::fs::write(&args.out, &bytes)?;
    println!("{count} slips written to {}", args.out.display());
    Ok(())
}
