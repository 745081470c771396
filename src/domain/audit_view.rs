//! The audit log as people read it: each event's action in Vietnamese ("Ghi nhận đã nhận
//! quà", not "distribution.received"), the thing it touched by name ("Nguyễn Văn An",
//! "Danh sách phường Tân Phú — Tết Nguyên đán Tân Sửu 2021", not "entry 70"), what changed
//! (before → after) and the time in Vietnam time. The names are looked up for a whole page
//! at once, one query per kind of thing.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::domain::clock::vietnam_time;
use crate::domain::units::{all_units, display_name};
use crate::entities::{
    api_token, audit_event, campaign, category, entry, gift_program, person, user, ward_list,
};
use crate::error::AppResult;

/// One event as the audit page shows it.
pub struct AuditLine {
    /// When, in Vietnam time, labelled.
    pub at: String,
    /// Who (login name).
    pub actor: String,
    /// What was done, in Vietnamese.
    pub action: String,
    /// The stored action code, for filtering.
    pub code: String,
    /// What it was done to, by name.
    pub thing: String,
    /// The unit concerned.
    pub unit: String,
    /// The state before, readable ("trạng thái: đã gửi"), empty when none.
    pub before: String,
    /// The state after, readable, empty when none.
    pub after: String,
}

/// Every action the application records, with its Vietnamese label, in the order the audit
/// page offers them as a filter.
pub const ACTIONS: &[(&str, &str)] = &[
    ("login", "Đăng nhập"),
    ("login.failed", "Đăng nhập sai mật khẩu"),
    ("login.refused", "Đăng nhập bị từ chối"),
    ("user.create", "Tạo tài khoản"),
    ("user.update", "Sửa tài khoản"),
    ("user.lock", "Khóa tài khoản"),
    ("user.unlock", "Mở khóa tài khoản"),
    ("user.password_reset", "Đặt lại mật khẩu"),
    ("user.password_change", "Đổi mật khẩu"),
    ("api_token.create", "Tạo mã truy cập API"),
    ("api_token.revoke", "Thu hồi mã truy cập API"),
    ("campaign.create", "Tạo đợt quà"),
    ("campaign.status", "Đổi trạng thái đợt quà"),
    ("campaign.carry_forward", "Chuyển danh sách từ năm trước"),
    ("program.create", "Thêm chương trình quà"),
    ("program.update", "Sửa chương trình quà"),
    ("program.recompute", "Tính lại quà theo chương trình"),
    ("category.create", "Thêm đối tượng"),
    ("category.update", "Sửa đối tượng"),
    ("category.synonym_add", "Thêm cách viết đối tượng"),
    ("category.synonym_remove", "Xóa cách viết đối tượng"),
    ("ward.synonym_add", "Thêm cách viết tên phường"),
    ("unit.create", "Thêm đơn vị"),
    ("unit.update", "Sửa đơn vị"),
    ("lineage.create", "Thêm quan hệ kế thừa đơn vị"),
    ("lineage.update", "Sửa quan hệ kế thừa đơn vị"),
    ("lineage.delete", "Xoá quan hệ kế thừa đơn vị"),
    ("lineage.quarter", "Phân khu phố về phường mới"),
    ("lineage.quarter_delete", "Bỏ khu phố khỏi phường mới"),
    ("import.commit", "Nhập danh sách từ tệp"),
    ("list.add_person", "Thêm người vào danh sách"),
    ("list.submit", "Gửi danh sách"),
    ("list.approve", "Duyệt danh sách"),
    ("list.return", "Trả lại danh sách"),
    ("list.reopen", "Mở lại danh sách"),
    ("person.update", "Sửa thông tin người nhận"),
    (
        "entry.change_listing",
        "Đổi đối tượng hoặc số tiền của người nhận",
    ),
    ("duplicate.keep_one", "Xử lý trùng: giữ một"),
    ("duplicate.keep_both", "Xử lý trùng: giữ cả hai"),
    ("distribution.received", "Ghi nhận đã nhận quà"),
    ("distribution.not_received", "Ghi nhận chưa nhận quà"),
    ("distribution.undo", "Hủy ghi nhận cấp phát"),
    ("distribution.signed_sheet", "Nhận lại danh sách đã ký"),
    ("export.signing_sheet", "Xuất danh sách ký nhận"),
    ("export.report", "Xuất báo cáo"),
    (
        "program.payment_method",
        "Đổi cách chi trả của chương trình",
    ),
    ("payment_account.save", "Sửa tài khoản nhận tiền"),
    ("payment_account.import", "Nhận tài khoản nhận tiền từ tệp"),
    ("bank.save", "Thêm hoặc sửa ngân hàng"),
    ("payment.batch_export", "Lập danh sách chuyển khoản"),
    ("export.transfer_batch", "Tải lại danh sách chuyển khoản"),
    ("payment.results_import", "Nhận kết quả chuyển khoản"),
    ("export.cash_sheet", "Xuất danh sách chi trả tiền mặt"),
];

/// The Vietnamese label of an action code; an unknown code is shown as it is.
pub fn action_label(code: &str) -> &str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

/// The Vietnamese word for a field name found in the before/after JSON.
fn field_label(key: &str) -> &str {
    match key {
        "status" => "trạng thái",
        "full_name" => "họ tên",
        "username" => "tên đăng nhập",
        "role" => "vai trò",
        "unit_id" => "đơn vị",
        "unit" => "đơn vị",
        "active" => "được đăng nhập",
        "amount" => "số tiền",
        "note" => "ghi chú",
        "name" => "tên",
        "title" => "tên",
        "birth_year" => "năm sinh",
        "gender" => "giới tính",
        "address" => "địa chỉ",
        "khu_pho" => "khu phố",
        "category" | "category_id" => "đối tượng",
        "received_date" => "ngày nhận",
        "receiver_name" => "người nhận thay",
        "comment" => "ý kiến",
        "added" => "số người thêm",
        "file" => "tệp",
        other => other,
    }
}

/// A JSON value as a short readable text: an object as "trạng thái: đã duyệt; …", a unit
/// id by the unit's name.
fn readable(json: Option<&str>, unit_name: &dyn Fn(i32) -> String) -> String {
    let Some(value) = json.and_then(|j| serde_json::from_str::<Value>(j).ok()) else {
        return String::new();
    };
    fn scalar(v: &Value) -> String {
        match v {
            Value::Null => "(trống)".to_owned(),
            Value::Bool(true) => "có".to_owned(),
            Value::Bool(false) => "không".to_owned(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    match &value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let shown = match (k.as_str(), v.as_i64()) {
                    ("unit_id", Some(id)) => {
                        i32::try_from(id).map_or_else(|_| scalar(v), unit_name)
                    }
                    _ => scalar(v),
                };
                format!("{}: {}", field_label(k), shown)
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => scalar(other),
    }
}

/// Ids of one kind of thing on the page.
fn ids_of(events: &[audit_event::Model], kind: &str) -> Vec<i32> {
    let mut ids: Vec<i32> = events
        .iter()
        .filter(|e| e.entity_type == kind)
        .filter_map(|e| e.entity_id.as_deref()?.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Describes a page of events, looking the names up in one query per kind of thing.
pub async fn describe_events(
    db: &impl ConnectionTrait,
    events: &[audit_event::Model],
) -> AppResult<Vec<AuditLine>> {
    let units = all_units(db).await?;
    let unit_name = |id: i32| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(display_name)
            .unwrap_or_else(|| format!("đơn vị số {id}"))
    };
    let mut names: HashMap<(&str, i32), String> = HashMap::new();

    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(ids_of(events, "person")))
        .all(db)
        .await?;
    for p in people {
        names.insert(("person", p.id), format!("Người nhận {}", p.full_name));
    }
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids_of(events, "user")))
        .all(db)
        .await?;
    for u in users {
        let who = match &u.full_name {
            Some(full) => format!("Tài khoản {} ({full})", u.username),
            None => format!("Tài khoản {}", u.username),
        };
        names.insert(("user", u.id), who);
    }
    let entries = entry::Entity::find()
        .filter(entry::Column::Id.is_in(ids_of(events, "entry")))
        .all(db)
        .await?;
    let lists = ward_list::Entity::find()
        .filter(ward_list::Column::Id.is_in(ids_of(events, "ward_list")))
        .all(db)
        .await?;
    let programs = gift_program::Entity::find()
        .filter(gift_program::Column::Id.is_in(ids_of(events, "gift_program")))
        .all(db)
        .await?;
    let mut campaign_ids = ids_of(events, "campaign");
    campaign_ids.extend(lists.iter().map(|l| l.campaign_id));
    campaign_ids.extend(programs.iter().map(|p| p.campaign_id));
    let campaigns = campaign::Entity::find()
        .filter(campaign::Column::Id.is_in(campaign_ids))
        .all(db)
        .await?;
    let campaign_title = |id: i32| {
        campaigns
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| format!("đợt quà số {id}"), |c| c.title.clone())
    };
    for c in &campaigns {
        names.insert(("campaign", c.id), format!("Đợt quà {}", c.title));
    }
    for l in &lists {
        names.insert(
            ("ward_list", l.id),
            format!(
                "Danh sách {} — {}",
                unit_name(l.ward_id),
                campaign_title(l.campaign_id)
            ),
        );
    }
    for p in &programs {
        names.insert(
            ("gift_program", p.id),
            format!(
                "Chương trình {} — {}",
                p.name,
                campaign_title(p.campaign_id)
            ),
        );
    }
    let entry_people = person::Entity::find()
        .filter(person::Column::Id.is_in(entries.iter().map(|e| e.person_id)))
        .all(db)
        .await?;
    for e in &entries {
        let who = entry_people
            .iter()
            .find(|p| p.id == e.person_id)
            .map_or_else(
                || format!("người số {}", e.person_id),
                |p| p.full_name.clone(),
            );
        names.insert(
            ("entry", e.id),
            format!("Quà của {who} ({})", unit_name(e.ward_id)),
        );
    }
    let categories = category::Entity::find()
        .filter(category::Column::Id.is_in(ids_of(events, "category")))
        .all(db)
        .await?;
    for c in categories {
        names.insert(("category", c.id), format!("Đối tượng {}", c.name));
    }
    let tokens = api_token::Entity::find()
        .filter(api_token::Column::Id.is_in(ids_of(events, "api_token")))
        .all(db)
        .await?;
    for t in tokens {
        names.insert(("api_token", t.id), format!("Mã truy cập “{}”", t.name));
    }
    for id in ids_of(events, "unit") {
        names.insert(("unit", id), unit_name(id));
    }

    Ok(events
        .iter()
        .map(|e| {
            let id: Option<i32> = e.entity_id.as_deref().and_then(|i| i.parse().ok());
            let thing = id
                .and_then(|id| names.get(&(e.entity_type.as_str(), id)).cloned())
                .unwrap_or_else(|| match (&e.entity_type[..], &e.entity_id) {
                    ("duplicate_decision", _) => "Cặp trùng giữa các phường".to_owned(),
                    (_, Some(_)) => format!("{} (đã xóa)", kind_label(&e.entity_type)),
                    (_, None) => kind_label(&e.entity_type).to_owned(),
                });
            AuditLine {
                at: vietnam_time(e.created_at),
                actor: e.actor_name.clone(),
                action: action_label(&e.action).to_owned(),
                code: e.action.clone(),
                thing,
                unit: e.unit_id.map(unit_name).unwrap_or_default(),
                before: readable(e.before_json.as_deref(), &unit_name),
                after: readable(e.after_json.as_deref(), &unit_name),
            }
        })
        .collect())
}

/// The Vietnamese name of a kind of thing, when the thing itself is gone.
fn kind_label(kind: &str) -> &str {
    match kind {
        "person" => "Người nhận",
        "user" => "Tài khoản",
        "entry" => "Quà trong danh sách",
        "ward_list" => "Danh sách phường",
        "campaign" => "Đợt quà",
        "gift_program" => "Chương trình quà",
        "category" => "Đối tượng",
        "api_token" => "Mã truy cập",
        "unit" => "Đơn vị",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_vietnamese_and_json_becomes_words() {
        assert_eq!(
            action_label("distribution.received"),
            "Ghi nhận đã nhận quà"
        );
        assert_eq!(action_label("list.approve"), "Duyệt danh sách");
        let unit = |id: i32| format!("Phường số {id}");
        assert_eq!(
            readable(Some(r#"{"active":false,"unit_id":7}"#), &unit),
            "được đăng nhập: không; đơn vị: Phường số 7"
        );
        assert_eq!(readable(Some(r#""Diện XYZ""#), &unit), "Diện XYZ");
        assert_eq!(readable(None, &unit), "");
    }
}
