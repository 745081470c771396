//! One access matrix over every route of the app: each (method, path) × each kind of caller,
//! with the answer expected. The routes are read from the sources (every `.route("…", …)` in
//! src/web/), so a new route without a row here fails `every_route_has_a_row_in_the_matrix`.
//!
//! Legend, per cell (callers in the order: logged out, own ward officer, other ward officer,
//! district staff, admin, the city's merit reviewer, the city's social-protection reviewer,
//! the own ward's leader):
//! Logging in with a wrong password answers 401 to anyone, and logging out always redirects to
//! the login page: those two rows read `U` and `L` for everyone.
//!
//! - `A` allowed: the request got past authentication and authorisation — 2xx, a 3xx to
//!   anywhere but `/login`, or 400/409/422 (a well-authorised request whose minimal form was
//!   refused by validation or by the state of the thing: still "allowed").
//! - `L` refused as logged out: 303 to `/login` (pages).
//! - `U` refused as logged out: 401 (the JSON API).
//! - `F` refused: 403.
//! - `N` refused: 404 (the thing is hidden from this caller).
//!
//! "Own ward" is Hiệp Phú: path parameters name Hiệp Phú's list, person, upload and token.
//! "Other ward" is a Tân Phú officer looking at them. The two reviewers are supervising
//! accounts of the city limited to one sector (Sở Nội vụ: merit; Sở Y tế: social
//! protection): both wards' lists hold merit entries only, so the merit reviewer works as the
//! district does on them, while the social-protection reviewer sees the lists but none of
//! their entries or people (404 where the thing is an entry or a person). The ward leader is
//! a supervising account of Hiệp Phú: they see their ward as its officer does but run only
//! their ward's own campaigns (`domain::approvers`), so the district's campaign is not
//! theirs to approve or manage (403). Both wards imported a list, so every
//! id is real. `MATRIX_DUMP=FILE` appends every row's answers to FILE (method, URL, cells),
//! which is how a new caller's column is first read and then checked by hand. Each row runs
//! on a fresh database, so one row's allowed change (a status, a
//! revoked token) never colours the next row.

use std::collections::BTreeSet;
use std::path::Path;

use axum::body::Body;
use axum::http::{Request, header};
use chamlo::domain::api_tokens::create_api_token;
use chamlo::domain::audit::Actor;
use chamlo::domain::pending_uploads::{NewUpload, store_upload};
use chamlo::entities::states::{Role, Sector, UnitLevel};
use chamlo::entities::{category, category_synonym, entry, person, ward_list};
use chamlo::web::layout::url_encode;
use chamlo::web::session::{COOKIE_NAME, start_session};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::helpers::{TestApp, TestResponse};
use crate::import::{district_campaign, import_bytes, import_sample, sample_path, tan_phu_file};
use crate::ward_campaigns::supervisor_account;

/// What a row sends as its body.
#[derive(Clone, Copy)]
enum Send {
    /// No body.
    Nothing,
    /// An urlencoded form.
    Form(&'static [(&'static str, &'static str)]),
    /// A multipart form with one file field `file` holding a (not readable) spreadsheet.
    File,
    /// A JSON body (placeholders are filled in).
    Json(&'static str),
}

/// One row: the route as written in the sources, the URL with placeholders, the body, and the
/// expected cells (one per caller of [`CALLERS`]).
struct Row {
    method: &'static str,
    route: &'static str,
    url: &'static str,
    send: Send,
    expect: &'static str,
}

const fn row(
    method: &'static str,
    route: &'static str,
    url: &'static str,
    send: Send,
    expect: &'static str,
) -> Row {
    Row {
        method,
        route,
        url,
        send,
        expect,
    }
}

const NO: Send = Send::Nothing;

/// The matrix. Placeholders: {slug} the campaign, {own} Hiệp Phú's id, {upload} an upload of
/// the Hiệp Phú officer, {person} a Hiệp Phú person, {unit} Hiệp Phú, {category} a category,
/// {synonym} a synonym, {program} the campaign's default program, {token} the Hiệp Phú officer's API token, {entry_a}/{entry_b} entries
/// of Hiệp Phú and Tân Phú, {officer} the Hiệp Phú officer's account, {line} a seeded lineage
/// line.
const MATRIX: &[Row] = &[
    // Public pages.
    row("GET", "/login", "/login", NO, "A A A A A A A A"),
    row(
        "POST",
        "/login",
        "/login",
        // A name per caller: eight wrong passwords for one name would be throttled (429).
        Send::Form(&[
            ("username", "khong-co-{caller}"),
            ("password", "sai-mat-khau"),
        ]),
        "U U U U U U U U",
    ),
    row("GET", "/healthz", "/healthz", NO, "A A A A A A A A"),
    row(
        "GET",
        "/static/style.css",
        "/static/style.css",
        NO,
        "A A A A A A A A",
    ),
    row(
        "GET",
        "/static/app.js",
        "/static/app.js",
        NO,
        "A A A A A A A A",
    ),
    row(
        "GET",
        "/api/openapi.json",
        "/api/openapi.json",
        NO,
        "A A A A A A A A",
    ),
    // Everyone logged in.
    row("POST", "/logout", "/logout", NO, "L L L L L L L L"),
    row("GET", "/", "/", NO, "L A A A A A A A"),
    row("GET", "/units", "/units", NO, "L A A A A A A A"),
    row("GET", "/units/{id}", "/units/{unit}", NO, "L A F A A A A A"),
    row(
        "GET",
        "/account/password",
        "/account/password",
        NO,
        "L A A A A A A A",
    ),
    row(
        "POST",
        "/account/password",
        "/account/password",
        Send::Form(&[
            ("current_password", "sai"),
            ("new_password", "mat-khau-moi-1"),
            ("confirm_password", "mat-khau-moi-1"),
        ]),
        "L A A A A A A A",
    ),
    row("GET", "/tokens", "/tokens", NO, "L A A A A A A A"),
    row(
        "POST",
        "/tokens",
        "/tokens",
        Send::Form(&[("name", "kịch bản")]),
        "L A A A A A A A",
    ),
    row(
        "POST",
        "/tokens/{id}/revoke",
        "/tokens/{token}/revoke",
        NO,
        "L A N N N N N N",
    ),
    // A campaign and its parts.
    row(
        "POST",
        "/campaigns",
        "/campaigns",
        Send::Form(&[("year", "2022"), ("title", "")]),
        "L F F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}",
        "/campaigns/{slug}",
        NO,
        "L A A A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/status",
        "/campaigns/{slug}/status?status=locked",
        NO,
        "L F F A A A A F",
    ),
    row(
        "POST",
        "/campaigns/{slug}/status",
        "/campaigns/{slug}/status",
        Send::Form(&[("status", "collecting")]),
        "L F F A A A A F",
    ),
    row(
        "POST",
        "/campaigns/{slug}/next",
        "/campaigns/{slug}/next",
        Send::Form(&[("year", "2022"), ("title", "")]),
        "L F F A A A A F",
    ),
    row(
        "GET",
        "/campaigns/{slug}/import",
        "/campaigns/{slug}/import",
        NO,
        "L A A A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/import",
        "/campaigns/{slug}/import",
        Send::File,
        "L A A A A A A A",
    ),
    row(
        "GET",
        "/imports/{id}",
        "/imports/{upload}",
        NO,
        "L A F F F F F F",
    ),
    row(
        "GET",
        "/imports/{id}/annotated",
        "/imports/{upload}/annotated",
        NO,
        "L A F F F F F F",
    ),
    row(
        "POST",
        "/imports/{id}/commit",
        "/imports/{upload}/commit",
        NO,
        "L A F F F F F F",
    ),
    row(
        "POST",
        "/imports/{id}/discard",
        "/imports/{upload}/discard",
        NO,
        "L A F F F F F F",
    ),
    // Mapping a value: district staff and administrators only, on their own uploads.
    row(
        "POST",
        "/imports/{id}/map-category",
        "/imports/{upload}/map-category",
        Send::Form(&[("text", "Diện XYZ"), ("target", "1")]),
        "L F F F F F F F",
    ),
    row(
        "POST",
        "/imports/{id}/map-ward",
        "/imports/{upload}/map-ward",
        Send::Form(&[("text", "Phuong XYZ"), ("target", "1")]),
        "L F F F F F F F",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}",
        "/campaigns/{slug}/wards/{own}",
        NO,
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/transition",
        "/campaigns/{slug}/wards/{own}/transition?action=submit",
        NO,
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/wards/{ward_id}/transition",
        "/campaigns/{slug}/wards/{own}/transition",
        Send::Form(&[("action", "submit"), ("comment", "")]),
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/wards/{ward_id}/distribution",
        "/campaigns/{slug}/wards/{own}/distribution",
        Send::Form(&[("action", "given")]),
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/signing-sheet",
        "/campaigns/{slug}/wards/{own}/signing-sheet",
        NO,
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/people/new",
        "/campaigns/{slug}/wards/{own}/people/new",
        NO,
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/wards/{ward_id}/people/new",
        "/campaigns/{slug}/wards/{own}/people/new",
        Send::Form(&[("full_name", "Nguyễn Văn An"), ("birth_year", "1950")]),
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/signed-sheet",
        "/campaigns/{slug}/wards/{own}/signed-sheet",
        NO,
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/wards/{ward_id}/signed-sheet",
        "/campaigns/{slug}/wards/{own}/signed-sheet",
        Send::File,
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/population",
        "/campaigns/{slug}/wards/{own}/population",
        NO,
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/wards/{ward_id}/population",
        "/campaigns/{slug}/wards/{own}/population",
        Send::File,
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/wards/{ward_id}/population/recheck",
        "/campaigns/{slug}/wards/{own}/population/recheck",
        NO,
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/population",
        "/campaigns/{slug}/population",
        NO,
        "L A A A A A A A",
    ),
    // No flag exists in this world: the row checks that a stranger's guess finds nothing.
    row(
        "POST",
        "/campaigns/{slug}/population/flags/{flag_id}",
        "/campaigns/{slug}/population/flags/987654",
        Send::Form(&[("action", "keep"), ("reason", "đã xác minh")]),
        "L N N N N N N N",
    ),
    row(
        "GET",
        "/people/{id}/edit",
        "/people/{person}/edit",
        NO,
        "L A F A A A F A",
    ),
    row(
        "POST",
        "/people/{id}/edit",
        "/people/{person}/edit",
        Send::Form(&[("full_name", "Nguyễn Văn An"), ("birth_year", "1950")]),
        "L A F A A A F A",
    ),
    row(
        "GET",
        "/people/{id}/payment-account",
        "/people/{person}/payment-account",
        NO,
        "L A F A A A F A",
    ),
    row(
        "POST",
        "/people/{id}/payment-account",
        "/people/{person}/payment-account",
        Send::Form(&[
            ("kind", "bank"),
            ("bank", "VCB"),
            ("account_number", "0071000123456"),
        ]),
        "L A F A A A F A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/duplicates",
        "/campaigns/{slug}/duplicates",
        NO,
        "L F F A A A A F",
    ),
    row(
        "GET",
        "/campaigns/{slug}/duplicates/decide",
        // The two entries are not a pair the review found: supervisors get "not found".
        "/campaigns/{slug}/duplicates/decide?a={entry_a}&b={entry_b}&decision=keep_a",
        NO,
        "L F F N N N N F",
    ),
    row(
        "POST",
        "/campaigns/{slug}/duplicates/decide",
        "/campaigns/{slug}/duplicates/decide",
        Send::Form(&[
            ("a", "{entry_a}"),
            ("b", "{entry_b}"),
            ("decision", "keep_both"),
        ]),
        "L F F A A A N F",
    ),
    row(
        "GET",
        "/campaigns/{slug}/programs",
        "/campaigns/{slug}/programs",
        NO,
        "L A A A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/programs",
        "/campaigns/{slug}/programs",
        Send::Form(&[("name", "Quà thêm"), ("funding_source", "district")]),
        "L F F A A A A F",
    ),
    row(
        "GET",
        "/campaigns/{slug}/exports",
        "/campaigns/{slug}/exports",
        NO,
        "L F F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/exports/signing-sheets",
        "/campaigns/{slug}/exports/signing-sheets",
        NO,
        "L F F A A A N A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/exports/report",
        "/campaigns/{slug}/exports/report",
        NO,
        "L F F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/exports/signed-sheet",
        "/campaigns/{slug}/exports/signed-sheet",
        NO,
        "L F F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/exports/signed-sheet",
        "/campaigns/{slug}/exports/signed-sheet",
        Send::File,
        "L F F A A A A A",
    ),
    // Administration.
    row("GET", "/users", "/users", NO, "L F F A A A A A"),
    row(
        "POST",
        "/users",
        "/users",
        Send::Form(&[("username", "moi.nguoi"), ("role", "ward"), ("unit_id", "")]),
        "L F F A A A A A",
    ),
    // One account (the Hiệp Phú officer): district staff of their wards and administrators.
    row(
        "GET",
        "/users/{id}",
        "/users/{officer}",
        NO,
        "L F F A A A A A",
    ),
    row(
        "POST",
        "/users/{id}",
        "/users/{officer}",
        Send::Form(&[
            ("full_name", "Lê Thị Hoa"),
            ("role", "ward"),
            ("unit_id", ""),
        ]),
        "L F F A A A A A",
    ),
    row(
        "POST",
        "/users/{id}/lock",
        "/users/{officer}/lock",
        NO,
        "L F F A A A A A",
    ),
    row(
        "POST",
        "/users/{id}/unlock",
        "/users/{officer}/unlock",
        NO,
        "L F F A A A A A",
    ),
    row(
        "POST",
        "/users/{id}/reset-password",
        "/users/{officer}/reset-password",
        NO,
        "L F F A A A A A",
    ),
    row("GET", "/admin", "/admin", NO, "L F F F A F F F"),
    row("GET", "/admin/audit", "/admin/audit", NO, "L F F F A F F F"),
    row("GET", "/admin/banks", "/admin/banks", NO, "L F F F A F F F"),
    row(
        "POST",
        "/admin/banks",
        "/admin/banks",
        Send::Form(&[
            ("bin", "970499"),
            ("short_name", "NH Thu"),
            ("name", "Ngan hang Thu nghiem"),
        ]),
        "L F F F A F F F",
    ),
    row(
        "GET",
        "/admin/categories",
        "/admin/categories",
        NO,
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/categories",
        "/admin/categories",
        Send::Form(&[("category_id", "{category}"), ("synonym", "ncc khac")]),
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/synonyms/{id}/delete",
        "/admin/synonyms/{synonym}/delete",
        NO,
        "L F F F A F F F",
    ),
    row(
        "GET",
        "/admin/units/new",
        "/admin/units/new",
        NO,
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/units/new",
        "/admin/units/new",
        Send::Form(&[("code", "99999"), ("name", "Phường Thử"), ("level", "ward")]),
        "L F F F A F F F",
    ),
    row(
        "GET",
        "/admin/units/{id}/edit",
        "/admin/units/{unit}/edit",
        NO,
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/units/{id}/edit",
        "/admin/units/{unit}/edit",
        Send::Form(&[("code", ""), ("name", ""), ("level", "ward")]),
        "L F F F A F F F",
    ),
    row(
        "GET",
        "/admin/lineage",
        "/admin/lineage",
        NO,
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/lineage",
        "/admin/lineage",
        Send::Form(&[("from_id", ""), ("to_id", ""), ("share", "whole")]),
        "L F F F A F F F",
    ),
    row(
        "GET",
        "/admin/lineage/{id}",
        "/admin/lineage/{line}",
        NO,
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/lineage/{id}",
        "/admin/lineage/{line}",
        Send::Form(&[("share", "whole"), ("effective_on", "bad")]),
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/lineage/{id}/quarters",
        "/admin/lineage/{line}/quarters",
        Send::Form(&[("quarters", "Khu phố 1")]),
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/lineage/{id}/delete",
        "/admin/lineage/{line}/delete",
        NO,
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/lineage/import",
        "/admin/lineage/import",
        Send::File,
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/lineage/import/apply",
        "/admin/lineage/import/apply",
        Send::Form(&[("file_hex", "zz")]),
        "L F F F A F F F",
    ),
    row(
        "GET",
        "/admin/categories/new",
        "/admin/categories/new",
        NO,
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/categories/new",
        "/admin/categories/new",
        Send::Form(&[("code", ""), ("name", ""), ("kind", "")]),
        "L F F F A F F F",
    ),
    row(
        "GET",
        "/admin/categories/{id}/edit",
        "/admin/categories/{category}/edit",
        NO,
        "L F F F A F F F",
    ),
    row(
        "POST",
        "/admin/categories/{id}/edit",
        "/admin/categories/{category}/edit",
        Send::Form(&[("code", ""), ("name", ""), ("kind", "")]),
        "L F F F A F F F",
    ),
    // The JSON API (a browser session is accepted like a token).
    row(
        "GET",
        "/api/campaigns",
        "/api/campaigns",
        NO,
        "U A A A A A A A",
    ),
    row(
        "POST",
        "/api/campaigns",
        "/api/campaigns",
        Send::Json(r#"{"year": 2022}"#),
        "U F F A A A A A",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/status",
        "/api/campaigns/{slug}/status",
        Send::Json(r#"{"status": "collecting"}"#),
        "U F F A A A A F",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/carry-forward",
        "/api/campaigns/{slug}/carry-forward",
        Send::Json(r#"{"from": "{slug}"}"#),
        "U F F A A A A F",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/programs",
        "/api/campaigns/{slug}/programs",
        NO,
        "U A A A A A A A",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/programs",
        "/api/campaigns/{slug}/programs",
        Send::Json(r#"{"name": "Quà thêm", "funding_source": "district", "amounts": []}"#),
        "U F F A A A A F",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/lists",
        "/api/campaigns/{slug}/lists",
        NO,
        "U A A A A A A A",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/lists/{ward_id}/{action}",
        "/api/campaigns/{slug}/lists/{own}/submit",
        Send::Json("{}"),
        "U A F A A A A A",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/entries",
        "/api/campaigns/{slug}/entries",
        NO,
        "U A A A A A A A",
    ),
    row(
        "POST",
        "/api/entries/distribution",
        "/api/entries/distribution",
        Send::Json(r#"{"entry_ids": [{entry_a}], "action": "received"}"#),
        "U A F A A A N A",
    ),
    // Distribution day (issue 17).
    row(
        "GET",
        "/static/checkin.js",
        "/static/checkin.js",
        NO,
        "A A A A A A A A",
    ),
    row(
        "GET",
        "/static/checkin.css",
        "/static/checkin.css",
        NO,
        "A A A A A A A A",
    ),
    row(
        "GET",
        "/static/vendor/jsQR.js",
        "/static/vendor/jsQR.js",
        NO,
        "A A A A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/checkin",
        "/campaigns/{slug}/checkin",
        NO,
        "L A A A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/distribution-day",
        "/campaigns/{slug}/wards/{own}/distribution-day",
        NO,
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/wards/{ward_id}/distribution-day/points",
        "/campaigns/{slug}/wards/{own}/distribution-day/points",
        Send::Form(&[("name", "Nhà văn hóa khu phố 1")]),
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/wards/{ward_id}/distribution-day/slots",
        "/campaigns/{slug}/wards/{own}/distribution-day/slots",
        Send::Form(&[
            ("point_id", "999999"),
            ("day", "2021-02-08"),
            ("starts_at", "08:00"),
            ("ends_at", "10:00"),
        ]),
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/wards/{ward_id}/distribution-day/assign",
        "/campaigns/{slug}/wards/{own}/distribution-day/assign",
        Send::Form(&[("slot_id", "999999"), ("khu_pho", "")]),
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/distribution-day/invitations.html",
        "/campaigns/{slug}/wards/{own}/distribution-day/invitations.html",
        NO,
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/distribution-day/invitations.pdf",
        "/campaigns/{slug}/wards/{own}/distribution-day/invitations.pdf",
        NO,
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/distribution-day/home-visits",
        "/campaigns/{slug}/wards/{own}/distribution-day/home-visits",
        NO,
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/distribution-day/not-reached",
        "/campaigns/{slug}/wards/{own}/distribution-day/not-reached",
        NO,
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/wards/{ward_id}/distribution-day/home-visit",
        "/campaigns/{slug}/wards/{own}/distribution-day/home-visit",
        Send::Form(&[("entry_id", "999999"), ("visit", "1")]),
        "L N F N N N N N",
    ),
    row(
        "GET",
        "/campaigns/{slug}/wards/{ward_id}/distribution-day/messages.csv",
        "/campaigns/{slug}/wards/{own}/distribution-day/messages.csv",
        NO,
        "L A F A A A A A",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/checkin",
        "/api/campaigns/{slug}/checkin",
        Send::Json(r#"{"code": "ABCDE-FGHJK"}"#),
        "U N N N N N N N",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/checkin/{code}",
        "/api/campaigns/{slug}/checkin/ABCDEFGHJK",
        NO,
        "U N N N N N N N",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/wards/{ward_id}/distribution-plan",
        "/api/campaigns/{slug}/wards/{own}/distribution-plan",
        NO,
        "U A F A A A A A",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/wards/{ward_id}/points",
        "/api/campaigns/{slug}/wards/{own}/points",
        Send::Json(r#"{"name": "Nhà văn hóa khu phố 1"}"#),
        "U A F A A A A A",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/points/{point_id}/slots",
        "/api/campaigns/{slug}/points/999999/slots",
        Send::Json(r#"{"day": "2021-02-08", "starts_at": "08:00", "ends_at": "10:00"}"#),
        "U N N N N N N N",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/slots/{slot_id}/invitees",
        "/api/campaigns/{slug}/slots/999999/invitees",
        Send::Json(r#"{"khu_pho": "Khu phố 1"}"#),
        "U N N N N N N N",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/entries/{entry_id}/home-visit",
        "/api/campaigns/{slug}/entries/{entry_a}/home-visit",
        Send::Json(r#"{"home_visit": true}"#),
        "U A F A A A N A",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/wards/{ward_id}/follow-up/{which}",
        "/api/campaigns/{slug}/wards/{own}/follow-up/not-reached",
        NO,
        "U A F A A A A A",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/progress",
        "/api/campaigns/{slug}/progress",
        NO,
        "U A A A A A A A",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/duplicates",
        "/api/campaigns/{slug}/duplicates",
        NO,
        "U F F A A A A F",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/duplicates/decision",
        "/api/campaigns/{slug}/duplicates/decision",
        Send::Json(
            r#"{"entry_a_id": {entry_a}, "entry_b_id": {entry_b}, "decision": "keep_both"}"#,
        ),
        "U F F A A A N F",
    ),
    // The payments page. The program pays in cash here: making a list is refused by the
    // state of the program (422) once the permission check passed.
    row(
        "GET",
        "/campaigns/{slug}/payments",
        "/campaigns/{slug}/payments",
        NO,
        "L A A A A A A A",
    ),
    row(
        "POST",
        "/campaigns/{slug}/payments/batches",
        "/campaigns/{slug}/payments/batches",
        Send::Form(&[("program_id", "{program}"), ("ward_id", "")]),
        "L F F A A A A F",
    ),
    row(
        "GET",
        "/campaigns/{slug}/payments/batches/{id}/{kind}",
        "/campaigns/{slug}/payments/batches/987654/csv",
        NO,
        "L N N N N N N N",
    ),
    row(
        "POST",
        "/campaigns/{slug}/payments/results",
        "/campaigns/{slug}/payments/results",
        Send::File,
        "L F F A A A A F",
    ),
    // The upload is the Hiệp Phú officer's: nobody else applies it.
    row(
        "POST",
        "/campaigns/{slug}/payments/results/{upload}/apply",
        "/campaigns/{slug}/payments/results/{upload}/apply",
        NO,
        "L F F F F F F F",
    ),
    row(
        "GET",
        "/campaigns/{slug}/payments/cash-sheet",
        "/campaigns/{slug}/payments/cash-sheet?program={program}&ward={own}",
        NO,
        "L A F A A A N A",
    ),
    row(
        "GET",
        "/campaigns/{slug}/payments/follow-up",
        "/campaigns/{slug}/payments/follow-up?program={program}&ward={own}",
        NO,
        "L A F A A A A A",
    ),
    row(
        "GET",
        "/api/people/{id}/payment-account",
        "/api/people/{person}/payment-account",
        NO,
        "U A F A A A F A",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/population/{ward_id}",
        "/api/campaigns/{slug}/population/{own}",
        NO,
        "U A F A A A A A",
    ),
    row(
        "PUT",
        "/api/people/{id}/payment-account",
        "/api/people/{person}/payment-account",
        Send::Json(r#"{"kind": "bank", "bank": "VCB", "account_number": "0071000123456"}"#),
        "U A F A A A F A",
    ),
    // No program 0: supervisors pass the permission check and get a 404.
    row(
        "POST",
        "/api/campaigns/{slug}/transfer-batches",
        "/api/campaigns/{slug}/transfer-batches",
        Send::Json(r#"{"program_id": 0}"#),
        "U F F N N N N F",
    ),
    // An empty body is no result file: supervisors get a 422 after the permission check.
    row(
        "POST",
        "/api/campaigns/{slug}/payment-results",
        "/api/campaigns/{slug}/payment-results",
        NO,
        "U F F A A A A F",
    ),
    // No batch exists in this world: a batch id is hidden (404) from all who get that far.
    row(
        "GET",
        "/api/campaigns/{slug}/transfer-batches",
        "/api/campaigns/{slug}/transfer-batches",
        NO,
        "U A A A A A A A",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/transfer-batches/{id}/{kind}",
        "/api/campaigns/{slug}/transfer-batches/987654/xlsx",
        NO,
        "U N N N N N N N",
    ),
    // An empty body is no result file: supervisors get a 422 after the permission check.
    row(
        "POST",
        "/api/campaigns/{slug}/payment-results/preview",
        "/api/campaigns/{slug}/payment-results/preview",
        NO,
        "U F F A A A A F",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/cash-sheet",
        "/api/campaigns/{slug}/cash-sheet?program_id={program}&ward_id={own}",
        NO,
        "U A F A A A N A",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/payment-follow-up",
        "/api/campaigns/{slug}/payment-follow-up?program_id={program}&ward_id={own}",
        NO,
        "U A F A A A A A",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/settlement",
        "/api/campaigns/{slug}/settlement",
        NO,
        "U A A A A A A A",
    ),
    row("GET", "/api/banks", "/api/banks", NO, "U A A A A A A A"),
    row(
        "PUT",
        "/api/banks/{bin}",
        "/api/banks/970499",
        Send::Json(r#"{"short_name": "NH Thu", "name": "Ngan hang Thu nghiem"}"#),
        "U F F F A F F F",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/population/{ward_id}",
        "/api/campaigns/{slug}/population/{own}",
        Send::File,
        "U A F A A A A A",
    ),
    row(
        "POST",
        "/api/campaigns/{slug}/population/{ward_id}/recheck",
        "/api/campaigns/{slug}/population/{own}/recheck",
        NO,
        "U A F A A A A A",
    ),
    row(
        "GET",
        "/api/campaigns/{slug}/population",
        "/api/campaigns/{slug}/population",
        NO,
        "U A A A A A A A",
    ),
    row(
        "POST",
        "/api/population/flags/{flag_id}",
        "/api/population/flags/987654",
        Send::Json(r#"{"action": "keep", "reason": "đã xác minh"}"#),
        "U N N N N N N N",
    ),
    row("GET", "/api/tokens", "/api/tokens", NO, "U A A A A A A A"),
    row(
        "POST",
        "/api/tokens",
        "/api/tokens",
        Send::Json(r#"{"name": "kịch bản"}"#),
        "U A A A A A A A",
    ),
    row(
        "DELETE",
        "/api/tokens/{id}",
        "/api/tokens/{token}",
        NO,
        "U A N N N N N N",
    ),
];

/// The callers, in the order of a row's cells.
const CALLERS: [&str; 8] = [
    "logged out",
    "own ward",
    "other ward",
    "district",
    "admin",
    "merit reviewer",
    "social reviewer",
    "ward leader",
];

/// A seeded campaign with two wards' lists, one account per caller, and the ids to fill in.
pub struct World {
    /// The app and its database.
    pub app: TestApp,
    /// The session cookie of each caller (none for the logged-out one).
    pub cookies: [Option<String>; 8],
    values: Vec<(&'static str, String)>,
}

impl World {
    /// Builds the world on a fresh database.
    pub async fn build() -> World {
        let app = TestApp::spawn().await;
        let campaign = district_campaign(&app, 2021).await;
        import_sample(&app, &campaign, "01-hiep-phu-nguoi-co-cong.xlsx", None).await;
        let tan_phu = tan_phu_file(&[("Nguyễn Thị Hoa", 1950, "", "7 Lê Văn Việt", "TNLS")]);
        import_bytes(&app, &campaign, "tan-phu.xlsx", &tan_phu, None)
            .await
            .expect("Tân Phú imports");
        let own = app.unit(UnitLevel::Ward, "Hiệp Phú").await;
        let other = app.unit(UnitLevel::Ward, "Tân Phú").await;
        let own_officer = app
            .create_user(
                "can.bo.hiepphu",
                Role::Ward,
                Some((UnitLevel::Ward, "Hiệp Phú")),
            )
            .await;
        let other_officer = app
            .create_user(
                "can.bo.tanphu",
                Role::Ward,
                Some((UnitLevel::Ward, "Tân Phú")),
            )
            .await;
        let district = app
            .create_user(
                "can.bo.quan9",
                Role::District,
                Some((UnitLevel::District, "Quận 9")),
            )
            .await;
        let admin = app.create_user("quan.tri", Role::Admin, None).await;
        let (merit, _) = supervisor_account(
            &app,
            "so.noi.vu",
            (UnitLevel::City, "Hồ Chí Minh"),
            &[Sector::Merit],
        )
        .await;
        let (social, _) = supervisor_account(
            &app,
            "so.y.te",
            (UnitLevel::City, "Hồ Chí Minh"),
            &[Sector::SocialProtection],
        )
        .await;
        let (leader, _) =
            supervisor_account(&app, "lanh.dao.hiepphu", (UnitLevel::Ward, "Hiệp Phú"), &[]).await;
        let mut cookies: [Option<String>; 8] = Default::default();
        for (slot, account) in [
            &own_officer,
            &other_officer,
            &district,
            &admin,
            &merit,
            &social,
            &leader,
        ]
        .into_iter()
        .enumerate()
        {
            let token = start_session(&app.db, account.id, 12).await.unwrap();
            cookies[slot + 1] = Some(format!("{COOKIE_NAME}={token}"));
        }
        let bytes = std::fs::read(sample_path("01-hiep-phu-nguoi-co-cong.xlsx")).unwrap();
        let upload = store_upload(
            &app.db,
            NewUpload {
                user_id: own_officer.id,
                campaign_id: campaign.id,
                ward_id: Some(own.id),
                file_name: "hiep-phu.xlsx".into(),
                bytes,
            },
        )
        .await
        .unwrap();
        let (token, _) = create_api_token(
            &app.db,
            &Actor::user(&own_officer),
            &own_officer,
            "máy của phường",
        )
        .await
        .unwrap();
        let entry_of = |ward_id: i32| {
            let db = app.db.clone();
            let campaign_id = campaign.id;
            async move {
                let list = ward_list::Entity::find()
                    .filter(ward_list::Column::CampaignId.eq(campaign_id))
                    .filter(ward_list::Column::WardId.eq(ward_id))
                    .one(&db)
                    .await
                    .unwrap()
                    .expect("the ward's list");
                entry::Entity::find()
                    .filter(entry::Column::WardListId.eq(list.id))
                    .order_by_asc(entry::Column::Id)
                    .one(&db)
                    .await
                    .unwrap()
                    .expect("an entry")
            }
        };
        let entry_a = entry_of(own.id).await;
        let entry_b = entry_of(other.id).await;
        let person = person::Entity::find_by_id(entry_a.person_id)
            .one(&app.db)
            .await
            .unwrap()
            .expect("the person");
        let first_category = category::Entity::find()
            .order_by_asc(category::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .expect("seeded categories");
        let synonym = category_synonym::Entity::find()
            .order_by_asc(category_synonym::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .expect("seeded synonyms");
        let program = chamlo::domain::payments::default_program(&app.db, campaign.id)
            .await
            .expect("the campaign's program");
        let first_line = chamlo::entities::unit_lineage::Entity::find()
            .order_by_asc(chamlo::entities::unit_lineage::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .expect("seeded lineage");
        let values = vec![
            ("{slug}", campaign.slug.clone()),
            ("{own}", own.id.to_string()),
            ("{upload}", upload.id.clone()),
            ("{person}", person.id.to_string()),
            ("{unit}", own.id.to_string()),
            ("{category}", first_category.id.to_string()),
            ("{synonym}", synonym.id.to_string()),
            ("{token}", token.id.to_string()),
            ("{entry_a}", entry_a.id.to_string()),
            ("{entry_b}", entry_b.id.to_string()),
            ("{officer}", own_officer.id.to_string()),
            ("{line}", first_line.id.to_string()),
            ("{program}", program.id.to_string()),
        ];
        World {
            app,
            cookies,
            values,
        }
    }

    /// Replaces the placeholders in `text` with this world's ids.
    pub fn fill(&self, text: &str) -> String {
        self.values
            .iter()
            .fold(text.to_owned(), |text, (key, value)| {
                text.replace(key, value)
            })
    }

    async fn call(&self, row: &Row, caller: usize) -> TestResponse {
        let url = self.fill(row.url);
        let mut request = Request::builder().method(row.method).uri(url);
        if let Some(cookie) = &self.cookies[caller] {
            request = request.header(header::COOKIE, cookie);
        }
        let body = match row.send {
            Send::Nothing => Body::empty(),
            Send::Form(fields) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                let encoded: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| {
                        let v = v.replace("{caller}", &caller.to_string());
                        format!("{k}={}", url_encode(&self.fill(&v)))
                    })
                    .collect();
                Body::from(encoded.join("&"))
            }
            Send::Json(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(self.fill(json))
            }
            Send::File => {
                let boundary = "----chamlo-matrix";
                request = request.header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                );
                Body::from(format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
                     filename=\"danh-sach.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n\
                     khong phai bang tinh\r\n--{boundary}--\r\n"
                ))
            }
        };
        self.app.send(request.body(body).unwrap()).await
    }
}

/// The cell letter a response earns (see the legend at the top).
fn classify(response: &TestResponse) -> char {
    let status = response.status.as_u16();
    match status {
        200..=299 => 'A',
        300..=399 if response.location().starts_with("/login") => 'L',
        300..=399 => 'A',
        400 | 409 | 422 => 'A',
        401 => 'U',
        403 => 'F',
        404 => 'N',
        _ => '?',
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_route_answers_each_kind_of_caller_as_the_matrix_says() {
    // Rows run side by side, a few at a time, each on its own fresh database.
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(6));
    let mut rows = tokio::task::JoinSet::new();
    for row in MATRIX {
        let permits = permits.clone();
        rows.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("semaphore open");
            check_row(row).await
        });
    }
    let mut failures = Vec::new();
    while let Some(result) = rows.join_next().await {
        failures.extend(result.expect("row task"));
    }
    failures.sort();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Calls one row's route as each caller; returns the cells that differ from the matrix.
async fn check_row(row: &'static Row) -> Vec<String> {
    let expected: Vec<char> = row.expect.split_whitespace().flat_map(str::chars).collect();
    assert_eq!(
        expected.len(),
        CALLERS.len(),
        "{} {}: a cell per caller",
        row.method,
        row.route
    );
    // A fresh world per row: an allowed change in one row never changes the next.
    let world = World::build().await;
    // Refusals first: an allowed call may use the thing up (a commit, a revocation).
    let mut order: Vec<usize> = (0..CALLERS.len()).collect();
    order.sort_by_key(|&caller| expected[caller] == 'A');
    let mut failures = Vec::new();
    let mut seen = vec!['?'; CALLERS.len()];
    for caller in order {
        let want = expected[caller];
        let response = world.call(row, caller).await;
        let got = classify(&response);
        seen[caller] = got;
        // An extractor's refusal of the body would hide the authorisation check behind it.
        assert!(
            !response.body.contains("Failed to deserialize"),
            "{} {}: the matrix's body does not fit the handler: {}",
            row.method,
            row.route,
            response.body
        );
        if got != want {
            failures.push(format!(
                "{} {} as {}: expected {want}, got {got} ({} {})",
                row.method,
                row.url,
                CALLERS[caller],
                response.status,
                response.location()
            ));
        }
    }
    if let Ok(path) = std::env::var("MATRIX_DUMP") {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        let cells: Vec<String> = seen.iter().map(char::to_string).collect();
        writeln!(file, "{}\t{}\t{}", row.method, row.url, cells.join(" ")).unwrap();
    }
    failures
}

/// Every `(METHOD, path)` routed in src/web/, read from the sources.
fn routes_in_sources() -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for item in std::fs::read_dir(&dir).unwrap() {
            let path = item.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                collect_routes(&std::fs::read_to_string(&path).unwrap(), &mut found);
            }
        }
    }
    found
}

/// Finds `.route("PATH", …)` calls and the method routers inside their parentheses.
fn collect_routes(source: &str, found: &mut BTreeSet<(String, String)>) {
    let mut rest = source;
    while let Some(at) = rest.find(".route(") {
        rest = &rest[at + ".route(".len()..];
        let Some(open) = rest.find('"') else { break };
        let Some(close) = rest[open + 1..].find('"') else {
            break;
        };
        let route = &rest[open + 1..open + 1 + close];
        // The call's arguments: up to the parenthesis closing `.route(`.
        let mut depth = 1;
        let mut end = rest.len();
        for (index, ch) in rest.char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = index;
                        break;
                    }
                }
                _ => {}
            }
        }
        let call = &rest[..end];
        let bytes = call.as_bytes();
        for method in ["get", "post", "put", "patch", "delete"] {
            let needle = format!("{method}(");
            let mut from = 0;
            while let Some(at) = call[from..].find(&needle) {
                let start = from + at;
                let before = start.checked_sub(1).map(|i| bytes[i]);
                if !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    found.insert((method.to_uppercase(), route.to_owned()));
                }
                from = start + needle.len();
            }
        }
        rest = &rest[end..];
    }
}

#[test]
fn every_route_has_a_row_in_the_matrix() {
    let routed = routes_in_sources();
    assert!(routed.len() > 40, "the route reader found {routed:?}");
    let rows: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|row| (row.method.to_owned(), row.route.to_owned()))
        .collect();
    let missing: Vec<_> = routed.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&routed).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in tests/it/access_matrix.rs: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for routes that no longer exist: {stale:?}"
    );
}
