//! Several stateless app servers on one PostgreSQL database, as the README's deployment runs
//! them behind a reverse proxy: two real `chamlo` processes share sessions, commit imports
//! and record gifts for the same campaign at once, every batch lands exactly once, the
//! tallies equal a full recount, and a third server killed in the middle of a commit leaves
//! nothing half-stored.
//!
//! Runs on PostgreSQL (`TEST_DATABASE_URL=postgres://…`, as the CI's second pass does): on
//! the embedded SQLite file there is one server by design, and the test says so and returns.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chamlo::domain::api_tokens::create_api_token;
use chamlo::domain::audit::Actor;
use chamlo::domain::pending_uploads::sha256_hex;
use chamlo::domain::scope::UnitScope;
use chamlo::entities::states::{EntryStatus, ListStatus, Role, UnitLevel};
use chamlo::entities::{audit_event, entry, import_batch, person, ward_list};
use chamlo::import::RowStatus;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, Statement,
};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};
use crate::import::{check_file, district_campaign, sample_path, ward_file};

/// A `chamlo serve` process on its own port, killed when dropped.
struct Server {
    child: Child,
    base: String,
    http: Client<HttpConnector, Full<Bytes>>,
}

/// What a server answered.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {}", self.body))
    }

    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts a server on `database_url` and waits until it answers its health check.
    async fn start(database_url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_chamlo"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("CHAMLO_BIND", format!("127.0.0.1:{port}"))
            .env("CHAMLO_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the chamlo binary starts");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: Client::builder(TokioExecutor::new()).build_http(),
        };
        let started = Instant::now();
        loop {
            if let Ok(reply) = server
                .try_send(Method::GET, "/healthz", &[], Vec::new())
                .await
                && reply.status == StatusCode::OK
            {
                return server;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server on port {port} did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn try_send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<Reply, String> {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let request = request.body(Full::new(Bytes::from(body))).expect("request");
        let response = self
            .http
            .request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok(Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Reply {
        self.try_send(method, path, headers, body)
            .await
            .unwrap_or_else(|err| panic!("{} {path}: {err}", self.base))
    }

    async fn get(&self, path: &str, cookie: &str) -> Reply {
        self.send(
            Method::GET,
            path,
            &[("cookie", cookie.to_owned())],
            Vec::new(),
        )
        .await
    }

    async fn post_form(&self, path: &str, form: &str, cookie: Option<&str>) -> Reply {
        let mut headers = vec![(
            "content-type",
            "application/x-www-form-urlencoded".to_owned(),
        )];
        if let Some(cookie) = cookie {
            headers.push(("cookie", cookie.to_owned()));
        }
        self.send(Method::POST, path, &headers, form.as_bytes().to_vec())
            .await
    }

    /// Logs in through the form and returns the session cookie (`name=value`).
    async fn login(&self, username: &str) -> String {
        let reply = self
            .post_form(
                "/login",
                &format!("username={username}&password={PASSWORD}"),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        reply
            .headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_owned()
    }

    /// Uploads a ward file for the campaign; returns the pending upload's id.
    async fn upload(&self, slug: &str, cookie: &str, name: &str, bytes: &[u8]) -> String {
        let boundary = "chamlo-two-servers-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let reply = self
            .send(
                Method::POST,
                &format!("/campaigns/{slug}/import"),
                &[
                    (
                        "content-type",
                        format!("multipart/form-data; boundary={boundary}"),
                    ),
                    ("cookie", cookie.to_owned()),
                ],
                body,
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        reply
            .location()
            .strip_prefix("/imports/")
            .expect("redirected to the preview")
            .to_owned()
    }

    async fn api(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> Reply {
        let mut headers = vec![("authorization", format!("Bearer {token}"))];
        let bytes = match body {
            Some(value) => {
                headers.push(("content-type", "application/json".to_owned()));
                value.to_string().into_bytes()
            }
            None => Vec::new(),
        };
        self.send(method, path, &headers, bytes).await
    }
}

/// Counts rows of a table with a plain statement, as a recount independent of the app.
async fn recount(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql.to_owned()))
        .await
        .unwrap()
        .expect("a row");
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Transactions open on the test's database from other connections (the servers').
async fn open_transactions(app: &TestApp) -> i64 {
    recount(
        app,
        "SELECT count(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() \
         AND xact_start IS NOT NULL",
    )
    .await
}

/// Transactions of other connections that have written and are inserting (a commit of an
/// import in the middle of its work).
async fn writing_transactions(app: &TestApp) -> i64 {
    recount(
        app,
        "SELECT count(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() \
         AND backend_xid IS NOT NULL AND query ILIKE '%INSERT INTO%'",
    )
    .await
}

/// A generated list of `count` people of Phú Hữu, big enough that its commit takes a while.
fn large_phu_huu_file(count: usize) -> Vec<u8> {
    const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"];
    const MIDDLE: [&str; 6] = ["Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh"];
    const GIVEN: [&str; 10] = [
        "An", "Bình", "Cúc", "Dũng", "Hạnh", "Khoa", "Lan", "Phúc", "Tâm", "Yến",
    ];
    let people: Vec<(String, i32, String, String)> = (0..count)
        .map(|i| {
            let year = 1940 + (i % 50) as i32;
            (
                format!(
                    "{} {} {}",
                    FAMILY[i % 8],
                    MIDDLE[(i / 8) % 6],
                    GIVEN[(i / 48) % 10]
                ),
                year,
                // Province 079, a man born in the 1900s, the year's last two digits.
                format!("0790{:02}{:06}", year % 100, i),
                format!("{} đường số {}, khu phố {}", i + 1, i % 30, i % 6 + 1),
            )
        })
        .collect();
    let rows: Vec<(&str, i32, &str, &str, &str)> = people
        .iter()
        .map(|(name, year, id, address)| {
            (
                name.as_str(),
                *year,
                id.as_str(),
                address.as_str(),
                "Hộ nghèo",
            )
        })
        .collect();
    ward_file("PHÚ HỮU", &rows)
}

#[tokio::test]
async fn two_servers_share_sessions_and_work_and_a_killed_commit_leaves_nothing() {
    let app = TestApp::spawn().await;
    if !app.database_url.starts_with("postgres") {
        eprintln!(
            "two_servers: several app servers share a PostgreSQL database; skipped on SQLite"
        );
        return;
    }
    let campaign = district_campaign(&app, 2021).await;
    let district = app
        .create_user(
            "quan9",
            Role::District,
            Some((UnitLevel::District, "Quận 9")),
        )
        .await;
    let (_, token) = create_api_token(&app.db, &Actor::system("test"), &district, "two servers")
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        Server::start(&app.database_url),
        Server::start(&app.database_url)
    );
    let (a, b) = (Arc::new(a), Arc::new(b));

    // A session made on one server works on the other, and ends on both at logout.
    let cookie = a.login("quan9").await;
    let home = b.get("/", &cookie).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains("quan9"), "B knows A's session");
    let second_cookie = b.login("quan9").await;
    let logout = b.post_form("/logout", "", Some(&second_cookie)).await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    let after_logout = a.get("/", &second_cookie).await;
    assert_eq!(after_logout.status, StatusCode::SEE_OTHER);
    assert!(after_logout.location().starts_with("/login"));

    // Both servers commit four ward files at once, each file on both servers at the same
    // moment (a double click through a load balancer): each lands exactly once.
    let files = [
        "01-hiep-phu-nguoi-co-cong.xlsx",
        "02-tang-nhon-phu-a-ho-ngheo.xlsx",
        "04-phuoc-long-b-vni.xlsx",
        "07-truong-thanh.ods",
    ];
    let mut expected_entries = 0;
    let mut uploads = Vec::new();
    for (index, name) in files.iter().enumerate() {
        let bytes = std::fs::read(sample_path(name)).unwrap();
        let parsed = check_file(&app, &campaign, name, &bytes, None, &UnitScope::All)
            .await
            .unwrap();
        expected_entries += parsed.count(RowStatus::Accepted) as i64;
        let uploader = if index % 2 == 0 { &a } else { &b };
        uploads.push(uploader.upload(&campaign.slug, &cookie, name, &bytes).await);
    }
    let mut commits = tokio::task::JoinSet::new();
    for id in &uploads {
        for server in [&a, &b] {
            let (server, cookie) = (Arc::clone(server), cookie.clone());
            let path = format!("/imports/{id}/commit");
            commits.spawn(async move { server.post_form(&path, "", Some(&cookie)).await });
        }
    }
    for reply in commits.join_all().await {
        assert!(
            reply.status == StatusCode::SEE_OTHER || reply.status.is_client_error(),
            "a commit racing on two servers answers a redirect or a clear refusal, not {}: {}",
            reply.status,
            reply.body
        );
    }
    assert_eq!(
        import_batch::Entity::find().count(&app.db).await.unwrap(),
        files.len() as u64,
        "one batch per file"
    );
    assert_eq!(
        recount(&app, "SELECT count(*) FROM entries").await,
        expected_entries,
        "every accepted row stored once"
    );

    // The district approves every list, then both servers record gifts at once: each takes
    // every entry in small requests, half of them overlapping with the other server's.
    let lists = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .all(&app.db)
        .await
        .unwrap();
    for list in &lists {
        for action in ["submit", "approve"] {
            let path = format!(
                "/api/campaigns/{}/lists/{}/{action}",
                campaign.slug, list.ward_id
            );
            let reply = a.api(Method::POST, &path, &token, None).await;
            assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
        }
    }
    let mut ids: Vec<i32> = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    ids.sort_unstable();
    let mut calls = tokio::task::JoinSet::new();
    for chunk in ids.chunks(3) {
        for server in [&a, &b] {
            let (server, token, chunk) = (Arc::clone(server), token.clone(), chunk.to_vec());
            calls.spawn(async move {
                let reply = server
                    .api(
                        Method::POST,
                        "/api/entries/distribution",
                        &token,
                        Some(
                            json!({"entry_ids": chunk, "action": "received", "date": "2021-02-05"}),
                        ),
                    )
                    .await;
                (chunk, reply)
            });
        }
    }
    let mut recorded = std::collections::HashSet::new();
    for (chunk, reply) in calls.join_all().await {
        match reply.status {
            StatusCode::OK => {
                for id in chunk {
                    assert!(recorded.insert(id), "entry {id} recorded twice");
                }
            }
            status => assert!(
                status.is_client_error(),
                "a gift recorded on the other server is refused clearly, not {status}: {}",
                reply.body
            ),
        }
    }
    assert_eq!(
        recorded.len(),
        ids.len(),
        "every entry recorded by exactly one server"
    );
    assert_eq!(
        recount(
            &app,
            "SELECT count(*) FROM entries WHERE status = 'received'"
        )
        .await,
        ids.len() as i64
    );
    assert_eq!(
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("distribution.received"))
            .count(&app.db)
            .await
            .unwrap(),
        ids.len() as u64,
        "one audit event per gift handed over"
    );
    let progress = b
        .api(
            Method::GET,
            &format!("/api/campaigns/{}/progress", campaign.slug),
            &token,
            None,
        )
        .await
        .json();
    assert_eq!(progress["total"]["received_people"], json!(ids.len()));
    assert_eq!(progress["total"]["planned_people"], json!(expected_entries));
    assert_eq!(
        progress["total"]["received_amount"],
        json!(
            recount(
                &app,
                "SELECT COALESCE(SUM(amount), 0)::bigint FROM entries WHERE status = 'received'"
            )
            .await
        )
    );

    // A third server is killed while it commits a large file: nothing of it stays, and the
    // same upload then commits whole on another server.
    let bytes = large_phu_huu_file(3000);
    let parsed = check_file(
        &app,
        &campaign,
        "phu-huu-lon.xlsx",
        &bytes,
        None,
        &UnitScope::All,
    )
    .await
    .unwrap();
    assert_eq!(
        parsed.count(RowStatus::Accepted),
        3000,
        "the generated file is clean"
    );
    let sha = sha256_hex(&bytes);
    let upload = a
        .upload(&campaign.slug, &cookie, "phu-huu-lon.xlsx", &bytes)
        .await;
    let (people_before, entries_before) = (
        person::Entity::find().count(&app.db).await.unwrap(),
        entry::Entity::find().count(&app.db).await.unwrap(),
    );
    let mut doomed = Server::start(&app.database_url).await;
    assert_eq!(
        open_transactions(&app).await,
        0,
        "no transaction open before"
    );
    let doomed_base = doomed.base.clone();
    let commit_cookie = cookie.clone();
    let commit_path = format!("/imports/{upload}/commit");
    let in_flight = tokio::spawn(async move {
        let http: Client<HttpConnector, Full<Bytes>> =
            Client::builder(TokioExecutor::new()).build_http();
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("{doomed_base}{commit_path}"))
            .header("cookie", commit_cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::new()))
            .unwrap();
        http.request(request).await.map(|r| r.status())
    });
    let started = Instant::now();
    while writing_transactions(&app).await == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the commit never started writing"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    doomed.child.kill().unwrap();
    doomed.child.wait().unwrap();
    assert!(
        in_flight.await.unwrap().is_err(),
        "the killed server never answered"
    );
    let started = Instant::now();
    while open_transactions(&app).await > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "PostgreSQL did not end the killed server's transaction"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        import_batch::Entity::find()
            .filter(import_batch::Column::Sha256.eq(sha.as_str()))
            .count(&app.db)
            .await
            .unwrap(),
        0,
        "no batch of the killed commit"
    );
    assert_eq!(
        person::Entity::find().count(&app.db).await.unwrap(),
        people_before
    );
    assert_eq!(
        entry::Entity::find().count(&app.db).await.unwrap(),
        entries_before
    );
    let retry = b
        .post_form(&format!("/imports/{upload}/commit"), "", Some(&cookie))
        .await;
    assert_eq!(retry.status, StatusCode::SEE_OTHER, "{}", retry.body);
    assert!(
        retry.location().contains("notice=da-nhap-3000"),
        "{}",
        retry.location()
    );
    assert_eq!(
        entry::Entity::find().count(&app.db).await.unwrap(),
        entries_before + 3000,
        "the retried commit stores the whole file once"
    );
    let phu_huu = app.unit(UnitLevel::Ward, "Phú Hữu").await;
    let list = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .filter(ward_list::Column::WardId.eq(phu_huu.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("Phú Hữu's list");
    assert_eq!(list.status, ListStatus::Draft);
    assert_eq!(
        entry::Entity::find()
            .filter(entry::Column::WardListId.eq(list.id))
            .filter(entry::Column::Status.eq(EntryStatus::Pending))
            .count(&app.db)
            .await
            .unwrap(),
        3000
    );
}
