//! Configuration from flags and environment variables (clap). The defaults give a working
//! service on an embedded SQLite file with no configuration at all.

use std::net::SocketAddr;

use clap::Args;

/// Settings shared by the service and every subcommand.
#[derive(Args, Clone)]
pub struct Config {
    /// Database URL: `sqlite://FILE?mode=rwc` (embedded, the default) or `postgres://…`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://chamlo.db?mode=rwc",
        global = true
    )]
    pub database_url: String,

    /// Address the web service listens on.
    #[arg(
        long,
        env = "CHAMLO_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// Log filter in tracing's syntax, e.g. `info` or `chamlo=debug,sqlx=warn`
    /// (default: `info` for the service, `warn` for other commands).
    #[arg(long, env = "CHAMLO_LOG", global = true)]
    pub log: Option<String>,

    /// How long a login lasts without activity, in hours.
    #[arg(
        long,
        env = "CHAMLO_SESSION_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_hours: i64,

    /// Mark cookies `Secure` (set it when the service is behind HTTPS).
    #[arg(
        long,
        env = "CHAMLO_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    pub secure_cookies: bool,

    /// Largest upload accepted, in megabytes.
    #[arg(
        long,
        env = "CHAMLO_MAX_UPLOAD_MB",
        default_value_t = 20,
        global = true
    )]
    pub max_upload_mb: usize,

    /// Take the client's address from the last entry of `X-Forwarded-For` (set it only when
    /// the service is reachable solely through a reverse proxy that appends that header).
    #[arg(
        long,
        env = "CHAMLO_TRUST_PROXY",
        default_value_t = false,
        global = true
    )]
    pub trust_proxy: bool,
}

impl Config {
    /// A configuration for tests and tools: the given database, every other value its default.
    pub fn for_database(database_url: &str) -> Self {
        Self {
            database_url: database_url.to_owned(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            log: None,
            session_hours: 12,
            secure_cookies: false,
            max_upload_mb: 20,
            trust_proxy: false,
        }
    }

    /// The database engine's name without credentials, for logs and the health check.
    pub fn database_kind(&self) -> &'static str {
        if self.database_url.starts_with("postgres") {
            "postgres"
        } else {
            "sqlite"
        }
    }
}
