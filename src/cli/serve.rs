//! `chamlo serve`: migrate, make sure an administrator exists, and serve the web app.

use std::sync::Arc;

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::accounts::ensure_first_admin;
use crate::web::{AppState, app};

/// Runs the web service until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), CliError> {
    let db = open_database(&config).await?;
    let admin_password = std::env::var("CHAMLO_ADMIN_PASSWORD").ok();
    let created = ensure_first_admin(&db, admin_password.clone())
        .await
        .map_err(|err| CliError::from(err.user_message()))?;
    sweep_population_extracts(db.clone());
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    let address = listener.local_addr()?;
    println!(
        "Chamlo is running at http://{address}  (database: {})",
        config.database_kind()
    );
    if let Some(password) = created {
        println!();
        println!("First start: an administrator account was created.");
        println!("  username: admin");
        if admin_password.is_some() {
            println!("  password: the value of CHAMLO_ADMIN_PASSWORD");
        } else {
            println!("  password: {password}");
            println!(
                "  (shown only this once: log in and change it, or set CHAMLO_ADMIN_PASSWORD)"
            );
        }
        println!("To try it with sample lists and one account per role: chamlo demo");
        println!();
    }
    tracing::info!(%address, database = config.database_kind(), "listening");
    let state = AppState {
        db,
        config: Arc::new(config),
        parsed_uploads: Default::default(),
        units: Default::default(),
        // A dashboard's figures a second old at most (see `web::campaigns::kept`).
        dashboards: crate::web::campaigns::kept::KeptDashboards::new(
            std::time::Duration::from_secs(1),
        ),
        pairs: Default::default(),
        categories: Default::default(),
        list_names: Default::default(),
    };
    // The peer address feeds the login throttle (see `web::auth::ClientAddress`).
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// Deletes resident extracts past their 7 days now and every hour after (issue 18): an
/// extract is personal data of every resident, kept no longer than the check needs.
fn sweep_population_extracts(db: sea_orm::DatabaseConnection) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match crate::domain::population_check::sweep_expired_extracts(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "expired resident extracts deleted"),
                Err(err) => tracing::warn!(%err, "sweeping resident extracts failed"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
