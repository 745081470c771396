//! Recording the distribution from the list page: one row's "received" button, or many
//! ticked rows marked received (by the person or a proxy), not received (with a reason) or
//! undone. A form with problems draws the page again with the values typed and each problem
//! at its field.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;

use super::load_context;
use super::page::{ListQuery, build_page};
use crate::domain::distribution::{Distribution, DistributionAction, record_distribution};
use crate::entities::states::NotReceivedReason;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{FormErrors, form_value, operator};
use crate::web::session::CurrentUser;

/// Values typed into the distribution form, kept when it is shown again with errors.
#[derive(Debug, Clone, Default)]
pub struct DistributionValues {
    /// received, proxy, not_received or undo.
    pub mode: String,
    /// yyyy-mm-dd.
    pub date: String,
    /// The proxy's name.
    pub proxy_name: String,
    /// The proxy's relationship.
    pub proxy_relationship: String,
    /// A reason code.
    pub reason: String,
    /// A note.
    pub note: String,
    /// The rows ticked, kept ticked when the form comes back with a problem.
    pub ticked: Vec<i32>,
}

impl DistributionValues {
    /// Whether the row of `entry_id` was ticked.
    pub fn is_ticked(&self, entry_id: &i32) -> bool {
        self.ticked.contains(entry_id)
    }
}

/// Reads the distribution form: (checked entry ids, what to record, the values typed, the
/// page to go back to).
fn read_distribution_form(
    pairs: &[(String, String)],
) -> (
    Vec<i32>,
    Result<Distribution, FormErrors>,
    DistributionValues,
    String,
) {
    let get = |key: &str| form_value(pairs, key);
    let only: Option<i32> = get("only").parse().ok();
    let ids: Vec<i32> = match only {
        Some(id) => vec![id],
        None => pairs
            .iter()
            .filter(|(k, _)| k == "entry_ids")
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect(),
    };
    let values = DistributionValues {
        mode: if only.is_some() {
            DistributionAction::Received.as_str().to_owned()
        } else {
            get("mode")
        },
        date: get("date"),
        proxy_name: get("proxy_name"),
        proxy_relationship: get("proxy_relationship"),
        reason: get("reason"),
        note: get("note"),
        ticked: if only.is_some() {
            Vec::new()
        } else {
            ids.clone()
        },
    };
    let back = get("back");
    let mut errors = Vec::new();
    if ids.is_empty() {
        errors.push((
            "entry_ids",
            "Hãy đánh dấu ít nhất một người trong bảng.".to_owned(),
        ));
    }
    let date = if values.date.is_empty() {
        Some(crate::domain::clock::vietnam_today())
    } else {
        NaiveDate::parse_from_str(&values.date, "%Y-%m-%d").ok()
    };
    let what = match DistributionAction::parse(&values.mode) {
        Some(action @ (DistributionAction::Received | DistributionAction::Proxy)) => {
            let proxy = if action == DistributionAction::Proxy {
                if values.proxy_name.is_empty() {
                    errors.push(("proxy_name", "Hãy ghi họ tên người nhận thay.".to_owned()));
                }
                if values.proxy_relationship.is_empty() {
                    errors.push((
                        "proxy_relationship",
                        "Hãy ghi quan hệ với người được nhận quà (con, vợ, cháu…).".to_owned(),
                    ));
                }
                Some((values.proxy_name.clone(), values.proxy_relationship.clone()))
            } else {
                None
            };
            match date {
                Some(date) => Some(Distribution::Received { date, proxy }),
                None => {
                    errors.push(("date", "Ngày nhận không hợp lệ.".to_owned()));
                    None
                }
            }
        }
        Some(DistributionAction::NotReceived) => match NotReceivedReason::parse(&values.reason) {
            Some(reason) => Some(Distribution::NotReceived {
                reason,
                note: (!values.note.is_empty()).then(|| values.note.clone()),
            }),
            None => {
                errors.push(("reason", "Hãy chọn lý do không nhận.".to_owned()));
                None
            }
        },
        Some(DistributionAction::Undo) => Some(Distribution::Undo),
        None => {
            errors.push(("mode", "Hãy chọn cần ghi nhận điều gì.".to_owned()));
            None
        }
    };
    let what = match what {
        Some(what) if errors.is_empty() => Ok(what),
        _ => Err(FormErrors::new(errors)),
    };
    (ids, what, values, back)
}

pub(super) async fn record_list_distribution(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let context = load_context(&state, &user, &slug, ward_id).await?;
    let (ids, what, values, back) = read_distribution_form(&pairs);
    let base = format!("/campaigns/{slug}/wards/{ward_id}");
    let back = crate::web::layout::safe_back(Some(&back), &base);
    let errors = match what {
        Ok(what) => match record_distribution(&state.db, &operator(&user), &ids, &what).await {
            Ok(done) => {
                let join = if back.contains('?') { '&' } else { '?' };
                let back = if back.starts_with(&base) {
                    back
                } else {
                    base.clone()
                };
                // The notice says what was done: an undo is not a handing-out.
                let code = match &what {
                    Distribution::Undo => "huy",
                    Distribution::NotReceived { .. } => "khong-nhan",
                    Distribution::Received { .. } => "phat",
                };
                return Ok(
                    Redirect::to(&format!("{back}{join}notice={code}-{}", done.len()))
                        .into_response(),
                );
            }
            Err(AppError::Invalid(message)) => FormErrors::new(vec![("", message)]),
            Err(other) => return Err(other),
        },
        Err(errors) => errors,
    };
    // The same page of the same search, so the ticked rows are there, still ticked.
    let query = back
        .parse::<axum::http::Uri>()
        .ok()
        .and_then(|uri| Query::<ListQuery>::try_from_uri(&uri).ok())
        .map(|Query(query)| ListQuery {
            notice: String::new(),
            ..query
        })
        .unwrap_or_default();
    let page = build_page(&state, &user, context, query, errors, values).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
