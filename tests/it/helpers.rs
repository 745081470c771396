//! The test harness: every test gets its own fresh database, migrated by the real migrations.
//! `TEST_DATABASE_URL` unset → a new SQLite file; `postgres://…` → a new database on that
//! server, created here and dropped when the test ends.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chamlo::config::Config;
use chamlo::domain::accounts::{NewUser, create_user};
use chamlo::domain::operator::Operator;
use chamlo::domain::scope::UnitScope;
use chamlo::domain::units::{all_units, find_unit};
use chamlo::entities::states::{Role, Sector, UnitLevel};
use chamlo::entities::{unit, user};
use chamlo::web::layout::url_encode;
use chamlo::web::{AppState, app};
use http_body_util::BodyExt;
use sea_orm::DatabaseConnection;
use tower::ServiceExt;

/// The password every test account gets.
pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// One test's application and database.
pub struct TestApp {
    /// The pool, for arranging data and checking what was stored.
    pub db: DatabaseConnection,
    /// The state the router was built with.
    pub state: AppState,
    /// The database's URL (for running the binary against the same database).
    pub database_url: String,
    _database: TestDatabase,
}

/// A response read whole.
pub struct TestResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: axum::http::HeaderMap,
    /// The body as text.
    pub body: String,
}

impl TestResponse {
    /// The Location header of a redirect.
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl TestApp {
    /// A migrated, seeded database and the app over it.
    pub async fn spawn() -> TestApp {
        let database = TestDatabase::create().await;
        let db = chamlo::db::connect(&database.url)
            .await
            .expect("connect to the test database");
        chamlo::db::migrate(&db).await.expect("migrations run");
        let state = AppState {
            db: db.clone(),
            config: Arc::new(Config::for_database(&database.url)),
            parsed_uploads: Default::default(),
            units: Default::default(),
            dashboards: Default::default(),
            pairs: Default::default(),
            categories: Default::default(),
            list_names: Default::default(),
        };
        TestApp {
            db,
            state,
            database_url: database.url.clone(),
            _database: database,
        }
    }

    /// The router, fresh for each request (it is cheap to build).
    pub fn router(&self) -> Router {
        app(self.state.clone())
    }

    /// Sends a request through the app in-process.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// GET `path`, with the session cookie if given.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> TestResponse {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    /// POST an urlencoded form to `path`, with the session cookie if given.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> TestResponse {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }

    /// Logs in and returns the `Cookie` header value to send with later requests.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let response = self
            .post_form(
                "/login",
                &[("username", username), ("password", password)],
                None,
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "login of {username} failed: {}",
            response.body
        );
        let set_cookie = response
            .headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .expect("a session cookie");
        set_cookie.split(';').next().expect("name=value").to_owned()
    }

    /// A seeded unit found by name.
    pub async fn unit(&self, level: UnitLevel, name: &str) -> unit::Model {
        let units = all_units(&self.db).await.expect("units");
        find_unit(&units, level, name)
            .cloned()
            .unwrap_or_else(|| panic!("no {level:?} {name}"))
    }

    /// A scope over every unit, limited to `sectors`: a sector reviewer of the whole city.
    pub async fn every_unit_in(&self, sectors: Vec<Sector>) -> UnitScope {
        let mut ids: Vec<i32> = all_units(&self.db)
            .await
            .expect("units")
            .iter()
            .map(|u| u.id)
            .collect();
        ids.sort_unstable();
        UnitScope::UnitsInSectors(ids, sectors)
    }

    /// Creates a user with [`PASSWORD`]; `unit` is a seeded ward or district name.
    pub async fn create_user(
        &self,
        username: &str,
        role: Role,
        unit: Option<(UnitLevel, &str)>,
    ) -> user::Model {
        let unit_id = match unit {
            Some((level, name)) => Some(self.unit(level, name).await.id),
            None => None,
        };
        create_user(
            &self.db,
            NewUser {
                username,
                password: PASSWORD,
                role,
                unit_id,
                full_name: None,
            },
        )
        .await
        .expect("create user")
    }

    /// Creates a user and returns them as the domain's [`Operator`], for tests that call the
    /// domain directly rather than through a page.
    pub async fn operator(
        &self,
        username: &str,
        role: Role,
        unit: Option<(UnitLevel, &str)>,
    ) -> Operator {
        let user = self.create_user(username, role, unit).await;
        Operator::for_user(&self.db, &user)
            .await
            .expect("operator of a new user")
    }

    /// Creates a user and logs in as them, returning the cookie.
    pub async fn login_as(
        &self,
        username: &str,
        role: Role,
        unit: Option<(UnitLevel, &str)>,
    ) -> String {
        self.create_user(username, role, unit).await;
        self.login(username, PASSWORD).await
    }
}

/// A database that exists for one test.
struct TestDatabase {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

impl TestDatabase {
    async fn create() -> TestDatabase {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if url.starts_with("postgres") => {
                use sea_orm::ConnectionTrait;
                let name = format!("chamlo_test_{}", unique_suffix());
                let admin = sea_orm::Database::connect(&url)
                    .await
                    .expect("connect to PostgreSQL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let base = url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&url);
                TestDatabase {
                    url: format!("{base}/{name}"),
                    cleanup: Cleanup::Postgres {
                        admin_url: url.clone(),
                        name,
                    },
                }
            }
            _ => {
                let path = std::env::temp_dir().join(format!("chamlo_test_{}.db", unique_suffix()));
                TestDatabase {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    cleanup: Cleanup::SqliteFile(path),
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime; a thread with its own runtime can block.
                let _ = std::thread::spawn(move || {
                    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    runtime.block_on(async {
                        use sea_orm::ConnectionTrait;
                        if let Ok(admin) = sea_orm::Database::connect(&admin_url).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Adds the city's gift of 500,000 đồng for each of the category `codes` to `campaign`, as the
/// city adds a program after the wards' lists are in; its gifts are computed at once.
pub async fn add_city_gift(
    db: &DatabaseConnection,
    campaign: &chamlo::entities::campaign::Model,
    codes: Vec<String>,
) -> (
    chamlo::domain::programs::ProgramDetail,
    chamlo::domain::gift_planning::ComputeSummary,
) {
    use chamlo::domain::programs::{CategoryAmount, ProgramInput, add_program};
    add_program(
        db,
        &Operator::system("test"),
        campaign,
        &ProgramInput {
            name: "Quà Thành phố".into(),
            funding_source: chamlo::entities::states::FundingSource::City,
            sponsor_name: None,
            goods_description: None,
            goods_quantity: None,
            one_per_household: false,
            amounts: codes
                .into_iter()
                .map(|category| CategoryAmount {
                    category,
                    amount: 500_000,
                })
                .collect(),
            payment_method: None,
        },
    )
    .await
    .expect("program added")
}
