//! Mapping an unknown category or ward spelling once from the import preview: the form the
//! preview shows under "Giá trị chưa nhận ra" and the two posts it sends. The rule (who may,
//! what is stored, the audit) is `domain::value_mappings`; the preview re-reads the file on
//! its next load, so the mapped rows are checked again at once.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::Redirect;
use axum::routing::post;
use serde::Deserialize;

use crate::domain::pending_uploads::find_upload;
use crate::domain::value_mappings::{
    map_category_spelling, map_ward_spelling, mapping_choices, may_map_values,
};
use crate::error::{AppError, AppResult};
use crate::import::{Field, ParsedList, UnknownValue};
use crate::web::AppState;
use crate::web::layout::operator;
use crate::web::session::CurrentUser;

/// The two mapping posts.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/imports/{id}/map-category", post(map_category))
        .route("/imports/{id}/map-ward", post(map_ward))
}

/// What the preview offers to map, and to what.
pub struct MappingOffer {
    /// Whether the user may map (district staff, administrators); others are told whom to ask.
    pub may_map: bool,
    /// Category texts no category was found for, with their row counts.
    pub categories: Vec<UnknownValue>,
    /// Ward spellings of the "Phường" column no ward was found for.
    pub wards: Vec<UnknownValue>,
    /// (id, name) of the categories to choose from.
    pub category_choices: Vec<(i32, String)>,
    /// (id, name) of the wards to choose from.
    pub ward_choices: Vec<(i32, String)>,
}

impl MappingOffer {
    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.wards.is_empty()
    }
}

/// The offer for a read list: its unknown values, and the choices when the user may map.
pub async fn mapping_offer(
    state: &AppState,
    user: &CurrentUser,
    parsed: &ParsedList,
) -> AppResult<MappingOffer> {
    let op = operator(user);
    let categories = parsed.unknown_values(Field::Category);
    let wards = parsed.unknown_values(Field::Ward);
    let may_map = may_map_values(&op);
    let (category_choices, ward_choices) =
        if may_map && !(categories.is_empty() && wards.is_empty()) {
            mapping_choices(&state.db, &op).await?
        } else {
            (Vec::new(), Vec::new())
        };
    Ok(MappingOffer {
        may_map,
        categories,
        wards,
        category_choices,
        ward_choices,
    })
}

/// A spelling and what it means, as the preview's form sends it.
#[derive(Deserialize)]
struct MappingForm {
    text: String,
    #[serde(default)]
    target: String,
}

impl MappingForm {
    fn target(&self, missing: &str) -> AppResult<i32> {
        self.target
            .trim()
            .parse()
            .map_err(|_| AppError::Invalid(missing.to_owned()))
    }
}

/// Back to the preview, where the file is read again with the new synonym.
fn back_to_preview(id: &str) -> Redirect {
    Redirect::to(&format!("/imports/{id}#gia-tri-chua-nhan-ra"))
}

/// Which kind of value a form maps.
#[derive(Clone, Copy)]
enum Mapped {
    Category,
    Ward,
}

async fn map_value(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    form: &MappingForm,
    mapped: Mapped,
) -> AppResult<Redirect> {
    let upload = find_upload(&state.db, id, user.user.id).await?;
    let op = operator(user);
    match mapped {
        Mapped::Category => {
            let target = form.target("Hãy chọn đối tượng đúng cho cách viết này.")?;
            map_category_spelling(&state.db, &op, &form.text, target).await?;
        }
        Mapped::Ward => {
            let target = form.target("Hãy chọn phường đúng cho cách viết này.")?;
            map_ward_spelling(&state.db, &op, &form.text, target).await?;
        }
    }
    Ok(back_to_preview(&upload.id))
}

async fn map_category(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<MappingForm>,
) -> AppResult<Redirect> {
    map_value(&state, &user, &id, &form, Mapped::Category).await
}

async fn map_ward(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<MappingForm>,
) -> AppResult<Redirect> {
    map_value(&state, &user, &id, &form, Mapped::Ward).await
}
